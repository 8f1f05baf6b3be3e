//! Quotations: word for word, and by the right speaker.
//!
//! For each quotation in a draft block, the fact index retrieves the source
//! sentences that share its content words (the same query the figures use:
//! term keys and value keys); each candidate and its neighbouring sentences
//! are aligned with the quotation word by word, normalised (lowercase,
//! punctuation and quotation marks dropped), each part of an elided quotation
//! after the previous one. The best fit decides:
//!
//! - word for word somewhere: backed (`supported`), unless every source that
//!   has it names another speaker than the draft (`quote-misattributed`);
//! - close (at least [`MIN_CLOSE_WORDS`] words in common, at most a third of
//!   the words changed, added or dropped): `quote-mismatch`, with the source
//!   wording and a replacement that restores it;
//! - nothing near, and at least [`MIN_UNSOURCED_WORDS`] words: `quote-unsourced`.
//!
//! Quotations of one or two words (scare quotes, "so-called" usage) are not
//! checked. The speaker of a source passage is read at check time from the
//! source text around it, with the same attribution rules as the draft.

use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::{Checker, Code, Finding, Passage};
use crate::extract::quotes::{Quotation, Speaker, block_quotation, quotations, quote_words};
use crate::extract::{Analyzer, names::normalize_word};
use crate::index::value_keys;
use crate::markdown::{Block, Document};

/// Quotations shorter than this are never checked (scare quotes, titles).
pub const MIN_CHECKED_WORDS: usize = 3;
/// A quotation must have this many words in common with a source passage to
/// be called a misquote of it.
pub const MIN_CLOSE_WORDS: usize = 3;
/// Quotations shorter than this are never called unsourced.
pub const MIN_UNSOURCED_WORDS: usize = 5;
/// Quotations longer than this are checked in pieces (see [`pieces`]).
pub const QUOTE_WINDOW: usize = 120;
/// Source sentences retrieved per quotation.
const RETRIEVE: usize = 20;
/// Sentences of context read before a matched source sentence to find its speaker.
const SPEAKER_CONTEXT: u32 = 5;
/// How far past the matched words (in bytes) the attribution of their
/// quotation is looked for, at most: a long paragraph's worth.
const SPEAKER_AFTER: usize = 1500;

type Words = Vec<(String, Range<u32>)>;

/// A quotation aligned with one source window.
#[derive(Debug, Clone)]
struct Fit {
    source: u32,
    /// The sentence the match starts in.
    sentence: u32,
    /// Window start in the source file's bytes.
    base: usize,
    /// Source words of the window (ranges relative to `base`).
    words: Words,
    /// Per part: the source words it matched and the diff ops.
    parts: Vec<(Range<usize>, Vec<DiffOp>)>,
    matched: usize,
    edits: usize,
}

impl Fit {
    /// The matched source bytes (file offsets).
    fn span(&self) -> Range<usize> {
        let first = self.parts.iter().find(|p| !p.0.is_empty());
        let last = self.parts.iter().rev().find(|p| !p.0.is_empty());
        match (first, last) {
            (Some(a), Some(b)) => {
                self.base + self.words[a.0.start].1.start as usize..self.base + self.words[b.0.end - 1].1.end as usize
            }
            _ => self.base..self.base,
        }
    }
}

/// The start of the best fit of `q` inside `w` (free ends in `w`), and its
/// edit distance. Equal cost prefers the shortest span, so a word the draft
/// adds at an end counts as added rather than as changed.
fn fit_span(q: &[&str], w: &[&str]) -> (Range<usize>, usize) {
    let (n, m) = (q.len(), w.len());
    // Row i of d: (cost, -matches) of q[..i] ending at w[..j]; of start: where
    // it began. Two rows at a time, so memory is linear in the window.
    let mut d = vec![(0usize, 0isize); m + 1];
    let mut start: Vec<usize> = (0..=m).collect();
    let (mut d2, mut start2) = (vec![(0usize, 0isize); m + 1], vec![0usize; m + 1]);
    for i in 1..=n {
        d2[0] = (i, 0);
        start2[0] = 0;
        for j in 1..=m {
            let same = q[i - 1] == w[j - 1];
            let (c, k) = d[j - 1];
            let sub = (c + usize::from(!same), k - isize::from(same));
            let del = (d[j].0 + 1, d[j].1);
            let ins = (d2[j - 1].0 + 1, d2[j - 1].1);
            // Prefer: a match or change, then dropping the draft word, then a source word.
            let sub_wins = if same { sub <= del } else { sub < del };
            let (c, s) = if sub_wins && sub <= ins {
                (sub, start[j - 1])
            } else if del <= ins {
                (del, start[j])
            } else {
                (ins, start2[j - 1])
            };
            d2[j] = c;
            start2[j] = s;
        }
        std::mem::swap(&mut d, &mut d2);
        std::mem::swap(&mut start, &mut start2);
    }
    let mut best = ((usize::MAX, 0isize), 0);
    for (j, &c) in d.iter().enumerate() {
        if c < best.0 {
            best = (c, j);
        }
    }
    let end = best.1;
    let s = start[end].min(end);
    (s..end, best.0.0)
}

/// The pieces a quotation is checked in. A quotation of more than
/// [`QUOTE_WINDOW`] words (a statement quoted whole) is cut at its sentence
/// ends, and a sentence longer than that at [`QUOTE_WINDOW`] words: each piece
/// is aligned with a source sentence and its neighbours, so checking costs in
/// proportion to the quotation, and a changed word is found in its sentence.
pub(super) fn pieces(text: &str, q: &Quotation) -> Vec<Quotation> {
    if q.words <= QUOTE_WINDOW {
        return vec![q.clone()];
    }
    // Every quoted word, with the part it is in.
    let words: Vec<(usize, Range<u32>)> = q
        .parts
        .iter()
        .enumerate()
        .flat_map(|(k, p)| {
            quote_words(&text[p.start as usize..p.end as usize])
                .into_iter()
                .map(move |(_, r)| (k, r.start + p.start..r.end + p.start))
        })
        .collect();
    let mut out = Vec::new();
    let mut from = 0;
    for (i, (_, r)) in words.iter().enumerate() {
        let len = i + 1 - from;
        let ends_sentence = words
            .get(i + 1)
            .is_none_or(|(_, n)| text[r.end as usize..n.start as usize].contains(['.', '?', '!']));
        if !(ends_sentence && len >= MIN_UNSOURCED_WORDS || len >= QUOTE_WINDOW || i + 1 == words.len()) {
            continue;
        }
        let piece = &words[from..=i];
        // The words of one part stay one part; an ellipsis still cuts.
        let mut parts: Vec<(usize, Range<u32>)> = Vec::new();
        for (k, r) in piece {
            match parts.last_mut() {
                Some((last, p)) if last == k => p.end = r.end,
                _ => parts.push((*k, r.clone())),
            }
        }
        let parts = parts.into_iter().map(|(_, r)| r).collect();
        let span = piece[0].1.start..piece[piece.len() - 1].1.end;
        out.push(Quotation {
            span: span.clone(),
            inner: span,
            parts,
            words: piece.len(),
            speaker: q.speaker.clone(),
        });
        from = i + 1;
    }
    out
}

fn edits_of(ops: &[DiffOp]) -> (usize, usize) {
    let mut matched = 0;
    let mut edits = 0;
    for op in ops {
        match *op {
            DiffOp::Equal { len, .. } => matched += len,
            DiffOp::Delete { old_len, .. } => edits += old_len,
            DiffOp::Insert { new_len, .. } => edits += new_len,
            DiffOp::Replace { old_len, new_len, .. } => edits += old_len.max(new_len),
        }
    }
    (matched, edits)
}

/// Whether two speakers are the same person: every word of the shorter name
/// matches a word of the longer (initials by their letter, a one-letter slip
/// in words of four letters or more), with at least one full word.
pub fn same_speaker(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return true;
    }
    let word_match = |x: &str, y: &str| {
        x == y
            || x.chars().count() == 1 && y.starts_with(x)
            || y.chars().count() == 1 && x.starts_with(y)
            || x.chars().count() >= 4 && y.chars().count() >= 4 && strsim::osa_distance(x, y) <= 1
    };
    short.iter().all(|x| long.iter().any(|y| word_match(x, y)))
        && short
            .iter()
            .any(|x| x.chars().count() > 1 && long.iter().any(|y| word_match(x, y)))
}

impl Checker<'_> {
    /// Checks the quotations of a block. `carried` is the speaker named last
    /// in the paragraphs before it.
    pub(super) fn check_quotes(
        &self,
        an: &mut Analyzer<'_>,
        doc: &Document,
        block: &Block,
        carried: Option<&Speaker>,
        out: &mut Vec<Finding>,
    ) {
        let mut quotes = quotations(&block.text, self.rules, carried);
        if quotes.is_empty()
            && block.quoted
            && let Some(q) = block_quotation(&block.text, self.rules, carried)
        {
            quotes.push(q);
        }
        for q in quotes.iter().flat_map(|q| pieces(&block.text, q)) {
            if q.words < MIN_CHECKED_WORDS {
                continue;
            }
            if let Some(f) = self.check_quote(an, doc, block, &q) {
                out.push(f);
            }
        }
    }

    fn check_quote(&self, an: &mut Analyzer<'_>, doc: &Document, block: &Block, q: &Quotation) -> Option<Finding> {
        let parts: Vec<Words> = q
            .parts
            .iter()
            .map(|p| {
                let text = &block.text[p.start as usize..p.end as usize];
                quote_words(text)
                    .into_iter()
                    .map(|(w, r)| (w, r.start + p.start..r.end + p.start))
                    .collect()
            })
            .filter(|w: &Words| !w.is_empty())
            .collect();
        let n: usize = parts.iter().map(Vec::len).sum();
        // The retrieval query: the quotation's content words and values.
        let mut query = Vec::new();
        for p in &q.parts {
            for s in an.analyze(&block.text[p.start as usize..p.end as usize]) {
                query.extend(s.terms.iter().map(|t| (t.key, 1.0)));
                for f in &s.figures {
                    query.extend(value_keys(f, self.rules).into_iter().map(|k| (k, 1.0)));
                }
            }
        }
        let retrieved = self.index.retrieve(&query, RETRIEVE);
        let mut fits: Vec<Fit> = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for (sid, _) in retrieved {
            let source = self.index.sentence(sid).source;
            if self.exclude == Some(source) {
                continue;
            }
            // The sentence with its neighbours: quotations run across sentences.
            let ids: Vec<u32> = std::iter::once(sid).chain(self.index.neighbors(sid)).collect();
            let a = ids.iter().map(|&i| self.index.sentence(i).span.start).min()? as usize;
            let b = ids.iter().map(|&i| self.index.sentence(i).span.end).max()? as usize;
            if !seen.insert((source, a)) {
                continue;
            }
            let text = self.index.source_text(source);
            let Some(window) = text.get(a..b) else { continue };
            let words = quote_words(window);
            if let Some(fit) = self.fit(&parts, words, source, a) {
                fits.push(fit);
            }
        }
        fits.sort_by_key(|f| (f.edits, std::cmp::Reverse(f.matched), f.source, f.base));
        let span = block.map.range(q.span.clone());
        let text = doc.text[span.clone()].to_string();
        let mut finding = Finding {
            code: Code::Supported,
            severity: self.options.severity(Code::Supported),
            span: span.clone(),
            text,
            value: None,
            message: String::new(),
            replacement: None,
            passages: Vec::new(),
            versions: Vec::new(),
            suppressed: None,
            related: Vec::new(),
        };
        let exact: Vec<&Fit> = fits.iter().filter(|f| f.edits == 0).collect();
        if !exact.is_empty() {
            // One passage per source.
            let mut per_source: Vec<&Fit> = Vec::new();
            for f in exact {
                if !per_source.iter().any(|g| g.source == f.source) {
                    per_source.push(f);
                }
            }
            let speakers: Vec<Option<Speaker>> = per_source.iter().map(|f| self.source_speaker(f)).collect();
            finding.passages = per_source
                .iter()
                .zip(&speakers)
                .take(5)
                .map(|(f, s)| self.quote_passage(f, s.as_ref()))
                .collect();
            let draft_speaker = q.speaker.as_ref().filter(|s| s.is_named());
            let all_named = speakers.iter().all(|s| s.as_ref().is_some_and(Speaker::is_named));
            if let Some(d) = draft_speaker
                && all_named
                && !speakers.iter().flatten().any(|s| same_speaker(&d.name, &s.name))
            {
                let who: Vec<String> = finding
                    .passages
                    .iter()
                    .map(|p| format!("{} ({})", p.speaker.as_deref().unwrap_or("?"), p.key))
                    .collect();
                finding.code = Code::QuoteMisattributed;
                finding.message = format!(
                    "the sources give this quotation to {}, not {}",
                    who.join(" and "),
                    d.text
                );
            } else {
                finding.message = format!("quoted word for word from {}", finding.source_keys().join(", "));
            }
            finding.severity = self.options.severity(finding.code);
            return Some(finding);
        }
        let best = fits.first();
        let close =
            best.is_some_and(|f| f.matched >= MIN_CLOSE_WORDS && f.edits * 3 <= n.max(3) && f.matched * 5 >= n * 3);
        if close {
            let f = best?;
            let speaker = self.source_speaker(f);
            let p = self.quote_passage(f, speaker.as_ref());
            finding.code = Code::QuoteMismatch;
            finding.message = format!(
                "the quotation differs from {}: {}; the source reads \"{}\"",
                p.key,
                self.describe(&parts, f),
                self.marked_source(f)
            );
            finding.replacement = self.quote_replacement(doc, block, q, &parts, f);
            finding.passages = vec![p];
        } else {
            let near = best.is_some_and(|f| f.matched >= 2 && f.matched * 2 >= n);
            if near || n < MIN_UNSOURCED_WORDS {
                return None;
            }
            finding.code = Code::QuoteUnsourced;
            finding.message = "no source has this quotation or anything close to it".to_string();
        }
        finding.severity = self.options.severity(finding.code);
        Some(finding)
    }

    /// Aligns the parts of a quotation, in order, inside a source window.
    fn fit(&self, parts: &[Words], words: Words, source: u32, base: usize) -> Option<Fit> {
        let w: Vec<&str> = words.iter().map(|x| x.0.as_str()).collect();
        let mut from = 0;
        let mut out = Vec::new();
        let (mut matched, mut edits) = (0, 0);
        for p in parts {
            let q: Vec<&str> = p.iter().map(|x| x.0.as_str()).collect();
            let (span, _) = fit_span(&q, &w[from..]);
            let span = span.start + from..span.end + from;
            let ops = capture_diff_slices(Algorithm::Myers, &q, &w[span.clone()]);
            let (m, e) = edits_of(&ops);
            matched += m;
            edits += e;
            from = span.end;
            out.push((span, ops));
        }
        if matched == 0 {
            return None;
        }
        let first = out.iter().find(|p| !p.0.is_empty())?.0.start;
        let start_byte = base + words[first].1.start as usize;
        let sentence = self
            .index
            .source_sentences(source)
            .find(|(_, s)| s.span.start as usize <= start_byte && start_byte < s.span.end as usize)
            .map_or(0, |(id, _)| id);
        Some(Fit {
            source,
            sentence,
            base,
            words,
            parts: out,
            matched,
            edits,
        })
    }

    /// Who the source says spoke the matched words: the speaker of the
    /// quotation around them (read from the sentences before), a transcript
    /// `NAME:` line, or the subject of a speech verb in the sentence.
    fn source_speaker(&self, f: &Fit) -> Option<Speaker> {
        let first = self
            .index
            .source_sentences(f.source)
            .next()
            .map_or(f.sentence, |(id, _)| id);
        let from = f.sentence.saturating_sub(SPEAKER_CONTEXT).max(first);
        let a = self.index.sentence(from).span.start as usize;
        let span = f.span();
        let text = self.index.source_text(f.source);
        // To the end of the paragraph (a wire wraps its lines, and a quotation
        // of two sentences names its speaker after the second), within a
        // bound so a source without blank lines is not read whole.
        let rest = &text[span.end..];
        let mut after = rest.find("\n\n").unwrap_or(rest.len()).min(SPEAKER_AFTER);
        while !rest.is_char_boundary(after) {
            after -= 1;
        }
        let b = (span.end + after).max(self.index.sentence(f.sentence).span.end as usize);
        // Read the window whole, so a quotation opened in an earlier sentence is seen.
        let window = text.get(a..b)?;
        let rel = span.start - a..span.end - a;
        if let Some(q) = quotations(window, self.rules, None)
            .into_iter()
            .find(|q| q.span.start as usize <= rel.start && rel.end <= q.span.end as usize)
        {
            return q.speaker;
        }
        // A transcript line: "NAME: words".
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..span.start];
        if let Some((who, _)) = line.split_once(':')
            && who.len() <= 40
            && who.split_whitespace().count() <= 4
            && who.chars().next().is_some_and(char::is_uppercase)
        {
            let name: Vec<String> = who.split_whitespace().map(normalize_word).collect();
            return Some(Speaker {
                text: who.trim().to_string(),
                span: line_start as u32..(line_start + who.len()) as u32,
                name,
                how: crate::extract::quotes::How::Colon,
            });
        }
        let s = self.index.sentence(f.sentence);
        crate::extract::quotes::last_speaker(text.get(s.span.start as usize..s.span.end as usize)?, self.rules)
    }

    fn quote_passage(&self, f: &Fit, speaker: Option<&Speaker>) -> Passage {
        let src = self.index.source(f.source);
        let body = self.index.source_text(f.source);
        let figure = f.span();
        let s = self.index.sentence(f.sentence);
        let last = self
            .index
            .source_sentences(f.source)
            .filter(|(_, r)| (r.span.start as usize) < figure.end)
            .last()
            .map_or(s.span.end, |(_, r)| r.span.end);
        let span = (s.span.start as usize).min(figure.start)..(last as usize).max(figure.end);
        let lc = crate::text::LineIndex::new(&body).line_col(&body, span.start);
        let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        Passage {
            source: f.source,
            key: src.key.clone(),
            title: src.title.clone(),
            path: src.path.clone(),
            text: squash(&body[span.clone()]),
            figure_text: squash(&body[figure.clone()]),
            span,
            figure,
            line: lc.line,
            column: lc.column,
            speaker: speaker.filter(|s| s.is_named()).map(|s| s.text.clone()),
            locator: s.locator,
        }
    }

    /// What differs, in words: `"working" for "operating"; drops "not"; adds "now"`.
    fn describe(&self, parts: &[Words], f: &Fit) -> String {
        let mut out = Vec::new();
        let q = |p: &Words, r: Range<usize>| p[r].iter().map(|x| x.0.as_str()).collect::<Vec<_>>().join(" ");
        for (p, (span, ops)) in parts.iter().zip(&f.parts) {
            let src = &f.words[span.clone()];
            let s = |r: Range<usize>| src[r].iter().map(|x| x.0.as_str()).collect::<Vec<_>>().join(" ");
            for op in ops {
                match *op {
                    DiffOp::Equal { .. } => {}
                    DiffOp::Delete { old_index, old_len, .. } => {
                        out.push(format!("adds \"{}\"", q(p, old_index..old_index + old_len)))
                    }
                    DiffOp::Insert { new_index, new_len, .. } => {
                        out.push(format!("drops \"{}\"", s(new_index..new_index + new_len)))
                    }
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    } => out.push(format!(
                        "\"{}\" for \"{}\"",
                        q(p, old_index..old_index + old_len),
                        s(new_index..new_index + new_len)
                    )),
                }
            }
        }
        out.join("; ")
    }

    /// The source's wording of the matched span, the words the draft changed
    /// or dropped between «guillemets».
    fn marked_source(&self, f: &Fit) -> String {
        let text = self.index.source_text(f.source);
        let mut out = String::new();
        for (span, ops) in &f.parts {
            if span.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push_str(" … ");
            }
            let mut changed = vec![false; span.len()];
            for op in ops {
                if let DiffOp::Insert { new_index, new_len, .. } | DiffOp::Replace { new_index, new_len, .. } = *op {
                    changed[new_index..new_index + new_len]
                        .iter_mut()
                        .for_each(|c| *c = true);
                }
            }
            for (k, i) in span.clone().enumerate() {
                let r = &f.words[i].1;
                if k > 0 {
                    let prev = f.words[i - 1].1.end as usize;
                    let gap = &text[f.base + prev..f.base + r.start as usize];
                    out.push_str(&gap.split_whitespace().collect::<Vec<_>>().join(" "));
                    if gap.chars().last().is_some_and(char::is_whitespace) {
                        out.push(' ');
                    }
                }
                let w = &text[f.base + r.start as usize..f.base + r.end as usize];
                if changed[k] {
                    out.push('«');
                    out.push_str(w);
                    out.push('»');
                } else {
                    out.push_str(w);
                }
            }
        }
        out
    }

    /// The draft's quotation with the source's words put back. `None` when
    /// the quotation's text has Markdown inside (it would not map byte for byte).
    fn quote_replacement(
        &self,
        doc: &Document,
        block: &Block,
        q: &Quotation,
        parts: &[Words],
        f: &Fit,
    ) -> Option<String> {
        let file = block.map.range(q.span.clone());
        let plain = &block.text[q.span.start as usize..q.span.end as usize];
        if &doc.text[file] != plain {
            return None;
        }
        let src = self.index.source_text(f.source);
        let base = q.span.start as usize;
        let stext = |ws: &Words, r: Range<usize>| {
            let a = f.base + ws[r.start].1.start as usize;
            let b = f.base + ws[r.end - 1].1.end as usize;
            src[a..b].split_whitespace().collect::<Vec<_>>().join(" ")
        };
        // Edits as (draft byte range relative to the quotation, new text), applied from the end.
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        for (p, (span, ops)) in parts.iter().zip(&f.parts) {
            let src_words: Words = f.words[span.clone()].to_vec();
            let at = |i: usize| p[i].1.start as usize - base;
            let end = |i: usize| p[i].1.end as usize - base;
            for op in ops {
                match *op {
                    DiffOp::Equal { .. } => {}
                    DiffOp::Delete { old_index, old_len, .. } => {
                        let (a, b) = (at(old_index), end(old_index + old_len - 1));
                        // Take the space before with it (or after, at the start).
                        let (a, b) = if old_index > 0 {
                            (end(old_index - 1), b)
                        } else if old_index + old_len < p.len() {
                            (a, at(old_index + old_len))
                        } else {
                            (a, b)
                        };
                        edits.push((a..b, String::new()));
                    }
                    DiffOp::Insert {
                        old_index,
                        new_index,
                        new_len,
                    } => {
                        let words = stext(&src_words, new_index..new_index + new_len);
                        if old_index < p.len() {
                            edits.push((at(old_index)..at(old_index), format!("{words} ")));
                        } else {
                            let e = end(p.len() - 1);
                            edits.push((e..e, format!(" {words}")));
                        }
                    }
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    } => {
                        let words = stext(&src_words, new_index..new_index + new_len);
                        edits.push((at(old_index)..end(old_index + old_len - 1), words));
                    }
                }
            }
        }
        edits.sort_by_key(|e| std::cmp::Reverse((e.0.start, e.0.end)));
        let mut out = plain.to_string();
        for (r, new) in edits {
            if r.end > out.len() || !out.is_char_boundary(r.start) || !out.is_char_boundary(r.end) {
                return None;
            }
            out.replace_range(r, &new);
        }
        (out != plain).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_finds_the_quoted_span() {
        let w = ["police", "said", "they", "are", "operating", "in", "secrecy", "today"];
        let (span, cost) = fit_span(&["they", "are", "working", "in", "secrecy"], &w);
        assert_eq!((span, cost), (2..7, 1));
        let (span, cost) = fit_span(&["operating", "in", "secrecy", "now"], &w[..7]);
        assert_eq!((span, cost), (4..7, 1));
        let (span, cost) = fit_span(&["are", "in", "secrecy"], &w);
        assert_eq!((span, cost), (3..7, 1));
    }

    #[test]
    fn speakers_compare_by_name_words() {
        let v = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(same_speaker(&v("liu ancheng"), &v("ancheng liu")));
        assert!(same_speaker(&v("liu"), &v("liu ancheng")));
        assert!(same_speaker(&v("j smith"), &v("john smith")));
        assert!(same_speaker(&v("victoria clark"), &v("victori clark")));
        assert!(!same_speaker(&v("bob brown"), &v("bob carr")));
        assert!(!same_speaker(&v("zhang"), &v("liu ancheng")));
    }
}
