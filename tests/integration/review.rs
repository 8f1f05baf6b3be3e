//! The editor's review through the binary: the Markdown report and the HTML
//! page's structure on the shipped example (snapshots), the page's marks
//! against the JSON report, `copydesk review -o`, and the GitHub Action's
//! job-summary step.

use std::path::Path;
use std::process::Command;

use yaml_rust2::YamlLoader;

use crate::support::{Fixture, root, run, stderr, stdout};

/// The page's elements one per line, indented by depth, with their classes
/// and attributes; text trimmed; the embedded stylesheet and script left out
/// (they are the crate's own files, not generated).
fn outline(html: &str) -> String {
    const VOID: [&str; 6] = ["meta", "br", "hr", "input", "img", "link"];
    let mut out = String::new();
    let mut depth = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(tag_end) = rest.strip_prefix('<').and_then(|r| r.find('>')) {
            let tag = &rest[1..tag_end + 1];
            rest = &rest[tag_end + 2..];
            if tag.starts_with('/') {
                depth = depth.saturating_sub(1);
                continue;
            }
            let name = tag.split([' ', '>']).next().unwrap_or("");
            out.push_str(&"  ".repeat(depth));
            out.push('<');
            out.push_str(tag);
            out.push_str(">\n");
            if name == "style" || name == "script" {
                // Skip the embedded asset up to its closing tag.
                let close = format!("</{name}>");
                let end = rest.find(&close).unwrap();
                rest = &rest[end + close.len()..];
                continue;
            }
            if !VOID.contains(&name) && !name.starts_with('!') {
                depth += 1;
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = rest[..end].trim();
            if !text.is_empty() {
                out.push_str(&"  ".repeat(depth));
                out.push_str(text);
                out.push('\n');
            }
            rest = &rest[end..];
        }
    }
    out
}

#[test]
fn example_markdown_review() {
    let out = run(&root(), &["check", "examples/draft.md", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("example_markdown_review", stdout(&out));
}

#[test]
fn example_html_structure() {
    let out = run(&root(), &["check", "examples/draft.md", "--format", "html"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page links nothing outside"
    );
    insta::assert_snapshot!("example_html_structure", outline(&html));
}

/// `(code, line, column)` of every highlight that starts a finding.
fn marks(html: &str) -> Vec<(String, u64, u64)> {
    let attr = |tag: &str, name: &str| -> String {
        let at = tag
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("{name} in {tag}"))
            + name.len()
            + 3;
        tag[at..at + tag[at..].find('"').unwrap()].to_string()
    };
    html.match_indices("<mark ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .filter(|t| t.contains(" head\""))
        .map(|t| {
            (
                attr(t, "data-code"),
                attr(t, "data-line").parse().unwrap(),
                attr(t, "data-column").parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_json_finding_is_a_highlight_with_its_position() {
    let json = run(
        &root(),
        &["check", "examples/draft.md", "--format", "json", "--include-supported"],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let mut expected: Vec<(String, u64, u64)> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let html = stdout(&run(&root(), &["check", "examples/draft.md", "--format", "html"]));
    let mut found = marks(&html);
    expected.sort();
    found.sort();
    assert!(expected.iter().any(|e| e.0 == "figure-mismatch"));
    assert!(expected.iter().any(|e| e.0 == "supported"));
    assert_eq!(found, expected);
}

#[test]
fn review_writes_the_page_to_a_file() {
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies in 27 cities.
        //- draft.md
        Police rescued 383 babies, <script>alert(1)</script>.
        "#,
    );
    let out = run(
        fx.dir.path(),
        &["review", "--corpus", "sources", "draft.md", "-o", "out/page.html"],
    );
    // No folder `out`: a clear error, exit 2.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write out/page.html"), "{}", stderr(&out));
    let out = run(
        fx.dir.path(),
        &["review", "--corpus", "sources", "draft.md", "-o", "page.html"],
    );
    assert_eq!(out.status.code(), Some(0), "the page is for reading: {}", stderr(&out));
    assert_eq!(stdout(&out), "", "nothing on stdout");
    let html = std::fs::read_to_string(fx.path("page.html")).unwrap();
    assert!(
        marks(&html).contains(&("figure-mismatch".to_string(), 1, 16)),
        "{:?}",
        marks(&html)
    );
    assert!(html.contains("&lt;script&gt;"));
    assert_eq!(html.matches("<script").count(), 1);
    let out = run(fx.dir.path(), &["review", "--corpus", "sources", "draft.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fx.path("copydesk-review.html").is_file());
}

/// Runs the action's job-summary step in `dir`.
fn summary_step(dir: &Path, summary: Option<&Path>, files: &str) -> std::process::Output {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let step = action["runs"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_str() == Some("summary"))
        .expect("a summary step")
        .clone();
    assert!(
        step["if"].as_str().unwrap().contains("always()"),
        "the summary is written when the check fails too"
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_copydesk")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c"])
        .arg(step["run"].as_str().unwrap())
        .current_dir(dir)
        .env("PATH", path)
        .env("COPYDESK_CACHE_DIR", crate::support::test_cache_dir())
        .env_remove("COPYDESK_LOG")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("FILES", files)
        .env("CORPUS", "")
        .env("CHANGED_SINCE", "");
    if let Some(s) = summary {
        cmd.env("GITHUB_STEP_SUMMARY", s);
    }
    cmd.output().unwrap()
}

#[test]
fn action_writes_the_review_to_the_job_summary() {
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["sources"]
        //- sources/a.txt
        Police rescued 382 babies in 27 cities.
        //- stories/wrong.md
        Police rescued 383 babies.
        "#,
    );
    let summary = fx.path("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = summary_step(fx.dir.path(), Some(&summary), "stories");
    assert!(
        out.status.success(),
        "findings do not fail the summary: {}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n## copydesk review"), "appended: {text}");
    assert!(
        text.contains("| 1:16 |") && text.contains("`figure-mismatch`"),
        "{text}"
    );

    let out = summary_step(fx.dir.path(), None, "stories");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("GITHUB_STEP_SUMMARY"),
        "says why it wrote nothing"
    );

    let out = summary_step(fx.dir.path(), Some(&summary), "missing.md");
    assert_eq!(out.status.code(), Some(2), "a usage error still fails");
}
