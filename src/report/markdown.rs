//! The review as GitHub-flavoured Markdown (`check --format markdown`), for a
//! pull-request comment or `$GITHUB_STEP_SUMMARY`: the summary, the sources
//! the story rests on, a table of the findings with their evidence, the
//! conflicts the draft touches and the suppressed findings with reasons.
//! Figures the sources back are counted, and listed in a folded section.
//!
//! Lines and columns are the JSON report's (1-based, scalar columns). Every
//! text from a draft or source goes through [`text`], which escapes what
//! Markdown or HTML would read as markup, so `<script>` stays text and a `|`
//! cannot break a table.

use std::fmt::Write as _;

use super::Report;
use super::review::{Category, FileReview, Item, Review, Tally};
use crate::check::Code;
use crate::index::Facts;

/// The report for a run, source dates read from `index`.
pub fn render(report: &Report, index: &dyn Facts) -> String {
    let date = |id: u32| index.get_source(id).and_then(|s| s.date);
    document(&Review::new(report, &date))
}

/// Escapes text for inline Markdown: backslash before every character that
/// can start markup (CommonMark lets any ASCII punctuation be escaped), line
/// breaks and runs of white space (leading and trailing ones too) folded to
/// one space.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
        }
        space = false;
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '!'
                | '|'
                | '~'
                | '&'
                | '$'
                | '@'
                | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    if space {
        out.push(' ');
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn tally_line(t: &Tally, corpus: Option<usize>) -> String {
    let mut s = format!("**{} checked**", plural(t.figures, "figure", "figures"));
    if let Some(n) = corpus {
        let _ = write!(s, " against {}", plural(n, "source", "sources"));
    }
    let _ = write!(
        s,
        ": ✓ {} supported · ✖ {} mismatched · ▲ {} contested · ● {} unsourced · {} ({} not borne out) · {} misspelt",
        t.supported,
        t.mismatched,
        t.contested,
        t.unsourced,
        plural(t.quotations, "quotation", "quotations"),
        t.quotation_problems,
        plural(t.names, "name", "names"),
    );
    if t.suppressed > 0 {
        let _ = write!(s, " · ○ {} suppressed", t.suppressed);
    }
    s
}

/// The whole report.
pub fn document(review: &Review<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## copydesk review\n");
    let _ = writeln!(out, "{}\n", tally_line(&review.tally, Some(review.corpus_sources)));
    if !review.sources.is_empty() {
        let _ = writeln!(out, "### Sources the story rests on\n");
        let _ = writeln!(out, "| Source | Title | Date | Backs | Cited |");
        let _ = writeln!(out, "|---|---|---|--:|--:|");
        for s in &review.sources {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                s.key.replace('`', "'"),
                text(&s.title),
                s.date.as_deref().map(text).unwrap_or_default(),
                s.backs,
                s.cited
            );
        }
        out.push('\n');
    }
    for file in &review.files {
        file_section(&mut out, file, review.files.len() > 1);
    }
    if !review.warnings.is_empty() {
        let _ = writeln!(out, "<details><summary>Corpus warnings</summary>\n");
        for w in &review.warnings {
            let _ = writeln!(out, "- {}", text(w));
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    out
}

fn file_section(out: &mut String, file: &FileReview<'_>, several: bool) {
    let _ = writeln!(out, "### `{}`\n", file.path.replace('`', "'"));
    if let Some(t) = &file.title {
        let _ = writeln!(out, "*{}*\n", text(t));
    }
    if several {
        let _ = writeln!(out, "{}\n", tally_line(&file.tally, None));
    }
    let shown: Vec<&Item<'_>> = file
        .items
        .iter()
        .filter(|i| !i.finding.is_suppressed() && i.finding.code != Code::Supported)
        .collect();
    if shown.is_empty() {
        let _ = writeln!(out, "No findings to review.\n");
    } else {
        let _ = writeln!(out, "| | Line | Finding | Draft | Suggested | Sources say |");
        let _ = writeln!(out, "|---|--:|---|---|---|---|");
        for item in shown {
            let f = item.finding;
            let _ = writeln!(
                out,
                "| {} {} | {}:{} | {} `{}` | {} | {} | {} |",
                item.glyph(),
                f.severity.as_str(),
                item.start.line,
                item.start.column,
                text(&f.message),
                f.code.as_str(),
                text(&f.text),
                f.replacement.as_deref().map(text).unwrap_or_default(),
                evidence(item, 2)
            );
        }
        out.push('\n');
    }
    let conflicts: Vec<&Item<'_>> = file.conflicts().collect();
    if !conflicts.is_empty() {
        let _ = writeln!(out, "#### Conflicts the draft touches\n");
        for item in conflicts {
            let f = item.finding;
            let _ = writeln!(out, "- **{}** (line {}):", text(&f.text), item.start.line);
            for v in &f.versions {
                let mut keys: Vec<String> = Vec::new();
                for &i in &v.passages {
                    if let Some(e) = item.evidence.get(i) {
                        let k = format!("`{}`", e.passage.key.replace('`', "'"));
                        if !keys.contains(&k) {
                            keys.push(k);
                        }
                    }
                }
                let _ = writeln!(
                    out,
                    "  - {}{}: {}",
                    text(&v.text),
                    if v.matches_draft { " (the draft's version)" } else { "" },
                    keys.join(", ")
                );
            }
        }
        out.push('\n');
    }
    let suppressed: Vec<&Item<'_>> = file.items.iter().filter(|i| i.finding.is_suppressed()).collect();
    if !suppressed.is_empty() {
        let _ = writeln!(out, "#### Suppressed in the draft\n");
        for item in suppressed {
            let reason = match &item.finding.suppressed {
                Some(Some(r)) => text(r),
                _ => "no reason given".to_string(),
            };
            let _ = writeln!(
                out,
                "- ○ line {}:{} `{}` {}: {}",
                item.start.line,
                item.start.column,
                item.finding.code.as_str(),
                text(&item.finding.text),
                reason
            );
        }
        out.push('\n');
    }
    let supported: Vec<&Item<'_>> = file
        .items
        .iter()
        .filter(|i| matches!(i.category, Category::FigureSupported | Category::QuoteSupported))
        .filter(|i| !i.finding.is_suppressed())
        .collect();
    if !supported.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>✓ {} backed by the sources</summary>\n",
            plural(supported.len(), "figure or quotation", "figures and quotations")
        );
        for item in supported {
            let _ = writeln!(
                out,
                "- line {}: {}: {}",
                item.start.line,
                text(&item.finding.text),
                evidence(item, 1)
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}

/// The first `max` passages: the figure in bold, then the source's key,
/// date and location.
fn evidence(item: &Item<'_>, max: usize) -> String {
    let mut parts = Vec::new();
    for e in item.evidence.iter().take(max) {
        let (before, figure, after) = e.parts();
        let mut s = format!("{}**{}**{}", text(before), text(figure), text(after));
        let _ = write!(s, " (`{}`", e.passage.key.replace('`', "'"));
        if let Some(d) = &e.date {
            let _ = write!(s, ", {}", text(d));
        }
        let _ = write!(s, ", {}:{}", text(&e.path), e.passage.line);
        if let Some(l) = &e.locator {
            let _ = write!(s, ", {}", text(l));
        }
        s.push(')');
        parts.push(s);
    }
    if item.evidence.len() > max {
        parts.push(format!("and {} more", item.evidence.len() - max));
    }
    parts.join("<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            text("<script>alert(1)</script>"),
            "\\<script\\>alert\\(1\\)\\</script\\>"
        );
        assert_eq!(text("a | b"), "a \\| b");
        assert_eq!(text("**bold** and `code`"), "\\*\\*bold\\*\\* and \\`code\\`");
        assert_eq!(text("[link](javascript:x)"), "\\[link\\]\\(javascript\\:x\\)");
        assert_eq!(text("one\n\n# two"), "one \\# two", "line breaks cannot start a block");
    }

    #[test]
    fn plain_words_and_figures_are_left_alone() {
        assert_eq!(
            text("Police rescued 382 infants, 27 cities."),
            "Police rescued 382 infants, 27 cities."
        );
        assert_eq!(text("20,000 yuan; 4.5%"), "20,000 yuan; 4.5%");
    }
}
