//! A minimal LSP client over the real binary's stdin and stdout, for
//! end-to-end tests. Every byte on stdout must be a framed JSON-RPC message:
//! the reader fails the test on anything else.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// What the client answers to a server request.
pub type Answer = Box<dyn FnMut(&str, &Value) -> Value + Send>;

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Result<Value, String>>,
    next_id: i64,
    /// Notifications and server requests seen but not yet taken.
    queue: VecDeque<Value>,
    /// Server requests seen, with their answers.
    pub server_requests: Vec<Value>,
    answer: Answer,
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

fn read_message(r: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        match line.split_once(": ") {
            Some(("Content-Length", n)) => len = Some(n.parse::<usize>().map_err(|e| e.to_string())?),
            Some(("Content-Type", _)) => {}
            _ => return Err(format!("not a protocol header on stdout: {line:?}")),
        }
    }
    let len = len.ok_or("message without Content-Length")?;
    let mut body = vec![0; len];
    r.read_exact(&mut body).map_err(|e| e.to_string())?;
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| format!("not JSON on stdout: {e}"))
}

impl Client {
    /// Starts `copydesk lsp` in `dir` and initializes it.
    pub fn start(dir: &Path, capabilities: Value, init_options: Value, env: &[(&str, &str)]) -> (Client, Value) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
        // Tests and benches keep the index out of the user's cache folder.
        let cache = std::env::var_os("COPYDESK_CACHE_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join(format!("copydesk-test-cache-{}", std::process::id())));
        cmd.env("COPYDESK_CACHE_DIR", cache);
        cmd.arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(match std::env::var_os("COPYDESK_TEST_STDERR") {
                Some(_) => Stdio::inherit(),
                None => Stdio::null(),
            })
            .env("COPYDESK_LOG", "warn")
            .env_remove("COPYDESK_ALLOW_OUTSIDE_PATHS");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start copydesk lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                match read_message(&mut r) {
                    Ok(Some(v)) => {
                        if tx.send(Ok(v)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            rx,
            next_id: 1,
            queue: VecDeque::new(),
            server_requests: Vec::new(),
            answer: Box::new(default_answer),
        };
        let root = url(dir);
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "workspaceFolders": [{"uri": root, "name": "ws"}],
                "capabilities": capabilities,
                "initializationOptions": init_options,
            }),
        );
        client.notify("initialized", json!({}));
        (client, result)
    }

    /// The server's process id (benchmarks read its memory from /proc).
    #[allow(dead_code)]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn set_answer(&mut self, answer: Answer) {
        self.answer = answer;
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len());
        let _ = self.stdin.write_all(&body);
        let _ = self.stdin.flush();
    }

    /// Writes raw bytes, framed (for malformed-input tests).
    pub fn send_raw(&mut self, body: &[u8]) {
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len());
        let _ = self.stdin.write_all(body);
        let _ = self.stdin.flush();
    }

    /// Writes bytes to the server's stdin as they are (hostile framing).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let _ = self.stdin.write_all(bytes);
        let _ = self.stdin.flush();
    }

    /// Forgets queued messages matching `pred` (long runs of publishes).
    pub fn discard(&mut self, pred: impl Fn(&Value) -> bool) {
        self.queue.retain(|m| !pred(m));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
    }

    /// Receives one message, answering server requests on the way.
    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(Ok(v)) => {
                if v.get("method").is_some() && v.get("id").is_some() {
                    let method = v["method"].as_str().unwrap_or_default().to_string();
                    let result = (self.answer)(&method, &v["params"]);
                    self.server_requests.push(v.clone());
                    let id = v["id"].clone();
                    self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
                }
                Some(v)
            }
            Ok(Err(e)) => panic!("{e}"),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Sends a request and returns its whole response (`result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no response to {method} within {TIMEOUT:?}"));
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.queue.push_back(msg);
        }
    }

    /// Sends a request and returns its `result`, failing on an error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_raw(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Waits for a notification matching `pred`.
    pub fn wait_for(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_within(method, TIMEOUT, pred)
            .unwrap_or_else(|| panic!("no {method} matching within {TIMEOUT:?}"))
    }

    pub fn wait_for_within(&mut self, method: &str, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self
            .queue
            .iter()
            .position(|m| m["method"] == method && pred(&m["params"]))
        {
            return self.queue.remove(i).map(|m| m["params"].clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let msg = self.recv(deadline)?;
            if msg["method"] == method && pred(&msg["params"]) {
                return Some(msg["params"].clone());
            }
            self.queue.push_back(msg);
        }
    }

    /// `shutdown` then `exit`; returns the exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// The response with id `id`, if it comes before `deadline`.
    pub fn response(&mut self, id: i64, deadline: Instant) -> Option<Value> {
        loop {
            let m = self.recv(deadline)?;
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                return Some(m);
            }
            self.queue.push_back(m);
        }
    }

    /// The next response of any id (error replies to malformed messages).
    pub fn response_any(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let m = self.recv(deadline)?;
            if m.get("method").is_none() {
                return Some(m);
            }
            self.queue.push_back(m);
        }
    }

    /// The exit code once the server has ended (`None` if it does not within 10 s).
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn default_answer(method: &str, params: &Value) -> Value {
    match method {
        "window/showMessageRequest" => params["actions"][0].clone(),
        "workspace/applyEdit" => json!({"applied": true}),
        "workspace/configuration" => json!([null]),
        _ => Value::Null,
    }
}

pub fn url(path: &Path) -> String {
    format!("file://{}", std::fs::canonicalize(path).unwrap().display())
}

/// Client capabilities: UTF-8 offered or not, and what else the client does.
pub fn capabilities(utf8: bool, watch: bool) -> Value {
    let encodings = if utf8 {
        json!(["utf-8", "utf-16"])
    } else {
        json!(["utf-16"])
    };
    json!({
        "general": {"positionEncodings": encodings},
        "workspace": {
            "didChangeWatchedFiles": {"dynamicRegistration": watch},
            "applyEdit": true,
            "configuration": true,
            "inlayHint": {"refreshSupport": true}
        },
        "window": {"showMessage": {"messageActionItem": {"additionalPropertiesSupport": false}}},
        "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}}
    })
}
