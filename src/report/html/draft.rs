//! The draft as it will run, rendered from its Markdown with every finding
//! highlighted where it stands.
//!
//! pulldown-cmark's events (with the same options and front-matter offset as
//! `crate::markdown`, so byte offsets agree with the findings) are gathered
//! into a small tree, then written with maud, which escapes every text and
//! attribute. Text that pulldown-cmark passes through verbatim keeps its
//! byte range in the file, and is cut at findings' span boundaries; each cut
//! is wrapped in one `<mark>` per finding covering it, so a finding that runs
//! across emphasis or a line break is several marks, the first of which (the
//! "head") carries the finding's `id` and `data-*` attributes. Raw HTML in the
//! draft is shown as text, images as their alt text (nothing is fetched), and
//! only `http`, `https` and `mailto` links are live.

use std::ops::Range;

use maud::{Markup, html};
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag};

use crate::report::review::{FileReview, Item};

/// A Markdown element with what it holds.
enum Node {
    Elem(Elem, Vec<Node>),
    /// Text as it stands in the file, at this byte range.
    Verbatim(Range<usize>),
    /// Text that differs from its bytes (an entity, a backslash escape): it
    /// is highlighted whole when a finding touches `range`.
    Decoded(String, Range<usize>),
    Code(String),
    /// Raw HTML from the draft, shown as text.
    RawHtml(String),
    SoftBreak,
    HardBreak,
    Rule,
    Task(bool),
    FootnoteRef(String),
}

enum Elem {
    Paragraph,
    Heading(HeadingLevel),
    BlockQuote,
    CodeBlock,
    HtmlBlock,
    List(Option<u64>),
    Item,
    FootnoteDef(String),
    Table(Vec<Alignment>),
    TableHead,
    TableRow,
    TableCell,
    Emphasis,
    Strong,
    Strike,
    Super,
    Sub,
    Link(String, String),
    Image(String),
    DefinitionList,
    DefinitionTitle,
    DefinitionDefinition,
    /// Front matter and anything not shown.
    Hidden,
}

impl Elem {
    fn of(tag: Tag<'_>) -> Elem {
        match tag {
            Tag::Paragraph => Elem::Paragraph,
            Tag::Heading { level, .. } => Elem::Heading(level),
            Tag::BlockQuote(_) => Elem::BlockQuote,
            Tag::CodeBlock(_) => Elem::CodeBlock,
            Tag::HtmlBlock => Elem::HtmlBlock,
            Tag::List(start) => Elem::List(start),
            Tag::Item => Elem::Item,
            Tag::FootnoteDefinition(label) => Elem::FootnoteDef(label.to_string()),
            Tag::Table(align) => Elem::Table(align),
            Tag::TableHead => Elem::TableHead,
            Tag::TableRow => Elem::TableRow,
            Tag::TableCell => Elem::TableCell,
            Tag::Emphasis => Elem::Emphasis,
            Tag::Strong => Elem::Strong,
            Tag::Strikethrough => Elem::Strike,
            Tag::Superscript => Elem::Super,
            Tag::Subscript => Elem::Sub,
            Tag::Link { dest_url, title, .. } => Elem::Link(dest_url.to_string(), title.to_string()),
            Tag::Image { dest_url, .. } => Elem::Image(dest_url.to_string()),
            Tag::DefinitionList => Elem::DefinitionList,
            Tag::DefinitionListTitle => Elem::DefinitionTitle,
            Tag::DefinitionListDefinition => Elem::DefinitionDefinition,
            Tag::MetadataBlock(_) => Elem::Hidden,
        }
    }
}

/// Parses the draft body into top-level nodes.
fn parse(text: &str) -> Vec<Node> {
    let body_start = crate::markdown::front_matter(text).map_or(0, |f| f.range.end);
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let body = &text[body_start..];
    // Open elements, innermost last; the bottom entry collects top-level nodes.
    let mut stack: Vec<(Option<Elem>, Vec<Node>)> = vec![(None, Vec::new())];
    let push = |stack: &mut Vec<(Option<Elem>, Vec<Node>)>, n: Node| {
        if let Some(top) = stack.last_mut() {
            top.1.push(n);
        }
    };
    for (event, r) in Parser::new_ext(body, options).into_offset_iter() {
        let r = r.start + body_start..r.end + body_start;
        match event {
            Event::Start(tag) => stack.push((Some(Elem::of(tag)), Vec::new())),
            Event::End(_) => {
                if stack.len() > 1
                    && let Some((Some(elem), children)) = stack.pop()
                {
                    push(&mut stack, Node::Elem(elem, children));
                }
            }
            Event::Text(t) => {
                let node = if text.get(r.clone()) == Some(&*t) {
                    Node::Verbatim(r)
                } else {
                    Node::Decoded(t.to_string(), r)
                };
                push(&mut stack, node);
            }
            Event::Code(t) => push(&mut stack, Node::Code(t.to_string())),
            Event::InlineMath(t) | Event::DisplayMath(t) => push(&mut stack, Node::Code(t.to_string())),
            Event::Html(t) | Event::InlineHtml(t) => push(&mut stack, Node::RawHtml(t.to_string())),
            Event::FootnoteReference(l) => push(&mut stack, Node::FootnoteRef(l.to_string())),
            Event::SoftBreak => push(&mut stack, Node::SoftBreak),
            Event::HardBreak => push(&mut stack, Node::HardBreak),
            Event::Rule => push(&mut stack, Node::Rule),
            Event::TaskListMarker(done) => push(&mut stack, Node::Task(done)),
        }
    }
    // Unclosed elements (pulldown-cmark closes everything, but be safe).
    while stack.len() > 1 {
        if let Some((Some(elem), children)) = stack.pop() {
            push(&mut stack, Node::Elem(elem, children));
        }
    }
    stack.pop().map(|(_, n)| n).unwrap_or_default()
}

/// Only these link schemes are live on the page; anything else (such as
/// `javascript:`) is shown as text.
fn safe_href(dest: &str) -> Option<&str> {
    let lower = dest.trim().to_ascii_lowercase();
    let live = ["http://", "https://", "mailto:"].iter().any(|s| lower.starts_with(s)) || lower.starts_with('#');
    live.then_some(dest.trim())
}

/// Writes the draft, each top-level block followed by the cards of the
/// findings that start in it.
pub struct DraftWriter<'r, 'a> {
    review: &'r FileReview<'a>,
    text: &'r str,
    /// Finding spans sorted by start: (span, index into `review.items`).
    spans: Vec<(Range<usize>, usize)>,
    /// The length of the longest span.
    longest: usize,
    /// Whether each item's head mark has been written.
    placed: Vec<bool>,
    /// Items placed since the last block's cards.
    pending: Vec<usize>,
}

impl<'r, 'a> DraftWriter<'r, 'a> {
    pub fn new(review: &'r FileReview<'a>) -> DraftWriter<'r, 'a> {
        let mut spans: Vec<(Range<usize>, usize)> = review
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.finding.span.clone(), i))
            .collect();
        spans.sort_by_key(|(r, i)| (r.start, std::cmp::Reverse(r.end), *i));
        DraftWriter {
            longest: spans.iter().map(|(r, _)| r.len()).max().unwrap_or(0),
            review,
            text: &review.file.text,
            spans,
            placed: vec![false; review.items.len()],
            pending: Vec::new(),
        }
    }

    /// The whole draft. `card` renders one finding's card.
    pub fn render(mut self, card: &dyn Fn(&Item<'_>) -> Markup) -> (Markup, Vec<usize>) {
        let nodes = parse(self.text);
        let markup = html! {
            @for node in &nodes {
                @let block = self.node(node);
                @let placed = std::mem::take(&mut self.pending);
                div.block { (block) }
                @if !placed.is_empty() {
                    aside.cards aria-label="Findings in the paragraph before" {
                        @for i in placed { (card(&self.review.items[i])) }
                    }
                }
            }
        };
        let unplaced = (0..self.placed.len()).filter(|&i| !self.placed[i]).collect();
        (markup, unplaced)
    }

    fn nodes(&mut self, nodes: &[Node]) -> Markup {
        html! { @for n in nodes { (self.node(n)) } }
    }

    fn node(&mut self, node: &Node) -> Markup {
        match node {
            Node::Verbatim(r) => self.text_at(r.clone(), None),
            Node::Decoded(s, r) => self.text_at(r.clone(), Some(s)),
            Node::Code(s) => html! { code { (s) } },
            Node::RawHtml(s) => html! { code.raw-html title="HTML in the draft, shown as written" { (s) } },
            Node::SoftBreak => html! { "\n" },
            Node::HardBreak => html! { br; },
            Node::Rule => html! { hr; },
            Node::Task(done) => html! { input type="checkbox" disabled checked[*done]; " " },
            Node::FootnoteRef(l) => html! { sup.fnref { a href={ "#fn-" (l) } { (l) } } },
            Node::Elem(elem, children) => self.elem(elem, children),
        }
    }

    fn elem(&mut self, elem: &Elem, children: &[Node]) -> Markup {
        match elem {
            Elem::Paragraph => html! { p { (self.nodes(children)) } },
            Elem::Heading(level) => {
                let inner = self.nodes(children);
                match level {
                    HeadingLevel::H1 => html! { h2.draft-h1 { (inner) } },
                    HeadingLevel::H2 => html! { h3.draft-h2 { (inner) } },
                    HeadingLevel::H3 => html! { h4.draft-h3 { (inner) } },
                    _ => html! { h5.draft-h4 { (inner) } },
                }
            }
            Elem::BlockQuote => html! { blockquote { (self.nodes(children)) } },
            Elem::CodeBlock => html! { pre { code { (self.plain(children)) } } },
            Elem::HtmlBlock => {
                html! { pre.raw-html title="HTML in the draft, shown as written" { (self.plain(children)) } }
            }
            Elem::List(None) => html! { ul { (self.nodes(children)) } },
            Elem::List(Some(1)) => html! { ol { (self.nodes(children)) } },
            Elem::List(Some(n)) => html! { ol start=(n) { (self.nodes(children)) } },
            Elem::Item => html! { li { (self.nodes(children)) } },
            Elem::FootnoteDef(l) => html! {
                div.footnote id={ "fn-" (l) } { sup { (l) } " " (self.nodes(children)) }
            },
            Elem::Table(align) => self.table(align, children),
            // Rows and cells are written by `table`.
            Elem::TableHead | Elem::TableRow | Elem::TableCell => self.nodes(children),
            Elem::Emphasis => html! { em { (self.nodes(children)) } },
            Elem::Strong => html! { strong { (self.nodes(children)) } },
            Elem::Strike => html! { del { (self.nodes(children)) } },
            Elem::Super => html! { sup { (self.nodes(children)) } },
            Elem::Sub => html! { sub { (self.nodes(children)) } },
            Elem::Link(dest, title) => {
                let inner = self.nodes(children);
                match safe_href(dest) {
                    Some(href) => html! { a href=(href) title=[(!title.is_empty()).then_some(title)] { (inner) } },
                    None => html! { span.dead-link title=(dest) { (inner) } },
                }
            }
            Elem::Image(dest) => html! {
                span.image title=(dest) { "[image: " (self.nodes(children)) "]" }
            },
            Elem::DefinitionList => html! { dl { (self.nodes(children)) } },
            Elem::DefinitionTitle => html! { dt { (self.nodes(children)) } },
            Elem::DefinitionDefinition => html! { dd { (self.nodes(children)) } },
            Elem::Hidden => html! {},
        }
    }

    fn table(&mut self, align: &[Alignment], children: &[Node]) -> Markup {
        let style = |i: usize| match align.get(i) {
            Some(Alignment::Left) => Some("text-align:left"),
            Some(Alignment::Center) => Some("text-align:center"),
            Some(Alignment::Right) => Some("text-align:right"),
            _ => None,
        };
        let head: Vec<&Node> = children
            .iter()
            .filter(|n| matches!(n, Node::Elem(Elem::TableHead, _)))
            .collect();
        let rows: Vec<&Node> = children
            .iter()
            .filter(|n| matches!(n, Node::Elem(Elem::TableRow, _)))
            .collect();
        html! {
            div.table-wrap {
                table {
                    @for h in &head {
                        thead { tr { @for (i, c) in table_cells(h).into_iter().enumerate() {
                            th style=[style(i)] { (self.nodes(c)) }
                        } } }
                    }
                    tbody {
                        @for r in &rows {
                            tr { @for (i, c) in table_cells(r).into_iter().enumerate() {
                                td style=[style(i)] { (self.nodes(c)) }
                            } }
                        }
                    }
                }
            }
        }
    }

    /// Code and HTML blocks: their text, never checked, never highlighted.
    fn plain(&self, children: &[Node]) -> Markup {
        html! {
            @for n in children {
                @match n {
                    Node::Verbatim(r) => (self.text.get(r.clone()).unwrap_or("")),
                    Node::Decoded(s, _) | Node::RawHtml(s) | Node::Code(s) => (s),
                    _ => "",
                }
            }
        }
    }

    /// Text at `r`, cut at finding boundaries, each cut wrapped in a mark per
    /// finding covering it. `decoded` is text that differs from its bytes.
    fn text_at(&mut self, r: Range<usize>, decoded: Option<&str>) -> Markup {
        // Spans are sorted by start and none is longer than `longest`.
        let lo = self.spans.partition_point(|(s, _)| s.start + self.longest < r.start);
        let hi = self.spans.partition_point(|(s, _)| s.start < r.end);
        let touching: Vec<(Range<usize>, usize)> = self.spans[lo..hi.max(lo)]
            .iter()
            .filter(|(s, _)| overlaps(s, &r))
            .cloned()
            .collect();
        if touching.is_empty() {
            return match decoded {
                Some(s) => html! { (s) },
                None => html! { (&self.text[r]) },
            };
        }
        if let Some(s) = decoded {
            let covering: Vec<usize> = touching.iter().map(|(_, i)| *i).collect();
            return self.wrap(&covering, s);
        }
        let mut cuts: Vec<usize> = vec![r.start, r.end];
        for (s, _) in &touching {
            for b in [s.start, s.end] {
                if b > r.start && b < r.end && self.text.is_char_boundary(b) {
                    cuts.push(b);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let pieces: Vec<(Range<usize>, Vec<usize>)> = cuts
            .windows(2)
            .map(|w| {
                let piece = w[0]..w[1];
                let covering = touching
                    .iter()
                    .filter(|(s, _)| overlaps(s, &piece))
                    .map(|(_, i)| *i)
                    .collect();
                (piece, covering)
            })
            .collect();
        html! {
            @for (piece, covering) in &pieces {
                (self.wrap(covering, &self.text[piece.clone()]))
            }
        }
    }

    /// `text` inside one mark per item, outermost first.
    fn wrap(&mut self, items: &[usize], text: &str) -> Markup {
        let Some((&i, rest)) = items.split_first() else {
            return html! { (text) };
        };
        let inner = self.wrap(rest, text);
        let item = &self.review.items[i];
        let f = item.finding;
        let class = mark_class(item);
        if self.placed[i] {
            return html! { mark class=(class) data-for=(item.id) { (inner) } };
        }
        self.placed[i] = true;
        self.pending.push(i);
        html! {
            mark class={ (class) " head" } id={ "f-" (item.id) } tabindex="0"
                data-code=(f.code.as_str()) data-severity=(f.severity.as_str())
                data-line=(item.start.line) data-column=(item.start.column)
                data-suppressed[f.is_suppressed()]
                aria-describedby={ "card-" (item.id) }
                title=(f.message) { (inner) }
        }
    }
}

/// The cells of a table row or head.
fn table_cells(n: &Node) -> Vec<&[Node]> {
    match n {
        Node::Elem(_, cells) => cells
            .iter()
            .filter_map(|c| match c {
                Node::Elem(Elem::TableCell, inner) => Some(inner.as_slice()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A span touches a range: overlaps it, or is empty and sits inside it.
fn overlaps(s: &Range<usize>, r: &Range<usize>) -> bool {
    if s.is_empty() {
        return s.start >= r.start && s.start < r.end;
    }
    s.start < r.end && s.end > r.start
}

/// The classes of a finding's marks: `hl`, its severity, `supported` or
/// `suppressed` when it is one.
pub fn mark_class(item: &Item<'_>) -> String {
    let f = item.finding;
    let mut c = format!("hl sev-{}", f.severity.as_str());
    if f.code == crate::check::Code::Supported {
        c.push_str(" supported");
    }
    if f.is_suppressed() {
        c.push_str(" suppressed");
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_other_than_web_and_mail_are_dead() {
        assert_eq!(safe_href("https://example.org/a"), Some("https://example.org/a"));
        assert_eq!(safe_href("mailto:desk@example.org"), Some("mailto:desk@example.org"));
        assert_eq!(safe_href("#notes"), Some("#notes"));
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href(" JavaScript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,<script>"), None);
        assert_eq!(safe_href("notes.md"), None);
    }

    #[test]
    fn verbatim_text_keeps_file_offsets() {
        let text = "---\ntitle: x\n---\n\nSome *382 babies* &amp; more.\n";
        let nodes = parse(text);
        let mut ranges = Vec::new();
        fn walk(n: &[Node], out: &mut Vec<Range<usize>>) {
            for n in n {
                match n {
                    Node::Verbatim(r) => out.push(r.clone()),
                    Node::Elem(_, c) => walk(c, out),
                    _ => {}
                }
            }
        }
        walk(&nodes, &mut ranges);
        let words: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert!(words.contains(&"382 babies"), "{words:?}");
        assert!(!words.iter().any(|w| w.contains("title")), "front matter is not shown");
    }
}
