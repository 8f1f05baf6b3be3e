//! The figure patterns: numbers in digits and words, qualifiers, ranges,
//! currencies, units, ages, dates and times, and the noun a number counts.
//!
//! Works on one sentence's tokens. Every pattern is driven by the rule tables;
//! the only words named here are the grammar that glues figures together
//! ("to", "and", "between", "of", "old").

mod assemble;
mod dates;
mod gapping;
mod measures;
mod money;
mod nouns;
mod numbers;
mod periods;
mod rates;
mod subjects;

use super::{Analyzer, DateVal, Dim, Figure, Info, Noun, Rate, Term, Value, Words};
use crate::rules::{Bound, Rules};
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
    let text_year = an.text_year;
    let mut found: Vec<Found> = Vec::new();
    // The last year the sentence has named, which anaphoric years count from.
    let mut named: Option<i32> = None;
    let mut i = 0;
    while i < toks.len() {
        if let Some(f) = text_year.and_then(|y| scan.relative_year(i, y, named)) {
            i = f.end;
            found.push(f);
            continue;
        }
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
                // "from 17 seats to 11": a change's earlier value is no
                // place, and its later value counts the same.
                let change_from =
                    |f: &Found| i >= 1 && f.end + 1 == i && scan.is(f.start - 1, "from") && scan.is(i - 1, "to");
                let antecedent = found.iter().rev().find(|f| {
                    f.dim == Dim::Count
                        && f.noun.is_some()
                        && (!f.locative || change_from(f))
                        && !scan.after_rate_word(f.start)
                });
                scan.figure(i, antecedent)
            });
        // "$300,000 a quarter" is a rate, not a fraction of anything.
        let hit = hit.filter(|f| {
            !(f.dim == Dim::Fraction
                && scan.is_any(f.start, &["a", "an"])
                && found.last().is_some_and(|p| p.end == f.start))
        });
        match hit {
            Some(mut f) => {
                if let (Dim::Date, Value::Date(DateVal { year: Some(y), .. })) = (f.dim, f.value) {
                    named = Some(y);
                }
                scan.take_rate(&mut f);
                i = f.end.max(i + 1);
                found.push(f);
            }
            None => i += 1,
        }
    }
    scan.share_units(&mut found);
    scan.share_gapped(&mut found);
    scan.share_elided_currency(&mut found);
    scan.share_elided_measure(&mut found);
    if let Some(rate) = scan.sentence_rate(&found) {
        for f in found.iter_mut().filter(|f| f.rate.is_none() && f.dim.is_quantity()) {
            f.rate = Some(rate);
        }
    }
    let mut figs: Vec<Figure> = found.into_iter().map(|f| scan.finish(f, clauses, terms)).collect();
    let mut marks: Vec<Mark<Option<i32>>> = figs
        .iter()
        .filter_map(|f| match f.value {
            Value::Date(DateVal { year: Some(y), .. }) if f.dim == Dim::Date => {
                let baseline = scan.is_baseline(f.toks.start as usize);
                Some(Mark {
                    at: f.toks.start,
                    clause: f.clause,
                    dates_back: baseline || scan.dates_back(f.toks.start as usize),
                    what: (!baseline).then_some(y),
                })
            }
            _ => None,
        })
        .collect();
    // Relative years ("last year") date what they stand by, but to a year only
    // the text's own date can tell: they stop a figure taking another clause's
    // year. An anaphoric one ("the following year") counts from the year the
    // sentence named before it. With the text's year known they are dates
    // already, marked above.
    if text_year.is_none() {
        let mut relative = Vec::new();
        let mut k = 0;
        while k < toks.len() {
            let Some((len, r)) = scan.relative_year_at(k) else {
                k += 1;
                continue;
            };
            let named = marks.iter().rev().find(|m| (m.at as usize) < k).and_then(|m| m.what);
            let year = named.filter(|_| r.anaphoric).map(|y| y + r.offset);
            relative.push(Mark {
                at: k as u16,
                clause: clauses[k.min(clauses.len() - 1)],
                dates_back: true,
                what: year,
            });
            k += len;
        }
        marks.extend(relative);
    }
    marks.sort_by_key(|m| m.at);
    assign_times(&mut figs, &marks);
    periods::assign_periods(&mut figs, &scan.period_marks(clauses));
    money::assign_measures(&mut figs, &scan.measure_marks(clauses));
    subjects::assign_subjects(&mut figs, terms, |i| i < toks.len() && scan.is_any(i, LOCATIVE));
    figs
}

/// Gives every figure that is not itself a date the year it is about.
///
/// A year written after figures in their clause ("revenue of 8.4 mln dlrs and
/// profit of 232,000 dlrs in 1986") dates them back to the previous year; a
/// year before them ("1986 revenue of ...", "In 1993, the deficit was ...")
/// dates what follows in its clause, and a year that opens the sentence dates
/// the sentence's later clauses too.
fn assign_times(figs: &mut [Figure], years: &[Mark<Option<i32>>]) {
    if years.is_empty() {
        return;
    }
    for f in figs.iter_mut().filter(|f| f.dim != Dim::Date) {
        f.time = nearest_mark(f, years).and_then(|&y| y);
    }
}

/// A year or a reporting period in a sentence, which dates the figures
/// around it.
#[derive(Debug, Clone, Copy)]
struct Mark<T> {
    /// Its first token.
    at: u16,
    clause: u8,
    /// Whether it dates a figure before it in its clause ("232,000 dlrs in
    /// 1986"), not only those after it.
    dates_back: bool,
    what: T,
}

/// The mark that a figure takes, as a year or a reporting period: the first
/// after it in its clause that dates back, else the nearest before it in its
/// clause, else the nearest before it in the sentence.
fn nearest_mark<'m, T>(f: &Figure, marks: &'m [Mark<T>]) -> Option<&'m T> {
    let at = f.toks.start;
    let after = marks
        .iter()
        .find(|m| m.at >= f.toks.end && m.clause == f.clause && m.dates_back);
    let before_same = marks.iter().rev().find(|m| m.at < at && m.clause == f.clause);
    let before_any = marks.iter().rev().find(|m| m.at < at);
    after.or(before_same).or(before_any).map(|m| &m.what)
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
    /// The rate's period or base ("a year", "a share"), read after the figure.
    rate: Option<Rate>,
    /// Digits times a scale word (see `Figure::scaled`).
    scaled: bool,
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
    /// Digits times a scale word ("4.2 million", "$70m"): rounded at the
    /// written precision by the convention of the form.
    scaled: bool,
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
const PREMODIFIERS: &[&str] = &["such", "other", "more", "further", "another", "additional", "new"];
/// Possessive determiners, by grammar (also read by `check::frame`).
pub(crate) const POSSESSIVES: &[&str] = &["their", "his", "her", "its", "our", "my", "your"];

impl<'a> Scan<'a> {
    /// The `[revision]` role of token `k` ("from", "to", "by", "revised"), if
    /// any; `None` past the end.
    pub(super) fn revision_role(&self, k: usize) -> Option<crate::rules::revision::RevisionWord> {
        self.infos
            .get(k)
            .and_then(|i| self.rules.revision.words.get(&i.stem))
            .copied()
    }

    /// Whether token `k` tells a change: a rise or fall word of the
    /// `[arithmetic]` rules ("rose", "cut") or a verb of revision ("revised").
    pub(super) fn change_word(&self, k: usize) -> bool {
        use crate::rules::arithmetic::ArithWord;
        use crate::rules::revision::RevisionWord;
        matches!(
            self.rules.arithmetic.words.get(&self.infos[k].stem),
            Some(ArithWord::Rise | ArithWord::Fall)
        ) || self.revision_role(k) == Some(RevisionWord::Change)
    }

    /// Whether the token before `start` opens a rate's denominator ("per
    /// 100,000 people"): such a figure lends no noun to the next.
    pub(super) fn after_rate_word(&self, start: usize) -> bool {
        start > 0 && self.rules.rate_words.contains(&self.infos[start - 1].lower)
    }

    /// A cheap test before the patterns: digits, a number word, a month, a
    /// vague quantity, "a"/"an"/"another"/"half"/"none"/"no", or a currency sign.
    pub(super) fn may_start_figure(&self, i: usize) -> bool {
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
                    || self.is_any(i, &["a", "an", "another", "half", "none", "no"])
            }
        }
    }

    pub(super) fn s(&self, i: usize) -> &'a str {
        &self.text[self.toks[i].range()]
    }

    pub(super) fn is(&self, i: usize, word: &str) -> bool {
        i < self.toks.len() && self.s(i).eq_ignore_ascii_case(word)
    }

    pub(super) fn is_any(&self, i: usize, words: &[&str]) -> bool {
        words.iter().any(|w| self.is(i, w))
    }

    pub(super) fn glued(&self, i: usize) -> bool {
        i < self.toks.len() && !self.toks[i].space_before
    }

    pub(super) fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub(super) fn is_hyphen(&self, i: usize) -> bool {
        i < self.toks.len() && matches!(self.s(i), "-" | "‐" | "‑")
    }

    pub(super) fn is_dash(&self, i: usize) -> bool {
        i < self.toks.len() && matches!(self.s(i), "-" | "‐" | "‑" | "–" | "—")
    }

    pub(super) fn word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    /// Every phrase of `table` in the sentence, longest first at each word,
    /// as a mark of its clause: `skip` passes over a match at a position
    /// ("three full years" is no reporting period), `dates_back` says whether
    /// the mark reaches a figure before it.
    pub(super) fn phrase_marks<T: Copy>(
        &self,
        table: &crate::rules::PhraseTable<T>,
        clauses: &[u8],
        skip: impl Fn(usize) -> bool,
        dates_back: impl Fn(usize) -> bool,
    ) -> Vec<Mark<T>> {
        if table.max_len() == 0 {
            return Vec::new();
        }
        let mut marks = Vec::new();
        let mut k = 0;
        while k < self.toks.len() {
            if self.word(k) && !skip(k) {
                let (keys, pos) = self.stems_from(k, table.max_len());
                if let Some((len, what)) = table.longest_prefix(&keys) {
                    marks.push(Mark {
                        at: k as u16,
                        clause: clauses[k.min(clauses.len() - 1)],
                        dates_back: dates_back(k),
                        what,
                    });
                    k = pos[len - 1] + 1;
                    continue;
                }
            }
            k += 1;
        }
        marks
    }

    /// Stems of tokens from `i`, skipping hyphens glued inside compounds, with the
    /// token index each came from.
    pub(super) fn stems_from(&self, i: usize, max: usize) -> (Vec<u64>, Vec<usize>) {
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
}

impl Num {
    pub(super) fn exact(start: usize, end: usize, v: f64) -> Num {
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
            scaled: false,
        }
    }

    pub(super) fn vague(start: usize, end: usize, lo: f64, hi: f64) -> Num {
        Num {
            vague: true,
            ..Num::exact(start, end, lo).with_hi(hi)
        }
    }

    pub(super) fn with_hi(mut self, hi: f64) -> Num {
        self.hi = hi;
        self
    }
}
