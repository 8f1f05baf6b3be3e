//! The conflict report (`copydesk conflicts --database URL`): where the
//! archive's sources disagree among themselves, over the sources under
//! `--corpus` (else the whole archive), as the embedded index reports it.
//!
//! The sources' sentences are fetched whole (a report compares every fact of
//! them, so it is bounded like the embedded one, by
//! [`CONFLICT_SOURCE_LIMIT`]); what retrieval reaches beyond them is fetched
//! by the draft view's batches.

use std::path::PathBuf;

use super::view::{ArchiveCheck, DraftView};
use super::{Archive, ArchiveError};
use crate::check::Checker;
use crate::check::conflicts::{CONFLICT_SOURCE_LIMIT, Conflict};

/// The conflicts among the sources under `how.scope` (all when `None`),
/// and how many sources were compared.
pub fn conflicts(archive: &mut Archive, how: &ArchiveCheck<'_>) -> Result<(Vec<Conflict>, usize), ArchiveError> {
    let roots: Vec<PathBuf> = how.scope.clone().unwrap_or_default();
    let ids = archive.source_ids(&roots)?;
    if ids.len() > CONFLICT_SOURCE_LIMIT {
        return Err(ArchiveError::Other(format!(
            "the archive has {} sources{}; a conflict report compares every fact across them and is limited to {CONFLICT_SOURCE_LIMIT} sources (narrow it with --corpus PATH to the story's sources)",
            ids.len(),
            if roots.is_empty() { "" } else { " under --corpus" },
        )));
    }
    let mut view = DraftView::open(archive, how.scope.as_deref())?;
    view.preload(archive.client(), &ids)?;
    let conflicts = view.settle(archive, |view| Checker::new(view, how.rules, how.options).conflicts())?;
    Ok((conflicts, ids.len()))
}
