//! Names: a person's name in the draft that the sources spell otherwise.
//!
//! A name is flagged only when no source has the draft's spelling and a
//! source name is one edit away (a swapped, dropped, added or changed letter)
//! with the draft's other words, or differs by an initial ("J. Gibbons" where
//! the sources have only "Kim Gibbons"). Word order does not count: "Jinping
//! Xi" is "Xi Jinping".

use super::{Checker, Code, Finding, Passage};
use crate::extract::names::{name_runs, sentence_starts};
use crate::markdown::{Block, Document};
use crate::names::{NameEntry, NameIndex};
use crate::text::tokenize;

/// Draft words shorter than this are never called misspelt.
const MIN_WORD: usize = 4;
/// A name of one word must be at least this long to be called misspelt.
const MIN_LONE_WORD: usize = 5;

fn is_initial(w: &str) -> bool {
    w.chars().count() == 1
}

/// Whether every draft word (but `skip`) is in the source name, in any order;
/// initials match a word with that first letter.
fn others_match(draft: &[String], skip: Option<usize>, name: &NameEntry) -> bool {
    draft
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != skip)
        .all(|(_, w)| {
            name.words.iter().any(|n| {
                n == w || is_initial(w) && n.starts_with(w.as_str()) || is_initial(n) && w.starts_with(n.as_str())
            })
        })
}

impl Checker<'_> {
    pub(super) fn check_names(&self, names: &NameIndex, doc: &Document, block: &Block, out: &mut Vec<Finding>) {
        let text = &block.text;
        let toks = tokenize(text);
        let starts = sentence_starts(text, &toks, self.rules);
        for run in name_runs(text, &toks, self.rules, &starts) {
            if run.at_start && run.words.len() < 2 && !run.titled {
                continue;
            }
            let words = run.key_words();
            let Some((fix, entry)) = self.near_name(names, &words) else {
                continue;
            };
            let span = block.map.range(run.span.clone());
            let draft = doc.text[span.clone()].to_string();
            let plain = &text[run.span.start as usize..run.span.end as usize];
            let replacement = match fix {
                // The misspelt word as the sources write it, the rest as the draft has it.
                Some((u, word)) if plain == draft => {
                    let tok = toks[run.toks.clone()]
                        .iter()
                        .filter(|t| t.kind == crate::text::TokenKind::Word)
                        .nth(u);
                    tok.map(|t| {
                        let (a, b) = ((t.start - run.span.start) as usize, (t.end - run.span.start) as usize);
                        format!("{}{}{}", &draft[..a], word, &draft[b..])
                    })
                }
                Some(_) => None,
                None => Some(entry.display.clone()),
            }
            .filter(|f| *f != draft);
            let passages: Vec<Passage> = entry
                .sources
                .iter()
                .filter(|&&s| self.exclude != Some(s))
                .take(3)
                .filter_map(|&s| self.name_passage(s, &entry.display))
                .collect();
            if passages.is_empty() {
                continue;
            }
            let keys: Vec<&str> = passages.iter().map(|p| p.key.as_str()).collect();
            out.push(Finding {
                code: Code::NameMismatch,
                severity: self.options.severity(Code::NameMismatch),
                span,
                text: draft.clone(),
                value: None,
                message: format!(
                    "no source spells the name \"{draft}\"; the sources have \"{}\" ({})",
                    entry.display,
                    keys.join(", ")
                ),
                replacement,
                passages,
                versions: Vec::new(),
                suppressed: None,
                related: Vec::new(),
            });
        }
    }

    /// The source name a draft name is a near miss of, and the draft's name
    /// with the misspelt word corrected.
    #[allow(clippy::type_complexity)]
    fn near_name<'n>(
        &self,
        names: &'n NameIndex,
        words: &[String],
    ) -> Option<(Option<(usize, String)>, &'n NameEntry)> {
        let unknown: Vec<usize> = (0..words.len())
            .filter(|&i| !is_initial(&words[i]) && !names.knows(&words[i]))
            .collect();
        match unknown.as_slice() {
            [] => {
                // A wrong initial: the other words name someone whose first
                // letter differs, and nobody with the draft's initial.
                let init = words.iter().position(|w| is_initial(w))?;
                if words.len() < 2 || words.iter().filter(|w| !is_initial(w)).count() == 0 {
                    return None;
                }
                let anchor = words.iter().find(|w| !is_initial(w))?;
                let cands: Vec<&NameEntry> = names
                    .names_with(anchor)
                    .filter(|n| n.words.len() >= words.len() && others_match(words, Some(init), n))
                    .collect();
                if cands.is_empty() || cands.iter().any(|n| others_match(words, None, n)) {
                    return None;
                }
                Some((None, cands[0]))
            }
            [u] => {
                let w = &words[*u];
                if w.chars().count() < MIN_WORD || words.len() == 1 && w.chars().count() < MIN_LONE_WORD {
                    return None;
                }
                for c in names.near(w) {
                    let found = names
                        .names_with(c)
                        .find(|n| others_match(words, Some(*u), n) && (words.len() >= 2 || n.words.len() >= 2));
                    if let Some(n) = found {
                        // The draft's words, the misspelt one as the source writes it.
                        let pos = n.words.iter().position(|x| x == c)?;
                        let display_words: Vec<&str> = n.display.split(' ').collect();
                        let fixed = display_words.get(pos).copied().unwrap_or(c);
                        return Some((Some((*u, fixed.to_string())), n));
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// A passage for the first sentence of source `s` that writes `display`.
    fn name_passage(&self, s: u32, display: &str) -> Option<Passage> {
        let body = self.index.source_text(s);
        let first = display.split(' ').next()?;
        let (id, rec) = self.index.source_sentences(s).find(|(_, r)| {
            body.get(r.span.start as usize..r.span.end as usize)
                .is_some_and(|t| t.contains(first))
        })?;
        let _ = id;
        let span = rec.span.start as usize..rec.span.end as usize;
        let sentence = &body[span.clone()];
        let at = sentence.find(first)? + span.start;
        let figure = at..(at + first.len());
        let src = self.index.source(s);
        let lc = crate::text::LineIndex::new(&body).line_col(&body, span.start);
        Some(Passage {
            source: s,
            key: src.key.clone(),
            title: src.title.clone(),
            path: src.path.clone(),
            text: sentence.split_whitespace().collect::<Vec<_>>().join(" "),
            figure_text: display.to_string(),
            span,
            figure,
            line: lc.line,
            column: lc.column,
            speaker: None,
            locator: rec.locator,
        })
    }
}
