//! The draft against itself: `draft-disagree` and `arithmetic-mismatch`,
//! each with its quiet cases.

use crate::over_time::{BID_FIRST, BID_RAISED};
use crate::support::{check, findings};

#[test]
fn two_draft_figures_each_backed_by_its_own_source_fact_are_two_facts() {
    // The first offer's valuation and the raised one's: the sources state
    // them apart, so the draft giving both is no contradiction of itself
    // (whether the first offer's terms read as outdated is the sources'
    // history, not the draft's).
    let sources = format!("//- sources/release.md\n{BID_FIRST}//- sources/wire.txt\n{BID_RAISED}");
    let draft = "Halvard Group's offer of 440 pence a share values Brennic Foods at 1.48 billion pounds.\n\n\
                 Its offer of 412 pence a share had valued Brennic Foods at 1.38 billion pounds.\n";
    let found = findings(&sources, draft);
    assert!(
        !found.iter().any(|f| f.code == copydesk::check::Code::DraftDisagree),
        "{found:#?}"
    );
    // Both closest to the one source fact: still the draft against itself.
    check(&format!(
        "//- sources/release.md\n{BID_FIRST}//- draft.md\n\
         Halvard Group's offer values Brennic Foods at [[1.38 billion pounds|draft-disagree]].\n\n\
         The offer from Halvard Group values Brennic Foods at [[1.83 billion pounds|draft-disagree]].\n"
    ));
}

#[test]
fn the_draft_against_itself() {
    check(
        r#"
        //- sources/a.txt
        Police in Beijing said they had rescued 382 babies in raids on trafficking rings.
        //- draft.md
        Police in Beijing said they had rescued [[382 babies|draft-disagree]] in raids on trafficking rings.

        The raids were the largest of their kind, officers said.

        Police in Beijing said the [[328 babies|draft-disagree]] rescued in the raids on trafficking rings were safe.
        "#,
    );
}

#[test]
fn figures_of_two_named_subjects_are_two_facts() {
    // Each sentence names its country: 17.5 and 37.8 million people are two
    // countries' populations, not one fact told twice.
    check(
        r#"
        //- sources/a.txt
        Spain's share rose from 13.2 per cent to 20.7 per cent. The Netherlands, with 17.5 million people, had one of the lowest shares, 12.8 per cent. Poland's 37.8 million people got about 16 per cent of their energy from renewables. Belgium doubled its share, from 6.3 per cent to 13 per cent.
        //- draft.md
        Spain's share rose from [[13.2 per cent|ok]] to [[20.7 per cent|ok]].

        The Netherlands, with [[17.5 million people|ok]], had one of the lowest shares, [[12.8 per cent|ok]].

        Poland's [[37.8 million people|ok]] got about [[16 per cent|ok]] of their energy from renewables.

        Belgium doubled its share, from [[6.3 per cent|ok]] to [[13 per cent|ok]].
        "#,
    );
    // A capitalised word that opens a sentence and is written in lower case
    // elsewhere in the draft is no name: these are one set of schools.
    check(
        r#"
        //- sources/a.txt
        Nothing in this source speaks of the earthquake.
        //- draft.md
        Engineers checked the [[70 schools|draft-disagree]] before classes could resume.

        Classes resumed on Monday in the [[90 schools|draft-disagree]] the engineers had checked.
        "#,
    );
}

#[test]
fn a_definite_figure_speaks_of_the_set_named_before() {
    // "the 420 shops", "the club's 21,500 members": the draft marks the set
    // as one it has named, so a different value contradicts the first.
    check(
        r#"
        //- sources/a.txt
        Nothing in this source speaks of the storm.
        //- draft.md
        Volunteers cleared mud from [[240 shops|draft-disagree]] on the high street on Saturday.

        The council thanked the crews who had cleaned out the [[420 shops|draft-disagree]] on Saturday.

        The rowing club has [[12,500 members|draft-disagree]] in the county.

        Its chairman said all of the club's [[21,500 members|draft-disagree]] would vote on the merger.
        "#,
    );
}

#[test]
fn indefinite_figures_of_one_kind_may_be_two_sets() {
    // The same sentences without the definite determiners: two sets of shops
    // and members the story may well hold, and no contradiction.
    check(
        r#"
        //- sources/a.txt
        Nothing in this source speaks of the storm.
        //- draft.md
        Volunteers cleared mud from [[240 shops|unsourced-figure]] on the high street on Saturday.

        The council thanked crews who had cleaned out [[420 shops|unsourced-figure]] on Saturday.

        The rowing club has [[12,500 members|unsourced-figure]] in the county.

        Its chairman said [[21,500 members|unsourced-figure]] of rival clubs would vote on the merger.
        "#,
    );
}

#[test]
fn a_definite_restatement_of_the_same_value_agrees() {
    check(
        r#"
        //- sources/a.txt
        Volunteers cleared mud from 240 shops on the high street on Saturday.
        //- draft.md
        Volunteers cleared mud from [[240 shops|ok]] on the high street on Saturday.

        The council thanked the crews who had cleaned out the [[240 shops|ok]] on Saturday.
        "#,
    );
}

#[test]
fn restatements_of_one_figure_agree() {
    check(
        r#"
        //- sources/a.txt
        The ministry said 1,094 people had been arrested in the crackdown on baby trafficking.
        //- draft.md
        The ministry said [[1,094 people|ok]] had been arrested in the crackdown on baby trafficking.

        [[More than a thousand people|ok]] were arrested in the crackdown on baby trafficking, the ministry said.

        The ministry said [[about 1,100 people|ok]] had been arrested in the crackdown on baby trafficking.
        "#,
    );
}

#[test]
fn a_before_and_an_after_are_not_a_contradiction() {
    check(
        r#"
        //- sources/a.txt
        Last year the road toll stood at 37 deaths over the holidays.
        This year the road toll rose to 45 deaths over the holidays.
        //- draft.md
        Last year the road toll stood at [[37 deaths|ok]] over the holidays.

        This year the road toll rose to [[45 deaths|ok]] over the holidays.
        "#,
    );
}

#[test]
fn broken_arithmetic_is_flagged_and_right_arithmetic_is_quiet() {
    check(
        r#"
        //- sources/a.txt
        The holiday road toll reached 45 deaths, eight more than the 37 deaths at the same stage last year.
        Police freed 40 babies this year, twice as many as the 20 babies freed last year.
        //- draft.md
        The holiday road toll reached [[45 deaths|ok]], [[nine more|arithmetic-mismatch]] than the [[37 deaths|ok]] at the same stage last year.

        The holiday road toll reached [[45 deaths|ok]], [[eight more|ok]] than the [[37 deaths|ok]] at the same stage last year.

        Police freed [[40 babies|ok]] this year, twice as many as the [[20 babies|ok]] freed last year.
        "#,
    );
}

#[test]
fn a_list_that_does_not_add_up() {
    check(
        r#"
        //- sources/a.txt
        Police arrested 82 suspects in three provinces. Officers held 30 suspects in Anhui, 25 suspects in Hebei and 27 suspects in Henan.
        //- draft.md
        Police arrested [[80 suspects|arithmetic-mismatch]] in three provinces:

        - [[30 suspects|ok]] in Anhui
        - [[25 suspects|ok]] in Hebei
        - [[27 suspects|ok]] in Henan
        "#,
    );
    check(
        r#"
        //- sources/a.txt
        Police arrested 82 suspects in three provinces. Officers held 30 suspects in Anhui, 25 suspects in Hebei and 27 suspects in Henan.
        //- draft.md
        Police arrested [[82 suspects|ok]] in three provinces:

        - [[30 suspects|ok]] in Anhui
        - [[25 suspects|ok]] in Hebei
        - [[27 suspects|ok]] in Henan
        "#,
    );
}
