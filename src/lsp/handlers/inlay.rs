//! Inlay hints after figures the sources back, naming how many sources back
//! them. Off unless `[lsp] inlay-hints = true`.

use std::sync::Arc;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{InlayHint, InlayHintLabel, InlayHintParams, InlayHintTooltip};

use crate::check::Code;
use crate::lsp::state::State;

pub async fn inlay_hint(state: &Arc<State>, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let Some(doc) = state.doc(&params.text_document.uri) else {
        return Ok(None);
    };
    if !state.slot_for(&doc).config.lsp.inlay_hints() {
        return Ok(None);
    }
    let Some(checked) = state.checked(&doc, false).await else {
        return Ok(None);
    };
    let enc = state.encoding();
    let text = checked.view();
    let (a, b) = (text.offset(params.range.start, enc), text.offset(params.range.end, enc));
    let hints = checked
        .findings
        .iter()
        .filter(|f| f.code == Code::Supported && !f.passages.is_empty() && f.span.end >= a && f.span.start <= b)
        .map(|f| {
            let keys = f.source_keys();
            let n = keys.len();
            InlayHint {
                position: text.position(f.span.end, enc),
                label: InlayHintLabel::String(format!("✓{n}")),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(format!(
                    "Backed by {n} source{}: {}",
                    if n == 1 { "" } else { "s" },
                    keys.join(", ")
                ))),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            }
        })
        .collect();
    Ok(Some(hints))
}
