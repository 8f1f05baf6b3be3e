//! Output formats. Each turns findings (byte spans) into a text for a reader:
//! `human` for a terminal, `json` for tools, `sarif` for code-scanning tools,
//! `github` for GitHub Actions annotations, `rdjson` for reviewdog; `html`
//! (the review page) and `markdown` (the same review for a pull request),
//! both from `review`; plus the editor's reports, `conflicts` and `sources`. Line and column conversion
//! happens here and nowhere in the engine.

pub mod conflicts;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod rdjson;
pub mod review;
pub mod sarif;
pub mod sources;

use std::path::PathBuf;

use crate::check::{Finding, Severity};
use crate::corpus::CorpusWarning;
use crate::text::{LineCol, LineIndex, floor_char_boundary};

/// What a column counts. Every format documents its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Unicode scalar values (`char`s): the JSON, human and GitHub formats.
    Scalar,
    /// UTF-16 code units: SARIF's default `columnKind`.
    Utf16,
    /// UTF-8 bytes: reviewdog's rdjson.
    Utf8,
}

/// The 1-based line and column of a byte offset, columns counted in `unit`.
/// Offsets inside a character are moved back to its start.
pub fn line_col(text: &str, lines: &LineIndex, offset: usize, unit: ColumnUnit) -> LineCol {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line = lines.line_of(offset);
    let start = lines.line_start(line).unwrap_or(0).min(offset);
    let before = &text[start..offset];
    let column = match unit {
        ColumnUnit::Scalar => before.chars().count(),
        ColumnUnit::Utf16 => before.encode_utf16().count(),
        ColumnUnit::Utf8 => before.len(),
    } + 1;
    LineCol { line: line + 1, column }
}

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

    /// The position of a byte offset with columns counted in `unit`.
    pub fn position_in(&self, offset: usize, unit: ColumnUnit) -> LineCol {
        line_col(&self.text, &self.lines, offset, unit)
    }

    /// The 1-based first and last lines a byte span touches (an empty span,
    /// or one ending right after a line break, does not reach the next line).
    pub fn line_span(&self, span: &std::ops::Range<usize>) -> (usize, usize) {
        let first = self.lines.line_of(span.start.min(self.text.len()));
        let last = self
            .lines
            .line_of(span.end.saturating_sub(1).max(span.start).min(self.text.len()));
        (first + 1, last.max(first) + 1)
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

/// The one-line tally closing the human and GitHub reports.
pub fn summary(report: &Report) -> String {
    let count = |s: Severity| {
        report
            .files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| !f.is_suppressed() && f.severity == s)
            .count()
    };
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (e, w, i) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    format!(
        "{} file{} checked against {} source{}: {e} error{}, {w} warning{}, {i} note{}\n",
        report.files.len(),
        plural(report.files.len()),
        report.sources,
        plural(report.sources),
        plural(e),
        plural(w),
        plural(i)
    )
}

/// A finding's source passages as short lines, `key (path:line:column): excerpt`,
/// the figure marked with `mark`. At most `max` passages.
pub fn passage_notes(finding: &Finding, max: usize, mark: (&str, &str)) -> Vec<String> {
    finding
        .passages
        .iter()
        .take(max)
        .map(|p| {
            let rel = p.figure.start.saturating_sub(p.span.start)..p.figure.end.saturating_sub(p.span.start);
            let sentence = &p.text;
            // Passage text is whitespace-squashed: find the figure in it again.
            let squashed = p.figure_text.split_whitespace().collect::<Vec<_>>().join(" ");
            let fig = match sentence.find(&squashed) {
                Some(i) => i..i + squashed.len(),
                None => rel.start.min(sentence.len())..rel.end.min(sentence.len()),
            };
            let at = match p.locator {
                Some(l) => format!("{}, {l}", display_path(&p.path)),
                None => format!("{}:{}:{}", display_path(&p.path), p.line, p.column),
            };
            format!("{} ({at}): {}", p.key, excerpt(sentence, fig, 140, mark))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_each_unit() {
        let text = "ab\n🚓 é x\n";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let at = |unit| line_col(text, &lines, x, unit);
        assert_eq!(at(ColumnUnit::Scalar), LineCol { line: 2, column: 5 });
        assert_eq!(at(ColumnUnit::Utf16), LineCol { line: 2, column: 6 });
        assert_eq!(at(ColumnUnit::Utf8), LineCol { line: 2, column: 9 });
        // Inside a character: its start.
        assert_eq!(
            line_col(text, &lines, 5, ColumnUnit::Utf8),
            LineCol { line: 2, column: 1 }
        );
        assert_eq!(
            line_col(text, &lines, text.len(), ColumnUnit::Scalar),
            LineCol { line: 3, column: 1 }
        );
    }

    #[test]
    fn line_spans() {
        let text = "one\ntwo\nthree\n".to_string();
        let file = FileReport {
            path: "d.md".into(),
            lines: LineIndex::new(&text),
            text,
            findings: Vec::new(),
        };
        assert_eq!(file.line_span(&(4..7)), (2, 2));
        assert_eq!(
            file.line_span(&(4..8)),
            (2, 2),
            "ending after the line break stays on the line"
        );
        assert_eq!(file.line_span(&(2..9)), (1, 3));
        assert_eq!(file.line_span(&(5..5)), (2, 2));
    }
}
