//! The server's view of the text always equals the editor's: markup-only
//! edits, odd line breaks, answers right after typing, publish order, and
//! random edit sequences compared with a fresh check of the same text.

use serde_json::{Value, json};

use crate::lsp::{STORY, diagnostics_for, open, start, story};
use crate::lsp_client::{Client, url};
use crate::support::Fixture;

/// The LSP position of byte `at` in `text`: lines end at `\n`, `\r\n` and a
/// lone `\r` only; columns in UTF-8 bytes or UTF-16 code units.
pub fn position(text: &str, at: usize, utf8: bool) -> Value {
    let before = &text[..at];
    let mut line = 0;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let col = &before[line_start..];
    let character = if utf8 { col.len() } else { col.encode_utf16().count() };
    json!({"line": line, "character": character})
}

/// The smallest single change turning `old` into `new` (common prefix and
/// suffix kept), as an LSP content change in `old`'s positions. Never splits
/// a character or a `\r\n`.
pub fn change(old: &str, new: &str, utf8: bool) -> Value {
    let mut a = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, c), d)| c != d)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    while a > 0 && (!new.is_char_boundary(a) || old.as_bytes()[a - 1] == b'\r' || new.as_bytes()[a - 1] == b'\r') {
        a -= 1;
    }
    let mut suffix = 0;
    while suffix < old.len() - a
        && suffix < new.len() - a
        && old.as_bytes()[old.len() - 1 - suffix] == new.as_bytes()[new.len() - 1 - suffix]
    {
        suffix += 1;
    }
    while suffix > 0
        && (!old.is_char_boundary(old.len() - suffix)
            || !new.is_char_boundary(new.len() - suffix)
            || old.as_bytes()[old.len() - suffix] == b'\n')
    {
        suffix -= 1;
    }
    let b = old.len() - suffix;
    json!({
        "range": {"start": position(old, a, utf8), "end": position(old, b, utf8)},
        "text": &new[a..new.len() - suffix],
    })
}

fn edit(client: &mut Client, uri: &str, version: i64, old: &str, new: &str, utf8: bool) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change(old, new, utf8)]}),
    );
}

fn mismatch_start(diags: &[Value]) -> Value {
    diags
        .iter()
        .find(|d| d["code"] == "figure-mismatch")
        .unwrap_or_else(|| panic!("no mismatch in {diags:?}"))["range"]["start"]
        .clone()
}

const LINKED: &str = "See [the ministry's account](http://a.example/x), which says police in Anhui detained 34 suspects and freed 11 babies.\n";

#[test]
fn markup_only_edits_reuse_stale_findings() {
    for utf8 in [false, true] {
        let fx = story();
        let (mut client, uri) = start(&fx, utf8);
        open(&mut client, &uri, LINKED);
        let diags = diagnostics_for(&mut client, &uri, 1);
        assert_eq!(
            mismatch_start(&diags),
            position(LINKED, LINKED.find("34").unwrap(), utf8)
        );
        // Each edit changes markup only: the plain text stays the same.
        let edits = [
            LINKED.replace("http://a.example/x", "http://a.example/a-much-longer-address"),
            LINKED.replace("the ministry's", "the **ministry's**"),
            LINKED
                .replace("See [", "See <span class=\"cite\">[")
                .replace("x), which", "x)</span>, which"),
            LINKED.replace("x), which", "x)\\, which"),
        ];
        let mut old = LINKED.to_string();
        for (i, new) in edits.iter().enumerate() {
            let version = i as i64 + 2;
            edit(&mut client, &uri, version, &old, new, utf8);
            let diags = diagnostics_for(&mut client, &uri, version);
            assert_eq!(
                mismatch_start(&diags),
                position(new, new.find("34").unwrap(), utf8),
                "after {new:?}"
            );
            old = new.clone();
        }
        assert_eq!(client.shutdown(), Some(0));
    }
}

#[test]
fn line_breaks_other_than_lf_and_crlf_do_not_shift_edits() {
    for sep in ["\u{2028}", "\u{2029}", "\u{85}", "\u{b}", "\u{c}"] {
        let fx = story();
        let (mut client, uri) = start(&fx, false);
        let text = format!("Pasted{sep}from a page.\n\nIn Anhui, police detained 34 suspects and freed 11 babies.\n");
        open(&mut client, &uri, &text);
        diagnostics_for(&mut client, &uri, 1);
        // Fix the figure, then break it again: each edit lands where the editor put it.
        let fixed = text.replace("34", "43");
        edit(&mut client, &uri, 2, &text, &fixed, false);
        let diags = diagnostics_for(&mut client, &uri, 2);
        assert!(
            !diags.iter().any(|d| d["code"] == "figure-mismatch"),
            "{sep:?}: {diags:?}"
        );
        let again = fixed.replace("43", "36");
        edit(&mut client, &uri, 3, &fixed, &again, false);
        let diags = diagnostics_for(&mut client, &uri, 3);
        assert_eq!(
            mismatch_start(&diags),
            position(&again, again.find("36").unwrap(), false),
            "{sep:?}"
        );
        assert_eq!(client.shutdown(), Some(0));
    }
}

#[test]
fn a_lone_cr_is_a_line_end_for_diagnostics_hovers_and_reports() {
    let fx = story();
    let text = "An old Mac file.\r\rIn Anhui, police detained 34 suspects and freed 11 babies.\r";
    std::fs::write(fx.path("draft.md"), text).unwrap();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, text);
    let diags = diagnostics_for(&mut client, &uri, 1);
    let at = text.find("34").unwrap();
    assert_eq!(mismatch_start(&diags), position(text, at, false));
    assert_eq!(mismatch_start(&diags)["line"], 2);
    let h = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(text, at + 1, false)}),
    );
    assert!(h["contents"]["value"].as_str().unwrap().contains("43"), "{h}");
    assert_eq!(client.shutdown(), Some(0));
    // The command line counts lines the same way.
    let out = crate::support::run(fx.dir.path(), &["check", "draft.md", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    fn find_mismatch(v: &Value) -> Option<&Value> {
        match v {
            Value::Object(o) if o.get("code") == Some(&json!("figure-mismatch")) => Some(v),
            Value::Object(o) => o.values().find_map(find_mismatch),
            Value::Array(a) => a.iter().find_map(find_mismatch),
            _ => None,
        }
    }
    let d = find_mismatch(&report).unwrap_or_else(|| panic!("{report}"));
    assert_eq!(d["range"]["start"]["line"], 3, "{d}");
}

#[test]
fn completion_right_after_typing_lists_sources() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    let text = "In Anhui, police detained 43 suspects and freed 11 babies.\n";
    open(&mut client, &uri, text);
    // No waiting: the line ending in "[@" is typed and completion asked at once.
    let typed = format!("{text}Officers rescued 382 infants [@");
    edit(&mut client, &uri, 2, text, &typed, false);
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(&typed, typed.len(), false),
               "context": {"triggerKind": 2, "triggerCharacter": "@"}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap_or_else(|| panic!("no items: {items}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for key in ["mps", "wire", "report"] {
        assert!(labels.contains(&key), "{key} missing from {labels:?}");
    }
    assert_eq!(client.shutdown(), Some(0));
}

/// The story with a debounce of `ms`.
fn fast_story(ms: u64) -> Fixture {
    let fx = Fixture::write(&STORY.replace(
        "[corpus]\npaths = [\"sources\"]",
        // No holding back of the word being typed: these tests compare each
        // version's diagnostics with a fresh check of its text.
        &format!("[corpus]\npaths = [\"sources\"]\n[lsp]\ndebounce-ms = {ms}\nhold-ms = 0"),
    ));
    assert!(
        std::fs::read_to_string(fx.path("copydesk.toml"))
            .unwrap()
            .contains("debounce-ms")
    );
    for name in ["draft.md", "fresh.md"] {
        std::fs::write(fx.path(name), "").unwrap();
    }
    fx
}

#[test]
fn older_diagnostics_never_follow_newer() {
    let fx = fast_story(0);
    let (mut client, uri) = start(&fx, false);
    let mut text = "In Anhui, police detained 34 suspects and freed 11 babies.\n".to_string();
    open(&mut client, &uri, &text);
    let last = 60;
    for v in 2..=last {
        let new = format!("{text}\nOfficers rescued {v} infants in 27 cities.\n");
        edit(&mut client, &uri, v, &text, &new, false);
        text = new;
    }
    let mut seen = Vec::new();
    loop {
        let Some(p) = client.wait_for_within(
            "textDocument/publishDiagnostics",
            std::time::Duration::from_secs(20),
            |p| p["uri"] == uri,
        ) else {
            panic!("no publish after {seen:?}");
        };
        let v = p["version"].as_i64().unwrap();
        seen.push(v);
        if v == last {
            break;
        }
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "published out of order: {seen:?}");
    assert_eq!(client.shutdown(), Some(0));
}

/// Sorted diagnostics, for comparison.
/// Diagnostics as sorted strings; related information that points into the
/// document itself names it as `SELF`, so two documents can be compared.
fn normal(diags: Vec<Value>, own: &str) -> Vec<String> {
    let own = format!("\"{own}\"");
    let mut v: Vec<String> = diags.iter().map(|d| d.to_string().replace(&own, "\"SELF\"")).collect();
    v.sort();
    v
}

/// Pieces typed into the draft: figures, markup, multi-byte text and
/// every kind of line break, LSP's and others.
const PIECES: &[&str] = &[
    "",
    "a",
    " ",
    "34",
    "43",
    "1,094",
    "382",
    "北京",
    "🎉",
    "e\u{301}",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\u{2028}",
    "\u{85}",
    "**",
    "_",
    "[",
    "](http://x.example/a)",
    "\\",
    "<b class=\"k\">",
    "</b>",
    "`",
    "> ",
    "- ",
    " police ",
    "suspects",
    "<!-- copydesk-disable-next-line -->\n",
];

fn random_edits_match_a_fresh_check(utf8: bool, cases: u32, edits_per_case: usize) {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    // A burst of edits, then one check: the edits are what is tested.
    let fx = fast_story(5);
    let (client, uri) = start(&fx, utf8);
    let fresh_uri = url(&fx.path("fresh.md"));
    let base = "北京 🎉: In Anhui, police detained 34 suspects and freed 11 babies.\n\nOfficers rescued 382 infants in 27 cities [@wire].\n\n> Police from 27 provinces rescued 382 babies.\n";
    let state = std::cell::RefCell::new((client, 1i64, base.to_string()));
    {
        let mut s = state.borrow_mut();
        let (client, _, _) = &mut *s;
        open(client, &uri, base);
        diagnostics_for(client, &uri, 1);
    }
    let piece = prop::sample::select(PIECES.to_vec());
    let strategy = prop::collection::vec((any::<prop::sample::Index>(), 0usize..5, piece), edits_per_case);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |edits| {
        let mut s = state.borrow_mut();
        let (client, version, text) = &mut *s;
        if text.len() > 3000 {
            // Keep each case's checks cheap: start again from the base text.
            *version += 1;
            client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": *version}, "contentChanges": [{"text": base}]}),
            );
            *text = base.to_string();
        }
        for (at, len, piece) in &edits {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let i = at.index(chars.len() + 1);
            let a = chars.get(i).map_or(text.len(), |c| c.0);
            let b = chars.get(i + len).map_or(text.len(), |c| c.0);
            let mut new = text.clone();
            new.replace_range(a..b, piece);
            *version += 1;
            edit(client, &uri, *version, text, &new, utf8);
            *text = new;
        }
        let got = normal(diagnostics_for(client, &uri, *version), &uri);
        client.discard(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str());
        // A fresh document with the same text, checked from scratch.
        open(client, &fresh_uri, text);
        let want = normal(diagnostics_for(client, &fresh_uri, 1), &fresh_uri);
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": fresh_uri}}));
        client.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == fresh_uri.as_str() && p["diagnostics"] == json!([])
        });
        prop_assert_eq!(got, want, "text {:?}", text);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (client, _, _) = state.into_inner();
    assert_eq!(client.shutdown(), Some(0));
}

/// 2 encodings × 250 cases × 100 edits: 50,000 random edits through the
/// server, each batch compared with a fresh check of the same text.
#[test]
fn random_edit_sequences_match_a_fresh_check_in_both_encodings() {
    // COPYDESK_FUZZ_CASES runs more (or, while debugging, fewer) cases.
    let cases = std::env::var("COPYDESK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250);
    std::thread::scope(|s| {
        let a = s.spawn(move || random_edits_match_a_fresh_check(true, cases, 100));
        let b = s.spawn(move || random_edits_match_a_fresh_check(false, cases, 100));
        for t in [a, b] {
            if let Err(p) = t.join() {
                std::panic::resume_unwind(p);
            }
        }
    });
}
