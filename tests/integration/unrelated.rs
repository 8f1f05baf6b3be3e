//! Verdicts do not depend on unrelated sources: a draft checked against its
//! story's sources alone, and against the same sources plus 20,000 generated
//! articles about other stories (`copydesk::synth`), gets the same findings.
//! Document frequency may rank candidates; it must not decide them.

use std::path::{Path, PathBuf};

use copydesk::check::Finding;
use copydesk::config::Config;
use copydesk::project::Project;

/// Generated unrelated sources, written once for every draft of this test.
const UNRELATED: usize = 20_000;

/// A wire-style story (pct, mln dlrs, cts), written for this test.
const WIRE_SOURCE: &str = "Harbour Mills Buys Stake In Kestrel Foods\n\n\
Reuters, 12-MAR-1987\n\n\
Harbour Mills Inc said it has acquired 1,250,000 shares of Kestrel Foods Corp, or 22.5 pct of the \
outstanding stock, for 14.6 mln dlrs. Brantley Holdings owns 21.9 pct of Kestrel.\n\n\
Kestrel earned 3.2 mln dlrs, or 41 cts a share, in 1986, up from 2.7 mln dlrs, or 35 cts a share, in 1985. \
Harbour said it may raise its stake to as much as 40 pct.\n";

const WIRE_DRAFT: &str = "# Kestrel changes hands\n\n\
Harbour Mills has bought 22.5 percent of Kestrel Foods for $14.6 million; Brantley Holdings holds 21.9 percent.\n\n\
Kestrel earned $3.2 million, or 41 cents a share, in 1986, against $2.9 million in 1985. \
Harbour may take its stake to as much as 45 percent.\n";

fn findings(project: &Project, draft: &str) -> Vec<String> {
    let (_, found) = project.check_text(draft);
    found.iter().map(describe).collect()
}

fn describe(f: &Finding) -> String {
    let keys: Vec<&str> = f.passages.iter().map(|p| p.key.as_str()).collect();
    format!(
        "{:?} {} {:?} {} [{}]",
        f.span,
        f.code,
        f.text,
        f.message,
        keys.join(",")
    )
}

fn project(root: &Path, corpus: &[&str]) -> Project {
    let paths: Vec<String> = corpus.iter().map(|c| format!("{c:?}")).collect();
    let toml = format!("[corpus]\npaths = [{}]\n", paths.join(", "));
    let config = Config::parse(&toml, &root.join("copydesk.toml")).unwrap();
    Project::load(config, &[]).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn unrelated_sources_change_no_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    copy_dir(&examples.join("sources"), &root.join("fires"));
    std::fs::create_dir_all(root.join("wire")).unwrap();
    std::fs::write(root.join("wire/kestrel.txt"), WIRE_SOURCE).unwrap();
    // Short articles keep the build affordable in a debug test run; what
    // matters is how many documents share the draft's units and numbers.
    let mut synth = copydesk::synth::Synth::new(5);
    let noise = root.join("noise");
    for i in 0..UNRELATED {
        let sub = noise.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("n{i:06}.txt")), synth.source(40)).unwrap();
    }
    let fires_draft = std::fs::read_to_string(examples.join("draft.md")).unwrap();
    let drafts = [("fires", fires_draft.as_str()), ("wire", WIRE_DRAFT)];

    let alone: Vec<Vec<String>> = drafts
        .iter()
        .map(|(corpus, draft)| findings(&project(root, &[corpus]), draft))
        .collect();
    let crowded = project(root, &["fires", "wire", "noise"]);
    for ((name, draft), alone) in drafts.iter().zip(&alone) {
        assert!(!alone.is_empty(), "{name}: no findings to compare");
        let with_noise = findings(&crowded, draft);
        assert_eq!(&with_noise, alone, "{name}: unrelated sources changed the findings");
    }
    // The wire draft's own errors are found by name, not as unsourced figures.
    let wire = alone[1].join("\n");
    assert!(wire.contains("figure-mismatch \"$2.9 million\""), "{wire}");
    assert!(wire.contains("figure-mismatch \"as much as 45 percent\""), "{wire}");
}
