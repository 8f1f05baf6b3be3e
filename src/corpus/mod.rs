//! The corpus: the source files a story rests on.
//!
//! Each file is one source. Plain text and Markdown are read as they are;
//! web pages, PDFs, Word and OpenDocument files, spreadsheets, data files and
//! caption files are first turned into a text *rendition* (one module per
//! format), and the source's offsets, blocks and passages refer to that
//! rendition. Where a passage sits in the original (a PDF page, a table's row
//! and column, a caption's time) is kept as a [`Locator`].
//!
//! Reading never fails as a whole: every file is accounted for. A file that
//! is not UTF-8 is read lossily; a binary file, a file of a format copydesk
//! does not read, a scanned PDF without text, an encrypted or corrupt file is
//! skipped; each such file becomes a [`CorpusWarning`] naming it and why.

pub mod data;
pub mod html;
pub mod mail;
pub mod office;
pub mod pdf;
pub mod render;
pub mod text;
pub mod transcript;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::markdown::{self, Block, Document};
use crate::text::LineIndex;
use text::text_blocks;

/// The formats copydesk reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
    Odt,
    Csv,
    Tsv,
    Xlsx,
    Ods,
    Json,
    Vtt,
    Srt,
    Eml,
    Mhtml,
}

impl Format {
    pub const ALL: [Format; 15] = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Pdf,
        Format::Docx,
        Format::Odt,
        Format::Csv,
        Format::Tsv,
        Format::Xlsx,
        Format::Ods,
        Format::Json,
        Format::Vtt,
        Format::Srt,
        Format::Eml,
        Format::Mhtml,
    ];

    /// File extensions of the format, lowercase.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Text => &["txt", "text"],
            Format::Markdown => &["md", "markdown"],
            Format::Html => &["html", "htm", "xhtml"],
            Format::Pdf => &["pdf"],
            Format::Docx => &["docx"],
            Format::Odt => &["odt"],
            Format::Csv => &["csv"],
            Format::Tsv => &["tsv", "tab"],
            Format::Xlsx => &["xlsx", "xlsm", "xls"],
            Format::Ods => &["ods"],
            Format::Json => &["json"],
            Format::Vtt => &["vtt"],
            Format::Srt => &["srt"],
            Format::Eml => &["eml"],
            Format::Mhtml => &["mhtml", "mht"],
        }
    }

    /// The format a path's extension names.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.extensions().contains(&ext.as_str()))
    }

    /// The format [`Format::as_str`] names.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Json => "json",
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Eml => "eml",
            Format::Mhtml => "mhtml",
        }
    }

    /// Whether the file is read as it is (its bytes are the text offsets
    /// refer to), rather than through an extracted rendition.
    pub fn is_plain(self) -> bool {
        matches!(self, Format::Text | Format::Markdown)
    }

    /// Whether the rendition is a table of data cells.
    pub fn is_data(self) -> bool {
        matches!(
            self,
            Format::Csv | Format::Tsv | Format::Xlsx | Format::Ods | Format::Json
        )
    }
}

/// File extensions read as sources.
pub const SOURCE_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "pdf", "docx", "odt", "csv", "tsv", "tab", "xlsx", "xlsm",
    "xls", "ods", "json", "vtt", "srt", "eml", "mhtml", "mht",
];

/// Where a passage is in the original file, when its offsets are in a
/// rendition: what a reporter needs to find it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locator {
    /// A PDF page, from 1.
    Page(u32),
    /// A table cell: the row as the file numbers it (the header row is 1)
    /// and the column from 1.
    Cell { row: u32, column: u32 },
    /// A caption's start, in milliseconds from the start of the recording.
    Time { ms: u64 },
}

impl std::fmt::Display for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Locator::Page(p) => write!(f, "p. {p}"),
            Locator::Cell { row, column } => write!(f, "row {row}, column {}", column_letters(column)),
            Locator::Time { ms } => {
                let s = ms / 1000;
                write!(f, "{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
            }
        }
    }
}

/// A spreadsheet's name for a 1-based column: A, B, ..., Z, AA.
pub fn column_letters(mut column: u32) -> String {
    let mut out = Vec::new();
    while column > 0 {
        let d = (column - 1) % 26;
        out.push(b'A' + d as u8);
        column = (column - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

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

/// What a reader found about a document besides its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
}

/// A format reader's output: the rendition, and either its blocks or how to
/// find them.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// The text offsets refer to.
    pub text: String,
    /// The checkable blocks; `None` parses `text` as Markdown.
    pub blocks: Option<Vec<Block>>,
    pub meta: Meta,
    /// (offset in `text`, locator from there on), in offset order.
    pub locators: Vec<(usize, Locator)>,
}

/// Why a file could not be read: the warning's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub String);

/// One source file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The citation key: front matter `key`, else the file stem.
    pub key: String,
    /// Front matter `title` (or the document's metadata), else the first non-empty line.
    pub title: String,
    pub path: PathBuf,
    pub format: Format,
    pub date: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    /// The whole file as read, or its rendition for extracted formats.
    pub text: String,
    pub lines: LineIndex,
    /// The checkable text of the file, in order.
    pub blocks: Vec<Block>,
    /// (offset, locator from there on), in offset order; empty for plain files.
    pub locators: Vec<(usize, Locator)>,
}

/// The front matter's title as a heading block of its own, where the body
/// does not open with it: a headline states facts ("Renewable energy in
/// thirteen EU countries") a source's sentences may not repeat. Mapped to
/// where the title is written in the front matter, so its passages point
/// there.
fn title_block(text: &str, fm: &markdown::FrontMatter, blocks: &[Block]) -> Option<Block> {
    let title = fm.get("title")?.trim();
    let same = |b: &Block| b.text.trim().eq_ignore_ascii_case(title);
    if title.is_empty()
        || blocks
            .iter()
            .any(|b| matches!(b.kind, markdown::BlockKind::Heading(_)) && same(b))
    {
        return None;
    }
    let head = text.get(fm.range.clone())?;
    let at = head.find(title)?;
    Some(Block {
        kind: markdown::BlockKind::Heading(1),
        text: title.to_string(),
        map: markdown::OffsetMap::verbatim(fm.range.start + at, title.len()),
        quoted: false,
        context: Vec::new(),
    })
}

impl Source {
    /// Reads a source from its text. `path` decides how it is parsed: Markdown
    /// for `.md`, plain text otherwise.
    pub fn from_text(path: &Path, text: String) -> Source {
        let format = match Format::of(path) {
            Some(Format::Markdown) => Format::Markdown,
            _ => Format::Text,
        };
        let (blocks, fm) = if format == Format::Markdown {
            let doc = Document::parse(text.clone());
            (doc.blocks, doc.front_matter)
        } else {
            let fm = markdown::front_matter(&text);
            let start = fm.as_ref().map_or(0, |f| f.range.end);
            (text_blocks(&text, start), fm)
        };
        let field = |k: &str| fm.as_ref().and_then(|f| f.get(k)).map(str::to_string);
        let mut blocks = blocks;
        if let Some(b) = fm.as_ref().and_then(|f| title_block(&text, f, &blocks)) {
            blocks.insert(0, b);
        }
        let meta = Meta {
            title: field("title"),
            date: field("date"),
            author: field("author"),
            url: field("url"),
            publisher: field("publisher"),
        };
        let mut s = Source::assemble(path, format, text, blocks, meta, Vec::new());
        if let Some(k) = field("key") {
            s.key = k;
        }
        s
    }

    /// A source from a reader's rendition.
    pub fn from_extracted(path: &Path, format: Format, x: Extracted) -> Source {
        let blocks = match x.blocks {
            Some(b) => b,
            None => Document::parse(x.text.clone()).blocks,
        };
        Source::assemble(path, format, x.text, blocks, x.meta, x.locators)
    }

    fn assemble(
        path: &Path,
        format: Format,
        text: String,
        blocks: Vec<Block>,
        meta: Meta,
        locators: Vec<(usize, Locator)>,
    ) -> Source {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "source".into());
        let title = meta.title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| {
            blocks
                .first()
                .map(|b| b.text.trim().chars().take(200).collect())
                .unwrap_or_default()
        });
        Source {
            key: stem,
            title,
            format,
            date: meta.date,
            url: meta.url,
            publisher: meta.publisher,
            author: meta.author,
            path: path.to_path_buf(),
            lines: LineIndex::new(&text),
            text,
            blocks,
            locators,
        }
    }

    /// The 1-based line and column of a byte offset in the file.
    pub fn line_col(&self, offset: usize) -> crate::text::LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// Where the text at `offset` is in the original file.
    pub fn locator_at(&self, offset: usize) -> Option<Locator> {
        locator_at(&self.locators, offset)
    }
}

/// The locator in force at `offset` in a sorted (offset, locator) list.
pub fn locator_at(locators: &[(usize, Locator)], offset: usize) -> Option<Locator> {
    let i = locators.partition_point(|(o, _)| *o <= offset);
    i.checked_sub(1).map(|i| locators[i].1)
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

/// Runs a reader, turning a panic inside a parsing crate into an error: a
/// malformed file must never take the server down.
fn guarded(f: impl FnOnce() -> Result<Extracted, Unreadable>) -> Result<Extracted, Unreadable> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Unreadable("the file is malformed (the reader gave up on it)".into())))
}

/// Extracts a rendition of a file's bytes in a format that needs one.
pub fn extract(path: &Path, format: Format, bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let title = || data::title_of(path);
    guarded(|| match format {
        Format::Html => html::read(bytes),
        Format::Pdf => pdf::read(bytes),
        Format::Docx => office::read_docx(bytes),
        Format::Odt => office::read_odt(bytes),
        Format::Csv => data::read_delimited_noted(bytes, b',', title(), &data::sibling_notes(path)),
        Format::Tsv => data::read_delimited_noted(bytes, b'\t', title(), &data::sibling_notes(path)),
        Format::Xlsx | Format::Ods => data::read_workbook(bytes, title(), &data::sibling_notes(path)),
        Format::Json => data::read_json(bytes, title(), &data::sibling_notes(path)),
        Format::Vtt | Format::Srt => transcript::read(bytes),
        Format::Eml => mail::read_eml(bytes),
        Format::Mhtml => mail::read_mhtml(bytes),
        Format::Text | Format::Markdown => Err(Unreadable("read as text".into())),
    })
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
    match Format::of(path) {
        Some(f) if !f.is_plain() => {
            return match extract(path, f, &bytes) {
                Ok(x) => ReadOutcome::Source(Box::new(Source::from_extracted(path, f, x)), None),
                // A parser's message may quote the file: a line at most.
                Err(e) => ReadOutcome::Skipped(warn(crate::trust::clip_lines(&format!(
                    "{} file not read: {e}",
                    f.as_str().to_uppercase()
                )))),
            };
        }
        _ => {}
    }
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

/// A file holding a source's rendition, for an editor to open at a passage
/// (a PDF's extracted text cannot be shown at a line of the PDF). Kept in
/// the user's cache folder, named by the original's name and the text's
/// hash, written once and read-only; `None` when it cannot be written.
pub fn rendition_file(original: &Path, text: &str) -> Option<PathBuf> {
    let dir = dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("copydesk")
        .join("renditions");
    let name = original.file_name()?.to_string_lossy();
    let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    let path = dir.join(format!("{name}.{hash:016x}.md"));
    if path.exists() {
        return Some(path);
    }
    std::fs::create_dir_all(&dir).ok()?;
    let tmp = dir.join(format!(".{name}.{hash:016x}.{}", std::process::id()));
    std::fs::write(&tmp, text).ok()?;
    if let Ok(meta) = std::fs::metadata(&tmp) {
        let mut perms = meta.permissions();
        perms.set_readonly(true);
        let _ = std::fs::set_permissions(&tmp, perms);
    }
    std::fs::rename(&tmp, &path).ok()?;
    Some(path)
}

/// Reads text that may not be UTF-8: lossily, as a source file is read.
pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).into_owned()
}

fn is_source_file(path: &Path) -> bool {
    Format::of(path).is_some()
}

/// The warning for a file in a corpus folder that copydesk does not read.
fn unknown_format(path: &Path) -> CorpusWarning {
    let what = path
        .extension()
        .map(|e| format!(".{} files are", e.to_string_lossy()))
        .unwrap_or_else(|| "files without an extension are".into());
    CorpusWarning {
        path: path.to_path_buf(),
        message: format!("not read: {what} not a source format copydesk reads (see `copydesk sources --help`)"),
    }
}

/// Lists the source files under `paths`, sorted within each folder. Hidden
/// files and folders are skipped; every other file that is not of a format
/// copydesk reads is listed in the warnings, never passed over in silence.
///
/// Symbolic links are followed, files and folders alike; a link that leads
/// back to a folder it is in is reported once as a loop and not followed.
/// With `boundary`, a link must also lead inside it or inside the corpus
/// path being walked (see [`crate::trust`]); one that does not is reported
/// and not read.
pub fn source_files(
    paths: &[PathBuf],
    boundary: Option<&Path>,
) -> Result<(Vec<PathBuf>, Vec<CorpusWarning>), MissingPath> {
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
        let walked_root = crate::trust::resolve(p);
        let mut walker = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walker.next() {
            let e = match entry {
                Ok(e) => e,
                Err(e) => {
                    let message = match e.loop_ancestor() {
                        Some(a) => format!("symbolic link loop (leads back to {}); not followed", a.display()),
                        None => format!("cannot read: {e}"),
                    };
                    warnings.push(CorpusWarning {
                        path: e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone()),
                        message,
                    });
                    continue;
                }
            };
            if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if e.path_is_symlink()
                && let Some(root) = boundary
            {
                let target = crate::trust::resolve(e.path());
                if !target.starts_with(root) && !target.starts_with(&walked_root) {
                    warnings.push(CorpusWarning {
                        path: e.path().to_path_buf(),
                        message: format!(
                            "symbolic link to {}, outside the project {}; not read (allow with --allow-outside-paths)",
                            target.display(),
                            root.display()
                        ),
                    });
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
            }
            if e.file_type().is_file() {
                if is_source_file(e.path()) {
                    files.push(e.into_path());
                } else {
                    warnings.push(unknown_format(e.path()));
                }
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
        let (files, warnings) = source_files(paths, None)?;
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
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("bin.txt") && m.contains("binary")));
        assert!(
            msgs.iter()
                .any(|m| m.contains("image.png") && m.contains(".png files are not"))
        );
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
