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

use std::path::{Path, PathBuf};

use bytemuck::{Pod, Zeroable};

use super::SentenceRec;

mod write;
pub use write::{Builder, Prepared, ids, merge};

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
pub const FORMAT: u32 = 38;
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
