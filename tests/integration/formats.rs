//! The machine formats of `copydesk check` end to end: SARIF, GitHub workflow
//! commands and reviewdog's rdjson, with snapshots, on the shipped example and
//! on a draft with multi-byte text (so each format's column unit shows).

use serde_json::Value;

use crate::support::{Fixture, root, run, stderr, stdout};

/// The log with the tool's version blanked, so snapshots outlive releases.
fn without_version(mut sarif: Value) -> Value {
    let driver = &mut sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    driver["version"] = "[version]".into();
    driver["semanticVersion"] = "[version]".into();
    sarif
}

#[test]
fn example_sarif_report() {
    let out = run(&root(), &["check", "examples/draft.md", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    insta::assert_json_snapshot!("example_sarif", without_version(sarif));
}

#[test]
fn example_github_report() {
    let out = run(&root(), &["check", "examples/draft.md", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("example_github", stdout(&out));
}

#[test]
fn example_rdjson_report() {
    let out = run(&root(), &["check", "examples/draft.md", "--format", "rdjson"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rd: Value = serde_json::from_str(&stdout(&out)).unwrap();
    insta::assert_json_snapshot!("example_rdjson", rd);
}

/// A source and a draft with characters outside ASCII and outside the BMP
/// before the figure.
const MULTIBYTE: &str = r#"
    //- sources/anhui.txt
    Anhui (安徽): police detained 43 suspects.
    //- sources/cities-a.txt
    Police rescued 382 babies in 27 cities.
    //- sources/cities-b.txt
    Police rescued 382 babies in 27 provinces.
    //- draft.md
    🚓 北京 — In Anhui, police detained 34 suspects.

    Police rescued 382 babies in 27 cities.

    <!-- copydesk-disable-next-line: confirmed by phone -->
    Police rescued 383 babies.
    "#;

/// The draft's first line up to the figure, for computing expected columns.
const PREFIX: &str = "🚓 北京 — In Anhui, police detained ";

fn check_fixture(format: &str) -> (std::process::Output, Fixture) {
    let fx = Fixture::write(MULTIBYTE);
    let out = run(
        fx.dir.path(),
        &["check", "--corpus", "sources", "draft.md", "--format", format],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    (out, fx)
}

#[test]
fn sarif_columns_are_utf16_and_suppressions_carry_their_reason() {
    let (out, _fx) = check_fixture("sarif");
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let results = run["results"].as_array().unwrap();
    let mismatch = results
        .iter()
        .find(|r| r["ruleId"] == "figure-mismatch" && r["suppressions"].is_null())
        .unwrap();
    let region = &mismatch["locations"][0]["physicalLocation"]["region"];
    let col = PREFIX.encode_utf16().count() + 1;
    assert_eq!(region["startColumn"], col);
    assert_eq!(region["endColumn"], col + "34 suspects".len());
    assert_eq!(region["snippet"]["text"], "34 suspects");
    // The rule index points at the rule of the same id.
    let idx = mismatch["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "figure-mismatch");
    // The source passage, at the figure, in UTF-16 columns too.
    let related = &mismatch["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "sources/anhui.txt");
    let src_col = "Anhui (安徽): police detained ".encode_utf16().count() + 1;
    assert_eq!(related["region"]["startColumn"], src_col);
    assert_eq!(related["region"]["snippet"]["text"], "43 suspects");
    // The fix puts in the source's figure.
    let fix = &mismatch["fixes"][0]["artifactChanges"][0];
    assert_eq!(fix["artifactLocation"]["uri"], "draft.md");
    assert_eq!(fix["replacements"][0]["insertedContent"]["text"], "43 suspects");
    assert_eq!(fix["replacements"][0]["deletedRegion"]["startColumn"], col);
    // sources-disagree: one fix per other version.
    let disagree = results.iter().find(|r| r["ruleId"] == "sources-disagree").unwrap();
    assert_eq!(disagree["level"], "warning");
    let inserted: Vec<&str> = disagree["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(inserted, vec!["27 provinces"]);
    // The silenced finding is there, suppressed in source with its reason.
    let suppressed = results.iter().find(|r| !r["suppressions"].is_null()).unwrap();
    assert_eq!(
        suppressed["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "confirmed by phone"}])
    );
    insta::assert_json_snapshot!("multibyte_sarif", without_version(sarif));
}

#[test]
fn github_annotations_use_scalar_columns_and_escape() {
    let (out, _fx) = check_fixture("github");
    let text = stdout(&out);
    let col = PREFIX.chars().count() + 1;
    let first = text.lines().find(|l| l.starts_with("::error ")).unwrap();
    assert!(
        first.starts_with(&format!(
            "::error file=draft.md,line=1,col={col},endLine=1,endColumn={},title=copydesk figure-mismatch::",
            col + "34 suspects".len()
        )),
        "{first}"
    );
    // One command per line: the message's line breaks are escaped.
    assert!(
        first.contains("%0Asuggested: 43 suspects%0Aanhui (sources/anhui.txt:1:1)"),
        "{first}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::warning ") && l.contains("sources-disagree"))
    );
    assert!(!text.contains("383"), "suppressed findings are left out:\n{text}");
    insta::assert_snapshot!("multibyte_github", text);
}

#[test]
fn rdjson_columns_are_utf8_bytes() {
    let (out, _fx) = check_fixture("rdjson");
    let rd: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rd["source"]["name"], "copydesk");
    let diags = rd["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2, "suppressed findings are left out: {diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"]["value"], "figure-mismatch");
    assert_eq!(d["severity"], "ERROR");
    assert_eq!(d["location"]["path"], "draft.md");
    let col = PREFIX.len() + 1;
    assert_eq!(
        d["location"]["range"],
        serde_json::json!({"start": {"line": 1, "column": col}, "end": {"line": 1, "column": col + 11}})
    );
    assert_eq!(d["suggestions"][0]["text"], "43 suspects");
    assert_eq!(d["suggestions"][0]["range"], d["location"]["range"]);
    assert_eq!(diags[1]["severity"], "WARNING");
    insta::assert_json_snapshot!("multibyte_rdjson", rd);
}

#[test]
fn machine_formats_keep_stdout_clean_of_corpus_warnings() {
    let fx = Fixture::write(
        r#"
        //- sources/good.txt
        Police rescued 382 babies.
        //- draft.md
        Police rescued 383 babies.
        "#,
    );
    std::fs::write(fx.path("sources/binary.txt"), [0u8, 1, 2, 3, 0, 159, 146, 150]).unwrap();
    for format in ["sarif", "rdjson"] {
        let out = run(
            fx.dir.path(),
            &["check", "--corpus", "sources", "draft.md", "--format", format],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert!(stderr(&out).contains("binary.txt"), "{}", stderr(&out));
        if format == "sarif" {
            let n = &json["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
            assert_eq!(
                n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "sources/binary.txt"
            );
        }
    }
    let out = run(
        fx.dir.path(),
        &["check", "--corpus", "sources", "draft.md", "--format", "github"],
    );
    assert!(
        stdout(&out).starts_with("::warning file=sources/binary.txt,title=copydesk%3A corpus file::"),
        "{}",
        stdout(&out)
    );
}
