//! The draft side of a comparison: a figure's context in three tiers
//! (clause, sentence, surroundings), its names and co-figures, and the
//! block around it.

use super::Checker;
use crate::extract::{Analyzer, Figure, OUTER_CLAUSE, OuterContext, Sentence};
use crate::index::{SentenceRec, dim_key};
use crate::markdown::{Block, Document};
use crate::rules::EventId;
use rustc_hash::{FxHashMap, FxHashSet};

// The weights and thresholds of the score and the verdict are rule data:
// `rules/scoring.toml`, read as `Rules::scoring`.
/// A tier's context counts as at least this many times the idf of a word
/// seen once, so a clause with one common word cannot match in full on it.
/// Rarity below is always relative to that idf, so scores mean the same on
/// five sources as on a hundred thousand.
pub(super) const MIN_MASS: f32 = 1.5;

/// The context of one draft figure, in three tiers: its clause, the rest of
/// its sentence, and its surroundings (previous sentence, headings, table
/// headers). Each tier is matched on its own, so a long sentence or a wordy
/// neighbour does not drown the words next to the figure.
pub(super) struct DraftCtx {
    /// (term key, idf) per tier.
    pub(super) terms: [Vec<(u64, f32)>; 3],
    /// Term key → (tier, index in that tier), to match a candidate in one pass.
    pub(super) lookup: FxHashMap<u64, (u8, u16)>,
    /// How rare the figure's own value is (0..1).
    pub(super) rarity: f32,
    /// Sum of idf per tier.
    pub(super) mass: [f32; 3],
    pub(super) clause_names: Vec<u64>,
    /// Names of the draft's story around the figure: its sentence, the one
    /// before, the block's headings. A candidate whose passage shares none of
    /// them (and none of the co-figures) is another story.
    pub(super) story_names: Vec<u64>,
    /// Every term key of the draft sentence.
    pub(super) sentence_keys: FxHashSet<u64>,
    /// The words of the draft sentence itself, not its headings: what names a table's row.
    pub(super) own_keys: super::cells::RowWords,
    /// Value keys and dimension keys of the other figures in the sentence.
    pub(super) cofigures: Vec<(Vec<u64>, u64)>,
    /// Event classes in the figure's clause.
    pub(super) events: Vec<EventId>,
}

/// Event classes in a figure's clause (outside the figure itself).
/// Event classes of a figure: the event verbs of its clause, including a
/// participle inside its own phrase ("13 rescued babies"), but not words of
/// other figures ("43 arrests" says nothing of the babies).
pub(super) fn clause_events(sent: &impl HasTerms, fig: &Figure) -> Vec<EventId> {
    let mut out = Vec::new();
    for t in sent.terms() {
        let Some(e) = t.event else { continue };
        let in_other = sent
            .figures()
            .iter()
            .any(|g| !std::ptr::eq(g, fig) && g.toks.contains(&t.pos));
        if t.clause == fig.clause && !in_other && !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

pub(super) trait HasTerms {
    fn terms(&self) -> &[crate::extract::Term];
    fn figures(&self) -> &[Figure];
}

impl HasTerms for SentenceRec {
    fn terms(&self) -> &[crate::extract::Term] {
        &self.terms
    }
    fn figures(&self) -> &[Figure] {
        &self.figures
    }
}

impl HasTerms for Sentence {
    fn terms(&self) -> &[crate::extract::Term] {
        &self.terms
    }
    fn figures(&self) -> &[Figure] {
        &self.figures
    }
}

impl<'a> Checker<'a> {
    pub(super) fn outer_context(&self, an: &mut Analyzer<'_>, block: &Block) -> OuterContext {
        an.block_context(
            &block.context,
            matches!(block.kind, crate::markdown::BlockKind::TableCell { .. }),
        )
    }

    pub(super) fn draft_context(
        &self,
        s: &Sentence,
        fig: &Figure,
        fi: usize,
        prev: Option<&Sentence>,
        fig_keys: &[Vec<u64>],
    ) -> DraftCtx {
        // Each key keeps its closest tier: clause, sentence, or surroundings.
        let mut tiers: FxHashMap<u64, usize> = FxHashMap::default();
        let mut clause_names = Vec::new();
        let mut story_names: Vec<u64> = s.terms.iter().filter(|t| t.name).map(|t| t.key).collect();
        if let Some(p) = prev {
            story_names.extend(p.terms.iter().filter(|t| t.name).map(|t| t.key));
        }
        story_names.sort_unstable();
        story_names.dedup();
        let mut put = |key: u64, tier: usize| {
            let e = tiers.entry(key).or_insert(tier);
            *e = (*e).min(tier);
        };
        for t in &s.terms {
            // Event verbs are weighed by the event factor, not as context words.
            if fig.toks.contains(&t.pos) && t.clause != OUTER_CLAUSE || t.event.is_some() {
                continue;
            }
            let tier = if t.clause == OUTER_CLAUSE {
                2
            } else if t.clause == fig.clause {
                if t.name {
                    clause_names.push(t.key);
                }
                0
            } else {
                1
            };
            put(t.key, tier);
        }
        if let Some(p) = prev {
            for t in p.terms.iter().filter(|t| t.event.is_none()) {
                put(t.key, 2);
            }
        }
        let mut terms: [Vec<(u64, f32)>; 3] = Default::default();
        let mut lookup = FxHashMap::default();
        for (k, tier) in tiers {
            lookup.insert(k, (tier as u8, terms[tier].len() as u16));
            terms[tier].push((k, self.index.idf(k)));
        }
        let min_mass = MIN_MASS * self.index.max_idf();
        let mass = terms.each_ref().map(|t| {
            let m = t.iter().map(|(_, idf)| idf).sum::<f32>();
            if m > 0.0 { m.max(min_mass) } else { 0.0 }
        });
        let cofigures = fig_keys
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != fi)
            .map(|(j, k)| (k.clone(), dim_key(&s.figures[j], self.rules)))
            .collect();
        DraftCtx {
            terms,
            lookup,
            rarity: fig_keys[fi].iter().map(|k| self.index.rarity(*k)).fold(0.0, f32::max),
            mass,
            clause_names,
            story_names,
            sentence_keys: s.terms.iter().map(|t| t.key).collect(),
            own_keys: super::cells::RowWords::new(
                s.terms.iter().filter(|t| t.clause != OUTER_CLAUSE),
                (fig.toks.clone(), fig.clause),
                s.figures
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != fi)
                    .map(|(_, g)| (g.toks.clone(), g.clause))
                    .collect(),
            )
            .with_direction(super::cells::direction_in(&s.terms, &s.figures, fi)),
            cofigures,
            events: clause_events(s, fig),
        }
    }
}

/// The block before `block` in the document (by position in the file), by
/// the document's index of block starts.
pub(super) fn prev_block<'d>(doc: &'d Document, block: &Block) -> Option<&'d Block> {
    doc.block_before(block)
}
