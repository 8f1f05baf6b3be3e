//! What the server holds: open documents, the projects their corpora belong
//! to, the editor's settings and capabilities.
//!
//! Locks are held briefly, and never across an `await` that waits for a
//! check: checks run on the blocking pool, each document with its own lock,
//! so a huge document or corpus never blocks requests on another document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use tokio::sync::OnceCell;
use tower_lsp::Client;
use tower_lsp::lsp_types::{MessageType, Url};

use super::convert::Encoding;
use super::document::DocText;
use crate::check::{BlockCache, Checker, Conflict, Finding};
use crate::config::Config;
use crate::markdown::Document;
use crate::project::Project;
use crate::text::LineIndex;

/// What the client can do, as far as the server cares.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientFlags {
    pub watched_files_dynamic: bool,
    pub message_actions: bool,
    pub apply_edit: bool,
    pub inlay_refresh: bool,
    pub configuration: bool,
}

/// A loaded project, and what is derived from it.
#[derive(Debug)]
pub struct Loaded {
    pub project: RwLock<Project>,
    /// Bumped whenever the index changes.
    pub generation: AtomicU64,
    conflicts: Mutex<Option<(u64, Arc<Vec<Conflict>>)>>,
    /// While a background refresh runs: the files changed meanwhile, to
    /// apply again to the refreshed project (which may have looked at them
    /// before they changed).
    pending: Mutex<Option<Vec<PathBuf>>>,
    /// Set when the project checks against a shared archive (`[index] url`):
    /// the project then holds rules and options, no local index.
    #[cfg(feature = "postgres")]
    pub archive: Option<Arc<super::archive::ArchiveLink>>,
}

impl Loaded {
    /// Re-indexes changed source files (read again, or removed when gone).
    pub fn reindex(&self, paths: Vec<PathBuf>) {
        // The archive learns of changes from its ingester, not from local files.
        #[cfg(feature = "postgres")]
        if self.archive.is_some() {
            return;
        }
        if let Some(p) = lock(&self.pending).as_mut() {
            p.extend(paths.iter().cloned());
        }
        for path in paths {
            let source = match path.exists().then(|| crate::corpus::read_source(&path)) {
                Some(crate::corpus::ReadOutcome::Source(s, w)) => {
                    if let Some(w) = w {
                        tracing::warn!("{w}");
                    }
                    Some(*s)
                }
                Some(crate::corpus::ReadOutcome::Skipped(w)) => {
                    tracing::warn!("{w}");
                    None
                }
                None => None,
            };
            let mut project = write(&self.project);
            // Match the indexed path whether it was given absolute or relative.
            // A watcher reports resolved paths (`archive/`, not `story/../archive/`).
            let indexed = project
                .index
                .source_id_by_path(&path)
                .or_else(|| project.index.source_id_by_path(&crate::trust::resolve(&path)))
                .map(|id| project.index.source(id).path.clone())
                .unwrap_or(path.clone());
            project.update_source(&indexed, source);
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The corpus-wide conflicts, computed once per index generation.
    pub fn conflicts(&self) -> Arc<Vec<Conflict>> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some((g, c)) = &*lock(&self.conflicts)
            && *g == generation
        {
            return c.clone();
        }
        let project = read(&self.project);
        let found = Arc::new(Checker::new(&project.index, &project.rules, &project.options).conflicts());
        *lock(&self.conflicts) = Some((generation, found.clone()));
        found
    }
}

/// One project: its effective configuration, loaded on first use.
#[derive(Debug)]
pub struct Slot {
    /// The `copydesk.toml` it comes from, or the workspace folder.
    pub key: PathBuf,
    pub config: Config,
    loaded: OnceCell<Result<Arc<Loaded>, String>>,
}

impl Slot {
    pub fn loaded_now(&self) -> Option<Arc<Loaded>> {
        self.loaded.get().and_then(|r| r.as_ref().ok().cloned())
    }
}

/// The last whole-document check of a document.
#[derive(Debug)]
pub struct Checked {
    /// The configuration epoch and index generation it was computed under.
    pub epoch: u64,
    pub generation: u64,
    pub version: i32,
    /// Shared with the partial checks of the same text (a long draft's
    /// findings so far), which are published as the check goes on.
    pub text: Arc<str>,
    pub lines: Arc<LineIndex>,
    pub doc: Arc<Document>,
    pub findings: Vec<Finding>,
    pub loaded: Arc<Loaded>,
}

impl Checked {
    /// The checked text with its line index, for position conversions.
    pub fn view(&self) -> crate::lsp::convert::Text<'_> {
        crate::lsp::convert::Text {
            text: &self.text,
            lines: &self.lines,
        }
    }

    /// Whether the configuration and the index are still those it was computed with.
    pub fn is_current(&self, epoch: u64) -> bool {
        self.epoch == epoch && self.generation == self.loaded.generation.load(Ordering::SeqCst)
    }
}

/// An open document.
#[derive(Debug)]
pub struct Doc {
    pub uri: Url,
    pub path: Option<PathBuf>,
    pub text: Mutex<DocText>,
    pub cache: Mutex<BlockCache>,
    /// Bumped by every edit; a scheduled check runs only if still current.
    pub ticket: AtomicU64,
    pub last: Mutex<Option<Arc<Checked>>>,
    /// While a long draft is checked in stages: the findings so far, for
    /// interactive requests on the text being checked.
    pub partial: Mutex<Option<Arc<Checked>>>,
    pub slot: Mutex<Option<Arc<Slot>>>,
    /// The ticket and stage of the last publish, held while publishing: a
    /// publish goes out only if its ticket is newer (or, for the stages of
    /// one long check, its stage), so diagnostics for version N can never
    /// follow those for N+1, nor a part of them the whole.
    pub published: tokio::sync::Mutex<(u64, u32)>,
}

/// Where a check of a long draft in stages sends its findings so far, and
/// the ticket it belongs to: when an edit takes a newer ticket, the check
/// stops.
pub struct Progress {
    pub ticket: u64,
    pub tx: tokio::sync::mpsc::UnboundedSender<Arc<Checked>>,
    /// A check that ends within this long (`[lsp] progress-ms`, default
    /// 500 ms) publishes once, at its end (a keystroke in a long draft
    /// re-checks one block). Past it, a stage's findings are sent when its
    /// number is a power of two, or this long after the last send if they
    /// grew by half meanwhile: the first come within a stage or two, and all
    /// the sends together are a few times the final diagnostics, not one
    /// copy per stage.
    pub every: std::time::Duration,
}

impl Progress {
    /// Whether to send the findings after `stage`, `found` of them, `shown`
    /// sent so far, the check running for `running` and the last send (or
    /// the start) `since` ago, the stages so far having done `done`. A
    /// keystroke's check (all reused but a chunk or two of the draft) sends
    /// once, whole: its stages are copies from the cache, and a send of
    /// the findings so far would copy them all again.
    fn due(
        &self,
        stage: u32,
        found: usize,
        shown: usize,
        running: std::time::Duration,
        since: std::time::Duration,
        done: &crate::check::CacheStats,
    ) -> bool {
        let editing = done.reused > 0 && done.chunks_checked <= 2;
        running >= self.every
            && !editing
            && found > shown
            && (stage.is_power_of_two() || since >= self.every && found >= shown + shown / 2)
    }
}

/// The whole server state.
pub struct State {
    pub client: Client,
    pub encoding: OnceLock<Encoding>,
    pub flags: RwLock<ClientFlags>,
    pub roots: RwLock<Vec<PathBuf>>,
    /// Editor settings, in `copydesk.toml` keys.
    pub settings: RwLock<Config>,
    pub docs: Mutex<HashMap<Url, Arc<Doc>>>,
    pub slots: Mutex<HashMap<PathBuf, Arc<Slot>>>,
    /// Keys of projects whose load failure was already shown.
    pub told: Mutex<std::collections::HashSet<PathBuf>>,
    pub shutting_down: AtomicBool,
    /// Bumped when every project is forgotten (configuration changed): a
    /// check begun before belongs to the old configuration.
    pub epoch: AtomicU64,
    /// Configured paths may lead outside the workspace: set only by the
    /// user (`COPYDESK_ALLOW_OUTSIDE_PATHS`, or the `allow-outside-paths`
    /// initialization option), never by workspace settings or `copydesk.toml`.
    pub allow_outside: AtomicBool,
    /// The server's own file watcher, and the folders it watches.
    pub watcher: Mutex<Option<Box<dyn notify::Watcher + Send>>>,
    pub watched: Mutex<std::collections::HashSet<PathBuf>>,
}

/// Locks, recovering from a panic in another holder: the data is plain and
/// every writer leaves it consistent, so poisoning only means "a handler
/// panicked", which is logged where it happened.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|p| p.into_inner())
}

pub fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|p| p.into_inner())
}

impl State {
    pub fn new(client: Client) -> State {
        State {
            client,
            encoding: OnceLock::new(),
            flags: RwLock::new(ClientFlags::default()),
            roots: RwLock::new(Vec::new()),
            settings: RwLock::new(Config::default()),
            docs: Mutex::new(HashMap::new()),
            slots: Mutex::new(HashMap::new()),
            told: Mutex::new(Default::default()),
            shutting_down: AtomicBool::new(false),
            epoch: AtomicU64::new(0),
            allow_outside: AtomicBool::new(crate::trust::allowed_by_env()),
            watcher: Mutex::new(None),
            watched: Mutex::new(Default::default()),
        }
    }

    /// Watches a loaded project's corpus paths that no watch covers yet (a
    /// corpus outside the workspace folders, which the client does not watch).
    pub fn watch_corpus(&self, paths: &[PathBuf]) {
        let mut watcher = lock(&self.watcher);
        let Some(w) = watcher.as_mut() else { return };
        let mut watched = lock(&self.watched);
        for p in paths {
            // Resolved: `story/../archive` is not under `story`.
            let p = crate::trust::resolve(p);
            if watched.iter().any(|w| p.starts_with(crate::trust::resolve(w))) || !p.exists() {
                continue;
            }
            match w.watch(&p, notify::RecursiveMode::Recursive) {
                Ok(()) => {
                    tracing::info!(path = %p.display(), "watching corpus path");
                    watched.insert(p);
                }
                Err(e) => tracing::warn!(path = %p.display(), "cannot watch: {e}"),
            }
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    pub fn doc(&self, uri: &Url) -> Option<Arc<Doc>> {
        lock(&self.docs).get(uri).cloned()
    }

    pub fn open_docs(&self) -> Vec<Arc<Doc>> {
        lock(&self.docs).values().cloned().collect()
    }

    /// The workspace folder holding `path`, else the first folder, else its own folder.
    fn root_for(&self, path: Option<&Path>) -> PathBuf {
        let roots = read(&self.roots);
        if let Some(p) = path
            && let Some(r) = roots
                .iter()
                .filter(|r| p.starts_with(r))
                .max_by_key(|r| r.as_os_str().len())
        {
            return r.clone();
        }
        roots
            .first()
            .cloned()
            .or_else(|| path.and_then(Path::parent).map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The project a document belongs to: its nearest `copydesk.toml`, laid
    /// over the editor settings; else the editor settings for its workspace.
    pub fn slot_for(&self, doc: &Doc) -> Arc<Slot> {
        if let Some(slot) = lock(&doc.slot).clone() {
            return slot;
        }
        let dir = doc.path.as_deref().and_then(Path::parent);
        let root = self.root_for(doc.path.as_deref());
        let file = dir.and_then(Config::find).or_else(|| Config::find(&root));
        let mut settings = read(&self.settings).clone();
        settings.root = root.clone();
        // Configured paths stay in the workspace folder holding the draft (or
        // the project of its copydesk.toml), unless the user allowed more.
        let in_workspace = doc
            .path
            .as_deref()
            .is_some_and(|p| read(&self.roots).iter().any(|r| p.starts_with(r)));
        settings.boundary = if self.allow_outside.load(Ordering::SeqCst) {
            crate::trust::Boundary::Anywhere
        } else if in_workspace {
            crate::trust::Boundary::Folder(root.clone())
        } else {
            crate::trust::Boundary::Project
        };
        let (key, config) = match file {
            Some(file) => match Config::load(&file) {
                Ok(fc) => (file, settings.overlay(&fc)),
                Err(e) => {
                    self.tell_once(&file, MessageType::ERROR, format!("copydesk: {e}"));
                    (file, settings.overlay(&Config::default()))
                }
            },
            None => (root, settings.overlay(&Config::default())),
        };
        let slot = lock(&self.slots)
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Slot {
                    key,
                    config,
                    loaded: OnceCell::new(),
                })
            })
            .clone();
        *lock(&doc.slot) = Some(slot.clone());
        slot
    }

    /// Shows a message once per key (a broken config, a missing corpus).
    pub fn tell_once(&self, key: &Path, typ: MessageType, message: String) {
        tracing::warn!("{message}");
        if lock(&self.told).insert(key.to_path_buf()) {
            let client = self.client.clone();
            tokio::spawn(async move { client.show_message(typ, message).await });
        }
    }

    /// The loaded project of a document, loading it on the blocking pool the
    /// first time. `None` when it cannot be loaded (told to the user once).
    pub async fn loaded_for(self: &Arc<State>, doc: &Doc) -> Option<Arc<Loaded>> {
        let slot = self.slot_for(doc);
        let slot2 = slot.clone();
        let result = slot
            .loaded
            .get_or_init(|| {
                let config = slot.config.clone();
                async move {
                    if let Some(url) = config.index.url.clone() {
                        return self.load_archive(&slot2, config, url);
                    }
                    let started = std::time::Instant::now();
                    let (loaded, stats) = tokio::task::spawn_blocking(move || Project::load_stale(config))
                        .await
                        .map_err(|e| format!("loading the corpus failed: {e}"))?
                        .map_err(|e| e.to_string())?;
                    tracing::info!(
                        sources = loaded.index.source_count(),
                        ms = started.elapsed().as_millis() as u64,
                        "corpus indexed"
                    );
                    for w in &loaded.index.warnings {
                        tracing::warn!("{w}");
                    }
                    self.watch_corpus(&loaded.config.corpus_paths());
                    let loaded = Arc::new(Loaded {
                        project: RwLock::new(loaded),
                        generation: AtomicU64::new(0),
                        conflicts: Mutex::new(None),
                        pending: Mutex::new(None),
                        #[cfg(feature = "postgres")]
                        archive: None,
                    });
                    if stats.stale {
                        self.refresh_in_background(slot2, loaded.clone());
                    }
                    Ok(loaded)
                }
            })
            .await;
        match result {
            Ok(l) => Some(l.clone()),
            Err(e) => {
                self.tell_once(&slot.key, MessageType::WARNING, format!("copydesk: {e}"));
                None
            }
        }
    }

    /// A project checked against the archive at `url`: connecting waits for
    /// the first check, and a database that is down is retried, not fatal.
    #[cfg(feature = "postgres")]
    fn load_archive(self: &Arc<State>, slot: &Arc<Slot>, config: Config, url: String) -> Result<Arc<Loaded>, String> {
        let project = super::archive::project(config)?;
        let link = Arc::new(super::archive::ArchiveLink::new(url));
        let loaded = Arc::new(Loaded {
            project: RwLock::new(project),
            generation: AtomicU64::new(0),
            conflicts: Mutex::new(None),
            pending: Mutex::new(None),
            archive: Some(link.clone()),
        });
        let (state, slot) = (Arc::downgrade(self), Arc::downgrade(slot));
        link.listen(Arc::downgrade(&loaded), move |loaded| {
            if let (Some(state), Some(slot)) = (state.upgrade(), slot.upgrade()) {
                state.recheck(&slot, &loaded);
            }
        });
        Ok(loaded)
    }

    #[cfg(not(feature = "postgres"))]
    fn load_archive(self: &Arc<State>, _: &Arc<Slot>, _: Config, _: String) -> Result<Arc<Loaded>, String> {
        Err("this copydesk was built without the `postgres` feature: [index] url is not available".into())
    }

    /// After a failed check against the archive: tells the editor once per
    /// outage and reconnects with backoff, then checks the drafts again.
    #[cfg(feature = "postgres")]
    fn archive_down(self: &Arc<State>, doc: &Doc, loaded: &Arc<Loaded>) {
        let Some(link) = loaded.archive.clone() else { return };
        if !link.claim_retry() {
            return;
        }
        let slot = self.slot_for(doc);
        let why = link.last_error().unwrap_or_default();
        let state = self.clone();
        let loaded = loaded.clone();
        tokio::spawn(async move {
            let message = format!("copydesk: the archive is unavailable ({why}); retrying");
            tracing::warn!("{message}");
            state.client.show_message(MessageType::WARNING, message).await;
            let alive = {
                let state = state.clone();
                let slot = slot.clone();
                move || {
                    !state.shutting_down.load(Ordering::SeqCst)
                        && lock(&state.slots).get(&slot.key).is_some_and(|s| Arc::ptr_eq(s, &slot))
                }
            };
            if link.reconnect(alive).await {
                tracing::info!("connected to the archive again");
                state
                    .client
                    .show_message(MessageType::INFO, "copydesk: connected to the archive again")
                    .await;
                state.recheck(&slot, &loaded);
            }
        });
    }

    /// The project's corpus changed: checks its open drafts again.
    pub fn recheck(self: &Arc<State>, slot: &Arc<Slot>, loaded: &Loaded) {
        loaded.generation.fetch_add(1, Ordering::SeqCst);
        for doc in self.open_docs() {
            let same = lock(&doc.slot).as_ref().is_some_and(|s| Arc::ptr_eq(s, slot));
            if same {
                *lock(&doc.last) = None;
                lock(&doc.cache).clear();
                crate::lsp::handlers::diagnostics::schedule(self, &doc, std::time::Duration::ZERO);
            }
        }
    }

    /// The last check of an open document for an interactive request (never
    /// waits for the corpus; `None` when the document is not open or the
    /// corpus is not ready).
    pub async fn checked_uri(self: &Arc<State>, uri: &Url) -> Option<Arc<Checked>> {
        let doc = self.doc(uri)?;
        self.checked(&doc, false).await
    }

    /// Compares an index opened as it was on disk with the files, off the
    /// request path; when anything changed, swaps the refreshed project in
    /// and re-checks the open drafts that use it.
    fn refresh_in_background(self: &Arc<State>, slot: Arc<Slot>, loaded: Arc<Loaded>) {
        let state = self.clone();
        *lock(&loaded.pending) = Some(Vec::new());
        tokio::spawn(async move {
            let config = slot.config.clone();
            let started = std::time::Instant::now();
            let fresh = tokio::task::spawn_blocking(move || Project::load_with(config, &[], |_, _| {})).await;
            let (project, stats) = match fresh {
                Ok(Ok(r)) => r,
                Ok(Err(e)) => {
                    tracing::warn!("refreshing the index failed: {e}");
                    *lock(&loaded.pending) = None;
                    return;
                }
                Err(e) => {
                    tracing::error!("refreshing the index failed: {e}");
                    *lock(&loaded.pending) = None;
                    return;
                }
            };
            tracing::info!(
                analysed = stats.analysed,
                removed = stats.removed,
                ms = started.elapsed().as_millis() as u64,
                "index compared with the files"
            );
            let pending = {
                // Swap and stop recording in one step, so no change falls between.
                let mut pending = lock(&loaded.pending);
                let changed = stats.analysed > 0 || stats.removed > 0 || stats.rebuilt.is_some();
                if changed {
                    *write(&loaded.project) = project;
                }
                let p = pending.take().unwrap_or_default();
                if !changed {
                    return;
                }
                p
            };
            if !pending.is_empty() {
                let l = loaded.clone();
                let _ = tokio::task::spawn_blocking(move || l.reindex(pending)).await;
            }
            loaded.generation.fetch_add(1, Ordering::SeqCst);
            for doc in state.open_docs() {
                let same = lock(&doc.slot).as_ref().is_some_and(|s| Arc::ptr_eq(s, &slot));
                if same {
                    *lock(&doc.last) = None;
                    lock(&doc.cache).clear();
                    crate::lsp::handlers::diagnostics::schedule(&state, &doc, std::time::Duration::ZERO);
                }
            }
        });
    }

    /// The findings for a document's current text: the last check if the text
    /// has not changed since, else a check of the blocks that changed.
    ///
    /// `wait` is for diagnostics, which may wait for the corpus to load or be
    /// re-indexed. Interactive requests (hover, completion, ...) pass `false`
    /// and get `None` rather than stall behind a corpus that is loading.
    pub async fn checked(self: &Arc<State>, doc: &Arc<Doc>, wait: bool) -> Option<Arc<Checked>> {
        self.checked_with(doc, wait, None).await
    }

    /// [`State::checked`]; a long draft checked with `progress` sends its
    /// findings so far as its check goes on, and stops (`None`) when an edit
    /// takes a newer ticket.
    pub async fn checked_with(
        self: &Arc<State>,
        doc: &Arc<Doc>,
        wait: bool,
        progress: Option<Progress>,
    ) -> Option<Arc<Checked>> {
        let (text, version) = {
            let t = lock(&doc.text);
            (t.text(), t.version())
        };
        let epoch = self.epoch.load(Ordering::SeqCst);
        if let Some(last) = lock(&doc.last).clone()
            && last.version == version
            && last.is_current(epoch)
        {
            return Some(last);
        }
        // A long draft being checked in stages: what is found so far.
        if !wait
            && let Some(partial) = lock(&doc.partial).clone()
            && partial.version == version
            && partial.is_current(epoch)
        {
            return Some(partial);
        }
        let loaded = if wait {
            self.loaded_for(doc).await?
        } else {
            self.slot_for(doc).loaded_now()?
        };
        let doc2 = doc.clone();
        let loaded2 = loaded.clone();
        let result = tokio::task::spawn_blocking(move || {
            check_now(&doc2, &loaded2, text, version, epoch, wait, progress.as_ref())
        })
        .await;
        match result {
            #[cfg(feature = "postgres")]
            Ok(None) if loaded.archive.as_ref().is_some_and(|l| l.is_down()) => {
                self.archive_down(doc, &loaded);
                None
            }
            Ok(None) => {
                tracing::debug!(uri = %doc.uri, "corpus busy, or the check overtaken by an edit; answered empty");
                None
            }
            Ok(Some(checked)) => {
                let checked = Arc::new(checked);
                // Kept only if nothing moved meanwhile: an edit, a new
                // configuration or a re-index would make it a stale answer.
                let current = lock(&doc.text).version();
                if current == version && checked.is_current(self.epoch.load(Ordering::SeqCst)) {
                    let old = lock(&doc.last).replace(checked.clone());
                    let partial = lock(&doc.partial).take();
                    // A long draft's findings take a while to free (a tenth
                    // of a second per 20,000): not on the way to publishing.
                    if old.as_ref().is_some_and(|o| o.findings.len() > 4096) {
                        tokio::task::spawn_blocking(move || drop((old, partial)));
                    }
                }
                Some(checked)
            }
            Err(e) => {
                tracing::error!(uri = %doc.uri, "check failed: {e}");
                None
            }
        }
    }

    /// Forgets every project (settings or configuration changed) and every
    /// cached check.
    pub fn reset_projects(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        lock(&self.slots).clear();
        lock(&self.told).clear();
        for d in self.open_docs() {
            *lock(&d.slot) = None;
            *lock(&d.last) = None;
            *lock(&d.partial) = None;
            lock(&d.cache).clear();
        }
    }
}

/// Checks a document's text on the calling thread, reusing unchanged blocks.
/// Without `wait`, gives up (`None`) when the index is being rewritten, or
/// when a draft longer than a stage would have to be checked afresh. With
/// `progress`, a draft longer than a stage is checked in stages, its
/// findings so far sent as it goes, and the check given up (`None`, what is
/// checked kept in the cache) when an edit takes a newer ticket.
pub fn check_now(
    doc: &Doc,
    loaded: &Arc<Loaded>,
    text: String,
    version: i32,
    epoch: u64,
    wait: bool,
    progress: Option<&Progress>,
) -> Option<Checked> {
    let t0 = std::time::Instant::now();
    let project = if wait {
        read(&loaded.project)
    } else {
        match loaded.project.try_read() {
            Ok(p) => p,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        }
    };
    // Read under the project lock, so no re-index is half done.
    let generation = loaded.generation.load(Ordering::SeqCst);
    // An edit re-parses only the blocks around it (the last parse known).
    let before = lock(&doc.last)
        .clone()
        .or_else(|| lock(&doc.partial).clone())
        .map(|c| c.doc.clone());
    let parsed = Arc::new(match before {
        Some(before) => before.reparse(text.clone()),
        None => Document::parse(text.clone()),
    });
    let text: Arc<str> = Arc::from(text);
    let lines = Arc::new(parsed.lines.clone());
    let t_parse = t0.elapsed();
    #[cfg(feature = "postgres")]
    if let Some(link) = &loaded.archive {
        let findings = match link.check(&project, &parsed, doc.path.as_deref(), wait) {
            Ok(Some(f)) => f,
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!("checking against the archive failed: {e}");
                return None;
            }
        };
        tracing::debug!(
            total_us = t0.elapsed().as_micros() as u64,
            findings = findings.len(),
            "checked against the archive"
        );
        return Some(Checked {
            epoch,
            generation,
            version,
            lines,
            text,
            doc: parsed,
            findings,
            loaded: loaded.clone(),
        });
    }
    let mut checker = project.checker();
    if let Some(p) = &doc.path {
        checker = checker.excluding(p);
    }
    let findings = {
        // An interactive request does not queue behind a check of an older
        // text that holds the cache: it checks the current text afresh.
        let mut spare = crate::check::BlockCache::default();
        let mut held = if wait {
            Some(lock(&doc.cache))
        } else {
            match doc.cache.try_lock() {
                Ok(c) => Some(c),
                Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        };
        let long = text.len() > crate::check::CHUNK_MIN_BYTES;
        if held.is_none() && long {
            // A long draft checked afresh would take seconds: the check
            // holding the cache publishes soon, and the request asks again.
            return None;
        }
        let cache = held.as_deref_mut().unwrap_or(&mut spare);
        cache.ensure_tag(epoch << 32 ^ generation);
        // The whole check keeps only this text's blocks in the cache.
        match progress {
            Some(p) if long => {
                let started = std::time::Instant::now();
                let (mut stage, mut shown, mut when) = (0u32, 0usize, started);
                let staged = checker.check_staged(&parsed, cache, |found, done| {
                    if doc.ticket.load(Ordering::SeqCst) != p.ticket {
                        return std::ops::ControlFlow::Break(());
                    }
                    stage += 1;
                    if p.due(stage, found.len(), shown, started.elapsed(), when.elapsed(), done) {
                        (shown, when) = (found.len(), std::time::Instant::now());
                        let partial = Arc::new(Checked {
                            epoch,
                            generation,
                            version,
                            text: text.clone(),
                            lines: lines.clone(),
                            doc: parsed.clone(),
                            findings: found.to_vec(),
                            loaded: loaded.clone(),
                        });
                        *lock(&doc.partial) = Some(partial.clone());
                        let _ = p.tx.send(partial);
                    }
                    std::ops::ControlFlow::Continue(())
                });
                let Some(findings) = staged else {
                    tracing::debug!(uri = %doc.uri, stage, "check overtaken by an edit");
                    return None;
                };
                findings
            }
            _ => checker.check_cached(&parsed, &parsed.blocks, cache),
        }
    };
    tracing::debug!(
        parse_us = t_parse.as_micros() as u64,
        total_us = t0.elapsed().as_micros() as u64,
        findings = findings.len(),
        "checked"
    );
    Some(Checked {
        epoch,
        generation,
        version,
        lines,
        text,
        doc: parsed,
        findings,
        loaded: loaded.clone(),
    })
}
