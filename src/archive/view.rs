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
            for row in client.query("SELECT term, df FROM copydesk_term_df WHERE term = ANY($1)", &[&keys])? {
                let (t, n): (i64, i64) = (row.get(0), row.get(1));
                self.df.insert(t as u64, n.max(0) as usize);
            }
            let rare: Vec<i64> =
                m.df.iter()
                    .filter(|key| self.df.get(key).is_some_and(|&n| n > 0 && n <= WHOLE))
                    .map(|&x| k(x))
                    .collect();
            for row in client.query(
                "SELECT term, sentence FROM copydesk_postings WHERE term = ANY($1) ORDER BY term, sentence",
                &[&rare],
            )? {
                let (t, s): (i64, i64) = (row.get(0), row.get(1));
                self.whole.entry(t as u64).or_default().push(s as u32);
            }
        }
        if !m.head.is_empty() {
            let keys: Vec<i64> = m.head.iter().map(|&x| k(x)).collect();
            let limit = WHOLE as i64;
            for &key in &m.head {
                self.head.entry(key).or_default();
            }
            for row in client.query(
                "SELECT q.term, p.sentence FROM unnest($1::int8[]) AS q(term) \
                 CROSS JOIN LATERAL (SELECT sentence FROM copydesk_postings WHERE term = q.term \
                 ORDER BY sentence LIMIT $2) p ORDER BY q.term, p.sentence",
                &[&keys, &limit],
            )? {
                let (t, s): (i64, i64) = (row.get(0), row.get(1));
                self.head.entry(t as u64).or_default().push(s as u32);
            }
        }
        if !m.vcount.is_empty() {
            let keys: Vec<i64> = m.vcount.iter().map(|&x| k(x)).collect();
            for &key in &m.vcount {
                self.vcount.insert(key, 0);
            }
            for row in client.query(
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
            for row in client.query(
                "SELECT value, sentence, figure FROM copydesk_values WHERE value = ANY($1) \
                 ORDER BY value, sentence, figure",
                &[&keys],
            )? {
                let (v, s, f): (i64, i64, i32) = (row.get(0), row.get(1), row.get(2));
                let r = FactRef {
                    sentence: s as u32,
                    figure: f as u16,
                };
                self.vfacts.entry(v as u64).or_default().push(r);
                if !self.sentences.contains_key(&r.sentence) {
                    want_sentences.insert(r.sentence);
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
            for row in client.query(
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
        if !m.paths.is_empty() {
            let paths: Vec<String> = m.paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            for p in &m.paths {
                self.paths.insert(p.clone(), None);
            }
            for row in client.query("SELECT path, id FROM copydesk_sources WHERE path = ANY($1)", &[&paths])? {
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
        for row in client.query(
            "SELECT id, path, key, title, date, url, publisher, sent_start, sent_end, body, format, author \
                 FROM copydesk_sources WHERE id = ANY($1)",
            &[&ids],
        )? {
            let id: i64 = row.get(0);
            let path: String = row.get(1);
            let (a, b): (i64, i64) = (row.get(7), row.get(8));
            // The text comes with the record: the checker reads a cited
            // sentence's text right after the sentence.
            self.texts.insert(id as u32, Arc::from(row.get::<_, String>(9)));
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
                        format: Format::from_name(row.get(10)).unwrap_or(Format::Text),
                        author: row.get(11),
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
                // Fetched with the source's record.
                if id != u32::MAX {
                    self.miss(|m| {
                        m.sources.insert(id);
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
        for _ in 0..MAX_PASSES {
            let answer = pass(self);
            let misses = std::mem::take(&mut *self.misses.lock().unwrap_or_else(|e| e.into_inner()));
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
        let ids: Vec<i64> = sources.iter().map(|&id| i64::from(id)).collect();
        let mut walk = Vec::new();
        for row in client.query(
            "SELECT id, source, rec FROM copydesk_sentences WHERE source = ANY($1) ORDER BY id",
            &[&ids],
        )? {
            let (id, s) = decode(&row)?;
            walk.push(id);
            self.sentences.insert(id, Arc::new(s));
        }
        self.walk = Some(walk);
        Ok(())
    }
}

/// A `copydesk_sentences` row (id, source, rec) as the record and its id.
fn decode(row: &postgres::Row) -> Result<(u32, SentenceRec), ArchiveError> {
    let (id, source, rec): (i64, i64, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
    let mut s: SentenceRec =
        postcard::from_bytes(&rec).map_err(|e| ArchiveError::Other(format!("sentence {id}: {e}")))?;
    s.source = source as u32;
    Ok((id as u32, s))
}

/// The part of the archive's name index a draft's names can reach: its
/// spellings the archive knows, and every name holding a word within one edit
/// of a draft name word, added in the order the embedded index would add
/// them, so lookups rank them the same. Three queries, whatever the archive's size.
fn draft_names(archive: &mut Archive, doc: &Document, rules: &Rules) -> Result<NameIndex, ArchiveError> {
    let mut words: Vec<String> = doc
        .blocks
        .iter()
        .flat_map(|b| crate::names::draft_name_words(&b.text, rules))
        .collect();
    words.sort();
    words.dedup();
    let mut names = NameIndex::default();
    if words.is_empty() {
        return Ok(names);
    }
    let client = archive.client();
    for row in client.query("SELECT word FROM copydesk_known_words WHERE word = ANY($1)", &[&words])? {
        names.insert_known(row.get(0));
    }
    let keys: Vec<String> = words
        .iter()
        .flat_map(|w| std::iter::once(w.clone()).chain(crate::names::word_deletions(w)))
        .collect();
    let mut reach: Vec<String> = client
        .query(
            "SELECT DISTINCT word FROM copydesk_name_deletes WHERE del = ANY($1)",
            &[&keys],
        )?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    reach.extend(words);
    for row in client.query(
        "SELECT source, display, words FROM copydesk_names WHERE words && $1::text[] ORDER BY source, ord",
        &[&reach],
    )? {
        let (source, display, w): (i64, String, Vec<String>) = (row.get(0), row.get(1), row.get(2));
        names.insert(&display, w, source as u32);
    }
    Ok(names)
}
