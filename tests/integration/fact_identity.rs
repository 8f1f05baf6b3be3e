//! Whose fact a source statement is: the speaker a transcript's head line
//! names, a value the draft gives another of its figures, the year a table
//! row stands for. One `check(fixture)` each, with the negative case beside.

use crate::support::check;

#[test]
fn a_transcripts_head_line_names_who_says_its_we() {
    // The addresses say "we"; only their head lines name the governor. The
    // other governor's figure backs nothing said of this one.
    check(
        r#"
        //- sources/delgado.txt
        Governor Maria Delgado, Budget Address to the Assembly, March 3, 2019

        Thank you all for coming. It is an honour to stand in this chamber again.

        Our schools are improving and our roads are safer.

        Over the last two years we have put our people back to work, creating over 40,000 new jobs, a record for this state.
        //- sources/reyes.txt
        Governor Tom Reyes, Budget Address to the Assembly, March 9, 2021

        Thank you, Madam Speaker. The past year has tested every family in this state.

        Our hospitals held firm and our teachers kept on teaching.

        Since I took office we have created over 52,000 new jobs, more than any governor before me.
        //- draft.md
        In her [[2019|ok]] address Delgado claimed [[over 40,000 new jobs|ok]].

        In his [[2021|ok]] address Reyes claimed [[over 52,000 new jobs|ok]].

        Delgado later claimed [[over 52,000 new jobs|unsourced-figure]].
        "#,
    );
}

#[test]
fn a_value_the_draft_gives_another_figure_is_no_loose_support() {
    // "more than £180 million" would fit the £255 million cut, which is the
    // other figure's fact; the deficit's own source says under £180 million.
    // A restatement in the same clause ("a fifth, 21.4 per cent") keeps its
    // support.
    check(
        r#"
        //- sources/a.txt
        The council cut 255 million pounds of spending this year and the deficit is shrinking, the treasurer said.

        Council tax will rise by 4.9 per cent in April.

        Auditors now say next year's deficit will be under 180 million pounds.

        More than a fifth of the town's residents, 21.4 per cent, are over 65.
        //- draft.md
        The council cut [[£255 million|ok]] of spending this year, and auditors now put next year's deficit at [[more than £180 million|qualifier-mismatch]].

        [[More than a fifth|ok]] of the town's residents, [[21.4 per cent|ok]], are over 65.
        "#,
    );
}

#[test]
fn a_table_rows_year_is_the_time_of_its_cells() {
    // The 2019 row's figure is 2019's: 2018's equal value is no support.
    check(
        r#"
        //- sources/a.txt
        Employers in the county created 12,400 jobs in 2018 and 15,100 jobs in 2019, the labour office said.
        //- draft.md
        # Jobs in the county

        Jobs created each year, according to the labour office:

        | Year | Jobs created |
        |---|---|
        | 2018 | [[12,400|ok]] |
        | 2019 | [[12,400|figure-mismatch]] |
        "#,
    );
}

#[test]
fn a_statement_before_a_table_is_no_caption_of_its_cells() {
    // The paragraph above the table tells a fact of its own; its words
    // would draw the cells to that fact's sentence. A lead-in ending in a
    // colon is the cells' caption.
    check(
        r#"
        //- sources/a.txt
        Police detained 41 suspects in Leeds and 17 in Bradford after the raids, officers said.
        The force has 23 partner agencies across the region, officers said.
        //- draft.md
        The force has [[23|ok]] partner agencies across the region.

        | Town | Detained |
        |---|---|
        | Leeds | [[41|ok]] |
        | Bradford | [[71|figure-mismatch]] |
        "#,
    );
}

#[test]
fn a_change_in_percentage_points_is_not_a_change_in_per_cent() {
    // The same number in the unit it is mistaken for is a unit confusion;
    // another number in it is another fact (the rate itself), and the rate
    // in per cent is quiet.
    check(
        r#"
        //- sources/a.txt
        The jobless rate in the county rose 0.4 percentage points to 5.4 per cent in March, the statistics office said.
        //- draft.md
        The county's jobless rate rose [[0.4 per cent|unit-mismatch]] in March, to [[5.4 per cent|ok]].

        In March the county's jobless rate rose by [[0.4 percentage points|ok]].
        "#,
    );
}

#[test]
fn a_company_suffix_closes_its_sentence() {
    // "Inc." before a capitalised word ends the sentence: "Sales" opens the
    // next one and is no misspelt name of the source's "Sale"; a title's stop
    // ("Dr. Okafor") ends nothing.
    check(
        r#"
        //- sources/a.txt
        Ohio Bedding Completes Sale of Unit

        Ohio Bedding Co said it completed the sale of its mattress unit to Halvorsen Inc for 12 mln dlrs. Chairman Ruth Okafor said sales would top 80 mln dlrs.
        //- draft.md
        Ohio Bedding sold its mattress unit for [[$12 million|ok]] to Halvorsen Inc. Sales will top [[$80 million|ok]], said Dr. [[Ruth Okafer|name-mismatch]].
        "#,
    );
}

#[test]
fn a_figure_with_a_scale_word_is_rounded_where_it_is_written() {
    // "4.2 million" tells 4.24 million, and a wire's rounded "4.2 mln" does
    // not contest the release's figure; plain digits are exact, so 1,090 is
    // no rounding of 1,094, and "4.3 million" is no rounding of 4.24 million.
    check(
        r#"
        //- sources/release.txt
        Passenger numbers at the South Terminal rose 12.5 per cent to 4.24 million last year, the airport said. The airport employs 1,094 staff.
        //- sources/wire.txt
        Traffic at the South Terminal rose 12.5 pct to 4.2 mln passengers last year, the operator said.
        //- draft.md
        Passenger numbers at the South Terminal rose to [[4.24 million|ok]] last year.

        The South Terminal's traffic rose to [[4.2 million passengers|ok]] last year.

        The airport employs [[1,090 staff|figure-mismatch]].
        "#,
    );
    check(
        r#"
        //- sources/release.txt
        Passenger numbers at the South Terminal rose 12.5 per cent to 4.24 million last year, the airport said.
        //- draft.md
        Passenger numbers at the South Terminal rose to [[4.3 million|figure-mismatch]] last year.
        "#,
    );
}

#[test]
fn a_figure_the_draft_does_not_date_is_the_storys_present() {
    // The report gives this year's count and, beside it, last year's: the
    // draft's undated figure is read against this year's. Dated to last
    // year, or told as the earlier value, it is last year's.
    check(
        r#"
        //- sources/report.txt
        Northmoor Hospitals board report, April 2026.

        There were 612 ambulance handovers that took longer than 60 minutes at the trust's hospitals in March (March 2025: 1,018).
        //- draft.md
        At the trust's hospitals, [[1,018 ambulance handovers|figure-mismatch]] took longer than 60 minutes in March.

        In March 2025, [[1,018|ok]] ambulance handovers at the trust's hospitals took longer than 60 minutes.

        Ambulance handovers taking longer than 60 minutes fell to [[612|ok]] in March, from [[1,018|ok]].
        "#,
    );
}

#[test]
fn a_value_shared_only_by_another_fact_is_no_disagreement() {
    // The draft gives the North Terminal the whole airport's rise. The wire's
    // "8.3 pct" has the value but none of the terminal's words; the release's
    // sentence on the terminal says 6.1: a mismatch, not two sources at odds.
    check(
        r#"
        //- sources/wire.txt
        Fenmouth Airport said passenger numbers rose 8.3 pct to a record 11.4 mln last year.
        //- sources/release.txt
        The North Terminal, which handles full-service and long-haul flights, grew 6.1 per cent to 7.18 million passengers.
        //- draft.md
        # Fenmouth Airport passenger numbers

        Passenger numbers at Fenmouth Airport rose last year. The North Terminal, which handles full-service and long-haul flights, grew [[8.3 per cent|figure-mismatch]] to [[7.18 million|ok]].
        "#,
    );
    // Where both sources speak of the terminal, they disagree.
    check(
        r#"
        //- sources/wire.txt
        Traffic at the North Terminal, which handles long-haul flights, rose 8.3 pct to 7.18 mln passengers.
        //- sources/release.txt
        The North Terminal, which handles full-service flights, grew 6.1 per cent to 7.18 million passengers.
        //- draft.md
        Traffic at the North Terminal grew [[8.3 per cent|sources-disagree]] to [[7.18 million|ok]] passengers.
        "#,
    );
}

#[test]
fn a_statement_another_figure_of_the_sentence_claims_contradicts_nothing() {
    // The league's "by five points" is the lead's fact: it neither contradicts
    // the 62 points nor, where the points are wrong, stands for their value.
    const TABLE: &str = r#"
        //- sources/table.md
        | Pos | Club | P | W | D | L | GF | GA | Pts |
        |---|---|---|---|---|---|---|---|---|
        | 1 | Harbour Rovers | 28 | 19 | 5 | 4 | 58 | 24 | 62 |
        | 2 | Ferry Town | 28 | 17 | 6 | 5 | 49 | 27 | 57 |
        | 3 | Castle City | 28 | 16 | 5 | 7 | 51 | 33 | 53 |

        Harbour Rovers lead by five points from Ferry Town with ten matches left.
        //- draft.md
    "#;
    for (points, code) in [("62", "ok"), ("64", "figure-mismatch")] {
        check(&format!(
            "{TABLE}        Rovers have [[{points} points|{code}]] from [[28|ok]] matches, [[five points|ok]] ahead of Ferry Town with [[ten|ok]] games to play.\n"
        ));
    }
}

#[test]
fn revenue_and_profit_are_two_facts() {
    // The wire's profit figures share the draft's words (the company, "first
    // half", "crowns", the previous sentence) but are of another measure:
    // they neither contest the release's revenue nor back a wrong one.
    check(
        r#"
        //- sources/release.txt
        Norvik Shipping ASA today reports revenue of NOK 4.82 billion for the first half, up 12 per cent from NOK 4.30 billion a year earlier.
        //- sources/wire.txt
        OSLO, Aug 14 (Reuters) - Norvik Shipping said on Thursday first-half net profit fell 9 pct to 418 mln crowns as dry-docking costs rose, missing the 440 mln crowns expected by analysts in a Reuters poll.

        Revenue rose 12 pct to 4.82 bln crowns, helped by higher freight rates, the company said.
        //- draft.md
        # Norvik Shipping profit falls as dry-docking costs bite

        Norvik Shipping's first-half net profit fell [[9 per cent|ok]] to [[418 million crowns|ok]], short of the [[440 million|ok]] analysts had expected.

        Revenue rose [[12 per cent|ok]] to [[4.82 billion crowns|ok]] from [[4.3 billion|ok]] a year earlier.

        First-half revenue was [[418 million crowns|figure-mismatch]].
        "#,
    );
}

/// Two sources of one story that give one count, each its own way, beside
/// two of other stories (so that words have a rarity). The draft follows the
/// hospital's words.
fn patients(opposition: &str, draft: &str) -> String {
    format!(
        "//- sources/buses.txt\nBus timetable\nThe council said 40 buses would run on the coast road on Sunday.\n\
         //- sources/library.txt\nLibrary hours\nThe city library will open at nine on weekdays from June.\n\
         //- sources/hospital.txt\nSurgery postponed at Kellow General\nA hospital spokesman said operations had been postponed for 1,200 patients because of the strike.\n\
         //- sources/opposition.txt\nOpposition attacks strike handling\n{opposition}\n\
         //- draft.md\n# Kellow strike\n\n{draft}\n"
    )
}

#[test]
fn another_sources_value_of_the_same_count_in_its_own_words_disagrees() {
    check(&patients(
        "The opposition said 1,500 patients were waiting for operations at Kellow General.",
        "Operations were postponed for [[1,200 patients|sources-disagree]] at Kellow General, a hospital spokesman said.",
    ));
}

#[test]
fn a_far_off_vague_or_other_count_in_another_source_disagrees_with_nothing() {
    let draft = "Operations were postponed for [[1,200 patients|ok]] at Kellow General, a hospital spokesman said.";
    // Several times the draft's value: another count of patients.
    check(&patients(
        "The opposition said 4,000 patients were waiting for operations at Kellow General.",
        draft,
    ));
    // A vague quantity is no estimate to set against it.
    check(&patients(
        "The opposition said hundreds of patients were waiting for operations at Kellow General.",
        draft,
    ));
    // Another counted thing.
    check(&patients(
        "The opposition said 1,500 nurses were waiting for operations at Kellow General.",
        draft,
    ));
}
