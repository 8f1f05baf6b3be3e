//! A later source revises what an earlier one backs. The draft's "150
//! survivors" is the coastguard's first count; two days on, the ministry
//! says "153 people had survived, revised from 150". That later sentence is
//! told in other words (the earlier value often without its noun: "widened
//! to 60 square kilometres from 25"), so it shares little with the draft and
//! is no candidate of its own. It is found through the support instead: the
//! draft's value, of the kind the supporting figure counts, stated as the
//! earlier value of a revision, in a source of the support's story dated
//! after every supporting source.
//!
//! Four pieces of evidence, each needed: the exact value, the kind of thing,
//! the grammar of revision (`superseded`, whose words are rules) and the
//! story tie (a rare name both sources give, or a name of the draft's own
//! heading both give: a one-story corpus names its story everywhere, so
//! there the name is common and the writer's heading says it is the story).
//! The revision found makes the finding `figure-outdated` as a candidate's
//! revision does.

use std::cmp::Ordering;

use rustc_hash::FxHashSet;

use super::candidates::VALUE_FACTS;
use super::features::Story;
use super::passage::{dedupe, normalize_label};
use super::same_count::{a_mates_value, counts_the_same, same_noun};
use super::score::Cand;
use super::superseded::same_kind;
use super::{Agreement, Checker, Code, Finding, Passage, Version, compare};
use crate::dateline::SourceDate;
use crate::extract::{Analyzer, Dim, Figure, Sentence};
use crate::index::{FactRef, SentenceRec, value_keys};
use crate::markdown::{Block, Document};

impl Checker<'_> {
    /// The newer fact of a revision, in a source dated after every one of
    /// `supports`, whose earlier value is the draft's `fig` counted as the
    /// best support counts it; the newest such revision when several are.
    pub(super) fn revised_later(&self, block: &Block, fig: &Figure, supports: &[&Cand]) -> Option<FactRef> {
        let best = supports.first()?;
        let best_rec = self.index.sentence(best.fact.sentence);
        let best_fig = &best_rec.figures[best.fact.figure as usize];
        // A revision must come after the newest support.
        let (newest, support_sources) = self.supports_dated(supports)?;
        let mut story_names: Option<[FxHashSet<u64>; 3]> = None;
        let own = clause_names(&best_rec, best_fig);
        let mut found: Option<(SourceDate, FactRef)> = None;
        for key in value_keys(fig, self.rules) {
            if self.index.value_fact_count(key) > VALUE_FACTS {
                continue;
            }
            for r in self.index.facts_with_value(key) {
                let rec = self.index.sentence(r.sentence);
                if support_sources.contains(&rec.source) || rec.figures.len() < 2 {
                    continue;
                }
                if self.index.sentence_source(r.sentence).is_none() {
                    continue;
                }
                let s = &rec.figures[r.figure as usize];
                // The draft's value, of the kind the support counts (the revision's
                // earlier value often without its noun: "from 25").
                // A noun the revision only implies ("from 31" after "34 men")
                // is no evidence against the support's ("31 miners").
                let factor = match self.relation(best_fig, s, &[], &[]) {
                    Some((_, _, factor)) => factor,
                    None if s.noun.is_some_and(|n| n.inherited) => 1.0,
                    None => continue,
                };
                if !same_kind(best_fig, s)
                    || compare::values(fig.bound, fig.value, s.bound, s.value, factor)
                        .is_none_or(|a| a == Agreement::Conflict)
                {
                    continue;
                }
                let Some(date) = self.passage_date(&self.passage(r)) else {
                    continue;
                };
                if date.order(&newest) != Some(Ordering::Greater) {
                    continue;
                }
                let sup = self.reading(r.sentence, &rec);
                let Some(j) = sup[r.figure as usize] else { continue };
                let n = &rec.figures[j];
                if compare::values(fig.bound, fig.value, n.bound, n.value, 1.0) != Some(Agreement::Conflict) {
                    continue;
                }
                // The support's clause names its subject ("Spending on the
                // National Disability Insurance Scheme"); a revision naming
                // only others ("Defence spending will rise to $56 billion
                // from $50 billion") is of another fact of the same story.
                let theirs = clause_names(&rec, &rec.figures[j]);
                let [rare, all, heading] =
                    story_names.get_or_insert_with(|| self.support_story_names(&support_sources, block));
                // Unless the names are the support's story's own ("Orland Foods
                // Plc cut its forecast" where the support's clause names only
                // "Britain").
                if !own.is_empty()
                    && !theirs.is_empty()
                    && !own.iter().any(|k| theirs.contains(k))
                    && !theirs.iter().any(|k| all.contains(k))
                {
                    continue;
                }
                if !self.tied_by_names(rec.source, rare, all, heading) {
                    continue;
                }
                if found
                    .as_ref()
                    .is_none_or(|(d, _)| date.order(d) == Some(Ordering::Greater))
                {
                    found = Some((
                        date,
                        FactRef {
                            sentence: r.sentence,
                            figure: j as u16,
                        },
                    ));
                }
            }
        }
        found.map(|(_, f)| f)
    }

    /// Whether `source` is of the story of the supports, whose sources' rare
    /// names are `rare` and names `all`: tied by a rare name both give, or by
    /// a name of the draft's own heading (`heading`) both give (a one-story
    /// corpus names its story everywhere).
    fn tied_by_names(
        &self,
        source: u32,
        rare: &FxHashSet<u64>,
        all: &FxHashSet<u64>,
        heading: &FxHashSet<u64>,
    ) -> bool {
        self.source_names(source, false)
            .iter()
            .any(|k| rare.contains(k) || all.contains(k) && heading.contains(k))
    }

    /// The names [`Checker::tied_by_names`] reads for the supports' sources
    /// `support_sources` under the heading of `block`: (rare, all, heading).
    fn support_story_names(&self, support_sources: &FxHashSet<u32>, block: &Block) -> [FxHashSet<u64>; 3] {
        let names = |rare: bool| -> FxHashSet<u64> {
            support_sources
                .iter()
                .flat_map(|&src| self.source_names(src, rare))
                .collect()
        };
        [names(true), names(false), self.heading_names(block)]
    }

    /// The names a source gives anywhere in its text, or only its rare ones:
    /// what ties two sources to one story ("Kestrel", "Harwick Point"),
    /// where common names (a country the corpus is about) do not. Its title
    /// counts too (front matter or metadata: "Vaccination under way in Marsk"
    /// above a body that names no one).
    fn source_names(&self, source: u32, rare: bool) -> FxHashSet<u64> {
        let floor = self.rules.scoring.story_name * self.index.max_idf();
        let title = self.index.source(source).title;
        let mut an = Analyzer::new(self.rules);
        let titled: Vec<u64> = an
            .analyze(&title)
            .into_iter()
            .flat_map(|s| s.terms.into_iter().filter(|t| t.name).map(|t| t.key))
            .collect();
        self.index
            .source_sentences(source)
            .flat_map(|(_, s)| s.terms.iter().filter(|t| t.name).map(|t| t.key).collect::<Vec<_>>())
            .chain(titled)
            .filter(|&k| !rare || self.index.idf(k) >= floor)
            .collect()
    }

    /// The names of what frames the draft's block (its section heading, a
    /// table's caption and headers): the writer's own word for the story.
    fn heading_names(&self, block: &Block) -> FxHashSet<u64> {
        let mut an = Analyzer::new(self.rules);
        block
            .context
            .iter()
            .flat_map(|c| an.analyze(c))
            .flat_map(|s| s.terms.into_iter().filter(|t| t.name).map(|t| t.key))
            .collect()
    }
}

impl Checker<'_> {
    /// Drops the conflicting candidates that are one value of a source's
    /// revision pair whose other value the draft sentence gives to another
    /// of its figures. "153 people had survived, revised from 150": 150 and
    /// 153 are one fact at two times, so where the draft's "Of the 214 people
    /// on board, 153 survived" places that fact at its 153, the 150 is no
    /// contradiction of its 214, however much the sentence shares with it.
    /// Where the draft states a change itself ("rose from 48 to 260"), the
    /// source values of the later state are no contradiction of its earlier
    /// value, and a source change to the same later value gives the earlier
    /// value to compare ("from 110 to 80" for the draft's "from 100 to 80").
    pub(super) fn drop_revision_partners(&self, block: &Block, fig: &Figure, cands: &mut Vec<Cand>) {
        let agrees = |o: &Figure, pf: &Figure| {
            same_kind(o, pf)
                && compare::values(o.bound, o.value, pf.bound, pf.value, 1.0).is_some_and(|a| a != Agreement::Conflict)
        };
        if !cands.iter().any(|c| c.agreement == Agreement::Conflict) {
            return;
        }
        // The draft sentence, analysed once: its other figures, and the one
        // it gives as this figure's later value where it states the change
        // itself ("rose from 40 households on May 2 to 65").
        let sentence = self.draft_sentence(block, fig);
        let newer = sentence.as_ref().and_then(|s| self.newer_in(block, s, fig));
        let partners_here = sentence
            .as_ref()
            .map_or_else(Vec::new, |s| self.change_partners_in(block, s, fig));
        let others = sentence.map_or_else(Vec::new, |s| mates_in(s, fig));
        cands.retain(|c| {
            if c.agreement != Agreement::Conflict {
                return true;
            }
            let rec = self.index.sentence(c.fact.sentence);
            // A value the draft sentence gives as this figure's newer or
            // earlier one is that value's fact: in "rose to 4.82 billion
            // crowns from 4.3 billion", a source's 4.82 billion does not
            // dispute the 4.3. (Two subjects' values swapped in a list are
            // no change: each is still disputed by the other's.)
            if partners_here
                .iter()
                .any(|o| agrees(o, &rec.figures[c.fact.figure as usize]))
            {
                return false;
            }
            if rec.figures.len() < 2 {
                return true;
            }
            let sup = self.reading(c.fact.sentence, &rec);
            let fi = c.fact.figure as usize;
            // (`sup[i] == Some(fi)`: figure i is the earlier value of fi.)
            let earlier: Vec<usize> = (0..sup.len()).filter(|&i| sup[i] == Some(fi)).collect();
            let partners: Vec<usize> = sup[fi].into_iter().chain(earlier.iter().copied()).collect();
            if partners.is_empty() {
                return true;
            }
            // The earlier value of a change whose later one the draft gives
            // as this figure's later one is this figure's fact at the same
            // time: "from 110 kilometres an hour to 80" for "from 100 to 80".
            if let (Some(p), Some(n)) = (sup[fi], &newer)
                && agrees(n, &rec.figures[p])
            {
                return true;
            }
            // The newer value of a pair whose earlier one is the draft's,
            // where the draft gives it as earlier too ("Cases rose from 48 on
            // March 3 to 260" against "rose to 112 from 48").
            if newer.is_some() && earlier.iter().any(|&i| agrees(fig, &rec.figures[i])) {
                return false;
            }
            !partners
                .iter()
                .any(|&p| others.iter().any(|o| agrees(o, &rec.figures[p])))
        });
        // A source's value equal to the draft's own later value is that later
        // state, no contradiction of the earlier.
        if let Some(newer) = newer {
            cands.retain(|c| c.agreement != Agreement::Conflict || !agrees(&newer, &self.index.figure(c.fact)));
        }
    }
}

/// The figures of draft sentence `s` other than `fig`.
fn mates_in(s: Sentence, fig: &Figure) -> Vec<Figure> {
    s.figures.into_iter().filter(|f| f.span != fig.span).collect()
}

/// The names a source sentence gives in the clause of `fig`: the subject's
/// names, not the dateline's ("LONDON") or a side clause's ("The company,
/// which employs 5,200 people in Britain, said ...").
fn clause_names(rec: &SentenceRec, fig: &Figure) -> Vec<u64> {
    rec.terms
        .iter()
        .filter(|t| t.name && t.clause == fig.clause)
        .map(|t| t.key)
        .collect()
}

impl Checker<'_> {
    /// The newest date among the supports' sources, and those sources;
    /// `None` when one is undated.
    pub(super) fn supports_dated(&self, supports: &[&Cand]) -> Option<(SourceDate, FxHashSet<u32>)> {
        let mut newest: Option<SourceDate> = None;
        for c in supports {
            let d = self.passage_date(&self.passage(c.fact))?;
            if newest.as_ref().is_none_or(|n| d.order(n) == Some(Ordering::Greater)) {
                newest = Some(d);
            }
        }
        let sources = supports
            .iter()
            .map(|c| self.index.sentence(c.fact.sentence).source)
            .collect();
        Some((newest?, sources))
    }

    /// The other figures of the draft sentence that holds `fig`.
    pub(super) fn sentence_mates(&self, block: &Block, fig: &Figure) -> Vec<Figure> {
        self.draft_sentence(block, fig)
            .map_or_else(Vec::new, |s| mates_in(s, fig))
    }
}

impl Checker<'_> {
    /// A conflicting candidate from a source dated after every support that
    /// is as close to the draft as the best support is, but for the value:
    /// the same counted thing (relation at least the support's) in context
    /// at least as shared, or in less shared context but scoring `t_later`
    /// (fitted with `dev/fit/thresholds.py`): a later report
    /// words the fact its own way ("The utility had chlorinated 65 wells" for
    /// "The water utility said engineers had chlorinated 40 wells"). The
    /// support's only advantage is then that it gives
    /// the draft's value, and the later source is the fact's later state
    /// ("56 were missing" on Friday, "43 people still missing" on Saturday).
    /// So is one in less shared context that counts the very thing the draft
    /// counts (`counts_the_same`) in the draft's story (a name or co-figure
    /// of the draft's around it, or the support's story's names in its
    /// source, as for revisions): "5,000 nurses had joined the strike" three
    /// days after "3,000 nurses would walk off the job".
    /// Of several, the one from the newest source.
    pub(super) fn later_value<'c>(
        &self,
        block: &Block,
        fig: &Figure,
        supports: &[&Cand],
        conflicts: &[&'c Cand],
    ) -> Option<&'c Cand> {
        let best = supports.first()?;
        let best_fig = self.index.figure(best.fact);
        let (newest, support_sources) = self.supports_dated(supports)?;
        let mut found: Option<(SourceDate, &'c Cand)> = None;
        let mut mates: Option<Vec<Figure>> = None;
        let w = &self.rules.scoring;
        // The supports' story names, read once and only if a candidate needs them.
        let mut names: Option<[FxHashSet<u64>; 3]> = None;
        for &c in conflicts {
            let cf = self.index.figure(c.fact);
            // Counting the draft's own noun in its story, as the support
            // counts it, it needs only the score of support in other words
            // (`t_weak`).
            let mut same_count = || {
                counts_the_same(fig, &cf, c)
                    && same_noun(fig, &best_fig)
                    && c.score >= w.t_weak
                    && (c.story == Story::Same || {
                        let [rare, all, heading] =
                            names.get_or_insert_with(|| self.support_story_names(&support_sources, block));
                        self.tied_by_names(self.index.sentence(c.fact.sentence).source, rare, all, heading)
                    })
            };
            if c.confusable
                || c.agreement != Agreement::Conflict
                || c.why[0] < best.why[0]
                || (c.score < w.t_named || c.why[1] < best.why[1] && c.score < w.t_later) && !same_count()
                || support_sources.contains(&self.index.sentence(c.fact.sentence).source)
                || !same_kind(fig, &cf)
                || !same_kind(&best_fig, &cf)
            {
                continue;
            }
            let Some(date) = self.passage_date(&self.passage(c.fact)) else {
                continue;
            };
            if date.order(&newest) != Some(Ordering::Greater) {
                continue;
            }
            // A value the draft sentence gives another of its figures is that
            // figure's fact ("Of the 40 men underground, 34 survived").
            let mates = mates.get_or_insert_with(|| self.sentence_mates(block, fig));
            if a_mates_value(mates, &cf) {
                continue;
            }
            let newer = match &found {
                None => true,
                Some((d, f)) => match date.order(d) {
                    Some(Ordering::Greater) => true,
                    Some(Ordering::Equal) => c.score > f.score,
                    _ => false,
                },
            };
            if newer {
                found = Some((date, c));
            }
        }
        found.map(|(_, c)| c)
    }
}

impl Checker<'_> {
    /// Whether the draft's block or what frames it (a table row's label, the
    /// section heading) states a date besides `fig`: then its figures are of
    /// that time ("| 1995 | almost 6 million |", "Clinton said in 1998 ... it
    /// was now expected to be $10 billion"), and a later source's other
    /// value is of another time, not the fact's later state.
    pub(super) fn block_dated(&self, block: &Block, fig: &Figure) -> bool {
        let mut an = Analyzer::new(self.rules);
        let is_date = |f: &Figure| f.dim == Dim::Date;
        an.analyze(&block.text)
            .iter()
            .flat_map(|s| &s.figures)
            .any(|f| is_date(f) && f.span != fig.span)
            || block
                .context
                .iter()
                .any(|c| an.analyze(c).iter().flat_map(|s| &s.figures).any(is_date))
    }

    /// Makes a backed finding `figure-outdated` by a later source's value
    /// ([`Checker::later_value`]): the later value first, as the fix, and
    /// the two versions oldest first, as a revision's history reads.
    pub(super) fn outdate_by_later_value(
        &self,
        finding: &mut Finding,
        doc: &Document,
        block: &Block,
        fig: &Figure,
        supports: &[&Cand],
        later: &Cand,
    ) {
        let newer = self.passage(later.fact);
        let older: Vec<Passage> = dedupe(supports.iter().take(3).map(|c| self.passage(c.fact)).collect());
        let date = |p: &Passage| self.passage_date(p).map_or_else(String::new, |d| d.text);
        let replacement = self.replacement(doc, block, fig, later.fact, Code::FigureMismatch);
        finding.message = format!(
            "the newest source ({}, {}) says {}; {} is from {} ({})",
            newer.key,
            date(&newer),
            normalize_label(&newer.figure_text),
            normalize_label(&finding.text),
            older.first().map_or_else(String::new, date),
            older.first().map_or("", |p| p.key.as_str()),
        );
        finding.versions = vec![
            Version {
                text: normalize_label(
                    &older
                        .first()
                        .map_or_else(|| finding.text.clone(), |p| p.figure_text.clone()),
                ),
                replacement: None,
                matches_draft: true,
                passages: (1..=older.len()).collect(),
            },
            Version {
                text: normalize_label(&newer.figure_text),
                replacement: replacement.clone(),
                matches_draft: false,
                passages: vec![0],
            },
        ];
        finding.replacement = replacement;
        finding.passages = std::iter::once(newer).chain(older).collect();
        self.recode(finding, Code::FigureOutdated);
    }
}
