//! Profiling aid: the engine's share of a keystroke. Checks a generated draft
//! once, then one character typed in its middle paragraph, re-using the block
//! cache as the server does.
//! `cargo run --release --example profile_keystroke -- SOURCES [WORDS]`
use std::time::Instant;

use copydesk::check::{BlockCache, CheckOptions, Checker};
use copydesk::markdown::Document;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let sources = std::path::PathBuf::from(args.next().expect("SOURCES"));
    let words: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let rules = copydesk::rules::Rules::builtin();
    let index = copydesk::index::Index::from_paths(&[sources], &rules, |_, _| {}).unwrap();
    let names = copydesk::names::NameIndex::for_corpus(&index, &rules);
    let options = CheckOptions::default();
    let checker = Checker::new(&index, &rules, &options).with_names(&names);
    let mut text = copydesk::synth::Synth::new(99).draft(words);
    let mut cache = BlockCache::default();
    let doc = Document::parse(text.clone());
    let t = Instant::now();
    checker.check_cached(&doc, &doc.blocks, &mut cache);
    eprintln!("first check {:?} ({} blocks)", t.elapsed(), doc.blocks.len());
    let at = text.len() / 2 + text[text.len() / 2..].find(". ").unwrap_or(0);
    for _ in 0..5 {
        text.insert(at, 'x');
        let t = Instant::now();
        let doc = Document::parse(text.clone());
        let parse = t.elapsed();
        let n = checker.check_cached(&doc, &doc.blocks, &mut cache).len();
        cache.retain(&doc, &doc.blocks);
        eprintln!(
            "keystroke: parse {parse:?}, parse+check {:?} ({n} findings)",
            t.elapsed()
        );
    }
}
