//! The draft against itself, in bounded chunks.
//!
//! Comparing every figure of a draft with every other (`draft-disagree`,
//! and a list's items with the total above it) indexes the whole draft; done
//! on every keystroke that costs in proportion to the draft, and for a 20 MB
//! draft more than in proportion. So a long draft is compared with itself in
//! chunks of consecutive blocks, each at least [`CHUNK_MIN_BYTES`] of text
//! (a long magazine feature is a tenth of that), and each chunk's findings
//! are cached by its content: a keystroke re-compares only its own chunk.
//!
//! Chunk ends are chosen by content, not by position: after a block whose
//! text hashes to one of [`BOUNDARY_ONE_IN`] values once the chunk is long
//! enough (or at [`CHUNK_MAX_BYTES`] whatever the hash), never before a
//! list item (a list belongs with the paragraph that gives its total). An edit therefore moves no chunk end
//! but its own chunk's, the chunks after it stay equal and their cached
//! findings are reused, and a fresh check (the command line) chunks the same
//! text the same way, so the server and `copydesk check` agree. Figures in
//! two different chunks are not compared with each other: in a draft under
//! 64 KB (every news story) there is one chunk and nothing changes.

use std::ops::Range;

use crate::markdown::{Block, BlockKind};

/// A chunk holds at least this much block text before it may end.
pub const CHUNK_MIN_BYTES: usize = 64 * 1024;
/// A chunk ends at the first block that takes it past this, whatever the hash.
pub const CHUNK_MAX_BYTES: usize = 4 * CHUNK_MIN_BYTES;
/// Past the minimum, about one block in this many ends a chunk.
const BOUNDARY_ONE_IN: u64 = 16;

/// The draft's chunks, as ranges of indices into `blocks`.
pub fn chunks(blocks: &[Block]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, b) in blocks.iter().enumerate() {
        bytes += b.text.len();
        // A list belongs with the paragraph that introduces it (its total).
        let list_follows = blocks.get(i + 1).is_some_and(|n| matches!(n.kind, BlockKind::ListItem));
        let natural = !list_follows && xxhash_rust::xxh3::xxh3_64(b.text.as_bytes()).is_multiple_of(BOUNDARY_ONE_IN);
        if bytes >= CHUNK_MIN_BYTES && (natural || bytes >= CHUNK_MAX_BYTES) {
            out.push(start..i + 1);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < blocks.len() {
        out.push(start..blocks.len());
    }
    out
}

/// Where a chunk starts in the file: its findings are stored relative to it.
pub fn start(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| b.map.start(0)).min().unwrap_or(0)
}

/// What a chunk's findings depend on: each block (its text, map, raw bytes,
/// kind and context: `own`, its own key as the block cache makes it, one
/// per block) and where it sits relative to the chunk's start, since
/// findings are moved by one offset for all.
pub fn key(blocks: &[Block], own: &[u64]) -> u64 {
    let base = start(blocks);
    blocks.iter().zip(own).fold(0x5eed, |h, (b, &block)| {
        let at = (b.map.start(0) - base) as u64;
        xxhash_rust::xxh3::xxh3_64_with_seed(&[block.to_le_bytes(), at.to_le_bytes()].concat(), h)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;

    fn paragraphs(n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "Paragraph {i} says floods destroyed {} homes in the province.\n\n",
                    1_000 + i
                )
            })
            .collect()
    }

    #[test]
    fn a_short_draft_is_one_chunk() {
        let doc = Document::parse(paragraphs(40));
        assert_eq!(chunks(&doc.blocks), vec![0..doc.blocks.len()]);
        assert!(chunks(&[]).is_empty());
    }

    #[test]
    fn chunks_are_bounded_and_cover_every_block() {
        let doc = Document::parse(paragraphs(30_000));
        let cs = chunks(&doc.blocks);
        assert!(cs.len() > 10, "{}", cs.len());
        let mut next = 0;
        for c in &cs {
            assert_eq!(c.start, next);
            next = c.end;
            let bytes: usize = doc.blocks[c.clone()].iter().map(|b| b.text.len()).sum();
            assert!(bytes <= CHUNK_MAX_BYTES + 200, "{bytes}");
        }
        assert_eq!(next, doc.blocks.len());
        // All but the last reach the minimum.
        for c in &cs[..cs.len() - 1] {
            let bytes: usize = doc.blocks[c.clone()].iter().map(|b| b.text.len()).sum();
            assert!(bytes >= CHUNK_MIN_BYTES);
        }
    }

    #[test]
    fn an_edit_changes_only_its_own_chunk() {
        let text = paragraphs(30_000);
        let doc = Document::parse(text.clone());
        let keys = |doc: &Document| -> Vec<u64> {
            let (_, own) = crate::check::BlockCache::keys(doc);
            chunks(&doc.blocks)
                .into_iter()
                .map(|c| key(&doc.blocks[c.clone()], &own[c]))
                .collect()
        };
        let before = keys(&doc);
        // A word typed in the middle, and a paragraph added at the top
        // (every offset and line after it moves).
        let edited = text.replacen("Paragraph 15000 says", "Paragraph 15000 now says", 1);
        let edited = format!("Updated at noon.\n\n{edited}");
        let after = keys(&Document::parse(edited));
        let changed = after.iter().filter(|k| !before.contains(k)).count();
        assert!(
            (1..=3).contains(&changed),
            "{changed} of {} chunks changed",
            after.len()
        );
        // A blank line added between two paragraphs of a chunk changes its key:
        // the findings of the second would sit at other offsets.
        let spaced = text.replacen("\n\nParagraph 20000 ", "\n\n\nParagraph 20000 ", 1);
        let spaced = keys(&Document::parse(spaced));
        assert_eq!(spaced.iter().filter(|k| !before.contains(k)).count(), 1);
    }

    #[test]
    fn a_paragraph_keeps_the_list_under_it() {
        let mut text = paragraphs(1_400);
        for i in 0..400 {
            text.push_str(&format!(
                "Losses by region, {i} in all:\n\n- 1 in the north\n- 2 in the south\n\n"
            ));
        }
        let doc = Document::parse(text);
        for c in chunks(&doc.blocks) {
            if let Some(first) = doc.blocks.get(c.start) {
                assert!(
                    !matches!(first.kind, BlockKind::ListItem),
                    "a chunk starts inside a list"
                );
            }
        }
    }
}
