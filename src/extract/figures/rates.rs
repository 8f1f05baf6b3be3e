//! A figure's rate: the period or base it is counted per ("$2,600 a year",
//! "15 cents a share", "$4.25 an hour", "500 barrels per day", "paid
//! annually"), and the distributive period of its sentence ("every day,
//! 3,000 children start smoking"). The words come from `[rates]` in
//! `rules/units.toml`.

use super::{Found, Scan};
use crate::extract::Rate;

impl<'a> Scan<'a> {
    /// The rate's period or base right after token `j` and where it ends:
    /// "a year", "per barrel", "a share", "annually". Not a time ago ("a year
    /// earlier"), nor "per" before a number ("per 100,000 people", the
    /// denominator `rate_words` reads).
    pub(super) fn rate_after(&self, j: usize) -> Option<(Rate, usize)> {
        let r = &self.rules.rates;
        if !self.word(j) {
            return None;
        }
        let opener = self.infos[j].stem;
        if let Some(&u) = r.adverbs.get(&opener) {
            return Some((Rate::Unit(u), j + 1));
        }
        if !r.openers.contains(&opener) || !self.word(j + 1) {
            return None;
        }
        let k = j + 1;
        if let Some((u, end)) = self.unit_at(k) {
            let ago = self.is_time_unit(u) && self.time_ago(end);
            return (!ago).then_some((Rate::Unit(u), end));
        }
        let base = &self.infos[k];
        let open = r.open_base.contains(&opener) && !base.stop && !self.s(k).starts_with(char::is_uppercase);
        (r.bases.contains(&base.stem) || open).then_some((Rate::Base(base.stem), k + 1))
    }

    /// Whether the word at `end`, after a time unit, makes it a time ago or
    /// a span ("a year earlier", "every year since"), not a period.
    fn time_ago(&self, end: usize) -> bool {
        self.word(end) && self.rules.rates.not_before.contains(&self.infos[end].stem)
    }

    /// Extends a found figure over the rate written right after it.
    pub(super) fn take_rate(&self, f: &mut Found) {
        if f.rate.is_some() || !f.dim.is_quantity() {
            return;
        }
        if let Some((rate, end)) = self.rate_after(f.end) {
            f.rate = Some(rate);
            f.end = end;
        }
    }

    /// The period a distributive phrase gives the whole sentence ("every
    /// day", "each year"), when it has exactly one: the rate of its figures
    /// that state none of their own. Not "every year since 1990" (a span).
    pub(super) fn sentence_rate(&self, found: &[Found]) -> Option<Rate> {
        let r = &self.rules.rates;
        let inside = |k: usize| found.iter().any(|f| (f.start..f.end).contains(&k));
        let mut rates = (0..self.toks.len())
            .filter(|&k| self.word(k) && r.distributive.contains(&self.infos[k].stem) && !inside(k))
            .filter_map(|k| {
                let (u, end) = self.unit_at(k + 1)?;
                (self.is_time_unit(u) && !self.time_ago(end)).then_some(Rate::Unit(u))
            });
        let first = rates.next()?;
        rates.all(|x| x == first).then_some(first)
    }
}
