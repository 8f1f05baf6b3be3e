//! Rules for reading a rate's period or base: "$2,600 a year", "15 cents a
//! share", "$4.25 an hour", "500 barrels per day", "3,000 children every
//! day", "paid annually". The period is a slot of the fact: "$2,600 a month"
//! is not what "$2,600 a year" says, and "$5 a share" is not "$5 a barrel".
//! Words are matched by stem, like every other rule term.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::collections::BTreeMap;

use super::UnitId;

/// `[rates]` in a rule file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatesSection {
    /// Words that open a rate's period or base right after a figure ("a",
    /// "per"): "$2,600 a year".
    #[serde(default)]
    pub openers: Vec<String>,
    /// Of those, the ones that also make a rate standing apart from the
    /// figure in its sentence: "every day, 3,000 children start smoking".
    #[serde(default)]
    pub distributive: Vec<String>,
    /// Bases of a rate that are not units of measure ("share", "head"):
    /// "15 cents a share". After "per" any noun is a base.
    #[serde(default)]
    pub bases: Vec<String>,
    /// Adverbs that state a period, and the time unit they name
    /// ("annually" = "year").
    #[serde(default)]
    pub adverbs: BTreeMap<String, String>,
    /// Words after "a year" that make it a time ago, not a period: "a year
    /// earlier", "a week later".
    #[serde(default)]
    pub not_before: Vec<String>,
    /// The opener after which any noun is a base ("per").
    #[serde(default)]
    pub open_base: Vec<String>,
}

impl RatesSection {
    pub(super) fn merge(&mut self, o: RatesSection) {
        self.openers.extend(o.openers);
        self.distributive.extend(o.distributive);
        self.bases.extend(o.bases);
        self.adverbs.extend(o.adverbs);
        self.not_before.extend(o.not_before);
        self.open_base.extend(o.open_base);
    }
}

/// The compiled `[rates]` rules, by stem hash.
#[derive(Debug, Default)]
pub struct RateRules {
    pub openers: FxHashSet<u64>,
    pub distributive: FxHashSet<u64>,
    pub bases: FxHashSet<u64>,
    pub open_base: FxHashSet<u64>,
    pub adverbs: FxHashMap<u64, UnitId>,
    pub not_before: FxHashSet<u64>,
}

impl RateRules {
    /// `unit` finds a unit by its name in `rules/units.toml`; an adverb
    /// naming no unit is an error of the rule file.
    pub(super) fn compile(
        s: &RatesSection,
        stem: impl Fn(&str) -> u64,
        unit: impl Fn(&str) -> Option<UnitId>,
    ) -> Result<RateRules, String> {
        let set = |v: &[String]| v.iter().map(|w| stem(w)).collect::<FxHashSet<u64>>();
        let mut adverbs = FxHashMap::default();
        for (w, u) in &s.adverbs {
            let id = unit(u).ok_or_else(|| format!("[rates] adverb {w:?} names no unit {u:?}"))?;
            adverbs.insert(stem(w), id);
        }
        Ok(RateRules {
            openers: set(&s.openers),
            distributive: set(&s.distributive),
            bases: set(&s.bases),
            open_base: set(&s.open_base),
            adverbs,
            not_before: set(&s.not_before),
        })
    }
}
