//! The same-fact score of a candidate: a log-linear combination of its
//! feature vector (`Features`), the weights read from `rules/scoring.toml`.
//!
//! `score = exp(bias + w · x)`: the odds that the candidate states the same
//! fact, on the scale the verdict thresholds are written in. Each feature is
//! documented at `FEATURES`; the weights are fitted by `dev/fit/fit.py` on the
//! labelled pairs in `dev/labels/` (see ARCHITECTURE.md, "The fact record and
//! its weights").

use super::context::{DraftCtx, clause_events};
use super::features::{Story, head_names_ours, other_subject, story};
use super::superseded::same_kind;
use super::{Agreement, Checker, cells, compare};
use crate::extract::{Dim, Figure, OUTER_CLAUSE, Value};
use crate::index::{FactRef, SentenceRec};
use crate::rules::{Bound, Scoring};

/// A candidate source figure, scored.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cand {
    pub(super) fact: FactRef,
    pub(super) score: f32,
    pub(super) agreement: Agreement,
    pub(super) confusable: bool,
    /// Score components for debugging: noun relation, context, co-figures, factors.
    pub(super) why: [f32; 4],
    /// How strongly it is tied to the draft's story.
    pub(super) story: Story,
    /// The feature vector the score was combined from.
    pub(super) features: Features,
}

/// The number of features of a candidate.
pub const N_FEATURES: usize = 10;

/// The features, in vector order. Each is a log or an indicator, so that the
/// score is a product of factors and the weights are what a logistic
/// regression fits:
/// - `relation`: ln of how the counted nouns or units relate (0 the same noun,
///   ln 0.95 one class, ln 0.8 a broader class, ...);
/// - `similarity`: ln of the shared evidence: tiered context similarity
///   (clause / sentence / neighbourhood, by rarity) plus co-figures, the
///   equal-value bonus, a shared event, a digit slip, an age's person;
/// - `event_clash`: 1 when both clauses name events and none is shared;
/// - `name_clash`, `name_nearby`, `name_absent`: 1 when the draft clause's
///   names are not in the source clause and it names a rare other one / the
///   draft's are in a neighbouring sentence / absent;
/// - `modifier_clash`: 1 when the noun phrases' modifiers differ;
/// - `thin_date`: 1 for conflicting dates that share only one part;
/// - `vague_support`: 1 for a vague source quantity backing an exact figure;
/// - `magnitude`: −ln(1 + `magnitude` · ln ratio) for conflicting numbers.
pub const FEATURES: [&str; N_FEATURES] = [
    "relation",
    "similarity",
    "event_clash",
    "name_clash",
    "name_nearby",
    "name_absent",
    "modifier_clash",
    "thin_date",
    "vague_support",
    "magnitude",
];

/// A candidate's feature vector, in `FEATURES` order.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Features(pub [f32; N_FEATURES]);

/// Similarity below this is no evidence at all: its log is floored here
/// rather than at minus infinity.
const SIM_FLOOR: f32 = 1e-6;

impl Features {
    /// The weights of the features, in `FEATURES` order: exponents for the
    /// two logs, logs of the factors for the indicators.
    pub fn weights(w: &Scoring) -> [f32; N_FEATURES] {
        [
            w.w_relation,
            w.w_similarity,
            w.event_clash.ln(),
            w.name_clash.ln(),
            w.name_nearby.ln(),
            w.name_absent.ln(),
            w.modifier_clash.ln(),
            w.thin_date.ln(),
            w.vague_support.ln(),
            w.w_magnitude,
        ]
    }

    /// The same-fact score: `exp(bias + w · x)`.
    pub fn score(&self, w: &Scoring) -> f32 {
        let z: f32 = Features::weights(w).iter().zip(&self.0).map(|(w, x)| w * x).sum();
        (w.bias + z).exp()
    }
}

impl<'a> Checker<'a> {
    pub(super) fn score(&self, d: &Figure, ctx: &DraftCtx, r: FactRef) -> Option<Cand> {
        let w = &self.rules.scoring;
        let sent_arc = self.index.sentence(r.sentence);
        let sent: &SentenceRec = &sent_arc;
        let s = &sent.figures[r.figure as usize];
        // Why a source figure is no candidate, for the trace log.
        let dropped = |why: &'static str| {
            tracing::trace!(sentence = r.sentence, figure = r.figure, value = ?s.value, why, "  not a candidate");
            None
        };
        // Time is a slot of the fact: revenue in 1985 and in 1986 are two facts,
        // neither support nor contradiction of each other.
        if let (Some(a), Some(b)) = (d.time, s.time)
            && a != b
        {
            return dropped("another time");
        }
        // A sentence that dates one figure and leaves another of its kind
        // undated sets two times apart ("612 in March (March 2025: 1,018)",
        // "73.2%, compared with 68.6% in March 2025"): the undated one is not
        // of the dated one's time.
        if let (Some(a), None) = (d.time, s.time)
            && sent.figures.iter().any(|g| g.time == Some(a) && same_kind(g, s))
        {
            return dropped("undated beside dated");
        }
        // So is the reporting period: first-half and full-year profit.
        if let (Some(a), Some(b)) = (d.period, s.period)
            && a != b
        {
            return dropped("another period");
        }
        if other_subject(d, s, sent, ctx) {
            return dropped("another subject");
        }
        let mut s_events = clause_events(sent, s);
        s_events.extend(cells::header_events(sent));
        let (rel, confusable, factor) = self.relation(d, s, &ctx.events, &s_events)?;
        let row = cells::row_fit(self.index, r.sentence, sent, &ctx.own_keys);
        let (rel, column_fits) = match row {
            cells::RowFit::Named => {
                let cells_row = cells::Row::of(self.index, r.sentence, sent);
                // A figure told as a change ("gained four House seats") is no
                // level of the named row ("House seats: 36") where the table
                // has a column of changes.
                if ctx.own_keys.told_as_change()
                    && !cells_row.change_column(self.rules)
                    && cells_row.has_change_column(self.rules)
                {
                    return dropped("told as a change");
                }
                let named = cells_row.header_keys().is_some_and(|h| ctx.own_keys.owns_any(&h));
                let whole = cells::column_relation(self.rules, rel, d, s, &ctx.events, &s_events, named);
                (whole, whole >= 1.0)
            }
            _ => (rel, false),
        };
        // A negative cell is a fall ("-13.5" for "fell 13.5 per cent").
        let s_value = cells::signed_value(&ctx.own_keys, sent, s.value);
        let agreement = if d.dim == Dim::Score {
            if d.value == s.value {
                Agreement::Same
            } else {
                Agreement::Conflict
            }
        } else {
            compare::values(d.bound, d.value, s.bound, s_value, factor)?
        };
        // A data cell holds the unrounded value: the draft may round it. So
        // may a figure written with a scale word, on either side: "4.2
        // million" tells 4.24 million, and a wire's "4.2 mln" does not
        // contest a release's 4.24 million. Plain digits are not rounded:
        // "1,090" is no rounding of 1,094.
        let single = |v: Value| match v {
            Value::Num { lo, hi } if lo == hi => Some(lo),
            _ => None,
        };
        let agreement = match (agreement, single(d.value), single(s_value)) {
            (Agreement::Conflict, Some(dn), Some(sn)) if d.bound == Bound::Exact => {
                let cell = matches!(sent.locator, Some(crate::corpus::Locator::Cell { .. }));
                if cell && compare::rounds_to(dn, sn * factor) {
                    Agreement::Same
                } else if s.bound == Bound::Exact
                    && (d.scaled && compare::rounds_to(dn, sn * factor)
                        || s.scaled && compare::rounds_to(sn * factor, dn))
                {
                    Agreement::Consistent
                } else {
                    Agreement::Conflict
                }
            }
            (a, ..) => a,
        };
        // "three decades" restates "30 years": two units of one dimension are
        // a confusion only when the number is the same and the measures then
        // differ ("25 kilometres" for "25 miles"), not when they convert.
        // A unit of another dimension ("per cent" for "percentage points")
        // converts to nothing: it stays a confusion.
        let convertible =
            matches!((d.dim, s.dim), (Dim::Measure(a), Dim::Measure(b)) if self.rules.same_dimension(a, b));
        let confusable = confusable && !(convertible && agreement != Agreement::Conflict);
        let neighbor_recs: Vec<std::sync::Arc<SentenceRec>> = self
            .index
            .neighbors(r.sentence)
            .map(|n| self.index.sentence(n))
            .collect();
        let neighbors: Vec<&SentenceRec> = neighbor_recs.iter().map(|n| &**n).collect();
        let neighbors = &neighbors[..];

        // Shared context, weighted by rarity and closeness on both sides.
        let weights = self.source_weights(ctx, sent, s, neighbors);
        let mut shared = 0.0f32;
        let mut weight = 0.0f32;
        for (((terms, mass), tier_weight), sw) in ctx
            .terms
            .iter()
            .zip(ctx.mass)
            .zip([w.tier_clause, w.tier_sentence, w.tier_neighbor])
            .zip(&weights)
        {
            if mass <= 0.0 {
                continue;
            }
            let matched: f32 = terms.iter().zip(sw).map(|(&(_, idf), w)| idf * w).sum();
            shared += tier_weight * matched / mass;
            weight += tier_weight;
        }
        let shared = if weight > 0.0 { shared / weight } else { 0.0 };
        let mut sim = shared;
        // The same subject (a person's age, a member of a list): the name is the fact.
        if d.subject.iter().any(|n| s.subject.contains(n)) {
            sim += w.subject_bonus;
        }

        // Other figures of the draft sentence stated beside this one, by rarity.
        let mut cof = 0usize;
        let mut cof_bonus = 0.0f32;
        // "Two suspects" beside it is no evidence for "two baby girls": the
        // value and the kind of thing must both match.
        let states = |ns: &SentenceRec, keys: &[u64], dk: u64| {
            ns.keys.iter().enumerate().any(|(j, g)| {
                !(std::ptr::eq(ns, sent) && j == r.figure as usize)
                    && g.dim == dk
                    && g.values().iter().any(|k| keys.contains(k))
            })
        };
        for (keys, dk) in &ctx.cofigures {
            let (keys, dk) = (keys.as_slice(), *dk);
            // Beside it in the sentence counts in full, in a neighbouring sentence half.
            let weight = if states(sent, keys, dk) {
                1.0
            } else if neighbors.iter().any(|n| states(n, keys, dk)) {
                0.5
            } else {
                continue;
            };
            cof += 1;
            let rarity = keys.iter().map(|k| self.index.rarity(*k)).fold(0.0, f32::max);
            cof_bonus += weight * (w.cofigure_base + w.cofigure_rarity * rarity);
        }
        sim += cof_bonus.min(w.cofigure_max);
        if column_fits {
            sim += w.cell_row;
        }
        // Another story: a candidate counts only with positive evidence that
        // it is about the draft's story — another figure of the draft sentence
        // stated beside it, a name of the draft's story around it, or at least
        // `story_terms` of the draft sentence's own words in its sentence.
        // Counted, not weighed by rarity: document frequency ranks candidates
        // but must not decide them, or a big enough corpus of other stories
        // turns every same-unit figure into weak evidence.
        // A data cell whose row the draft sentence names is about its subject.
        let story = if cof > 0 || row == cells::RowFit::Named {
            Story::Same
        } else {
            // Only looked up where the passage itself shows no tie.
            let head = || {
                let h = self.index.source_sentences(sent.source).next().map(|(_, h)| h);
                head_names_ours(ctx, h.as_deref())
            };
            story(ctx, sent, s, neighbors, self.passage_window(r.sentence, 2), head, w)
        };
        // Loosely tied (a shared word, no name, no co-figure) and counting
        // another thing, both named ("15 suspects" for "15 more arrests"):
        // another fact. A related noun is evidence only within the story.
        let other_kind = matches!((d.noun, s.noun), (Some(a), Some(b)) if a.head != b.head && a.class != b.class);
        if story == Story::Other || story == Story::Near && other_kind {
            return dropped("another story");
        }
        // The same value, by its rarity.
        let same_bonus = w.same_base + w.same_rarity * ctx.rarity;
        // Equal values are evidence of one fact even where the counted thing
        // differs: that is how "27 provinces" and "27 cities" get compared.
        sim += match agreement {
            Agreement::Same => same_bonus,
            Agreement::Consistent => same_bonus / 2.0,
            Agreement::Conflict => 0.0,
        };

        // Events: "rescued" is not "sold". Every event verb of each clause
        // counts, since the nearest one is often a modifier ("trafficking rings").
        let mut x = [0.0f32; N_FEATURES];
        if !ctx.events.is_empty() && !s_events.is_empty() {
            if ctx.events.iter().any(|e| s_events.contains(e)) {
                sim += w.event_match;
            } else {
                x[2] = 1.0;
            }
        }
        // Places and people: the draft's clause names someone; the source's
        // clause names someone else.
        // A clash counts by the rarity of the other name: "Sichuan" against
        // "Anhui" is another place, "China" in a corpus about China is not.
        if !ctx.clause_names.is_empty() {
            let clause_names: Vec<u64> = sent
                .terms
                .iter()
                .filter(|t| {
                    // A table cell's row label is its clause's name.
                    t.name && (t.clause == OUTER_CLAUSE || t.clause == s.clause && !s.toks.contains(&t.pos))
                })
                .map(|t| t.key)
                .collect();
            let in_clause = ctx.clause_names.iter().any(|n| clause_names.contains(n));
            if !in_clause {
                let nearby = ctx.clause_names.iter().any(|n| {
                    std::iter::once(sent)
                        .chain(neighbors.iter().copied())
                        .any(|ns| ns.terms.iter().any(|t| t.key == *n))
                });
                let rare_clash = clause_names.iter().any(|n| {
                    !ctx.sentence_keys.contains(n) && self.index.idf(*n) >= w.rare_name * self.index.max_idf()
                });
                x[if rare_clash {
                    3
                } else if nearby {
                    4
                } else {
                    5
                }] = 1.0;
            }
        }
        // Modifiers: "microblog users" and "Web users" are different users.
        if !d.modifiers.is_empty() && !s.modifiers.is_empty() && !d.modifiers.iter().any(|m| s.modifiers.contains(m)) {
            x[6] = 1.0;
        }
        if agreement == Agreement::Conflict
            && let (Value::Num { lo: a, hi: ah }, Value::Num { lo: b, hi: bh }) = (d.value, s.value)
            && a == ah
            && b == bh
            && digit_slip(a, b)
        {
            sim += w.typo_bonus;
        }
        // Dates that share one part only ("May 25" against "August 2013")
        // are thin evidence of one fact.
        if let (Value::Date(a), Value::Date(b)) = (d.value, s.value) {
            let shared = [
                a.year.is_some() && b.year.is_some(),
                a.month.is_some() && b.month.is_some(),
                a.day.is_some() && b.day.is_some(),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            if shared < 2 && agreement == Agreement::Conflict {
                x[7] = 1.0;
            }
        }
        // "Hundreds of people" is weak support for "more than 700 residents",
        // and "last year" for "January 24, 1996": the source is vaguer.
        let vaguer_date = match (d.value, s.value) {
            (Value::Date(a), Value::Date(b)) => {
                let parts = |v: crate::extract::DateVal| {
                    usize::from(v.year.is_some()) + usize::from(v.month.is_some()) + usize::from(v.day.is_some())
                };
                parts(b) < parts(a)
            }
            _ => false,
        };
        if agreement == Agreement::Consistent && (s.bound == Bound::Vague && d.bound != Bound::Vague || vaguer_date) {
            x[8] = 1.0;
        }
        let rel = if agreement == Agreement::Consistent && vaguer_date {
            rel.min(w.vaguer_date)
        } else {
            rel
        };
        // Stated numbers far apart are rarely one fact misreported: the factor
        // falls smoothly with the ratio (0.9 at 2x, 0.8 at 5x, 0.6 at 100x).
        if agreement == Agreement::Conflict
            && let (Value::Num { lo: a, hi: ah }, Value::Num { lo: b, hi: bh }) = (d.value, s.value)
        {
            let k = if confusable { 1.0 } else { factor };
            let (a, b) = ((a + ah) / 2.0, (b + bh) / 2.0 * k);
            let ratio = a.abs().max(b.abs()) / a.abs().min(b.abs()).max(1e-9);
            x[9] = -(1.0 + w.magnitude * (ratio.max(1.0).ln() as f32)).ln();
        }
        x[0] = rel.ln();
        x[1] = sim.max(SIM_FLOOR).ln();
        let features = Features(x);
        let score = features.score(w);
        // What the factors contribute, for the debug log.
        let factor_ctx = (score.ln() - w.bias - w.w_relation * x[0] - w.w_similarity * x[1]).exp();
        Some(Cand {
            fact: r,
            score,
            agreement,
            confusable,
            why: [rel, shared, cof as f32, factor_ctx],
            story,
            features,
        })
    }
}

/// Whether two whole numbers differ by one digit, or by two adjacent digits
/// swapped: the slips a writer makes copying a figure.
pub(super) fn digit_slip(a: f64, b: f64) -> bool {
    if a.fract() != 0.0 || b.fract() != 0.0 || a < 0.0 || b < 0.0 || a > 1e15 || b > 1e15 {
        return false;
    }
    let (a, b) = ((a as u64).to_string(), (b as u64).to_string());
    if a.len() != b.len() || a == b {
        return false;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{Features, digit_slip};
    use crate::rules::Rules;

    #[test]
    fn the_score_is_the_product_of_its_factors() {
        let w = Rules::builtin().scoring;
        let mut x = Features::default();
        x.0[1] = 0.5f32.ln();
        let base = x.score(&w);
        x.0[2] = 1.0;
        let clashed = x.score(&w);
        assert!((clashed / base - w.event_clash).abs() < 1e-4);
    }

    #[test]
    pub(super) fn digit_slips() {
        assert!(digit_slip(34.0, 43.0));
        assert!(digit_slip(382.0, 383.0));
        assert!(digit_slip(1094.0, 1049.0));
        assert!(!digit_slip(34.0, 34.0));
        assert!(!digit_slip(120.0, 1200.0));
        assert!(!digit_slip(1234.0, 4321.0));
        assert!(!digit_slip(7.5, 7.0));
    }
}
