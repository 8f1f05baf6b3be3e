//! `copydesk.toml`: where the corpus is, extra rules, severities.
//!
//! Found in the draft's folder or its ancestors. Paths in it are relative to
//! the file. The language server reads the same keys from its initialization
//! options and `workspace/didChangeConfiguration`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::{CheckOptions, Code, Severity};

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
    /// Folder that relative paths are resolved against (the file's folder).
    #[serde(skip)]
    pub root: PathBuf,
    /// The file this came from, if any.
    #[serde(skip)]
    pub file: Option<PathBuf>,
}

impl Config {
    /// Parses configuration text; `path` names it in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        config.root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.file = Some(path.to_path_buf());
        Ok(config)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// The nearest `copydesk.toml` in `dir` or its ancestors.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
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

    /// Rule paths, resolved.
    pub fn rule_paths(&self) -> Vec<PathBuf> {
        self.resolve(&self.rules.paths)
    }

    pub fn check_options(&self) -> CheckOptions {
        CheckOptions {
            severities: self.severity.clone(),
        }
    }
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
