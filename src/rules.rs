//! Rule data: the word lists that teach copydesk to read figures.
//!
//! Rules are plain TOML under `rules/`, embedded in the binary as defaults and
//! extended per workspace with `[rules] paths` in `copydesk.toml`. A workspace
//! entry with the same `name` as a default one replaces it; everything else is
//! added. Every table is `deny_unknown_fields`, so a typo in a rule file is an
//! error naming the file and line rather than a rule that silently never fires.
//!
//! [`Rules`] is the compiled form: hash tables keyed by word hashes, so the hot
//! path of extraction never allocates to look a word up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::text::{Lexer, TokenKind, word_hash};

mod compile;
mod schema;
mod scoring;
pub use schema::{RuleFile, RuleSet};
pub use scoring::Scoring;
use scoring::ScoringSection;
pub mod arithmetic;
pub mod dates;
pub mod periods;
pub mod rates;
pub mod revision;
mod words;

/// The fewest letters a spelling ending must leave before it: "labour",
/// "raised" and "raise" change alike ("raize", "raized": the stems still
/// meet), "hour", "hours" and "rise" not at all.
const SPELLING_BASE: usize = 2;

/// The default rule files, embedded at build time.
pub const DEFAULT_RULES: &[(&str, &str)] = &[
    ("numbers.toml", include_str!("../rules/numbers.toml")),
    ("qualifiers.toml", include_str!("../rules/qualifiers.toml")),
    ("nouns.toml", include_str!("../rules/nouns.toml")),
    ("confusables.toml", include_str!("../rules/confusables.toml")),
    ("units.toml", include_str!("../rules/units.toml")),
    ("currencies.toml", include_str!("../rules/currencies.toml")),
    ("events.toml", include_str!("../rules/events.toml")),
    ("lexicon.toml", include_str!("../rules/lexicon.toml")),
    ("quotes.toml", include_str!("../rules/quotes.toml")),
    ("scoring.toml", include_str!("../rules/scoring.toml")),
    ("dates.toml", include_str!("../rules/dates.toml")),
    ("arithmetic.toml", include_str!("../rules/arithmetic.toml")),
];

/// Errors met while reading rule files.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// A rule file or folder could not be read.
    #[error("cannot read rule file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A rule file is not valid TOML or does not follow the rule schema.
    #[error("invalid rule file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    /// A rule names something that does not exist (a `broader` class, a confusable member).
    #[error("rule {rule:?} refers to unknown {what} {name:?}")]
    UnknownReference {
        rule: String,
        what: &'static str,
        name: String,
    },
}

/// What a qualifier says about the figure it precedes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// No qualifier, or one that insists on exactness ("a total of").
    Exact,
    /// "more than", "over": strictly above.
    Over,
    /// "at least": the figure or above.
    AtLeast,
    /// "fewer than", "under": strictly below.
    Under,
    /// "up to", "as many as": a ceiling.
    AtMost,
    /// "nearly", "almost": just below.
    Nearly,
    /// "about", "some", "an estimated": either side.
    About,
    /// "hundreds of": a wide range that the phrase itself names.
    Vague,
}

impl Bound {
    /// The family a bound belongs to: two figures whose bounds share a family are
    /// compared by their stated numbers ("more than 520" against "more than 250").
    pub fn family(self) -> u8 {
        match self {
            Bound::Exact => 0,
            Bound::Over | Bound::AtLeast => 1,
            Bound::Under | Bound::AtMost | Bound::Nearly => 2,
            Bound::About => 3,
            Bound::Vague => 4,
        }
    }

    /// Human wording, for messages.
    pub fn phrase(self) -> &'static str {
        match self {
            Bound::Exact => "exactly",
            Bound::Over => "more than",
            Bound::AtLeast => "at least",
            Bound::Under => "fewer than",
            Bound::AtMost => "up to",
            Bound::Nearly => "nearly",
            Bound::About => "about",
            Bound::Vague => "roughly",
        }
    }
}

// ---------------------------------------------------------------------------
// Compiled rules.

/// Index of a noun class in [`Rules::nouns`].
pub type ClassId = u16;
/// Index of a unit in [`Rules::units`].
pub type UnitId = u16;
/// Index of a currency in [`Rules::currencies`].
pub type CurrencyId = u16;
/// Index of an event class in [`Rules::events`].
pub type EventId = u16;
/// Index of a money measure in [`Rules::money_measures`].
pub type MeasureId = u16;

/// A phrase that dates a figure by a number of years from another date
/// ("last year" = -1 from the text's date; "the following year" = +1 from
/// the year its sentence names).
#[derive(Debug, Clone)]
pub struct RelativeYear {
    /// The phrase as lowercase word keys.
    pub words: Vec<u64>,
    pub offset: i32,
    /// Counts from the year the sentence names before it, not the text's date.
    pub anaphoric: bool,
}

/// A class of counted things.
#[derive(Debug, Clone)]
pub struct NounClass {
    pub name: String,
    /// Classes that include this one, transitively.
    pub broader: Vec<ClassId>,
    /// The event it counts, for nouns like "arrests".
    pub event: Option<EventId>,
}

/// A unit of measure.
#[derive(Debug, Clone)]
pub struct Unit {
    pub name: String,
    pub dimension: String,
    pub factor: f64,
    /// The first term, used when writing a replacement.
    pub display: String,
    /// Another dimension whose units are written where this one is meant
    /// (a change in percentage points reported "per cent"): the same number
    /// in that dimension is a unit confusion, another number a different fact.
    pub mistaken_for: Option<String>,
}

/// A currency.
#[derive(Debug, Clone)]
pub struct Currency {
    pub name: String,
    pub family: String,
    pub generic: bool,
}

/// A cardinal number word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumWord {
    /// "one" to "nineteen".
    Unit(f64),
    /// "twenty" to "ninety".
    Ten(f64),
    /// "hundred", "thousand", "million".
    Scale(f64),
    /// "dozen", "couple".
    Group(f64),
}

/// A vague quantity phrase ("hundreds of").
#[derive(Debug, Clone)]
pub struct Vague {
    pub words: Vec<u64>,
    pub low: f64,
    pub high: f64,
}

/// A table of phrases (sequences of word keys) with a value each.
#[derive(Debug, Clone)]
pub struct PhraseTable<T> {
    map: FxHashMap<Vec<u64>, T>,
    /// First and last words of every phrase: most words are neither, and are
    /// rejected without hashing a slice.
    firsts: FxHashSet<u64>,
    lasts: FxHashSet<u64>,
    max_len: usize,
}

impl<T> Default for PhraseTable<T> {
    fn default() -> Self {
        PhraseTable {
            map: FxHashMap::default(),
            firsts: FxHashSet::default(),
            lasts: FxHashSet::default(),
            max_len: 0,
        }
    }
}

impl<T: Copy> PhraseTable<T> {
    fn insert(&mut self, key: Vec<u64>, value: T) {
        if key.is_empty() {
            return;
        }
        self.max_len = self.max_len.max(key.len());
        self.firsts.insert(key[0]);
        self.lasts.insert(key[key.len() - 1]);
        self.map.entry(key).or_insert(value);
    }

    /// The longest phrase that starts at `keys[0]`; returns its length and value.
    pub fn longest_prefix(&self, keys: &[u64]) -> Option<(usize, T)> {
        if !keys.first().is_some_and(|k| self.firsts.contains(k)) {
            return None;
        }
        let max = self.max_len.min(keys.len());
        (1..=max).rev().find_map(|n| self.map.get(&keys[..n]).map(|v| (n, *v)))
    }

    /// The longest phrase that ends at the last key; returns its length and value.
    pub fn longest_suffix(&self, keys: &[u64]) -> Option<(usize, T)> {
        if !keys.last().is_some_and(|k| self.lasts.contains(k)) {
            return None;
        }
        let max = self.max_len.min(keys.len());
        (1..=max)
            .rev()
            .find_map(|n| self.map.get(&keys[keys.len() - n..]).map(|v| (n, *v)))
    }

    /// A single-word lookup.
    pub fn get1(&self, key: u64) -> Option<T> {
        self.map.get(std::slice::from_ref(&key)).copied()
    }

    pub fn max_len(&self) -> usize {
        self.max_len
    }
}

/// A pair of quotation marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotePair {
    pub open: String,
    pub close: String,
    /// Counts only inside another quotation.
    pub nested_only: bool,
}

/// Compiled quotation rules (lowercase word hashes).
#[derive(Debug, Clone, Default)]
pub struct QuoteRules {
    pub pairs: Vec<QuotePair>,
    pub speech_verbs: FxHashSet<u64>,
    /// Attribution phrases ("according to"), as lowercase word keys.
    pub according: PhraseTable<()>,
    pub pronouns: FxHashSet<u64>,
    pub honorifics: FxHashSet<u64>,
    pub name_particles: FxHashSet<u64>,
}

/// Compiled rules, ready for extraction and matching.
pub struct Rules {
    stemmer: rust_stemmers::Stemmer,
    /// British word endings and their American forms, longest first.
    spelling_endings: Vec<(String, String)>,
    /// British words and their American forms.
    spelling_words: FxHashMap<String, String>,
    /// Cardinal number words, by lowercase hash.
    pub number_words: FxHashMap<u64, NumWord>,
    /// Fraction words ("third", "half"), by lowercase hash.
    pub fractions: FxHashMap<u64, f64>,
    /// Ordinal words ("third", "twelfth"), by lowercase hash.
    pub ordinals: FxHashMap<u64, f64>,
    pub scale_abbreviations: FxHashMap<u64, f64>,
    pub ordinal_nouns: FxHashSet<u64>,
    pub weak_words: FxHashSet<u64>,
    pub vague: Vec<Vague>,
    /// Qualifier phrases, keyed by lowercase word hashes.
    pub qualifiers: PhraseTable<Bound>,
    /// Suffix qualifiers ("+", "or more"), keyed by lowercase word hashes.
    pub qualifier_suffixes: PhraseTable<Bound>,
    pub nouns: Vec<NounClass>,
    /// Noun phrases, keyed by stems.
    pub noun_terms: PhraseTable<ClassId>,
    /// What amounts of money are of (`money_measure` in `rules/currencies.toml`), by id.
    pub money_measures: Vec<String>,
    /// Their terms ("revenue", "net profit").
    pub money_measure_terms: PhraseTable<MeasureId>,
    /// Stems of the noun terms written in -ing ("buildings", "shootings"):
    /// another word in -ing with the stem of a noun term is a participle
    /// ("living" is no "lives", "finding" no "finds").
    pub ing_nouns: FxHashSet<u64>,
    /// Pairs of classes a writer may swap by mistake (both orders).
    confusable: FxHashSet<(ClassId, ClassId)>,
    pub units: Vec<Unit>,
    /// Unit terms, keyed by stems.
    pub unit_terms: PhraseTable<UnitId>,
    /// Unit terms that need a figure of another dimension in their sentence
    /// (`beside_terms` of a unit rule): term keys → that dimension.
    pub unit_beside: FxHashMap<Vec<u64>, String>,
    pub currencies: Vec<Currency>,
    /// Currency symbols written before a number, longest first.
    pub currency_symbols: Vec<(String, CurrencyId)>,
    /// Currency words written after a number, keyed by stems.
    pub currency_words: PhraseTable<CurrencyId>,
    pub events: Vec<String>,
    /// Event verbs, keyed by stems.
    pub event_terms: PhraseTable<EventId>,
    pub stopwords: FxHashSet<u64>,
    pub abbreviations: crate::text::Abbreviations,
    /// Month names by lowercase hash: month number 1-12.
    pub months: FxHashMap<u64, u8>,
    pub not_names: FxHashSet<u64>,
    pub clause_openers: FxHashSet<u64>,
    /// Conjunctions that, opening a sentence, make its first comma a clause end.
    pub subordinators: FxHashSet<u64>,
    /// Words that pick out a span of a sequence ("the previous 12").
    pub span_words: FxHashSet<u64>,
    /// Forecast verbs whose object business copy leaves out ("had expected").
    pub consensus_verbs: FxHashSet<u64>,
    /// Words before a rate's denominator ("per 100,000 people"), by lowercase hash.
    pub rate_words: FxHashSet<u64>,
    pub age_words: FxHashSet<u64>,
    /// "older", "younger": "65 or older" is an age, by lowercase hash.
    pub age_comparatives: FxHashSet<u64>,
    /// Definite determiners, by lowercase hash (a possessive "'s" is one by grammar).
    pub definite: FxHashSet<u64>,
    /// Plurals without an -s, by lowercase hash.
    pub irregular_plurals: FxHashSet<u64>,
    /// Prepositions of time, by lowercase hash.
    pub time_prepositions: FxHashSet<u64>,
    /// Prepositions that let a date after a figure date it ("in 1986").
    pub dating_prepositions: FxHashSet<u64>,
    /// Demonym (lowercase hash) → the stem hash of its place.
    pub demonyms: FxHashMap<u64, u64>,
    /// A table header as written → the words it abbreviates.
    pub header_abbreviations: FxHashMap<String, String>,
    pub quotes: QuoteRules,
    /// How a source's date is read from its first lines.
    pub dates: dates::DateRules,
    /// Words of the arithmetic a sentence states between its figures.
    pub arithmetic: arithmetic::ArithmeticRules,
    /// Words of a rate's period or base ("$2,600 a year").
    pub rates: rates::RateRules,
    /// Phrases of a reporting period ("first-half", "full-year").
    pub periods: periods::PeriodRules,
    /// Words of the grammar of revision ("rose to 52 from 40").
    pub revision: revision::RevisionRules,
    /// A fingerprint of the rule data, so persisted indexes can tell a rules change.
    pub fingerprint: u64,
    /// Weights and thresholds of the same-fact judgement.
    pub scoring: Scoring,
    /// Relative year phrases as lowercase word keys, with their offset in
    /// years and whether they count from the sentence's own year
    /// (anaphoric: "the following year") rather than the text's date.
    pub relative_years: Vec<RelativeYear>,
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules")
            .field("nouns", &self.nouns.len())
            .field("units", &self.units.len())
            .field("currencies", &self.currencies.len())
            .field("events", &self.events.len())
            .finish()
    }
}

impl Rules {
    /// The embedded defaults, compiled.
    pub fn builtin() -> Rules {
        Rules::compile(RuleSet::defaults()).expect("embedded rules compile (checked by tests)")
    }

    /// Defaults plus the rule files at `paths`.
    pub fn load(paths: &[PathBuf]) -> Result<Rules, RulesError> {
        let mut set = RuleSet::defaults();
        set.merge_paths(paths)?;
        Rules::compile(set)
    }

    /// Stem one lowercase word, as the index and the extractor do, after
    /// spelling it the American way.
    pub fn stem(&self, lower: &str) -> String {
        self.stemmer.stem(&self.us_spelling(lower)).into_owned()
    }

    /// Hash of a word's stem: the key of every stem-keyed table.
    pub fn stem_hash(&self, word: &str) -> u64 {
        word_hash(&self.stem(&word.to_lowercase()))
    }

    /// A lowercase word in American spelling: "programme" → "program",
    /// "labour" → "labor", "defence" → "defense". An ending applies where it
    /// leaves at least `SPELLING_BASE` letters, so every form of a word
    /// changes alike or not at all.
    fn us_spelling<'w>(&self, lower: &'w str) -> std::borrow::Cow<'w, str> {
        if let Some(us) = self.spelling_words.get(lower) {
            return std::borrow::Cow::Owned(us.clone());
        }
        for (uk, us) in &self.spelling_endings {
            if let Some(base) = lower.strip_suffix(uk.as_str()) {
                if base.len() < SPELLING_BASE {
                    break;
                }
                return std::borrow::Cow::Owned(format!("{base}{us}"));
            }
        }
        std::borrow::Cow::Borrowed(lower)
    }

    /// Splits a rule phrase into word keys with the document lexer, so that rule
    /// terms and text are cut the same way ("new-born" → new, -, born).
    fn phrase_keys(&self, phrase: &str, stemmed: bool) -> Vec<u64> {
        Lexer::new(phrase)
            // Hyphens, and the full stops of initialisms ("U.S. dlrs"), which
            // the figure scan steps over the same way.
            .filter(|t| !matches!(t.kind, TokenKind::Punct if matches!(&phrase[t.range()], "-" | ".")))
            .map(|t| {
                let lower = phrase[t.range()].to_lowercase();
                if stemmed && let Some(&place) = self.demonyms.get(&word_hash(&lower)) {
                    place
                } else if stemmed && t.kind == TokenKind::Word {
                    word_hash(&self.stem(&lower))
                } else {
                    word_hash(&lower)
                }
            })
            .collect()
    }

    /// Whether two units measure one dimension, so that one converts into
    /// the other ("kilometres" and "miles", not "per cent" and "percentage
    /// points").
    pub fn same_dimension(&self, a: UnitId, b: UnitId) -> bool {
        self.units[a as usize].dimension == self.units[b as usize].dimension
    }

    /// Whether two noun classes are confusable.
    pub fn confusable(&self, a: ClassId, b: ClassId) -> bool {
        self.confusable.contains(&(a, b))
    }

    /// Whether `narrow` is included in `broad` ("suspect" in "person").
    pub fn is_broader(&self, broad: ClassId, narrow: ClassId) -> bool {
        self.nouns[narrow as usize].broader.contains(&broad)
    }

    /// Whether a class counts people (is "person" or narrower).
    pub fn is_person(&self, class: ClassId) -> bool {
        self.class_named("person")
            .is_some_and(|p| p == class || self.is_broader(p, class))
    }

    /// A noun class by name.
    pub fn class_named(&self, name: &str) -> Option<ClassId> {
        self.nouns.iter().position(|n| n.name == name).map(|i| i as ClassId)
    }

    /// A unit by name.
    pub fn unit_named(&self, name: &str) -> Option<UnitId> {
        self.units.iter().position(|u| u.name == name).map(|i| i as UnitId)
    }

    /// A currency by name.
    pub fn currency_named(&self, name: &str) -> Option<CurrencyId> {
        self.currencies
            .iter()
            .position(|c| c.name == name)
            .map(|i| i as CurrencyId)
    }
}

/// A stable hash of the merged rule data (its debug rendering is deterministic:
/// every map in it is a `BTreeMap` or a `Vec`) and of the engine's version:
/// a new release reads the same rules differently, so its index is rebuilt.
fn fingerprint(set: &RuleSet) -> u64 {
    word_hash(&format!("{} {set:?}", env!("CARGO_PKG_VERSION")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_parse_and_compile() {
        for (name, text) in DEFAULT_RULES {
            RuleFile::parse(text, Path::new(name)).unwrap();
        }
        let rules = Rules::builtin();
        assert!(rules.class_named("baby").is_some());
        assert!(rules.unit_named("kilometre").is_some());
    }

    #[test]
    fn unknown_field_is_an_error_naming_the_file() {
        let err = RuleFile::parse("[[noun]]\nname = \"x\"\nterm = [\"y\"]\n", Path::new("mine.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("mine.toml"), "{msg}");
        assert!(msg.contains("term"), "{msg}");
    }

    #[test]
    fn british_and_american_spellings_stem_alike() {
        let r = Rules::builtin();
        for (uk, us) in [
            ("programme", "program"),
            ("programmes", "programs"),
            ("labour", "labor"),
            ("defence", "defense"),
            ("centre", "center"),
            ("organised", "organized"),
            ("analyse", "analyze"),
        ] {
            assert_eq!(r.stem(uk), r.stem(us), "{uk} / {us}");
        }
        // Short words keep their endings: "hour" is no "hor", "rise" no "rize".
        assert_eq!(r.stem("hour"), "hour");
        assert_eq!(r.stem("rise"), "rise");
        assert_ne!(r.stem("four"), r.stem("for"));
        // Every form of a word changes alike, so its stems still meet.
        assert_eq!(r.stem("raise"), r.stem("raised"));
        assert_eq!(r.stem("raises"), r.stem("raising"));
        assert_eq!(r.stem("hours"), r.stem("hour"));
    }

    #[test]
    fn broader_is_transitive() {
        let r = Rules::builtin();
        let baby = r.class_named("baby").unwrap();
        let person = r.class_named("person").unwrap();
        let child = r.class_named("child").unwrap();
        assert!(r.is_broader(child, baby));
        assert!(r.is_broader(person, baby));
        assert!(!r.is_broader(baby, person));
    }

    #[test]
    fn confusables_are_symmetric() {
        let r = Rules::builtin();
        let city = r.class_named("city").unwrap();
        let province = r.class_named("province").unwrap();
        assert!(r.confusable(city, province));
        assert!(r.confusable(province, city));
        assert!(!r.confusable(city, city));
    }

    #[test]
    fn workspace_rules_extend_and_replace() {
        let mut set = RuleSet::defaults();
        set.merge(
            RuleFile::parse(
                "[[noun]]\nname = \"baby\"\nterms = [\"bairn\"]\n\n[[noun]]\nname = \"goat\"\nterms = [\"goat\", \"kid\"]\n",
                Path::new("x.toml"),
            )
            .unwrap(),
        );
        let r = Rules::compile(set).unwrap();
        let bairn = r.noun_terms.get1(r.stem_hash("bairns"));
        assert_eq!(bairn, r.class_named("baby"));
        // The replaced class lost its default terms.
        assert_eq!(r.noun_terms.get1(r.stem_hash("infants")), None);
        assert!(r.class_named("goat").is_some());
    }

    #[test]
    fn unknown_broader_class_is_an_error() {
        let mut set = RuleSet::defaults();
        set.merge(
            RuleFile::parse(
                "[[noun]]\nname = \"x\"\nterms = [\"x\"]\nbroader = [\"nope\"]\n",
                Path::new("x.toml"),
            )
            .unwrap(),
        );
        let err = Rules::compile(set).unwrap_err();
        assert!(err.to_string().contains("nope"));
    }

    #[test]
    fn no_event_term_belongs_to_two_events() {
        let set = RuleSet::defaults();
        let rules = Rules::compile(RuleSet::defaults()).unwrap();
        let mut seen: FxHashMap<Vec<u64>, &str> = FxHashMap::default();
        for e in &set.events {
            for t in &e.terms {
                let keys = rules.phrase_keys(t, true);
                if let Some(other) = seen.insert(keys, &e.name) {
                    assert_eq!(other, e.name, "{t:?} is in events {other} and {}", e.name);
                }
            }
        }
    }
}
