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
    /// Checked frames ready for tower-lsp.
    ready: Vec<u8>,
    eof: bool,
}

impl<R> Shield<R> {
    pub fn new(inner: R, stdout: SharedStdout) -> Shield<R> {
        Shield {
            inner,
            stdout,
            raw: Vec::new(),
            ready: Vec::new(),
            eof: false,
        }
    }

    /// Moves every complete frame from `raw` to `ready`, or answers it with
    /// an error.
    fn frame(&mut self) {
        loop {
            let Some(header_end) = find(&self.raw, b"\r\n\r\n") else {
                // A runaway header: drop it.
                if self.raw.len() > 64 * 1024 {
                    self.reject("header too long or missing");
                    self.raw.clear();
                }
                return;
            };
            let header = String::from_utf8_lossy(&self.raw[..header_end]).to_string();
            let len = header.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            });
            let Some(len) = len else {
                self.reject("message without Content-Length");
                // Resynchronise at the next header.
                let skip =
                    find(&self.raw[header_end + 4..], b"Content-Length").map_or(self.raw.len(), |i| header_end + 4 + i);
                self.raw.drain(..skip);
                continue;
            };
            let start = header_end + 4;
            if self.raw.len() < start + len {
                return;
            }
            let body = &self.raw[start..start + len];
            match check(body) {
                Ok(None) => {
                    let frame: Vec<u8> = self.raw[..start + len].to_vec();
                    self.ready.extend_from_slice(&frame);
                }
                Ok(Some(body)) => {
                    self.ready
                        .extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
                    self.ready.extend_from_slice(&body);
                }
                Err(why) => self.reject(&why),
            }
            self.raw.drain(..start + len);
        }
    }

    fn reject(&self, why: &str) {
        tracing::error!("malformed message from the client: {why}");
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "error": {"code": -32700, "message": format!("copydesk: malformed message: {why}")},
        });
        self.stdout.write_frame(body.to_string().as_bytes());
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Whether a body is a JSON-RPC message tower-lsp can take; `Some` is the
/// body rewritten so it can: `"params": null`, which some clients send for
/// methods without parameters (Emacs eglot's `shutdown`) and tower-lsp
/// rejects, is dropped.
fn check(body: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let mut v: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("not JSON ({e})"))?;
    let rewritten = match v.as_object_mut() {
        Some(obj) if obj.get("params").is_some_and(serde_json::Value::is_null) => {
            obj.remove("params");
            true
        }
        _ => false,
    };
    let obj = v.as_object().ok_or("not a JSON object")?;
    if obj.get("jsonrpc").and_then(|j| j.as_str()) != Some("2.0") {
        return Err("no \"jsonrpc\": \"2.0\"".into());
    }
    match (obj.get("method"), obj.get("id")) {
        (Some(m), _) if m.is_string() => {}
        (Some(_), _) => return Err("\"method\" is not a string".into()),
        // A response to one of our requests needs a result or an error.
        (None, Some(_)) if obj.contains_key("result") || obj.contains_key("error") => {}
        _ => return Err("neither a request, a notification nor a response".into()),
    }
    Ok(rewritten.then(|| v.to_string().into_bytes()))
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

    #[test]
    fn what_passes() {
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","method":"exit"}"#).is_ok());
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_ok());
        assert!(check(b"{this is not json").is_err());
        assert!(check(br#"{"jsonrpc":"2.0","id":99}"#).is_err());
        assert!(check(br#"[1,2]"#).is_err());
        assert!(check(br#"{"jsonrpc":"2.0","method":7}"#).is_err());
    }

    #[test]
    fn null_params_are_dropped() {
        let fixed = check(br#"{"jsonrpc":"2.0","id":3,"method":"shutdown","params":null}"#)
            .unwrap()
            .expect("rewritten");
        let v: serde_json::Value = serde_json::from_slice(&fixed).unwrap();
        assert_eq!(v, serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
        assert_eq!(check(br#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#).unwrap(), None);
    }
}
