//! Puts the git revision into `copydesk --version` (`COPYDESK_VERSION`), so a
//! bug report names the exact build. In a git checkout the revision is
//! `git rev-parse HEAD`; in a published crate (`cargo install copydesk`) it is
//! the one `cargo package` recorded in `.cargo_vcs_info.json`; without either
//! (a tarball, no git) the version is the bare package version.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Digits of the revision shown, as `git log --oneline` shows them.
const SHORT: usize = 10;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let full = match git_revision(&dir).or_else(|| packaged_revision(&dir)) {
        Some(rev) => format!("{version} ({rev})"),
        None => version,
    };
    println!("cargo:rustc-env=COPYDESK_VERSION={full}");
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(dir).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

/// The checkout's HEAD, when the crate is the top of its own repository: a
/// crate unpacked inside another repository (`cargo package`'s verify build
/// under `target/package/`, a vendored tree) must not take that one's.
fn git_revision(dir: &Path) -> Option<String> {
    let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    let rev = git(dir, &["rev-parse", &format!("--short={SHORT}"), "HEAD"])?;
    // Build again when HEAD moves: HEAD itself changes on a checkout, the
    // branch's ref (or packed-refs) on a commit.
    let mut watch = vec!["HEAD".to_string()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch.push(branch);
        watch.push("packed-refs".to_string());
    }
    for name in watch {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", &name]) {
            let p = dir.join(p);
            if p.exists() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
    }
    Some(rev)
}

/// The revision `cargo package` wrote to `.cargo_vcs_info.json`
/// (`{"git": {"sha1": "…"}, …}`).
fn packaged_revision(dir: &Path) -> Option<String> {
    let file = dir.join(".cargo_vcs_info.json");
    if file.exists() {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let text = std::fs::read_to_string(file).ok()?;
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let hex: String = after
        .trim_start_matches([' ', ':', '"', '\n', '\t'])
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hex.len() >= SHORT).then(|| hex[..SHORT].to_string())
}
