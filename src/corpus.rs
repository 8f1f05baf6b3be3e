//! The corpus: the source files a story rests on.
//!
//! Each file is one source, read from `.txt` or `.md`. Reading never fails as a
//! whole: a file that is not UTF-8 is read lossily, a binary or unreadable file
//! is skipped, and each such file becomes a [`CorpusWarning`] naming it.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::markdown::{self, Block, BlockKind, Document, OffsetMap};
use crate::text::LineIndex;

/// File extensions read as sources.
pub const SOURCE_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

/// A problem with one corpus file. The file is skipped or read as well as it can be.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CorpusWarning {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for CorpusWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// A corpus path that does not exist: unlike a bad file inside a folder, this
/// is a usage error.
#[derive(Debug, thiserror::Error)]
#[error("corpus path {path} does not exist")]
pub struct MissingPath {
    pub path: PathBuf,
}

/// One source file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The citation key: front matter `key`, else the file stem.
    pub key: String,
    /// Front matter `title`, else the first non-empty line.
    pub title: String,
    pub path: PathBuf,
    pub date: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    /// The whole file, as read.
    pub text: String,
    pub lines: LineIndex,
    /// The checkable text of the file, in order.
    pub blocks: Vec<Block>,
}

impl Source {
    /// Reads a source from its text. `path` decides how it is parsed: Markdown
    /// for `.md`, plain text otherwise.
    pub fn from_text(path: &Path, text: String) -> Source {
        let is_md = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown"));
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "source".into());
        let (blocks, fm) = if is_md {
            let doc = Document::parse(text.clone());
            (doc.blocks, doc.front_matter)
        } else {
            let fm = markdown::front_matter(&text);
            let start = fm.as_ref().map_or(0, |f| f.range.end);
            (text_blocks(&text, start), fm)
        };
        let field = |k: &str| fm.as_ref().and_then(|f| f.get(k)).map(str::to_string);
        let title = field("title").unwrap_or_else(|| {
            blocks
                .first()
                .map(|b| b.text.trim().chars().take(200).collect())
                .unwrap_or_default()
        });
        Source {
            key: field("key").unwrap_or(stem),
            title,
            date: field("date"),
            url: field("url"),
            publisher: field("publisher"),
            path: path.to_path_buf(),
            lines: LineIndex::new(&text),
            text,
            blocks,
        }
    }

    /// The 1-based line and column of a byte offset in the file.
    pub fn line_col(&self, offset: usize) -> crate::text::LineCol {
        self.lines.line_col(&self.text, offset)
    }
}

/// Paragraphs of a plain-text file. A blank line always ends a paragraph; a
/// single line break ends one when the line reads as finished (ends with
/// sentence punctuation) or is short like a heading. Long lines without
/// punctuation are hard-wrapped prose and run on.
fn text_blocks(text: &str, start: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Option<Range<usize>> = None;
    let mut pos = start;
    let flush = |r: Range<usize>, blocks: &mut Vec<Block>| {
        let raw = &text[r.clone()];
        // Newlines inside a paragraph read as spaces; same length, so the map is verbatim.
        let plain: String = raw
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        if plain.trim().is_empty() {
            return;
        }
        blocks.push(Block {
            kind: BlockKind::Paragraph,
            map: OffsetMap::verbatim(r.start, plain.len()),
            text: plain,
            quoted: false,
            context: Vec::new(),
        });
    };
    for line in text[start..].split_inclusive('\n') {
        let content = line.trim_end();
        let line_range = pos..pos + line.len();
        pos += line.len();
        if content.trim().is_empty() {
            if let Some(r) = para.take() {
                flush(r, &mut blocks);
            }
            continue;
        }
        let r = match para.take() {
            Some(r) => r.start..line_range.end,
            None => line_range,
        };
        let finished = content.ends_with(['.', '!', '?', ':', '"', '”', '’', ')']) || content.chars().count() < 60;
        if finished {
            flush(r, &mut blocks);
        } else {
            para = Some(r);
        }
    }
    if let Some(r) = para {
        flush(r, &mut blocks);
    }
    blocks
}

/// All sources, and what went wrong reading them.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub sources: Vec<Source>,
    pub warnings: Vec<CorpusWarning>,
}

/// The outcome of reading one file.
pub enum ReadOutcome {
    Source(Box<Source>, Option<CorpusWarning>),
    Skipped(CorpusWarning),
}

/// Reads one file as a source.
pub fn read_source(path: &Path) -> ReadOutcome {
    let warn = |message: String| CorpusWarning {
        path: path.to_path_buf(),
        message,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return ReadOutcome::Skipped(warn(format!("cannot read: {e}"))),
    };
    let head = &bytes[..bytes.len().min(8192)];
    if content_inspector::inspect(head).is_binary() {
        return ReadOutcome::Skipped(warn("binary file, skipped".into()));
    }
    match String::from_utf8(bytes) {
        Ok(text) => ReadOutcome::Source(Box::new(Source::from_text(path, text)), None),
        Err(e) => {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            ReadOutcome::Source(
                Box::new(Source::from_text(path, text)),
                Some(warn("not valid UTF-8; read with replacement characters".into())),
            )
        }
    }
}

fn is_source_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Lists the source files under `paths`, sorted within each folder. Hidden
/// files and folders are skipped.
pub fn source_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<CorpusWarning>), MissingPath> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for p in paths {
        if !p.exists() {
            return Err(MissingPath { path: p.clone() });
        }
        if p.is_file() {
            if !is_source_file(p) {
                warnings.push(CorpusWarning {
                    path: p.clone(),
                    message: format!(
                        "not a source file type ({}); read as plain text",
                        SOURCE_EXTENSIONS.join(", ")
                    ),
                });
            }
            files.push(p.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && is_source_file(e.path()) => files.push(e.into_path()),
                Ok(_) => {}
                Err(e) => warnings.push(CorpusWarning {
                    path: e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone()),
                    message: format!("cannot read: {e}"),
                }),
            }
        }
    }
    Ok((files, warnings))
}

/// Gives `source` a key not in `seen` (numbering it when taken) and records
/// it; returns a warning when the key had to change.
pub fn unique_key(source: &mut Source, seen: &mut HashSet<String>) -> Option<CorpusWarning> {
    let w = claim_key(source, |k| seen.contains(k));
    seen.insert(source.key.clone());
    w
}

/// Gives `source` a key for which `taken` is false (numbering it when its
/// own is taken); returns a warning when the key had to change. The caller
/// records the key.
pub fn claim_key(source: &mut Source, mut taken: impl FnMut(&str) -> bool) -> Option<CorpusWarning> {
    if !taken(&source.key) {
        return None;
    }
    let mut n = 2;
    while taken(&format!("{}-{n}", source.key)) {
        n += 1;
    }
    let new = format!("{}-{n}", source.key);
    let warning = CorpusWarning {
        path: source.path.clone(),
        message: format!("key {:?} is already used by another source; using {new:?}", source.key),
    };
    source.key = new;
    Some(warning)
}

impl Corpus {
    /// Reads every source under `paths`.
    pub fn load(paths: &[PathBuf]) -> Result<Corpus, MissingPath> {
        let (files, warnings) = source_files(paths)?;
        let mut corpus = Corpus {
            sources: Vec::new(),
            warnings,
        };
        for f in files {
            match read_source(&f) {
                ReadOutcome::Source(s, w) => {
                    corpus.warnings.extend(w);
                    corpus.sources.push(*s);
                }
                ReadOutcome::Skipped(w) => corpus.warnings.push(w),
            }
        }
        corpus.dedupe_keys();
        Ok(corpus)
    }

    /// Makes keys unique: a second source with a key already taken gets a
    /// numbered key, and a warning.
    pub fn dedupe_keys(&mut self) {
        let mut seen = HashSet::new();
        for s in &mut self.sources {
            if let Some(w) = unique_key(s, &mut seen) {
                self.warnings.push(w);
            }
        }
    }

    pub fn source_by_key(&self, key: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }

    #[test]
    fn keys_titles_and_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.txt",
            b"Police rescue 382 babies\n\nPolice said 382 babies were rescued.\n",
        );
        write(
            dir.path(),
            "sub/b.md",
            b"---\nkey: xinhua-2014\ntitle: Ministry statement\ndate: 2014-02-28\n---\n# Heading\n\nText 4.\n",
        );
        let c = Corpus::load(&[dir.path().to_path_buf()]).unwrap();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[0].key, "a");
        assert_eq!(c.sources[0].title, "Police rescue 382 babies");
        assert_eq!(c.sources[1].key, "xinhua-2014");
        assert_eq!(c.sources[1].title, "Ministry statement");
        assert_eq!(c.sources[1].date.as_deref(), Some("2014-02-28"));
    }

    #[test]
    fn bad_files_warn_and_are_skipped_or_read_lossily() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bin.txt", &[0u8, 159, 146, 150, 0, 1, 2, 3]);
        write(dir.path(), "latin1.txt", b"Caf\xe9 sold 12 cakes.\n");
        write(dir.path(), "good.txt", b"Fine 3.\n");
        write(dir.path(), "image.png", b"\x89PNG");
        let c = Corpus::load(&[dir.path().to_path_buf()]).unwrap();
        let keys: Vec<_> = c.sources.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, vec!["good", "latin1"]);
        assert!(c.sources[1].text.contains("Caf\u{fffd} sold 12"));
        let msgs: Vec<_> = c.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("bin.txt") && m.contains("binary")));
        assert!(msgs.iter().any(|m| m.contains("latin1.txt") && m.contains("UTF-8")));
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = Corpus::load(&[PathBuf::from("/no/such/dir")]).unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"));
    }

    #[test]
    fn duplicate_keys_are_renamed_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "x/a.txt", b"One 1.\n");
        write(dir.path(), "y/a.txt", b"Two 2.\n");
        let c = Corpus::load(&[dir.path().to_path_buf()]).unwrap();
        let keys: Vec<_> = c.sources.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, vec!["a", "a-2"]);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn plain_text_paragraphs() {
        let text = "Headline here\nFirst line of a paragraph that goes on and on without a full stop\ncontinues here.\nShort line\n\nNext.\n";
        let blocks = text_blocks(text, 0);
        let texts: Vec<_> = blocks.iter().map(|b| b.text.trim()).collect();
        assert_eq!(
            texts,
            vec![
                "Headline here",
                "First line of a paragraph that goes on and on without a full stop continues here.",
                "Short line",
                "Next."
            ]
        );
        // Offsets are verbatim.
        let b = &blocks[1];
        let p = b.text.find("continues").unwrap() as u32;
        assert_eq!(&text[b.map.range(p..p + 9)], "continues");
    }
}
