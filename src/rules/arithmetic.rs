//! Rules for reading arithmetic a sentence states between its figures: words
//! of rise and fall ("up 25 percent, from 8 to 12"), multipliers ("twice as
//! many"), comparatives ("three more than"), totals and inclusive lists.
//! Words are matched by stem, like every other rule term.

use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `[arithmetic]` in a rule file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArithmeticSection {
    /// Words saying a value went up ("rose", "up", "increase").
    #[serde(default)]
    pub rise: Vec<String>,
    /// Words saying a value went down ("fell", "down", "cut").
    #[serde(default)]
    pub fall: Vec<String>,
    /// Verbs that tell a change only of the figure they take as object
    /// ("the economy added 200,000 jobs", "shed 3,000 jobs"), and of nothing
    /// else in their sentence: "he added" reports speech, "lost their
    /// lives" tells no change.
    #[serde(default)]
    pub object_rise: Vec<String>,
    #[serde(default)]
    pub object_fall: Vec<String>,
    /// Words that multiply ("twice" = 2, "half" = 0.5), used as "twice as many as".
    #[serde(default)]
    pub multipliers: BTreeMap<String, f64>,
    /// The word after a number that makes it a multiplier ("three times as many").
    #[serde(default)]
    pub times: Vec<String>,
    /// Comparatives above ("more", "higher") and below ("fewer", "less").
    #[serde(default)]
    pub more: Vec<String>,
    #[serde(default)]
    pub fewer: Vec<String>,
    /// Words that mark a list as only part of the total ("including", "among").
    #[serde(default)]
    pub partial: Vec<String>,
    /// Words that mark a figure as the total of a list ("total", "altogether").
    #[serde(default)]
    pub total: Vec<String>,
    /// Words that make a table column one of changes ("Seat change"),
    /// besides the rise and fall words ("Increase", "Net gain").
    #[serde(default)]
    pub change: Vec<String>,
    /// Verbs that set a part equal to a share of a whole ("The 650 cuts
    /// amount to 14 per cent of the 4,600 staff"), one or two words.
    #[serde(default)]
    pub share_verbs: Vec<String>,
    /// How loosely a share in words ("a third", "half") is meant: this share
    /// of its value either side.
    pub word_share_slack: Option<f64>,
    /// How loosely a multiple in words ("twice as many") is meant, likewise.
    pub multiple_slack: Option<f64>,
}

impl ArithmeticSection {
    pub(super) fn merge(&mut self, o: ArithmeticSection) {
        self.rise.extend(o.rise);
        self.fall.extend(o.fall);
        self.object_rise.extend(o.object_rise);
        self.object_fall.extend(o.object_fall);
        self.multipliers.extend(o.multipliers);
        self.times.extend(o.times);
        self.more.extend(o.more);
        self.fewer.extend(o.fewer);
        self.partial.extend(o.partial);
        self.total.extend(o.total);
        self.change.extend(o.change);
        self.share_verbs.extend(o.share_verbs);
        if o.word_share_slack.is_some() {
            self.word_share_slack = o.word_share_slack;
        }
        if o.multiple_slack.is_some() {
            self.multiple_slack = o.multiple_slack;
        }
    }
}

/// What a word means to the arithmetic reader.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArithWord {
    Rise,
    Fall,
    /// See [`ArithmeticSection::object_rise`]: a rise of its object only.
    RiseOfObject,
    FallOfObject,
    /// A multiplier word and its factor.
    Multiplier(f64),
    Times,
    More,
    Fewer,
    Partial,
    Total,
    Change,
}

/// The compiled `[arithmetic]` rules: stem hash → role.
#[derive(Debug, Default)]
pub struct ArithmeticRules {
    pub words: FxHashMap<u64, ArithWord>,
    /// [`ArithmeticSection::share_verbs`], each as its words' stem hashes.
    pub share_verbs: Vec<Vec<u64>>,
    /// See [`ArithmeticSection::word_share_slack`].
    pub word_share_slack: f64,
    /// See [`ArithmeticSection::multiple_slack`].
    pub multiple_slack: f64,
}

impl ArithmeticRules {
    /// Whether a word (by stem key) names a change in a table header: a
    /// rise, fall or `change` word ("Seat change", "Increase", "Change
    /// since 2019").
    pub fn names_change(&self, key: u64) -> bool {
        matches!(
            self.words.get(&key),
            Some(ArithWord::Rise | ArithWord::Fall | ArithWord::Change)
        )
    }

    pub(super) fn compile(s: &ArithmeticSection, stem: impl Fn(&str) -> u64) -> ArithmeticRules {
        let lists: [(&[String], ArithWord); 10] = [
            (&s.change, ArithWord::Change),
            (&s.rise, ArithWord::Rise),
            (&s.fall, ArithWord::Fall),
            (&s.object_rise, ArithWord::RiseOfObject),
            (&s.object_fall, ArithWord::FallOfObject),
            (&s.times, ArithWord::Times),
            (&s.more, ArithWord::More),
            (&s.fewer, ArithWord::Fewer),
            (&s.partial, ArithWord::Partial),
            (&s.total, ArithWord::Total),
        ];
        let mut words = super::words::roles(&lists, &stem);
        for (w, k) in &s.multipliers {
            words.insert(stem(w), ArithWord::Multiplier(*k));
        }
        let share_verbs = s
            .share_verbs
            .iter()
            .map(|p| p.split_whitespace().map(&stem).collect())
            .collect();
        ArithmeticRules {
            words,
            share_verbs,
            word_share_slack: s.word_share_slack.unwrap_or(0.0),
            multiple_slack: s.multiple_slack.unwrap_or(0.0),
        }
    }
}
