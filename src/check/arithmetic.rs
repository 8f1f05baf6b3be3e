//! Arithmetic the draft states between its own figures: a percentage change
//! with its two values ("up 25 percent, from 8 to 12"), a difference ("45,
//! eight more than the 37"), a multiple ("40, twice as many as the 20"), a
//! share ("365 of the 1,094, about a third"), and parts with their total
//! ("82 people: 30 in Anhui, 25 in Hebei and 27 in Henan", or a list under a
//! paragraph that gives the total). Only relations the sentence or the list
//! states are read; a figure is checked at the precision it is written
//! ("25 percent" allows 24.5 to 25.5, "12.5 per cent" 12.45 to 12.55) and
//! under its qualifier ("about a third", "more than 40").
//!
//! The words are rules (`rules/arithmetic.toml`); the code knows the grammar:
//! "from ... to", "of the", "than", a colon before a list.

use std::ops::Range;

use super::{Checker, Code, Finding, Related, normalize_label};
use crate::extract::{Analyzer, Dim, Figure, Sentence, Value};
use crate::markdown::{Block, BlockKind, Document};
use crate::rules::Bound;
use crate::rules::arithmetic::ArithWord;

/// The unit dimension of shares written as percentages.
const RATIO: &str = "ratio";

/// One relation that does not compute.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// The derived figure (in the block's text).
    pub figure: Range<usize>,
    /// The figures it is derived from.
    pub from: Vec<Range<usize>>,
    /// The computation, and what the draft says instead.
    pub message: String,
}

/// The relations a sentence states, read: those that do not compute, and
/// the derived figures of those that do.
#[derive(Debug, Default)]
pub struct Relations {
    pub broken: Vec<Broken>,
    /// Derived figures whose relation computes (in the block's text): the
    /// draft's own arithmetic backs them, so they are not unsourced.
    pub held: Vec<Range<usize>>,
}

/// A figure's number, when it is one number.
fn num(f: &Figure) -> Option<f64> {
    match f.value {
        Value::Num { lo, hi } if lo == hi => Some(lo),
        _ => None,
    }
}

/// Half the last written digit's place: "25" → 0.5, "12.5" → 0.05.
fn written_half_unit(text: &str) -> f64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    match digits.split_once('.') {
        Some((_, dec)) if !dec.is_empty() => 0.5 * 10f64.powi(-(dec.len() as i32)),
        _ => 0.5,
    }
}

/// Whether `value` fits a figure stated as `stated` under its qualifier,
/// with `slack` either side for its precision.
fn fits(bound: Bound, stated: f64, value: f64, slack: f64) -> bool {
    let eps = 1e-9 * stated.abs().max(value.abs()).max(1.0);
    match bound {
        Bound::Exact => (value - stated).abs() <= slack + eps,
        Bound::Vague => true,
        _ => {
            let (lo, hi) = super::compare::interval(bound, stated, stated, false);
            value >= lo - slack - eps && value <= hi + slack + eps
        }
    }
}

fn fmt(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        let s = format!("{}", r.abs() as i64);
        // Thousands separators, as a newsroom writes them.
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if r < 0.0 { format!("-{out}") } else { out }
    } else {
        format!("{r}")
    }
}

/// Reads the relations one sentence states.
struct Reader<'a> {
    checker: &'a Checker<'a>,
    /// The block's text; figure spans index it.
    text: &'a str,
    figs: &'a [Figure],
}

impl Reader<'_> {
    fn word(&self, w: &str) -> Option<ArithWord> {
        self.checker
            .rules
            .arithmetic
            .words
            .get(&self.checker.rules.stem_hash(w))
            .copied()
    }

    /// The lowercase words of a stretch of the text.
    fn words(&self, r: Range<usize>) -> Vec<String> {
        let r = r.start.min(self.text.len())..r.end.min(self.text.len());
        if r.start >= r.end || !self.text.is_char_boundary(r.start) || !self.text.is_char_boundary(r.end) {
            return Vec::new();
        }
        self.text[r]
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    fn span(&self, f: &Figure) -> Range<usize> {
        f.span.start as usize..f.span.end as usize
    }

    fn num_text(&self, f: &Figure) -> &str {
        &self.text[f.num_span.start as usize..f.num_span.end as usize]
    }

    fn label(&self, f: &Figure) -> String {
        normalize_label(&self.text[self.span(f)])
    }

    /// The words before a figure's qualifier and number, up to the previous figure.
    fn before(&self, i: usize) -> Vec<String> {
        let start = if i == 0 { 0 } else { self.figs[i - 1].span.end as usize };
        let f = &self.figs[i];
        let end = f.qual_span.as_ref().map_or(f.num_span.start, |q| q.start) as usize;
        self.words(start..end)
    }

    /// The words between two figures (the second's qualifier included).
    fn between(&self, i: usize, j: usize) -> Vec<String> {
        self.words(self.figs[i].span.end as usize..self.figs[j].num_span.start as usize)
    }

    /// The words between two figures' numbers: what the reader took for the
    /// first one's noun ("six fewer", "three times") included.
    fn between_numbers(&self, i: usize, j: usize) -> Vec<String> {
        self.words(self.figs[i].num_span.end as usize..self.figs[j].num_span.start as usize)
    }

    /// The words before a figure's number, its qualifier included.
    fn before_number(&self, i: usize) -> Vec<String> {
        let start = if i == 0 { 0 } else { self.figs[i - 1].span.end as usize };
        self.words(start..self.figs[i].num_span.start as usize)
    }

    fn is_share(&self, f: &Figure) -> bool {
        match f.dim {
            Dim::Fraction => true,
            Dim::Measure(u) => self.checker.rules.units[u as usize].dimension == RATIO,
            _ => false,
        }
    }

    /// A share as a number between 0 and 1, with the slack its wording allows.
    fn share(&self, f: &Figure) -> Option<(f64, f64)> {
        let v = num(f)?;
        match f.dim {
            Dim::Fraction => Some((v, v * self.checker.rules.arithmetic.word_share_slack)),
            Dim::Measure(_) => Some((v / 100.0, written_half_unit(self.num_text(f)) / 100.0)),
            _ => None,
        }
    }

    /// Two counts (or amounts) of one kind of thing.
    fn same_kind(&self, a: &Figure, b: &Figure) -> bool {
        a.dim == b.dim
            && !self.is_share(a)
            && !matches!(a.dim, Dim::Date | Dim::Time | Dim::Ordinal | Dim::Score | Dim::Age)
            && (self
                .checker
                .relation(a, b, &[], &[])
                .is_some_and(|(w, confusable, factor)| !confusable && w >= 0.5 && factor == 1.0)
                // A noun carried over from the figure before is a guess.
                || a.noun.is_some_and(|n| n.inherited || n.class.is_none())
                || b.noun.is_some_and(|n| n.inherited || n.class.is_none()))
    }

    fn all(&self) -> Relations {
        let mut out = Relations::default();
        self.percent_change(&mut out);
        self.difference(&mut out);
        self.change_size(&mut out);
        self.multiple(&mut out);
        self.share_of(&mut out);
        self.parts(&mut out);
        out
    }

    /// The direction a word near a percentage gives: +1 up, -1 down.
    fn direction(&self, words: &[String]) -> Option<f64> {
        words.iter().rev().find_map(|w| match self.word(w) {
            Some(ArithWord::Rise | ArithWord::More) => Some(1.0),
            Some(ArithWord::Fall | ArithWord::Fewer) => Some(-1.0),
            _ => None,
        })
    }

    /// "up 25 percent, from 8 to 12"; "fell 12.5 per cent to 700 tonnes from
    /// 800 tonnes"; "12, up 50 percent from 8".
    fn percent_change(&self, out: &mut Relations) {
        for (p, pf) in self.figs.iter().enumerate() {
            if !self.is_share(pf) || pf.dim == Dim::Fraction {
                continue;
            }
            let Some(pv) = num(pf) else { continue };
            // The direction word stands just before the percentage or just after it.
            let before = self.before(p);
            let near: Vec<String> = before.iter().rev().take(3).rev().cloned().collect();
            let after_end = self
                .figs
                .get(p + 1)
                .map_or(self.text.len(), |g| g.num_span.start as usize);
            let after: Vec<String> = self
                .words(pf.span.end as usize..after_end)
                .into_iter()
                .take(2)
                .collect();
            let Some(dir) = self
                .direction(&near)
                .or_else(|| self.direction(&after[..after.len().min(1)]))
            else {
                continue;
            };
            let Some((a, b)) = self.change_ends(p) else { continue };
            let (Some(av), Some(bv)) = (num(&self.figs[a]), num(&self.figs[b])) else {
                continue;
            };
            if av == 0.0 {
                continue;
            }
            let change = (bv - av) / av * 100.0;
            let slack = written_half_unit(self.num_text(pf));
            if fits(pf.bound, pv, change * dir, slack) {
                out.held.push(self.span(pf));
                continue;
            }
            let word = if change >= 0.0 { "up" } else { "down" };
            out.broken.push(Broken {
                figure: self.span(pf),
                from: vec![self.span(&self.figs[a]), self.span(&self.figs[b])],
                message: format!(
                    "from {} to {} is {word} {} percent, not {}: ({} - {}) / {} = {:+.1}%",
                    fmt(av),
                    fmt(bv),
                    fmt(change.abs()),
                    self.label(pf),
                    fmt(bv),
                    fmt(av),
                    fmt(av),
                    change
                ),
            });
        }
    }

    /// The old and new values a change at figure `p` is between: "from A to
    /// B", "to B from A", or "B, up ... from A" (indices of `figs`).
    fn change_ends(&self, p: usize) -> Option<(usize, usize)> {
        for a in 0..self.figs.len() {
            for b in 0..self.figs.len() {
                if a == b || a == p || b == p || !self.same_kind(&self.figs[a], &self.figs[b]) {
                    continue;
                }
                let ok = if a < b {
                    // from A to B
                    self.before(a).last().is_some_and(|w| w == "from")
                        && self.between(a, b).last().is_some_and(|w| w == "to")
                } else {
                    // to B from A, or B ... from A
                    self.between(b, a).last().is_some_and(|w| w == "from")
                        && (self.before(b).last().is_some_and(|w| w == "to") || p > b && p < a)
                };
                if ok {
                    return Some((a, b));
                }
            }
        }
        None
    }

    /// The size of a change between two values the sentence gives: "cases
    /// rose from 48 to 112, an increase of 64", "fell by 30 to 120 from
    /// 150": B - A = ±N. The change word stands right before the size (with
    /// "of" or "by" between), so "rose from 48" reads no size.
    fn change_size(&self, out: &mut Relations) {
        for (n, nf) in self.figs.iter().enumerate() {
            if self.is_share(nf) || nf.dim == Dim::Fraction {
                continue;
            }
            let Some(nv) = num(nf) else { continue };
            let before = self.before(n);
            let mut near = before.iter().rev();
            let dir = match near.next().map(String::as_str) {
                Some("of" | "by") => near.next().and_then(|w| self.direction(std::slice::from_ref(w))),
                Some(w) => self.direction(&[w.to_string()]),
                None => None,
            };
            let Some(dir) = dir else { continue };
            let Some((a, b)) = self.change_ends(n) else { continue };
            let (af, bf) = (&self.figs[a], &self.figs[b]);
            if !self.same_kind(nf, af) {
                continue;
            }
            let (Some(av), Some(bv)) = (num(af), num(bf)) else {
                continue;
            };
            if fits(nf.bound, nv, (bv - av) * dir, 0.0) {
                out.held.push(self.span(nf));
                continue;
            }
            let word = if bv >= av { "up" } else { "down" };
            out.broken.push(Broken {
                figure: self.span(nf),
                from: vec![self.span(af), self.span(bf)],
                message: format!(
                    "from {} to {} is {word} {}, not {}: {} - {} = {}",
                    fmt(av),
                    fmt(bv),
                    fmt((bv - av).abs()),
                    self.label(nf),
                    fmt(bv),
                    fmt(av),
                    fmt(bv - av)
                ),
            });
        }
    }

    /// "45, eight more than the 37": X - Y = N.
    fn difference(&self, out: &mut Relations) {
        for n in 1..self.figs.len().saturating_sub(1) {
            let nf = &self.figs[n];
            let between = self.between_numbers(n, n + 1);
            let (Some(first), Some(&"than")) = (between.first(), between.get(1).map(String::as_str).as_ref()) else {
                continue;
            };
            let sign = match self.word(first) {
                Some(ArithWord::More) => 1.0,
                Some(ArithWord::Fewer) => -1.0,
                _ => continue,
            };
            let (x, y) = (&self.figs[n - 1], &self.figs[n + 1]);
            if !self.same_kind(x, y) || self.is_share(nf) || !matches!(nf.dim, Dim::Count) && nf.dim != x.dim {
                continue;
            }
            let (Some(xv), Some(yv), Some(nv)) = (num(x), num(y), num(nf)) else {
                continue;
            };
            let diff = (xv - yv) * sign;
            if fits(nf.bound, nv, diff, 0.0) {
                out.held.push(self.span(nf));
                continue;
            }
            let rel = if sign > 0.0 { "more" } else { "fewer" };
            out.broken.push(Broken {
                figure: self.span(nf),
                from: vec![self.span(x), self.span(y)],
                message: format!(
                    "{} is {} {rel} than {}, not {}: {} - {} = {}",
                    fmt(xv),
                    fmt(diff),
                    fmt(yv),
                    self.label(nf),
                    fmt(xv.max(yv)),
                    fmt(xv.min(yv)),
                    fmt((xv - yv).abs())
                ),
            });
        }
    }

    /// "40, twice as many as the 20"; "three times as many as".
    fn multiple(&self, out: &mut Relations) {
        for x in 0..self.figs.len() {
            for y in x + 1..self.figs.len() {
                let (xf, yf) = (&self.figs[x], &self.figs[y]);
                if !self.same_kind(xf, yf) {
                    continue;
                }
                let words = self.between(x, y);
                // The multiplier: a word, or a figure between them followed by "times".
                let mut k = words.iter().find_map(|w| match self.word(w) {
                    Some(ArithWord::Multiplier(k)) => Some(k),
                    _ => None,
                });
                let mut via = None;
                if k.is_none() && y == x + 2 {
                    let m = &self.figs[x + 1];
                    let after = self.between_numbers(x + 1, y);
                    if after.first().is_some_and(|w| self.word(w) == Some(ArithWord::Times)) {
                        k = num(m);
                        via = Some(self.span(m));
                    }
                }
                let Some(k) = k else { continue };
                // Only "as many as" / "the": the multiple compares the two figures.
                if !words.iter().any(|w| w == "as" || w == "the" || w == "than") {
                    continue;
                }
                let (Some(xv), Some(yv)) = (num(xf), num(yf)) else {
                    continue;
                };
                let expected = k * yv;
                let slack = super::compare::rounding_unit(xv) / 2.0
                    + expected.abs() * self.checker.rules.arithmetic.multiple_slack;
                if fits(xf.bound, xv, expected, slack) {
                    out.held.push(self.span(xf));
                    continue;
                }
                let mut from = vec![self.span(yf)];
                from.extend(via);
                out.broken.push(Broken {
                    figure: self.span(xf),
                    from,
                    message: format!("{} × {} = {}, not {}", fmt(k), fmt(yv), fmt(expected), self.label(xf)),
                });
            }
        }
    }

    /// "365 of the 1,094, about a third"; "a third of the 1,094 people, 365";
    /// "438, or 40 percent of the 1,094".
    fn share_of(&self, out: &mut Relations) {
        for s in 0..self.figs.len() {
            let sf = &self.figs[s];
            if !self.is_share(sf) {
                continue;
            }
            let Some((share, slack)) = self.share(sf) else { continue };
            // The whole: the figure after "of (the)".
            let whole = (s + 1 < self.figs.len())
                .then_some(s + 1)
                .filter(|&t| matches!(self.between(s, t).as_slice(), [o] | [o, _] if o == "of"));
            // The part, with the whole: "A of the T".
            let part_whole = (0..self.figs.len().saturating_sub(1)).find(|&a| {
                a != s && a + 1 != s && matches!(self.between(a, a + 1).as_slice(), [o] | [o, _] if o == "of")
            });
            let (part, total) = match (whole, part_whole) {
                (Some(t), _) => {
                    // The part stands right before or after "share of the whole".
                    let before = s.checked_sub(1).filter(|&a| {
                        let words = self.between(a, s);
                        words.len() <= 1 || self.share_verb(&words)
                    });
                    let after = (t + 1 < self.figs.len())
                        .then_some(t + 1)
                        .filter(|&a| self.between(t, a).is_empty());
                    match before.or(after) {
                        Some(a) => (a, t),
                        None => continue,
                    }
                }
                (None, Some(a)) if s == a + 2 || s + 1 == a => (a, a + 1),
                // "Of the 214 people on board, 153 survived, or 75 per cent":
                // the whole opens the sentence, the part and its share follow.
                (None, None) if s == 2 && matches!(self.before(0).as_slice(), [o] | [o, _] if o == "of") => (1, 0),
                _ => continue,
            };
            let (pf, tf) = (&self.figs[part], &self.figs[total]);
            if !(self.same_kind(pf, tf) || pf.noun.is_none() || tf.noun.is_none()) {
                continue;
            }
            if pf.dim != tf.dim || self.is_share(pf) || self.is_share(tf) {
                continue;
            }
            let (Some(pv), Some(tv)) = (num(pf), num(tf)) else {
                continue;
            };
            if tv == 0.0 || pv > tv {
                continue;
            }
            let actual = pv / tv;
            if fits(sf.bound, share, actual, slack) {
                out.held.push(self.span(sf));
                continue;
            }
            out.broken.push(Broken {
                figure: self.span(sf),
                from: vec![self.span(pf), self.span(tf)],
                message: format!(
                    "{} of {} is {} percent, not {}: {} / {} = {:.3}",
                    fmt(pv),
                    fmt(tv),
                    fmt(actual * 100.0),
                    self.label(sf),
                    fmt(pv),
                    fmt(tv),
                    actual
                ),
            });
        }
    }

    /// Whether words between a part and its share end in a verb that sets
    /// them equal ("amount to", "make up"), after at most one word of the
    /// part's noun phrase ("650 job cuts amount to").
    fn share_verb(&self, words: &[String]) -> bool {
        let rules = self.checker.rules;
        let stems: Vec<u64> = words.iter().map(|w| rules.stem_hash(w)).collect();
        rules
            .arithmetic
            .share_verbs
            .iter()
            .any(|v| stems.ends_with(v) && stems.len() <= v.len() + 1)
    }

    /// "82 people: 30 in Anhui, 25 in Hebei and 27 in Henan"; "30 in Anhui,
    /// 25 in Hebei and 27 in Henan, a total of 82".
    fn parts(&self, out: &mut Relations) {
        for t in 0..self.figs.len() {
            let tf = &self.figs[t];
            let Some(tv) = num(tf) else { continue };
            let colon_after = self.text[tf.span.end as usize..]
                .trim_start()
                .starts_with([':', '—', '–']);
            let marked_total = self
                .before_number(t)
                .iter()
                .any(|w| self.word(w) == Some(ArithWord::Total));
            let parts: Vec<usize> = if colon_after {
                (t + 1..self.figs.len())
                    .take_while(|&i| self.same_kind(tf, &self.figs[i]))
                    .collect()
            } else if marked_total {
                (0..t)
                    .rev()
                    .take_while(|&i| self.same_kind(tf, &self.figs[i]))
                    .collect()
            } else {
                continue;
            };
            if parts.len() < 2
                || parts
                    .iter()
                    .any(|&i| num(&self.figs[i]).is_none() || self.figs[i].bound != Bound::Exact)
            {
                continue;
            }
            let partial = self
                .words(tf.span.end as usize..self.figs[parts[0]].span.start as usize)
                .iter()
                .chain(self.before(t).iter())
                .any(|w| self.word(w) == Some(ArithWord::Partial));
            let mut parts = parts;
            parts.sort_unstable();
            let sum: f64 = parts.iter().filter_map(|&i| num(&self.figs[i])).sum();
            let ok = if partial {
                sum <= tv + 1e-9
            } else {
                fits(tf.bound, tv, sum, 0.0)
            };
            if ok {
                out.held.push(self.span(tf));
                continue;
            }
            let terms: Vec<String> = parts.iter().filter_map(|&i| num(&self.figs[i])).map(fmt).collect();
            out.broken.push(Broken {
                figure: self.span(tf),
                from: parts.iter().map(|&i| self.span(&self.figs[i])).collect(),
                message: format!(
                    "the parts add up to {}, not {}: {} = {}",
                    fmt(sum),
                    self.label(tf),
                    terms.join(" + "),
                    fmt(sum)
                ),
            });
        }
    }
}

/// The relations one analysed sentence states, read; figure spans index
/// `text`.
pub fn relations(checker: &Checker<'_>, text: &str, sentence: &Sentence) -> Relations {
    Reader {
        checker,
        text,
        figs: &sentence.figures,
    }
    .all()
}

impl Checker<'_> {
    fn arithmetic_finding(&self, doc: &Document, b: Broken, map: impl Fn(Range<usize>) -> Range<usize>) -> Finding {
        let related = b.from.iter().map(|r| ("computed from", map(r.clone())));
        self.arithmetic_mismatch(doc, map(b.figure.clone()), None, b.message, related)
    }

    /// The one shape of an arithmetic finding: the stated figure, what was
    /// computed, and the figures it was computed from (each named with `how`).
    fn arithmetic_mismatch<'t>(
        &self,
        doc: &Document,
        span: Range<usize>,
        value: Option<crate::extract::Value>,
        message: String,
        related: impl Iterator<Item = (&'t str, Range<usize>)>,
    ) -> Finding {
        let related = related
            .map(|(how, s)| Related {
                message: format!("{how} {}", normalize_label(&doc.text[s.clone()])),
                span: s,
            })
            .collect();
        Finding {
            code: Code::ArithmeticMismatch,
            severity: self.options.severity(Code::ArithmeticMismatch),
            text: doc.text[span.clone()].to_string(),
            span,
            value,
            message,
            replacement: None,
            passages: Vec::new(),
            versions: Vec::new(),
            suppressed: None,
            related,
        }
    }

    /// The arithmetic one sentence of a block states: a finding for each
    /// relation that does not compute, and the derived figures of those that
    /// do (block text spans), which the draft's own figures back.
    pub(super) fn check_arithmetic(
        &self,
        doc: &Document,
        block: &Block,
        sentence: &Sentence,
        out: &mut Vec<Finding>,
    ) -> Vec<Range<usize>> {
        let rel = relations(self, &block.text, sentence);
        for b in rel.broken {
            let map = |r: Range<usize>| block.map.range(r.start as u32..r.end as u32);
            out.push(self.arithmetic_finding(doc, b, map));
        }
        rel.held
    }

    /// A list under a paragraph that gives its total: "Police arrested 82
    /// people:" then one item per province, each opening with its figure.
    pub(super) fn list_arithmetic(&self, doc: &Document, blocks: &[crate::markdown::Block]) -> Vec<Finding> {
        let mut an = Analyzer::new(self.rules);
        let mut out = Vec::new();
        let mut i = 0;
        while i < blocks.len() {
            let b = &blocks[i];
            i += 1;
            if !matches!(b.kind, BlockKind::Paragraph) || !b.text.trim_end().ends_with(':') {
                continue;
            }
            let sentences = an.analyze(&b.text);
            let Some(last) = sentences.last() else { continue };
            let mut items = Vec::new();
            while i < blocks.len() && matches!(blocks[i].kind, BlockKind::ListItem) {
                items.push(&blocks[i]);
                i += 1;
            }
            // The total: the paragraph's last figure of the kind the first item counts.
            let first_item = items
                .first()
                .and_then(|it| an.analyze(&it.text).into_iter().next())
                .and_then(|s| s.figures.into_iter().next());
            let Some(first_item) = first_item else { continue };
            let kind = Reader {
                checker: self,
                text: &b.text,
                figs: &[],
            };
            let Some(tf) = last.figures.iter().rev().find(|f| kind.same_kind(f, &first_item)) else {
                continue;
            };
            let Some(tv) = num(tf) else { continue };
            let mut parts = Vec::new();
            let reader = Reader {
                checker: self,
                text: &b.text,
                figs: std::slice::from_ref(tf),
            };
            let partial = reader
                .words(0..b.text.len())
                .iter()
                .any(|w| reader.word(w) == Some(ArithWord::Partial));
            for item in &items {
                let first = an
                    .analyze(&item.text)
                    .into_iter()
                    .next()
                    .and_then(|s| s.figures.into_iter().next());
                match first {
                    Some(f)
                        if f.bound == Bound::Exact
                            && num(&f).is_some()
                            && f.dim == tf.dim
                            && item.text[..f.span.start as usize].trim().is_empty()
                            && (f.noun.is_none() || reader.same_kind(tf, &f)) =>
                    {
                        parts.push((item, f))
                    }
                    _ => break,
                }
            }
            if parts.len() < 2 || parts.len() != items.len() {
                continue;
            }
            let sum: f64 = parts.iter().filter_map(|(_, f)| num(f)).sum();
            let ok = if partial {
                sum <= tv + 1e-9
            } else {
                fits(tf.bound, tv, sum, 0.0)
            };
            if ok {
                continue;
            }
            let span = b.map.range(tf.span.clone());
            let terms: Vec<String> = parts.iter().filter_map(|(_, f)| num(f)).map(fmt).collect();
            let message = format!(
                "the list adds up to {}, not {}: {} = {}",
                fmt(sum),
                normalize_label(&doc.text[span.clone()]),
                terms.join(" + "),
                fmt(sum)
            );
            let related = parts
                .iter()
                .map(|(item, f)| ("listed:", item.map.range(f.span.clone())));
            out.push(self.arithmetic_mismatch(doc, span, Some(tf.value), message, related));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckOptions;
    use crate::index::Index;
    use crate::rules::Rules;

    /// The messages of the broken relations in each sentence of `text`.
    fn check(text: &str) -> Vec<String> {
        let rules = Rules::builtin();
        let index = Index::build(
            crate::corpus::Corpus {
                sources: Vec::new(),
                warnings: Vec::new(),
            },
            &rules,
        );
        let options = CheckOptions::default();
        let checker = Checker::new(&index, &rules, &options);
        let mut an = Analyzer::new(&rules);
        an.analyze(text)
            .iter()
            .flat_map(|s| relations(&checker, text, s).broken)
            .map(|b| format!("{}: {}", &text[b.figure.clone()], b.message))
            .collect()
    }

    #[test]
    fn percentage_change() {
        let out = check("The number of ships in the port rose 25 percent, from 8 to 12, officials said.");
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].contains("(12 - 8) / 8 = +50.0%"), "{out:?}");
        assert!(check("The number of ships in the port rose 50 percent, from 8 to 12.").is_empty());
        assert!(check("Exports fell 12.5 per cent to 700 tonnes from 800 tonnes.").is_empty());
        assert_eq!(
            check("Exports fell 20 per cent to 700 tonnes from 800 tonnes.").len(),
            1
        );
        // The wrong direction: the value went down, the draft says up.
        assert_eq!(
            check("Exports rose 12.5 per cent to 700 tonnes from 800 tonnes.").len(),
            1
        );
        // "about" widens as far as the number is round.
        assert!(check("Ships in port rose about 50 percent, from 80 to 123.").is_empty());
        assert_eq!(check("Ships in port rose about 50 percent, from 80 to 130.").len(), 1);
        // No direction word: nothing stated to compute.
        assert!(check("Of 8 ships, 25 percent were from 8 to 12 years old.").is_empty());
    }

    #[test]
    fn written_precision() {
        assert_eq!(written_half_unit("25"), 0.5);
        assert_eq!(written_half_unit("12.5"), 0.05);
        assert_eq!(written_half_unit("1,094"), 0.5);
        assert!(fits(Bound::Exact, 33.3, 33.33, 0.05));
        assert!(!fits(Bound::Exact, 33.3, 33.4, 0.05));
        assert!(fits(Bound::Over, 40.0, 45.0, 0.0));
        assert!(!fits(Bound::Over, 40.0, 38.0, 0.0));
    }

    #[test]
    fn difference() {
        let wrong = check("The holiday road toll reached 45, nine more than the 37 at the same stage last year.");
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(wrong[0].contains("45 - 37 = 8"), "{wrong:?}");
        assert!(
            check("The holiday road toll reached 45, eight more than the 37 at the same stage last year.").is_empty()
        );
        assert_eq!(
            check("The toll reached 29, six fewer than the 37 of last year.").len(),
            1
        );
        assert!(check("The toll reached 29, eight fewer than the 37 of last year.").is_empty());
    }

    #[test]
    fn multiple() {
        let wrong = check("Police freed 45 babies this year, twice as many as the 20 freed last year.");
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(wrong[0].contains("2 × 20 = 40"), "{wrong:?}");
        assert!(check("Police freed 40 babies this year, twice as many as the 20 freed last year.").is_empty());
        assert!(check("Police freed 60 babies, three times as many as the 20 freed last year.").is_empty());
        assert_eq!(
            check("Police freed 50 babies, three times as many as the 20 freed last year.").len(),
            1
        );
    }

    #[test]
    fn share() {
        assert_eq!(
            check("Of the 1,094 people arrested, 600, or 55 percent, were women.").len(),
            0
        );
        let wrong = check("Of the 1,094 people arrested, 600, or 33 percent, were women.");
        assert!(wrong.len() == 1 && wrong[0].contains("600 / 1,094"), "{wrong:?}");
        assert!(check("Of the 214 people on board, 153 survived, or 71 per cent.").is_empty());
        assert_eq!(
            check("Of the 214 people on board, 153 survived, or 75 per cent.").len(),
            1
        );
        // Not opened by "of": no whole to take the share of.
        assert!(check("By the 214th day, 153 survived, or 75 per cent.").is_empty());
        let wrong = check("Police arrested 1,094 people, 600 of them women, or 33 percent of the 1,094.");
        assert!(wrong.is_empty() || wrong[0].contains("/ 1,094"), "{wrong:?}");
        assert_eq!(check("A third of the 1,094 people, 600, were women.").len(), 1);
        assert!(check("A third of the 1,094 people, 365, were women.").is_empty());
        assert!(check("More than a third of the 1,094 people, 400, were women.").is_empty());
        assert!(check("Some 438 of the 1,094 people, 40 percent, were women.").is_empty());
        assert_eq!(check("Some 438 of the 1,094 people, 45 percent, were women.").len(), 1);
        // A verb that sets the part equal to the share.
        assert!(check("The 650 job cuts amount to 14 per cent of the 4,600 staff.").is_empty());
        assert_eq!(
            check("The 650 job cuts amount to 18 per cent of the 4,600 staff.").len(),
            1
        );
        assert_eq!(
            check("Women make up 40 per cent of the 2,000 workers, or 900.").len(),
            0
        );
        // Other words between them read no share.
        assert!(check("The 650 job cuts follow 18 per cent of the 4,600 staff leaving.").is_empty());
    }

    #[test]
    fn parts_and_total() {
        let wrong = check("Police arrested 80 people: 30 in Anhui, 25 in Hebei and 27 in Henan.");
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(wrong[0].contains("30 + 25 + 27 = 82"), "{wrong:?}");
        assert!(check("Police arrested 82 people: 30 in Anhui, 25 in Hebei and 27 in Henan.").is_empty());
        // Only some of them: the parts may add up to less.
        assert!(check("Police arrested 82 people, including 30 in Anhui and 25 in Hebei.").is_empty());
        assert!(check("Police arrested 80 people: among them 30 in Anhui and 25 in Hebei.").is_empty());
        assert_eq!(
            check("Police held 30 in Anhui, 25 in Hebei and 27 in Henan, a total of 80 people.").len(),
            1
        );
        assert!(check("Police held 30 in Anhui, 25 in Hebei and 27 in Henan, a total of 82 people.").is_empty());
    }
}
