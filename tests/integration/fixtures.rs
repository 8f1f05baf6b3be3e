//! One `check(fixture)` per feature. Each draft marks what it expects:
//! `[[text|code]]`, `[[text|ok]]` for a figure the sources back.

use crate::support::check;

#[test]
fn swapped_digits_are_a_figure_mismatch() {
    check(
        r#"
        //- sources/wire.txt
        Police in Anhui province arrested 43 suspects and rescued 11 babies.
        In Sichuan, 27 suspects were arrested and 13 babies were freed.
        //- draft.md
        In Anhui, [[34 suspects|figure-mismatch]] were arrested and [[11 babies|ok]] were rescued.
        "#,
    );
}

#[test]
fn number_words_count_as_figures() {
    check(
        r#"
        //- sources/a.txt
        Investigators found that the gang ran four websites and some 30 chat groups.
        //- draft.md
        The gang ran [[five websites|figure-mismatch]] and [[some 30 chat groups|ok]], investigators said.
        "#,
    );
}

#[test]
fn qualifier_that_makes_a_figure_false() {
    check(
        r#"
        //- sources/a.txt
        The ministry said 1,094 people had been arrested in the crackdown.
        Officers rescued 382 babies.
        //- draft.md
        Police arrested [[more than 1,200 people|qualifier-mismatch]] in the crackdown.

        Police arrested [[more than 1,000 people|ok]] in the crackdown.

        Officers rescued [[nearly 400 babies|ok]].
        "#,
    );
}

#[test]
fn confusable_counted_thing_is_a_unit_mismatch() {
    check(
        r#"
        //- sources/a.txt
        Officers rescued 382 babies in raids across 27 cities on Wednesday.
        //- draft.md
        Officers rescued [[382 babies|ok]] in raids across [[27 provinces|unit-mismatch]] on Wednesday.
        "#,
    );
}

#[test]
fn sources_that_disagree_are_reported() {
    check(
        r#"
        //- sources/a.txt
        The authorities rescued 382 infants in 27 cities, the statement said.
        //- sources/b.txt
        Officers rescued 382 infants in 27 cities after a tip-off.
        //- sources/c.txt
        Police from 27 provinces rescued 382 infants after a tip-off.
        //- draft.md
        Officers rescued [[382 infants|ok]] in [[27 cities|sources-disagree]] after a tip-off.
        "#,
    );
}

#[test]
fn unsourced_figure() {
    check(
        r#"
        //- sources/a.txt
        Police rescued 382 babies in the raids.
        //- draft.md
        Police rescued [[382 babies|ok]]. Experts say [[about 2,000 babies|unsourced-figure]] are sold every month.
        "#,
    );
}

#[test]
fn same_number_in_another_fact_neither_confirms_nor_contradicts() {
    // "30 provinces" belongs to a different operation than "27 provinces".
    check(
        r#"
        //- sources/a.txt
        In the child pornography case, police detained more than 180 suspects in 30 provinces.
        //- sources/b.txt
        In the trafficking sweep, officers rescued 382 babies in 27 provinces.
        //- draft.md
        In the trafficking sweep, officers rescued [[382 babies|ok]] in [[27 provinces|ok]].
        "#,
    );
}

#[test]
fn what_happened_tells_facts_apart() {
    // 11 babies were rescued; the 7 sold are another fact.
    check(
        r#"
        //- sources/a.txt
        Police rescued 11 babies in Anhui province.
        A doctor in Shaanxi sold seven babies, a court found.
        //- draft.md
        A doctor in Shaanxi sold [[eight babies|figure-mismatch]], a court found.
        "#,
    );
}

#[test]
fn a_part_counts_what_its_whole_counts() {
    // "27 of the 51 seats" counts seats: the city's 17 wards are another
    // fact, neither backed nor disputed by it; the seats are.
    check(
        r#"
        //- sources/result.md
        Labour won 27 of the 51 seats on the council. Three councillors sit for each of the city's 17 wards.
        //- draft.md
        Labour won [[27|ok]] of the [[51 seats|ok]] on the council, in the city's [[17 wards|ok]].
        "#,
    );
    check(
        r#"
        //- sources/result.md
        Labour won 27 of the 51 seats on the council, which has 17 wards.
        //- draft.md
        Labour holds [[29 seats|figure-mismatch]] on the council.
        "#,
    );
}

#[test]
fn places_tell_facts_apart() {
    check(
        r#"
        //- sources/a.txt
        Fourteen homes have been destroyed in the Hawkesbury area, and 20 homes have been lost at Jervis Bay.
        //- draft.md
        In the Hawkesbury, [[20 homes|figure-mismatch]] were destroyed.
        "#,
    );
}

#[test]
fn money_currencies_and_conversions() {
    check(
        r#"
        //- sources/a.txt
        The couple paid 20,000 yuan (US$3,250) for the child.
        //- draft.md
        The couple paid [[20,000 yuan|ok]], or [[$3,520|figure-mismatch]], for the child.
        "#,
    );
    check(
        r#"
        //- sources/a.txt
        The couple paid 20,000 yuan for the child.
        //- draft.md
        The couple paid [[20,000 dollars|unit-mismatch]] for the child.
        "#,
    );
}

#[test]
fn ages() {
    check(
        r#"
        //- sources/a.txt
        Liu, 32, allegedly ran the website, police said.
        Another couple in their 30s told reporters they had paid for a baby.
        A 55-year-old obstetrician was sentenced.
        //- draft.md
        The man who ran the website, Liu, [[23|figure-mismatch]], was arrested.

        A couple in their [[40s|figure-mismatch]] told reporters they had paid for a baby.

        The [[55-year-old|ok]] obstetrician was sentenced.
        "#,
    );
}

#[test]
fn dates_and_years() {
    check(
        r#"
        //- sources/a.txt
        The raids took place on February 19, after an operation launched in April 2009.
        Travel is available between January 9 and March 27.
        //- draft.md
        The raids took place on [[February 19|ok]], after an operation launched in [[April 2009|ok]].

        Travel is available between [[January 9|ok]] and [[March 31|figure-mismatch]].
        "#,
    );
}

#[test]
fn durations_and_confusable_time_units() {
    check(
        r#"
        //- sources/a.txt
        The sting was part of a six-month operation.
        Her death sentence was suspended for two years.
        //- draft.md
        The sting was part of a [[six-year|unit-mismatch]] operation.

        Her death sentence was suspended for [[two years|ok]].
        "#,
    );
}

#[test]
fn ranges_and_ceilings() {
    check(
        r#"
        //- sources/a.txt
        Between 4,000 and 5,000 firefighters are battling the blazes.
        Some groups believe as many as 10,000 to 20,000 children are taken each year.
        //- draft.md
        [[Between 4,000 and 5,000 firefighters|ok]] are battling the blazes.

        Some groups believe [[up to 30,000 children|figure-mismatch]] are taken each year.
        "#,
    );
}

#[test]
fn measures_and_confusable_units() {
    check(
        r#"
        //- sources/a.txt
        In the ACT, the fires have burned more than 800 hectares around Queanbeyan.
        Crews built a 20 kilometre containment line along the highway.
        //- draft.md
        In the ACT, the fires have burned [[more than 800 square kilometres|unit-mismatch]] around Queanbeyan.

        Crews built a [[20-kilometre containment line|ok]] along the highway.
        "#,
    );
}

#[test]
fn percentages() {
    check(
        r#"
        //- sources/a.txt
        The unions claim 90 per cent of the workforce voted against the latest offer.
        //- draft.md
        The unions say [[92 per cent|figure-mismatch]] of the workforce voted against the latest offer.
        "#,
    );
}

#[test]
fn table_cells_take_their_headers_as_context() {
    check(
        r#"
        //- sources/a.txt
        Police detained more than 180 suspects on the mainland, with 19 more in Hong Kong and 46 in Taiwan.
        //- draft.md
        Suspects detained outside the mainland:

        | Place | Detained |
        |---|---|
        | Hong Kong | [[19|ok]] |
        | Taiwan | [[64|figure-mismatch]] |
        "#,
    );
}

#[test]
fn code_urls_and_front_matter_are_not_checked() {
    check(
        r#"
        //- sources/a.txt
        Police rescued 382 babies.
        //- draft.md
        ---
        title: 999 babies rescued
        ---
        Police rescued [[382 babies|ok]]. See https://example.org/2014/1094.html and `12 rings`.

        ```
        777 babies
        ```
        "#,
    );
}

#[test]
fn suppression_comments_silence_findings() {
    check(
        r#"
        //- sources/a.txt
        Police rescued 382 babies.
        //- draft.md
        <!-- copydesk-disable-next-line: confirmed by phone with the ministry -->
        Police rescued [[383 babies|suppressed]].

        <!-- copydesk-disable -->
        Police rescued [[384 babies|suppressed]].
        <!-- copydesk-enable -->

        Police rescued [[385 babies|mismatch]].
        "#,
    );
}

#[test]
fn one_is_not_reported_as_unsourced() {
    check(
        r#"
        //- sources/a.txt
        Police rescued 382 babies.
        //- draft.md
        Police rescued [[382 babies|ok]]. One officer described it as one of the largest operations.
        "#,
    );
}

#[test]
fn workspace_rules_teach_new_synonyms() {
    // Without the rule, "bairns" is not a counted thing copydesk knows.
    check(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["sources"]
        [rules]
        paths = ["rules"]
        //- rules/scots.toml
        [[noun]]
        name = "baby"
        terms = ["baby", "infant", "bairn"]
        broader = ["child", "person"]
        //- sources/a.txt
        Police rescued 382 babies in the raids.
        //- draft.md
        Police rescued [[382 bairns|ok]] in the raids.
        "#,
    );
}

#[test]
fn each_member_of_a_list_has_its_own_subject() {
    // Swapped stakes: each is a mismatch naming its own holder's value, not
    // "backed" by the other holder's equal number.
    let stakes = |draft: &str| {
        format!(
            "//- sources/wire.txt\nNorvane Capital now holds 22.5 pct of Kestrel Mining and Orbis Holdings 18.9 pct, the filing said.\n//- draft.md\n{draft}\n"
        )
    };
    check(&stakes(
        "A filing shows Norvane Capital holds [[18.9 percent|figure-mismatch]] of Kestrel Mining and Orbis Holdings [[22.5 percent|figure-mismatch]].",
    ));
    check(&stakes(
        "A filing shows Norvane Capital holds [[22.5 percent|ok]] of Kestrel Mining and Orbis Holdings [[18.9 percent|ok]].",
    ));
    // Places after the figures: the same.
    let floods = |draft: &str| {
        format!(
            "//- sources/wire.txt\nThe floods killed 14 people in Guangxi and 9 in Hunan, officials said.\n//- draft.md\n{draft}\n"
        )
    };
    check(&floods(
        "Officials said the floods killed [[9 people|figure-mismatch]] in Guangxi and [[14|figure-mismatch]] in Hunan.",
    ));
    check(&floods(
        "Officials said the floods killed [[14 people|ok]] in Guangxi and [[9|ok]] in Hunan.",
    ));
}

#[test]
fn a_measure_in_another_unit_that_converts_restates_it() {
    // "three decades" is "30 years"; "30 miles" for "30 kilometres" is the
    // confusion a unit check is for.
    check(
        r#"
        //- sources/a.txt
        The council said the bridge was the first built in the county in three decades.
        The new road runs 30 kilometres along the coast.
        //- draft.md
        The bridge was the first built in the county in [[30 years|ok]], the council said.
        The new road runs [[30 miles|unit-mismatch]] along the coast.
        "#,
    );
}

#[test]
fn a_month_alone_is_not_called_unsourced() {
    // "late February" is when the story moves, not a fact to source; a day
    // of the month is one.
    check(
        r#"
        //- sources/a.txt
        The council approved 40 new homes on the harbour site.
        //- draft.md
        In late [[February|ok]] the council approved [[40 new homes|ok]] on the harbour site, and on [[March 3|unsourced-figure]] it met again.
        "#,
    );
}

#[test]
fn a_word_of_the_story_two_sentences_away_ties_a_figure_to_it() {
    // The source's count stands two sentences after the word it shares with
    // the draft ("ferry"); without any shared word it is another story.
    check(
        r#"
        //- sources/a.txt
        The ferry left the harbour at dawn. Crews said the sea was calm. All 185 passengers were taken off.
        //- sources/b.txt
        The concert hall opened at noon. Tickets sold out within the hour. All 312 passengers of the shuttle buses got off.
        //- draft.md
        The Harwick ferry, which carried [[185 passengers|ok]], docked safely. The Harwick ferry, which carried [[312 passengers|unsourced-figure]], docked safely.
        "#,
    );
}

#[test]
fn a_capitalised_opener_the_source_writes_in_lower_case_is_no_name() {
    // "Inactivity" opens the source's sentence, but the source also writes
    // "inactivity" in lower case: no name, so no other story than the draft's.
    check(
        r#"
        //- sources/bulletin.md
        The economic inactivity rate was 21.4%.

        Inactivity because of long-term sickness was estimated at 2.80 million people.
        //- draft.md
        Long-term sickness kept [[2.8 million people|ok]] out of the labour market.
        "#,
    );
}

#[test]
fn a_common_word_that_opens_the_draft_sentence_is_no_name_to_hold_the_source_to() {
    // "Cyclists" opens the draft's sentence, capitalised; the source names a
    // speaker and writes "cyclists" in lower case: the same story.
    check(
        r#"
        //- sources/a.txt
        Anna Berg said the department recorded 4,380 serious injuries to cyclists last year.
        //- draft.md
        Cyclists suffered [[4,380 serious injuries|ok]] last year.
        "#,
    );
}

#[test]
fn a_rate_per_another_period_is_a_unit_mismatch() {
    check(
        r#"
        //- sources/speech.txt
        Workers who are laid off can get a voucher worth $2,600 a year for up to two years.
        Tomorrow, like every day, 3,000 children will start smoking.
        The minimum wage is $4.25 an hour.
        //- sources/later.txt
        The plan turns training programmes into a voucher worth $2,600 for laid-off workers.
        //- draft.md
        Laid-off workers can get a voucher worth [[$2,600 a month|unit-mismatch]] for training.

        Some [[3,000 children a week|unit-mismatch]] start smoking.

        The minimum wage is [[$4.25 an hour|ok]].
        "#,
    );
}

#[test]
fn a_wire_datelines_date_is_no_figure_of_the_story() {
    check(
        r#"
        //- sources/release.md
        The offer is a premium of 31 per cent to the closing price of 314 pence on 27 February.
        //- sources/wire.txt
        LONDON, March 2 (Reuters) - Halvard Group bid 412 pence a share for Brennic Foods on Monday.
        //- draft.md
        The offer was a premium to the closing price of 314 pence on [[27 February|ok]].

        Halvard bid 412 pence a share on [[March 3|unsourced-figure]].
        "#,
    );
    // Under the headline of a Markdown wire, the dateline opens the first
    // paragraph: "Nov 12" is no rival of the period's end.
    check(
        r#"
        //- sources/wire.md
        ---
        date: 2025-11-12
        ---
        # Halden Foods first-half profit beats forecasts

        LONDON, Nov 12 - British food maker Halden Foods reported a 9 pct rise in first-half adjusted operating profit to 318 mln stg on Wednesday.
        //- sources/release.md
        ---
        date: 2025-11-12
        ---
        Halden Foods reported adjusted operating profit of 318 million pounds for the six months to 30 September 2025.
        //- draft.md
        Adjusted operating profit rose 9 percent to 318 million pounds in the six months to [[30 September|ok]].
        "#,
    );
}

#[test]
fn a_rate_the_sources_state_without_a_period_is_backed() {
    check(
        r#"
        //- sources/later.txt
        The plan turns training programmes into a voucher worth $2,600 for laid-off workers.
        //- draft.md
        Laid-off workers can get a voucher worth [[$2,600 a year|ok]] for training.
        "#,
    );
}

#[test]
fn a_reporting_period_is_part_of_the_fact() {
    check(
        r#"
        //- sources/release.txt
        Halden Foods said its full-year operating profit was £640 million.
        Its third-quarter revenue rose to £1.2 billion.
        //- draft.md
        Halden Foods said its first-half operating profit was [[£318 million|unsourced-figure]].

        Halden Foods said its full-year operating profit was [[£460 million|figure-mismatch]].

        Third-quarter revenue rose to [[£1.2 billion|ok]].
        "#,
    );
}
