//! Retrieval: the index query for a draft figure and the source figures it
//! brings in as candidates.

use super::context::DraftCtx;
use super::score::Cand;
use super::{Checker, cells};
use crate::extract::{Figure, OUTER_CLAUSE, Sentence};
use crate::index::{FactRef, dim_key};
use rustc_hash::FxHashSet;

/// Drops, from each figure's candidates, the loose support (`Consistent`:
/// "more than $180 billion" against a source's $255 billion) of a source
/// figure that states another figure of the same draft sentence exactly:
/// in "Congress had cut $255 billion, and the deficit would be more than
/// $180 billion", the source's $255 billion is the cut's fact, not the
/// deficit's. A figure of the same clause is kept: it restates the other
/// ("More than a fifth of people, 21.4 per cent, were ..."). Exact support
/// stays too: two figures of one value may both be backed by one statement.
/// `cands` holds the candidates of each of `figures`.
pub(super) fn drop_claimed_support(cands: &mut [Vec<Cand>], figures: &[Figure]) {
    let claimed: Vec<FxHashSet<FactRef>> = cands
        .iter()
        .map(|cs| {
            cs.iter()
                .filter(|c| c.agreement == super::compare::Agreement::Same)
                .map(|c| c.fact)
                .collect()
        })
        .collect();
    for (fi, cs) in cands.iter_mut().enumerate() {
        cs.retain(|c| {
            c.agreement != super::compare::Agreement::Consistent
                || !claimed
                    .iter()
                    .enumerate()
                    .any(|(fj, set)| figures[fj].clause != figures[fi].clause && set.contains(&c.fact))
        });
    }
}

/// Drops, from each figure's candidates, a conflicting statement that is
/// another figure's of the same draft sentence: its best candidate, stating
/// that figure's value (`t_support` at least). In "Rovers have 62 points
/// from 28 matches, five points ahead of Ferry Town", the league's "lead by
/// five points" is the lead's fact, not another value of the 62 points.
pub(super) fn drop_claimed_conflicts(cands: &mut [Vec<Cand>], t_support: f32) {
    let claimed: Vec<Option<FactRef>> = cands
        .iter()
        .map(|cs| {
            cs.iter()
                .max_by(|a, b| a.score.total_cmp(&b.score))
                .filter(|c| c.agreement == super::compare::Agreement::Same && !c.confusable && c.score >= t_support)
                .map(|c| c.fact)
        })
        .collect();
    for (fi, cs) in cands.iter_mut().enumerate() {
        cs.retain(|c| {
            c.agreement != super::compare::Agreement::Conflict
                || !claimed
                    .iter()
                    .enumerate()
                    .any(|(fj, claim)| fj != fi && *claim == Some(c.fact))
        });
    }
}

/// A value stated by at most this many figures brings them all in as candidates.
pub(super) const VALUE_FACTS: usize = 64;
/// Source sentences retrieved per draft sentence.
pub(super) const RETRIEVE: usize = 30;

impl<'a> Checker<'a> {
    /// The retrieval query for one figure: the words of its clause first, then
    /// the rest of the sentence, the kind of thing it counts, its value and the
    /// values beside it.
    pub(super) fn query(&self, s: &Sentence, fig: &Figure, fi: usize, fig_keys: &[Vec<u64>]) -> Vec<(u64, f32)> {
        let mut query: Vec<(u64, f32)> = s
            .terms
            .iter()
            .filter(|t| !fig.toks.contains(&t.pos) || t.clause == OUTER_CLAUSE)
            .map(|t| (t.key, if t.clause == fig.clause { 1.0 } else { 0.5 }))
            .collect();
        for (j, keys) in fig_keys.iter().enumerate() {
            let w = if j == fi { 1.0 } else { 0.5 };
            query.extend(keys.iter().map(|&k| (k, w)));
        }
        query.push((dim_key(fig, self.rules), 1.0));
        query
    }

    /// The scored candidates of figure `fi` of a draft sentence: its query,
    /// the sentences retrieved for it, and each of their figures scored in
    /// the figure's context (`prev`, the sentence before, widens it).
    pub(super) fn figure_candidates(
        &self,
        s: &Sentence,
        fi: usize,
        prev: Option<&Sentence>,
        fig_keys: &[Vec<u64>],
    ) -> Vec<Cand> {
        let fig = &s.figures[fi];
        let query = self.query(s, fig, fi, fig_keys);
        let retrieved = self.index.retrieve(&query, RETRIEVE);
        let ctx = self.draft_context(s, fig, fi, prev, fig_keys);
        self.candidates(fig, &fig_keys[fi], &retrieved, &ctx)
    }

    /// Scores every candidate source figure for a draft figure.
    pub(super) fn candidates(&self, fig: &Figure, keys: &[u64], retrieved: &[(u32, f32)], ctx: &DraftCtx) -> Vec<Cand> {
        let mut seen: FxHashSet<FactRef> = FxHashSet::default();
        let mut facts: Vec<FactRef> = Vec::new();
        for &(sid, _) in retrieved {
            for fi in 0..self.index.sentence(sid).figures.len() {
                let r = FactRef {
                    sentence: sid,
                    figure: fi as u16,
                };
                if seen.insert(r) {
                    facts.push(r);
                }
            }
        }
        // Every figure stating a telling value, wherever it stands; a common
        // value ("two") only through retrieval, which weighs its context.
        for k in keys {
            // Counted before listed: a common value's list is long, and
            // reading it would touch pages of the index for nothing.
            if self.index.value_fact_count(*k) <= VALUE_FACTS {
                for r in self.index.facts_with_value(*k) {
                    if seen.insert(r) {
                        facts.push(r);
                    }
                }
            }
        }
        let cands: Vec<Cand> = facts
            .into_iter()
            .filter(|r| self.exclude.is_none_or(|x| self.index.sentence(r.sentence).source != x))
            // A passage whose file changed since indexing is dropped, not sliced.
            .filter(|r| self.index.sentence_source(r.sentence).is_some())
            .filter_map(|r| self.score(fig, ctx, r))
            .collect();
        cells::named_rows_only(self.index, &ctx.own_keys, fig, cands)
    }
}
