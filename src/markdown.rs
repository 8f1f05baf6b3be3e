//! Markdown to checkable text.
//!
//! A draft is parsed with pulldown-cmark (CommonMark, GFM tables and footnotes)
//! into [`Block`]s of plain text: paragraphs, headings, list items, block quotes
//! and table cells. Each block keeps an [`OffsetMap`] back to the original file,
//! so every span copydesk reports points into the file as written (front
//! matter, Markdown syntax and all), never into a stripped copy.
//!
//! Not checked: front matter, fenced and indented code, inline code, URLs and
//! link destinations, image alt text, HTML, and citation keys (`[@key]`).
//! HTML comments carry suppressions (see [`Suppression`]).

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::text::LineIndex;

mod reparse;

/// Where a block's plain text came from, byte by byte.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OffsetMap {
    segs: Vec<Seg>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Seg {
    plain: u32,
    plain_len: u32,
    orig: u32,
    orig_len: u32,
}

impl OffsetMap {
    /// A map for text copied verbatim from `orig_start`.
    pub fn verbatim(orig_start: usize, len: usize) -> OffsetMap {
        OffsetMap {
            segs: vec![Seg {
                plain: 0,
                plain_len: len as u32,
                orig: orig_start as u32,
                orig_len: len as u32,
            }],
        }
    }

    fn push(&mut self, plain: usize, plain_len: usize, orig: Range<usize>) {
        self.segs.push(Seg {
            plain: plain as u32,
            plain_len: plain_len as u32,
            orig: orig.start as u32,
            orig_len: orig.len() as u32,
        });
    }

    fn seg(&self, p: u32) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.plain <= p);
        self.segs.get(i.checked_sub(1)?)
    }

    /// Original offset of a plain-text offset that starts a span.
    pub fn start(&self, p: u32) -> usize {
        match self.seg(p) {
            Some(s) if s.plain_len == s.orig_len => (s.orig + (p - s.plain).min(s.orig_len)) as usize,
            Some(s) if p >= s.plain + s.plain_len => (s.orig + s.orig_len) as usize,
            Some(s) => s.orig as usize,
            None => self.segs.first().map_or(0, |s| s.orig as usize),
        }
    }

    /// Original offset of a plain-text offset that ends a span (exclusive).
    pub fn end(&self, p: u32) -> usize {
        if p == 0 {
            return self.start(0);
        }
        match self.seg(p - 1) {
            Some(s) if s.plain_len == s.orig_len => (s.orig + (p - s.plain).min(s.orig_len)) as usize,
            Some(s) => (s.orig + s.orig_len) as usize,
            None => self.start(p),
        }
    }

    /// The same map for text that moved by `delta` bytes in its file.
    fn shift(&mut self, delta: isize) {
        for s in &mut self.segs {
            s.orig = (s.orig as isize + delta) as u32;
        }
    }

    /// A hash of the map's shape relative to where it starts: two blocks with
    /// the same plain text map back to their files the same way exactly when
    /// their shapes are equal. A markup-only edit (a longer link destination,
    /// `**`, an HTML attribute, a `\` escape) changes the shape, not the text.
    pub fn shape_hash(&self) -> u64 {
        let base = self.segs.first().map_or(0, |s| s.orig);
        let mut bytes = Vec::with_capacity(self.segs.len() * 16);
        for s in &self.segs {
            for v in [s.plain, s.plain_len, s.orig.wrapping_sub(base), s.orig_len] {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        xxhash_rust::xxh3::xxh3_64(&bytes)
    }

    /// Original range of a plain range.
    pub fn range(&self, r: Range<u32>) -> Range<usize> {
        let a = self.start(r.start);
        let b = self.end(r.end).max(a);
        a..b
    }
}

/// What kind of Markdown element a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem,
    TableCell {
        row: u32,
        column: u32,
    },
    /// A paragraph that belongs to a footnote definition.
    Footnote,
}

/// A run of checkable plain text.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub map: OffsetMap,
    /// Inside a block quote.
    pub quoted: bool,
    /// Text that frames this block without being part of it: a table cell's
    /// column and row headers and the table's caption, the section heading.
    pub context: Vec<String>,
}

/// Front matter at the top of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// Byte range of the whole block, fences included.
    pub range: Range<usize>,
    /// Top-level keys with scalar values, as strings.
    pub fields: Vec<(String, String)>,
    /// Set when the block could not be parsed; the document is still checked.
    pub error: Option<String>,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// A suppression comment: `<!-- copydesk-disable-next-line -->`,
/// `<!-- copydesk-disable -->` … `<!-- copydesk-enable -->`, optionally with
/// codes and a reason: `<!-- copydesk-disable-next-line figure-mismatch: checked with the ministry -->`.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// 0-based lines it covers (end exclusive).
    pub lines: Range<usize>,
    /// Codes it silences; empty means all.
    pub codes: Vec<String>,
    pub reason: Option<String>,
    /// Byte range of the comment.
    pub comment: Range<usize>,
}

impl Suppression {
    pub fn covers(&self, line: usize, code: &str) -> bool {
        self.lines.contains(&line) && (self.codes.is_empty() || self.codes.iter().any(|c| c == code))
    }
}

/// A parsed draft (or Markdown source).
#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    pub suppressions: Vec<Suppression>,
    /// Indices of `blocks` sorted by where they start in the file, so the
    /// block before another is a binary search, not a scan of all earlier
    /// blocks (which made checking 80,000 paragraphs quadratic).
    by_start: Vec<u32>,
    /// Where each top-level Markdown block starts (outside any list,
    /// quote or fence): where an edit's re-parse may begin and end (`reparse`).
    tops: Vec<usize>,
    /// Each heading's text from where the heading ends: the section
    /// context of the blocks after it.
    headings: Vec<(usize, String)>,
    /// Whether a part of the text parses the same alone as in the whole:
    /// no link reference or footnote definitions and no suppression
    /// comments, whose effects reach across the document.
    local: bool,
}

/// What parsing a stretch of a file found besides its blocks.
struct Region {
    tops: Vec<usize>,
    headings: Vec<(usize, String)>,
    directives: Vec<Directive>,
}

/// Finds front matter: YAML between `---` lines or TOML between `+++` lines,
/// at the very start of the file.
pub fn front_matter(text: &str) -> Option<FrontMatter> {
    let text_nobom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_nobom.len();
    let (fence, toml) = if text_nobom.starts_with("---") {
        ("---", false)
    } else if text_nobom.starts_with("+++") {
        ("+++", true)
    } else {
        return None;
    };
    let first_nl = text_nobom.find('\n')?;
    if text_nobom[..first_nl].trim_end() != fence {
        return None;
    }
    let body_start = first_nl + 1;
    let mut pos = body_start;
    for line in text_nobom[body_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == fence || !toml && trimmed == "..." {
            let body = &text_nobom[body_start..pos];
            let end = pos + line.len();
            let (fields, error) = if toml { parse_toml(body) } else { parse_yaml(body) };
            return Some(FrontMatter {
                range: bom..bom + end,
                fields,
                error,
            });
        }
        pos += line.len();
    }
    None
}

type Fields = (Vec<(String, String)>, Option<String>);

fn parse_yaml(body: &str) -> Fields {
    use yaml_rust2::{Yaml, YamlLoader};
    match YamlLoader::load_from_str(body) {
        Ok(docs) => {
            let mut fields = Vec::new();
            if let Some(Yaml::Hash(map)) = docs.first() {
                for (k, v) in map {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        _ => continue,
                    };
                    let value = match v {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        _ => continue,
                    };
                    fields.push((key, value));
                }
            }
            (fields, None)
        }
        Err(e) => (Vec::new(), Some(e.to_string())),
    }
}

fn parse_toml(body: &str) -> Fields {
    match body.parse::<toml::Table>() {
        Ok(table) => {
            let fields = table
                .into_iter()
                .filter_map(|(k, v)| {
                    let value = match v {
                        toml::Value::String(s) => s,
                        toml::Value::Integer(i) => i.to_string(),
                        toml::Value::Float(f) => f.to_string(),
                        toml::Value::Boolean(b) => b.to_string(),
                        toml::Value::Datetime(d) => d.to_string(),
                        _ => return None,
                    };
                    Some((k, value))
                })
                .collect();
            (fields, None)
        }
        Err(e) => (Vec::new(), Some(e.to_string())),
    }
}

/// Builds the plain text of one block.
#[derive(Default)]
struct Builder {
    text: String,
    map: OffsetMap,
    kind: Option<BlockKind>,
}

impl Builder {
    /// Appends text that came from `orig`. When the text differs from the
    /// original (entities, escapes), its spans map to the whole original range.
    fn push(&mut self, s: &str, orig: Range<usize>) {
        if s.is_empty() {
            return;
        }
        self.map.push(self.text.len(), s.len(), orig);
        self.text.push_str(s);
    }

    fn space(&mut self, orig: Range<usize>) {
        if !self.text.ends_with(' ') && !self.text.is_empty() {
            self.map.push(self.text.len(), 1, orig.start..orig.start);
            self.text.push(' ');
        }
    }
}

/// Whether the paragraph before a table introduces it: a lead-in ("Jobs
/// created each year, according to the labour office:"), a title ("Arrests
/// by province, 2011") or a sentence with no figure but years ("The table
/// shows the results of 2019."). A finished sentence that states figures of
/// its own ("China has partnerships with 83 countries.") is the story's
/// text, whose words are no context of the cells below it.
fn is_caption(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with(':') || !t.ends_with(['.', '!', '?']) {
        return true;
    }
    let years = crate::corpus::data::years_in(t).len();
    let numbers = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
        .count();
    numbers == years
}

/// Replaces URLs and citation keys with spaces of the same length, so their
/// digits are never read as figures and offsets stay put.
fn mask_unchecked(text: &mut String) {
    let mut ranges: Vec<Range<usize>> = linkify::LinkFinder::new()
        .links(text)
        .map(|l| l.start()..l.end())
        .collect();
    // Pandoc citations: [@key], [@key, p. 3], @key; footnote-style [^key] stays out too.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@' && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = if i > 0 && bytes[i - 1] == b'[' { i - 1 } else { i };
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || b"_-:.#$%&+?<>~/".contains(&bytes[j])) {
                j += 1;
            }
            if start < i
                && let Some(close) = text[j..].find(']')
            {
                j += close + 1;
            }
            ranges.push(start..j);
            i = j;
        } else {
            i += 1;
        }
    }
    for r in ranges {
        let len = r.len();
        text.replace_range(r, &" ".repeat(len));
    }
}

/// A `copydesk-disable` not yet closed: codes, reason, comment range, first line.
type OpenDisable = (Vec<String>, Option<String>, Range<usize>, usize);

/// A suppression comment as written: kind, codes, reason, byte range.
type Directive = (&'static str, Vec<String>, Option<String>, Range<usize>);

fn directive(comment: &str) -> Option<(&'static str, Vec<String>, Option<String>)> {
    let inner = comment.trim().strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    let (head, reason) = match inner.split_once(':') {
        Some((h, r)) => (h.trim(), Some(r.trim().to_string()).filter(|r| !r.is_empty())),
        None => (inner, None),
    };
    let mut words = head.split_whitespace();
    let kind = match words.next()? {
        "copydesk-disable-next-line" => "next-line",
        "copydesk-disable" => "disable",
        "copydesk-enable" => "enable",
        _ => return None,
    };
    let codes = words
        .flat_map(|w| w.split(','))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    Some((kind, codes, reason))
}

impl Document {
    /// Parses Markdown text. Never fails: malformed Markdown is still text.
    pub fn parse(text: String) -> Document {
        let lines = LineIndex::new(&text);
        let front_matter = front_matter(&text);
        let body_start = front_matter.as_ref().map_or(0, |f| f.range.end);
        let mut doc = Document {
            blocks: Vec::new(),
            suppressions: Vec::new(),
            front_matter,
            lines,
            text: String::new(),
            by_start: Vec::new(),
            tops: Vec::new(),
            headings: Vec::new(),
            local: false,
        };
        let region = doc.read_blocks(&text, body_start..text.len(), None);
        doc.local = region.directives.is_empty() && reparse::local_text(&text);
        doc.suppressions = doc.resolve_suppressions(&text, region.directives);
        doc.tops = region.tops;
        doc.headings = region.headings;
        doc.text = text;
        doc.index_starts();
        doc
    }

    /// Sorts the blocks by where they start, for [`Document::block_before`].
    fn index_starts(&mut self) {
        self.by_start = (0..self.blocks.len() as u32).collect();
        let blocks = &self.blocks;
        self.by_start.sort_by_key(|&i| blocks[i as usize].map.start(0));
    }

    /// The block that starts last before `block` starts, by position in the
    /// file (`block` need not be one of this document's own: a block of an
    /// older parse finds its neighbour by its start).
    pub fn block_before(&self, block: &Block) -> Option<&Block> {
        let start = block.map.start(0);
        if self.by_start.len() != self.blocks.len() {
            // `blocks` was changed after parsing: the index is stale.
            return self.blocks.iter().rev().find(|b| b.map.start(0) < start);
        }
        let n = self
            .by_start
            .partition_point(|&i| self.blocks[i as usize].map.start(0) < start);
        let i = *self.by_start.get(n.checked_sub(1)?)?;
        self.blocks.get(i as usize)
    }

    /// Reads the blocks of `src[range]` (parsed as a document of its own)
    /// into `self.blocks`, under the section heading `heading`.
    fn read_blocks(&mut self, src: &str, range: Range<usize>, heading: Option<String>) -> Region {
        let body_start = range.start;
        let body = &src[range];
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        let parser = Parser::new_ext(body, options).into_offset_iter();

        let mut cur: Option<Builder> = None;
        let mut skip = 0usize; // inside code blocks, images, HTML blocks
        let mut quote_depth = 0usize;
        let mut footnote = false;
        let mut heading_text: Option<String> = heading;
        let (mut tops, mut headings, mut depth) = (Vec::new(), Vec::new(), 0usize);
        // Tables
        let mut in_head = false;
        let mut header: Vec<String> = Vec::new();
        let mut row: u32 = 0;
        let mut col: u32 = 0;
        let mut row_first: Option<String> = None;
        let mut caption: Option<String> = None;
        let mut item_depth = 0usize;
        // Suppressions: (kind, codes, reason, range)
        let mut directives: Vec<Directive> = Vec::new();

        let finish = |b: Builder, quoted: bool, context: Vec<String>, blocks: &mut Vec<Block>| {
            let Some(kind) = b.kind else { return };
            let mut text = b.text;
            mask_unchecked(&mut text);
            if text.trim().is_empty() {
                return;
            }
            blocks.push(Block {
                kind,
                text,
                map: b.map,
                quoted,
                context,
            });
        };

        for (event, r) in parser {
            let r = r.start + body_start..r.end + body_start;
            // A top-level block starts on its line (an indented code block's
            // range starts after the indent); a lone CR ends a line too.
            let mut top = |at: usize| {
                let line = src[body_start..at]
                    .rfind(['\n', '\r'])
                    .map_or(body_start, |i| body_start + i + 1);
                if tops.last() != Some(&line) {
                    tops.push(line);
                }
            };
            match &event {
                Event::Start(_) => {
                    if depth == 0 {
                        top(r.start);
                    }
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ if depth == 0 => top(r.start),
                _ => {}
            }
            match event {
                Event::Start(tag) => match tag {
                    Tag::CodeBlock(_) | Tag::Image { .. } | Tag::HtmlBlock | Tag::MetadataBlock(_) => skip += 1,
                    Tag::BlockQuote(_) => quote_depth += 1,
                    Tag::FootnoteDefinition(_) => footnote = true,
                    Tag::Paragraph => {
                        if let Some(b) = cur.take() {
                            // A tight list item's text before a nested paragraph.
                            finish(b, quote_depth > 0, self.section(&heading_text), &mut self.blocks);
                        }
                        let kind = if footnote {
                            BlockKind::Footnote
                        } else if item_depth > 0 {
                            BlockKind::ListItem
                        } else {
                            BlockKind::Paragraph
                        };
                        cur = Some(Builder {
                            kind: Some(kind),
                            ..Default::default()
                        });
                    }
                    Tag::Heading { level, .. } => {
                        cur = Some(Builder {
                            kind: Some(BlockKind::Heading(level as u8)),
                            ..Default::default()
                        });
                    }
                    Tag::Item => {
                        item_depth += 1;
                        if let Some(b) = cur.take() {
                            finish(b, quote_depth > 0, self.section(&heading_text), &mut self.blocks);
                        }
                        cur = Some(Builder {
                            kind: Some(BlockKind::ListItem),
                            ..Default::default()
                        });
                    }
                    Tag::List(_) => {
                        if let Some(b) = cur.take() {
                            finish(b, quote_depth > 0, self.section(&heading_text), &mut self.blocks);
                        }
                    }
                    Tag::Table(_) => {
                        header.clear();
                        row = 0;
                        caption = self
                            .blocks
                            .last()
                            .filter(|b| b.kind == BlockKind::Paragraph && is_caption(&b.text))
                            .map(|b| b.text.clone());
                    }
                    Tag::TableHead => {
                        in_head = true;
                        col = 0;
                    }
                    Tag::TableRow => {
                        row += 1;
                        col = 0;
                        row_first = None;
                    }
                    Tag::TableCell => {
                        cur = Some(Builder {
                            kind: Some(BlockKind::TableCell { row, column: col }),
                            ..Default::default()
                        });
                    }
                    _ => {}
                },
                Event::End(tag) => match tag {
                    TagEnd::CodeBlock | TagEnd::Image | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {
                        skip = skip.saturating_sub(1)
                    }
                    TagEnd::BlockQuote(_) => quote_depth = quote_depth.saturating_sub(1),
                    TagEnd::FootnoteDefinition => footnote = false,
                    TagEnd::Paragraph | TagEnd::Item => {
                        if matches!(tag, TagEnd::Item) {
                            item_depth = item_depth.saturating_sub(1);
                        }
                        if let Some(b) = cur.take() {
                            finish(b, quote_depth > 0, self.section(&heading_text), &mut self.blocks);
                        }
                    }
                    TagEnd::Heading(_) => {
                        if let Some(b) = cur.take() {
                            heading_text = Some(b.text.clone());
                            headings.push((r.end, b.text.clone()));
                            finish(b, quote_depth > 0, Vec::new(), &mut self.blocks);
                        }
                    }
                    TagEnd::TableHead => in_head = false,
                    TagEnd::TableCell => {
                        if let Some(b) = cur.take() {
                            let cell = b.text.trim().to_string();
                            if in_head {
                                header.push(cell);
                            } else {
                                let mut context = Vec::new();
                                if let Some(h) = header.get(col as usize) {
                                    context.push(h.clone());
                                }
                                if col > 0
                                    && let Some(first) = &row_first
                                {
                                    context.push(first.clone());
                                }
                                if let Some(c) = &caption {
                                    context.push(c.clone());
                                }
                                context.extend(self.section(&heading_text));
                                if col == 0 {
                                    row_first = Some(cell);
                                }
                                finish(b, quote_depth > 0, context, &mut self.blocks);
                            }
                        }
                        col += 1;
                    }
                    _ => {}
                },
                Event::Text(t) => {
                    if skip == 0
                        && let Some(b) = cur.as_mut()
                    {
                        b.push(&t, r);
                    }
                }
                Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) | Event::FootnoteReference(_) => {
                    if let Some(b) = cur.as_mut() {
                        b.space(r);
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(b) = cur.as_mut() {
                        b.space(r);
                    }
                }
                Event::Html(h) | Event::InlineHtml(h) => {
                    if let Some((kind, codes, reason)) = directive(&h) {
                        directives.push((kind, codes, reason, r));
                    }
                }
                _ => {}
            }
        }
        if let Some(b) = cur.take() {
            finish(b, quote_depth > 0, self.section(&heading_text), &mut self.blocks);
        }
        Region {
            tops,
            headings,
            directives,
        }
    }

    fn section(&self, heading: &Option<String>) -> Vec<String> {
        heading.iter().cloned().collect()
    }

    fn resolve_suppressions(&self, src: &str, directives: Vec<Directive>) -> Vec<Suppression> {
        let mut out = Vec::new();
        // An open `copydesk-disable`: codes, reason, comment range, first line.
        let mut open: Option<OpenDisable> = None;
        for (kind, codes, reason, r) in directives {
            let last_line = self.lines.line_of(r.end.saturating_sub(1).max(r.start));
            match kind {
                "next-line" => {
                    // The next line that has text on it.
                    let mut line = last_line + 1;
                    while let Some(start) = self.lines.line_start(line) {
                        let end = self.lines.line_start(line + 1).unwrap_or(src.len());
                        if !src[start..end].trim().is_empty() {
                            break;
                        }
                        line += 1;
                    }
                    out.push(Suppression {
                        lines: line..line + 1,
                        codes,
                        reason,
                        comment: r,
                    });
                }
                "disable" => {
                    if open.is_none() {
                        open = Some((codes, reason, r, last_line));
                    }
                }
                _ => {
                    if let Some((codes, reason, comment, from)) = open.take() {
                        out.push(Suppression {
                            lines: from..self.lines.line_of(r.start) + 1,
                            codes,
                            reason,
                            comment,
                        });
                    }
                }
            }
        }
        if let Some((codes, reason, comment, from)) = open {
            out.push(Suppression {
                lines: from..self.lines.line_count(),
                codes,
                reason,
                comment,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<(String, String)> {
        let doc = Document::parse(md.to_string());
        doc.blocks
            .iter()
            .map(|b| {
                let orig = b.map.range(0..b.text.len() as u32);
                (b.text.trim().to_string(), md[orig].trim().to_string())
            })
            .collect()
    }

    #[test]
    fn markup_only_edits_change_the_map_shape_not_the_text() {
        let first = |md: &str| Document::parse(md.to_string()).blocks.remove(0);
        let base = first("See [the report](http://a.example/x), police held 34 people.\n");
        // Moved as a whole (text before it), the shape is the same.
        let moved = first("\n\n\nSee [the report](http://a.example/x), police held 34 people.\n");
        assert_eq!(base.text, moved.text);
        assert_eq!(base.map.shape_hash(), moved.map.shape_hash());
        for md in [
            "See [the report](http://a.example/xyz), police held 34 people.\n",
            "See [the **report**](http://a.example/x), police held 34 people.\n",
            "See [the report](http://a.example/x)\\, police held 34 people.\n",
            "See <span class=\"x\">[the report](http://a.example/x)</span>, police held 34 people.\n",
        ] {
            let b = first(md);
            assert_eq!(b.text, base.text, "{md}");
            assert_ne!(b.map.shape_hash(), base.map.shape_hash(), "{md}");
        }
    }

    #[test]
    fn block_before_finds_the_previous_block_by_index() {
        let md = "# Floods\n\nFirst paragraph.\n\n- one item\n- two item\n\n> quoted text\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nLast paragraph.\n";
        let doc = Document::parse(md.to_string());
        assert!(doc.blocks.len() >= 6);
        for (i, b) in doc.blocks.iter().enumerate() {
            let start = b.map.start(0);
            let scanned = doc.blocks.iter().rev().find(|p| p.map.start(0) < start);
            assert_eq!(doc.block_before(b), scanned, "block {i}");
        }
        assert_eq!(doc.block_before(&doc.blocks[0]), None);
        // A block of another parse finds its neighbour by where it starts.
        let other = Document::parse(md.to_string());
        let last = other.blocks.last().unwrap();
        let own = doc.block_before(doc.blocks.last().unwrap());
        assert!(own.is_some());
        assert_eq!(doc.block_before(last), own);
    }

    #[test]
    fn front_matter_is_skipped_and_read() {
        let md = "---\ntitle: A story\nkey: story-1\n---\n# Head 4\n\nBody 12 babies.\n";
        let doc = Document::parse(md.to_string());
        let fm = doc.front_matter.as_ref().unwrap();
        assert_eq!(fm.get("title"), Some("A story"));
        assert_eq!(fm.get("key"), Some("story-1"));
        let texts: Vec<_> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["Head 4", "Body 12 babies."]);
    }

    #[test]
    fn toml_front_matter() {
        let md = "+++\ntitle = \"T\"\ndate = 2014-02-28\n+++\nText 3.\n";
        let fm = front_matter(md).unwrap();
        assert_eq!(fm.get("title"), Some("T"));
        assert_eq!(fm.get("date"), Some("2014-02-28"));
    }

    #[test]
    fn broken_front_matter_is_reported_not_fatal() {
        let md = "---\ntitle: [unclosed\n---\nText 3.\n";
        let doc = Document::parse(md.to_string());
        assert!(doc.front_matter.as_ref().unwrap().error.is_some());
        assert_eq!(doc.blocks.len(), 1);
    }

    #[test]
    fn spans_map_through_markup() {
        let md = "Police **arrested** [1,094 people](http://x.org/1234) in *27 cities*.\n";
        let doc = Document::parse(md.to_string());
        let b = &doc.blocks[0];
        assert_eq!(b.text, "Police arrested 1,094 people in 27 cities.");
        let p = b.text.find("27 cities").unwrap() as u32;
        let r = b.map.range(p..p + 9);
        assert_eq!(&md[r], "27 cities");
        let p = b.text.find("1,094").unwrap() as u32;
        assert_eq!(&md[b.map.range(p..p + 5)], "1,094");
    }

    #[test]
    fn code_urls_and_citations_are_not_checked() {
        let md = "See `12 rings` and https://example.org/2014/1094.html [@ng2014] now.\n\n```\n999 babies\n```\n\n    42 indented\n";
        let doc = Document::parse(md.to_string());
        assert_eq!(doc.blocks.len(), 1);
        let t = &doc.blocks[0].text;
        assert!(!t.contains("12") && !t.contains("1094") && !t.contains("2014"), "{t:?}");
    }

    #[test]
    fn lists_quotes_footnotes_and_headings() {
        let md = "# Title 1\n\n- item 2\n- item 3\n\n> quoted 4\n\nText.[^n]\n\n[^n]: note 5\n";
        let got = blocks(md);
        let texts: Vec<_> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            vec!["Title 1", "item 2", "item 3", "quoted 4", "Text.", "note 5"]
        );
        let doc = Document::parse(md.to_string());
        assert!(doc.blocks[3].quoted);
        assert_eq!(doc.blocks[5].kind, BlockKind::Footnote);
    }

    #[test]
    fn table_cells_carry_headers() {
        let md = "Detained by place:\n\n| Place | Detained |\n|---|---|\n| Taiwan | 46 |\n";
        let doc = Document::parse(md.to_string());
        let cell = doc.blocks.iter().find(|b| b.text.trim() == "46").unwrap();
        assert_eq!(cell.kind, BlockKind::TableCell { row: 1, column: 1 });
        assert_eq!(cell.context[0], "Detained");
        assert_eq!(cell.context[1], "Taiwan");
        assert_eq!(cell.context[2], "Detained by place:");
        let r = cell.map.range(0..cell.text.len() as u32);
        assert_eq!(md[r].trim(), "46");
    }

    #[test]
    fn a_caption_introduces_its_table_and_a_statement_does_not() {
        let context = |before: &str| {
            let md = format!("{before}\n\n| Place | Detained |\n|---|---|\n| Taiwan | 46 |\n");
            let doc = Document::parse(md);
            let cell = doc.blocks.iter().find(|b| b.text.trim() == "46").unwrap().clone();
            cell.context
        };
        for caption in [
            "Detained by place:",
            "Arrests by province, 2011",
            "The table shows the arrests of 2011.",
        ] {
            assert_eq!(context(caption).last().map(String::as_str), Some(caption), "{caption}");
        }
        // A finished sentence with figures of its own is the story's text.
        let ctx = context("China has partnerships with 83 countries and regions.");
        assert_eq!(ctx, ["Detained", "Taiwan"]);
    }

    #[test]
    fn suppressions() {
        let md = "<!-- copydesk-disable-next-line: checked by phone -->\nA 12.\n\nB 13.\n\n<!-- copydesk-disable figure-mismatch -->\nC 14.\n<!-- copydesk-enable -->\nD 15.\n";
        let doc = Document::parse(md.to_string());
        let s = &doc.suppressions;
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].lines, 1..2);
        assert_eq!(s[0].reason.as_deref(), Some("checked by phone"));
        assert!(s[0].covers(1, "figure-mismatch"));
        assert!(!s[0].covers(3, "figure-mismatch"));
        assert!(s[1].covers(6, "figure-mismatch"));
        assert!(!s[1].covers(6, "unsourced-figure"));
        assert!(!s[1].covers(8, "figure-mismatch"));
    }

    #[test]
    fn entities_map_to_their_source_range() {
        let md = "Fish &amp; 12 chips.\n";
        let doc = Document::parse(md.to_string());
        let b = &doc.blocks[0];
        let p = b.text.find("12").unwrap() as u32;
        assert_eq!(&md[b.map.range(p..p + 2)], "12");
    }
}
