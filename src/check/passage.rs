//! What a finding shows: source passages, their labels, and the draft's
//! text rewritten as the source states it.

use super::{Checker, Code, Passage};
use crate::extract::{Dim, Figure};
use crate::index::{FactRef, SentenceRec};
use crate::markdown::{Block, Document};
use std::ops::Range;

impl<'a> Checker<'a> {
    /// The sentences up to `reach` either side of a source sentence, in its
    /// source, nearest first. Walked through the backend's neighbours rather
    /// than by id arithmetic: an archive's ids have gaps and run past its
    /// sentence count after re-ingests. Lazy: nothing is read until asked.
    pub(super) fn passage_window(&self, id: u32, reach: u32) -> impl Iterator<Item = std::sync::Arc<SentenceRec>> + '_ {
        std::iter::once(()).flat_map(move |()| {
            let mut seen = vec![id];
            let mut frontier = vec![id];
            for _ in 0..reach {
                let next: Vec<u32> = frontier
                    .iter()
                    .flat_map(|&n| self.index.neighbors(n))
                    .filter(|n| !seen.contains(n))
                    .collect();
                seen.extend(&next);
                frontier = next;
            }
            seen.into_iter().skip(1).map(|n| self.index.sentence(n))
        })
    }

    pub(super) fn passage(&self, r: FactRef) -> Passage {
        let sent = self.index.sentence(r.sentence);
        let fig = &sent.figures[r.figure as usize];
        self.sentence_passage(r.sentence, Some(fig.span.start as usize..fig.span.end as usize))
    }

    /// A passage for a sentence with `figure` marked in it, or none (an
    /// empty range at its start: a source's date cited for a year of telling).
    pub(super) fn sentence_passage(&self, sid: u32, figure: Option<Range<usize>>) -> Passage {
        let sent = self.index.sentence(sid);
        let src = self.index.source(sent.source);
        let body = self.index.source_text(sent.source);
        let span = sent.span.start as usize..sent.span.end as usize;
        let lc = crate::text::LineIndex::new(&body).line_col(&body, span.start);
        let figure = figure.unwrap_or(span.start..span.start);
        Passage {
            source: sent.source,
            key: src.key.clone(),
            title: src.title.clone(),
            path: src.path.clone(),
            text: body[span.clone()].split_whitespace().collect::<Vec<_>>().join(" "),
            figure_text: body[figure.clone()].to_string(),
            speaker: None,
            span,
            figure,
            line: lc.line,
            column: lc.column,
            locator: sent.locator,
        }
    }

    /// The draft's text with the figure rewritten as the source states it.
    pub(super) fn replacement(
        &self,
        doc: &Document,
        block: &Block,
        d: &Figure,
        r: FactRef,
        code: Code,
    ) -> Option<String> {
        let sent = self.index.sentence(r.sentence);
        let s = &sent.figures[r.figure as usize];
        let src = self.index.source_text(sent.source);
        let draft_span = block.map.range(d.span.clone());
        let draft = &doc.text[draft_span.clone()];
        let map = |x: &Range<u32>| block.map.range(x.clone());
        let rel = |x: Range<usize>| {
            (x.start.saturating_sub(draft_span.start))..(x.end.saturating_sub(draft_span.start)).min(draft.len())
        };
        let stext = |a: u32, b: u32| &src[a as usize..b as usize];
        let (cut, new): (Range<usize>, String) = match code {
            Code::UnitMismatch => {
                let start = map(&d.num_span).start;
                (
                    rel(start..draft_span.end),
                    stext(s.num_span.start, s.span.end).to_string(),
                )
            }
            Code::QualifierMismatch => {
                let num = map(&d.num_span);
                let s_start = s.qual_span.as_ref().map_or(s.num_span.start, |q| q.start);
                (
                    rel(draft_span.start..num.end),
                    stext(s_start, s.num_span.end).to_string(),
                )
            }
            _ if d.dim == Dim::Date => (0..draft.len(), stext(s.num_span.start, s.num_span.end).to_string()),
            _ => {
                let num = map(&d.num_span);
                let (from, s_from) = match (&d.qual_span, &s.qual_span) {
                    (Some(q), _) => (map(q).start, s.qual_span.as_ref().map_or(s.num_span.start, |q| q.start)),
                    (None, _) => (num.start, s.num_span.start),
                };
                (rel(from..num.end), stext(s_from, s.num_span.end).to_string())
            }
        };
        if cut.start > cut.end
            || cut.end > draft.len()
            || !draft.is_char_boundary(cut.start)
            || !draft.is_char_boundary(cut.end)
        {
            return None;
        }
        let mut new = new.split_whitespace().collect::<Vec<_>>().join(" ");
        // Keep the draft's capital at the start of a sentence or heading.
        if cut.start == 0 && draft.chars().next().is_some_and(char::is_uppercase) {
            let mut c = new.chars();
            if let Some(first) = c.next() {
                new = first.to_uppercase().chain(c).collect();
            }
        }
        let out = format!("{}{}{}", &draft[..cut.start], new, &draft[cut.end..]);
        (out != draft).then_some(out)
    }
}

pub(super) fn normalize_label(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn dedupe(passages: Vec<Passage>) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    for p in passages {
        if !out.iter().any(|q| q.key == p.key && q.span == p.span) {
            out.push(p);
        }
    }
    out
}
