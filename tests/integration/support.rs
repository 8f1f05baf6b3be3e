//! Test helpers: multi-file fixtures and the binary under test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use copydesk::check::Code;
use copydesk::config::Config;
use copydesk::project::Project;

/// A fixture: files written as `//- path` followed by their text.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// Splits a fixture into (path, unindented text) pairs.
    pub fn parse(text: &str) -> Vec<(PathBuf, String)> {
        text.split("//- ")
            .skip(1)
            .map(|chunk| {
                let (path, body) = chunk.split_once('\n').unwrap();
                (PathBuf::from(path.trim()), unindent(body))
            })
            .collect()
    }

    /// Writes files into a temporary folder.
    pub fn from_files(files: Vec<(PathBuf, String)>) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        for (path, body) in &files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, body).unwrap();
        }
        Fixture { dir }
    }

    /// Writes the files of a fixture into a temporary folder.
    pub fn write(text: &str) -> Fixture {
        Fixture::from_files(Fixture::parse(text))
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

/// Removes the common leading indentation, so fixtures can be indented in code.
pub fn unindent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: String = text
        .lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    out = out.trim_end().to_string();
    out.push('\n');
    out
}

/// An expectation written in a draft: `[[27 cities|sources-disagree]]`.
#[derive(Debug)]
struct Mark {
    span: std::ops::Range<usize>,
    expect: String,
}

/// Strips `[[text|expect]]` marks, returning the clean text and the marks.
fn strip_marks(text: &str) -> (String, Vec<Mark>) {
    let mut clean = String::new();
    let mut marks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        clean.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("]]").expect("unclosed [[ mark");
        let (inner, expect) = after[..end].rsplit_once('|').expect("mark needs |expect");
        let s = clean.len();
        clean.push_str(inner);
        marks.push(Mark {
            span: s..clean.len(),
            expect: expect.to_string(),
        });
        rest = &after[end + 2..];
    }
    clean.push_str(rest);
    (clean, marks)
}

/// Checks `draft.md` of a fixture against its corpus (from its `copydesk.toml`,
/// or `sources/` when there is none) and compares with the marks: each marked
/// figure must get the code named (`ok` means a figure the sources back,
/// `mismatch` any of the three mismatch codes, `suppressed` a finding silenced
/// by a suppression comment, `any` anything), and no unmarked
/// figure may be flagged.
#[track_caller]
pub fn check(fixture: &str) {
    let mut files = Fixture::parse(fixture);
    let draft_slot = files
        .iter_mut()
        .find(|(p, _)| p == Path::new("draft.md"))
        .expect("fixture needs //- draft.md");
    let (draft, marks) = strip_marks(&draft_slot.1);
    draft_slot.1 = draft.clone();
    let fx = Fixture::from_files(files);
    let config_path = fx.path("copydesk.toml");
    let config = if config_path.exists() {
        Config::load(&config_path).unwrap()
    } else {
        Config::parse("[corpus]\npaths = [\"sources\"]\n", &config_path).unwrap()
    };
    let project = Project::load(config, &[]).unwrap();
    let (_, findings) = project.check_text(&draft);
    let mut problems = Vec::new();
    let mut used = vec![false; findings.len()];
    for m in &marks {
        let hits: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.span.start < m.span.end && m.span.start < f.span.end)
            .map(|(i, _)| i)
            .collect();
        for &i in &hits {
            used[i] = true;
        }
        let flagged: Vec<Code> = hits
            .iter()
            .map(|&i| findings[i].code)
            .filter(|c| *c != Code::Supported)
            .collect();
        let ok = match m.expect.as_str() {
            "ok" => flagged.is_empty() && !hits.is_empty(),
            "any" => true,
            // Flagged, and silenced by a suppression comment.
            "suppressed" => {
                !flagged.is_empty()
                    && hits
                        .iter()
                        .all(|&i| findings[i].code == Code::Supported || findings[i].is_suppressed())
            }
            "mismatch" => flagged
                .iter()
                .any(|c| matches!(c, Code::FigureMismatch | Code::UnitMismatch | Code::QualifierMismatch)),
            code => flagged.iter().any(|c| c.as_str() == code),
        };
        if !ok {
            let got: Vec<String> = hits
                .iter()
                .map(|&i| format!("{} ({})", findings[i].code, findings[i].message))
                .collect();
            problems.push(format!(
                "{:?}: expected {}, got {got:?}",
                &draft[m.span.clone()],
                m.expect
            ));
        }
    }
    for (i, f) in findings.iter().enumerate() {
        if !used[i] && f.code != Code::Supported && !f.is_suppressed() {
            problems.push(format!("unexpected {} on {:?}: {}", f.code, f.text, f.message));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// The binary under test.
pub fn copydesk() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    cmd.env("COPYDESK_CACHE_DIR", test_cache_dir());
    cmd.env_remove("COPYDESK_LOG").env("NO_COLOR", "1");
    // A developer's archive must not stand in for the fixtures' corpus.
    cmd.env_remove("COPYDESK_DATABASE_URL");
    // Nor a developer's permission to read outside the project.
    cmd.env_remove("COPYDESK_ALLOW_OUTSIDE_PATHS");
    cmd
}

/// Runs the binary in `dir` with `args`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    copydesk().current_dir(dir).args(args).output().unwrap()
}

/// `copydesk check --corpus sources draft.md --format json --include-supported`
/// in `dir`: the JSON report, supported figures included.
pub fn check_json(dir: &Path) -> serde_json::Value {
    let out = run(
        dir,
        &[
            "check",
            "--corpus",
            "sources",
            "draft.md",
            "--format",
            "json",
            "--include-supported",
        ],
    );
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The index cache for binaries run by the tests: one folder per test run,
/// shared by its tests (so they also exercise sharing one index).
pub fn test_cache_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("index-cache-{}", std::process::id()))
}

/// The findings of `draft` checked against the sources of `fixture`.
pub fn findings(fixture: &str, draft: &str) -> Vec<copydesk::check::Finding> {
    let fx = Fixture::from_files(Fixture::parse(fixture));
    let config =
        copydesk::config::Config::parse("[corpus]\npaths = [\"sources\"]\n", &fx.path("copydesk.toml")).unwrap();
    let project = copydesk::project::Project::load(config, &[]).unwrap();
    project.check_text(draft).1
}
