//! Figures of the score's weights on labelled pairs (`dev/labels/pairs.jsonl`,
//! written by `dev/fit/fit.py label`): what the fit reports, recomputed in
//! Rust from the weights the checker reads, so a test and the scoring
//! benchmark can hold the committed weights to the fit's recorded figures.

use super::score::{Features, N_FEATURES};
use crate::rules::Scoring;

/// One labelled pair: its split ("fit" or "holdout"), features and label.
#[derive(Debug, Clone)]
pub struct LabelledPair {
    pub split: String,
    pub features: Features,
    pub same_fact: bool,
}

/// Reads the JSON lines of a labelled-pair file; a malformed line is an error
/// naming its number.
pub fn read_pairs(text: &str) -> Result<Vec<LabelledPair>, String> {
    #[derive(serde::Deserialize)]
    struct Row {
        split: String,
        x: Vec<f32>,
        label: u8,
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let r: Row = serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1))?;
            let x: [f32; N_FEATURES] =
                r.x.try_into()
                    .map_err(|_| format!("line {}: expected {N_FEATURES} features", i + 1))?;
            Ok(LabelledPair {
                split: r.split,
                features: Features(x),
                same_fact: r.label == 1,
            })
        })
        .collect()
}

/// Pair figures of a model on some pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairFigures {
    pub pairs: usize,
    /// Mean negative log-likelihood of the labels.
    pub log_loss: f64,
    /// Share of pairs on the right side of probability 0.5.
    pub accuracy: f64,
    /// The chance a same-fact pair scores above another pair (ties half).
    pub auc: f64,
}

/// The figures of the weights `w` on `pairs`, reading P(same fact) as
/// sigmoid(`b_hand` + ln score): `b_hand` is the intercept of the hand-set
/// weights on the fit split, recorded by the fit.
pub fn pair_figures<'p>(pairs: impl IntoIterator<Item = &'p LabelledPair>, w: &Scoring, b_hand: f64) -> PairFigures {
    let ps: Vec<(f64, bool)> = pairs
        .into_iter()
        .map(|p| {
            let z = b_hand + f64::from(p.features.score(w).ln());
            (1.0 / (1.0 + (-z).exp()), p.same_fact)
        })
        .collect();
    let n = ps.len().max(1) as f64;
    let log_loss = -ps
        .iter()
        .map(|&(p, y)| {
            if y {
                p.max(1e-12).ln()
            } else {
                (1.0 - p).max(1e-12).ln()
            }
        })
        .sum::<f64>()
        / n;
    let accuracy = ps.iter().filter(|&&(p, y)| (p >= 0.5) == y).count() as f64 / n;
    let (pos, neg): (Vec<_>, Vec<_>) = ps.iter().map(|&(p, y)| (p, y)).partition(|&(_, y)| y);
    let mut wins = 0.0;
    for (p, _) in &pos {
        for (q, _) in &neg {
            wins += if p > q {
                1.0
            } else if p == q {
                0.5
            } else {
                0.0
            };
        }
    }
    PairFigures {
        pairs: ps.len(),
        log_loss,
        accuracy,
        auc: wins / (pos.len() * neg.len()).max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn pair(split: &str, sim: f32, same: bool) -> LabelledPair {
        let mut x = [0.0; N_FEATURES];
        x[1] = sim.ln();
        LabelledPair {
            split: split.into(),
            features: Features(x),
            same_fact: same,
        }
    }

    #[test]
    fn separated_pairs_have_auc_one_and_swapped_zero() {
        let w = Rules::builtin().scoring;
        let good = [pair("fit", 0.9, true), pair("fit", 0.1, false)];
        assert_eq!(pair_figures(&good, &w, 0.0).auc, 1.0);
        let bad = [pair("fit", 0.1, true), pair("fit", 0.9, false)];
        assert_eq!(pair_figures(&bad, &w, 0.0).auc, 0.0);
    }

    #[test]
    fn malformed_lines_are_named() {
        assert!(
            read_pairs("{\"split\":\"fit\",\"x\":[1],\"label\":1}")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(read_pairs("not json").is_err());
    }

    /// The weights in `rules/scoring.toml` reproduce the figures their fit
    /// recorded in `dev/fit/figures.json`: a hand edit of a weight, or a change
    /// to how the features combine, without a refit fails here.
    #[test]
    fn committed_weights_reproduce_the_recorded_fit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let pairs = read_pairs(&std::fs::read_to_string(root.join("dev/labels/pairs.jsonl")).unwrap()).unwrap();
        let figs: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("dev/fit/figures.json")).unwrap()).unwrap();
        let w = Rules::builtin().scoring;
        let b_hand = figs["b_hand"].as_f64().unwrap();
        for split in ["fit", "holdout"] {
            let rows: Vec<&LabelledPair> = pairs.iter().filter(|p| p.split == split).collect();
            assert!(rows.len() > 100, "{split}: too few labelled pairs");
            let got = pair_figures(rows, &w, b_hand);
            let want = &figs["committed"][split];
            for (name, g) in [("log_loss", got.log_loss), ("accuracy", got.accuracy), ("auc", got.auc)] {
                let e = want[name].as_f64().unwrap();
                assert!(
                    (g - e).abs() < 2e-3,
                    "{split} {name}: {g:.4} with the committed weights, the fit recorded {e}"
                );
            }
        }
    }
}
