//! Where a corpus may be and how it is walked: configured paths outside the
//! project, symbolic links, files skipped and later fixed, a corpus outside
//! the workspace watched by the server, and one project per draft.

use std::path::Path;

use serde_json::{Value, json};

use crate::lsp::{diagnostics_for, open};
use crate::lsp_client::{Client, capabilities, url};
use crate::support::{Fixture, copydesk, stderr, stdout};

/// A story folder whose copydesk.toml reads `../archive`, beside it.
const OUTSIDE: &str = r#"
//- story/copydesk.toml
[corpus]
paths = ["sources", "../archive"]
//- story/sources/wire.txt
The ministry said 41 schools had closed.
//- story/draft.md
Flooding closed 41 schools. Rescuers pulled 382 people from the water.
//- archive/2014.txt
Rescuers pulled 382 people from the water, the fire service said.
"#;

fn check_json(dir: &Path, args: &[&str]) -> std::process::Output {
    copydesk()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn configured_corpus_outside_the_project_is_refused_without_the_flag() {
    let fx = Fixture::write(OUTSIDE);
    let story = fx.path("story");
    let out = check_json(&story, &["draft.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("corpus path") && err.contains("archive") && err.contains("outside the project"),
        "{err}"
    );
    assert!(err.contains("--allow-outside-paths"), "{err}");
    assert!(stdout(&out).is_empty(), "nothing of the archive is reported");

    // Allowed explicitly, by flag or by the environment, the archive is read.
    for extra in [&["--allow-outside-paths"][..], &[][..]] {
        let mut cmd = copydesk();
        cmd.current_dir(&story)
            .args(["check", "--format", "json"])
            .args(extra)
            .arg("draft.md");
        if extra.is_empty() {
            cmd.env("COPYDESK_ALLOW_OUTSIDE_PATHS", "1");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(report["corpus"]["sources"], 2, "{report}");
    }
}

#[test]
fn configured_rules_and_symlinked_corpus_outside_the_project_are_refused() {
    let fx = Fixture::write(OUTSIDE);
    let story = fx.path("story");
    // A corpus folder inside the project that is a link to the archive.
    std::fs::write(
        story.join("copydesk.toml"),
        "[corpus]\npaths = [\"sources\", \"linked\"]\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(fx.path("archive"), story.join("linked")).unwrap();
    let out = check_json(&story, &["draft.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("outside the project"), "{}", stderr(&out));

    std::fs::write(
        story.join("copydesk.toml"),
        "[corpus]\npaths = [\"sources\"]\n[rules]\npaths = [\"../archive\"]\n",
    )
    .unwrap();
    let out = check_json(&story, &["draft.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("rules path"), "{}", stderr(&out));

    // The project is the git repository, when there is one: a sibling
    // folder in the same repository is inside it.
    std::fs::create_dir(fx.path(".git")).unwrap();
    std::fs::write(
        story.join("copydesk.toml"),
        "[corpus]\npaths = [\"sources\", \"../archive\"]\n",
    )
    .unwrap();
    let out = check_json(&story, &["draft.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn corpus_given_on_the_command_line_is_the_users_own_choice() {
    let fx = Fixture::write(OUTSIDE);
    let out = check_json(&fx.path("story"), &["--corpus", "../archive", "draft.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["corpus"]["sources"], 1);
}

#[test]
fn a_config_error_quotes_at_most_the_offending_line() {
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        # private: the desk's password is hunter2
        [corpus]
        paths = ["sources"
        oops = 1
        //- draft.md
        Text.
        "#,
    );
    let out = check_json(fx.dir.path(), &["draft.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("copydesk.toml"), "{err}");
    assert!(
        !err.contains("hunter2"),
        "quotes a line other than the offending one: {err}"
    );
}

#[test]
fn symlinks_in_the_corpus_are_followed_and_a_loop_is_reported_once() {
    let fx = Fixture::write(
        r#"
        //- story/copydesk.toml
        [corpus]
        paths = ["sources"]
        //- story/sources/wire.txt
        The ministry said 41 schools had closed.
        //- story/shared/statement.txt
        Rescuers pulled 382 people from the water.
        //- story/shared/more/briefing.txt
        The mayor said 12 bridges were shut.
        //- story/draft.md
        Flooding closed 41 schools. Rescuers pulled 382 people from the water. The mayor said 12 bridges were shut.
        "#,
    );
    let story = fx.path("story");
    std::os::unix::fs::symlink(story.join("shared/statement.txt"), story.join("sources/statement.txt")).unwrap();
    std::os::unix::fs::symlink(story.join("shared/more"), story.join("sources/more")).unwrap();
    std::os::unix::fs::symlink(story.join("sources"), story.join("sources/loop")).unwrap();
    let out = copydesk()
        .current_dir(&story)
        .args(["sources", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let keys: Vec<&str> = listed["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["briefing", "statement", "wire"], "{listed}");
    let warnings = listed["warnings"].as_array().unwrap();
    let loops: Vec<_> = warnings
        .iter()
        .filter(|w| w["message"].as_str().unwrap().contains("loop"))
        .collect();
    assert_eq!(loops.len(), 1, "{warnings:?}");
    assert!(loops[0]["path"].as_str().unwrap().ends_with("loop"));
}

#[test]
fn a_symlink_in_the_corpus_to_a_file_outside_the_project_is_not_read() {
    let fx = Fixture::write(OUTSIDE);
    let story = fx.path("story");
    std::fs::write(story.join("copydesk.toml"), "[corpus]\npaths = [\"sources\"]\n").unwrap();
    std::os::unix::fs::symlink(fx.path("archive/2014.txt"), story.join("sources/leak.txt")).unwrap();
    let out = copydesk()
        .current_dir(&story)
        .args(["sources", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(listed["sources"].as_array().unwrap().len(), 1, "{listed}");
    assert!(
        listed["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["path"].as_str().unwrap().ends_with("leak.txt")
                && w["message"].as_str().unwrap().contains("outside the project")),
        "{listed}"
    );
    let out = copydesk()
        .current_dir(&story)
        .args(["sources", "--format", "json", "--allow-outside-paths"])
        .output()
        .unwrap();
    let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(listed["sources"].as_array().unwrap().len(), 2, "{listed}");
}

/// `copydesk sources` in `dir` with the index kept in `cache`: the keys listed.
fn indexed_keys(dir: &Path, cache: &Path) -> Vec<String> {
    indexed_keys_by(copydesk(), dir, cache)
}

/// [`indexed_keys`], run by `cmd` (the binary, or a wrapper that runs it
/// as another user).
fn indexed_keys_by(mut cmd: std::process::Command, dir: &Path, cache: &Path) -> Vec<String> {
    let out = cmd
        .current_dir(dir)
        .env("COPYDESK_CACHE_DIR", cache)
        .args(["sources", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut keys: Vec<String> = listed["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    keys
}

#[test]
fn a_skipped_file_fixed_with_the_same_size_and_time_is_read_again() {
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["sources"]
        //- sources/wire.txt
        The ministry said 41 schools had closed.
        "#,
    );
    let cache = fx.path("cache");
    let text = b"Rescuers pulled 382 people from the water.\n";
    // First a binary file (a failed download), of the same size as the fix.
    let mut binary = text.to_vec();
    binary[3] = 0;
    binary[9] = 0;
    let late = fx.path("sources/late.txt");
    std::fs::write(&late, &binary).unwrap();
    let stamp = std::fs::metadata(&late).unwrap().modified().unwrap();
    assert_eq!(indexed_keys(fx.dir.path(), &cache), vec!["wire"]);
    // Fixed in place, by a tool that keeps the modification time (rsync -t,
    // an archive extracted again): only the change time tells.
    std::fs::write(&late, text).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&late)
        .unwrap()
        .set_modified(stamp)
        .unwrap();
    assert_eq!(indexed_keys(fx.dir.path(), &cache), vec!["late", "wire"]);
}

/// Root reads a file whatever its mode, and CI runs as root: there the
/// binary runs as `nobody` (uid 65534) through `setpriv`, owning the
/// fixture, so mode 000 keeps it out. Without `setpriv` the test is skipped
/// as root, and fails under `COPYDESK_EXTERNAL_TESTS=1`.
#[test]
fn an_unreadable_file_is_indexed_once_it_can_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::write(
        r#"
        //- copydesk.toml
        [corpus]
        paths = ["sources"]
        //- sources/wire.txt
        The ministry said 41 schools had closed.
        //- sources/late.txt
        Rescuers pulled 382 people from the water.
        "#,
    );
    let cache = fx.path("cache");
    std::fs::create_dir_all(&cache).unwrap();
    // The binary, as `nobody` when the tests run as root.
    let run = || {
        if !is_root() {
            return copydesk();
        }
        let inner = copydesk();
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(inner.get_program());
        for (k, v) in inner.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd
    };
    if is_root() {
        let has_setpriv = std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !has_setpriv {
            let external = std::env::var_os("COPYDESK_EXTERNAL_TESTS").is_some_and(|v| v == "1");
            assert!(!external, "running as root and `setpriv` (util-linux) is missing");
            eprintln!("skipped: running as root without `setpriv`, so every file is readable");
            return;
        }
        chown_tree(fx.dir.path(), 65534);
    }
    let late = fx.path("sources/late.txt");
    std::fs::set_permissions(&late, std::fs::Permissions::from_mode(0o000)).unwrap();
    assert_eq!(indexed_keys_by(run(), fx.dir.path(), &cache), vec!["wire"]);
    std::fs::set_permissions(&late, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(indexed_keys_by(run(), fx.dir.path(), &cache), vec!["late", "wire"]);
}

/// Gives `path` and everything under it to `uid` (its group too).
fn chown_tree(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).unwrap();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            chown_tree(&entry.unwrap().path(), uid);
        }
    }
}

/// Whether the tests run as root (`id -u`), who can read a file mode 000.
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn each_draft_is_checked_against_its_own_project() {
    let fx = Fixture::write(
        r#"
        //- floods/copydesk.toml
        [corpus]
        paths = ["sources"]
        //- floods/sources/wire.txt
        Rescuers pulled 382 people from the water.
        //- floods/draft.md
        Rescuers pulled 383 people from the water.
        //- budget/copydesk.toml
        [corpus]
        paths = ["sources"]
        [severity]
        figure-mismatch = "warning"
        //- budget/sources/statement.txt
        The council approved 41 new classrooms.
        //- budget/draft.md
        The council approved 42 new classrooms. Rescuers pulled 383 people from the water.
        "#,
    );
    let out = copydesk()
        .current_dir(fx.dir.path())
        .args(["check", "--format", "json", "floods/draft.md", "budget/draft.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let findings = |i: usize| -> Vec<(String, String, String)> {
        files[i]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["text"].as_str().unwrap_or_default().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert!(files[0]["path"].as_str().unwrap().starts_with("floods"));
    let floods = findings(0);
    assert!(
        floods
            .iter()
            .any(|(c, t, s)| c == "figure-mismatch" && t.contains("383") && s == "error"),
        "{floods:?}"
    );
    let budget = findings(1);
    // Against its own corpus, with its own severities; the floods wire is
    // not its source, so 383 there is unsourced, not a mismatch.
    assert!(
        budget
            .iter()
            .any(|(c, t, s)| c == "figure-mismatch" && t.contains("42") && s == "warning"),
        "{budget:?}"
    );
    assert!(
        !budget
            .iter()
            .any(|(c, t, _)| c == "figure-mismatch" && t.contains("383")),
        "{budget:?}"
    );
    assert_eq!(report["corpus"]["sources"], 2, "{report}");
}

#[test]
fn the_server_watches_a_corpus_outside_the_workspace_when_allowed() {
    let fx = Fixture::write(OUTSIDE);
    let story = fx.path("story");
    let draft = std::fs::read_to_string(story.join("draft.md")).unwrap();
    let uri = url(&story.join("draft.md"));
    std::fs::write(
        fx.path("archive/2014.txt"),
        "Rescuers pulled 381 people from the water.\n",
    )
    .unwrap();

    // Not allowed: the server says why and reads nothing from outside.
    let (mut client, _) = Client::start(&story, capabilities(false, true), Value::Null, &[]);
    open(&mut client, &uri, &draft);
    let msg = client.wait_for("window/showMessage", |p| {
        p["message"].as_str().is_some_and(|m| m.contains("outside the project"))
    });
    assert!(
        msg["message"].as_str().unwrap().contains("allow-outside-paths"),
        "{msg}"
    );
    assert_eq!(client.shutdown(), Some(0));

    // Allowed by the user's initialization option (workspace settings sent
    // later cannot set it): the archive is read and watched, though the
    // client watches only the workspace.
    let (mut client, _) = Client::start(
        &story,
        capabilities(false, true),
        json!({"allow-outside-paths": true}),
        &[],
    );
    open(&mut client, &uri, &draft);
    let has_mismatch = |d: &[Value]| d.iter().any(|d| d["code"] == "figure-mismatch");
    assert!(has_mismatch(&diagnostics_for(&mut client, &uri, 1)));
    std::fs::write(
        fx.path("archive/2014.txt"),
        "Rescuers pulled 382 people from the water.\n",
    )
    .unwrap();
    let p = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && !p["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "figure-mismatch")
    });
    assert_eq!(p["version"], 1);
    assert_eq!(client.shutdown(), Some(0));
}
