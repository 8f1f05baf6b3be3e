//! Output formats. Each turns findings (byte spans) into a text for a reader:
//! `human` for a terminal, `json` for tools. Line and column conversion happens
//! here and nowhere in the engine.

pub mod conflicts;
pub mod human;
pub mod json;

use std::path::PathBuf;

use crate::check::{Finding, Severity};
use crate::corpus::CorpusWarning;
use crate::text::{LineCol, LineIndex};

/// The findings for one draft.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user gave it.
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
    /// Findings to show, in order.
    pub findings: Vec<Finding>,
}

impl FileReport {
    pub fn position(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }
}

/// A whole run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub sources: usize,
    pub warnings: Vec<CorpusWarning>,
}

impl Report {
    /// Findings at or above a severity, across files.
    pub fn count_at_least(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| !f.is_suppressed() && f.severity >= severity)
            .count()
    }
}

/// A path as the user would type it: relative to the working directory when
/// it lies under it.
pub fn display_path(path: &std::path::Path) -> String {
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.display().to_string();
    }
    path.display().to_string()
}

/// Shortens a passage to about `width` characters around the figure, marking
/// the figure with `mark` on both sides.
pub fn excerpt(text: &str, figure: std::ops::Range<usize>, width: usize, mark: (&str, &str)) -> String {
    let figure = figure.start.min(text.len())..figure.end.min(text.len());
    let before: Vec<char> = text[..figure.start].chars().collect();
    let after: Vec<char> = text[figure.end..].chars().collect();
    let side = width.saturating_sub(figure.len()) / 2;
    let b: String = before[before.len().saturating_sub(side)..].iter().collect();
    let a: String = after[..after.len().min(side)].iter().collect();
    let lead = if before.len() > side { "…" } else { "" };
    let tail = if after.len() > side { "…" } else { "" };
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let pad_b = if b.ends_with(char::is_whitespace) { " " } else { "" };
    let pad_a = if a.starts_with(char::is_whitespace) { " " } else { "" };
    format!(
        "{lead}{}{pad_b}{}{}{}{pad_a}{}{tail}",
        squash(&b),
        mark.0,
        &text[figure],
        mark.1,
        squash(&a)
    )
}
