//! The CI packaging: the GitHub Action's script run as GitHub would run it
//! (with the inputs in its environment), the pre-commit hook definition and
//! the example workflow.

use std::path::Path;
use std::process::{Command, Output};

use yaml_rust2::{Yaml, YamlLoader};

use crate::support::{Fixture, root, stderr, stdout};

fn load(path: &str) -> Yaml {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

/// The `run` script of the action's step with this id.
fn action_step(id: &str) -> String {
    let action = load("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    action["runs"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {id} in action.yml"))
        .to_string()
}

/// Runs the action's check step in `dir` with inputs as GitHub passes them.
fn run_action(dir: &Path, inputs: &[(&str, &str)]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_copydesk")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("bash");
    cmd.args([
        "--noprofile",
        "--norc",
        "-e",
        "-o",
        "pipefail",
        "-c",
        &action_step("check"),
    ])
    .current_dir(dir)
    .env("PATH", path)
    .env("COPYDESK_CACHE_DIR", crate::support::test_cache_dir())
    .env("NO_COLOR", "1")
    .env_remove("COPYDESK_LOG");
    for (k, v) in [
        ("FILES", ""),
        ("CORPUS", ""),
        ("FAIL_LEVEL", "error"),
        ("CHANGED_SINCE", ""),
    ] {
        cmd.env(k, v);
    }
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn action_inputs_map_onto_check_flags() {
    let action = load("action.yml");
    for input in ["files", "corpus", "fail-level", "changed-since", "version"] {
        assert!(!action["inputs"][input]["description"].is_badvalue(), "input {input}");
    }
    let fx = Fixture::write(
        r#"
        //- sources/a.txt
        Police rescued 382 babies in 27 cities.
        //- sources/b.txt
        Police rescued 382 babies in 27 provinces.
        //- stories/wrong.md
        Police rescued 383 babies.
        //- stories/contested.md
        Police rescued 382 babies in 27 cities.
        "#,
    );
    let dir = fx.dir.path();
    let out = run_action(dir, &[("FILES", "stories/*.md"), ("CORPUS", "sources")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("::error file=stories/wrong.md,line=1,"), "{text}");
    assert!(text.contains("::warning file=stories/contested.md,line=1,"), "{text}");

    let contested = [("FILES", "stories/contested.md"), ("CORPUS", "sources")];
    assert_eq!(
        run_action(dir, &contested).status.code(),
        Some(0),
        "warnings pass at fail-level error"
    );
    let mut deny = contested.to_vec();
    deny.push(("FAIL_LEVEL", "warning"));
    assert_eq!(run_action(dir, &deny).status.code(), Some(1));

    let never = [("FILES", "stories"), ("CORPUS", "sources"), ("FAIL_LEVEL", "never")];
    let out = run_action(dir, &never);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("::error "), "still reported");

    // A usage error fails even at fail-level never, and a bad level is refused.
    let missing = [
        ("FILES", "stories/none.md"),
        ("CORPUS", "sources"),
        ("FAIL_LEVEL", "never"),
    ];
    assert_eq!(run_action(dir, &missing).status.code(), Some(2));
    let bad = [("FILES", "stories"), ("CORPUS", "sources"), ("FAIL_LEVEL", "sometimes")];
    let out = run_action(dir, &bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("fail-level must be"), "{}", stdout(&out));
}

#[test]
fn pre_commit_hook_and_example_workflow() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("copydesk"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert_eq!(hook["entry"].as_str(), Some("copydesk check"));
    assert_eq!(hook["types"][0].as_str(), Some("markdown"));

    let workflow = load("examples/workflows/copydesk.yml");
    let steps = workflow["jobs"]["check"]["steps"].as_vec().unwrap();
    let uses_action = steps.iter().find(|s| s["with"]["files"].as_str().is_some()).unwrap();
    for input in uses_action["with"].as_hash().unwrap().keys() {
        let name = input.as_str().unwrap();
        assert!(
            !load("action.yml")["inputs"][name].is_badvalue(),
            "the example workflow passes {name}, which action.yml does not declare"
        );
    }
    // The README shows the same workflow.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example = std::fs::read_to_string(root().join("examples/workflows/copydesk.yml")).unwrap();
    assert!(
        readme.contains(example.trim()),
        "README's workflow differs from examples/workflows/copydesk.yml"
    );
}
