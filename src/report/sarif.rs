//! SARIF 2.1.0, for code-scanning tools (GitHub code scanning, the VS Code
//! SARIF viewer, Azure DevOps...).
//!
//! - One run, with a rule for every [`Code`] (`ruleIndex` points into it).
//! - Columns are UTF-16 code units, SARIF's default `columnKind`, which the
//!   run states explicitly: consumers that ignore `columnKind` (most do) read
//!   them right. Lines and columns are 1-based, `endColumn` is exclusive.
//! - The source passages are `relatedLocations`: the figure's region in the
//!   source file, the sentence as its `contextRegion`.
//! - Replacements are `fixes`, one per version of the fact the draft could
//!   take.
//! - Findings silenced by a comment are included, with an `inSource`
//!   suppression whose `justification` is the comment's reason.
//! - `supported` findings (with `--include-supported`) are `kind: "pass"`.
//! - Unreadable corpus files are tool execution notifications.
//! - Paths under the working directory are relative URIs against
//!   `%SRCROOT%`; others are `file://` URIs.

use std::path::{Component, Path};

use serde::Serialize;

use super::{ColumnUnit, FileReport, Report, display_path, line_col};
use crate::check::{Code, Finding, Passage, Severity};
use crate::index::Facts;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Message,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Content>,
}

#[derive(Serialize)]
struct Content {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Content,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A rule's display name: `figure-mismatch` → `FigureMismatch`.
fn rule_name(code: Code) -> String {
    code.as_str()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A path as a SARIF artifact location: relative paths (after
/// [`display_path`]) as URI references against `%SRCROOT%`, absolute ones
/// as `file://` URIs.
fn artifact(path: &Path) -> ArtifactLocation {
    let shown = display_path(path);
    let shown = Path::new(&shown);
    if shown.is_absolute()
        && let Ok(url) = url::Url::from_file_path(shown)
    {
        return ArtifactLocation {
            uri: url.to_string(),
            uri_base_id: None,
        };
    }
    // Characters a URI path segment cannot hold as they are.
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b']')
        .add(b'\\')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    let segments: Vec<String> = shown
        .components()
        .filter_map(|c| match c {
            Component::CurDir => None,
            Component::ParentDir => Some("..".to_string()),
            c => Some(percent_encoding::utf8_percent_encode(&c.as_os_str().to_string_lossy(), SEGMENT).to_string()),
        })
        .collect();
    ArtifactLocation {
        uri: segments.join("/"),
        uri_base_id: Some("%SRCROOT%"),
    }
}

fn draft_region(file: &FileReport, span: &std::ops::Range<usize>, snippet: bool) -> Region {
    let start = file.position_in(span.start, ColumnUnit::Utf16);
    let end = file.position_in(span.end, ColumnUnit::Utf16);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        snippet: snippet.then(|| Content {
            text: file.text.get(span.clone()).unwrap_or_default().to_string(),
        }),
    }
}

/// A source passage as a related location: the figure, in its sentence.
fn related(index: &dyn Facts, id: usize, p: &Passage) -> Location {
    let at = p.locator.map(|l| format!(", {l}")).unwrap_or_default();
    let message = Message {
        text: format!("{}{at}: \"{}\" ({})", p.key, p.figure_text, p.title),
    };
    // Lines and columns of a rendition (a PDF's extracted text) are no place
    // in the original file: such a passage names its page or cell instead.
    let source = index
        .get_source(p.source)
        .is_some_and(|s| s.path == p.path && s.format.is_plain());
    let (region, context_region) = if source {
        let text = index.source_text(p.source);
        let lines = crate::text::LineIndex::new(&text);
        let region = |span: &std::ops::Range<usize>| {
            let a = line_col(&text, &lines, span.start, ColumnUnit::Utf16);
            let b = line_col(&text, &lines, span.end, ColumnUnit::Utf16);
            Region {
                start_line: a.line,
                start_column: a.column,
                end_line: b.line,
                end_column: b.column,
                snippet: text.get(span.clone()).map(|t| Content { text: t.to_string() }),
            }
        };
        (Some(region(&p.figure)), Some(region(&p.span)))
    } else {
        // Not from this index: the file alone.
        (None, None)
    };
    Location {
        id: Some(id),
        physical_location: PhysicalLocation {
            artifact_location: artifact(&p.path),
            region,
            context_region,
        },
        message: Some(message),
    }
}

fn fixes(file: &FileReport, f: &Finding) -> Vec<Fix> {
    let mut replacements: Vec<(&str, Vec<&str>)> = Vec::new();
    if f.versions.is_empty() {
        if let Some(r) = &f.replacement {
            replacements.push((r, f.source_keys()));
        }
    } else {
        for v in f.versions.iter().filter(|v| !v.matches_draft) {
            if let Some(r) = &v.replacement {
                let mut keys: Vec<&str> = v.passages.iter().map(|&i| f.passages[i].key.as_str()).collect();
                keys.dedup();
                replacements.push((r, keys));
            }
        }
    }
    replacements
        .into_iter()
        .filter(|(r, _)| *r != f.text)
        .map(|(r, keys)| Fix {
            description: Message {
                text: if keys.is_empty() {
                    format!("Replace with \"{r}\"")
                } else {
                    format!("Replace with \"{r}\" ({})", keys.join(", "))
                },
            },
            artifact_changes: vec![ArtifactChange {
                artifact_location: artifact(&file.path),
                replacements: vec![Replacement {
                    deleted_region: draft_region(file, &f.span, false),
                    inserted_content: Content { text: r.to_string() },
                }],
            }],
        })
        .collect()
}

fn result(index: &dyn Facts, file: &FileReport, f: &Finding) -> SarifResult {
    let rule_index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
    SarifResult {
        rule_id: f.code.as_str(),
        rule_index,
        kind: if f.code == Code::Supported { "pass" } else { "fail" },
        level: if f.code == Code::Supported {
            "none"
        } else {
            level(f.severity)
        },
        message: Message {
            text: f.message.clone(),
        },
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(&file.path),
                region: Some(draft_region(file, &f.span, true)),
                context_region: None,
            },
            message: None,
        }],
        related_locations: f
            .passages
            .iter()
            .enumerate()
            .map(|(i, p)| related(index, i + 1, p))
            .chain(f.related.iter().enumerate().map(|(i, r)| Location {
                id: Some(f.passages.len() + i + 1),
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&file.path),
                    region: Some(draft_region(file, &r.span, true)),
                    context_region: None,
                },
                message: Some(Message {
                    text: r.message.clone(),
                }),
            }))
            .collect(),
        fixes: fixes(file, f),
        suppressions: f
            .suppressed
            .as_ref()
            .map(|reason| Suppression {
                kind: "inSource",
                justification: reason.clone(),
            })
            .into_iter()
            .collect(),
    }
}

/// Renders the report as a SARIF log. `index` is the corpus the findings
/// came from, for the positions of source passages.
pub fn render(report: &Report, index: &dyn Facts) -> String {
    let rules = Code::ALL
        .iter()
        .map(|&c| Rule {
            id: c.as_str(),
            name: rule_name(c),
            short_description: Message {
                text: c.description().to_string(),
            },
            default_configuration: Configuration {
                level: if c == Code::Supported {
                    "none"
                } else {
                    level(c.default_severity())
                },
            },
        })
        .collect();
    let notifications = report
        .warnings
        .iter()
        .map(|w| Notification {
            level: "warning",
            message: Message {
                text: w.message.clone(),
            },
            locations: vec![Location {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&w.path),
                    region: None,
                    context_region: None,
                },
                message: None,
            }],
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "copydesk",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            column_kind: "utf16CodeUnits",
            results: report
                .files
                .iter()
                .flat_map(|file| file.findings.iter().map(move |f| result(index, file, f)))
                .collect(),
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_and_uris() {
        assert_eq!(rule_name(Code::FigureMismatch), "FigureMismatch");
        assert_eq!(rule_name(Code::Supported), "Supported");
        let a = artifact(Path::new("./drafts/my story [v2].md"));
        assert_eq!(a.uri, "drafts/my%20story%20%5Bv2%5D.md");
        assert_eq!(a.uri_base_id, Some("%SRCROOT%"));
        let a = artifact(Path::new("/nowhere/near/x.md"));
        assert_eq!(a.uri, "file:///nowhere/near/x.md");
        assert_eq!(a.uri_base_id, None);
    }
}
