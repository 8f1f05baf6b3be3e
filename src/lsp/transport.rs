//! A shield between stdio and tower-lsp.
//!
//! tower-lsp 0.20 stops reading for good after one message it cannot decode
//! (its framed reader ends at the first error), so a single malformed
//! message would kill the server. [`Shield`] frames stdin itself: well-formed
//! JSON-RPC messages pass through byte for byte; anything else is answered
//! with a JSON-RPC parse error (id null) and dropped. Replies and
//! tower-lsp's own output share [`SharedStdout`], which writes whole frames
//! only, so they never interleave.

use std::io::Write;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Stdout, shared by tower-lsp and the shield's error replies.
#[derive(Clone)]
pub struct SharedStdout {
    out: Arc<Mutex<std::io::Stdout>>,
    pending: Arc<Mutex<Vec<u8>>>,
}

impl SharedStdout {
    pub fn new() -> SharedStdout {
        SharedStdout {
            out: Arc::new(Mutex::new(std::io::stdout())),
            pending: Arc::default(),
        }
    }

    /// Writes one framed message at once.
    pub fn write_frame(&self, body: &[u8]) {
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        let _ = write!(out, "Content-Length: {}\r\n\r\n", body.len());
        let _ = out.write_all(body);
        let _ = out.flush();
    }
}

impl Default for SharedStdout {
    fn default() -> Self {
        SharedStdout::new()
    }
}

impl AsyncWrite for SharedStdout {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    /// tower-lsp flushes after whole frames: write what it gave us in one go.
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let bytes = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        if !bytes.is_empty() {
            let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
            out.write_all(&bytes)?;
            out.flush()?;
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// Stdin, with malformed messages taken out.
pub struct Shield<R> {
    inner: R,
    stdout: SharedStdout,
    /// Bytes read and not yet framed.
    raw: Vec<u8>,
    /// How far into `raw` the body of the message at its start has been
    /// searched for a header that should not be there (a lying length).
    scanned: usize,
    /// Checked frames ready for tower-lsp.
    ready: Vec<u8>,
    eof: bool,
}

/// Longest header block taken; past it without an end, the bytes are dropped.
const MAX_HEADER: usize = 64 * 1024;

/// A `Content-Length` header line, as it can only appear in raw bytes
/// between messages (JSON strings cannot hold a raw line break).
fn length_header() -> &'static regex::bytes::Regex {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::bytes::Regex::new(r"(?i)content-length:[ \t]*[0-9]+[ \t]*\r?\n").expect("valid regex"))
}

/// Where the next header block starts: at the next `Content-Length` or
/// `Content-Type` header, the only two LSP defines.
fn header_start(raw: &[u8]) -> Option<usize> {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::bytes::Regex::new(r"(?i)content-(length|type):").expect("valid regex"));
    re.find(raw).map(|m| m.start())
}

/// The end of a header block and the length of its blank line: `\r\n\r\n`,
/// or `\n\n` from clients that end header lines with LF alone.
fn header_end(raw: &[u8]) -> Option<(usize, usize)> {
    let crlf = memchr::memmem::find(raw, b"\r\n\r\n").map(|i| (i, 4));
    let lf = memchr::memmem::find(raw, b"\n\n").map(|i| (i, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The `Content-Length` of a header block; names are case-insensitive,
/// other headers (`Content-Type`) are ignored. `Err` when a line is not a
/// header or the length is not a number.
fn content_length(header: &[u8]) -> Result<usize, String> {
    let header = String::from_utf8_lossy(header);
    let mut len = None;
    for line in header.split('\n').map(|l| l.trim_end_matches('\r')) {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| format!("not a header line: {line:?}"))?;
        if k.trim().eq_ignore_ascii_case("content-length") {
            len = Some(
                v.trim()
                    .parse::<usize>()
                    .map_err(|_| format!("Content-Length is not a number: {:?}", v.trim()))?,
            );
        }
    }
    len.ok_or_else(|| "message without Content-Length".to_string())
}

impl<R> Shield<R> {
    pub fn new(inner: R, stdout: SharedStdout) -> Shield<R> {
        Shield {
            inner,
            stdout,
            raw: Vec::new(),
            scanned: 0,
            ready: Vec::new(),
            eof: false,
        }
    }

    fn drain(&mut self, n: usize) {
        self.raw.drain(..n.min(self.raw.len()));
        self.scanned = 0;
    }

    /// Moves every complete frame from `raw` to `ready` (always re-framed
    /// with one canonical `Content-Length` header, which is all tower-lsp
    /// reads), or answers it with an error and resynchronises at the next
    /// header.
    fn frame(&mut self) {
        loop {
            if self.raw.is_empty() {
                return;
            }
            match header_start(&self.raw) {
                Some(0) => {}
                Some(i) => {
                    self.reject(None, -32700, "bytes outside a message");
                    self.drain(i);
                    continue;
                }
                None => {
                    if self.raw.len() > MAX_HEADER {
                        self.reject(None, -32700, "bytes outside a message");
                        // Keep a tail: a header may be arriving across reads.
                        let keep = self.raw.len() - 32;
                        self.drain(keep);
                    }
                    return;
                }
            }
            let Some((header_end, blank)) = header_end(&self.raw) else {
                if self.raw.len() > MAX_HEADER {
                    self.reject(None, -32700, "header too long or missing");
                    self.drain(1);
                    continue;
                }
                return;
            };
            let start = header_end + blank;
            let len = match content_length(&self.raw[..header_end]) {
                Ok(len) => len,
                Err(why) => {
                    self.reject(None, -32700, &why);
                    self.drain(start);
                    continue;
                }
            };
            // A length longer than the body swallows the next message: its
            // header shows up where the body should be.
            let avail = self.raw.len().min(start + len);
            let from = self.scanned.max(start).saturating_sub(40).max(start);
            if let Some(m) = length_header().find(&self.raw[from..avail]) {
                self.reject(None, -32700, "Content-Length does not match the body");
                self.drain(from + m.start());
                continue;
            }
            self.scanned = avail;
            if self.raw.len() < start + len {
                return;
            }
            let body = self.raw[start..start + len].to_vec();
            let verdict = check(&body);
            if matches!(&verdict, Verdict::Reply { code, .. } if *code == PARSE_ERROR)
                && let Some(next) = header_start(&self.raw[start..])
            {
                // Not JSON, and a header follows closely: the length lied by
                // a little; take up at that header.
                self.reject(None, PARSE_ERROR, "Content-Length does not match the body");
                self.drain(start + next);
                continue;
            }
            self.drain(start + len);
            match verdict {
                Verdict::Pass(rewritten) => {
                    let body = rewritten.unwrap_or(body);
                    self.ready
                        .extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
                    self.ready.extend_from_slice(&body);
                }
                Verdict::Reply { id, code, why } => self.reject(id, code, &why),
            }
        }
    }

    fn reject(&self, id: Option<serde_json::Value>, code: i64, why: &str) {
        tracing::error!("malformed message from the client: {why}");
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id.unwrap_or(serde_json::Value::Null),
            "error": {"code": code, "message": format!("copydesk: {why}")},
        });
        self.stdout.write_frame(body.to_string().as_bytes());
    }
}
/// What becomes of a message body.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Handed to tower-lsp, rewritten when `Some`.
    Pass(Option<Vec<u8>>),
    /// Answered here with a JSON-RPC error and dropped.
    Reply {
        id: Option<serde_json::Value>,
        code: i64,
        why: String,
    },
}

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;

/// Whether a body is a JSON-RPC message tower-lsp can take. tower-lsp ends
/// the server on a message it cannot decode, so each body is decoded here
/// with tower-lsp's own types first (which also refuses duplicate keys and
/// ids that are not 64-bit integers or strings).
///
/// `"params": null`, which some clients send for methods without parameters
/// (Emacs eglot's `shutdown`) and tower-lsp rejects, is dropped. Requests
/// for `$/` methods are answered MethodNotFound here: tower-lsp would leave
/// them unanswered.
fn check(body: &[u8]) -> Verdict {
    let reply = |id: Option<serde_json::Value>, code: i64, why: String| Verdict::Reply { id, code, why };
    let mut v: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return reply(None, PARSE_ERROR, format!("malformed message: not JSON ({e})")),
    };
    // The id to answer with, when it is one the client can match.
    let id = v
        .get("id")
        .filter(|id| id.is_string() || id.as_i64().is_some())
        .cloned();
    let Some(obj) = v.as_object_mut() else {
        return reply(None, INVALID_REQUEST, "malformed message: not a JSON object".into());
    };
    let rewritten = obj.get("params").is_some_and(serde_json::Value::is_null);
    if rewritten {
        obj.remove("params");
    }
    if obj.get("jsonrpc").and_then(|j| j.as_str()) != Some("2.0") {
        return reply(id, INVALID_REQUEST, "malformed message: no \"jsonrpc\": \"2.0\"".into());
    }
    let method = match (obj.get("method"), obj.get("id")) {
        (Some(serde_json::Value::String(m)), _) => Some(m.clone()),
        (Some(_), _) => {
            return reply(
                id,
                INVALID_REQUEST,
                "malformed message: \"method\" is not a string".into(),
            );
        }
        // A response to one of our requests needs a result or an error.
        (None, Some(_)) if obj.contains_key("result") || obj.contains_key("error") => None,
        _ => {
            return reply(
                id,
                INVALID_REQUEST,
                "malformed message: neither a request, a notification nor a response".into(),
            );
        }
    };
    let bad_id = obj.get("id").is_some_and(|i| !i.is_null()) && id.is_none();
    let decodes = !bad_id
        && match &method {
            Some(_) => serde_json::from_slice::<tower_lsp::jsonrpc::Request>(body).is_ok(),
            None => serde_json::from_slice::<tower_lsp::jsonrpc::Response>(body).is_ok(),
        };
    if !decodes {
        let why = if bad_id {
            "malformed message: \"id\" must be a 64-bit integer or a string"
        } else {
            "malformed message: not a valid JSON-RPC message (duplicate keys or wrong types)"
        };
        return reply(id, INVALID_REQUEST, why.into());
    }
    if let Some(m) = &method
        && m.starts_with("$/")
        && obj.contains_key("id")
    {
        return reply(id, METHOD_NOT_FOUND, format!("method not found: {m}"));
    }
    Verdict::Pass(rewritten.then(|| v.to_string().into_bytes()))
}

impl<R: AsyncRead + Unpin> AsyncRead for Shield<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        loop {
            if !self.ready.is_empty() {
                let n = self.ready.len().min(buf.remaining());
                buf.put_slice(&self.ready[..n]);
                self.ready.drain(..n);
                return Poll::Ready(Ok(()));
            }
            if self.eof {
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 16 * 1024];
            let mut rb = ReadBuf::new(&mut chunk);
            match Pin::new(&mut self.inner).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) => {
                    let got = rb.filled();
                    if got.is_empty() {
                        self.eof = true;
                    } else {
                        let got = got.to_vec();
                        self.raw.extend_from_slice(&got);
                        self.frame();
                    }
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passes(body: &[u8]) -> bool {
        matches!(check(body), Verdict::Pass(_))
    }

    fn code(body: &[u8]) -> Option<i64> {
        match check(body) {
            Verdict::Reply { code, .. } => Some(code),
            Verdict::Pass(_) => None,
        }
    }

    #[test]
    fn what_passes() {
        assert!(passes(br#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#));
        assert!(passes(br#"{"jsonrpc":"2.0","id":"a","method":"initialize"}"#));
        assert!(passes(br#"{"jsonrpc":"2.0","method":"exit"}"#));
        assert!(passes(br#"{"jsonrpc":"2.0","id":1,"result":null}"#));
        assert!(passes(
            br#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#
        ));
        assert_eq!(code(b"{this is not json"), Some(PARSE_ERROR));
        assert_eq!(code(br#"{"jsonrpc":"2.0","id":99}"#), Some(INVALID_REQUEST));
        assert_eq!(code(br#"[1,2]"#), Some(INVALID_REQUEST));
        assert_eq!(code(br#"{"jsonrpc":"2.0","method":7}"#), Some(INVALID_REQUEST));
    }

    #[test]
    fn ids_tower_lsp_cannot_decode_get_an_error() {
        for id in [
            "1.5",
            "{}",
            "[1]",
            "true",
            "18446744073709551616",
            "18446744073709551615",
        ] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/hover","params":{{}}}}"#);
            match check(body.as_bytes()) {
                Verdict::Reply { id, code, .. } => {
                    assert_eq!(code, INVALID_REQUEST, "{body}");
                    assert_eq!(id, None, "{body}");
                }
                v => panic!("{body} passed: {v:?}"),
            }
        }
    }

    #[test]
    fn duplicate_keys_get_an_error_with_the_id() {
        match check(br#"{"jsonrpc":"2.0","id":4,"method":"shutdown","method":"exit"}"#) {
            Verdict::Reply { id, code, .. } => {
                assert_eq!(code, INVALID_REQUEST);
                assert_eq!(id, Some(serde_json::json!(4)));
            }
            v => panic!("passed: {v:?}"),
        }
    }

    #[test]
    fn dollar_requests_get_method_not_found() {
        match check(br#"{"jsonrpc":"2.0","id":8,"method":"$/somethingNew","params":{}}"#) {
            Verdict::Reply { id, code, .. } => {
                assert_eq!(code, METHOD_NOT_FOUND);
                assert_eq!(id, Some(serde_json::json!(8)));
            }
            v => panic!("passed: {v:?}"),
        }
    }

    #[test]
    fn null_params_are_dropped() {
        let Verdict::Pass(Some(fixed)) = check(br#"{"jsonrpc":"2.0","id":3,"method":"shutdown","params":null}"#) else {
            panic!("not rewritten");
        };
        let v: serde_json::Value = serde_json::from_slice(&fixed).unwrap();
        assert_eq!(v, serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
        assert_eq!(
            check(br#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#),
            Verdict::Pass(None)
        );
    }

    /// Feeds `input` to the framer one byte at a time (the worst split) and
    /// returns the bodies it passes on, checking they are framed canonically.
    fn frames(input: &[u8]) -> Vec<serde_json::Value> {
        let mut shield = Shield::new((), SharedStdout::new());
        for b in input {
            shield.raw.push(*b);
            shield.frame();
        }
        let mut out = Vec::new();
        let mut rest = &shield.ready[..];
        while !rest.is_empty() {
            let (end, blank) = header_end(rest).unwrap();
            assert!(rest.starts_with(b"Content-Length: "), "canonical header");
            assert_eq!(blank, 4);
            let len = content_length(&rest[..end]).unwrap();
            out.push(serde_json::from_slice(&rest[end + blank..end + blank + len]).unwrap());
            rest = &rest[end + blank + len..];
        }
        out
    }

    fn msg(header: &str, body: &str) -> Vec<u8> {
        format!("{header}{body}").into_bytes()
    }

    const GOOD: &str = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
    const OTHER: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#;

    fn good() -> serde_json::Value {
        serde_json::from_str(GOOD).unwrap()
    }

    #[test]
    fn lowercase_content_type_and_lf_only_headers_are_reframed() {
        let mut input = msg(&format!("content-length: {}\r\n\r\n", GOOD.len()), GOOD);
        input.extend(msg(
            &format!(
                "Content-Length: {}\r\nContent-Type: application/json\r\n\r\n",
                GOOD.len()
            ),
            GOOD,
        ));
        input.extend(msg(&format!("Content-Length: {}\n\n", GOOD.len()), GOOD));
        assert_eq!(frames(&input), vec![good(), good(), good()]);
    }

    #[test]
    fn a_lying_content_length_loses_only_its_own_message() {
        // Too long: the next message's header shows up inside the body.
        let mut input = msg(&format!("Content-Length: {}\r\n\r\n", OTHER.len() + 30), OTHER);
        input.extend(msg(&format!("Content-Length: {}\r\n\r\n", GOOD.len()), GOOD));
        assert_eq!(frames(&input), vec![good()]);
        // Too short: the rest of the body is skipped up to the next header.
        let mut input = msg(&format!("Content-Length: {}\r\n\r\n", OTHER.len() - 5), OTHER);
        input.extend(msg(&format!("Content-Length: {}\r\n\r\n", GOOD.len()), GOOD));
        assert_eq!(frames(&input), vec![good()]);
        // No length at all.
        let mut input = msg("Content-Type: application/json\r\n\r\n", OTHER);
        input.extend(msg(&format!("Content-Length: {}\r\n\r\n", GOOD.len()), GOOD));
        assert_eq!(frames(&input), vec![good()]);
    }
}
