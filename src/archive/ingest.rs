//! Ingesting a corpus into the archive: incremental (files whose size and
//! modification time match what the archive recorded are not read; a file
//! read again whose bytes hash the same is only re-stamped), a batch of files
//! in one transaction (a connection lost mid-ingest leaves the archive as it
//! was before that batch: no file is ever half there), rows written with
//! binary `COPY`, one `COPY` per table per batch.
//!
//! Files are read and analysed in parallel (rayon), a batch at a time, while
//! one connection writes the batch before: memory holds two batches, whatever
//! the corpus's size. Batches are written in corpus order, so a fresh archive
//! numbers sources and sentences as the embedded index does.
//!
//! A batch costs a fixed number of round trips (about twenty), not a number
//! per file: one per file put a 10,000-source ingest at 16 files a second.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Archive, ArchiveError, k};
use crate::corpus::{CorpusWarning, ReadOutcome, Source};
use crate::extract::Analyzer;
use crate::index::segment::FORMAT;
use crate::index::{SentenceRec, Stamp, analyze_source, info_of};
use crate::rules::Rules;

/// The channel `copydesk index --database` notifies after each file, for
/// language servers to re-check their open drafts.
pub const CHANNEL: &str = "copydesk_archive";

/// Files analysed in parallel and written in one transaction.
const BATCH: usize = 1024;

/// What an ingest did.
#[derive(Debug, Default)]
pub struct IngestStats {
    /// Files read and written (new or changed).
    pub written: usize,
    /// Files read whose bytes had not changed (only their stamp was updated).
    pub restamped: usize,
    /// Files not read: size and modification time as recorded.
    pub unchanged: usize,
    /// Sources dropped because their file is gone.
    pub removed: usize,
    /// Bytes of source text read.
    pub bytes: u64,
    pub warnings: Vec<CorpusWarning>,
    /// Schema versions applied first.
    pub migrated: Vec<i32>,
}

struct Recorded {
    size: i64,
    mtime: i64,
    hash: i64,
    /// Whether this build with these rules analysed it (layout and rules).
    current: bool,
}

/// One source read and analysed, with everything its rows need that does
/// not depend on the archive (sentence records encoded, the keys each is
/// posted under, its names), so the parallel stage does that work and the
/// writing thread only lays rows out.
struct Analysed {
    source: Source,
    sentences: Vec<Sentence>,
    stamp: Stamp,
    warning: Option<CorpusWarning>,
    /// Its capitalised spellings (lowercase) and its names in text order.
    known: Vec<String>,
    names: Vec<(String, Vec<String>)>,
}

/// A sentence as its rows hold it.
struct Sentence {
    /// The record, postcard-encoded.
    rec: Vec<u8>,
    /// The keys it is posted under ([`posted_keys`]).
    posted: Vec<u64>,
    /// Its figures' value keys, by figure.
    values: Vec<(usize, u64)>,
    figures: usize,
}

fn stamp_of(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| Stamp::of_metadata(&m))
}

fn analyse(an: &mut Analyzer<'_>, rules: &Rules, path: &Path) -> Result<Analysed, CorpusWarning> {
    let stamp = stamp_of(path).ok_or_else(|| CorpusWarning {
        path: path.to_path_buf(),
        message: "cannot read".into(),
    })?;
    match crate::corpus::read_source(path) {
        ReadOutcome::Source(mut s, warning) => {
            let recs = analyze_source(an, &s, 0);
            s.blocks = Vec::new();
            let stamp = Stamp {
                hash: xxhash_rust::xxh3::xxh3_64(s.text.as_bytes()),
                ..stamp
            };
            let sentences = recs
                .iter()
                .map(|r| Sentence {
                    rec: postcard::to_stdvec(r).expect("a sentence record encodes"),
                    posted: posted_keys(r),
                    values: r
                        .keys
                        .iter()
                        .enumerate()
                        .flat_map(|(fi, kk)| kk.values().iter().map(move |&v| (fi, v)))
                        .collect(),
                    figures: r.figures.len(),
                })
                .collect();
            let (known, names) = crate::names::text_names(&s.text, rules);
            Ok(Analysed {
                source: *s,
                sentences,
                stamp,
                warning,
                known,
                names,
            })
        }
        ReadOutcome::Skipped(w) => Err(w),
    }
}

/// A path as the archive records it: absolute, as the embedded index does.
fn key_path(p: &Path) -> String {
    info_of(&Source::from_text(p, String::new()))
        .path
        .to_string_lossy()
        .into_owned()
}

/// The keys a sentence is posted under, each once: its terms, its figures'
/// dimensions and values, as the embedded segment posts them.
pub(super) fn posted_keys(s: &SentenceRec) -> Vec<u64> {
    let mut keys: Vec<u64> = s
        .terms
        .iter()
        .map(|t| t.key)
        .chain(
            s.keys
                .iter()
                .flat_map(|kk| std::iter::once(kk.dim).chain(kk.values().iter().copied())),
        )
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A sentence id as the archive's int4 arrays hold it (its u32 bits).
pub(super) fn id32(id: u32) -> i32 {
    id as i32
}

/// A value fact as the archive's int8 arrays hold it.
pub(super) fn fact_ref(sentence: u32, figure: usize) -> i64 {
    (i64::from(sentence) << 16) | (figure as i64 & 0xffff)
}

/// Ingests the sources under `paths`; sources recorded under those paths
/// whose files are gone are removed. `progress` gets (files done, files).
pub fn ingest(
    archive: &mut Archive,
    paths: &[PathBuf],
    rules: &Rules,
    mut progress: impl FnMut(usize, usize),
) -> Result<IngestStats, ArchiveError> {
    use rayon::prelude::*;
    let mut stats = IngestStats {
        migrated: archive.migrate()?,
        ..IngestStats::default()
    };
    let (files, warnings) = crate::corpus::source_files(paths, None)?;
    stats.warnings = warnings;
    let roots: Vec<String> = paths.iter().map(|p| key_path(p)).collect();
    let client = archive.client();
    // What the archive holds under these roots.
    let mut recorded: HashMap<String, Recorded> = HashMap::new();
    for row in client.query(
        "SELECT path, size, mtime, hash, record_format = $2 AND rules = $3 FROM copydesk_sources \
         WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) r WHERE path = r OR starts_with(path, r || '/'))",
        &[&roots, &(FORMAT as i32), &k(rules.fingerprint)],
    )? {
        recorded.insert(
            row.get(0),
            Recorded {
                size: row.get(1),
                mtime: row.get(2),
                hash: row.get(3),
                current: row.get(4),
            },
        );
    }
    let mut todo = Vec::new();
    let mut seen = FxHashSet::default();
    for f in &files {
        let p = key_path(f);
        let unchanged = recorded.get(&p).is_some_and(|r| {
            r.current && stamp_of(f).is_some_and(|s| s.size as i64 == r.size && s.mtime as i64 == r.mtime)
        });
        if unchanged {
            stats.unchanged += 1;
        } else {
            todo.push(f.clone());
        }
        seen.insert(p);
    }
    let mut st = Statements::default();
    let mut seen_names = SeenNames::default();
    let gone: Vec<String> = recorded.keys().filter(|p| !seen.contains(*p)).cloned().collect();
    for batch in gone.chunks(BATCH) {
        let mut tx = client.transaction()?;
        lock(&mut tx, &mut st)?;
        stats.removed += remove(&mut tx, &mut st, batch)?;
        notify(&mut tx, &mut st, batch)?;
        tx.commit()?;
    }
    let total = todo.len();
    progress(0, total);
    // Analysis of the next batch runs on every core while this thread writes
    // the batch before; the channel holds one batch, so memory holds two.
    std::thread::scope(|s| {
        let (send, batches) = std::sync::mpsc::sync_channel::<Vec<Result<Analysed, CorpusWarning>>>(1);
        let todo = &todo;
        s.spawn(move || {
            for chunk in todo.chunks(BATCH) {
                let analysed: Vec<_> = chunk
                    .par_iter()
                    .map_init(|| Analyzer::new(rules), |an, f| analyse(an, rules, f))
                    .collect();
                if send.send(analysed).is_err() {
                    break;
                }
            }
        });
        let mut done = 0;
        for analysed in batches {
            done += analysed.len();
            let mut fresh = Vec::new();
            let mut restamp = Vec::new();
            for item in analysed {
                match item {
                    Ok(a) => {
                        let p = key_path(&a.source.path);
                        stats.bytes += a.source.text.len() as u64;
                        if let Some(r) = recorded.get(&p)
                            && r.current
                            && r.hash == k(a.stamp.hash)
                        {
                            restamp.push((p, a.stamp));
                        } else {
                            stats.warnings.extend(a.warning.clone());
                            fresh.push((p, a));
                        }
                    }
                    Err(w) => stats.warnings.push(w),
                }
            }
            stats.restamped += restamp.len();
            stats.written += fresh.len();
            stats.warnings.extend(write(
                client,
                &mut st,
                &mut seen_names,
                fresh,
                &restamp,
                k(rules.fingerprint),
            )?);
            progress(done, total);
        }
        Ok::<(), ArchiveError>(())
    })?;
    Ok(stats)
}

/// The ingest's statements, each prepared once on its connection (a
/// prepared statement outlives the transaction it was prepared in): a
/// batch's write is then one round trip per statement, not two.
#[derive(Default)]
struct Statements(FxHashMap<&'static str, postgres::Statement>);

impl Statements {
    fn get(&mut self, tx: &mut Transaction<'_>, sql: &'static str) -> Result<postgres::Statement, ArchiveError> {
        if let Some(s) = self.0.get(sql) {
            return Ok(s.clone());
        }
        let s = tx.prepare(sql)?;
        self.0.insert(sql, s.clone());
        Ok(s)
    }
}

/// The name words and capitalised spellings this ingest has written (and
/// committed): their rows are never deleted, so a later batch need not send
/// them again. Sending every word's one-letter deletions with each batch, to
/// be found already there, was a third of the server's time in a bulk ingest.
#[derive(Default)]
struct SeenNames {
    words: FxHashSet<String>,
    known: FxHashSet<String>,
    spellings: FxHashSet<String>,
}

/// What a batch's names added to the archive, for [`SeenNames`] once it commits.
struct NewNames {
    words: Vec<String>,
    known: Vec<String>,
    spellings: Vec<String>,
}

/// Separates a spelling's words on their way to `string_to_array` (no word
/// holds a control character).
const WORD_SEP: &str = "\u{1f}";

/// Takes the archive's write lock (its counters row) for this transaction;
/// returns the next source and sentence ids.
fn lock(tx: &mut Transaction<'_>, st: &mut Statements) -> Result<(i64, i64), ArchiveError> {
    let stmt = st.get(
        tx,
        "SELECT next_source, next_sentence FROM copydesk_counters FOR UPDATE",
    )?;
    let row = tx.query_one(&stmt, &[])?;
    Ok((row.get(0), row.get(1)))
}

/// Tells listening language servers which sources changed.
fn notify(tx: &mut Transaction<'_>, st: &mut Statements, paths: &[String]) -> Result<(), ArchiveError> {
    if paths.is_empty() {
        return Ok(());
    }
    let stmt = st.get(tx, "SELECT pg_notify($1, p) FROM unnest($2::text[]) p")?;
    tx.execute(&stmt, &[&CHANNEL, &paths])?;
    Ok(())
}

/// Removes the sources recorded at `paths`, with their rows and counts;
/// returns how many there were. Their sentence records say which posting
/// and value rows (in each source's block) name them.
fn remove(tx: &mut Transaction<'_>, st: &mut Statements, paths: &[String]) -> Result<usize, ArchiveError> {
    let stmt = st.get(
        tx,
        "SELECT id, block, sent_start, sent_end FROM copydesk_sources WHERE path = ANY($1)",
    )?;
    let rows = tx.query(&stmt, &[&paths])?;
    if rows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
    let blocks: Vec<i64> = rows.iter().map(|r| r.get(1)).collect();
    let starts: Vec<i64> = rows.iter().map(|r| r.get(2)).collect();
    let ends: Vec<i64> = rows.iter().map(|r| r.get(3)).collect();
    let sentences: i64 = starts.iter().zip(&ends).map(|(a, b)| b - a).sum();
    let stmt = st.get(
        tx,
        "SELECT r.blk, s.id, s.rec FROM unnest($1::int8[], $2::int8[], $3::int8[]) r(a, b, blk) \
         JOIN copydesk_sentences s ON s.id >= r.a AND s.id < r.b",
    )?;
    let (mut pt, mut pb, mut ps) = (Vec::new(), Vec::new(), Vec::new());
    let (mut vv, mut vb, mut vr) = (Vec::new(), Vec::new(), Vec::new());
    let mut df: FxHashMap<i64, i64> = FxHashMap::default();
    let mut vn: FxHashMap<i64, i64> = FxHashMap::default();
    for row in tx.query(&stmt, &[&starts, &ends, &blocks])? {
        let (blk, id, rec): (i64, i64, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
        let s: SentenceRec =
            postcard::from_bytes(&rec).map_err(|e| ArchiveError::Other(format!("sentence {id}: {e}")))?;
        for key in posted_keys(&s) {
            pt.push(k(key));
            pb.push(blk);
            ps.push(id32(id as u32));
            *df.entry(k(key)).or_default() += 1;
        }
        for (fi, kk) in s.keys.iter().enumerate() {
            for &v in kk.values() {
                vv.push(k(v));
                vb.push(blk);
                vr.push(fact_ref(id as u32, fi));
                *vn.entry(k(v)).or_default() += 1;
            }
        }
    }
    let stmt = st.get(
        tx,
        "WITH d AS (SELECT t, b, array_agg(s) AS gone FROM unnest($1::int8[], $2::int8[], $3::int4[]) u(t, b, s) GROUP BY t, b) \
         UPDATE copydesk_postings p SET sentences = ARRAY(SELECT x FROM unnest(p.sentences) x WHERE x <> ALL (d.gone)) \
         FROM d WHERE p.term = d.t AND p.block = d.b",
    )?;
    tx.execute(&stmt, &[&pt, &pb, &ps])?;
    let stmt = st.get(
        tx,
        "DELETE FROM copydesk_postings WHERE term = ANY($1) AND block = ANY($2) AND cardinality(sentences) = 0",
    )?;
    tx.execute(&stmt, &[&pt, &blocks])?;
    let stmt = st.get(
        tx,
        "WITH d AS (SELECT v, b, array_agg(r) AS gone FROM unnest($1::int8[], $2::int8[], $3::int8[]) u(v, b, r) GROUP BY v, b) \
         UPDATE copydesk_values p SET refs = ARRAY(SELECT x FROM unnest(p.refs) x WHERE x <> ALL (d.gone)) \
         FROM d WHERE p.value = d.v AND p.block = d.b",
    )?;
    tx.execute(&stmt, &[&vv, &vb, &vr])?;
    let stmt = st.get(
        tx,
        "DELETE FROM copydesk_values WHERE value = ANY($1) AND block = ANY($2) AND cardinality(refs) = 0",
    )?;
    tx.execute(&stmt, &[&vv, &blocks])?;
    let (terms, counts) = sorted(df);
    let stmt = st.get(
        tx,
        "UPDATE copydesk_term_df d SET df = d.df - u.c FROM unnest($1::int8[], $2::int8[]) u(t, c) WHERE d.term = u.t",
    )?;
    tx.execute(&stmt, &[&terms, &counts])?;
    let (values, counts) = sorted(vn);
    let stmt = st.get(
        tx,
        "UPDATE copydesk_value_count d SET n = d.n - u.c FROM unnest($1::int8[], $2::int8[]) u(v, c) WHERE d.value = u.v",
    )?;
    tx.execute(&stmt, &[&values, &counts])?;
    let stmt = st.get(
        tx,
        "DELETE FROM copydesk_sentences s USING unnest($1::int8[], $2::int8[]) r(a, b) WHERE s.id >= r.a AND s.id < r.b",
    )?;
    tx.execute(&stmt, &[&starts, &ends])?;
    let stmt = st.get(tx, "DELETE FROM copydesk_names WHERE source = ANY($1)")?;
    tx.execute(&stmt, &[&ids])?;
    let stmt = st.get(tx, "DELETE FROM copydesk_sources WHERE id = ANY($1)")?;
    tx.execute(&stmt, &[&ids])?;
    let stmt = st.get(
        tx,
        "UPDATE copydesk_counters SET sentences = sentences - $1, sources = sources - $2",
    )?;
    tx.execute(&stmt, &[&sentences, &(ids.len() as i64)])?;
    Ok(ids.len())
}

/// A count map as two arrays in key order (so concurrent writers take row
/// locks in the same order).
fn sorted(m: FxHashMap<i64, i64>) -> (Vec<i64>, Vec<i64>) {
    let mut v: Vec<(i64, i64)> = m.into_iter().collect();
    v.sort_unstable();
    v.into_iter().unzip()
}

/// Writes a batch of sources (replacing any earlier version at their paths)
/// and re-stamps the unchanged ones, in one transaction. Returns the
/// warnings for keys that were taken.
fn write(
    client: &mut postgres::Client,
    st: &mut Statements,
    seen: &mut SeenNames,
    fresh: Vec<(String, Analysed)>,
    restamp: &[(String, Stamp)],
    rules_fingerprint: i64,
) -> Result<Vec<CorpusWarning>, ArchiveError> {
    if fresh.is_empty() && restamp.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = client.transaction()?;
    let (next_source, next_sentence) = lock(&mut tx, st)?;
    if !restamp.is_empty() {
        let paths: Vec<&str> = restamp.iter().map(|(p, _)| p.as_str()).collect();
        let sizes: Vec<i64> = restamp.iter().map(|(_, s)| s.size as i64).collect();
        let mtimes: Vec<i64> = restamp.iter().map(|(_, s)| s.mtime as i64).collect();
        let stmt = st.get(
            &mut tx,
            "UPDATE copydesk_sources s SET size = u.size, mtime = u.mtime \
             FROM unnest($1::text[], $2::int8[], $3::int8[]) u(path, size, mtime) WHERE s.path = u.path",
        )?;
        tx.execute(&stmt, &[&paths, &sizes, &mtimes])?;
    }
    if fresh.is_empty() {
        tx.commit()?;
        return Ok(Vec::new());
    }
    let paths: Vec<String> = fresh.iter().map(|(p, _)| p.clone()).collect();
    remove(&mut tx, st, &paths)?;
    let n: i64 = fresh.iter().map(|(_, a)| a.sentences.len() as i64).sum();
    if next_sentence + n > i64::from(u32::MAX) || next_source + fresh.len() as i64 >= i64::from(u32::MAX) {
        return Err(ArchiveError::Other(
            "the archive is full: sentence ids past 2^32".into(),
        ));
    }
    let block = next_sentence;
    let stmt = st.get(
        &mut tx,
        "UPDATE copydesk_counters SET next_source = next_source + $1, next_sentence = next_sentence + $2, \
         sentences = sentences + $2, sources = sources + $1",
    )?;
    tx.execute(&stmt, &[&(fresh.len() as i64), &n])?;

    // Keys: those the archive has, asked about in one query; a suffixed
    // key (a second source with the same key) is asked about on its own.
    let wanted: Vec<&str> = fresh.iter().map(|(_, a)| a.source.key.as_str()).collect();
    let stmt = st.get(&mut tx, "SELECT key FROM copydesk_sources WHERE key = ANY($1)")?;
    let mut taken: FxHashSet<String> = tx.query(&stmt, &[&wanted])?.iter().map(|r| r.get(0)).collect();
    let asked: FxHashSet<String> = wanted.iter().map(|s| s.to_string()).collect();
    let single = st.get(&mut tx, "SELECT 1 FROM copydesk_sources WHERE key = $1")?;
    let mut warnings = Vec::new();

    let mut sources = Vec::with_capacity(fresh.len());
    let mut recs: Vec<Vec<Sentence>> = Vec::with_capacity(fresh.len());
    let mut names = Vec::with_capacity(fresh.len());
    for (path, a) in fresh {
        let Analysed {
            mut source,
            sentences,
            stamp,
            known,
            names: source_names,
            ..
        } = a;
        let mut key_err = None;
        let warning = crate::corpus::claim_key(&mut source, |key| {
            if taken.contains(key) {
                return true;
            }
            if asked.contains(key) {
                return false;
            }
            match tx.query_opt(&single, &[&key]) {
                Ok(r) => r.is_some(),
                Err(e) => {
                    key_err = Some(e);
                    false
                }
            }
        });
        if let Some(e) = key_err {
            return Err(e.into());
        }
        taken.insert(source.key.clone());
        warnings.extend(warning);
        sources.push((path, source, stamp));
        recs.push(sentences);
        names.push((known, source_names));
    }

    let mut first = next_sentence;
    let mut df: FxHashMap<i64, i64> = FxHashMap::default();
    let mut vn: FxHashMap<i64, i64> = FxHashMap::default();
    let mut postings: FxHashMap<i64, Vec<i32>> = FxHashMap::default();
    let mut values: FxHashMap<i64, Vec<i64>> = FxHashMap::default();
    {
        let copy = st.get(
            &mut tx,
            "COPY copydesk_sources (id, path, key, title, date, url, publisher, size, mtime, hash, \
             sent_start, sent_end, figures, body, format, author, block, record_format, rules) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(
            sink,
            &[
                Type::INT8,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::INT4,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::INT8,
                Type::INT4,
                Type::INT8,
            ],
        );
        for (i, ((path, source, stamp), sentences)) in sources.iter().zip(&recs).enumerate() {
            let info = info_of(source);
            let n = sentences.len() as i64;
            let figures = sentences.iter().map(|s| s.figures).sum::<usize>() as i32;
            w.write(&[
                &(next_source + i as i64),
                path,
                &info.key,
                &info.title,
                &info.date,
                &info.url,
                &info.publisher,
                &(stamp.size as i64),
                &(stamp.mtime as i64),
                &k(stamp.hash),
                &first,
                &(first + n),
                &figures,
                &source.text,
                &info.format.as_str(),
                &info.author,
                &block,
                &(FORMAT as i32),
                &rules_fingerprint,
            ])?;
            first += n;
        }
        w.finish()?;
    }
    {
        let copy = st.get(
            &mut tx,
            "COPY copydesk_sentences (id, source, rec) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::BYTEA]);
        let mut sid = next_sentence;
        for (i, sentences) in recs.iter().enumerate() {
            let id = next_source + i as i64;
            for s in sentences {
                w.write(&[&sid, &id, &s.rec])?;
                for &key in &s.posted {
                    postings.entry(k(key)).or_default().push(id32(sid as u32));
                }
                for &(fi, v) in &s.values {
                    values.entry(k(v)).or_default().push(fact_ref(sid as u32, fi));
                }
                sid += 1;
            }
        }
        w.finish()?;
    }
    {
        let copy = st.get(
            &mut tx,
            "COPY copydesk_postings (term, block, sentences) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::INT4_ARRAY]);
        for (term, ids) in &postings {
            w.write(&[term, &block, ids])?;
            df.insert(*term, ids.len() as i64);
        }
        w.finish()?;
    }
    {
        let copy = st.get(
            &mut tx,
            "COPY copydesk_values (value, block, refs) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::INT8_ARRAY]);
        for (value, refs) in &values {
            w.write(&[value, &block, refs])?;
            vn.insert(*value, refs.len() as i64);
        }
        w.finish()?;
    }
    let (terms, counts) = sorted(df);
    let stmt = st.get(
        &mut tx,
        "INSERT INTO copydesk_term_df (term, df) SELECT * FROM unnest($1::int8[], $2::int8[]) \
         ON CONFLICT (term) DO UPDATE SET df = copydesk_term_df.df + EXCLUDED.df",
    )?;
    tx.execute(&stmt, &[&terms, &counts])?;
    let (keys, counts) = sorted(vn);
    let stmt = st.get(
        &mut tx,
        "INSERT INTO copydesk_value_count (value, n) SELECT * FROM unnest($1::int8[], $2::int8[]) \
         ON CONFLICT (value) DO UPDATE SET n = copydesk_value_count.n + EXCLUDED.n",
    )?;
    tx.execute(&stmt, &[&keys, &counts])?;
    let new_names = write_names(
        &mut tx,
        st,
        seen,
        names.into_iter().enumerate().map(|(i, n)| (next_source + i as i64, n)),
    )?;
    notify(&mut tx, st, &paths)?;
    tx.commit()?;
    seen.words.extend(new_names.words);
    seen.known.extend(new_names.known);
    seen.spellings.extend(new_names.spellings);
    Ok(warnings)
}

/// The sources' names, their words' deletions and their capitalised
/// spellings, and each name spelling once; words and spellings `seen` in an
/// earlier batch are not sent again. Returns what this batch wrote, for
/// `seen` once the batch commits.
#[allow(clippy::type_complexity)]
fn write_names(
    tx: &mut Transaction<'_>,
    st: &mut Statements,
    seen: &SeenNames,
    sources: impl Iterator<Item = (i64, (Vec<String>, Vec<(String, Vec<String>)>))>,
) -> Result<NewNames, ArchiveError> {
    let mut known_all: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut words_new: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut spellings_new: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    {
        let copy = st.get(
            tx,
            "COPY copydesk_names (source, ord, display, words) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT4, Type::TEXT, Type::TEXT_ARRAY]);
        for (id, (known, names)) in sources {
            known_all.extend(known.into_iter().filter(|k| !seen.known.contains(k)));
            for (ord, (display, words)) in names.iter().enumerate() {
                w.write(&[&id, &(ord as i32), display, words])?;
                if !seen.spellings.contains(display) && !spellings_new.contains_key(display) {
                    spellings_new.insert(display.clone(), words.join(WORD_SEP));
                }
                for word in words {
                    if !seen.words.contains(word) && !words_new.contains(word) {
                        words_new.insert(word.clone());
                    }
                }
            }
        }
        w.finish()?;
    }
    // Every new word under itself and under each of its deletions, in key
    // order (so concurrent writers take index locks in the same order).
    let mut dels: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();
    for word in &words_new {
        dels.insert((word.clone(), word.clone()));
        for d in crate::names::word_deletions(word) {
            dels.insert((d, word.clone()));
        }
    }
    let known: Vec<String> = known_all.into_iter().collect();
    if !known.is_empty() {
        let stmt = st.get(
            tx,
            "INSERT INTO copydesk_known_words (word) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
        )?;
        tx.execute(&stmt, &[&known])?;
    }
    if !dels.is_empty() {
        let (d, ws): (Vec<String>, Vec<String>) = dels.into_iter().unzip();
        let stmt = st.get(tx, "INSERT INTO copydesk_name_deletes (del, word) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING")?;
        tx.execute(&stmt, &[&d, &ws])?;
    }
    if !spellings_new.is_empty() {
        let (ds, ws): (Vec<String>, Vec<String>) = spellings_new.into_iter().unzip();
        let stmt = st.get(
            tx,
            "INSERT INTO copydesk_name_spellings (display, words) \
             SELECT d, string_to_array(w, chr(31)) FROM unnest($1::text[], $2::text[]) u(d, w) ON CONFLICT DO NOTHING",
        )?;
        tx.execute(&stmt, &[&ds, &ws])?;
        return Ok(NewNames {
            words: words_new.into_iter().collect(),
            known,
            spellings: ds,
        });
    }
    Ok(NewNames {
        words: words_new.into_iter().collect(),
        known,
        spellings: Vec::new(),
    })
}
