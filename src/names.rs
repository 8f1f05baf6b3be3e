//! The names the corpus spells, for near-miss lookup.
//!
//! Built from an [`Index`] through its text accessors (never from the fact
//! index's internals) and kept beside it in a project. Compact and
//! serialisable: names as lowercase word lists with the sources that use
//! them, every capitalised spelling the corpus has, and a deletion map (each
//! name word with one character removed → the word) that finds every word
//! within one edit (a dropped, added, changed or swapped letter) of a draft's
//! word in O(word length) lookups; candidates are confirmed with
//! `strsim::osa_distance`. One edit is all the name check needs, which is why a
//! deletion map rather than a general automaton.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::extract::names::{name_runs, normalize_word, sentence_starts};
use crate::index::Index;
use crate::rules::Rules;
use crate::text::tokenize;

/// One name as the sources write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameEntry {
    /// As written ("Hamid Karzai").
    pub display: String,
    /// Lowercase words, in order.
    pub words: Vec<String>,
    /// Ids of the sources that use it.
    pub sources: Vec<u32>,
}

/// Names in the corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NameIndex {
    names: Vec<NameEntry>,
    by_display: FxHashMap<String, u32>,
    /// Lowercase word → names containing it.
    by_word: FxHashMap<String, Vec<u32>>,
    /// A name word with one character removed → the words it comes from.
    deletes: FxHashMap<String, Vec<String>>,
    /// Every capitalised word of the corpus, lowercased.
    known: FxHashSet<String>,
}

fn deletions(w: &str) -> impl Iterator<Item = String> + '_ {
    w.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(w.len());
        s.push_str(&w[..i]);
        s.push_str(&w[i + c.len_utf8()..]);
        s
    })
}

/// A name word's one-letter deletions (the keys of the deletion map).
pub fn word_deletions(w: &str) -> Vec<String> {
    if w.chars().count() > 1 {
        deletions(w).collect()
    } else {
        Vec::new()
    }
}

/// What a source's text gives the name index: its capitalised spellings
/// (lowercase) and its names in text order, as (display, lowercase words).
pub fn text_names(text: &str, rules: &Rules) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let toks = tokenize(text);
    let mut known = Vec::new();
    for t in &toks {
        let s = &text[t.range()];
        if s.chars().next().is_some_and(char::is_uppercase) {
            known.push(normalize_word(s));
        }
    }
    let starts = sentence_starts(text, &toks, rules);
    let mut names = Vec::new();
    for run in name_runs(text, &toks, rules, &starts) {
        // A lone capitalised word opening a sentence may be any word.
        if run.at_start && run.words.len() < 2 && !run.titled {
            continue;
        }
        names.push((run.words.join(" "), run.key_words()));
    }
    (known, names)
}

/// The words of the names a draft block holds, as the name check looks them up.
pub fn draft_name_words(text: &str, rules: &Rules) -> Vec<String> {
    text_names(text, rules).1.into_iter().flat_map(|(_, w)| w).collect()
}

/// Sources beyond which the name index is not built (see [`NameIndex::for_corpus`]).
pub const NAMES_SOURCE_LIMIT: usize = 20_000;

impl NameIndex {
    /// Reads the names of every source of `index`.
    pub fn build(index: &Index, rules: &Rules) -> NameIndex {
        let mut names = NameIndex::default();
        for (id, _) in index.sources() {
            names.add_source(index, id, rules);
        }
        names
    }

    /// [`NameIndex::build`] for a story's corpus; empty for an archive over
    /// [`NAMES_SOURCE_LIMIT`] sources, where reading every text again at each
    /// start would cost more than the check is worth (name checks are then
    /// off, and said so in the log).
    pub fn for_corpus(index: &Index, rules: &Rules) -> NameIndex {
        if index.source_count() > NAMES_SOURCE_LIMIT {
            tracing::info!(
                sources = index.source_count(),
                "name spelling checks are off for corpora over {NAMES_SOURCE_LIMIT} sources"
            );
            return NameIndex::default();
        }
        NameIndex::build(index, rules)
    }

    /// Adds the names of one source.
    pub fn add_source(&mut self, index: &Index, id: u32, rules: &Rules) {
        let text = index.source_text(id);
        self.add_text(&text, id, rules);
    }

    fn add_text(&mut self, text: &str, source: u32, rules: &Rules) {
        let (known, names) = text_names(text, rules);
        self.known.extend(known);
        for (display, words) in names {
            self.add_name(&display, words, source);
        }
    }

    /// Adds one name used by `source` (names must come in source order, as
    /// [`NameIndex::build`] adds them, for lookups to rank them the same).
    pub fn insert(&mut self, display: &str, words: Vec<String>, source: u32) {
        self.add_name(display, words, source);
    }

    /// Records a capitalised spelling (lowercase) as known.
    pub fn insert_known(&mut self, word: String) {
        self.known.insert(word);
    }

    fn add_name(&mut self, display: &str, words: Vec<String>, source: u32) {
        if let Some(&id) = self.by_display.get(display) {
            let e = &mut self.names[id as usize];
            if e.sources.last() != Some(&source) && !e.sources.contains(&source) {
                e.sources.push(source);
            }
            return;
        }
        let id = self.names.len() as u32;
        for w in &words {
            let list = self.by_word.entry(w.clone()).or_default();
            if list.is_empty() && w.chars().count() > 1 {
                for d in deletions(w) {
                    let ws = self.deletes.entry(d).or_default();
                    if !ws.contains(w) {
                        ws.push(w.clone());
                    }
                }
            }
            if !list.contains(&id) {
                list.push(id);
            }
        }
        self.by_display.insert(display.to_string(), id);
        self.names.push(NameEntry {
            display: display.to_string(),
            words,
            sources: vec![source],
        });
    }

    /// Whether the corpus has this spelling (lowercase), as a capitalised word.
    pub fn knows(&self, word: &str) -> bool {
        self.known.contains(word)
    }

    /// Name words one edit (a dropped, added, changed or swapped letter) from `word`.
    pub fn near(&self, word: &str) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        // A letter added in the draft: the draft minus one letter is a name word.
        for d in deletions(word) {
            if let Some((w, _)) = self.by_word.get_key_value(&d) {
                found.push(w.as_str());
            }
            // Changed or swapped letters: both lose one letter to the same string.
            if let Some(ws) = self.deletes.get(&d) {
                found.extend(ws.iter().map(String::as_str));
            }
        }
        // A letter dropped in the draft.
        if let Some(ws) = self.deletes.get(word) {
            found.extend(ws.iter().map(String::as_str));
        }
        found.sort_unstable();
        found.dedup();
        found.retain(|w| *w != word && strsim::osa_distance(w, word) <= 1);
        found
    }

    /// Names that contain `word` (lowercase).
    pub fn names_with(&self, word: &str) -> impl Iterator<Item = &NameEntry> {
        self.by_word
            .get(word)
            .into_iter()
            .flatten()
            .map(|&id| &self.names[id as usize])
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> NameIndex {
        let rules = Rules::builtin();
        let mut n = NameIndex::default();
        n.add_text(text, 0, &rules);
        n
    }

    #[test]
    fn near_misses_within_one_edit() {
        let n = names("The talks were led by Hamid Karzai and Lakhdar Brahimi in Bonn.");
        assert_eq!(n.near("karzia"), vec!["karzai"]);
        assert_eq!(n.near("karzi"), vec!["karzai"]);
        assert_eq!(n.near("karzaii"), vec!["karzai"]);
        assert_eq!(n.near("barhimi"), vec!["brahimi"]);
        assert!(n.near("kabul").is_empty());
        assert!(n.knows("karzai") && !n.knows("karzia"));
    }

    #[test]
    fn serialises() {
        let n = names("He met Hamid Karzai.");
        let json = serde_json::to_string(&n).unwrap();
        let back: NameIndex = serde_json::from_str(&json).unwrap();
        assert_eq!(back.names_with("karzai").count(), 1);
    }
}
