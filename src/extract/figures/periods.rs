//! A figure's reporting period ("first-half", "full-year", "third-quarter"):
//! the phrases of `[periods]` in `rules/dates.toml`, given to the figures of
//! their clause, or of the clauses after them in the sentence, as a year is.

use super::{Mark, Scan, nearest_mark};
use crate::extract::Figure;
use crate::rules::periods::PeriodId;

impl<'a> Scan<'a> {
    /// Every period phrase of the sentence: token position, clause, period.
    pub(super) fn period_marks(&self, clauses: &[u8]) -> Vec<Mark<PeriodId>> {
        // A count of spans ("three full years ahead of schedule", "two first
        // halves") is a duration, not the period reported; a year before it
        // names the period's year ("1986 first-quarter").
        let counted = |k: usize| {
            k > 0
                && (self.parse_digits(k - 1).is_some() && self.year_number(k - 1).is_none()
                    || self.num_word(k - 1).is_some())
        };
        self.phrase_marks(&self.rules.periods.phrases, clauses, counted, |_| true)
    }
}

/// Gives each amount, count and measure the period of its clause, as a
/// year is given ("418 million crowns in the first half"). Dates, ages,
/// ranks and the like have none.
pub(super) fn assign_periods(figs: &mut [Figure], marks: &[Mark<PeriodId>]) {
    if marks.is_empty() {
        return;
    }
    for f in figs.iter_mut().filter(|f| f.dim.is_quantity()) {
        f.period = nearest_mark(f, marks).copied();
    }
}
