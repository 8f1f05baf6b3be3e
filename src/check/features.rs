//! The features of a candidate: how its counted thing, its event and its
//! context relate to the draft figure's, and whether it belongs to the
//! draft's story.

use super::context::DraftCtx;
use super::{Agreement, Checker, compare};
use crate::extract::{Dim, Figure, Noun, OUTER_CLAUSE, Rate};
use crate::index::SentenceRec;
use crate::rules::{EventId, Scoring};

/// The dimension of shares of a whole in `rules/units.toml` ("per cent").
const SHARE_DIMENSION: &str = "ratio";
/// The relation of a share in words to a percentage ("a fifth", "20 per
/// cent"): the same measure told another way, as a unit conversion is.
const SHARE_IN_WORDS: f32 = 0.9;

impl<'a> Checker<'a> {
    /// How the counted things relate: weight, and whether they are confusable.
    pub(super) fn noun_relation(&self, a: Option<Noun>, b: Option<Noun>) -> Option<(f32, bool)> {
        let inherited = |n: Option<Noun>| n.is_some_and(|n| n.inherited);
        let discount = if inherited(a) || inherited(b) { 0.9 } else { 1.0 };
        let rel = match (a, b) {
            (Some(a), Some(b)) => {
                if a.head == b.head {
                    (1.0, false)
                } else {
                    match (a.class, b.class) {
                        (Some(x), Some(y)) if x == y => (0.95, false),
                        (Some(x), Some(y)) if self.rules.is_broader(x, y) || self.rules.is_broader(y, x) => {
                            (0.8, false)
                        }
                        (Some(x), Some(y)) if self.rules.confusable(x, y) => (0.85, true),
                        // Both under one broader class ("members", "workers").
                        (Some(x), Some(y))
                            if self.rules.nouns[x as usize]
                                .broader
                                .iter()
                                .any(|b| self.rules.nouns[y as usize].broader.contains(b)) =>
                        {
                            (0.6, false)
                        }
                        _ => return None,
                    }
                }
            }
            (Some(_), None) | (None, Some(_)) => (0.65, false),
            (None, None) => (0.55, false),
        };
        Some((rel.0 * discount, rel.1))
    }

    /// "43 arrests" against "43 suspects were arrested": a noun that counts an
    /// event matches people the other figure's clause says the event befell.
    pub(super) fn event_noun_relation(&self, a: &Figure, b: &Figure, b_events: &[EventId]) -> Option<f32> {
        let ev = self.rules.nouns[a.noun?.class? as usize].event?;
        let b_class = b.noun?.class?;
        (self.rules.is_person(b_class) && b_events.contains(&ev)).then_some(0.85)
    }

    /// Whether two figures measure the same kind of thing: weight, whether the
    /// source's unit or noun is a confusable one, and the factor that converts
    /// the source's number into the draft's unit.
    pub(super) fn relation(
        &self,
        d: &Figure,
        s: &Figure,
        d_events: &[EventId],
        s_events: &[EventId],
    ) -> Option<(f32, bool, f64)> {
        let other_period = self.rate_relation(d.rate, s.rate)?;
        let (w, confusable, factor) = self.measure_relation(d, s, d_events, s_events)?;
        Some((w, confusable || other_period, factor))
    }

    /// Two rates' periods or bases: `Some(true)` for two periods of one
    /// dimension ("$2,600 a month" for "$2,600 a year": the same measure
    /// told per another span, a `unit-mismatch` when the number is the
    /// same); `None` for bases of different things ("$5 a share", "$5 a
    /// barrel"), which are different facts. A rate against a figure stated
    /// without one is no evidence either way.
    fn rate_relation(&self, a: Option<Rate>, b: Option<Rate>) -> Option<bool> {
        match (a, b) {
            (Some(x), Some(y)) if x != y => match (x, y) {
                (Rate::Unit(u), Rate::Unit(v)) if self.rules.same_dimension(u, v) => Some(true),
                _ => None,
            },
            _ => Some(false),
        }
    }

    /// [`Self::relation`] without the rates.
    fn measure_relation(
        &self,
        d: &Figure,
        s: &Figure,
        d_events: &[EventId],
        s_events: &[EventId],
    ) -> Option<(f32, bool, f64)> {
        match (d.dim, s.dim) {
            (Dim::Count, Dim::Count) => {
                if let Some(w) = self
                    .event_noun_relation(d, s, s_events)
                    .or_else(|| self.event_noun_relation(s, d, d_events))
                {
                    return Some((w, false, 1.0));
                }
                let (w, c) = self.noun_relation(d.noun, s.noun)?;
                Some((w, c, 1.0))
            }
            (Dim::Money(a), Dim::Money(b)) => {
                // Revenue and profit are two facts, whatever their words share.
                if let (Some(x), Some(y)) = (d.measure, s.measure)
                    && x != y
                {
                    return None;
                }
                let (ca, cb) = (&self.rules.currencies[a as usize], &self.rules.currencies[b as usize]);
                let compatible = a == b || ca.family == cb.family && (ca.generic || cb.generic);
                // Amounts in two currencies compare only when the number is the
                // same ("20,000 dollars" for "20,000 yuan"); otherwise they are a
                // conversion ("80,000 yuan ($13,000)"), not a conflict.
                if !compatible && compare::values(d.bound, d.value, s.bound, s.value, 1.0) == Some(Agreement::Conflict)
                {
                    return None;
                }
                Some((1.0, !compatible, 1.0))
            }
            (Dim::Measure(a), Dim::Measure(b)) => {
                let (ua, ub) = (&self.rules.units[a as usize], &self.rules.units[b as usize]);
                if !self.rules.same_dimension(a, b) {
                    // "2.5 per cent" for "2.5 percentage points": the same
                    // number in a unit mistaken for the other is the confusion;
                    // another number is another fact (a rise of 2 points to
                    // 5.4 per cent).
                    let mistaken = ua.mistaken_for.as_ref() == Some(&ub.dimension)
                        || ub.mistaken_for.as_ref() == Some(&ua.dimension);
                    let same_number = compare::values(d.bound, d.value, s.bound, s.value, 1.0)
                        .is_some_and(|a| a != Agreement::Conflict);
                    return (mistaken && same_number).then_some((1.0, true, 1.0));
                }
                // What is measured: "a 20-kilometre containment line" is not
                // "a 25-kilometre fire front".
                let w = match (d.noun, s.noun) {
                    (Some(x), Some(y)) => match self.noun_relation(Some(x), Some(y)) {
                        Some((rw, false)) => rw.max(0.85),
                        Some((_, true)) => 0.6,
                        None if x.class.is_some() && y.class.is_some() => return None,
                        None => 0.6,
                    },
                    (Some(_), None) | (None, Some(_)) => 0.65,
                    (None, None) => 1.0,
                };
                Some((w, a != b, ub.factor / ua.factor))
            }
            // Ages of two named people are two facts; of one person, one.
            (Dim::Age, Dim::Age) => match (d.subject.is_empty(), s.subject.is_empty()) {
                (false, false) if d.subject.iter().any(|n| s.subject.contains(n)) => Some((1.0, false, 1.0)),
                (false, false) => Some((0.5, false, 1.0)),
                _ => Some((0.9, false, 1.0)),
            },
            (Dim::Ordinal, Dim::Ordinal) => {
                let (w, c) = self.noun_relation(d.noun, s.noun)?;
                Some((w, c, 1.0))
            }
            // A share in words and a percentage: "a fifth" is 20 per cent.
            // Told in other words, so a little less than a whole relation.
            (Dim::Fraction, Dim::Measure(u)) if self.is_share_unit(u) => {
                Some((SHARE_IN_WORDS, false, self.rules.units[u as usize].factor / 100.0))
            }
            (Dim::Measure(u), Dim::Fraction) if self.is_share_unit(u) => {
                Some((SHARE_IN_WORDS, false, 100.0 / self.rules.units[u as usize].factor))
            }
            (x, y) if x == y => Some((1.0, false, 1.0)),
            _ => None,
        }
    }

    /// Whether a unit measures a share of a whole ("per cent"): its
    /// dimension is the one of the rules' "%".
    fn is_share_unit(&self, u: crate::rules::UnitId) -> bool {
        self.rules.units[u as usize].dimension == SHARE_DIMENSION
    }

    /// How strongly each draft context term occurs around a source figure:
    /// in its clause, elsewhere in its sentence, or in a neighbouring sentence.
    /// One pass over the source's terms, looked up in the draft's.
    pub(super) fn source_weights(
        &self,
        ctx: &DraftCtx,
        sent: &SentenceRec,
        fig: &Figure,
        neighbors: &[&SentenceRec],
    ) -> [Vec<f32>; 3] {
        let sc = &self.rules.scoring;
        let mut w: [Vec<f32>; 3] = ctx.terms.each_ref().map(|t| vec![0.0; t.len()]);
        let mut put = |key: u64, weight: f32| {
            if let Some(&(tier, i)) = ctx.lookup.get(&key) {
                let slot = &mut w[tier as usize][i as usize];
                *slot = slot.max(weight);
            }
        };
        for t in &sent.terms {
            // A table cell's headers (outer terms, at no position of their
            // own) frame its number as its own clause would.
            let outer = t.clause == OUTER_CLAUSE;
            if outer || !fig.toks.contains(&t.pos) {
                let own = outer || t.clause == fig.clause;
                put(t.key, if own { sc.at_clause } else { sc.at_sentence });
            }
        }
        for n in neighbors {
            for t in &n.terms {
                put(t.key, sc.at_neighbor);
            }
        }
        w
    }
}

/// How a source figure relates to the draft's story: positive evidence only
/// (names and words of the draft found around it), counted, never weighed by
/// rarity, so a corpus of other stories cannot move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Story {
    /// Another story: nothing of the draft's around it, or its clause names
    /// other people or places where the draft's clause names its own.
    Other,
    /// Some of the draft figure's context words around it: enough to compare.
    Near,
    /// A name of the draft's story around it, or several of the draft
    /// figure's context words in its own sentence: enough to count as
    /// support on thin scores too, and to be cited.
    Same,
}

/// Whether the source's head (its headline, or the line that opens a
/// transcript: "Governor ..., Budget Address, March 3, 2019") names a name
/// of the draft figure's own clause. The head says whom every passage below
/// is about or by, so the name ties a passage that says only "we" or "the
/// company" to the draft's story. It only admits the passage as a
/// candidate: as evidence of the same fact it is too weak (a headline names
/// the place of every figure below it).
pub(super) fn head_names_ours(ctx: &DraftCtx, head: Option<&SentenceRec>) -> bool {
    head.is_some_and(|h| h.terms.iter().any(|t| t.name && ctx.clause_names.contains(&t.key)))
}

pub(super) fn story(
    ctx: &DraftCtx,
    sent: &SentenceRec,
    fig: &Figure,
    neighbors: &[&SentenceRec],
    mut wider: impl Iterator<Item = std::sync::Arc<SentenceRec>>,
    head_names_ours: impl FnOnce() -> bool,
    w: &Scoring,
) -> Story {
    let shares_a_name = std::iter::once(sent).chain(neighbors.iter().copied()).any(|ns| {
        ns.terms
            .iter()
            .any(|t| t.name && ctx.story_names.binary_search(&t.key).is_ok())
    });
    if shares_a_name {
        return Story::Same;
    }
    // The draft's clause names a person or place, the source figure's clause
    // names others and none of the draft's story's: another story, however
    // many ordinary words the two share ("crews are holding a fire front").
    let names_others = sent
        .terms
        .iter()
        .any(|t| t.name && t.clause == fig.clause && !fig.toks.contains(&t.pos) && !ctx.sentence_keys.contains(&t.key));
    // A draft "name" the source writes in lower case is a common word that
    // opened the draft's sentence ("Cyclists suffered ..." and "injuries to
    // cyclists"): no name to hold the source to.
    let draft_names = ctx
        .clause_names
        .iter()
        .any(|n| !sent.terms.iter().any(|t| t.key == *n && !t.name));
    if names_others && draft_names {
        // A speaker or a second party named beside the figure is not yet
        // another story: the source's story names are looked for a little
        // further out (two sentences either side) before ruling it out.
        return if head_names_ours()
            || wider.any(|ns| {
                ns.terms
                    .iter()
                    .any(|t| t.name && ctx.story_names.binary_search(&t.key).is_ok())
            }) {
            Story::Same
        } else {
            Story::Other
        };
    }
    if head_names_ours() {
        return Story::Same;
    }
    let own = |t: &&crate::extract::Term| !fig.toks.contains(&t.pos) && t.event.is_none();
    let mut in_sentence: Vec<u64> = sent
        .terms
        .iter()
        .filter(own)
        .filter(|t| ctx.lookup.contains_key(&t.key))
        .map(|t| t.key)
        .collect();
    in_sentence.sort_unstable();
    in_sentence.dedup();
    if in_sentence.len() as f32 >= w.story_same_terms {
        return Story::Same;
    }
    let nearby = std::iter::once(sent)
        .chain(neighbors.iter().copied())
        .flat_map(|ns| ns.terms.iter())
        .filter(own)
        .any(|t| ctx.lookup.contains_key(&t.key));
    if nearby {
        return Story::Near;
    }
    // Two sentences out, a word of the draft sentence's own, not of the
    // figure's surroundings: "185 passengers" two sentences after "flight".
    let further = wider.any(|ns| {
        ns.terms
            .iter()
            .any(|t| t.event.is_none() && ctx.lookup.get(&t.key).is_some_and(|(tier, _)| *tier < 2))
    });
    if further { Story::Near } else { Story::Other }
}

/// Whose figure it is: both figures belong to lists that give each member a
/// subject of its own ("Alpha Corp 22.5 pct and Beta Holdings 21.9 pct"), the
/// subjects differ, and the source's subject is the draft's other subject
/// (named in the draft's sentence) or the source gives the draft figure's
/// subject another figure of its list. Then the source figure is the other
/// subject's, and neither backs nor contradicts the draft's.
pub(super) fn other_subject(d: &Figure, s: &Figure, sent: &SentenceRec, ctx: &DraftCtx) -> bool {
    if d.dim == Dim::Age
        || d.subject.is_empty()
        || s.subject.is_empty()
        || d.subject.iter().any(|k| s.subject.contains(k))
    {
        return false;
    }
    let draft_names_it = s.subject.iter().any(|k| ctx.sentence_keys.contains(k));
    let source_gives_ours_another = sent
        .figures
        .iter()
        .any(|g| !std::ptr::eq(g, s) && g.clause == s.clause && d.subject.iter().any(|k| g.subject.contains(k)));
    draft_names_it || source_gives_ours_another
}
