//! Names of people (and other proper names) in text: runs of capitalised words.
//!
//! A run is a sequence of capitalised words, initials ("J." or "J"), name
//! particles between them ("bin" in "Osama bin Laden") and glued hyphens
//! ("Attorney-General"). Words the lexicon knows as something else (stopwords,
//! `not_names`, months, number words, demonyms) and honorifics are trimmed
//! from both ends: "Chinese President Xi Jinping" is the name "Xi Jinping".

use std::ops::Range;

use rustc_hash::FxHashSet;

use crate::rules::Rules;
use crate::text::{Token, TokenKind, word_hash};

/// A name found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRun {
    /// Token indices of the name (after trimming).
    pub toks: Range<usize>,
    /// Byte range in the text.
    pub span: Range<u32>,
    /// The name's words as written, initials without their dot, particles kept.
    pub words: Vec<String>,
    /// Whether the untrimmed run started a sentence (a capital there proves little).
    pub at_start: bool,
    /// Whether an honorific or title stood before it ("Mr", "President").
    pub titled: bool,
}

impl NameRun {
    /// The words lowercased, for comparing names.
    pub fn key_words(&self) -> Vec<String> {
        self.words.iter().map(|w| normalize_word(w)).collect()
    }
}

/// Lowercase, curly apostrophes straightened.
pub fn normalize_word(w: &str) -> String {
    w.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' { '\'' } else { c })
        .collect()
}

fn capitalised(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a word is known to the rules as something other than a name.
pub fn lexicon_word(rules: &Rules, lower: &str) -> bool {
    let h = word_hash(lower);
    rules.stopwords.contains(&h)
        || rules.not_names.contains(&h)
        || rules.months.contains_key(&h)
        || rules.number_words.contains_key(&h)
        || rules.demonyms.contains_key(&h)
        || rules.quotes.pronouns.contains(&h)
        || rules.quotes.speech_verbs.contains(&h)
}

/// Every name run in `toks`. `starts` holds the token indices that open a sentence.
pub fn name_runs(text: &str, toks: &[Token], rules: &Rules, starts: &FxHashSet<usize>) -> Vec<NameRun> {
    let mut out = Vec::new();
    let word = |i: usize| &text[toks[i].range()];
    let is_cap_word = |i: usize| toks[i].kind == TokenKind::Word && capitalised(word(i));
    let mut i = 0;
    while i < toks.len() {
        if !is_cap_word(i) {
            i += 1;
            continue;
        }
        // Extend the run.
        let start = i;
        let mut end = i + 1;
        while let Some(t) = toks.get(end) {
            let s = word(end);
            if t.kind == TokenKind::Punct && s == "." && !t.space_before && word(end - 1).chars().count() == 1 {
                // The dot of an initial.
                end += 1;
                continue;
            }
            if t.kind == TokenKind::Punct
                && (s == "-" || s == "‑")
                && !t.space_before
                && toks.get(end + 1).is_some_and(|n| !n.space_before)
                && end + 1 < toks.len()
                && is_cap_word(end + 1)
            {
                end += 2;
                continue;
            }
            if t.kind == TokenKind::Word && t.space_before {
                if capitalised(s) {
                    end += 1;
                    continue;
                }
                let lower = normalize_word(s);
                if rules.quotes.name_particles.contains(&word_hash(&lower))
                    && end + 1 < toks.len()
                    && is_cap_word(end + 1)
                    && toks[end + 1].space_before
                {
                    end += 2;
                    continue;
                }
            }
            break;
        }
        i = end;
        // Trim lexicon words and honorifics from both ends.
        let cap_words: Vec<usize> = (start..end).filter(|&k| toks[k].kind == TokenKind::Word).collect();
        let mut a = 0;
        let mut titled = false;
        while a < cap_words.len() {
            let lower = normalize_word(word(cap_words[a]));
            let h = word_hash(&lower);
            if rules.quotes.honorifics.contains(&h) {
                titled = true;
                a += 1;
            } else if lexicon_word(rules, &lower) || word(cap_words[a]).chars().all(|c| !c.is_alphabetic()) {
                titled = false;
                a += 1;
            } else {
                break;
            }
        }
        let mut b = cap_words.len();
        while b > a {
            let lower = normalize_word(word(cap_words[b - 1]));
            if lexicon_word(rules, &lower)
                || rules.quotes.honorifics.contains(&word_hash(&lower))
                || rules.quotes.name_particles.contains(&word_hash(&lower))
            {
                b -= 1;
            } else {
                break;
            }
        }
        if a >= b {
            continue;
        }
        let (t0, t1) = (cap_words[a], cap_words[b - 1]);
        // Shouted headings are not names; acronyms of up to four letters are.
        if (t0..=t1).any(|k| {
            let w = word(k);
            toks[k].kind == TokenKind::Word && w.chars().count() > 4 && w.chars().all(|c| !c.is_lowercase())
        }) {
            continue;
        }
        let words: Vec<String> = (t0..=t1)
            .filter(|&k| toks[k].kind == TokenKind::Word)
            .map(|k| word(k).to_string())
            .collect();
        let mut last = t1 + 1;
        if toks.get(last).is_some_and(|t| word(last) == "." && !t.space_before) && word(t1).chars().count() == 1 {
            last += 1;
        }
        out.push(NameRun {
            toks: t0..last,
            span: toks[t0].start..toks[last - 1].end,
            words,
            at_start: starts.contains(&start),
            titled,
        });
    }
    out
}

/// Token indices that open a sentence in `toks`.
pub fn sentence_starts(text: &str, toks: &[Token], rules: &Rules) -> FxHashSet<usize> {
    let mut starts: FxHashSet<usize> = crate::text::sentences(text, toks, &rules.abbreviations)
        .into_iter()
        .map(|r| r.start)
        .collect();
    // After an opening quote or a colon a capital is a sentence start too.
    for (i, t) in toks.iter().enumerate() {
        if t.kind == TokenKind::Punct && matches!(&text[t.range()], "\"" | "“" | "‘" | "«" | ":" | "—" | "(") {
            starts.insert(i + 1);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn names(text: &str) -> Vec<String> {
        let rules = Rules::builtin();
        let toks = tokenize(text);
        let starts = sentence_starts(text, &toks, &rules);
        name_runs(text, &toks, &rules, &starts)
            .into_iter()
            .map(|r| r.words.join(" "))
            .collect()
    }

    #[test]
    fn titles_and_lexicon_words_are_trimmed() {
        assert_eq!(
            names("Yesterday Chinese President Xi Jinping spoke."),
            vec!["Xi Jinping"]
        );
        assert_eq!(names("It was said by Mr John Howard on Monday."), vec!["John Howard"]);
    }

    #[test]
    fn particles_initials_and_hyphens_stay_inside() {
        assert_eq!(names("They hunted for Osama bin Laden."), vec!["Osama bin Laden"]);
        assert_eq!(names("A letter from George W. Bush arrived."), vec!["George W Bush"]);
        assert_eq!(names("He met Jean-Paul Sartre there."), vec!["Jean Paul Sartre"]);
    }

    #[test]
    fn possessives_end_a_name() {
        assert_eq!(names("It was Anna Kowalski's car."), vec!["Anna Kowalski"]);
    }
}
