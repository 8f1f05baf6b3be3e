//! Ingesting a corpus into the archive: incremental (files whose size and
//! modification time match what the archive recorded are not read; a file
//! read again whose bytes hash the same is only re-stamped), each file in one
//! transaction (a connection lost mid-file leaves the archive as it was
//! before that file), rows written with binary `COPY`.
//!
//! Files are read and analysed in parallel, a chunk at a time (memory holds
//! one chunk), and written in corpus order, so a fresh archive numbers
//! sources and sentences as the embedded index does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Archive, ArchiveError, k};
use crate::corpus::{CorpusWarning, ReadOutcome, Source};
use crate::extract::Analyzer;
use crate::index::{SentenceRec, Stamp, analyze_source, info_of};
use crate::rules::Rules;

/// The channel `copydesk index --database` notifies after each file, for
/// language servers to re-check their open drafts.
pub const CHANNEL: &str = "copydesk_archive";

/// Files analysed in parallel before they are written.
const CHUNK: usize = 256;

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
}

/// One source read and analysed.
struct Analysed {
    source: Source,
    sentences: Vec<SentenceRec>,
    stamp: Stamp,
    warning: Option<CorpusWarning>,
}

fn stamp_of(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| Stamp::of_metadata(&m))
}

fn analyse(an: &mut Analyzer<'_>, path: &Path) -> Result<Analysed, CorpusWarning> {
    let stamp = stamp_of(path).ok_or_else(|| CorpusWarning {
        path: path.to_path_buf(),
        message: "cannot read".into(),
    })?;
    match crate::corpus::read_source(path) {
        ReadOutcome::Source(mut s, warning) => {
            let sentences = analyze_source(an, &s, 0);
            s.blocks = Vec::new();
            let stamp = Stamp {
                hash: xxhash_rust::xxh3::xxh3_64(s.text.as_bytes()),
                ..stamp
            };
            Ok(Analysed {
                source: *s,
                sentences,
                stamp,
                warning,
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
        "SELECT path, size, mtime, hash FROM copydesk_sources \
         WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) r WHERE path = r OR starts_with(path, r || '/'))",
        &[&roots],
    )? {
        recorded.insert(
            row.get(0),
            Recorded {
                size: row.get(1),
                mtime: row.get(2),
                hash: row.get(3),
            },
        );
    }
    let mut todo = Vec::new();
    let mut seen = FxHashSet::default();
    for f in &files {
        let p = key_path(f);
        let unchanged = recorded
            .get(&p)
            .is_some_and(|r| stamp_of(f).is_some_and(|s| s.size as i64 == r.size && s.mtime as i64 == r.mtime));
        if unchanged {
            stats.unchanged += 1;
        } else {
            todo.push(f.clone());
        }
        seen.insert(p);
    }
    let mut st = Statements::default();
    let gone: Vec<String> = recorded.keys().filter(|p| !seen.contains(*p)).cloned().collect();
    for p in &gone {
        let mut tx = client.transaction()?;
        lock(&mut tx, &mut st)?;
        if remove(&mut tx, &mut st, p)? {
            stats.removed += 1;
        }
        notify(&mut tx, &mut st, p)?;
        tx.commit()?;
    }
    let total = todo.len();
    let mut done = 0;
    progress(0, total);
    for chunk in todo.chunks(CHUNK) {
        let analysed: Vec<_> = chunk
            .par_iter()
            .map_init(|| Analyzer::new(rules), |an, f| analyse(an, f))
            .collect();
        for item in analysed {
            match item {
                Ok(a) => {
                    let p = key_path(&a.source.path);
                    stats.bytes += a.source.text.len() as u64;
                    if let Some(r) = recorded.get(&p)
                        && r.hash == k(a.stamp.hash)
                    {
                        client.execute(
                            "UPDATE copydesk_sources SET size = $2, mtime = $3 WHERE path = $1",
                            &[&p, &(a.stamp.size as i64), &(a.stamp.mtime as i64)],
                        )?;
                        stats.restamped += 1;
                        continue;
                    }
                    stats.warnings.extend(a.warning.clone());
                    stats.warnings.extend(write(client, &mut st, a, &p, rules)?);
                    stats.written += 1;
                }
                Err(w) => stats.warnings.push(w),
            }
        }
        done += chunk.len();
        progress(done, total);
    }
    Ok(stats)
}

/// The ingest's statements, each prepared once on its connection (a
/// prepared statement outlives the transaction it was prepared in): a file's
/// write is then one round trip per statement, not two.
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

/// Takes the archive's write lock (its counters row) for this transaction.
fn lock(tx: &mut Transaction<'_>, st: &mut Statements) -> Result<(), ArchiveError> {
    let stmt = st.get(tx, "SELECT 1 FROM copydesk_counters FOR UPDATE")?;
    tx.execute(&stmt, &[])?;
    Ok(())
}

fn notify(tx: &mut Transaction<'_>, st: &mut Statements, path: &str) -> Result<(), ArchiveError> {
    let stmt = st.get(tx, "SELECT pg_notify($1, $2)")?;
    tx.execute(&stmt, &[&CHANNEL, &path])?;
    Ok(())
}

/// Removes the source recorded at `path`, with its rows and counts.
fn remove(tx: &mut Transaction<'_>, st: &mut Statements, path: &str) -> Result<bool, ArchiveError> {
    let stmt = st.get(
        tx,
        "SELECT id, sent_end - sent_start FROM copydesk_sources WHERE path = $1",
    )?;
    let Some(row) = tx.query_opt(&stmt, &[&path])? else {
        return Ok(false);
    };
    let (id, n): (i64, i64) = (row.get(0), row.get(1));
    let stmt = st.get(
        tx,
        "UPDATE copydesk_term_df d SET df = d.df - x.c \
         FROM (SELECT term, count(*) AS c FROM copydesk_postings WHERE source = $1 GROUP BY term) x \
         WHERE d.term = x.term",
    )?;
    tx.execute(&stmt, &[&id])?;
    let stmt = st.get(
        tx,
        "UPDATE copydesk_value_count d SET n = d.n - x.c \
         FROM (SELECT value, count(*) AS c FROM copydesk_values WHERE source = $1 GROUP BY value) x \
         WHERE d.value = x.value",
    )?;
    tx.execute(&stmt, &[&id])?;
    let stmt = st.get(tx, "DELETE FROM copydesk_postings WHERE source = $1")?;
    tx.execute(&stmt, &[&id])?;
    let stmt = st.get(tx, "DELETE FROM copydesk_values WHERE source = $1")?;
    tx.execute(&stmt, &[&id])?;
    let stmt = st.get(tx, "DELETE FROM copydesk_sentences WHERE source = $1")?;
    tx.execute(&stmt, &[&id])?;
    let stmt = st.get(tx, "DELETE FROM copydesk_names WHERE source = $1")?;
    tx.execute(&stmt, &[&id])?;
    let stmt = st.get(tx, "DELETE FROM copydesk_sources WHERE id = $1")?;
    tx.execute(&stmt, &[&id])?;
    let stmt = st.get(
        tx,
        "UPDATE copydesk_counters SET sentences = sentences - $1, sources = sources - 1",
    )?;
    tx.execute(&stmt, &[&n])?;
    Ok(true)
}

/// Writes one source (replacing any earlier version at its path) in one
/// transaction. Returns a warning when its key was taken.
fn write(
    client: &mut postgres::Client,
    st: &mut Statements,
    a: Analysed,
    path: &str,
    rules: &Rules,
) -> Result<Option<CorpusWarning>, ArchiveError> {
    let Analysed {
        mut source,
        sentences,
        stamp,
        ..
    } = a;
    let mut tx = client.transaction()?;
    lock(&mut tx, st)?;
    remove(&mut tx, st, path)?;
    let n = sentences.len() as i64;
    let stmt = st.get(
        &mut tx,
        "UPDATE copydesk_counters SET next_source = next_source + 1, next_sentence = next_sentence + $1, \
         sentences = sentences + $1, sources = sources + 1 RETURNING next_source - 1, next_sentence - $1",
    )?;
    let row = tx.query_one(&stmt, &[&n])?;
    let (id, first): (i64, i64) = (row.get(0), row.get(1));
    if first + n > i64::from(u32::MAX) || id >= i64::from(u32::MAX) {
        return Err(ArchiveError::Other(
            "the archive is full: sentence ids past 2^32".into(),
        ));
    }
    let mut key_err = None;
    let taken = st.get(&mut tx, "SELECT 1 FROM copydesk_sources WHERE key = $1")?;
    let warning = crate::corpus::claim_key(&mut source, |key| match tx.query_opt(&taken, &[&key]) {
        Ok(r) => r.is_some(),
        Err(e) => {
            key_err = Some(e);
            false
        }
    });
    if let Some(e) = key_err {
        return Err(e.into());
    }
    let info = info_of(&source);
    let stmt = st.get(
        &mut tx,
        "INSERT INTO copydesk_sources (id, path, key, title, date, url, publisher, size, mtime, hash, \
         sent_start, sent_end, figures, body, format, author) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )?;
    tx.execute(
        &stmt,
        &[
            &id,
            &path,
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
            &(sentences.iter().map(|s| s.figures.len()).sum::<usize>() as i32),
            &source.text,
            &info.format.as_str(),
            &info.author,
        ],
    )?;
    let mut df: FxHashMap<i64, i64> = FxHashMap::default();
    let mut vn: FxHashMap<i64, i64> = FxHashMap::default();
    {
        let copy = st.get(
            &mut tx,
            "COPY copydesk_sentences (id, source, rec) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::BYTEA]);
        for (i, s) in sentences.iter().enumerate() {
            let rec = postcard::to_stdvec(s).map_err(|e| ArchiveError::Other(e.to_string()))?;
            w.write(&[&(first + i as i64), &id, &rec])?;
        }
        w.finish()?;
    }
    {
        let copy = st.get(
            &mut tx,
            "COPY copydesk_postings (term, sentence, source) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::INT8]);
        let mut seen = FxHashSet::default();
        for (i, s) in sentences.iter().enumerate() {
            let sid = first + i as i64;
            seen.clear();
            // The same keys, once per sentence, as the embedded segment posts.
            let keys = s.terms.iter().map(|t| t.key).chain(
                s.keys
                    .iter()
                    .flat_map(|kk| std::iter::once(kk.dim).chain(kk.values().iter().copied())),
            );
            for key in keys {
                if seen.insert(key) {
                    w.write(&[&k(key), &sid, &id])?;
                    *df.entry(k(key)).or_default() += 1;
                }
            }
        }
        w.finish()?;
    }
    {
        let copy = st.get(
            &mut tx,
            "COPY copydesk_values (value, sentence, figure, source) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::INT4, Type::INT8]);
        for (i, s) in sentences.iter().enumerate() {
            let sid = first + i as i64;
            for (fi, kk) in s.keys.iter().enumerate() {
                for &v in kk.values() {
                    w.write(&[&k(v), &sid, &(fi as i32), &id])?;
                    *vn.entry(k(v)).or_default() += 1;
                }
            }
        }
        w.finish()?;
    }
    let (terms, counts): (Vec<i64>, Vec<i64>) = df.into_iter().unzip();
    let stmt = st.get(
        &mut tx,
        "INSERT INTO copydesk_term_df (term, df) SELECT * FROM unnest($1::int8[], $2::int8[]) \
         ON CONFLICT (term) DO UPDATE SET df = copydesk_term_df.df + EXCLUDED.df",
    )?;
    tx.execute(&stmt, &[&terms, &counts])?;
    let (values, counts): (Vec<i64>, Vec<i64>) = vn.into_iter().unzip();
    let stmt = st.get(
        &mut tx,
        "INSERT INTO copydesk_value_count (value, n) SELECT * FROM unnest($1::int8[], $2::int8[]) \
         ON CONFLICT (value) DO UPDATE SET n = copydesk_value_count.n + EXCLUDED.n",
    )?;
    tx.execute(&stmt, &[&values, &counts])?;
    write_names(&mut tx, st, id, &source.text, rules)?;
    notify(&mut tx, st, path)?;
    tx.commit()?;
    Ok(warning)
}

/// The source's names, their words' deletions and its capitalised spellings.
fn write_names(
    tx: &mut Transaction<'_>,
    st: &mut Statements,
    id: i64,
    text: &str,
    rules: &Rules,
) -> Result<(), ArchiveError> {
    let (known, names) = crate::names::text_names(text, rules);
    let known: Vec<String> = known
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let stmt = st.get(
        tx,
        "INSERT INTO copydesk_known_words (word) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
    )?;
    tx.execute(&stmt, &[&known])?;
    let mut dels: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();
    {
        let copy = st.get(
            tx,
            "COPY copydesk_names (source, ord, display, words) FROM STDIN (FORMAT binary)",
        )?;
        let sink = tx.copy_in(&copy)?;
        let mut w = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT4, Type::TEXT, Type::TEXT_ARRAY]);
        for (ord, (display, words)) in names.iter().enumerate() {
            w.write(&[&id, &(ord as i32), display, words])?;
            for word in words {
                dels.insert((word.clone(), word.clone()));
                for d in crate::names::word_deletions(word) {
                    dels.insert((d, word.clone()));
                }
            }
        }
        w.finish()?;
    }
    let (d, ws): (Vec<String>, Vec<String>) = dels.into_iter().unzip();
    let stmt = st.get(tx, "INSERT INTO copydesk_name_deletes (del, word) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING")?;
    tx.execute(&stmt, &[&d, &ws])?;
    Ok(())
}
