//! The editor's review page for a 20,000-word draft against the example
//! corpus: the whole run (check and render) and the rendering alone, and the
//! page's size, which must stay under 5 MB. The draft is the example story's
//! body repeated under numbered headings, so it has the example's mix of
//! mismatched, contested, unsourced, suppressed and supported figures.
//!
//! `cargo bench --bench review`.

use std::path::Path;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use copydesk::config::Config;
use copydesk::markdown::Document;
use copydesk::project::Project;
use copydesk::report::{FileReport, Report};
use copydesk::text::LineIndex;
use criterion::{Criterion, criterion_group, criterion_main};

const WORDS: usize = 20_000;
const MAX_BYTES: usize = 5_000_000;

/// The example's body, repeated until the draft has `WORDS` words.
fn long_draft() -> String {
    let example = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/draft.md")).unwrap();
    let body_start = copydesk::markdown::front_matter(&example).map_or(0, |f| f.range.end);
    let (front, body) = example.split_at(body_start);
    let mut draft = front.to_string();
    let mut part = 1;
    while draft.split_whitespace().count() < WORDS {
        draft.push_str(&format!("\n## Part {part}\n\n{body}"));
        part += 1;
    }
    draft
}

fn report(project: &Project, text: &str) -> Report {
    let doc = Document::parse(text.to_string());
    let findings = project.checker().check(&doc);
    Report {
        sources: project.index.source_count(),
        warnings: project.index.warnings.clone(),
        files: vec![FileReport {
            path: "long-draft.md".into(),
            lines: LineIndex::new(&doc.text),
            text: doc.text,
            findings,
        }],
    }
}

fn review(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    // SAFETY: set before any thread of this process reads the environment.
    unsafe { std::env::set_var("COPYDESK_CACHE_DIR", cache.path()) };
    let config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/copydesk.toml")).unwrap();
    let project = Project::load(config, &[]).unwrap();
    let text = long_draft();
    let r = report(&project, &text);
    let page = copydesk::report::html::render(&r, &project.index);
    eprintln!(
        "review page: {} words, {} findings, {:.2} MB",
        text.split_whitespace().count(),
        r.files[0].findings.len(),
        page.len() as f64 / 1e6
    );
    assert!(page.len() < MAX_BYTES, "the page is {} bytes", page.len());

    let mut g = c.benchmark_group("review_20000_word_draft");
    g.sample_size(10);
    g.bench_function("check_and_render_html", |b| {
        b.iter(|| copydesk::report::html::render(&report(&project, &text), &project.index).len())
    });
    g.bench_function("render_html", |b| {
        b.iter(|| copydesk::report::html::render(&r, &project.index).len())
    });
    g.bench_function("render_markdown", |b| {
        b.iter(|| copydesk::report::markdown::render(&r, &project.index).len())
    });
    g.finish();
}

criterion_group!(benches, review);
criterion_main!(benches);
