//! Rules for the grammar of revision: a sentence that gives a fact's old and
//! new value together ("the toll rose to 52 from 40", "revised the deficit
//! from $13.9 billion to $1.1 billion", "52, up from 40"). The words that
//! mark the earlier value ("from") and the newer one ("to"), and the verbs
//! of revision besides the rise and fall words of `[arithmetic]`.

use rustc_hash::FxHashMap;
use serde::Deserialize;

/// `[revision]` in a rule file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionSection {
    /// Words just before the earlier value: "rose to 52 from 40".
    #[serde(default)]
    pub earlier: Vec<String>,
    /// Words just before the newer value: "revised from 40 to 52".
    #[serde(default)]
    pub newer: Vec<String>,
    /// Verbs that say a value was changed ("revised", "raised", "corrected");
    /// the rise and fall words of `[arithmetic]` count too.
    #[serde(default)]
    pub change: Vec<String>,
    /// Words that place a compared value before the sentence's own ("65 more
    /// than the 85 homes counted on Thursday"): the compared value is then
    /// the fact's earlier count, not another thing's.
    #[serde(default)]
    pub earlier_time: Vec<String>,
    /// Words just before a change's size ("fell by 42,000 to 761,000"):
    /// that figure is the difference, neither the earlier value nor the newer.
    #[serde(default)]
    pub difference: Vec<String>,
    /// Verbs that state a count's level, its number right after them or after
    /// a `level_particle`: "cases reached 260", "the toll stood at 41". The
    /// number is the subject's count, as after a change verb and "to".
    #[serde(default)]
    pub level: Vec<String>,
    /// The particle between a level verb and its number ("stood at 41").
    #[serde(default)]
    pub level_particle: Vec<String>,
}

impl RevisionSection {
    pub(super) fn merge(&mut self, o: RevisionSection) {
        self.earlier.extend(o.earlier);
        self.newer.extend(o.newer);
        self.change.extend(o.change);
        self.earlier_time.extend(o.earlier_time);
        self.difference.extend(o.difference);
        self.level.extend(o.level);
        self.level_particle.extend(o.level_particle);
    }
}

/// What a word means to the revision reader.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RevisionWord {
    Earlier,
    Newer,
    Change,
    EarlierTime,
    Difference,
    Level,
    LevelParticle,
}

/// The compiled `[revision]` rules: stem hash → role.
#[derive(Debug, Default)]
pub struct RevisionRules {
    pub words: FxHashMap<u64, RevisionWord>,
}

impl RevisionRules {
    pub(super) fn compile(s: &RevisionSection, stem: impl Fn(&str) -> u64) -> RevisionRules {
        let lists: [(&[String], RevisionWord); 7] = [
            (&s.level, RevisionWord::Level),
            (&s.level_particle, RevisionWord::LevelParticle),
            (&s.difference, RevisionWord::Difference),
            (&s.earlier_time, RevisionWord::EarlierTime),
            (&s.change, RevisionWord::Change),
            (&s.earlier, RevisionWord::Earlier),
            (&s.newer, RevisionWord::Newer),
        ];
        RevisionRules {
            words: super::words::roles(&lists, stem),
        }
    }
}
