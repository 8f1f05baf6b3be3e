//! A figure's reporting period ("first-half", "full-year", "third-quarter"):
//! the phrases of `[periods]` in `rules/dates.toml`, given to the figures of
//! their clause, or of the clauses after them in the sentence, as a year is.

use super::{Scan, nearest_mark};
use crate::extract::Figure;
use crate::rules::periods::PeriodId;

impl<'a> Scan<'a> {
    /// Every period phrase of the sentence: token position, clause, period.
    pub(super) fn period_marks(&self, clauses: &[u8]) -> Vec<(u16, u8, PeriodId)> {
        let table = &self.rules.periods.phrases;
        if table.max_len() == 0 {
            return Vec::new();
        }
        let mut marks = Vec::new();
        let mut k = 0;
        while k < self.toks.len() {
            if self.word(k) {
                let (keys, pos) = self.stems_from(k, table.max_len());
                if let Some((len, id)) = table.longest_prefix(&keys) {
                    marks.push((k as u16, clauses[k.min(clauses.len() - 1)], id));
                    k = pos[len - 1] + 1;
                    continue;
                }
            }
            k += 1;
        }
        marks
    }
}

/// Gives each amount, count and measure the period of its clause, as a
/// year is given ("418 million crowns in the first half"). Dates, ages,
/// ranks and the like have none.
pub(super) fn assign_periods(figs: &mut [Figure], marks: &[(u16, u8, PeriodId)]) {
    if marks.is_empty() {
        return;
    }
    for f in figs.iter_mut().filter(|f| f.dim.is_quantity()) {
        f.period = nearest_mark(f, marks).copied();
    }
}
