//! The engine builds without the language server's crates: only `src/lsp/`
//! (behind the `server` feature) and the binary's `lsp` command may use
//! tokio, tower-lsp, tower, notify or futures. `.ci/run` also builds the
//! library with `--no-default-features`; this test says which file broke it.

use std::path::Path;

use crate::support::root;

const SERVER_CRATES: &[&str] = &["tokio", "tower_lsp", "tower", "notify", "futures"];

/// Whether `line` names one of the server's crates as a path (`tokio::...`,
/// `use notify;`), outside comments.
fn names_server_crate(line: &str) -> Option<&'static str> {
    let code = line.split("//").next().unwrap_or_default();
    SERVER_CRATES.iter().copied().find(|c| {
        code.match_indices(c).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = &code[i + c.len()..];
            !before.is_some_and(|b| b.is_alphanumeric() || b == '_' || b == ':')
                && (after.starts_with("::") || after.starts_with(';'))
        })
    })
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_engine_uses_no_server_crate() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel.starts_with("lsp") || rel == Path::new("main.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if let Some(c) = names_server_crate(line) {
                found.push(format!("src/{}:{}: {c}: {}", rel.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the engine must build without the server:\n{}",
        found.join("\n")
    );
    // The server module itself is behind the feature.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    assert!(
        lib.contains("#[cfg(feature = \"server\")]\n#[deny(clippy::print_stdout)]\npub mod lsp;"),
        "src/lib.rs must declare `mod lsp` under the `server` feature"
    );
}

#[test]
fn the_check_finds_server_crates_and_ignores_lookalikes() {
    assert_eq!(names_server_crate("use tokio::sync::Mutex;"), Some("tokio"));
    assert_eq!(
        names_server_crate("    let w = notify::recommended_watcher(f);"),
        Some("notify")
    );
    assert_eq!(names_server_crate("use futures;"), Some("futures"));
    assert_eq!(names_server_crate("let x = my_tokio::f();"), None);
    assert_eq!(names_server_crate("// tokio::spawn is not used here"), None);
    assert_eq!(names_server_crate("self.notify(x);"), None);
    assert_eq!(names_server_crate("crate::tower::f()"), None);
}
