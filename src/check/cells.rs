//! Data cells as facts. A cell of a data file (CSV, spreadsheet, JSON
//! records) states one fact: its row's, named by the row label (the row's
//! first cell), and its column's, named by the header. A draft figure whose
//! sentence names a row is about that row: another row's cell is another
//! fact, however close its value, and the named row's cell with another value
//! is a mismatch to name, not an unsourced figure.

use crate::corpus::Locator;
use crate::extract::{Figure, OUTER_CLAUSE};
use crate::index::{Facts, SentenceRec};
use crate::rules::{EventId, Rules};

use rustc_hash::FxHashSet;

use super::Cand;

/// How far back from a cell the row's first cell is looked for: the widest
/// table whose rows are told apart by label. Wider rows read as unlabelled.
const MAX_COLUMNS: u32 = 256;

/// How a cell's row stands to a draft sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowFit {
    /// Not a data cell, or a cell whose row has no label in words.
    Unknown,
    /// Every word of the row label is in the draft sentence.
    Named,
    /// The row label is not in the draft sentence.
    Unnamed,
}

/// The term keys of the row label of the cell that sentence `id` is, if it
/// is a data cell right of its row's first cell. Cells are indexed row by
/// row, so the row's first cell is a few sentences back.
pub(crate) fn row_label(index: &dyn Facts, id: u32, sent: &SentenceRec) -> Option<Vec<u64>> {
    let Some(Locator::Cell { row, column }) = sent.locator else {
        return None;
    };
    let mut first: Option<(u32, std::sync::Arc<SentenceRec>)> = None;
    for back in 1..=MAX_COLUMNS.min(id) {
        let s = index.sentence(id - back);
        if s.source != sent.source {
            break;
        }
        match s.locator {
            Some(Locator::Cell { row: r, column: c }) if r == row && c < column => {
                if first.as_ref().is_none_or(|(fc, _)| c < *fc) {
                    first = Some((c, s));
                }
            }
            // Another sentence of the same cell (a cell of two sentences).
            Some(Locator::Cell { row: r, column: c }) if r == row && c == column => {}
            _ => break,
        }
    }
    let (_, s) = first?;
    let keys: Vec<u64> = s
        .terms
        .iter()
        .filter(|t| t.clause != OUTER_CLAUSE && t.event.is_none())
        .map(|t| t.key)
        .collect();
    (!keys.is_empty() && s.figures.is_empty()).then_some(keys)
}

/// How the row of the cell that sentence `id` is stands to a draft sentence
/// holding `sentence_keys`.
pub(crate) fn row_fit(index: &dyn Facts, id: u32, sent: &SentenceRec, sentence_keys: &FxHashSet<u64>) -> RowFit {
    match row_label(index, id, sent) {
        None => RowFit::Unknown,
        Some(label) if label.iter().all(|k| sentence_keys.contains(k)) => RowFit::Named,
        Some(_) => RowFit::Unnamed,
    }
}

/// The events a cell's header names ("Killed", "Seriously injured"): a
/// cell's clause is its column, so they are its figure's events.
pub(crate) fn header_events(sent: &SentenceRec) -> Vec<EventId> {
    let mut out = Vec::new();
    if matches!(sent.locator, Some(Locator::Cell { .. })) {
        for e in sent
            .terms
            .iter()
            .filter(|t| t.clause == OUTER_CLAUSE)
            .filter_map(|t| t.event)
        {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// The relation of a draft figure to a cell of a row the draft names: the
/// column counts what the draft counts when the header's noun is the
/// draft's, or the header names the event the draft's noun counts or its
/// clause tells ("1,280 deaths" and "Killed"). Then the header is no guess
/// from context but the cell's own statement, and the relation is whole.
pub(crate) fn column_relation(
    rules: &Rules,
    rel: f32,
    d: &Figure,
    s: &Figure,
    d_events: &[EventId],
    s_events: &[EventId],
) -> f32 {
    let same_noun = matches!((d.noun, s.noun), (Some(a), Some(b)) if a.head == b.head);
    let noun_event = d.noun.and_then(|n| n.class).and_then(|c| rules.nouns[c as usize].event);
    let same_event = s.noun.is_none() && s_events.iter().any(|e| Some(*e) == noun_event || d_events.contains(e));
    if same_noun || same_event { rel.max(1.0) } else { rel }
}

/// Where the draft sentence names a row of some table, the cells of rows it
/// does not name are other facts: "The South had 1,284 road deaths" is
/// checked against the South's cell, not supported by the North's.
pub(super) fn named_rows_only(index: &dyn Facts, sentence_keys: &FxHashSet<u64>, cands: Vec<Cand>) -> Vec<Cand> {
    let fits: Vec<RowFit> = cands
        .iter()
        .map(|c| row_fit(index, c.fact.sentence, &index.sentence(c.fact.sentence), sentence_keys))
        .collect();
    if !fits.contains(&RowFit::Named) {
        return cands;
    }
    cands
        .into_iter()
        .zip(fits)
        .filter(|(_, f)| *f != RowFit::Unnamed)
        .map(|(c, _)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Source;
    use crate::index::Index;

    fn index(csv: &str) -> Index {
        let ex = crate::corpus::data::read_delimited(csv.as_bytes(), b',', Some("table".into())).unwrap();
        let src = Source::from_extracted(std::path::Path::new("t.csv"), crate::corpus::Format::Csv, ex);
        let corpus = crate::corpus::Corpus {
            sources: vec![src],
            warnings: Vec::new(),
        };
        Index::build(corpus, &Rules::builtin())
    }

    fn cell(ix: &Index, text: &str) -> u32 {
        (0..ix.sentence_count() as u32)
            .find(|&i| {
                let s = ix.sentence(i);
                ix.source_text(s.source)[s.span.start as usize..s.span.end as usize].contains(text)
            })
            .unwrap()
    }

    fn keys(words: &[&str]) -> FxHashSet<u64> {
        let rules = Rules::builtin();
        words.iter().map(|w| rules.stem_hash(w)).collect()
    }

    #[test]
    fn a_cell_knows_its_row_label() {
        let ix = index("Road user,Killed,Injured\nCar occupants,1820,10465\nCyclists,312,4380\n");
        let id = cell(&ix, "4380");
        let s = ix.sentence(id);
        assert_eq!(
            row_fit(&ix, id, &s, &keys(&["cyclists", "were", "hurt"])),
            RowFit::Named
        );
        assert_eq!(row_fit(&ix, id, &s, &keys(&["car", "occupants"])), RowFit::Unnamed);
        // Half a label is not the row.
        let id = cell(&ix, "10465");
        let s = ix.sentence(id);
        assert_eq!(row_fit(&ix, id, &s, &keys(&["car", "crashes"])), RowFit::Unnamed);
        // The label itself has no row label.
        let id = cell(&ix, "Cyclists");
        assert_eq!(
            row_fit(&ix, id, &ix.sentence(id), &keys(&["cyclists"])),
            RowFit::Unknown
        );
    }

    #[test]
    fn a_numbered_first_column_is_no_label() {
        let ix = index("Year,Deaths\n2021,1820\n2022,1790\n");
        let id = cell(&ix, "1790");
        assert_eq!(row_fit(&ix, id, &ix.sentence(id), &keys(&["deaths"])), RowFit::Unknown);
    }

    #[test]
    fn header_events_are_a_cells_events() {
        let ix = index("Road user,Killed\nCyclists,312\n");
        let id = cell(&ix, "312");
        assert!(!header_events(&ix.sentence(id)).is_empty());
        let ix = index("Road user,Licensed\nCyclists,312\n");
        let id = cell(&ix, "312");
        assert!(header_events(&ix.sentence(id)).is_empty());
    }
}
