//! The language server against a shared archive (`[index] url` in
//! `copydesk.toml`, or `index.url` in the editor's settings).
//!
//! One connection per project serves its drafts' checks. When the database
//! is down or refuses, a check fails fast (the server never waits on a dead
//! connection), the editor is told once, and a retry loop reconnects with
//! backoff; when it is back, the open drafts are checked again. A second
//! connection `LISTEN`s on the channel the ingester notifies after each
//! committed file, on a thread of its own (the synchronous client's
//! notification iterator blocks), and re-checks the open drafts.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use crate::archive::view::{ArchiveCheck, check};
use crate::archive::{Archive, ArchiveError};
use crate::check::Finding;
use crate::markdown::Document;
use crate::project::Project;

use super::state::lock;

/// First wait before reconnecting; doubled after each failure.
const FIRST_RETRY: Duration = Duration::from_secs(1);
/// The longest wait between attempts.
const MAX_RETRY: Duration = Duration::from_secs(60);
/// How often the listening thread looks up from its wait (to stop when the
/// project is gone).
const LISTEN_TICK: Duration = Duration::from_secs(2);

/// A project's link to its archive.
pub struct ArchiveLink {
    url: String,
    conn: Mutex<Option<Archive>>,
    /// Set while the retry loop owns reconnecting: checks fail fast.
    down: AtomicBool,
    /// Set while a retry loop runs (one per outage).
    retrying: AtomicBool,
    listening: AtomicBool,
    /// Why the last check failed, for the editor's message.
    last_error: Mutex<Option<String>>,
}

impl std::fmt::Debug for ArchiveLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may hold the password.
        f.write_str("ArchiveLink")
    }
}

/// The project of a draft checked against an archive: its rules and
/// options, no local corpus.
pub fn project(config: crate::config::Config) -> Result<Project, String> {
    let rules = crate::rules::Rules::load(&config.rule_paths()).map_err(|e| e.to_string())?;
    Ok(Project {
        options: config.check_options(),
        config,
        rules,
        index: crate::index::Index::default(),
        names: crate::names::NameIndex::default(),
    })
}

/// Connects and refuses an archive this build cannot read.
fn open(url: &str) -> Result<Archive, ArchiveError> {
    let mut a = Archive::connect(url)?;
    a.require_current()?;
    Ok(a)
}

impl ArchiveLink {
    pub fn new(url: String) -> ArchiveLink {
        ArchiveLink {
            url,
            conn: Mutex::new(None),
            down: AtomicBool::new(false),
            retrying: AtomicBool::new(false),
            listening: AtomicBool::new(false),
            last_error: Mutex::new(None),
        }
    }

    /// Connects now (on the calling thread) unless connected.
    pub fn connect(&self) -> Result<(), ArchiveError> {
        let mut conn = lock(&self.conn);
        if conn.is_none() {
            *conn = Some(open(&self.url)?);
        }
        self.down.store(false, Ordering::SeqCst);
        Ok(())
    }

    /// Whether the retry loop is waiting for the database.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::SeqCst)
    }

    /// Marks the database down after `e`.
    pub fn mark_down(&self, e: &ArchiveError) {
        *lock(&self.last_error) = Some(e.to_string());
        self.down.store(true, Ordering::SeqCst);
    }

    /// Why the last check failed.
    pub fn last_error(&self) -> Option<String> {
        lock(&self.last_error).clone()
    }

    /// True for the one caller that is to run the retry loop of this outage.
    pub fn claim_retry(&self) -> bool {
        self.is_down() && !self.retrying.swap(true, Ordering::SeqCst)
    }

    /// Checks a draft against the archive, `exclude` never cited. Fails at
    /// once while the database is known to be down, and without `wait` when
    /// another check holds the connection (`Ok(None)`); a failure drops the
    /// connection and marks the database down.
    pub fn check(
        &self,
        project: &Project,
        doc: &Document,
        exclude: Option<&Path>,
        wait: bool,
    ) -> Result<Option<Vec<Finding>>, ArchiveError> {
        if self.is_down() {
            return Err(ArchiveError::Other(
                "the archive database is unavailable; retrying".into(),
            ));
        }
        let mut conn = if wait {
            lock(&self.conn)
        } else {
            match self.conn.try_lock() {
                Ok(c) => c,
                Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
            }
        };
        if conn.is_none() {
            match open(&self.url) {
                Ok(a) => *conn = Some(a),
                Err(e) => {
                    self.mark_down(&e);
                    return Err(e);
                }
            }
        }
        let how = ArchiveCheck {
            rules: &project.rules,
            options: &project.options,
            names: true,
            scope: None,
        };
        let archive = conn.as_mut().expect("connected above");
        match check(archive, doc, exclude, &how) {
            Ok((findings, view)) => {
                tracing::debug!(round_trips = view.round_trips, "checked against the archive");
                Ok(Some(findings))
            }
            Err(e) => {
                *conn = None;
                self.mark_down(&e);
                Err(e)
            }
        }
    }

    /// Reconnects with backoff until the database answers (or `alive` says
    /// the project is gone); returns whether it is back.
    pub async fn reconnect(self: &Arc<Self>, alive: impl Fn() -> bool) -> bool {
        let mut wait = FIRST_RETRY;
        loop {
            tokio::time::sleep(wait).await;
            if !alive() {
                self.retrying.store(false, Ordering::SeqCst);
                return false;
            }
            let link = self.clone();
            match tokio::task::spawn_blocking(move || link.connect()).await {
                Ok(Ok(())) => {
                    self.retrying.store(false, Ordering::SeqCst);
                    return true;
                }
                Ok(Err(e)) => tracing::info!("archive still unavailable ({e}); next attempt in {:?}", wait * 2),
                Err(e) => tracing::error!("reconnecting to the archive failed: {e}"),
            }
            wait = (wait * 2).min(MAX_RETRY);
        }
    }

    /// Starts the listening thread once: `changed` runs (on the runtime)
    /// after each burst of notifications, until `owner` is dropped.
    pub fn listen<T: Send + Sync + 'static>(
        self: &Arc<Self>,
        owner: Weak<T>,
        changed: impl Fn(Arc<T>) + Send + Sync + 'static,
    ) {
        if self.listening.swap(true, Ordering::SeqCst) {
            return;
        }
        let url = self.url.clone();
        let handle = tokio::runtime::Handle::current();
        let changed = Arc::new(changed);
        let spawned = std::thread::Builder::new()
            .name("copydesk-archive-listen".into())
            .spawn(move || {
                listen_loop(&url, &owner, |o| {
                    let changed = changed.clone();
                    handle.spawn(async move { changed(o) });
                })
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start the archive listener: {e}");
            self.listening.store(false, Ordering::SeqCst);
        }
    }
}

/// LISTENs on the ingest channel, reconnecting with backoff, until `owner`
/// is gone.
fn listen_loop<T>(url: &str, owner: &Weak<T>, changed: impl Fn(Arc<T>)) {
    let mut wait = FIRST_RETRY;
    while owner.strong_count() > 0 {
        let mut archive = match Archive::connect(url) {
            Ok(a) => a,
            Err(e) => {
                tracing::info!("archive listener cannot connect ({e}); retrying in {wait:?}");
                std::thread::sleep(wait);
                wait = (wait * 2).min(MAX_RETRY);
                continue;
            }
        };
        let client = archive.client();
        if let Err(e) = client.batch_execute(&format!("LISTEN {}", crate::archive::ingest::CHANNEL)) {
            tracing::info!("archive listener: LISTEN failed ({e}); retrying in {wait:?}");
            std::thread::sleep(wait);
            wait = (wait * 2).min(MAX_RETRY);
            continue;
        }
        wait = FIRST_RETRY;
        tracing::debug!("listening for archive changes");
        loop {
            if owner.strong_count() == 0 {
                return;
            }
            let got = {
                let mut notes = client.notifications();
                let first = notes.timeout_iter(LISTEN_TICK).next();
                match first {
                    Ok(Some(_)) => {
                        // One re-check for a burst (an ingest notifies per file).
                        std::thread::sleep(Duration::from_millis(100));
                        1 + notes.iter().count().unwrap_or(0)
                    }
                    Ok(None) => 0,
                    Err(e) => {
                        tracing::info!("archive listener lost its connection ({e}); reconnecting");
                        break;
                    }
                }
            };
            if got > 0
                && let Some(o) = owner.upgrade()
            {
                tracing::debug!(notifications = got, "the archive changed");
                changed(o);
            }
            if client.is_closed() {
                break;
            }
        }
    }
}
