//! Facts over time: `figure-outdated` and the histories of dated sources,
//! each with its quiet cases (the draft against itself is `draft_itself`).

use crate::support::{check, findings};

const PORT_OLD: &str = "---\nkey: port-may2\ndate: 2011-05-02\n---\nThe port authority said 398 ships were waiting outside the harbour because of the dock strike.\n";
const PORT_NEW: &str = "Queue grows at the port\nROTTERDAM, May 4, 2011 (Reuters) - The port authority said 412 ships were waiting outside the harbour as the dock strike went on.\n";

fn port(draft: &str) -> String {
    format!("//- sources/old.md\n{PORT_OLD}//- sources/wire.txt\n{PORT_NEW}//- draft.md\n{draft}\n")
}

#[test]
fn an_older_value_is_outdated() {
    check(&port(
        "The port authority said [[398 ships|figure-outdated]] were waiting outside the harbour because of the dock strike.",
    ));
}

#[test]
fn the_newest_value_is_quiet() {
    check(&port(
        "The port authority said [[412 ships|ok]] were waiting outside the harbour because of the dock strike.",
    ));
}

#[test]
fn the_outdated_message_names_the_newest_source_and_offers_its_value() {
    let sources = format!("//- sources/old.md\n{PORT_OLD}//- sources/wire.txt\n{PORT_NEW}");
    let found = findings(
        &sources,
        "The port authority said 398 ships were waiting outside the harbour because of the dock strike.\n",
    );
    let f = found
        .iter()
        .find(|f| f.code == copydesk::check::Code::FigureOutdated)
        .expect("outdated");
    assert!(
        f.message.contains("wire, May 4, 2011") && f.message.contains("412 ships"),
        "{}",
        f.message
    );
    assert!(f.message.contains("2011-05-02"), "{}", f.message);
    assert_eq!(f.replacement.as_deref(), Some("412 ships"));
    assert_eq!(f.passages[0].key, "wire");
}

/// The newest source gives both counts, the old one as superseded.
const CRASH_NEW: &str = "Toll rises after the crash\nMADRID, July 26, 2013 (Reuters) - The death toll from the train crash rose to 80 from 77 overnight, the regional government said.\n";
const CRASH_OLD: &str = "---\nkey: crash-day1\ndate: 2013-07-25\n---\nThe regional government said 77 people had died in the train crash.\n";

#[test]
fn a_value_the_newest_source_gives_as_superseded_is_outdated() {
    check(&format!(
        "//- sources/old.md\n{CRASH_OLD}//- sources/wire.txt\n{CRASH_NEW}//- draft.md\nThe regional government said [[77 people|figure-outdated]] had died in the train crash.\n"
    ));
}

#[test]
fn a_revision_in_a_lone_source_outdates_the_earlier_value_and_names_the_newer() {
    let found = findings(
        &format!("//- sources/wire.txt\n{CRASH_NEW}"),
        "The regional government said 77 people had died in the train crash.\n",
    );
    let f = found
        .iter()
        .find(|f| f.code == copydesk::check::Code::FigureOutdated)
        .unwrap_or_else(|| panic!("outdated: {found:?}"));
    assert!(
        f.message.contains("80") && f.message.contains("July 26, 2013"),
        "{}",
        f.message
    );
    assert_eq!(f.replacement.as_deref(), Some("80 people"));
}

#[test]
fn the_newer_value_of_a_revision_is_quiet() {
    check(&format!(
        "//- sources/old.md\n{CRASH_OLD}//- sources/wire.txt\n{CRASH_NEW}//- draft.md\nThe regional government said [[80 people|ok]] had died in the train crash.\n"
    ));
}

#[test]
fn a_draft_that_states_the_revision_itself_is_quiet() {
    check(&format!(
        "//- sources/wire.txt\n{CRASH_NEW}//- draft.md\nThe death toll from the train crash rose to [[80|ok]] from [[77|ok]] overnight, the regional government said.\n"
    ));
}

/// A first count, and a later statement that revises it in other words.
const PIT_OLD: &str = "---\nkey: pit-mar4\ndate: 2019-03-04\n---\nRescuers had pulled 31 miners from the collapsed tunnel at the Tarnow colliery by midnight.\n\nThe company said 40 men were underground when the roof fell.\n";
const PIT_NEW: &str = "---\nkey: pit-mar6\ndate: 2019-03-06\n---\nThe mining company said 34 men had survived, revised from 31 after three walked out through an old shaft.\n\nThe Tarnow colliery will stay closed until the inquiry ends.\n";

#[test]
fn a_later_source_that_revises_the_backed_value_in_other_words_outdates_it() {
    let sources = format!("//- sources/old.md\n{PIT_OLD}//- sources/new.md\n{PIT_NEW}");
    let found = findings(&sources, "Rescue crews pulled 31 miners from the tunnel.\n");
    let f = found
        .iter()
        .find(|f| f.code == copydesk::check::Code::FigureOutdated)
        .unwrap_or_else(|| panic!("outdated: {found:#?}"));
    assert!(
        f.message.contains("pit-mar6") && f.message.contains("34 men"),
        "{}",
        f.message
    );
    assert_eq!(f.passages[0].key, "pit-mar6");
    assert!(f.passages.iter().any(|p| p.key == "pit-mar4"), "{:?}", f.passages);
}

#[test]
fn in_a_one_story_corpus_the_drafts_heading_names_the_story() {
    // "Tarnow" is in every sentence, so no rarer than "the": only the
    // draft's heading says the revising source is of its story.
    let sources = "//- sources/old.md\n---\ndate: 2019-03-04\n---\nRescuers had pulled 31 miners from the collapsed tunnel at the Tarnow colliery by midnight.\n\nThe Tarnow company said 40 men were underground.\n\
         //- sources/new.md\n---\ndate: 2019-03-06\n---\nThe Tarnow mining company said 34 men had survived, revised from 31 after three walked out through an old shaft.\n\nThe Tarnow colliery will stay closed.\n";
    check(&format!(
        "{sources}//- draft.md\n# The Tarnow colliery collapse\n\nRescue crews pulled [[31 miners|figure-outdated]] from the tunnel.\n"
    ));
    check(&format!(
        "{sources}//- draft.md\nRescue crews pulled [[31 miners|ok]] from the tunnel.\n"
    ));
}

#[test]
fn a_revision_in_another_story_or_of_another_subject_or_earlier_outdates_nothing() {
    // No name ties the revising source to the story of the one backing the draft.
    let other_story = PIT_NEW.replace("The Tarnow colliery", "The pit");
    check(&format!(
        "//- sources/old.md\n{PIT_OLD}//- sources/new.md\n{other_story}//- draft.md\nRescue crews pulled [[31 miners|ok]] from the tunnel.\n"
    ));
    // The revision names another subject than the backing sentence does.
    check(
        "//- sources/a.md\n---\ndate: 2023-05-09\n---\nSpending on the Kestrel Bridge will grow to $50 million over four years.\n\nThe Harwick council approved the plan.\n\
         //- sources/b.md\n---\ndate: 2023-12-13\n---\nSpending on the Orwell Tunnel will rise to $56 million from $50 million.\n\nThe Harwick council approved the change.\n\
         //- draft.md\nSpending on the Kestrel Bridge will reach [[$50 million|ok]] over four years.\n",
    );
    // The revising source is older than the one backing the draft.
    let older = PIT_NEW.replace("2019-03-06", "2019-03-02");
    check(&format!(
        "//- sources/old.md\n{PIT_OLD}//- sources/new.md\n{older}//- draft.md\nRescue crews pulled [[31 miners|ok]] from the tunnel.\n"
    ));
}

/// A count, then the same count two days on, told in the same words.
const POWER_OLD: &str = "---\nkey: grid-jan10\ndate: 2022-01-10\n---\nThe network operator said 56 farms were without power after the ice storm.\n";
const POWER_NEW: &str = "---\nkey: grid-jan12\ndate: 2022-01-12\n---\nThe network operator said 43 farms were still without power after the ice storm.\n";

#[test]
fn a_later_source_that_gives_the_backed_fact_another_value_outdates_it() {
    let sources = format!("//- sources/old.md\n{POWER_OLD}//- sources/new.md\n{POWER_NEW}");
    let found = findings(
        &sources,
        "Another 56 farms are without power after the ice storm, the operator said.\n",
    );
    let f = found
        .iter()
        .find(|f| f.code == copydesk::check::Code::FigureOutdated)
        .unwrap_or_else(|| panic!("outdated: {found:#?}"));
    assert!(
        f.message.contains("grid-jan12") && f.message.contains("43 farms"),
        "{}",
        f.message
    );
    assert_eq!(f.replacement.as_deref(), Some("43 farms"));
    assert_eq!(f.passages[0].key, "grid-jan12");
    assert_eq!(f.versions.len(), 2, "{:?}", f.versions);
    check(&format!(
        "{sources}//- draft.md\nAnother [[43 farms|ok]] are without power after the ice storm, the operator said.\n"
    ));
}

#[test]
fn a_later_value_in_fewer_shared_words_or_of_a_dated_draft_or_older_outdates_nothing() {
    // The later source shares less with the draft than the backing one does.
    let weaker = "---\nkey: grid-jan12\ndate: 2022-01-12\n---\nEngineers said 43 farms were still without power.\n";
    check(&format!(
        "//- sources/old.md\n{POWER_OLD}//- sources/new.md\n{weaker}//- draft.md\nAnother [[56 farms|ok]] are without power after the ice storm, the operator said.\n"
    ));
    // A table row dates the figure: it is of that time.
    check(&format!(
        "//- sources/old.md\n{POWER_OLD}//- sources/new.md\n{POWER_NEW}//- draft.md\n| Year | Farms without power after the ice storm |\n|---|---|\n| [[2022|unsourced-figure]] | [[56 farms|ok]] |\n"
    ));
    // The other value is older than the backing source.
    let older = POWER_NEW.replace("2022-01-12", "2022-01-08");
    check(&format!(
        "//- sources/old.md\n{POWER_OLD}//- sources/new.md\n{older}//- draft.md\nAnother [[56 farms|ok]] are without power after the ice storm, the operator said.\n"
    ));
}

#[test]
fn one_value_of_a_revision_pair_is_no_contradiction_of_another_figure() {
    // "34 ..., revised from 31" is one fact at two times: the draft's 34
    // places it, so the 31 beside it is no other value of the draft's 40.
    let sources = format!("//- sources/old.md\n{PIT_OLD}//- sources/new.md\n{PIT_NEW}");
    check(&format!(
        "{sources}//- draft.md\nOf the [[40 men|ok]] underground at the Tarnow colliery, 34 survived.\n"
    ));
}

#[test]
fn a_count_compared_with_the_earlier_one_outdates_it() {
    // The newer source names the old count only to compare: "31 more than
    // the 46 reported on Monday" gives 46 as the earlier count, not its own.
    let sources = "//- sources/mon.md\n---\ndate: 2019-01-14\n---\nThe coastguard said 46 boats had been damaged in the storm along the coast.\n\
        //- sources/wed.md\n---\ndate: 2019-01-16\n---\nThe coastguard said 77 boats had been damaged in the storm along the coast, 31 more than the 46 reported on Monday.\n";
    check(&format!(
        "{sources}//- draft.md\nThe coastguard said [[46 boats|figure-outdated]] had been damaged in the storm along the coast.\n"
    ));
    check(&format!(
        "{sources}//- draft.md\nThe coastguard said [[77 boats|ok]] had been damaged in the storm along the coast.\n"
    ));
}

#[test]
fn a_count_compared_with_another_place_is_not_an_earlier_one() {
    // Without a word of earlier time the compared count is another thing's.
    check(
        "//- sources/wed.md\n---\ndate: 2019-01-16\n---\nThe coastguard said 77 boats had been damaged in the storm along the coast, 31 more than the 46 damaged in the estuary.\n\
         //- draft.md\nThe coastguard said [[46 boats|ok]] had been damaged in the estuary in the storm.\n",
    );
}

#[test]
fn a_range_without_a_change_word_is_no_revision() {
    check(
        r#"
        //- sources/a.txt
        Passengers waited from 40 to 52 minutes for the replacement buses after the train crash.
        //- draft.md
        Passengers waited [[40 minutes|ok]] for the first replacement bus after the train crash.
        "#,
    );
}

#[test]
fn undated_sources_that_differ_still_disagree() {
    check(
        r#"
        //- sources/a.txt
        The port authority said 398 ships were waiting outside the harbour because of the dock strike.
        //- sources/b.txt
        The port authority said 412 ships were waiting outside the harbour as the dock strike went on.
        //- draft.md
        The port authority said [[398 ships|sources-disagree]] were waiting outside the harbour because of the dock strike.
        "#,
    );
}

#[test]
fn sources_of_one_date_that_differ_still_disagree() {
    check(
        r#"
        //- sources/a.md
        ---
        date: 2011-05-04
        ---
        The port authority said 398 ships were waiting outside the harbour because of the dock strike.
        //- sources/b.md
        ---
        date: 4 May 2011
        ---
        The port authority said 412 ships were waiting outside the harbour as the dock strike went on.
        //- draft.md
        The port authority said [[398 ships|sources-disagree]] were waiting outside the harbour because of the dock strike.
        "#,
    );
}

#[test]
fn facts_of_different_times_are_not_a_revision() {
    // Two dated sources, each giving the count at another time: the draft
    // that names the earlier time is not out of date.
    let sources = "//- sources/a.md\n---\ndate: 2004-04-01\n---\nThe agency said it had opened 40 detention centres by March 2004.\n//- sources/b.md\n---\ndate: 2005-04-01\n---\nThe agency said it had opened 52 detention centres by March 2005.\n";
    let found = findings(sources, "The agency had opened 40 detention centres by March 2004.\n");
    assert!(found.iter().any(|f| f.text.starts_with("40 detention")), "{found:#?}");
    assert!(
        found.iter().all(|f| f.code != copydesk::check::Code::FigureOutdated),
        "{found:#?}"
    );
}

/// A wire that gives its dateline without a year ("LONDON, March 16
/// (Reuters) -") is of the year of the dated sources of its story.
pub(crate) const BID_FIRST: &str = "---\nkey: bid-release\ndate: 2026-03-02\n---\nHalvard Group offers 412 pence a share in cash for Brennic Foods, valuing the company at 1.38 billion pounds.\n";
pub(crate) const BID_RAISED: &str = "LONDON, March 16 (Reuters) - Halvard Group raised its cash offer for Brennic Foods to 440 pence a share, valuing the company at 1.48 billion pounds.\n";

#[test]
fn a_wire_without_a_year_is_ordered_by_the_dated_sources_of_its_story() {
    let sources = format!("//- sources/release.md\n{BID_FIRST}//- sources/wire.txt\n{BID_RAISED}");
    check(&format!(
        "{sources}//- draft.md\nHalvard Group is offering [[412 pence a share|figure-outdated]] in cash for Brennic Foods.\n"
    ));
    check(&format!(
        "{sources}//- draft.md\nHalvard Group is offering [[440 pence a share|ok]] in cash for Brennic Foods.\n"
    ));
    // Half a year from the dated release, the wire's year is not told: the
    // two values stay a disagreement of undated versions.
    let far = BID_RAISED.replace("March 16", "October 16");
    check(&format!(
        "//- sources/release.md\n{BID_FIRST}//- sources/wire.txt\n{far}//- draft.md\nHalvard Group is offering [[412 pence a share|sources-disagree]] in cash for Brennic Foods.\n"
    ));
}

#[test]
fn the_latest_source_is_a_version_though_it_shares_less_with_the_draft() {
    // The strongest conflict is the first count (98), which the wire itself
    // revises to the draft's 112; the ministry's later 400 shares fewer words
    // with the draft, yet it is the fact's latest state.
    let sources = "//- sources/mar3.md\n---\ndate: 2025-03-03\n---\nThe health ministry confirmed 98 cases of cholera in the port city of Marsk on Monday, including three deaths.\n\
                   //- sources/wire.txt\nMARSK, March 5, 2025 (Reuters) - Confirmed cholera cases in the port city of Marsk rose to 112 from 98, the health ministry said on Wednesday, and the death toll climbed to seven.\n\
                   //- sources/mar9.md\n---\ndate: 2025-03-09\n---\nConfirmed cases of cholera in Marsk city reached 400 on Sunday, the health ministry said. Eleven people have died since the outbreak began.\n";
    check(&format!(
        "{sources}//- draft.md\nThe health ministry has confirmed [[112 cases|figure-outdated]] of cholera in the port city of Marsk.\n"
    ));
    check(&format!(
        "{sources}//- draft.md\nThe health ministry has confirmed [[400 cases|ok]] of cholera in the port city of Marsk.\n"
    ));
}

#[test]
fn a_value_the_draft_gives_another_figure_of_its_sentence_disputes_neither() {
    // The source's 4.82 billion is the draft's later value, not a dispute of
    // its earlier one, and the 4.30 billion not a dispute of the later.
    check(
        r#"
        //- sources/wire.txt
        Norvik Shipping said its first-half revenue rose 12 per cent to 4.82 billion crowns, helped by higher freight rates.
        //- sources/release.md
        Norvik Shipping's first-half revenue was 4.30 billion crowns a year earlier.
        //- draft.md
        Norvik Shipping's first-half revenue rose 12 per cent to [[4.82 billion crowns|ok]] from [[4.3 billion|ok]] a year earlier.
        "#,
    );
}

#[test]
fn new_findings_can_be_silenced() {
    let sources = format!("//- sources/old.md\n{PORT_OLD}//- sources/wire.txt\n{PORT_NEW}");
    let draft = "<!-- copydesk-disable-next-line figure-outdated: the port confirmed 398 by phone -->\nThe port authority said 398 ships were waiting outside the harbour because of the dock strike.\n";
    let found = findings(&sources, draft);
    let f = found
        .iter()
        .find(|f| f.code == copydesk::check::Code::FigureOutdated)
        .expect("outdated");
    assert_eq!(f.suppressed, Some(Some("the port confirmed 398 by phone".into())));
}

/// Two addresses of one governor a year apart, each titled with its date:
/// the wage changed between them, the surplus is told as "last year".
const ADDRESS_1995: &str = "Governor's address to the legislature, January 24, 1995\n\nSome 40,000 workers in the state earn the minimum wage of $4.25 an hour.\n";
const ADDRESS_1996: &str = "Governor's address to the legislature, January 23, 1996\n\nSome 40,000 workers in the state earn the minimum wage of $4.75 an hour. Last year the state ran a budget surplus of $70 million.\n";

fn addresses(draft: &str) -> String {
    format!("//- sources/a1995.txt\n{ADDRESS_1995}//- sources/a1996.txt\n{ADDRESS_1996}//- draft.md\n{draft}\n")
}

#[test]
fn a_title_ending_in_its_date_dates_the_source() {
    // Without a year in the draft, the older address's wage is outdated.
    check(&addresses(
        "The governor said 40,000 workers earn the minimum wage of [[$4.25 an hour|figure-outdated]].",
    ));
}

#[test]
fn a_value_dated_to_its_own_sources_year_is_of_its_time() {
    check(&addresses(
        "In 1995 the governor said 40,000 workers earned the minimum wage of [[$4.25 an hour|ok]].",
    ));
    check(&addresses(
        "In 1996 the governor said 40,000 workers earned the minimum wage of [[$4.75 an hour|ok]].",
    ));
}

#[test]
fn a_value_dated_to_another_sources_year_is_compared_with_that_source() {
    let found = findings(
        &format!("//- sources/a1995.txt\n{ADDRESS_1995}//- sources/a1996.txt\n{ADDRESS_1996}"),
        "In 1996 the governor said 40,000 workers earned the minimum wage of $4.25 an hour.\n",
    );
    let f = found
        .iter()
        .find(|f| f.text.starts_with("$4.25"))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(f.code, copydesk::check::Code::FigureMismatch, "{}", f.message);
    assert!(
        f.message.contains("a1996") && f.message.contains("January 23, 1996"),
        "{}",
        f.message
    );
    assert_eq!(
        f.passages[0].key, "a1996",
        "the source of the draft's year is cited first"
    );
}

#[test]
fn the_year_of_the_telling_is_backed_by_the_sources_date() {
    let sources = format!("//- sources/a1995.txt\n{ADDRESS_1995}//- sources/a1996.txt\n{ADDRESS_1996}");
    let found = findings(
        &sources,
        "In 1995 the governor said 40,000 workers earned the minimum wage of $4.25 an hour.\n",
    );
    let year = found
        .iter()
        .find(|f| f.text == "1995")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(year.code, copydesk::check::Code::Supported, "{}", year.message);
    assert!(year.message.contains("date of the source (a1995"), "{}", year.message);
    // A year that no source is dated in is not backed so.
    let found = findings(
        &sources,
        "In 1991 the governor said 40,000 workers earned the minimum wage of $4.25 an hour.\n",
    );
    let year = found
        .iter()
        .find(|f| f.text == "1991")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert!(!year.message.contains("date of the source"), "{}", year.message);
}

#[test]
fn a_dated_sources_last_year_is_a_year() {
    check(&addresses(
        "The state ran a budget surplus of $70 million in [[1995|ok]], the governor said.",
    ));
    // Another year: "last year" names 1995, and the surplus of 1993 is
    // another fact than the one of 1995.
    check(&addresses(
        "The state ran a budget surplus of [[$70 million|unsourced-figure]] in [[1993|figure-mismatch]], the governor said.",
    ));
}

/// A later report in its own words: less context shared with the draft than
/// the first report, but a conflict strong enough to be a mismatch alone.
const FERRY_FIRST: &str = "---\nkey: coastguard-jun2\ndate: 2024-06-02\n---\nThe island's harbour master said volunteers had pulled 30 passengers from the water near the pier.\n";
const FERRY_LATER: &str = "Ferry rescue goes on\nKESSAN, June 3, 2024 (Reuters) - Volunteers had pulled 44 passengers from the water near the pier by Monday night.\n";

#[test]
fn a_later_report_in_other_words_outdates_the_first() {
    check(&format!(
        "//- sources/first.md\n{FERRY_FIRST}//- sources/wire.txt\n{FERRY_LATER}//- draft.md\nThe harbour master said volunteers had pulled [[30 passengers|figure-outdated]] from the water near the pier.\n"
    ));
    // A later figure of another thing in the story is no later state.
    check(&format!(
        "//- sources/first.md\n{FERRY_FIRST}//- sources/wire.txt\nFerry rescue goes on\nKESSAN, June 3, 2024 (Reuters) - The ferry operator said 44 crew members had been questioned by Monday night.\n//- draft.md\nThe harbour master said volunteers had pulled [[30 passengers|ok]] from the water near the pier.\n"
    ));
}

#[test]
fn the_size_of_a_change_between_two_stated_values_is_checked() {
    check(
        r#"
        //- sources/a.txt
        Arrivals at the shelter rose from 120 to 150 over the weekend.
        //- draft.md
        Arrivals at the shelter rose from [[120|ok]] to [[150|ok]], an increase of [[30|ok]].

        Arrivals at the shelter rose from [[120|ok]] to [[150|ok]], an increase of [[40|arithmetic-mismatch]].

        Arrivals at the shelter rose by [[30|ok]] to [[150|ok]] from [[120|ok]].
        "#,
    );
    // No change word before the figure: nothing stated to compute.
    check(
        r#"
        //- sources/a.txt
        Arrivals at the shelter rose from 120 to 150 over the weekend.
        //- draft.md
        Arrivals at the shelter rose from [[120|ok]] to [[150|ok]], with [[40|unsourced-figure]] more expected.
        "#,
    );
}

const SALES_MAY2: &str = "---\nkey: council-may2\ndate: 2024-05-02\n---\nThe council said 40 households had signed up for the heat pump scheme.\n";
const SALES_MAY9: &str = "---\nkey: council-may9\ndate: 2024-05-09\n---\nSign-ups for the heat pump scheme reached 65 households, the council said.\n";

#[test]
fn a_date_that_is_the_day_a_source_reported_a_figure_dates_it() {
    let sources = format!("//- sources/a.md\n{SALES_MAY2}//- sources/b.md\n{SALES_MAY9}");
    check(&format!(
        "{sources}//- draft.md\nSign-ups for the heat pump scheme rose from [[40 households|ok]] on [[May 2|ok]] to [[65|ok]] on [[May 9|ok]].\n"
    ));
    // A day no source reported on is not backed by the reports' dates.
    let found = findings(
        &sources,
        "Sign-ups for the heat pump scheme rose from 40 households on May 4 to 65 on May 9.\n",
    );
    let may4 = found.iter().find(|f| f.text == "May 4").expect("a finding on May 4");
    assert_ne!(may4.code, copydesk::check::Code::Supported, "{may4:?}");
}

const MILLS_JAN: &str = "---\nkey: mills-jan\ndate: 2025-01-10\n---\nHarlan Mills said on Friday it would close its Dunby plant.\n\nThe company, which employs 900 people in Wales, said it expected annual profit of 40 million pounds.\n";

#[test]
fn a_revision_naming_the_storys_own_company_outdates_the_support() {
    check(&format!(
        "//- sources/jan.md\n{MILLS_JAN}//- sources/wire.txt\nHarlan Mills cuts forecast\nLONDON, Feb 12, 2025 (Reuters) - Harlan Mills Plc lowered its outlook to 32 mln stg from 40 mln stg.\n//- draft.md\n# Harlan Mills\n\nThe company expects annual profit of [[40 million pounds|figure-outdated]].\n"
    ));
    // A revision by a company the support's source never names is another fact.
    check(&format!(
        "//- sources/jan.md\n{MILLS_JAN}//- sources/wire.txt\nTextile forecast cut\nLONDON, Feb 12, 2025 (Reuters) - Dunmore Textiles Plc lowered its outlook to 32 mln stg from 40 mln stg.\n//- draft.md\n# Harlan Mills\n\nThe company expects annual profit of [[40 million pounds|ok]].\n"
    ));
}

#[test]
fn a_change_the_draft_states_compares_with_the_sources_change() {
    // The draft's earlier value against the source's earlier value, not its later one.
    check(
        r#"
        //- sources/a.txt
        Police cut the speed limit on the coast road from 110 kilometres an hour to 80 because of smoke.
        //- draft.md
        Police cut the speed limit on the coast road from [[100|mismatch]] to [[80 kilometres an hour|ok]].

        Police cut the speed limit on the coast road from [[110|ok]] to [[80 kilometres an hour|ok]].
        "#,
    );
}

#[test]
fn a_later_report_in_its_own_words_outdates_a_count() {
    // The newest update words the count its own way ("reached 260"), with
    // less of the draft's context than the wire that backs 112: still the
    // fact's later state.
    check(
        "//- sources/wire.txt\nMARSK, March 5, 2025 (Reuters) - Confirmed cholera cases in the port city of Marsk rose to 112 from 48, the health ministry said on Wednesday.\n\
         //- sources/update.md\n---\nkey: ministry-mar9\ndate: 2025-03-09\n---\nConfirmed cases of cholera in the city reached 260 on Sunday, the health ministry said in Marsk.\n\
         //- draft.md\nThe health ministry has confirmed [[112 cases|figure-outdated]] of cholera in the port city of Marsk.\n\n\
         The health ministry has confirmed [[260 cases|ok]] of cholera in Marsk.\n",
    );
}

/// A first count, and the same count three days on in fewer of its words
/// (beside two sources of other stories, so that words have a rarity): the
/// story's name in the titles, the counted noun the same.
const DOCK_FIRST: &str = "---\nkey: union-may2\ndate: 2023-05-02\ntitle: Dockers vote to strike at Ostend\n---\nThe union said 800 dockers would stop work at the container terminal on Monday.\n";
const DOCK_LATER: &str = "---\nkey: port-may5\ndate: 2023-05-05\ntitle: Port stoppage widens in Ostend\n---\nBy Thursday 1,300 dockers had stopped work, the union said.\n";
const DOCK_OTHERS: &str = "//- sources/buses.txt\nBus timetable\nThe council said 40 buses would run on the coast road on Sunday.\n//- sources/library.txt\nLibrary hours\nThe city library will open at nine on weekdays from June.\n";

fn docks(first: &str, later: &str, draft: &str) -> String {
    format!(
        "{DOCK_OTHERS}//- sources/first.md\n{first}//- sources/later.md\n{later}//- draft.md\n# Ostend dock strike\n\n{draft}\n"
    )
}

#[test]
fn a_later_count_of_the_same_noun_in_fewer_words_outdates_it() {
    let draft = "The union said 800 dockers stopped work at the container terminal on Monday.";
    let fixture = docks(DOCK_FIRST, DOCK_LATER, draft);
    let (sources, draft_md) = fixture.split_once("//- draft.md\n").unwrap();
    let found = findings(sources, draft_md);
    let f = found
        .iter()
        .find(|f| f.code == copydesk::check::Code::FigureOutdated)
        .unwrap_or_else(|| panic!("outdated: {found:#?}"));
    assert!(
        f.message.contains("port-may5") && f.message.contains("1,300 dockers"),
        "{}",
        f.message
    );
    check(&docks(
        DOCK_FIRST,
        DOCK_LATER,
        "By Thursday [[1,300 dockers|ok]] had stopped work at the container terminal, the union said.",
    ));
}

#[test]
fn a_later_count_of_the_same_noun_elsewhere_or_of_another_thing_outdates_nothing() {
    let draft = "The union said [[800 dockers|ok]] stopped work at the container terminal on Monday.";
    // Another port's story: its clause names another place than the draft's.
    let elsewhere = DOCK_LATER
        .replace("widens in Ostend", "vote at Antwerp")
        .replace("stopped work", "stopped work in Antwerp");
    let at_ostend = DOCK_FIRST.replace("at the container terminal", "in Ostend");
    check(&docks(
        &at_ostend,
        &elsewhere,
        &draft.replace("at the container terminal", "in Ostend"),
    ));
    // The first report gives the number without the noun: nothing says the
    // later dockers are its count.
    let bare = DOCK_FIRST.replace("800 dockers would", "800 would");
    check(&docks(&bare, DOCK_LATER, draft));
    // Another event of the same noun: hired, not laid off.
    let laid_off = DOCK_FIRST.replace("would stop work", "would be laid off");
    let hired = DOCK_LATER.replace("had stopped work", "had been hired at the terminal");
    check(&docks(
        &laid_off,
        &hired,
        &draft.replace("stopped work", "would be laid off"),
    ));
}

#[test]
fn the_titles_of_the_sources_tie_a_later_count_to_the_story() {
    // Neither body names a place: the titles do, and the draft's heading.
    let later = "---\nkey: port-may5\ndate: 2023-05-05\ntitle: Port stoppage widens in Ostend\n---\nThe union said on Thursday that 1,300 dockers were out.\n";
    check(&docks(
        DOCK_FIRST,
        later,
        "The union said [[800 dockers|figure-outdated]] had stopped work.",
    ));
    // The later title names another port.
    check(&docks(
        DOCK_FIRST,
        &later.replace("in Ostend", "in Antwerp"),
        "The union said [[800 dockers|ok]] had stopped work.",
    ));
}
