//! Engine benchmarks: index build throughput, and the time to check a
//! 2,000-word draft as the corpus grows from 5 to 100,000 sources.
//!
//! `cargo bench --bench engine`; set `COPYDESK_BENCH_MAX` to cap the largest
//! corpus (default 100000).

use std::path::Path;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use copydesk::check::{CheckOptions, Checker};
use copydesk::corpus::{Corpus, Source};
use copydesk::index::Index;
use copydesk::markdown::Document;
use copydesk::rules::Rules;
use copydesk::synth::Synth;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

fn corpus(n: usize, seed: u64) -> (Corpus, u64) {
    let mut synth = Synth::new(seed);
    let mut bytes = 0;
    let sources = (0..n)
        .map(|i| {
            let text = synth.source(250);
            bytes += text.len() as u64;
            Source::from_text(Path::new(&format!("s{i}.txt")), text)
        })
        .collect();
    (
        Corpus {
            sources,
            warnings: Vec::new(),
        },
        bytes,
    )
}

fn build(c: &mut Criterion) {
    let rules = Rules::builtin();
    let (corpus, bytes) = corpus(2000, 1);
    let mut g = c.benchmark_group("index_build");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("2000_sources", |b| {
        b.iter_batched(|| corpus.clone(), |c| Index::build(c, &rules), BatchSize::LargeInput)
    });
    g.finish();
}

fn check(c: &mut Criterion) {
    let rules = Rules::builtin();
    let options = CheckOptions::default();
    let max: usize = std::env::var("COPYDESK_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let draft = Document::parse(Synth::new(99).draft(2000));
    let mut g = c.benchmark_group("check_2000_word_draft");
    g.sample_size(20);
    for n in [5usize, 1_000, 10_000, 100_000].into_iter().filter(|&n| n <= max) {
        let (corpus, _) = corpus(n, 2);
        let index = Index::build(corpus, &rules);
        let checker = Checker::new(&index, &rules, &options);
        g.bench_function(format!("{n}_sources"), |b| b.iter(|| checker.check(&draft)));
    }
    g.finish();
}

criterion_group!(benches, build, check);
criterion_main!(benches);
