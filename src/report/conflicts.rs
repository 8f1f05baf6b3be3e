//! The conflict report: every fact on which the sources disagree, for an
//! editor to read (Markdown) or a tool to use (JSON).

use serde::Serialize;

use super::{display_path, excerpt};
use crate::check::Conflict;

/// A Markdown report, one section per fact.
pub fn markdown(conflicts: &[Conflict], sources: usize) -> String {
    let mut out = String::from("# Where the sources disagree\n\n");
    if conflicts.is_empty() {
        out.push_str(&format!("No disagreements found among {sources} sources.\n"));
        return out;
    }
    out.push_str(&format!(
        "{} fact{} on which the {sources} sources disagree.\n",
        conflicts.len(),
        if conflicts.len() == 1 { "" } else { "s" }
    ));
    for (i, c) in conflicts.iter().enumerate() {
        let title: Vec<&str> = c.versions.iter().map(|v| v.text.as_str()).collect();
        out.push_str(&format!("\n## {}. {}\n", i + 1, title.join(" / ")));
        for v in &c.versions {
            let keys: Vec<&str> = v.passages.iter().map(|p| p.key.as_str()).collect();
            out.push_str(&format!("\n**{}** — {}\n\n", v.text, keys.join(", ")));
            for p in &v.passages {
                let fig = p.figure.start.saturating_sub(p.span.start)..p.figure.end.saturating_sub(p.span.start);
                let sentence = &p.text;
                let squashed = p.figure_text.split_whitespace().collect::<Vec<_>>().join(" ");
                let fig = sentence.find(&squashed).map(|s| s..s + squashed.len()).unwrap_or(fig);
                let at = match p.locator {
                    Some(l) => format!("{}, {l}", display_path(&p.path)),
                    None => format!("{}:{}", display_path(&p.path), p.line),
                };
                out.push_str(&format!(
                    "- {} ({at}): {}\n",
                    p.key,
                    excerpt(sentence, fig, 200, ("**", "**"))
                ));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct JsonConflicts<'a> {
    version: u32,
    sources: usize,
    conflicts: Vec<JsonConflict<'a>>,
}

#[derive(Serialize)]
struct JsonConflict<'a> {
    versions: Vec<JsonVersion<'a>>,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    text: &'a str,
    sources: Vec<JsonPassage<'a>>,
}

#[derive(Serialize)]
struct JsonPassage<'a> {
    key: &'a str,
    title: &'a str,
    path: String,
    line: usize,
    column: usize,
    text: &'a str,
    figure: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    locator: Option<crate::corpus::Locator>,
}

/// The JSON form: `{"version": 1, "sources": N, "conflicts": [{"versions": [{"text", "sources": [...]}]}]}`.
pub fn json(conflicts: &[Conflict], sources: usize) -> String {
    let report = JsonConflicts {
        version: 1,
        sources,
        conflicts: conflicts
            .iter()
            .map(|c| JsonConflict {
                versions: c
                    .versions
                    .iter()
                    .map(|v| JsonVersion {
                        text: &v.text,
                        sources: v
                            .passages
                            .iter()
                            .map(|p| JsonPassage {
                                key: &p.key,
                                title: &p.title,
                                path: display_path(&p.path),
                                line: p.line,
                                column: p.column,
                                text: &p.text,
                                figure: &p.figure_text,
                                locator: p.locator,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).expect("report serializes");
    out.push('\n');
    out
}
