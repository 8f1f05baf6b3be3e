//! `copydesk.toml`: where the corpus is, extra rules, severities.
//!
//! Found in the draft's folder or its ancestors. Paths in it are relative to
//! the file. The language server reads the same keys from its initialization
//! options and `workspace/didChangeConfiguration`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::{CheckOptions, Code, Severity};
use crate::trust::{self, Boundary, OutsidePath};

/// The configuration file's name.
pub const FILE_NAME: &str = "copydesk.toml";

/// Errors reading configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid configuration in {path}: {message}")]
    Parse { path: PathBuf, message: String },
}

/// `[corpus]`
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusConfig {
    /// Files or folders of sources, read recursively.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
}

/// `[rules]`
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Rule files or folders of `*.toml` rule files that extend the built-in rules.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
}

/// How citations are written when copydesk inserts one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CitationStyle {
    /// Pandoc and Quarto: `[@key]`.
    #[default]
    Pandoc,
    /// Markdown footnotes: `[^key]`.
    Footnote,
}

/// `[lsp]`: settings of the language server.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LspConfig {
    /// Show how many sources back each supported figure, after it (default off).
    pub inlay_hints: Option<bool>,
    /// Milliseconds to wait after an edit before checking (default 0: check
    /// at once; findings on the word being typed are held back instead).
    pub debounce_ms: Option<u64>,
    /// Milliseconds of idle typing after which findings on the word under
    /// the cursor are shown (default 500; 0 shows them at once).
    pub hold_ms: Option<u64>,
    /// Milliseconds a long draft's check runs before it publishes its
    /// findings so far, stage by stage (default 500: a check that ends sooner
    /// publishes once).
    pub progress_ms: Option<u64>,
    /// How inserted citations are written (default `pandoc`).
    pub citation_style: Option<CitationStyle>,
}

impl LspConfig {
    pub fn inlay_hints(&self) -> bool {
        self.inlay_hints.unwrap_or(false)
    }

    pub fn debounce_ms(&self) -> u64 {
        self.debounce_ms.unwrap_or(0).min(10_000)
    }

    pub fn hold_ms(&self) -> u64 {
        self.hold_ms.unwrap_or(500).min(10_000)
    }

    pub fn progress_ms(&self) -> u64 {
        self.progress_ms.unwrap_or(500).min(60_000)
    }

    pub fn citation_style(&self) -> CitationStyle {
        self.citation_style.unwrap_or_default()
    }
}

/// `[index]`: where the corpus index is kept.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IndexConfig {
    /// Folder for index files (default: the user's cache folder, or
    /// `COPYDESK_CACHE_DIR`).
    pub path: Option<PathBuf>,
    /// Keep the index on disk between runs (default true). Off, the corpus is
    /// read and analysed at every start.
    pub persist: Option<bool>,
    /// A shared archive in PostgreSQL (`postgres://…`) to check against
    /// instead of an index of local files; `--database` and
    /// `COPYDESK_DATABASE_URL` take precedence.
    pub url: Option<String>,
    /// When the embedded index is compared with the corpus files (default
    /// `on-start`).
    pub refresh: Option<Refresh>,
}

/// `[index] refresh`: when a stored index is compared with the files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refresh {
    /// Every `check`, `conflicts` and `lsp` start compares every file's size
    /// and time with the index: right for a story folder that changes as the
    /// reporter works.
    #[default]
    OnStart,
    /// Only `copydesk index` reads the corpus; a check uses the index as it
    /// is (building it only when there is none): right for an archive that
    /// an ingesting job updates, where stating every file is most of a
    /// check's cost.
    Manual,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub corpus: CorpusConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    /// Severity by finding code: `unsourced-figure = "warning"`.
    #[serde(default)]
    pub severity: BTreeMap<Code, Severity>,
    #[serde(default)]
    pub lsp: LspConfig,
    #[serde(default)]
    pub index: IndexConfig,
    /// Folder that relative paths are resolved against (the file's folder).
    #[serde(skip)]
    pub root: PathBuf,
    /// The file this came from, if any.
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// How far the configured corpus, rules and index paths may reach (see
    /// [`crate::trust`]); set by whoever runs copydesk, never by the file.
    #[serde(skip)]
    pub boundary: Boundary,
}

impl Config {
    /// Parses configuration text; `path` names it in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: trust::clip_lines(e.to_string().trim_end()),
        })?;
        config.root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.file = Some(path.to_path_buf());
        Ok(config)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_regular_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// The nearest `copydesk.toml` in `dir` or its ancestors.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        // Any kind of file counts, so a FIFO or folder by that name is
        // refused with a message rather than silently passed over.
        dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.exists())
    }

    /// The configuration that applies to files in `dir`: the nearest file, or defaults.
    pub fn discover(dir: &Path) -> Result<Config, ConfigError> {
        match Config::find(dir) {
            Some(p) => Config::load(&p),
            None => Ok(Config {
                root: dir.to_path_buf(),
                ..Config::default()
            }),
        }
    }

    fn resolve(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        paths.iter().map(|p| self.root.join(p)).collect()
    }

    /// Corpus paths, resolved.
    pub fn corpus_paths(&self) -> Vec<PathBuf> {
        self.resolve(&self.corpus.paths)
    }

    /// The folder the index is kept under, or `None` to keep it in memory.
    pub fn index_root(&self) -> Option<PathBuf> {
        if self.index.persist == Some(false) {
            return None;
        }
        let configured = self.index.path.as_ref().map(|p| self.root.join(p));
        crate::index::store::cache_root(configured.as_deref())
    }

    /// When a stored index is compared with the corpus files.
    pub fn refresh(&self) -> Refresh {
        self.index.refresh.unwrap_or_default()
    }

    /// Rule paths, resolved.
    pub fn rule_paths(&self) -> Vec<PathBuf> {
        self.resolve(&self.rules.paths)
    }

    /// Editor settings (initialization options or `didChangeConfiguration`),
    /// in the keys of `copydesk.toml`, nested under `copydesk` or not. Keys
    /// copydesk does not know at the top ("trace") are ignored and returned,
    /// so the server can log them; a wrong key inside a section is an error.
    pub fn from_settings(value: &serde_json::Value, root: &Path) -> Result<(Config, Vec<String>), ConfigError> {
        let value = value.get("copydesk").unwrap_or(value);
        let mut known = serde_json::Map::new();
        let mut ignored = Vec::new();
        if let Some(map) = value.as_object() {
            for (k, v) in map {
                if matches!(k.as_str(), "corpus" | "rules" | "severity" | "lsp" | "index") {
                    known.insert(k.clone(), v.clone());
                } else {
                    ignored.push(k.clone());
                }
            }
        }
        let mut config: Config =
            serde_json::from_value(serde_json::Value::Object(known)).map_err(|e| ConfigError::Parse {
                path: PathBuf::from("<editor settings>"),
                message: e.to_string(),
            })?;
        config.root = root.to_path_buf();
        Ok((config, ignored))
    }

    /// This configuration with `file`'s settings laid over it, key by key: a
    /// project's `copydesk.toml` wins over editor settings where it says
    /// something. Paths keep the folder they were written relative to.
    pub fn overlay(&self, file: &Config) -> Config {
        let pick_paths = |f: &[PathBuf], froot: &Path, s: &[PathBuf], sroot: &Path| -> Vec<PathBuf> {
            if f.is_empty() {
                s.iter().map(|p| sroot.join(p)).collect()
            } else {
                f.iter().map(|p| froot.join(p)).collect()
            }
        };
        let mut severity = self.severity.clone();
        severity.extend(file.severity.clone());
        Config {
            corpus: CorpusConfig {
                paths: pick_paths(&file.corpus.paths, &file.root, &self.corpus.paths, &self.root),
            },
            rules: RulesConfig {
                paths: pick_paths(&file.rules.paths, &file.root, &self.rules.paths, &self.root),
            },
            severity,
            lsp: LspConfig {
                inlay_hints: file.lsp.inlay_hints.or(self.lsp.inlay_hints),
                debounce_ms: file.lsp.debounce_ms.or(self.lsp.debounce_ms),
                hold_ms: file.lsp.hold_ms.or(self.lsp.hold_ms),
                progress_ms: file.lsp.progress_ms.or(self.lsp.progress_ms),
                citation_style: file.lsp.citation_style.or(self.lsp.citation_style),
            },
            index: IndexConfig {
                path: match &file.index.path {
                    Some(p) => Some(file.root.join(p)),
                    None => self.index.path.as_ref().map(|p| self.root.join(p)),
                },
                persist: file.index.persist.or(self.index.persist),
                url: file.index.url.clone().or_else(|| self.index.url.clone()),
                refresh: file.index.refresh.or(self.index.refresh),
            },
            // Paths above are absolute now.
            root: PathBuf::new(),
            file: file.file.clone(),
            boundary: self.boundary.clone(),
        }
    }

    /// The folder configured paths must stay in, resolved; `None` when
    /// allowed anywhere.
    pub fn boundary_root(&self) -> Option<PathBuf> {
        match &self.boundary {
            Boundary::Anywhere => None,
            Boundary::Folder(f) => Some(trust::resolve(f)),
            Boundary::Project => {
                let dir = match self.file.as_deref().and_then(Path::parent) {
                    Some(d) => d,
                    None => &self.root,
                };
                let dir = if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                };
                Some(trust::project_root(dir))
            }
        }
    }

    /// Refuses configured paths that lead outside [`Config::boundary_root`]:
    /// rules and index paths always, corpus paths unless `corpus_given` (the
    /// command line's own `--corpus` replaces them).
    pub fn check_boundary(&self, corpus_given: bool) -> Result<(), OutsidePath> {
        let Some(root) = self.boundary_root() else {
            return Ok(());
        };
        if !corpus_given {
            for p in self.corpus_paths() {
                trust::confine("corpus", &p, &root)?;
            }
        }
        for p in self.rule_paths() {
            trust::confine("rules", &p, &root)?;
        }
        if let Some(p) = &self.index.path {
            trust::confine("index", &self.root.join(p), &root)?;
        }
        Ok(())
    }

    pub fn check_options(&self) -> CheckOptions {
        CheckOptions {
            severities: self.severity.clone(),
        }
    }
}

/// Reads a file only if it is a regular file (symbolic links followed):
/// reading a FIFO would block forever, a device might never end. The check
/// is a `stat`, which does not block.
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a FIFO, socket or device)"
        };
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what}; refusing to read it"),
        ));
    }
    std::fs::read(path)
}

/// [`read_regular`], as UTF-8 text.
pub fn read_regular_to_string(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_regular(path)?).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_resolves_relative_paths() {
        let c = Config::parse(
            "[corpus]\npaths = [\"sources\"]\n[rules]\npaths = [\"my-rules\"]\n[severity]\nunsourced-figure = \"warning\"\n",
            Path::new("/news/story/copydesk.toml"),
        )
        .unwrap();
        assert_eq!(c.corpus_paths(), vec![PathBuf::from("/news/story/sources")]);
        assert_eq!(c.rule_paths(), vec![PathBuf::from("/news/story/my-rules")]);
        assert_eq!(c.check_options().severity(Code::UnsourcedFigure), Severity::Warning);
        assert_eq!(c.check_options().severity(Code::FigureMismatch), Severity::Error);
    }

    #[test]
    fn typos_are_errors_with_the_file_name() {
        let err = Config::parse("[corpus]\npath = [\"x\"]\n", Path::new("copydesk.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("copydesk.toml") && msg.contains("path"), "{msg}");
        let err = Config::parse("[severity]\nunsourced-figure = \"loud\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("loud"));
    }

    #[test]
    fn a_parse_error_quotes_only_the_offending_line_and_not_all_of_it() {
        let secret = "x".repeat(5_000);
        let text = format!("# token = \"hunter2\"\n[corpus]\npaths = [\"{secret}\" oops]\n[lsp]\n");
        let msg = Config::parse(&text, Path::new("copydesk.toml"))
            .unwrap_err()
            .to_string();
        assert!(!msg.contains("hunter2"), "{msg}");
        assert!(msg.contains("line 3"), "{msg}");
        assert!(msg.len() < 1_000, "{} bytes: {msg}", msg.len());
        assert!(msg.lines().all(|l| l.chars().count() <= trust::QUOTE_MAX + 1));
    }

    #[test]
    fn editor_settings_use_the_same_keys() {
        let v = serde_json::json!({"copydesk": {"corpus": {"paths": ["src"]}, "lsp": {"inlay-hints": true}, "trace": {"server": "off"}}});
        let (c, ignored) = Config::from_settings(&v, Path::new("/ws")).unwrap();
        assert_eq!(c.corpus_paths(), vec![PathBuf::from("/ws/src")]);
        assert!(c.lsp.inlay_hints());
        assert_eq!(ignored, vec!["trace".to_string()]);
        let bad = serde_json::json!({"lsp": {"inlay-hint": true}});
        assert!(Config::from_settings(&bad, Path::new("/ws")).is_err());
    }

    #[test]
    fn the_file_wins_over_editor_settings_key_by_key() {
        let editor = Config::from_settings(
            &serde_json::json!({"corpus": {"paths": ["a"]}, "lsp": {"inlay-hints": true, "debounce-ms": 50}}),
            Path::new("/ws"),
        )
        .unwrap()
        .0;
        let file = Config::parse("[lsp]\ndebounce-ms = 300\n", Path::new("/ws/story/copydesk.toml")).unwrap();
        let c = editor.overlay(&file);
        assert_eq!(c.corpus_paths(), vec![PathBuf::from("/ws/a")]);
        assert!(c.lsp.inlay_hints());
        assert_eq!(c.lsp.debounce_ms(), 300);
        let file = Config::parse("[corpus]\npaths = [\"src\"]\n", Path::new("/ws/story/copydesk.toml")).unwrap();
        assert_eq!(
            editor.overlay(&file).corpus_paths(),
            vec![PathBuf::from("/ws/story/src")]
        );
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "[corpus]\npaths = [\"src\"]\n").unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let c = Config::discover(&sub).unwrap();
        assert!(c.corpus_paths()[0].ends_with("src"));
        assert!(c.file.is_some());
    }
}
