//! Profiling aid: index a folder once, then check a draft many times.
//! `cargo run --release --example profile_check -- SOURCES DRAFT [REPEAT]`.
//! With `COPYDESK_CACHE_DIR` set, the stored index there is opened (and
//! built or refreshed) instead of indexing in memory.
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let sources = std::path::PathBuf::from(args.next().expect("SOURCES"));
    let draft = std::fs::read_to_string(args.next().expect("DRAFT")).unwrap();
    let repeat: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let rules = copydesk::rules::Rules::builtin();
    let t = Instant::now();
    let index = if std::env::var_os("COPYDESK_CACHE_DIR").is_some() {
        let root = copydesk::index::store::cache_root(None).unwrap();
        copydesk::index::store::open(&[sources], &rules, &root, true, None, |_, _| {})
            .unwrap()
            .0
    } else {
        copydesk::index::Index::from_paths(&[sources], &rules, |_, _| {}).unwrap()
    };
    let bytes: usize = index
        .sources()
        .map(|(id, _)| index.source_stamp(id).map_or(0, |s| s.size as usize))
        .sum();
    let t_index = t.elapsed();
    eprintln!(
        "read and index {:?} ({:.1} MB/s), {} sentences, {} facts",
        t_index,
        bytes as f64 / 1e6 / t_index.as_secs_f64(),
        index.sentence_count(),
        index.fact_count()
    );
    let doc = copydesk::markdown::Document::parse(draft);
    let options = copydesk::check::CheckOptions::default();
    let checker = copydesk::check::Checker::new(&index, &rules, &options);
    if repeat == 0 {
        return;
    }
    let t = Instant::now();
    let first = checker.check(&doc).len();
    eprintln!("first check: {:?}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..repeat {
        n += checker.check(&doc).len();
    }
    let _ = first;
    eprintln!(
        "check: {:?} per run ({} findings)",
        t.elapsed() / repeat as u32,
        n / repeat
    );
}
