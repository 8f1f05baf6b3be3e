//! The archive's other commands and connection options against a real
//! server (`COPYDESK_TEST_DATABASE_URL`, see `archive.rs`): the conflict
//! report from the archive, and what `sslmode` asks of the connection.

use crate::archive::{TestDb, example_corpus, ingest, run_in};
use crate::support::{stderr, stdout};

#[test]
fn conflicts_from_the_archive_match_the_embedded_report_without_the_files() {
    let Some(db) = TestDb::new("conflicts") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    let desk = tmp.path().join("desk");
    std::fs::create_dir_all(&desk).unwrap();
    let c = corpus.to_str().unwrap();
    let embedded = run_in(&desk, &["conflicts", "--format", "json", "--corpus", c]);
    assert!(embedded.status.success(), "{}", stderr(&embedded));
    let report: serde_json::Value = serde_json::from_slice(&embedded.stdout).unwrap();
    assert!(
        !report["conflicts"].as_array().unwrap().is_empty(),
        "the example's sources disagree on a figure: {report}"
    );
    ingest(&desk, &db.url, &corpus);
    // The reporter's machine has none of the corpus files.
    std::fs::remove_dir_all(&corpus).unwrap();

    let archived = run_in(&desk, &["conflicts", "--format", "json", "--database", &db.url]);
    assert!(archived.status.success(), "{}", stderr(&archived));
    assert_eq!(stdout(&archived), stdout(&embedded));
    let markdown = run_in(&desk, &["conflicts", "--database", &db.url]);
    assert!(
        stdout(&markdown).contains("on which the 6 sources disagree"),
        "{}",
        stdout(&markdown)
    );

    // `--corpus` narrows the report to sources ingested from those paths:
    // the two that give the figure one way agree; with the third, which
    // gives it another way, they conflict.
    let narrowed = |files: &[&str]| {
        let mut args = vec!["conflicts", "--format", "json", "--database", &db.url];
        let paths: Vec<String> = files
            .iter()
            .map(|f| corpus.join(f).to_string_lossy().into_owned())
            .collect();
        for p in &paths {
            args.extend(["--corpus", p]);
        }
        let out = run_in(&desk, &args);
        assert!(out.status.success(), "{}", stderr(&out));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (r["sources"].as_u64().unwrap(), r["conflicts"].as_array().unwrap().len())
    };
    assert_eq!(narrowed(&["buyers-interview.txt", "scmp-report.txt"]), (2, 0));
    assert_eq!(
        narrowed(&["buyers-interview.txt", "scmp-report.txt", "ministry-statement.md"]),
        (3, 1)
    );
    assert_eq!(narrowed(&["no-such-folder"]), (0, 0));
}

/// The URL with `sslmode=MODE` added.
fn with_sslmode(url: &str, mode: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}sslmode={mode}")
}

#[test]
fn sslmode_require_against_a_server_without_tls_exits_2_naming_tls() {
    let Some(db) = TestDb::new("sslmode") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    ingest(tmp.path(), &db.url, &corpus);
    std::fs::write(tmp.path().join("draft.md"), "Police rescued 382 babies.\n").unwrap();
    // The test server offers no TLS: `prefer` (the default) and `disable`
    // reach it in the clear.
    for mode in ["prefer", "disable"] {
        let out = run_in(
            tmp.path(),
            &["check", "--database", &with_sslmode(&db.url, mode), "draft.md"],
        );
        assert_eq!(out.status.code(), Some(0), "sslmode={mode}: {}", stderr(&out));
    }
    // `require` and the verifying modes refuse it, and say why.
    for mode in ["require", "verify-full", "verify-ca"] {
        let out = run_in(
            tmp.path(),
            &["check", "--database", &with_sslmode(&db.url, mode), "draft.md"],
        );
        assert_eq!(out.status.code(), Some(2), "sslmode={mode}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains("TLS"), "sslmode={mode}: {err}");
        assert!(err.contains("does not support TLS"), "sslmode={mode}: {err}");
    }
    let out = run_in(
        tmp.path(),
        &["check", "--database", &with_sslmode(&db.url, "sometimes"), "draft.md"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sslmode"), "{}", stderr(&out));
}

#[test]
fn a_check_counts_the_sources_it_was_checked_against_as_they_come_and_go() {
    let Some(db) = TestDb::new("count") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let corpus = example_corpus(tmp.path());
    std::fs::write(tmp.path().join("draft.md"), "Police rescued 382 babies.\n").unwrap();
    let sources = |scope: Option<&std::path::Path>| {
        let mut args = vec!["check", "--format", "json", "--database", &db.url];
        let scope = scope.map(|p| p.to_string_lossy().into_owned());
        if let Some(p) = &scope {
            args.extend(["--corpus", p]);
        }
        args.push("draft.md");
        let out = run_in(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        r["corpus"]["sources"].as_u64().unwrap()
    };
    ingest(tmp.path(), &db.url, &corpus);
    assert_eq!(sources(None), 6);
    assert_eq!(sources(Some(&corpus.join("scmp-report.txt"))), 1);
    std::fs::remove_file(corpus.join("scmp-report.txt")).unwrap();
    ingest(tmp.path(), &db.url, &corpus);
    assert_eq!(sources(None), 5);
    // A changed file replaces its source: still five.
    let f = corpus.join("buyers-interview.txt");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, format!("{text}\nA spokesman declined to comment.\n")).unwrap();
    ingest(tmp.path(), &db.url, &corpus);
    assert_eq!(sources(None), 5);
}
