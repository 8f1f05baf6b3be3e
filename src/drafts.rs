//! Draft arguments to files: a file is itself, a folder is every Markdown
//! file under it (walked with the `ignore` crate, so `.gitignore`, `.ignore`
//! and hidden files are respected), a glob (`drafts/**/*.md`) is every file
//! it matches, expanded here so it works whatever the shell does.

use std::path::{Component, Path, PathBuf};

/// File extensions taken as drafts when walking a folder.
pub const DRAFT_EXTENSIONS: &[&str] = &["md", "markdown"];

/// Why a draft argument gives no files.
#[derive(Debug, thiserror::Error)]
pub enum DraftsError {
    #[error("invalid glob {pattern:?}: {source}")]
    Glob {
        pattern: String,
        #[source]
        source: globset::Error,
    },
    #[error("no files match {pattern:?}")]
    NoMatch { pattern: String },
    #[error("no Markdown drafts (.md, .markdown) under {path}")]
    EmptyFolder { path: PathBuf },
}

/// A draft to check, and whether the user named it (rather than a folder or
/// glob finding it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftPath {
    pub path: PathBuf,
    pub explicit: bool,
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DRAFT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The files under `root` (without a leading `./`), sorted, respecting ignore files (also outside a
/// git repository) and skipping hidden ones.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => files.push(tidy(e.path())),
            Ok(_) => {}
            Err(e) => tracing::warn!("{}: {e}", root.display()),
        }
    }
    files
}

/// Removes a leading `./`, so walked paths read as the user wrote the folder.
fn tidy(path: &Path) -> PathBuf {
    let mut c = path.components().peekable();
    while c.peek() == Some(&Component::CurDir) {
        c.next();
    }
    c.collect()
}

/// Expands draft arguments, in order, without repeats. A path that does not
/// exist and is no glob is passed on as it is, for the reader to report.
pub fn expand(args: &[PathBuf]) -> Result<Vec<DraftPath>, DraftsError> {
    let mut out: Vec<DraftPath> = Vec::new();
    let push = |path: PathBuf, explicit: bool, out: &mut Vec<DraftPath>| {
        if !out.iter().any(|d| d.path == path) {
            out.push(DraftPath { path, explicit });
        }
    };
    for arg in args {
        if arg.is_dir() {
            let found: Vec<PathBuf> = walk(arg).into_iter().filter(|p| is_draft(p)).collect();
            if found.is_empty() {
                return Err(DraftsError::EmptyFolder { path: arg.clone() });
            }
            for p in found {
                push(p, false, &mut out);
            }
            continue;
        }
        let text = arg.to_string_lossy();
        if arg.exists() || !is_glob(&text) {
            push(arg.clone(), true, &mut out);
            continue;
        }
        let pattern = tidy(arg);
        let pattern_text = pattern.to_string_lossy().into_owned();
        let glob = globset::GlobBuilder::new(&pattern_text)
            .literal_separator(true)
            .build()
            .map_err(|source| DraftsError::Glob {
                pattern: text.to_string(),
                source,
            })?
            .compile_matcher();
        // Walk from the longest leading part without glob characters.
        let base: PathBuf = pattern
            .components()
            .take_while(|c| !is_glob(&c.as_os_str().to_string_lossy()))
            .collect();
        let root = if base.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            base
        };
        let mut matched = false;
        for p in walk(&root) {
            if glob.is_match(&p) {
                matched = true;
                push(p, false, &mut out);
            }
        }
        if !matched {
            return Err(DraftsError::NoMatch {
                pattern: text.to_string(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(d: &[DraftPath], root: &Path) -> Vec<String> {
        d.iter()
            .map(|d| {
                d.path
                    .strip_prefix(root)
                    .unwrap_or(&d.path)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn folders_globs_and_ignore_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a/one.md",
            "a/two.markdown",
            "a/notes.txt",
            "a/sub/three.md",
            "a/build/skip.md",
            "a/.hidden/skip.md",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x\n").unwrap();
        }
        std::fs::write(root.join("a/.gitignore"), "build/\n").unwrap();
        let got = expand(&[root.join("a")]).unwrap();
        assert_eq!(paths(&got, root), vec!["a/one.md", "a/sub/three.md", "a/two.markdown"]);
        assert!(got.iter().all(|d| !d.explicit));

        let got = expand(&[root.join("a/**/*.md")]).unwrap();
        assert_eq!(paths(&got, root), vec!["a/one.md", "a/sub/three.md"]);
        let got = expand(&[root.join("a/*.md"), root.join("a/one.md")]).unwrap();
        assert_eq!(paths(&got, root), vec!["a/one.md"], "no repeats");

        assert!(matches!(
            expand(&[root.join("a/*.rst")]),
            Err(DraftsError::NoMatch { .. })
        ));
        assert!(
            matches!(
                expand(&[root.join("a/build")]),
                Ok(v) if v.len() == 1
            ),
            "a folder named explicitly is walked even if ignored by its parent"
        );
        let missing = expand(&[root.join("nope.md")]).unwrap();
        assert!(missing[0].explicit);
    }
}
