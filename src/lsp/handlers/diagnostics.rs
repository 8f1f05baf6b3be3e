//! Diagnostics: checked after a short debounce, on the blocking pool, and
//! published with the version they were computed for. A check overtaken by
//! a newer edit is dropped.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tower_lsp::lsp_types::{Diagnostic, DiagnosticRelatedInformation, NumberOrString};

use super::Locator;
use crate::check::Code;
use crate::lsp::convert::{self, Encoding};
use crate::lsp::state::{Checked, Doc, State, lock};

/// Checks `doc` after `delay`, unless it changes again first.
pub fn schedule(state: &Arc<State>, doc: &Arc<Doc>, delay: Duration) {
    let ticket = doc.ticket.fetch_add(1, Ordering::SeqCst) + 1;
    let (state, doc) = (state.clone(), doc.clone());
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if doc.ticket.load(Ordering::SeqCst) != ticket {
            return;
        }
        let run = std::panic::AssertUnwindSafe(publish(&state, &doc, ticket));
        if let Err(p) = futures::FutureExt::catch_unwind(run).await {
            tracing::error!(uri = %doc.uri, "publishing diagnostics panicked: {:?}", p.downcast_ref::<String>());
        }
    });
}

/// Checks the document's current text and publishes the result if nothing
/// newer was scheduled meanwhile (an edit, a configuration or corpus change):
/// two checks of one version must not publish out of order.
async fn publish(state: &Arc<State>, doc: &Arc<Doc>, ticket: u64) {
    let started = std::time::Instant::now();
    let Some(checked) = state.checked(doc, true).await else {
        return;
    };
    if doc.ticket.load(Ordering::SeqCst) != ticket
        || lock(&doc.text).version() != checked.version
        || state.doc(&doc.uri).is_none()
    {
        // Stale, or closed meanwhile: a newer check (or none) follows.
        return;
    }
    // Ordered by construction: tickets only grow, and a publish holds the
    // gate from its last look at the ticket until the message is queued.
    let mut published = doc.published.lock().await;
    if *published >= ticket || doc.ticket.load(Ordering::SeqCst) != ticket {
        return;
    }
    *published = ticket;
    let t = std::time::Instant::now();
    let diagnostics = to_diagnostics(&checked, &doc.uri, state.encoding());
    tracing::debug!(
        us = t.elapsed().as_micros() as u64,
        n = diagnostics.len(),
        "converted diagnostics"
    );
    state
        .client
        .publish_diagnostics(doc.uri.clone(), diagnostics, Some(checked.version))
        .await;
    tracing::debug!(us = started.elapsed().as_micros() as u64, "published");
}

/// The findings a writer should see, as LSP diagnostics.
pub fn to_diagnostics(checked: &Checked, uri: &tower_lsp::lsp_types::Url, enc: Encoding) -> Vec<Diagnostic> {
    let text = checked.view();
    let mut locator = Locator::new(&checked.loaded, enc);
    checked
        .findings
        .iter()
        .filter(|f| f.code != Code::Supported && !f.is_suppressed())
        .map(|f| Diagnostic {
            range: text.range(f.span.clone(), enc),
            severity: Some(convert::severity(f.severity)),
            code: Some(NumberOrString::String(f.code.as_str().into())),
            code_description: None,
            source: Some("copydesk".into()),
            message: f.message.clone(),
            related_information: Some(
                f.passages
                    .iter()
                    .filter_map(|p| {
                        Some(DiagnosticRelatedInformation {
                            location: locator.passage(p)?,
                            message: format!("{}: {}", p.key, p.figure_text),
                        })
                    })
                    // Other spans of this draft: the other value of a
                    // `draft-disagree`, the figures of an `arithmetic-mismatch`.
                    .chain(f.related.iter().map(|r| DiagnosticRelatedInformation {
                        location: tower_lsp::lsp_types::Location {
                            uri: uri.clone(),
                            range: text.range(r.span.clone(), enc),
                        },
                        message: r.message.clone(),
                    }))
                    .collect(),
            )
            .filter(|v: &Vec<_>| !v.is_empty()),
            tags: None,
            data: f.replacement.as_ref().map(|r| serde_json::json!({ "replacement": r })),
        })
        .collect()
}
