//! `copydesk lsp`: the language server, on tower-lsp over stdio.
//!
//! This module alone knows LSP. `convert` turns the engine's byte offsets into
//! positions; `document` keeps open texts; `state` holds documents and
//! projects; each feature is a file in `handlers`. The `LanguageServer`
//! impl below only delegates, each call behind a panic guard: a panic in a
//! handler becomes an error reply (or, for a notification, a logged failure)
//! and the server lives on.

#[cfg(feature = "postgres")]
mod archive;
mod convert;
pub mod document;
mod handlers;
mod state;
mod transport;

pub use convert::Encoding;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer, LspService, Server};

use state::State;

/// The server.
pub struct Backend {
    state: Arc<State>,
}

/// Runs a request handler; a panic becomes an internal error reply.
async fn guard<T>(method: &str, fut: impl Future<Output = Result<T>>) -> Result<T> {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic_message(&panic);
            tracing::error!(method, "handler panicked: {msg}");
            Err(Error {
                code: tower_lsp::jsonrpc::ErrorCode::InternalError,
                message: format!("copydesk: {method} failed: {msg}").into(),
                data: None,
            })
        }
    }
}

/// Runs a notification handler; a panic is logged.
async fn guard_note(method: &str, fut: impl Future<Output = ()>) {
    if let Err(panic) = AssertUnwindSafe(fut).catch_unwind().await {
        tracing::error!(method, "handler panicked: {}", panic_message(&panic));
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        guard("initialize", handlers::workspace::initialize(&self.state, params)).await
    }
    async fn initialized(&self, _: InitializedParams) {
        guard_note("initialized", handlers::workspace::initialized(&self.state)).await
    }
    async fn shutdown(&self) -> Result<()> {
        guard("shutdown", handlers::workspace::shutdown(&self.state)).await
    }
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        guard_note("didOpen", handlers::documents::did_open(&self.state, params)).await
    }
    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        guard_note("didChange", handlers::documents::did_change(&self.state, params)).await
    }
    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        guard_note("didSave", handlers::documents::did_save(&self.state, params)).await
    }
    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        guard_note("didClose", handlers::documents::did_close(&self.state, params)).await
    }
    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        guard_note(
            "didChangeConfiguration",
            handlers::workspace::did_change_configuration(&self.state, params),
        )
        .await
    }
    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        guard_note(
            "didChangeWatchedFiles",
            handlers::workspace::did_change_watched_files(&self.state, params),
        )
        .await
    }
    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        guard_note(
            "didChangeWorkspaceFolders",
            handlers::workspace::did_change_folders(&self.state, params),
        )
        .await
    }
    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        guard("hover", handlers::hover::hover(&self.state, params)).await
    }
    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        guard("completion", handlers::completion::completion(&self.state, params)).await
    }
    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        guard("definition", handlers::definition::definition(&self.state, params)).await
    }
    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        guard("codeAction", handlers::code_action::code_action(&self.state, params)).await
    }
    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<serde_json::Value>> {
        guard(
            "executeCommand",
            handlers::code_action::execute_command(&self.state, params),
        )
        .await
    }
    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        guard("inlayHint", handlers::inlay::inlay_hint(&self.state, params)).await
    }
}

impl Backend {
    async fn conflicts(&self, params: serde_json::Value) -> Result<serde_json::Value> {
        guard(
            "copydesk/conflicts",
            handlers::conflicts::conflicts(&self.state, params),
        )
        .await
    }

    /// `copydesk/status`: what is indexed, for the editor packages' status bar.
    async fn status(&self, params: serde_json::Value) -> Result<serde_json::Value> {
        guard("copydesk/status", handlers::conflicts::status(&self.state, params)).await
    }

    /// Only with `COPYDESK_TEST_HOOKS=1`: panics, to test the panic guard.
    async fn test_panic(&self, _: serde_json::Value) -> Result<serde_json::Value> {
        guard("copydesk/testPanic", async {
            if std::env::var_os("COPYDESK_TEST_HOOKS").is_some() {
                panic!("test panic requested");
            }
            Err(Error::method_not_found())
        })
        .await
    }
}

/// The LSP service, watching for `exit`.
struct ExitWatch<S> {
    inner: S,
    exited: Arc<tokio::sync::Notify>,
}

impl<S> tower::Service<tower_lsp::jsonrpc::Request> for ExitWatch<S>
where
    S: tower::Service<tower_lsp::jsonrpc::Request, Response = Option<tower_lsp::jsonrpc::Response>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = futures::future::BoxFuture<'static, std::result::Result<S::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::result::Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: tower_lsp::jsonrpc::Request) -> Self::Future {
        let exit = req.method() == "exit";
        let fut = self.inner.call(req);
        let exited = self.exited.clone();
        Box::pin(async move {
            let r = fut.await;
            if exit {
                exited.notify_one();
            }
            r
        })
    }
}

/// Serves the protocol on stdin and stdout until the client says `exit`.
/// Returns whether it ended cleanly (`shutdown` before `exit`): the exit code
/// is then 0, else 1, as the protocol asks.
pub async fn serve() -> bool {
    let handle: Arc<std::sync::OnceLock<Arc<State>>> = Arc::default();
    let handle2 = handle.clone();
    let (service, socket) = LspService::build(move |client: Client| {
        let state = Arc::new(State::new(client));
        let _ = handle2.set(state.clone());
        Backend { state }
    })
    .custom_method("copydesk/conflicts", Backend::conflicts)
    .custom_method("copydesk/status", Backend::status)
    .custom_method("copydesk/testPanic", Backend::test_panic)
    .finish();
    // tower-lsp stops reading only at the message after `exit` (or at the end
    // of stdin): end the loop as soon as `exit` has been handled.
    let stdout = transport::SharedStdout::new();
    let exited = Arc::new(tokio::sync::Notify::new());
    let service = ExitWatch {
        inner: service,
        exited: exited.clone(),
    };
    tokio::select! {
        _ = Server::new(transport::Shield::new(tokio::io::stdin(), stdout.clone()), stdout, socket).serve(service) => {}
        _ = exited.notified() => {
            // Let the last responses reach stdout.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    handle
        .get()
        .is_some_and(|s| s.shutting_down.load(std::sync::atomic::Ordering::SeqCst))
}
