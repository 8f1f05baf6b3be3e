//! Quotations and who said them.
//!
//! [`quotations`] finds every top-level quotation in a text (the marks come
//! from `rules/quotes.toml`: straight, curly, guillemets; nested quotes stay
//! inside their quotation), splits it into the parts that must each match a
//! source (at ellipses and bracketed insertions), and finds its speaker:
//!
//! - after it: `"…," said X`, `"…," X said`, `"…," he said`;
//! - before it: `X said: "…"`, `X: "…"`, `X said the plan was "…"`;
//! - `according to X` anywhere in the sentence;
//! - a pronoun, or nothing, resolved to a speaker named earlier: the speaker of
//!   the previous quotation or the subject of a speech verb in an earlier
//!   sentence (`"A," he said. "B."`; `Liu spoke on Friday. "…," he said.`).
//!
//! Sources go through the same functions at check time, so a draft's speaker
//! and a source's speaker are read alike.

use std::ops::Range;

use rustc_hash::FxHashSet;

use super::names::{NameRun, lexicon_word, name_runs, normalize_word, sentence_starts};
use crate::rules::Rules;
use crate::text::{Token, TokenKind, tokenize, word_hash};

/// How a speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `"…," said X` or `"…," X said`.
    After,
    /// `X said: "…"`, `X said the plan was "…"`.
    Before,
    /// `X: "…"`, or a transcript line `X: …`.
    Colon,
    /// `according to X`.
    According,
    /// A pronoun, or no attribution, resolved to a speaker named earlier.
    Earlier,
}

/// Who said a quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// As written ("Pentagon spokeswoman Victori Clark", "the ministry").
    pub text: String,
    /// Where the attribution is, in the analysed text's bytes.
    pub span: Range<u32>,
    /// The capitalised words that identify the speaker, lowercased, titles and
    /// lexicon words left out. Empty for "police", "a spokesman".
    pub name: Vec<String>,
    pub how: How,
}

impl Speaker {
    /// Whether the speaker is named (not "a spokesman", not an unresolved "he").
    pub fn is_named(&self) -> bool {
        !self.name.is_empty()
    }
}

/// A quotation in text. Spans are byte ranges in the analysed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quotation {
    /// Marks included.
    pub span: Range<u32>,
    /// Between the marks (the whole text for a block quote).
    pub inner: Range<u32>,
    /// The quoted words, cut at ellipses and bracketed insertions: each part
    /// must match the source, in order.
    pub parts: Vec<Range<u32>>,
    /// Number of words quoted.
    pub words: usize,
    pub speaker: Option<Speaker>,
}

fn is_quote_char(rules: &Rules, s: &str) -> bool {
    rules.quotes.pairs.iter().any(|p| p.open == s || p.close == s)
}

/// Whether the mark at `i` can open a quotation: at the start, after space or
/// an opening bracket or dash, and glued to what follows.
fn can_open(text: &str, toks: &[Token], i: usize) -> bool {
    let before_ok = i == 0
        || toks[i].space_before
        || matches!(
            &text[toks[i - 1].range()],
            "(" | "[" | "—" | "–" | "-" | ":" | "\"" | "“" | "‘" | "«"
        );
    let after_ok = toks.get(i + 1).is_some_and(|n| !n.space_before);
    before_ok && after_ok
}

/// Whether the mark at `i` can close a quotation: glued to what precedes it.
fn can_close(toks: &[Token], i: usize) -> bool {
    !toks[i].space_before || toks.get(i + 1).is_none_or(|n| n.space_before)
}

/// Finds quotations (marks only, no speakers) as token ranges: (open, close), close
/// `None` when the text ends first.
fn find_marks(text: &str, toks: &[Token], rules: &Rules) -> Vec<(usize, Option<usize>)> {
    let pairs = &rules.quotes.pairs;
    let mut out = Vec::new();
    // (pair index, token index)
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Punct && t.kind != TokenKind::Symbol {
            continue;
        }
        let s = &text[t.range()];
        if !is_quote_char(rules, s) {
            continue;
        }
        // Close the innermost open quotation, or one further out (a nested
        // quote left open by mistake).
        if let Some(depth) = stack.iter().rposition(|&(p, _)| pairs[p].close == s)
            && can_close(toks, i)
        {
            let (_, open) = stack[depth];
            stack.truncate(depth);
            if stack.is_empty() {
                out.push((open, Some(i)));
            }
            continue;
        }
        if let Some(p) = pairs
            .iter()
            .position(|p| p.open == s && (!p.nested_only || !stack.is_empty()))
            && can_open(text, toks, i)
        {
            stack.push((p, i));
        }
    }
    if let Some(&(_, open)) = stack.first() {
        out.push((open, None));
    }
    out
}

/// Splits a quotation's tokens into parts at ellipses and bracketed insertions.
fn parts(text: &str, toks: &[Token], range: Range<usize>) -> Vec<Range<u32>> {
    let mut out = Vec::new();
    let mut cur: Option<Range<u32>> = None;
    let mut k = range.start;
    let mut flush = |cur: &mut Option<Range<u32>>| {
        if let Some(c) = cur.take() {
            out.push(c);
        }
    };
    while k < range.end {
        let t = toks[k];
        let s = &text[t.range()];
        if s == "…"
            || s == "." && (k + 2 < range.end) && &text[toks[k + 1].range()] == "." && &text[toks[k + 2].range()] == "."
        {
            flush(&mut cur);
            while k < range.end && matches!(&text[toks[k].range()], "." | "…") {
                k += 1;
            }
            continue;
        }
        if s == "[" {
            flush(&mut cur);
            while k < range.end && &text[toks[k].range()] != "]" {
                k += 1;
            }
            k += 1;
            continue;
        }
        if matches!(t.kind, TokenKind::Word | TokenKind::Number) {
            cur = Some(match cur {
                Some(c) => c.start..t.end,
                None => t.start..t.end,
            });
        }
        k += 1;
    }
    flush(&mut cur);
    out
}

/// The words of a text, normalised for comparing quotations: lowercase, curly
/// apostrophes straight, punctuation and quotation marks dropped, digit
/// separators dropped. Each with its byte range.
pub fn quote_words(text: &str) -> Vec<(String, Range<u32>)> {
    tokenize(text)
        .into_iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| {
            let s = &text[t.range()];
            let w = if t.kind == TokenKind::Number {
                s.replace(',', "")
            } else {
                normalize_word(s).trim_matches('\'').to_string()
            };
            (w, t.start..t.end)
        })
        .filter(|(w, _)| !w.is_empty())
        .collect()
}

/// Every top-level quotation of `text`, with its speaker. `earlier` is the
/// speaker named last before the text (in a previous paragraph), for
/// pronouns and unattributed quotations at its start.
pub fn quotations(text: &str, rules: &Rules, earlier: Option<&Speaker>) -> Vec<Quotation> {
    let toks = tokenize(text);
    let marks = find_marks(text, &toks, rules);
    let ctx = Ctx::new(text, &toks, rules);
    let mut out: Vec<Quotation> = Vec::new();
    let mut last: Option<Speaker> = earlier.cloned();
    for (open, close) in marks {
        let end = close.unwrap_or(toks.len());
        let inner_start = toks.get(open + 1).map_or(toks[open].end, |t| t.start);
        let inner_end = if end > open + 1 { toks[end - 1].end } else { inner_start };
        let ps = parts(text, &toks, open + 1..end);
        if ps.is_empty() {
            continue;
        }
        let words = toks[open + 1..end]
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .count();
        let span = toks[open].start..close.map_or(inner_end, |c| toks[c].end);
        let mut speaker = ctx.attribution(open, close);
        let pronoun = speaker.as_ref().is_some_and(|s| ctx.is_pronoun_text(&s.text));
        let earlier_named = ctx.earlier_speaker(open, &out, last.as_ref(), pronoun);
        match &speaker {
            Some(s) if s.is_named() => {}
            Some(s) if ctx.is_pronoun_text(&s.text) => {
                if let Some(e) = earlier_named {
                    speaker = Some(Speaker {
                        text: format!("{} ({})", s.text, e.text),
                        span: s.span.clone(),
                        name: e.name,
                        how: How::Earlier,
                    });
                }
            }
            Some(_) => {}
            // An unattributed quotation standing as its own sentence.
            None if open == ctx.sentence_start(open) => speaker = earlier_named,
            None => {}
        }
        if let Some(s) = &speaker
            && s.is_named()
        {
            last = Some(s.clone());
        }
        out.push(Quotation {
            span,
            inner: inner_start..inner_end,
            parts: ps,
            words,
            speaker,
        });
    }
    out
}

/// A whole block quote as one quotation (for block quotes without marks),
/// with a speaker from a trailing "— Name" line, or `earlier`.
pub fn block_quotation(text: &str, rules: &Rules, earlier: Option<&Speaker>) -> Option<Quotation> {
    let toks = tokenize(text);
    if toks.is_empty() {
        return None;
    }
    // A closing "— Name" (or "-- Name") signs the quotation.
    let dash = toks
        .iter()
        .rposition(|t| matches!(&text[t.range()], "—" | "―" | "–") || (&text[t.range()] == "-" && t.space_before));
    let ctx = Ctx::new(text, &toks, rules);
    let (body_end, speaker) = match dash {
        Some(d) if d > 0 && toks.len() - d <= 10 => {
            let runs = ctx.runs_in(d + 1..toks.len());
            let sp = runs.first().map(|r| ctx.speaker_of(r, How::After));
            (d, sp)
        }
        _ => (toks.len(), None),
    };
    let ps = parts(text, &toks, 0..body_end);
    if ps.is_empty() {
        return None;
    }
    let words = toks[..body_end]
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .count();
    let inner = toks[0].start..toks[body_end - 1].end;
    Some(Quotation {
        span: inner.clone(),
        inner,
        parts: ps,
        words,
        speaker: speaker.or_else(|| earlier.cloned()),
    })
}

/// The speaker named last in `text`: the subject of its last attribution, or
/// of its last speech verb. For carrying a speaker into the next paragraph.
pub fn last_speaker(text: &str, rules: &Rules) -> Option<Speaker> {
    let toks = tokenize(text);
    let ctx = Ctx::new(text, &toks, rules);
    let quotes = quotations(text, rules, None);
    let from_quotes = quotes
        .iter()
        .rev()
        .find_map(|q| q.speaker.clone().filter(Speaker::is_named));
    let from_verbs = ctx.speech_subject_before(toks.len(), 0);
    match (from_quotes, from_verbs) {
        (Some(a), Some(b)) => Some(if b.span.start > a.span.start { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Text, tokens and rules, with sentence starts and name runs worked out once.
struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    rules: &'a Rules,
    /// Start token of every sentence, ascending.
    sentence_starts: Vec<usize>,
    runs: Vec<NameRun>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str, toks: &'a [Token], rules: &'a Rules) -> Ctx<'a> {
        let starts: FxHashSet<usize> = sentence_starts(text, toks, rules);
        let mut sentence_starts: Vec<usize> = crate::text::sentences(text, toks, &rules.abbreviations)
            .into_iter()
            .map(|r| r.start)
            .collect();
        sentence_starts.sort_unstable();
        let runs = name_runs(text, toks, rules, &starts);
        Ctx {
            text,
            toks,
            rules,
            sentence_starts,
            runs,
        }
    }

    fn s(&self, i: usize) -> &'a str {
        &self.text[self.toks[i].range()]
    }

    fn lower(&self, i: usize) -> u64 {
        word_hash(&normalize_word(self.s(i)))
    }

    fn is_verb(&self, i: usize) -> bool {
        self.toks[i].kind == TokenKind::Word && self.rules.quotes.speech_verbs.contains(&self.lower(i))
    }

    fn is_pronoun(&self, i: usize) -> bool {
        self.toks[i].kind == TokenKind::Word && self.rules.quotes.pronouns.contains(&self.lower(i))
    }

    fn is_pronoun_text(&self, s: &str) -> bool {
        self.rules.quotes.pronouns.contains(&word_hash(&normalize_word(s)))
    }

    fn is_quote_mark(&self, i: usize) -> bool {
        is_quote_char(self.rules, self.s(i))
    }

    /// The first token of the sentence holding token `i`.
    fn sentence_start(&self, i: usize) -> usize {
        let k = self.sentence_starts.partition_point(|&s| s <= i);
        if k == 0 { 0 } else { self.sentence_starts[k - 1] }
    }

    /// The first token after the sentence holding token `i`.
    fn sentence_end(&self, i: usize) -> usize {
        let k = self.sentence_starts.partition_point(|&s| s <= i);
        self.sentence_starts.get(k).copied().unwrap_or(self.toks.len())
    }

    fn runs_in(&self, r: Range<usize>) -> Vec<&NameRun> {
        self.runs
            .iter()
            .filter(|n| n.toks.start >= r.start && n.toks.end <= r.end)
            .collect()
    }

    fn speaker_of(&self, run: &NameRun, how: How) -> Speaker {
        Speaker {
            text: run.words.join(" "),
            span: run.span.clone(),
            name: run.key_words(),
            how,
        }
    }

    /// A speaker from the words in `r` (a subject or an object of a speech
    /// verb): a name, a pronoun, or a description ("the ministry").
    fn phrase_speaker(&self, r: Range<usize>, how: How) -> Option<Speaker> {
        if r.is_empty() {
            return None;
        }
        if let Some(run) = self.runs_in(r.clone()).last() {
            return Some(self.speaker_of(run, how));
        }
        let words: Vec<usize> = r.clone().filter(|&i| self.toks[i].kind == TokenKind::Word).collect();
        let first = *words.first()?;
        if words.len() == 1 && self.is_pronoun(first) {
            return Some(Speaker {
                text: self.s(first).to_string(),
                span: self.toks[first].start..self.toks[first].end,
                name: Vec::new(),
                how,
            });
        }
        let a = self.toks[r.start].start;
        let b = self.toks[r.end - 1].end;
        // Capitalised words of a description ("the Ministry of Public Security").
        let name: Vec<String> = words
            .iter()
            .filter(|&&i| {
                let w = self.s(i);
                w.chars().next().is_some_and(char::is_uppercase)
                    && !lexicon_word(self.rules, &normalize_word(w))
                    && !self.rules.quotes.honorifics.contains(&self.lower(i))
            })
            .map(|&i| normalize_word(self.s(i)))
            .collect();
        Some(Speaker {
            text: self.text[a as usize..b as usize].to_string(),
            span: a..b,
            name,
            how,
        })
    }

    /// The end (exclusive) of a short phrase starting at `i`: up to
    /// punctuation, a quotation mark or a speech verb, at most `max` tokens.
    fn phrase_end(&self, i: usize, limit: usize, max: usize) -> usize {
        let mut j = i;
        while j < limit && j < i + max {
            let t = self.toks[j];
            if t.kind == TokenKind::Punct && !(self.s(j) == "." && j > 0 && self.s(j - 1).chars().count() == 1) {
                // A glued hyphen inside a name goes on.
                if self.s(j) != "-" || t.space_before {
                    break;
                }
            }
            if self.is_verb(j) {
                break;
            }
            j += 1;
        }
        j
    }

    /// The speaker of the quotation opened at token `open` and closed at `close`.
    fn attribution(&self, open: usize, close: Option<usize>) -> Option<Speaker> {
        // After: `"…," said X` / `"…," X said` / `"…" X told reporters`.
        if let Some(c) = close {
            let limit = self.sentence_end(c).max(c + 1);
            let mut j = c + 1;
            while j < limit && matches!(self.s(j), "," | "—" | "–") {
                j += 1;
            }
            if j < limit && !self.is_quote_mark(j) {
                if self.is_verb(j) {
                    let end = self.phrase_end(j + 1, limit, 10);
                    if let Some(s) = self.phrase_speaker(j + 1..end, How::After) {
                        return Some(s);
                    }
                } else {
                    let end = self.phrase_end(j, limit, 8);
                    if end < limit && self.is_verb(end) {
                        // Skip an appositive: `"…," Liu, a director, said`.
                        return self.phrase_speaker(j..end, How::After);
                    }
                }
            }
        }
        let start = self.sentence_start(open);
        // Colon: `X: "…"` / `X said: "…"`.
        if open > start && self.s(open - 1) == ":" {
            let before = open - 1;
            let mut a = before;
            while a > start && !matches!(self.toks[a - 1].kind, TokenKind::Punct) {
                a -= 1;
            }
            let words = a..before;
            if let Some(v) = words.clone().rev().find(|&i| self.is_verb(i)) {
                if let Some(s) = self.speech_subject(v, start) {
                    return Some(Speaker { how: How::Colon, ..s });
                }
            } else if before - a <= 5
                && let Some(s) = self.phrase_speaker(words.clone(), How::Colon)
            {
                return Some(s);
            } else if let Some(run) = self.runs_in(words).first() {
                // `X repeated the line: "…"`: the subject.
                return Some(self.speaker_of(run, How::Colon));
            }
        }
        // According to X, anywhere in the sentence.
        let end = close.map_or(self.toks.len(), |c| self.sentence_end(c.saturating_sub(1)));
        for i in start..end.min(self.toks.len()) {
            if i >= open && close.is_some_and(|c| i <= c) {
                continue;
            }
            let keys: Vec<u64> = (i..(i + 4).min(self.toks.len())).map(|k| self.lower(k)).collect();
            if let Some((n, ())) = self.rules.quotes.according.longest_prefix(&keys) {
                let from = i + n;
                let stop = self.phrase_end(from, end.min(self.toks.len()), 10);
                if let Some(s) = self.phrase_speaker(from..stop, How::According) {
                    return Some(s);
                }
            }
        }
        // Before, in the same sentence: `X said the plan was "…"`.
        self.speech_subject_before(open, start)
            .map(|s| Speaker { how: How::Before, ..s })
    }

    /// The subject of the last speech verb in `from..before` (or the name
    /// right after it: `said Liu,`).
    fn speech_subject_before(&self, before: usize, from: usize) -> Option<Speaker> {
        let mut i = before;
        while i > from {
            i -= 1;
            if self.is_quote_mark(i) {
                // Do not reach back across another quotation.
                return None;
            }
            if self.is_verb(i)
                && let Some(s) = self.speech_subject(i, self.sentence_start(i))
            {
                return Some(s);
            }
        }
        None
    }

    /// The subject of the speech verb at `v`: the phrase before it back to
    /// punctuation, or a name right after it.
    fn speech_subject(&self, v: usize, start: usize) -> Option<Speaker> {
        let mut a = v;
        while a > start && a + 8 > v {
            let t = self.toks[a - 1];
            let glued_hyphen = self.s(a - 1) == "-" && !t.space_before;
            if t.kind == TokenKind::Punct && !glued_hyphen && self.s(a - 1) != "." {
                break;
            }
            if self.is_verb(a - 1) {
                break;
            }
            a -= 1;
        }
        if a < v
            && let Some(s) = self.phrase_speaker(a..v, How::Before)
        {
            return Some(s);
        }
        // An appositive subject: `The premier, Mr Beattie, conceded`.
        if a == v && v > start + 1 && self.s(v - 1) == "," {
            let mut b = v - 1;
            while b > start && self.toks[b - 1].kind != TokenKind::Punct && b + 8 > v {
                b -= 1;
            }
            if let Some(run) = self.runs_in(b..v - 1).last() {
                return Some(self.speaker_of(run, How::Before));
            }
        }
        let end = self.phrase_end(v + 1, self.toks.len(), 8);
        let runs = self.runs_in(v + 1..end);
        runs.first().map(|r| self.speaker_of(r, How::Before))
    }

    /// The speaker a pronoun or an unattributed quotation at token `open`
    /// refers to: the speaker of the previous quotation, else the subject of a
    /// speech verb, else a person named (with two words or a title) in the
    /// three sentences before, else `carried` from an earlier paragraph.
    fn earlier_speaker(
        &self,
        open: usize,
        before: &[Quotation],
        carried: Option<&Speaker>,
        any_name: bool,
    ) -> Option<Speaker> {
        let start = self.sentence_start(open);
        let mut window_start = start;
        for _ in 0..3 {
            if window_start == 0 {
                break;
            }
            window_start = self.sentence_start(window_start - 1);
        }
        let prev_quote = before
            .iter()
            .rev()
            .find_map(|q| q.speaker.clone().filter(Speaker::is_named).map(|s| (q.span.start, s)));
        let by_verb = self
            .speech_subject_before(start, window_start)
            .filter(Speaker::is_named);
        let by_name = self
            .runs
            .iter()
            .rev()
            .filter(|r| {
                any_name && r.toks.end <= start && r.toks.start >= window_start && (r.words.len() >= 2 || r.titled)
            })
            .map(|r| self.speaker_of(r, How::Earlier))
            .next();
        let window_start_byte = self.toks.get(window_start).map_or(0, |t| t.start);
        let mut best: Option<Speaker> = None;
        for cand in [prev_quote.map(|(_, s)| s), by_verb, by_name].into_iter().flatten() {
            if cand.span.start < window_start_byte {
                continue;
            }
            if best.as_ref().is_none_or(|b| cand.span.start > b.span.start) {
                best = Some(cand);
            }
        }
        best.or_else(|| carried.cloned())
            .map(|s| Speaker { how: How::Earlier, ..s })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speakers(text: &str) -> Vec<(String, Option<String>)> {
        let rules = Rules::builtin();
        quotations(text, &rules, None)
            .into_iter()
            .map(|q| {
                (
                    q.parts
                        .iter()
                        .map(|p| &text[p.start as usize..p.end as usize])
                        .collect::<Vec<_>>()
                        .join(" | "),
                    q.speaker.filter(Speaker::is_named).map(|s| s.name.join(" ")),
                )
            })
            .collect()
    }

    fn one(text: &str) -> (String, Option<String>) {
        let v = speakers(text);
        assert_eq!(v.len(), 1, "{v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn said_after_the_quote() {
        assert_eq!(
            one("\"We will find them,\" said Pentagon spokeswoman Jane Ode."),
            ("We will find them".into(), Some("jane ode".into()))
        );
        assert_eq!(
            one("“We will find them,” Jane Ode said on Monday."),
            ("We will find them".into(), Some("jane ode".into()))
        );
    }

    #[test]
    fn said_before_the_quote_and_colons() {
        assert_eq!(
            one("Deputy director Liu Wen told reporters: \"They hide well.\""),
            ("They hide well".into(), Some("liu wen".into()))
        );
        assert_eq!(one("MARTA OSEI: \"Not today.\"").1, Some("marta osei".into()));
        assert_eq!(
            one("Mr Brandt said the plan was \"a folly\" from the start.").1,
            Some("brandt".into())
        );
    }

    #[test]
    fn according_to() {
        assert_eq!(
            one("The rings were \"spreading fast\", according to inspector Ruth Amsel.").1,
            Some("ruth amsel".into())
        );
    }

    #[test]
    fn pronouns_and_split_quotes_take_the_earlier_speaker() {
        let v = speakers("Tomas Reyes arrived late. \"The road was closed,\" he said, \"so we walked.\"");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].1, Some("tomas reyes".into()));
        assert_eq!(v[1].1, Some("tomas reyes".into()));
    }

    #[test]
    fn nested_quotes_stay_inside() {
        let v = speakers("\"He told me 'never again' and left,\" said Ana Lind.");
        assert_eq!(
            v,
            vec![("He told me 'never again' and left".into(), Some("ana lind".into()))]
        );
    }

    #[test]
    fn ellipses_and_brackets_cut_parts() {
        assert_eq!(
            one("\"The fires … are out [in the north] for now,\" said Ben Ash.").0,
            "The fires | are out | for now"
        );
        assert_eq!(one("\"One thing... another,\" said Ben Ash.").0, "One thing | another");
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let v = speakers("The farmers' union and rock 'n' roll fans met at Jo's.");
        assert!(v.is_empty(), "{v:?}");
    }

    #[test]
    fn normalised_words() {
        let w: Vec<String> = quote_words("“Don’t,” he said: 1,094 ‘Babies’!")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(w, vec!["don't", "he", "said", "1094", "babies"]);
    }
}
