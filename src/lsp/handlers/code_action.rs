//! Quick fixes: put in the source's figure (one action per version when the
//! sources disagree), cite the source that backs the sentence, or silence a
//! finding with a comment, after asking for the reason. Nothing is edited
//! until the user picks an action.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, Command,
    ExecuteCommandParams, MessageActionItem, MessageType, Position, Range, TextEdit, Url, WorkspaceEdit,
};

use super::{findings_in, sentence_at};
use crate::check::{Code, Finding};
use crate::config::CitationStyle;
use crate::lsp::state::{Checked, State, lock};

/// The command behind "Suppress this finding…".
pub const SUPPRESS: &str = "copydesk.suppress";

/// Reasons offered when silencing a finding.
const REASONS: &[&str] = &[
    "Confirmed with the source",
    "From our own reporting",
    "The figure has changed since",
    "No reason",
];

fn edit(uri: &Url, range: Range, new_text: String) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![TextEdit { range, new_text }])])),
        ..WorkspaceEdit::default()
    }
}

fn keys_of(f: &Finding, passages: &[usize]) -> String {
    let mut keys: Vec<&str> = passages.iter().map(|&i| f.passages[i].key.as_str()).collect();
    keys.dedup();
    keys.join(", ")
}

pub async fn code_action(state: &Arc<State>, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let Some(doc) = state.doc(&uri) else {
        return Ok(None);
    };
    let Some(checked) = state.checked(&doc, false).await else {
        return Ok(None);
    };
    let enc = state.encoding();
    let style = state.slot_for(&doc).config.lsp.citation_style();
    let text = checked.view();
    let (a, b) = (text.offset(params.range.start, enc), text.offset(params.range.end, enc));
    let mut actions = Vec::new();
    let mut cited = Vec::new();
    for f in findings_in(&checked, a..b) {
        let range = text.range(f.span.clone(), enc);
        let diagnostics = params
            .context
            .diagnostics
            .iter()
            .filter(|d| d.range == range)
            .cloned()
            .collect::<Vec<_>>();
        let fix = |title: String, new_text: String, preferred: bool| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(diagnostics.clone()).filter(|d| !d.is_empty()),
                edit: Some(edit(&uri, range, new_text)),
                is_preferred: Some(preferred),
                ..CodeAction::default()
            })
        };
        match f.code {
            Code::FigureMismatch | Code::UnitMismatch | Code::QualifierMismatch => {
                if let Some(r) = &f.replacement {
                    let all: Vec<usize> = (0..f.passages.len()).collect();
                    actions.push(fix(
                        format!("Replace with “{r}” ({})", keys_of(f, &all)),
                        r.clone(),
                        true,
                    ));
                }
            }
            Code::FigureOutdated => {
                // The newest source's passage comes first.
                if let (Some(r), Some(p)) = (&f.replacement, f.passages.first()) {
                    actions.push(fix(format!("Update to “{r}” ({})", p.key), r.clone(), true));
                }
            }
            Code::SourcesDisagree => {
                for v in f.versions.iter().filter(|v| !v.matches_draft) {
                    if let Some(r) = &v.replacement {
                        actions.push(fix(
                            format!("Use “{}” ({})", v.text, keys_of(f, &v.passages)),
                            r.clone(),
                            false,
                        ));
                    }
                }
            }
            _ => {}
        }
        // Cite what backs the figure, once per source.
        let backing: Vec<&str> = match f.code {
            Code::Supported => f.passages.iter().map(|p| p.key.as_str()).collect(),
            Code::SourcesDisagree => f
                .versions
                .iter()
                .filter(|v| v.matches_draft)
                .flat_map(|v| v.passages.iter().map(|&i| f.passages[i].key.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        for key in backing.into_iter().take(3) {
            if cited.contains(&key) {
                continue;
            }
            if let Some((at, new_text)) = citation_insert(&checked, f.span.start, key, style) {
                cited.push(key);
                let pos = text.position(at, enc);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Cite {key}"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    edit: Some(edit(&uri, Range { start: pos, end: pos }, new_text)),
                    ..CodeAction::default()
                }));
            }
        }
        if f.code != Code::Supported && !f.is_suppressed() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Suppress this {} finding…", f.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(diagnostics.clone()).filter(|d| !d.is_empty()),
                command: Some(Command {
                    title: "Suppress this copydesk finding".into(),
                    command: SUPPRESS.into(),
                    arguments: Some(vec![
                        serde_json::json!(uri),
                        serde_json::json!(range.start.line),
                        serde_json::json!(f.code.as_str()),
                        serde_json::json!(lock(&doc.text).version()),
                    ]),
                }),
                ..CodeAction::default()
            }));
        }
    }
    Ok(Some(actions))
}

/// Where and what to insert to cite `key` for the sentence around `offset`:
/// before the sentence's closing punctuation, unless it is already cited.
pub fn citation_insert(checked: &Checked, offset: usize, key: &str, style: CitationStyle) -> Option<(usize, String)> {
    let sentence = sentence_at(checked, offset)?;
    let s = &checked.text[sentence.clone()];
    if s.contains(&format!("@{key}")) || s.contains(&format!("[^{key}]")) {
        return None;
    }
    let trimmed = s.trim_end();
    let mut end = sentence.start + trimmed.len();
    let body = trimmed.trim_end_matches(['"', '”', '’', ')']);
    if body.ends_with(['.', '!', '?']) && body.len() == trimmed.len() {
        end -= 1;
    }
    let new_text = match style {
        CitationStyle::Pandoc => format!(" [@{key}]"),
        CitationStyle::Footnote => format!("[^{key}]"),
    };
    Some((end, new_text))
}

pub async fn execute_command(state: &Arc<State>, params: ExecuteCommandParams) -> Result<Option<serde_json::Value>> {
    if params.command != SUPPRESS {
        return Err(Error::invalid_params(format!("unknown command {}", params.command)));
    }
    let args = params.arguments;
    let parsed = (|| {
        let uri: Url = serde_json::from_value(args.first()?.clone()).ok()?;
        let line = args.get(1)?.as_u64()? as u32;
        let code = args.get(2)?.as_str()?.to_string();
        let version = args.get(3).and_then(|v| v.as_i64());
        Some((uri, line, Code::parse(&code)?, version))
    })();
    let Some((uri, line, code, version)) = parsed else {
        return Err(Error::invalid_params("expected [uri, line, code, version]"));
    };
    let Some(doc) = state.doc(&uri) else {
        return Err(Error::invalid_params("the document is not open"));
    };
    let flags = *crate::lsp::state::read(&state.flags);
    let reason = if flags.message_actions {
        let actions = REASONS
            .iter()
            .map(|r| MessageActionItem {
                title: r.to_string(),
                properties: HashMap::new(),
            })
            .collect();
        match state
            .client
            .show_message_request(
                MessageType::INFO,
                format!("Why silence this {code} finding?"),
                Some(actions),
            )
            .await
        {
            Ok(Some(item)) if item.title == "No reason" => None,
            Ok(Some(item)) => Some(item.title),
            // Dismissed: do nothing.
            Ok(None) | Err(_) => return Ok(None),
        }
    } else {
        None
    };
    // The document may have moved on while the user chose.
    let (indent, current) = {
        let t = lock(&doc.text);
        let rope = t.rope();
        let l = (line as usize).min(rope.len_lines().saturating_sub(1));
        let indent: String = rope.line(l).chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        (indent, t.version())
    };
    if version.is_some_and(|v| v != current as i64) {
        tracing::info!("suppress: the document changed since the action was offered");
    }
    let comment = match reason {
        Some(r) => format!("{indent}<!-- copydesk-disable-next-line {code}: {r} -->\n"),
        None => format!("{indent}<!-- copydesk-disable-next-line {code} -->\n"),
    };
    let at = Position::new(line, 0);
    if flags.apply_edit {
        let _ = state
            .client
            .apply_edit(edit(&uri, Range { start: at, end: at }, comment))
            .await;
        Ok(None)
    } else {
        // No applyEdit: give the edit back for the client to apply.
        Ok(Some(
            serde_json::to_value(edit(&uri, Range { start: at, end: at }, comment)).unwrap_or_default(),
        ))
    }
}
