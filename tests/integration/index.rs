//! The index kept on disk: rebuilt when interrupted, corrupted or stale,
//! refreshed file by file, shared by processes running at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{stderr, stdout};

/// A corpus of `n` storm reports, each with its own town and count.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let c = dir.join("sources");
    std::fs::create_dir_all(&c).unwrap();
    for i in 0..n {
        std::fs::write(
            c.join(format!("report-{i:03}.txt")),
            format!(
                "Storm report {i}\n\nIn Town{i}, {} houses were damaged by the storm on Monday, officials said.\n",
                40 + i
            ),
        )
        .unwrap();
    }
    c
}

/// The binary with its own cache folder.
fn copydesk(cache: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    cmd.env("COPYDESK_CACHE_DIR", cache)
        .env_remove("COPYDESK_LOG")
        .env_remove("COPYDESK_TEST_HOOKS")
        .env("NO_COLOR", "1");
    cmd
}

fn index(cache: &Path, corpus: &Path) -> Output {
    copydesk(cache)
        .arg("index")
        .arg("--corpus")
        .arg(corpus)
        .output()
        .unwrap()
}

/// Findings as (figure, code, source keys) from `check --format json`.
fn findings(cache: &Path, corpus: &Path, draft: &Path) -> Vec<(String, String, Vec<String>)> {
    let out = copydesk(cache)
        .args(["check", "--format", "json", "--include-supported", "--corpus"])
        .arg(corpus)
        .arg(draft)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<_> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut keys: Vec<String> = f["sources"]
                .as_array()
                .map(|ps| ps.iter().map(|p| p["key"].as_str().unwrap_or("").to_string()).collect())
                .unwrap_or_default();
            keys.sort();
            keys.dedup();
            (
                f["text"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
                keys,
            )
        })
        .collect();
    got.sort();
    got
}

fn draft(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("draft.md");
    std::fs::write(&p, text).unwrap();
    p
}

fn index_dir(cache: &Path) -> PathBuf {
    std::fs::read_dir(cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("corpus-"))
        .expect("an index folder")
}

fn segments(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "cdx" || e == "tmp"))
        .collect();
    v.sort();
    v
}

const DRAFT: &str =
    "In Town3, 45 houses were damaged by the storm on Monday.\n\nIn Town7, 47 houses were damaged by the storm.\n";

#[test]
fn a_build_killed_mid_write_is_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = corpus(tmp.path(), 30);
    let d = draft(tmp.path(), DRAFT);
    // Abort (as a kill would) after the second of several segments.
    let out = copydesk(&cache)
        .args(["index", "--corpus"])
        .arg(&c)
        .env("COPYDESK_TEST_HOOKS", "1")
        .env("COPYDESK_TEST_ABORT_AFTER_SEGMENTS", "2")
        .env("COPYDESK_SEGMENT_SOURCES", "8")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the hook should have aborted the build");
    let dir = index_dir(&cache);
    assert!(!segments(&dir).is_empty(), "segments were written before the abort");
    assert!(!dir.join("catalog.json").exists(), "no catalog names a partial build");

    let out = copydesk(&cache)
        .args(["index", "--corpus"])
        .arg(&c)
        .env("COPYDESK_SEGMENT_SOURCES", "8")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("index built"), "{}", stdout(&out));
    assert!(stdout(&out).contains("30 sources"), "{}", stdout(&out));
    assert_eq!(
        segments(&dir).len(),
        1,
        "the build's segments are merged into one, orphans of the killed build removed"
    );

    let fresh = tmp.path().join("fresh");
    assert_eq!(findings(&cache, &c, &d), findings(&fresh, &c, &d));
    let got = findings(&cache, &c, &d);
    assert!(
        got.iter().any(|f| f.0 == "45 houses" && f.1 == "figure-mismatch"),
        "{got:?}"
    );
}

#[test]
fn a_corrupted_index_is_detected_and_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = corpus(tmp.path(), 12);
    let d = draft(tmp.path(), DRAFT);
    let expected = findings(&tmp.path().join("fresh"), &c, &d);
    assert!(index(&cache, &c).status.success());
    let dir = index_dir(&cache);
    let seg = segments(&dir).pop().unwrap();

    // One flipped byte in the middle of a segment.
    let mut bytes = std::fs::read(&seg).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x5a;
    std::fs::write(&seg, &bytes).unwrap();
    let out = index(&cache, &c);
    assert!(stdout(&out).contains("index built (index damaged"), "{}", stdout(&out));
    assert_eq!(findings(&cache, &c, &d), expected);

    // A truncated segment.
    let seg = segments(&dir).pop().unwrap();
    let len = std::fs::metadata(&seg).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&seg)
        .unwrap()
        .set_len(len / 3)
        .unwrap();
    assert!(stdout(&index(&cache, &c)).contains("index built (index damaged"));
    assert_eq!(findings(&cache, &c, &d), expected);

    // A catalog that is not JSON.
    std::fs::write(dir.join("catalog.json"), b"{\"format\": 1, \"segm").unwrap();
    assert!(stdout(&index(&cache, &c)).contains("index built"));
    assert_eq!(findings(&cache, &c, &d), expected);
    assert!(stdout(&index(&cache, &c)).contains("index up to date"));
}

#[test]
fn a_rules_change_rebuilds_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = corpus(tmp.path(), 5);
    assert!(index(&cache, &c).status.success());
    std::fs::write(
        tmp.path().join("extra.toml"),
        "[[noun]]\nname = \"dwelling\"\nterms = [\"dwelling\", \"homestead\"]\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("copydesk.toml"), "[rules]\npaths = [\"extra.toml\"]\n").unwrap();
    let out = copydesk(&cache)
        .args(["index", "--config"])
        .arg(tmp.path().join("copydesk.toml"))
        .arg("--corpus")
        .arg(&c)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("index built (rules changed)"), "{}", stdout(&out));
}

#[test]
fn sources_edited_added_and_deleted_between_runs_are_reindexed_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = corpus(tmp.path(), 10);
    let d = draft(tmp.path(), DRAFT);
    assert!(index(&cache, &c).status.success());
    let before = findings(&cache, &c, &d);
    assert!(
        before.iter().any(|f| f.0 == "45 houses" && f.1 == "figure-mismatch"),
        "{before:?}"
    );
    assert!(
        before.iter().any(|f| f.0 == "47 houses" && f.1 == "supported"),
        "{before:?}"
    );

    // Edit: Town3 now says 45. Add: a report on Town11. Delete: Town7.
    std::fs::write(
        c.join("report-003.txt"),
        "Storm report 3\n\nIn Town3, 45 houses were damaged by the storm on Monday, officials said.\n",
    )
    .unwrap();
    std::fs::write(
        c.join("report-011.txt"),
        "Storm report 11\n\nIn Town11, 60 houses were damaged by the storm on Monday.\n",
    )
    .unwrap();
    std::fs::remove_file(c.join("report-007.txt")).unwrap();
    // An unchanged file whose bytes change behind the index's back (same size,
    // same modification time) proves unchanged files are not read again.
    let p5 = c.join("report-005.txt");
    let mtime = std::fs::metadata(&p5).unwrap().modified().unwrap();
    let old = std::fs::read_to_string(&p5).unwrap();
    std::fs::write(&p5, old.replace("45 houses", "46 houses")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&p5)
        .unwrap()
        .set_modified(mtime)
        .unwrap();

    let out = index(&cache, &c);
    assert!(
        stdout(&out).contains("refreshed: 2 sources re-read, 1 removed"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("10 sources"), "{}", stdout(&out));
    let after = findings(&cache, &c, &d);
    assert!(
        after
            .iter()
            .any(|f| f.0 == "45 houses" && f.1 == "supported" && f.2.iter().any(|k| k == "report-003")),
        "{after:?}"
    );
    assert!(
        !after.iter().any(|f| f.2.iter().any(|k| k == "report-007")),
        "{after:?}"
    );
    // The refreshed index answers like one built from scratch, except for the
    // file changed behind its back: the index still knows it as it was, but
    // its text no longer hashes as indexed, so its passages are left out
    // rather than sliced out of another text (issue 13, item 6).
    let probe = draft(tmp.path(), "In Town5, 45 houses were damaged by the storm.\n");
    let got = findings(&cache, &c, &probe);
    assert!(
        got.iter()
            .any(|f| f.0 == "45 houses" && f.1 == "unsourced-figure" && f.2.is_empty()),
        "{got:?}"
    );
    assert!(stdout(&index(&cache, &c)).contains("index up to date"));

    // Many small changes: segments are merged as they pile up, ids and
    // dead sources stay right.
    for round in 0..12 {
        std::fs::write(
            c.join("report-002.txt"),
            format!(
                "Storm report 2\n\nIn Town2, {} houses were damaged by the storm.\n",
                100 + round
            ),
        )
        .unwrap();
        assert!(index(&cache, &c).status.success());
        assert!(segments(&index_dir(&cache)).len() <= 9);
    }
    let probe = draft(
        tmp.path(),
        "In Town2, 111 houses were damaged by the storm.\n\nIn Town9, 49 houses were damaged.\n",
    );
    let got = findings(&cache, &c, &probe);
    assert_eq!(
        got,
        findings(&tmp.path().join("fresh"), &c, &probe),
        "a compacted index answers like a fresh one"
    );
    assert!(got.iter().any(|f| f.0 == "111 houses" && f.1 == "supported"), "{got:?}");
}

#[test]
fn two_processes_can_share_one_index() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = corpus(tmp.path(), 200);
    let d = draft(tmp.path(), DRAFT);
    let expected = findings(&tmp.path().join("fresh"), &c, &d);
    // Four runs start together on an empty cache: one builds, the others
    // wait for the lock and open what it built.
    let children: Vec<_> = (0..4)
        .map(|_| {
            copydesk(&cache)
                .args(["check", "--format", "json", "--include-supported", "--corpus"])
                .arg(&c)
                .arg(&d)
                .env("COPYDESK_SEGMENT_SOURCES", "50")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    }
    assert_eq!(findings(&cache, &c, &d), expected);
    // Now one refreshes while others read.
    std::fs::write(c.join("report-150.txt"), "In Town150, 1 house was damaged.\n").unwrap();
    let a = copydesk(&cache)
        .args(["index", "--corpus"])
        .arg(&c)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let got = findings(&cache, &c, &d);
    assert!(a.wait_with_output().unwrap().status.success());
    assert_eq!(got, expected);
    assert!(stdout(&index(&cache, &c)).contains("index up to date"));
}

/// The "N sentences" of `copydesk index`.
fn sentences_reported(out: &Output) -> usize {
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains(" sentences,"))
        .unwrap_or_else(|| panic!("{text}"));
    line.split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn index_counts_only_live_sentences_after_a_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "Police rescued 382 babies. Officers arrested 43 people. The raid was in May.\n",
    )
    .unwrap();
    std::fs::write(corpus.join("b.txt"), "The ministry counted 27 cities.\n").unwrap();
    let cache = dir.path().join("cache");
    assert!(index(&cache, &corpus).status.success());
    // A source rewritten: its old sentences are dead until compaction.
    std::fs::write(corpus.join("a.txt"), "Police rescued 382 babies in all.\n").unwrap();
    let refreshed = index(&cache, &corpus);
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));
    let fresh = index(&dir.path().join("fresh-cache"), &corpus);
    assert_eq!(sentences_reported(&refreshed), sentences_reported(&fresh));
    assert_eq!(sentences_reported(&fresh), 2);
}

/// Stored spans are sliced into source text re-read from disk: a source
/// rewritten with the same size and modification time (here with two-byte
/// characters, so old spans fall inside them), or deleted after indexing,
/// must drop its passages, not panic (exit 101).
#[test]
fn item_6_stale_source_text_is_dropped_not_sliced() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let c = corpus(dir.path(), 3);
    assert!(index(&cache, &c).status.success());
    let d = draft(
        dir.path(),
        "In Town1, 45 houses were damaged by the storm on Monday, officials said.\n",
    );
    let before = findings(&cache, &c, &d);
    assert!(
        before.iter().any(|f| f.2.contains(&"report-001".to_string())),
        "{before:?}"
    );
    let edited = c.join("report-001.txt");
    let meta = std::fs::metadata(&edited).unwrap();
    let len = meta.len() as usize;
    let body = format!("{}{}", "é".repeat(len / 2), "x".repeat(len % 2));
    assert_eq!(body.len(), len);
    std::fs::write(&edited, body).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&edited)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    let after = findings(&cache, &c, &d);
    assert!(
        after.iter().all(|f| !f.2.contains(&"report-001".to_string())),
        "{after:?}"
    );
    // Deleted after indexing: the same.
    std::fs::remove_file(c.join("report-002.txt")).unwrap();
    let d2 = draft(
        dir.path(),
        "In Town2, 47 houses were damaged by the storm on Monday, officials said.\n",
    );
    let gone = findings(&cache, &c, &d2);
    assert!(
        gone.iter().all(|f| !f.2.contains(&"report-002".to_string())),
        "{gone:?}"
    );
}

/// Two sources state the same sentence, so their candidates score the same.
/// Rewriting the first gives it a new (higher) id in the refreshed index; a
/// tie broken by id would then list the sources in another order than a
/// fresh build. The JSON reports must be byte for byte the same.
#[test]
fn item_5_a_refreshed_index_reports_byte_identical_to_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("sources");
    std::fs::create_dir_all(&c).unwrap();
    let line = "In Millbrook, 212 houses were damaged by the storm on Monday, officials said.\n";
    for name in ["alpha.txt", "beta.txt", "gamma.txt"] {
        std::fs::write(c.join(name), format!("Storm report\n\n{line}")).unwrap();
    }
    let d = draft(
        dir.path(),
        "In Millbrook, 221 houses were damaged by the storm on Monday.\n",
    );
    let refreshed = dir.path().join("refreshed");
    assert!(index(&refreshed, &c).status.success());
    std::fs::write(c.join("alpha.txt"), format!("Storm report, updated\n\n{line}")).unwrap();
    let json = |cache: &Path| {
        let out = copydesk(cache)
            .args(["check", "--format", "json", "--include-supported", "--corpus"])
            .arg(&c)
            .arg(&d)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
        stdout(&out)
    };
    let from_refreshed = json(&refreshed);
    assert!(from_refreshed.contains("figure-mismatch"), "{from_refreshed}");
    let fresh = json(&dir.path().join("fresh"));
    assert_eq!(from_refreshed, fresh);
}

/// `[index] refresh = "manual"`: a check uses the stored index as it is, so an
/// edited source is not seen until `copydesk index` runs; `on-start` (the
/// default) sees it at the next check.
#[test]
fn a_manual_refresh_sees_a_changed_file_only_after_copydesk_index() {
    for (policy, seen_at_once) in [("manual", false), ("on-start", true)] {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let c = corpus(tmp.path(), 5);
        std::fs::write(
            tmp.path().join("copydesk.toml"),
            format!("[index]\nrefresh = \"{policy}\"\n"),
        )
        .unwrap();
        let d = draft(tmp.path(), DRAFT);
        let mismatch =
            |f: &[(String, String, Vec<String>)]| f.iter().any(|f| f.0 == "45 houses" && f.1 == "figure-mismatch");
        assert!(index(&cache, &c).status.success());
        assert!(mismatch(&findings(&cache, &c, &d)), "{policy}");

        // Town3's report now says 45, as the draft does.
        std::fs::write(
            c.join("report-003.txt"),
            "Storm report 3\n\nIn Town3, 45 houses were damaged by the storm on Monday, officials said so.\n",
        )
        .unwrap();
        // Manual: the new text is not read (the stale source's passages are
        // dropped, never sliced, so 45 is not yet supported).
        let supported =
            |f: &[(String, String, Vec<String>)]| f.iter().any(|f| f.0 == "45 houses" && f.1 == "supported");
        let next = findings(&cache, &c, &d);
        assert_eq!(supported(&next), seen_at_once, "{policy}: {next:?}");

        let out = index(&cache, &c);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stdout(&out).contains("1 source re-read") != seen_at_once,
            "{policy}: {}",
            stdout(&out)
        );
        let after = findings(&cache, &c, &d);
        assert!(supported(&after), "{policy}: {after:?}");
    }
}

/// A misspelt policy is an error naming the key, not silently `on-start`.
#[test]
fn an_unknown_refresh_policy_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let c = corpus(tmp.path(), 1);
    std::fs::write(tmp.path().join("copydesk.toml"), "[index]\nrefresh = \"weekly\"\n").unwrap();
    let d = draft(tmp.path(), DRAFT);
    let out = copydesk(&cache)
        .args(["check", "--corpus"])
        .arg(&c)
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("weekly") || stderr(&out).contains("refresh"),
        "{}",
        stderr(&out)
    );
}
