//! The same-fact score on the labelled pairs (`dev/labels/pairs.jsonl`): prints
//! the pair figures of the committed weights on the drafts they were fitted on
//! and on the held-back drafts, then times scoring every pair.
//! `cargo bench --bench scoring`
use copydesk::check::fit::{pair_figures, read_pairs};
use criterion::{Criterion, criterion_group, criterion_main};

fn scoring(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let pairs = read_pairs(&std::fs::read_to_string(root.join("dev/labels/pairs.jsonl")).unwrap()).unwrap();
    let figs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("dev/fit/figures.json")).unwrap()).unwrap();
    let b_hand = figs["b_hand"].as_f64().unwrap();
    let w = copydesk::rules::Rules::builtin().scoring;
    for split in ["fit", "holdout"] {
        let f = pair_figures(pairs.iter().filter(|p| p.split == split), &w, b_hand);
        println!(
            "scoring/{split:7} {} pairs: AUC {:.4}, accuracy {:.4}, log-loss {:.4} (hand-set weights: AUC {}, accuracy {})",
            f.pairs, f.auc, f.accuracy, f.log_loss, figs["hand"][split]["auc"], figs["hand"][split]["accuracy"]
        );
    }
    c.bench_function("score every labelled pair", |b| {
        b.iter(|| pairs.iter().map(|p| p.features.score(&w)).sum::<f32>())
    });
}

criterion_group!(benches, scoring);
criterion_main!(benches);
