//! Quotations and names: one `check(fixture)` per case. A quotation the
//! sources back is marked `ok` (it gets a `supported` finding); the other
//! marks name the code expected.

use crate::support::check;

const LIU: &str = r#"
//- sources/ministry.txt
Deputy director Liu Ancheng of the criminal bureau told reporters: "The gangs build their networks online and trade under the cover of adoption. They work in secret. Their reach has no borders."

The ministry said the operation had ended.
//- sources/court.txt
A judge in Fuping, Marta Zhou, said the doctor had "betrayed every family who trusted her" and that the sentence was fair.
"#;

fn with_liu(draft: &str) -> String {
    format!("{LIU}\n//- draft.md\n{draft}")
}

#[test]
fn exact_quote_and_punctuation_case_and_curly_differences_pass() {
    check(&with_liu(
        r#"
        [["They work in secret. Their reach has no borders,"|ok]] Liu Ancheng said.

        [[“they work in secret, their reach has NO borders”|ok]], said Liu.
        "#,
    ));
}

#[test]
fn changed_dropped_and_added_words_are_mismatches() {
    check(&with_liu(
        r#"
        [["They work in silence. Their reach has no borders,"|quote-mismatch]] Liu said.

        [["The gangs build networks online and trade under the cover of adoption,"|quote-mismatch]] Liu said.

        [["Their reach has no borders at all,"|quote-mismatch]] Liu said.
        "#,
    ));
}

#[test]
fn partial_and_elided_quotes_match_spans() {
    check(&with_liu(
        r#"
        Zhou said the doctor had [["betrayed every family who trusted her"|ok]].

        Liu said the gangs [["build their networks online … under the cover of adoption"|ok]].

        Liu said the gangs [["build their networks online … under the pretext of adoption"|quote-mismatch]].
        "#,
    ));
}

#[test]
fn quote_split_by_an_attribution() {
    check(&with_liu(
        r#"
        [["They work in secret,"|ok]] Liu said, [["and their reach has no borders."|quote-mismatch]]

        [["They work in secret,"|ok]] he said on Friday, [["Their reach has no borders."|ok]]
        "#,
    ));
}

#[test]
fn nested_quotes() {
    check(
        r#"
        //- sources/a.txt
        "My mother kept saying 'we will find him' every night until the police came," said Rosa Eberly.
        //- draft.md
        [["My mother kept saying 'we will find him' every night until the police came,"|ok]] Rosa Eberly said.

        [["My mother kept saying ‘we shall find him’ every night until the police came,"|quote-mismatch]] Eberly said.
        "#,
    );
}

#[test]
fn same_words_said_by_two_people_in_two_sources() {
    check(
        r#"
        //- sources/a.txt
        "We will rebuild every house that burned," said Mayor Dana Whitlock on Tuesday.
        //- sources/b.txt
        At the rally, Senator Omar Feld repeated the line: "We will rebuild every house that burned."
        //- draft.md
        [["We will rebuild every house that burned,"|ok]] Feld said.

        [["We will rebuild every house that burned,"|ok]] said Whitlock.

        [["We will rebuild every house that burned,"|quote-misattributed]] said Premier Ivo Brandt.
        "#,
    );
}

#[test]
fn misattribution_in_every_form() {
    check(&with_liu(
        r#"
        [["They work in secret,"|quote-misattributed]] said Marta Zhou.

        According to Marta Zhou, the gangs [["trade under the cover of adoption"|quote-misattributed]].

        Marta Zhou: [["Their reach has no borders."|quote-misattributed]]

        Marta Zhou spoke after the hearing. [["They work in secret,"|quote-misattributed]] she said.

        According to Liu, the gangs [["trade under the cover of adoption"|ok]].
        "#,
    ));
}

#[test]
fn block_quotes_are_quotations() {
    check(&with_liu(
        r#"
        Liu Ancheng was blunt:

        > [[The gangs build their networks online and trade under the cover of adoption.|ok]]

        > [[The gangs build their networks offline and trade under the cover of adoption.|quote-mismatch]]
        "#,
    ));
}

#[test]
fn unsourced_and_scare_quotes() {
    check(&with_liu(
        r#"
        [["We have arrested every trafficker in the southern provinces,"|quote-unsourced]] Liu said.

        The so-called "adoption" sites were closed. Critics called it a "crackdown".

        Liu called them "online gangs" that hid well.
        "#,
    ));
}

#[test]
fn names_near_misses() {
    check(
        r#"
        //- sources/a.txt
        The envoy, Lakhdar Brahimi, met Hamid Karzai and the former king in Bonn.
        Talks were chaired by Kim Gibbons of the commission.
        Chinese President Xi Jinping later sent a message.
        //- draft.md
        The envoy [[Lakhdar Barhimi|name-mismatch]] met [[Hamid Karzia|name-mismatch]] in Bonn.

        The talks were chaired by [[J. Gibbons|name-mismatch]], while K. Gibbons took notes.

        A message from Jinping Xi followed, and Xi Jinping spoke again.
        "#,
    );
}

#[test]
fn suppression_comments_silence_quote_codes() {
    check(&with_liu(
        r#"
        <!-- copydesk-disable-next-line quote-unsourced: from our own interview -->
        "We have arrested every trafficker in the southern provinces," Liu said.
        "#,
    ));
}

/// A statement quoted whole, longer than `QUOTE_WINDOW` words: checked in
/// pieces at its sentence ends, each aligned with a source sentence and its
/// neighbours (bounded work per piece), so the one changed word is found in
/// its sentence and the rest is backed. Checked whole, the quotation could
/// fit no source window and was called unsourced.
#[test]
fn a_long_quotation_is_checked_sentence_by_sentence() {
    const SAID: [&str; 16] = [
        "The bridge over the Kelvin will close for repairs in the spring.",
        "Buses will run from the station every few minutes while it is shut.",
        "We have asked the rail company to add carriages at peak hours.",
        "Shops on the high street will get help with their rates.",
        "The market square will stay open to traffic on Saturdays.",
        "Engineers found cracks in some of the piers last winter.",
        "Nobody wants a repeat of the flooding we saw a few years ago.",
        "The work is paid for by the regional fund and the council.",
        "I expect the contractors to finish before the autumn festival.",
        "Residents near the river will be told of every night shift.",
        "Cyclists can use the footbridge by the old mill.",
        "The ferry service will return for the months of the closure.",
        "We will publish the costs on the council website each month.",
        "Anyone with a complaint can call the hotline at any hour.",
        "This is the largest repair the town has seen in a generation.",
        "I am grateful to the families who have waited so patiently.",
    ];
    let source = SAID.join(" ");
    let mut quoted: Vec<String> = SAID.iter().map(|s| s.to_string()).collect();
    quoted[8] = "[[I expect the contractors to finish before the summer festival|quote-mismatch]].".into();
    let fixture = format!(
        "//- sources/council.txt\nMayor Ruth Gallan told the council on Monday: \"{source}\"\n\
         //- draft.md\nMayor Ruth Gallan set out the plan to the council:\n\n> {}\n",
        quoted.join(" ")
    );
    assert!(source.split_whitespace().count() > copydesk::check::quotes::QUOTE_WINDOW);
    check(&fixture);
}

#[test]
fn a_wrapped_quotation_names_its_speaker_after_its_last_sentence() {
    // A wire wraps its lines; the second quotation's speaker is named after
    // its second sentence, on the next line, and an earlier paragraph's
    // speaker is not hers. Quoting her is right; quoting him for her words is not.
    check(
        r#"
        //- sources/wire.txt
        "We can fund the runway from our own cash flow - we are not asking shareholders
        for new equity," finance director Ruth Adeyemi told Reuters.

        "Fenmouth has the catchment and the slots. The question is whether long-haul airlines
        will come if the runway is built," said Gareth Lindley, an analyst at Carver Lowe.
        //- draft.md
        [["Fenmouth has the catchment and the slots,"|ok]] said Gareth Lindley, an analyst.

        [["We are not asking shareholders for new equity,"|ok]] said Ruth Adeyemi.

        [["Fenmouth has the catchment and the slots,"|quote-misattributed]] said Ruth Adeyemi.
        "#,
    );
}
