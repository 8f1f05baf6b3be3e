//! Opening, editing and closing documents.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use tower_lsp::lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
};

use super::diagnostics;
use crate::check::BlockCache;
use crate::lsp::document::DocText;
use crate::lsp::state::{Doc, State, lock};

/// How long a change waits for an earlier, missing version before the
/// server takes it that the client skipped it.
const GAP_WAIT: Duration = Duration::from_millis(50);

pub async fn did_open(state: &Arc<State>, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    let doc = Arc::new(Doc {
        path: item.uri.to_file_path().ok(),
        uri: item.uri.clone(),
        text: std::sync::Mutex::new(DocText::new(&item.text, item.version)),
        cache: std::sync::Mutex::new(BlockCache::default()),
        ticket: AtomicU64::new(0),
        last: std::sync::Mutex::new(None),
        partial: std::sync::Mutex::new(None),
        slot: std::sync::Mutex::new(None),
        published: tokio::sync::Mutex::new((0, 0)),
    });
    lock(&state.docs).insert(item.uri, doc.clone());
    diagnostics::schedule(state, &doc, Duration::ZERO);
}

pub async fn did_change(state: &Arc<State>, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let Some(doc) = state.doc(&uri) else {
        tracing::warn!(%uri, "change for a document that is not open");
        return;
    };
    let enc = state.encoding();
    let (changed, pending) = {
        let mut t = lock(&doc.text);
        let changed = t.submit(params.text_document.version, params.content_changes, enc);
        (changed, t.has_pending())
    };
    if pending {
        // A version is missing: wait for it briefly, then apply what came.
        let (state, doc) = (state.clone(), doc.clone());
        tokio::spawn(async move {
            tokio::time::sleep(GAP_WAIT).await;
            let flushed = {
                let mut t = lock(&doc.text);
                t.has_pending() && t.flush(enc)
            };
            if flushed {
                tracing::warn!(uri = %doc.uri, "applied changes after a missing version");
                diagnostics::schedule(&state, &doc, debounce(&state, &doc));
            }
        });
    }
    if changed {
        diagnostics::schedule(state, &doc, debounce(state, &doc));
    }
}

pub async fn did_save(state: &Arc<State>, params: DidSaveTextDocumentParams) {
    if let Some(doc) = state.doc(&params.text_document.uri) {
        diagnostics::schedule(state, &doc, Duration::ZERO);
    }
}

pub async fn did_close(state: &Arc<State>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let doc = lock(&state.docs).remove(&uri);
    let Some(doc) = doc else {
        state.client.publish_diagnostics(uri, Vec::new(), None).await;
        return;
    };
    // A check still scheduled for it will find a newer ticket and stop; one
    // about to publish waits for the gate, then finds it closed for good.
    doc.ticket.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let mut published = doc.published.lock().await;
    *published = (u64::MAX, u32::MAX);
    state.client.publish_diagnostics(uri, Vec::new(), None).await;
}

/// The debounce for a document's project.
pub fn debounce(state: &Arc<State>, doc: &Doc) -> Duration {
    Duration::from_millis(state.slot_for(doc).config.lsp.debounce_ms())
}
