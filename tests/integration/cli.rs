//! The real binary: reports on the shipped example, exit codes, bad input.

use crate::support::{Fixture, check_json, root, run, stderr, stdout};

#[test]
fn example_json_report() {
    let out = run(&root(), &["check", "examples/draft.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    insta::assert_json_snapshot!("example_json", json);
}

#[test]
fn example_human_report() {
    let out = run(&root(), &["check", "examples/draft.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("example_human", stdout(&out));
}

#[test]
fn json_ranges_are_one_based_scalar_columns() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police in Anhui detained 43 suspects.
        //- draft.md
        北京 — In Anhui, police detained 34 suspects.
        "#,
    );
    let out = run(
        fx.dir.path(),
        &["check", "--corpus", "sources", "draft.md", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let d = &json["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "figure-mismatch");
    assert_eq!(d["text"], "34 suspects");
    assert_eq!(d["range"]["start"], serde_json::json!({"line": 1, "column": 32}));
    assert_eq!(d["range"]["end"], serde_json::json!({"line": 1, "column": 43}));
    assert_eq!(d["replacement"], "43 suspects");
    assert_eq!(d["sources"][0]["key"], "a");
    assert_eq!(d["sources"][0]["line"], 1);
}

#[test]
fn exit_codes() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies in 27 cities.
        //- sources/b.txt
        Police rescued 382 babies in 27 provinces.
        //- clean.md
        Police rescued 382 babies.
        //- wrong.md
        Police rescued 383 babies.
        //- contested.md
        Police rescued 382 babies in 27 cities.
        "#,
    );
    let dir = fx.dir.path();
    let code = |args: &[&str]| run(dir, args).status.code();
    assert_eq!(code(&["check", "--corpus", "sources", "clean.md"]), Some(0));
    assert_eq!(code(&["check", "--corpus", "sources", "wrong.md"]), Some(1));
    assert_eq!(code(&["check", "--corpus", "sources", "contested.md"]), Some(0));
    assert_eq!(
        code(&["check", "--corpus", "sources", "--deny", "warnings", "contested.md"]),
        Some(1)
    );
    assert_eq!(code(&["check", "--corpus", "sources", "missing.md"]), Some(2));
    assert_eq!(code(&["check", "--corpus", "nowhere", "clean.md"]), Some(2));
    assert_eq!(code(&["check", "clean.md"]), Some(2), "no corpus configured");
    assert_eq!(code(&["check"]), Some(2), "usage error");
}

#[test]
fn usage_and_config_errors_say_what_is_wrong() {
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        path = ["sources"]
        //- draft.md
        Police rescued 382 babies.
        "#,
    );
    let out = run(fx.dir.path(), &["check", "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("copydesk.toml") && err.contains("path"), "{err}");

    let fx2 = Fixture::write(
        r#"
        //- draft.md
        Police rescued 382 babies.
        "#,
    );
    let out = run(fx2.dir.path(), &["check", "--corpus", "nowhere", "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));

    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["sources"]
        [rules]
        paths = ["rules.toml"]
        //- rules.toml
        [[noun]]
        name = "x"
        terms = ["x"]
        broader = ["no-such-class"]
        //- sources/a.txt
        Text.
        //- draft.md
        Text.
        "#,
    );
    let out = run(fx.dir.path(), &["check", "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-class"), "{}", stderr(&out));
}

#[test]
fn bad_corpus_files_warn_and_the_run_goes_on() {
    let fx = Fixture::write(
        r#"
        //- sources/good.txt
        Police rescued 382 babies.
        //- draft.md
        Police rescued 382 babies and 12 toddlers.
        "#,
    );
    let dir = fx.dir.path();
    std::fs::write(dir.join("sources/binary.txt"), [0u8, 1, 2, 3, 0, 159, 146, 150]).unwrap();
    std::fs::write(
        dir.join("sources/latin1.txt"),
        b"Caf\xe9 owners said 12 toddlers were found.\n",
    )
    .unwrap();
    let out = run(dir, &["check", "--corpus", "sources", "draft.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("binary.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("latin1.txt") && err.contains("UTF-8"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["corpus"]["sources"], 2);
    assert_eq!(json["corpus"]["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn empty_corpus_folder_reports_every_figure_unsourced() {
    let fx = Fixture::write(
        r#"
        //- draft.md
        Police rescued 382 babies.
        "#,
    );
    std::fs::create_dir(fx.path("sources")).unwrap();
    let out = run(
        fx.dir.path(),
        &["check", "--corpus", "sources", "draft.md", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["files"][0]["diagnostics"][0]["code"], "unsourced-figure");
}

#[test]
fn bad_drafts() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies.
        "#,
    );
    let dir = fx.dir.path();
    std::fs::write(dir.join("binary.md"), [0u8, 1, 2, 3, 0, 0, 0]).unwrap();
    let out = run(dir, &["check", "--corpus", "sources", "binary.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("binary"), "{}", stderr(&out));

    std::fs::write(dir.join("latin1.md"), b"Caf\xe9: police rescued 383 babies.\n").unwrap();
    let out = run(dir, &["check", "--corpus", "sources", "latin1.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("UTF-8"));

    std::fs::write(dir.join("empty.md"), b"").unwrap();
    let out = run(dir, &["check", "--corpus", "sources", "empty.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    std::fs::write(
        dir.join("broken.md"),
        "---\ntitle: [unclosed\n---\nPolice rescued 382 babies.\n",
    )
    .unwrap();
    let out = run(dir, &["check", "--corpus", "sources", "broken.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("front matter"), "{}", stderr(&out));
}

#[test]
fn include_supported_lists_backed_figures_with_passages() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies.
        //- draft.md
        Police rescued 382 babies.
        "#,
    );
    let json = check_json(fx.dir.path());
    let d = &json["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "supported");
    assert_eq!(d["severity"], "hint");
    assert_eq!(d["sources"][0]["figure"], "382 babies");
}

#[test]
fn suppressed_findings_are_hidden_from_people_and_marked_for_tools() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies.
        //- draft.md
        <!-- copydesk-disable-next-line: checked with the ministry -->
        Police rescued 383 babies.
        "#,
    );
    let dir = fx.dir.path();
    let out = run(dir, &["check", "--corpus", "sources", "draft.md"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!stdout(&out).contains("383"), "{}", stdout(&out));
    let out = run(dir, &["check", "--corpus", "sources", "draft.md", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let d = &json["files"][0]["diagnostics"][0];
    assert_eq!(d["suppressed"]["reason"], "checked with the ministry");
}

#[test]
fn a_draft_inside_its_corpus_folder_is_not_its_own_source() {
    let fx = Fixture::write(
        r#"
        //- a.txt
        Police rescued 382 babies.
        //- draft.md
        Police rescued 383 babies and 17 toddlers.
        "#,
    );
    let out = run(
        fx.dir.path(),
        &["check", "--corpus", ".", "draft.md", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let codes: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["figure-mismatch", "unsourced-figure"]);
}

#[test]
fn config_is_found_in_ancestor_folders() {
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["sources"]
        [severity]
        unsourced-figure = "error"
        //- sources/a.txt
        Police rescued 382 babies.
        //- stories/today/draft.md
        Police rescued 382 babies and 17 toddlers.
        "#,
    );
    let out = run(fx.dir.path(), &["check", "stories/today/draft.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let d = &json["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "unsourced-figure");
    assert_eq!(d["severity"], "error");
}
