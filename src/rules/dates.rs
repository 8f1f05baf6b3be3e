//! Rules for reading a source's date from its text: the words that open a
//! date line ("Updated:", "Published") and workspace patterns for house
//! styles the built-in reading does not know.

use rustc_hash::FxHashSet;

use serde::Deserialize;

use super::RulesError;
use crate::text::word_hash;

/// `[dates]` in a rule file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatesSection {
    /// Words that open a line giving the article's date ("Updated", "Published").
    #[serde(default)]
    pub markers: Vec<String>,
    /// Regular expressions matched against each of the first lines of a
    /// source; the group named `date` (else the whole match) is read as a date.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// How many non-empty lines from the top of a source are searched.
    pub head_lines: Option<usize>,
}

impl DatesSection {
    pub(super) fn merge(&mut self, other: DatesSection) {
        self.markers.extend(other.markers);
        self.patterns.extend(other.patterns);
        if other.head_lines.is_some() {
            self.head_lines = other.head_lines;
        }
    }
}

/// The compiled `[dates]` rules.
#[derive(Debug, Default)]
pub struct DateRules {
    /// Lowercase hashes of the marker words.
    pub markers: FxHashSet<u64>,
    pub patterns: Vec<regex::Regex>,
    pub head_lines: usize,
}

impl DateRules {
    pub(super) fn compile(s: &DatesSection) -> Result<DateRules, RulesError> {
        Ok(DateRules {
            markers: super::words::set(&s.markers, |w| word_hash(&w.to_lowercase())),
            patterns: super::words::regexes(&s.patterns, "[dates] patterns")?,
            head_lines: s.head_lines.unwrap_or(4),
        })
    }
}
