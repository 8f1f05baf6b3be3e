//! Citation completion after `[@` (Pandoc, Quarto) and `[^` (footnotes),
//! also inside a partly typed key. Every source is offered; the sources that
//! back the figures of the current sentence come first.

use std::ops::Range;
use std::sync::Arc;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, Position, TextEdit,
};

use super::{findings_in, sentence_at};
use crate::check::{Code, Passage};
use crate::config::CitationStyle;
use crate::lsp::handlers::hover::quote;
use crate::lsp::state::{State, lock, read};

/// Whether a character can be part of a citation key (Pandoc's rules).
pub fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c)
}

/// A citation marker and its key on a line: `style`, and the key's byte range in the line.
#[derive(Debug, PartialEq, Eq)]
pub struct CitationAt {
    pub style: CitationStyle,
    pub key: Range<usize>,
}

/// The citation being typed at `col` (a byte offset in `line`): the key runs
/// from just after `@` or `[^` to the cursor.
pub fn typing(line: &str, col: usize) -> Option<CitationAt> {
    let col = crate::text::floor_char_boundary(line, col.min(line.len()));
    let before = &line[..col];
    let key_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_key_char(c))
        .last()
        .map_or(col, |(i, _)| i);
    let marker = &before[..key_start];
    if marker.ends_with("[^") {
        return Some(CitationAt {
            style: CitationStyle::Footnote,
            key: key_start..col,
        });
    }
    if let Some(rest) = marker.strip_suffix('@') {
        let ok = rest.is_empty() || rest.ends_with(['[', ' ', '\t', '(', ';', '-']);
        if ok {
            return Some(CitationAt {
                style: CitationStyle::Pandoc,
                key: key_start..col,
            });
        }
    }
    None
}

/// The whole citation key under `col`, if any.
pub fn under(line: &str, col: usize) -> Option<CitationAt> {
    let col = crate::text::floor_char_boundary(line, col.min(line.len()));
    // Extend right over key characters, then read the marker as when typing.
    let end = line[col..]
        .char_indices()
        .find(|&(_, c)| !is_key_char(c))
        .map_or(line.len(), |(i, _)| col + i);
    let mut at = typing(line, end)?;
    // "key." at the end of a sentence: the full stop is not part of the key.
    while line[at.key.clone()].ends_with(['.', ':']) && at.key.len() > 1 {
        at.key.end -= 1;
    }
    (at.key.start <= col && !at.key.is_empty()).then_some(at)
}

pub async fn completion(state: &Arc<State>, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let Some(doc) = state.doc(&pos.text_document.uri) else {
        return Ok(None);
    };
    let enc = state.encoding();
    // The cursor's line in the current text.
    let (line_text, col, now, version) = {
        let t = lock(&doc.text);
        let rope = t.rope();
        let line = (pos.position.line as usize).min(rope.len_lines().saturating_sub(1));
        let line_text = rope.line(line).to_string();
        let char_idx = crate::lsp::convert::rope_char(rope, pos.position, enc) - rope.line_to_char(line);
        let col = line_text
            .char_indices()
            .nth(char_idx)
            .map_or(line_text.len(), |(b, _)| b);
        (line_text, col, t.text(), t.version())
    };
    let Some(at) = typing(&line_text, col) else {
        return Ok(None);
    };
    // Every source is offered from the text as of the last change, at once
    // (waiting only for a corpus still loading for the first time); the
    // check of that text, when it can be had without waiting, ranks them.
    let Some(loaded) = state.loaded_for(&doc).await else {
        return Ok(None);
    };
    let checked = state.checked(&doc, false).await.filter(|c| c.version == version);
    let lines = crate::text::LineIndex::new(&now);
    let text = crate::lsp::convert::Text {
        text: &now,
        lines: &lines,
    };
    let offset = text.offset(pos.position, enc);
    // Sources behind the figures of this sentence, best first.
    let mut backing: Vec<&Passage> = Vec::new();
    if let Some(checked) = &checked
        && let Some(sentence) = sentence_at(checked, offset)
    {
        for f in findings_in(checked, sentence) {
            let passages: Vec<&Passage> = match f.code {
                Code::Supported => f.passages.iter().collect(),
                Code::SourcesDisagree => f
                    .versions
                    .iter()
                    .filter(|v| v.matches_draft)
                    .flat_map(|v| v.passages.iter().map(|&i| &f.passages[i]))
                    .collect(),
                _ => Vec::new(),
            };
            for p in passages {
                if !backing.iter().any(|q| q.key == p.key) {
                    backing.push(p);
                }
            }
        }
    }
    let project = read(&loaded.project);
    let replace = tower_lsp::lsp_types::Range {
        start: Position {
            line: pos.position.line,
            character: pos.position.character - units(&line_text[at.key.clone()], enc),
        },
        end: pos.position,
    };
    let style = at.style;
    // A newsroom archive has far more sources than a menu can show: the
    // supporting ones, then those whose key starts with what is typed, up to
    // a cap (the list is marked incomplete so the client asks again).
    let typed = line_text[at.key.clone()].to_lowercase();
    let mut chosen: Vec<(u32, crate::index::SourceInfo)> = backing
        .iter()
        .filter_map(|p| project.index.get_source(p.source).map(|s| (p.source, s)))
        .collect();
    let mut incomplete = false;
    // In an archive, scan a bounded number of sources for the prefix.
    for (scanned, (id, s)) in project.index.sources().enumerate() {
        if scanned >= MAX_SCANNED {
            incomplete = true;
            break;
        }
        if chosen.iter().any(|(c, _)| *c == id) || !s.key.to_lowercase().starts_with(&typed) {
            continue;
        }
        if chosen.len() >= MAX_ITEMS {
            incomplete = true;
            break;
        }
        chosen.push((id, s));
    }
    let items = chosen
        .into_iter()
        .map(|(i, src)| {
            let rank = backing.iter().position(|p| p.key == src.key);
            let doc_text = match rank {
                Some(r) => quote(backing[r]),
                None => {
                    let first = project.index.source_sentences(i).next().map(|(id, _)| {
                        project
                            .index
                            .sentence_text(id)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    });
                    format!("**{}** · *{}*\n\n{}\n", src.key, src.title, first.unwrap_or_default())
                }
            };
            let detail = match (&src.date, &src.publisher) {
                (Some(d), Some(p)) => format!("{} — {p}, {d}", src.title),
                (Some(d), None) => format!("{} — {d}", src.title),
                (None, Some(p)) => format!("{} — {p}", src.title),
                (None, None) => src.title.clone(),
            };
            let additional =
                (style == CitationStyle::Footnote && !now.contains(&format!("[^{}]:", src.key))).then(|| {
                    let end = text.position(now.len(), enc);
                    let sep = if now.ends_with('\n') { "\n" } else { "\n\n" };
                    let mut def = format!("{sep}[^{}]: {}", src.key, src.title);
                    if let Some(d) = &src.date {
                        def.push_str(&format!(", {d}"));
                    }
                    if let Some(u) = &src.url {
                        def.push_str(&format!(". <{u}>"));
                    }
                    def.push('\n');
                    vec![TextEdit {
                        range: tower_lsp::lsp_types::Range { start: end, end },
                        new_text: def,
                    }]
                });
            CompletionItem {
                label: src.key.clone(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(detail),
                documentation: Some(Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: doc_text,
                })),
                sort_text: Some(match rank {
                    Some(r) => format!("0{r:04}"),
                    None => format!("1{}", src.key),
                }),
                filter_text: Some(src.key.clone()),
                preselect: Some(rank == Some(0)),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: replace,
                    new_text: src.key.clone(),
                })),
                additional_text_edits: additional,
                ..CompletionItem::default()
            }
        })
        .collect();
    if incomplete {
        return Ok(Some(CompletionResponse::List(tower_lsp::lsp_types::CompletionList {
            is_incomplete: true,
            items,
        })));
    }
    Ok(Some(CompletionResponse::Array(items)))
}

/// Sources offered at once.
const MAX_ITEMS: usize = 200;
/// Sources looked at for a typed prefix.
const MAX_SCANNED: usize = 50_000;

fn units(s: &str, enc: crate::lsp::convert::Encoding) -> u32 {
    match enc {
        crate::lsp::convert::Encoding::Utf8 => s.len() as u32,
        crate::lsp::convert::Encoding::Utf16 => s.encode_utf16().count() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_after_markers() {
        let at = |l: &str| typing(l, l.len());
        assert_eq!(at("In 27 cities [@").map(|a| a.key), Some(15..15));
        assert_eq!(
            at("In 27 cities [@mps").map(|a| (a.style, a.key)),
            Some((CitationStyle::Pandoc, 15..18))
        );
        assert_eq!(at("see @scmp-re").map(|a| a.key), Some(5..12));
        assert_eq!(
            at("cities.[^mp").map(|a| (a.style, a.key)),
            Some((CitationStyle::Footnote, 9..11))
        );
        assert_eq!(at("mail me@example"), None);
        assert_eq!(at("no marker here"), None);
    }

    #[test]
    fn key_under_the_cursor() {
        let line = "Rescued in 27 cities [@mps-2014; @scmp]. And [^court].";
        let k = |col: usize| under(line, col).map(|a| &line[a.key]);
        assert_eq!(k(line.find("mps").unwrap() + 1), Some("mps-2014"));
        assert_eq!(k(line.find("scmp").unwrap()), Some("scmp"));
        assert_eq!(k(line.find("court").unwrap() + 2), Some("court"));
        assert_eq!(k(2), None);
    }
}
