//! The on-disk index at newsroom-archive scale: cold build, warm open,
//! re-index after one file changes, disk size, the server's resident memory,
//! and check time of a 2,000-word draft, for generated corpora.
//!
//! `cargo bench --bench archive`. `COPYDESK_BENCH_ARCHIVE` lists the corpus
//! sizes (default `10000,100000`; add `1000000` for the full run: about 1.7 GB
//! of generated text and 4 GB of index). Corpora are generated once under
//! `target/bench-archive/` (or `COPYDESK_BENCH_DIR`) and reused.

#[path = "../tests/integration/lsp_client.rs"]
#[allow(dead_code)]
mod lsp_client;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use copydesk::check::Checker;
use copydesk::config::Config;
use copydesk::markdown::Document;
use copydesk::project::Project;
use lsp_client::{Client, capabilities, url};
use serde_json::{Value, json};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_copydesk")
}

fn corpus(root: &Path, n: usize) -> (PathBuf, u64) {
    let dir = root.join(format!("corpus-{n}"));
    let sources = dir.join("sources");
    let done = dir.join("done");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("generating {n} sources ...");
        let bytes = copydesk::synth::Synth::new(2).write_corpus(&sources, n).unwrap();
        std::fs::write(&done, bytes.to_string()).unwrap();
    }
    let bytes = std::fs::read_to_string(&done).unwrap().trim().parse().unwrap();
    (sources, bytes)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

/// Runs `copydesk index` and returns its wall time.
fn index_run(cache: &Path, sources: &Path) -> Duration {
    let t = Instant::now();
    let out = Command::new(bin())
        .args(["index", "--corpus"])
        .arg(sources)
        .env("COPYDESK_CACHE_DIR", cache)
        .output()
        .unwrap();
    let took = t.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    took
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Check time of `draft` in-process, with the index opened from `cache`:
/// (first check, median of the next runs), in ms.
fn check_time(cache: &Path, sources: &Path, draft: &str) -> (f64, f64) {
    // SAFETY: single-threaded at this point of the benchmark.
    unsafe { std::env::set_var("COPYDESK_CACHE_DIR", cache) };
    let config = Config::default();
    let (project, _) = Project::load_with(config, &[sources.to_path_buf()], |_, _| {}).unwrap();
    let doc = Document::parse(draft.to_string());
    let mut times = Vec::new();
    for _ in 0..8 {
        let t = Instant::now();
        let f = Checker::new(&project.index, &project.rules, &project.options).check(&doc);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(f);
    }
    let first = times.remove(0);
    (first, median(times))
}

fn status_kb(pid: u32, field: &str) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The server on this corpus: open a 2,000-word draft, type, add a source.
/// Returns (ms to the first diagnostics, resident MB after the checks, peak
/// MB, ms until a new source's figure shows in the diagnostics).
fn server(cache: &Path, sources: &Path, draft: &str) -> (f64, f64, f64, f64) {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("copydesk.toml"),
        format!(
            "[corpus]\npaths = [{:?}]\n[lsp]\ndebounce-ms = 50\n",
            std::fs::canonicalize(sources).unwrap()
        ),
    )
    .unwrap();
    let path = ws.path().join("draft.md");
    let probe = "\n\nIn Zorbtown, 4322 widgets were counted on Tuesday.\n";
    let text = format!("{draft}{probe}");
    std::fs::write(&path, &text).unwrap();
    let cache_s = cache.to_string_lossy().into_owned();
    let (mut client, _) = Client::start(
        ws.path(),
        capabilities(false, true),
        Value::Null,
        // The corpus is a generated folder outside this workspace.
        &[
            ("COPYDESK_CACHE_DIR", cache_s.as_str()),
            ("COPYDESK_ALLOW_OUTSIDE_PATHS", "1"),
        ],
    );
    let uri = url(&path);
    let opened = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    wait(&mut client, |p| p["uri"] == uri && p["version"] == 1);
    let ready = opened.elapsed().as_secs_f64() * 1000.0;
    // Edits in the middle paragraph.
    let line = text.lines().count() as u32 / 2;
    for k in 0..20 {
        let version = k + 2;
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "x"}]}),
        );
        wait(&mut client, |p| p["uri"] == uri && p["version"] == version);
    }
    let rss = status_kb(client.pid(), "VmRSS:") as f64 / 1024.0;
    let hwm = status_kb(client.pid(), "VmHWM:") as f64 / 1024.0;
    // A new source states the probe's figure differently: time until the
    // draft's diagnostics say so.
    let new_source = sources.join("zz-bench-new-source.txt");
    std::fs::write(
        &new_source,
        "In Zorbtown, 4321 widgets were counted on Tuesday, the council said.\n",
    )
    .unwrap();
    let t = Instant::now();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": url(&new_source), "type": 1}]}),
    );
    wait(&mut client, |p| {
        p["uri"] == uri
            && p["diagnostics"].as_array().is_some_and(|d| {
                d.iter().any(|d| {
                    d["code"] == "figure-mismatch"
                        && d["message"]
                            .as_str()
                            .is_some_and(|m| m.contains("4,321") || m.contains("4321"))
                })
            })
    });
    let visible = t.elapsed().as_secs_f64() * 1000.0;
    client.shutdown();
    std::fs::remove_file(&new_source).unwrap();
    (ready, rss, hwm, visible)
}

fn wait(client: &mut Client, pred: impl Fn(&Value) -> bool) -> Value {
    client
        .wait_for_within("textDocument/publishDiagnostics", Duration::from_secs(300), pred)
        .expect("diagnostics within 300 s")
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let root = std::env::var_os("COPYDESK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-archive"));
    let sizes: Vec<usize> = std::env::var("COPYDESK_BENCH_ARCHIVE")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let draft = copydesk::synth::Synth::new(99).draft(2000);

    // Baseline: five sources, same draft.
    let (small, _) = corpus(&root, 5);
    let small_cache = root.join("cache-5");
    let _ = std::fs::remove_dir_all(&small_cache);
    index_run(&small_cache, &small);
    let (_, base) = check_time(&small_cache, &small, &draft);
    println!("5 sources: check of a 2,000-word draft {base:.1} ms (median)");

    for n in sizes {
        let (sources, bytes) = corpus(&root, n);
        let cache = root.join(format!("cache-{n}"));
        let mb = bytes as f64 / 1e6;
        println!("{n} sources ({mb:.0} MB of text)");
        // COPYDESK_BENCH_REUSE=1 keeps an index built by an earlier run.
        let reuse = std::env::var_os("COPYDESK_BENCH_REUSE").is_some() && cache.exists();
        if !reuse {
            let _ = std::fs::remove_dir_all(&cache);
            let cold = index_run(&cache, &sources).as_secs_f64();
            println!("  cold build          {cold:.1} s ({:.1} MB/s)", mb / cold);
        }
        let warm = median((0..3).map(|_| index_run(&cache, &sources).as_secs_f64()).collect());
        println!("  warm open (command) {warm:.2} s (every file's size and time compared)");
        // One changed file, re-indexed by the command line.
        let victim = walkdir::WalkDir::new(&sources)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .find(|e| e.file_type().is_file())
            .unwrap()
            .into_path();
        let old = std::fs::read_to_string(&victim).unwrap();
        std::fs::write(
            &victim,
            format!("{old}\nOfficials said 17 more lorries were checked.\n"),
        )
        .unwrap();
        let one = index_run(&cache, &sources).as_secs_f64();
        std::fs::write(&victim, &old).unwrap();
        index_run(&cache, &sources);
        println!("  one file changed    `copydesk index` {one:.2} s");
        let disk = dir_size(&std::fs::read_dir(&cache).unwrap().flatten().next().unwrap().path());
        println!("  index on disk       {:.0} MB", disk as f64 / 1e6);
        let (first, check) = check_time(&cache, &sources, &draft);
        println!(
            "  check 2,000 words   first {first:.1} ms, then {check:.1} ms ({:.2}x the 5-source time)",
            check / base
        );
        let (ready, rss, hwm, visible) = server(&cache, &sources, &draft);
        println!(
            "  server              first diagnostics {ready:.0} ms after open; resident {rss:.0} MB after 20 edits (peak {hwm:.0} MB)"
        );
        println!(
            "  server              a new source visible in the draft's diagnostics {visible:.0} ms after the file event"
        );
        // The server's change went to disk; the next run takes it in.
        index_run(&cache, &sources);
    }
}
