//! The conflict report: every fact on which the sources disagree, for an
//! editor to read (Markdown) or a tool to use (JSON).

use serde::Serialize;

use super::{display_path, excerpt};
use crate::check::Conflict;

/// A Markdown report, one section per fact; facts whose dated sources
/// revised them come after the disagreements, as timelines.
pub fn markdown(all: &[Conflict], sources: usize) -> String {
    let (revised, conflicts): (Vec<&Conflict>, Vec<&Conflict>) = all.iter().partition(|c| c.timeline.is_some());
    let mut out = String::from("# Where the sources disagree\n\n");
    if conflicts.is_empty() {
        out.push_str(&format!("No disagreements found among {sources} sources.\n"));
        out.push_str(&timelines(&revised));
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
    out.push_str(&timelines(&revised));
    out
}

/// Facts the sources revised over time: each value with its date and
/// sources, oldest first, the newest marked current.
fn timelines(revised: &[&Conflict]) -> String {
    if revised.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n# Revised over time\n\n{} fact{} whose newer sources supersede older ones.\n",
        revised.len(),
        if revised.len() == 1 { "" } else { "s" }
    );
    for (i, c) in revised.iter().enumerate() {
        let Some(timeline) = &c.timeline else { continue };
        let title: Vec<&str> = timeline.iter().map(|d| c.versions[d.version].text.as_str()).collect();
        out.push_str(&format!("\n## {}. {}\n\n", i + 1, title.join(" → ")));
        for (j, d) in timeline.iter().enumerate() {
            let v = &c.versions[d.version];
            let keys: Vec<&str> = v.passages.iter().map(|p| p.key.as_str()).collect();
            let current = if j + 1 == timeline.len() { " (current)" } else { "" };
            out.push_str(&format!(
                "- {}: **{}**{current} — {}\n",
                d.date.text,
                v.text,
                keys.join(", ")
            ));
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
    /// `"disagreement"`, or `"revision"` when dated sources revised the fact.
    kind: &'static str,
    versions: Vec<JsonVersion<'a>>,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    text: &'a str,
    /// For a revision: the version's date as its newest source writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    /// For a revision: whether this is the newest value.
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<bool>,
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

/// The JSON form: `{"version": 1, "sources": N, "conflicts": [{"kind", "versions": [{"text", "sources": [...]}]}]}`;
/// a revision's versions are oldest first, with `date` and `current`.
pub fn json(conflicts: &[Conflict], sources: usize) -> String {
    let report = JsonConflicts {
        version: 1,
        sources,
        conflicts: conflicts
            .iter()
            .map(|c| JsonConflict {
                kind: if c.timeline.is_some() {
                    "revision"
                } else {
                    "disagreement"
                },
                versions: order(c)
                    .into_iter()
                    .map(|(v, date, current)| JsonVersion {
                        text: &v.text,
                        date,
                        current,
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

type Ordered<'a> = (&'a crate::check::ConflictVersion, Option<&'a str>, Option<bool>);

/// A conflict's versions as reported: a revision's oldest first, with dates.
fn order(c: &Conflict) -> Vec<Ordered<'_>> {
    match &c.timeline {
        Some(t) => t
            .iter()
            .enumerate()
            .map(|(j, d)| {
                (
                    &c.versions[d.version],
                    Some(d.date.text.as_str()),
                    Some(j + 1 == t.len()),
                )
            })
            .collect(),
        None => c.versions.iter().map(|v| (v, None, None)).collect(),
    }
}
