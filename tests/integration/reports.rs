//! The editor's reports (`copydesk sources`, `copydesk conflicts`) and the
//! pull-request features of `check`: `--changed-since`, folders and globs.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{Fixture, run, stderr, stdout};

/// Two sources say 27 cities, one says 27 provinces; one agrees with the
/// others on the 382 babies.
const THREE_SOURCES: &str = r#"
    //- sources/a.txt
    Police rescued 382 babies in 27 cities, the ministry said.
    //- sources/b.md
    ---
    key: daily
    title: Daily report
    date: 2014-03-01
    ---
    Officers rescued 382 babies in 27 cities after a tip-off.
    //- sources/c.txt
    Police rescued 382 babies in 27 provinces.
    "#;

#[test]
fn conflicts_list_each_version_with_its_sources() {
    let fx = Fixture::write(THREE_SOURCES);
    let out = run(fx.dir.path(), &["conflicts", "--corpus", "sources", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["sources"], 3);
    let conflicts = json["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "only the cities/provinces fact: {json:#}");
    let versions: Vec<(String, Vec<String>)> = conflicts[0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["text"].as_str().unwrap().to_string(),
                v["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["key"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        vec![
            ("27 cities".to_string(), vec!["a".to_string(), "daily".to_string()]),
            ("27 provinces".to_string(), vec!["c".to_string()]),
        ]
    );
    let daily = &conflicts[0]["versions"][0]["sources"][1];
    assert_eq!(daily["path"], "sources/b.md");
    assert_eq!(daily["line"], 6, "the line in the file, front matter counted");
    insta::assert_json_snapshot!("conflicts_json", json);

    let out = run(fx.dir.path(), &["conflicts", "--corpus", "sources"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("## 1. 27 cities / 27 provinces"), "{md}");
    assert!(md.contains("**27 provinces** — c"), "{md}");
    insta::assert_snapshot!("conflicts_markdown", md);
}

#[test]
fn agreeing_sources_have_no_conflicts() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies in 27 cities.
        //- sources/b.txt
        Officers rescued 382 babies in 27 cities.
        "#,
    );
    let out = run(fx.dir.path(), &["conflicts", "--corpus", "sources"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("No disagreements found among 2 sources."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn seed_corpus_conflict_is_cities_against_provinces() {
    let out = run(
        &crate::support::root(),
        &["conflicts", "--corpus", "examples/sources", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found = json["conflicts"].as_array().unwrap().iter().any(|c| {
        let texts: Vec<&str> = c["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["text"].as_str().unwrap())
            .collect();
        texts == ["27 cities", "27 provinces"] && c["versions"][0]["sources"].as_array().unwrap().len() == 2
    });
    assert!(found, "{json:#}");
}

#[test]
fn sources_lists_the_corpus_and_warns_about_unreadable_files() {
    let fx = Fixture::write(THREE_SOURCES);
    std::fs::write(fx.path("sources/scan.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(fx.path("sources/latin1.txt"), b"Caf\xe9 owners sold 12 cakes.\n").unwrap();
    let out = run(fx.dir.path(), &["sources", "--corpus", "sources", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let keys: Vec<&str> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["a", "daily", "c", "latin1"]);
    let daily = &json["sources"][1];
    assert_eq!(daily["title"], "Daily report");
    assert_eq!(daily["date"], "2014-03-01");
    assert_eq!(daily["figures"], 2, "382 babies, 27 cities");
    let warnings = json["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w["path"] == "sources/scan.txt" && w["message"].as_str().unwrap().contains("binary"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w["path"] == "sources/latin1.txt" && w["message"].as_str().unwrap().contains("UTF-8"))
    );
    insta::assert_json_snapshot!("sources_json", json);

    let out = run(fx.dir.path(), &["sources", "--corpus", "sources"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("warning: sources/scan.txt: binary file, skipped"),
        "{text}"
    );
    insta::assert_snapshot!("sources_text", text);
}

/// Paths of the files in a JSON report.
fn report_paths(out: &std::process::Output) -> Vec<String> {
    let json: Value = serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)));
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn folders_and_globs_as_draft_arguments() {
    let fx = Fixture::write(
        r#"
        //- sources/a.md
        Police rescued 382 babies.
        //- drafts/one.md
        Police rescued 383 babies.
        //- drafts/sub/two.markdown
        Police rescued 382 babies.
        //- drafts/notes.txt
        Not a draft: 999 babies.
        //- drafts/build/generated.md
        Police rescued 1 baby.
        //- drafts/.gitignore
        build/
        "#,
    );
    let dir = fx.dir.path();
    let out = run(dir, &["check", "--corpus", "sources", "drafts", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(report_paths(&out), vec!["drafts/one.md", "drafts/sub/two.markdown"]);

    // Globs are expanded by copydesk, whatever the shell did.
    let out = run(
        dir,
        &["check", "--corpus", "sources", "drafts/**/*.md", "--format", "json"],
    );
    assert_eq!(report_paths(&out), vec!["drafts/one.md"]);
    let out = run(dir, &["check", "--corpus", "sources", "drafts/*.rst"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no files match"), "{}", stderr(&out));

    // Walking a folder that holds the corpus does not check the sources as drafts.
    let out = run(dir, &["check", "--corpus", "sources", ".", "--format", "json"]);
    assert_eq!(report_paths(&out), vec!["drafts/one.md", "drafts/sub/two.markdown"]);
}

/// Runs git in `dir` with a fixed identity and no user configuration.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Copydesk Test", "-c", "user.email=test@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn diagnostic_lines(out: &std::process::Output) -> Vec<(String, u64)> {
    let json: Value = serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)));
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |d| (path.clone(), d["range"]["start"]["line"].as_u64().unwrap()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn changed_since_reports_only_changed_lines() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies. In Anhui, police detained 43 suspects. Officers freed 11 babies in Hebei.
        //- story.md
        Police rescued 383 babies.

        In Anhui, police detained 43 suspects.
        "#,
    );
    let dir = fx.dir.path();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "first draft"]);
    // Line 3 rewritten with a wrong figure, a line added after it; line 1 untouched.
    std::fs::write(
        dir.join("story.md"),
        "Police rescued 383 babies.\n\nIn Anhui, police detained 34 suspects.\nOfficers freed 12 babies in Hebei.\n",
    )
    .unwrap();
    std::fs::write(dir.join("new.md"), "Police rescued 383 babies.\n").unwrap();
    let check = |args: &[&str]| {
        let mut all = vec!["check", "--corpus", "sources", "--format", "json"];
        all.extend_from_slice(args);
        run(dir, &all)
    };

    let out = check(&["story.md"]);
    assert_eq!(
        diagnostic_lines(&out),
        vec![("story.md".into(), 1), ("story.md".into(), 3), ("story.md".into(), 4)]
    );
    let out = check(&["--changed-since", "HEAD", "story.md", "new.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        diagnostic_lines(&out),
        vec![("story.md".into(), 3), ("story.md".into(), 4), ("new.md".into(), 1)],
        "unchanged line 1 is left out; the untracked file counts as all new"
    );

    // Once committed, nothing changed since HEAD: exit 0, no findings.
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "second draft"]);
    let out = check(&["--changed-since", "HEAD", "story.md", "new.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(diagnostic_lines(&out).is_empty());
    // Against the first commit: the lines changed in the second.
    let out = check(&["--changed-since", "HEAD~1", "story.md", "new.md"]);
    assert_eq!(
        diagnostic_lines(&out),
        vec![("story.md".into(), 3), ("story.md".into(), 4), ("new.md".into(), 1)]
    );

    let out = check(&["--changed-since", "no-such-rev", "story.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown git revision \"no-such-rev\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn changed_since_outside_a_repository_is_a_usage_error() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies.
        //- story.md
        Police rescued 383 babies.
        "#,
    );
    let out = crate::support::copydesk()
        .current_dir(fx.dir.path())
        .args(["check", "--corpus", "sources", "--changed-since", "HEAD", "story.md"])
        .env("GIT_CEILING_DIRECTORIES", fx.dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not in a git repository"), "{}", stderr(&out));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let fx = Fixture::write(
        r#"
        //- draft.md
        Police rescued 383 babies in town 7.
        "#,
    );
    let sources = fx.path("sources");
    std::fs::create_dir(&sources).unwrap();
    // More files than the progress bar's threshold.
    for i in 0..600 {
        std::fs::write(
            sources.join(format!("s{i:03}.txt")),
            format!("Police rescued {} babies in town {i}.\n", i + 1),
        )
        .unwrap();
    }
    let out = run(fx.dir.path(), &["sources", "--corpus", "sources", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "nothing on a piped stderr");
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["sources"].as_array().unwrap().len(), 600);
}

#[test]
fn sources_shows_the_date_read_from_a_sources_top() {
    let fx = Fixture::write(
        r#"
        //- sources/address.txt
        Governor's address to the legislature, January 23, 1996

        Some 40,000 workers earn the minimum wage.
        //- sources/wire.txt
        LONDON, March 2 (Reuters) - Ships waited outside the port.
        //- sources/plain.txt
        Ships waited outside the port.
        "#,
    );
    let out = run(fx.dir.path(), &["sources", "--corpus", "sources", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let date = |key: &str| {
        json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .map(|s| s["date"].clone())
            .unwrap()
    };
    assert_eq!(date("address"), "January 23, 1996");
    assert_eq!(date("wire"), "March 2");
    assert_eq!(date("plain"), Value::Null);
}
