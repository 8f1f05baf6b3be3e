//! The editor's review page (`check --format html`, `copydesk review`): one
//! self-contained HTML file with the draft as it will run, every finding
//! highlighted in place, its evidence beside it (under it on a phone), a
//! summary header and the conflicts the draft touches.
//!
//! Written with maud, which escapes every interpolated text and attribute:
//! a draft or source holding `<script>` shows it as text. The stylesheet and
//! script are this crate's own files, embedded with `include_str!`; the page
//! loads nothing from anywhere. Highlights carry `data-code`, `data-line` and
//! `data-column`, the JSON report's code and start (1-based, columns in
//! Unicode scalar values), so scripts can read the page.

mod draft;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Report;
use super::review::{Category, FileReview, Item, Review, SourceUse, Tally};
use crate::check::Code;
use crate::index::Facts;

const CSS: &str = include_str!("assets/review.css");
const JS: &str = include_str!("assets/review.js");

/// The page for a run, source dates read from `index`.
pub fn render(report: &Report, index: &dyn Facts) -> String {
    let date = |id: u32| index.get_source(id).and_then(|s| s.date);
    page(&Review::new(report, &date))
}

/// The page for a review.
pub fn page(review: &Review<'_>) -> String {
    let title = match review.files.as_slice() {
        [one] => format!("Review: {}", one.title.as_deref().unwrap_or(&one.path)),
        files => format!("Review: {} drafts", files.len()),
    };
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // Nothing may load from elsewhere: the page's own style and script only.
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
                meta name="generator" content={ "copydesk " (env!("CARGO_PKG_VERSION")) };
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.page {
                    h1 { (title) }
                    p.keys { "Keys: " kbd { "j" } "/" kbd { "n" } " next finding, " kbd { "k" } "/" kbd { "p" } " previous, "
                        kbd { "Enter" } " its evidence. " span #position aria-live="polite" {} }
                    (summary(&review.tally, Some(review.corpus_sources), review.files.len()))
                    (legend())
                    (sources_chart(&review.sources))
                    @if !review.warnings.is_empty() {
                        details.warnings {
                            summary { (review.warnings.len()) " corpus warning" @if review.warnings.len() != 1 { "s" } }
                            ul { @for w in &review.warnings { li { (w) } } }
                        }
                    }
                }
                main {
                    @for file in &review.files { (file_section(file, review.files.len() > 1)) }
                }
                script { (PreEscaped(JS)) }
            }
        }
    };
    markup.into_string()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(t: &Tally, corpus: Option<usize>, files: usize) -> Markup {
    html! {
        section.summary aria-label="Summary" {
            p.lede {
                strong { (plural(t.figures, "figure", "figures")) } " checked"
                @if files > 1 { " in " (files) " drafts" }
                @if let Some(n) = corpus { " against " (plural(n, "source", "sources")) }
                "."
            }
            ul.tally {
                li.sev-hint { span.glyph aria-hidden="true" { "✓" } strong { (t.supported) } " supported" }
                li.sev-error { span.glyph aria-hidden="true" { "✖" } strong { (t.mismatched) } " mismatched" }
                li.sev-warning { span.glyph aria-hidden="true" { "▲" } strong { (t.contested) } " contested" }
                li.sev-info { span.glyph aria-hidden="true" { "●" } strong { (t.unsourced) } " unsourced" }
                li { strong { (plural(t.quotations, "quotation", "quotations")) } ", " (t.quotation_problems) " not borne out" }
                li { strong { (plural(t.names, "name", "names")) } " misspelt" }
                @if t.suppressed > 0 {
                    li.suppressed { span.glyph aria-hidden="true" { "○" } strong { (t.suppressed) } " suppressed" }
                }
            }
        }
    }
}

fn legend() -> Markup {
    html! {
        p.legend aria-label="Legend" {
            mark.hl.sev-error { "error" } " " mark.hl.sev-warning { "warning" } " "
            mark.hl.sev-info { "note" } " " mark.hl.sev-hint.supported { "supported" } " "
            mark.hl.sev-warning.suppressed { "suppressed" }
        }
    }
}

/// Which sources the story rests on: a bar per source, its length the
/// figures and quotations it backs.
fn sources_chart(sources: &[SourceUse]) -> Markup {
    let max = sources.iter().map(|s| s.backs).max().unwrap_or(0).max(1);
    html! {
        section.sources aria-label="Sources the story rests on" {
            h2 { "Sources the story rests on" }
            @if sources.is_empty() {
                p { "No finding cites a source." }
            } @else {
                table.chart {
                    thead { tr { th { "Source" } th { "Backs" } th.bar-col { span.visually-hidden { "Bar" } } th { "Cited" } } }
                    tbody {
                        @for s in sources {
                            tr {
                                th scope="row" {
                                    code { (s.key) } " " span.title { (s.title) }
                                    @if let Some(d) = &s.date { " " span.date { (d) } }
                                }
                                td.num { (s.backs) }
                                td.bar-col {
                                    span.bar style={ "width:" (s.backs * 100 / max) "%" } {}
                                }
                                td.num { (s.cited) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn file_section(file: &FileReview<'_>, several: bool) -> Markup {
    let (draft, unplaced) = draft::DraftWriter::new(file).render(&card);
    html! {
        section.file {
            @if several {
                h2.file-path { (file.path) }
                (summary(&file.tally, None, 1))
            } @else {
                p.file-path { code { (file.path) } }
            }
            article.draft { (draft) }
            @if !unplaced.is_empty() {
                section.unplaced {
                    h2 { "Findings outside the text" }
                    @for i in unplaced {
                        @let item = &file.items[i];
                        div.block {
                            p { mark class={ (draft::mark_class(item)) " head" } id={ "f-" (item.id) } tabindex="0"
                                data-code=(item.finding.code.as_str()) data-severity=(item.finding.severity.as_str())
                                data-line=(item.start.line) data-column=(item.start.column)
                                data-suppressed[item.finding.is_suppressed()]
                                { (item.finding.text) } }
                        }
                        aside.cards { (card(item)) }
                    }
                }
            }
            @let conflicts: Vec<&Item<'_>> = file.conflicts().collect();
            @if !conflicts.is_empty() {
                section.conflicts {
                    h2 { "Conflicts the draft touches" }
                    @for item in conflicts { (conflict(item)) }
                }
            }
        }
    }
}

fn category_label(item: &Item<'_>) -> &'static str {
    match item.category {
        Category::FigureSupported | Category::QuoteSupported => "Supported",
        Category::FigureMismatched => "Mismatch",
        Category::FigureContested => "Sources disagree",
        Category::FigureUnsourced => "Unsourced",
        Category::QuoteProblem => "Quotation",
        Category::Name => "Name",
    }
}

/// One finding's card: what is wrong, the suggestion, the evidence. A
/// supported figure's card is folded (its evidence one click or Enter away),
/// so the problems stand out.
fn card(item: &Item<'_>) -> Markup {
    let f = item.finding;
    let class = format!(
        "card sev-{}{}{}",
        f.severity.as_str(),
        if f.code == Code::Supported { " supported" } else { "" },
        if f.is_suppressed() { " suppressed" } else { "" }
    );
    let header = html! {
        span.glyph aria-hidden="true" { (item.glyph()) }
        " " strong { (category_label(item)) } " "
        code.code { (f.code.as_str()) } " "
        @if f.code == Code::Supported {
            (f.text) " · " (f.source_keys().join(", ")) " "
        }
        a.where href={ "#f-" (item.id) } { "line " (item.start.line) ":" (item.start.column) }
    };
    let body = html! {
        @if f.code != Code::Supported { p.message { (f.message) } }
        @if let Some(reason) = &f.suppressed {
            p.reason {
                "Suppressed in the draft"
                @if let Some(r) = reason { ": " q { (r) } } @else { " (no reason given)" }
            }
        }
        @if let Some(r) = &f.replacement {
            p.suggest { "Suggested: " del { (f.text) } " → " ins { (r) } }
        }
        @if !item.evidence.is_empty() {
            ul.evidence {
                @for e in &item.evidence {
                    @let (before, figure, after) = e.parts();
                    li {
                        blockquote { (before) strong { (figure) } (after) }
                        p.cite {
                            span.title { (e.passage.title) } " · "
                            code { (e.passage.key) }
                            @if let Some(d) = &e.date { " · " span.date { (d) } }
                            " · " span.loc { (e.path) ":" (e.passage.line) ":" (e.passage.column) }
                            @if let Some(l) = &e.locator { " · " span.locator { (l) } }
                            @if let Some(s) = &e.passage.speaker { " · said by " (s) }
                        }
                    }
                }
            }
        }
    };
    if f.code == Code::Supported {
        html! {
            details class=(class) id={ "card-" (item.id) } tabindex="-1" {
                summary { (header) }
                (body)
            }
        }
    } else {
        html! {
            article class=(class) id={ "card-" (item.id) } tabindex="-1" {
                header { (header) }
                (body)
            }
        }
    }
}

/// A fact the sources disagree on: each version with its sources.
fn conflict(item: &Item<'_>) -> Markup {
    let f = item.finding;
    // Dated sources that revised the fact (outdated, or backed by the newest):
    // the versions come oldest first, a timeline rather than a dispute.
    let revised = matches!(f.code, Code::FigureOutdated | Code::Supported);
    html! {
        div.conflict.revision[revised] {
            h3 {
                a href={ "#f-" (item.id) } { (f.text) } " (line " (item.start.line) ")"
                @if revised { " " span.badge { "revised over time, oldest first" } }
            }
            ol.versions.timeline[revised] {
                @for v in &f.versions {
                    li.draft-version[v.matches_draft] {
                        strong { (v.text) }
                        @if v.matches_draft { " " span.badge { "the draft's version" } }
                        @if let Some(r) = &v.replacement { @if !v.matches_draft { " " span.suggest { "→ " (r) } } }
                        ul {
                            @for &i in &v.passages {
                                @if let Some(e) = item.evidence.get(i) {
                                    li {
                                        code { (e.passage.key) } " " (e.passage.title)
                                        @if let Some(d) = &e.date { ", " span.date { (d) } }
                                        " (" (e.path) ":" (e.passage.line) ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
