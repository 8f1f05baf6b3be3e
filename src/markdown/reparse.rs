//! Re-parsing after an edit: only the top-level blocks around the change.
//!
//! A keystroke in a 20 MB draft changes one paragraph, yet parsing the
//! whole text again costs a fifth of a second. Markdown's block structure
//! is read forwards, line by line: where a top-level block starts (outside
//! any list, quote, fence or HTML block), the parser's state depends on the
//! text before it only through what is already closed. So the text between
//! two top-level starts around the edit is parsed alone, the blocks before
//! it are kept and those after it moved by the edit's length, provided
//! that:
//!
//! - the stretch re-parsed still ends where a top-level block starts, which
//!   is checked by parsing one unchanged block beyond it (an opened fence
//!   or a line that now continues a list fails this);
//! - the section heading in effect after it is unchanged (a heading edited
//!   reframes every block under it);
//! - the document is `local`: link reference and footnote definitions and
//!   suppression comments act across the whole text, so their presence (in
//!   the document or the edit) means a whole parse;
//! - the front matter is unchanged, and no table starts right after the
//!   stretch (its caption is the paragraph before it).
//!
//! Failing any of them, the whole text is parsed; the result is the same
//! either way, which the tests check on random edits.

use std::ops::Range;

use super::{Block, BlockKind, Document, front_matter};
use crate::text::LineIndex;

/// Whether a text has nothing that acts across the document when parsed
/// (link reference definitions, footnotes): the part of it from `local`.
pub(super) fn local_text(text: &str) -> bool {
    !text.contains("]:") && !text.contains("[^")
}

/// The length of the longest common prefix of `a` and `b`, in bytes, at
/// a character boundary of both.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const STEP: usize = 4096;
    let n = a.len().min(b.len());
    let mut i = 0;
    // Whole pages compared at once (a memcmp), then byte by byte.
    while i + STEP <= n && a[i..i + STEP] == b[i..i + STEP] {
        i += STEP;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    while i > 0 && (i < a.len() && !is_boundary(a[i]) || i < b.len() && !is_boundary(b[i])) {
        i -= 1;
    }
    i
}

/// The length of the longest common suffix of `a` and `b`, at most `max`,
/// at a character boundary of both.
fn common_suffix(a: &[u8], b: &[u8], max: usize) -> usize {
    const STEP: usize = 4096;
    let n = a.len().min(b.len()).min(max);
    let mut i = 0;
    while i + STEP <= n && a[a.len() - i - STEP..a.len() - i] == b[b.len() - i - STEP..b.len() - i] {
        i += STEP;
    }
    while i < n && a[a.len() - i - 1] == b[b.len() - i - 1] {
        i += 1;
    }
    while i > 0 && !(is_boundary(a[a.len() - i]) && is_boundary(b[b.len() - i])) {
        i -= 1;
    }
    i
}

/// Whether a byte starts a UTF-8 character.
fn is_boundary(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl Document {
    /// The document for `text`, an edit of this document's text: the same
    /// as [`Document::parse`] of it, parsing only the top-level blocks
    /// around what changed when that is sure to give the same result.
    pub fn reparse(&self, text: String) -> Document {
        match self.reparsed(&text) {
            Some(mut doc) => {
                doc.text = text;
                doc
            }
            None => Document::parse(text),
        }
    }

    /// [`Document::reparse`] when only the blocks around the change need
    /// parsing: the document without its text.
    fn reparsed(&self, text: &str) -> Option<Document> {
        let (old, new) = (self.text.as_bytes(), text.as_bytes());
        if !self.local || front_matter(text) != self.front_matter {
            return None;
        }
        let body_start = self.front_matter.as_ref().map_or(0, |f| f.range.end);
        let p = common_prefix(old, new);
        if p == old.len() && p == new.len() {
            let mut doc = self.clone();
            doc.text = String::new();
            return Some(doc);
        }
        // An edit in the front matter parses the whole text, even when what
        // it reads from the front matter is unchanged.
        if p < body_start {
            return None;
        }
        let q = common_suffix(old, new, old.len().min(new.len()) - p);
        let delta = new.len() as isize - old.len() as isize;
        let changed_end = old.len() - q;
        // One top-level block of slack on each side of the change.
        let i = self.tops.partition_point(|&t| t <= p);
        let s0 = if i >= 2 { self.tops[i - 2] } else { body_start };
        if s0 < body_start {
            return None;
        }
        let j = self.tops.partition_point(|&t| t < changed_end);
        // And one unchanged block beyond, to see that the stretch ends; with
        // none, the stretch runs to the end.
        let (e0, beyond) = match (self.tops.get(j + 1), self.tops.get(j + 2)) {
            (Some(&e), Some(&b)) => (e, b),
            _ => (old.len(), old.len()),
        };
        let moved = |at: usize| (at as isize + delta) as usize;
        let (e1, x1) = (moved(e0), moved(beyond));
        if !local_text(&text[s0..x1]) {
            return None;
        }
        // A table right after the stretch takes its caption from within it.
        let after = self.blocks.partition_point(|b| b.map.start(0) < e0);
        if self
            .blocks
            .get(after)
            .is_some_and(|b| matches!(b.kind, BlockKind::TableCell { .. }))
        {
            return None;
        }
        let before = self.blocks.partition_point(|b| b.map.start(0) < s0);
        let heading_at = |headings: &[(usize, String)], at: usize| {
            let n = headings.partition_point(|h| h.0 <= at);
            n.checked_sub(1).map(|k| headings[k].1.clone())
        };
        let seed = heading_at(&self.headings, s0);
        let mut part = Document {
            text: String::new(),
            lines: LineIndex::new(""),
            front_matter: None,
            // The block before the stretch: a table's caption, if one starts it.
            blocks: before
                .checked_sub(1)
                .map(|k| self.blocks[k].clone())
                .into_iter()
                .collect(),
            suppressions: Vec::new(),
            by_start: Vec::new(),
            tops: Vec::new(),
            headings: Vec::new(),
            local: true,
        };
        let seeded = part.blocks.len();
        let region = part.read_blocks(text, s0..x1, seed);
        if !region.directives.is_empty() || x1 < new.len() && !region.tops.contains(&e1) {
            return None;
        }
        let ends_with = |headings: &[(usize, String)]| headings.iter().rev().find(|h| h.0 <= e1).map(|h| h.1.clone());
        let new_heading = ends_with(&region.headings).or_else(|| heading_at(&self.headings, s0));
        if new_heading != heading_at(&self.headings, e0) {
            return None;
        }
        let shift = |b: &Block| {
            let mut b = b.clone();
            b.map.shift(delta);
            b
        };
        let after_old = self.blocks.partition_point(|b| b.map.start(0) < e0);
        let mut blocks = Vec::with_capacity(self.blocks.len() + part.blocks.len());
        blocks.extend_from_slice(&self.blocks[..before]);
        blocks.extend(part.blocks.drain(seeded..).filter(|b| b.map.start(0) < e1));
        blocks.extend(self.blocks[after_old..].iter().map(shift));
        let keep =
            |v: &[usize], r: Range<usize>| -> Vec<usize> { v.iter().copied().filter(|t| r.contains(t)).collect() };
        let mut tops = keep(&self.tops, 0..s0);
        tops.extend(keep(&region.tops, s0..e1));
        tops.extend(self.tops.iter().filter(|&&t| t >= e0).map(|&t| moved(t)));
        let mut headings: Vec<(usize, String)> = self.headings.iter().filter(|h| h.0 <= s0).cloned().collect();
        headings.extend(region.headings.into_iter().filter(|h| h.0 > s0 && h.0 <= e1));
        headings.extend(
            self.headings
                .iter()
                .filter(|h| h.0 > e0)
                .map(|(at, h)| (moved(*at), h.clone())),
        );
        let mut doc = Document {
            text: String::new(),
            lines: LineIndex::new(text),
            front_matter: self.front_matter.clone(),
            blocks,
            suppressions: Vec::new(),
            by_start: Vec::new(),
            tops,
            headings,
            local: true,
        };
        doc.index_starts();
        Some(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Everything a parse gives, compared field by field.
    fn assert_same(got: &Document, want: &Document) {
        assert_eq!(got.text, want.text);
        assert_eq!(got.blocks, want.blocks);
        assert_eq!(got.suppressions, want.suppressions);
        assert_eq!(got.front_matter, want.front_matter);
        assert_eq!(got.tops, want.tops);
        assert_eq!(got.headings, want.headings);
        assert_eq!(got.by_start, want.by_start);
        assert_eq!(got.local, want.local);
        assert_eq!(got.lines.line_count(), want.lines.line_count());
    }

    const STORY: &str = "# Floods\n\nPolice rescued 382 babies in 27 cities.\n\nThe ministry said 41 schools had closed.\n\n## Toll\n\nRescuers pulled 90 people from the water.\n\nThe council approved 12 classrooms.\n";

    #[test]
    fn typing_in_a_paragraph_parses_only_around_it() {
        let doc = Document::parse(STORY.to_string());
        let typed = STORY.replacen("41 schools", "41 village schools", 1);
        let part = doc.reparsed(&typed).expect("a paragraph edit is re-parsed in place");
        let mut part = part;
        part.text = typed.clone();
        assert_same(&part, &Document::parse(typed));
        // A new paragraph, a heading typed, a deleted blank line: still the same.
        for edited in [
            STORY.replacen("\n\nThe council", "\n\nA new 7 paragraph.\n\nThe council", 1),
            STORY.replacen("## Toll", "## Death toll", 1),
            STORY.replacen("cities.\n\nThe", "cities.\nThe", 1),
            STORY.replacen("Rescuers", "```\nRescuers", 1),
        ] {
            assert_same(&doc.reparse(edited.clone()), &Document::parse(edited));
        }
    }

    #[test]
    fn definitions_and_suppressions_mean_a_whole_parse() {
        for edited in [
            STORY.replacen("The council", "[report]: http://a.example/r\n\nThe council", 1),
            STORY.replacen("The council", "<!-- copydesk-disable -->\n\nThe council", 1),
            STORY.replacen("The council", "Note[^1] here.\n\n[^1]: The council", 1),
        ] {
            let doc = Document::parse(STORY.to_string());
            assert!(doc.reparsed(&edited).is_none(), "{edited}");
            let doc = doc.reparse(edited.clone());
            assert!(!doc.local);
            assert_same(&doc, &Document::parse(edited.clone()));
            // Once there, every later edit parses the whole text.
            assert!(doc.reparsed(&edited.replacen("Floods", "Storms", 1)).is_none());
        }
    }

    /// A lone CR ends a line: a block after one starts there, not at the
    /// last LF before it (which lay inside the paragraph the CR closed).
    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "Line one 1\nText with `code 8`.\r<div>See 34 people.\n\n- 12 in\n";
        let doc = Document::parse(text.to_string());
        assert_eq!(doc.tops, [0, text.find("<div>").unwrap(), text.find("- 12").unwrap()]);
        let edited = text.replacen("12 in", "12 inside", 1);
        assert_same(&doc.reparse(edited.clone()), &Document::parse(edited));
    }

    fn markdown() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "Police rescued 382 babies in 27 cities.\n\n",
            "# Floods in Shaanxi\n\n",
            "## Toll 3\n\n",
            "- 12 in the north\n- 14 in the south\n\n",
            "1. first 3\n2. second 4\n\n",
            "> The minister said 40 schools closed.\n> Then 41.\n\n",
            "| Region | Homes |\n|---|---|\n| North | 40 |\n| South | 41 |\n\n",
            "```\ncode 12\n```\n\n",
            "See [the report](http://a.example/x) on 34 people.\n\n",
            "<div>\n12 inside\n</div>\n\n",
            "    indented 55\n\n",
            "Line one 1\nline two 2\n",
            "---\n\n",
            "Setext 5\n===\n\n",
            "\n",
            "Text with **bold 9** and `code 8`.\r\n\r\n",
            "- item 7\n\n  continued 8\n\n",
            "北京 had 6 floods.\n\n",
        ]);
        (any::<bool>(), prop::collection::vec(piece, 1..24)).prop_map(|(front, parts)| {
            let front = if front { "---\ntitle: Floods\n---\n" } else { "" };
            format!("{front}{}", parts.concat())
        })
    }

    fn edit_text() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "",
            "x",
            "1,094",
            " ",
            "\n",
            "\n\n",
            "```",
            "~~~\n",
            "# ",
            "- ",
            "> ",
            "|",
            "| a |",
            "**",
            "    ",
            "===",
            "\r\n",
            "北京",
            "<div>",
            "1. ",
            "[^1]",
            "[a]: http://b.example",
            "<!-- copydesk-disable -->",
            "\\",
            "---",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// Random edits (markup, line breaks, fences, lists, definitions) of
        /// random Markdown, applied one after another: each re-parse equals
        /// a parse of the whole text.
        #[test]
        fn a_reparse_equals_a_whole_parse(
            text in markdown(),
            edits in prop::collection::vec((0.0f64..1.0, 0usize..12, edit_text()), 1..8),
        ) {
            let mut doc = Document::parse(text.clone());
            let mut text = text;
            for (at, len, insert) in edits {
                let mut a = (at * text.len() as f64) as usize;
                while !text.is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (a + len).min(text.len());
                while !text.is_char_boundary(b) {
                    b += 1;
                }
                text.replace_range(a..b, &insert);
                doc = doc.reparse(text.clone());
                assert_same(&doc, &Document::parse(text.clone()));
            }
        }
    }
}
