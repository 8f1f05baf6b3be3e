//! The index kept on disk, so a corpus is analysed once, not at every start.
//!
//! One folder per corpus (keyed by its absolute root paths) under the user's
//! cache folder, or `[index] path` in `copydesk.toml`:
//!
//! - `seg-N.cdx`: immutable segments (see [`super::segment`]), each written
//!   under a temporary name, synced and renamed;
//! - `catalog.json`: which segments make the index, in order, which of their
//!   sources are dead (replaced or removed), files skipped with their warnings,
//!   the rules fingerprint and the format. Replaced by rename, so it always
//!   names whole segments: a process killed mid-write leaves at worst an
//!   orphan temporary file, removed at the next open;
//! - `lock`: an advisory file lock held while the catalog is read or changed,
//!   so a language server and a CI run can share one corpus.
//!
//! Opening checks every segment's hash; anything unreadable, corrupted, of
//! another format or built with other rules is rebuilt, never trusted. Then
//! the corpus is compared with the recorded file stamps (size and
//! modification time): unchanged files are not read, changed and new ones are
//! analysed into a new segment, removed ones are marked dead.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use super::segment::{self, Builder, Segment, Stamp};
use super::{Index, build_segments};
use crate::corpus::CorpusWarning;
use crate::rules::Rules;

/// Why the index could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Corpus(#[from] crate::corpus::MissingPath),
    #[error("index folder {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Segment(#[from] segment::SegmentError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A warning about a file, remembered so it is repeated (and a file that
/// could not be used is not read again) while the file is unchanged.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Note {
    path: PathBuf,
    size: u64,
    mtime: u64,
    message: String,
    /// The file is not in the index.
    skipped: bool,
    /// The inode change time (ns) when noted: a skipped file is read again
    /// when it moves, though size and modification time may stay (`chmod`
    /// of an unreadable file, a fix copied with its times kept). 0 in
    /// catalogs written before it was kept: such files are read again.
    #[serde(default)]
    ctime: u64,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Catalog {
    format: u32,
    rules: u64,
    roots: Vec<PathBuf>,
    /// Bumped by every change; a process that finds it moved since it read
    /// the catalog does not write over another's change.
    generation: u64,
    next: u64,
    segments: Vec<String>,
    /// The file identity of each segment when its hash was last checked: a
    /// segment whose size, times and inode are unchanged since is not read
    /// whole again (the inode change time cannot be set back by anyone who
    /// writes to the file).
    #[serde(default)]
    verified: std::collections::BTreeMap<String, FileId>,
    dead: Vec<u32>,
    notes: Vec<Note>,
}

/// What identifies a file's bytes without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct FileId {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: i64,
    mtime_ns: i64,
    ctime: i64,
    ctime_ns: i64,
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(FileId {
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: m.mtime(),
            mtime_ns: m.mtime_nsec(),
            ctime: m.ctime(),
            ctime_ns: m.ctime_nsec(),
        })
    }
}

/// How an open went.
#[derive(Debug, Clone, Default)]
pub struct OpenStats {
    /// Why the index was built from scratch, if it was.
    pub rebuilt: Option<String>,
    /// Sources analysed in this open (all of them on a rebuild).
    pub analysed: usize,
    /// Sources found removed.
    pub removed: usize,
    pub sources: usize,
    pub segments: usize,
    pub bytes: usize,
    /// Opened without comparing with the files; a refresh is due.
    pub stale: bool,
}

/// The on-disk side of an [`Index`].
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    catalog: Catalog,
    /// Set when another process changed the catalog since this one read it:
    /// later updates stay in memory.
    detached: bool,
}

/// The cache folder to use: `COPYDESK_CACHE_DIR`, else the configured one,
/// else the user's cache folder.
pub fn cache_root(configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("COPYDESK_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    configured
        .map(Path::to_path_buf)
        .or_else(|| dirs::cache_dir().map(|d| d.join("copydesk")))
}

/// The folder of a corpus's index under `root`.
pub fn corpus_dir(root: &Path, roots: &[PathBuf]) -> PathBuf {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for r in roots {
        h.update(r.as_os_str().as_encoded_bytes());
        h.update(b"\0");
    }
    root.join(format!("corpus-{:016x}", h.digest()))
}

/// Holds the folder's lock until dropped.
struct Locked(std::fs::File);

fn lock(dir: &Path) -> Result<Locked, StoreError> {
    let (f, path) = lock_file(dir)?;
    f.lock().map_err(io(&path))?;
    Ok(Locked(f))
}

/// The lock if it is free now, else `None`.
fn try_lock(dir: &Path) -> Result<Option<Locked>, StoreError> {
    let (f, path) = lock_file(dir)?;
    match f.try_lock() {
        Ok(()) => Ok(Some(Locked(f))),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(io(&path)(e)),
    }
}

fn lock_file(dir: &Path) -> Result<(std::fs::File, PathBuf), StoreError> {
    let path = dir.join("lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    Ok((f, path))
}

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

fn read_catalog(dir: &Path) -> Option<Catalog> {
    let text = std::fs::read(dir.join("catalog.json")).ok()?;
    serde_json::from_slice(&text).ok()
}

fn write_catalog(dir: &Path, c: &Catalog) -> Result<(), StoreError> {
    let path = dir.join("catalog.json");
    let tmp = dir.join("catalog.json.tmp");
    let bytes = serde_json::to_vec(c).expect("catalog serialises");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(&bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    std::fs::rename(&tmp, &path).map_err(io(&path))?;
    Ok(())
}

/// Test hook: abort the process after writing this many segments, to test
/// recovery from a build killed mid-way.
fn abort_after() -> Option<usize> {
    std::env::var_os("COPYDESK_TEST_HOOKS")?;
    std::env::var("COPYDESK_TEST_ABORT_AFTER_SEGMENTS").ok()?.parse().ok()
}

impl Store {
    fn write_segment(&mut self, b: Builder, rules: u64) -> Result<Segment, StoreError> {
        let name = format!("seg-{}.cdx", self.catalog.next);
        self.catalog.next += 1;
        let path = self.dir.join(&name);
        b.write_file(rules, &path)?;
        let seg = Segment::open_written(&path, rules)?;
        if let Some(id) = FileId::of(&path) {
            self.catalog.verified.insert(name.clone(), id);
        }
        self.catalog.segments.push(name);
        if let Some(n) = abort_after()
            && self.catalog.segments.len() >= n
        {
            tracing::error!("test hook: aborting after {n} segments");
            std::process::abort();
        }
        Ok(seg)
    }

    /// Merges segments `from..` into one (ids do not change), naming it in
    /// the catalog in their place. The caller writes the catalog; the old
    /// files are removed after that by [`clean`].
    fn compact(&mut self, segs: Vec<Segment>, from: usize, rules: u64) -> Result<Vec<Segment>, StoreError> {
        if segs.len() - from < 2 {
            return Ok(segs);
        }
        let name = format!("seg-{}.cdx", self.catalog.next);
        self.catalog.next += 1;
        let path = self.dir.join(&name);
        let started = std::time::Instant::now();
        {
            let parts: Vec<&Segment> = segs[from..].iter().collect();
            segment::merge(&parts, rules, &path)?;
        }
        let merged = Segment::open_written(&path, rules)?;
        if let Some(id) = FileId::of(&path) {
            self.catalog.verified.insert(name.clone(), id);
        }
        tracing::debug!(
            segments = segs.len() - from,
            ms = started.elapsed().as_millis() as u64,
            "segments merged"
        );
        let mut out = segs;
        out.truncate(from);
        out.push(merged);
        self.catalog.segments.truncate(from);
        self.catalog.segments.push(name);
        Ok(out)
    }

    /// Records a change made by [`Index::update_source`]: a new segment (or
    /// none, for a removal) and the dead set. Returns the segment to use,
    /// mapped from disk, or kept in memory when the catalog moved under us or
    /// the disk failed.
    pub(super) fn commit(&mut self, b: Option<Builder>, dead: &FxHashSet<u32>, rules: u64) -> Option<Segment> {
        if self.detached {
            return b.map(|b| b.finish(rules));
        }
        // Never wait: another process (or this server's own background
        // refresh) may hold the lock for seconds on an archive. The change is
        // used from memory; the next open finds the file changed on disk and
        // records it then.
        let lock = match try_lock(&self.dir) {
            Ok(Some(l)) => l,
            Ok(None) => {
                tracing::debug!("index busy; keeping this change in memory until the next open");
                return b.map(|b| b.finish(rules));
            }
            Err(e) => return self.detach(b, rules, &e.to_string()),
        };
        if read_catalog(&self.dir).map(|c| c.generation) != Some(self.catalog.generation) {
            return self.detach(b, rules, "index changed by another process");
        }
        let seg = match b {
            Some(b) => match self.write_segment(b, rules) {
                Ok(s) => Some(s),
                Err(e) => {
                    self.detached = true;
                    tracing::warn!("could not write the index: {e}");
                    return None;
                }
            },
            None => None,
        };
        self.catalog.dead = sorted(dead);
        self.catalog.generation += 1;
        if let Err(e) = write_catalog(&self.dir, &self.catalog) {
            tracing::warn!("could not write the index catalog: {e}");
            self.detached = true;
        }
        drop(lock);
        seg
    }

    fn detach(&mut self, b: Option<Builder>, rules: u64, why: &str) -> Option<Segment> {
        tracing::info!("{why}; keeping index changes in memory");
        self.detached = true;
        b.map(|b| b.finish(rules))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn sorted(set: &FxHashSet<u32>) -> Vec<u32> {
    let mut v: Vec<u32> = set.iter().copied().collect();
    v.sort_unstable();
    v
}

/// Opens (building or refreshing as needed) the index of the corpus under
/// `paths`, kept under `root`. Without `refresh`, an existing index is used
/// as it is, unchecked against the files (`OpenStats::stale`): the language
/// server answers at once and refreshes in the background.
pub fn open(
    paths: &[PathBuf],
    rules: &Rules,
    root: &Path,
    refresh_now: bool,
    boundary: Option<&Path>,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Index, OpenStats), StoreError> {
    // Canonical, so a corpus reached through a symlink or `..` shares one index.
    let mut roots: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| super::absolute(p)))
        .collect();
    roots.sort();
    roots.dedup();
    let dir = corpus_dir(root, &roots);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let _lock = lock(&dir)?;
    let started = std::time::Instant::now();
    let fp = rules.fingerprint;
    let mut stats = OpenStats::default();

    // Trust nothing that does not check out.
    let mut opened = match read_catalog(&dir) {
        None => Err("no index yet".to_string()),
        Some(c) if c.format != segment::FORMAT => Err("index format changed".into()),
        Some(c) if c.rules != fp => Err("rules changed".into()),
        Some(c) if c.roots != roots => Err("corpus folders changed".into()),
        Some(c) => {
            let mut c = c;
            let mut verified = false;
            let segs: Result<Vec<Segment>, _> = c
                .segments
                .iter()
                .map(|n| {
                    let path = dir.join(n);
                    let id = FileId::of(&path);
                    if id.is_some() && c.verified.get(n) == id.as_ref() {
                        Segment::open_written(&path, fp)
                    } else {
                        verified = true;
                        Segment::open(&path, fp)
                    }
                })
                .collect();
            if verified && segs.is_ok() {
                // Remember the check (the content did not change: no new generation).
                c.verified = c
                    .segments
                    .iter()
                    .filter_map(|n| FileId::of(&dir.join(n)).map(|id| (n.clone(), id)))
                    .collect();
                if let Err(e) = write_catalog(&dir, &c) {
                    tracing::debug!("cannot record segment checks: {e}");
                }
            }
            segs.map(|s| (c, s)).map_err(|e| format!("index damaged ({e})"))
        }
    };
    clean(&dir, opened.as_ref().ok().map(|(c, _)| c));

    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        "catalog and segments checked"
    );
    if !refresh_now && let Ok((catalog, segs)) = opened {
        let mut index = assemble(segs, &catalog);
        index.warnings = catalog
            .notes
            .iter()
            .map(|n| CorpusWarning {
                path: n.path.clone(),
                message: n.message.clone(),
            })
            .collect();
        let (segments, bytes) = index.segment_stats();
        let stats = OpenStats {
            stale: true,
            sources: index.source_count(),
            segments,
            bytes,
            ..OpenStats::default()
        };
        index.store = Some(Store {
            dir,
            catalog,
            detached: false,
        });
        return Ok((index, stats));
    }
    let (files, mut warnings) = crate::corpus::source_files(&roots, boundary)?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        files = files.len(),
        "corpus listed"
    );
    if let Err(why) = &opened {
        tracing::info!(dir = %dir.display(), "building the index: {why}");
        stats.rebuilt = Some(why.clone());
        let mut store = Store {
            dir: dir.clone(),
            catalog: Catalog {
                format: segment::FORMAT,
                rules: fp,
                roots: roots.clone(),
                ..Catalog::default()
            },
            detached: false,
        };
        let mut keys = super::KeyClaims::new(None);
        let (segs, w) = build_segments(&files, rules, &mut keys, 0, &mut progress, |b| {
            store.write_segment(b, fp)
        })?;
        store.catalog.notes = notes_of(&w);
        warnings.extend(w.into_iter().map(|w| w.warning));
        // One segment answers a lookup with one search, not one per segment.
        let segs = store.compact(segs, 0, fp)?;
        store.catalog.generation = 1;
        write_catalog(&dir, &store.catalog)?;
        clean(&dir, Some(&store.catalog));
        stats.analysed = files.len();
        opened = Ok((store.catalog, segs));
    }
    let (catalog, segs) = opened.expect("built above");

    let mut index = assemble(segs, &catalog);
    let mut store = Store {
        dir,
        catalog,
        detached: false,
    };

    if stats.rebuilt.is_none() {
        refresh(
            &mut index,
            &mut store,
            &files,
            rules,
            &mut warnings,
            &mut stats,
            &mut progress,
        )?;
    }
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "index open and current");
    index.warnings = warnings;
    let (segments, bytes) = index.segment_stats();
    stats.sources = index.source_count();
    stats.segments = segments;
    stats.bytes = bytes;
    index.store = Some(store);
    Ok((index, stats))
}

/// The index made of a catalog's segments, with its dead sources.
fn assemble(segs: Vec<Segment>, catalog: &Catalog) -> Index {
    let mut index = Index::empty();
    for s in segs {
        index.push(s, None);
    }
    index.dead = catalog.dead.iter().copied().collect();
    index
}

/// Brings an opened index up to date with the files on disk.
fn refresh(
    index: &mut Index,
    store: &mut Store,
    files: &[PathBuf],
    rules: &Rules,
    warnings: &mut Vec<CorpusWarning>,
    stats: &mut OpenStats,
    progress: &mut impl FnMut(usize, usize),
) -> Result<(), StoreError> {
    use rayon::prelude::*;
    // Live sources by path hash.
    let mut known: FxHashMap<u64, (u32, Stamp)> = FxHashMap::default();
    for p in &index.segs {
        for (l, row) in p.seg.rows().iter().enumerate() {
            let id = p.src_base + l as u32;
            if index.is_live(id) {
                known.insert(row.path_hash, (id, row.stamp));
            }
        }
    }
    let mut notes: FxHashMap<&Path, Vec<&Note>> = FxHashMap::default();
    for n in &store.catalog.notes {
        notes.entry(n.path.as_path()).or_default().push(n);
    }
    tracing::debug!(known = known.len(), "recorded stamps read");
    let stamps: Vec<Option<(Stamp, u64)>> = files
        .par_iter()
        .map(|f| {
            std::fs::metadata(f)
                .ok()
                .map(|m| (Stamp::of_metadata(&m), change_time(&m)))
        })
        .collect();
    let mut changed = Vec::new();
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    let mut kept_notes: Vec<Note> = Vec::new();
    for (f, stamp) in files.iter().zip(stamps) {
        let abs = super::absolute(f);
        let hit = known.get(&segment::path_hash(&abs)).copied();
        let recorded = notes.get(abs.as_path()).map(Vec::as_slice).unwrap_or(&[]);
        let unchanged_notes = |(stamp, ctime): &(Stamp, u64)| -> Vec<Note> {
            recorded
                .iter()
                .filter(|n| n.size == stamp.size && n.mtime == stamp.mtime)
                .filter(|n| !n.skipped || (n.ctime != 0 && n.ctime == *ctime))
                .map(|n| (*n).clone())
                .collect()
        };
        match (hit, stamp) {
            (Some((id, old)), Some(new)) if old.same_file(&new.0) => {
                seen.insert(id);
                kept_notes.extend(unchanged_notes(&new).into_iter().filter(|n| !n.skipped));
            }
            (Some((id, _)), _) => {
                index.dead.insert(id);
                seen.insert(id);
                changed.push(f.clone());
            }
            (None, Some(new)) if unchanged_notes(&new).iter().any(|n| n.skipped) => {
                kept_notes.extend(unchanged_notes(&new));
            }
            (None, _) => changed.push(f.clone()),
        }
    }
    // A data table reads the notes of its folder: a note changed, added or
    // removed re-reads the tables beside it.
    let removed: Vec<PathBuf> = known
        .values()
        .filter(|(id, _)| !seen.contains(id))
        .map(|(id, _)| index.source(*id).path)
        .collect();
    for table in crate::corpus::data::tables_noted_by(changed.iter().chain(&removed), files) {
        if changed.contains(&table) {
            continue;
        }
        if let Some((id, _)) = known.get(&segment::path_hash(&super::absolute(&table))) {
            index.dead.insert(*id);
            seen.insert(*id);
        }
        changed.push(table);
    }
    for (id, _) in known.values() {
        if !seen.contains(id) {
            index.dead.insert(*id);
            stats.removed += 1;
        }
    }
    stats.analysed = changed.len();
    let dirty = !changed.is_empty() || stats.removed > 0 || kept_notes.len() != store.catalog.notes.len();
    let fp = rules.fingerprint;
    let mut new_segs = Vec::new();
    if !changed.is_empty() {
        let mut keys = super::KeyClaims::new(Some(index));
        let (segs, w) = build_segments(&changed, rules, &mut keys, 0, progress, |b| store.write_segment(b, fp))?;
        kept_notes.extend(notes_of(&w));
        new_segs = segs;
    }
    // Warnings in corpus order: kept notes first, then those of files just read.
    warnings.extend(kept_notes.iter().map(|n| CorpusWarning {
        path: n.path.clone(),
        message: n.message.clone(),
    }));
    if !dirty {
        return Ok(());
    }
    for s in new_segs {
        index.push(s, None);
    }
    // Changes pile up as small segments after the first; past a few, they
    // are merged into one (ids stay, so the dead list stays right).
    if store.catalog.segments.len() > MAX_SEGMENTS {
        let segs: Vec<Segment> = std::mem::take(&mut index.segs).into_iter().map(|p| p.seg).collect();
        let segs = store.compact(segs, 1, fp)?;
        index.n_sources = 0;
        index.n_sentences = 0;
        for s in segs {
            index.push(s, None);
        }
    }
    store.catalog.notes = kept_notes;
    store.catalog.dead = sorted(&index.dead);
    store.catalog.generation += 1;
    write_catalog(&store.dir, &store.catalog)?;
    clean(&store.dir, Some(&store.catalog));
    Ok(())
}

/// Segments an index may have before the changes after the first are merged.
const MAX_SEGMENTS: usize = 8;

fn notes_of(w: &[super::FileWarning]) -> Vec<Note> {
    w.iter()
        .map(|w| Note {
            path: super::absolute(&w.warning.path),
            size: w.stamp.size,
            mtime: w.stamp.mtime,
            message: w.warning.message.clone(),
            skipped: w.skipped,
            ctime: std::fs::metadata(&w.warning.path).map_or(0, |m| change_time(&m)),
        })
        .collect()
}

/// A file's inode change time in nanoseconds: moved by every write and by
/// `chmod`, and not settable by those who write the file.
fn change_time(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    (m.ctime().max(0) as u64).saturating_mul(1_000_000_000) + m.ctime_nsec().max(0) as u64
}

/// Removes files the catalog does not name: temporaries of interrupted
/// writes, and segments of a discarded index.
fn clean(dir: &Path, keep: Option<&Catalog>) {
    let keep: HashSet<&str> = keep
        .map(|c| c.segments.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with("seg-") || name.ends_with(".tmp");
        if ours && !keep.contains(name.as_ref()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
