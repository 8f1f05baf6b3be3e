//! The figure patterns: numbers in digits and words, qualifiers, ranges,
//! currencies, units, ages, dates and times, and the noun a number counts.
//!
//! Works on one sentence's tokens. Every pattern is driven by the rule tables;
//! the only words named here are the grammar that glues figures together
//! ("to", "and", "between", "of", "old").

use super::{Analyzer, DateVal, Dim, Figure, Info, Noun, Term, Value, Words};
use crate::rules::{Bound, CurrencyId, Rules, UnitId};
use crate::text::{Token, TokenKind};

/// Finds the figures in one sentence.
pub(super) fn find(
    an: &mut Analyzer<'_>,
    text: &str,
    toks: &[Token],
    infos: &[Info],
    clauses: &[u8],
    terms: &[Term],
) -> Vec<Figure> {
    let scan = Scan {
        rules: an.rules,
        text,
        toks,
        infos,
    };
    let mut found: Vec<Found> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // Only a number, a word or a sign can start a figure.
        if !scan.may_start_figure(i) {
            i += 1;
            continue;
        }
        let hit = scan
            .date(i)
            .or_else(|| scan.time(i))
            .or_else(|| scan.score(i))
            .or_else(|| {
                let antecedent = found
                    .iter()
                    .rev()
                    .find(|f| f.dim == Dim::Count && f.noun.is_some() && !f.locative);
                scan.figure(i, antecedent)
            });
        match hit {
            Some(f) => {
                i = f.end.max(i + 1);
                found.push(f);
            }
            None => i += 1,
        }
    }
    scan.share_units(&mut found);
    let mut figs: Vec<Figure> = found.into_iter().map(|f| scan.finish(f, clauses, terms)).collect();
    let mut marks: Vec<(u16, u8, Option<i32>)> = figs
        .iter()
        .filter_map(|f| match f.value {
            Value::Date(DateVal { year: Some(y), .. }) if f.dim == Dim::Date => Some((f.toks.start, f.clause, Some(y))),
            _ => None,
        })
        .collect();
    // Relative years ("last year") date what they stand by, but to a year only
    // the text's own date can tell: they stop a figure taking another clause's year.
    for (k, _) in toks.iter().enumerate() {
        for (phrase, _) in &an.rules.relative_years {
            if k + phrase.len() <= toks.len() && phrase.iter().enumerate().all(|(j, w)| infos[k + j].lower == *w) {
                marks.push((k as u16, clauses[k.min(clauses.len() - 1)], None));
            }
        }
    }
    marks.sort_by_key(|m| m.0);
    assign_times(&mut figs, &marks);
    figs
}

/// Gives every figure that is not itself a date the year it is about.
///
/// A year written after figures in their clause ("revenue of 8.4 mln dlrs and
/// profit of 232,000 dlrs in 1986") dates them back to the previous year; a
/// year before them ("1986 revenue of ...", "In 1993, the deficit was ...")
/// dates what follows in its clause, and a year that opens the sentence dates
/// the sentence's later clauses too.
fn assign_times(figs: &mut [Figure], years: &[(u16, u8, Option<i32>)]) {
    if years.is_empty() {
        return;
    }
    for f in figs.iter_mut().filter(|f| f.dim != Dim::Date) {
        let at = f.toks.start;
        let after = years.iter().find(|(p, c, _)| *p >= f.toks.end && *c == f.clause);
        let before_same = years.iter().rev().find(|(p, c, _)| *p < at && *c == f.clause);
        let before_any = years.iter().rev().find(|(p, _, _)| *p < at);
        f.time = after.or(before_same).or(before_any).and_then(|&(_, _, y)| y);
    }
}

/// A figure before byte spans and context are attached. Indices are tokens.
#[derive(Debug, Clone)]
struct Found {
    start: usize,
    end: usize,
    num: (usize, usize),
    qual: Option<(usize, usize)>,
    noun: Option<(usize, usize)>,
    value: Value,
    bound: Bound,
    dim: Dim,
    head: Option<Noun>,
    modifiers: Words,
    weak: bool,
    /// Introduced by a preposition of place ("in 30 provinces"): names where,
    /// not what, so later bare numbers do not take its noun.
    locative: bool,
}

/// A number phrase: digits or words, with scale.
#[derive(Debug, Clone, Copy)]
struct Num {
    start: usize,
    end: usize,
    lo: f64,
    hi: f64,
    vague: bool,
    ordinal: bool,
    fraction: bool,
    decade: bool,
    weak: bool,
    /// Written in digits.
    digits: bool,
}

struct NounPhrase {
    start: usize,
    end: usize,
    noun: Noun,
    modifiers: Words,
}

struct Scan<'a> {
    rules: &'a Rules,
    text: &'a str,
    toks: &'a [Token],
    infos: &'a [Info],
}

const PRONOUNS: &[&str] = &["he", "she", "i", "you", "they", "we", "who"];
const BE: &[&str] = &["was", "is", "were", "are", "turned", "turns", "being"];
const SIZE_SUFFIXES: &[&str] = &["long", "wide", "high", "deep", "tall", "thick", "strong"];
const LOCATIVE: &[&str] = &["in", "across", "at", "from", "into", "throughout", "to", "of", "among"];
const PREMODIFIERS: &[&str] = &["such", "other", "more", "further", "another", "additional"];
const POSSESSIVES: &[&str] = &["their", "his", "her", "its", "our", "my", "your"];

impl<'a> Scan<'a> {
    /// A cheap test before the patterns: digits, a number word, a month, a
    /// vague quantity, "a"/"an"/"half"/"none"/"no", or a currency sign.
    fn may_start_figure(&self, i: usize) -> bool {
        let t = self.toks[i];
        match t.kind {
            TokenKind::Number => true,
            TokenKind::Symbol | TokenKind::Punct => false,
            TokenKind::Word => {
                let lower = self.infos[i].lower;
                self.rules.number_words.contains_key(&lower)
                    || self.rules.months.contains_key(&lower)
                    || self.rules.ordinals.contains_key(&lower)
                    || self.rules.fractions.contains_key(&lower)
                    || self.rules.vague.iter().any(|v| v.words.first() == Some(&lower))
                    || self.is_any(i, &["a", "an", "half", "none", "no"])
            }
        }
    }

    fn s(&self, i: usize) -> &'a str {
        &self.text[self.toks[i].range()]
    }

    fn is(&self, i: usize, word: &str) -> bool {
        i < self.toks.len() && self.s(i).eq_ignore_ascii_case(word)
    }

    fn is_any(&self, i: usize, words: &[&str]) -> bool {
        words.iter().any(|w| self.is(i, w))
    }

    fn glued(&self, i: usize) -> bool {
        i < self.toks.len() && !self.toks[i].space_before
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn is_hyphen(&self, i: usize) -> bool {
        i < self.toks.len() && matches!(self.s(i), "-" | "‐" | "‑")
    }

    fn is_dash(&self, i: usize) -> bool {
        i < self.toks.len() && matches!(self.s(i), "-" | "‐" | "‑" | "–" | "—")
    }

    fn word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    /// Stems of tokens from `i`, skipping hyphens glued inside compounds, with the
    /// token index each came from.
    fn stems_from(&self, i: usize, max: usize) -> (Vec<u64>, Vec<usize>) {
        let mut keys = Vec::with_capacity(max);
        let mut pos = Vec::with_capacity(max);
        let mut k = i;
        while k < self.toks.len() && keys.len() < max {
            if self.is_hyphen(k) && self.glued(k) && self.glued(k + 1) && !keys.is_empty() {
                k += 1;
                continue;
            }
            // The full stop of an initialism: "U.S. dlrs" reads as "U S dlrs".
            if self.is(k, ".") && self.glued(k) && k > i && self.word(k - 1) && self.s(k - 1).chars().count() == 1 {
                k += 1;
                continue;
            }
            if !matches!(self.toks[k].kind, TokenKind::Word | TokenKind::Symbol) {
                break;
            }
            keys.push(self.infos[k].stem);
            pos.push(k);
            k += 1;
        }
        (keys, pos)
    }

    // ------------------------------------------------------------------
    // Numbers

    fn parse_digits(&self, i: usize) -> Option<f64> {
        let s = self.s(i);
        if s.matches('.').count() > 1 {
            return None;
        }
        // "1,094" but not "1,09": thousands groups are three digits.
        if s.contains(',') && s.split(',').skip(1).any(|g| g.split('.').next().unwrap().len() != 3) {
            return None;
        }
        s.replace(',', "").parse().ok()
    }

    fn num_word(&self, i: usize) -> Option<crate::rules::NumWord> {
        if !self.word(i) {
            return None;
        }
        self.rules.number_words.get(&self.infos[i].lower).copied()
    }

    /// A number phrase starting at token `i`.
    fn number(&self, i: usize, has_currency: bool) -> Option<Num> {
        use crate::rules::NumWord::*;
        let n = self.toks.len();
        // Vague quantities: "hundreds of", "tens of thousands of".
        let first = self.infos[i].lower;
        for v in self.rules.vague.iter().filter(|v| v.words.first() == Some(&first)) {
            let len = v.words.len();
            let matches = |len: usize| i + len <= n && (0..len).all(|k| self.infos[i + k].lower == v.words[k]);
            if matches(len) {
                return Some(Num::vague(i, i + len, v.low, v.high));
            }
            // Without the final "of": "hundreds were evacuated".
            if len > 1 && matches(len - 1) && !self.is(i + len - 1, "of") && self.s(i).ends_with('s') {
                return Some(Num::vague(i, i + len - 1, v.low, v.high));
            }
        }
        let t = self.toks[i];
        if t.kind == TokenKind::Number {
            let mut value = self.parse_digits(i)?;
            let mut num = Num::exact(i, i + 1, value);
            num.digits = true;
            let mut j = i + 1;
            if j < n && self.glued(j) && self.word(j) {
                let w = self.s(j).to_ascii_lowercase();
                if w == "s" && value.fract() == 0.0 && (value as u64).is_multiple_of(10) {
                    num.decade = true;
                    j += 1;
                } else if matches!(w.as_str(), "st" | "nd" | "rd" | "th") {
                    num.ordinal = true;
                    j += 1;
                } else if let Some(&scale) = self.rules.scale_abbreviations.get(&self.infos[j].lower) {
                    // "$70m" is money; "200m" alone is a length, read as a unit later.
                    if has_currency || w.len() > 1 && self.rules.unit_terms.get1(self.infos[j].stem).is_none() {
                        value *= scale;
                        j += 1;
                    }
                }
            }
            while let Some(Scale(v)) = self.num_word(j) {
                value *= v;
                j += 1;
            }
            num.end = j;
            num.lo = value;
            num.hi = value;
            return Some(num);
        }
        if !self.word(i) {
            return None;
        }
        // Words: "a thousand", "twenty-five", "three hundred and twelve", "two dozen".
        let mut j = i;
        let article = self.is_any(i, &["a", "an"]);
        if article {
            match self.num_word(i + 1) {
                Some(Scale(_)) | Some(Group(_)) => j = i + 1,
                _ => {
                    // "a third of"
                    if let Some(&f) = self.rules.fractions.get(&self.infos.get(i + 1)?.lower)
                        && self.is(i + 2, "of")
                    {
                        let mut num = Num::exact(i, i + 2, f);
                        num.fraction = true;
                        return Some(num);
                    }
                    return None;
                }
            }
        }
        // "half a million"
        if self.is(j, "half")
            && self.is_any(j + 1, &["a", "an"])
            && let Some(Scale(v)) = self.num_word(j + 2)
        {
            return Some(Num::exact(i, j + 3, 0.5 * v));
        }
        // A scale needs a number or an article before it: "mln dlrs" alone,
        // "thousand-year-old" are no count.
        if !article && matches!(self.num_word(j), Some(Scale(_))) {
            return None;
        }
        let mut total = 0.0;
        let mut cur = 0.0;
        let mut any = false;
        let mut last: Option<crate::rules::NumWord> = None;
        let mut end = j;
        while j < n {
            let Some(w) = self.num_word(j) else { break };
            match (last, w) {
                // "two three" is not one number; "twenty-five" is.
                (Some(Unit(_)), Unit(_) | Ten(_)) | (Some(Ten(_)), Ten(_)) => break,
                (Some(Ten(_)), Unit(v)) if v >= 10.0 => break,
                _ => {}
            }
            match w {
                Unit(v) | Ten(v) => cur += v,
                Scale(v) if v < 1000.0 => cur = cur.max(1.0) * v,
                Scale(v) => {
                    total += cur.max(1.0) * v;
                    cur = 0.0;
                }
                Group(v) => cur = cur.max(1.0) * v,
            }
            any = true;
            last = Some(w);
            j += 1;
            end = j;
            // Connectors: "twenty-five", "one hundred and twelve".
            let hyphen = self.is_hyphen(j) && self.glued(j) && self.glued(j + 1) && self.num_word(j + 1).is_some();
            let and = self.is(j, "and")
                && matches!(last, Some(Scale(_)))
                && matches!(self.num_word(j + 1), Some(Unit(_) | Ten(_)));
            if hyphen || and {
                j += 1;
            }
        }
        if !any {
            // Fractions alone: "half of", "half the".
            if let Some(&f) = self.rules.fractions.get(&self.infos[i].lower)
                && self.is(i, "half")
                && self.is_any(i + 1, &["of", "the"])
            {
                let mut num = Num::exact(i, i + 1, f);
                num.fraction = true;
                return Some(num);
            }
            // Ordinal words count only before a noun that makes them a count.
            if let Some(&o) = self.rules.ordinals.get(&self.infos[i].lower) {
                let next = self.infos.get(i + 1).map(|x| x.stem);
                if next.is_some_and(|s| self.rules.ordinal_nouns.contains(&s)) {
                    let mut num = Num::exact(i, i + 1, o);
                    num.ordinal = true;
                    return Some(num);
                }
            }
            return None;
        }
        let value = total + cur;
        let mut num = Num::exact(i, end, value);
        num.weak = end == i + 1 && self.rules.weak_words.contains(&self.infos[i].lower);
        // "two-thirds", "two thirds", "one third".
        let k = if self.is_hyphen(end) && self.glued(end) {
            end + 1
        } else {
            end
        };
        if k < n
            && let Some(&f) = self.rules.fractions.get(&self.infos[k].lower)
            && value < 20.0
            && !self.is(k, "second")
        {
            num.end = k + 1;
            num.lo = value * f;
            num.hi = num.lo;
            num.fraction = true;
            num.weak = false;
        }
        Some(num)
    }

    // ------------------------------------------------------------------
    // Dates and times

    fn month(&self, i: usize) -> Option<u8> {
        if !self.word(i) || !self.infos[i].cap {
            return None;
        }
        let m = *self.rules.months.get(&self.infos[i].lower)?;
        // "Mar." is a month; "mar" in the middle of a sentence would need a capital anyway.
        Some(m)
    }

    fn day_number(&self, i: usize) -> Option<(u8, usize)> {
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

    fn year_number(&self, i: usize) -> Option<i32> {
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

    fn date(&self, i: usize) -> Option<Found> {
        let date = |start: usize, end: usize, d: DateVal| Found {
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
        };
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
            if !next_is_thing {
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
    fn score(&self, i: usize) -> Option<Found> {
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
        })
    }

    /// "am"/"pm" (or "a.m."/"p.m.") at `k`: whether it is pm, and where it ends.
    fn meridiem(&self, k: usize) -> Option<(bool, usize)> {
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
    fn time(&self, i: usize) -> Option<Found> {
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
        })
    }

    // ------------------------------------------------------------------
    // Currency, qualifiers, units

    /// A currency sign or code right before token `i`: "US$", "£", "RMB ".
    fn currency_before(&self, i: usize) -> Option<(CurrencyId, usize)> {
        // Glued signs: walk back over tokens with no space between them.
        // The longest sign wins: "US$" over "$".
        let mut start = i;
        let mut glued_text = String::new();
        let mut best = None;
        while start > 0 && self.glued(start) && i - start < 3 {
            start -= 1;
            glued_text.insert_str(0, self.s(start));
            if let Some((_, id)) = self.rules.currency_symbols.iter().find(|(sym, _)| glued_text == *sym) {
                best = Some((*id, start));
            }
        }
        if best.is_some() {
            return best;
        }
        // A code with a space: "RMB 20,000", "USD 3,250".
        if i > 0 && self.word(i - 1) {
            let w = self.s(i - 1);
            for (sym, id) in &self.rules.currency_symbols {
                if w == sym && sym.chars().all(|c| c.is_ascii_uppercase()) && sym.len() > 1 {
                    return Some((*id, i - 1));
                }
            }
        }
        None
    }

    /// A qualifier ending right before token `i`.
    fn qualifier_before(&self, i: usize) -> Option<(Bound, usize)> {
        let max = self.rules.qualifiers.max_len();
        let mut keys = Vec::with_capacity(max);
        let mut k = i;
        while k > 0 && keys.len() < max && self.word(k - 1) {
            k -= 1;
            keys.insert(0, self.infos[k].lower);
        }
        let (len, bound) = self.rules.qualifiers.longest_suffix(&keys)?;
        // Stacked qualifiers ("less than about five", "more than about 40"):
        // the outer one says which side of the number the figure lies.
        if bound == Bound::About
            && let Some((outer, start)) = self.qualifier_before(i - len)
            && outer != Bound::About
        {
            return Some((outer, start));
        }
        Some((bound, i - len))
    }

    /// A qualifier written after the number: "1,000+", "30 or more".
    fn qualifier_after(&self, j: usize) -> Option<(Bound, usize)> {
        let mut keys = Vec::new();
        let mut pos = Vec::new();
        let mut k = j;
        while k < self.toks.len() && keys.len() < 3 {
            if self.is_hyphen(k) && self.glued(k) {
                k += 1;
                continue;
            }
            if self.toks[k].kind == TokenKind::Punct {
                break;
            }
            keys.push(self.infos[k].lower);
            pos.push(k);
            k += 1;
        }
        let (len, bound) = self.rules.qualifier_suffixes.longest_prefix(&keys)?;
        // "+" only counts glued to the number.
        if self.s(pos[0]) == "+" && !self.glued(pos[0]) {
            return None;
        }
        Some((bound, pos[len - 1] + 1))
    }

    /// A unit starting at `j`: returns unit and end.
    fn unit_at(&self, j: usize) -> Option<(UnitId, usize)> {
        let (keys, pos) = self.stems_from(j, self.rules.unit_terms.max_len());
        let (len, unit) = self.rules.unit_terms.longest_prefix(&keys)?;
        // One-letter units ("m") only glued to the number: "200m", not "200 m people".
        let first = self.s(pos[0]);
        if first.chars().count() == 1 && first != "%" && self.toks[pos[0]].space_before {
            return None;
        }
        Some((unit, pos[len - 1] + 1))
    }

    fn currency_word_at(&self, j: usize) -> Option<(CurrencyId, usize)> {
        let (keys, pos) = self.stems_from(j, self.rules.currency_words.max_len());
        if let Some((len, c)) = self.rules.currency_words.longest_prefix(&keys) {
            return Some((c, pos[len - 1] + 1));
        }
        // A code after the number: "3,250 USD".
        if self.word(j) {
            let w = self.s(j);
            for (sym, id) in &self.rules.currency_symbols {
                if w == sym && sym.len() > 2 && sym.chars().all(|c| c.is_ascii_uppercase()) {
                    return Some((*id, j + 1));
                }
            }
        }
        None
    }

    fn is_time_unit(&self, u: UnitId) -> bool {
        self.rules.units[u as usize].dimension == "time"
    }

    // ------------------------------------------------------------------
    // Nouns

    /// A participle or adverb: "suspected", "rescued", "earlier", "allegedly".
    fn verbish(&self, i: usize) -> bool {
        if !self.word(i) {
            return false;
        }
        let w = self.s(i).to_ascii_lowercase();
        w.ends_with("ed")
            || w.ends_with("ly")
            || w.ends_with("ing") && self.rules.noun_terms.get1(self.infos[i].stem).is_none()
    }

    fn looks_plural(&self, i: usize) -> bool {
        let w = self.s(i);
        w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is")
    }

    /// The noun phrase starting at `j`: "newborn babies", "maintenance workers",
    /// "baby-smuggling rings". Its head is the last word the rules know as a noun,
    /// else its last word.
    fn noun_phrase(&self, j: usize) -> Option<NounPhrase> {
        let n = self.toks.len();
        let mut words: Vec<usize> = Vec::new();
        let mut k = j;
        // "four such websites", "19 more suspects"
        if self.is_any(k, PREMODIFIERS) && self.word(k + 1) && !self.infos[k + 1].stop {
            k += 1;
        }
        while k < n && words.len() < 5 {
            match self.toks[k].kind {
                TokenKind::Word => {
                    let info = self.infos[k];
                    let w = self.s(k);
                    let lower = w.to_lowercase();
                    let known = self.rules.noun_terms.get1(info.stem).is_some();
                    if (info.stop && !known)
                        || self.rules.clause_openers.contains(&info.lower)
                        || self.rules.months.contains_key(&info.lower) && info.cap
                        || w == "'s"
                        || w == "’s"
                    {
                        break;
                    }
                    let next_is_word = self.word(k + 1) && !self.infos[k + 1].stop && !self.verbish(k + 1)
                        || self.is_hyphen(k + 1) && self.glued(k + 1);
                    let verbish = self.verbish(k);
                    let event = self.rules.event_terms.get1(info.stem).is_some();
                    // A participle ends the phrase ("1,094 people suspected of")
                    // unless it modifies a noun that follows ("800 missing children").
                    let known = known && !lower.ends_with("ed");
                    if !known && (verbish || event && !self.looks_plural(k)) && !next_is_word {
                        break;
                    }
                    let in_compound = k > 0 && self.is_hyphen(k - 1) && !self.toks[k].space_before;
                    if !known && event && !words.is_empty() && !in_compound {
                        break;
                    }
                    words.push(k);
                    k += 1;
                    let plural = self.looks_plural(k - 1) || known && !next_is_word;
                    if plural && !(self.is_hyphen(k) && self.glued(k)) {
                        break;
                    }
                }
                TokenKind::Punct if self.is_hyphen(k) && self.glued(k) && !words.is_empty() && self.glued(k + 1) => {
                    k += 1;
                }
                TokenKind::Number if words.is_empty() && self.is_hyphen(k + 1) && self.glued(k + 1) => {
                    // An embedded compound: "three 15-year-old boys".
                    let mut m = k + 1;
                    while self.is_hyphen(m) && self.glued(m) && self.word(m + 1) && self.glued(m + 1) {
                        m += 2;
                    }
                    k = m;
                }
                _ => break,
            }
        }
        if words.is_empty() {
            return None;
        }
        let stems: Vec<u64> = words.iter().map(|&w| self.infos[w].stem).collect();
        // The head: the last position where a known noun term ends.
        let mut head = None;
        for end in (1..=stems.len()).rev() {
            if let Some((len, class)) = self.rules.noun_terms.longest_suffix(&stems[..end]) {
                head = Some((end - 1, len, Some(class)));
                break;
            }
        }
        let (h, len, class) = head.unwrap_or((words.len() - 1, 1, None));
        let modifiers = stems[..h + 1 - len]
            .iter()
            .copied()
            .filter(|s| !self.rules.stopwords.contains(s))
            .collect();
        Some(NounPhrase {
            start: words[0],
            end: words[h] + 1,
            noun: Noun {
                head: stems[h],
                class,
                inherited: false,
            },
            modifiers,
        })
    }

    /// The noun in "a wage freeze of …", ending right before `start`.
    fn noun_before_of(&self, start: usize) -> Option<Noun> {
        if start < 2 || !self.is(start - 1, "of") || !self.word(start - 2) || self.infos[start - 2].stop {
            return None;
        }
        let k = start - 2;
        let mut first = k;
        while first > 0 && self.word(first - 1) && !self.infos[first - 1].stop && k - first < 3 {
            first -= 1;
        }
        let np = self.noun_phrase(first)?;
        (np.end == k + 1).then_some(Noun {
            inherited: true,
            ..np.noun
        })
    }

    /// The noun in "the number of children … at 10,000": a count named before
    /// its figure.
    fn number_of_before(&self, start: usize) -> Option<Noun> {
        let from = start.saturating_sub(12);
        (from..start.saturating_sub(2))
            .rev()
            .find(|&k| self.is_any(k, &["number", "total", "toll", "tally", "count"]) && self.is(k + 1, "of"))
            .and_then(|k| self.of_phrase(k + 1))
            .map(|np| Noun {
                inherited: true,
                ..np.noun
            })
    }

    /// "of the workforce" after a percentage.
    fn of_phrase(&self, j: usize) -> Option<NounPhrase> {
        if !self.is(j, "of") {
            return None;
        }
        let k = if self.is_any(j + 1, &["the", "its", "their", "all", "his", "her"]) {
            j + 2
        } else {
            j + 1
        };
        self.noun_phrase(k)
    }

    // ------------------------------------------------------------------
    // Figures

    fn figure(&self, i: usize, antecedent: Option<&Found>) -> Option<Found> {
        let t = self.toks[i];
        if !matches!(t.kind, TokenKind::Number | TokenKind::Word) {
            return None;
        }
        let currency_guess = t.kind == TokenKind::Number && self.currency_before(i).is_some();
        let num = self.number(i, currency_guess)?;
        // "one of the", "no one", "one another": not counts.
        if num.weak
            && (self.is_any(num.end, &["of", "another", "or"])
                || i > 0 && self.is_any(i - 1, &["no", "any", "every", "some", "each", "the", "this", "that"]))
        {
            return None;
        }
        let mut f = Found {
            start: num.start,
            end: num.end,
            num: (num.start, num.end),
            qual: None,
            noun: None,
            value: Value::Num { lo: num.lo, hi: num.hi },
            bound: if num.vague { Bound::Vague } else { Bound::Exact },
            dim: Dim::Count,
            head: None,
            modifiers: Words::default(),
            weak: num.weak,
            locative: false,
        };
        // Currency sign before, then a qualifier before that.
        let mut lead = num.start;
        if num.digits
            && let Some((c, start)) = self.currency_before(num.start)
        {
            f.dim = Dim::Money(c);
            lead = start;
            f.start = start;
            f.num.0 = start;
        }
        if let Some((bound, qstart)) = self.qualifier_before(lead) {
            if !num.vague {
                f.bound = bound;
            }
            f.qual = Some((qstart, lead));
            f.start = qstart;
        } else if lead > 0 && self.is(lead - 1, "between") {
            f.start = lead - 1;
        }
        f.locative = f.start > 0 && self.is_any(f.start - 1, LOCATIVE);

        if num.ordinal {
            f.dim = Dim::Ordinal;
            if let Some(np) = self.noun_phrase(num.end) {
                f.noun = Some((np.start, np.end));
                f.end = np.end;
                f.head = Some(np.noun);
            }
            return Some(f);
        }
        if num.fraction {
            f.dim = Dim::Fraction;
            if let Some(np) = self.of_phrase(num.end) {
                f.head = Some(np.noun);
                f.modifiers = np.modifiers;
            }
            return Some(f);
        }
        if num.decade {
            let (lo, hi) = (num.lo, num.lo + 9.0);
            f.value = Value::Num { lo, hi };
            let possessive = i > 0
                && (self.is_any(i - 1, POSSESSIVES)
                    || i > 1 && self.is_any(i - 1, &["early", "mid", "late"]) && self.is_any(i - 2, POSSESSIVES));
            if lo >= 1000.0 {
                f.dim = Dim::Date;
                f.value = Value::Date(DateVal {
                    year: Some(lo as i32),
                    month: None,
                    day: None,
                });
                f.bound = Bound::Vague;
            } else if possessive {
                f.dim = Dim::Age;
            } else {
                return None;
            }
            return Some(f);
        }

        let mut j = num.end;
        // Qualifier after: "1,000+".
        if let Some((bound, end)) = self.qualifier_after(j) {
            f.bound = bound;
            j = end;
            f.end = end;
        }
        // Range: "10,000 to 20,000", "between 4,000 and 5,000", "12 to 18".
        // "from 110 to 80" is a change, not a range.
        let from_before = f.start > 0 && self.is(f.start - 1, "from");
        let between = f.start < num.start && self.is(f.start, "between");
        let joiner = self.is(j, "to") && !from_before
            || self.is_dash(j) && self.glued(j) && self.glued(j + 1) && num.digits
            || self.is(j, "and") && between;
        if joiner {
            let mut k = j + 1;
            // "$10 to $20": skip the second sign.
            while k < self.toks.len() && self.toks[k].kind == TokenKind::Symbol && self.glued(k + 1) {
                k += 1;
            }
            if let Some(second) = self.number(k, matches!(f.dim, Dim::Money(_)))
                && !second.ordinal
                && !second.decade
                && second.lo >= num.lo
                && self.date(k).is_none()
            {
                // "4 to 5 million": the scale of the second applies to the first.
                let lo = if second.lo >= 1000.0 && num.lo < 1000.0 && num.digits == second.digits {
                    let scale = second.lo / self.plain_value(k).unwrap_or(second.lo);
                    num.lo * scale.max(1.0)
                } else {
                    num.lo
                };
                f.value = Value::Num { lo, hi: second.hi };
                j = second.end;
                f.end = j;
            }
        }
        f.num.1 = j;

        // Percentages, units and durations, hyphenated or not.
        let hyphen = self.is_hyphen(j) && self.glued(j) && self.glued(j + 1);
        let unit_start = if hyphen { j + 1 } else { j };
        if !matches!(f.dim, Dim::Money(_))
            && let Some((unit, uend)) = self.unit_at(unit_start)
        {
            let mut end = uend;
            f.dim = Dim::Measure(unit);
            // "55-year-old", "three years old", "six-month-old": ages.
            let old = if self.is_hyphen(end) && self.glued(end) {
                end + 1
            } else {
                end
            };
            // "rose over two days": "over" before a duration is a preposition,
            // unless it follows "for" ("jailed for over two years").
            if self.is_time_unit(unit)
                && let Some((qs, _)) = f.qual
                && self.is(qs, "over")
                && !(qs > 0 && self.is_any(qs - 1, &["for", "of", "after", "within", "in"]))
            {
                f.qual = None;
                f.bound = Bound::Exact;
                f.start = num.start;
            }
            if self.is_time_unit(unit) && self.is(old, "old") {
                let factor = self.rules.units[unit as usize].factor / (365.25 * 86400.0);
                let (lo, hi) = self.value_nums(&f.value);
                f.value = Value::Num {
                    lo: lo * factor,
                    hi: hi * factor,
                };
                f.dim = Dim::Age;
                end = old + 1;
            } else if self.is_hyphen(end) && self.glued(end) && self.is_any(end + 1, SIZE_SUFFIXES) {
                end += 2;
            }
            f.num.1 = end;
            f.end = end;
            let np = if self.rules.units[unit as usize].dimension == "ratio" {
                self.of_phrase(end)
            } else {
                self.noun_phrase(end)
            };
            if let Some(np) = np {
                if self.rules.units[unit as usize].dimension != "ratio" {
                    f.noun = Some((np.start, np.end));
                    f.end = np.end;
                }
                f.head = Some(np.noun);
                f.modifiers = np.modifiers;
            } else if let Some(head) = self.noun_before_of(f.start) {
                // "a wage freeze of 12 to 18 months"
                f.head = Some(head);
            }
            return Some(f);
        }
        // Currency words after: "20,000 yuan", "5,000 francs".
        if let Some((c, cend)) = self.currency_word_at(j) {
            if !matches!(f.dim, Dim::Money(_)) {
                f.dim = Dim::Money(c);
            }
            f.num.1 = cend;
            f.end = cend;
            return Some(f);
        }
        if matches!(f.dim, Dim::Money(_)) {
            return Some(f);
        }
        // Ages: "Liu, 32,", "aged 32", "at the age of three", "when he was three".
        if let Some(age) = self.age_context(&f, &num) {
            return Some(age);
        }
        // The counted noun: "382 infants", "15-member council".
        let np_start = if hyphen { j + 1 } else { j };
        if let Some(np) = self.noun_phrase(np_start) {
            f.noun = Some((np.start, np.end));
            f.end = np.end;
            f.head = Some(np.noun);
            f.modifiers = np.modifiers;
        } else if let Some(np) = self.of_phrase(j) {
            // "27 of the suspects": the noun after "of the".
            f.head = Some(Noun {
                inherited: true,
                ..np.noun
            });
        } else if let Some(p) = antecedent {
            // "180 suspects in 30 provinces, with 19 more in Hong Kong": the noun of
            // the nearest count before it that is not a place phrase.
            f.head = p.head.map(|h| Noun { inherited: true, ..h });
        } else if let Some(head) = self.number_of_before(f.start) {
            // "put the number of children at 10,000 to 20,000"
            f.head = Some(head);
        }
        if f.weak && f.noun.is_none() {
            return None;
        }
        Some(f)
    }

    /// The value of a bare number token, without scale words.
    fn plain_value(&self, k: usize) -> Option<f64> {
        if self.kind(k) == Some(TokenKind::Number) {
            return self.parse_digits(k);
        }
        match self.num_word(k)? {
            crate::rules::NumWord::Unit(v) | crate::rules::NumWord::Ten(v) => Some(v),
            _ => None,
        }
    }

    fn value_nums(&self, v: &Value) -> (f64, f64) {
        match *v {
            Value::Num { lo, hi } => (lo, hi),
            Value::Date(_) => (0.0, 0.0),
        }
    }

    /// Reads a bare small number as an age from the words around it.
    fn age_context(&self, f: &Found, num: &Num) -> Option<Found> {
        let (lo, hi) = self.value_nums(&f.value);
        if lo != hi || lo.fract() != 0.0 || !(0.0..=125.0).contains(&lo) || f.qual.is_some() && f.bound != Bound::About
        {
            return None;
        }
        let i = num.start;
        let j = f.end;
        let age = |start: usize| Found {
            start,
            dim: Dim::Age,
            ..f.clone()
        };
        // "aged 32", "age 32", "at the age of three"
        if i > 0 && self.rules.age_words.contains(&self.infos[i - 1].lower) {
            return Some(age(f.start));
        }
        if i > 1 && self.is(i - 1, "of") && self.rules.age_words.contains(&self.infos[i - 2].lower) {
            return Some(age(f.start));
        }
        let ends_phrase = j >= self.toks.len()
            || self.is_any(j, &[",", ".", ")", ";", ":"])
            || self.rules.clause_openers.contains(&self.infos[j].lower);
        // "Liu, 32," / "The doctor, 55,"
        if i > 1 && self.is(i - 1, ",") && self.word(i - 2) && ends_phrase {
            let before = self.infos[i - 2];
            let after_determiner = i > 2 && self.is_any(i - 3, &["the", "a", "an", "his", "her", "their"]);
            let person = before.cap
                || after_determiner
                || self.rules.noun_terms.get1(before.stem).is_some_and(|c| {
                    let person = self.rules.class_named("person");
                    person.is_some_and(|p| c == p || self.rules.is_broader(p, c))
                });
            if person && num.digits {
                return Some(age(f.start));
            }
        }
        // "when he was three"
        if i > 1 && self.is_any(i - 1, BE) && self.is_any(i - 2, PRONOUNS) && ends_phrase {
            return Some(age(f.start));
        }
        None
    }

    /// "from 100 to 80 kilometres an hour", "from $5 to 12": the bare number
    /// of a from-to pair takes the other's unit or currency.
    fn share_units(&self, found: &mut [Found]) {
        for i in 1..found.len() {
            let (a, b) = (&found[i - 1], &found[i]);
            let from_to = a.start > 0 && self.is(a.start - 1, "from") && b.start == a.end + 1 && self.is(a.end, "to");
            if !from_to {
                continue;
            }
            let bare = |f: &Found| f.dim == Dim::Count && f.head.is_none();
            let measured = |f: &Found| matches!(f.dim, Dim::Measure(_) | Dim::Money(_));
            if bare(b) && measured(a) {
                found[i].dim = found[i - 1].dim;
            } else if bare(a) && measured(b) {
                found[i - 1].dim = found[i].dim;
            }
        }
    }

    /// The person an age belongs to, from the patterns that name them: "Liu,
    /// 32", "Karzai, a 44-year-old leader", "55-year-old Zhang Shuxia".
    fn age_subject(&self, f: &Found, terms: &[Term]) -> Words {
        let name_at = |k: usize| terms.iter().find(|t| t.pos as usize == k && t.name).map(|t| t.key);
        // Name words ending at token `end` (inclusive), walking back.
        let run_before = |end: usize| {
            let mut out = Words::default();
            let mut k = end as isize;
            while k >= 0 && out.as_slice().len() < 4 {
                match name_at(k as usize) {
                    Some(key) => out.push(key),
                    None => break,
                }
                k -= 1;
            }
            out
        };
        let start = f.qual.map_or(f.num.0, |q| q.0);
        // "Liu, 32" / "Karzai, a 44-year-old"
        let mut comma = start;
        if comma > 0 && self.is_any(comma - 1, &["a", "an"]) {
            comma -= 1;
        }
        if comma > 1 && self.is(comma - 1, ",") {
            let names = run_before(comma - 2);
            if !names.is_empty() {
                return names;
            }
        }
        // "55-year-old Zhang Shuxia": the noun phrase is a name.
        if let Some((a, b)) = f.noun
            && name_at(b - 1).is_some()
        {
            return (a..b).filter_map(name_at).collect();
        }
        Words::default()
    }

    /// Byte spans, clause and event.
    fn finish(&self, f: Found, clauses: &[u8], terms: &[Term]) -> Figure {
        let span = |(a, b): (usize, usize)| self.toks[a].start..self.toks[b - 1].end;
        let clause = clauses[f.num.0.min(clauses.len() - 1)];
        let (a, b) = (f.start as u16, f.end as u16);
        // The event verb nearest the figure within its clause.
        let event = terms
            .iter()
            .filter(|t| t.clause == clause && (t.pos < a || t.pos >= b))
            .filter_map(|t| t.event.map(|e| (e, t.pos.abs_diff(a))))
            .min_by_key(|&(_, d)| d)
            .map(|(e, _)| e);
        let subject = if f.dim == Dim::Age {
            self.age_subject(&f, terms)
        } else {
            Words::default()
        };
        Figure {
            span: span((f.start, f.end)),
            num_span: span(f.num),
            qual_span: f.qual.map(span),
            noun_span: f.noun.map(span),
            value: f.value,
            bound: f.bound,
            dim: f.dim,
            noun: f.head,
            modifiers: f.modifiers,
            event,
            clause,
            toks: a..b,
            num_toks: f.num.0 as u16..f.num.1 as u16,
            weak: f.weak,
            subject,
            time: None,
        }
    }
}

impl Num {
    fn exact(start: usize, end: usize, v: f64) -> Num {
        Num {
            start,
            end,
            lo: v,
            hi: v,
            vague: false,
            ordinal: false,
            fraction: false,
            decade: false,
            weak: false,
            digits: false,
        }
    }

    fn vague(start: usize, end: usize, lo: f64, hi: f64) -> Num {
        Num {
            vague: true,
            ..Num::exact(start, end, lo).with_hi(hi)
        }
    }

    fn with_hi(mut self, hi: f64) -> Num {
        self.hi = hi;
        self
    }
}
