//! The corpus listing of `copydesk sources`: each source's key, format,
//! title, date and number of figures, and every file that could not be read
//! as it is (a format copydesk does not read, a scan without text, an
//! encrypted or damaged file), each with why.

use std::fmt::Write;

use serde::Serialize;

use super::display_path;
use crate::index::Index;

#[derive(Serialize)]
struct JsonSources<'a> {
    version: u32,
    sources: Vec<JsonSource>,
    warnings: Vec<JsonWarning<'a>>,
}

/// One source as listed (from either backend).
#[derive(Serialize)]
pub struct JsonSource {
    pub key: String,
    pub title: String,
    pub date: Option<String>,
    pub path: String,
    pub format: crate::corpus::Format,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub figures: usize,
}

#[derive(Serialize)]
struct JsonWarning<'a> {
    path: String,
    message: &'a str,
}

/// One row per source, in corpus order.
/// A source's date is the one the checker reads: its metadata's, else the
/// date line or dated title at its top.
fn rows(index: &Index, rules: &crate::rules::Rules) -> Vec<JsonSource> {
    index
        .sources()
        .map(|(id, s)| JsonSource {
            path: display_path(&s.path),
            key: s.key,
            title: s.title,
            date: s
                .date
                .or_else(|| crate::dateline::source_date(index, rules, id).map(|d| d.text)),
            format: s.format,
            author: s.author,
            url: s.url,
            figures: index.source_sentences(id).map(|(_, rec)| rec.figures.len()).sum(),
        })
        .collect()
}

/// `{"version": 1, "sources": [{"key", "title", "date", "path", "format", "author"?, "url"?, "figures"}], "warnings": [{"path", "message"}]}`.
pub fn json(index: &Index, rules: &crate::rules::Rules) -> String {
    json_rows(rows(index, rules), &index.warnings)
}

/// [`json`] for rows listed otherwise (the archive).
pub fn json_rows(rows: Vec<JsonSource>, warnings: &[crate::corpus::CorpusWarning]) -> String {
    let report = JsonSources {
        version: 1,
        sources: rows,
        warnings: warnings
            .iter()
            .map(|w| JsonWarning {
                path: display_path(&w.path),
                message: &w.message,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).expect("report serializes");
    out.push('\n');
    out
}

/// A plain table, then the warnings.
pub fn text(index: &Index, rules: &crate::rules::Rules) -> String {
    text_rows(rows(index, rules), &index.warnings)
}

/// [`text`] for rows listed otherwise (the archive).
pub fn text_rows(rows: Vec<JsonSource>, warnings: &[crate::corpus::CorpusWarning]) -> String {
    let key_w = rows.iter().map(|r| r.key.chars().count()).chain([3]).max().unwrap_or(3);
    let date_w = rows
        .iter()
        .map(|r| r.date.as_ref().map_or(1, |d| d.chars().count()))
        .chain([4])
        .max()
        .unwrap_or(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:key_w$}  {:8}  {:date_w$}  {:>7}  title",
        "key", "format", "date", "figures"
    );
    for r in &rows {
        let _ = writeln!(
            out,
            "{:key_w$}  {:8}  {:date_w$}  {:>7}  {}",
            r.key,
            r.format.as_str(),
            r.date.as_deref().unwrap_or("-"),
            r.figures,
            r.title
        );
    }
    let figures: usize = rows.iter().map(|r| r.figures).sum();
    let _ = writeln!(
        out,
        "{} source{}, {figures} figure{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        if figures == 1 { "" } else { "s" }
    );
    if !warnings.is_empty() {
        let n = warnings.len();
        let _ = writeln!(out, "{n} warning{}:", if n == 1 { "" } else { "s" });
    }
    for w in warnings {
        let _ = writeln!(out, "warning: {}: {}", display_path(&w.path), w.message);
    }
    out
}
