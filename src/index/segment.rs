//! One immutable piece of the index, laid out so it is used in place: mapped
//! from disk or held in memory, never parsed as a whole.
//!
//! A segment is a header and twelve sections, each 8-byte aligned:
//!
//! | section        | contents                                              |
//! |----------------|-------------------------------------------------------|
//! | `ROWS`         | one [`SourceRow`] per source (fixed size)             |
//! | `META`         | postcard-encoded [`SourceInfo`]s, found through rows  |
//! | `SENT_OFFS`    | `u64` offset of each sentence record, plus the end    |
//! | `SENTS`        | postcard-encoded [`SentenceRec`]s                     |
//! | `POST_KEYS`    | sorted term keys                                      |
//! | `POST_OFFS`    | `u64` start of each key's postings, plus the end      |
//! | `POST_IDS`     | `u32` local sentence ids, ascending per key           |
//! | `VAL_KEYS`, `VAL_OFFS`, `VAL_REFS` | the same for value keys → [`FactPod`] |
//! | `BY_PATH`, `BY_KEY` | sorted (hash, local source id) pairs             |
//! | `SENT_SRC`     | `u32` local source id of each sentence                |
//! | `POST_SPARSE`, `VAL_SPARSE` | every [`SPARSE`]th key, to find a key's block |
//!
//! A key is found by a binary search in its sparse table, then in one block
//! of [`SPARSE`] keys (one page), so a lookup touches two pages however large
//! the segment: a check reads a few megabytes of a multi-gigabyte index.
//!
//! Fixed-size tables are read with `bytemuck` casts (no copy); records are
//! decoded one at a time when asked for. The header holds an xxh3 hash of the
//! body, checked when the segment is opened, so a torn or corrupted file is
//! never trusted.

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use bytemuck::{Pod, Zeroable};
use rustc_hash::FxHashMap;

use super::SentenceRec;

/// File magic, and the layout version: bump `FORMAT` whenever the layout or
/// any encoded type changes, and whenever extraction reads a text
/// differently, since a segment stores the facts it read.
pub const MAGIC: [u8; 8] = *b"CDXSEG\0\0";
/// 5: sentences longer than `text::WINDOW_SOFT` tokens are stored as windows
/// (4), each member of a list of figures carries its subject (5), a data
/// cell takes its column header's unit and is no year outside a column of
/// years (6), the earlier value of a revision takes the newer one's unit (7), and a
/// financial year or season ("2023-24") is one date (10); a data table's rendition opens with
/// its period (11).
pub const FORMAT: u32 = 28;
const ENDIAN: u32 = 0x0102_0304;
const NSEC: usize = 15;
const ROWS: usize = 0;
const META: usize = 1;
const SENT_OFFS: usize = 2;
const SENTS: usize = 3;
const POST_KEYS: usize = 4;
const POST_OFFS: usize = 5;
const POST_IDS: usize = 6;
const VAL_KEYS: usize = 7;
const VAL_OFFS: usize = 8;
const VAL_REFS: usize = 9;
const BY_PATH: usize = 10;
const BY_KEY: usize = 11;
const SENT_SRC: usize = 12;
const POST_SPARSE: usize = 13;
const VAL_SPARSE: usize = 14;
/// Keys per block of the sparse tables: 512 keys are one 4 KiB page.
pub const SPARSE: usize = 512;
/// Size of the blocks hashed separately (in parallel) for the body hash.
const HASH_BLOCK: usize = 8 << 20;

/// The fixed header at offset 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct Header {
    magic: [u8; 8],
    format: u32,
    endian: u32,
    pub rules: u64,
    body_hash: u64,
    pub sources: u32,
    pub sentences: u32,
    /// Figures in all sentences.
    pub facts: u64,
    /// (offset, length) of each section, from the start of the file.
    sections: [[u64; 2]; NSEC],
}

const HEADER_LEN: usize = std::mem::size_of::<Header>();

/// What identifies a file's content without reading it, plus its hash.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Pod, Zeroable)]
pub struct Stamp {
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime: u64,
    /// xxh3 of the bytes read.
    pub hash: u64,
}

impl Stamp {
    /// Size and modification time of a file (the hash is left 0).
    pub fn of_metadata(m: &std::fs::Metadata) -> Stamp {
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Stamp {
            size: m.len(),
            mtime,
            hash: 0,
        }
    }

    /// Same size and modification time.
    pub fn same_file(&self, other: &Stamp) -> bool {
        self.size == other.size && self.mtime == other.mtime
    }
}

/// A source in a segment: where its metadata and sentences are.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct SourceRow {
    pub path_hash: u64,
    pub key_hash: u64,
    pub stamp: Stamp,
    meta_off: u64,
    meta_len: u32,
    pub sent_start: u32,
    pub sent_end: u32,
    _pad: u32,
}

/// A figure in a segment: local sentence id and figure position.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Pod, Zeroable)]
pub struct FactPod {
    pub sentence: u32,
    pub figure: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
struct HashPair {
    hash: u64,
    id: u32,
    _pad: u32,
}

/// What the index keeps of a source: enough to cite and find it. The text is
/// read from the file when needed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceInfo {
    pub key: String,
    pub title: String,
    pub path: PathBuf,
    pub date: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    /// How the file is read: as it is, or through an extracted rendition
    /// (whose text [`crate::index::Index::source_text`] gives).
    pub format: crate::corpus::Format,
}

/// Why a segment cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> SegmentError {
    SegmentError::Invalid(msg.into())
}

/// The hash of a path as the index keys it (absolute, as given).
pub fn path_hash(path: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_os_str().as_encoded_bytes())
}

pub fn key_hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

/// The bytes of a segment: owned (8-byte aligned) or mapped from a file.
enum Bytes {
    Owned(Vec<u64>),
    Mapped(memmap2::Mmap),
}

impl Bytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => bytemuck::cast_slice(v),
            Bytes::Mapped(m) => m,
        }
    }
}

/// A segment ready to be read.
pub struct Segment {
    bytes: Bytes,
    header: Header,
}

impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segment")
            .field("sources", &self.header.sources)
            .field("sentences", &self.header.sentences)
            .field("bytes", &self.bytes.as_slice().len())
            .finish()
    }
}

impl Segment {
    /// Maps a segment file and checks it whole: header, rules fingerprint,
    /// section bounds and the body hash.
    pub fn open(path: &Path, rules: u64) -> Result<Segment, SegmentError> {
        Segment::open_checked(path, rules, true)
    }

    /// Maps a segment this process has just written and synced, skipping the
    /// body hash (computed while writing); the structure is still checked.
    pub fn open_written(path: &Path, rules: u64) -> Result<Segment, SegmentError> {
        Segment::open_checked(path, rules, false)
    }

    fn open_checked(path: &Path, rules: u64, check_hash: bool) -> Result<Segment, SegmentError> {
        let io = |source| SegmentError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // The hash is checked by reading the file, not the mapping, so the
        // check does not fill this process's resident set.
        let len = file.metadata().map_err(io)?.len() as usize;
        if len < HEADER_LEN {
            return Err(invalid("segment shorter than its header"));
        }
        let mut head = [0u8; HEADER_LEN];
        {
            use std::os::unix::fs::FileExt;
            file.read_exact_at(&mut head, 0).map_err(io)?;
        }
        let header: Header = bytemuck::pod_read_unaligned(&head);
        if check_hash && header.magic == MAGIC && file_body_hash(&file, len).map_err(io)? != header.body_hash {
            return Err(invalid("checksum mismatch (corrupted or torn write)"));
        }
        // SAFETY: segment files are written once under a temporary name and
        // renamed into place; no process writes to a published segment, and
        // removing it leaves this mapping valid (the inode lives on).
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        // Lookups jump around; read-ahead would only fill memory.
        let _ = map.advise(memmap2::Advice::Random);
        Segment::from_bytes(Bytes::Mapped(map), rules, false)
    }

    fn from_bytes(bytes: Bytes, rules: u64, check_hash: bool) -> Result<Segment, SegmentError> {
        let b = bytes.as_slice();
        if b.len() < HEADER_LEN {
            return Err(invalid("segment shorter than its header"));
        }
        let header: Header = bytemuck::pod_read_unaligned(&b[..HEADER_LEN]);
        if header.magic != MAGIC || header.endian != ENDIAN {
            return Err(invalid("not a copydesk index segment"));
        }
        if header.format != FORMAT {
            return Err(invalid(format!("index format {} (expected {FORMAT})", header.format)));
        }
        if header.rules != rules {
            return Err(invalid("built with other rules"));
        }
        for [off, len] in header.sections {
            let end = off.checked_add(len).ok_or_else(|| invalid("section out of bounds"))?;
            if off % 8 != 0 || end > b.len() as u64 {
                return Err(invalid("section out of bounds"));
            }
        }
        if check_hash && body_hash(&b[HEADER_LEN..]) != header.body_hash {
            return Err(invalid("checksum mismatch (corrupted or torn write)"));
        }
        let seg = Segment { bytes, header };
        seg.validate()?;
        Ok(seg)
    }

    /// Structural checks that make every later lookup in-bounds.
    fn validate(&self) -> Result<(), SegmentError> {
        let n_src = self.header.sources as usize;
        let n_sent = self.header.sentences as usize;
        let rows = self.try_table::<SourceRow>(ROWS)?;
        let sent_offs = self.try_table::<u64>(SENT_OFFS)?;
        if rows.len() != n_src || sent_offs.len() != n_sent + 1 {
            return Err(invalid("table sizes disagree with the header"));
        }
        let post = (
            self.try_table::<u64>(POST_KEYS)?,
            self.try_table::<u64>(POST_OFFS)?,
            self.try_table::<u32>(POST_IDS)?,
        );
        let vals = (
            self.try_table::<u64>(VAL_KEYS)?,
            self.try_table::<u64>(VAL_OFFS)?,
            self.try_table::<FactPod>(VAL_REFS)?,
        );
        if post.1.len() != post.0.len() + 1 || post.1.last().copied() != Some(post.2.len() as u64) {
            return Err(invalid("postings tables disagree"));
        }
        if vals.1.len() != vals.0.len() + 1 || vals.1.last().copied() != Some(vals.2.len() as u64) {
            return Err(invalid("value tables disagree"));
        }
        if sent_offs.last().copied() != Some(self.section(SENTS).len() as u64) {
            return Err(invalid("sentence table disagrees"));
        }
        if self.try_table::<u32>(SENT_SRC)?.len() != n_sent {
            return Err(invalid("sentence sources disagree"));
        }
        if self.try_table::<u64>(POST_SPARSE)?.len() != post.0.len().div_ceil(SPARSE)
            || self.try_table::<u64>(VAL_SPARSE)?.len() != vals.0.len().div_ceil(SPARSE)
        {
            return Err(invalid("sparse tables disagree"));
        }
        self.try_table::<HashPair>(BY_PATH)?;
        self.try_table::<HashPair>(BY_KEY)?;
        Ok(())
    }

    fn section(&self, i: usize) -> &[u8] {
        let [off, len] = self.header.sections[i];
        &self.bytes.as_slice()[off as usize..(off + len) as usize]
    }

    fn try_table<T: Pod>(&self, i: usize) -> Result<&[T], SegmentError> {
        bytemuck::try_cast_slice(self.section(i)).map_err(|e| invalid(format!("section {i}: {e}")))
    }

    fn table<T: Pod>(&self, i: usize) -> &[T] {
        // Checked in `validate`.
        self.try_table(i).unwrap_or(&[])
    }

    pub fn source_count(&self) -> u32 {
        self.header.sources
    }

    pub fn sentence_count(&self) -> u32 {
        self.header.sentences
    }

    pub fn is_mapped(&self) -> bool {
        matches!(self.bytes, Bytes::Mapped(_))
    }

    /// Drops the pages of a mapped segment from this process's resident set;
    /// they stay in the page cache and fault back when read again.
    pub fn release_pages(&self) {
        if let Bytes::Mapped(m) = &self.bytes {
            // SAFETY: the mapping is read-only and file-backed: dropped pages
            // are re-read from the (immutable) file on next access.
            let _ = unsafe { m.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }

    pub fn fact_count(&self) -> u64 {
        self.header.facts
    }

    pub fn byte_len(&self) -> usize {
        self.bytes.as_slice().len()
    }

    pub fn rows(&self) -> &[SourceRow] {
        self.table(ROWS)
    }

    /// A source's metadata.
    pub fn info(&self, local: u32) -> Option<SourceInfo> {
        let row = self.rows().get(local as usize)?;
        let meta = self.section(META);
        let bytes = meta.get(row.meta_off as usize..row.meta_off as usize + row.meta_len as usize)?;
        postcard::from_bytes(bytes).ok()
    }

    /// A sentence record, its `source` set to the local source id.
    pub fn sentence(&self, local: u32) -> Option<SentenceRec> {
        let offs = self.table::<u64>(SENT_OFFS);
        let start = *offs.get(local as usize)? as usize;
        let end = *offs.get(local as usize + 1)? as usize;
        let mut s: SentenceRec = postcard::from_bytes(self.section(SENTS).get(start..end)?).ok()?;
        s.source = self.source_of(local)?;
        Some(s)
    }

    /// Local ids of the sentences containing a term key, ascending.
    pub fn postings(&self, key: u64) -> &[u32] {
        lookup(
            self.table(POST_SPARSE),
            self.table(POST_KEYS),
            self.table(POST_OFFS),
            self.table(POST_IDS),
            key,
        )
    }

    pub fn values(&self, key: u64) -> &[FactPod] {
        lookup(
            self.table(VAL_SPARSE),
            self.table(VAL_KEYS),
            self.table(VAL_OFFS),
            self.table(VAL_REFS),
            key,
        )
    }

    pub fn by_path_hash(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        pairs(self.table(BY_PATH), hash)
    }

    pub fn by_key_hash(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        pairs(self.table(BY_KEY), hash)
    }

    /// The local source a local sentence belongs to.
    pub fn source_of(&self, sentence: u32) -> Option<u32> {
        self.table::<u32>(SENT_SRC).get(sentence as usize).copied()
    }
}

/// Finds `key`'s items: its block through the sparse table, then the key in
/// that block.
fn lookup<'a, T: Pod>(sparse: &[u64], keys: &[u64], offs: &[u64], items: &'a [T], key: u64) -> &'a [T] {
    let block = sparse.partition_point(|&k| k <= key);
    if block == 0 {
        return &[];
    }
    let start = (block - 1) * SPARSE;
    let end = (start + SPARSE).min(keys.len());
    match keys[start..end].binary_search(&key) {
        Ok(i) => {
            let i = start + i;
            let (a, b) = (offs[i] as usize, offs[i + 1] as usize);
            items.get(a..b).unwrap_or(&[])
        }
        Err(_) => &[],
    }
}

fn pairs(table: &[HashPair], hash: u64) -> impl Iterator<Item = u32> + '_ {
    let start = table.partition_point(|p| p.hash < hash);
    table[start..].iter().take_while(move |p| p.hash == hash).map(|p| p.id)
}

/// The body hash: xxh3 of each block (in parallel), then of the block hashes.
fn body_hash(body: &[u8]) -> u64 {
    use rayon::prelude::*;
    let blocks: Vec<u64> = body.par_chunks(HASH_BLOCK).map(xxhash_rust::xxh3::xxh3_64).collect();
    xxhash_rust::xxh3::xxh3_64(bytemuck::cast_slice(&blocks))
}

/// [`body_hash`] of a file's body, read block by block (in parallel).
fn file_body_hash(file: &std::fs::File, len: usize) -> std::io::Result<u64> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt;
    let body = len - HEADER_LEN;
    let blocks: std::io::Result<Vec<u64>> = (0..body.div_ceil(HASH_BLOCK))
        .into_par_iter()
        .map_init(
            || vec![0u8; HASH_BLOCK],
            |buf, i| {
                let start = i * HASH_BLOCK;
                let n = HASH_BLOCK.min(body - start);
                file.read_exact_at(&mut buf[..n], (HEADER_LEN + start) as u64)?;
                Ok(xxhash_rust::xxh3::xxh3_64(&buf[..n]))
            },
        )
        .collect();
    Ok(xxhash_rust::xxh3::xxh3_64(bytemuck::cast_slice(&blocks?)))
}

/// Collects sources and their sentences into a segment.
#[derive(Default)]
pub struct Builder {
    rows: Vec<SourceRow>,
    meta: Vec<u8>,
    sent_offs: Vec<u64>,
    sents: Vec<u8>,
    postings: FxHashMap<u64, Vec<u32>>,
    values: FxHashMap<u64, Vec<FactPod>>,
    sent_src: Vec<u32>,
    facts: u64,
}

impl Builder {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn source_count(&self) -> usize {
        self.rows.len()
    }

    /// An empty builder with room for what this one holds: the segments of
    /// one build are alike, so the next one fills without regrowing (each
    /// doubling of a record buffer tens of megabytes long copies it).
    pub fn like(&self) -> Builder {
        Builder {
            rows: Vec::with_capacity(self.rows.len()),
            meta: Vec::with_capacity(self.meta.len()),
            sent_offs: Vec::with_capacity(self.sent_offs.len()),
            sents: Vec::with_capacity(self.sents.len()),
            postings: FxHashMap::with_capacity_and_hasher(self.postings.len(), Default::default()),
            values: FxHashMap::with_capacity_and_hasher(self.values.len(), Default::default()),
            sent_src: Vec::with_capacity(self.sent_src.len()),
            facts: 0,
        }
    }

    /// Adds a source; its sentences' `source` fields are ignored (the
    /// segment-local id is written instead).
    pub fn add(&mut self, info: &SourceInfo, stamp: Stamp, sentences: Vec<SentenceRec>) {
        self.add_prepared(info, stamp, Prepared::new(sentences));
    }

    /// Adds a source whose records were encoded by [`Prepared::new`]: only
    /// appending is left, so a build can encode sources on every core and
    /// add them in order on one.
    pub fn add_prepared(&mut self, info: &SourceInfo, stamp: Stamp, p: Prepared) {
        let local = self.rows.len() as u32;
        let meta = postcard::to_stdvec(info).expect("source metadata serialises");
        let sent_start = self.sent_offs.len() as u32;
        let base = self.sents.len() as u64;
        let (mut k0, mut v0, mut s0) = (0usize, 0usize, 0u64);
        for i in 0..p.ends.len() {
            let id = self.sent_offs.len() as u32;
            self.sent_src.push(local);
            for &k in &p.keys[k0..p.key_ends[i] as usize] {
                self.postings.entry(k).or_default().push(id);
            }
            k0 = p.key_ends[i] as usize;
            for &(v, figure) in &p.vals[v0..p.val_ends[i] as usize] {
                self.values.entry(v).or_default().push(FactPod { sentence: id, figure });
            }
            v0 = p.val_ends[i] as usize;
            self.sent_offs.push(base + s0);
            s0 = p.ends[i];
        }
        self.facts += p.facts;
        self.sents.extend_from_slice(&p.sents);
        self.rows.push(SourceRow {
            path_hash: path_hash(&info.path),
            key_hash: key_hash(&info.key),
            stamp,
            meta_off: self.meta.len() as u64,
            meta_len: meta.len() as u32,
            sent_start,
            sent_end: self.sent_offs.len() as u32,
            _pad: 0,
        });
        self.meta.extend_from_slice(&meta);
    }

    /// Lays the segment out in memory.
    pub fn finish(self, rules: u64) -> Segment {
        let mut out = Vec::new();
        let mut header = self.write(rules, &mut out).expect("writing to a vector");
        header.body_hash = body_hash(&out[HEADER_LEN..]);
        out[..HEADER_LEN].copy_from_slice(bytemuck::bytes_of(&header));
        let mut words = vec![0u64; out.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..out.len()].copy_from_slice(&out);
        // The layout was just written: checking it again is cheap and keeps one path.
        Segment::from_bytes(Bytes::Owned(words), rules, false).expect("a freshly built segment is valid")
    }

    /// Writes the segment to `path` atomically: a temporary file, synced, then
    /// renamed, so a reader sees the whole segment or none. The sections are
    /// streamed to the file (no copy of the whole segment in memory: a build's
    /// peak is the builder itself); the body hash is read back from the file.
    pub fn write_file(self, rules: u64, path: &Path) -> Result<(), SegmentError> {
        use std::os::unix::fs::FileExt;
        let io = |source| SegmentError::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = path.with_extension("tmp");
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(io)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file.try_clone().map_err(io)?);
        let mut header = self.write(rules, &mut w).map_err(io)?;
        w.flush().map_err(io)?;
        drop(w);
        let len = file.metadata().map_err(io)?.len() as usize;
        header.body_hash = file_body_hash(&file, len).map_err(io)?;
        file.write_all_at(bytemuck::bytes_of(&header), 0).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(io)?;
        Ok(())
    }

    /// Writes the layout to `w`, a zeroed header first; returns the header
    /// with its sections set and the body hash left 0, for the caller to
    /// hash the body and write the header in place.
    fn write(self, rules: u64, w: &mut impl Write) -> std::io::Result<Header> {
        let mut out = Sections::new(w);
        let n_src = self.rows.len() as u32;
        let n_sent = self.sent_offs.len() as u32;
        let mut sent_offs = self.sent_offs;
        sent_offs.push(self.sents.len() as u64);
        // Sources by a hash, sorted for binary search.
        let lookup_table = |hash: fn(&SourceRow) -> u64| {
            let mut t: Vec<HashPair> = (self.rows.iter().enumerate())
                .map(|(i, r)| HashPair {
                    hash: hash(r),
                    id: i as u32,
                    _pad: 0,
                })
                .collect();
            t.sort_by_key(|p| (p.hash, p.id));
            t
        };
        let by_path = lookup_table(|r| r.path_hash);
        let by_key = lookup_table(|r| r.key_hash);
        out.put(&[0u8; HEADER_LEN.next_multiple_of(8)])?;
        out.section(ROWS, bytemuck::cast_slice(&self.rows))?;
        out.section(META, &self.meta)?;
        drop(self.meta);
        out.section(SENT_OFFS, bytemuck::cast_slice(&sent_offs))?;
        drop(sent_offs);
        out.section(SENTS, &self.sents)?;
        drop(self.sents);
        let post_sparse = out.lists([POST_KEYS, POST_OFFS, POST_IDS], self.postings)?;
        let val_sparse = out.lists([VAL_KEYS, VAL_OFFS, VAL_REFS], self.values)?;
        out.section(BY_PATH, bytemuck::cast_slice(&by_path))?;
        out.section(BY_KEY, bytemuck::cast_slice(&by_key))?;
        out.section(SENT_SRC, bytemuck::cast_slice(&self.sent_src))?;
        out.section(POST_SPARSE, bytemuck::cast_slice(&post_sparse))?;
        out.section(VAL_SPARSE, bytemuck::cast_slice(&val_sparse))?;
        Ok(Header {
            magic: MAGIC,
            format: FORMAT,
            endian: ENDIAN,
            rules,
            body_hash: 0,
            sources: n_src,
            sentences: n_sent,
            facts: self.facts,
            sections: out.sections,
        })
    }
}

/// A source's sentence records, encoded, with the keys each is posted
/// under: what [`Builder::add`] computes per source, made apart from the
/// builder so it runs in parallel with the analysis.
pub struct Prepared {
    /// The records, postcard-encoded back to back.
    sents: Vec<u8>,
    /// End of each record in `sents`.
    ends: Vec<u64>,
    /// Each sentence's distinct posted keys, back to back; `key_ends` splits them.
    keys: Vec<u64>,
    key_ends: Vec<u32>,
    /// Each sentence's (value key, figure) references, in figure order.
    vals: Vec<(u64, u32)>,
    val_ends: Vec<u32>,
    facts: u64,
}

impl Prepared {
    /// Encodes `sentences` (their `source` fields set to 0: the source is
    /// kept in its own table, so merging segments does not re-encode records).
    pub fn new(sentences: Vec<SentenceRec>) -> Prepared {
        let mut p = Prepared {
            sents: Vec::new(),
            ends: Vec::with_capacity(sentences.len()),
            keys: Vec::new(),
            key_ends: Vec::with_capacity(sentences.len()),
            vals: Vec::new(),
            val_ends: Vec::with_capacity(sentences.len()),
            facts: 0,
        };
        let mut seen = rustc_hash::FxHashSet::default();
        for mut s in sentences {
            s.source = 0;
            p.facts += s.figures.len() as u64;
            seen.clear();
            for t in &s.terms {
                if seen.insert(t.key) {
                    p.keys.push(t.key);
                }
            }
            for (fi, k) in s.keys.iter().enumerate() {
                if seen.insert(k.dim) {
                    p.keys.push(k.dim);
                }
                for &v in k.values() {
                    if seen.insert(v) {
                        p.keys.push(v);
                    }
                    p.vals.push((v, fi as u32));
                }
            }
            p.key_ends.push(p.keys.len() as u32);
            p.val_ends.push(p.vals.len() as u32);
            postcard::to_io(&s, &mut p.sents).expect("writing to a vector");
            p.ends.push(p.sents.len() as u64);
        }
        p
    }
}

/// Where each section went while writing a segment, padding to 8 bytes:
/// what a new segment and a merge of segments both write through.
struct Sections<'w, W: Write> {
    w: &'w mut W,
    pos: u64,
    sections: [[u64; 2]; NSEC],
}

impl<'w, W: Write> Sections<'w, W> {
    fn new(w: &'w mut W) -> Self {
        Sections {
            w,
            pos: 0,
            sections: [[0; 2]; NSEC],
        }
    }

    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.w.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    fn section(&mut self, i: usize, bytes: &[u8]) -> std::io::Result<()> {
        let start = self.pos;
        self.put(bytes)?;
        self.end(i, start)
    }

    fn end(&mut self, i: usize, start: u64) -> std::io::Result<()> {
        self.sections[i] = [start, self.pos - start];
        let pad = self.pos.next_multiple_of(8) - self.pos;
        self.put(&[0u8; 8][..pad as usize])
    }

    /// Writes a keyed map as three sections (sorted keys, offsets, the
    /// concatenated lists), list by list rather than flattened into one
    /// copy first; returns the sparse table of its keys.
    fn lists<T: Pod>(
        &mut self,
        [keys_i, offs_i, items_i]: [usize; 3],
        map: FxHashMap<u64, Vec<T>>,
    ) -> std::io::Result<Vec<u64>> {
        let mut entries: Vec<(u64, Vec<T>)> = map.into_iter().collect();
        entries.sort_unstable_by_key(|e| e.0);
        let keys: Vec<u64> = entries.iter().map(|e| e.0).collect();
        self.section(keys_i, bytemuck::cast_slice(&keys))?;
        let sparse = sparse(&keys);
        drop(keys);
        let start = self.pos;
        let mut n = 0u64;
        for (_, v) in &entries {
            self.put(&n.to_le_bytes())?;
            n += v.len() as u64;
        }
        self.put(&n.to_le_bytes())?;
        self.end(offs_i, start)?;
        let start = self.pos;
        for (_, v) in entries {
            self.put(bytemuck::cast_slice(&v))?;
        }
        self.end(items_i, start)?;
        Ok(sparse)
    }
}

/// Every [`SPARSE`]th key.
fn sparse(keys: &[u64]) -> Vec<u64> {
    keys.iter().step_by(SPARSE).copied().collect()
}

/// The range of global ids a segment covers, for callers that place it.
pub fn ids(base: u32, count: u32) -> Range<u32> {
    base..base + count
}

/// Merges consecutive segments into one file, streaming: the result holds
/// the same sources and sentences in the same order (so global ids do not
/// change), with one table of each kind instead of one per segment. Memory
/// holds the merged key lists, not the postings.
pub fn merge(segs: &[&Segment], rules: u64, path: &Path) -> Result<(), SegmentError> {
    use std::os::unix::fs::FileExt;
    let io = |source| SegmentError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("tmp");
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)
        .map_err(io)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file.try_clone().map_err(io)?);
    let mut out = Sections::new(&mut w);
    let mut src_base = Vec::with_capacity(segs.len());
    let mut sent_base = Vec::with_capacity(segs.len());
    let (mut ns, mut nt, mut facts) = (0u32, 0u32, 0u64);
    for s in segs {
        src_base.push(ns);
        sent_base.push(nt);
        ns += s.source_count();
        nt += s.sentence_count();
        facts += s.fact_count();
    }
    let release = || segs.iter().for_each(|s| s.release_pages());
    (|| -> std::io::Result<()> {
        out.put(&[0u8; HEADER_LEN])?;
        // Sources, with their offsets moved.
        let start = out.pos;
        let (mut meta_base, mut sent_b) = (0u64, 0u32);
        for s in segs {
            for r in s.rows() {
                let mut r = *r;
                r.meta_off += meta_base;
                r.sent_start += sent_b;
                r.sent_end += sent_b;
                out.put(bytemuck::bytes_of(&r))?;
            }
            meta_base += s.section(META).len() as u64;
            sent_b += s.sentence_count();
        }
        out.end(ROWS, start)?;
        let start = out.pos;
        for s in segs {
            out.put(s.section(META))?;
        }
        out.end(META, start)?;
        let start = out.pos;
        let mut base = 0u64;
        for s in segs {
            let offs = s.table::<u64>(SENT_OFFS);
            for o in &offs[..offs.len() - 1] {
                out.put(&(o + base).to_le_bytes())?;
            }
            base += s.section(SENTS).len() as u64;
        }
        out.put(&base.to_le_bytes())?;
        out.end(SENT_OFFS, start)?;
        let start = out.pos;
        for s in segs {
            out.put(s.section(SENTS))?;
            s.release_pages();
        }
        out.end(SENTS, start)?;
        release();
        let start = out.pos;
        for (k, s) in segs.iter().enumerate() {
            for x in s.table::<u32>(SENT_SRC) {
                out.put(&(x + src_base[k]).to_le_bytes())?;
            }
        }
        out.end(SENT_SRC, start)?;

        let (keys, offs) = merge_lists::<u32>(segs, [POST_KEYS, POST_OFFS, POST_IDS], &mut out, |id, k| {
            id + sent_base[k]
        })?;
        out.section(POST_KEYS, bytemuck::cast_slice(&keys))?;
        out.section(POST_OFFS, bytemuck::cast_slice(&offs))?;
        out.section(POST_SPARSE, bytemuck::cast_slice(&sparse(&keys)))?;
        release();
        let (keys, offs) = merge_lists::<FactPod>(segs, [VAL_KEYS, VAL_OFFS, VAL_REFS], &mut out, |f, k| FactPod {
            sentence: f.sentence + sent_base[k],
            figure: f.figure,
        })?;
        out.section(VAL_KEYS, bytemuck::cast_slice(&keys))?;
        out.section(VAL_OFFS, bytemuck::cast_slice(&offs))?;
        out.section(VAL_SPARSE, bytemuck::cast_slice(&sparse(&keys)))?;
        drop((keys, offs));
        for (i, sec) in [(BY_PATH, BY_PATH), (BY_KEY, BY_KEY)] {
            let mut pairs: Vec<HashPair> = Vec::with_capacity(ns as usize);
            for (k, s) in segs.iter().enumerate() {
                pairs.extend(s.table::<HashPair>(sec).iter().map(|p| HashPair {
                    id: p.id + src_base[k],
                    ..*p
                }));
            }
            pairs.sort_by_key(|p| (p.hash, p.id));
            out.section(i, bytemuck::cast_slice(&pairs))?;
        }
        release();
        out.w.flush()?;
        Ok(())
    })()
    .map_err(io)?;
    let len = out.pos as usize;
    let header = Header {
        magic: MAGIC,
        format: FORMAT,
        endian: ENDIAN,
        rules,
        body_hash: file_body_hash(&file, len).map_err(io)?,
        sources: ns,
        sentences: nt,
        facts,
        sections: out.sections,
    };
    file.write_all_at(bytemuck::bytes_of(&header), 0).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(())
}

/// Merges the keyed lists of `segs` (sections: keys, offsets, items),
/// writing the items as one section and returning the merged keys and
/// offsets. Items of one key keep segment order, so ids stay ascending.
fn merge_lists<T: Pod>(
    segs: &[&Segment],
    [keys_i, offs_i, items_i]: [usize; 3],
    out: &mut Sections<'_, impl Write>,
    rebase: impl Fn(T, usize) -> T,
) -> std::io::Result<(Vec<u64>, Vec<u64>)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let tables: Vec<(&[u64], &[u64], &[T])> = segs
        .iter()
        .map(|s| (s.table::<u64>(keys_i), s.table::<u64>(offs_i), s.table::<T>(items_i)))
        .collect();
    let mut cur = vec![0usize; segs.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = tables
        .iter()
        .enumerate()
        .filter_map(|(k, t)| t.0.first().map(|&key| Reverse((key, k))))
        .collect();
    let (mut keys, mut offs) = (Vec::new(), Vec::new());
    let mut count = 0u64;
    let start = out.pos;
    while let Some(&Reverse((key, _))) = heap.peek() {
        keys.push(key);
        offs.push(count);
        while let Some(&Reverse((k2, k))) = heap.peek()
            && k2 == key
        {
            heap.pop();
            let (tk, to, ti) = tables[k];
            let c = cur[k];
            for &item in &ti[to[c] as usize..to[c + 1] as usize] {
                out.put(bytemuck::bytes_of(&rebase(item, k)))?;
            }
            count += to[c + 1] - to[c];
            cur[k] += 1;
            if let Some(&next) = tk.get(cur[k]) {
                heap.push(Reverse((next, k)));
            }
        }
    }
    offs.push(count);
    out.end(items_i, start)?;
    Ok((keys, offs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Source;
    use crate::extract::Analyzer;
    use crate::rules::Rules;

    fn sources() -> Vec<(SourceInfo, Vec<SentenceRec>)> {
        let rules = Rules::builtin();
        let mut an = Analyzer::new(&rules);
        (0..40)
            .map(|i| {
                let text = format!(
                    "In Town{i}, {} houses were damaged. Police said {} people were hurt on May {}.\n",
                    40 + i % 7,
                    i % 5,
                    1 + i % 28
                );
                let s = Source::from_text(Path::new(&format!("/c/s{i}.txt")), text);
                (super::super::info_of(&s), super::super::analyze_source(&mut an, &s, 0))
            })
            .collect()
    }

    fn build(items: &[(SourceInfo, Vec<SentenceRec>)]) -> Builder {
        let mut b = Builder::default();
        for (info, sents) in items {
            b.add(info, Stamp::default(), sents.clone());
        }
        b
    }

    /// Every key's postings and values, as global ids, across segments.
    /// A key, its postings, its value references.
    type KeyTables = (u64, Vec<u32>, Vec<(u32, u32)>);

    fn tables(segs: &[&Segment]) -> Vec<KeyTables> {
        let mut keys: Vec<u64> = segs
            .iter()
            .flat_map(|s| {
                s.table::<u64>(POST_KEYS)
                    .iter()
                    .chain(s.table::<u64>(VAL_KEYS))
                    .copied()
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let mut base = 0;
                let (mut p, mut v) = (Vec::new(), Vec::new());
                for s in segs {
                    p.extend(s.postings(k).iter().map(|i| i + base));
                    v.extend(s.values(k).iter().map(|f| (f.sentence + base, f.figure)));
                    base += s.sentence_count();
                }
                (k, p, v)
            })
            .collect()
    }

    #[test]
    fn merged_segments_answer_like_one_built_whole() {
        let items = sources();
        let whole = build(&items).finish(7);
        let parts: Vec<Segment> = items.chunks(13).map(|c| build(c).finish(7)).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.cdx");
        merge(&parts.iter().collect::<Vec<_>>(), 7, &path).unwrap();
        let merged = Segment::open(&path, 7).unwrap();
        assert_eq!(tables(&[&merged]), tables(&[&whole]));
        assert_eq!(tables(&[&merged]), tables(&parts.iter().collect::<Vec<_>>()));
        for i in 0..whole.sentence_count() {
            let (a, b) = (merged.sentence(i).unwrap(), whole.sentence(i).unwrap());
            assert_eq!(
                (a.source, a.span.clone(), a.figures.len()),
                (b.source, b.span.clone(), b.figures.len())
            );
        }
        for i in 0..whole.source_count() {
            assert_eq!(merged.info(i), whole.info(i));
        }
        let h = path_hash(Path::new("/c/s17.txt"));
        assert_eq!(merged.by_path_hash(h).collect::<Vec<_>>(), vec![17]);
        assert_eq!(merged.fact_count(), whole.fact_count());
    }

    #[test]
    fn a_damaged_or_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.cdx");
        build(&sources()).write_file(7, &path).unwrap();
        assert!(Segment::open(&path, 7).is_ok());
        assert!(Segment::open(&path, 8).is_err(), "other rules");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 9;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(Segment::open(&path, 7).is_err(), "one bit flipped");
        std::fs::write(&path, b"CDXSEG\0\0 short").unwrap();
        assert!(Segment::open(&path, 7).is_err(), "truncated");
    }
}
