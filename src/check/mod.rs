//! Matching: which source statements are about the same fact as a draft
//! figure, and what they say about it.
//!
//! For each draft sentence the index retrieves the source sentences most like
//! it; their figures, and every figure stating the draft figure's value, are
//! the candidates. Each candidate is scored for being the *same fact*: same
//! kind of thing counted (noun class, unit, currency), same context (content
//! words of the clause and sentence, weighted by rarity), same event (arrested
//! vs rescued), no clash of places or people, other figures of the sentence
//! found next to it. Only then is the value compared (`compare`), so "30
//! provinces" in one operation neither confirms nor contradicts "27 provinces"
//! in another.

mod arithmetic;
mod cache;
mod candidates;
mod cells;
pub mod compare;
pub mod conflicts;
mod context;
mod draft_chunks;
mod draft_disagree;
mod features;
mod finding;
pub mod fit;
mod frame;
mod names;
mod pairs;
mod passage;
mod period;
pub mod quotes;
mod report_date;
mod revised_later;
pub mod revisions;
mod same_count;
mod score;
mod superseded;
mod verdict;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::ops::Range;

pub use cache::{BlockCache, CacheStats};
pub use compare::Agreement;
pub use conflicts::{Conflict, ConflictVersion};
pub use draft_chunks::CHUNK_MIN_BYTES;
pub use finding::{Code, Finding, Passage, Related, Severity, Version};
pub use pairs::Pair;
pub use score::{FEATURES, Features, N_FEATURES};

use crate::extract::Analyzer;
use crate::index::{Facts, value_keys};
use crate::markdown::{Block, Document};
use crate::rules::Rules;
use candidates::RETRIEVE;
use context::prev_block;
use passage::normalize_label;
use score::Cand;

/// How the checker reports.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Severity overrides by code.
    pub severities: BTreeMap<Code, Severity>,
}

impl CheckOptions {
    pub fn severity(&self, code: Code) -> Severity {
        self.severities.get(&code).copied().unwrap_or(code.default_severity())
    }
}

/// Checks drafts against an index.
pub struct Checker<'a> {
    pub index: &'a dyn Facts,
    pub rules: &'a Rules,
    pub options: &'a CheckOptions,
    /// A source never used as evidence: the draft itself, when it lies in
    /// its own corpus folder.
    exclude: Option<u32>,
    /// The corpus's names, for `name-mismatch`; without it names are not checked.
    names: Option<&'a crate::names::NameIndex>,
    /// Source sentences' revision readings, once per check (`superseded`).
    readings: superseded::Readings,
}

impl<'a> Checker<'a> {
    /// Gives a finding another code, with the severity configured for it.
    pub(super) fn recode(&self, finding: &mut Finding, code: Code) {
        finding.code = code;
        finding.severity = self.options.severity(code);
    }

    pub fn new(index: &'a dyn Facts, rules: &'a Rules, options: &'a CheckOptions) -> Checker<'a> {
        Checker {
            index,
            rules,
            options,
            exclude: None,
            names: None,
            readings: Default::default(),
        }
    }

    /// Checks names against the corpus's names too.
    pub fn with_names(mut self, names: &'a crate::names::NameIndex) -> Checker<'a> {
        self.names = Some(names);
        self
    }

    /// Never cites the source read from `path` (the draft being checked).
    pub fn excluding(mut self, path: &std::path::Path) -> Checker<'a> {
        self.exclude = self.index.source_id_by_path(path).or_else(|| {
            // The same file under another name (a symlink, "./"): resolve both.
            let canon = std::fs::canonicalize(path).ok()?;
            self.index.source_id_by_path(&canon)
        });
        self
    }

    /// Every figure in the draft, with its finding (including `supported`).
    /// Findings silenced by a comment are marked, not dropped.
    pub fn check(&self, doc: &Document) -> Vec<Finding> {
        self.check_blocks(doc, &doc.blocks)
    }

    /// Checks some of a document's blocks (the language server re-checks only
    /// the blocks an edit touched). Blocks are independent, so they are checked
    /// in parallel.
    pub fn check_blocks(&self, doc: &Document, blocks: &[Block]) -> Vec<Finding> {
        self.check_cached(doc, blocks, &mut BlockCache::default())
    }

    /// Checks blocks, reusing the findings of blocks whose text and context
    /// are unchanged since they were last checked with this cache: an edit
    /// re-checks only the blocks it touched.
    pub fn check_cached(&self, doc: &Document, blocks: &[Block], cache: &mut BlockCache) -> Vec<Finding> {
        if std::ptr::eq(blocks, doc.blocks.as_slice()) {
            let all = self.check_staged(doc, cache, |_, _| ControlFlow::Continue(()));
            return all.unwrap_or_default();
        }
        let mut stats = CacheStats::default();
        let mut out = self.blocks_cached(doc, blocks, cache, &mut stats);
        cache.last = stats;
        out.extend(self.within_draft(doc, blocks, cache));
        self.mark_suppressed(doc, &mut out);
        out.sort_by_key(|f| (f.span.start, f.span.end));
        out
    }

    /// Checks the whole document in stages, in document order, through the
    /// cache: one stage per chunk of the draft (`draft_chunks`, at least
    /// 64 KB of text, so a news story is one stage). After each stage,
    /// `stage` sees the findings so far, the final list's first part (each
    /// stage's findings lie in its own blocks, after the stage before), and
    /// may stop the check (`None`): what is checked stays in the cache.
    /// It sees what the stages so far did too (blocks and chunks checked
    /// afresh or reused): a keystroke's check reuses all but a block.
    /// So a language server shows the first diagnostics of a 20 MB draft
    /// within a stage, and an edit stops the check of the old text.
    /// `check_cached` of every block is this with no stop.
    pub fn check_staged(
        &self,
        doc: &Document,
        cache: &mut BlockCache,
        mut stage: impl FnMut(&[Finding], &CacheStats) -> ControlFlow<()>,
    ) -> Option<Vec<Finding>> {
        // Every block's keys, once: a keystroke in a long draft costs
        // hashing its blocks, not checking them.
        let (keys, own) = BlockCache::keys(doc);
        let chunks = draft_disagree::keyed_chunks(doc, &own);
        // One copy of the text for every chunk's index, made when one is needed.
        let mut text: Option<std::sync::Arc<str>> = None;
        let mut stats = CacheStats::default();
        // As many as last time: the list is not copied as it grows.
        let mut out = Vec::with_capacity(cache.found);
        for chunk in &chunks {
            let blocks = &doc.blocks[chunk.2.clone()];
            let block_keys = &keys[chunk.2.clone()];
            let missing = self.missing_blocks(blocks, block_keys, cache);
            let compare = !cache.draft.contains_key(&chunk.0);
            if compare && text.is_none() {
                text = Some(std::sync::Arc::from(doc.text.as_str()));
            }
            // The chunk against itself runs beside its blocks' checks.
            let (checked, compared) = rayon::join(
                || self.analyse_blocks(doc, &missing),
                || {
                    let text = text.as_ref().filter(|_| compare)?;
                    Some(self.compare_chunks(doc, text, &[chunk]))
                },
            );
            stats.checked += missing.len();
            stats.reused += blocks.len() - missing.len();
            stats.chunks_checked += usize::from(compare);
            for (key, start, found) in checked {
                cache.entries.insert(key, (start, found));
            }
            for (key, start, found) in compared.into_iter().flatten() {
                cache.draft.insert(key, (start, found));
            }
            let from = out.len();
            self.cached_findings_into(blocks, block_keys, cache, &mut out);
            out.extend(self.chunk_findings(doc, std::slice::from_ref(chunk), cache));
            let found = &mut out[from..];
            self.mark_suppressed(doc, found);
            if !found.is_sorted_by_key(|f| (f.span.start, f.span.end)) {
                found.sort_by_key(|f| (f.span.start, f.span.end));
            }
            cache.last = stats;
            if stage(&out, &stats).is_break() {
                return None;
            }
        }
        // What is cached is this text's, and no more.
        let keep: rustc_hash::FxHashSet<u64> = chunks.iter().map(|c| c.0).collect();
        cache.draft.retain(|k, _| keep.contains(k));
        let keep: rustc_hash::FxHashSet<u64> = keys.iter().copied().collect();
        cache.entries.retain(|k, _| keep.contains(k));
        cache.found = out.len();
        Some(out)
    }

    /// The blocks of `blocks` (with their `keys`) whose findings are not in
    /// the cache: (key, start, block).
    fn missing_blocks<'d>(
        &self,
        blocks: &'d [Block],
        keys: &[u64],
        cache: &BlockCache,
    ) -> Vec<(u64, usize, &'d Block)> {
        blocks
            .iter()
            .zip(keys)
            .filter(|(_, key)| !cache.entries.contains_key(key))
            .map(|(block, &key)| (key, block.map.start(0), block))
            .collect()
    }

    /// Checks blocks on all cores: (key, start, findings) in their order.
    fn analyse_blocks(&self, doc: &Document, missing: &[(u64, usize, &Block)]) -> Vec<(u64, usize, Vec<Finding>)> {
        use rayon::prelude::*;
        missing
            .par_iter()
            .map_init(
                || Analyzer::new(self.rules),
                |an, &(key, start, block)| {
                    let mut found = Vec::new();
                    self.check_block(an, doc, block, &mut found);
                    // A long draft reads many pages of a mapped index: keep
                    // the resident set bounded during the check, not only after.
                    self.index.trim_resident(crate::index::RESIDENT_BUDGET);
                    (key, start, found)
                },
            )
            .collect()
    }

    /// The findings of `blocks`, from the cache where it has them (moved to
    /// where the block is now), else checked and cached; in block order.
    fn blocks_cached(
        &self,
        doc: &Document,
        blocks: &[Block],
        cache: &mut BlockCache,
        stats: &mut CacheStats,
    ) -> Vec<Finding> {
        let keys: Vec<u64> = blocks
            .iter()
            .map(|b| BlockCache::key(doc, b, prev_block(doc, b)))
            .collect();
        let missing = self.missing_blocks(blocks, &keys, cache);
        stats.checked += missing.len();
        stats.reused += blocks.len() - missing.len();
        for (key, start, found) in self.analyse_blocks(doc, &missing) {
            cache.entries.insert(key, (start, found));
        }
        self.cached_findings(blocks, &keys, cache)
    }

    /// The findings of `blocks` (with their `keys`), each in the cache,
    /// moved to where the block is now; in block order.
    fn cached_findings(&self, blocks: &[Block], keys: &[u64], cache: &BlockCache) -> Vec<Finding> {
        let mut out = Vec::new();
        self.cached_findings_into(blocks, keys, cache, &mut out);
        out
    }

    /// [`Checker::cached_findings`], appended to `out`. A keystroke in a long
    /// draft copies every other block's findings, which costs more than
    /// checking its own block: copied straight into place, never moved again.
    fn cached_findings_into(&self, blocks: &[Block], keys: &[u64], cache: &BlockCache, out: &mut Vec<Finding>) {
        for (block, key) in blocks.iter().zip(keys) {
            let start = block.map.start(0);
            let Some((old_start, found)) = cache.entries.get(key) else {
                continue;
            };
            out.extend(found.iter().cloned().map(|mut f| {
                // The block moved: so did every span of its findings,
                // the ones they point at in it included.
                let moved = |r: &Range<usize>| r.start + start - old_start..r.end + start - old_start;
                f.span = moved(&f.span);
                for r in &mut f.related {
                    r.span = moved(&r.span);
                }
                f
            }));
        }
    }

    /// Marks the findings a suppression comment silences. Suppressions
    /// follow lines, which move: marked afresh every time.
    fn mark_suppressed(&self, doc: &Document, found: &mut [Finding]) {
        for f in found {
            let line = doc.lines.line_of(f.span.start);
            f.suppressed = doc
                .suppressions
                .iter()
                .find(|s| s.covers(line, f.code.as_str()))
                .map(|s| s.reason.clone());
        }
    }

    fn check_block(&self, an: &mut Analyzer<'_>, doc: &Document, block: &Block, out: &mut Vec<Finding>) {
        self.check_figures(an, doc, block, out);
        let carried = prev_block(doc, block).and_then(|p| crate::extract::quotes::last_speaker(&p.text, self.rules));
        self.check_quotes(an, doc, block, carried.as_ref(), out);
        if let Some(names) = self.names {
            self.check_names(names, doc, block, out);
        }
    }

    fn check_figures(&self, an: &mut Analyzer<'_>, doc: &Document, block: &Block, out: &mut Vec<Finding>) {
        let outer = self.outer_context(an, block);
        let sentences = an.analyze_with(&block.text, &outer);
        for (si, s) in sentences.iter().enumerate() {
            if s.figures.is_empty() {
                continue;
            }
            let prev = si.checked_sub(1).map(|p| &sentences[p]);
            let fig_keys: Vec<Vec<u64>> = s.figures.iter().map(|f| value_keys(f, self.rules)).collect();
            let mut cands: Vec<Vec<Cand>> = (0..s.figures.len())
                .map(|fi| self.figure_candidates(s, fi, prev, &fig_keys))
                .collect();
            candidates::drop_claimed_support(&mut cands, &s.figures);
            candidates::drop_claimed_conflicts(&mut cands, self.rules.scoring.t_support);
            let held = self.check_arithmetic(doc, block, s, out);
            for (fi, fig) in s.figures.iter().enumerate() {
                let span = block.map.range(fig.span.clone());
                if let Some(p) = self.telling_year_source(&block.text, s, fi, &fig_keys) {
                    out.push(self.telling_finding(span, &doc.text, fig, p));
                    continue;
                }
                // A year dating a figure a table's cell backs: the table's period.
                if let Some(f) = self.period_finding(doc, block, s, fi, &cands) {
                    out.push(f);
                    continue;
                }
                let mut finding = self.verdict(doc, block, fig, span, cands[fi].clone());
                // A figure the sentence derives, correctly, from its own
                // figures ("from 48 to 112, an increase of 64") is backed
                // by them.
                if finding.code == Code::UnsourcedFigure
                    && held.contains(&(fig.span.start as usize..fig.span.end as usize))
                {
                    self.recode(&mut finding, Code::Supported);
                    finding.message = "computed from the draft's own figures".into();
                }
                // A date that is the day a source reported a figure the
                // sentence gives is that figure's time, backed by the source.
                if matches!(
                    finding.code,
                    Code::FigureMismatch | Code::UnsourcedFigure | Code::SourcesDisagree
                ) && let Some(key) = self.report_date_source(s, fi, &cands)
                {
                    self.recode(&mut finding, Code::Supported);
                    finding.message = format!("the date of {key}, which gives the figure it dates");
                    finding.passages.clear();
                    finding.replacement = None;
                }
                out.push(finding);
            }
        }
    }
}
