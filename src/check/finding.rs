//! What the checker reports: plain structs with byte spans, shared by the
//! command line and the language server.

use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::extract::Value;

/// A finding's stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The sources state another value for this fact.
    FigureMismatch,
    /// Same value, but a confusable counted thing or unit.
    UnitMismatch,
    /// The qualifier makes the figure false.
    QualifierMismatch,
    /// The sources give different versions of this fact.
    SourcesDisagree,
    /// No source states the figure.
    UnsourcedFigure,
    /// The sources back the figure or quotation (reported only on request).
    Supported,
    /// A quotation close to a source passage but not word for word.
    QuoteMismatch,
    /// No source has the quotation or anything close.
    QuoteUnsourced,
    /// The quotation is in a source, said by someone else.
    QuoteMisattributed,
    /// A person's name that is a near miss of a name in the sources.
    NameMismatch,
    /// The draft gives an older value of a fact that newer sources revised.
    FigureOutdated,
    /// The draft gives two values for one fact.
    DraftDisagree,
    /// A figure the draft derives from its own figures does not compute.
    ArithmeticMismatch,
}

impl Code {
    pub const ALL: [Code; 13] = [
        Code::FigureMismatch,
        Code::UnitMismatch,
        Code::QualifierMismatch,
        Code::SourcesDisagree,
        Code::UnsourcedFigure,
        Code::Supported,
        Code::QuoteMismatch,
        Code::QuoteUnsourced,
        Code::QuoteMisattributed,
        Code::NameMismatch,
        Code::FigureOutdated,
        Code::DraftDisagree,
        Code::ArithmeticMismatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::FigureMismatch => "figure-mismatch",
            Code::UnitMismatch => "unit-mismatch",
            Code::QualifierMismatch => "qualifier-mismatch",
            Code::SourcesDisagree => "sources-disagree",
            Code::UnsourcedFigure => "unsourced-figure",
            Code::Supported => "supported",
            Code::QuoteMismatch => "quote-mismatch",
            Code::QuoteUnsourced => "quote-unsourced",
            Code::QuoteMisattributed => "quote-misattributed",
            Code::NameMismatch => "name-mismatch",
            Code::FigureOutdated => "figure-outdated",
            Code::DraftDisagree => "draft-disagree",
            Code::ArithmeticMismatch => "arithmetic-mismatch",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::FigureMismatch
            | Code::UnitMismatch
            | Code::QualifierMismatch
            | Code::QuoteMismatch
            | Code::QuoteMisattributed => Severity::Error,
            Code::SourcesDisagree
            | Code::QuoteUnsourced
            | Code::NameMismatch
            | Code::FigureOutdated
            | Code::DraftDisagree
            | Code::ArithmeticMismatch => Severity::Warning,
            Code::UnsourcedFigure => Severity::Info,
            Code::Supported => Severity::Hint,
        }
    }

    /// One sentence on what the code means, for help texts and SARIF rules.
    pub fn description(self) -> &'static str {
        match self {
            Code::FigureMismatch => "The sources state another value for this fact.",
            Code::UnitMismatch => "The sources state this value for a different counted thing or unit.",
            Code::QualifierMismatch => "The qualifier (more than, nearly, up to...) makes the figure false.",
            Code::SourcesDisagree => "The sources give different versions of this fact.",
            Code::UnsourcedFigure => "No source states this figure.",
            Code::Supported => "The sources back this figure.",
            Code::QuoteMismatch => "The quotation is close to a source passage but not word for word.",
            Code::QuoteUnsourced => "No source contains the quotation or anything close.",
            Code::QuoteMisattributed => "The sources give the quotation to someone else.",
            Code::NameMismatch => "The name is a near miss of a name in the sources.",
            Code::FigureOutdated => "Newer sources give another value for this fact: the figure is out of date.",
            Code::DraftDisagree => "The draft gives another value for this fact elsewhere.",
            Code::ArithmeticMismatch => "A figure derived from the draft's own figures does not compute.",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// A source sentence that bears on a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// The source's id in the index it came from.
    pub source: u32,
    pub key: String,
    pub title: String,
    pub path: PathBuf,
    /// The sentence, in the source file's bytes.
    pub span: Range<usize>,
    /// The figure within it, in the source file's bytes.
    pub figure: Range<usize>,
    /// 1-based line and column (Unicode scalar values) of the sentence start.
    pub line: usize,
    pub column: usize,
    /// The sentence text.
    pub text: String,
    /// How the source states the figure ("27 provinces"), or the quoted words.
    pub figure_text: String,
    /// For quotations: who the source says spoke.
    pub speaker: Option<String>,
    /// Where the sentence is in the original file (a PDF page, a table
    /// cell, a caption's time) when the source was read through a rendition.
    pub locator: Option<crate::corpus::Locator>,
}

/// One version of a fact as the sources give it.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// How the sources put it ("27 provinces").
    pub text: String,
    /// The draft's text rewritten to this version.
    pub replacement: Option<String>,
    /// Whether this is the draft's version.
    pub matches_draft: bool,
    /// Indices into [`Finding::passages`].
    pub passages: Vec<usize>,
}

/// One finding on one figure of a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// The figure in the draft file's bytes (qualifier, number and noun).
    pub span: Range<usize>,
    pub text: String,
    /// The figure's value; `None` for quotations and names.
    pub value: Option<Value>,
    pub message: String,
    /// The draft's text corrected to the sources, where there is one fix.
    pub replacement: Option<String>,
    /// Source sentences that back or contradict the figure, best first.
    pub passages: Vec<Passage>,
    /// For `sources-disagree`: each version with its passages.
    pub versions: Vec<Version>,
    /// Set when a suppression comment silences the finding: its reason, if given.
    pub suppressed: Option<Option<String>>,
    /// Other spans of the same draft the finding rests on (the other value
    /// of a `draft-disagree`, the figures of an `arithmetic-mismatch`).
    pub related: Vec<Related>,
}

/// A span of the draft itself that bears on a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// In the draft file's bytes.
    pub span: Range<usize>,
    /// What it is, for the related-information message ("also 328 babies").
    pub message: String,
}

impl Finding {
    pub fn is_suppressed(&self) -> bool {
        self.suppressed.is_some()
    }

    /// Keys of the sources in its passages, in order, without repeats.
    pub fn source_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for p in &self.passages {
            if !keys.contains(&p.key.as_str()) {
                keys.push(&p.key);
            }
        }
        keys
    }
}
