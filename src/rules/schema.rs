//! The schema of a rule file, and the merge of defaults with workspace files:
//! what `rules/*.toml` may contain, before [`Rules::compile`](super::Rules::compile)
//! turns it into lookup tables.

use super::*;

/// One rule file. All sections are optional so a workspace file can add a
/// single synonym without restating the rest.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub(super) numbers: Option<NumbersSection>,
    #[serde(default)]
    pub(super) qualifier: Vec<QualifierRule>,
    #[serde(default)]
    pub(super) qualifier_suffixes: BTreeMap<String, Bound>,
    #[serde(default)]
    pub(super) noun: Vec<NounRule>,
    #[serde(default)]
    pub(super) confusable: Vec<ConfusableRule>,
    #[serde(default)]
    pub(super) unit: Vec<UnitRule>,
    #[serde(default)]
    pub(super) currency: Vec<CurrencyRule>,
    #[serde(default)]
    pub(super) money_measure: Vec<MoneyMeasureRule>,
    #[serde(default)]
    pub(super) event: Vec<EventRule>,
    pub(super) lexicon: Option<LexiconSection>,
    pub(super) quotes: Option<QuotesSection>,
    pub(super) scoring: Option<ScoringSection>,
    pub(super) dates: Option<dates::DatesSection>,
    pub(super) arithmetic: Option<arithmetic::ArithmeticSection>,
    pub(super) revision: Option<revision::RevisionSection>,
    pub(super) rates: Option<rates::RatesSection>,
    pub(super) periods: Option<periods::PeriodsSection>,
}

/// Quotation marks, speech verbs, honorifics: what `extract::quotes` reads.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuotesSection {
    #[serde(default)]
    pub(super) pairs: Vec<QuotePairRule>,
    #[serde(default)]
    pub(super) speech_verbs: Vec<String>,
    #[serde(default)]
    pub(super) according: Vec<String>,
    #[serde(default)]
    pub(super) pronouns: Vec<String>,
    #[serde(default)]
    pub(super) honorifics: Vec<String>,
    #[serde(default)]
    pub(super) name_particles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QuotePairRule {
    pub(super) open: String,
    pub(super) close: String,
    #[serde(default)]
    pub(super) nested_only: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NumbersSection {
    #[serde(default)]
    pub(super) units: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) tens: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) scales: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) scale_abbreviations: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) groups: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) fractions: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) ordinals: BTreeMap<String, f64>,
    #[serde(default)]
    pub(super) ordinal_nouns: Vec<String>,
    #[serde(default)]
    pub(super) weak: Vec<String>,
    #[serde(default)]
    pub(super) vague: Vec<VagueRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VagueRule {
    pub(super) phrase: String,
    pub(super) low: f64,
    pub(super) high: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QualifierRule {
    pub(super) bound: Bound,
    pub(super) phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NounRule {
    pub(super) name: String,
    pub(super) terms: Vec<String>,
    #[serde(default)]
    pub(super) broader: Vec<String>,
    /// For nouns that count events ("arrests", "deaths"): the event class, so
    /// "43 arrests" can be "43 suspects were arrested".
    #[serde(default)]
    pub(super) event: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfusableRule {
    pub(super) name: String,
    pub(super) members: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitRule {
    pub(super) name: String,
    pub(super) dimension: String,
    pub(super) factor: f64,
    pub(super) terms: Vec<String>,
    /// Terms that read as this unit only in a sentence that also gives a
    /// figure in a unit of dimension `beside` ("points" is a percentage
    /// point beside a percentage, a count of points elsewhere).
    #[serde(default)]
    pub(super) beside_terms: Vec<String>,
    #[serde(default)]
    pub(super) beside: Option<String>,
    /// A dimension this unit's figures are mistaken for (see `Unit::mistaken_for`).
    #[serde(default)]
    pub(super) mistaken_for: Option<String>,
}

/// What an amount of money is of: a line of accounts ("revenue", "net
/// profit") or another measure told in money. Two amounts of different
/// measures are two facts, however close their words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MoneyMeasureRule {
    pub(super) name: String,
    pub(super) terms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CurrencyRule {
    pub(super) name: String,
    pub(super) family: String,
    #[serde(default)]
    pub(super) generic: bool,
    #[serde(default)]
    pub(super) symbols: Vec<String>,
    #[serde(default)]
    pub(super) words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventRule {
    pub(super) name: String,
    pub(super) terms: Vec<String>,
}

/// `[lexicon.spelling]`: word endings (leaving at least `SPELLING_BASE`
/// letters) and whole words, British to American.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SpellingSection {
    #[serde(default)]
    pub(super) endings: BTreeMap<String, String>,
    #[serde(default)]
    pub(super) words: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LexiconSection {
    #[serde(default)]
    pub(super) stopwords: Vec<String>,
    /// British spellings and their American forms, so that one source's
    /// "programme" is another's "program".
    #[serde(default)]
    pub(super) spelling: SpellingSection,
    #[serde(default)]
    pub(super) abbreviations: Vec<String>,
    /// Abbreviations that close a phrase ("Inc.", "Jr."): see `text::Abbreviations`.
    #[serde(default)]
    pub(super) trailing_abbreviations: Vec<String>,
    #[serde(default)]
    pub(super) months: Vec<Vec<String>>,
    #[serde(default)]
    pub(super) not_names: Vec<String>,
    #[serde(default)]
    pub(super) clause_openers: Vec<String>,
    /// Conjunctions that, opening a sentence, make its first comma a clause end.
    #[serde(default)]
    pub(super) subordinators: Vec<String>,
    /// Words that pick out a span of a sequence ("the previous 12").
    #[serde(default)]
    pub(super) span_words: Vec<String>,
    /// Forecast verbs whose object business copy leaves out.
    #[serde(default)]
    pub(super) consensus_verbs: Vec<String>,
    #[serde(default)]
    pub(super) rate_words: Vec<String>,
    #[serde(default)]
    pub(super) age_words: Vec<String>,
    /// Comparatives that make the bare number before them an age bracket
    /// ("65 or older", "16 and younger").
    #[serde(default)]
    pub(super) age_comparatives: Vec<String>,
    /// Determiners that make a noun phrase definite ("the 900 homes", "its
    /// 84,000 members"): the thing counted is one the text has named before.
    #[serde(default)]
    pub(super) definite: Vec<String>,
    /// Plurals without an -s ("people", "children"): a number before one counts.
    #[serde(default)]
    pub(super) irregular_plurals: Vec<String>,
    /// Prepositions of time ("by 2000 crime had fallen").
    #[serde(default)]
    pub(super) time_prepositions: Vec<String>,
    /// Prepositions that let a date after a figure date it ("in 1986").
    #[serde(default)]
    pub(super) dating_prepositions: Vec<String>,
    /// Adjectives of place and nation, read as the place: "British" as "Britain".
    #[serde(default)]
    pub(super) demonyms: BTreeMap<String, String>,
    /// Table headers written as abbreviations, exactly as written ("Pts",
    /// "GF"), and what they stand for ("points", "goals for").
    #[serde(default)]
    pub(super) header_abbreviations: BTreeMap<String, String>,
    /// Phrases that date a figure relative to the text's own date ("last
    /// year" = -1): they are its time, not the year of a neighbouring clause.
    #[serde(default)]
    pub(super) relative_years: BTreeMap<String, i32>,
    /// Phrases that date a figure relative to the year its sentence names
    /// before them ("the following year"), else to the text's date.
    #[serde(default)]
    pub(super) anaphoric_years: BTreeMap<String, i32>,
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
    pub(super) numbers: NumbersSection,
    pub(super) qualifiers: Vec<QualifierRule>,
    pub(super) qualifier_suffixes: BTreeMap<String, Bound>,
    pub(super) nouns: Vec<NounRule>,
    pub(super) confusables: Vec<ConfusableRule>,
    pub(super) units: Vec<UnitRule>,
    pub(super) currencies: Vec<CurrencyRule>,
    pub(super) money_measures: Vec<MoneyMeasureRule>,
    pub(super) events: Vec<EventRule>,
    pub(super) lexicon: LexiconSection,
    pub(super) quotes: QuotesSection,
    pub(super) scoring: ScoringSection,
    pub(super) dates: dates::DatesSection,
    pub(super) arithmetic: arithmetic::ArithmeticSection,
    pub(super) revision: revision::RevisionSection,
    pub(super) rates: rates::RatesSection,
    pub(super) periods: periods::PeriodsSection,
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
        for m in file.money_measure {
            upsert(&mut self.money_measures, m, |m| &m.name);
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
            dst.trailing_abbreviations.extend(l.trailing_abbreviations);
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
            dst.age_comparatives.extend(l.age_comparatives);
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
