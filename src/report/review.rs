//! What the editor's review shows, computed once for both of its renderings
//! (`html`, the page; `markdown`, the pull-request comment): each finding with
//! its start position and evidence, the tally of figures, quotations and
//! names, the sources the story rests on, and the conflicts it touches.

use std::ops::Range;

use super::{FileReport, Report};
use crate::check::{Code, Finding, Passage, Severity};
use crate::text::LineCol;

/// A whole run, ready to render.
pub struct Review<'a> {
    pub files: Vec<FileReview<'a>>,
    /// Sources in the corpus.
    pub corpus_sources: usize,
    /// Across all files.
    pub tally: Tally,
    /// Across all files, most-used first.
    pub sources: Vec<SourceUse>,
    pub warnings: Vec<String>,
}

/// One draft.
pub struct FileReview<'a> {
    pub file: &'a FileReport,
    /// The path as the user would type it.
    pub path: String,
    /// The front matter's `title`, if any.
    pub title: Option<String>,
    /// In draft order. `Item::id` is unique across the run.
    pub items: Vec<Item<'a>>,
    pub tally: Tally,
    pub sources: Vec<SourceUse>,
}

impl FileReview<'_> {
    /// The findings about facts the sources disagree on.
    pub fn conflicts(&self) -> impl Iterator<Item = &Item<'_>> {
        self.items.iter().filter(|i| !i.finding.versions.is_empty())
    }
}

/// What a finding says about the draft, for the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    FigureSupported,
    FigureMismatched,
    FigureContested,
    FigureUnsourced,
    QuoteSupported,
    QuoteProblem,
    Name,
}

impl Category {
    pub fn of(f: &Finding) -> Category {
        match f.code {
            Code::Supported if f.value.is_some() => Category::FigureSupported,
            Code::Supported => Category::QuoteSupported,
            Code::FigureMismatch
            | Code::UnitMismatch
            | Code::QualifierMismatch
            | Code::FigureOutdated
            | Code::ArithmeticMismatch => Category::FigureMismatched,
            Code::SourcesDisagree | Code::DraftDisagree => Category::FigureContested,
            Code::UnsourcedFigure => Category::FigureUnsourced,
            Code::QuoteMismatch | Code::QuoteUnsourced | Code::QuoteMisattributed => Category::QuoteProblem,
            Code::NameMismatch => Category::Name,
        }
    }
}

/// One finding as the review shows it.
pub struct Item<'a> {
    /// Unique across the run, from 0 in reading order.
    pub id: usize,
    pub finding: &'a Finding,
    /// The start, as in the JSON report (1-based, columns in scalar values).
    pub start: LineCol,
    pub category: Category,
    pub evidence: Vec<Evidence<'a>>,
}

impl Item<'_> {
    /// The shape that stands for the severity where colour cannot (greyscale,
    /// colour-blind readers, print): also used as the Markdown report's mark.
    pub fn glyph(&self) -> &'static str {
        if self.finding.is_suppressed() {
            return "○";
        }
        glyph(self.finding.severity)
    }
}

/// The shape of a severity.
pub fn glyph(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖",
        Severity::Warning => "▲",
        Severity::Info => "●",
        Severity::Hint => "✓",
    }
}

/// A source passage behind a finding.
pub struct Evidence<'a> {
    pub passage: &'a Passage,
    /// The source's date, from its front matter.
    pub date: Option<String>,
    /// The source file as the user would type it.
    pub path: String,
    /// The figure (or quoted words) within `passage.text`.
    pub figure: Range<usize>,
    /// A finer location than line and column where the source format has
    /// one (a PDF page, a spreadsheet's row and column); none yet.
    pub locator: Option<String>,
}

impl Evidence<'_> {
    /// The passage split around its figure: before, figure, after.
    pub fn parts(&self) -> (&str, &str, &str) {
        let t = &self.passage.text;
        (&t[..self.figure.start], &t[self.figure.clone()], &t[self.figure.end..])
    }
}

/// Counts for the summary header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Figures checked: every finding on a figure.
    pub figures: usize,
    pub supported: usize,
    pub mismatched: usize,
    pub contested: usize,
    pub unsourced: usize,
    /// Quotations checked, and how many of them the sources do not bear out.
    pub quotations: usize,
    pub quotation_problems: usize,
    /// Names that are near misses of a source's spelling.
    pub names: usize,
    /// Findings silenced by a suppression comment (counted in their category too).
    pub suppressed: usize,
}

impl Tally {
    fn add(&mut self, item: &Item<'_>) {
        match item.category {
            Category::FigureSupported => self.supported += 1,
            Category::FigureMismatched => self.mismatched += 1,
            Category::FigureContested => self.contested += 1,
            Category::FigureUnsourced => self.unsourced += 1,
            Category::QuoteSupported => self.quotations += 1,
            Category::QuoteProblem => {
                self.quotations += 1;
                self.quotation_problems += 1;
            }
            Category::Name => self.names += 1,
        }
        if item.finding.value.is_some() {
            self.figures += 1;
        }
        if item.finding.is_suppressed() {
            self.suppressed += 1;
        }
    }

    fn merge(&mut self, o: &Tally) {
        self.figures += o.figures;
        self.supported += o.supported;
        self.mismatched += o.mismatched;
        self.contested += o.contested;
        self.unsourced += o.unsourced;
        self.quotations += o.quotations;
        self.quotation_problems += o.quotation_problems;
        self.names += o.names;
        self.suppressed += o.suppressed;
    }
}

/// A source the story draws on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUse {
    pub key: String,
    pub title: String,
    pub date: Option<String>,
    /// Draft figures and quotations this source backs.
    pub backs: usize,
    /// Findings that cite it at all (backing, contradicting or disputing).
    pub cited: usize,
}

/// Where a passage's figure sits in its (whitespace-squashed) text.
pub fn figure_in(p: &Passage) -> Range<usize> {
    let text = &p.text;
    let squashed = p.figure_text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !squashed.is_empty()
        && let Some(i) = text.find(&squashed)
    {
        return i..i + squashed.len();
    }
    let a = crate::text::floor_char_boundary(text, p.figure.start.saturating_sub(p.span.start).min(text.len()));
    let b = crate::text::floor_char_boundary(text, p.figure.end.saturating_sub(p.span.start).min(text.len()));
    a..b.max(a)
}

/// The keys of the sources that back the draft's version in a finding.
fn backing_keys(f: &Finding) -> Vec<&str> {
    match f.code {
        Code::Supported => f.source_keys(),
        Code::SourcesDisagree => {
            let mut keys: Vec<&str> = Vec::new();
            for v in f.versions.iter().filter(|v| v.matches_draft) {
                for &i in &v.passages {
                    if let Some(p) = f.passages.get(i)
                        && !keys.contains(&p.key.as_str())
                    {
                        keys.push(&p.key);
                    }
                }
            }
            keys
        }
        _ => Vec::new(),
    }
}

fn tally_sources<'a>(items: impl Iterator<Item = &'a Item<'a>>) -> Vec<SourceUse> {
    let mut uses: Vec<SourceUse> = Vec::new();
    for item in items {
        let f = item.finding;
        let backs = backing_keys(f);
        for key in f.source_keys() {
            let i = match uses.iter().position(|u| u.key == key) {
                Some(i) => i,
                None => {
                    let e = item.evidence.iter().find(|e| e.passage.key == key);
                    uses.push(SourceUse {
                        key: key.to_string(),
                        title: e.map(|e| e.passage.title.clone()).unwrap_or_default(),
                        date: e.and_then(|e| e.date.clone()),
                        backs: 0,
                        cited: 0,
                    });
                    uses.len() - 1
                }
            };
            uses[i].cited += 1;
            if backs.contains(&key) {
                uses[i].backs += 1;
            }
        }
    }
    sort_uses(&mut uses);
    uses
}

fn sort_uses(uses: &mut [SourceUse]) {
    uses.sort_by(|a, b| {
        b.backs
            .cmp(&a.backs)
            .then(b.cited.cmp(&a.cited))
            .then(a.key.cmp(&b.key))
    });
}

impl<'a> Review<'a> {
    /// Builds the review of a report. `date` gives a source's date by its id
    /// in the index the findings came from.
    pub fn new(report: &'a Report, date: &dyn Fn(u32) -> Option<String>) -> Review<'a> {
        let mut next = 0;
        let mut files = Vec::new();
        for file in &report.files {
            let items: Vec<Item<'a>> = file
                .findings
                .iter()
                .map(|f| {
                    let id = next;
                    next += 1;
                    Item {
                        id,
                        finding: f,
                        start: file.position(f.span.start),
                        category: Category::of(f),
                        evidence: f
                            .passages
                            .iter()
                            .map(|p| Evidence {
                                passage: p,
                                date: date(p.source),
                                path: super::display_path(&p.path),
                                figure: figure_in(p),
                                locator: p.locator.as_ref().map(ToString::to_string),
                            })
                            .collect(),
                    }
                })
                .collect();
            let mut tally = Tally::default();
            for i in &items {
                tally.add(i);
            }
            let sources = tally_sources(items.iter());
            files.push(FileReview {
                file,
                path: super::display_path(&file.path),
                title: crate::markdown::front_matter(&file.text)
                    .and_then(|fm| fm.get("title").map(str::to_string))
                    .filter(|t| !t.trim().is_empty()),
                items,
                tally,
                sources,
            });
        }
        let mut tally = Tally::default();
        let mut sources: Vec<SourceUse> = Vec::new();
        for f in &files {
            tally.merge(&f.tally);
            for s in &f.sources {
                match sources.iter_mut().find(|u| u.key == s.key) {
                    Some(u) => {
                        u.backs += s.backs;
                        u.cited += s.cited;
                    }
                    None => sources.push(s.clone()),
                }
            }
        }
        sort_uses(&mut sources);
        Review {
            files,
            corpus_sources: report.sources,
            tally,
            sources,
            warnings: report.warnings.iter().map(|w| w.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(key: &str, text: &str, figure: &str) -> Passage {
        let at = text.find(figure).unwrap_or(0);
        Passage {
            source: 0,
            key: key.into(),
            title: format!("{key} title"),
            path: format!("sources/{key}.txt").into(),
            span: 100..100 + text.len(),
            figure: 100 + at..100 + at + figure.len(),
            line: 1,
            column: 1,
            text: text.into(),
            figure_text: figure.into(),
            speaker: None,
            locator: None,
        }
    }

    fn finding(code: Code, value: bool, passages: Vec<Passage>) -> Finding {
        Finding {
            code,
            severity: code.default_severity(),
            span: 0..3,
            text: "382".into(),
            value: value.then_some(crate::extract::Value::Num { lo: 382.0, hi: 382.0 }),
            message: String::new(),
            replacement: None,
            passages,
            versions: Vec::new(),
            related: Vec::new(),
            suppressed: None,
        }
    }

    #[test]
    fn figure_is_found_in_squashed_passage_text() {
        let mut p = passage("a", "Police freed 382  babies.", "382  babies");
        p.text = "Police freed 382 babies.".into();
        let r = figure_in(&p);
        assert_eq!(&p.text[r], "382 babies");
    }

    #[test]
    fn tally_and_sources() {
        let report = Report {
            files: vec![FileReport {
                path: "d.md".into(),
                text: "382 x".into(),
                lines: crate::text::LineIndex::new("382 x"),
                findings: vec![
                    finding(Code::Supported, true, vec![passage("a", "It was 382.", "382")]),
                    finding(Code::Supported, false, vec![passage("b", "It was 382.", "382")]),
                    finding(Code::FigureMismatch, true, vec![passage("a", "It was 383.", "383")]),
                    finding(Code::UnsourcedFigure, true, Vec::new()),
                    finding(Code::QuoteUnsourced, false, Vec::new()),
                    finding(Code::NameMismatch, false, Vec::new()),
                ],
            }],
            sources: 2,
            warnings: Vec::new(),
        };
        let review = Review::new(&report, &|_| Some("2014-02-28".into()));
        let t = review.tally;
        assert_eq!((t.figures, t.supported, t.mismatched, t.unsourced), (3, 1, 1, 1));
        assert_eq!((t.quotations, t.quotation_problems, t.names), (2, 1, 1));
        let a = &review.sources[0];
        assert_eq!((a.key.as_str(), a.backs, a.cited), ("a", 1, 2));
        assert_eq!(a.date.as_deref(), Some("2014-02-28"));
        assert_eq!(review.sources[1].key, "b");
        assert_eq!(review.files[0].items[3].id, 3);
    }
}
