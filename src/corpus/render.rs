//! Writing a rendition: the text an extracted source's offsets refer to,
//! with its blocks built as it is written (no second parse).
//!
//! Paragraphs are separated by blank lines, headings start with `#`, tables
//! are pipe tables, so the rendition reads as Markdown in an editor. A table
//! cell's block carries the same context a draft's Markdown table cell does:
//! its column header, its row's first cell, the table's caption and the
//! section heading.

use crate::markdown::{Block, BlockKind, OffsetMap};

use super::{Extracted, Locator, Meta};

/// A rendition being written.
#[derive(Debug, Default)]
pub struct Rendition {
    text: String,
    blocks: Vec<Block>,
    locators: Vec<(usize, Locator)>,
    heading: Option<String>,
    last_para: Option<String>,
    /// Clauses of a data note beside a data file, each of which may speak
    /// of a column ("Population is given in thousands").
    notes: Vec<String>,
}

/// Squashes runs of whitespace (line breaks included) into single spaces.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Rendition {
    fn push_block(&mut self, kind: BlockKind, text: &str, context: Vec<String>) {
        let start = self.text.len();
        self.text.push_str(text);
        self.blocks.push(Block {
            kind,
            text: text.to_string(),
            map: OffsetMap::verbatim(start, text.len()),
            quoted: false,
            context,
        });
    }

    /// Marks where the original's `locator` starts: at the next text written.
    pub fn locate(&mut self, locator: Locator) {
        if self.locators.last().is_none_or(|l| l.1 != locator) {
            self.locators.push((self.text.len(), locator));
        }
    }

    /// A heading of `level` (1 for a title).
    pub fn heading(&mut self, level: u8, text: &str) {
        let text = squash(text);
        if text.is_empty() {
            return;
        }
        self.text.push_str(&"#".repeat(level.clamp(1, 6) as usize));
        self.text.push(' ');
        self.push_block(BlockKind::Heading(level), &text, Vec::new());
        self.text.push_str("\n\n");
        self.heading = Some(text);
        self.last_para = None;
    }

    /// A paragraph.
    pub fn paragraph(&mut self, text: &str) {
        let text = squash(text);
        if text.is_empty() {
            return;
        }
        let context = self.heading.iter().cloned().collect();
        self.push_block(BlockKind::Paragraph, &text, context);
        self.text.push_str("\n\n");
        self.last_para = Some(text);
    }

    /// A paragraph of a speaker's words, written `NAME: words` so the
    /// quotation checks read the speaker as they do in a transcript.
    pub fn turn(&mut self, speaker: Option<&str>, text: &str) {
        match speaker {
            Some(s) => self.paragraph(&format!("{}: {}", squash(s), text)),
            None => self.paragraph(text),
        }
    }

    /// A paragraph written in parts, each starting where its locator does
    /// (a speaker's turn of several captions).
    pub fn located_paragraph(&mut self, lead: &str, parts: &[(Locator, String)]) {
        let mut text = lead.to_string();
        let mut at = Vec::new();
        for (l, p) in parts {
            let p = squash(p);
            if p.is_empty() {
                continue;
            }
            if text.len() > lead.len() {
                text.push(' ');
            }
            at.push((self.text.len() + text.len(), *l));
            text.push_str(&p);
        }
        if at.is_empty() {
            return;
        }
        let start = self.text.len();
        self.paragraph(&text);
        // `paragraph` squashes what is already squashed: offsets hold.
        debug_assert_eq!(&self.text[start..start + text.len()], text);
        for (o, l) in at {
            if self.locators.last().is_none_or(|x| x.1 != l) {
                self.locators.push((o, l));
            }
        }
    }

    /// A table: its first row is the header. `locate` gives the locator of
    /// a cell from its (0-based) row and column, for data files.
    pub fn table(
        &mut self,
        rows: &[Vec<String>],
        caption: Option<&str>,
        locate: impl Fn(usize, usize) -> Option<Locator>,
    ) {
        let Some(header) = rows.first() else {
            return;
        };
        let header: Vec<String> = header.iter().map(|h| squash(h)).collect();
        let caption = caption.map(str::to_string).or_else(|| self.last_para.clone());
        let section = self.heading.clone();
        let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
        for (r, row) in rows.iter().enumerate() {
            self.text.push('|');
            let first = row.first().map(|c| squash(c)).unwrap_or_default();
            for c in 0..ncols {
                let cell = row.get(c).map(|c| squash(c)).unwrap_or_default();
                if let Some(l) = locate(r, c) {
                    self.locate(l);
                }
                self.text.push(' ');
                if r == 0 || cell.is_empty() {
                    self.text.push_str(&cell.replace('|', "/"));
                } else {
                    let mut context = Vec::new();
                    if let Some(h) = header.get(c).filter(|h| !h.is_empty()) {
                        let noted: Vec<&str> = self
                            .notes
                            .iter()
                            .filter(|n| names_column(n, h))
                            .map(String::as_str)
                            .collect();
                        context.push(if noted.is_empty() {
                            h.clone()
                        } else {
                            format!("{h} ({})", noted.join("; "))
                        });
                    }
                    if c > 0 && !first.is_empty() {
                        context.push(first.clone());
                    }
                    context.extend(caption.clone());
                    context.extend(section.clone());
                    let cell = cell.replace('|', "/");
                    self.push_block(
                        BlockKind::TableCell {
                            row: r as u32,
                            column: c as u32,
                        },
                        &cell,
                        context,
                    );
                }
                self.text.push_str(" |");
            }
            self.text.push('\n');
            if r == 0 {
                self.text.push('|');
                self.text.push_str(&" --- |".repeat(ncols));
                self.text.push('\n');
            }
        }
        self.text.push('\n');
        self.last_para = None;
    }

    /// Sets the data-note clauses that tables after this read their columns
    /// by: a clause naming a column's header joins the header as the
    /// cells' context, so a scale or unit it gives applies to the column.
    pub fn with_notes(&mut self, notes: Vec<String>) {
        self.notes = notes;
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    pub fn finish(self, meta: Meta) -> Extracted {
        Extracted {
            text: self.text,
            blocks: Some(self.blocks),
            meta,
            locators: self.locators,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_point_into_the_text_and_cells_carry_headers() {
        let mut r = Rendition::default();
        r.heading(1, "Detentions");
        r.paragraph("Detained by\nplace:");
        r.table(
            &[
                vec!["Place".into(), "Detained".into()],
                vec!["Taiwan".into(), "86".into()],
            ],
            None,
            |_, _| None,
        );
        let x = r.finish(Meta::default());
        let blocks = x.blocks.unwrap();
        for b in &blocks {
            assert_eq!(&x.text[b.map.range(0..b.text.len() as u32)], b.text);
        }
        let cell = blocks.iter().find(|b| b.text == "86").unwrap();
        assert_eq!(
            cell.context,
            vec!["Detained", "Taiwan", "Detained by place:", "Detentions"]
        );
        assert_eq!(cell.kind, BlockKind::TableCell { row: 1, column: 1 });
        assert!(x.text.contains("| Taiwan | 86 |"));
    }
}

/// The words of a text, lowercased, letters only.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_lowercase)
}

/// Whether a note clause is about a column: the header's words outside its
/// brackets open the clause, as its subject, give or take one word before
/// them ("Population is given in thousands", "The population column is in
/// thousands"; not "Road deaths" in "Deaths are estimates", nor "Murder" in
/// "Violent crime and murder are rates").
pub(super) fn names_column(clause: &str, header: &str) -> bool {
    let main = header.split('(').next().unwrap_or(header);
    let want: Vec<String> = words(main).collect();
    if want.is_empty() {
        return false;
    }
    let opening: Vec<String> = words(clause).take(want.len() + 1).collect();
    want.iter().all(|w| opening.contains(w))
}

/// The clauses of a data note: its text cut at sentence and clause marks.
pub fn note_clauses(text: &str) -> Vec<String> {
    text.split(['.', ';', ':', ',', '\n', '!', '?'])
        .map(squash)
        .filter(|c| c.split_whitespace().count() >= 2)
        .collect()
}

#[cfg(test)]
mod note_tests {
    use super::*;

    #[test]
    fn a_note_clause_names_the_columns_whose_words_it_holds() {
        assert!(names_column("Population is given in thousands", "Population"));
        assert!(names_column("population in thousands", "Population (mid-year)"));
        assert!(!names_column("Deaths are modelled estimates", "Road deaths"));
        assert!(!names_column("Area is in square kilometres", "Population"));
        assert!(names_column("The population column is in thousands", "Population"));
        assert!(names_column("Violent crime and murder are rates", "Violent crime"));
        assert!(!names_column("Violent crime and murder are rates", "Murder"));
        let clauses = note_clauses("Area is in square kilometres; population in thousands, from estimates.");
        assert_eq!(
            clauses,
            [
                "Area is in square kilometres",
                "population in thousands",
                "from estimates"
            ]
        );
    }
}
