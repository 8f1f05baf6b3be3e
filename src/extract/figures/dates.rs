//! Dates, clock times and scores.

use super::{Found, Scan};
use crate::extract::{DateVal, Dim, Value, Words};
use crate::rules::Bound;
use crate::text::TokenKind;

impl<'a> Scan<'a> {
    pub(super) fn month(&self, i: usize) -> Option<u8> {
        if !self.word(i) || !self.infos[i].cap {
            return None;
        }
        let m = *self.rules.months.get(&self.infos[i].lower)?;
        // "Mar." is a month; "mar" in the middle of a sentence would need a capital anyway.
        Some(m)
    }

    pub(super) fn day_number(&self, i: usize) -> Option<(u8, usize)> {
        if self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let s = self.s(i);
        if s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let d: u8 = s.parse().ok()?;
        if !(1..=31).contains(&d) {
            return None;
        }
        let mut end = i + 1;
        if self.glued(end) && self.is_any(end, &["st", "nd", "rd", "th"]) {
            end += 1;
        }
        Some((d, end))
    }

    pub(super) fn year_number(&self, i: usize) -> Option<i32> {
        if self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let s = self.s(i);
        if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i32 = s.parse().ok()?;
        (1800..=2100).contains(&y).then_some(y)
    }

    /// A year before a noun after a determiner modifies the noun: "the 1993
    /// vote", "his 1997 goals", "a 1994 law", "Clinton's 2000 budget"; after a
    /// preposition of time, before a singular noun, it opens the clause ("by
    /// 2000 crime had fallen"). News style writes counts from 1,000 up with a
    /// thousands separator, which `year_number` already refuses, so a bare
    /// four-digit number there is a year; only before a plural that names
    /// people ("the 2000 people", `irregular_plurals`) or, after a
    /// preposition, any plural ("in 1500 homes") is it read as a count.
    fn year_modifies_noun(&self, i: usize) -> bool {
        if i == 0 || !self.word(i + 1) || self.infos[i + 1].stop {
            return false;
        }
        let irregular = self.rules.irregular_plurals.contains(&self.infos[i + 1].lower);
        let article = self.is_any(i - 1, &["a", "an"]);
        let determiner = self.is_any(i - 1, &["'s", "’s"])
            || self.word(i - 1) && self.rules.definite.contains(&self.infos[i - 1].lower);
        let preposition = self.word(i - 1) && self.rules.time_prepositions.contains(&self.infos[i - 1].lower);
        let singular = !self.looks_plural(i + 1) && !irregular;
        (article || preposition) && singular || determiner && !irregular
    }

    /// The relative year phrase ("last year", "the following year") at `i`:
    /// its length in tokens and the rule.
    pub(super) fn relative_year_at(&self, i: usize) -> Option<(usize, &'a crate::rules::RelativeYear)> {
        self.rules
            .relative_years
            .iter()
            .filter(|r| {
                i + r.words.len() <= self.toks.len()
                    && r.words.iter().enumerate().all(|(j, w)| self.infos[i + j].lower == *w)
            })
            .map(|r| (r.words.len(), r))
            .max_by_key(|(len, _)| *len)
    }

    /// Whether a date starting at token `start` may date the figures before
    /// it in its clause: a relative year ("$70 billion last year"), or a date
    /// a dating preposition introduces, over articles and modifiers ("in
    /// 1986", "in fiscal 1986", "by the year 2000"). After any other function
    /// word ("solvent past 2025") it bounds a state, not an amount's time.
    /// Whether the date at `start` is the baseline of a comparison ("three
    /// more than in 2022", "higher than at the 2022 election") or the start
    /// of a span ("fell 22 per cent since 2010, to 1,864"): the time of the
    /// value compared with, not of the sentence's figures, which are then of
    /// no year the sentence names.
    pub(super) fn is_baseline(&self, start: usize) -> bool {
        for k in (start.saturating_sub(4)..start).rev() {
            if !self.word(k) {
                return false;
            }
            if self.is_any(k, &["than", "since"]) {
                return true;
            }
            if !self.infos[k].stop {
                return false;
            }
        }
        false
    }

    pub(super) fn dates_back(&self, start: usize) -> bool {
        if self.relative_year_at(start).is_some() {
            return true;
        }
        for k in (start.saturating_sub(3)..start).rev() {
            if !self.word(k) {
                return false;
            }
            let lower = self.infos[k].lower;
            if self.rules.dating_prepositions.contains(&lower) {
                return true;
            }
            if self.infos[k].stop && !self.is_any(k, &["a", "an", "the"]) {
                return false;
            }
        }
        false
    }

    /// A relative year at `i` in a text written in `text_year`, as a date:
    /// counted from `named`, the year the sentence has named before it, when
    /// the phrase is anaphoric ("the following year"), else from the text's.
    pub(super) fn relative_year(&self, i: usize, text_year: i32, named: Option<i32>) -> Option<Found> {
        let (len, r) = self.relative_year_at(i)?;
        let from = if r.anaphoric {
            named.unwrap_or(text_year)
        } else {
            text_year
        };
        Some(date_found(
            i,
            i + len,
            DateVal {
                year: Some(from + r.offset),
                month: None,
                day: None,
            },
        ))
    }

    pub(super) fn date(&self, i: usize) -> Option<Found> {
        let date = date_found;
        let year_after = |k: usize| -> Option<(i32, usize)> {
            let k2 = if self.is(k, ",") { k + 1 } else { k };
            self.year_number(k2).map(|y| (y, k2 + 1))
        };
        if let Some(m) = self.month(i) {
            // "February 19", "February 19, 2014"
            if let Some((d, end)) = self.day_number(i + 1) {
                let (year, end) = match year_after(end) {
                    Some((y, e)) => (Some(y), e),
                    None => (None, end),
                };
                return Some(date(
                    i,
                    end,
                    DateVal {
                        year,
                        month: Some(m),
                        day: Some(d),
                    },
                ));
            }
            // "April 2009"
            if let Some(y) = self.year_number(i + 1) {
                return Some(date(
                    i,
                    i + 2,
                    DateVal {
                        year: Some(y),
                        month: Some(m),
                        day: None,
                    },
                ));
            }
            // "in April", "since March"
            if i > 0
                && self.is_any(
                    i - 1,
                    &[
                        "in", "since", "until", "till", "from", "by", "last", "early", "late", "mid", "next",
                        "between", "and", "to", "of", "during", "before", "after",
                    ],
                )
            {
                return Some(date(
                    i,
                    i + 1,
                    DateVal {
                        year: None,
                        month: Some(m),
                        day: None,
                    },
                ));
            }
            return None;
        }
        // "19 February 2014"
        if let Some((d, end)) = self.day_number(i)
            && let Some(m) = self.month(end)
        {
            let (year, e) = match self.year_number(end + 1) {
                Some(y) => (Some(y), end + 2),
                None => (None, end + 1),
            };
            return Some(date(
                i,
                e,
                DateVal {
                    year,
                    month: Some(m),
                    day: Some(d),
                },
            ));
        }
        // ISO dates: "2013-10-23".
        if let Some(y) = self.year_number(i)
            && self.is_hyphen(i + 1)
            && self.glued(i + 1)
            && self.glued(i + 2)
            && let Some((m, _)) = self.day_number(i + 2).filter(|(m, _)| *m <= 12)
            && self.is_hyphen(i + 3)
            && self.glued(i + 3)
            && let Some((d, _)) = self.day_number(i + 4).filter(|_| self.glued(i + 4))
        {
            return Some(date(
                i,
                i + 5,
                DateVal {
                    year: Some(y),
                    month: Some(m),
                    day: Some(d),
                },
            ));
        }
        // A financial year or a season, one period: "2023-24", "1999-2000",
        // "2023/24", "2001–02". The second part is the next year, written
        // short or in full; anything else ("1990-95", "2010-2015") is a
        // range of years, read as two.
        if let Some(y) = self.year_number(i)
            && (self.is_dash(i + 1) || self.is(i + 1, "/"))
            && self.glued(i + 1)
            && self.glued(i + 2)
            && self.kind(i + 2) == Some(TokenKind::Number)
            && !(self.glued(i + 3) && (self.is_dash(i + 3) || self.is(i + 3, "/")))
        {
            let next = self.s(i + 2);
            let follows = match next.len() {
                2 => next.parse::<i32>().ok() == Some((y + 1) % 100),
                4 => next.parse::<i32>().ok() == Some(y + 1),
                _ => false,
            };
            if follows {
                return Some(date(
                    i,
                    i + 3,
                    DateVal {
                        year: Some(y),
                        month: None,
                        day: None,
                    },
                ));
            }
        }
        // A year alone: "in 2010". Not "2000 people", not "2000s", not "$2000".
        if let Some(y) = self.year_number(i) {
            let next_is_thing = self.glued(i + 1) && self.word(i + 1)
                || self.noun_phrase(i + 1).is_some_and(|np| np.noun.class.is_some())
                || self
                    .rules
                    .unit_terms
                    .longest_prefix(&self.stems_from(i + 1, 3).0)
                    .is_some()
                || self.currency_before(i).is_some();
            if !next_is_thing || self.year_modifies_noun(i) {
                return Some(date(
                    i,
                    i + 1,
                    DateVal {
                        year: Some(y),
                        month: None,
                        day: None,
                    },
                ));
            }
        }
        None
    }

    /// A cricket score: "9 for 233", "3 for 89" (wickets, at most ten, for runs).
    pub(super) fn score(&self, i: usize) -> Option<Found> {
        // "none for 126", "no wicket for 126"
        let (w, f) = if self.is(i, "none") {
            (0.0, i + 1)
        } else if self.is(i, "no") && self.is_any(i + 1, &["wicket", "wickets"]) {
            (0.0, i + 2)
        } else if self.kind(i) == Some(TokenKind::Number) {
            (self.parse_digits(i)?, i + 1)
        } else {
            return None;
        };
        if !self.is(f, "for") || self.kind(f + 1) != Some(TokenKind::Number) {
            return None;
        }
        let r = self.parse_digits(f + 1)?;
        if !(0.0..=10.0).contains(&w) || w.fract() != 0.0 || r < w {
            return None;
        }
        // The runs stand alone: "5 for 48 hours" or "2 for 10 dollars" is a
        // count and a measure, not wickets for runs.
        if self.unit_at(f + 2).is_some()
            || self.currency_before(f + 1).is_some()
            || self.currency_word_at(f + 2).is_some()
            || self.noun_phrase(f + 2).is_some_and(|np| np.noun.class.is_some())
        {
            return None;
        }
        Some(Found {
            start: i,
            end: f + 2,
            num: (i, f + 2),
            qual: None,
            noun: None,
            value: Value::Num { lo: w, hi: r },
            bound: Bound::Exact,
            dim: Dim::Score,
            head: None,
            modifiers: Words::default(),
            weak: false,
            locative: false,
            rate: None,
            scaled: false,
        })
    }

    /// "am"/"pm" (or "a.m."/"p.m.") at `k`: whether it is pm, and where it ends.
    pub(super) fn meridiem(&self, k: usize) -> Option<(bool, usize)> {
        if self.is_any(k, &["am", "pm"]) {
            return Some((self.is(k, "pm"), k + 1));
        }
        if self.is_any(k, &["a", "p"]) && self.is(k + 1, ".") {
            let mut end = k + 2;
            while self.is_any(end, &["m", "."]) && self.glued(end) {
                end += 1;
            }
            return Some((self.is(k, "p"), end));
        }
        None
    }

    /// Clock times: "4:00pm", "11pm", "8:30".
    pub(super) fn time(&self, i: usize) -> Option<Found> {
        if self.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let mut hour: u32 = self.s(i).parse().ok()?;
        if hour > 24 {
            return None;
        }
        let mut end = i + 1;
        let mut minutes = 0;
        let colon = self.is(end, ":")
            && self.glued(end)
            && self.kind(end + 1) == Some(TokenKind::Number)
            && self.glued(end + 1);
        if colon {
            minutes = self.s(end + 1).parse().ok()?;
            end += 2;
        }
        match self.meridiem(end) {
            Some((pm, e)) => {
                if pm && hour < 12 {
                    hour += 12;
                }
                end = e;
            }
            None if !colon => return None,
            None => {}
        }
        Some(Found {
            start: i,
            end,
            num: (i, end),
            qual: None,
            noun: None,
            value: Value::num((hour * 60 + minutes) as f64),
            bound: Bound::Exact,
            dim: Dim::Time,
            head: None,
            modifiers: Words::default(),
            weak: false,
            locative: false,
            rate: None,
            scaled: false,
        })
    }
}

/// A date figure over tokens `start..end`.
fn date_found(start: usize, end: usize, d: DateVal) -> Found {
    Found {
        start,
        end,
        num: (start, end),
        qual: None,
        noun: None,
        value: Value::Date(d),
        bound: Bound::Exact,
        dim: Dim::Date,
        head: None,
        modifiers: Words::default(),
        weak: false,
        locative: false,
        rate: None,
        scaled: false,
    }
}
