//! Compiling merged rule data into the lookup tables of [`Rules`].

use super::*;

impl Rules {
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
            money_measures: Vec::new(),
            money_measure_terms: PhraseTable::default(),
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
            abbreviations: crate::text::Abbreviations::default(),
            months: FxHashMap::default(),
            not_names: FxHashSet::default(),
            clause_openers: FxHashSet::default(),
            subordinators: FxHashSet::default(),
            span_words: FxHashSet::default(),
            consensus_verbs: FxHashSet::default(),
            rate_words: FxHashSet::default(),
            age_words: FxHashSet::default(),
            age_comparatives: FxHashSet::default(),
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
                mistaken_for: u.mistaken_for.clone(),
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
        for (i, m) in set.money_measures.iter().enumerate() {
            rules.money_measures.push(m.name.clone());
            for t in &m.terms {
                let keys = rules.phrase_keys(t, true);
                rules.money_measure_terms.insert(keys, i as MeasureId);
            }
        }

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
        rules.stopwords = word_set(&lx.stopwords);
        for w in &lx.abbreviations {
            rules.abbreviations.leading.insert(w.to_lowercase());
        }
        for w in &lx.trailing_abbreviations {
            rules.abbreviations.trailing.insert(w.to_lowercase());
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
        rules.not_names = word_set(&lx.not_names);
        rules.clause_openers = word_set(&lx.clause_openers);
        rules.subordinators = word_set(&lx.subordinators);
        rules.span_words = word_set(&lx.span_words);
        rules.consensus_verbs = word_set(&lx.consensus_verbs);
        rules.rate_words = word_set(&lx.rate_words);
        rules.age_words = word_set(&lx.age_words);
        rules.age_comparatives = word_set(&lx.age_comparatives);
        rules.definite = word_set(&lx.definite);
        rules.irregular_plurals = word_set(&lx.irregular_plurals);
        rules.time_prepositions = word_set(&lx.time_prepositions);
        rules.dating_prepositions = word_set(&lx.dating_prepositions);

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
}

/// A rule word list as a set of lowercase word hashes.
fn word_set(list: &[String]) -> FxHashSet<u64> {
    list.iter().map(|w| word_hash(&w.to_lowercase())).collect()
}
