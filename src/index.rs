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
    /// The keys of each figure, computed once.
    pub keys: Vec<Keys>,
}

/// A figure's index keys: up to three value keys and its dimension key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Keys {
    vals: [u64; 3],
    n: u8,
    pub dim: u64,
}

impl Keys {
    pub fn of(f: &Figure, rules: &Rules) -> Keys {
        let mut k = Keys {
            dim: dim_key(f, rules),
            ..Keys::default()
        };
        for v in value_keys(f, rules) {
            if (k.n as usize) < k.vals.len() {
                k.vals[k.n as usize] = v;
                k.n += 1;
            }
        }
        k
    }

    pub fn values(&self) -> &[u64] {
        &self.vals[..self.n as usize]
    }
}

/// A figure in the index: sentence id and position in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactRef {
    pub sentence: u32,
    pub figure: u16,
}

/// One source and where its sentences are.
#[derive(Debug, Clone)]
struct Entry {
    source: Source,
    sentences: Range<u32>,
}

/// The index over a corpus.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    /// Every sentence, source by source, in reading order.
    sentences: Vec<SentenceRec>,
    postings: FxHashMap<u64, Vec<u32>>,
    values: FxHashMap<u64, Vec<FactRef>>,
    /// Source id by absolute path, and by key.
    by_path: FxHashMap<std::path::PathBuf, u32>,
    by_key: FxHashMap<String, u32>,
    pub warnings: Vec<crate::corpus::CorpusWarning>,
}

/// Analyses one source into sentence records.
pub fn analyze_source(an: &mut Analyzer<'_>, source: &Source, source_id: u32) -> Vec<SentenceRec> {
    let mut out = Vec::new();
    for block in &source.blocks {
        for s in an.analyze(&block.text) {
            out.push(to_file_offsets(s, block, source_id, an.rules()));
        }
    }
    out
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

/// A path made absolute without touching the file system.
fn absolute(p: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Combines a tag and numbers into one key.
fn mix(tag: u64, parts: &[u64]) -> u64 {
    let mut h = tag;
    for &p in parts {
        h = xxhash_rust::xxh3::xxh3_64_with_seed(&p.to_le_bytes(), h);
    }
    h
}

/// The family of a dimension: what values compare across (all lengths, all
/// dollar amounts).
fn family(f: &Figure, rules: &Rules) -> u64 {
    match f.dim {
        Dim::Count => word_hash("count"),
        Dim::Money(c) => mix(word_hash("money"), &[word_hash(&rules.currencies[c as usize].family)]),
        Dim::Measure(u) => mix(word_hash("measure"), &[word_hash(&rules.units[u as usize].dimension)]),
        Dim::Age => word_hash("age"),
        Dim::Date => word_hash("date"),
        Dim::Ordinal => word_hash("ordinal"),
        Dim::Fraction => word_hash("fraction"),
        Dim::Time => word_hash("time"),
        Dim::Score => word_hash("score"),
    }
}

/// A key for the kind of thing a figure measures (a noun class, a unit's
/// dimension, a currency family), so retrieval favours sentences with a
/// figure of the same kind.
pub fn dim_key(f: &Figure, rules: &Rules) -> u64 {
    let tag = word_hash("\u{3}dim");
    match (f.dim, f.noun) {
        (Dim::Count, Some(n)) => match n.class {
            Some(c) => mix(tag, &[1, c as u64]),
            None => mix(tag, &[2, n.head]),
        },
        _ => mix(tag, &[3, family(f, rules)]),
    }
}

/// Keys under which a figure's value is indexed. Figures that could state the
/// same fact share a key: same kind of dimension, same value in base units.
/// Dates get a key per pair of parts they have, so "February 19" meets
/// "February 19, 2014".
pub fn value_keys(f: &Figure, rules: &Rules) -> Vec<u64> {
    let fam = mix(word_hash("\u{2}value"), &[family(f, rules)]);
    let factor = match f.dim {
        Dim::Measure(u) => rules.units[u as usize].factor,
        _ => 1.0,
    };
    match f.value {
        Value::Num { lo, hi } => {
            let (lo, hi) = (canonical(lo * factor), canonical(hi * factor));
            if lo == hi {
                vec![mix(fam, &[lo as u64])]
            } else {
                vec![mix(fam, &[lo as u64, hi as u64])]
            }
        }
        Value::Date(DateVal { year, month, day }) => {
            let (y, m, d) = (year.map(|y| y as u64), month.map(u64::from), day.map(u64::from));
            let mut keys = Vec::new();
            if let (Some(m), Some(d)) = (m, d) {
                keys.push(mix(fam, &[1, m, d]));
            }
            if let (Some(y), Some(m)) = (y, m) {
                keys.push(mix(fam, &[2, y, m]));
            }
            if let Some(y) = y {
                keys.push(mix(fam, &[3, y]));
            }
            if keys.is_empty()
                && let Some(m) = m
            {
                keys.push(mix(fam, &[4, m]));
            }
            keys
        }
    }
}

impl Index {
    /// Analyses every source and builds the tables.
    pub fn build(corpus: Corpus, rules: &Rules) -> Index {
        let mut index = Index {
            warnings: corpus.warnings,
            ..Default::default()
        };
        let mut an = Analyzer::new(rules);
        for source in corpus.sources {
            index.add(&mut an, source);
        }
        index.rebuild_tables();
        index
    }

    /// Reads and indexes the sources under `paths` one file at a time, so only
    /// one source's parsed text is in memory at once. `progress` is called
    /// with (files done, files in all): once with 0 when the files are
    /// listed, then after each chunk of files.
    pub fn from_paths(
        paths: &[std::path::PathBuf],
        rules: &Rules,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Index, crate::corpus::MissingPath> {
        let (files, warnings) = crate::corpus::source_files(paths)?;
        let mut index = Index {
            warnings,
            ..Default::default()
        };
        // Files are read and analysed in parallel, a chunk at a time (so memory
        // holds one chunk of parsed text), then appended in order.
        use rayon::prelude::*;
        let mut keys = std::collections::HashSet::new();
        let mut done = 0;
        progress(0, files.len());
        for chunk in files.chunks(256) {
            let analysed: Vec<_> = chunk
                .par_iter()
                .map_init(
                    || Analyzer::new(rules),
                    |an, f| match crate::corpus::read_source(f) {
                        crate::corpus::ReadOutcome::Source(mut s, w) => {
                            let sentences = analyze_source(an, &s, 0);
                            s.blocks = Vec::new();
                            Ok((*s, sentences, w))
                        }
                        crate::corpus::ReadOutcome::Skipped(w) => Err(w),
                    },
                )
                .collect();
            for item in analysed {
                match item {
                    Ok((mut source, sentences, w)) => {
                        index.warnings.extend(w);
                        if let Some(w) = crate::corpus::unique_key(&mut source, &mut keys) {
                            index.warnings.push(w);
                        }
                        index.append(source, sentences);
                    }
                    Err(w) => index.warnings.push(w),
                }
            }
            done += chunk.len();
            progress(done, files.len());
        }
        index.rebuild_tables();
        Ok(index)
    }

    /// Analyses one source and appends it (tables are rebuilt by the caller).
    fn add(&mut self, an: &mut Analyzer<'_>, mut source: Source) {
        let sentences = analyze_source(an, &source, 0);
        // The parsed blocks repeat the text; the index keeps file offsets.
        source.blocks = Vec::new();
        self.append(source, sentences);
    }

    /// Appends an analysed source (tables are rebuilt by the caller).
    fn append(&mut self, source: Source, sentences: Vec<SentenceRec>) {
        let id = self.entries.len() as u32;
        let first = self.sentences.len() as u32;
        self.sentences.extend(sentences.into_iter().map(|mut s| {
            s.source = id;
            s
        }));
        self.entries.push(Entry {
            source,
            sentences: first..self.sentences.len() as u32,
        });
    }

    /// Rebuilds postings and values from the sentences.
    fn rebuild_tables(&mut self) {
        self.postings.clear();
        self.values.clear();
        self.by_path = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (absolute(&e.source.path), i as u32))
            .collect();
        self.by_key = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.source.key.clone(), i as u32))
            .collect();
        let mut seen = FxHashSet::default();
        for (id, s) in self.sentences.iter().enumerate() {
            let id = id as u32;
            seen.clear();
            for t in &s.terms {
                if seen.insert(t.key) {
                    self.postings.entry(t.key).or_default().push(id);
                }
            }
            for (fi, k) in s.keys.iter().enumerate() {
                if seen.insert(k.dim) {
                    self.postings.entry(k.dim).or_default().push(id);
                }
                for &v in k.values() {
                    if seen.insert(v) {
                        self.postings.entry(v).or_default().push(id);
                    }
                    self.values.entry(v).or_default().push(FactRef {
                        sentence: id,
                        figure: fi as u16,
                    });
                }
            }
        }
    }

    /// Replaces (or adds) the source at `path`, re-analysing only it. Passing
    /// `None` removes it.
    pub fn update_source(&mut self, path: &std::path::Path, source: Option<Source>, rules: &Rules) {
        let pos = self.entries.iter().position(|e| e.source.path == path);
        if pos.is_none() && source.is_none() {
            return;
        }
        // Take the sentences apart by source, swap one, put them back.
        let mut per_source: Vec<(Source, Vec<SentenceRec>)> = Vec::with_capacity(self.entries.len() + 1);
        let mut rest = std::mem::take(&mut self.sentences).into_iter();
        for e in std::mem::take(&mut self.entries) {
            let n = e.sentences.len();
            per_source.push((e.source, rest.by_ref().take(n).collect()));
        }
        match (pos, source) {
            (Some(i), Some(src)) => per_source[i] = (src, Vec::new()),
            (None, Some(src)) => per_source.push((src, Vec::new())),
            (Some(i), None) => {
                per_source.remove(i);
            }
            (None, None) => unreachable!(),
        }
        let mut an = Analyzer::new(rules);
        for (i, (source, mut sentences)) in per_source.into_iter().enumerate() {
            if sentences.is_empty() {
                sentences = analyze_source(&mut an, &source, i as u32);
            }
            let mut source = source;
            source.blocks = Vec::new();
            let first = self.sentences.len() as u32;
            for mut s in sentences {
                s.source = i as u32;
                self.sentences.push(s);
            }
            self.entries.push(Entry {
                source,
                sentences: first..self.sentences.len() as u32,
            });
        }
        self.rebuild_tables();
    }

    /// The id of the source read from `path` (compared as absolute paths).
    pub fn source_id_by_path(&self, path: &std::path::Path) -> Option<u32> {
        self.by_path.get(&absolute(path)).copied()
    }

    /// The id of the source with citation key `key`.
    pub fn source_id_by_key(&self, key: &str) -> Option<u32> {
        self.by_key.get(key).copied()
    }

    pub fn sources(&self) -> impl ExactSizeIterator<Item = &Source> {
        self.entries.iter().map(|e| &e.source)
    }

    pub fn source(&self, id: u32) -> &Source {
        &self.entries[id as usize].source
    }

    /// The whole text of a source file. Callers go through this rather than
    /// `Source::text` so that an index kept on disk can read it on demand.
    pub fn source_text(&self, id: u32) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(&self.entries[id as usize].source.text)
    }

    /// A sentence's text as the source file has it (line breaks and all).
    pub fn sentence_text(&self, id: u32) -> String {
        let s = &self.sentences[id as usize];
        let text = self.source_text(s.source);
        text.get(s.span.start as usize..s.span.end as usize)
            .unwrap_or("")
            .to_string()
    }

    pub fn source_count(&self) -> usize {
        self.entries.len()
    }

    pub fn sentence_count(&self) -> usize {
        self.sentences.len()
    }

    pub fn fact_count(&self) -> usize {
        self.sentences.iter().map(|s| s.figures.len()).sum()
    }

    /// The sentences of one source, with their global ids.
    pub fn source_sentences(&self, source: u32) -> impl Iterator<Item = (u32, &SentenceRec)> {
        let r = self.entries[source as usize].sentences.clone();
        r.map(move |id| (id, &self.sentences[id as usize]))
    }

    /// A sentence by global id.
    pub fn sentence(&self, id: u32) -> &SentenceRec {
        &self.sentences[id as usize]
    }

    /// The sentences just before and after `id` in the same source.
    pub fn neighbors(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let source = self.sentences[id as usize].source;
        [id.checked_sub(1), Some(id + 1)]
            .into_iter()
            .flatten()
            .filter(move |&n| self.sentences.get(n as usize).is_some_and(|s| s.source == source))
    }

    pub fn figure(&self, r: FactRef) -> &Figure {
        &self.sentence(r.sentence).figures[r.figure as usize]
    }

    /// Inverse document frequency of a term over sentences. A term the corpus
    /// never uses counts as one it uses once: unknown words are often only
    /// other wording, and must not outweigh every word the sources share.
    pub fn idf(&self, key: u64) -> f32 {
        let n = self.sentences.len().max(1) as f32;
        let df = self.postings.get(&key).map_or(0, Vec::len).max(1) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The idf of a term seen once.
    pub fn max_idf(&self) -> f32 {
        let n = self.sentences.len().max(1) as f32;
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
    /// Each query term carries a weight (its idf is multiplied by it); a term
    /// given twice keeps its highest weight.
    ///
    /// The cost is bounded whatever the corpus size: only terms found in at
    /// most [`GENERATE_DF`] sentences bring in candidates; the pool is then cut
    /// to the best few; commoner terms only add to the sentences in the pool,
    /// found by binary search in their posting lists.
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
        // Rarest first.
        terms.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.total_cmp(&a.0)));
        let split = terms.partition_point(|t| t.1.len() <= GENERATE_DF);
        let (rare, common) = terms.split_at(split);

        let mut acc: FxHashMap<u32, f32> = FxHashMap::default();
        for (w, postings) in rare {
            for &id in *postings {
                *acc.entry(id).or_default() += w;
            }
        }
        // Nothing rare enough: let the rarest common term bring in a bounded
        // share of its sentences.
        let mut common = common;
        if acc.len() < k
            && let Some(((w, postings), rest)) = common.split_first()
        {
            for &id in postings.iter().take(GENERATE_DF) {
                *acc.entry(id).or_default() += w;
            }
            for (id, score) in acc.iter_mut() {
                if postings.len() > GENERATE_DF && postings[GENERATE_DF..].binary_search(id).is_ok() {
                    *score += w;
                }
            }
            common = rest;
        }
        let mut pool: Vec<(u32, f32)> = acc.into_iter().collect();
        top(&mut pool, k * POOL_FACTOR);
        for (w, postings) in common {
            for (id, score) in pool.iter_mut() {
                if postings.binary_search(id).is_ok() {
                    *score += w;
                }
            }
        }
        top(&mut pool, k);
        pool
    }
}

/// Terms found in at most this many sentences bring in retrieval candidates.
const GENERATE_DF: usize = 512;
/// Candidates kept for re-scoring by common terms, as a multiple of `k`.
const POOL_FACTOR: usize = 3;

/// Keeps the `k` best, best first, ties by id.
fn top(v: &mut Vec<(u32, f32)>, k: usize) {
    let cmp = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if v.len() > k {
        v.select_nth_unstable_by(k, cmp);
        v.truncate(k);
    }
    v.sort_by(cmp);
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
