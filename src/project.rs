//! A project: one configuration with its rules and indexed corpus. The command
//! line builds one per run; the language server keeps one per workspace.

use std::path::PathBuf;

use crate::check::{CheckOptions, Checker, Finding};
use crate::config::{Config, ConfigError};
use crate::corpus::MissingPath;
use crate::index::Index;
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
        let rules = Rules::load(&config.rule_paths())?;
        let paths = if corpus.is_empty() {
            config.corpus_paths()
        } else {
            corpus.to_vec()
        };
        if paths.is_empty() {
            return Err(ProjectError::NoCorpus);
        }
        let index = Index::from_paths(&paths, &rules, |_, _| {})?;
        let names = NameIndex::build(&index, &rules);
        Ok(Project {
            names,
            options: config.check_options(),
            config,
            rules,
            index,
        })
    }

    /// A checker over this project's index, rules and names.
    pub fn checker(&self) -> Checker<'_> {
        Checker::new(&self.index, &self.rules, &self.options).with_names(&self.names)
    }

    /// Re-reads one source (or drops it, with `None`), then the names.
    pub fn update_source(&mut self, path: &std::path::Path, source: Option<crate::corpus::Source>) {
        self.index.update_source(path, source, &self.rules);
        self.names = NameIndex::build(&self.index, &self.rules);
    }

    /// Checks a draft's text. Returns every figure's and quotation's finding, `supported` ones
    /// included; suppressed findings are marked.
    pub fn check_text(&self, text: &str) -> (Document, Vec<Finding>) {
        let doc = Document::parse(text.to_string());
        let findings = self.checker().check(&doc);
        (doc, findings)
    }
}
