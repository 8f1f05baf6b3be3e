//! The verdict: from a draft figure's scored candidates to a decision.
//! `decide` is a pure function of scores and thresholds (`rules/scoring.toml`),
//! with no index and no text, so each case of the policy is a unit test;
//! `Checker::verdict` gathers the candidates' scores for it and builds the
//! finding (code, message, passages, replacement) from its decision.

use super::features::Story;
use super::passage::{dedupe, normalize_label};
use super::score::Cand;
use super::{Agreement, Checker, Code, Finding, Passage, Version, compare};
use crate::extract::{Dim, Figure};
use crate::markdown::{Block, Document};
use crate::rules::Bound;
use crate::rules::Scoring;
use rustc_hash::FxHashSet;
use std::ops::Range;

/// One source's best candidate, as the verdict sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    /// The same-fact score.
    pub score: f32,
    /// How the counted things relate (1 the same noun or unit).
    pub relation: f32,
    /// The share of the draft figure's context the candidate's sentence
    /// gives, before any bonus for an equal value.
    pub context: f32,
    /// Whether its value is vague ("hundreds of").
    pub vague: bool,
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

/// Whether the best conflict shares `context_ratio` times the draft's context
/// the best support shares: the support then rests on its equal value alone
/// (a source's "8.3 pct" rise of the whole airport for the draft's wrong
/// "8.3 per cent" of one terminal, whose own sentence says 6.1), not on a
/// statement of the same fact, so the sources do not disagree: the draft
/// does. Not a vague conflict ("hundreds of supporters" against "3,000"):
/// its words are often those of another figure of the draft sentence
/// ("hundreds of police faced 3,000 supporters").
fn context_outweighs(supports: &[Scored], conflicts: &[Scored], w: &Scoring) -> bool {
    match (supports.first(), conflicts.first()) {
        (Some(s), Some(c)) => !c.vague && c.context >= w.context_ratio * s.context.max(f32::EPSILON),
        _ => false,
    }
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
        } else if best_con > w.mismatch_ratio * best_sup || context_outweighs(supports, conflicts, w) {
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
        .is_some_and(|c| c.score >= w.t_named && c.relation >= w.r_named)
    {
        // A source speaks to the same counted thing or unit with another
        // value: name it rather than call the figure unsourced.
        Decision::Mismatch
    } else {
        Decision::Unsourced
    }
}

/// What backs a supported figure: the strong supports, else the best one.
fn backing_of<'c>(strong_sup: &[&'c Cand], supports: &[&'c Cand]) -> Vec<&'c Cand> {
    if strong_sup.is_empty() {
        supports.iter().take(1).copied().collect()
    } else {
        strong_sup.to_vec()
    }
}

impl<'a> Checker<'a> {
    /// Conflicts outside `strong_con` that score as a later state would
    /// (`t_later`) and come from a source dated after every source of the
    /// strong versions, best first.
    fn later_versions<'c>(
        &self,
        strong_sup: &[&'c Cand],
        strong_con: &[&'c Cand],
        conflicts: &[&'c Cand],
    ) -> Vec<&'c Cand> {
        let date = |c: &Cand| self.passage_date(&self.passage(c.fact));
        let mut dates = Vec::new();
        for c in strong_sup.iter().chain(strong_con) {
            match date(c) {
                Some(d) => dates.push(d),
                // An undated version: no history to read.
                None => return Vec::new(),
            }
        }
        conflicts
            .iter()
            .copied()
            .filter(|c| c.score >= self.rules.scoring.t_later && !c.confusable)
            .filter(|c| !strong_con.iter().any(|s| s.fact == c.fact))
            .filter(|c| date(c).is_some_and(|d| dates.iter().all(|o| d.order(o) == Some(std::cmp::Ordering::Greater))))
            .collect()
    }

    /// The candidate a source is read by for a draft figure the draft does
    /// not date: a figure of the same source nearly as strong as its best
    /// (`present_ratio`) that is undated, or dated later, when the best is
    /// dated. The draft's undated figure is its story's present, so "more
    /// than 1,000 handovers" is read against the report's 612 for this March,
    /// not its "(March 2025: 1,018)". A draft figure with its own time, or
    /// told as an earlier value ("up from 68.6 per cent"), keeps the best; so
    /// does a date, which has no time slot.
    fn present_of_source<'c>(&self, fig: &Figure, best: &'c Cand, cands: &'c [Cand]) -> &'c Cand {
        if fig.time.is_some() || fig.earlier {
            return best;
        }
        let Some(t_best) = self.index.figure(best.fact).time else {
            return best;
        };
        let source = self.index.sentence(best.fact.sentence).source;
        let floor = self.rules.scoring.present_ratio * best.score;
        cands
            .iter()
            .take_while(|c| c.score >= floor)
            .filter(|c| c.agreement != best.agreement && self.index.sentence(c.fact.sentence).source == source)
            .find(|c| self.index.figure(c.fact).time.is_none_or(|t| t > t_best))
            .unwrap_or(best)
    }

    pub(super) fn verdict(
        &self,
        doc: &Document,
        block: &Block,
        fig: &Figure,
        span: Range<usize>,
        mut cands: Vec<Cand>,
    ) -> Finding {
        let w = &self.rules.scoring;
        cands.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.index.stable_cmp(a.fact, b.fact))
        });
        if tracing::enabled!(tracing::Level::DEBUG) {
            tracing::debug!(figure = &doc.text[span.clone()], "candidates");
            for c in cands.iter().take(8) {
                let p = self.passage(c.fact);
                tracing::debug!(score = c.score, agreement = ?c.agreement, confusable = c.confusable, key = %p.key, figure = %p.figure_text, why = ?c.why, story = ?c.story, "  candidate");
            }
        }
        // A source sentence that gives the draft's value as superseded
        // ("rose to 52 from 40") speaks for its newer value.
        let revised = self.read_revisions(block, fig, &mut cands);
        self.drop_revision_partners(block, fig, &mut cands);
        // Each source is read once, by its statement that best matches the
        // fact: a source that backs the draft's value does not also contradict
        // it through a neighbouring figure ("between January 9 and March 27"),
        // and one whose best match is another value does.
        let mut seen_sources: FxHashSet<u32> = FxHashSet::default();
        let per_source: Vec<&Cand> = cands
            .iter()
            .filter(|c| seen_sources.insert(self.index.sentence(c.fact.sentence).source))
            .map(|best| self.present_of_source(fig, best, &cands))
            .collect();
        // A source that gives the draft figure's rate another period speaks
        // to the rate; one silent on the rate does not, so it leaves the
        // other unanswered ("$2,600 a month" against "$2,600 a year" and a
        // bare "$2,600").
        let rate_contested = fig.rate.is_some()
            && per_source.iter().any(|c| {
                c.confusable
                    && c.score >= w.t_conflict
                    && self.index.figure(c.fact).rate.is_some_and(|r| Some(r) != fig.rate)
            });
        let supports: Vec<&Cand> = per_source
            .iter()
            .copied()
            .filter(|c| c.agreement != Agreement::Conflict && !c.confusable)
            .filter(|c| !rate_contested || self.index.figure(c.fact).rate.is_some())
            .collect();
        let conflicts: Vec<&Cand> = per_source
            .iter()
            .copied()
            .filter(|c| c.agreement == Agreement::Conflict || c.confusable)
            .collect();
        let best_sup = supports.first().map_or(0.0, |c| c.score);
        let best_con = conflicts.first().map_or(0.0, |c| c.score);
        let text = doc.text[span.clone()].to_string();

        let strong_sup: Vec<&Cand> = supports
            .iter()
            .copied()
            .filter(|c| c.score >= w.t_support.min(best_sup * 0.6).max(w.t_support * 0.6))
            .collect();
        let strong_con: Vec<&Cand> = conflicts
            .iter()
            .copied()
            .filter(|c| c.score >= w.t_conflict && c.score >= best_con * 0.6)
            .collect();

        let scored = |cs: &[&Cand]| -> Vec<Scored> {
            cs.iter()
                .map(|c| Scored {
                    score: c.score,
                    relation: c.why[0],
                    context: c.why[1],
                    vague: self.index.figure(c.fact).bound == Bound::Vague,
                })
                .collect()
        };
        let code = match decide(&scored(&supports), &scored(&conflicts), w) {
            Decision::Supported => Code::Supported,
            Decision::SourcesDisagree => Code::SourcesDisagree,
            Decision::Mismatch => self.mismatch_code(fig, conflicts[0]),
            Decision::Unsourced => Code::UnsourcedFigure,
        };

        let code = self.regroup(code, best_sup, &supports, &conflicts);
        // A source that says the draft's value was revised outranks support
        // for it from a source no newer: the draft gives a superseded value.
        let mut revised_best = conflicts.first().copied().filter(|c| revised.contains(&c.fact));
        let code = match conflicts
            .iter()
            .find(|c| revised.contains(&c.fact) && c.score >= w.t_conflict)
        {
            Some(r) if code == Code::Supported && !self.older_than_support(r, &supports) => {
                revised_best = Some(r);
                Code::FigureMismatch
            }
            _ => code,
        };
        let mut finding = Finding {
            code,
            severity: self.options.severity(code),
            span,
            text: text.clone(),
            value: Some(fig.value),
            message: String::new(),
            replacement: None,
            passages: Vec::new(),
            versions: Vec::new(),
            suppressed: None,
            related: Vec::new(),
        };
        if let (Code::FigureMismatch, Some(r)) = (code, revised_best) {
            self.outdate_by_revision(&mut finding, doc, block, fig, r.fact);
            return finding;
        }
        // Backed, but a later source of the story revises the backed value.
        if code == Code::Supported {
            let backing = backing_of(&strong_sup, &supports);
            // A revision first; else a later value, unless the figure or its
            // block is dated (then it is of its time). Neither when the draft
            // sentence gives the value as the earlier one itself.
            let revision = self.revised_later(block, fig, &backing);
            let later = if revision.is_none() && fig.time.is_none() {
                self.later_value(block, fig, &backing, &conflicts)
                    .filter(|_| !self.block_dated(block, fig))
            } else {
                None
            };
            if (revision.is_some() || later.is_some()) && !self.draft_gives_earlier(block, fig) {
                if let Some(newer) = revision {
                    finding.passages = dedupe(backing.iter().take(2).map(|c| self.passage(c.fact)).collect());
                    self.outdate_by_revision(&mut finding, doc, block, fig, newer);
                } else if let Some(later) = later {
                    self.outdate_by_later_value(&mut finding, doc, block, fig, &backing, later);
                }
                return finding;
            }
        }
        // Backed, and another source gives the same count another value.
        let mut strong_con = strong_con;
        let other = (code == Code::Supported)
            .then(|| self.same_count_conflict(block, fig, &backing_of(&strong_sup, &supports), &conflicts))
            .flatten();
        let code = match other {
            Some(c) => {
                tracing::debug!(score = c.score, why = ?c.why, figure = %self.passage(c.fact).figure_text, "  same count, another value");
                strong_con.push(c);
                self.recode(&mut finding, Code::SourcesDisagree);
                Code::SourcesDisagree
            }
            None => code,
        };
        match code {
            Code::Supported => {
                // Passages only from sources tied to the draft's story, when
                // any is: a same-value figure of another story is no citation.
                let tied: Vec<&Cand> = strong_sup.iter().copied().filter(|c| c.story == Story::Same).collect();
                let chosen: Vec<&Cand> = if !tied.is_empty() {
                    tied
                } else if strong_sup.is_empty() {
                    supports.iter().take(1).copied().collect()
                } else {
                    strong_sup
                };
                finding.passages = dedupe(chosen.iter().take(5).map(|c| self.passage(c.fact)).collect());
                finding.message = format!("supported by {}", finding.source_keys().join(", "));
            }
            Code::UnsourcedFigure => {
                finding.message = format!("no source states {text:?}");
                // A month alone ("late February", "in March") is a time the
                // story moves in, not a fact a source must state.
                let month_alone = matches!(
                    fig.value,
                    crate::extract::Value::Date(crate::extract::DateVal {
                        year: None,
                        month: Some(_),
                        day: None
                    })
                );
                if fig.weak || month_alone || matches!(fig.dim, Dim::Time | Dim::Ordinal | Dim::Score) {
                    self.recode(&mut finding, Code::Supported);
                    finding.message = "not checked: too common a word to call unsourced".into();
                }
            }
            Code::SourcesDisagree => {
                // A conflict from a source dated after every strong version
                // is the fact's latest word, a version however much less it
                // shares with the draft than the strongest conflict ("cases
                // reached 260" after "rose to 112 from 48").
                let later = self.later_versions(&strong_sup, &strong_con, &conflicts);
                // One version per value and kind of thing, however worded.
                let mut groups: Vec<(String, Vec<&Cand>, bool)> = Vec::new();
                let mut group_keys: Vec<(Vec<u64>, u64)> = Vec::new();
                for c in strong_sup.iter().chain(strong_con.iter()).chain(later.iter()) {
                    let k = &self.index.sentence(c.fact.sentence).keys[c.fact.figure as usize];
                    let key = (k.values().to_vec(), k.dim);
                    let agrees = c.agreement != Agreement::Conflict && !c.confusable;
                    match group_keys.iter().position(|k| *k == key) {
                        Some(i) => groups[i].1.push(c),
                        None => {
                            let label = normalize_label(&self.passage(c.fact).figure_text);
                            groups.push((label, vec![c], agrees));
                            group_keys.push(key);
                        }
                    }
                }
                let mut passages = Vec::new();
                for (label, cs, agrees) in &groups {
                    let mut idx = Vec::new();
                    for c in cs.iter().take(4) {
                        let p = self.passage(c.fact);
                        let i = match passages
                            .iter()
                            .position(|q: &Passage| q.span == p.span && q.key == p.key)
                        {
                            Some(i) => i,
                            None => {
                                passages.push(p);
                                passages.len() - 1
                            }
                        };
                        if !idx.contains(&i) {
                            idx.push(i);
                        }
                    }
                    let replacement = if *agrees {
                        None
                    } else {
                        self.replacement(doc, block, fig, cs[0].fact, self.mismatch_code(fig, cs[0]))
                    };
                    finding.versions.push(Version {
                        text: label.clone(),
                        replacement,
                        matches_draft: *agrees,
                        passages: idx,
                    });
                }
                finding.passages = passages;
                let parts: Vec<String> = finding
                    .versions
                    .iter()
                    .map(|v| {
                        let mut keys: Vec<&str> =
                            v.passages.iter().map(|&i| finding.passages[i].key.as_str()).collect();
                        keys.dedup();
                        format!("{} ({})", v.text, keys.join(", "))
                    })
                    .collect();
                finding.message = format!("sources disagree: {}", parts.join(" vs "));
                self.revise(&mut finding, block, fig);
                if finding.code == Code::SourcesDisagree
                    && let Some(best) = strong_con.first().filter(|c| revised.contains(&c.fact))
                {
                    self.outdate_by_revision(&mut finding, doc, block, fig, best.fact);
                }
            }
            _ => {
                let best = conflicts[0];
                let p = self.passage(best.fact);
                finding.replacement = self.replacement(doc, block, fig, best.fact, code);
                let mut others: Vec<Passage> = strong_con
                    .iter()
                    .skip(1)
                    .take(4)
                    .map(|c| self.passage(c.fact))
                    .filter(|q| normalize_label(&q.figure_text) == normalize_label(&p.figure_text))
                    .collect();
                let src_text = normalize_label(&p.figure_text);
                let period = self.period_outside(best.fact, &p.figure_text);
                let mut passages = vec![p];
                passages.append(&mut others);
                finding.passages = dedupe(passages);
                let keys = finding.source_keys().join(", ");
                finding.message = match code {
                    Code::UnitMismatch => {
                        format!(
                            "the sources say {src_text}{period}, not {} ({keys})",
                            normalize_label(&text)
                        )
                    }
                    Code::QualifierMismatch => format!(
                        "{:?} does not fit the sources: {src_text} ({keys})",
                        normalize_label(&text)
                    ),
                    _ => format!("the sources say {src_text}, not {} ({keys})", normalize_label(&text)),
                };
            }
        }
        finding
    }

    /// The period of a source figure's rate when its words stand apart from
    /// the figure ("every day, 3,000 children …"): " per day".
    fn period_outside(&self, fact: crate::index::FactRef, figure_text: &str) -> String {
        match self.index.figure(fact).rate {
            Some(crate::extract::Rate::Unit(u)) => {
                let unit = &self.rules.units[u as usize];
                let written = unit.display.split_whitespace().next().unwrap_or(&unit.display);
                if figure_text.to_lowercase().contains(&written.to_lowercase()) {
                    String::new()
                } else {
                    format!(" per {}", unit.display)
                }
            }
            _ => String::new(),
        }
    }

    pub(super) fn mismatch_code(&self, fig: &Figure, c: &Cand) -> Code {
        let s = self.index.figure(c.fact);
        // The same number with another unit or counted thing: "six-year" for
        // "six-month", "27 provinces" for "27 cities".
        let same_number = compare::values(fig.bound, fig.value, s.bound, s.value, 1.0) != Some(Agreement::Conflict);
        if c.confusable && same_number {
            Code::UnitMismatch
        } else if fig.bound != Bound::Exact && fig.bound != Bound::Vague && fig.bound.family() != s.bound.family() {
            Code::QualifierMismatch
        } else {
            Code::FigureMismatch
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w() -> Scoring {
        crate::rules::Rules::builtin().scoring
    }

    fn c(score: f32, relation: f32) -> Scored {
        Scored {
            score,
            relation,
            context: 0.5,
            vague: false,
        }
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
    fn a_conflict_told_in_far_more_of_the_drafts_words_is_a_mismatch() {
        let w = w();
        let s = w.t_conflict + 0.1;
        let sup = Scored {
            context: 0.2,
            ..c(s, 1.0)
        };
        let con = |context| Scored { context, ..c(s, 1.0) };
        assert_eq!(
            decide(&[sup], &[con(0.2 * w.context_ratio + 0.01)], &w),
            Decision::Mismatch
        );
        // Sharing somewhat more is still two sources on one fact.
        let near = 0.2 * (1.0 + w.context_ratio) / 2.0;
        assert_eq!(decide(&[sup], &[con(near)], &w), Decision::SourcesDisagree);
        // A vague conflict ("hundreds of") is no such statement.
        let vague = Scored {
            vague: true,
            ..con(0.2 * w.context_ratio + 0.01)
        };
        assert_eq!(decide(&[sup], &[vague], &w), Decision::SourcesDisagree);
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
        assert_eq!(decide(&[], &[c(con, w.r_named)], &w), Decision::Mismatch);
        // The same score about a merely related thing says nothing.
        assert_eq!(decide(&[], &[c(con, w.r_named - 0.05)], &w), Decision::Unsourced);
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
