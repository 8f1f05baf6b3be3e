//! Writing segments: the builder that collects sources into one, the file
//! layout it writes section by section, and the k-way merge of segments.

use std::io::Write;
use std::ops::Range;
use std::path::Path;

use bytemuck::Pod;
use rustc_hash::FxHashMap;

use super::*;

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
        let (tmp, file) = create_tmp(path).map_err(io)?;
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
    let (tmp, file) = create_tmp(path).map_err(io)?;
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

/// The file a segment is written to before it is renamed into place at
/// `path`: created empty, open for writing and for reading its body back.
fn create_tmp(path: &Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    let tmp = path.with_extension("tmp");
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)?;
    Ok((tmp, file))
}
