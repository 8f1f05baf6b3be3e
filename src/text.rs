//! Plain text primitives: the lexer, word hashing, sentence splitting and line
//! indexes.
//!
//! Everything here works on byte offsets into one `&str`. Callers that read
//! Markdown map those offsets back to the original file (see `markdown`).

use std::ops::Range;

/// A stable 64-bit hash of a word. Stable across runs and versions (xxh3), so
/// rule tables, the in-memory index and a persisted index agree on keys.
pub fn word_hash(word: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(word.as_bytes())
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and digits after a letter): "babies", "MH370", "Shaanxi".
    Word,
    /// ASCII digits with internal separators: "1,094", "1.2", "6000".
    Number,
    /// Currency signs and `%`, `+`, `°`, `/`, `&`.
    Symbol,
    /// Any other single non-space character.
    Punct,
}

/// One token: a byte range in the lexed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: TokenKind,
    /// Whether whitespace comes right before it ("six-month": no space before "-").
    pub space_before: bool,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

fn is_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '£' | '€' | '¥' | '₹' | '₽' | '₩' | '₪' | '₫' | '฿' | '₱' | '¢' | '%' | '+' | '°' | '/' | '&'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

/// Combining marks (U+0300..U+036F and friends) stay inside the word they mark.
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Splits text into tokens. An iterator so rule phrases and documents share it.
pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Lexer<'a> {
        Lexer { text, pos: 0 }
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let mut space_before = self.pos == 0;
        // Skip whitespace.
        let rest = &self.text[self.pos..];
        let trimmed = rest.trim_start();
        if trimmed.len() != rest.len() {
            space_before = true;
            self.pos += rest.len() - trimmed.len();
        }
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let mut chars = self.text[start..].char_indices();
        let (_, c) = chars.next()?;
        let kind;
        if c.is_ascii_digit() {
            kind = TokenKind::Number;
            let mut end = start + 1;
            loop {
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                // A separator counts only between digits: "1,094" but not "1,094."
                if end + 1 < bytes.len()
                    && (bytes[end] == b',' || bytes[end] == b'.')
                    && bytes[end + 1].is_ascii_digit()
                {
                    end += 1;
                    continue;
                }
                break;
            }
            self.pos = end;
        } else if c.is_alphabetic() {
            kind = TokenKind::Word;
            let mut end = start + c.len_utf8();
            let mut it = self.text[end..].chars().peekable();
            while let Some(&ch) = it.peek() {
                if is_word_char(ch) {
                    end += ch.len_utf8();
                    it.next();
                } else if is_apostrophe(ch) {
                    // An apostrophe inside a word ("don't", "O'Brien") stays; a
                    // possessive "'s" at the end is its own token.
                    let after = &self.text[end + ch.len_utf8()..];
                    let mut ac = after.chars();
                    match (ac.next(), ac.next()) {
                        (Some(n), next2) if n.is_alphabetic() => {
                            let possessive = (n == 's' || n == 'S') && !next2.is_some_and(is_word_char);
                            if possessive {
                                break;
                            }
                            end += ch.len_utf8();
                            it.next();
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            self.pos = end;
        } else if is_apostrophe(c)
            && self.text[start + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|n| n == 's' || n == 'S')
            && !self.text[start + c.len_utf8() + 1..]
                .chars()
                .next()
                .is_some_and(is_word_char)
            && !space_before
        {
            // Possessive "'s" glued to the previous word.
            kind = TokenKind::Word;
            self.pos = start + c.len_utf8() + 1;
        } else {
            kind = if is_symbol(c) {
                TokenKind::Symbol
            } else if is_combining(c) {
                TokenKind::Word
            } else {
                TokenKind::Punct
            };
            self.pos = start + c.len_utf8();
        }
        Some(Token {
            start: start as u32,
            end: self.pos as u32,
            kind,
            space_before,
        })
    }
}

/// Lexes a whole text.
pub fn tokenize(text: &str) -> Vec<Token> {
    Lexer::new(text).collect()
}

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "”" | "’" | "'" | ")" | "]" | "»")
}

/// Abbreviations written with a full stop, by where they stand in a phrase,
/// which decides whether that stop can end a sentence.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    /// Before what they qualify ("Dr. Smith", "No. 10", "U.S. troops"): the
    /// stop never ends a sentence.
    pub leading: rustc_hash::FxHashSet<String>,
    /// After a name ("Sealy Inc.", "Martin Jr."): the phrase is closed, so a
    /// capitalised word after the stop starts a new sentence, unless it is
    /// itself one of these ("Dow Jones & Co. Inc."). After a lowercase word
    /// the stop ends nothing ("in Co. Cork", "shops etc. in Leeds").
    pub trailing: rustc_hash::FxHashSet<String>,
}

/// Splits tokens into sentences; returns token index ranges.
///
/// A sentence ends at `.`, `!`, `?` or `…` (plus closing quotes and brackets)
/// followed by a token that starts a sentence: a capital letter, a digit or an
/// opening quote. A full stop after an initial ("L. Hunt", "U.S.") or a
/// leading abbreviation ("Mr.", "Gen.") ends nothing; after a trailing one
/// ("Inc.") it ends the sentence before a capitalised word.
pub fn sentences(text: &str, tokens: &[Token], abbreviations: &Abbreviations) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let s = &text[t.range()];
        let terminal = t.kind == TokenKind::Punct && matches!(s, "." | "!" | "?" | "…");
        if terminal {
            if s == "." && i > 0 {
                let prev = tokens[i - 1];
                let p = &text[prev.range()];
                let glued = !t.space_before;
                let initial = p.chars().count() == 1 && p.chars().all(|c| c.is_uppercase());
                if glued && prev.kind == TokenKind::Word {
                    let lower = p.to_lowercase();
                    let trailing = abbreviations.trailing.contains(&lower);
                    // A suffix trails a name ("Sealy Inc."): after a lowercase
                    // word the abbreviation leads one instead ("in Co. Cork").
                    let after_name = i >= 2
                        && tokens[i - 2].kind == TokenKind::Word
                        && text[tokens[i - 2].range()]
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase);
                    let closes = trailing
                        && after_name
                        && tokens.get(i + 1).is_some_and(|n| {
                            let w = &text[n.range()];
                            n.space_before
                                && n.kind == TokenKind::Word
                                && w.chars().next().is_some_and(char::is_uppercase)
                                && !abbreviations.trailing.contains(&w.to_lowercase())
                        });
                    if !closes && (initial || trailing || abbreviations.leading.contains(&lower)) {
                        i += 1;
                        continue;
                    }
                }
            }
            let mut end = i + 1;
            while end < tokens.len()
                && !tokens[end].space_before
                && (is_closer(&text[tokens[end].range()]) || matches!(&text[tokens[end].range()], "." | "!" | "?"))
            {
                end += 1;
            }
            let starts_sentence = match tokens.get(end) {
                None => true,
                Some(n) => {
                    let c = text[n.range()].chars().next().unwrap_or(' ');
                    n.space_before
                        && (c.is_uppercase()
                            || c.is_ascii_digit()
                            || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«')
                            || !c.is_alphabetic() && n.kind == TokenKind::Word)
                }
            };
            if starts_sentence {
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// A window never runs past this many tokens unless no cut is safe (see
/// [`windows`]); far above a newsroom sentence (a 60-word sentence is about
/// 75 tokens), so only run-on text is cut.
pub const WINDOW_SOFT: usize = 200;
/// A window is cut here even without a comma or semicolon to cut at.
pub const WINDOW_HARD: usize = 300;

/// Cuts sentences (token ranges from [`sentences`]) longer than
/// [`WINDOW_SOFT`] tokens into windows, so the work done per sentence (every
/// figure against every word of its sentence) stays bounded and checking
/// costs in proportion to the text, not to the square of a run-on
/// sentence's length. Returns each window with whether it continues the
/// sentence before it (its first word is no sentence start).
///
/// A window ends after the first `,` or `;` past the soft limit; failing that,
/// at the hard limit, moved back to a space between two tokens that are not
/// numbers or currency signs, so a figure ("$5
/// million", "1,094 people") is not cut in half. Every window is at most
/// [`WINDOW_HARD`] tokens long, so token positions within one fit in `u16`.
pub fn windows(text: &str, tokens: &[Token], sentences: Vec<Range<usize>>) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::with_capacity(sentences.len());
    for r in sentences {
        let mut a = r.start;
        let mut continues = false;
        while r.end - a > WINDOW_SOFT {
            let clause_end = (a + WINDOW_SOFT..(a + WINDOW_HARD).min(r.end))
                .find(|&i| tokens[i].kind == TokenKind::Punct && matches!(&text[tokens[i].range()], "," | ";"))
                .map(|i| i + 1);
            if clause_end.is_none() && r.end - a <= WINDOW_HARD {
                break;
            }
            let cut = clause_end.unwrap_or_else(|| {
                let hard = (a + WINDOW_HARD).min(r.end);
                let numeric = |t: &Token| matches!(t.kind, TokenKind::Number | TokenKind::Symbol);
                (a + WINDOW_SOFT..hard)
                    .rev()
                    .find(|&i| tokens[i].space_before && !numeric(&tokens[i - 1]) && !numeric(&tokens[i]))
                    .unwrap_or(hard)
            });
            if cut >= r.end {
                break;
            }
            out.push((a..cut, continues));
            a = cut;
            continues = true;
        }
        out.push((a..r.end, continues));
    }
    out
}

/// Maps byte offsets to 1-based lines and columns.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
}

/// A 1-based line and column (columns in Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    /// Lines end at `\n`, `\r\n` and a lone `\r`, as in LSP; no other
    /// character (U+2028, U+0085, VT, FF) ends a line.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and column in Unicode scalar values. Offsets inside a
    /// character are moved back to its start.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        LineCol {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_cr_ends_a_line_and_unicode_separators_do_not() {
        let text = "a\rb\r\nc\nd\u{2028}e\u{2029}f\u{85}g\u{b}h\u{c}i";
        let l = LineIndex::new(text);
        assert_eq!(l.line_count(), 4);
        assert_eq!(l.line_start(1), Some(2));
        assert_eq!(l.line_start(2), Some(5));
        assert_eq!(l.line_start(3), Some(7));
        let i = text.find('i').unwrap();
        assert_eq!(l.line_col(text, i).line, 4);
    }

    fn lex(text: &str) -> Vec<(&str, TokenKind, bool)> {
        tokenize(text)
            .into_iter()
            .map(|t| (&text[t.range()], t.kind, t.space_before))
            .collect()
    }

    #[test]
    fn numbers_keep_separators_between_digits_only() {
        use TokenKind::*;
        assert_eq!(
            lex("1,094 people, 1.2 million. 6000"),
            vec![
                ("1,094", Number, true),
                ("people", Word, true),
                (",", Punct, false),
                ("1.2", Number, true),
                ("million", Word, true),
                (".", Punct, false),
                ("6000", Number, true)
            ]
        );
        assert_eq!(
            lex("It cost 1,094."),
            vec![
                ("It", Word, true),
                ("cost", Word, true),
                ("1,094", Number, true),
                (".", Punct, false)
            ]
        );
    }

    #[test]
    fn hyphens_and_glued_suffixes_are_separate_tokens() {
        use TokenKind::*;
        assert_eq!(
            lex("six-month $70m 30s"),
            vec![
                ("six", Word, true),
                ("-", Punct, false),
                ("month", Word, false),
                ("$", Symbol, true),
                ("70", Number, false),
                ("m", Word, false),
                ("30", Number, true),
                ("s", Word, false)
            ]
        );
    }

    #[test]
    fn possessive_is_split_but_contractions_are_not() {
        let toks: Vec<_> = lex("Shaanxi's don't O’Brien’s").into_iter().map(|t| t.0).collect();
        assert_eq!(toks, vec!["Shaanxi", "'s", "don't", "O’Brien", "’s"]);
    }

    #[test]
    fn cjk_emoji_and_combining_marks() {
        let text = "北京 2,000 café 🎉 e\u{301}té";
        let toks: Vec<_> = lex(text).into_iter().map(|t| t.0).collect();
        assert_eq!(toks, vec!["北京", "2,000", "café", "🎉", "e\u{301}té"]);
    }

    fn split(text: &str) -> Vec<String> {
        let toks = tokenize(text);
        let abbr = Abbreviations {
            leading: ["mr", "dr", "gen", "u.s"].iter().map(|s| s.to_string()).collect(),
            trailing: ["inc", "co", "jr"].iter().map(|s| s.to_string()).collect(),
        };
        sentences(text, &toks, &abbr)
            .into_iter()
            .map(|r| text[toks[r.start].start as usize..toks[r.end - 1].end as usize].to_string())
            .collect()
    }

    #[test]
    fn sentences_respect_abbreviations_initials_and_quotes() {
        assert_eq!(
            split("Dr. Smith met Russell L. Hunt in the U.S. on Friday. He left. \"Go!\" she said. 1,094 were held."),
            vec![
                "Dr. Smith met Russell L. Hunt in the U.S. on Friday.",
                "He left.",
                "\"Go!\" she said.",
                "1,094 were held."
            ]
        );
    }

    #[test]
    fn a_trailing_abbreviation_ends_a_sentence_before_a_capital() {
        assert_eq!(
            split("It bought Sealy Inc. Sales will rise. Dow Jones & Co. Inc. said so."),
            vec![
                "It bought Sealy Inc.",
                "Sales will rise.",
                "Dow Jones & Co. Inc. said so."
            ]
        );
        // Before a lowercase word, or at a title, the stop is inside the sentence.
        assert_eq!(
            split("Acme Inc. said Martin Jr. and Dr. Lee agreed."),
            vec!["Acme Inc. said Martin Jr. and Dr. Lee agreed."]
        );
        // Not after a name, the abbreviation leads the next word: a county.
        assert_eq!(
            split("She farms in Co. Cork with her son. He left."),
            vec!["She farms in Co. Cork with her son.", "He left."]
        );
    }

    fn windows_of(text: &str) -> Vec<(Range<usize>, bool)> {
        let toks = tokenize(text);
        windows(text, &toks, sentences(text, &toks, &Default::default()))
    }

    #[test]
    fn long_sentences_are_cut_into_bounded_windows() {
        // A newsroom sentence, however long, is one window.
        let one = "Police said 43 people were arrested in the raids on Friday, and 12 were later freed.";
        assert_eq!(windows_of(one), vec![(0..tokenize(one).len(), false)]);

        // A run-on sentence without commas: windows cover every token once,
        // each at most the hard limit, and no cut splits "$5 million".
        let run_on = "officers counted $5 million in cash ".repeat(200);
        let toks = tokenize(&run_on);
        let ws = windows_of(&run_on);
        assert!(ws.len() > 1);
        assert_eq!(ws.first().map(|w| w.0.start), Some(0));
        assert_eq!(ws.last().map(|w| w.0.end), Some(toks.len()));
        for (i, (r, continues)) in ws.iter().enumerate() {
            assert!(r.len() <= WINDOW_HARD, "window {i} has {} tokens", r.len());
            assert_eq!(*continues, i > 0);
            if i > 0 {
                assert_eq!(ws[i - 1].0.end, r.start, "windows are contiguous");
                let (prev, next) = (toks[r.start - 1], toks[r.start]);
                let numeric = |t: Token| matches!(t.kind, TokenKind::Number | TokenKind::Symbol);
                assert!(
                    !numeric(prev) && !numeric(next),
                    "cut inside a figure at token {}",
                    r.start
                );
            }
        }

        // With commas, a window ends just after the first comma past the soft limit.
        let listed = "in Anhui province 12 people were held, ".repeat(100);
        let toks = tokenize(&listed);
        let ws = windows_of(&listed);
        let first = &ws[0].0;
        assert!(first.len() > WINDOW_SOFT && first.len() <= WINDOW_HARD);
        assert_eq!(&listed[toks[first.end - 1].range()], ",");
    }

    #[test]
    fn sentence_ends_with_closing_quote() {
        assert_eq!(
            split("He said: \"It is over.\" Then he left"),
            vec!["He said: \"It is over.\"", "Then he left"]
        );
    }

    #[test]
    fn line_col_counts_scalar_values() {
        let text = "ab\n北京 12\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        let off = text.find("12").unwrap();
        assert_eq!(idx.line_col(text, off), LineCol { line: 2, column: 4 });
        // Inside a multi-byte character: snapped back.
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 1 });
    }
}
