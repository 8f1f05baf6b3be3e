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
use std::path::{Path, PathBuf};

use tower_lsp::lsp_types::{Location, Url};

use super::convert::{Encoding, Text};
use super::state::{Checked, Loaded, read};
use crate::check::{Finding, Passage};
use crate::text::LineIndex;

/// Locations in source files. Each file's text and line index are read once
/// per locator: a publish may point hundreds of diagnostics into a few files.
pub struct Locator<'a> {
    loaded: &'a Loaded,
    enc: Encoding,
    files: rustc_hash::FxHashMap<PathBuf, Option<(Url, String, LineIndex)>>,
}

impl<'a> Locator<'a> {
    pub fn new(loaded: &'a Loaded, enc: Encoding) -> Locator<'a> {
        Locator {
            loaded,
            enc,
            files: Default::default(),
        }
    }

    /// A span of the source `source` (an id in the loaded index), read at
    /// `path` — the path decides, as the index may have been replaced since
    /// the id was handed out.
    pub fn location(&mut self, source: u32, path: &Path, span: Range<usize>) -> Option<Location> {
        let loaded = self.loaded;
        let entry = self.files.entry(path.to_path_buf()).or_insert_with(|| {
            let abs = std::path::absolute(path).ok()?;
            let uri = Url::from_file_path(&abs).ok()?;
            let project = read(&loaded.project);
            let (uri, body) = match project.index.get_source(source) {
                // A PDF, page or sheet: its extracted text, where the passage is.
                Some(s) if s.path == abs && !s.format.is_plain() => {
                    let body = project.index.source_text(source).to_string();
                    let file = crate::corpus::rendition_file(&abs, &body)?;
                    (Url::from_file_path(file).ok()?, body)
                }
                Some(s) if s.path == abs => (uri, project.index.source_text(source).to_string()),
                _ => (uri, String::from_utf8_lossy(&std::fs::read(&abs).ok()?).into_owned()),
            };
            let lines = LineIndex::new(&body);
            Some((uri, body, lines))
        });
        let (uri, body, lines) = entry.as_ref()?;
        let text = Text { text: body, lines };
        Some(Location {
            uri: uri.clone(),
            range: text.range(span, self.enc),
        })
    }

    /// Where a passage's figure is.
    pub fn passage(&mut self, p: &Passage) -> Option<Location> {
        self.location(p.source, &p.path, p.figure.clone())
    }
}

/// Where a passage's figure is.
pub fn passage_location(loaded: &Loaded, p: &Passage, enc: Encoding) -> Option<Location> {
    Locator::new(loaded, enc).passage(p)
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
