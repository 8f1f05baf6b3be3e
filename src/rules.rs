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

mod scoring;
pub use scoring::Scoring;
use scoring::ScoringSection;
pub mod arithmetic;
pub mod dates;
pub mod periods;
pub mod rates;
pub mod revision;
mod words;

/// The default rule files, embedded at build time.
/// The fewest letters a spelling ending must leave before it: "labour",
/// "raised" and "raise" change alike ("raize", "raized": the stems still
/// meet), "hour", "hours" and "rise" not at all.
const SPELLING_BASE: usize = 2;

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
// Schema: what a rule file may contain.

/// One rule file. All sections are optional so a workspace file can add a
/// single synonym without restating the rest.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    numbers: Option<NumbersSection>,
    #[serde(default)]
    qualifier: Vec<QualifierRule>,
    #[serde(default)]
    qualifier_suffixes: BTreeMap<String, Bound>,
    #[serde(default)]
    noun: Vec<NounRule>,
    #[serde(default)]
    confusable: Vec<ConfusableRule>,
    #[serde(default)]
    unit: Vec<UnitRule>,
    #[serde(default)]
    currency: Vec<CurrencyRule>,
    #[serde(default)]
    event: Vec<EventRule>,
    lexicon: Option<LexiconSection>,
    quotes: Option<QuotesSection>,
    scoring: Option<ScoringSection>,
    dates: Option<dates::DatesSection>,
    arithmetic: Option<arithmetic::ArithmeticSection>,
    revision: Option<revision::RevisionSection>,
    rates: Option<rates::RatesSection>,
    periods: Option<periods::PeriodsSection>,
}

/// Quotation marks, speech verbs, honorifics: what `extract::quotes` reads.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotesSection {
    #[serde(default)]
    pairs: Vec<QuotePairRule>,
    #[serde(default)]
    speech_verbs: Vec<String>,
    #[serde(default)]
    according: Vec<String>,
    #[serde(default)]
    pronouns: Vec<String>,
    #[serde(default)]
    honorifics: Vec<String>,
    #[serde(default)]
    name_particles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotePairRule {
    open: String,
    close: String,
    #[serde(default)]
    nested_only: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NumbersSection {
    #[serde(default)]
    units: BTreeMap<String, f64>,
    #[serde(default)]
    tens: BTreeMap<String, f64>,
    #[serde(default)]
    scales: BTreeMap<String, f64>,
    #[serde(default)]
    scale_abbreviations: BTreeMap<String, f64>,
    #[serde(default)]
    groups: BTreeMap<String, f64>,
    #[serde(default)]
    fractions: BTreeMap<String, f64>,
    #[serde(default)]
    ordinals: BTreeMap<String, f64>,
    #[serde(default)]
    ordinal_nouns: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
    #[serde(default)]
    vague: Vec<VagueRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct VagueRule {
    phrase: String,
    low: f64,
    high: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct QualifierRule {
    bound: Bound,
    phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NounRule {
    name: String,
    terms: Vec<String>,
    #[serde(default)]
    broader: Vec<String>,
    /// For nouns that count events ("arrests", "deaths"): the event class, so
    /// "43 arrests" can be "43 suspects were arrested".
    #[serde(default)]
    event: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfusableRule {
    name: String,
    members: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitRule {
    name: String,
    dimension: String,
    factor: f64,
    terms: Vec<String>,
    /// Terms that read as this unit only in a sentence that also gives a
    /// figure in a unit of dimension `beside` ("points" is a percentage
    /// point beside a percentage, a count of points elsewhere).
    #[serde(default)]
    beside_terms: Vec<String>,
    #[serde(default)]
    beside: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurrencyRule {
    name: String,
    family: String,
    #[serde(default)]
    generic: bool,
    #[serde(default)]
    symbols: Vec<String>,
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRule {
    name: String,
    terms: Vec<String>,
}

/// `[lexicon.spelling]`: word endings (leaving at least `SPELLING_BASE`
/// letters) and whole words, British to American.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpellingSection {
    #[serde(default)]
    endings: BTreeMap<String, String>,
    #[serde(default)]
    words: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconSection {
    #[serde(default)]
    stopwords: Vec<String>,
    /// British spellings and their American forms, so that one source's
    /// "programme" is another's "program".
    #[serde(default)]
    spelling: SpellingSection,
    #[serde(default)]
    abbreviations: Vec<String>,
    #[serde(default)]
    months: Vec<Vec<String>>,
    #[serde(default)]
    not_names: Vec<String>,
    #[serde(default)]
    clause_openers: Vec<String>,
    /// Conjunctions that, opening a sentence, make its first comma a clause end.
    #[serde(default)]
    subordinators: Vec<String>,
    /// Words that pick out a span of a sequence ("the previous 12").
    #[serde(default)]
    span_words: Vec<String>,
    /// Forecast verbs whose object business copy leaves out.
    #[serde(default)]
    consensus_verbs: Vec<String>,
    #[serde(default)]
    rate_words: Vec<String>,
    #[serde(default)]
    age_words: Vec<String>,
    /// Determiners that make a noun phrase definite ("the 900 homes", "its
    /// 84,000 members"): the thing counted is one the text has named before.
    #[serde(default)]
    definite: Vec<String>,
    /// Plurals without an -s ("people", "children"): a number before one counts.
    #[serde(default)]
    irregular_plurals: Vec<String>,
    /// Prepositions of time ("by 2000 crime had fallen").
    #[serde(default)]
    time_prepositions: Vec<String>,
    /// Prepositions that let a date after a figure date it ("in 1986").
    #[serde(default)]
    dating_prepositions: Vec<String>,
    /// Adjectives of place and nation, read as the place: "British" as "Britain".
    #[serde(default)]
    demonyms: BTreeMap<String, String>,
    /// Table headers written as abbreviations, exactly as written ("Pts",
    /// "GF"), and what they stand for ("points", "goals for").
    #[serde(default)]
    header_abbreviations: BTreeMap<String, String>,
    /// Phrases that date a figure relative to the text's own date ("last
    /// year" = -1): they are its time, not the year of a neighbouring clause.
    #[serde(default)]
    relative_years: BTreeMap<String, i32>,
    /// Phrases that date a figure relative to the year its sentence names
    /// before them ("the following year"), else to the text's date.
    #[serde(default)]
    anaphoric_years: BTreeMap<String, i32>,
}

impl RuleFile {
    /// Parses one rule file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<RuleFile, RulesError> {
        toml::from_str(text).map_err(|e| RulesError::Parse {
            path: origin.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })
    }
}

/// The merged, not yet compiled, rule data: defaults then workspace files.
#[derive(Debug, Default)]
pub struct RuleSet {
    numbers: NumbersSection,
    qualifiers: Vec<QualifierRule>,
    qualifier_suffixes: BTreeMap<String, Bound>,
    nouns: Vec<NounRule>,
    confusables: Vec<ConfusableRule>,
    units: Vec<UnitRule>,
    currencies: Vec<CurrencyRule>,
    events: Vec<EventRule>,
    lexicon: LexiconSection,
    quotes: QuotesSection,
    scoring: ScoringSection,
    dates: dates::DatesSection,
    arithmetic: arithmetic::ArithmeticSection,
    revision: revision::RevisionSection,
    rates: rates::RatesSection,
    periods: periods::PeriodsSection,
}

/// Replaces the entry of the same name, or appends.
fn upsert<T>(list: &mut Vec<T>, item: T, name: impl Fn(&T) -> &str) {
    if let Some(slot) = list.iter_mut().find(|x| name(x) == name(&item)) {
        *slot = item;
    } else {
        list.push(item);
    }
}

impl RuleSet {
    /// The embedded defaults.
    pub fn defaults() -> RuleSet {
        let mut set = RuleSet::default();
        for (name, text) in DEFAULT_RULES {
            let file = RuleFile::parse(text, Path::new(&format!("<builtin>/rules/{name}")))
                .expect("embedded rules are valid (checked by tests)");
            set.merge(file);
        }
        set
    }

    /// Adds a file's rules on top of what is there.
    pub fn merge(&mut self, file: RuleFile) {
        if let Some(n) = file.numbers {
            let dst = &mut self.numbers;
            dst.units.extend(n.units);
            dst.tens.extend(n.tens);
            dst.scales.extend(n.scales);
            dst.scale_abbreviations.extend(n.scale_abbreviations);
            dst.groups.extend(n.groups);
            dst.fractions.extend(n.fractions);
            dst.ordinals.extend(n.ordinals);
            dst.ordinal_nouns.extend(n.ordinal_nouns);
            dst.weak.extend(n.weak);
            for v in n.vague {
                upsert(&mut dst.vague, v, |v| &v.phrase);
            }
        }
        self.qualifiers.extend(file.qualifier);
        self.qualifier_suffixes.extend(file.qualifier_suffixes);
        for n in file.noun {
            upsert(&mut self.nouns, n, |n| &n.name);
        }
        for c in file.confusable {
            upsert(&mut self.confusables, c, |c| &c.name);
        }
        for u in file.unit {
            upsert(&mut self.units, u, |u| &u.name);
        }
        for c in file.currency {
            upsert(&mut self.currencies, c, |c| &c.name);
        }
        if let Some(sc) = file.scoring {
            self.scoring.merge(sc);
        }
        for e in file.event {
            upsert(&mut self.events, e, |e| &e.name);
        }
        if let Some(l) = file.lexicon {
            let dst = &mut self.lexicon;
            dst.stopwords.extend(l.stopwords);
            dst.spelling.endings.extend(l.spelling.endings);
            dst.spelling.words.extend(l.spelling.words);
            dst.abbreviations.extend(l.abbreviations);
            if !l.months.is_empty() {
                dst.months = l.months;
            }
            dst.not_names.extend(l.not_names);
            dst.clause_openers.extend(l.clause_openers);
            dst.subordinators.extend(l.subordinators);
            dst.span_words.extend(l.span_words);
            dst.consensus_verbs.extend(l.consensus_verbs);
            dst.rate_words.extend(l.rate_words);
            dst.age_words.extend(l.age_words);
            dst.definite.extend(l.definite);
            dst.irregular_plurals.extend(l.irregular_plurals);
            dst.time_prepositions.extend(l.time_prepositions);
            dst.dating_prepositions.extend(l.dating_prepositions);
            dst.demonyms.extend(l.demonyms);
            dst.header_abbreviations.extend(l.header_abbreviations);
            dst.relative_years.extend(l.relative_years);
            dst.anaphoric_years.extend(l.anaphoric_years);
        }
        if let Some(q) = file.quotes {
            let dst = &mut self.quotes;
            for p in q.pairs {
                upsert(&mut dst.pairs, p, |p| &p.open);
            }
            dst.speech_verbs.extend(q.speech_verbs);
            dst.according.extend(q.according);
            dst.pronouns.extend(q.pronouns);
            dst.honorifics.extend(q.honorifics);
            dst.name_particles.extend(q.name_particles);
        }
        if let Some(d) = file.dates {
            self.dates.merge(d);
        }
        if let Some(a) = file.arithmetic {
            self.arithmetic.merge(a);
        }
        if let Some(r) = file.revision {
            self.revision.merge(r);
        }
        if let Some(r) = file.rates {
            self.rates.merge(r);
        }
        if let Some(p) = file.periods {
            self.periods.merge(p);
        }
    }

    /// Reads rule files from `paths` (files, or folders of `*.toml`) and merges them.
    pub fn merge_paths(&mut self, paths: &[PathBuf]) -> Result<(), RulesError> {
        for path in paths {
            let io = |source| RulesError::Io {
                path: path.clone(),
                source,
            };
            let files = if path.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(io)?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect();
                files.sort();
                files
            } else {
                vec![path.clone()]
            };
            for file in files {
                let text = crate::config::read_regular_to_string(&file).map_err(|source| RulesError::Io {
                    path: file.clone(),
                    source,
                })?;
                self.merge(RuleFile::parse(&text, &file)?);
            }
        }
        Ok(())
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

/// A class of counted things.
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
    pub abbreviations: FxHashSet<String>,
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

    /// Compiles merged rule data into lookup tables.
    pub fn compile(mut set: RuleSet) -> Result<Rules, RulesError> {
        // Weights do not change what the index holds: kept out of the fingerprint.
        let scoring_section = std::mem::take(&mut set.scoring);
        let scoring = scoring_section.compile().map_err(|name| RulesError::Parse {
            path: PathBuf::from("scoring.toml"),
            message: format!("[scoring] has no value for {name}"),
        })?;
        let mut rules = Rules {
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
            spelling_endings: Vec::new(),
            spelling_words: FxHashMap::default(),
            number_words: FxHashMap::default(),
            fractions: FxHashMap::default(),
            ordinals: FxHashMap::default(),
            scale_abbreviations: FxHashMap::default(),
            ordinal_nouns: FxHashSet::default(),
            weak_words: FxHashSet::default(),
            vague: Vec::new(),
            qualifiers: PhraseTable::default(),
            qualifier_suffixes: PhraseTable::default(),
            nouns: Vec::new(),
            noun_terms: PhraseTable::default(),
            ing_nouns: FxHashSet::default(),
            confusable: FxHashSet::default(),
            units: Vec::new(),
            unit_terms: PhraseTable::default(),
            unit_beside: FxHashMap::default(),
            currencies: Vec::new(),
            currency_symbols: Vec::new(),
            currency_words: PhraseTable::default(),
            events: Vec::new(),
            event_terms: PhraseTable::default(),
            stopwords: FxHashSet::default(),
            abbreviations: FxHashSet::default(),
            months: FxHashMap::default(),
            not_names: FxHashSet::default(),
            clause_openers: FxHashSet::default(),
            subordinators: FxHashSet::default(),
            span_words: FxHashSet::default(),
            consensus_verbs: FxHashSet::default(),
            rate_words: FxHashSet::default(),
            age_words: FxHashSet::default(),
            definite: FxHashSet::default(),
            irregular_plurals: FxHashSet::default(),
            time_prepositions: FxHashSet::default(),
            dating_prepositions: FxHashSet::default(),
            demonyms: FxHashMap::default(),
            header_abbreviations: set.lexicon.header_abbreviations.clone().into_iter().collect(),
            quotes: QuoteRules::default(),
            dates: dates::DateRules::compile(&set.dates)?,
            arithmetic: arithmetic::ArithmeticRules::default(),
            rates: rates::RateRules::default(),
            periods: periods::PeriodRules::default(),
            revision: revision::RevisionRules::default(),
            fingerprint: 0,
            scoring,
            relative_years: Vec::new(),
        };
        // Spelling first: every stemmed rule term below goes through it.
        let sp = &set.lexicon.spelling;
        rules.spelling_words = sp
            .words
            .iter()
            .map(|(k, v)| (k.to_lowercase(), v.to_lowercase()))
            .collect();
        rules.spelling_endings = sp
            .endings
            .iter()
            .map(|(k, v)| (k.to_lowercase(), v.to_lowercase()))
            .collect();
        rules
            .spelling_endings
            .sort_by_key(|(uk, _)| std::cmp::Reverse(uk.len()));
        let lower = |s: &str| word_hash(&s.to_lowercase());
        // Demonyms first: rule phrases are keyed the way text is read, and text
        // reads "Canadian" as "Canada" ("Canadian dlrs").
        for (adj, place) in &set.lexicon.demonyms {
            let stem = rules.stem_hash(place);
            rules.demonyms.insert(lower(adj), stem);
        }

        let n = &set.numbers;
        type Table<'a> = (&'a BTreeMap<String, f64>, fn(f64) -> NumWord);
        let tables: [Table; 4] = [
            (&n.units, NumWord::Unit),
            (&n.tens, NumWord::Ten),
            (&n.scales, NumWord::Scale),
            (&n.groups, NumWord::Group),
        ];
        for (table, make) in tables {
            for (word, value) in table {
                rules.number_words.insert(lower(word), make(*value));
            }
        }
        for (word, value) in &n.fractions {
            rules.fractions.insert(lower(word), *value);
        }
        for (word, value) in &n.ordinals {
            rules.ordinals.insert(lower(word), *value);
        }
        for (word, value) in &n.scale_abbreviations {
            rules.scale_abbreviations.insert(lower(word), *value);
        }
        for word in &n.ordinal_nouns {
            rules.ordinal_nouns.insert(rules.stem_hash(word));
        }
        for word in &n.weak {
            rules.weak_words.insert(lower(word));
        }
        for v in &n.vague {
            rules.vague.push(Vague {
                words: rules.phrase_keys(&v.phrase, false),
                low: v.low,
                high: v.high,
            });
        }
        // Longest phrases first so "tens of thousands of" beats "thousands of".
        rules.vague.sort_by_key(|v| std::cmp::Reverse(v.words.len()));

        for q in &set.qualifiers {
            for p in &q.phrases {
                let keys = rules.phrase_keys(p, false);
                rules.qualifiers.insert(keys, q.bound);
            }
        }
        for (p, bound) in &set.qualifier_suffixes {
            let keys = rules.phrase_keys(p, false);
            rules.qualifier_suffixes.insert(keys, *bound);
        }

        // Nouns: ids first, so `broader` can refer forward.
        let class_ids: FxHashMap<&str, ClassId> = set
            .nouns
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.as_str(), i as ClassId))
            .collect();
        for noun in &set.nouns {
            let mut broader = Vec::new();
            for b in &noun.broader {
                let id = *class_ids.get(b.as_str()).ok_or_else(|| RulesError::UnknownReference {
                    rule: noun.name.clone(),
                    what: "noun class",
                    name: b.clone(),
                })?;
                broader.push(id);
            }
            rules.nouns.push(NounClass {
                name: noun.name.clone(),
                broader,
                event: None,
            });
        }
        // Close `broader` transitively (baby ⊂ child ⊂ person).
        loop {
            let mut changed = false;
            for i in 0..rules.nouns.len() {
                let mut extra = Vec::new();
                for &b in &rules.nouns[i].broader {
                    for &bb in &rules.nouns[b as usize].broader {
                        if bb as usize != i && !rules.nouns[i].broader.contains(&bb) && !extra.contains(&bb) {
                            extra.push(bb);
                        }
                    }
                }
                if !extra.is_empty() {
                    rules.nouns[i].broader.extend(extra);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (i, noun) in set.nouns.iter().enumerate() {
            for t in &noun.terms {
                let keys = rules.phrase_keys(t, true);
                let last = t.split_whitespace().last().unwrap_or_default().to_lowercase();
                if (last.ends_with("ing") || last.ends_with("ings"))
                    && let Some(&k) = keys.last()
                {
                    rules.ing_nouns.insert(k);
                }
                rules.noun_terms.insert(keys, i as ClassId);
            }
        }
        for c in &set.confusables {
            let mut members = Vec::new();
            for m in &c.members {
                let id = *class_ids.get(m.as_str()).ok_or_else(|| RulesError::UnknownReference {
                    rule: c.name.clone(),
                    what: "noun class",
                    name: m.clone(),
                })?;
                members.push(id);
            }
            for &a in &members {
                for &b in &members {
                    if a != b {
                        rules.confusable.insert((a, b));
                    }
                }
            }
        }

        for (i, u) in set.units.iter().enumerate() {
            rules.units.push(Unit {
                name: u.name.clone(),
                dimension: u.dimension.clone(),
                factor: u.factor,
                display: u.terms.first().cloned().unwrap_or_else(|| u.name.clone()),
            });
            for t in &u.terms {
                let keys = rules.phrase_keys(t, true);
                rules.unit_terms.insert(keys, i as UnitId);
            }
            if let Some(dim) = &u.beside {
                for t in &u.beside_terms {
                    let keys = rules.phrase_keys(t, true);
                    rules.unit_terms.insert(keys.clone(), i as UnitId);
                    rules.unit_beside.insert(keys, dim.clone());
                }
            }
        }

        for (i, c) in set.currencies.iter().enumerate() {
            rules.currencies.push(Currency {
                name: c.name.clone(),
                family: c.family.clone(),
                generic: c.generic,
            });
            for s in &c.symbols {
                rules.currency_symbols.push((s.clone(), i as CurrencyId));
            }
            for w in &c.words {
                let keys = rules.phrase_keys(w, true);
                rules.currency_words.insert(keys, i as CurrencyId);
            }
        }
        rules.currency_symbols.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));

        for (i, e) in set.events.iter().enumerate() {
            rules.events.push(e.name.clone());
            for t in &e.terms {
                let keys = rules.phrase_keys(t, true);
                rules.event_terms.insert(keys, i as EventId);
            }
        }

        for (i, noun) in set.nouns.iter().enumerate() {
            if let Some(ev) = &noun.event {
                let id = rules
                    .events
                    .iter()
                    .position(|e| e == ev)
                    .ok_or_else(|| RulesError::UnknownReference {
                        rule: noun.name.clone(),
                        what: "event",
                        name: ev.clone(),
                    })?;
                rules.nouns[i].event = Some(id as EventId);
            }
        }

        let lx = &set.lexicon;
        for w in &lx.stopwords {
            rules.stopwords.insert(lower(w));
        }
        for w in &lx.abbreviations {
            rules.abbreviations.insert(w.to_lowercase());
        }
        for (table, anaphoric) in [(&lx.relative_years, false), (&lx.anaphoric_years, true)] {
            for (phrase, offset) in table {
                rules.relative_years.push(RelativeYear {
                    words: phrase.split_whitespace().map(lower).collect(),
                    offset: *offset,
                    anaphoric,
                });
            }
        }
        for (i, names) in lx.months.iter().enumerate() {
            for name in names {
                rules.months.insert(lower(name), (i + 1) as u8);
            }
        }
        for w in &lx.not_names {
            rules.not_names.insert(lower(w));
        }
        for w in &lx.clause_openers {
            rules.clause_openers.insert(lower(w));
        }
        for w in &lx.subordinators {
            rules.subordinators.insert(lower(w));
        }
        for w in &lx.span_words {
            rules.span_words.insert(lower(w));
        }
        for w in &lx.consensus_verbs {
            rules.consensus_verbs.insert(lower(w));
        }
        for w in &lx.rate_words {
            rules.rate_words.insert(lower(w));
        }
        for w in &lx.age_words {
            rules.age_words.insert(lower(w));
        }
        for w in &lx.definite {
            rules.definite.insert(lower(w));
        }
        for w in &lx.irregular_plurals {
            rules.irregular_plurals.insert(lower(w));
        }
        for w in &lx.time_prepositions {
            rules.time_prepositions.insert(lower(w));
        }
        for w in &lx.dating_prepositions {
            rules.dating_prepositions.insert(lower(w));
        }

        let q = &set.quotes;
        rules.quotes.pairs = q
            .pairs
            .iter()
            .map(|p| QuotePair {
                open: p.open.clone(),
                close: p.close.clone(),
                nested_only: p.nested_only,
            })
            .collect();
        for (list, dst) in [
            (&q.speech_verbs, &mut rules.quotes.speech_verbs),
            (&q.pronouns, &mut rules.quotes.pronouns),
            (&q.honorifics, &mut rules.quotes.honorifics),
            (&q.name_particles, &mut rules.quotes.name_particles),
        ] {
            dst.extend(list.iter().map(|w| lower(w)));
        }
        for p in &q.according {
            let keys = rules.phrase_keys(p, false);
            rules.quotes.according.insert(keys, ());
        }

        rules.arithmetic = arithmetic::ArithmeticRules::compile(&set.arithmetic, |w| rules.stem_hash(w));
        rules.revision = revision::RevisionRules::compile(&set.revision, |w| rules.stem_hash(w));
        rules.periods = periods::PeriodRules::compile(&set.periods, |p| rules.phrase_keys(p, true));
        rules.rates = rates::RateRules::compile(&set.rates, |w| rules.stem_hash(w), |u| rules.unit_named(u)).map_err(
            |message| RulesError::Parse {
                path: PathBuf::from("[rates]"),
                message,
            },
        )?;
        rules.fingerprint = fingerprint(&set);
        Ok(rules)
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
