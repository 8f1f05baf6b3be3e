//! A figure from its parts: number, qualifier, unit or noun, ages; and
//! the finished `Figure` with byte spans and context.

use super::{BE, Found, LOCATIVE, Num, POSSESSIVES, PRONOUNS, SIZE_SUFFIXES, Scan};
use crate::extract::{DateVal, Dim, Direction, Figure, Noun, Term, Value, Words};
use crate::rules::Bound;
use crate::text::TokenKind;

impl<'a> Scan<'a> {
    pub(super) fn figure(&self, i: usize, antecedent: Option<&Found>) -> Option<Found> {
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
            rate: None,
            scaled: num.scaled,
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
        // "from 110 to 80" is a change, not a range; so is "rose by 30 to
        // 150" (its size, then its new value).
        let from_before = f.start > 0
            && matches!(
                self.rules.revision.words.get(&self.infos[f.start - 1].stem),
                Some(crate::rules::revision::RevisionWord::Earlier | crate::rules::revision::RevisionWord::Difference)
            );
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
            // "55-year-old", "three years old", "six-month-old", "8-year-olds": ages.
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
            // "8-year-olds", the plural noun, only hyphenated.
            let olds = old > end && self.is(old, "olds");
            if self.is_time_unit(unit) && (self.is(old, "old") || olds) {
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
        if let Some(np) = self.noun_phrase(np_start).filter(|np| !self.subject_of_gap(np.end)) {
            f.noun = Some((np.start, np.end));
            f.end = np.end;
            f.head = Some(np.noun);
            f.modifiers = np.modifiers;
            // "a 228-room hotel", "a 15-member council": a compound counts its
            // own word (rooms, members); the noun after it is what has them.
            if hyphen && np.end > np_start + 1 && self.word(np_start) && !self.glued(np_start + 1) {
                let stem = self.infos[np_start].stem;
                f.head = Some(Noun {
                    head: stem,
                    class: self.rules.noun_terms.get1(stem),
                    inherited: false,
                });
                // Not a modifier of the count: "hotel" and "property" name
                // one building, and the sentence's words carry it anyway.
                f.modifiers = Words::default();
            }
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
        } else if let Some(head) = self.subject_of_change(f.start) {
            // "the death toll rose to 21"
            f.head = Some(head);
        }
        if f.weak && f.noun.is_none() {
            return None;
        }
        Some(f)
    }

    /// The value of a bare number token, without scale words.
    pub(super) fn plain_value(&self, k: usize) -> Option<f64> {
        if self.kind(k) == Some(TokenKind::Number) {
            return self.parse_digits(k);
        }
        match self.num_word(k)? {
            crate::rules::NumWord::Unit(v) | crate::rules::NumWord::Ten(v) => Some(v),
            _ => None,
        }
    }

    pub(super) fn value_nums(&self, v: &Value) -> (f64, f64) {
        match *v {
            Value::Num { lo, hi } => (lo, hi),
            Value::Date(_) => (0.0, 0.0),
        }
    }

    /// Reads a bare small number as an age from the words around it.
    pub(super) fn age_context(&self, f: &Found, num: &Num) -> Option<Found> {
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
        // "65 or older", "16 and younger": an age bracket.
        if num.digits
            && self.is_any(j, &["or", "and"])
            && j + 1 < self.toks.len()
            && self.word(j + 1)
            && self.rules.age_comparatives.contains(&self.infos[j + 1].lower)
        {
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
    pub(super) fn share_units(&self, found: &mut [Found]) {
        for i in 1..found.len() {
            let (a, b) = (&found[i - 1], &found[i]);
            // "from 25 to 60 square kilometres"; the order of a revision, "to 60
            // square kilometres from 25"; and "60 square kilometres, up from 25".
            let from_to = a.start > 0 && self.is(a.start - 1, "from") && b.start == a.end + 1 && self.is(a.end, "to");
            let to_from = a.start > 0 && self.is(a.start - 1, "to") && b.start == a.end + 1 && self.is(a.end, "from");
            let then_from = b.start == a.end + 3 && self.is(a.end, ",") && self.is(b.start - 1, "from");
            if !(from_to || to_from || then_from) {
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

    /// "Net debt was 5.6 billion crowns, and analysts expect it to reach
    /// about 7 billion": a bare amount with a scale word and no noun, after
    /// an amount of money in its sentence, is in that money's currency (the
    /// unit left out, as business copy leaves it). Not a count with its own
    /// noun ("3 million customers"), nor one after a count of something.
    pub(super) fn share_elided_currency(&self, found: &mut [Found]) {
        for i in 1..found.len() {
            let f = &found[i];
            let scaled = f.num.1 > f.num.0 + 1
                && matches!(self.num_word(f.num.1 - 1), Some(crate::rules::NumWord::Scale(v)) if v >= 1e6);
            if f.dim != Dim::Count || f.head.is_some() || f.noun.is_some() || f.weak || !scaled {
                continue;
            }
            let Some(p) = (0..i).rev().find(|&p| found[p].dim != Dim::Date) else {
                continue;
            };
            if matches!(found[p].dim, Dim::Money(_)) {
                found[i].dim = found[p].dim;
            }
        }
    }

    /// "In the last 4 years ... as many as in the previous 12": a bare number
    /// after a definite span word (`span_words`: "previous", "next", "first")
    /// with its noun left out takes the measure of the nearest earlier
    /// measure in its sentence written the same way (a span word before its
    /// number), the phrase it leaves out. "Over 5 days ... the first 3 were
    /// freed" keeps its count.
    pub(super) fn share_elided_measure(&self, found: &mut [Found]) {
        let after_span_word =
            |at: usize| at >= 1 && self.word(at - 1) && self.rules.span_words.contains(&self.infos[at - 1].lower);
        for i in 1..found.len() {
            let f = &found[i];
            let elided = f.dim == Dim::Count
                && f.head.is_none_or(|h| h.inherited)
                && f.noun.is_none()
                && f.start >= 2
                && after_span_word(f.start)
                && self.is_any(f.start - 2, &["the", "its", "their", "his", "her", "our"]);
            if !elided {
                continue;
            }
            if let Some(p) = (0..i)
                .rev()
                .find(|&p| matches!(found[p].dim, Dim::Measure(_)) && after_span_word(found[p].num.0))
            {
                found[i].dim = found[p].dim;
                found[i].head = None;
            }
        }
    }

    /// The person an age belongs to, from the patterns that name them: "Liu,
    /// 32", "Karzai, a 44-year-old leader", "55-year-old Zhang Shuxia".
    pub(super) fn age_subject(&self, f: &Found, terms: &[Term]) -> Words {
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
    pub(super) fn finish(&self, f: Found, clauses: &[u8], terms: &[Term]) -> Figure {
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
            change: self.change_told(f.start, clause, clauses),
            earlier: self.told_earlier(f.start, f.end),
            rate: f.rate,
            period: None,
            scaled: f.scaled,
            measure: None,
        }
    }

    /// Whether the word right before a figure is the preposition of a
    /// change's earlier value ("from"), after a change word or its size, or
    /// before the preposition of the new value: "up from 12.5", "rose from
    /// 13.2", "fell by 2 from 9", "doubled its share, from 6.3 to 13" (not
    /// "from Monday", nor "came from 40 countries").
    fn told_earlier(&self, start: usize, end: usize) -> bool {
        use crate::rules::arithmetic::ArithWord;
        use crate::rules::revision::RevisionWord;
        const REACH: usize = 4;
        if start == 0 || self.revision_role(start - 1) != Some(RevisionWord::Earlier) {
            return false;
        }
        if self.revision_role(end) == Some(RevisionWord::Newer) {
            return true;
        }
        (start.saturating_sub(1 + REACH)..start - 1).any(|k| {
            self.change_word(k)
                || matches!(
                    self.rules.arithmetic.words.get(&self.infos[k].stem),
                    Some(ArithWord::RiseOfObject | ArithWord::FallOfObject)
                )
        })
    }

    /// The direction the change word right before a figure gives it, within
    /// its clause: "fell 13.5", "fell by 13.5", "a fall of 13.5", "up 35.1
    /// per cent", "added two seats". A preposition of the new or the earlier
    /// value ("rose to 21", "up from 25") makes it a level, and so does a
    /// content word of no change between ("rose in Ohio 5"): the change word
    /// is then another figure's.
    fn change_told(&self, start: usize, clause: u8, clauses: &[u8]) -> Direction {
        use crate::rules::arithmetic::ArithWord;
        use crate::rules::revision::RevisionWord;
        /// How many tokens before a figure its change word may stand.
        const REACH: usize = 2;
        for k in (start.saturating_sub(REACH)..start).rev() {
            if clauses.get(k) != Some(&clause) || self.toks[k].kind != TokenKind::Word {
                return Direction::Unsaid;
            }
            let info = &self.infos[k];
            match self.rules.arithmetic.words.get(&info.stem) {
                Some(ArithWord::Rise | ArithWord::RiseOfObject) => return Direction::Rise,
                Some(ArithWord::Fall | ArithWord::FallOfObject) => return Direction::Fall,
                _ => {}
            }
            if matches!(
                self.rules.revision.words.get(&info.stem),
                Some(RevisionWord::Newer | RevisionWord::Earlier)
            ) || !info.stop
            {
                return Direction::Unsaid;
            }
        }
        Direction::Unsaid
    }
}
