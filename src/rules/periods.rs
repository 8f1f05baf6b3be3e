//! Rules for a figure's reporting period, a slot of the fact in company
//! results and public accounts: "first-half profit of 318 mln stg" and
//! "full-year profit of between £640 million and £660 million" are two facts,
//! as are a figure of the third quarter and one of the first nine months.
//! Phrases are matched by stem; each names a period by a label, and
//! phrases of one label are the same period ("first half", "H1", "interim").

use serde::Deserialize;
use std::collections::BTreeMap;

use super::PhraseTable;

/// `[periods]` in a rule file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodsSection {
    /// Phrase → the period's label ("first-half" = "H1").
    #[serde(default)]
    pub phrases: BTreeMap<String, String>,
}

impl PeriodsSection {
    pub(super) fn merge(&mut self, o: PeriodsSection) {
        self.phrases.extend(o.phrases);
    }
}

/// A reporting period, by the index of its label among the rules' labels.
pub type PeriodId = u16;

/// The compiled `[periods]` rules.
#[derive(Debug, Default)]
pub struct PeriodRules {
    pub phrases: PhraseTable<PeriodId>,
    pub labels: Vec<String>,
}

impl PeriodRules {
    pub(super) fn compile(s: &PeriodsSection, keys: impl Fn(&str) -> Vec<u64>) -> PeriodRules {
        let mut labels: Vec<String> = s.phrases.values().cloned().collect();
        labels.sort();
        labels.dedup();
        let mut phrases = PhraseTable::default();
        for (phrase, label) in &s.phrases {
            let id = labels.binary_search(label).unwrap_or_default() as PeriodId;
            phrases.insert(keys(phrase), id);
        }
        PeriodRules { phrases, labels }
    }
}
