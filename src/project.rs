//! A project: one configuration with its rules and indexed corpus. The command
//! line builds one per run; the language server keeps one per workspace.

use std::path::PathBuf;

use crate::check::{CheckOptions, Checker, Finding};
use crate::config::{Config, ConfigError};
use crate::corpus::MissingPath;
use crate::index::Index;
use crate::markdown::Document;
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
    #[error("no corpus: pass --corpus PATH or set [corpus] paths in copydesk.toml")]
    NoCorpus,
}

/// Configuration, rules and the indexed corpus.
#[derive(Debug)]
pub struct Project {
    pub config: Config,
    pub rules: Rules,
    pub index: Index,
    pub options: CheckOptions,
}

impl Project {
    /// Loads rules and corpus for `config`. `corpus` replaces the configured
    /// corpus paths when not empty.
    pub fn load(config: Config, corpus: &[PathBuf]) -> Result<Project, ProjectError> {
        Project::load_with_progress(config, corpus, |_, _| {})
    }

    /// [`Project::load`], calling `progress` with (files indexed, files in
    /// all) as the corpus is indexed.
    pub fn load_with_progress(
        config: Config,
        corpus: &[PathBuf],
        progress: impl FnMut(usize, usize),
    ) -> Result<Project, ProjectError> {
        let rules = Rules::load(&config.rule_paths())?;
        let paths = if corpus.is_empty() {
            config.corpus_paths()
        } else {
            corpus.to_vec()
        };
        if paths.is_empty() {
            return Err(ProjectError::NoCorpus);
        }
        let index = Index::from_paths(&paths, &rules, progress)?;
        Ok(Project {
            options: config.check_options(),
            config,
            rules,
            index,
        })
    }

    /// Checks a draft's text. Returns every figure's finding, `supported` ones
    /// included; suppressed findings are marked.
    pub fn check_text(&self, text: &str) -> (Document, Vec<Finding>) {
        let doc = Document::parse(text.to_string());
        let findings = Checker::new(&self.index, &self.rules, &self.options).check(&doc);
        (doc, findings)
    }
}
