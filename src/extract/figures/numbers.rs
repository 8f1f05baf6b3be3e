//! Numbers in digits and in words, with scale words and fractions.

use super::{Num, Scan};
use crate::text::TokenKind;

impl<'a> Scan<'a> {
    pub(super) fn parse_digits(&self, i: usize) -> Option<f64> {
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

    pub(super) fn num_word(&self, i: usize) -> Option<crate::rules::NumWord> {
        if !self.word(i) {
            return None;
        }
        self.rules.number_words.get(&self.infos[i].lower).copied()
    }

    /// A number phrase starting at token `i`.
    pub(super) fn number(&self, i: usize, has_currency: bool) -> Option<Num> {
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
                        num.scaled = true;
                        j += 1;
                    }
                }
            }
            while let Some(Scale(v)) = self.num_word(j) {
                value *= v;
                num.scaled |= v >= 1000.0;
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
        // "a third of", "cut by a third", "by another quarter": a fraction
        // word after an article stands alone before "of", a function word or
        // the end of the clause; before a noun it is an ordinal ("a third
        // term", "a quarter century").
        if self.is_any(i, &["a", "an", "another"])
            && let Some(&f) = self.rules.fractions.get(&self.infos.get(i + 1)?.lower)
        {
            // "a quarter of a trillion dollars" is an amount.
            if self.is(i + 2, "of")
                && self.is_any(i + 3, &["a", "an"])
                && let Some(Scale(v)) = self.num_word(i + 4)
            {
                return Some(Num::exact(i, i + 5, f * v));
            }
            if self.fraction_alone(i + 2) {
                let mut num = Num::exact(i, i + 2, f);
                num.fraction = true;
                return Some(num);
            }
        }
        if article {
            match self.num_word(i + 1) {
                Some(Scale(_)) | Some(Group(_)) => j = i + 1,
                _ => return None,
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
            // Fractions alone: "half of", "half the", "cut in half", "by half".
            if let Some(&f) = self.rules.fractions.get(&self.infos[i].lower)
                && self.is(i, "half")
                && (self.is_any(i + 1, &["of", "the"])
                    || i > 0 && self.is_any(i - 1, &["in", "by"]) && self.fraction_alone(i + 1))
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

    /// Whether the token at `k` leaves a fraction word standing alone: "of",
    /// a function word, punctuation or the end of the sentence, not a noun
    /// it would rank ("a third party").
    fn fraction_alone(&self, k: usize) -> bool {
        k >= self.toks.len() || !self.word(k) || self.rules.stopwords.contains(&self.infos[k].lower)
    }
}
