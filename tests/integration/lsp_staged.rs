//! A long draft in the editor: diagnostics published in stages as its check
//! goes on (`src/lsp/handlers/diagnostics.rs`), requests answered meanwhile,
//! and the last publish equal to `copydesk check` of the same text.
//! Orders and counts are compared, never times.

use serde_json::{Value, json};

use crate::lsp::{STORY, open};
use crate::lsp_client::{Client, capabilities, url};
use crate::support::Fixture;

/// About 480 KB of short news paragraphs, half a dozen chunks of the check
/// (each at least 64 KB): figures the sources confirm, contradict or do
/// not mention, and now and then the draft disagreeing with itself.
fn long_draft() -> String {
    const PLACES: [&str; 6] = ["Hefei", "Bengbu", "Wuhu", "Anqing", "Huainan", "Fuyang"];
    // Varied, so the text has chunk ends of its own (`draft_chunks` ends
    // a chunk at a block whose text hashes one way once it is long enough).
    const WHO: [&str; 7] = [
        "Families",
        "Neighbours",
        "Teachers",
        "Shopkeepers",
        "Nurses",
        "Parents",
        "Drivers",
    ];
    let mut out = String::from("# Trafficking ring\n\n");
    let mut i = 0;
    while out.len() < 480_000 {
        let place = PLACES[i % PLACES.len()];
        let who = WHO[i / 12 % WHO.len()];
        // One paragraph in four has figures: the rest is what checks cheaply.
        let p = match i % 12 {
            0 => format!(
                "Officers rescued {} infants in 27 cities after a tip-off, police in {place} said.",
                380 + i % 5
            ),
            4 => format!(
                "In Anhui, police detained {} suspects and freed 11 babies, a spokesman in {place} said.",
                30 + i % 15
            ),
            8 => format!(
                "The ring sold {} babies over {} months, prosecutors in {place} said.",
                20 + i % 40,
                3 + i % 9
            ),
            1 | 5 => format!("{who} in {place} waited outside the station for news of the children."),
            2 | 9 => format!("A court in {place} heard the case against the ring's leaders as {who} looked on."),
            3 | 10 => format!("{who} in {place} said they had noticed nothing unusual."),
            _ => format!("Lawyers for the accused in {place} declined to comment on the charges."),
        };
        out.push_str(&p);
        out.push_str("\n\n");
        i += 1;
    }
    out
}

/// Diagnostics as (start, end, code, message), offsets in bytes of an
/// ASCII text, sorted.
fn lsp_findings(text: &str, diags: &[Value]) -> Vec<(usize, usize, String, String)> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let at = |p: &Value| starts[p["line"].as_u64().unwrap() as usize] + p["character"].as_u64().unwrap() as usize;
    let mut v: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                at(&d["range"]["start"]),
                at(&d["range"]["end"]),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// How long a stage of a debug build's check may take on a loaded machine
/// (the client's usual 20 s is for requests answered at once).
const STAGE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// The next publish for `uri`.
fn next_publish(client: &mut Client, uri: &str) -> Value {
    client
        .wait_for_within("textDocument/publishDiagnostics", STAGE_TIMEOUT, |p| p["uri"] == uri)
        .unwrap_or_else(|| panic!("no publish for {uri} within {STAGE_TIMEOUT:?}"))
}

fn publishes(client: &mut Client, uri: &str, version: i64, whole: usize) -> Vec<Vec<Value>> {
    let mut seen: Vec<Vec<Value>> = Vec::new();
    while seen.last().is_none_or(|d| d.len() < whole) {
        let p = next_publish(client, uri);
        assert_eq!(p["version"], version, "a publish of another version");
        seen.push(p["diagnostics"].as_array().unwrap().clone());
    }
    seen
}

#[test]
fn a_long_draft_publishes_in_stages_answers_meanwhile_and_ends_as_check_does() {
    let fx = Fixture::write(&STORY.replace(
        "[corpus]\npaths = [\"sources\"]",
        "[corpus]\npaths = [\"sources\"]\n[lsp]\ndebounce-ms = 0\nhold-ms = 0\nprogress-ms = 0",
    ));
    let text = long_draft();
    assert!(text.is_ascii());
    std::fs::write(fx.path("draft.md"), &text).unwrap();
    let small = "In Anhui, police detained 34 suspects and freed 11 babies.\n";
    std::fs::write(fx.path("small.md"), small).unwrap();
    // What the command line reports for the same text.
    let out = crate::support::run(fx.dir.path(), &["check", "draft.md", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want: Vec<_> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["bytes"]["start"].as_u64().unwrap() as usize,
                d["bytes"]["end"].as_u64().unwrap() as usize,
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    want.sort();
    for code in ["figure-mismatch", "unsourced-figure", "draft-disagree"] {
        assert!(want.iter().any(|w| w.2 == code), "no {code} in the report");
    }

    let (mut client, _) = Client::start(fx.dir.path(), capabilities(false, true), Value::Null, &[]);
    let uri = url(&fx.path("draft.md"));
    let small_uri = url(&fx.path("small.md"));
    open(&mut client, &small_uri, small);
    next_publish(&mut client, &small_uri);
    open(&mut client, &uri, &text);
    let first = next_publish(&mut client, &uri);
    assert_eq!(first["version"], 1);
    let first = first["diagnostics"].as_array().unwrap().clone();
    // (With `progress-ms = 0` the first publish comes after the first stage
    // of several, whatever the machine's pace: an idle machine checked the
    // whole draft within the default half second.)
    assert!(
        !first.is_empty() && first.len() < want.len(),
        "{} of {}",
        first.len(),
        want.len()
    );
    // The check goes on; requests on this document and another are answered
    // from what is known: a hover on the first paragraph's figure, found in
    // the first stage, and one on the small document.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 18}}),
    );
    assert!(
        hover["contents"]["value"].as_str().is_some_and(|h| h.contains("382")),
        "{hover}"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": small_uri}, "position": {"line": 0, "character": 27}}),
    );
    assert!(
        hover["contents"]["value"].as_str().is_some_and(|h| h.contains("43")),
        "{hover}"
    );
    let mut seen = vec![first];
    seen.extend(publishes(&mut client, &uri, 1, want.len()));
    assert!(seen.len() >= 2, "{} publishes", seen.len());
    // Each publish holds the one before it, and the last is the whole check.
    for w in seen.windows(2) {
        assert!(w[0].len() < w[1].len());
        assert_eq!(
            w[0][..],
            w[1][..w[0].len()],
            "a publish that is not a superset of the one before"
        );
    }
    assert_eq!(lsp_findings(&text, seen.last().unwrap()), want);

    // Another copy, edited at the top after its first publish: the old
    // version's check stops (its whole set is never published; the rest of
    // its check is many stages, the edit one message), and the new
    // version's publishes end equal to a fresh check of the new text.
    std::fs::write(fx.path("other.md"), &text).unwrap();
    let other = url(&fx.path("other.md"));
    open(&mut client, &other, &text);
    let p = next_publish(&mut client, &other);
    assert_eq!(p["version"], 1);
    let edited = format!("Updated at noon: police in Hefei detained 34 suspects.\n\n{text}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": other, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    std::fs::write(fx.path("draft.md"), &edited).unwrap();
    let out = crate::support::run(fx.dir.path(), &["check", "draft.md", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let want2 = report["files"][0]["diagnostics"].as_array().unwrap().len();
    let mut versions = Vec::new();
    loop {
        let p = next_publish(&mut client, &other);
        let n = p["diagnostics"].as_array().unwrap().len();
        versions.push(p["version"].as_i64().unwrap());
        assert!(
            p["version"] == 2 || n < want.len(),
            "the old version was checked to the end"
        );
        if p["version"] == 2 && n == want2 {
            break;
        }
    }
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    assert_eq!(client.shutdown(), Some(0));
}
