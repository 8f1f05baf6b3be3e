//! The fact index: every source sentence with its figures and context, found
//! by content words and by value rather than by scanning the corpus.
//!
//! Two tables serve the checker:
//! - postings: term key → sentences containing it, for retrieving the source
//!   sentences most like a draft sentence (a BM25-style ranking with rare
//!   terms first, so the cost follows the query's rare words, not corpus size);
//! - values: value key → figures stating that value, so a supported figure is
//!   found even when its sentence is worded differently.
//!
//! Sources are analysed once. Replacing one source re-analyses only that
//! source; the tables are rebuilt from the per-source analyses.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::corpus::{Corpus, Source};
use crate::extract::{Analyzer, DateVal, Dim, Figure, Sentence, Term, Value};
use crate::rules::Rules;
use crate::text::word_hash;

/// A source sentence, with spans in the source file's bytes.
#[derive(Debug, Clone)]
pub struct SentenceRec {
    pub source: u32,
    pub span: Range<u32>,
    pub terms: Vec<Term>,
    pub figures: Vec<Figure>,
}

/// A figure in the index: sentence id and position in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactRef {
    pub sentence: u32,
    pub figure: u16,
}

/// One source and its analysed sentences.
#[derive(Debug, Clone)]
pub struct Entry {
    pub source: Source,
    pub sentences: Vec<SentenceRec>,
}

/// The index over a corpus.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    /// Global id of each entry's first sentence.
    first: Vec<u32>,
    postings: FxHashMap<u64, Vec<u32>>,
    values: FxHashMap<u64, Vec<FactRef>>,
    n_sentences: u32,
    pub warnings: Vec<crate::corpus::CorpusWarning>,
}

/// Analyses one source into sentence records.
pub fn analyze_source(an: &mut Analyzer<'_>, source: &Source, source_id: u32) -> Vec<SentenceRec> {
    let mut out = Vec::new();
    for block in &source.blocks {
        let outer = crate::extract::OuterContext::default();
        for s in an.analyze_with(&block.text, &outer) {
            out.push(to_file_offsets(s, block, source_id));
        }
    }
    out
}

fn to_file_offsets(s: Sentence, block: &crate::markdown::Block, source: u32) -> SentenceRec {
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
    SentenceRec {
        source,
        span: map(&s.span),
        terms: s.terms,
        figures,
    }
}

/// Rounds to 6 significant digits so "1.2 million" and "1,200,000" share a key.
fn canonical(v: f64) -> i64 {
    if v == 0.0 {
        return 0;
    }
    let mag = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(5 - mag);
    ((v * scale).round() / scale * 1000.0).round() as i64
}

/// A key for the kind of thing a figure measures (a noun class, a unit's
/// dimension, a currency family), so retrieval favours sentences with a
/// figure of the same kind.
pub fn dim_key(f: &Figure, rules: &Rules) -> u64 {
    let kind = match f.dim {
        Dim::Count => match f.noun {
            Some(n) => match n.class {
                Some(c) => format!("class:{}", rules.nouns[c as usize].name),
                None => format!("head:{}", n.head),
            },
            None => "count".into(),
        },
        Dim::Money(c) => format!("money:{}", rules.currencies[c as usize].family),
        Dim::Measure(u) => format!("measure:{}", rules.units[u as usize].dimension),
        Dim::Age => "age".into(),
        Dim::Date => "date".into(),
        Dim::Ordinal => "ordinal".into(),
        Dim::Fraction => "fraction".into(),
        Dim::Time => "time".into(),
        Dim::Score => "score".into(),
    };
    word_hash(&format!("\u{3}{kind}"))
}

/// Keys under which a figure's value is indexed. Figures that could state the
/// same fact share a key: same kind of dimension, same value in base units.
pub fn value_keys(f: &Figure, rules: &Rules) -> Vec<u64> {
    let family = match f.dim {
        Dim::Count => "count".to_string(),
        Dim::Money(c) => format!("money:{}", rules.currencies[c as usize].family),
        Dim::Measure(u) => format!("measure:{}", rules.units[u as usize].dimension),
        Dim::Age => "age".into(),
        Dim::Date => "date".into(),
        Dim::Ordinal => "ordinal".into(),
        Dim::Fraction => "fraction".into(),
        Dim::Time => "time".into(),
        Dim::Score => "score".into(),
    };
    let factor = match f.dim {
        Dim::Measure(u) => rules.units[u as usize].factor,
        _ => 1.0,
    };
    let key = |s: String| word_hash(&format!("\u{2}{family}:{s}"));
    match f.value {
        Value::Num { lo, hi } => {
            let (lo, hi) = (canonical(lo * factor), canonical(hi * factor));
            if lo == hi {
                vec![key(lo.to_string())]
            } else {
                vec![key(format!("{lo}..{hi}"))]
            }
        }
        Value::Date(DateVal { year, month, day }) => {
            let mut keys = Vec::new();
            if let (Some(m), Some(d)) = (month, day) {
                keys.push(key(format!("md{m}-{d}")));
            }
            if let (Some(y), Some(m)) = (year, month) {
                keys.push(key(format!("ym{y}-{m}")));
            }
            if let Some(y) = year {
                keys.push(key(format!("y{y}")));
            }
            if keys.is_empty()
                && let Some(m) = month
            {
                keys.push(key(format!("m{m}")));
            }
            keys
        }
    }
}

impl Index {
    /// Analyses every source and builds the tables.
    pub fn build(corpus: Corpus, rules: &Rules) -> Index {
        let mut an = Analyzer::new(rules);
        let entries = corpus
            .sources
            .into_iter()
            .enumerate()
            .map(|(i, source)| {
                let sentences = analyze_source(&mut an, &source, i as u32);
                Entry { source, sentences }
            })
            .collect();
        let mut index = Index {
            entries,
            warnings: corpus.warnings,
            ..Default::default()
        };
        index.rebuild_tables(rules);
        index
    }

    /// Rebuilds postings and values from the entries.
    fn rebuild_tables(&mut self, rules: &Rules) {
        self.first.clear();
        self.postings.clear();
        self.values.clear();
        let mut id: u32 = 0;
        let mut seen = FxHashSet::default();
        for (ei, e) in self.entries.iter_mut().enumerate() {
            self.first.push(id);
            for s in &mut e.sentences {
                s.source = ei as u32;
                seen.clear();
                for t in &s.terms {
                    if seen.insert(t.key) {
                        self.postings.entry(t.key).or_default().push(id);
                    }
                }
                for (fi, f) in s.figures.iter().enumerate() {
                    let dk = dim_key(f, rules);
                    if seen.insert(dk) {
                        self.postings.entry(dk).or_default().push(id);
                    }
                    for k in value_keys(f, rules) {
                        if seen.insert(k) {
                            self.postings.entry(k).or_default().push(id);
                        }
                        self.values.entry(k).or_default().push(FactRef {
                            sentence: id,
                            figure: fi as u16,
                        });
                    }
                }
                id += 1;
            }
        }
        self.n_sentences = id;
    }

    /// Replaces (or adds) the source at `path`, re-analysing only it. Passing
    /// `None` removes it.
    pub fn update_source(&mut self, path: &std::path::Path, source: Option<Source>, rules: &Rules) {
        let pos = self.entries.iter().position(|e| e.source.path == path);
        match (pos, source) {
            (Some(i), Some(src)) => {
                let mut an = Analyzer::new(rules);
                let sentences = analyze_source(&mut an, &src, i as u32);
                self.entries[i] = Entry { source: src, sentences };
            }
            (None, Some(src)) => {
                let mut an = Analyzer::new(rules);
                let i = self.entries.len() as u32;
                let sentences = analyze_source(&mut an, &src, i);
                self.entries.push(Entry { source: src, sentences });
            }
            (Some(i), None) => {
                self.entries.remove(i);
            }
            (None, None) => return,
        }
        self.rebuild_tables(rules);
    }

    pub fn sources(&self) -> impl ExactSizeIterator<Item = &Source> {
        self.entries.iter().map(|e| &e.source)
    }

    pub fn source(&self, id: u32) -> &Source {
        &self.entries[id as usize].source
    }

    pub fn source_count(&self) -> usize {
        self.entries.len()
    }

    pub fn sentence_count(&self) -> usize {
        self.n_sentences as usize
    }

    pub fn fact_count(&self) -> usize {
        self.entries
            .iter()
            .flat_map(|e| &e.sentences)
            .map(|s| s.figures.len())
            .sum()
    }

    /// The sentences of one source, with their global ids.
    pub fn source_sentences(&self, source: u32) -> impl Iterator<Item = (u32, &SentenceRec)> {
        let first = self.first[source as usize];
        self.entries[source as usize]
            .sentences
            .iter()
            .enumerate()
            .map(move |(i, s)| (first + i as u32, s))
    }

    /// A sentence by global id.
    pub fn sentence(&self, id: u32) -> &SentenceRec {
        let e = self.first.partition_point(|&f| f <= id) - 1;
        &self.entries[e].sentences[(id - self.first[e]) as usize]
    }

    /// The sentences just before and after `id` in the same source.
    pub fn neighbors(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let e = self.first.partition_point(|&f| f <= id) - 1;
        let first = self.first[e];
        let last = first + self.entries[e].sentences.len() as u32;
        [id.checked_sub(1), Some(id + 1)]
            .into_iter()
            .flatten()
            .filter(move |&n| n >= first && n < last)
    }

    pub fn figure(&self, r: FactRef) -> &Figure {
        &self.sentence(r.sentence).figures[r.figure as usize]
    }

    /// Inverse document frequency of a term over sentences. A term the corpus
    /// never uses counts as one it uses once: unknown words are often only
    /// other wording, and must not outweigh every word the sources share.
    pub fn idf(&self, key: u64) -> f32 {
        let n = self.n_sentences.max(1) as f32;
        let df = self.postings.get(&key).map_or(0, Vec::len).max(1) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The idf of a term seen once.
    pub fn max_idf(&self) -> f32 {
        let n = self.n_sentences.max(1) as f32;
        (1.0 + (n - 0.5) / 1.5).ln()
    }

    /// A term's idf relative to a term seen once: 1 for the rarest, near 0 for
    /// a term in every sentence.
    pub fn rarity(&self, key: u64) -> f32 {
        (self.idf(key) / self.max_idf()).min(1.0)
    }

    /// Figures indexed under a value key.
    pub fn facts_with_value(&self, key: u64) -> &[FactRef] {
        self.values.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The `k` sentences that share the most (rarest) terms with the query.
    ///
    /// Terms are taken rarest first. Once `k` sentences are held and the terms
    /// left could not lift a new sentence above the weakest of them, the common
    /// terms only add to the sentences already held (looked up by binary
    /// search), so a frequent word never walks a long posting list.
    /// Each query term carries a weight (its idf is multiplied by it); a term
    /// given twice keeps its highest weight.
    pub fn retrieve(&self, query: &[(u64, f32)], k: usize) -> Vec<(u32, f32)> {
        let mut weights: FxHashMap<u64, f32> = FxHashMap::default();
        for &(key, w) in query {
            let e = weights.entry(key).or_default();
            *e = e.max(w);
        }
        let mut terms: Vec<(f32, &[u32])> = weights
            .into_iter()
            .filter_map(|(key, w)| {
                let p = self.postings.get(&key)?;
                Some((self.idf(key) * w, p.as_slice()))
            })
            .collect();
        terms.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut remaining: f32 = terms.iter().map(|t| t.0).sum();
        let mut acc: FxHashMap<u32, f32> = FxHashMap::default();
        let mut threshold = 0.0f32;
        for (idf, postings) in terms {
            let held = acc.len() >= k;
            if held && remaining < threshold {
                for (id, score) in acc.iter_mut() {
                    if postings.binary_search(id).is_ok() {
                        *score += idf;
                    }
                }
            } else {
                for &id in postings {
                    *acc.entry(id).or_default() += idf;
                }
            }
            remaining -= idf;
            if acc.len() >= k {
                let mut scores: Vec<f32> = acc.values().copied().collect();
                let kth = scores.len() - k;
                scores.select_nth_unstable_by(kth, |a, b| a.total_cmp(b));
                threshold = scores[kth];
            }
        }
        let mut out: Vec<(u32, f32)> = acc.into_iter().collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(k);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn corpus(files: &[(&str, &str)]) -> Corpus {
        Corpus {
            sources: files
                .iter()
                .map(|(name, text)| Source::from_text(Path::new(name), text.to_string()))
                .collect(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn figures_map_to_file_offsets() {
        let text = "---\nkey: k\n---\nPolice in **Anhui** arrested 43 suspects.\n";
        let rules = Rules::builtin();
        let idx = Index::build(corpus(&[("a.md", text)]), &rules);
        let s = idx.sentence(0);
        let f = &s.figures[0];
        assert_eq!(&text[f.span.start as usize..f.span.end as usize], "43 suspects");
    }

    #[test]
    fn retrieve_prefers_rare_shared_terms() {
        let rules = Rules::builtin();
        let idx = Index::build(
            corpus(&[
                (
                    "a.txt",
                    "Police said the weather was fine.\n\nIn Anhui, 43 suspects were arrested by police.\n",
                ),
                ("b.txt", "Police said 27 suspects were held in Sichuan.\n"),
            ]),
            &rules,
        );
        let mut an = Analyzer::new(&rules);
        let q = an.analyze("Anhui police arrested 34 suspects.");
        let keys: Vec<(u64, f32)> = q[0].terms.iter().map(|t| (t.key, 1.0)).collect();
        let hits = idx.retrieve(&keys, 1);
        assert_eq!(hits.len(), 1);
        let s = idx.sentence(hits[0].0);
        assert_eq!(s.figures[0].value, Value::num(43.0));
    }

    #[test]
    fn same_value_in_other_units_shares_a_key() {
        let rules = Rules::builtin();
        let mut an = Analyzer::new(&rules);
        let a = an.analyze("a 25 kilometre front");
        let b = an.analyze("a 25,000 metre front");
        assert_eq!(
            value_keys(&a[0].figures[0], &rules),
            value_keys(&b[0].figures[0], &rules)
        );
        let c = an.analyze("1.2 million children");
        let d = an.analyze("1,200,000 children");
        assert_eq!(
            value_keys(&c[0].figures[0], &rules),
            value_keys(&d[0].figures[0], &rules)
        );
    }

    #[test]
    fn updating_one_source_keeps_the_others() {
        let rules = Rules::builtin();
        let mut idx = Index::build(
            corpus(&[
                ("a.txt", "Police held 43 suspects.\n"),
                ("b.txt", "Police held 27 suspects.\n"),
            ]),
            &rules,
        );
        idx.update_source(
            Path::new("a.txt"),
            Some(Source::from_text(
                Path::new("a.txt"),
                "Police held 44 suspects.\n".into(),
            )),
            &rules,
        );
        let values: Vec<_> = (0..idx.sentence_count() as u32)
            .map(|i| idx.sentence(i).figures[0].value)
            .collect();
        assert_eq!(values, vec![Value::num(44.0), Value::num(27.0)]);
        idx.update_source(Path::new("b.txt"), None, &rules);
        assert_eq!(idx.source_count(), 1);
        assert_eq!(idx.sentence_count(), 1);
    }
}
