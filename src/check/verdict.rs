//! The verdict: from a draft figure's scored candidates to a decision. A pure
//! function of scores and thresholds (`rules/scoring.toml`), with no index and
//! no text, so each case of the policy is a unit test.

use crate::rules::Scoring;

/// One source's best candidate, as the verdict sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    /// The same-fact score.
    pub score: f32,
    /// How the counted things relate (1 the same noun or unit).
    pub relation: f32,
}

/// What the sources say about a draft figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// A source backs the draft's value and none speaks against it as strongly.
    Supported,
    /// A source states the same fact with another value (the best conflict names it).
    Mismatch,
    /// One source backs the draft's value, another states another value.
    SourcesDisagree,
    /// No source speaks to the figure.
    Unsourced,
}

/// Decides from candidates that back the draft's value (`supports`) and that
/// state another value (`conflicts`), each one per source, best first.
pub(crate) fn decide(supports: &[Scored], conflicts: &[Scored], w: &Scoring) -> Decision {
    let best_sup = supports.first().map_or(0.0, |c| c.score);
    let best_con = conflicts.first().map_or(0.0, |c| c.score);
    if best_sup >= w.t_support {
        let contested =
            best_con >= w.t_conflict && (best_con >= w.disagree_ratio * best_sup || best_con >= w.t_disagree);
        if !contested {
            Decision::Supported
        } else if best_con > w.mismatch_ratio * best_sup {
            Decision::Mismatch
        } else {
            Decision::SourcesDisagree
        }
    } else if best_con >= w.t_conflict {
        Decision::Mismatch
    } else if supports
        .iter()
        .any(|c| c.score >= w.t_weak && c.relation >= 0.8 || c.score >= 2.0 * w.t_weak)
    {
        // Stated somewhere about the same kind of thing, in other words.
        Decision::Supported
    } else if conflicts
        .first()
        .is_some_and(|c| c.score >= w.t_named && c.relation >= 1.0)
    {
        // A source speaks to the same counted thing or unit with another
        // value: name it rather than call the figure unsourced.
        Decision::Mismatch
    } else {
        Decision::Unsourced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w() -> Scoring {
        crate::rules::Rules::builtin().scoring
    }

    fn c(score: f32, relation: f32) -> Scored {
        Scored { score, relation }
    }

    #[test]
    fn support_only_is_supported() {
        let w = w();
        assert_eq!(decide(&[c(w.t_support + 0.1, 1.0)], &[], &w), Decision::Supported);
    }

    #[test]
    fn conflict_only_is_a_mismatch() {
        let w = w();
        assert_eq!(decide(&[], &[c(w.t_conflict + 0.1, 1.0)], &w), Decision::Mismatch);
    }

    #[test]
    fn support_and_a_comparable_conflict_disagree() {
        let w = w();
        let s = w.t_conflict + 0.1;
        assert_eq!(decide(&[c(s, 1.0)], &[c(s, 1.0)], &w), Decision::SourcesDisagree);
    }

    #[test]
    fn a_conflict_far_stronger_than_the_support_is_a_mismatch() {
        let w = w();
        let sup = w.t_support;
        let con = (w.mismatch_ratio * sup + 0.1).max(w.t_conflict);
        assert_eq!(decide(&[c(sup, 1.0)], &[c(con, 1.0)], &w), Decision::Mismatch);
    }

    #[test]
    fn a_weak_conflict_beside_strong_support_leaves_it_supported() {
        let w = w();
        let con = w.t_conflict - 0.05;
        assert_eq!(decide(&[c(0.9, 1.0)], &[c(con, 1.0)], &w), Decision::Supported);
    }

    #[test]
    fn a_weak_conflict_about_the_same_thing_is_named() {
        let w = w();
        let con = (w.t_named + w.t_conflict) / 2.0;
        assert_eq!(decide(&[], &[c(con, 1.0)], &w), Decision::Mismatch);
        // The same score about a merely related thing says nothing.
        assert_eq!(decide(&[], &[c(con, 0.85)], &w), Decision::Unsourced);
    }

    #[test]
    fn weak_support_counts_only_about_the_same_kind_of_thing() {
        let w = w();
        let s = w.t_weak + 0.01;
        assert_eq!(decide(&[c(s, 0.95)], &[], &w), Decision::Supported);
        assert_eq!(decide(&[c(s, 0.6)], &[], &w), Decision::Unsourced);
    }

    #[test]
    fn no_candidates_is_unsourced() {
        assert_eq!(decide(&[], &[], &w()), Decision::Unsourced);
    }
}
