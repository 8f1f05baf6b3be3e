//! Keystroke latency of `copydesk lsp` with its shipped defaults: the time
//! from a `didChange` to the `publishDiagnostics` for that version, end to
//! end (the client's framing, the check, the conversion), for 2,000- and
//! 20,000-word drafts, against the example corpus and a generated corpus.
//! Opening waits as long as indexing the generated corpus takes; only
//! keystrokes are held to the test client's timeout.
//!
//! `cargo bench --bench lsp_latency`. `COPYDESK_BENCH_SOURCES` sets the size of
//! the generated corpus (default 100000; 0 skips it); `COPYDESK_BENCH_KEYS`
//! the keystrokes per case (default 60); `COPYDESK_BENCH_HUGE_MB` the size of
//! the huge draft (default 20; 0 skips it), opened against the example corpus:
//! the time to its first diagnostics (published in stages as its check goes
//! on) and to all of them, then keystrokes typed into it.

#[path = "../tests/integration/lsp_client.rs"]
#[allow(dead_code)]
mod lsp_client;

use std::path::Path;
use std::time::{Duration, Instant};

use lsp_client::{Client, capabilities, url};
use serde_json::{Value, json};

/// How long the first check of a draft may take: it waits for the corpus
/// to be indexed, which for the default 100,000 generated sources on two
/// shared cores takes minutes, not the test client's 20 s.
const OPEN_TIMEOUT: Duration = Duration::from_secs(3600);

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Opens `draft` in a workspace whose corpus is `corpus`, types `keys`
/// characters into its middle paragraph, and returns the latencies in ms.
fn run(corpus: &Path, draft: &str, keys: usize) -> (Duration, Vec<f64>) {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("copydesk.toml"),
        format!("[corpus]\npaths = [{:?}]\n", std::fs::canonicalize(corpus).unwrap()),
    )
    .unwrap();
    let path = ws.path().join("draft.md");
    std::fs::write(&path, draft).unwrap();
    let log = std::env::var("COPYDESK_BENCH_LOG").unwrap_or_else(|_| "warn".into());
    let (mut client, _) = Client::start(
        ws.path(),
        capabilities(false, true),
        Value::Null,
        // The corpus is a generated folder outside this workspace.
        &[("COPYDESK_LOG", log.as_str()), ("COPYDESK_ALLOW_OUTSIDE_PATHS", "1")],
    );
    let uri = url(&path);
    let started = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": draft}}),
    );
    client
        .wait_for_within("textDocument/publishDiagnostics", OPEN_TIMEOUT, |p| {
            p["uri"] == uri && p["version"] == 1
        })
        .expect("the first check within the open timeout");
    let first = started.elapsed();
    // Type into the middle of the draft, at the end of a paragraph line.
    let out = type_in_middle(&mut client, &uri, draft, keys, None);
    client.shutdown();
    (first, out)
}

/// Types `keys` characters at the end of a paragraph line in the middle of
/// `draft` (open as version 1), each timed from its `didChange` to the
/// publish of its version, in milliseconds; `within` bounds each wait.
fn type_in_middle(client: &mut Client, uri: &str, draft: &str, keys: usize, within: Option<Duration>) -> Vec<f64> {
    let lines: Vec<&str> = draft.lines().collect();
    let line = (lines.len() / 2..lines.len())
        .find(|&i| !lines[i].is_empty())
        .unwrap_or(0);
    let start_col = lines[line].encode_utf16().count() as u64;
    let mut out = Vec::new();
    for (k, col) in (0..keys).zip(start_col..) {
        let version = k as i64 + 2;
        let t = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": "x"}]}),
        );
        let published = |p: &Value| p["uri"] == uri && p["version"] == version;
        match within {
            Some(limit) => {
                client
                    .wait_for_within("textDocument/publishDiagnostics", limit, published)
                    .expect("the keystroke's diagnostics");
            }
            None => {
                client.wait_for("textDocument/publishDiagnostics", published);
            }
        }
        out.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    out
}

fn report(name: &str, first: Duration, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{name:<44} open+first check {:>8.1} ms | keystroke to diagnostics: p50 {:>6.1} ms  p95 {:>6.1} ms  max {:>6.1} ms  (n={})",
        first.as_secs_f64() * 1000.0,
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(0.0),
        ms.len()
    );
}

/// Opens a draft of about `mb` MB against `corpus` and returns the time to
/// its first publish and to its last (the one holding every diagnostic, as
/// counted by checking the same text in this process), the publishes, and
/// the latencies of keystrokes typed into it then, in ms.
fn huge(corpus: &Path, mb: f64) -> (Duration, Duration, usize, usize, Vec<f64>) {
    let mut synth = copydesk::synth::Synth::new(17);
    let mut draft = String::new();
    while (draft.len() as f64) < mb * 1e6 {
        draft.push_str(&synth.draft(2_000));
        draft.push_str("\n\n");
    }
    let ws = tempfile::tempdir().unwrap();
    let config = ws.path().join("copydesk.toml");
    std::fs::write(
        &config,
        format!("[corpus]\npaths = [{:?}]\n", std::fs::canonicalize(corpus).unwrap()),
    )
    .unwrap();
    // What the last publish holds: every finding a writer sees.
    let want = {
        let mut config = copydesk::config::Config::load(&config).unwrap();
        config.boundary = copydesk::trust::Boundary::Anywhere;
        let project = copydesk::project::Project::load(config, &[]).unwrap();
        let (_, found) = project.check_text(&draft);
        found
            .iter()
            .filter(|f| f.code != copydesk::check::Code::Supported && !f.is_suppressed())
            .count()
    };
    let path = ws.path().join("draft.md");
    std::fs::write(&path, &draft).unwrap();
    let (mut client, _) = Client::start(
        ws.path(),
        capabilities(false, true),
        Value::Null,
        &[("COPYDESK_ALLOW_OUTSIDE_PATHS", "1")],
    );
    let uri = url(&path);
    let started = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": draft}}),
    );
    let (mut first, mut publishes) = (None, 0);
    loop {
        let p = client
            .wait_for_within("textDocument/publishDiagnostics", OPEN_TIMEOUT, |p| {
                p["uri"] == uri && p["version"] == 1
            })
            .expect("the huge draft's diagnostics within the open timeout");
        publishes += 1;
        first.get_or_insert(started.elapsed());
        if p["diagnostics"].as_array().map_or(0, Vec::len) >= want {
            break;
        }
    }
    let all = started.elapsed();
    // Then keystrokes at the end of a line in the middle, each timed to the
    // publish of its version (a keystroke's check publishes once, whole).
    let keys = type_in_middle(&mut client, &uri, &draft, HUGE_KEYS, Some(OPEN_TIMEOUT));
    client.shutdown();
    (first.unwrap_or(all), all, publishes, want, keys)
}

/// Keystrokes typed into the huge draft once it is checked.
const HUGE_KEYS: usize = 5;

fn main() {
    // `cargo bench` passes `--bench`; accept and ignore harness flags.
    let keys: usize = std::env::var("COPYDESK_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let sources: usize = std::env::var("COPYDESK_BENCH_SOURCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let small = copydesk::synth::Synth::new(11).draft(2_000);
    let large = copydesk::synth::Synth::new(12).draft(20_000);
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sources");
    let huge_mb: f64 = std::env::var("COPYDESK_BENCH_HUGE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20.0);
    if huge_mb > 0.0 {
        let (first, all, publishes, n, mut keys) = huge(&example, huge_mb);
        println!(
            "example corpus (6 sources), {huge_mb} MB draft: first diagnostics {:>8.1} ms, all {:>8.1} ms ({publishes} publishes, {n} diagnostics)",
            first.as_secs_f64() * 1000.0,
            all.as_secs_f64() * 1000.0
        );
        keys.sort_by(|a, b| a.total_cmp(b));
        println!(
            "example corpus (6 sources), {huge_mb} MB draft: keystroke to diagnostics: p50 {:>6.1} ms  max {:>6.1} ms  (n={})",
            percentile(&keys, 0.5),
            keys.last().copied().unwrap_or(0.0),
            keys.len()
        );
    }
    for (name, draft) in [("2,000 words", &small), ("20,000 words", &large)] {
        let (first, ms) = run(&example, draft, keys);
        report(&format!("example corpus (6 sources), {name}"), first, ms);
    }
    if sources > 0 {
        let dir = tempfile::tempdir().unwrap();
        let t = Instant::now();
        let bytes = copydesk::synth::Synth::new(2)
            .write_corpus(&dir.path().join("s"), sources)
            .unwrap();
        println!(
            "generated {sources} sources ({:.0} MB) in {:.1} s",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        for (name, draft) in [("2,000 words", &small), ("20,000 words", &large)] {
            let (first, ms) = run(&dir.path().join("s"), draft, keys);
            report(&format!("generated corpus ({sources} sources), {name}"), first, ms);
        }
    }
}
