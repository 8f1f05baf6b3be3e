//! Reading a source into sentence records: its blocks analysed as a draft's
//! are (table cells with their headers and captions as context), spans
//! mapped to file offsets, and the record of a file read and analysed for a
//! segment. The index only stores what this module produces.

use std::ops::Range;

use rustc_hash::FxHashSet;

use super::{Keys, SentenceRec, SourceInfo, Stamp, columns, rows};
use crate::corpus::Source;
use crate::extract::{Analyzer, Figure, Sentence, Value};
use crate::rules::Rules;
use crate::text::word_hash;

/// Analyses one source into sentence records. A table cell's context (its
/// column and row headers, the caption) is read as a draft table cell's is:
/// its words help find the cell, and the column header names what a bare
/// number counts. A paragraph is read alone, its section heading aside, so
/// an article reads the same whether kept as text or as a page.
pub fn analyze_source(an: &mut Analyzer<'_>, source: &Source, source_id: u32) -> Vec<SentenceRec> {
    // A dated source's "last year" is a year (the source's year less one).
    let year = source
        .date
        .as_deref()
        .and_then(|d| crate::dateline::parse_with(an, d))
        .or_else(|| crate::dateline::from_head_with(an, &source.text))
        .and_then(|d| d.value.year);
    an.set_text_year(year);
    let out = analyze_blocks(an, source, source_id);
    an.set_text_year(None);
    out
}

fn analyze_blocks(an: &mut Analyzer<'_>, source: &Source, source_id: u32) -> Vec<SentenceRec> {
    let mut out = Vec::new();
    let years = columns::year_columns(&source.blocks);
    let mut units = columns::Units::default();
    let fractions = columns::fraction_columns(an, &mut units, &source.blocks);
    // The front matter's title (`corpus::title_block`) is indexed for the
    // figures it states; without one it adds nothing to check against, and
    // its names would only make the story's names look common.
    let title_ends = crate::markdown::front_matter(&source.text).map(|f| f.range.end);
    let distinct = rows::distinct_label_words(an, &source.blocks);
    // A wire's dateline date is the source's own date, not a figure of the
    // story: its first paragraph (after the headline, if any) drops the
    // figures that end within it.
    let dateline = source
        .blocks
        .iter()
        .position(|b| b.kind == crate::markdown::BlockKind::Paragraph)
        .and_then(|bi| Some((bi, crate::dateline::wire_dateline_end(an, &source.blocks[bi].text)?)));
    for (bi, block) in source.blocks.iter().enumerate() {
        let title = title_ends.is_some_and(|end| block.map.start(0) < end);
        let cell = matches!(block.kind, crate::markdown::BlockKind::TableCell { .. });
        let mut sentences = if !cell || block.context.is_empty() {
            an.analyze(&block.text)
        } else {
            let outer = outer_context(an, block);
            let mut sentences = an.analyze_with(&block.text, &outer);
            columns::sign_cell(an, block, &mut sentences);
            columns::retype_cell(an, &mut units, &years, &fractions, block, &outer, &mut sentences);
            sentences
        };
        if let (Some((at, end)), Some(first)) = (dateline, sentences.first_mut())
            && at == bi
        {
            first.figures.retain(|f| f.span.end as usize > end);
        }
        if title && sentences.iter().all(|s| s.figures.is_empty()) {
            continue;
        }
        for s in &mut sentences {
            s.terms.extend(distinct[bi].iter().copied());
        }
        if let Some(scale) = column_scale(an.rules(), block) {
            for s in &mut sentences {
                for f in &mut s.figures {
                    if let Value::Num { lo, hi } = f.value {
                        f.value = Value::Num {
                            lo: lo * scale,
                            hi: hi * scale,
                        };
                    }
                }
            }
        }
        for s in sentences {
            let mut rec = to_file_offsets(s, block, source_id, an.rules());
            rec.locator = source.locator_at(rec.span.start as usize);
            out.push(rec);
        }
    }
    demote_common_openers(&mut out);
    out
}

/// A capitalised word that opens a sentence is read as a name unless the
/// rules know it ("Inactivity because of long-term sickness ..."); one the
/// same text writes in lower case elsewhere ("the economic inactivity rate")
/// is no name after all.
fn demote_common_openers(sentences: &mut [SentenceRec]) {
    let lower: FxHashSet<u64> = sentences
        .iter()
        .flat_map(|s| s.terms.iter())
        .filter(|t| !t.name && t.event.is_none() && t.clause != crate::extract::OUTER_CLAUSE)
        .map(|t| t.key)
        .collect();
    for s in sentences {
        for t in &mut s.terms {
            if t.name && t.pos == 0 && t.clause != crate::extract::OUTER_CLAUSE && lower.contains(&t.key) {
                t.name = false;
            }
        }
    }
}

/// The scale a table column's header gives its bare numbers: 1,000 for
/// "Population (thousands)", from the rules' scale words. Only a cell that
/// is a bare number takes it ("4512", not "4.5 million").
fn column_scale(rules: &Rules, block: &crate::markdown::Block) -> Option<f64> {
    if !matches!(block.kind, crate::markdown::BlockKind::TableCell { .. })
        || block.text.chars().any(char::is_alphabetic)
    {
        return None;
    }
    let header = block.context.first()?;
    // A scale word after a rate word is the rate's base ("Deaths per million
    // inhabitants"), not the scale of the column's numbers.
    let words: Vec<&str> = header
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let before_rate = words
        .iter()
        .position(|w| rules.rate_words.contains(&word_hash(&w.to_lowercase())))
        .unwrap_or(words.len());
    words[..before_rate].iter().find_map(|w| {
        let w = w.to_lowercase();
        let singular = w.strip_suffix('s').unwrap_or(&w);
        match rules.number_words.get(&word_hash(singular)) {
            Some(crate::rules::NumWord::Scale(v)) if *v >= 1000.0 => Some(*v),
            _ => None,
        }
    })
}

/// The context of a source block from outside its text.
fn outer_context(an: &mut Analyzer<'_>, block: &crate::markdown::Block) -> crate::extract::OuterContext {
    an.block_context(
        &block.context,
        matches!(block.kind, crate::markdown::BlockKind::TableCell { .. }),
    )
}

fn to_file_offsets(s: Sentence, block: &crate::markdown::Block, source: u32, rules: &Rules) -> SentenceRec {
    let map = |r: &Range<u32>| {
        let o = block.map.range(r.clone());
        o.start as u32..o.end as u32
    };
    let figures = s
        .figures
        .into_iter()
        .map(|mut f| {
            f.span = map(&f.span);
            f.num_span = map(&f.num_span);
            f.qual_span = f.qual_span.as_ref().map(map);
            f.noun_span = f.noun_span.as_ref().map(map);
            f
        })
        .collect();
    let figures: Vec<Figure> = figures;
    SentenceRec {
        source,
        span: map(&s.span),
        terms: s.terms,
        keys: figures.iter().map(|f| Keys::of(f, rules)).collect(),
        figures,
        locator: None,
    }
}

/// A path made absolute without touching the file system.
pub(super) fn absolute(p: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A source read and analysed, ready to be added to a segment.
pub struct Analysed {
    pub info: SourceInfo,
    pub stamp: Stamp,
    pub sentences: Vec<SentenceRec>,
}

/// What the index keeps of a source read from `source`.
pub fn info_of(source: &Source) -> SourceInfo {
    SourceInfo {
        key: source.key.clone(),
        title: source.title.clone(),
        path: absolute(&source.path),
        date: source.date.clone(),
        url: source.url.clone(),
        publisher: source.publisher.clone(),
        author: source.author.clone(),
        format: source.format,
    }
}

/// Reads and analyses one file. `Err` is a file that could not be used.
pub fn analyse_file(
    an: &mut Analyzer<'_>,
    path: &std::path::Path,
) -> Result<(Source, Vec<SentenceRec>, Stamp, Option<crate::corpus::CorpusWarning>), crate::corpus::CorpusWarning> {
    let meta = std::fs::metadata(path).map_err(|e| crate::corpus::CorpusWarning {
        path: path.to_path_buf(),
        message: format!("cannot read: {e}"),
    })?;
    match crate::corpus::read_source(path) {
        crate::corpus::ReadOutcome::Source(mut s, w) => {
            let sentences = analyze_source(an, &s, 0);
            s.blocks = Vec::new();
            let mut stamp = Stamp::of_metadata(&meta);
            stamp.hash = xxhash_rust::xxh3::xxh3_64(s.text.as_bytes());
            s.text = String::new();
            s.lines = crate::text::LineIndex::default();
            Ok((*s, sentences, stamp, w))
        }
        crate::corpus::ReadOutcome::Skipped(w) => Err(w),
    }
}
