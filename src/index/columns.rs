//! What a table column's header says of its bare numbers. A cell holds a
//! number and nothing else; the header says what kind of number it is: a
//! unit in brackets ("Pupils in academies (%)", "Area (sq km)") makes every
//! bare number of the column a measure in that unit, and a column that is
//! not a column of years does not read "1820" as a year.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::extract::{Analyzer, DateVal, Dim, OuterContext, Sentence, Value};
use crate::markdown::{Block, BlockKind};

/// A column: its position and its header.
type Column = (u32, String);

fn column_of(block: &Block) -> Option<Column> {
    match block.kind {
        BlockKind::TableCell { column, .. } => Some((column, block.context.first()?.clone())),
        _ => None,
    }
}

/// A cell that is a number and nothing else ("4512", "61.4", "-0.8").
fn bare_number(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().any(|c| c.is_ascii_digit()) && !t.chars().any(char::is_alphabetic)
}

/// The columns whose every bare number is written as a year is (four digits,
/// no separator): there "2021" is a year. Elsewhere a four-digit count
/// ("1820 killed") is a count, however much it looks like a year.
pub(super) fn year_columns(blocks: &[Block]) -> FxHashSet<Column> {
    let mut verdict: FxHashMap<Column, bool> = FxHashMap::default();
    for b in blocks {
        let Some(col) = column_of(b) else { continue };
        if !bare_number(&b.text) {
            continue;
        }
        let t = b.text.trim();
        let yearish = t.len() == 4 && t.bytes().all(|c| c.is_ascii_digit());
        let e = verdict.entry(col).or_insert(true);
        *e &= yearish;
    }
    verdict.into_iter().filter(|(_, y)| *y).map(|(c, _)| c).collect()
}

/// The units headers give, read once per header.
#[derive(Default)]
pub(super) struct Units(FxHashMap<String, Option<Dim>>);

impl Units {
    /// The dimension a header's unit gives a bare number: the words in its
    /// brackets, else the whole header, read after a number as the extractor
    /// reads any unit ("1 %", "1 sq km", "£1"). Counts and scales are no unit
    /// here (a column "(thousands)" is scaled elsewhere).
    fn of(&mut self, an: &mut Analyzer<'_>, header: &str) -> Option<Dim> {
        if let Some(d) = self.0.get(header) {
            return *d;
        }
        let mut found = None;
        let inner = header
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(u, _)| u.trim());
        for cand in inner.into_iter().chain([header.trim()]) {
            if cand.is_empty() {
                continue;
            }
            for probe in [format!("1 {cand}"), format!("{cand}1")] {
                let dim = an.analyze(&probe).into_iter().flat_map(|s| s.figures).find_map(|f| {
                    let whole = f.num_span.start == 0 && f.num_span.end as usize == probe.len();
                    (whole && matches!(f.dim, Dim::Measure(_) | Dim::Money(_))).then_some(f.dim)
                });
                if dim.is_some() {
                    found = dim;
                    break;
                }
            }
            if found.is_some() {
                break;
            }
        }
        self.0.insert(header.to_string(), found);
        found
    }
}

/// Gives a bare-number cell's figures what its column header says: the
/// header's unit, and a count where the extractor took a lone number for a
/// year in a column that is not one of years.
pub(super) fn retype_cell(
    an: &mut Analyzer<'_>,
    units: &mut Units,
    years: &FxHashSet<Column>,
    block: &Block,
    outer: &OuterContext,
    sentences: &mut [Sentence],
) {
    let Some(col) = column_of(block) else { return };
    if !bare_number(&block.text) {
        return;
    }
    let unit = units.of(an, &col.1);
    for f in sentences.iter_mut().flat_map(|s| s.figures.iter_mut()) {
        if let (
            Value::Date(DateVal {
                year: Some(y),
                month: None,
                day: None,
            }),
            false,
        ) = (f.value, years.contains(&col))
        {
            f.value = Value::num(y as f64);
            f.dim = Dim::Count;
            f.noun = f.noun.or(outer.noun);
        }
        if let (Dim::Count, Some(u)) = (f.dim, unit) {
            f.dim = u;
            // The header's noun names the base of the share ("Below poverty
            // line (%)"), not a thing the cell counts.
            if f.noun.is_some_and(|n| n.inherited) {
                f.noun = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::{Format, Source, data};
    use crate::extract::Dim;
    use crate::index::Index;
    use crate::rules::Rules;

    fn figures(csv: &str) -> Vec<(String, Dim)> {
        let x = data::read_delimited(csv.as_bytes(), b',', Some("t".into())).unwrap();
        let src = Source::from_extracted(std::path::Path::new("t.csv"), Format::Csv, x);
        let corpus = crate::corpus::Corpus {
            sources: vec![src],
            warnings: Vec::new(),
        };
        let ix = Index::build(corpus, &Rules::builtin());
        let mut out = Vec::new();
        for i in 0..ix.sentence_count() as u32 {
            let s = ix.sentence(i);
            let text = ix.source_text(s.source);
            for f in &s.figures {
                out.push((
                    text[f.num_span.start as usize..f.num_span.end as usize].to_string(),
                    f.dim,
                ));
            }
        }
        out
    }

    fn dim_of(figs: &[(String, Dim)], num: &str) -> Dim {
        figs.iter()
            .find(|(t, _)| t == num)
            .unwrap_or_else(|| panic!("{num} in {figs:?}"))
            .1
    }

    #[test]
    fn a_four_digit_count_is_no_year_outside_a_column_of_years() {
        let figs = figures("Road user,Killed\nCar occupants,1820\nCyclists,312\n");
        assert_eq!(dim_of(&figs, "1820"), Dim::Count);
        // A column of years keeps its years.
        let figs = figures("Event,Year\nFirst census,1801\nLatest census,2021\n");
        assert_eq!(dim_of(&figs, "1801"), Dim::Date);
        assert_eq!(dim_of(&figs, "2021"), Dim::Date);
    }

    #[test]
    fn a_bracketed_unit_in_the_header_is_the_cells_unit() {
        let figs = figures("Area,Academies (%),Area (sq km),Pupils\nNorthfield,61.4,186,48213\n");
        assert!(matches!(dim_of(&figs, "61.4"), Dim::Measure(_)), "{figs:?}");
        assert!(matches!(dim_of(&figs, "186"), Dim::Measure(_)), "{figs:?}");
        assert_ne!(dim_of(&figs, "61.4"), dim_of(&figs, "186"));
        // No unit: a count; a scale in brackets is no unit.
        assert_eq!(dim_of(&figs, "48213"), Dim::Count);
        let figs = figures("Area,Population (thousands)\nNorthfield,8212\n");
        assert_eq!(dim_of(&figs, "8212"), Dim::Count);
    }
}
