//! An open document: a rope, edited incrementally, with changes applied
//! strictly in version order.
//!
//! tower-lsp runs notification handlers concurrently, so two `didChange`s
//! can reach this type out of order (tower-lsp issue 284). Each change is
//! kept until the one before it has been applied. Versions usually step by
//! one; when a version is missing (the protocol allows gaps), the caller
//! waits briefly for it and then [`DocText::flush`]es.

use std::collections::BTreeMap;

use ropey::Rope;
use tower_lsp::lsp_types::TextDocumentContentChangeEvent;

use super::convert::{Encoding, rope_char};

/// The text of an open document.
#[derive(Debug, Clone)]
pub struct DocText {
    rope: Rope,
    version: i32,
    pending: BTreeMap<i32, Vec<TextDocumentContentChangeEvent>>,
    /// Where the last change left the cursor, in bytes, when that change
    /// looked like typing (one character typed or deleted): findings on the
    /// word there may be half-typed ("1,0" on the way to "1,094").
    typing: Option<usize>,
}

impl DocText {
    pub fn new(text: &str, version: i32) -> DocText {
        DocText {
            rope: Rope::from_str(text),
            version,
            pending: BTreeMap::new(),
            typing: None,
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// The byte offset of the cursor after the last change, if it was a
    /// keystroke; `None` after a paste, a replacement or a whole new text.
    pub fn typing(&self) -> Option<usize> {
        self.typing
    }

    /// Forgets the keystroke position: the word there counts as finished.
    pub fn finish_typing(&mut self) {
        self.typing = None;
    }

    /// Whether changes wait for an earlier version.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Takes the changes of `version`; applies them, and any that were waiting
    /// for them, when they come next. Changes for versions already applied are
    /// dropped. Returns whether the text changed.
    pub fn submit(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>, enc: Encoding) -> bool {
        if version <= self.version {
            tracing::warn!(version, current = self.version, "dropping a change for an old version");
            return false;
        }
        self.pending.insert(version, changes);
        let mut changed = false;
        while let Some(entry) = self.pending.first_entry() {
            if *entry.key() != self.version + 1 {
                break;
            }
            let (v, changes) = entry.remove_entry();
            self.apply(v, &changes, enc);
            changed = true;
        }
        changed
    }

    /// Applies waiting changes in version order even though versions are
    /// missing before them: the client skipped them.
    pub fn flush(&mut self, enc: Encoding) -> bool {
        let pending = std::mem::take(&mut self.pending);
        let changed = !pending.is_empty();
        for (v, changes) in pending {
            self.apply(v, &changes, enc);
        }
        changed
    }

    fn apply(&mut self, version: i32, changes: &[TextDocumentContentChangeEvent], enc: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let a = rope_char(&self.rope, range.start, enc);
                    let b = rope_char(&self.rope, range.end, enc).max(a);
                    self.rope.remove(a..b);
                    self.rope.insert(a, &change.text);
                    let typed = change.text.chars().count();
                    self.typing =
                        (typed <= 1 && b - a <= 1 && (typed == 1 || b > a)).then(|| self.rope.char_to_byte(a + typed));
                }
                None => {
                    self.rope = Rope::from_str(&change.text);
                    self.typing = None;
                }
            }
        }
        self.version = version;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tower_lsp::lsp_types::{Position, Range};

    fn change(text: &str, a: (u32, u32), b: (u32, u32)) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(a.0, a.1), Position::new(b.0, b.1))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn out_of_order_changes_wait_for_their_turn() {
        let mut d = DocText::new("abc\n", 1);
        assert!(!d.submit(3, vec![change("Z", (0, 0), (0, 0))], Encoding::Utf16));
        assert_eq!(d.text(), "abc\n");
        assert!(d.submit(2, vec![change("Y", (0, 3), (0, 3))], Encoding::Utf16));
        assert_eq!(d.text(), "ZabcY\n");
        assert_eq!(d.version(), 3);
        // Old versions are dropped.
        assert!(!d.submit(2, vec![change("!", (0, 0), (0, 0))], Encoding::Utf16));
    }

    #[test]
    fn gaps_are_flushed_in_order() {
        let mut d = DocText::new("abc", 1);
        d.submit(5, vec![change("5", (0, 0), (0, 0))], Encoding::Utf16);
        d.submit(4, vec![change("4", (0, 0), (0, 0))], Encoding::Utf16);
        assert!(d.has_pending());
        assert!(d.flush(Encoding::Utf16));
        assert_eq!(d.text(), "54abc");
        assert_eq!(d.version(), 5);
    }

    #[test]
    fn utf16_and_utf8_ranges_land_on_the_same_characters() {
        let mut a = DocText::new("北🎉x\n", 1);
        a.submit(2, vec![change("!", (0, 3), (0, 3))], Encoding::Utf16);
        let mut b = DocText::new("北🎉x\n", 1);
        b.submit(2, vec![change("!", (0, 7), (0, 7))], Encoding::Utf8);
        assert_eq!(a.text(), "北🎉!x\n");
        assert_eq!(b.text(), a.text());
    }

    /// A plain model: the text as a vector of chars, edited by char ranges.
    #[derive(Debug, Clone)]
    struct Edit {
        start: usize,
        len: usize,
        text: String,
    }

    /// LSP's lines: `\n`, `\r\n` and a lone `\r` end a line, nothing else does.
    fn units_before(chars: &[char], upto: usize, enc: Encoding) -> (u32, u32) {
        let mut line = 0u32;
        let mut col = 0u32;
        for (i, &c) in chars[..upto].iter().enumerate() {
            if c == '\n' || (c == '\r' && chars.get(i + 1) != Some(&'\n')) {
                line += 1;
                col = 0;
            } else if c == '\r' {
            } else {
                col += match enc {
                    Encoding::Utf8 => c.len_utf8() as u32,
                    Encoding::Utf16 => c.len_utf16() as u32,
                };
            }
        }
        (line, col)
    }

    fn edits() -> impl Strategy<Value = Vec<Edit>> {
        let piece = prop::sample::select(vec![
            "",
            "a",
            "1,094",
            "北京",
            "🎉",
            "e\u{301}",
            "\n",
            "x\ny",
            " 27 cities ",
            "\r",
            "\r\n",
            "\u{2028}",
            "\u{2029}",
            "\u{85}",
            "\u{b}",
            "\u{c}",
        ]);
        prop::collection::vec((0usize..200, 0usize..6, prop::collection::vec(piece, 0..3)), 1..40).prop_map(|v| {
            v.into_iter()
                .map(|(start, len, parts)| Edit {
                    start,
                    len,
                    text: parts.concat(),
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Thousands of random edits (300 cases of up to 40 edits), sent in a
        /// shuffled order within a window as tower-lsp may deliver them, in
        /// both encodings: the document always ends equal to the model.
        #[test]
        fn random_edits_in_any_arrival_order_match_the_model(
            edits in edits(),
            swaps in prop::collection::vec((0usize..40, 0usize..4), 0..30),
            utf8 in any::<bool>(),
        ) {
            let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            let start = "Police rescued 382 babies in 27 cities.\n北京 🎉\n";
            let mut model: Vec<char> = start.chars().collect();
            // Turn each edit into an LSP change against the model's text at that point.
            let mut changes = Vec::new();
            // Never inside a "\r\n": LSP has no position between its halves.
            let inside_crlf = |m: &[char], i: usize| i > 0 && i < m.len() && m[i - 1] == '\r' && m[i] == '\n';
            for e in &edits {
                let mut a = e.start.min(model.len());
                if inside_crlf(&model, a) {
                    a += 1;
                }
                let mut b = (a + e.len).min(model.len());
                if inside_crlf(&model, b) {
                    b += 1;
                }

                // Never split a "\r\n" or a combining sequence: the model edits chars.
                let (la, ca) = units_before(&model, a, enc);
                let (lb, cb) = units_before(&model, b, enc);
                changes.push(change(&e.text, (la, ca), (lb, cb)));
                model.splice(a..b, e.text.chars());
            }
            // Versions 2.. in order, then shuffled by bounded swaps.
            let mut order: Vec<usize> = (0..changes.len()).collect();
            for (i, d) in swaps {
                if i < order.len() && i + d < order.len() {
                    order.swap(i, i + d);
                }
            }
            let mut doc = DocText::new(start, 1);
            for i in order {
                doc.submit(i as i32 + 2, vec![changes[i].clone()], enc);
            }
            prop_assert!(!doc.has_pending());
            prop_assert_eq!(doc.text(), model.into_iter().collect::<String>());
        }
    }

    #[test]
    fn item_7_a_keystroke_leaves_its_cursor_a_paste_does_not() {
        let mut d = DocText::new("freed 1,0 babies\n", 1);
        d.submit(2, vec![change("9", (0, 9), (0, 9))], Encoding::Utf16);
        assert_eq!(d.typing(), Some(10));
        // Backspace: the cursor is where the character was.
        d.submit(3, vec![change("", (0, 9), (0, 10))], Encoding::Utf16);
        assert_eq!(d.typing(), Some(9));
        // A replacement of several characters (a paste, a quick fix) is finished.
        d.submit(4, vec![change("1,094", (0, 6), (0, 9))], Encoding::Utf16);
        assert_eq!(d.typing(), None);
        d.submit(5, vec![change("x", (0, 0), (0, 0))], Encoding::Utf16);
        d.finish_typing();
        assert_eq!(d.typing(), None);
    }
}
