//! What names a table's row. A row is named by its label, the leftmost cell
//! of words ("Harbour Rovers" after a rank column); a draft often names it by
//! the one word of the label no other row of the table has ("Rovers lead
//! the table", "Glasgow" for "Glasgow City" among "Aberdeen City" and
//! "Dundee City"), when the label is a name (every word capitalised: "car"
//! names no row "Car occupants"). Those words are found once, when the table
//! is indexed, and each cell of the row carries them as outer terms at
//! [`OUTER_DISTINCT`].

use rustc_hash::FxHashMap;

use crate::extract::{Analyzer, OUTER_CLAUSE, OUTER_DISTINCT, Term};
use crate::markdown::{Block, BlockKind};

/// A label cell: words, no digits.
fn label_text(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(|c| c.is_ascii_digit())
}

/// For each block, the words of its row's label that no other row of its
/// table has (empty for blocks that are no table cells, and for tables of
/// one row). A table is a run of consecutive cell blocks.
pub(super) fn distinct_label_words(an: &mut Analyzer<'_>, blocks: &[Block]) -> Vec<Vec<Term>> {
    let mut out: Vec<Vec<Term>> = vec![Vec::new(); blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        if !matches!(blocks[i].kind, BlockKind::TableCell { .. }) {
            i += 1;
            continue;
        }
        let start = i;
        while i < blocks.len() && matches!(blocks[i].kind, BlockKind::TableCell { .. }) {
            i += 1;
        }
        // Each row's label: its leftmost cell of words.
        let mut labels: FxHashMap<u32, (u32, Vec<Term>)> = FxHashMap::default();
        for b in &blocks[start..i] {
            let BlockKind::TableCell { row, column } = b.kind else {
                continue;
            };
            if !label_text(&b.text) || labels.get(&row).is_some_and(|(c, _)| *c <= column) {
                continue;
            }
            let terms = an
                .outer_context(&b.text)
                .terms
                .into_iter()
                .filter(|t| t.event.is_none())
                .collect();
            labels.insert(row, (column, terms));
        }
        if labels.len() < 2 {
            continue;
        }
        let mut rows_with: FxHashMap<u64, usize> = FxHashMap::default();
        for (_, terms) in labels.values() {
            let mut keys: Vec<u64> = terms.iter().map(|t| t.key).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                *rows_with.entry(k).or_default() += 1;
            }
        }
        for (j, b) in blocks[start..i].iter().enumerate() {
            let BlockKind::TableCell { row, .. } = b.kind else {
                continue;
            };
            let Some((_, terms)) = labels.get(&row) else { continue };
            // A label of one word is named whole or not at all, and only a
            // name is named in part ("Rovers" for "Harbour Rovers"; "car" is
            // not "Car occupants").
            if terms.len() < 2 || !terms.iter().all(|t| t.name) {
                continue;
            }
            out[start + j] = terms
                .iter()
                .filter(|t| rows_with.get(&t.key) == Some(&1))
                .map(|t| Term {
                    pos: OUTER_DISTINCT,
                    clause: OUTER_CLAUSE,
                    ..*t
                })
                .collect();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Document;
    use crate::rules::Rules;

    #[test]
    fn a_label_word_no_other_row_has_names_the_row() {
        let rules = Rules::builtin();
        let mut an = Analyzer::new(&rules);
        let doc = Document::parse(
            "| Pos | Club | Pts |\n|---|---|---|\n| 1 | Harbour Rovers | 62 |\n| 2 | Harbour Town | 57 |\n| 3 | Castle City | 53 |\n"
                .to_string(),
        );
        let words = distinct_label_words(&mut an, &doc.blocks);
        let of = |cell: &str| -> Vec<u64> {
            let i = doc.blocks.iter().position(|b| b.text == cell).unwrap();
            words[i].iter().map(|t| t.key).collect()
        };
        // "Harbour" is two rows' word; "Rovers", "Castle" and "City" one row's.
        assert_eq!(of("62"), vec![rules.stem_hash("Rovers")]);
        assert_eq!(of("53"), vec![rules.stem_hash("Castle"), rules.stem_hash("City")]);
        assert_eq!(of("57"), vec![rules.stem_hash("Town")]);
        // A label that is no name is named whole only.
        let doc = Document::parse(
            "| Road user | Killed |\n|---|---|\n| Car occupants | 1820 |\n| Cyclists | 312 |\n".to_string(),
        );
        let i = doc.blocks.iter().position(|b| b.text == "1820").unwrap();
        assert!(distinct_label_words(&mut an, &doc.blocks)[i].is_empty());
        // Prose is no table.
        let doc = Document::parse("Harbour Rovers have 62 points.\n".to_string());
        assert!(distinct_label_words(&mut an, &doc.blocks)[0].is_empty());
    }
}
