//! Data tables read as a data journalist reads them: the period the figures
//! are for, gapped sentences over two rows, negative and fractional cells.
//! The tables are invented; each case has its negative.

use crate::support::check;

/// Three rows of an invented table of districts, population in thousands.
const DISTRICTS: &str = "
    District,Population,Change since 2001 (%),Households
    Northmere,412,-13.5,181
    Eastwick,268,4.2,117
    Saltby,95,-0.8,41
";

fn with_note(note: &str, draft: &str) -> String {
    format!("//- sources/districts.csv\n{DISTRICTS}\n//- sources/about.md\n{note}\n//- draft.md\n{draft}\n")
}

#[test]
fn a_year_the_data_note_gives_the_table_backs_its_facts() {
    let note = "The figures are for 2011. Population and households are in thousands.";
    check(&with_note(
        note,
        "Northmere had [[412,000 people|ok]] in [[2011|ok]], the district's office said.",
    ));
    // Another year on the same fact is the wrong year, not an unsourced one.
    check(&with_note(
        note,
        "Northmere had [[412,000 people|ok]] in [[2014|figure-mismatch]].",
    ));
}

#[test]
fn the_file_name_gives_the_period_when_no_note_does() {
    let fixture = |draft: &str| {
        format!(
            "//- sources/districts-2011.csv\n{DISTRICTS}\n//- sources/about.md\nPopulation is in thousands.\n//- draft.md\n{draft}\n"
        )
    };
    check(&fixture("Eastwick had [[268,000 people|ok]] in [[2011|ok]]."));
    check(&fixture(
        "Eastwick had [[268,000 people|ok]] in [[2012|figure-mismatch]].",
    ));
}

#[test]
fn a_table_without_a_period_leaves_a_year_unsourced() {
    check(&with_note(
        "Population is in thousands.",
        "Northmere had [[412,000 people|ok]] in [[2011|unsourced-figure]].",
    ));
}

#[test]
fn a_publication_date_is_no_period() {
    let note = "Published in 2013. The figures are for 2011. Population is in thousands.";
    check(&with_note(note, "Northmere had [[412,000 people|ok]] in [[2011|ok]]."));
    check(&with_note(
        note,
        "Northmere had [[412,000 people|ok]] in [[2013|figure-mismatch]].",
    ));
}

#[test]
fn a_gapped_conjunct_is_checked_against_its_own_row() {
    let note = "Population is in thousands.";
    check(&with_note(
        note,
        "Northmere was home to about [[410,000 people|ok]] and Eastwick to [[268,000|ok]].",
    ));
    check(&with_note(
        note,
        "Northmere was home to about [[410,000 people|ok]] and Eastwick to [[258,000|mismatch]].",
    ));
}

#[test]
fn a_fall_matches_a_negative_change_cell_and_a_rise_does_not() {
    let note = "The figures are for 2011. Population is in thousands.";
    check(&with_note(
        note,
        "Northmere's population fell [[13.5 per cent|ok]] on [[2001|ok]].",
    ));
    check(&with_note(
        note,
        "Northmere's population rose [[13.5 per cent|mismatch]] on 2001.",
    ));
    check(&with_note(
        note,
        "In Saltby the population fell [[0.8 per cent|ok]], and in Eastwick it rose [[4.2 per cent|ok]].",
    ));
}
