//! A draft's view of the archive: the checker's questions answered from
//! what has been fetched, the rest noted as misses and fetched together.
//!
//! [`check`] runs the checker over the view; each run notes what it asked
//! for and did not find (a key's sentence count, postings, sentence records,
//! source texts), one batch of queries fetches all of it, and the checker
//! runs again, until a run misses nothing. That last run saw only real
//! answers, so its findings are those of a fully loaded index, after a few
//! round trips per draft (typically four or five batches) whatever its
//! length: no query per figure or per candidate.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Archive, ArchiveError, k};
use crate::check::{CheckOptions, Checker, Finding};
use crate::corpus::Format;
use crate::index::facts::{PostingList, PostingSource, retrieve_with};
use crate::index::{FactRef, Facts, SentenceRec, SourceInfo, idf_of};
use crate::markdown::Document;
use crate::names::NameIndex;
use crate::rules::Rules;

/// Postings fetched whole when a key is in at most this many sentences (the
/// retrieval's generating bound); commoner keys are asked about per sentence.
const WHOLE: usize = crate::index::GENERATE_DF_PUB;

/// Sources fetched for each name spelling: a name finding quotes the first
/// three whose sentences write it.
const NAME_SOURCES: i32 = 10;

/// Runs before giving up (a draft needs about five).
const MAX_PASSES: usize = 16;

#[derive(Default, Debug)]
struct Misses {
    df: FxHashSet<u64>,
    head: FxHashSet<u64>,
    /// Sentences whose records answer whether they hold a key (see
    /// [`ViewList::contains`]); fetched without neighbours or sources.
    records: FxHashSet<u32>,
    vcount: FxHashSet<u64>,
    vfacts: FxHashSet<u64>,
    sentences: FxHashSet<u32>,
    sources: FxHashSet<u32>,
    texts: FxHashSet<u32>,
    paths: FxHashSet<PathBuf>,
}

impl Misses {
    fn is_empty(&self) -> bool {
        self.df.is_empty()
            && self.head.is_empty()
            && self.records.is_empty()
            && self.vcount.is_empty()
            && self.vfacts.is_empty()
            && self.sentences.is_empty()
            && self.sources.is_empty()
            && self.texts.is_empty()
            && self.paths.is_empty()
    }
}

#[derive(Debug, Clone)]
struct SourceRow {
    info: SourceInfo,
    sentences: std::ops::Range<u32>,
}

/// What has been fetched for one draft.
#[derive(Default)]
pub struct DraftView {
    n_sentences: usize,
    df: FxHashMap<u64, usize>,
    whole: FxHashMap<u64, Vec<u32>>,
    head: FxHashMap<u64, Vec<u32>>,
    vcount: FxHashMap<u64, usize>,
    vfacts: FxHashMap<u64, Vec<FactRef>>,
    sentences: FxHashMap<u32, Arc<SentenceRec>>,
    sources: FxHashMap<u32, Option<SourceRow>>,
    texts: FxHashMap<u32, Arc<str>>,
    paths: FxHashMap<PathBuf, Option<u32>>,
    /// Only sources under these paths are evidence (`--corpus`); `None`: all.
    scope: Option<Vec<PathBuf>>,
    /// The sentences a pass over the whole scope walks (a conflict report,
    /// [`DraftView::preload`]); `None` for a draft's check.
    walk: Option<Vec<u32>>,
    misses: Mutex<Misses>,
    /// Batches of queries run.
    pub round_trips: usize,
}

impl std::fmt::Debug for DraftView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftView")
            .field("sentences", &self.sentences.len())
            .finish()
    }
}

fn empty_rec() -> Arc<SentenceRec> {
    Arc::new(SentenceRec {
        source: u32::MAX,
        span: 0..0,
        terms: Vec::new(),
        figures: Vec::new(),
        keys: Vec::new(),
        locator: None,
    })
}

impl DraftView {
    fn miss(&self, f: impl FnOnce(&mut Misses)) {
        f(&mut self.misses.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn in_scope(&self, source: u32) -> Option<bool> {
        let Some(scope) = &self.scope else {
            return Some(true);
        };
        match self.sources.get(&source) {
            Some(Some(row)) => Some(scope.iter().any(|r| row.info.path.starts_with(r))),
            Some(None) => Some(false),
            None => {
                self.miss(|m| {
                    m.sources.insert(source);
                });
                None
            }
        }
    }

    fn sentence_in_scope(&self, id: u32) -> bool {
        if self.scope.is_none() {
            return true;
        }
        match self.sentences.get(&id) {
            Some(s) => self.in_scope(s.source).unwrap_or(false),
            None => {
                self.miss(|m| {
                    m.sentences.insert(id);
                });
                false
            }
        }
    }

    fn row(&self, source: u32) -> Option<&SourceRow> {
        if source == u32::MAX {
            return None;
        }
        match self.sources.get(&source) {
            Some(r) => r.as_ref(),
            None => {
                self.miss(|m| {
                    m.sources.insert(source);
                });
                None
            }
        }
    }

    /// Fetches everything the last run missed.
    fn fetch(&mut self, client: &mut postgres::Client, m: Misses) -> Result<(), ArchiveError> {
        self.round_trips += 1;
        let mut want_sentences: FxHashSet<u32> = m.sentences;
        let mut want_sources: FxHashSet<u32> = m.sources;
        if !m.df.is_empty() {
            let keys: Vec<i64> = m.df.iter().map(|&x| k(x)).collect();
            for &key in &m.df {
                self.df.insert(key, 0);
            }
            for row in query(
                client,
                "df",
                "SELECT term, df FROM copydesk_term_df WHERE term = ANY($1)",
                &[&keys],
            )? {
                let (t, n): (i64, i64) = (row.get(0), row.get(1));
                self.df.insert(t as u64, n.max(0) as usize);
            }
            let rare: Vec<i64> =
                m.df.iter()
                    .filter(|key| self.df.get(key).is_some_and(|&n| n > 0 && n <= WHOLE))
                    .map(|&x| k(x))
                    .collect();
            for row in query(
                client,
                "whole",
                "SELECT term, sentences FROM copydesk_postings WHERE term = ANY($1)",
                &[&rare],
            )? {
                let (t, s): (i64, Vec<i32>) = (row.get(0), row.get(1));
                self.whole
                    .entry(t as u64)
                    .or_default()
                    .extend(s.into_iter().map(|id| id as u32));
            }
            for ids in self.whole.values_mut() {
                ids.sort_unstable();
            }
        }
        if !m.head.is_empty() {
            let keys: Vec<i64> = m.head.iter().map(|&x| k(x)).collect();
            let limit = WHOLE as i64;
            for &key in &m.head {
                self.head.entry(key).or_default();
            }
            // Rows in block order hold the key's sentences in id order: a
            // key's rows are walked in block order (one index probe each)
            // until they hold WHOLE. Taking its first WHOLE rows instead (each
            // row holds at least one) read up to 512 rows of hundreds of ids
            // for each common key: 6,656 rows (318 ms) for the example draft's
            // 13 at 1M sources, where a few rows each hold the 512.
            for row in query(
                client,
                "head",
                "WITH RECURSIVE h(term, block, sentences, total) AS ( \
                   SELECT q.term, p.block, p.sentences, cardinality(p.sentences)::int8 \
                   FROM unnest($1::int8[]) AS q(term) \
                   CROSS JOIN LATERAL (SELECT block, sentences FROM copydesk_postings \
                     WHERE term = q.term ORDER BY block LIMIT 1) p \
                   UNION ALL \
                   SELECT h.term, p.block, p.sentences, h.total + cardinality(p.sentences) \
                   FROM h CROSS JOIN LATERAL (SELECT block, sentences FROM copydesk_postings \
                     WHERE term = h.term AND block > h.block ORDER BY block LIMIT 1) p \
                   WHERE h.total < $2) \
                 SELECT term, sentences FROM h",
                &[&keys, &limit],
            )? {
                let (t, s): (i64, Vec<i32>) = (row.get(0), row.get(1));
                self.head
                    .entry(t as u64)
                    .or_default()
                    .extend(s.into_iter().map(|id| id as u32));
            }
            for key in &m.head {
                if let Some(ids) = self.head.get_mut(key) {
                    ids.sort_unstable();
                    ids.truncate(WHOLE);
                }
            }
        }
        if !m.vcount.is_empty() {
            let keys: Vec<i64> = m.vcount.iter().map(|&x| k(x)).collect();
            for &key in &m.vcount {
                self.vcount.insert(key, 0);
            }
            for row in query(
                client,
                "vcount",
                "SELECT value, n FROM copydesk_value_count WHERE value = ANY($1)",
                &[&keys],
            )? {
                let (v, n): (i64, i64) = (row.get(0), row.get(1));
                self.vcount.insert(v as u64, n.max(0) as usize);
            }
        }
        if !m.vfacts.is_empty() {
            let keys: Vec<i64> = m.vfacts.iter().map(|&x| k(x)).collect();
            for &key in &m.vfacts {
                self.vfacts.entry(key).or_default();
            }
            for row in query(
                client,
                "vfacts",
                "SELECT value, refs FROM copydesk_values WHERE value = ANY($1)",
                &[&keys],
            )? {
                let (v, refs): (i64, Vec<i64>) = (row.get(0), row.get(1));
                let facts = self.vfacts.entry(v as u64).or_default();
                for r in refs {
                    let r = FactRef {
                        sentence: (r >> 16) as u32,
                        figure: (r & 0xffff) as u16,
                    };
                    facts.push(r);
                    if !self.sentences.contains_key(&r.sentence) {
                        want_sentences.insert(r.sentence);
                    }
                }
            }
            for key in &m.vfacts {
                if let Some(facts) = self.vfacts.get_mut(key) {
                    facts.sort_unstable_by_key(|r| (r.sentence, r.figure));
                }
            }
        }
        if !want_sentences.is_empty() || !m.records.is_empty() {
            // With their neighbours and sources, which the checker reads
            // next; records asked for only for their keys come alone.
            let context: FxHashSet<i64> = want_sentences
                .iter()
                .flat_map(|&id| [i64::from(id) - 1, i64::from(id), i64::from(id) + 1])
                .collect();
            let mut ids: Vec<i64> = context
                .iter()
                .copied()
                .chain(m.records.iter().map(|&id| i64::from(id)))
                .filter(|&id| id >= 0 && !self.sentences.contains_key(&(id as u32)))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            for &id in want_sentences.iter().chain(&m.records) {
                self.sentences.insert(id, empty_rec());
            }
            for row in query(
                client,
                "sentences",
                "SELECT id, source, rec FROM copydesk_sentences WHERE id = ANY($1)",
                &[&ids],
            )? {
                let (id, s) = decode(&row)?;
                if context.contains(&i64::from(id)) && !self.sources.contains_key(&s.source) {
                    want_sources.insert(s.source);
                }
                self.sentences.insert(id, Arc::new(s));
            }
        }
        self.fetch_sources(client, want_sources)?;
        if !m.texts.is_empty() {
            let ids: Vec<i64> = m.texts.iter().map(|&id| i64::from(id)).collect();
            for &id in &m.texts {
                self.texts.insert(id, Arc::from(""));
            }
            for row in query(
                client,
                "texts",
                "SELECT id, body FROM copydesk_sources WHERE id = ANY($1)",
                &[&ids],
            )? {
                let (id, body): (i64, String) = (row.get(0), row.get(1));
                self.texts.insert(id as u32, Arc::from(body));
            }
        }
        if !m.paths.is_empty() {
            let paths: Vec<String> = m.paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            for p in &m.paths {
                self.paths.insert(p.clone(), None);
            }
            for row in query(
                client,
                "paths",
                "SELECT path, id FROM copydesk_sources WHERE path = ANY($1)",
                &[&paths],
            )? {
                let (p, id): (String, i64) = (row.get(0), row.get(1));
                self.paths.insert(PathBuf::from(p), Some(id as u32));
            }
        }
        Ok(())
    }

    /// Fetches the records (with their texts) of `want` sources.
    fn fetch_sources(
        &mut self,
        client: &mut postgres::Client,
        want_sources: FxHashSet<u32>,
    ) -> Result<(), ArchiveError> {
        if want_sources.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = want_sources.iter().map(|&id| i64::from(id)).collect();
        for &id in &want_sources {
            self.sources.insert(id, None);
        }
        for row in query(
            client,
            "sources",
            "SELECT id, path, key, title, date, url, publisher, sent_start, sent_end, format, author \
                 FROM copydesk_sources WHERE id = ANY($1)",
            &[&ids],
        )? {
            let id: i64 = row.get(0);
            let path: String = row.get(1);
            let (a, b): (i64, i64) = (row.get(7), row.get(8));
            self.sources.insert(
                id as u32,
                Some(SourceRow {
                    info: SourceInfo {
                        path: PathBuf::from(path),
                        key: row.get(2),
                        title: row.get(3),
                        date: row.get(4),
                        url: row.get(5),
                        publisher: row.get(6),
                        format: Format::from_name(row.get(9)).unwrap_or(Format::Text),
                        author: row.get(10),
                    },
                    sentences: a as u32..b as u32,
                }),
            );
        }
        Ok(())
    }
}

/// Whether `rec` is posted under `key`: the keys ingest writes to the
/// postings for it.
fn posted_under(rec: &SentenceRec, key: u64) -> bool {
    rec.terms.iter().any(|t| t.key == key) || rec.keys.iter().any(|kk| kk.dim == key || kk.values().contains(&key))
}

/// One key's postings as far as they are known.
pub struct ViewList<'a> {
    view: &'a DraftView,
    key: u64,
    len: usize,
}

impl PostingList for ViewList<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn ids(&self, limit: usize) -> Vec<u32> {
        if let Some(w) = self.view.whole.get(&self.key) {
            return w.iter().copied().take(limit).collect();
        }
        if limit <= WHOLE
            && let Some(h) = self.view.head.get(&self.key)
        {
            return h.iter().copied().take(limit).collect();
        }
        self.view.miss(|m| {
            m.head.insert(self.key);
        });
        Vec::new()
    }
    fn contains(&self, id: u32) -> bool {
        if let Some(w) = self.view.whole.get(&self.key) {
            return w.binary_search(&id).is_ok();
        }
        // The sentence's record holds every key it is posted under (its
        // terms, its figures' dimensions and values, as ingest posts them):
        // one record answers every key asked about it, where a query per
        // (key, sentence) pair cost thousands of index probes per draft.
        match self.view.sentences.get(&id) {
            Some(rec) => posted_under(rec, self.key),
            None => {
                self.view.miss(|m| {
                    m.records.insert(id);
                });
                false
            }
        }
    }
}

impl PostingSource for DraftView {
    type List<'a> = ViewList<'a>;
    fn list(&self, key: u64) -> ViewList<'_> {
        let len = match self.df.get(&key) {
            Some(&n) => n,
            None => {
                self.miss(|m| {
                    m.df.insert(key);
                });
                0
            }
        };
        ViewList { view: self, key, len }
    }
    fn n_sentences(&self) -> usize {
        self.n_sentences
    }
    fn live(&self, id: u32) -> bool {
        self.sentence_in_scope(id)
    }
}

impl Facts for DraftView {
    fn sentence(&self, id: u32) -> Arc<SentenceRec> {
        match self.sentences.get(&id) {
            Some(s) => s.clone(),
            None => {
                self.miss(|m| {
                    m.sentences.insert(id);
                });
                empty_rec()
            }
        }
    }

    fn neighbors(&self, id: u32) -> Box<dyn Iterator<Item = u32> + '_> {
        let s = self.sentence(id);
        let Some(range) = (s.source != u32::MAX)
            .then(|| self.row(s.source))
            .flatten()
            .map(|r| r.sentences.clone())
        else {
            return Box::new(std::iter::empty());
        };
        Box::new(
            [id.checked_sub(1), id.checked_add(1)]
                .into_iter()
                .flatten()
                .filter(move |n| range.contains(n)),
        )
    }

    fn idf(&self, key: u64) -> f32 {
        idf_of(self.n_sentences, PostingSource::list(self, key).len)
    }

    fn value_fact_count(&self, key: u64) -> usize {
        match self.vcount.get(&key) {
            Some(&n) => n,
            None => {
                self.miss(|m| {
                    m.vcount.insert(key);
                });
                0
            }
        }
    }

    fn facts_with_value(&self, key: u64) -> Vec<FactRef> {
        // A value's facts are asked for after its count (the checker skips
        // values with many facts); while the count is unknown, fetch the
        // count first, not facts the checker may not want (thousands for a
        // common value, and more as the archive grows).
        if !self.vcount.contains_key(&key) {
            self.miss(|m| {
                m.vcount.insert(key);
            });
            return Vec::new();
        }
        let Some(facts) = self.vfacts.get(&key) else {
            self.miss(|m| {
                m.vfacts.insert(key);
            });
            return Vec::new();
        };
        // Only facts whose records are at hand (fetched with them), in scope.
        facts
            .iter()
            .copied()
            .filter(|r| self.sentences.contains_key(&r.sentence) && self.sentence_in_scope(r.sentence))
            .filter(|r| self.sentences[&r.sentence].figures.len() > r.figure as usize)
            .collect()
    }

    fn retrieve(&self, query: &[(u64, f32)], k: usize) -> Vec<(u32, f32)> {
        retrieve_with(self, query, k)
    }

    fn get_source(&self, id: u32) -> Option<SourceInfo> {
        self.row(id).map(|r| r.info.clone())
    }

    fn source_text(&self, id: u32) -> Arc<str> {
        match self.texts.get(&id) {
            Some(t) => t.clone(),
            None => {
                // Fetched on its own: most sources a check reads records of
                // are candidates it never quotes.
                if id != u32::MAX {
                    self.miss(|m| {
                        m.texts.insert(id);
                    });
                }
                Arc::from("")
            }
        }
    }

    fn source_sentences(&self, source: u32) -> Box<dyn Iterator<Item = (u32, Arc<SentenceRec>)> + '_> {
        let Some(range) = self.row(source).map(|r| r.sentences.clone()) else {
            return Box::new(std::iter::empty());
        };
        Box::new(range.map(move |id| (id, self.sentence(id))))
    }

    fn source_id_by_path(&self, path: &Path) -> Option<u32> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        match self.paths.get(&abs) {
            Some(id) => *id,
            None => {
                self.miss(|m| {
                    m.paths.insert(abs);
                });
                None
            }
        }
    }

    fn sentence_count(&self) -> usize {
        self.n_sentences
    }

    fn sentence_ids(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match &self.walk {
            Some(w) => Box::new(w.iter().copied()),
            None => Box::new(0..self.n_sentences as u32),
        }
    }
}

/// What a check against the archive needs besides the draft.
pub struct ArchiveCheck<'a> {
    pub rules: &'a Rules,
    pub options: &'a CheckOptions,
    /// Check names against the archive's (`name-mismatch`).
    pub names: bool,
    /// `--corpus`: only sources ingested from under these paths are evidence.
    pub scope: Option<Vec<PathBuf>>,
}

/// Checks a draft against the archive (see the module's documentation).
/// `exclude` is the draft's own path, never cited. Returns the findings and
/// the view (for what it fetched: sources cited, round trips).
pub fn check(
    archive: &mut Archive,
    doc: &Document,
    exclude: Option<&Path>,
    how: &ArchiveCheck<'_>,
) -> Result<(Vec<Finding>, DraftView), ArchiveError> {
    let mut view = DraftView::open(archive, how.scope.as_deref())?;
    let names = if how.names {
        Some(draft_names(archive, doc, how.rules)?)
    } else {
        None
    };
    let findings = view.settle(archive, |view| {
        let mut checker = Checker::new(view, how.rules, how.options);
        if let Some(n) = &names {
            checker = checker.with_names(n);
        }
        if let Some(p) = exclude {
            checker = checker.excluding(p);
        }
        checker.check(doc)
    })?;
    Ok((findings, view))
}

impl DraftView {
    /// An empty view of the archive, its evidence limited to sources under
    /// `scope` when given.
    pub(super) fn open(archive: &mut Archive, scope: Option<&[PathBuf]>) -> Result<DraftView, ArchiveError> {
        Ok(DraftView {
            n_sentences: archive.sentence_count()?,
            scope: scope.map(|s| {
                s.iter()
                    .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
                    .collect()
            }),
            ..DraftView::default()
        })
    }

    /// Runs `pass` over the view until a run misses nothing, fetching what
    /// each run missed in one batch; returns the last run's answer, which saw
    /// only real answers.
    pub(super) fn settle<T>(
        &mut self,
        archive: &mut Archive,
        mut pass: impl FnMut(&DraftView) -> T,
    ) -> Result<T, ArchiveError> {
        for round in 0..MAX_PASSES {
            let t = std::time::Instant::now();
            let answer = pass(self);
            let ran = t.elapsed();
            let misses = std::mem::take(&mut *self.misses.lock().unwrap_or_else(|e| e.into_inner()));
            tracing::debug!(
                round,
                pass_ms = ran.as_secs_f64() * 1e3,
                missed = ?(misses.df.len(), misses.head.len(), misses.records.len(), misses.vcount.len(), misses.vfacts.len(), misses.sentences.len(), misses.sources.len(), misses.texts.len()),
                "archive check pass"
            );
            if misses.is_empty() {
                return Ok(answer);
            }
            self.fetch(archive.client(), misses)?;
        }
        Err(ArchiveError::Other(format!(
            "the check still needed more of the archive after {MAX_PASSES} rounds of queries"
        )))
    }

    /// Fetches the records and every sentence of `sources` (ids in id
    /// order) in two queries, and makes their sentences the ones a pass
    /// over the whole scope walks ([`Facts::sentence_ids`]).
    pub(super) fn preload(&mut self, client: &mut postgres::Client, sources: &[u32]) -> Result<(), ArchiveError> {
        self.round_trips += 1;
        self.fetch_sources(client, sources.iter().copied().collect())?;
        let (starts, ends): (Vec<i64>, Vec<i64>) = sources
            .iter()
            .filter_map(|id| self.sources.get(id).cloned().flatten())
            .map(|r| (i64::from(r.sentences.start), i64::from(r.sentences.end)))
            .unzip();
        let mut walk = Vec::new();
        for row in query(
            client,
            "preload",
            "SELECT s.id, s.source, s.rec FROM unnest($1::int8[], $2::int8[]) r(a, b) \
             JOIN copydesk_sentences s ON s.id >= r.a AND s.id < r.b ORDER BY s.id",
            &[&starts, &ends],
        )? {
            let (id, s) = decode(&row)?;
            walk.push(id);
            self.sentences.insert(id, Arc::new(s));
        }
        self.walk = Some(walk);
        Ok(())
    }
}

/// Runs one query of a draft's batch, logging its rows and time (`RUST_LOG=copydesk=debug`).
fn query(
    client: &mut postgres::Client,
    what: &'static str,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<Vec<postgres::Row>, postgres::Error> {
    let t = std::time::Instant::now();
    let rows = client.query(sql, params)?;
    tracing::debug!(
        what,
        rows = rows.len(),
        ms = t.elapsed().as_secs_f64() * 1e3,
        "archive query"
    );
    Ok(rows)
}

/// A `copydesk_sentences` row (id, source, rec) as the record and its id.
fn decode(row: &postgres::Row) -> Result<(u32, SentenceRec), ArchiveError> {
    let (id, source, rec): (i64, i64, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
    let mut s: SentenceRec =
        postcard::from_bytes(&rec).map_err(|e| ArchiveError::Other(format!("sentence {id}: {e}")))?;
    s.source = source as u32;
    Ok((id as u32, s))
}

/// The part of the archive's name index a draft's names can reach, added
/// in the order the embedded index would add them, so lookups rank them the
/// same. The name check looks names up by a word in two cases only: a draft
/// name with one word no source spells (the names holding a word within one
/// edit of it), and a name whose other words are all known and one is an
/// initial (the names holding its first full word). Only those names are
/// fetched: the names holding every draft word ran to tens of thousands of
/// rows at 10,000 sources ("Bay", "South"), and grew with the archive.
/// Three queries, whatever the archive's size.
fn draft_names(archive: &mut Archive, doc: &Document, rules: &Rules) -> Result<NameIndex, ArchiveError> {
    let drafted: Vec<Vec<String>> = doc
        .blocks
        .iter()
        .flat_map(|b| crate::names::text_names(&b.text, rules).1)
        .map(|(_, words)| words)
        .collect();
    let mut words: Vec<String> = drafted.iter().flatten().cloned().collect();
    words.sort();
    words.dedup();
    let mut names = NameIndex::default();
    if words.is_empty() {
        return Ok(names);
    }
    let client = archive.client();
    let known: FxHashSet<String> = query(
        client,
        "known words",
        "SELECT word FROM copydesk_known_words WHERE word = ANY($1)",
        &[&words],
    )?
    .into_iter()
    .map(|r| r.get(0))
    .collect();
    let initial = |w: &String| w.chars().count() == 1;
    let mut near_of: Vec<String> = Vec::new();
    let mut reach: Vec<String> = Vec::new();
    for name in &drafted {
        let unknown: Vec<&String> = name.iter().filter(|w| !initial(w) && !known.contains(*w)).collect();
        match unknown.as_slice() {
            [] if name.len() >= 2 && name.iter().any(initial) => {
                reach.extend(name.iter().find(|w| !initial(w)).cloned());
            }
            [w] => near_of.push((*w).clone()),
            _ => {}
        }
    }
    for w in known {
        names.insert_known(w);
    }
    near_of.sort();
    near_of.dedup();
    let keys: Vec<String> = near_of
        .iter()
        .flat_map(|w| std::iter::once(w.clone()).chain(crate::names::word_deletions(w)))
        .collect();
    if !keys.is_empty() {
        reach.extend(
            query(
                client,
                "name deletes",
                "SELECT DISTINCT word FROM copydesk_name_deletes WHERE del = ANY($1)",
                &[&keys],
            )?
            .into_iter()
            .map(|r| r.get::<_, String>(0)),
        );
    }
    reach.sort();
    reach.dedup();
    if reach.is_empty() {
        return Ok(names);
    }
    // One row per spelling, in the order of its first use, with its first
    // sources (a finding quotes three): a common word's names are used by
    // thousands of sources, and a row for each cost seconds at 100,000. The
    // spellings come from their own table, a GIN probe per word (`&&` with
    // the whole word list was planned as a scan comparing every spelling
    // with every word: 130 ms at 100k), each one's first uses from the
    // (display, source, ord) index, at most NAME_SOURCES entries a spelling;
    // a spelling whose sources are all gone has none and is skipped.
    for row in query(
        client,
        "names",
        "SELECT s.display, s.words, n.sources FROM ( \
           SELECT DISTINCT sp.display, sp.words FROM unnest($1::text[]) q(w) \
           JOIN copydesk_name_spellings sp ON sp.words @> ARRAY[q.w]) s \
         CROSS JOIN LATERAL ( \
           SELECT array_agg(u.source ORDER BY u.source, u.ord) AS sources, min(u.source) AS first, \
             (array_agg(u.ord ORDER BY u.source, u.ord))[1] AS first_ord \
           FROM (SELECT source, ord FROM copydesk_names WHERE display = s.display \
                 ORDER BY source, ord LIMIT $2) u) n \
         WHERE n.first IS NOT NULL \
         ORDER BY n.first, n.first_ord",
        &[&reach, &i64::from(NAME_SOURCES)],
    )? {
        let (display, w, sources): (String, Vec<String>, Vec<i64>) = (row.get(0), row.get(1), row.get(2));
        for s in sources {
            names.insert(&display, w.clone(), s as u32);
        }
    }
    Ok(names)
}
