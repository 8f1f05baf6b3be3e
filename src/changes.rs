//! Which lines of a file changed since a git revision, for linting only what
//! a pull request touched (`copydesk check --changed-since REV`).
//!
//! Runs the `git` command in the file's folder: `git diff --unified=0 REV --
//! FILE` compares the working tree with `REV`, and the `+c,d` side of each
//! hunk header names the lines added or rewritten. A file git does not track
//! (new, not yet added) counts as changed throughout. Deleted lines change no
//! line that remains.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Why the changed lines could not be found. Each is a usage error.
#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    #[error("cannot run git: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("{path} is not in a git repository (needed by --changed-since)")]
    NotARepository { path: PathBuf },
    #[error("unknown git revision {rev:?} (in the repository of {path})")]
    UnknownRevision { rev: String, path: PathBuf },
    #[error("git diff failed for {path}: {message}")]
    Diff { path: PathBuf, message: String },
}

/// The lines of one file that changed, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedLines {
    /// The whole file is new to git.
    All,
    /// These ranges of lines were added or rewritten.
    Lines(Vec<RangeInclusive<usize>>),
}

impl ChangedLines {
    /// Whether any line from `first` to `last` (1-based, inclusive) changed.
    pub fn touches(&self, first: usize, last: usize) -> bool {
        match self {
            ChangedLines::All => true,
            ChangedLines::Lines(ranges) => ranges.iter().any(|r| *r.start() <= last && first <= *r.end()),
        }
    }
}

/// The new-side line ranges of a `git diff --unified=0` output.
pub fn parse_hunks(diff: &str) -> Vec<RangeInclusive<usize>> {
    diff.lines()
        .filter_map(|line| {
            // "@@ -a[,b] +c[,d] @@ context"
            let rest = line.strip_prefix("@@ ")?;
            let new = rest.split_whitespace().find_map(|t| t.strip_prefix('+'))?;
            let (start, count) = match new.split_once(',') {
                Some((s, c)) => (s.parse::<usize>().ok()?, c.parse::<usize>().ok()?),
                None => (new.parse::<usize>().ok()?, 1),
            };
            (count > 0).then(|| start..=start + count - 1)
        })
        .collect()
}

fn git(dir: &Path, args: &[&str]) -> Result<Output, ChangesError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        // File names are names, not pathspec patterns ("draft[1].md").
        .env("GIT_LITERAL_PATHSPECS", "1")
        .output()
        .map_err(ChangesError::Spawn)
}

/// The lines of `path` that differ from revision `rev` in its repository.
pub fn changed_lines(path: &Path, rev: &str) -> Result<ChangedLines, ChangesError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(Path::new).unwrap_or(path);
    let name = name.to_string_lossy();
    if !git(dir, &["rev-parse", "--show-toplevel"])?.status.success() {
        return Err(ChangesError::NotARepository {
            path: path.to_path_buf(),
        });
    }
    let commit = format!("{rev}^{{commit}}");
    if rev.starts_with('-')
        || !git(dir, &["rev-parse", "--verify", "--quiet", &commit])?
            .status
            .success()
    {
        return Err(ChangesError::UnknownRevision {
            rev: rev.to_string(),
            path: path.to_path_buf(),
        });
    }
    let tracked = git(dir, &["ls-files", "--error-unmatch", "--", &name])?
        .status
        .success();
    if !tracked {
        return Ok(ChangedLines::All);
    }
    let out = git(
        dir,
        &[
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--text",
            "--unified=0",
            rev,
            "--",
            &name,
        ],
    )?;
    if !out.status.success() {
        return Err(ChangesError::Diff {
            path: path.to_path_buf(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(ChangedLines::Lines(parse_hunks(&String::from_utf8_lossy(&out.stdout))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers() {
        let diff = "diff --git a/d.md b/d.md\n--- a/d.md\n+++ b/d.md\n@@ -3 +3 @@ Title\n-old\n+new\n@@ -10,0 +11,2 @@\n+a\n+b\n@@ -20,2 +21,0 @@\n-x\n-y\n";
        assert_eq!(parse_hunks(diff), vec![3..=3, 11..=12]);
        let lines = ChangedLines::Lines(parse_hunks(diff));
        assert!(lines.touches(3, 3));
        assert!(lines.touches(1, 11));
        assert!(!lines.touches(4, 10));
        assert!(!lines.touches(21, 22), "a deletion changes no remaining line");
        assert!(ChangedLines::All.touches(1, 1));
    }
}
