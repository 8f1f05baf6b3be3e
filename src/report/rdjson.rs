//! reviewdog's Diagnostic Format, rdjson: one `DiagnosticResult` object, for
//! `reviewdog -f=rdjson`.
//!
//! Lines and columns are 1-based and columns count UTF-8 bytes, as the
//! format's definition (`reviewdog.proto`, `Position.column`) says; range
//! ends are exclusive. Severities are `ERROR`, `WARNING` and `INFO` (notes and
//! hints). Replacements are `suggestions`, one per version of the fact the
//! draft could take. The source passages are listed in the message:
//! `related_locations` is newer than many reviewdog installs, whose parser
//! rejects unknown fields. Suppressed findings are left out.

use serde::Serialize;

use super::{ColumnUnit, FileReport, Report, display_path, passage_notes};
use crate::check::{Finding, Severity};

#[derive(Serialize)]
struct DiagnosticResult {
    source: Source,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
}

#[derive(Serialize)]
struct Diagnostic {
    message: String,
    location: Location,
    severity: &'static str,
    source: Source,
    code: Code,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<Suggestion>,
}

#[derive(Serialize)]
struct Location {
    path: String,
    /// Left out for a whole file (a corpus file that could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<Range>,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Code {
    value: &'static str,
}

#[derive(Serialize)]
struct Suggestion {
    range: Range,
    text: String,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Hint => "INFO",
    }
}

fn range(file: &FileReport, span: &std::ops::Range<usize>) -> Range {
    let a = file.position_in(span.start, ColumnUnit::Utf8);
    let b = file.position_in(span.end, ColumnUnit::Utf8);
    Range {
        start: Position {
            line: a.line,
            column: a.column,
        },
        end: Position {
            line: b.line,
            column: b.column,
        },
    }
}

fn diagnostic(file: &FileReport, f: &Finding) -> Diagnostic {
    let mut message = f.message.clone();
    for note in passage_notes(f, 4, ("«", "»")) {
        message.push('\n');
        message.push_str(&note);
    }
    let mut texts: Vec<&str> = Vec::new();
    if f.versions.is_empty() {
        texts.extend(f.replacement.as_deref());
    } else {
        texts.extend(
            f.versions
                .iter()
                .filter(|v| !v.matches_draft)
                .filter_map(|v| v.replacement.as_deref()),
        );
    }
    Diagnostic {
        message,
        location: Location {
            path: display_path(&file.path),
            range: Some(range(file, &f.span)),
        },
        severity: severity(f.severity),
        source: Source { name: "copydesk" },
        code: Code { value: f.code.as_str() },
        suggestions: texts
            .into_iter()
            .filter(|t| *t != f.text)
            .map(|t| Suggestion {
                range: range(file, &f.span),
                text: t.to_string(),
            })
            .collect(),
    }
}

/// A corpus file that could not be read as it is: a warning on the whole file.
fn corpus_warning(w: &crate::corpus::CorpusWarning) -> Diagnostic {
    Diagnostic {
        message: w.message.clone(),
        location: Location {
            path: display_path(&w.path),
            range: None,
        },
        severity: "WARNING",
        source: Source { name: "copydesk" },
        code: Code { value: "corpus-file" },
        suggestions: Vec::new(),
    }
}

/// Renders the report as one rdjson object. Corpus files that could not be
/// read as they are come first, as warnings with code `corpus-file`.
pub fn render(report: &Report) -> String {
    let result = DiagnosticResult {
        source: Source { name: "copydesk" },
        diagnostics: report
            .warnings
            .iter()
            .map(corpus_warning)
            .chain(report.files.iter().flat_map(|file| {
                file.findings
                    .iter()
                    .filter(|f| !f.is_suppressed())
                    .map(move |f| diagnostic(file, f))
            }))
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&result).expect("rdjson serializes");
    out.push('\n');
    out
}
