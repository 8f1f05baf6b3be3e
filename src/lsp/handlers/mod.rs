//! One file per feature. Each handler takes the state and the request's
//! params and returns the response; conversions go through `convert`.

pub mod code_action;
pub mod completion;
pub mod conflicts;
pub mod definition;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod inlay;
pub mod workspace;

use std::ops::Range;

use tower_lsp::lsp_types::{Location, Url};

use super::convert::{Encoding, Text};
use super::state::{Checked, Loaded, read};
use crate::check::{Finding, Passage};

/// The location of a span of a source file, by the source's id.
pub fn source_location(loaded: &Loaded, source: u32, span: Range<usize>, enc: Encoding) -> Option<Location> {
    let project = read(&loaded.project);
    if source as usize >= project.index.source_count() {
        return None;
    }
    let src = project.index.source(source);
    let abs = std::path::absolute(&src.path).ok()?;
    let uri = Url::from_file_path(abs).ok()?;
    let body = project.index.source_text(source);
    let lines = crate::text::LineIndex::new(&body);
    let text = Text {
        text: &body,
        lines: &lines,
    };
    Some(Location {
        uri,
        range: text.range(span, enc),
    })
}

/// Where a passage's figure is.
pub fn passage_location(loaded: &Loaded, p: &Passage, enc: Encoding) -> Option<Location> {
    source_location(loaded, p.source, p.figure.clone(), enc)
}

/// The innermost finding whose figure contains `offset`.
pub fn finding_at(checked: &Checked, offset: usize) -> Option<&Finding> {
    checked
        .findings
        .iter()
        .filter(|f| f.span.start <= offset && offset <= f.span.end)
        .min_by_key(|f| f.span.len())
}

/// The byte range of the sentence around `offset`, in the checked text.
pub fn sentence_at(checked: &Checked, offset: usize) -> Option<Range<usize>> {
    let block = checked.doc.blocks.iter().find(|b| {
        let r = b.map.range(0..b.text.len() as u32);
        r.start <= offset && offset <= r.end
    })?;
    let project = read(&checked.loaded.project);
    let toks = crate::text::tokenize(&block.text);
    for r in crate::text::sentences(&block.text, &toks, &project.rules.abbreviations) {
        let (a, b) = (toks[r.start].start, toks[r.end - 1].end);
        let orig = block.map.range(a..b);
        if orig.start <= offset && offset <= orig.end {
            return Some(orig);
        }
    }
    Some(block.map.range(0..block.text.len() as u32))
}

/// Findings inside a byte range.
pub fn findings_in(checked: &Checked, range: Range<usize>) -> impl Iterator<Item = &Finding> {
    checked.findings.iter().filter(move |f| {
        f.span.start < range.end.max(range.start + 1) && range.start < f.span.end.max(f.span.start + 1)
    })
}
