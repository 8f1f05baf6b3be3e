//! Diagnostics: checked at once (or after `debounce-ms`), on the blocking
//! pool, and published with the version they were computed for. A check
//! overtaken by a newer edit is dropped.
//!
//! Checking at every keystroke would flag half-typed numbers ("1,0" on the
//! way to "1,094"), so after a keystroke the findings that touch the word
//! under the cursor are held back: an edit elsewhere moves the cursor (and
//! so releases them), and after `hold-ms` of idle typing they are published.
//!
//! A draft longer than one stage of the check (64 KB of text; a news story
//! is one) is published as its check goes on, once it has run half a
//! second: the findings of its first part, more as stages end, all carrying the document's
//! version, each publish a superset of the one before, the last equal to a
//! whole check. Requests are answered meanwhile from the findings so far,
//! and an edit stops the rest of the old text's check.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tower_lsp::lsp_types::{Diagnostic, DiagnosticRelatedInformation, NumberOrString};

use super::Locator;
use crate::check::Code;
use crate::lsp::convert::{self, Encoding};
use crate::lsp::state::{Checked, Doc, Progress, State, lock};

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
/// two checks of one version must not publish out of order. A long draft
/// is published in stages as its check goes on (`State::checked_with`),
/// each publish of a version a superset of the one before.
async fn publish(state: &Arc<State>, doc: &Arc<Doc>, ticket: u64) {
    let started = std::time::Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let every = Duration::from_millis(state.slot_for(doc).config.lsp.progress_ms());
    let check = {
        let (state, doc) = (state.clone(), doc.clone());
        tokio::spawn(async move {
            state
                .checked_with(&doc, true, Some(Progress { ticket, tx, every }))
                .await
        })
    };
    // The sender goes when the check ends: every stage is published first.
    let mut stage = 0;
    while let Some(partial) = rx.recv().await {
        stage += 1;
        send(state, doc, ticket, stage, &partial).await;
    }
    let Ok(Some(checked)) = check.await else {
        return;
    };
    if send(state, doc, ticket, u32::MAX, &checked).await {
        tracing::debug!(us = started.elapsed().as_micros() as u64, stages = stage, "published");
    }
}

/// Publishes one check of the document (`stage` of it; `u32::MAX` the
/// whole) unless something newer was published or scheduled meanwhile.
/// Whether it went out.
async fn send(state: &Arc<State>, doc: &Arc<Doc>, ticket: u64, stage: u32, checked: &Checked) -> bool {
    if doc.ticket.load(Ordering::SeqCst) != ticket
        || lock(&doc.text).version() != checked.version
        || state.doc(&doc.uri).is_none()
    {
        // Stale, or closed meanwhile: a newer check (or none) follows.
        return false;
    }
    // Ordered by construction: tickets only grow, and a publish holds the
    // gate from its last look at the ticket until the message is queued.
    let mut published = doc.published.lock().await;
    if *published >= (ticket, stage) || doc.ticket.load(Ordering::SeqCst) != ticket {
        return false;
    }
    *published = (ticket, stage);
    let t = std::time::Instant::now();
    let hold_ms = state.slot_for(doc).config.lsp.hold_ms();
    let typing = lock(&doc.text).typing().filter(|_| hold_ms > 0);
    let word = typing.and_then(|at| word_at(&checked.text, at));
    let diagnostics = to_diagnostics(checked, &doc.uri, state.encoding(), word.clone());
    if stage == u32::MAX
        && let Some(word) = word
        && checked.findings.iter().any(|f| touches(&f.span, &word))
    {
        release_after(state, doc, checked.version, Duration::from_millis(hold_ms));
    }
    tracing::debug!(
        us = t.elapsed().as_micros() as u64,
        n = diagnostics.len(),
        stage,
        "converted diagnostics"
    );
    state
        .client
        .publish_diagnostics(doc.uri.clone(), diagnostics, Some(checked.version))
        .await;
    true
}

/// After `idle` without another edit, takes the word under the cursor as
/// finished and publishes again with its findings.
fn release_after(state: &Arc<State>, doc: &Arc<Doc>, version: i32, idle: Duration) {
    let ticket = doc.ticket.load(Ordering::SeqCst);
    let (state, doc) = (state.clone(), doc.clone());
    tokio::spawn(async move {
        tokio::time::sleep(idle).await;
        if doc.ticket.load(Ordering::SeqCst) != ticket {
            return; // edited meanwhile: that edit's publish decides
        }
        {
            let mut t = lock(&doc.text);
            if t.version() != version {
                return;
            }
            t.finish_typing();
        }
        schedule(&state, &doc, Duration::ZERO);
    });
}

/// The word (a run of non-space characters) that a cursor at byte `at` is
/// typing: the one ending at or running through `at`. `None` when the
/// character before the cursor is a space or a line end: that word is done.
pub fn word_at(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    if at > text.len() || !text.is_char_boundary(at) {
        return None;
    }
    let before = text[..at].chars().next_back()?;
    if before.is_whitespace() {
        return None;
    }
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i);
    Some(start..end)
}

fn touches(span: &std::ops::Range<usize>, word: &std::ops::Range<usize>) -> bool {
    span.start <= word.end && word.start <= span.end
}

/// The findings a writer should see, as LSP diagnostics; those touching
/// `held` (the word being typed) are left out.
pub fn to_diagnostics(
    checked: &Checked,
    uri: &tower_lsp::lsp_types::Url,
    enc: Encoding,
    held: Option<std::ops::Range<usize>>,
) -> Vec<Diagnostic> {
    let text = checked.view();
    let mut locator = Locator::new(&checked.loaded, enc);
    checked
        .findings
        .iter()
        .filter(|f| f.code != Code::Supported && !f.is_suppressed())
        .filter(|f| held.as_ref().is_none_or(|w| !touches(&f.span, w)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_7_the_word_under_the_cursor_is_the_one_being_typed() {
        let t = "police freed 1,0 babies";
        let at = t.find("1,0").unwrap() + 3;
        assert_eq!(word_at(t, at), Some(13..16));
        // In the middle of a word, the whole word.
        assert_eq!(word_at(t, 15), Some(13..16));
        // After a space the word before it is finished.
        assert_eq!(word_at(t, 17), None);
        assert_eq!(word_at(t, 0), None);
        assert_eq!(word_at("北京 1,0", "北京 1,0".len()), Some(7..10));
        // Not a character boundary, or past the end: nothing.
        assert_eq!(word_at("北京", 1), None);
        assert_eq!(word_at("ab", 9), None);
        assert!(touches(&(10..20), &(13..16)));
        assert!(!touches(&(0..5), &(13..16)));
    }
}
