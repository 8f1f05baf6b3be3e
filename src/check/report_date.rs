//! A date in the draft that is the day a source reported a figure the same
//! sentence gives: "Cases rose from 48 on March 3 to 260 on March 9", where
//! the source dated March 3 says 48 and the one dated March 9 says 260. The
//! date is the figure's time, which the source states by its own date (its
//! front matter or dateline), not in a sentence; without this the draft's
//! date would be compared with whatever date the sources' sentences give.

use super::Checker;
use super::compare::Agreement;
use super::score::Cand;
use crate::extract::{Sentence, Value};

impl Checker<'_> {
    /// The key of a source whose own date is the date at `fi` (to the day,
    /// as far as the draft writes it) and which backs another figure of the
    /// sentence, if any.
    pub(super) fn report_date_source(&self, s: &Sentence, fi: usize, cands: &[Vec<Cand>]) -> Option<String> {
        let Value::Date(d) = s.figures[fi].value else {
            return None;
        };
        d.day?;
        d.month?;
        let w = &self.rules.scoring;
        cands
            .iter()
            .enumerate()
            .filter(|&(fj, _)| fj != fi)
            .flat_map(|(_, cs)| cs)
            .filter(|c| c.agreement == Agreement::Same && !c.confusable && c.score >= w.t_weak)
            .find_map(|c| {
                let source = self.index.sentence(c.fact.sentence).source;
                let own = crate::dateline::source_date(self.index, self.rules, source)?.value;
                let agrees = own.month == d.month && own.day == d.day && d.year.is_none_or(|y| own.year == Some(y));
                agrees.then(|| self.passage(c.fact).key.to_string())
            })
    }
}
