//! Another value of the same count: a source figure that counts the very
//! noun the draft figure and its best support count, in the draft's story,
//! however differently it words the fact. It is what makes a supported
//! figure `sources-disagree` ("1,200 patients", said a hospital spokesman,
//! whose words the draft follows; "1,500 patients", said the opposition),
//! and, from a source newer than every support, the fact's later state
//! (`revised_later::later_value`).

use std::cmp::Ordering;

use rustc_hash::FxHashSet;

use super::features::Story;
use super::score::Cand;
use super::superseded::same_kind;
use super::{Agreement, Checker, compare};
use crate::extract::Figure;
use crate::markdown::Block;

/// Whether a source figure counts what the draft figure counts, by the same
/// noun written beside each number (not carried from an earlier figure, not
/// a class mate: "nurses" for "nurses"), with no event or name of the clause
/// against it. A later report of the story that counts the same noun is
/// the count's later state however differently it tells it.
pub(super) fn counts_the_same(fig: &Figure, cf: &Figure, c: &Cand) -> bool {
    let [_, _, event_clash, name_clash, _, _, modifier_clash, ..] = c.features.0;
    same_noun(fig, cf) && event_clash == 0.0 && name_clash == 0.0 && modifier_clash == 0.0
}

/// Whether two values lie within `span` of each other (both stated, neither
/// vague): how near estimates of one count are.
fn within(fig: &Figure, cf: &Figure, span: f32) -> bool {
    use crate::extract::Value;
    let mid = |f: &Figure| match f.value {
        Value::Num { lo, hi } if f.bound != crate::rules::Bound::Vague => Some((lo + hi) / 2.0),
        _ => None,
    };
    match (mid(fig), mid(cf)) {
        (Some(a), Some(b)) if a > 0.0 && b > 0.0 => a.max(b) / a.min(b) <= f64::from(span),
        _ => false,
    }
}

/// Whether a source figure states the value of one of `mates`, the draft
/// sentence's other figures: then it is that figure's fact ("Of the 40 men
/// underground, 34 survived").
pub(super) fn a_mates_value(mates: &[Figure], cf: &Figure) -> bool {
    mates.iter().any(|m| {
        same_kind(m, cf)
            && compare::values(m.bound, m.value, cf.bound, cf.value, 1.0).is_some_and(|a| a != Agreement::Conflict)
    })
}

/// Whether two figures count one noun, written beside each number.
pub(super) fn same_noun(a: &Figure, b: &Figure) -> bool {
    let explicit = |f: &Figure| f.noun.filter(|n| !n.inherited).map(|n| n.head);
    explicit(a).is_some() && explicit(a) == explicit(b)
}

impl Checker<'_> {
    /// A conflicting candidate of another source than the supports' that
    /// counts the very noun the draft figure and its best support count
    /// (`counts_the_same`), in a passage of the draft's story (`Story::Same`),
    /// scoring at least `t_weak`: another value of the same count, however
    /// differently worded ("1,200 patients", said a hospital spokesman, whose
    /// words the draft follows; "1,500 patients", said the opposition). What
    /// `later_value` reads as a later state when its source is newer, and
    /// the verdict as a disagreement otherwise: one from a source dated after
    /// every support is left to `later_value` (which leaves a dated draft
    /// figure to its time). A value the draft sentence gives another of its
    /// figures is that figure's.
    pub(super) fn same_count_conflict<'c>(
        &self,
        block: &Block,
        fig: &Figure,
        supports: &[&Cand],
        conflicts: &[&'c Cand],
    ) -> Option<&'c Cand> {
        let best = supports.first()?;
        let best_fig = self.index.figure(best.fact);
        if !same_noun(fig, &best_fig) {
            return None;
        }
        let source = |c: &Cand| self.index.sentence(c.fact.sentence).source;
        let support_sources: FxHashSet<u32> = supports.iter().map(|c| source(c)).collect();
        let mut mates: Option<Vec<Figure>> = None;
        let newest = self.supports_dated(supports).map(|(d, _)| d);
        let later = |c: &Cand| {
            newest.as_ref().is_some_and(|n| {
                self.passage_date(&self.passage(c.fact))
                    .is_some_and(|d| d.order(n) == Some(Ordering::Greater))
            })
        };
        conflicts.iter().copied().find(|c| {
            let cf = self.index.figure(c.fact);
            !c.confusable
                && c.agreement == Agreement::Conflict
                && c.story == Story::Same
                && c.score >= self.rules.scoring.t_weak
                && c.why[0] >= best.why[0]
                && !support_sources.contains(&source(c))
                && counts_the_same(fig, &cf, c)
                && within(fig, &cf, self.rules.scoring.same_count_span)
                && !later(c)
                && !a_mates_value(mates.get_or_insert_with(|| self.sentence_mates(block, fig)), &cf)
        })
    }
}
