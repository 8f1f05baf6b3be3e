//! What the checker needs from a corpus, as one trait with two
//! implementations: the embedded [`Index`] and the PostgreSQL archive's
//! per-draft view (`crate::archive`). Retrieval itself is shared
//! ([`retrieve_with`]): both backends answer the same primitive questions
//! (how many sentences hold a key, which ones, does this one) and the same
//! code ranks, so the same draft gets the same candidates from either.

use std::path::Path;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{FactRef, GENERATE_DF, Index, POOL_FACTOR, SentenceRec, SourceInfo, idf, top};
use crate::extract::Figure;

/// A corpus as the checker reads it: sentence records by id, retrieval by
/// term and value keys, source records and texts. Ids are the backend's;
/// sentences of one source have consecutive ids, in text order.
pub trait Facts: Sync {
    /// A sentence by id; an unknown id gets an empty record (source `u32::MAX`).
    fn sentence(&self, id: u32) -> Arc<SentenceRec>;
    /// The sentences just before and after `id` in the same source.
    fn neighbors(&self, id: u32) -> Box<dyn Iterator<Item = u32> + '_>;
    fn figure(&self, r: FactRef) -> Figure {
        self.sentence(r.sentence).figures[r.figure as usize].clone()
    }
    /// Inverse document frequency of a key over sentences.
    fn idf(&self, key: u64) -> f32;
    /// The idf of a term seen once.
    fn max_idf(&self) -> f32 {
        let n = self.sentence_count().max(1) as f32;
        (1.0 + (n - 0.5) / 1.5).ln()
    }
    /// A term's idf relative to a term seen once: 1 for the rarest.
    fn rarity(&self, key: u64) -> f32 {
        (self.idf(key) / self.max_idf()).min(1.0)
    }
    /// How many figures are indexed under a value key.
    fn value_fact_count(&self, key: u64) -> usize;
    /// Figures in live sources indexed under a value key, in id order.
    fn facts_with_value(&self, key: u64) -> Vec<FactRef>;
    /// The `k` sentences sharing the most (rarest) weighted terms with the query.
    fn retrieve(&self, query: &[(u64, f32)], k: usize) -> Vec<(u32, f32)>;
    /// A source's metadata (an empty record for an unknown id).
    fn source(&self, id: u32) -> SourceInfo {
        self.get_source(id).unwrap_or_else(|| SourceInfo {
            key: String::new(),
            title: String::new(),
            path: std::path::PathBuf::new(),
            date: None,
            url: None,
            publisher: None,
            author: None,
            format: crate::corpus::Format::Text,
        })
    }
    /// Orders two facts by what names them outside this index (the source's
    /// path and key, then the position in it), never by id: ids depend on
    /// the order sources were indexed in, and a refreshed index must break
    /// ties between equally good candidates as a fresh build does.
    fn stable_cmp(&self, a: FactRef, b: FactRef) -> std::cmp::Ordering {
        if a == b {
            return std::cmp::Ordering::Equal;
        }
        let place = |r: FactRef| {
            let s = self.sentence(r.sentence);
            let info = self.source(s.source);
            (info.path, info.key, s.span.start, r.figure)
        };
        place(a).cmp(&place(b)).then(a.cmp(&b))
    }

    /// The checked accessor for slicing stored spans into source text: the
    /// source's text if it is still the text that was indexed and the
    /// sentence's span and every figure span in it fall on its characters;
    /// `None` for a passage that no longer matches its file.
    fn sentence_source(&self, sentence: u32) -> Option<Arc<str>> {
        let s = self.sentence(sentence);
        let text = self.source_text(s.source);
        let fits = |r: &std::ops::Range<u32>| r.start <= r.end && text.get(r.start as usize..r.end as usize).is_some();
        let ok = fits(&s.span)
            && s.figures.iter().all(|f| {
                fits(&f.span)
                    && fits(&f.num_span)
                    && f.qual_span.as_ref().is_none_or(fits)
                    && f.noun_span.as_ref().is_none_or(fits)
            });
        ok.then_some(text)
    }

    fn get_source(&self, id: u32) -> Option<SourceInfo>;
    /// The whole text of a source, as it was indexed.
    fn source_text(&self, id: u32) -> Arc<str>;
    /// The sentences of one source, with their ids.
    fn source_sentences(&self, source: u32) -> Box<dyn Iterator<Item = (u32, Arc<SentenceRec>)> + '_>;
    /// The live source read from `path`.
    fn source_id_by_path(&self, path: &Path) -> Option<u32>;
    /// Sentences counted for idf.
    fn sentence_count(&self) -> usize;
    /// The ids a pass over the whole corpus walks (a conflict report), in id
    /// order: every id below [`Facts::sentence_count`] where ids are dense;
    /// a backend whose ids have gaps (the archive, after re-ingests) or
    /// that serves part of a larger store lists its own.
    fn sentence_ids(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        Box::new(0..self.sentence_count() as u32)
    }
    /// Keeps mapped memory within `budget` (see [`Index::trim_resident`]).
    fn trim_resident(&self, _budget: usize) -> bool {
        false
    }
}

impl Facts for Index {
    fn sentence(&self, id: u32) -> Arc<SentenceRec> {
        Index::sentence(self, id)
    }
    fn neighbors(&self, id: u32) -> Box<dyn Iterator<Item = u32> + '_> {
        Box::new(Index::neighbors(self, id))
    }
    fn idf(&self, key: u64) -> f32 {
        Index::idf(self, key)
    }
    fn max_idf(&self) -> f32 {
        Index::max_idf(self)
    }
    fn value_fact_count(&self, key: u64) -> usize {
        Index::value_fact_count(self, key)
    }
    fn facts_with_value(&self, key: u64) -> Vec<FactRef> {
        Index::facts_with_value(self, key)
    }
    fn retrieve(&self, query: &[(u64, f32)], k: usize) -> Vec<(u32, f32)> {
        Index::retrieve(self, query, k)
    }
    fn get_source(&self, id: u32) -> Option<SourceInfo> {
        Index::get_source(self, id)
    }
    fn source_text(&self, id: u32) -> Arc<str> {
        Index::source_text(self, id)
    }
    fn source_sentences(&self, source: u32) -> Box<dyn Iterator<Item = (u32, Arc<SentenceRec>)> + '_> {
        Box::new(Index::source_sentences(self, source))
    }
    fn source_id_by_path(&self, path: &Path) -> Option<u32> {
        Index::source_id_by_path(self, path)
    }
    fn sentence_count(&self) -> usize {
        Index::sentence_count(self)
    }
    fn trim_resident(&self, budget: usize) -> bool {
        Index::trim_resident(self, budget)
    }
}

/// The postings questions retrieval asks.
pub trait PostingSource {
    type List<'a>: PostingList
    where
        Self: 'a;
    /// A key's postings (possibly empty).
    fn list(&self, key: u64) -> Self::List<'_>;
    /// Sentences counted for idf.
    fn n_sentences(&self) -> usize;
    /// Whether a sentence belongs to a live source.
    fn live(&self, id: u32) -> bool;
}

/// One key's postings: sentence ids in ascending order.
pub trait PostingList {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The first `limit` ids.
    fn ids(&self, limit: usize) -> Vec<u32>;
    fn contains(&self, id: u32) -> bool;
}

/// The `k` sentences that share the most (rarest) terms with the query.
/// Each query term carries a weight (its idf is multiplied by it); a term
/// given twice keeps its highest weight.
///
/// The cost is bounded whatever the corpus size: only terms found in at
/// most [`GENERATE_DF`] sentences bring in candidates; the pool is then cut
/// to the best few; commoner terms only add to the sentences in the pool.
pub fn retrieve_with<S: PostingSource>(src: &S, query: &[(u64, f32)], k: usize) -> Vec<(u32, f32)> {
    let mut weights: FxHashMap<u64, f32> = FxHashMap::default();
    for &(key, w) in query {
        let e = weights.entry(key).or_default();
        *e = e.max(w);
    }
    let n = src.n_sentences();
    let mut terms: Vec<(f32, usize, S::List<'_>)> = weights
        .into_iter()
        .filter_map(|(key, w)| {
            let p = src.list(key);
            let len = p.len();
            (len > 0).then(|| (idf(n, len) * w, len, p))
        })
        .collect();
    // Rarest first.
    terms.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)));
    let split = terms.partition_point(|t| t.1 <= GENERATE_DF);
    let (rare, common) = terms.split_at(split);

    let mut acc: FxHashMap<u32, f32> = FxHashMap::default();
    for (w, _, postings) in rare {
        for id in postings.ids(usize::MAX) {
            *acc.entry(id).or_default() += w;
        }
    }
    // Nothing rare enough: let the rarest common term bring in a bounded
    // share of its sentences.
    let mut common = common;
    if acc.len() < k
        && let Some(((w, _, postings), rest)) = common.split_first()
    {
        let first: FxHashSet<u32> = postings.ids(GENERATE_DF).into_iter().collect();
        for &id in &first {
            *acc.entry(id).or_default() += w;
        }
        for (id, score) in acc.iter_mut() {
            if !first.contains(id) && postings.contains(*id) {
                *score += w;
            }
        }
        common = rest;
    }
    let mut pool: Vec<(u32, f32)> = acc.into_iter().filter(|&(id, _)| src.live(id)).collect();
    top(&mut pool, k * POOL_FACTOR);
    for (w, _, postings) in common {
        for (id, score) in pool.iter_mut() {
            if postings.contains(*id) {
                *score += w;
            }
        }
    }
    top(&mut pool, k);
    pool
}
