//! What an amount of money is of ("revenue", "net profit"): the phrases of
//! `money_measure` in `rules/currencies.toml`, given to the amounts of their
//! clause. Unlike a year, a measure word dates nothing back across a
//! coordination: in "revenues of 8.4 mln dlrs and pretax profits of 232,000
//! dlrs", 8.4 mln is revenue. So an amount takes the nearest measure before
//! it in its clause, else one right after it ("$5 million in sales"), else
//! the nearest before it in the sentence ("net profit fell to 418 mln crowns
//! as costs rose, missing the 440 mln expected").

use super::{Mark, Scan};
use crate::extract::{Dim, Figure};
use crate::rules::MeasureId;

/// Words that tie a measure after an amount to it: "$5 million in sales",
/// "$2 million of revenue".
const AFTER: &[&str] = &["in", "of"];

impl<'a> Scan<'a> {
    /// Every measure phrase of the sentence: token position, clause, measure;
    /// `dates_back` marks one written after "in"/"of", which may belong to
    /// the amount right before that word (`assign_measures` checks where).
    pub(super) fn measure_marks(&self, clauses: &[u8]) -> Vec<Mark<MeasureId>> {
        self.phrase_marks(
            &self.rules.money_measure_terms,
            clauses,
            |_| false,
            |k| k > 0 && self.is_any(k - 1, AFTER),
        )
    }
}

/// Gives each amount of money the measure of its clause (see the module).
pub(super) fn assign_measures(figs: &mut [Figure], marks: &[Mark<MeasureId>]) {
    if marks.is_empty() {
        return;
    }
    for f in figs.iter_mut().filter(|f| matches!(f.dim, Dim::Money(_))) {
        let before_same = marks.iter().rev().find(|m| m.at < f.toks.start && m.clause == f.clause);
        // Right after: "in"/"of" then the measure, at the figure's end.
        let after = marks
            .iter()
            .find(|m| m.dates_back && m.at == f.toks.end + 1 && m.clause == f.clause);
        let before_any = marks.iter().rev().find(|m| m.at < f.toks.start);
        f.measure = after.or(before_same).or(before_any).map(|m| m.what);
    }
}
