//! Extraction tables: one line per input, the figures it yields.

use super::tests_support::describe;
use super::*;
use crate::rules::Rules;

/// Renders every figure in `text` as `span | dim value bound noun`.
pub(crate) fn render(rules: &Rules, text: &str) -> Vec<String> {
    let mut an = Analyzer::new(rules);
    let mut out = Vec::new();
    for s in an.analyze(text) {
        for f in &s.figures {
            out.push(describe(rules, text, f));
        }
    }
    out
}

#[track_caller]
fn check(text: &str, expected: &[&str]) {
    let rules = Rules::builtin();
    let got = render(&rules, text);
    assert_eq!(got, expected, "\ninput: {text}");
}

#[test]
fn digits_separators_and_scales() {
    check(
        "A total of 1,094 suspects were arrested.",
        &["A total of 1,094 suspects | count 1094 [suspect]"],
    );
    check(
        "as many as 1.2 million children",
        &["as many as 1.2 million children | count 1200000 atmost [child]"],
    );
    check(
        "4 trillion bytes of data",
        &["4 trillion bytes | measure:byte 4000000000000"],
    );
    check(
        "nearly 6000 children had been freed",
        &["nearly 6000 children | count 6000 nearly [child]"],
    );
}

#[test]
fn number_words() {
    check("Four websites were shut down.", &["Four websites | count 4 [website]"]);
    check(
        "more than a thousand people",
        &["more than a thousand people | count 1000 over [person]"],
    );
    check(
        "twenty-five homes and three hundred and twelve cars",
        &[
            "twenty-five homes | count 25 [home]",
            "three hundred and twelve cars | count 312 [vehicle]",
        ],
    );
    check("two dozen boats", &["two dozen boats | count 24 [vessel]"]);
    check(
        "Fourteen homes have been destroyed",
        &["Fourteen homes | count 14 [home]"],
    );
    check(
        "half a million people",
        &["half a million people | count 500000 [person]"],
    );
}

#[test]
fn a_plural_looking_modifier_before_a_known_noun() {
    check(
        "2,310 mathematics teachers",
        &["2,310 mathematics teachers | count 2310 [official]"],
    );
    // A known plural noun ends the phrase: "police" is the next clause's subject.
    check("12 victims police found", &["12 victims | count 12 [victim]"]);
}

#[test]
fn vague_quantities() {
    check(
        "Hundreds of people fled",
        &["Hundreds of people | count 200..999 vague [person]"],
    );
    check(
        "tens of thousands of homes",
        &["tens of thousands of homes | count 20000..99999 vague [home]"],
    );
}

#[test]
fn one_is_weak_and_not_a_pronoun() {
    check("one of them left; no one knew", &[]);
    check("one man was arrested", &["one man | count 1 [person] weak"]);
}

#[test]
fn qualifiers_become_bounds() {
    check(
        "more than 1000 people",
        &["more than 1000 people | count 1000 over [person]"],
    );
    check("some 30 groups", &["some 30 groups | count 30 about [group]"]);
    check(
        "up to two years in prison",
        &["up to two years | measure:year 2 atmost"],
    );
    check("1,000+ Arrested", &["1,000+ | count 1000 over"]);
    check(
        "at least 30 people",
        &["at least 30 people | count 30 atleast [person]"],
    );
    check(
        "an estimated 80 million microblog users",
        &["an estimated 80 million microblog users | count 80000000 about [member]"],
    );
}

#[test]
fn money() {
    check(
        "They paid 20,000 yuan (US$3,250) for the child.",
        &["20,000 yuan | money:CNY 20000", "US$3,250 | money:USD 3250"],
    );
    check("for up to £2,200", &["up to £2,200 | money:GBP 2200 atmost"]);
    check(
        "made 80,000 yuan ($13,000)",
        &["80,000 yuan | money:CNY 80000", "$13,000 | money:dollar 13000"],
    );
    check(
        "about $195 million in entitlements",
        &["about $195 million | money:dollar 195000000 about"],
    );
    check("claims of $70m", &["$70m | money:dollar 70000000"]);
    check("RMB 5,000 each", &["RMB 5,000 | money:CNY 5000"]);
}

#[test]
fn percentages() {
    check(
        "90 per cent of the workforce voted",
        &["90 per cent | measure:percent 90 [worker]"],
    );
    check(
        "over 90 per cent market share",
        &["over 90 per cent | measure:percent 90 over"],
    );
    check("a 5% chance", &["5% | measure:percent 5"]);
}

#[test]
fn a_change_by_a_size_to_a_level_is_no_range() {
    check("Arrivals rose by 30 to 150.", &["30 | count 30", "150 | count 150"]);
    check(
        "The jobless rate rose by 0.2 to 5.4 per cent.",
        &["0.2 | count 0.2", "5.4 per cent | measure:percent 5.4"],
    );
    // Without the size word it is a range.
    check(
        "Arrivals of 30 to 150 a day.",
        &["30 to 150 a day | count 30..150 per day"],
    );
}

#[test]
fn ranges() {
    check(
        "as high as 10,000 to 20,000 children per year",
        &["as high as 10,000 to 20,000 children per year | count 10000..20000 atmost [child] per year"],
    );
    check(
        "Between 4,000 and 5,000 firefighters",
        &["Between 4,000 and 5,000 firefighters | count 4000..5000 [firefighter]"],
    );
    check(
        "a proposed 12 to 18-month wage freeze",
        &["12 to 18-month wage freeze | measure:month 12..18 [?]"],
    );
    check(
        "cut the limit from 110 kilometres an hour to 80",
        &[
            "110 kilometres an hour | measure:km-per-hour 110",
            "80 | measure:km-per-hour 80",
        ],
    );
    // A revision's earlier value takes the newer one's unit, in either order.
    check(
        "the search area was widened to 60 square kilometres from 25",
        &[
            "60 square kilometres | measure:square-kilometre 60",
            "25 | measure:square-kilometre 25",
        ],
    );
    check(
        "a search area of 60 square kilometres, up from 25",
        &[
            "60 square kilometres | measure:square-kilometre 60 [region^]",
            "25 | measure:square-kilometre 25",
        ],
    );
    // A bare number in other company keeps its own kind.
    check(
        "60 square kilometres of forest for 25 years",
        &[
            "60 square kilometres | measure:square-kilometre 60",
            "25 years | measure:year 25",
        ],
    );
    check(
        "burned 60 square kilometres, and from 25 homes",
        &[
            "60 square kilometres | measure:square-kilometre 60",
            "25 homes | count 25 [home]",
        ],
    );
}

#[test]
fn ages() {
    check("Liu, 32, allegedly ran the website", &["32 | age 32"]);
    check("The doctor, 55, was given a death sentence", &["55 | age 55"]);
    check(
        "the case of 55-year-old Zhang Shuxia",
        &["55-year-old Zhang Shuxia | age 55 [?]"],
    );
    check("a couple in their 30s told CCTV", &["30s | age 30..39"]);
    check("snatched at three years old", &["three years old | age 3"]);
    check("when he was three, he was taken", &["three | age 3"]);
    check("a man aged 45 died", &["45 | age 45"]);
    check("a six-year-old boy", &["six-year-old boy | age 6 [boy]"]);
    // The plural noun is an age too, not a duration.
    check("all our 8-year-olds can read", &["8-year-olds | age 8"]);
    check("for 8 years olds were barred", &["8 years olds | measure:year 8 [?]"]);
    // An age bracket; a bound on anything else is no age.
    check("residents were 65 or older", &["65 | age 65"]);
    check("children 16 and younger ride free", &["16 | age 16"]);
    check(
        "orders of 65 or more units",
        &["65 or more units | count 65 atleast [?]"],
    );
}

#[test]
fn durations_and_measures() {
    check(
        "The sting was part of a six-month operation",
        &["six-month operation | measure:month 6 [?]"],
    );
    check(
        "a death sentence suspended for two years",
        &["two years | measure:year 2"],
    );
    check(
        "a 25 kilometre fire front",
        &["25 kilometre fire front | measure:kilometre 25 [fire]"],
    );
    check(
        "a 200-metre-long path through",
        &["200-metre-long path | measure:metre 200 [path]"],
    );
    check(
        "more than 800 hectares",
        &["more than 800 hectares | measure:hectare 800 over"],
    );
    check(
        "more than 800 square kilometres",
        &["more than 800 square kilometres | measure:square-kilometre 800 over"],
    );
    // The measured thing can stand before "of".
    check(
        "winds of 80 kilometres an hour",
        &["80 kilometres an hour | measure:km-per-hour 80 [?]"],
    );
}

#[test]
fn dates_and_times() {
    check(
        "The crackdown on February 19 was launched",
        &["February 19 | date ?-2-19"],
    );
    check(
        "After a crackdown by police in April 2009, nearly 6000",
        &["April 2009 | date 2009-4-?", "nearly 6000 | count 6000 nearly"],
    );
    check(
        "5,900 children were taken in 2010.",
        &["5,900 children | count 5900 [child]", "2010 | date 2010-?-?"],
    );
    check("On 19 February 2014 police", &["19 February 2014 | date 2014-2-19"]);
    check("At about 4:00pm AEDT", &["4:00pm | time 960"]);
    check("2000 people were there", &["2000 people | count 2000 [person]"]);
    check("launched in April, it", &["April | date ?-4-?"]);
}

#[test]
fn a_year_that_modifies_a_noun_is_a_date() {
    check("he credited the 1993 vote", &["1993 | date 1993-?-?"]);
    check("His 1997 goals were set.", &["1997 | date 1997-?-?"]);
    check("A 1994 law set it.", &["1994 | date 1994-?-?"]);
    check("by 2000 crime had fallen", &["2000 | date 2000-?-?"]);
    // Counts: a plural that names people, or a plural after a preposition.
    check("The 2000 people who marched", &["2000 people | count 2000 [person]"]);
    check("in 1500 homes the power failed", &["1500 homes | count 1500 [home]"]);
    check("the 1,993 votes were counted", &["1,993 votes | count 1993 [vote]"]);
}

#[test]
fn a_financial_year_or_season_is_one_date() {
    check(
        "growth of 1.75 per cent in 2023-24, up from 1.5 per cent",
        &[
            "1.75 per cent | measure:percent 1.75 [?]",
            "2023-24 | date 2023-?-?",
            "1.5 per cent | measure:percent 1.5",
        ],
    );
    check("the 1999-2000 season", &["1999-2000 | date 1999-?-?"]);
    check(
        "in 2023/24 and 2001–02",
        &["2023/24 | date 2023-?-?", "2001–02 | date 2001-?-?"],
    );
    // Not the next year: a range of years, two figures; an ISO date stays one.
    check("between 2010-2015", &["2010 | date 2010-?-?", "2015 | date 2015-?-?"]);
    check("on 2013-10-23", &["2013-10-23 | date 2013-10-23"]);
}

#[test]
fn cricket_scores_are_one_figure() {
    check(
        "The tourists slumped to 9 for 233 before lunch.",
        &["9 for 233 | score 9..233"],
    );
    check(
        "Hale took 5 for 48 as Wessex bowled Mercia out.",
        &["5 for 48 | score 5..48"],
    );
}

#[test]
fn a_score_needs_bare_runs() {
    // A unit, a currency or a counted noun after the second number makes it a
    // measure of its own, not wickets for runs.
    check(
        "The road was shut 5 for 48 hours.",
        &["5 | count 5", "48 hours | measure:hour 48"],
    );
    check("They sold 2 for $10 each.", &["2 | count 2", "$10 | money:dollar 10"]);
    check(
        "They booked 4 for 20 people.",
        &["4 | count 4", "20 people | count 20 [person]"],
    );
}

#[test]
fn pence_are_a_currency() {
    check(
        "a dividend of 7.5p a share",
        &["7.5p a share | money:penny 7.5 per base of dividend"],
    );
    check("shares rose to 1,284 pence", &["1,284 pence | money:penny 1284"]);
    // Not a spaced "p": a table's games-played column.
    check("Rovers, 28 P, top of the table", &["28 P | count 28 [?]"]);
}

#[test]
fn fractions_and_ordinals() {
    check(
        "fires ring two-thirds of greater Sydney",
        &["two-thirds | fraction 0.667 [?]"],
    );
    check("on the third day of the siege", &["third day | ordinal 3 [?]"]);
    check("for the first time", &[]);
    // A fraction after an article stands alone before a function word or
    // the end; before a noun it ranks ("a third party").
    check(
        "The treaty cuts stockpiles by another third.",
        &["another third | fraction 0.333"],
    );
    check(
        "Sales fell by a quarter in March.",
        &["a quarter | fraction 0.25", "March | date ?-3-?"],
    );
    check("The deficit was cut in half.", &["half | fraction 0.5"]);
    check("A third party paid, and a quarter century passed.", &[]);
    check("It took half an hour.", &[]);
    check("It paid $300,000 a quarter.", &["$300,000 | money:dollar 300000"]);
    // A fraction of a scale word is an amount.
    check(
        "We cut over a quarter of a trillion dollars in spending.",
        &["over a quarter of a trillion dollars | money:dollar 250000000000 over of spending"],
    );
}

#[test]
fn nouns_and_their_classes() {
    check("seven newborn babies", &["seven newborn babies | count 7 [baby]"]);
    check(
        "1,094 people suspected of buying",
        &["1,094 people | count 1094 [person]"],
    );
    check(
        "four baby-smuggling rings",
        &["four baby-smuggling rings | count 4 [ring]"],
    );
    check(
        "more than 3,000 maintenance workers earlier voted",
        &["more than 3,000 maintenance workers | count 3000 over [worker]"],
    );
    check("three 15-year-old boys", &["three 15-year-old boys | count 3 [boy]"]);
    check("27 provinces across China", &["27 provinces | count 27 [province]"]);
    // An irregular plural ends the phrase, unless a plural head follows it.
    check(
        "It gave 25,000 young people college money.",
        &["25,000 young people | count 25000 [person]"],
    );
    check(
        "30 women police officers",
        &["30 women police officers | count 30 [officer]"],
    );
    // "Police" counts officers (AP: a plural noun); as a modifier it does not.
    check(
        "up to 50,000 more police on the street",
        &["up to 50,000 more police | count 50000 atmost [officer]"],
    );
    check("12 police stations closed", &["12 police stations | count 12 [?]"]);
    check(
        "about 60 fire units in and around",
        &["about 60 fire units | count 60 about [fire-unit]"],
    );
    // Election copy: the electorate, those elected, the areas that elect them.
    check(
        "27 councillors from 17 wards",
        &[
            "27 councillors | count 27 [representative]",
            "17 wards | count 17 [constituency]",
        ],
    );
    check(
        "an electorate of 212,640 voters",
        &["212,640 voters | count 212640 [voter]"],
    );
}

#[test]
fn the_subject_of_a_forecast_is_not_what_the_number_counts() {
    check(
        "Profit fell to 418 million crowns, short of the 440 million analysts had expected.",
        &[
            "418 million crowns | money:crown 418000000 of profit",
            "440 million | money:crown 440000000 of profit",
        ],
    );
    // The verb has its object, or is no forecast: the noun is counted.
    check("Three analysts expected a rise.", &["Three analysts | count 3 [?]"]);
    check("Forty people had died.", &["Forty people | count 40 [person]"]);
}

#[test]
fn a_span_with_its_noun_left_out_takes_the_earlier_measure() {
    check(
        "In the last 4 years we cleaned up 250 sites, as many as in the previous 12.",
        &[
            "4 years | measure:year 4",
            "250 sites | count 250 [?]",
            "12 | measure:year 12",
        ],
    );
    // Without a span word the bare number keeps its count.
    check(
        "In 4 years we cleaned up 250 sites, and 12 more.",
        &[
            "4 years | measure:year 4",
            "250 sites | count 250 [?]",
            "12 | count 12 [?]",
        ],
    );
    // Nor does it take a measure written another way: it counts what it did.
    check(
        "Police held 40 people over 5 days, and the first 3 were freed.",
        &[
            "40 people | count 40 [person]",
            "5 days | measure:day 5",
            "3 | count 3 [person^]",
        ],
    );
}

#[test]
fn a_count_can_be_named_before_it() {
    check(
        "groups put the number of children taken each year at 10,000 to 20,000.",
        &["10,000 to 20,000 | count 10000..20000 [child^] per year"],
    );
}

#[test]
fn acronyms_are_not_stopwords() {
    check(
        "three US soldiers were killed",
        &["three US soldiers | count 3 [soldier]"],
    );
}

#[test]
fn nouns_are_inherited_within_a_sentence() {
    check(
        "police detained 180 suspects in 30 provinces, with 19 more in Hong Kong and 46 in Taiwan.",
        &[
            "180 suspects | count 180 [suspect]",
            "30 provinces | count 30 [province]",
            "19 | count 19 [suspect^]",
            "46 | count 46 [suspect^]",
        ],
    );
    // A change's later value counts what its earlier one counts; a place
    // phrase's number lends no noun.
    check(
        "The party fell from 17 seats to 11.",
        &["17 seats | count 17 [seat]", "11 | count 11 [seat^]"],
    );
    check(
        "Buses came from 30 provinces to 11 hospitals.",
        &[
            "30 provinces | count 30 [province]",
            "11 hospitals | count 11 [hospital]",
        ],
    );
    check(
        "Visitors from 30 provinces saw 11.",
        &["30 provinces | count 30 [province]", "11 | count 11"],
    );
}

#[test]
fn a_part_counts_what_its_whole_counts() {
    // "27 of the 51 seats", "12 of its 17 wards": the part takes the whole's noun.
    check(
        "Labour won 27 of the 51 seats.",
        &["27 | count 27 [seat^]", "51 seats | count 51 [seat]"],
    );
    check(
        "results came in 12 of its 17 provinces",
        &["12 | count 12 [province^]", "17 provinces | count 17 [province]"],
    );
    check("27 of the suspects were freed", &["27 | count 27 [suspect^]"]);
    // An ordinal after "of the" names no whole.
    check(
        "3 of the 4th battalion were hurt",
        &["3 | count 3", "4th battalion | ordinal 4 [?]"],
    );
}

#[test]
fn wire_style_scales_currencies_and_percentages() {
    check("It paid 2.1 mln dlrs.", &["2.1 mln dlrs | money:dollar 2100000"]);
    check("a stake of 22.5 pct", &["22.5 pct | measure:percent 22.5 [?]"]);
    check(
        "revenue of 1.5 bln yen",
        &["1.5 bln yen | money:JPY 1500000000 of revenue"],
    );
    check("sales of 40 mln stg", &["40 mln stg | money:GBP 40000000 of revenue"]);
    check(
        "earned 15 cts a share",
        &["15 cts a share | money:cent 15 per base of profit"],
    );
    check("It paid 12 mln U.S. dlrs.", &["12 mln U.S. dlrs | money:USD 12000000"]);
    check("for 3 mln Canadian dlrs", &["3 mln Canadian dlrs | money:CAD 3000000"]);
    // The words alone are no figure.
    check("the pct change in mln dlrs", &[]);
}

#[test]
fn stacked_qualifiers_keep_the_outer_side() {
    check(
        "falls of less than about five millimetres",
        &["less than about five millimetres | measure:millimetre 5 under [?]"],
    );
    check("about 40 pct", &["about 40 pct | measure:percent 40 about"]);
}

/// The year each figure of `text` is about, in order.
fn times(text: &str) -> Vec<(String, Option<i32>)> {
    times_with(text, None)
}

/// The same, in a text written in `year`.
fn times_in(text: &str, year: i32) -> Vec<(String, Option<i32>)> {
    times_with(text, Some(year))
}

fn times_with(text: &str, year: Option<i32>) -> Vec<(String, Option<i32>)> {
    let rules = Rules::builtin();
    let mut an = Analyzer::new(&rules);
    an.set_text_year(year);
    let mut out = Vec::new();
    for s in an.analyze(text) {
        for f in s.figures.iter().filter(|f| f.dim != Dim::Date) {
            out.push((text[f.span.start as usize..f.span.end as usize].to_string(), f.time));
        }
    }
    out
}

#[test]
fn figures_take_the_year_of_their_clause() {
    let t = times("Profit was 232,000 dlrs in 1986, up from revenues of 5.9 mln and profits of 204,000 dlrs in 1985.");
    assert_eq!(
        t,
        [
            ("232,000 dlrs".to_string(), Some(1986)),
            ("5.9 mln".to_string(), Some(1985)),
            ("204,000 dlrs".to_string(), Some(1985)),
        ]
    );
    // A year before the figures dates them.
    let t = times("Ionic had 1986 revenue of $8.4 million and a pretax profit of $204,000.");
    assert_eq!(t[0].1, Some(1986));
    assert_eq!(t[1].1, Some(1986));
    // "last year" is the figure's time: not the 1992 of the other clause.
    let t = times("From a deficit of $290 billion in 1992, we had a surplus of $70 billion last year.");
    assert_eq!(
        t,
        [
            ("$290 billion".to_string(), Some(1992)),
            ("$70 billion".to_string(), None)
        ]
    );
    // "the following year" counts from the year the sentence named, in a
    // draft as in a dated source; "last year" in a draft has no year to
    // count from.
    let t = times("In 1994 experts predicted a deficit of $300 billion for the following year.");
    assert_eq!(t, [("$300 billion".to_string(), Some(1995))]);
    let t = times("In 1994 experts predicted a deficit of $300 billion for last year.");
    assert_eq!(t, [("$300 billion".to_string(), None)]);
    assert_eq!(
        times_in("Sales were 8.4 mln in 1985 against 6.1 mln a year earlier.", 1987)[1].1,
        Some(1984)
    );
    // With no year named, an anaphoric year counts from the text's date.
    assert_eq!(
        times_in("Sales rose to 8.4 mln from 6.1 mln a year earlier.", 1987)[1].1,
        Some(1986)
    );
    // A year after the figure dates it through a dating preposition; after
    // another function word it bounds a state ("solvent past 2025").
    assert_eq!(times("Net debt will reach about 7 billion by 2028.")[0].1, Some(2028));
    assert_eq!(times("It earned $300,000 in the year 2000.")[0].1, Some(2000));
    assert_eq!(
        times("It set aside $400 billion to keep Medicare solvent past 2025.")[0].1,
        None
    );
    // An opening subordinate clause ends at its first comma: the main
    // clause's year is not its figures' time, there or after a colon.
    let t = times("Listen: if we set aside 60 percent for pensions, the debt will be the lowest since 1917.");
    assert_eq!(t, [("60 percent".to_string(), None)]);
    let t = times("Officials set aside 60 percent, or $4 billion, in 1998.");
    assert_eq!(t[0], ("60 percent".to_string(), Some(1998)));
    // A compared value after "against" or "versus" has its own year; the
    // figure before it keeps the year of its own clause, or none.
    let t = times("Turnout was about 57 percent, against 52.1 percent in 2022.");
    assert_eq!(
        t,
        [
            ("about 57 percent".to_string(), None),
            ("52.1 percent".to_string(), Some(2022))
        ]
    );
    let t = times("Turnout was 58 percent in 2026, versus 52.1 percent in 2022.");
    assert_eq!(t[0], ("58 percent".to_string(), Some(2026)));
    let t = times("Turnout was about 57 percent, up from 52.1 percent, in 2022.");
    assert_eq!(t[0], ("about 57 percent".to_string(), Some(2022)));
    // "since" opens a span from a year: the figures around it are of now.
    let t = times("Turnout was 58.4 percent, the highest since 2006.");
    assert_eq!(t, [("58.4 percent".to_string(), None)]);
    let t = times("Deaths fell by 22 per cent since 2010, to 1,864.");
    assert!(t.iter().all(|(_, y)| y.is_none()), "{t:?}");
    assert_eq!(times("Deaths fell to 1,864 in 2010.")[0].1, Some(2010));
    // The year of a comparison's baseline is not the figures' time.
    let t = times("Labour won 27 of the 51 seats, three more than in 2022.");
    assert!(t.iter().all(|(_, y)| y.is_none()), "{t:?}");
    let t = times("Turnout was higher than at the 2022 election, at 58 percent.");
    assert_eq!(t[0].1, None);
    assert_eq!(times("Labour won 27 of the 51 seats in 2022.")[0].1, Some(2022));
    // No year in the sentence: no time.
    assert_eq!(times("It employs 340 people.")[0].1, None);
    // Fiscal years are years.
    assert_eq!(times("It earned $300,000 in fiscal 1986.")[0].1, Some(1986));
}

/// Each figure of `text` (by its text) with its subject.
fn subjects(text: &str) -> Vec<(String, Words)> {
    let rules = Rules::builtin();
    let mut an = Analyzer::new(&rules);
    let mut out = Vec::new();
    for s in an.analyze(text) {
        for f in &s.figures {
            out.push((
                text[f.num_span.start as usize..f.num_span.end as usize].to_string(),
                f.subject,
            ));
        }
    }
    out
}

fn subject_of(list: &[(String, Words)], num: &str) -> Words {
    list.iter()
        .find(|(t, _)| t.split(' ').next() == Some(num))
        .unwrap_or_else(|| panic!("no {num} in {list:?}"))
        .1
}

#[test]
fn figures_in_a_list_take_their_own_subject() {
    // Names before each member; the subject follows the name, not the order.
    let a = subjects("Alpha Corp holds 22.5 pct and Beta Holdings 21.9 pct.");
    let b = subjects("Beta Holdings holds 21.9 pct and Alpha Corp 22.5 pct.");
    for num in ["22.5", "21.9"] {
        assert!(!subject_of(&a, num).is_empty(), "{num}: {a:?}");
        assert_eq!(subject_of(&a, num), subject_of(&b, num), "{num}");
    }
    assert_ne!(subject_of(&a, "22.5"), subject_of(&a, "21.9"));
    // Names after each member, behind a preposition of place.
    let a = subjects("Floods killed 12 people in Hunan and 9 in Hubei.");
    let b = subjects("Floods killed 9 people in Hubei and 12 in Hunan.");
    for num in ["12", "9"] {
        assert!(!subject_of(&a, num).is_empty(), "{num}: {a:?}");
        assert_eq!(subject_of(&a, num), subject_of(&b, num), "{num}");
    }
    assert_ne!(subject_of(&a, "12"), subject_of(&a, "9"));
}

#[test]
fn figures_outside_a_list_have_no_subject() {
    // A lone figure: its clause may name anyone.
    assert!(subjects("Alpha Corp holds 22.5 pct of Beta Holdings.")[0].1.is_empty());
    // A member with no names of its own: no list subjects at all.
    for (_, s) in subjects("Alpha Corp shares rose 5 pct and then 3 pct.") {
        assert!(s.is_empty());
    }
    // Two figures of different kinds are not a list.
    for (_, s) in subjects("Alpha Corp paid $5 million for 20 pct of Beta Holdings.") {
        assert!(s.is_empty());
    }
}

#[test]
fn token_positions_past_u16_do_not_wrap() {
    // One sentence of more than 65,536 tokens, with no sentence end: its
    // windows keep every position in range, so none wraps to an early word.
    let rules = Rules::builtin();
    let mut text = "the committee reviewed the annual report at length ".repeat(9_000);
    text.push_str("and police arrested 43 protesters in Hefei on Friday");
    assert!(crate::text::tokenize(&text).len() > 70_000);
    let sentences = Analyzer::new(&rules).analyze(&text);
    assert!(sentences.len() > 1);
    for s in &sentences {
        let n = crate::text::tokenize(&text[s.span.start as usize..s.span.end as usize]).len();
        assert!(n <= crate::text::WINDOW_HARD);
        assert!(
            s.terms.windows(2).all(|w| w[0].pos <= w[1].pos),
            "positions never run back"
        );
        assert!(s.terms.iter().all(|t| usize::from(t.pos) < n));
    }
    let last = sentences.last().unwrap();
    let fig = last.figures.first().expect("the figure at the end is found");
    assert_eq!(&text[fig.span.start as usize..fig.span.end as usize], "43 protesters");
    assert!(usize::from(fig.toks.end) <= crate::text::tokenize(&text[last.span.start as usize..]).len());
}

#[test]
fn a_header_of_one_unknown_plural_names_its_column() {
    let rules = Rules::builtin();
    let mut an = Analyzer::new(&rules);
    let vacancies = an.outer_context("Vacancies").noun.expect("a noun");
    assert_eq!(vacancies.class, None);
    assert_eq!(
        an.outer_context("Vacancies (posts unfilled on census day)")
            .noun
            .map(|n| n.head),
        Some(vacancies.head)
    );
    // A noun in brackets is no column's noun.
    assert!(an.outer_context("Density (residents per hectare)").noun.is_none());
    assert!(an.outer_context("Residents (thousands)").noun.is_some());
    // A participle, a singular, or two words the rules do not know: no noun.
    assert!(an.outer_context("Killed").noun.is_none());
    assert!(an.outer_context("Density").noun.is_none());
    assert!(an.outer_context("Posts unfilled").noun.is_none());
}

#[test]
fn new_before_a_noun_is_a_premodifier() {
    check("open four new schools", &["four new schools | count 4 [school]"]);
    check("four new", &["four | count 4"]);
}

#[test]
fn a_rates_denominator_is_weak() {
    check(
        "12.3 murders per 100,000 people",
        &[
            "12.3 murders | count 12.3 [?]",
            "100,000 people | count 100000 [person] weak",
        ],
    );
    check("100,000 people fled", &["100,000 people | count 100000 [person]"]);
    // Nor does the denominator lend its noun to the next bare number.
    check(
        "a rate of 704.6 per 100,000 residents, ahead of Ohio at 675.1",
        &[
            "704.6 | count 704.6",
            "100,000 residents | count 100000 [resident] weak",
            "675.1 | count 675.1",
        ],
    );
}

#[test]
fn a_hyphenated_compound_counts_its_own_word() {
    // "228-room hotel" counts rooms, as "228-room property" does.
    let rules = Rules::builtin();
    let head = |text: &str| {
        let mut an = Analyzer::new(&rules);
        an.analyze(text)[0].figures[0].noun.map(|n| n.head)
    };
    assert_eq!(head("the 228-room hotel"), head("the 228-room property"));
    assert_ne!(head("the 228 hotels"), head("the 228 properties"));
}

#[test]
fn a_bare_number_after_a_change_takes_its_subjects_noun() {
    check(
        "The death toll from the capsizing of the ferry rose to 21.",
        &["21 | count 21 [death^]"],
    );
    // No change verb, or the phrase before it is a preposition's object.
    check("The ferry carried 21.", &["21 | count 21"]);
    check("Losses at the bank rose to 21.", &["21 | count 21"]);
    // An aside between the verb and "to".
    check(
        "Deaths rose, the ministry said on Monday, to 616.",
        &["616 | count 616 [death^]"],
    );
    // Commas with no change verb before them.
    check(
        "Deaths in the city, the ministry said, came to 616.",
        &["616 | count 616"],
    );
}

#[test]
fn a_bare_number_after_a_verb_of_level_takes_its_subjects_noun() {
    check(
        "Confirmed cases of cholera in the city reached 260 on Sunday.",
        &["260 | count 260 [case^]"],
    );
    check("Cases stood at 147.", &["147 | count 147 [case^]"]);
    check("Cases rose from 48.", &["48 | count 48 [case^]"]);
    // A participle with a noun term's stem is no subject ("living", "lives").
    check("The number living in tents rose from 6,000.", &["6,000 | count 6000"]);
    check("The death toll rose from 6.", &["6 | count 6 [death^]"]);
    // "at" without a verb of level, and a level verb with no counted subject.
    check("Cases were found at 147.", &["147 | count 147"]);
    check("The storm hit 40 on Sunday.", &["40 | count 40"]);
}

#[test]
fn a_header_abbreviation_reads_as_what_it_stands_for() {
    let rules = Rules::builtin();
    let mut an = Analyzer::new(&rules);
    let goals = an.outer_context("goals against").noun.map(|n| n.class);
    assert!(goals.is_some_and(|c| c.is_some()));
    assert_eq!(an.outer_context("GA").noun.map(|n| n.class), goals);
    // Only as written: another case or a longer header is no abbreviation.
    assert_eq!(an.outer_context("ga").noun, None);
    assert_eq!(an.outer_context("GAX").noun, None);
}

/// Each figure's change slot and earlier-value mark, as `text: change earlier`.
fn changes(text: &str) -> Vec<String> {
    let rules = Rules::builtin();
    let mut an = Analyzer::new(&rules);
    an.analyze(text)
        .iter()
        .flat_map(|s| s.figures.iter())
        .map(|f| {
            let t = &text[f.num_span.start as usize..f.num_span.end as usize];
            format!("{t}: {:?}{}", f.change, if f.earlier { " earlier" } else { "" })
        })
        .collect()
}

#[test]
fn a_change_word_right_before_a_figure_tells_a_change() {
    assert_eq!(changes("Exports fell 13.5 per cent."), ["13.5 per cent: Fall"]);
    assert_eq!(changes("Exports fell by 13.5 per cent."), ["13.5 per cent: Fall"]);
    assert_eq!(changes("Turnout was up 4 per cent."), ["4 per cent: Rise"]);
    // Verbs of an object: the figure they take.
    assert_eq!(changes("The economy added 200,000 jobs."), ["200,000: Rise"]);
    assert_eq!(changes("The firm shed 3,000 jobs."), ["3,000: Fall"]);
    // A level, not a change: "rose to", and a figure with no change word.
    assert_eq!(changes("Arrivals rose to 150."), ["150: Unsaid"]);
    assert_eq!(changes("The town has 150 shops."), ["150: Unsaid"]);
    // "he added" reports speech: the figure after it is no change.
    assert_eq!(changes("\"We have 150 shops,\" he added."), ["150: Unsaid"]);
}

#[test]
fn a_changes_earlier_value_is_marked() {
    assert_eq!(
        changes("The rate rose to 5.4, up from 4.9."),
        ["5.4: Unsaid", "4.9: Unsaid earlier"]
    );
    assert_eq!(
        changes("The share doubled, from 6.3 per cent to 13 per cent."),
        ["6.3 per cent: Unsaid earlier", "13 per cent: Unsaid"]
    );
    // "from" of a place or a source is no earlier value.
    assert_eq!(changes("Athletes came from 40 countries."), ["40: Unsaid"]);
}

#[test]
fn points_are_percentage_points_only_beside_a_percentage() {
    check(
        "The jobless rate rose 2 points to 5.4 per cent.",
        &[
            "2 points | measure:percentage-point 2",
            "5.4 per cent | measure:percent 5.4",
        ],
    );
    check(
        "The rate rose 0.3 percentage points.",
        &["0.3 percentage points | measure:percentage-point 0.3"],
    );
    // Elsewhere points are counted.
    check("Rovers have 62 points.", &["62 points | count 62 [goal]"]);
}

#[test]
fn a_bare_amount_after_money_is_in_its_currency() {
    check(
        "Net debt was 5.6 billion crowns, and analysts expect it to reach about 7 billion.",
        &[
            "5.6 billion crowns | money:crown 5600000000 of debt",
            "about 7 billion | money:crown 7000000000 about of debt",
        ],
    );
    // A count with its noun, and a bare amount after a count, keep theirs.
    check(
        "The fund holds $5 billion and has 3 million members.",
        &[
            "$5 billion | money:dollar 5000000000",
            "3 million members | count 3000000 [member]",
        ],
    );
    check(
        "It has 40 staff and 3 million in the bank.",
        &["40 staff | count 40 [worker]", "3 million | count 3000000 [worker^]"],
    );
}

#[test]
fn crowns_are_a_currency_and_a_country_s_crown_is_one_of_them() {
    check(
        "Revenue was NOK 4.82 billion.",
        &["NOK 4.82 billion | money:NOK 4820000000 of revenue"],
    );
    check(
        "Earnings were 3.12 crowns a share.",
        &["3.12 crowns a share | money:crown 3.12 per base of profit"],
    );
}

#[test]
fn a_rate_has_its_period_or_base() {
    check(
        "vouchers worth $2,600 a year",
        &["$2,600 a year | money:dollar 2600 per year"],
    );
    check(
        "worked for $4.25 an hour",
        &["$4.25 an hour | money:dollar 4.25 per hour"],
    );
    check(
        "3,000 children a week start smoking",
        &["3,000 children a week | count 3000 [child] per week"],
    );
    check(
        "profit of 15 cts a share",
        &["15 cts a share | money:cent 15 per base of profit"],
    );
    check(
        "output of 500 barrels per day",
        &["500 barrels per day | measure:barrel 500 [?] per day"],
    );
    check(
        "a levy of $30 per tonne",
        &["$30 per tonne | money:dollar 30 per tonne"],
    );
    check("fees of $400 paid annually", &["$400 | money:dollar 400"]);
    check("fees of $400 annually", &["$400 annually | money:dollar 400 per year"]);
    // A distributive period anywhere in the sentence.
    check(
        "Every day, 3,000 children start smoking.",
        &["3,000 children | count 3000 [child] per day"],
    );
}

#[test]
fn a_time_ago_or_a_span_is_no_rate() {
    // "a year earlier" dates the figure; it is not its period.
    check(
        "profit of $2.4 million a year earlier",
        &["$2.4 million | money:dollar 2400000 of profit"],
    );
    check(
        "sales of $76 million a week ago",
        &["$76 million | money:dollar 76000000 of revenue"],
    );
    // "every year since 1990" is a span, not a rate.
    check(
        "Every year since 1990, the town has grown to 40,000 people.",
        &["1990 | date 1990-?-?", "40,000 people | count 40000 [person]"],
    );
    // Two distributive periods: no one rate for the sentence.
    check(
        "Every day 300 cars and every week 40 lorries pass.",
        &["300 cars | count 300 [vehicle]", "40 lorries | count 40 [?]"],
    );
    // "per" before a named thing or a number is not a base.
    check(
        "12.3 murders per 100,000 people",
        &[
            "12.3 murders | count 12.3 [?]",
            "100,000 people | count 100000 [person] weak",
        ],
    );
    // Nor is a time ago after a bare number.
    check("He was 45 a year ago.", &["45 | count 45"]);
    // Dates and ranks take no rate.
    check("It opened in 1994 a year after the war.", &["1994 | date 1994-?-?"]);
}

#[test]
fn a_reporting_period_is_a_slot_of_the_figure() {
    check(
        "Halden reported a 9 pct rise in first-half profit to 318 mln stg.",
        &[
            "9 pct | measure:percent 9 in H1",
            "318 mln stg | money:GBP 318000000 in H1 of profit",
        ],
    );
    check(
        "It expects full-year profit of £640 million.",
        &["£640 million | money:GBP 640000000 in FY of profit"],
    );
    // After the figure in its clause.
    check(
        "Profit was 418 million crowns in the third quarter.",
        &[
            "418 million crowns | money:crown 418000000 in Q3 of profit",
            "third quarter | ordinal 3 [?]",
        ],
    );
    // No period phrase: none; an age or a date takes none.
    check(
        "Profit was 418 million crowns.",
        &["418 million crowns | money:crown 418000000 of profit"],
    );
    check(
        "The first-half report, published on 3 March, named Ms Lund, 54.",
        &["3 March | date ?-3-3", "54 | age 54"],
    );
    // A year before the phrase names the period's year, not a count.
    check(
        "Its 1986 first-quarter profit was 5 mln dlrs.",
        &[
            "1986 | date 1986-?-?",
            "5 mln dlrs | money:dollar 5000000 in Q1 of profit",
        ],
    );
    // A count of spans is a duration, not a reporting period.
    check(
        "Mexico repaid the loan three full years early, with a $500 million profit.",
        &[
            "three full years | count 3 [?]",
            "$500 million | money:dollar 500000000",
        ],
    );
}

#[test]
fn an_amount_is_of_the_measure_its_clause_names() {
    // Each amount of a coordination takes the measure before it.
    check(
        "Ionic had revenues of 8.4 mln dlrs and pretax profits of 232,000 dlrs.",
        &[
            "8.4 mln dlrs | money:dollar 8400000 of revenue",
            "232,000 dlrs | money:dollar 232000 of profit",
        ],
    );
    // A measure right after the amount; a later clause keeps the sentence's.
    check(
        "It booked $5 million in sales.",
        &["$5 million | money:dollar 5000000 of revenue"],
    );
    check(
        "Net profit fell to 418 mln crowns, missing the 440 mln expected.",
        &[
            "418 mln crowns | money:crown 418000000 of profit",
            "440 mln | money:crown 440000000 of profit",
        ],
    );
    // No measure word: none ("costs" is no measure: often another clause's subject).
    check(
        "The council paid $5 million for the site as costs rose.",
        &["$5 million | money:dollar 5000000"],
    );
}
