//! Where `check` and `sources` read the corpus from: the embedded index of
//! local files, or the shared archive in PostgreSQL (`--database URL`).

use std::path::{Path, PathBuf};

use anyhow::Result;

use copydesk::check::Finding;
use copydesk::corpus::CorpusWarning;
use copydesk::index::Facts;
use copydesk::markdown::Document;
use copydesk::project::Project;

pub enum Backend {
    Local(Box<Project>),
    #[cfg(feature = "postgres")]
    Archive(Box<ArchiveBackend>),
}

#[cfg(feature = "postgres")]
pub struct ArchiveBackend {
    pub archive: copydesk::archive::Archive,
    pub rules: copydesk::rules::Rules,
    pub options: copydesk::check::CheckOptions,
    pub scope: Vec<PathBuf>,
    pub sources: usize,
    /// What the drafts' checks fetched (kept for the SARIF report's locations).
    pub view: Option<copydesk::archive::view::DraftView>,
}

impl Backend {
    /// Opens the archive at `url` for reading (a read-only role is enough).
    #[cfg(feature = "postgres")]
    pub fn archive(url: &str, config: &copydesk::config::Config, scope: &[PathBuf]) -> Result<Backend> {
        let mut archive = copydesk::archive::Archive::connect(url)?;
        archive.require_current()?;
        let rules = copydesk::rules::Rules::load(&config.rule_paths())?;
        let sources = archive.source_count(scope)?;
        Ok(Backend::Archive(Box::new(ArchiveBackend {
            archive,
            rules,
            options: config.check_options(),
            scope: scope.to_vec(),
            sources,
            view: None,
        })))
    }

    #[cfg(not(feature = "postgres"))]
    pub fn archive(_url: &str, _config: &copydesk::config::Config, _scope: &[PathBuf]) -> Result<Backend> {
        anyhow::bail!("this copydesk was built without the `postgres` feature: --database is not available")
    }

    pub fn source_count(&self) -> usize {
        match self {
            Backend::Local(p) => p.index.source_count(),
            #[cfg(feature = "postgres")]
            Backend::Archive(a) => a.sources,
        }
    }

    pub fn warnings(&self) -> Vec<CorpusWarning> {
        match self {
            Backend::Local(p) => p.index.warnings.clone(),
            #[cfg(feature = "postgres")]
            Backend::Archive(_) => Vec::new(),
        }
    }

    /// Whether `path` is itself a source (a folder of drafts may take in the corpus).
    pub fn is_source(&self, path: &Path) -> bool {
        match self {
            Backend::Local(p) => p.index.source_id_by_path(path).is_some(),
            #[cfg(feature = "postgres")]
            Backend::Archive(_) => false,
        }
    }

    /// Every finding on a draft, `path` never cited.
    pub fn check(&mut self, path: &Path, doc: &Document) -> Result<Vec<Finding>> {
        match self {
            Backend::Local(p) => Ok(p.checker().excluding(path).check(doc)),
            #[cfg(feature = "postgres")]
            Backend::Archive(a) => {
                let how = copydesk::archive::view::ArchiveCheck {
                    rules: &a.rules,
                    options: &a.options,
                    names: true,
                    scope: (!a.scope.is_empty()).then(|| a.scope.clone()),
                };
                let (findings, view) = copydesk::archive::view::check(&mut a.archive, doc, Some(path), &how)?;
                tracing::debug!(round_trips = view.round_trips, "checked against the archive");
                a.view = Some(view);
                Ok(findings)
            }
        }
    }

    /// The corpus as the reports read it (source texts for locations).
    pub fn facts(&self) -> &dyn Facts {
        match self {
            Backend::Local(p) => &p.index,
            #[cfg(feature = "postgres")]
            Backend::Archive(a) => match &a.view {
                Some(v) => v,
                None => &*EMPTY,
            },
        }
    }
}

#[cfg(feature = "postgres")]
static EMPTY: std::sync::LazyLock<copydesk::index::Index> = std::sync::LazyLock::new(copydesk::index::Index::default);
