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
