//! Plain-text sources: paragraphs by blank lines and finished lines.

use std::ops::Range;

use crate::markdown::{Block, BlockKind, OffsetMap};

/// Paragraphs of a plain-text file. A blank line always ends a paragraph; a
/// single line break ends one when the line reads as finished (ends with
/// sentence punctuation) or is short like a heading. Long lines without
/// punctuation are hard-wrapped prose and run on.
pub fn text_blocks(text: &str, start: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Option<Range<usize>> = None;
    let mut pos = start;
    let flush = |r: Range<usize>, blocks: &mut Vec<Block>| {
        let raw = &text[r.clone()];
        // Newlines inside a paragraph read as spaces; same length, so the map is verbatim.
        let plain: String = raw
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        if plain.trim().is_empty() {
            return;
        }
        blocks.push(Block {
            kind: BlockKind::Paragraph,
            map: OffsetMap::verbatim(r.start, plain.len()),
            text: plain,
            quoted: false,
            context: Vec::new(),
        });
    };
    for line in text[start..].split_inclusive('\n') {
        let content = line.trim_end();
        let line_range = pos..pos + line.len();
        pos += line.len();
        if content.trim().is_empty() {
            if let Some(r) = para.take() {
                flush(r, &mut blocks);
            }
            continue;
        }
        let r = match para.take() {
            Some(r) => r.start..line_range.end,
            None => line_range,
        };
        let finished = content.ends_with(['.', '!', '?', ':', '"', '”', '’', ')']) || content.chars().count() < 60;
        if finished {
            flush(r, &mut blocks);
        } else {
            para = Some(r);
        }
    }
    if let Some(r) = para {
        flush(r, &mut blocks);
    }
    blocks
}
