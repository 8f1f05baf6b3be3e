//! The JSON report: one object, stable, documented in the README.
//!
//! Lines and columns are 1-based, columns counted in Unicode scalar values,
//! ends exclusive. New fields may be added; existing ones keep their meaning.

use serde::Serialize;

use super::{FileReport, Report};
use crate::check::Finding;
use crate::text::LineCol;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    corpus: JsonCorpus<'a>,
}

#[derive(Serialize)]
struct JsonCorpus<'a> {
    sources: usize,
    warnings: Vec<JsonWarning<'a>>,
}

#[derive(Serialize)]
struct JsonWarning<'a> {
    path: String,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: String,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonRange {
    start: LineCol,
    end: LineCol,
}

/// Byte offsets into the file, end exclusive.
#[derive(Serialize)]
struct JsonBytes {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    range: JsonRange,
    bytes: JsonBytes,
    text: &'a str,
    replacement: Option<&'a str>,
    value: Option<JsonValue>,
    sources: Vec<JsonSource<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    versions: Vec<JsonVersion<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppressed<'a>>,
    /// Other spans of the draft the finding rests on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    range: JsonRange,
    bytes: JsonBytes,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    key: &'a str,
    title: &'a str,
    path: String,
    line: usize,
    column: usize,
    bytes: JsonBytes,
    text: &'a str,
    figure: &'a str,
    figure_bytes: JsonBytes,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
    /// Where the passage is in the original file, for sources read through
    /// a rendition (PDF, spreadsheet...): `{"page": 3}`,
    /// `{"cell": {"row": 2, "column": 3}}`, `{"time": {"ms": 4000}}`;
    /// `line`, `column` and `bytes` are then in the extracted text.
    #[serde(skip_serializing_if = "Option::is_none")]
    locator: Option<crate::corpus::Locator>,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    text: &'a str,
    replacement: Option<&'a str>,
    matches_draft: bool,
    sources: Vec<&'a str>,
}

/// A figure's parsed value: `{"low": 1094, "high": 1094}` or `{"year": 2014, "month": 2, "day": 19}`.
#[derive(Serialize)]
#[serde(untagged)]
pub enum JsonValue {
    Number {
        low: f64,
        high: f64,
    },
    Date {
        year: Option<i32>,
        month: Option<u8>,
        day: Option<u8>,
    },
}

pub fn value_json(v: &crate::extract::Value) -> JsonValue {
    match *v {
        crate::extract::Value::Num { lo, hi } => JsonValue::Number { low: lo, high: hi },
        crate::extract::Value::Date(d) => JsonValue::Date {
            year: d.year,
            month: d.month,
            day: d.day,
        },
    }
}

fn diagnostic<'a>(file: &FileReport, f: &'a Finding) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: f.code.as_str(),
        severity: f.severity.as_str(),
        message: &f.message,
        range: JsonRange {
            start: file.position(f.span.start),
            end: file.position(f.span.end),
        },
        bytes: JsonBytes {
            start: f.span.start,
            end: f.span.end,
        },
        text: &f.text,
        replacement: f.replacement.as_deref(),
        value: f.value.as_ref().map(value_json),
        sources: f
            .passages
            .iter()
            .map(|p| JsonSource {
                key: &p.key,
                title: &p.title,
                path: super::display_path(&p.path).to_string(),
                line: p.line,
                column: p.column,
                bytes: JsonBytes {
                    start: p.span.start,
                    end: p.span.end,
                },
                text: &p.text,
                figure: &p.figure_text,
                figure_bytes: JsonBytes {
                    start: p.figure.start,
                    end: p.figure.end,
                },
                speaker: p.speaker.as_deref(),
                locator: p.locator,
            })
            .collect(),
        versions: f
            .versions
            .iter()
            .map(|v| JsonVersion {
                text: &v.text,
                replacement: v.replacement.as_deref(),
                matches_draft: v.matches_draft,
                sources: {
                    let mut keys: Vec<&str> = v.passages.iter().map(|&i| f.passages[i].key.as_str()).collect();
                    keys.dedup();
                    keys
                },
            })
            .collect(),
        suppressed: f.suppressed.as_ref().map(|r| JsonSuppressed { reason: r.as_deref() }),
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                message: &r.message,
                range: JsonRange {
                    start: file.position(r.span.start),
                    end: file.position(r.span.end),
                },
                bytes: JsonBytes {
                    start: r.span.start,
                    end: r.span.end,
                },
            })
            .collect(),
    }
}

/// Renders the report as pretty JSON.
pub fn render(report: &Report) -> String {
    let json = JsonReport {
        version: 1,
        files: report
            .files
            .iter()
            .map(|file| JsonFile {
                path: file.path.display().to_string(),
                diagnostics: file.findings.iter().map(|f| diagnostic(file, f)).collect(),
            })
            .collect(),
        corpus: JsonCorpus {
            sources: report.sources,
            warnings: report
                .warnings
                .iter()
                .map(|w| JsonWarning {
                    path: w.path.display().to_string(),
                    message: &w.message,
                })
                .collect(),
        },
    };
    let mut out = serde_json::to_string_pretty(&json).expect("report serializes");
    out.push('\n');
    out
}
