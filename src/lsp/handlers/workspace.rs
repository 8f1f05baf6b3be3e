//! Lifecycle, settings and corpus changes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

use super::diagnostics;
use crate::config::Config;
use crate::corpus::SOURCE_EXTENSIONS;
use crate::lsp::convert::Encoding;
use crate::lsp::handlers::code_action::SUPPRESS;
use crate::lsp::state::{ClientFlags, State, lock, read, write};

pub async fn initialize(state: &Arc<State>, params: InitializeParams) -> Result<InitializeResult> {
    let caps = &params.capabilities;
    let enc = Encoding::negotiate(caps.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
    let _ = state.encoding.set(enc);
    let ws = caps.workspace.as_ref();
    *write(&state.flags) = ClientFlags {
        watched_files_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        message_actions: caps.window.as_ref().and_then(|w| w.show_message.as_ref()).is_some(),
        apply_edit: ws.and_then(|w| w.apply_edit).unwrap_or(false),
        inlay_refresh: ws
            .and_then(|w| w.inlay_hint.as_ref())
            .and_then(|i| i.refresh_support)
            .unwrap_or(false),
        configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
    };
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)]
    if roots.is_empty()
        && let Some(root) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok())
    {
        roots.push(root);
    }
    let root = roots.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    *write(&state.roots) = roots;
    if let Some(opts) = &params.initialization_options {
        // Only here, from the user's own settings: workspace settings that
        // arrive later with didChangeConfiguration cannot set it.
        let opts_inner = opts.get("copydesk").unwrap_or(opts);
        if opts_inner.get("allow-outside-paths").and_then(|v| v.as_bool()) == Some(true) {
            state.allow_outside.store(true, Ordering::SeqCst);
        }
        apply_settings(state, opts, &root);
    }
    tracing::info!(encoding = ?enc, "initialized");
    Ok(InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(enc.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            })),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["@".into(), "^".into()]),
                ..CompletionOptions::default()
            }),
            definition_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![SUPPRESS.into()],
                ..ExecuteCommandOptions::default()
            }),
            inlay_hint_provider: Some(OneOf::Left(true)),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "copydesk".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    })
}

/// Reads editor settings; a wrong key is shown to the user and the previous
/// settings are kept.
fn apply_settings(state: &State, value: &serde_json::Value, root: &std::path::Path) -> bool {
    match Config::from_settings(value, root) {
        Ok((config, ignored)) => {
            if !ignored.is_empty() {
                tracing::debug!(?ignored, "settings copydesk does not use");
            }
            *write(&state.settings) = config;
            true
        }
        Err(e) => {
            state.tell_once(
                std::path::Path::new("<settings>"),
                MessageType::ERROR,
                format!("copydesk: {e}"),
            );
            false
        }
    }
}

pub async fn initialized(state: &Arc<State>) {
    let flags = *read(&state.flags);
    if flags.watched_files_dynamic {
        let mut watchers: Vec<FileSystemWatcher> = SOURCE_EXTENSIONS
            .iter()
            .map(|ext| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/*.{ext}")),
                kind: None,
            })
            .collect();
        watchers.push(FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/*.toml".into()),
            kind: None,
        });
        let registration = Registration {
            id: "copydesk-watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
        };
        if let Err(e) = state.client.register_capability(vec![registration]).await {
            tracing::warn!("could not register for file changes: {e}");
        }
        // The client watches the workspace; corpus paths outside it are ours.
        start_watcher(state, false);
    } else {
        tracing::info!("the client does not watch files for us; watching corpus folders ourselves");
        start_watcher(state, true);
    }
}

pub async fn shutdown(state: &Arc<State>) -> Result<()> {
    state.shutting_down.store(true, Ordering::SeqCst);
    Ok(())
}

pub async fn did_change_configuration(state: &Arc<State>, params: DidChangeConfigurationParams) {
    let root = read(&state.roots)
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let mut settings = params.settings;
    // Pull-model clients send nothing: ask for the section.
    if (settings.is_null() || settings.as_object().is_some_and(|o| o.is_empty())) && read(&state.flags).configuration {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some("copydesk".into()),
        };
        if let Ok(mut values) = state.client.configuration(vec![item]).await
            && let Some(v) = values.pop()
        {
            settings = v;
        }
    }
    if !settings.is_null() && !apply_settings(state, &settings, &root) {
        return;
    }
    state.reset_projects();
    recheck_all(state).await;
}

async fn recheck_all(state: &Arc<State>) {
    for doc in state.open_docs() {
        diagnostics::schedule(state, &doc, std::time::Duration::ZERO);
    }
    if read(&state.flags).inlay_refresh {
        let _ = state.client.inlay_hint_refresh().await;
    }
}

pub async fn did_change_folders(state: &Arc<State>, params: DidChangeWorkspaceFoldersParams) {
    {
        let mut roots = write(&state.roots);
        for f in params.event.removed {
            if let Ok(p) = f.uri.to_file_path() {
                roots.retain(|r| r != &p);
            }
        }
        for f in params.event.added {
            if let Ok(p) = f.uri.to_file_path() {
                roots.push(p);
            }
        }
    }
    state.reset_projects();
    recheck_all(state).await;
}

pub async fn did_change_watched_files(state: &Arc<State>, params: DidChangeWatchedFilesParams) {
    let paths: Vec<PathBuf> = params
        .changes
        .iter()
        .filter_map(|c| c.uri.to_file_path().ok())
        .collect();
    files_changed(state, paths).await;
}

/// Reacts to files changed on disk: a configuration or rule file reloads the
/// projects; a source file is re-indexed alone, then the open drafts of its
/// project are checked again.
pub async fn files_changed(state: &Arc<State>, paths: Vec<PathBuf>) {
    let slots: Vec<_> = lock(&state.slots).values().cloned().collect();
    let config_changed = paths.iter().any(|p| {
        p.file_name().is_some_and(|n| n == crate::config::FILE_NAME)
            || slots
                .iter()
                .any(|s| s.config.rule_paths().iter().any(|r| p.starts_with(r)))
    });
    if config_changed {
        tracing::info!("configuration or rules changed: reloading");
        state.reset_projects();
        recheck_all(state).await;
        return;
    }
    for slot in slots {
        let Some(loaded) = slot.loaded_now() else { continue };
        let corpus = slot.config.corpus_paths();
        // As written and resolved: a watcher reports either.
        let corpus: Vec<PathBuf> = corpus
            .iter()
            .flat_map(|p| [std::path::absolute(p).unwrap_or(p.clone()), crate::trust::resolve(p)])
            .collect();
        let mine: Vec<PathBuf> = paths
            .iter()
            .filter(|p| {
                let abs = std::path::absolute(p).unwrap_or((*p).clone());
                corpus.iter().any(|c| abs.starts_with(c))
                    && abs
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            })
            .cloned()
            .collect();
        if mine.is_empty() {
            continue;
        }
        let l = loaded.clone();
        let started = std::time::Instant::now();
        let n = mine.len();
        let done = tokio::task::spawn_blocking(move || l.reindex(mine)).await;
        if let Err(e) = done {
            tracing::error!("re-indexing failed: {e}");
            continue;
        }
        tracing::info!(
            files = n,
            ms = started.elapsed().as_millis() as u64,
            "re-indexed changed sources"
        );
        for doc in state.open_docs() {
            let same = lock(&doc.slot).as_ref().is_some_and(|s| Arc::ptr_eq(s, &slot));
            if same {
                *lock(&doc.last) = None;
                lock(&doc.cache).clear();
                diagnostics::schedule(state, &doc, std::time::Duration::ZERO);
            }
        }
    }
}

/// Starts the server's own watcher (`notify`), feeding the same path as
/// `didChangeWatchedFiles`: on the workspace folders when the client does
/// not watch files (`workspace`), and in any case on each loaded project's
/// corpus paths outside them ([`State::watch_corpus`]).
pub fn start_watcher(state: &Arc<State>, workspace: bool) {
    use notify::Watcher;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(ev.paths);
        }
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!("cannot watch files: {e}");
            return;
        }
    };
    let state2 = state.clone();
    // Watch the workspace folders: corpora and copydesk.toml live under them.
    // When the client watches them, they count as watched all the same.
    for root in read(&state.roots).iter() {
        if workspace && let Err(e) = watcher.watch(root, notify::RecursiveMode::Recursive) {
            tracing::warn!(root = %root.display(), "cannot watch: {e}");
            continue;
        }
        lock(&state.watched).insert(root.clone());
    }
    *lock(&state.watcher) = Some(Box::new(watcher));
    tokio::spawn(async move {
        while let Some(mut paths) = rx.recv().await {
            // Gather a burst of events into one re-index.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            paths.sort();
            paths.dedup();
            files_changed(&state2, paths).await;
        }
    });
}
