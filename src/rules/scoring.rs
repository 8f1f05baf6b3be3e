//! The weights and thresholds of the same-fact judgement, as rule data
//! (`rules/scoring.toml`), so they can be tuned, refitted and overridden per
//! workspace without touching code. `check` (the score and the verdict) is the
//! only reader. The weights of the score's features are fitted by
//! `dev/fit/fit.py` and written into the generated section of that file.

use serde::Deserialize;

macro_rules! scoring {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {
        /// Compiled weights: every field present.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct Scoring {
            $($(#[$m])* pub $name: f32,)*
        }

        /// One rule file's `[scoring]` table: any subset of the weights.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(crate) struct ScoringSection {
            $($name: Option<f32>,)*
        }

        impl ScoringSection {
            /// Takes every weight `other` sets.
            pub(crate) fn merge(&mut self, other: ScoringSection) {
                $(if other.$name.is_some() { self.$name = other.$name; })*
            }

            /// The compiled weights, or the name of the first one missing.
            pub(crate) fn compile(&self) -> Result<Scoring, &'static str> {
                Ok(Scoring { $($name: self.$name.ok_or(stringify!($name))?,)* })
            }

            /// The weights as (name, value) pairs, for the fitting tools.
            pub(crate) fn pairs(s: &Scoring) -> Vec<(&'static str, f32)> {
                vec![$((stringify!($name), s.$name),)*]
            }
        }
    };
}

scoring! {
    /// Weight of the clause, sentence and neighbourhood tiers of draft context.
    tier_clause, tier_sentence, tier_neighbor,
    /// How much a shared term counts by where it stands around the source figure.
    at_clause, at_sentence, at_neighbor,
    /// Factor when both clauses name events and none is shared; bonus when one is.
    event_clash, event_match,
    /// Bonus for a one-digit slip between the values.
    typo_bonus,
    /// Factor when the source clause names a rare other place or person; when
    /// the draft's name is nearby; when it is absent.
    name_clash, name_nearby, name_absent,
    /// Share of the corpus's highest idf above which a name counts as rare.
    rare_name,
    /// Share of the highest idf above which a name two sources both give
    /// ties them to one story (a revision in one of what the other backs):
    /// idf is about ln(n / df), so one half is a name in at most about the
    /// square root of the corpus's n sentences: a story's ship or town, not
    /// the country the corpus is about.
    story_name,
    /// Co-figures (the draft sentence's other figures stated beside the candidate).
    cofigure_base, cofigure_rarity, cofigure_max,
    /// Bonus for a data cell in a row the draft sentence names, in a column
    /// that counts what the draft figure counts: its row label and header
    /// are its whole context, and the draft has named both.
    cell_row,
    /// Bonus for an equal value, by its rarity.
    same_base, same_rarity,
    /// Bonus when an age's person is named on both sides.
    subject_bonus,
    /// A candidate that states none of the draft sentence's other figures and
    /// names none of its story's people and places is tied to the story (may
    /// count as weak support, may be cited) only with at least this many
    /// distinct context words of the draft figure (its sentence, the one before,
    /// headings) in its own sentence; a count, so
    /// rarity ranks but does not decide.
    story_same_terms,
    /// Factor when the noun phrases' modifiers differ.
    modifier_clash,
    /// Factor for two dates that share only one part and conflict.
    thin_date,
    /// Factor for a vague source quantity supporting an exact draft figure.
    vague_support,
    /// The relation of a source date vaguer than the draft's ("1996", "last
    /// year" for "January 24, 1996"): a broader time, as a broader class of
    /// thing is, so it is no weak support of the precise date.
    vaguer_date,
    /// How fast the factor falls with the ratio of two conflicting values.
    magnitude,
    /// Verdict thresholds: support, weak support, conflict.
    t_support, t_weak, t_conflict,
    /// A conflict at least this share of the best support makes sources disagree...
    disagree_ratio,
    /// ... or any conflict above this score.
    t_disagree,
    /// A conflict this many times the support is a plain mismatch.
    mismatch_ratio,
    /// ... or sharing this many times the support's share of the draft's
    /// context (the support's equal value is then a coincidence).
    context_ratio,
    /// Below `t_conflict`, a conflicting candidate this strong about the same
    /// counted thing or unit still speaks to the fact: a mismatch naming its
    /// value, not an unsourced figure.
    t_named,
    /// ... when its counted thing relates to the draft's at least this much
    /// (`relation`: 1 the same noun, 0.95 one class, 0.9 the same noun
    /// carried from an earlier figure, 0.8 a broader class).
    r_named,
    /// A later source's other value, in context less shared than the
    /// support's, is the fact's later state only when it scores this much
    /// (`check::revised_later::later_value`).
    t_later,
    /// Another source's value of the count the draft and its support count,
    /// in the story but worded its own way, disagrees with theirs only
    /// within this factor of the draft's value (`check::same_count`):
    /// sources that disagree on one count give estimates near each other
    /// (1,200 and 1,500 patients), where a value several times the draft's
    /// is another count of the same noun (13 buildings burnt on Tuesday,
    /// 22 over the week).
    same_count_span,
    /// A draft figure the draft does not date is the story's present: of a
    /// source's candidates scoring at least this share of its best, one
    /// undated or dated later than a best dated candidate is read instead
    /// ("612 handovers in March" before "(March 2025: 1,018)").
    present_ratio,
    /// Exponents of the noun relation, the similarity and the magnitude factor
    /// in the log-linear score (fitted; 1 is the hand-set product).
    w_relation, w_similarity, w_magnitude,
    /// The score's constant term (fitted): keeps the thresholds above at the
    /// probability of one fact they stood for under the hand-set weights.
    bias,
    /// `draft-disagree`: how far above `t_disagree` two figures of one draft
    /// must score to be one fact (a draft's sentences share one story's
    /// context, so the bar is higher than between sources).
    draft_margin,
    /// `draft-disagree`: the least noun relation for two draft figures to be
    /// one fact (the same counted thing or a synonym, not a broader class).
    draft_identified,
    /// `draft-disagree`: the margin instead of `draft_margin` when one of
    /// the two figures is definite ("the 900 homes"): the draft marks it as
    /// the set it named before.
    draft_definite_margin,
}

impl Scoring {
    /// The weights as (name, value) pairs in declaration order.
    pub fn pairs(&self) -> Vec<(&'static str, f32)> {
        ScoringSection::pairs(self)
    }
}
