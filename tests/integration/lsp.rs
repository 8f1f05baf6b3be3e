//! `copydesk lsp` end to end: the real binary over stdio.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::lsp_client::{Client, capabilities, url};
use crate::support::Fixture;

pub(crate) const STORY: &str = r#"
//- copydesk.toml
[corpus]
paths = ["sources"]
//- sources/ministry.md
---
key: mps
title: Ministry statement
---
In Anhui, police detained 43 suspects and freed 11 babies.

Police from 27 provinces rescued 382 babies after a tip-off.
//- sources/wire.txt
Officers rescued 382 infants in 27 cities after a tip-off, the wire said.
//- sources/report.txt
The authorities rescued 382 infants in 27 cities, the statement said.
"#;

/// A draft whose figures sit after CJK text, an emoji and a combining mark,
/// so UTF-8 and UTF-16 columns differ.
pub(crate) const DRAFT: &str = "北京 🎉 e\u{301}: In Anhui, police detained 34 suspects and freed 11 babies.\n\nOfficers rescued 382 infants in 27 cities after a tip-off.\n";

pub(crate) fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
}

pub(crate) fn diagnostics_for(client: &mut Client, uri: &str, version: i64) -> Vec<Value> {
    let p = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == version
    });
    p["diagnostics"].as_array().unwrap().clone()
}

pub(crate) fn utf16_col(line: &str, byte: usize) -> u64 {
    line[..byte].encode_utf16().count() as u64
}

pub(crate) fn start(fx: &Fixture, utf8: bool) -> (Client, String) {
    let (client, init) = Client::start(fx.dir.path(), capabilities(utf8, true), Value::Null, &[]);
    let expected = if utf8 { "utf-8" } else { "utf-16" };
    assert_eq!(init["capabilities"]["positionEncoding"], expected);
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental sync"
    );
    let uri = url(&fx.path("draft.md"));
    (client, uri)
}

pub(crate) fn story() -> Fixture {
    let fx = Fixture::write(STORY);
    std::fs::write(fx.path("draft.md"), DRAFT).unwrap();
    fx
}

#[test]
fn diagnostics_in_utf16_and_utf8_with_related_source_locations() {
    for utf8 in [false, true] {
        let fx = story();
        let (mut client, uri) = start(&fx, utf8);
        open(&mut client, &uri, DRAFT);
        let diags = diagnostics_for(&mut client, &uri, 1);
        let mismatch = diags
            .iter()
            .find(|d| d["code"] == "figure-mismatch")
            .expect("mismatch reported");
        let line0 = DRAFT.lines().next().unwrap();
        let (a, b) = (
            line0.find("34").unwrap(),
            line0.find("34 suspects").unwrap() + "34 suspects".len(),
        );
        let (ca, cb) = if utf8 {
            (a as u64, b as u64)
        } else {
            (utf16_col(line0, a), utf16_col(line0, b))
        };
        assert_eq!(
            mismatch["range"],
            json!({"start": {"line": 0, "character": ca}, "end": {"line": 0, "character": cb}})
        );
        assert_eq!(mismatch["source"], "copydesk");
        assert_eq!(mismatch["severity"], 1);
        let rel = &mismatch["relatedInformation"][0];
        assert!(
            rel["location"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("sources/ministry.md"),
            "{rel}"
        );
        // "43 suspects" in the source: line 4 (0-based), after "In Anhui, police detained ".
        let src_line = "In Anhui, police detained 43 suspects and freed 11 babies.";
        let col = src_line.find("43").unwrap() as u64;
        assert_eq!(rel["location"]["range"]["start"], json!({"line": 4, "character": col}));
        let contested = diags
            .iter()
            .find(|d| d["code"] == "sources-disagree")
            .expect("contested reported");
        assert_eq!(contested["range"]["start"]["line"], 2);
        assert_eq!(contested["severity"], 2);
        assert_eq!(client.shutdown(), Some(0));
    }
}

#[test]
fn incremental_edits_update_diagnostics_with_their_version() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    assert!(
        diagnostics_for(&mut client, &uri, 1)
            .iter()
            .any(|d| d["code"] == "figure-mismatch")
    );
    // Fix "34" to "43" with a ranged edit (UTF-16 columns).
    let line0 = DRAFT.lines().next().unwrap();
    let a = utf16_col(line0, line0.find("34").unwrap());
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 0, "character": a}, "end": {"line": 0, "character": a + 2}}, "text": "43"}]
        }),
    );
    let diags = diagnostics_for(&mut client, &uri, 2);
    assert!(!diags.iter().any(|d| d["code"] == "figure-mismatch"), "{diags:?}");
    // Two changes sent out of order (3 before... 4 arrives first) end up applied in order.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4},
               "contentChanges": [{"range": {"start": {"line": 0, "character": a}, "end": {"line": 0, "character": a + 2}}, "text": "34"}]}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"range": {"start": {"line": 0, "character": a}, "end": {"line": 0, "character": a + 2}}, "text": "99"}]}),
    );
    let diags = diagnostics_for(&mut client, &uri, 4);
    let d = diags
        .iter()
        .find(|d| d["code"] == "figure-mismatch")
        .expect("34 again after v4");
    assert!(d["message"].as_str().unwrap().contains("43 suspects"), "{d}");
    // Closing clears.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    let p = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["diagnostics"] == json!([])
    });
    assert_eq!(p["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn hover_shows_the_verdict_and_the_passages() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    diagnostics_for(&mut client, &uri, 1);
    let line0 = DRAFT.lines().next().unwrap();
    let hover = |client: &mut Client, line: u64, ch: u64| {
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}}),
        )
    };
    // The mismatched figure.
    let h = hover(&mut client, 0, utf16_col(line0, line0.find("34").unwrap()) + 1);
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("**43 suspects**") && v.contains("mps") && v.contains("Ministry statement"),
        "{v}"
    );
    // A supported figure shows its backing too.
    let h = hover(&mut client, 0, utf16_col(line0, line0.find("11 babies").unwrap()) + 1);
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("backed by the sources") && v.contains("**11 babies**"),
        "{v}"
    );
    // Not on a figure: nothing.
    assert_eq!(hover(&mut client, 0, 0), Value::Null);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn code_actions_replace_cite_and_suppress() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    let diags = diagnostics_for(&mut client, &uri, 1);
    let mismatch = diags.iter().find(|d| d["code"] == "figure-mismatch").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": mismatch["range"], "context": {"diagnostics": [mismatch]}}),
    );
    let actions = actions.as_array().unwrap();
    let replace = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Replace with"))
        .unwrap();
    let edit = &replace["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "43 suspects");
    assert_eq!(edit["range"], mismatch["range"]);
    assert_eq!(replace["isPreferred"], true);

    // The contested figure: one action per other version.
    let contested = diags.iter().find(|d| d["code"] == "sources-disagree").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": contested["range"], "context": {"diagnostics": [contested]}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Use “27 provinces” (mps)")),
        "{titles:?}"
    );
    let cite = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Cite "))
        .unwrap();
    let ins = &cite["edit"]["changes"][&uri][0];
    assert!(ins["newText"].as_str().unwrap().starts_with(" [@"), "{ins}");
    // Inserted before the sentence's full stop.
    let line2 = DRAFT.lines().nth(2).unwrap();
    assert_eq!(
        ins["range"]["start"],
        json!({"line": 2, "character": utf16_col(line2, line2.len() - 1)})
    );

    // Suppress: the server asks for a reason, then applies the comment.
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress"))
        .unwrap();
    assert!(suppress.get("edit").is_none(), "no edit before the user chooses");
    client.request("workspace/executeCommand", suppress["command"].clone());
    let asked = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "window/showMessageRequest")
        .expect("asked for a reason");
    assert!(asked["params"]["actions"].as_array().unwrap().len() >= 2);
    let applied = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "workspace/applyEdit")
        .expect("edit applied");
    let e = &applied["params"]["edit"]["changes"][&uri][0];
    assert_eq!(e["range"]["start"], json!({"line": 2, "character": 0}));
    assert_eq!(
        e["newText"],
        "<!-- copydesk-disable-next-line sources-disagree: Confirmed with the source -->\n"
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn dismissing_the_reason_prompt_edits_nothing() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    let diags = diagnostics_for(&mut client, &uri, 1);
    let mismatch = diags.iter().find(|d| d["code"] == "figure-mismatch").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": mismatch["range"], "context": {"diagnostics": [mismatch]}}),
    );
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress"))
        .unwrap()
        .clone();
    client.set_answer(Box::new(|method, _| match method {
        "window/showMessageRequest" => Value::Null,
        "workspace/applyEdit" => json!({"applied": true}),
        _ => Value::Null,
    }));
    client.request("workspace/executeCommand", suppress["command"].clone());
    assert!(
        client
            .server_requests
            .iter()
            .any(|r| r["method"] == "window/showMessageRequest")
    );
    assert!(
        !client
            .server_requests
            .iter()
            .any(|r| r["method"] == "workspace/applyEdit")
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn citation_completion_ranks_the_sources_behind_the_sentence() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    let text = "In Anhui, police detained 43 suspects and freed 11 babies [@\n";
    open(&mut client, &uri, text);
    diagnostics_for(&mut client, &uri, 1);
    let col = text.trim_end().encode_utf16().count() as u64;
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": col},
               "context": {"triggerKind": 2, "triggerCharacter": "@"}}),
    );
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 3, "every source offered");
    let mut sorted = items.clone();
    sorted.sort_by_key(|i| i["sortText"].as_str().unwrap().to_string());
    assert_eq!(sorted[0]["label"], "mps");
    assert_eq!(sorted[0]["detail"], "Ministry statement");
    assert!(
        sorted[0]["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("**43 suspects**")
    );
    // Inside a partly typed key, the edit replaces what was typed.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": col}, "end": {"line": 0, "character": col}}, "text": "wi"}]}),
    );
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": col + 2}}),
    );
    let wire = items.as_array().unwrap().iter().find(|i| i["label"] == "wire").unwrap();
    assert_eq!(wire["textEdit"]["range"]["start"]["character"], col);
    assert_eq!(wire["textEdit"]["range"]["end"]["character"], col + 2);
    // Footnote style works the same way, and adds the definition.
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
    );
    assert_eq!(items, Value::Null, "no completion outside a citation");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn go_to_definition_opens_the_backing_passage() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    let text = "In Anhui, police detained 43 suspects [@mps].\n";
    open(&mut client, &uri, text);
    diagnostics_for(&mut client, &uri, 1);
    let col = text.find("mps").unwrap() as u64 + 1;
    let loc = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": col}}),
    );
    assert!(loc["uri"].as_str().unwrap().ends_with("sources/ministry.md"), "{loc}");
    let src_line = "In Anhui, police detained 43 suspects and freed 11 babies.";
    assert_eq!(
        loc["range"]["start"],
        json!({"line": 4, "character": src_line.find("43").unwrap()})
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn inlay_hints_follow_configuration_changes() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    diagnostics_for(&mut client, &uri, 1);
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}});
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range}),
    );
    assert!(hints.is_null() || hints == json!([]), "off by default: {hints}");
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"lsp": {"inlay-hints": true}}}}),
    );
    diagnostics_for(&mut client, &uri, 1);
    let hints = client.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range}),
    );
    let hints = hints.as_array().unwrap();
    assert!(!hints.is_empty());
    assert!(
        hints.iter().all(|h| h["label"].as_str().unwrap().starts_with('✓')),
        "{hints:?}"
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn settings_without_a_config_file_and_corpus_changes_on_disk() {
    let fx = Fixture::write(
        r#"
        //- src/a.txt
        Police rescued 382 babies in the raids.
        "#,
    );
    let draft = "Police rescued 383 babies in the raids.\n";
    std::fs::write(fx.path("draft.md"), draft).unwrap();
    let (mut client, _) = Client::start(
        fx.dir.path(),
        capabilities(false, true),
        json!({"corpus": {"paths": ["src"]}}),
        &[],
    );
    let uri = url(&fx.path("draft.md"));
    open(&mut client, &uri, draft);
    let diags = diagnostics_for(&mut client, &uri, 1);
    assert!(diags.iter().any(|d| d["code"] == "figure-mismatch"), "{diags:?}");
    // The server asked the client to watch files.
    assert!(
        client
            .server_requests
            .iter()
            .any(|r| r["method"] == "client/registerCapability")
    );
    // A source changes on disk: re-indexed, the draft re-checked.
    std::fs::write(fx.path("src/a.txt"), "Police rescued 383 babies in the raids.\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": url(&fx.path("src/a.txt")), "type": 2}]}),
    );
    let p = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && !p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "figure-mismatch")
    });
    assert_eq!(p["version"], 1);
    // A new source added: found too.
    std::fs::write(fx.path("src/b.txt"), "Police said 17 toddlers were found.\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": url(&fx.path("src/b.txt")), "type": 1}]}),
    );
    // Handlers run concurrently: the re-check after re-indexing tells us it is done.
    client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
    let status = client.request("copydesk/status", json!({"textDocument": {"uri": uri}}));
    assert_eq!(status["sources"], 2, "{status}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn conflicts_request_lists_what_the_sources_disagree_on() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    diagnostics_for(&mut client, &uri, 1);
    let r = client.request("copydesk/conflicts", json!({"textDocument": {"uri": uri}}));
    let conflicts = r["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{r}");
    let texts: Vec<&str> = conflicts[0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["27 cities", "27 provinces"]);
    let src = &conflicts[0]["versions"][1]["sources"][0];
    assert_eq!(src["key"], "mps");
    assert!(src["uri"].as_str().unwrap().ends_with("ministry.md"));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn bad_input_panics_and_unknown_methods_leave_the_server_alive() {
    let fx = story();
    let (mut client, _) = Client::start(
        fx.dir.path(),
        capabilities(false, true),
        Value::Null,
        &[("COPYDESK_TEST_HOOKS", "1")],
    );
    let uri = url(&fx.path("draft.md"));
    open(&mut client, &uri, DRAFT);
    diagnostics_for(&mut client, &uri, 1);
    // Malformed JSON, a message with no method, garbage params.
    client.send_raw(b"{this is not json");
    client.send_raw(br#"{"jsonrpc":"2.0","id":99}"#);
    let r = client.request_raw("textDocument/hover", json!({"textDocument": "nope"}));
    assert!(r.get("error").is_some(), "{r}");
    // Unknown method.
    let r = client.request_raw("copydesk/nonsense", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    // A panic in a handler is an error reply.
    let r = client.request_raw("copydesk/testPanic", json!({}));
    assert_eq!(r["error"]["code"], -32603, "{r}");
    // Changes for a document that is not open, and out of range positions.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.md", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    let h = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 999, "character": 999}}),
    );
    assert_eq!(h, Value::Null);
    // Still serving.
    let h = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 18}}),
    );
    assert!(h["contents"]["value"].as_str().unwrap().contains("copydesk"));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_huge_document_does_not_block_requests_on_another() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    diagnostics_for(&mut client, &uri, 1);
    // About half a megabyte of prose with figures, one of them wrong in every paragraph
    // (so its check ends in findings that the test can wait for).
    let para = "Officers rescued 382 infants in 27 cities after a tip-off, and police detained 34 suspects in Anhui. ";
    let big: String = std::iter::repeat_n(format!("{}\n\n", para.repeat(8)), 600).collect();
    assert!(big.len() > 450_000);
    let big_uri = url(fx.dir.path()) + "/big.md";
    open(&mut client, &big_uri, &big);
    // While the big one is being checked, hover on the small one is answered:
    // its response comes before the big document's findings (an order, not a
    // time, so a loaded machine cannot fail it).
    let h = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 18}}),
    );
    assert!(h["contents"]["value"].as_str().is_some());
    let big_published =
        |p: &Value| p["uri"] == big_uri.as_str() && p["diagnostics"].as_array().is_some_and(|d| !d.is_empty());
    assert!(
        client
            .wait_for_within("textDocument/publishDiagnostics", Duration::ZERO, big_published)
            .is_none(),
        "the big document was checked before the hover on the small one was answered"
    );
    assert!(
        client
            .wait_for_within(
                "textDocument/publishDiagnostics",
                // Generous: a debug build on a loaded 2-core runner takes
                // minutes; what is tested is the order above, not speed.
                Duration::from_secs(900),
                big_published
            )
            .is_some(),
        "the big document was never checked"
    );
    assert_eq!(client.shutdown(), Some(0));
}

/// Columns of `needle` on `line` in the given encoding.
fn col(line: &str, needle: &str, utf8: bool) -> u64 {
    let b = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    if utf8 { b as u64 } else { utf16_col(line, b) }
}

#[test]
fn every_conversion_handles_multibyte_text_in_both_encodings() {
    // Multibyte text before the figures, in the draft and in a source.
    let src_line = "北京 🎉 e\u{301}: In Anhui, police detained 43 suspects and freed 11 babies.";
    for utf8 in [false, true] {
        let fx = Fixture::write(
            r#"
            //- copydesk.toml
            [corpus]
            paths = ["sources"]
            [lsp]
            inlay-hints = true
            "#,
        );
        std::fs::create_dir_all(fx.path("sources")).unwrap();
        std::fs::write(fx.path("sources/mps.txt"), format!("{src_line}\n")).unwrap();
        let line0 = "東京 🚀 ñ\u{303}: In Anhui, police detained 34 suspects and freed 11 babies [@";
        let draft = format!("{line0}\n");
        std::fs::write(fx.path("draft.md"), &draft).unwrap();
        let (mut client, uri) = start(&fx, utf8);
        open(&mut client, &uri, &draft);
        let diags = diagnostics_for(&mut client, &uri, 1);
        let d = diags.iter().find(|d| d["code"] == "figure-mismatch").expect("mismatch");
        let (a, b) = (col(line0, "34 suspects", utf8), col(line0, " and freed", utf8));
        assert_eq!(d["range"]["start"]["character"], a, "diagnostic start, utf8={utf8}");
        assert_eq!(d["range"]["end"]["character"], b, "diagnostic end, utf8={utf8}");
        // Related information points into the source past its multibyte prefix.
        let rel = &d["relatedInformation"][0]["location"]["range"];
        assert_eq!(
            rel["start"],
            json!({"line": 0, "character": col(src_line, "43 suspects", utf8)}),
            "related, utf8={utf8}"
        );
        assert_eq!(
            rel["end"],
            json!({"line": 0, "character": col(src_line, " and freed", utf8)})
        );
        // Hover range.
        let h = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": a + 1}}),
        );
        assert_eq!(h["range"], d["range"], "hover range, utf8={utf8}");
        // Code action edit range.
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        let edit = &actions
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["title"].as_str().unwrap().starts_with("Replace"))
            .unwrap()["edit"]["changes"][&uri][0];
        assert_eq!(edit["range"], d["range"], "code action edit, utf8={utf8}");
        // Completion edit range after the multibyte text.
        let end = if utf8 {
            line0.len() as u64
        } else {
            line0.encode_utf16().count() as u64
        };
        let items = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": end}}),
        );
        let item = &items.as_array().unwrap()[0];
        assert_eq!(
            item["textEdit"]["range"]["start"]["character"], end,
            "completion edit, utf8={utf8}"
        );
        // Inlay hint after "11 babies".
        let hints = client.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}),
        );
        let hint = &hints.as_array().unwrap()[0];
        assert_eq!(
            hint["position"]["character"],
            col(line0, " [@", utf8),
            "inlay hint, utf8={utf8}"
        );
        // Definition into the source, past its multibyte prefix.
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": end}, "end": {"line": 0, "character": end}}, "text": "mps]."}]}),
        );
        let loc = client.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": end + 1}}),
        );
        assert_eq!(
            loc["range"]["start"],
            json!({"line": 0, "character": col(src_line, "43 suspects", utf8)}),
            "definition, utf8={utf8}"
        );
        assert_eq!(client.shutdown(), Some(0));
    }
}

#[test]
fn without_client_file_watching_the_server_watches_the_corpus_itself() {
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["src"]
        //- src/a.txt
        Police rescued 382 babies in the raids.
        "#,
    );
    let draft = "Police rescued 383 babies in the raids.\n";
    std::fs::write(fx.path("draft.md"), draft).unwrap();
    let (mut client, _) = Client::start(fx.dir.path(), capabilities(false, false), Value::Null, &[]);
    let uri = url(&fx.path("draft.md"));
    open(&mut client, &uri, draft);
    assert!(
        diagnostics_for(&mut client, &uri, 1)
            .iter()
            .any(|d| d["code"] == "figure-mismatch")
    );
    assert!(
        !client
            .server_requests
            .iter()
            .any(|r| r["method"] == "client/registerCapability")
    );
    std::fs::write(fx.path("src/a.txt"), "Police rescued 383 babies in the raids.\n").unwrap();
    let p = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && !p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "figure-mismatch")
    });
    assert_eq!(p["version"], 1);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_stored_index_is_used_at_once_and_refreshed_in_the_background() {
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["src"]
        //- src/a.txt
        Police rescued 382 babies in the raids.
        "#,
    );
    let cache = fx.path("cache");
    let cache_s = cache.to_string_lossy().into_owned();
    // An earlier run left an index on disk.
    let out = crate::support::copydesk()
        .env("COPYDESK_CACHE_DIR", &cache)
        .current_dir(fx.dir.path())
        .args(["index", "--corpus", "src"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // The source changed while no copydesk ran.
    std::fs::write(fx.path("src/a.txt"), "Police rescued 383 babies in the raids.\n").unwrap();
    let draft = "Police rescued 384 babies in the raids.\n";
    std::fs::write(fx.path("draft.md"), draft).unwrap();
    let (mut client, _) = Client::start(
        fx.dir.path(),
        capabilities(false, true),
        Value::Null,
        &[("COPYDESK_CACHE_DIR", cache_s.as_str())],
    );
    let uri = url(&fx.path("draft.md"));
    open(&mut client, &uri, draft);
    // Whatever the first answer (from the index as stored: its passage no
    // longer matches the file and is dropped), the refresh brings the draft
    // to disagree with the file as it is now: 383, not 384.
    let p = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "figure-mismatch" && d["message"].as_str().unwrap_or("").contains("383"))
    });
    assert_eq!(p["version"], 1);
    assert_eq!(client.shutdown(), Some(0));
    // The refresh went to disk: the next run finds the index current.
    let out = crate::support::copydesk()
        .env("COPYDESK_CACHE_DIR", &cache)
        .current_dir(fx.dir.path())
        .args(["index", "--corpus", "src"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("index up to date"));
}

const QUOTES: &str = r#"
//- copydesk.toml
[corpus]
paths = ["sources"]
//- sources/court.md
---
key: court
title: Court report
---
The hearing opened late.

"We will not let this happen again," said judge Marta Zhou after the verdict.
"#;

const QUOTE_DRAFT: &str = "The judge spoke after the verdict.\n\n\"We will not let this happen again,\" Marta Zhou said.\n\n\"We will never let this happen again,\" Zhou said.\n";

#[test]
fn hover_and_definition_on_a_quotation() {
    let fx = Fixture::write(QUOTES);
    std::fs::write(fx.path("draft.md"), QUOTE_DRAFT).unwrap();
    let (mut client, uri) = start(&fx, true);
    open(&mut client, &uri, QUOTE_DRAFT);
    let diags = diagnostics_for(&mut client, &uri, 1);
    let mismatch = diags
        .iter()
        .find(|d| d["code"] == "quote-mismatch")
        .expect("misquote flagged");
    assert_eq!(mismatch["range"]["start"]["line"], 4);
    let at = |line: u64, ch: u64| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}});
    // Hover on the correct quotation: the source passage and its speaker.
    let h = client.request("textDocument/hover", at(2, 5));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("court") && v.contains("Marta Zhou") && v.contains("**We will not let this happen again**"),
        "{v}"
    );
    // Hover on the misquote shows what the source says.
    let h = client.request("textDocument/hover", at(4, 5));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("differs") && v.contains("never"), "{v}");
    // Go to definition opens the source at the quoted words.
    let d = client.request("textDocument/definition", at(2, 5));
    assert!(d["uri"].as_str().unwrap().ends_with("sources/court.md"), "{d}");
    assert_eq!(d["range"]["start"], json!({"line": 6, "character": 1}));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn shutdown_with_null_params_ends_cleanly() {
    // Emacs eglot sends `"params": null` for methods without parameters.
    let fx = story();
    let (mut client, _) = start(&fx, false);
    client.send_raw(br#"{"jsonrpc":"2.0","id":900,"method":"shutdown","params":null}"#);
    let deadline = Instant::now() + Duration::from_secs(20);
    let reply = client.response(900, deadline).expect("a reply to shutdown");
    assert!(reply.get("error").is_none(), "{reply}");
    assert_eq!(reply["result"], Value::Null);
    client.send_raw(br#"{"jsonrpc":"2.0","method":"exit","params":null}"#);
    assert_eq!(client.wait_exit(), Some(0));
}

/// With the shipped defaults a keystroke is checked at once; a finding on
/// the word being typed waits until the word is finished (idle, or an edit
/// elsewhere), so "4" on the way to "43" is not flagged mid-word.
#[test]
fn item_7_defaults_check_at_once_and_hold_back_the_word_being_typed() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    let text = "In Anhui, police detained 43 suspects and freed 11 babies.\n\nOfficers rescued 382 infants in 27 cities after a tip-off.\n";
    let mismatch = |d: &[Value]| d.iter().any(|d| d["code"] == "figure-mismatch");
    open(&mut client, &uri, text);
    assert!(!mismatch(&diagnostics_for(&mut client, &uri, 1)));
    let three = text.find("43").unwrap() as u64 + 1;
    let change = |client: &mut Client, version: i64, line: u64, a: u64, b: u64, with: &str| {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": line, "character": a}, "end": {"line": line, "character": b}}, "text": with}]}),
        );
    };
    // Backspace over the "3": "4 suspects" differs from the sources, but the
    // cursor is still on the "4".
    change(&mut client, 2, 0, three, three + 1, "");
    let held = diagnostics_for(&mut client, &uri, 2);
    assert!(!mismatch(&held), "{held:?}");
    assert!(
        held.iter().any(|d| d["code"] == "sources-disagree"),
        "other lines are shown: {held:?}"
    );
    // Idle: the same version again, now with the finding.
    let released = diagnostics_for(&mut client, &uri, 2);
    assert!(mismatch(&released), "{released:?}");
    // Type the "3" again, delete it again, then type elsewhere at once: the
    // edit elsewhere releases the word.
    change(&mut client, 3, 0, three, three, "3");
    assert!(!mismatch(&diagnostics_for(&mut client, &uri, 3)));
    change(&mut client, 4, 0, three, three + 1, "");
    assert!(!mismatch(&diagnostics_for(&mut client, &uri, 4)));
    let end = text.lines().nth(2).unwrap().len() as u64;
    change(&mut client, 5, 2, end, end, "x");
    assert!(mismatch(&diagnostics_for(&mut client, &uri, 5)));
    assert_eq!(client.shutdown(), Some(0));
}
