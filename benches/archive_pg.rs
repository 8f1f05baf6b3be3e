//! The PostgreSQL archive beside the embedded index, in the same run: ingest
//! MB/s, and the check time of the example draft (`examples/draft.md`) and of
//! a generated 2,000-word draft, p50/p95 for one client and for 20 clients
//! checking at once.
//!
//! `COPYDESK_BENCH_DATABASE_URL` (else `COPYDESK_TEST_DATABASE_URL`) names a
//! server and a role that may create databases (`tests/pg/start.sh` starts a
//! throwaway one); without either the benchmark says so and stops.
//! `COPYDESK_BENCH_PG` lists the corpus sizes (default `10000,100000`; add
//! `1000000` for the full run). Each corpus is the example's six sources plus
//! that many generated ones, written once under `target/bench-pg/` (or
//! `COPYDESK_BENCH_DIR`) and reused; `COPYDESK_BENCH_REUSE=1` also keeps the
//! index and database an earlier run built. `COPYDESK_BENCH_EMBEDDED=0` skips
//! the embedded index (for a 1M run in PostgreSQL only).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use copydesk::archive::Archive;
use copydesk::archive::view::{ArchiveCheck, check as archive_check};
use copydesk::config::Config;
use copydesk::markdown::Document;
use copydesk::project::Project;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Clients checking at once in the concurrent runs.
const CLIENTS: usize = 20;
/// Checks each client runs.
const ROUNDS: usize = 5;
/// Checks in the one-client run.
const SINGLE: usize = 20;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_copydesk")
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example's sources and `n` generated ones; returns the folder and its bytes.
fn corpus(root: &Path, n: usize) -> (PathBuf, u64) {
    let dir = root.join(format!("corpus-{n}"));
    let sources = dir.join("sources");
    let done = dir.join("done");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("generating {n} sources ...");
        let mut bytes = copydesk::synth::Synth::new(2)
            .write_corpus(&sources.join("generated"), n)
            .unwrap();
        let example = sources.join("example");
        std::fs::create_dir_all(&example).unwrap();
        for e in std::fs::read_dir(manifest().join("examples/sources"))
            .unwrap()
            .flatten()
        {
            bytes += std::fs::copy(e.path(), example.join(e.file_name())).unwrap();
        }
        std::fs::write(&done, bytes.to_string()).unwrap();
    }
    let bytes = std::fs::read_to_string(&done).unwrap().trim().parse().unwrap();
    (sources, bytes)
}

/// GNU time, which reports a child's peak resident memory.
const TIME: &str = "/usr/bin/time";

/// Runs `copydesk index` with `args`; returns its wall time and, where GNU
/// time is installed, its peak resident memory in MB.
fn index_run(args: &[&str], cache: &Path) -> (Duration, Option<f64>) {
    let timed = Path::new(TIME).exists();
    let mut cmd = if timed {
        let mut c = Command::new(TIME);
        c.args(["-f", "copydesk-peak-rss-kb=%M", bin()]);
        c
    } else {
        Command::new(bin())
    };
    let t = Instant::now();
    let out = cmd
        .arg("index")
        .args(args)
        .env("COPYDESK_CACHE_DIR", cache)
        .output()
        .unwrap();
    let took = t.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("copydesk-peak-rss-kb="))
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    (took, peak)
}

/// " , peak 123 MB" when known.
fn peak(mb: Option<f64>) -> String {
    mb.map(|m| format!(", peak {m:.0} MB resident")).unwrap_or_default()
}

/// (p50, p95) of `v`, in ms.
fn percentiles(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A database of the benchmark's own on the server at `admin`.
fn database(admin: &str, n: usize, reuse: bool) -> (String, bool) {
    let name = format!("copydesk_bench_{n}");
    let mut c = postgres::Client::connect(admin, postgres::NoTls).expect("benchmark server reachable");
    let exists = c
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .is_some();
    if !(reuse && exists) {
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    }
    let (base, _) = admin.rsplit_once('/').unwrap();
    (format!("{base}/{name}"), reuse && exists)
}

/// One backend's check of one draft, as many clients run it.
trait Bench: Sync {
    /// A client's state (a connection, for the archive).
    type Client: Send;
    fn client(&self) -> Self::Client;
    /// Checks the draft; returns how many findings.
    fn check(&self, client: &mut Self::Client, doc: &Document) -> usize;
}

struct Embedded(Project);

impl Bench for Embedded {
    type Client = ();
    fn client(&self) {}
    fn check(&self, _: &mut (), doc: &Document) -> usize {
        self.0.checker().check(doc).len()
    }
}

struct Pg {
    url: String,
    rules: copydesk::rules::Rules,
    options: copydesk::check::CheckOptions,
}

impl Bench for Pg {
    type Client = Archive;
    fn client(&self) -> Archive {
        Archive::connect(&self.url).unwrap()
    }
    fn check(&self, archive: &mut Archive, doc: &Document) -> usize {
        let how = ArchiveCheck {
            rules: &self.rules,
            options: &self.options,
            names: true,
            scope: None,
        };
        archive_check(archive, doc, None, &how).unwrap().0.len()
    }
}

/// One client's check times, then `CLIENTS` clients' at once: ((p50, p95),
/// (p50, p95)) in ms, and the findings of the first check.
fn measure<B: Bench>(b: &B, doc: &Document) -> ((f64, f64), (f64, f64), usize) {
    let mut client = b.client();
    let findings = b.check(&mut client, doc);
    let single: Vec<f64> = (0..SINGLE)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(b.check(&mut client, doc));
            ms(t.elapsed())
        })
        .collect();
    let barrier = Arc::new(std::sync::Barrier::new(CLIENTS));
    let many: Vec<f64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let barrier = barrier.clone();
                s.spawn(move || {
                    let mut client = b.client();
                    barrier.wait();
                    (0..ROUNDS)
                        .map(|_| {
                            let t = Instant::now();
                            std::hint::black_box(b.check(&mut client, doc));
                            ms(t.elapsed())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    (percentiles(single), percentiles(many), findings)
}

fn report(backend: &str, draft: &str, (one, many, findings): ((f64, f64), (f64, f64), usize)) {
    println!(
        "  {backend:<10} {draft:<16} 1 client p50 {:>7.1} ms p95 {:>7.1} ms | {CLIENTS} clients p50 {:>7.1} ms p95 {:>7.1} ms ({:.1}x) | {findings} findings",
        one.0,
        one.1,
        many.0,
        many.1,
        many.0 / one.0
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let Some(admin) = std::env::var("COPYDESK_BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("COPYDESK_TEST_DATABASE_URL"))
        .ok()
    else {
        eprintln!(
            "archive_pg: set COPYDESK_BENCH_DATABASE_URL to a server where this role may create databases (tests/pg/start.sh starts one)"
        );
        return;
    };
    let root = std::env::var_os("COPYDESK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest().join("target/bench-pg"));
    let sizes: Vec<usize> = std::env::var("COPYDESK_BENCH_PG")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let reuse = std::env::var_os("COPYDESK_BENCH_REUSE").is_some();
    let embedded = std::env::var("COPYDESK_BENCH_EMBEDDED").map_or(true, |v| v != "0");
    let drafts = [
        (
            "example draft",
            Document::parse(std::fs::read_to_string(manifest().join("examples/draft.md")).unwrap()),
        ),
        (
            "2,000 words",
            Document::parse(copydesk::synth::Synth::new(99).draft(2000)),
        ),
    ];
    // `COPYDESK_BENCH_DRAFTS=DIR` writes the drafts out, to check them with
    // the CLI (`COPYDESK_LOG=copydesk=debug` logs each archive query).
    if let Some(dir) = std::env::var_os("COPYDESK_BENCH_DRAFTS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (_, doc)) in drafts.iter().enumerate() {
            std::fs::write(dir.join(format!("draft-{i}.md")), &doc.text).unwrap();
        }
    }
    let config = Config::default();
    println!(
        "{} cores; {CLIENTS} clients x {ROUNDS} checks each, one client {SINGLE} checks",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    for n in sizes {
        let (sources, bytes) = corpus(&root, n);
        let mb = bytes as f64 / 1e6;
        let src = sources.to_str().unwrap();
        println!("{n} generated sources + the example's 6 ({mb:.0} MB of text)");
        let cache = root.join(format!("cache-{n}"));
        if embedded && !(reuse && cache.exists()) {
            let _ = std::fs::remove_dir_all(&cache);
            let (cold, rss) = index_run(&["--corpus", src], &cache);
            let cold = cold.as_secs_f64();
            println!("  embedded   build  {cold:>7.1} s ({:.1} MB/s{})", mb / cold, peak(rss));
        }
        let (url, kept) = database(&admin, n, reuse);
        if !kept {
            let (cold, rss) = index_run(&["--database", &url, "--corpus", src], &cache);
            let cold = cold.as_secs_f64();
            println!("  postgres   ingest {cold:>7.1} s ({:.2} MB/s{})", mb / cold, peak(rss));
        }
        let again = index_run(&["--database", &url, "--corpus", src], &cache)
            .0
            .as_secs_f64();
        println!("  postgres   re-ingest, nothing changed {again:.1} s");
        {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            c.batch_execute("VACUUM ANALYZE").unwrap();
            let size: i64 = c
                .query_one("SELECT pg_database_size(current_database())", &[])
                .unwrap()
                .get(0);
            println!("  postgres   database size {:.0} MB", size as f64 / 1e6);
            // Where it goes: each table with its indexes and TOAST.
            let tables = c
                .query(
                    "SELECT relname, pg_total_relation_size(oid) FROM pg_class \
                     WHERE relkind = 'r' AND relname LIKE 'copydesk%' ORDER BY 2 DESC",
                    &[],
                )
                .unwrap();
            let parts: Vec<String> = tables
                .iter()
                .map(|r| {
                    format!(
                        "{} {:.0}",
                        r.get::<_, String>(0).trim_start_matches("copydesk_"),
                        r.get::<_, i64>(1) as f64 / 1e6
                    )
                })
                .collect();
            println!("  postgres   by table (MB, with indexes): {}", parts.join(", "));
        }

        let local = embedded.then(|| {
            // SAFETY: no other thread runs yet.
            unsafe { std::env::set_var("COPYDESK_CACHE_DIR", &cache) };
            let (project, _) = Project::load_with(config.clone(), std::slice::from_ref(&sources), |_, _| {}).unwrap();
            Embedded(project)
        });
        let pg = Pg {
            url: url.clone(),
            rules: copydesk::rules::Rules::load(&config.rule_paths()).unwrap(),
            options: config.check_options(),
        };
        for (name, doc) in &drafts {
            let mut archive = pg.client();
            let how = ArchiveCheck {
                rules: &pg.rules,
                options: &pg.options,
                names: true,
                scope: None,
            };
            let (_, view) = archive_check(&mut archive, doc, None, &how).unwrap();
            println!("  postgres   {name}: {} batches of queries", view.round_trips);
            if let Some(local) = &local {
                report("embedded", name, measure(local, doc));
            }
            report("postgres", name, measure(&pg, doc));
        }
    }
}
