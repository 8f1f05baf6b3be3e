//! A project: one configuration with its rules and indexed corpus. The command
//! line builds one per run; the language server keeps one per workspace.

use std::path::PathBuf;

use crate::check::{CheckOptions, Checker, Finding};
use crate::config::{Config, ConfigError};
use crate::corpus::MissingPath;
use crate::index::Index;
use crate::index::store::{self, OpenStats};
use crate::markdown::Document;
use crate::names::NameIndex;
use crate::rules::{Rules, RulesError};

/// Why a project could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error(transparent)]
    Corpus(#[from] MissingPath),
    #[error(transparent)]
    Store(#[from] crate::index::store::StoreError),
    #[error(transparent)]
    Outside(#[from] crate::trust::OutsidePath),
    #[error("no corpus: pass --corpus PATH or set [corpus] paths in copydesk.toml")]
    NoCorpus,
}

/// Configuration, rules and the indexed corpus.
#[derive(Debug)]
pub struct Project {
    pub config: Config,
    pub rules: Rules,
    pub index: Index,
    /// The corpus's names, for near-miss lookup; rebuilt with the index.
    pub names: NameIndex,
    pub options: CheckOptions,
}

impl Project {
    /// Loads rules and corpus for `config`. `corpus` replaces the configured
    /// corpus paths when not empty.
    pub fn load(config: Config, corpus: &[PathBuf]) -> Result<Project, ProjectError> {
        Project::load_with(config, corpus, |_, _| {}).map(|(p, _)| p)
    }

    /// Like [`Project::load`], reporting indexing progress as (files done,
    /// files to read) and how the index was opened. The index is kept on disk
    /// (see [`crate::index::store`]) unless the configuration says not to; if
    /// the cache folder cannot be used, it is built in memory with a warning.
    pub fn load_with(
        config: Config,
        corpus: &[PathBuf],
        progress: impl FnMut(usize, usize),
    ) -> Result<(Project, OpenStats), ProjectError> {
        Project::open(config, corpus, true, progress)
    }

    /// [`Project::load`] with a progress callback: (files indexed, files to read).
    pub fn load_with_progress(
        config: Config,
        corpus: &[PathBuf],
        progress: impl FnMut(usize, usize),
    ) -> Result<Project, ProjectError> {
        Project::load_with(config, corpus, progress).map(|(p, _)| p)
    }

    /// Like [`Project::load_with`], but always brings the stored index up to
    /// date with the files, whatever `[index] refresh` says (`copydesk index`).
    /// Its name index is left empty: names are not stored, they are read
    /// from every source's text by whoever checks, and reading them here (one
    /// thread, every file read again) took a fifth of a 10,000-source build.
    pub fn index_with(
        config: Config,
        corpus: &[PathBuf],
        progress: impl FnMut(usize, usize),
    ) -> Result<(Project, OpenStats), ProjectError> {
        Project::open_as(config, corpus, true, false, progress)
    }

    /// Loads for the language server: an index already on disk is used at
    /// once, without comparing it with the files (`OpenStats::stale`); the
    /// server refreshes it in the background with [`Project::load`].
    pub fn load_stale(config: Config) -> Result<(Project, OpenStats), ProjectError> {
        Project::open(config, &[], false, |_, _| {})
    }

    /// Opens, comparing the index with the files when `refresh` asks and
    /// `[index] refresh` is not `manual`.
    fn open(
        config: Config,
        corpus: &[PathBuf],
        refresh: bool,
        progress: impl FnMut(usize, usize),
    ) -> Result<(Project, OpenStats), ProjectError> {
        let refresh = refresh && config.refresh() != crate::config::Refresh::Manual;
        Project::open_as(config, corpus, refresh, true, progress)
    }

    fn open_as(
        config: Config,
        corpus: &[PathBuf],
        refresh: bool,
        names: bool,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<(Project, OpenStats), ProjectError> {
        // Before anything is read: configured paths stay in the project.
        config.check_boundary(!corpus.is_empty())?;
        let boundary = config.boundary_root();
        let boundary = boundary.as_deref();
        let rules = Rules::load(&config.rule_paths())?;
        let paths = if corpus.is_empty() {
            config.corpus_paths()
        } else {
            corpus.to_vec()
        };
        if paths.is_empty() {
            return Err(ProjectError::NoCorpus);
        }
        let (index, stats) = match config.index_root() {
            Some(root) => match store::open(&paths, &rules, &root, refresh, boundary, &mut progress) {
                Ok(r) => r,
                Err(store::StoreError::Corpus(e)) => return Err(e.into()),
                Err(e) => {
                    tracing::warn!("cannot keep the index on disk ({e}); indexing in memory");
                    (
                        Index::from_paths_within(&paths, &rules, boundary, &mut progress)?,
                        OpenStats::default(),
                    )
                }
            },
            None => (
                Index::from_paths_within(&paths, &rules, boundary, &mut progress)?,
                OpenStats::default(),
            ),
        };
        let names = if names {
            NameIndex::for_corpus(&index, &rules)
        } else {
            NameIndex::default()
        };
        Ok((
            Project {
                names,
                options: config.check_options(),
                config,
                rules,
                index,
            },
            stats,
        ))
    }

    /// A checker over this project's index, rules and names.
    pub fn checker(&self) -> Checker<'_> {
        Checker::new(&self.index, &self.rules, &self.options).with_names(&self.names)
    }

    /// Re-reads one source (or drops it, with `None`), then the names.
    pub fn update_source(&mut self, path: &std::path::Path, source: Option<crate::corpus::Source>) {
        self.index.update_source(path, source, &self.rules);
        // Names of the new version are added; those of a removed version
        // stay known (a stale name can only keep a flag from firing).
        if let Some(id) = self.index.source_id_by_path(path) {
            self.names.add_source(&self.index, id, &self.rules);
        }
        // A data note changed: the tables beside it read it again.
        let indexed: Vec<std::path::PathBuf> = self.index.sources().map(|(_, s)| s.path).collect();
        for table in crate::corpus::data::tables_noted_by([&path.to_path_buf()], &indexed) {
            if let crate::corpus::ReadOutcome::Source(s, _) = crate::corpus::read_source(&table) {
                self.index.update_source(&table, Some(*s), &self.rules);
            }
        }
    }

    /// Checks a draft's text. Returns every figure's and quotation's finding, `supported` ones
    /// included; suppressed findings are marked.
    pub fn check_text(&self, text: &str) -> (Document, Vec<Finding>) {
        let doc = Document::parse(text.to_string());
        let findings = self.checker().check(&doc);
        (doc, findings)
    }
}
