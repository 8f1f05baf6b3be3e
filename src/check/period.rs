//! The period of a table: "Glasgow City had 616,000 residents in 1996" rests
//! on a cell of a table whose figures are for 1996. No cell states the year:
//! the table's data note does ("The figures are for 1996"), or its title
//! ("council areas 1996"), and the data file's rendition writes those before
//! the table (`corpus::data`). So a year in a draft sentence that dates a
//! figure backed by a cell is checked against the period of that cell's
//! table: the same year is supported by the note, another year is the wrong
//! year for those figures, not a figure no source states.
//!
//! By grammar: the year is a year alone ("1996", not "March 1996"), the draft
//! figure it dates is one whose time it is (`Figure::time`, as the extractor
//! reads which year dates which figure), and that figure's best match is a
//! data cell. The table's period is the first year alone that its rendition
//! states before the table, in a sentence that is not a date of publication
//! (none of the `[dates] markers`: "Published in 1998" dates the file, not
//! the figures).

use super::score::Cand;
use super::{Checker, Code, Finding};
use crate::corpus::Locator;
use crate::extract::{DateVal, Dim, Figure, Sentence, Value};
use crate::index::FactRef;
use crate::markdown::{Block, Document};
use crate::text::word_hash;

/// How many sentences of a data file's rendition are read for its period:
/// the note's clauses and the title come before the first cell.
const PERIOD_SENTENCES: usize = 8;

impl<'a> Checker<'a> {
    /// The finding for the `fi`th figure of `s` when it is a year that
    /// dates a figure of the sentence whose best candidate is a cell of a
    /// table with a stated period; `cands` holds every figure's candidates.
    pub(super) fn period_finding(
        &self,
        doc: &Document,
        block: &Block,
        s: &Sentence,
        fi: usize,
        cands: &[Vec<Cand>],
    ) -> Option<Finding> {
        let fig = &s.figures[fi];
        let year = year_alone(fig)?;
        let dated = s
            .figures
            .iter()
            .enumerate()
            .filter(|&(gi, g)| gi != fi && g.dim != Dim::Date && g.time == Some(year));
        let (period, fact) = dated
            .filter_map(|(gi, _)| self.best_cell(&cands[gi]))
            .find_map(|cell| {
                // A column whose header gives its own years ("Change since 2001
                // (%)") dates its cells itself: the table's period does not.
                let own = self.header_years(cell);
                if own.is_empty() {
                    self.table_period(self.index.sentence(cell.sentence).source)
                } else {
                    own.contains(&year).then_some((year, cell))
                }
            })?;
        let span = block.map.range(fig.span.clone());
        let mut finding = Finding {
            code: Code::Supported,
            severity: self.options.severity(Code::Supported),
            text: doc.text[span.clone()].to_string(),
            span,
            value: Some(fig.value),
            message: String::new(),
            replacement: None,
            passages: vec![self.passage(fact)],
            versions: Vec::new(),
            suppressed: None,
            related: Vec::new(),
        };
        let key = &finding.passages[0].key;
        if period == year {
            finding.message = format!("supported by {key}: its figures are for {period}");
        } else {
            finding.message = format!("the figures of {key} are for {period}, not {year}");
            self.recode(&mut finding, Code::FigureMismatch);
            finding.replacement = self.replacement(doc, block, fig, fact, Code::FigureMismatch);
        }
        Some(finding)
    }

    /// The best of a figure's candidates when it is a data cell strong enough
    /// to name: the figure rests on that table.
    fn best_cell(&self, cands: &[Cand]) -> Option<FactRef> {
        let best = cands.iter().max_by(|a, b| a.score.total_cmp(&b.score))?;
        let cell = matches!(
            self.index.sentence(best.fact.sentence).locator,
            Some(Locator::Cell { .. })
        );
        (cell && best.score >= self.rules.scoring.t_named).then_some(best.fact)
    }

    /// The years the header of a cell's column states, read from the
    /// rendition's pipe table.
    fn header_years(&self, cell: FactRef) -> Vec<i32> {
        let sent = self.index.sentence(cell.sentence);
        let body = self.index.source_text(sent.source);
        let at = (sent.span.start as usize).min(body.len());
        let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = body[line_start..at].matches('|').count();
        // The table's first line is its header: a table has no blank line inside.
        let header = body[..line_start].rfind("\n\n").map_or(0, |i| i + 2);
        let line = body[header..].lines().next().unwrap_or("");
        line.split('|')
            .nth(column)
            .map(crate::corpus::data::years_in)
            .unwrap_or_default()
    }

    /// The year a table's figures are for, and the fact stating it: the
    /// first sentence before its cells with a lone year and no word of
    /// publication.
    fn table_period(&self, source: u32) -> Option<(i32, FactRef)> {
        let markers = &self.rules.dates.markers;
        let body = self.index.source_text(source);
        for (sid, rec) in self.index.source_sentences(source).take(PERIOD_SENTENCES) {
            if rec.locator.is_some() {
                break;
            }
            let dates: Vec<usize> = (0..rec.figures.len())
                .filter(|&i| rec.figures[i].dim == Dim::Date)
                .collect();
            let [i] = dates[..] else { continue };
            let Value::Date(DateVal { year: Some(y), .. }) = rec.figures[i].value else {
                continue;
            };
            let text = body.get(rec.span.start as usize..rec.span.end as usize).unwrap_or("");
            let published = text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| markers.contains(&word_hash(&w.to_lowercase())));
            if !published {
                return Some((
                    y,
                    FactRef {
                        sentence: sid,
                        figure: i as u16,
                    },
                ));
            }
        }
        None
    }
}

/// The year of a figure that is a year and nothing more.
/// The year of a figure that is a year alone ("in 1996"), not a fuller date.
pub(super) fn year_alone(fig: &Figure) -> Option<i32> {
    match fig.value {
        Value::Date(DateVal {
            year: Some(y),
            month: None,
            day: None,
        }) if fig.dim == Dim::Date => Some(y),
        _ => None,
    }
}
