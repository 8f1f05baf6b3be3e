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

pub mod facts;
pub mod segment;
pub mod store;

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashSet;

pub use facts::Facts;

mod analyse;
mod columns;
mod keys;
mod rows;
use analyse::absolute;
pub use analyse::{Analysed, analyse_file, analyze_source, info_of};
pub use keys::{Keys, dim_key, rounded_keys, value_keys};
pub use segment::{SourceInfo, Stamp};

use crate::corpus::{Corpus, Source};
use crate::extract::{Analyzer, Figure, Term};
use crate::rules::Rules;

/// A source sentence, with spans in the source file's bytes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SentenceRec {
    pub source: u32,
    pub span: Range<u32>,
    pub terms: Vec<Term>,
    pub figures: Vec<Figure>,
    /// The keys of each figure, computed once.
    pub keys: Vec<Keys>,
    /// Where the sentence is in the original file (page, cell, time), for
    /// sources read through a rendition.
    pub locator: Option<crate::corpus::Locator>,
}

/// A figure in the index: sentence id and position in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactRef {
    pub sentence: u32,
    pub figure: u16,
}

/// A segment placed in the index: the global ids its local ids start at.
#[derive(Debug)]
struct Placed {
    seg: segment::Segment,
    src_base: u32,
    sent_base: u32,
    /// Texts of sources given in memory (not read from files).
    texts: Option<Vec<std::sync::Arc<str>>>,
}

/// The index over a corpus: segments in id order, and the sources replaced or
/// removed since they were written.
pub struct Index {
    segs: Vec<Placed>,
    /// Global ids of sources no longer in the corpus (replaced or removed).
    dead: FxHashSet<u32>,
    n_sources: u32,
    n_sentences: u32,
    /// Decoded sentence records, most recently used.
    cache: quick_cache::sync::Cache<u32, Arc<SentenceRec>>,
    /// Texts of sources read from their files, most recently used.
    texts: quick_cache::sync::Cache<u32, Arc<str>>,
    /// Sources whose file no longer holds the text that was indexed (edited
    /// with unchanged size and time, or deleted): their passages are dropped.
    stale: std::sync::Mutex<FxHashSet<u32>>,
    /// Where the index is kept on disk, if it is.
    store: Option<store::Store>,
    pub warnings: Vec<crate::corpus::CorpusWarning>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("segments", &self.segs.len())
            .field("sources", &self.source_count())
            .field("sentences", &self.n_sentences)
            .finish()
    }
}

impl Default for Index {
    fn default() -> Index {
        Index::empty()
    }
}

/// Decoded sentences kept for reuse.
const SENTENCE_CACHE: usize = 65_536;
/// Source texts kept for reuse.
const TEXT_CACHE: usize = 256;

impl Index {
    fn empty() -> Index {
        Index {
            segs: Vec::new(),
            dead: FxHashSet::default(),
            n_sources: 0,
            n_sentences: 0,
            cache: quick_cache::sync::Cache::new(SENTENCE_CACHE),
            texts: quick_cache::sync::Cache::new(TEXT_CACHE),
            stale: std::sync::Mutex::default(),
            store: None,
            warnings: Vec::new(),
        }
    }

    /// Indexes sources given in memory (their texts are kept).
    pub fn build(corpus: Corpus, rules: &Rules) -> Index {
        let mut index = Index::empty();
        index.warnings = corpus.warnings;
        let mut an = Analyzer::new(rules);
        let mut b = segment::Builder::default();
        let mut texts = Vec::new();
        for mut source in corpus.sources {
            let sentences = analyze_source(&mut an, &source, 0);
            let stamp = Stamp {
                size: source.text.len() as u64,
                mtime: 0,
                hash: xxhash_rust::xxh3::xxh3_64(source.text.as_bytes()),
            };
            b.add(&info_of(&source), stamp, sentences);
            texts.push(Arc::from(std::mem::take(&mut source.text)));
        }
        index.push(b.finish(rules.fingerprint), Some(texts));
        index
    }

    /// [`Index::build`] of one source whose text the caller holds, shared:
    /// a long draft compared with itself chunk by chunk builds one index per
    /// chunk, and each reads the one draft text instead of a copy of it
    /// (20 MB copied per chunk was a cost per chunk in proportion to the
    /// whole draft). `source.text` is not read.
    pub fn build_shared(source: &Source, text: Arc<str>, rules: &Rules) -> Index {
        let mut index = Index::empty();
        let mut an = Analyzer::new(rules);
        let mut b = segment::Builder::default();
        let sentences = analyze_source(&mut an, source, 0);
        let stamp = Stamp {
            size: text.len() as u64,
            mtime: 0,
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        };
        b.add(&info_of(source), stamp, sentences);
        index.push(b.finish(rules.fingerprint), Some(vec![text]));
        index
    }

    /// Reads and indexes the sources under `paths` in memory, without keeping
    /// the index on disk. `progress` is called with (files done, files in all).
    pub fn from_paths(
        paths: &[std::path::PathBuf],
        rules: &Rules,
        progress: impl FnMut(usize, usize),
    ) -> Result<Index, crate::corpus::MissingPath> {
        Index::from_paths_within(paths, rules, None, progress)
    }

    /// [`Index::from_paths`], following symbolic links only inside `boundary`
    /// (see [`crate::corpus::source_files`]).
    pub fn from_paths_within(
        paths: &[std::path::PathBuf],
        rules: &Rules,
        boundary: Option<&std::path::Path>,
        progress: impl FnMut(usize, usize),
    ) -> Result<Index, crate::corpus::MissingPath> {
        let (files, warnings) = crate::corpus::source_files(paths, boundary)?;
        let mut index = Index::empty();
        index.warnings = warnings;
        let mut keys = KeyClaims::new(None);
        let (segs, warnings) = build_segments(&files, rules, &mut keys, 0, progress, |b| {
            Ok::<_, std::convert::Infallible>(b.finish(rules.fingerprint))
        })
        .expect("building in memory cannot fail");
        index.warnings.extend(warnings.into_iter().map(|w| w.warning));
        for seg in segs {
            index.push(seg, None);
        }
        Ok(index)
    }

    /// Appends a segment after the others.
    fn push(&mut self, seg: segment::Segment, texts: Option<Vec<Arc<str>>>) {
        let placed = Placed {
            src_base: self.n_sources,
            sent_base: self.n_sentences,
            texts,
            seg,
        };
        self.n_sources += placed.seg.source_count();
        self.n_sentences += placed.seg.sentence_count();
        self.segs.push(placed);
    }

    /// Replaces (or adds) the source at `path`, analysing only it; `None`
    /// removes it. The old version stays in its segment, marked dead; the new
    /// one goes into a segment of its own (written to disk when the index is
    /// kept there).
    pub fn update_source(&mut self, path: &std::path::Path, source: Option<Source>, rules: &Rules) {
        let old = self.source_id_by_path(path);
        if let Some(id) = old {
            self.dead.insert(id);
        }
        let Some(mut source) = source else {
            if let Some(st) = &mut self.store {
                st.commit(None, &self.dead, rules.fingerprint);
            }
            self.cache.clear();
            return;
        };
        // The old version is dead already: its key is free again.
        if let Some(w) = crate::corpus::claim_key(&mut source, |k| self.source_id_by_key(k).is_some()) {
            self.warnings.push(w);
        }
        let mut an = Analyzer::new(rules);
        let sentences = analyze_source(&mut an, &source, 0);
        let stamp = std::fs::metadata(&source.path)
            .map(|m| Stamp::of_metadata(&m))
            .unwrap_or_default();
        let stamp = Stamp {
            hash: xxhash_rust::xxh3::xxh3_64(source.text.as_bytes()),
            ..stamp
        };
        let mut b = segment::Builder::default();
        b.add(&info_of(&source), stamp, sentences);
        let text: Arc<str> = Arc::from(std::mem::take(&mut source.text));
        // Kept on disk when the index is; the text stays at hand either way,
        // as the editor may change the file again before it is read.
        let dead = self.dead.clone();
        let seg = match &mut self.store {
            Some(st) => st.commit(Some(b), &dead, rules.fingerprint),
            None => Some(b.finish(rules.fingerprint)),
        };
        if let Some(seg) = seg {
            self.push(seg, Some(vec![text]));
        }
        self.cache.clear();
    }

    fn placed(&self, src: u32) -> Option<(&Placed, u32)> {
        let i = self.segs.partition_point(|p| p.src_base + p.seg.source_count() <= src);
        let p = self.segs.get(i)?;
        (src >= p.src_base).then(|| (p, src - p.src_base))
    }

    fn placed_sentence(&self, id: u32) -> Option<(&Placed, u32)> {
        let i = self
            .segs
            .partition_point(|p| p.sent_base + p.seg.sentence_count() <= id);
        let p = self.segs.get(i)?;
        (id >= p.sent_base).then(|| (p, id - p.sent_base))
    }

    fn is_live(&self, src: u32) -> bool {
        !self.dead.contains(&src)
    }

    /// The source a sentence belongs to, without decoding it.
    fn source_of_sentence(&self, id: u32) -> Option<u32> {
        let (p, local) = self.placed_sentence(id)?;
        p.seg.source_of(local).map(|s| s + p.src_base)
    }

    fn sentence_live(&self, id: u32) -> bool {
        self.dead.is_empty() || self.source_of_sentence(id).is_some_and(|s| self.is_live(s))
    }

    /// The id of the live source read from `path` (compared as absolute paths).
    pub fn source_id_by_path(&self, path: &std::path::Path) -> Option<u32> {
        let abs = absolute(path);
        let h = segment::path_hash(&abs);
        self.segs.iter().rev().find_map(|p| {
            p.seg
                .by_path_hash(h)
                .map(|l| l + p.src_base)
                .find(|&id| self.is_live(id) && p.seg.info(id - p.src_base).is_some_and(|i| i.path == abs))
        })
    }

    /// The id of the live source with citation key `key`.
    pub fn source_id_by_key(&self, key: &str) -> Option<u32> {
        let h = segment::key_hash(key);
        self.segs.iter().rev().find_map(|p| {
            p.seg
                .by_key_hash(h)
                .map(|l| l + p.src_base)
                .find(|&id| self.is_live(id) && p.seg.info(id - p.src_base).is_some_and(|i| i.key == key))
        })
    }

    /// Every live source, with its id, in id order.
    pub fn sources(&self) -> impl Iterator<Item = (u32, SourceInfo)> + '_ {
        self.segs.iter().flat_map(move |p| {
            (0..p.seg.source_count()).filter_map(move |l| {
                let id = p.src_base + l;
                if !self.is_live(id) {
                    return None;
                }
                p.seg.info(l).map(|i| (id, i))
            })
        })
    }

    /// A source's metadata. Ids come from this index; an unknown id gets an
    /// empty record rather than a panic.
    pub fn source(&self, id: u32) -> SourceInfo {
        Facts::source(self, id)
    }

    pub fn get_source(&self, id: u32) -> Option<SourceInfo> {
        let (p, l) = self.placed(id)?;
        p.seg.info(l)
    }

    /// The file stamp recorded for a source.
    pub fn source_stamp(&self, id: u32) -> Option<Stamp> {
        let (p, l) = self.placed(id)?;
        p.seg.rows().get(l as usize).map(|r| r.stamp)
    }

    /// The whole text of a source: kept in memory for sources given that way,
    /// else read from the file (lossily, as when it was indexed). Recently
    /// read files are kept: a check reads the same few sources many times.
    pub fn source_text(&self, id: u32) -> Arc<str> {
        let Some((p, l)) = self.placed(id) else {
            return Arc::from("");
        };
        if let Some(t) = p.texts.as_ref().and_then(|t| t.get(l as usize)) {
            return t.clone();
        }
        if let Some(t) = self.texts.get(&id) {
            return t;
        }
        let Some(info) = p.seg.info(l) else {
            return Arc::from("");
        };
        let stamp = p.seg.rows().get(l as usize).map_or(0, |r| r.stamp.hash);
        // Plain files are decoded as when indexed; other formats are extracted
        // again. Either way the text must hash as it did when indexed (the
        // stamp), or its stored spans would slice another text.
        let read: Result<String, String> = if info.format.is_plain() {
            std::fs::read(&info.path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| e.to_string())
        } else {
            match crate::corpus::read_source(&info.path) {
                crate::corpus::ReadOutcome::Source(s, _) => Ok(s.text),
                crate::corpus::ReadOutcome::Skipped(w) => Err(w.message),
            }
        };
        let text: Arc<str> = match read {
            Ok(t) => {
                if stamp == 0 || xxhash_rust::xxh3::xxh3_64(t.as_bytes()) == stamp {
                    Arc::from(t)
                } else {
                    tracing::warn!(path = %info.path.display(), "source changed since it was indexed; its passages are left out until it is re-indexed");
                    self.mark_stale(id);
                    Arc::from("")
                }
            }
            Err(e) => {
                tracing::warn!(path = %info.path.display(), "cannot read source: {e}");
                self.mark_stale(id);
                Arc::from("")
            }
        };
        self.texts.insert(id, text.clone());
        text
    }

    fn mark_stale(&self, id: u32) {
        self.stale.lock().unwrap_or_else(|e| e.into_inner()).insert(id);
    }

    /// Sources found changed or gone since they were indexed, by id.
    pub fn stale_sources(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .stale
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .copied()
            .collect();
        v.sort_unstable();
        v
    }

    /// A sentence's text as the source file has it (line breaks and all).
    pub fn sentence_text(&self, id: u32) -> String {
        let s = self.sentence(id);
        let text = self.source_text(s.source);
        text.get(s.span.start as usize..s.span.end as usize)
            .unwrap_or("")
            .to_string()
    }

    /// Live sources.
    pub fn source_count(&self) -> usize {
        self.n_sources as usize - self.dead.len()
    }

    /// Sentences, counting those of replaced sources until they are compacted.
    pub fn sentence_count(&self) -> usize {
        self.n_sentences as usize
    }

    /// Sentences of live sources: what a clean build of the same files holds.
    pub fn live_sentence_count(&self) -> usize {
        let dead: usize = self
            .dead
            .iter()
            .filter_map(|&d| {
                let (p, l) = self.placed(d)?;
                let r = p.seg.rows().get(l as usize)?;
                Some((r.sent_end - r.sent_start) as usize)
            })
            .sum();
        self.sentence_count() - dead
    }

    /// Figures in live sources.
    pub fn fact_count(&self) -> usize {
        let all: u64 = self.segs.iter().map(|p| p.seg.fact_count()).sum();
        let dead: usize = self
            .dead
            .iter()
            .map(|&d| self.source_sentences(d).map(|(_, s)| s.figures.len()).sum::<usize>())
            .sum();
        all as usize - dead
    }

    /// Keeps the mapped index from growing this process's resident set past
    /// `budget` bytes: pages read by checks pile up in the mapping, and over
    /// days a server would hold the whole index resident. Over the budget,
    /// mapped pages are dropped (they stay in the page cache). Returns whether
    /// it released anything.
    pub fn trim_resident(&self, budget: usize) -> bool {
        if !self.segs.iter().any(|p| p.seg.is_mapped()) {
            return false;
        }
        let Some(file) = resident_file_bytes() else {
            return false;
        };
        if file <= budget {
            return false;
        }
        for p in &self.segs {
            p.seg.release_pages();
        }
        tracing::debug!(resident_file_mb = file / (1 << 20), "released mapped index pages");
        true
    }

    /// The folder the index is kept in, when it is kept on disk.
    pub fn store_dir(&self) -> Option<&std::path::Path> {
        self.store.as_ref().map(|s| s.dir())
    }

    /// Segments, and bytes they take (on disk or in memory).
    pub fn segment_stats(&self) -> (usize, usize) {
        (self.segs.len(), self.segs.iter().map(|p| p.seg.byte_len()).sum())
    }

    /// The sentences of one source, with their global ids.
    pub fn source_sentences(&self, source: u32) -> impl Iterator<Item = (u32, Arc<SentenceRec>)> + '_ {
        let range = self.placed(source).and_then(|(p, l)| {
            let r = p.seg.rows().get(l as usize)?;
            Some(p.sent_base + r.sent_start..p.sent_base + r.sent_end)
        });
        range.unwrap_or(0..0).map(move |id| (id, self.sentence(id)))
    }

    /// A sentence by global id, decoded once and cached.
    pub fn sentence(&self, id: u32) -> Arc<SentenceRec> {
        if let Some(s) = self.cache.get(&id) {
            return s;
        }
        let rec = self.placed_sentence(id).and_then(|(p, l)| {
            let mut s = p.seg.sentence(l)?;
            s.source += p.src_base;
            Some(s)
        });
        let rec = Arc::new(rec.unwrap_or_else(|| SentenceRec {
            source: u32::MAX,
            span: 0..0,
            terms: Vec::new(),
            figures: Vec::new(),
            keys: Vec::new(),
            locator: None,
        }));
        self.cache.insert(id, rec.clone());
        rec
    }

    /// The sentences just before and after `id` in the same source.
    pub fn neighbors(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let source = self.source_of_sentence(id);
        [id.checked_sub(1), Some(id + 1)]
            .into_iter()
            .flatten()
            .filter(move |&n| source.is_some() && self.source_of_sentence(n) == source)
    }

    pub fn figure(&self, r: FactRef) -> Figure {
        self.sentence(r.sentence).figures[r.figure as usize].clone()
    }

    /// Document frequency of a key over all segments.
    fn df(&self, key: u64) -> usize {
        self.segs.iter().map(|p| p.seg.postings(key).len()).sum()
    }

    /// Inverse document frequency of a term over sentences. A term the corpus
    /// never uses counts as one it uses once: unknown words are often only
    /// other wording, and must not outweigh every word the sources share.
    pub fn idf(&self, key: u64) -> f32 {
        idf(self.n_sentences as usize, self.df(key))
    }

    /// The idf of a term seen once.
    pub fn max_idf(&self) -> f32 {
        let n = (self.n_sentences as usize).max(1) as f32;
        (1.0 + (n - 0.5) / 1.5).ln()
    }

    /// A term's idf relative to a term seen once: 1 for the rarest, near 0 for
    /// a term in every sentence.
    pub fn rarity(&self, key: u64) -> f32 {
        (self.idf(key) / self.max_idf()).min(1.0)
    }

    /// How many figures (live or not) are indexed under a value key, without
    /// listing them.
    pub fn value_fact_count(&self, key: u64) -> usize {
        self.segs.iter().map(|p| p.seg.values(key).len()).sum()
    }

    /// Figures in live sources indexed under a value key.
    pub fn facts_with_value(&self, key: u64) -> Vec<FactRef> {
        let mut out = Vec::new();
        for p in &self.segs {
            for f in p.seg.values(key) {
                let r = FactRef {
                    sentence: p.sent_base + f.sentence,
                    figure: f.figure as u16,
                };
                if self.sentence_live(r.sentence) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// The `k` sentences that share the most (rarest) terms with the query
    /// (see [`facts::retrieve_with`], which both backends share).
    pub fn retrieve(&self, query: &[(u64, f32)], k: usize) -> Vec<(u32, f32)> {
        facts::retrieve_with(self, query, k)
    }
}

impl facts::PostingSource for Index {
    type List<'a> = Postings<'a>;
    fn list(&self, key: u64) -> Postings<'_> {
        Postings::new(self, key)
    }
    fn n_sentences(&self) -> usize {
        self.n_sentences as usize
    }
    fn live(&self, id: u32) -> bool {
        self.sentence_live(id)
    }
}

impl facts::PostingList for Postings<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn ids(&self, limit: usize) -> Vec<u32> {
        self.iter().take(limit).collect()
    }
    fn contains(&self, id: u32) -> bool {
        Postings::contains(self, id)
    }
}

/// File-backed resident memory of this process (Linux), in bytes.
fn resident_file_bytes() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssFile:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resident memory of the mapped index a server keeps before dropping pages.
pub const RESIDENT_BUDGET: usize = 192 << 20;

/// The idf of a key in `df` of `n` sentences (shared by both backends).
pub fn idf_of(n: usize, df: usize) -> f32 {
    idf(n, df)
}

fn idf(n: usize, df: usize) -> f32 {
    let n = n.max(1) as f32;
    let df = df.max(1) as f32;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// A term's postings across segments, as global sentence ids in order.
pub struct Postings<'a> {
    parts: Vec<(u32, &'a [u32])>,
    len: usize,
}

impl<'a> Postings<'a> {
    fn new(index: &'a Index, key: u64) -> Postings<'a> {
        let parts: Vec<(u32, &[u32])> = index
            .segs
            .iter()
            .map(|p| (p.sent_base, p.seg.postings(key)))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        let len = parts.iter().map(|(_, s)| s.len()).sum();
        Postings { parts, len }
    }

    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.parts
            .iter()
            .flat_map(|&(base, ids)| ids.iter().map(move |&i| base + i))
    }

    fn contains(&self, id: u32) -> bool {
        self.parts
            .iter()
            .rev()
            .find(|(base, _)| *base <= id)
            .is_some_and(|&(base, ids)| ids.binary_search(&(id - base)).is_ok())
    }
}

/// Reads, analyses and groups files into segments of at most
/// [`SEGMENT_SOURCES`] sources, handing each to `finish` (which keeps it in
/// memory or writes it out). Files are read, analysed and their records
/// encoded in parallel, a chunk at a time, on a thread of their own, while
/// this one adds the chunk before to the segment and writes segments out: the
/// cores stay busy through the serial part, and memory holds a few chunks of
/// analysed files and one segment, whatever the corpus size.
pub fn build_segments<E>(
    files: &[std::path::PathBuf],
    rules: &Rules,
    keys: &mut KeyClaims<'_>,
    done_before: usize,
    mut progress: impl FnMut(usize, usize),
    mut finish: impl FnMut(segment::Builder) -> Result<segment::Segment, E>,
) -> Result<(Vec<segment::Segment>, Vec<FileWarning>), E> {
    use rayon::prelude::*;
    type Analysed =
        Result<(Source, segment::Prepared, Stamp, Option<crate::corpus::CorpusWarning>), crate::corpus::CorpusWarning>;
    let mut warnings = Vec::new();
    let mut segs = Vec::new();
    let mut b = segment::Builder::default();
    let mut done = done_before;
    let total = done_before + files.len();
    let per_segment = segment_sources();
    // One analyzer per worker, kept across chunks, so its stem cache stays
    // warm (a fresh one per task stemmed every word of every file again).
    let analyzers: Vec<std::sync::Mutex<Analyzer<'_>>> = (0..rayon::current_num_threads().max(1) + 1)
        .map(|_| std::sync::Mutex::new(Analyzer::new(rules)))
        .collect();
    let analyse = |f: &std::path::PathBuf| -> Analysed {
        let slot = rayon::current_thread_index().unwrap_or(0) % analyzers.len();
        let run = |an: &mut Analyzer<'_>| {
            analyse_file(an, f).map(|(s, sentences, stamp, w)| (s, segment::Prepared::new(sentences), stamp, w))
        };
        match analyzers[slot].try_lock() {
            Ok(mut an) => run(&mut an),
            // Taken by a task this worker left to steal another (nested
            // parallelism): a fresh analyzer gives the same results.
            Err(_) => run(&mut Analyzer::new(rules)),
        }
    };
    // Once before the first chunk, so a progress bar shows at once.
    progress(done, total);
    std::thread::scope(|scope| -> Result<(), E> {
        // Two chunks queued at most: memory stays bounded however far the
        // analysis runs ahead of the writing.
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Analysed>)>(2);
        let analyse = &analyse;
        scope.spawn(move || {
            for chunk in files.chunks(256) {
                let analysed: Vec<Analysed> = chunk.par_iter().map(analyse).collect();
                if tx.send((chunk.len(), analysed)).is_err() {
                    // The writer stopped (an error): nothing more to do.
                    return;
                }
            }
        });
        for (n, analysed) in rx {
            for item in analysed {
                match item {
                    Ok((mut source, prepared, stamp, w)) => {
                        let note = |warning| FileWarning {
                            warning,
                            stamp,
                            skipped: false,
                        };
                        warnings.extend(w.map(note));
                        if let Some(w) = keys.claim(&mut source) {
                            warnings.push(note(w));
                        }
                        b.add_prepared(&info_of(&source), stamp, prepared);
                        if b.source_count() >= per_segment {
                            let next = b.like();
                            segs.push(finish(std::mem::replace(&mut b, next))?);
                        }
                    }
                    Err(w) => warnings.push(FileWarning {
                        stamp: std::fs::metadata(&w.path)
                            .map(|m| Stamp::of_metadata(&m))
                            .unwrap_or_default(),
                        warning: w,
                        skipped: true,
                    }),
                }
            }
            done += n;
            progress(done, total);
        }
        Ok(())
    })?;
    if !b.is_empty() || segs.is_empty() {
        segs.push(finish(b)?);
    }
    Ok((segs, warnings))
}

/// Citation keys handed out while building: those of this batch, and (when
/// adding to an index) those of its live sources, looked up rather than
/// listed, so adding one file to an archive does not read a million keys.
pub struct KeyClaims<'a> {
    batch: std::collections::HashSet<String>,
    index: Option<&'a Index>,
}

impl<'a> KeyClaims<'a> {
    pub fn new(index: Option<&'a Index>) -> KeyClaims<'a> {
        KeyClaims {
            batch: std::collections::HashSet::new(),
            index,
        }
    }

    /// Gives `source` a free key; a warning when its own was taken.
    pub fn claim(&mut self, source: &mut Source) -> Option<crate::corpus::CorpusWarning> {
        let (batch, index) = (&self.batch, self.index);
        let w = crate::corpus::claim_key(source, |k| {
            batch.contains(k) || index.is_some_and(|i| i.source_id_by_key(k).is_some())
        });
        self.batch.insert(source.key.clone());
        w
    }
}

/// A warning about one corpus file, with the file's stamp so it can be
/// repeated without reading the file again while it is unchanged.
#[derive(Debug, Clone)]
pub struct FileWarning {
    pub warning: crate::corpus::CorpusWarning,
    pub stamp: Stamp,
    /// The file was not indexed.
    pub skipped: bool,
}

/// Sources per segment written by a build: bounds the memory a build needs
/// (the builder holds one segment's records and postings: about 25 MB of
/// records for generated news). A cold build merges its segments into one
/// at the end, streaming, so a smaller segment costs one merge input more,
/// not a different index: 65,536 held about 900 MB at 100,000 sources,
/// 8,192 about 200 MB (`dev/bench/index-build.txt`).
pub const SEGMENT_SOURCES: usize = 8_192;

/// [`SEGMENT_SOURCES`], or `COPYDESK_SEGMENT_SOURCES` (tests use small
/// segments to exercise multi-segment indexes on small corpora).
fn segment_sources() -> usize {
    std::env::var("COPYDESK_SEGMENT_SOURCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(SEGMENT_SOURCES)
}

/// Terms found in at most this many sentences bring in retrieval candidates.
const GENERATE_DF: usize = 512;
/// [`GENERATE_DF`], for the archive's view (which fetches such postings whole).
pub const GENERATE_DF_PUB: usize = GENERATE_DF;
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
    use crate::extract::Value;
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
    fn a_source_value_is_found_under_its_rounded_values() {
        let rules = Rules::builtin();
        let mut an = Analyzer::new(&rules);
        let mut fig = |t: &str| an.analyze(t).remove(0).figures.remove(0);
        let source = Keys::of(&fig("The city had 10,298,000 residents."), &rules);
        let found = |draft: &str, an_fig: Figure| {
            value_keys(&an_fig, &rules)
                .iter()
                .any(|k| source.values().contains(k))
                .then_some(draft.to_string())
        };
        // At three and two significant digits, as a writer rounds.
        assert!(found("10.3", fig("It had 10.3 million residents.")).is_some());
        assert!(found("10", fig("It had 10 million residents.")).is_some());
        // Not at another value, and a draft figure looks up its own value only.
        assert!(found("10.4", fig("It had 10.4 million residents.")).is_none());
        let draft = fig("It had 10,298,000 residents.");
        assert_eq!(value_keys(&draft, &rules).len(), 1);
        // Ranges and dates have no rounded keys.
        assert!(rounded_keys(&fig("Between 1,234 and 1,301 people came."), &rules).is_empty());
        assert!(rounded_keys(&fig("It opened on March 3, 2011."), &rules).is_empty());
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
        let live = |idx: &Index| -> Vec<(String, Value)> {
            let mut v: Vec<_> = idx
                .sources()
                .flat_map(|(id, s)| {
                    idx.source_sentences(id)
                        .map(move |(_, r)| (s.key.clone(), r.figures[0].value))
                        .collect::<Vec<_>>()
                })
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        assert_eq!(
            live(&idx),
            vec![("a".into(), Value::num(44.0)), ("b".into(), Value::num(27.0))]
        );
        // The old version is no longer found by value.
        let old_key = value_keys(&Analyzer::new(&rules).analyze("43 suspects")[0].figures[0], &rules)[0];
        assert!(idx.facts_with_value(old_key).is_empty());
        idx.update_source(Path::new("b.txt"), None, &rules);
        assert_eq!(idx.source_count(), 1);
        assert_eq!(live(&idx), vec![("a".into(), Value::num(44.0))]);
    }
}
