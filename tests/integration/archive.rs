//! The PostgreSQL archive against a real server. `.ci/run` starts a
//! throwaway cluster (`tests/pg/start.sh`) and sets
//! `COPYDESK_TEST_DATABASE_URL` to a superuser URL; each test makes its own
//! database. Without the variable the tests say they were skipped, unless
//! `COPYDESK_EXTERNAL_TESTS=1`, which makes its absence a failure.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::support::{copydesk, root, stderr, stdout};

/// A database of its own for one test, dropped after it.
pub(crate) struct TestDb {
    admin: String,
    name: String,
    pub url: String,
}

impl TestDb {
    pub(crate) fn new(test: &str) -> Option<TestDb> {
        let Ok(admin) = std::env::var("COPYDESK_TEST_DATABASE_URL") else {
            assert!(
                !crate::external::required(),
                "COPYDESK_TEST_DATABASE_URL is not set: .ci/run starts a PostgreSQL cluster with tests/pg/start.sh"
            );
            eprintln!("skipped: set COPYDESK_TEST_DATABASE_URL (tests/pg/start.sh starts a server)");
            return None;
        };
        let name = format!("copydesk_{test}_{}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("test server reachable");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        Some(TestDb { admin, name, url })
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }

    /// The URL with another password.
    fn with_password(&self, pw: &str) -> String {
        let (scheme, rest) = self.url.split_once("://").unwrap();
        let (userinfo, host) = rest.split_once('@').unwrap();
        let user = userinfo.split(':').next().unwrap();
        format!("{scheme}://{user}:{pw}@{host}")
    }

    /// The URL through another port (a proxy).
    fn via_port(&self, port: u16) -> String {
        let (before, after) = self.url.rsplit_once(':').unwrap();
        let (_, db) = after.split_once('/').unwrap();
        format!("{before}:{port}/{db}")
    }

    fn port(&self) -> u16 {
        let after = self.url.rsplit_once(':').unwrap().1;
        after.split('/').next().unwrap().parse().unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    copydesk().current_dir(dir).args(args).output().unwrap()
}

pub(crate) fn ingest(dir: &Path, url: &str, corpus: &Path) -> Output {
    let out = run_in(dir, &["index", "--database", url, "--corpus", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "ingest failed: {}", stderr(&out));
    out
}

/// `copydesk check --format json` of `draft.md` in `dir` against the embedded
/// index of `corpus`: what the archive's check is compared with.
pub(crate) fn check_embedded(dir: &Path, corpus: &Path) -> Output {
    run_in(
        dir,
        &[
            "check",
            "--format",
            "json",
            "--corpus",
            corpus.to_str().unwrap(),
            "draft.md",
        ],
    )
}

/// A copy of the example corpus in a folder of its own.
pub(crate) fn example_corpus(into: &Path) -> std::path::PathBuf {
    let dir = into.join("sources");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(root().join("examples/sources")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    dir
}

#[test]
fn archive_check_matches_embedded_on_the_example_story_without_the_files() {
    let Some(db) = TestDb::new("example") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    let desk = tmp.path().join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    std::fs::copy(root().join("examples/draft.md"), desk.join("draft.md")).unwrap();
    let embedded = check_embedded(&desk, &corpus);
    assert_eq!(embedded.status.code(), Some(1), "{}", stderr(&embedded));
    let first = ingest(&desk, &db.url, &corpus);
    assert!(stdout(&first).contains("6 sources written"), "{}", stdout(&first));
    // The reporter's machine has none of the corpus files.
    std::fs::remove_dir_all(&corpus).unwrap();
    let archived = run_in(&desk, &["check", "--format", "json", "--database", &db.url, "draft.md"]);
    assert_eq!(archived.status.code(), Some(1), "{}", stderr(&archived));
    assert_eq!(stdout(&archived), stdout(&embedded));
    // Passages come from the archive's copy of the text.
    let report: serde_json::Value = serde_json::from_slice(&archived.stdout).unwrap();
    let passages: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["sources"].as_array().into_iter().flatten())
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert!(passages.iter().any(|t| t.contains("1,094")), "{passages:?}");

    // Eight checks at once agree.
    let children: Vec<_> = (0..8)
        .map(|_| {
            copydesk()
                .current_dir(&desk)
                .args(["check", "--format", "json", "--database", &db.url, "draft.md"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!(stdout(&out), stdout(&embedded), "{}", stderr(&out));
    }
}

/// Source dates from a dateline and a date line are read from the archive's
/// copy of the text, so revisions read the same with `--database`.
#[test]
fn archive_check_reads_revisions_like_embedded() {
    let Some(db) = TestDb::new("revisions") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("sources");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("day1.txt"),
        "Crash toll\nPublished: 25 July 2013\n\nThe regional government said 77 people had died in the train crash.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("wire.txt"),
        "Toll rises\nMADRID, July 26, 2013 (Reuters) - The death toll from the train crash rose to 80 from 77 overnight, the regional government said.\n",
    )
    .unwrap();
    let desk = tmp.path().join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    std::fs::write(
        desk.join("draft.md"),
        "The regional government said 77 people had died in the train crash.\n",
    )
    .unwrap();
    let embedded = check_embedded(&desk, &corpus);
    assert!(stdout(&embedded).contains("figure-outdated"), "{}", stdout(&embedded));
    ingest(&desk, &db.url, &corpus);
    std::fs::remove_dir_all(&corpus).unwrap();
    let archived = run_in(&desk, &["check", "--format", "json", "--database", &db.url, "draft.md"]);
    assert_eq!(stdout(&archived), stdout(&embedded), "{}", stderr(&archived));
}

#[test]
fn ingest_is_incremental_and_follows_edits_and_removals() {
    let Some(db) = TestDb::new("incremental") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    ingest(tmp.path(), &db.url, &corpus);
    let again = ingest(tmp.path(), &db.url, &corpus);
    assert!(
        stdout(&again).contains("0 sources written, 6 unchanged"),
        "{}",
        stdout(&again)
    );

    // An edit replaces that file's facts and nothing else.
    let court = corpus.join("court-case.md");
    let text = std::fs::read_to_string(&court).unwrap();
    assert!(text.contains("seven newborn babies"));
    std::fs::write(&court, text.replace("seven newborn babies", "nine newborn babies")).unwrap();
    let edited = ingest(tmp.path(), &db.url, &corpus);
    assert!(
        stdout(&edited).contains("1 source written, 5 unchanged"),
        "{}",
        stdout(&edited)
    );
    let mut c = db.client();
    let n: i64 = c
        .query_one(
            "SELECT count(*) FROM copydesk_sources WHERE body LIKE '%nine newborn%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    let old: i64 = c
        .query_one(
            "SELECT count(*) FROM copydesk_sources WHERE body LIKE '%seven newborn%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(old, 0);
    // The counts behind idf follow: no postings or counts of the old version.
    let stale: i64 = c
        .query_one(
            "SELECT count(*) FROM copydesk_term_df d WHERE d.df <> \
             (SELECT coalesce(sum(cardinality(sentences)), 0) FROM copydesk_postings p WHERE p.term = d.term)",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(stale, 0);

    // A file removed is dropped; a file added is listed.
    std::fs::remove_file(corpus.join("blue-mountains.txt")).unwrap();
    std::fs::write(
        corpus.join("late-wire.md"),
        "---\ntitle: Late wire\nkey: late-wire\n---\nOfficials said 17 schools were closed.\n",
    )
    .unwrap();
    let changed = ingest(tmp.path(), &db.url, &corpus);
    assert!(
        stdout(&changed).contains("1 source written, 5 unchanged, 0 re-stamped, 1 removed"),
        "{}",
        stdout(&changed)
    );
    let listed = run_in(tmp.path(), &["sources", "--database", &db.url]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let listed = stdout(&listed);
    assert!(listed.contains("late-wire") && listed.contains("Late wire"), "{listed}");
    assert!(!listed.contains("blue-mountains"), "{listed}");
    assert!(listed.contains("6 sources"), "{listed}");
    let live: i64 = c
        .query_one("SELECT sentences FROM copydesk_counters", &[])
        .unwrap()
        .get(0);
    let rows: i64 = c
        .query_one("SELECT count(*) FROM copydesk_sentences", &[])
        .unwrap()
        .get(0);
    assert_eq!(live, rows);
}

#[test]
fn records_of_another_copydesk_are_refused_by_check_and_re_analysed_by_index() {
    let Some(db) = TestDb::new("recordformat") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    let desk = tmp.path().join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    std::fs::copy(root().join("examples/draft.md"), desk.join("draft.md")).unwrap();
    ingest(tmp.path(), &db.url, &corpus);
    let check = || run_in(&desk, &["check", "--format", "json", "--database", &db.url, "draft.md"]);
    let before = check();
    assert!(
        before.status.success() || before.status.code() == Some(1),
        "{}",
        stderr(&before)
    );
    // Two sources as an older copydesk wrote them, and one as a newer one's
    // rules analysed it: the files themselves are unchanged.
    db.client()
        .batch_execute(
            "UPDATE copydesk_sources SET record_format = 0 WHERE id IN (SELECT id FROM copydesk_sources ORDER BY id LIMIT 2);
             UPDATE copydesk_sources SET rules = rules + 1 WHERE id = (SELECT max(id) FROM copydesk_sources);",
        )
        .unwrap();
    let refused = check();
    assert_eq!(refused.status.code(), Some(2), "{}", stdout(&refused));
    assert!(
        stderr(&refused).contains("2 source(s) analysed by another copydesk version")
            && stderr(&refused).contains("copydesk index --database"),
        "{}",
        stderr(&refused)
    );
    // The next ingest analyses the three again and leaves the rest.
    let again = ingest(tmp.path(), &db.url, &corpus);
    assert!(
        stdout(&again).contains("3 sources written, 3 unchanged"),
        "{}",
        stdout(&again)
    );
    let after = check();
    assert_eq!(stdout(&after), stdout(&before));
}

#[test]
fn two_ingesters_at_once_and_a_check_during_an_ingest() {
    let Some(db) = TestDb::new("concurrent") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    let wires = tmp.path().join("wires");
    copydesk::synth::Synth::new(7).write_corpus(&wires, 300).unwrap();
    // Migrate once, so both ingesters start on a ready schema either way.
    ingest(tmp.path(), &db.url, &corpus);
    let spawn = |p: &Path| {
        copydesk()
            .current_dir(tmp.path())
            .args(["index", "--database", &db.url, "--corpus", p.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn(&wires);
    let b = spawn(&wires);
    // A check while they write: it sees the archive before or after each file, never half of one.
    std::fs::copy(root().join("examples/draft.md"), tmp.path().join("draft.md")).unwrap();
    let during = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--database",
            &db.url,
            "--corpus",
            corpus.to_str().unwrap(),
            "draft.md",
        ],
    );
    assert_eq!(during.status.code(), Some(1), "{}", stderr(&during));
    for c in [a, b] {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let mut c = db.client();
    let n: i64 = c
        .query_one("SELECT count(*) FROM copydesk_sources", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 6 + 300);
    let dup: i64 = c
        .query_one("SELECT count(*) - count(DISTINCT path) FROM copydesk_sources", &[])
        .unwrap()
        .get(0);
    assert_eq!(dup, 0);
    // The check narrowed to the story's sources gives the same findings after the ingest.
    let after = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--database",
            &db.url,
            "--corpus",
            corpus.to_str().unwrap(),
            "draft.md",
        ],
    );
    let findings = |o: &Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {}", d["code"], d["text"]))
            .collect()
    };
    assert_eq!(findings(&during), findings(&after));
}

#[test]
fn a_wrong_password_exits_2_naming_the_authentication_failure() {
    let Some(db) = TestDb::new("password") else { return };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("draft.md"), "Police held 43 suspects.\n").unwrap();
    let url = db.with_password("not-the-password");
    let out = run_in(tmp.path(), &["check", "--database", &url, "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(
        !err.contains("not-the-password"),
        "the password is never printed: {err}"
    );
    // Through the environment too, with the password from PGPASSWORD.
    let bare = db.with_password("x").replace(":x@", "@");
    let out = copydesk()
        .current_dir(tmp.path())
        .args(["check", "draft.md"])
        .env("COPYDESK_DATABASE_URL", &bare)
        .env("PGPASSWORD", "still-wrong")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("password authentication failed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_database_that_is_down_or_empty_is_reported_not_waited_for() {
    let Some(db) = TestDb::new("down") else { return };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("draft.md"), "Police held 43 suspects.\n").unwrap();
    // Nothing listens on this port.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = std::time::Instant::now();
    let out = run_in(tmp.path(), &["check", "--database", &db.via_port(port), "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot connect"), "{}", stderr(&out));
    assert!(started.elapsed().as_secs() < 10);
    // A database without an archive is not an empty corpus.
    let out = run_in(tmp.path(), &["check", "--database", &db.url, "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no copydesk archive"), "{}", stderr(&out));
    // One newer than this build is refused.
    let corpus = example_corpus(tmp.path());
    ingest(tmp.path(), &db.url, &corpus);
    db.client()
        .execute("INSERT INTO copydesk_schema (version) VALUES (999)", &[])
        .unwrap();
    for args in [
        vec!["check", "--database", &db.url, "draft.md"],
        vec!["index", "--database", &db.url, "--corpus", corpus.to_str().unwrap()],
    ] {
        let out = run_in(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("newer than this copydesk"), "{}", stderr(&out));
    }
}

/// A TCP proxy to the test server that cuts every connection once the
/// client sends `trigger` (a statement the test wants the server gone at).
fn cutting_proxy(target: u16, trigger: &'static [u8]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let Ok(mut server) = TcpStream::connect(("127.0.0.1", target)) else {
                continue;
            };
            let cut = Arc::new(AtomicBool::new(false));
            let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let cut2 = cut.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 16384];
                while let Ok(n) = s2.read(&mut buf) {
                    if n == 0 || cut2.load(Ordering::SeqCst) || c2.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = c2.shutdown(std::net::Shutdown::Both);
            });
            std::thread::spawn(move || {
                let mut buf = [0u8; 16384];
                while let Ok(n) = client.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if buf[..n].windows(trigger.len()).any(|w| w == trigger) {
                        cut.store(true, Ordering::SeqCst);
                        break;
                    }
                    if server.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = client.shutdown(std::net::Shutdown::Both);
                let _ = server.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    port
}

#[test]
fn a_server_gone_mid_check_or_mid_ingest_fails_cleanly() {
    let Some(db) = TestDb::new("cut") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    ingest(tmp.path(), &db.url, &corpus);
    std::fs::copy(root().join("examples/draft.md"), tmp.path().join("draft.md")).unwrap();
    // Gone once the check starts fetching the draft's candidates.
    let port = cutting_proxy(db.port(), b"copydesk_term_df");
    let started = std::time::Instant::now();
    let out = run_in(tmp.path(), &["check", "--database", &db.via_port(port), "draft.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
    assert!(started.elapsed().as_secs() < 30);

    // Gone while a file's rows are copied: the archive is as before that file.
    let extra = tmp.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(extra.join("a.md"), "---\nkey: extra-a\n---\nCrews saved 12 homes.\n").unwrap();
    let before: i64 = db
        .client()
        .query_one("SELECT count(*) FROM copydesk_postings", &[])
        .unwrap()
        .get(0);
    let port = cutting_proxy(db.port(), b"COPY copydesk_values");
    let out = run_in(
        tmp.path(),
        &[
            "index",
            "--database",
            &db.via_port(port),
            "--corpus",
            extra.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let mut c = db.client();
    let after: i64 = c
        .query_one("SELECT count(*) FROM copydesk_postings", &[])
        .unwrap()
        .get(0);
    assert_eq!(before, after);
    let n: i64 = c
        .query_one("SELECT count(*) FROM copydesk_sources WHERE key = 'extra-a'", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    // And the file goes in when the server is back.
    ingest(tmp.path(), &db.url, &extra);
    let n: i64 = c
        .query_one("SELECT count(*) FROM copydesk_sources WHERE key = 'extra-a'", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[test]
fn sql_metacharacters_and_quotes_in_a_source_are_only_text() {
    let Some(db) = TestDb::new("quotes") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("odd");
    std::fs::create_dir_all(&corpus).unwrap();
    let title = r#"O'Brien's "report"; DROP TABLE copydesk_sources; --"#;
    let body = format!(
        "---\ntitle: '{}'\nkey: o-brien\n---\nThe council's report said 41 bridges were unsafe; \
         '); DELETE FROM copydesk_sentences; -- and \\x00 $1 %s ? were noted.\n",
        title.replace('\'', "''")
    );
    std::fs::write(corpus.join("o'brien; drop.md"), &body).unwrap();
    ingest(tmp.path(), &db.url, &corpus);
    let listed = run_in(tmp.path(), &["sources", "--database", &db.url, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(v["sources"][0]["title"], title);
    assert!(v["sources"][0]["path"].as_str().unwrap().ends_with("o'brien; drop.md"));
    std::fs::write(
        tmp.path().join("draft.md"),
        "The council's report said 14 bridges were unsafe.\n",
    )
    .unwrap();
    let out = run_in(
        tmp.path(),
        &["check", "--format", "json", "--database", &db.url, "draft.md"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "figure-mismatch", "{}", stdout(&out));
    assert!(
        d["sources"][0]["text"]
            .as_str()
            .unwrap()
            .contains("DELETE FROM copydesk_sentences")
    );
    let mut c = db.client();
    let n: i64 = c
        .query_one("SELECT count(*) FROM copydesk_sentences", &[])
        .unwrap()
        .get(0);
    assert!(n > 0);
}

#[test]
fn both_backends_give_the_same_findings_on_generated_news_in_few_round_trips() {
    use copydesk::archive::{Archive, ingest, view};
    use copydesk::check::{CheckOptions, Checker};
    let Some(db) = TestDb::new("synth") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let wires = tmp.path().join("wires");
    copydesk::synth::Synth::new(11).write_corpus(&wires, 400).unwrap();
    let rules = copydesk::rules::Rules::builtin();
    let options = CheckOptions::default();
    let index = copydesk::index::Index::from_paths(std::slice::from_ref(&wires), &rules, |_, _| {}).unwrap();
    let names = copydesk::names::NameIndex::build(&index, &rules);
    let mut archive = Archive::connect(&db.url).unwrap();
    ingest::ingest(&mut archive, &[wires], &rules, |_, _| {}).unwrap();
    let how = view::ArchiveCheck {
        rules: &rules,
        options: &options,
        names: true,
        scope: None,
    };
    let mut synth = copydesk::synth::Synth::new(12);
    let mut trips = Vec::new();
    for _ in 0..6 {
        let doc = copydesk::markdown::Document::parse(synth.draft(400));
        let local = Checker::new(&index, &rules, &options).with_names(&names).check(&doc);
        let (remote, v) = view::check(&mut archive, &doc, None, &how).unwrap();
        assert!(local.len() > 5, "{local:?}");
        assert_eq!(format!("{local:#?}"), format!("{remote:#?}"));
        trips.push(v.round_trips);
    }
    // Batches of queries per draft, whatever its number of figures.
    assert!(trips.iter().all(|&t| t <= 6), "{trips:?}");
}

#[test]
fn misspelt_names_are_found_in_the_archive_as_in_the_embedded_index() {
    let Some(db) = TestDb::new("names") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("wires");
    copydesk::synth::Synth::new(5)
        .write_corpus(&corpus.join("gen"), 120)
        .unwrap();
    std::fs::write(
        corpus.join("harbour.txt"),
        "The harbour master, Ingrid Vasquez, told reporters that 14 ferries were delayed.\n\n\
         Mayor Tobias Okonkwo said the council would meet on Monday.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("council.txt"),
        "Councillor Priya Raman asked Tobias Okonkwo about the ferry contract.\n",
    )
    .unwrap();
    let desk = tmp.path().join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    std::fs::write(
        desk.join("draft.md"),
        "Ingrid Vazquez, the harbour master, said ferries were late.\n\n\
         Tobias Okonkow told Priya Raman the contract stood.\n",
    )
    .unwrap();
    let embedded = check_embedded(&desk, &corpus);
    ingest(&desk, &db.url, &corpus);
    let archived = run_in(&desk, &["check", "--format", "json", "--database", &db.url, "draft.md"]);
    assert_eq!(stdout(&archived), stdout(&embedded), "{}", stderr(&archived));
    let v: serde_json::Value = serde_json::from_slice(&archived.stdout).unwrap();
    let fixes: Vec<(String, String)> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "name-mismatch")
        .map(|d| {
            (
                d["text"].as_str().unwrap().to_string(),
                d["replacement"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        fixes,
        vec![
            ("Ingrid Vazquez".to_string(), "Ingrid Vasquez".to_string()),
            ("Tobias Okonkow".to_string(), "Tobias Okonkwo".to_string())
        ]
    );
    // A spelling the archive has is no near miss.
    std::fs::write(desk.join("draft.md"), "Priya Raman and Ingrid Vasquez spoke.\n").unwrap();
    let clean = run_in(&desk, &["check", "--format", "json", "--database", &db.url, "draft.md"]);
    assert!(!stdout(&clean).contains("name-mismatch"), "{}", stdout(&clean));

    // The only source spelling "Ingrid Vasquez" goes: its spelling stays in
    // the archive's table of spellings but names no source, so the archive
    // flags what the embedded index flags without that file.
    std::fs::remove_file(corpus.join("harbour.txt")).unwrap();
    std::fs::write(
        desk.join("draft.md"),
        "Ingrid Vazquez, the harbour master, said ferries were late.\n\n\
         Tobias Okonkow told Priya Raman the contract stood.\n",
    )
    .unwrap();
    ingest(&desk, &db.url, &corpus);
    let embedded = check_embedded(&desk, &corpus);
    let archived = run_in(&desk, &["check", "--format", "json", "--database", &db.url, "draft.md"]);
    assert_eq!(stdout(&archived), stdout(&embedded), "{}", stderr(&archived));
    assert!(!stdout(&archived).contains("Ingrid Vasquez"), "{}", stdout(&archived));
    assert!(stdout(&archived).contains("Tobias Okonkwo"), "{}", stdout(&archived));
}

/// A proxy to the test server that refuses every connection (accepts and
/// closes it) until `up` is set: a database that is down, then comes back.
fn switch_proxy(target: u16, up: Arc<AtomicBool>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            if !up.load(Ordering::SeqCst) {
                drop(client);
                continue;
            }
            let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                continue;
            };
            for (mut from, mut to) in [
                (client.try_clone().unwrap(), server.try_clone().unwrap()),
                (server, client),
            ] {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from, &mut to);
                    let _ = to.shutdown(std::net::Shutdown::Both);
                });
            }
        }
    });
    port
}

fn has_mismatch(p: &serde_json::Value, figure: &str) -> bool {
    p["diagnostics"].as_array().is_some_and(|d| {
        d.iter()
            .any(|d| d["code"] == "figure-mismatch" && d["message"].as_str().is_some_and(|m| m.contains(figure)))
    })
}

/// `copydesk lsp` with `[index] url`: the draft is checked against the
/// archive (no corpus files on the machine), and a source ingested while the
/// draft is open reaches its diagnostics through LISTEN/NOTIFY, without an edit.
#[test]
fn the_language_server_checks_against_the_archive_and_hears_of_new_sources() {
    use crate::lsp_client::{Client, capabilities, url};
    let Some(db) = TestDb::new("lsp_notify") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let wire = tmp.path().join("wire");
    std::fs::create_dir_all(&wire).unwrap();
    std::fs::write(
        wire.join("storm.txt"),
        "In Kelmarsh, 41 houses were damaged by the storm on Monday, the county council said.\n",
    )
    .unwrap();
    ingest(tmp.path(), &db.url, &wire);
    let desk = tmp.path().join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    std::fs::write(desk.join("copydesk.toml"), format!("[index]\nurl = {:?}\n", db.url)).unwrap();
    let text = "In Kelmarsh, 45 houses were damaged by the storm on Monday.\n\n\
                Volunteers in Brackley handed out 750 sandbags on Tuesday, organisers said.\n";
    let draft = desk.join("draft.md");
    std::fs::write(&draft, text).unwrap();
    let (mut client, _) = Client::start(&desk, capabilities(false, false), serde_json::Value::Null, &[]);
    let uri = url(&draft);
    client.notify(
        "textDocument/didOpen",
        serde_json::json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let first = client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    assert!(has_mismatch(&first, "41"), "{first}");
    assert!(!has_mismatch(&first, "700"), "{first}");

    // The ingesting job adds a source; the open draft is checked again.
    std::fs::write(
        wire.join("sandbags.txt"),
        "Volunteers in Brackley handed out 700 sandbags on Tuesday, organisers said.\n",
    )
    .unwrap();
    ingest(tmp.path(), &db.url, &wire);
    let again = client
        .wait_for_within("textDocument/publishDiagnostics", Duration::from_secs(30), |p| {
            p["uri"] == uri && has_mismatch(p, "700")
        })
        .expect("the new source in the draft's diagnostics after the ingest");
    assert!(has_mismatch(&again, "41"), "{again}");
    assert_eq!(client.shutdown(), Some(0));
}

/// The archive (from `initializationOptions`) is down when the draft opens:
/// the editor is told, the server keeps answering, and once the database is
/// back the retry reconnects and the draft gets its diagnostics.
#[test]
fn the_language_server_tells_of_a_database_that_is_down_and_retries() {
    use crate::lsp_client::{Client, capabilities, url};
    let Some(db) = TestDb::new("lsp_down") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let wire = tmp.path().join("wire");
    std::fs::create_dir_all(&wire).unwrap();
    std::fs::write(
        wire.join("storm.txt"),
        "In Kelmarsh, 41 houses were damaged by the storm on Monday, the county council said.\n",
    )
    .unwrap();
    ingest(tmp.path(), &db.url, &wire);
    let up = Arc::new(AtomicBool::new(false));
    let port = switch_proxy(db.port(), up.clone());
    let desk = tmp.path().join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    let text = "In Kelmarsh, 45 houses were damaged by the storm on Monday.\n";
    let draft = desk.join("draft.md");
    std::fs::write(&draft, text).unwrap();
    let options = serde_json::json!({"index": {"url": db.via_port(port)}});
    let (mut client, _) = Client::start(&desk, capabilities(false, false), options, &[]);
    let uri = url(&draft);
    client.notify(
        "textDocument/didOpen",
        serde_json::json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let told = client
        .wait_for_within("window/showMessage", Duration::from_secs(30), |p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.contains("archive is unavailable"))
        })
        .expect("a message that the archive is down");
    let message = told["message"].as_str().unwrap();
    assert!(message.contains("cannot connect"), "{message}");
    let password = db.url.rsplit_once('@').unwrap().0.rsplit_once(':').unwrap().1;
    assert!(!message.contains(password), "password shown: {message}");
    // Still answering while it retries.
    let hover = client.request(
        "textDocument/hover",
        serde_json::json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 14}}),
    );
    assert!(hover.is_null() || hover.is_object(), "{hover}");

    up.store(true, Ordering::SeqCst);
    let diags = client
        .wait_for_within("textDocument/publishDiagnostics", Duration::from_secs(30), |p| {
            p["uri"] == uri && has_mismatch(p, "41")
        })
        .expect("diagnostics once the database is back");
    assert!(has_mismatch(&diags, "41"));
    assert_eq!(client.shutdown(), Some(0));
}
