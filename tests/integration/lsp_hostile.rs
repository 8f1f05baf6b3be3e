//! Hostile framing and messages through the real binary: each gets a
//! JSON-RPC error (or is resynchronised) and the server goes on.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::lsp::{DRAFT, diagnostics_for, open, start, story};
use crate::lsp_client::Client;

fn framed(header: &str, body: &str) -> Vec<u8> {
    format!("{header}{body}").into_bytes()
}

/// A hover request the server must still answer, with id `id`.
fn hover(uri: &str, id: i64) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
           "params": {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 18}}})
    .to_string()
}

fn answered(client: &mut Client, id: i64) -> Value {
    client
        .response(id, Instant::now() + Duration::from_secs(20))
        .unwrap_or_else(|| panic!("no answer to request {id}: the server stopped or lost it"))
}

/// The error the server answers a message with (id null when it has none usable).
fn error_reply(client: &mut Client, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let m = client.response_any(deadline).expect("an error reply");
        if m.get("error").is_some() && pred(&m) {
            return m;
        }
    }
}

#[test]
fn undecodable_messages_get_errors_and_the_server_goes_on() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    diagnostics_for(&mut client, &uri, 1);
    let mut next = 1000;
    for id in ["1.5", "{\"a\":1}", "[1]", "true", "18446744073709551616"] {
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/hover","params":{{"textDocument":{{"uri":"{uri}"}},"position":{{"line":0,"character":0}}}}}}"#
        );
        client.send_raw(body.as_bytes());
        let e = error_reply(&mut client, |m| m["id"].is_null());
        assert_eq!(e["error"]["code"], -32600, "{id}: {e}");
        next += 1;
        client.send_raw(hover(&uri, next).as_bytes());
        assert!(answered(&mut client, next).get("result").is_some(), "after id {id}");
    }
    // Duplicate keys: an error with the request's id.
    client.send_raw(br#"{"jsonrpc":"2.0","id":77,"method":"textDocument/hover","method":"shutdown","params":{}}"#);
    let e = error_reply(&mut client, |m| m["id"] == 77);
    assert_eq!(e["error"]["code"], -32600, "{e}");
    // A `$/` request: MethodNotFound, not silence.
    client.send_raw(br#"{"jsonrpc":"2.0","id":78,"method":"$/unknownThing","params":{}}"#);
    let e = answered(&mut client, 78);
    assert_eq!(e["error"]["code"], -32601, "{e}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn odd_headers_and_lying_lengths_lose_no_valid_message() {
    let fx = story();
    let (mut client, uri) = start(&fx, false);
    open(&mut client, &uri, DRAFT);
    diagnostics_for(&mut client, &uri, 1);
    // Lowercase name, a Content-Type, LF-only header lines: all read.
    let h = hover(&uri, 501);
    client.send_bytes(&framed(&format!("content-length: {}\r\n\r\n", h.len()), &h));
    assert!(answered(&mut client, 501).get("result").is_some());
    let h = hover(&uri, 502);
    client.send_bytes(&framed(
        &format!("Content-Length: {}\r\nContent-Type: application/json\r\n\r\n", h.len()),
        &h,
    ));
    assert!(answered(&mut client, 502).get("result").is_some());
    let h = hover(&uri, 503);
    client.send_bytes(&framed(&format!("Content-Length: {}\n\n", h.len()), &h));
    assert!(answered(&mut client, 503).get("result").is_some());
    // Lengths that lie, too long and too short: the next message still gets through.
    let bad = hover(&uri, 504);
    let good = hover(&uri, 505);
    let mut bytes = framed(&format!("Content-Length: {}\r\n\r\n", bad.len() + 200), &bad);
    bytes.extend(framed(&format!("Content-Length: {}\r\n\r\n", good.len()), &good));
    client.send_bytes(&bytes);
    assert!(answered(&mut client, 505).get("result").is_some());
    let bad = hover(&uri, 506);
    let good = hover(&uri, 507);
    let mut bytes = framed(&format!("Content-Length: {}\r\n\r\n", bad.len() - 7), &bad);
    bytes.extend(framed(&format!("Content-Length: {}\r\n\r\n", good.len()), &good));
    client.send_bytes(&bytes);
    assert!(answered(&mut client, 507).get("result").is_some());
    assert_eq!(client.shutdown(), Some(0));
}

/// Runs `copydesk` with args in `dir`, failing if it does not end within 20 s
/// (a FIFO opened for reading blocks until a writer comes).
fn run_bounded(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut child = crate::support::copydesk()
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("copydesk {args:?} blocked on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &std::path::Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn fifos_as_draft_config_or_rules_are_refused() {
    let fx = story();
    std::fs::write(fx.path("draft.md"), DRAFT).unwrap();
    if !mkfifo(&fx.path("pipe.md")) {
        assert!(!crate::external::required(), "mkfifo missing");
        eprintln!("skipped: no mkfifo on this machine");
        return;
    }
    // The draft.
    let out = run_bounded(fx.dir.path(), &["check", "pipe.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        crate::support::stderr(&out).contains("not a regular file"),
        "{}",
        crate::support::stderr(&out)
    );
    // A rules path, and a FIFO among the `*.toml` of a rules folder.
    std::fs::create_dir(fx.path("rules")).unwrap();
    assert!(mkfifo(&fx.path("rules/extra.toml")));
    for rules in ["rules/extra.toml", "rules"] {
        std::fs::write(
            fx.path("copydesk.toml"),
            format!("[corpus]\npaths = [\"sources\"]\n[rules]\npaths = [\"{rules}\"]\n"),
        )
        .unwrap();
        let out = run_bounded(fx.dir.path(), &["check", "draft.md"]);
        assert_eq!(out.status.code(), Some(2), "{rules}");
        assert!(
            crate::support::stderr(&out).contains("not a regular file"),
            "{rules}: {}",
            crate::support::stderr(&out)
        );
    }
    // The configuration file itself.
    std::fs::remove_file(fx.path("copydesk.toml")).unwrap();
    assert!(mkfifo(&fx.path("copydesk.toml")));
    let out = run_bounded(fx.dir.path(), &["check", "draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        crate::support::stderr(&out).contains("not a regular file"),
        "{}",
        crate::support::stderr(&out)
    );
}
