//! Linear-cost benchmarks: checking must cost in proportion to the draft.
//!
//! Two shapes that were quadratic: one long paragraph with no sentence end
//! (every figure's context was its whole "sentence"), and many short
//! paragraphs (each found the block before it by scanning all earlier ones).
//! Each is checked at three sizes, each double the one before, and the bench
//! prints the time ratio per doubling: about 2 is linear, 4 quadratic.
//! Then a 20 MB draft is opened (checked whole, in stages as the language
//! server checks it: the time to the first stage is when its first
//! diagnostics could be published) and typed into once (checked again
//! through the block cache).
//!
//! `cargo bench --bench linear`; `COPYDESK_BENCH_SCALE=N` multiplies every
//! size by N (a quick run: `COPYDESK_BENCH_SCALE=0.25`);
//! `COPYDESK_BENCH_ONLY=huge_draft` runs only the 20 MB draft.

use std::path::Path;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use copydesk::check::{BlockCache, CheckOptions, Checker};
use copydesk::corpus::{Corpus, Source};
use copydesk::index::Index;
use copydesk::markdown::Document;
use copydesk::rules::Rules;
use copydesk::synth::Synth;

/// One paragraph of about `bytes` bytes whose sentences are joined by commas
/// and "and", so the tokenizer never sees a sentence end.
fn long_paragraph(synth: &mut Synth, bytes: usize) -> String {
    let mut out = String::from("# Draft\n\n");
    while out.len() < bytes {
        let s = synth.sentence();
        out.push_str(s.trim_end_matches('.'));
        out.push_str(", and ");
    }
    out.push_str("that was all.\n");
    out
}

/// `n` paragraphs of one sentence each.
fn short_paragraphs(synth: &mut Synth, n: usize) -> String {
    let mut out = String::from("# Draft\n\n");
    for _ in 0..n {
        out.push_str(&synth.sentence());
        out.push_str("\n\n");
    }
    out
}

/// The fastest of `runs` checks of `text` (parsing included).
fn time_check(checker: &Checker<'_>, text: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            let doc = Document::parse(text.to_string());
            std::hint::black_box(checker.check(&doc));
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn series(checker: &Checker<'_>, name: &str, sizes: &[usize], unit: &str, make: impl Fn(usize) -> String) {
    let mut last: Option<Duration> = None;
    for &n in sizes {
        let text = make(n);
        let took = time_check(checker, &text, 3);
        let ratio = last.map_or(String::new(), |l| {
            format!("  ×{:.2} per doubling", took.as_secs_f64() / l.as_secs_f64().max(1e-9))
        });
        println!(
            "{name:<16} {n:>8} {unit:<6} {:>9.1} KB  {:>9.1} ms{ratio}",
            text.len() as f64 / 1024.0,
            took.as_secs_f64() * 1e3
        );
        last = Some(took);
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing:
    // run a tiny version then, so the bench is known to build and run.
    let quick = !std::env::args().any(|a| a == "--bench");
    let scale: f64 = std::env::var("COPYDESK_BENCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 0.02 } else { 1.0 });
    let sized = |n: usize| ((n as f64 * scale) as usize).max(1);
    let rules = Rules::builtin();
    let mut synth = Synth::new(7);
    let sources = (0..200)
        .map(|i| Source::from_text(Path::new(&format!("s{i}.txt")), synth.source(250)))
        .collect();
    let index = Index::build(
        Corpus {
            sources,
            warnings: Vec::new(),
        },
        &rules,
    );
    let options = CheckOptions::default();
    let checker = Checker::new(&index, &rules, &options);
    // `COPYDESK_BENCH_ONLY=huge_draft` runs only the 20 MB draft.
    let only = std::env::var("COPYDESK_BENCH_ONLY").unwrap_or_default();
    if only == "huge_draft" {
        huge_draft(&checker, sized(20_000_000));
        return;
    }
    println!("check time, fastest of 3 (200 sources in the index)");
    let kb = [50_000, 100_000, 200_000].map(sized);
    series(&checker, "long_paragraph", &kb, "bytes", |n| {
        long_paragraph(&mut Synth::new(11), n)
    });
    let paras = [10_000, 20_000, 40_000].map(sized);
    series(&checker, "short_paragraphs", &paras, "paras", |n| {
        short_paragraphs(&mut Synth::new(13), n)
    });
    huge_draft(&checker, sized(20_000_000));
}

/// Opens a draft of about `bytes` bytes and types one character into the
/// middle: what a keystroke in a 20 MB draft costs the language server.
fn huge_draft(checker: &Checker<'_>, bytes: usize) {
    let mut synth = Synth::new(17);
    let mut text = String::with_capacity(bytes + 4096);
    while text.len() < bytes {
        text.push_str(&synth.draft(2_000));
        text.push_str("\n\n");
    }
    let mut cache = BlockCache::default();
    let t = Instant::now();
    let doc = Document::parse(text.clone());
    let t_parse = t.elapsed();
    // In stages, as the language server checks it: the first stage's
    // findings are what it publishes first.
    let (mut first, mut stages) = (None, 0);
    let found = checker
        .check_staged(&doc, &mut cache, |found, _| {
            stages += 1;
            first.get_or_insert((t.elapsed(), found.len()));
            std::ops::ControlFlow::Continue(())
        })
        .unwrap_or_default();
    let open = t.elapsed();
    let (first, first_n) = first.unwrap_or((open, found.len()));
    println!(
        "huge_draft       open      {:>9.1} MB  {:>9.1} ms  ({} blocks, {} findings; parse {:.1} ms; first of {stages} stages after {:.1} ms, {first_n} findings)",
        text.len() as f64 / 1e6,
        open.as_secs_f64() * 1e3,
        doc.blocks.len(),
        found.len(),
        t_parse.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3,
    );
    // One character typed after the middle paragraph's first word.
    let mid = text[text.len() / 2..]
        .find("\n\n")
        .map_or(text.len() / 2, |i| text.len() / 2 + i + 2);
    let at = text[mid..].find(' ').map_or(mid, |i| mid + i);
    text.insert(at, 'x');
    let t = Instant::now();
    // As the language server does: only the blocks around the edit.
    let doc = doc.reparse(text.clone());
    let t_parse = t.elapsed();
    let again = std::hint::black_box(checker.check_cached(&doc, &doc.blocks, &mut cache));
    let key = t.elapsed();
    // The language server frees the previous result off the request path.
    let t = Instant::now();
    drop(found);
    let freed = t.elapsed();
    let stats = cache.last_check();
    println!(
        "huge_draft       keystroke {:>9.1} MB  {:>9.1} ms  (parse {:.1} ms; blocks checked {}, reused {}, chunks compared {}; freeing the {} findings before {:.1} ms)",
        text.len() as f64 / 1e6,
        key.as_secs_f64() * 1e3,
        t_parse.as_secs_f64() * 1e3,
        stats.checked,
        stats.reused,
        stats.chunks_checked,
        again.len(),
        freed.as_secs_f64() * 1e3,
    );
}
