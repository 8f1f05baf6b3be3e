//! The block cache: findings by block, reused when an edit leaves a block
//! (its text and its mapping back to the file) unchanged.

use super::Finding;
use super::context::prev_block;
use crate::markdown::{Block, BlockKind, Document};
use rustc_hash::{FxHashMap, FxHashSet};

/// Findings by block content, for re-checking only what an edit changed.
/// Clear it when the corpus, the rules or the configuration change.
#[derive(Debug, Default)]
pub struct BlockCache {
    /// Block key → (block start when checked, its findings).
    pub(super) entries: FxHashMap<u64, (usize, Vec<Finding>)>,
    /// What the entries were computed under, as the owner counts it.
    pub(super) tag: u64,
    /// The draft's findings against itself, by chunk (`draft_chunks`): chunk
    /// key → (chunk start when compared, its findings).
    pub(super) draft: FxHashMap<u64, (usize, Vec<Finding>)>,
    /// What the last check through this cache did.
    pub(super) last: CacheStats,
    /// How many findings the last whole check returned: the next one's
    /// list is made that long at once.
    pub(super) found: usize,
}

/// How many blocks the last check reused and how many it checked afresh:
/// what shows that an edit re-checks only the blocks it touched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub reused: usize,
    pub checked: usize,
    /// Chunks of the draft compared with themselves afresh (the others reused).
    pub chunks_checked: usize,
}

impl BlockCache {
    /// Clears the cache unless its entries were computed under `tag` (a
    /// configuration and index version the owner keeps), then takes the tag.
    /// A check begun under an older tag cannot fill the cache for a newer one.
    pub fn ensure_tag(&mut self, tag: u64) {
        if self.tag != tag {
            self.entries.clear();
            self.draft.clear();
            self.tag = tag;
        }
    }

    /// What a block's findings depend on: its text, how that text maps back
    /// to the file (markup-only edits move findings), its context, its kind
    /// and whether it is in a block quote (`> ` changes neither text nor kind),
    /// and the paragraph before it (which may name a quotation's speaker).
    /// Also the file's own bytes of the block: findings quote them, and an
    /// edit inside an HTML comment of the same length changes neither the
    /// text nor the map (found by the random-edit test).
    pub(super) fn key(doc: &Document, block: &Block, prev: Option<&Block>) -> u64 {
        Self::with_prev(Self::own_key(doc, block), prev)
    }

    /// [`BlockCache::key`] without the paragraph before: what a block's
    /// findings against the draft's other blocks depend on (`draft_chunks`).
    pub(super) fn own_key(doc: &Document, block: &Block) -> u64 {
        let raw = doc
            .text
            .get(block.map.start(0)..block.map.end(block.text.len() as u32))
            .unwrap_or("");
        let mut h = crate::text::word_hash(&block.text) ^ block.map.shape_hash().rotate_left(17);
        h = xxhash_rust::xxh3::xxh3_64_with_seed(raw.as_bytes(), h);
        for c in &block.context {
            h = xxhash_rust::xxh3::xxh3_64_with_seed(c.as_bytes(), h);
        }
        let kind: [u32; 4] = match block.kind {
            BlockKind::Paragraph => [0, 0, 0, 0],
            BlockKind::Heading(level) => [1, u32::from(level), 0, 0],
            BlockKind::ListItem => [2, 0, 0, 0],
            BlockKind::TableCell { row, column } => [3, row, column, 0],
            BlockKind::Footnote => [4, 0, 0, 0],
        };
        let mut bytes = [0u8; 17];
        for (i, k) in kind.iter().enumerate() {
            bytes[i * 4..i * 4 + 4].copy_from_slice(&k.to_le_bytes());
        }
        bytes[16] = u8::from(block.quoted);
        xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, h)
    }

    /// A block's key from its own key and the paragraph before it.
    pub(super) fn with_prev(own: u64, prev: Option<&Block>) -> u64 {
        match prev {
            Some(p) => xxhash_rust::xxh3::xxh3_64_with_seed(p.text.as_bytes(), own.rotate_left(29)),
            None => own,
        }
    }

    /// Every block's key and own key, in block order, on all cores: a check
    /// of a long draft computes them once, not once per use.
    pub(super) fn keys(doc: &Document) -> (Vec<u64>, Vec<u64>) {
        use rayon::prelude::*;
        doc.blocks
            .par_iter()
            .with_min_len(256)
            .map(|b| {
                let own = Self::own_key(doc, b);
                (Self::with_prev(own, prev_block(doc, b)), own)
            })
            .unzip()
    }

    /// Keeps only the entries of `blocks` (call after a whole-document check).
    pub fn retain(&mut self, doc: &Document, blocks: &[Block]) {
        let keep: FxHashSet<u64> = blocks
            .iter()
            .map(|b| BlockCache::key(doc, b, prev_block(doc, b)))
            .collect();
        self.entries.retain(|k, _| keep.contains(k));
    }

    /// Blocks reused and checked by the last check through this cache.
    pub fn last_check(&self) -> CacheStats {
        self.last
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.draft.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
