//! Where configured paths may lead.
//!
//! `copydesk.toml` and workspace settings come with the project, and a pull
//! request can change them: a corpus path pointing at any file the CI runner
//! can read would put that file's sentences into public annotations. So
//! corpus, rules and index paths that come from configuration must resolve
//! (symbolic links followed) inside the project root, unless whoever runs
//! copydesk allows more: `--allow-outside-paths` on the command line, or for
//! the language server `COPYDESK_ALLOW_OUTSIDE_PATHS=1` or the
//! `allow-outside-paths` initialization option (a user-level setting, which a
//! workspace cannot set). Paths given on the command line are the user's own
//! and are not confined.

use std::path::{Component, Path, PathBuf};

/// The environment variable that allows configured paths outside the project.
pub const ALLOW_ENV: &str = "COPYDESK_ALLOW_OUTSIDE_PATHS";

/// How far configured paths may reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Boundary {
    /// Inside the project of the configuration file: its git repository, or
    /// the folder holding it when it is in none.
    #[default]
    Project,
    /// Inside this folder (the language server's workspace folder).
    Folder(PathBuf),
    /// Anywhere: allowed explicitly.
    Anywhere,
}

/// A configured path that leads outside the project.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{what} path {path} (resolving to {resolved}) is outside the project {root}; copydesk reads no configured path outside the project unless allowed: pass --allow-outside-paths to the command, or set {ALLOW_ENV}=1 (or the user setting allow-outside-paths) for the language server",
    path = .path.display(), resolved = .resolved.display(), root = .root.display()
)]
pub struct OutsidePath {
    /// "corpus", "rules" or "index".
    pub what: &'static str,
    pub path: PathBuf,
    pub resolved: PathBuf,
    pub root: PathBuf,
}

/// Whether the environment allows configured paths outside the project.
pub fn allowed_by_env() -> bool {
    std::env::var(ALLOW_ENV).is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
}

/// The project root of a configuration file's folder: the nearest ancestor
/// holding `.git` (a folder, or a file in a worktree), else the folder itself.
pub fn project_root(config_dir: &Path) -> PathBuf {
    let dir = resolve(config_dir);
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(dir)
}

/// A path made absolute with symbolic links resolved, as far as it exists;
/// the part that does not exist yet is appended with `.` and `..` applied.
pub fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // The longest existing ancestor is canonicalised; the rest is normalised.
    let mut existing = abs.as_path();
    let mut rest: Vec<Component<'_>> = Vec::new();
    loop {
        if let Ok(canon) = existing.canonicalize() {
            let mut out = canon;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Checks that `path` resolves inside `root` (already resolved).
pub fn confine(what: &'static str, path: &Path, root: &Path) -> Result<(), OutsidePath> {
    let resolved = resolve(path);
    if resolved.starts_with(root) {
        Ok(())
    } else {
        Err(OutsidePath {
            what,
            path: path.to_path_buf(),
            resolved,
            root: root.to_path_buf(),
        })
    }
}

/// Longest line of a file quoted in an error message.
pub const QUOTE_MAX: usize = 160;

/// An error message with each line cut to [`QUOTE_MAX`] characters: the
/// parser quotes the offending line only, but that line may be a whole
/// file of minified text that has no business in a log or an annotation.
pub fn clip_lines(message: &str) -> String {
    message
        .lines()
        .map(|l| match l.char_indices().nth(QUOTE_MAX) {
            Some((i, _)) => format!("{}…", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_pass_and_dot_dot_out_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = resolve(dir.path());
        std::fs::create_dir_all(root.join("story/sources")).unwrap();
        assert!(confine("corpus", &root.join("story/sources"), &root).is_ok());
        // Not there yet: still judged by where it would be.
        assert!(confine("corpus", &root.join("story/new/../later"), &root).is_ok());
        let err = confine("corpus", &root.join("story/../../elsewhere"), &root).unwrap_err();
        assert_eq!(err.resolved, root.parent().unwrap().join("elsewhere"));
        let msg = err.to_string();
        assert!(
            msg.contains("--allow-outside-paths") && msg.contains(ALLOW_ENV),
            "{msg}"
        );
    }

    #[test]
    fn a_symlink_out_of_the_project_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = resolve(dir.path());
        std::os::unix::fs::symlink(outside.path(), root.join("sources")).unwrap();
        assert!(confine("corpus", &root.join("sources"), &root).is_err());
        assert!(confine("corpus", &root.join("sources/file.txt"), &root).is_err());
    }

    #[test]
    fn quoted_lines_are_cut() {
        let long = "y".repeat(QUOTE_MAX * 3);
        let clipped = clip_lines(&format!("error at line 2\n2 | {long}\n  | ^"));
        let lines: Vec<&str> = clipped.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "error at line 2");
        assert_eq!(lines[1].chars().count(), QUOTE_MAX + 1);
        assert!(lines[1].ends_with('…'));
        assert_eq!(lines[2], "  | ^");
    }

    #[test]
    fn the_project_is_the_git_repository_else_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let story = dir.path().join("repo/stories/floods");
        std::fs::create_dir_all(&story).unwrap();
        assert_eq!(project_root(&story), resolve(&story));
        std::fs::create_dir(dir.path().join("repo/.git")).unwrap();
        assert_eq!(project_root(&story), resolve(&dir.path().join("repo")));
    }
}
