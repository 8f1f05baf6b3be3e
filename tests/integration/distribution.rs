//! How copydesk is installed: `--version`, `completions`, `man`, the crate as
//! `cargo package` would publish it, and the release workflow, the VS Code
//! platform packages and the mason.nvim entry agreeing on targets, archive
//! names, version and repository. actionlint and the mason schema check need
//! tools from `.venv` (see `external`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

use crate::external::{required, venv_bin};
use crate::support::{copydesk, root, stderr, stdout};

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str) -> Yaml {
    YamlLoader::load_from_str(&read(path)).unwrap().remove(0)
}

fn cargo_toml() -> toml::Table {
    read("Cargo.toml").parse().unwrap()
}

fn cargo_version() -> String {
    cargo_toml()["package"]["version"].as_str().unwrap().to_string()
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(root()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The subcommands `copydesk --help` lists.
fn subcommands() -> Vec<String> {
    let out = copydesk().arg("--help").output().unwrap();
    let help = stdout(&out);
    let list: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .expect("--help lists commands")
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(list.len() >= 8, "{help}");
    list
}

#[test]
fn version_names_the_git_revision() {
    let out = copydesk().arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    let version = cargo_version();
    let toplevel = git(&["rev-parse", "--show-toplevel"]).map(std::path::PathBuf::from);
    let own_checkout = toplevel.and_then(|t| t.canonicalize().ok()) == root().canonicalize().ok();
    match git(&["rev-parse", "--short=10", "HEAD"]).filter(|_| own_checkout) {
        Some(rev) => assert_eq!(text.trim(), format!("copydesk {version} ({rev})")),
        None => assert!(text.starts_with(&format!("copydesk {version}")), "{text}"),
    }
}

#[test]
fn help_names_what_it_checks_and_the_exit_status() {
    let short = stdout(&copydesk().arg("-h").output().unwrap());
    for word in ["figures", "quotations", "names"] {
        assert!(short.contains(word), "-h does not name {word}:\n{short}");
    }
    let long = stdout(&copydesk().arg("--help").output().unwrap());
    assert!(long.contains("misspelt names"), "{long}");
    assert!(
        long.contains("1 when it finds errors"),
        "--help gives check's exit status:\n{long}"
    );
}

#[test]
fn bash_completion_is_valid_and_completes_subcommands() {
    let out = copydesk().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("copydesk.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&script).output().unwrap();
    assert!(syntax.status.success(), "bash -n: {}", stderr(&syntax));
    // Load it and complete, as bash does on Tab: `copydesk ` and `copydesk check --f`.
    let complete = |words: &str, cword: usize| -> BTreeSet<String> {
        let program = format!(
            "source {}; fn=$(complete -p copydesk | sed -E 's/.*-F ([^ ]+).*/\\1/'); \
             COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE=\"{words}\"; COMP_POINT=${{#COMP_LINE}}; \
             $fn copydesk \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-c", &program])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).lines().map(str::to_string).collect()
    };
    let first = complete("copydesk ''", 1);
    for sub in subcommands() {
        assert!(first.contains(&sub), "`copydesk <Tab>` does not offer {sub}: {first:?}");
    }
    let flags = complete("copydesk check --f", 2);
    assert!(flags.contains("--format"), "{flags:?}");
    assert!(!flags.contains("--corpus"), "only flags starting --f: {flags:?}");

    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = copydesk().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && stdout(&out).contains("copydesk"), "{shell}");
    }
    let bad = copydesk().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("possible values"), "{}", stderr(&bad));
}

#[test]
fn man_page_lists_every_subcommand_and_renders() {
    let out = copydesk().arg("man").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains(".TH copydesk 1"), "{page}");
    assert!(
        page.contains(&format!("copydesk {}", cargo_version())),
        "version in the page"
    );
    let subs = subcommands();
    for sub in &subs {
        assert!(page.contains(&format!("copydesk\\-{sub}")), "man page lacks {sub}");
    }

    // One page per subcommand with --out-dir.
    let dir = tempfile::tempdir().unwrap();
    let out = copydesk().arg("man").arg("--out-dir").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for name in std::iter::once("copydesk.1".to_string()).chain(subs.iter().map(|s| format!("copydesk-{s}.1"))) {
        let text = std::fs::read_to_string(dir.path().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.contains(".TH copydesk"), "{name}");
    }
    let check = std::fs::read_to_string(dir.path().join("copydesk-check.1")).unwrap();
    assert!(check.contains("changed\\-since"), "check's page has its options");

    // man(1) renders it, when the machine has man.
    let file = dir.path().join("copydesk.1");
    match Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .output()
    {
        Ok(out) if out.status.success() => {
            let text = stdout(&out);
            assert!(
                text.contains("SUBCOMMANDS") && text.contains("copydesk-check"),
                "{text}"
            );
            assert!(!text.contains(".TH"), "roff rendered, not shown raw");
        }
        Ok(out) => panic!("man -l failed: {}", stderr(&out)),
        Err(_) if !required() => eprintln!("skipped: man(1) not installed"),
        Err(e) => panic!("man(1) missing with COPYDESK_EXTERNAL_TESTS=1: {e}"),
    }
}

/// The files `include_str!` / `include_bytes!` in `src/` read, relative to the root.
fn embedded_files() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in walkdir::WalkDir::new(root().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (i, _) in text.match_indices("include_") {
            let rest = &text[i..];
            let Some(arg) = rest
                .strip_prefix("include_str!(\"")
                .or_else(|| rest.strip_prefix("include_bytes!(\""))
            else {
                continue;
            };
            let rel = &arg[..arg.find('"').unwrap()];
            let file = entry.path().parent().unwrap().join(rel);
            let file = file
                .canonicalize()
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let rel = file.strip_prefix(root().canonicalize().unwrap()).unwrap();
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

#[test]
fn the_crate_ships_code_rules_and_licences_not_tests() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo package --list: {}", stderr(&out));
    let files: BTreeSet<String> = stdout(&out).lines().map(str::to_string).collect();
    let embedded = embedded_files();
    assert!(embedded.iter().any(|f| f.starts_with("rules/")), "{embedded:?}");
    for need in embedded.iter().map(String::as_str).chain([
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/main.rs",
        "src/lib.rs",
    ]) {
        assert!(files.contains(need), "the crate lacks {need}");
    }
    for f in &files {
        for kept_out in [
            "tests/",
            "examples/",
            "editors/",
            "dev/",
            "benches/",
            ".github/",
            "target/",
        ] {
            assert!(!f.starts_with(kept_out), "the crate ships {f}");
        }
    }
    let package = &cargo_toml()["package"];
    for key in [
        "description",
        "license",
        "repository",
        "homepage",
        "readme",
        "keywords",
        "categories",
    ] {
        assert!(package.get(key).is_some(), "Cargo.toml [package] lacks {key}");
    }
    assert_eq!(package["license"].as_str(), Some("MIT OR Apache-2.0"));
}

/// `owner/name` of the repository in Cargo.toml.
fn repository() -> String {
    let url = cargo_toml()["package"]["repository"].as_str().unwrap().to_string();
    url.strip_prefix("https://github.com/")
        .expect("a GitHub repository")
        .to_string()
}

#[test]
fn release_workflow_vscode_packages_and_mason_agree() {
    let workflow = yaml(".github/workflows/release.yml");
    let matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap();
    let pairs: Vec<(String, String)> = matrix
        .iter()
        .map(|m| {
            (
                m["target"].as_str().unwrap().to_string(),
                m["vscode"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let vscode: BTreeSet<&str> = pairs.iter().map(|(_, v)| v.as_str()).collect();
    let want: BTreeSet<&str> = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"].into();
    assert_eq!(vscode, want, "the release builds every VS Code platform");

    // package.sh knows each pair, with the same Rust target.
    let script = read("editors/vscode/package.sh");
    for (triple, target) in &pairs {
        let line = script
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{target})")))
            .unwrap_or_else(|| panic!("package.sh has no case for {target}"));
        assert!(line.contains(&format!("triple={triple};")), "{line}");
    }

    // The mason entry downloads exactly the archives the workflow attaches.
    let version = cargo_version();
    let mason = yaml("editors/nvim/mason/package.yaml");
    assert_eq!(
        mason["source"]["id"].as_str(),
        Some(format!("pkg:github/{}@v{version}", repository()).as_str())
    );
    let archives: BTreeSet<String> = pairs
        .iter()
        .map(|(triple, _)| {
            let ext = if triple.contains("windows") { "zip" } else { "tar.gz" };
            format!("copydesk-v{version}-{triple}.{ext}")
        })
        .collect();
    let assets = mason["source"]["asset"].as_vec().unwrap();
    let files: BTreeSet<String> = assets
        .iter()
        .map(|a| {
            a["file"]
                .as_str()
                .unwrap()
                .replace("{{version}}", &format!("v{version}"))
        })
        .collect();
    assert_eq!(files, archives);
    for a in assets {
        let windows = a["target"].as_str().unwrap().starts_with("win");
        assert_eq!(
            a["bin"].as_str(),
            Some(if windows { "copydesk.exe" } else { "copydesk" })
        );
    }
    let run = read(".github/workflows/release.yml");
    assert!(
        run.contains("name=\"copydesk-$TAG-$TARGET\""),
        "archive names in the workflow"
    );

    // One repository and version everywhere.
    let pkg: serde_json::Value = serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(pkg["version"].as_str(), Some(version.as_str()));
    let url = format!("https://github.com/{}", repository());
    assert_eq!(pkg["repository"]["url"].as_str(), Some(url.as_str()));
    assert_eq!(mason["homepage"].as_str(), Some(url.as_str()));
}

fn external_tool(name: &str) -> Option<std::path::PathBuf> {
    let tool = venv_bin(name);
    if !required() {
        eprintln!(
            "skipped: set COPYDESK_EXTERNAL_TESTS=1 after `.ci/run` installs {}",
            tool.display()
        );
        return None;
    }
    assert!(tool.exists(), "{} missing: run .ci/run", tool.display());
    Some(tool)
}

fn actionlint(files: &[&Path]) -> std::process::Output {
    Command::new(venv_bin("actionlint"))
        .arg("-no-color")
        .arg("-shellcheck")
        .arg(venv_bin("shellcheck"))
        .args(files)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn workflows_pass_actionlint() {
    let Some(_) = external_tool("actionlint") else { return };
    assert!(
        venv_bin("shellcheck").exists(),
        "shellcheck missing from .venv: run .ci/run"
    );
    let mut files = Vec::new();
    for dir in [".github/workflows", "examples/workflows"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                files.push(p);
            }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("release.yml")), "{files:?}");
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let out = actionlint(&refs);
    assert!(out.status.success(), "actionlint:\n{}{}", stdout(&out), stderr(&out));

    // The control: a matrix key that does not exist and an unquoted variable are caught.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    let text = read(".github/workflows/release.yml")
        .replace("${{ matrix.os }}", "${{ matrix.runner }}")
        .replace("\"$TARGET\"", "$TARGET");
    std::fs::write(&bad, text).unwrap();
    let out = actionlint(&[&bad]);
    let report = stdout(&out);
    assert!(!out.status.success(), "actionlint passes a broken workflow");
    assert!(report.contains("runner"), "{report}");
    assert!(report.contains("SC2086"), "shellcheck runs: {report}");
}

#[test]
fn mason_entry_validates_against_the_registry_schema() {
    let Some(python) = external_tool("python") else { return };
    let validate = |file: &Path| {
        Command::new(&python)
            .arg(root().join("tests/mason/validate.py"))
            .arg(file)
            .output()
            .unwrap()
    };
    let out = validate(&root().join("editors/nvim/mason/package.yaml"));
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("valid mason-registry package"));

    // The control: a platform mason does not know, and a missing source id.
    let dir = tempfile::tempdir().unwrap();
    let text = read("editors/nvim/mason/package.yaml");
    for (what, broken) in [
        ("platform", text.replace("target: win_x64", "target: windows_x64")),
        ("id", text.replace("  id: pkg:github/", "  ref: pkg:github/")),
    ] {
        let file = dir.path().join(format!("{what}.yaml"));
        std::fs::write(&file, broken).unwrap();
        let out = validate(&file);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stdout(&out));
    }
}
