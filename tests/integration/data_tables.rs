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

/// The code of the finding on `text` in a JSON report.
fn code_of(json: &serde_json::Value, text: &str) -> Option<String> {
    json["files"][0]["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["text"] == text)
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
}

#[test]
fn a_changed_data_note_is_read_again_on_the_next_check() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    std::fs::write(d.join("sources/districts.csv"), crate::support::unindent(DISTRICTS)).unwrap();
    std::fs::write(d.join("sources/about.md"), "Population is in thousands.\n").unwrap();
    std::fs::write(d.join("draft.md"), "Northmere had 412,000 people.\n").unwrap();
    let first = crate::support::check_json(d);
    assert_eq!(
        code_of(&first, "412,000 people").as_deref(),
        Some("supported"),
        "{first}"
    );
    // Only the note changes: the table itself is as it was, its facts are not.
    std::fs::write(d.join("sources/about.md"), "Population counts every resident.\n").unwrap();
    let second = crate::support::check_json(d);
    assert_ne!(
        code_of(&second, "412,000 people").as_deref(),
        Some("supported"),
        "{second}"
    );
    // And back.
    std::fs::write(d.join("sources/about.md"), "Population is in thousands.\n").unwrap();
    let third = crate::support::check_json(d);
    assert_eq!(
        code_of(&third, "412,000 people").as_deref(),
        Some("supported"),
        "{third}"
    );
}

#[test]
fn a_changed_data_note_re_reads_its_tables_in_the_server() {
    use copydesk::check::Code;
    use copydesk::corpus::{ReadOutcome, read_source};
    let fx = crate::support::Fixture::write(&format!(
        "//- sources/districts.csv\n{DISTRICTS}\n//- sources/about.md\nPopulation is in thousands.\n"
    ));
    let config =
        copydesk::config::Config::parse("[corpus]\npaths = [\"sources\"]\n", &fx.path("copydesk.toml")).unwrap();
    let mut project = copydesk::project::Project::load(config, &[]).unwrap();
    let code = |p: &copydesk::project::Project| {
        let (_, found) = p.check_text("Northmere had 412,000 people.\n");
        found.iter().find(|f| f.text == "412,000 people").map(|f| f.code)
    };
    assert_eq!(code(&project), Some(Code::Supported));
    // The server re-reads a changed file alone (`Project::update_source`).
    let note = fx.path("sources/about.md");
    std::fs::write(&note, "Population counts every resident.\n").unwrap();
    let ReadOutcome::Source(s, _) = read_source(&note) else {
        panic!("note unreadable")
    };
    project.update_source(&note, Some(*s));
    assert_ne!(code(&project), Some(Code::Supported));
}

/// A density column whose data note clause speaks of the resident population.
const TOWNS: &str = "
    Town,Population (thousands),Persons per sq km,Schools
    Harwick,184,1210.4,41
    Lowden,77,388.2,19
";

fn towns(draft: &str) -> String {
    format!(
        "//- sources/towns.csv\n{TOWNS}\n//- sources/about.md\nPopulation is in thousands. Persons per sq km is the resident population per square kilometre of land.\n//- draft.md\n{draft}\n"
    )
}

#[test]
fn a_note_clause_on_a_column_does_not_name_it() {
    // "residents" is in the density column's note, but the population column counts them.
    check(&towns("Harwick had [[184,000 residents|ok]]."));
    check(&towns(
        "Lowden had about [[77,000 residents|ok]] and [[19 schools|ok]].",
    ));
}

#[test]
fn another_value_in_the_named_row_and_fitting_column_is_a_mismatch() {
    check(&towns("Harwick had [[191,000 residents|figure-mismatch]]."));
    // In a long sentence the cell's few context words are a small share of the draft's.
    check(&towns(
        "Harwick, the market town on the estuary that grew fastest in the region last decade, now grows [[6.5 per cent|any]] a year and counts [[191,000 residents|figure-mismatch]].",
    ));
    check(&towns("Lowden had [[23 schools|figure-mismatch]]."));
    // A row the draft does not name is no evidence about another town.
    check(&towns("Carrow had [[184,000 residents|unsourced-figure]]."));
}

/// Seats and their change, as an apportionment table gives them.
const SEATS: &str = "
    State,House seats,Seat change
    Norland,36,+4
    Westmark,27,-2
";

fn seats(draft: &str) -> String {
    format!("//- sources/seats.csv\n{SEATS}\n//- draft.md\n{draft}\n")
}

#[test]
fn a_figure_told_as_a_change_is_checked_against_the_change_column() {
    // The sentence names the level column's header ("House"), yet tells a change.
    check(&seats("Norland gained [[four House seats|ok]]."));
    check(&seats("Norland gained [[five House seats|figure-mismatch]]."));
    // A level is checked against the level.
    check(&seats("Norland now has [[36 House seats|ok]]."));
    check(&seats("Westmark now has [[29 House seats|figure-mismatch]]."));
}

/// Growth in residents and seats, for changes told by an object's verb.
const GROWTH: &str = "
    State,Change in residents,House seats,Seat change
    Norland,120000,36,+4
    Westmark,-30000,27,-2
";

fn growth(draft: &str) -> String {
    format!("//- sources/growth.csv\n{GROWTH}\n//- draft.md\n{draft}\n")
}

#[test]
fn a_verb_of_its_object_tells_a_change_and_a_second_object_shares_it() {
    // "added" tells a change of the figure it takes as object.
    check(&growth("Norland added [[four House seats|ok]]."));
    check(&growth("Norland added [[five House seats|figure-mismatch]]."));
    // The second of two coordinated objects shares the first one's verb.
    check(&growth(
        "Norland added [[120,000 residents|ok]] and [[four House seats|ok]].",
    ));
    check(&growth(
        "Norland added [[120,000 residents|ok]] and [[five House seats|figure-mismatch]].",
    ));
    // A conjunct with a verb of its own tells its own figure: a level.
    check(&growth(
        "Norland added [[120,000 residents|ok]] and now has [[36 House seats|ok]].",
    ));
    check(&growth("Westmark now has [[27 House seats|ok]] and lost [[two|ok]]."));
    // "up" tells a change as "rose" does; "rose to" tells the new level.
    check(&growth("Norland's House seats were up [[four|ok]]."));
    check(&growth("Norland's House seats rose to [[36|ok]]."));
    check(&growth("Norland's House seats rose to [[38|figure-mismatch]]."));
}

#[test]
fn a_leading_rank_column_is_no_row_label() {
    // The row is named by its first column of words ("Club"), not by its rank.
    let table = |draft: &str| {
        format!(
            "//- sources/table.csv\n    Pos,Club,Played,Won\n    1,Lowmoor United,28,19\n    2,Kettle Town,28,17\n\n//- draft.md\n{draft}\n"
        )
    };
    check(&table("Lowmoor United have won [[19 games|ok]]."));
    check(&table("Kettle Town have won [[19 games|figure-mismatch]]."));
}

/// A share in 2021 as a fraction beside the same share in 2011 in per cent,
/// as statistics offices publish a measure and its earlier value.
const SHARES: &str = "
    Country,Population (thousands),Renewable share,Renewable share 2011 (%)
    Sweden,10379,0.626,48.9
    Finland,5534,0.434,32.4
";

fn shares(draft: &str) -> String {
    format!("//- sources/shares.csv\n{SHARES}\n//- draft.md\n{draft}\n")
}

#[test]
fn a_column_dated_by_its_header_is_the_earlier_value_and_no_other() {
    // The undated share is the table's own, the fraction column's; the
    // column whose header gives a year is another time's.
    check(&shares(
        "Sweden drew [[62.6 per cent|ok]] of its energy from renewable sources.",
    ));
    check(&shares(
        "Sweden's renewable share was [[48.9 per cent|figure-mismatch]].",
    ));
    // A change's earlier value ("up from") fits the dated column.
    check(&shares(
        "Sweden's renewable share reached [[62.6 per cent|ok]], up from [[48.9 per cent|ok]].",
    ));
    check(&shares(
        "Finland's renewable share rose from [[32.4 per cent|ok]] to [[43.4 per cent|ok]].",
    ));
    // A figure of the header's year is that column's.
    check(&shares("In 2011, Sweden's renewable share was [[48.9 per cent|ok]]."));
}

#[test]
fn the_column_the_sentence_names_most_words_of_is_the_figures() {
    // "of pension age" names two words of "Pension age or over" and one of
    // "Aged 5 to 15" ("age"): the first is the figure's column.
    let table = |draft: &str| {
        format!(
            "//- sources/areas.csv\n    Council area,Area (sq km),Persons per sq km,Population,Change 1981-1996 (%),Under 5 (%),Aged 5 to 15 (%),Pension age or over (%)\n    Fife,1323,264,349,2.3,6.0,14.4,18.3\n    Angus,2181,51,111,3.4,5.4,13.1,21.2\n\n//- sources/data-note.md\n    The age columns are shares of each area's population; pension age is 65 for men and 60 for women.\n\n//- draft.md\n{draft}\n"
        )
    };
    check(&table(
        "In Fife, [[18.3 per cent|ok]] of residents were of pension age.",
    ));
    check(&table(
        "In Fife, [[14.4 per cent|figure-mismatch]] of residents were of pension age.",
    ));
    check(&table(
        "In Angus, [[21.2 per cent|ok]] of residents were of pension age.",
    ));
}

#[test]
fn the_people_of_a_country_name_its_row() {
    // "Finns" and "Swedish" are Finland and Sweden, as "British" is Britain.
    check(&shares(
        "Finns got [[43.4 per cent|ok]] of their energy from renewables.",
    ));
    check(&shares(
        "Swedish homes got [[43.4 per cent|figure-mismatch]] of their energy from renewables.",
    ));
}

/// Regions with a rate column, a change since a year and a share stored as
/// a fraction; every population four digits, as a column in thousands is.
const REGIONS: &str = "
    Region,Population (thousands),Change since mid-2019 (%),People per sq km,Aged 65 and over
    Northmoor,1896,0.6,134,0.214
    Eastvale,6269,0.7,328,0.201
";

fn regions(draft: &str) -> String {
    format!(
        "//- sources/regions.csv\n{REGIONS}\n//- sources/data-note.md\n    The figures are for 2020.\n\n//- draft.md\n{draft}\n"
    )
}

#[test]
fn a_rate_column_is_a_figures_only_where_the_sentence_names_its_base() {
    // "people" alone names the population, not the people per square km.
    check(&regions(
        "Northmoor, with [[1.9 million people|ok]], grew [[0.6 per cent|ok]].",
    ));
    check(&regions(
        "Northmoor, with [[2.1 million people|figure-mismatch]], grew [[0.6 per cent|ok]].",
    ));
    check(&regions("Eastvale has [[328 people per square kilometre|ok]]."));
}

#[test]
fn a_share_in_words_is_compared_with_a_percentage() {
    check(&regions(
        "[[More than a fifth|ok]] of people in Northmoor, [[21.4 per cent|ok]], were of pension age.",
    ));
    check(&regions(
        "[[A third|figure-mismatch]] of people in Eastvale were of pension age.",
    ));
}

#[test]
fn the_year_a_change_is_counted_from_is_no_time_of_its_figures() {
    // "Change since mid-2019" does not date its cells 2019: the table's
    // figures are for 2020, and "in 2019" is the wrong year for them.
    check(&regions(
        "In [[2019|figure-mismatch]], Eastvale had [[6.27 million|ok]] people.",
    ));
    check(&regions("In [[2020|ok]], Eastvale had [[6.27 million|ok]] people."));
}

#[test]
fn a_scale_word_after_a_rate_word_is_the_rates_base() {
    // "per million inhabitants" is what the rate is of: 36.7 is 36.7, not
    // 36.7 million; "(thousands)" still scales its column.
    let table = |draft: &str| {
        format!(
            "//- sources/roads.csv\n    Country,Road deaths,Deaths per million inhabitants,Population (thousands)\n    Germany,3046,36.7,83019\n    Sweden,221,21.6,10230\n\n//- draft.md\n{draft}\n"
        )
    };
    check(&table("Germany had [[36.7 road deaths per million inhabitants|ok]]."));
    check(&table(
        "Germany had [[63.7 road deaths per million inhabitants|figure-mismatch]].",
    ));
    check(&table(
        "Sweden, with [[10.2 million people|ok]], had [[221 road deaths|ok]].",
    ));
}
