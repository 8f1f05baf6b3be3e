//! Checking costs in proportion to the draft: run-on paragraphs are read in
//! bounded windows, and an edit in a long draft re-checks only its block.
//! (Timings are in `benches/linear.rs`; these tests assert behaviour.)

use std::path::Path;

use copydesk::check::{BlockCache, CheckOptions, Checker, Code};
use copydesk::corpus::{Corpus, Source};
use copydesk::index::Index;
use copydesk::markdown::Document;
use copydesk::rules::Rules;

const SOURCE: &str = "Police arrested 43 protesters in Hefei on Friday, the provincial \
                      government said. Floods destroyed 1,200 homes in Anhui province last month.";

fn index(rules: &Rules) -> Index {
    let sources = vec![Source::from_text(Path::new("wire.txt"), SOURCE.to_string())];
    Index::build(
        Corpus {
            sources,
            warnings: Vec::new(),
        },
        rules,
    )
}

#[test]
fn figure_past_65536_tokens_of_a_run_on_paragraph_is_checked() {
    // One paragraph, no sentence end, more than 65,536 tokens before the figure.
    let rules = Rules::builtin();
    let index = index(&rules);
    let options = CheckOptions::default();
    let checker = Checker::new(&index, &rules, &options);
    let mut draft = "the council debated the budget for the coming year ".repeat(7_500);
    draft.push_str("and police arrested 44 protesters in Hefei on Friday\n");
    let doc = Document::parse(draft.clone());
    let found = checker.check(&doc);
    let fig = found
        .iter()
        .find(|f| f.code == Code::FigureMismatch)
        .expect("the figure against the source's 43");
    assert_eq!(&draft[fig.span.clone()], "44 protesters");
    assert!(fig.replacement.as_deref().is_some_and(|r| r.contains("43")), "{fig:?}");
}

#[test]
fn keystroke_in_a_long_draft_rechecks_only_its_block() {
    let rules = Rules::builtin();
    let index = index(&rules);
    let options = CheckOptions::default();
    let checker = Checker::new(&index, &rules, &options);
    let paragraph = |i: usize| format!("Paragraph {i} says floods destroyed 1,200 homes in Anhui province.\n\n");
    let text: String = (0..2_000).map(paragraph).collect();
    let doc = Document::parse(text.clone());
    let mut cache = BlockCache::default();
    checker.check_cached(&doc, &doc.blocks, &mut cache);
    assert_eq!(cache.last_check().checked, doc.blocks.len());

    // One figure edited in the middle: that block is checked, and the one
    // after it (its key holds the paragraph before); every other is reused.
    let edited = text.replacen(
        "Paragraph 1000 says floods destroyed 1,200",
        "Paragraph 1000 says floods destroyed 1,300",
        1,
    );
    assert_ne!(edited, text);
    let doc = Document::parse(edited.clone());
    let found = checker.check_cached(&doc, &doc.blocks, &mut cache);
    let stats = cache.last_check();
    assert_eq!(stats.checked, 2, "{stats:?}");
    assert_eq!(stats.reused, doc.blocks.len() - 2);
    let at = edited.find("1,300 homes").unwrap();
    let mismatch = found
        .iter()
        .find(|f| f.span.start == at)
        .expect("the edited figure is checked");
    assert_eq!(mismatch.code, Code::FigureMismatch);
    // Reused findings sit where their blocks are.
    let other = edited.find("Paragraph 1500").unwrap() + "Paragraph 1500 says floods destroyed ".len();
    assert!(
        found
            .iter()
            .any(|f| f.span.start == other && f.code != Code::FigureMismatch)
    );
}

/// Findings as comparable strings: code, span, message and related spans.
fn described(found: &[copydesk::check::Finding]) -> Vec<String> {
    found
        .iter()
        .map(|f| {
            let related: Vec<String> = f
                .related
                .iter()
                .map(|r| format!("{:?} {}", r.span, r.message))
                .collect();
            format!("{} {:?} {} | {}", f.code, f.span, f.message, related.join("; "))
        })
        .collect()
}

/// A draft of about 400 KB, compared with itself in chunks
/// (`draft_chunks`); every 40th paragraph gives the same fact with another
/// value, a `draft-disagree` with the others of its chunk.
fn storm_draft() -> String {
    const FILLER: [&str; 5] = [
        "Crews worked through the night, the county said.",
        "Farmers counted the damage at first light.",
        "Roads to the north stayed closed until the afternoon.",
        "The council opened its hall to families who had lost their homes.",
        "Power came back to most streets by the evening.",
    ];
    let paragraph = |i: usize| {
        if i.is_multiple_of(40) {
            format!("The storm flattened {} barns in Lanark county.\n\n", 100 + i / 40)
        } else {
            format!("{}\n\n", FILLER[i % FILLER.len()])
        }
    };
    (0..8_000).map(paragraph).collect()
}

#[test]
fn keystroke_in_a_long_draft_recompares_only_its_chunk_and_matches_a_fresh_check() {
    let rules = Rules::builtin();
    let index = index(&rules);
    let options = CheckOptions::default();
    let checker = Checker::new(&index, &rules, &options);
    let text = storm_draft();
    let doc = Document::parse(text.clone());
    let mut cache = BlockCache::default();
    let first = checker.check_cached(&doc, &doc.blocks, &mut cache);
    let chunks = cache.last_check().chunks_checked;
    assert!(chunks >= 4, "{chunks} chunks");
    assert!(
        first.iter().filter(|f| f.code == Code::DraftDisagree).count() >= 150,
        "the disagreements are found in every chunk"
    );

    // A paragraph added at the top moves every offset and line; a figure
    // typed in the middle changes one chunk. Each time the cached check
    // equals a fresh one, line numbers in the messages included.
    let top = format!("Updated at noon.\n\n{text}");
    let edits = [
        top.clone(),
        top.replacen("flattened 200 barns", "flattened 2001 barns", 1),
    ];
    // The edited text is re-parsed around the edit, as the server does; the
    // fresh check parses it whole.
    let mut last = doc;
    for edited in edits {
        assert_ne!(edited, text);
        let doc = last.reparse(edited.clone());
        let cached = checker.check_cached(&doc, &doc.blocks, &mut cache);
        let stats = cache.last_check();
        assert!((1..=3).contains(&stats.chunks_checked), "{stats:?} of {chunks} chunks");
        let fresh = checker.check(&Document::parse(edited.clone()));
        assert_eq!(described(&cached), described(&fresh));
        last = doc;
    }
}

#[test]
fn a_long_draft_checked_in_stages_grows_to_the_whole_check_and_stops_when_asked() {
    use std::ops::ControlFlow;
    let rules = Rules::builtin();
    let index = index(&rules);
    let options = CheckOptions::default();
    let checker = Checker::new(&index, &rules, &options);
    let doc = Document::parse(storm_draft());
    // The blocks as another slice: checked all at once and sorted once
    // (the path for some of a document's blocks), the reference.
    let all = doc.blocks.clone();
    let whole = checker.check_cached(&doc, &all, &mut BlockCache::default());
    assert!(whole.iter().any(|f| f.code == Code::DraftDisagree));

    // Each stage's findings so far are the first part of the whole.
    let mut cache = BlockCache::default();
    let mut seen = Vec::new();
    let staged = checker
        .check_staged(&doc, &mut cache, |found, _| {
            assert_eq!(described(found), described(&whole[..found.len()]));
            seen.push(found.len());
            ControlFlow::Continue(())
        })
        .expect("not stopped");
    assert_eq!(described(&staged), described(&whole));
    assert!(seen.len() >= 4, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&whole.len()));

    // Stopped after two stages: nothing is returned, what was checked is
    // kept, and the next check does only the rest.
    let mut cache = BlockCache::default();
    let mut stages = 0;
    let stopped = checker.check_staged(&doc, &mut cache, |_, _| {
        stages += 1;
        if stages == 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    assert!(stopped.is_none());
    let done = cache.last_check();
    assert_eq!(done.chunks_checked, 2, "{done:?}");
    assert!(done.checked > 0 && done.checked < doc.blocks.len(), "{done:?}");
    let rest = checker.check_cached(&doc, &doc.blocks, &mut cache);
    let stats = cache.last_check();
    // (A paragraph repeated with the one before it is one entry: the
    // first stages' checks serve some later blocks too.)
    assert!(stats.reused >= done.checked, "{stats:?}");
    assert_eq!(stats.reused + stats.checked, doc.blocks.len());
    assert_eq!(stats.chunks_checked, seen.len() - 2);
    assert_eq!(described(&rest), described(&whole));
}
