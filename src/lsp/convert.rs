//! The one place where the engine's byte offsets become LSP positions and
//! back, and where severities become LSP severities. Positions count UTF-16
//! code units by default, UTF-8 bytes when the client offers them.

use ropey::Rope;
use tower_lsp::lsp_types::{DiagnosticSeverity, Position, PositionEncodingKind, Range};

use crate::check::Severity;
use crate::text::LineIndex;

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (the protocol's default).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn units(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.encode_utf16().count(),
        }
    }
}

/// A text and its line index, for conversions.
pub struct Text<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
}

/// The end of a line's content: before its `\n`, `\r\n` or `\r`.
fn line_end(text: &str, lines: &LineIndex, line: usize) -> usize {
    let end = lines.line_start(line + 1).unwrap_or(text.len());
    let mut e = end;
    if e > 0 && text.as_bytes().get(e - 1) == Some(&b'\n') {
        e -= 1;
    }
    if e > 0 && text.as_bytes().get(e - 1) == Some(&b'\r') {
        e -= 1;
    }
    e.max(lines.line_start(line).unwrap_or(0))
}

impl Text<'_> {
    /// The position of a byte offset.
    pub fn position(&self, offset: usize, enc: Encoding) -> Position {
        let offset = crate::text::floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line).unwrap_or(0);
        Position {
            line: line as u32,
            character: enc.units(&self.text[start..offset]) as u32,
        }
    }

    pub fn range(&self, r: std::ops::Range<usize>, enc: Encoding) -> Range {
        Range {
            start: self.position(r.start, enc),
            end: self.position(r.end, enc),
        }
    }

    /// The byte offset of a position. Past the end of a line means its end;
    /// past the last line means the end of the text; inside a character
    /// (half a surrogate pair) means its start.
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let Some(start) = self.lines.line_start(line) else {
            return self.text.len();
        };
        let end = line_end(self.text, self.lines, line);
        let content = &self.text[start..end];
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            let w = match enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if units + w > pos.character as usize {
                return start + i;
            }
            units += w;
        }
        end
    }
}

/// A position in a rope, as a char index. Same clamping rules as [`Text::offset`].
pub fn rope_char(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let slice = rope.line(line);
    // The line's content, without its line break.
    let mut len = slice.len_chars();
    if len > 0 && slice.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && slice.char(len - 1) == '\r' {
        len -= 1;
    }
    let content = slice.slice(..len);
    let target = pos.character as usize;
    let chars = match enc {
        Encoding::Utf8 => {
            let b = target.min(content.len_bytes());
            content.byte_to_char(b)
        }
        Encoding::Utf16 => {
            let cu = target.min(content.len_utf16_cu());
            content.utf16_cu_to_char(cu)
        }
    };
    start + chars
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> (String, LineIndex) {
        (s.to_string(), LineIndex::new(s))
    }

    #[test]
    fn cjk_emoji_and_combining_marks_in_both_encodings() {
        // "北" is 3 bytes / 1 UTF-16 unit; "🎉" 4 bytes / 2 units; "é" as e + U+0301 is 3 bytes / 2 units.
        let (s, l) = text("北🎉e\u{301} 382 babies\nnext 27");
        let t = Text { text: &s, lines: &l };
        let off = s.find("382").unwrap();
        assert_eq!(t.position(off, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(t.position(off, Encoding::Utf8), Position::new(0, off as u32));
        assert_eq!(t.offset(Position::new(0, 6), Encoding::Utf16), off);
        assert_eq!(t.offset(Position::new(0, off as u32), Encoding::Utf8), off);
        // Inside the emoji (between its surrogates): snapped to its start.
        assert_eq!(t.offset(Position::new(0, 2), Encoding::Utf16), "北".len());
        // Past the end of a line: its end; past the last line: the end.
        assert_eq!(t.offset(Position::new(0, 999), Encoding::Utf16), s.find('\n').unwrap());
        assert_eq!(t.offset(Position::new(9, 0), Encoding::Utf16), s.len());
        let off = s.find("27").unwrap();
        assert_eq!(t.position(off, Encoding::Utf16), Position::new(1, 5));
    }

    #[test]
    fn rope_positions_agree_with_string_positions() {
        let s = "北🎉e\u{301} 382\r\nx 27\rlone CR\u{2028}not a line end\u{85}\u{b}\u{c}\n";
        let rope = Rope::from_str(s);
        let l = LineIndex::new(s);
        let t = Text { text: s, lines: &l };
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for line in 0..5u32 {
                for ch in 0..40u32 {
                    let p = Position::new(line, ch);
                    let byte = rope.char_to_byte(rope_char(&rope, p, enc));
                    assert_eq!(byte, t.offset(p, enc), "{p:?} {enc:?}");
                }
            }
        }
    }

    #[test]
    fn negotiation_prefers_utf8_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF16])),
            Encoding::Utf16
        );
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF16, PositionEncodingKind::UTF8])),
            Encoding::Utf8
        );
    }
}
