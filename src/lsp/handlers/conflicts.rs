//! `copydesk/conflicts`: every fact on which the sources disagree, for the
//! editor packages to show; `copydesk/status`: what is indexed.
//!
//! Params: `{"textDocument": {"uri": ...}}` picks the project of that
//! document; without it, every loaded project.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::Url;

use super::Locator;
use crate::lsp::state::{Loaded, State, lock, read};

async fn projects(state: &Arc<State>, params: &Value) -> Vec<Arc<Loaded>> {
    let uri = params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)
        .and_then(|u| Url::parse(u).ok());
    if let Some(uri) = uri {
        if let Some(doc) = state.doc(&uri) {
            return state.loaded_for(&doc).await.into_iter().collect();
        }
        return Vec::new();
    }
    let slots: Vec<_> = lock(&state.slots).values().cloned().collect();
    slots.iter().filter_map(|s| s.loaded_now()).collect()
}

pub async fn conflicts(state: &Arc<State>, params: Value) -> Result<Value> {
    let enc = state.encoding();
    let mut out = Vec::new();
    for loaded in projects(state, &params).await {
        let n = read(&loaded.project).index.source_count();
        if n > crate::check::conflicts::CONFLICT_SOURCE_LIMIT {
            return Err(tower_lsp::jsonrpc::Error::invalid_params(format!(
                "the corpus has {n} sources; conflict reports are limited to {}",
                crate::check::conflicts::CONFLICT_SOURCE_LIMIT
            )));
        }
        let l = loaded.clone();
        let found = tokio::task::spawn_blocking(move || l.conflicts())
            .await
            .map_err(|e| tower_lsp::jsonrpc::Error::internal_error().tap_message(e.to_string()))?;
        let mut locator = Locator::new(&loaded, enc);
        for c in found.iter() {
            let versions: Vec<Value> = c
                .versions
                .iter()
                .map(|v| {
                    let sources: Vec<Value> = v
                        .passages
                        .iter()
                        .map(|p| {
                            let loc = locator.passage(p);
                            json!({
                                "key": p.key,
                                "title": p.title,
                                "uri": loc.as_ref().map(|l| l.uri.to_string()),
                                "range": loc.map(|l| l.range),
                                "text": p.text,
                                "figure": p.figure_text,
                            })
                        })
                        .collect();
                    json!({ "text": v.text, "sources": sources })
                })
                .collect();
            // A revision: dated sources superseding one another, oldest first.
            let timeline: Option<Vec<Value>> = c.timeline.as_ref().map(|t| {
                t.iter()
                    .map(|d| json!({ "version": d.version, "date": d.date.text }))
                    .collect()
            });
            let kind = if timeline.is_some() { "revision" } else { "disagreement" };
            out.push(json!({ "kind": kind, "versions": versions, "timeline": timeline }));
        }
    }
    Ok(json!({ "conflicts": out }))
}

pub async fn status(state: &Arc<State>, params: Value) -> Result<Value> {
    let mut projects_out = Vec::new();
    for loaded in projects(state, &params).await {
        let p = read(&loaded.project);
        projects_out.push(json!({
            "config": p.config.file.as_ref().map(|f| f.display().to_string()),
            "sources": p.index.source_count(),
            "facts": p.index.fact_count(),
            "warnings": p.index.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        }));
    }
    let sources: usize = projects_out.iter().filter_map(|p| p["sources"].as_u64()).sum::<u64>() as usize;
    Ok(json!({ "sources": sources, "projects": projects_out }))
}

trait TapMessage {
    fn tap_message(self, m: String) -> Self;
}

impl TapMessage for tower_lsp::jsonrpc::Error {
    fn tap_message(mut self, m: String) -> Self {
        self.message = m.into();
        self
    }
}
