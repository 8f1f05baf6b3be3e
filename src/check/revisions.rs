//! Facts over time: when dated sources give different values for one fact,
//! the newest is the current value, and the others are its earlier values,
//! not a disagreement.
//!
//! This runs after the same-fact judgement, on its versions: a draft figure
//! the sources "disagree" on is
//! - `supported` when it gives the newest version (the message lists the
//!   earlier values with their dates);
//! - `figure-outdated` when it gives an older one, naming the newest source
//!   and date, with the newest value as the fix;
//! - still `sources-disagree` when a version is undated, when the newest
//!   date is shared by another version, or when the versions' sentences
//!   state the fact for different times ("40 by March 2004", "52 by March
//!   2005": two facts, not a revision).

use std::cmp::Ordering;

use super::{Cand, Checker, Code, Conflict, Finding, Passage};
use crate::dateline::SourceDate;
use crate::extract::{Analyzer, Dim, Figure, Value};
use crate::markdown::Block;

/// A version's place in a fact's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    /// Index of the version.
    pub version: usize,
    /// The newest date among its sources.
    pub date: SourceDate,
}

impl Checker<'_> {
    /// The date of the source behind a passage.
    pub(super) fn passage_date(&self, p: &Passage) -> Option<SourceDate> {
        crate::dateline::source_date(self.index, self.rules, p.source)
    }

    /// Versions (each a list of passages) ordered newest last, when they form
    /// a history: every version dated, the newest strictly after the rest,
    /// and no two versions stated for different times.
    fn history(&self, versions: &[Vec<&Passage>], draft_dates: &[crate::extract::DateVal]) -> Option<Vec<Dated>> {
        if versions.len() < 2 {
            return None;
        }
        let mut dated = Vec::new();
        for (i, ps) in versions.iter().enumerate() {
            let mut best: Option<SourceDate> = None;
            for d in ps.iter().filter_map(|p| self.passage_date(p)) {
                best = match best {
                    Some(b) if b.order(&d) != Some(Ordering::Less) => Some(b),
                    _ => Some(d),
                };
            }
            dated.push(Dated {
                version: i,
                date: best?,
            });
        }
        // Every pair must be ordered; the newest must stand alone.
        for a in &dated {
            for b in &dated {
                a.date.order(&b.date)?;
            }
        }
        dated.sort_by(|a, b| a.date.order(&b.date).unwrap_or(Ordering::Equal));
        let n = dated.len();
        if dated[n - 1].date.order(&dated[n - 2].date) != Some(Ordering::Greater) {
            return None;
        }
        // Different times of the fact are different facts.
        let times: Vec<Vec<crate::extract::DateVal>> = versions
            .iter()
            .map(|ps| self.stated_dates(ps.first().copied()))
            .collect();
        let differs = |a: &[crate::extract::DateVal], b: &[crate::extract::DateVal]| {
            !a.is_empty()
                && !b.is_empty()
                && !a.iter().any(|x| {
                    b.iter()
                        .any(|y| super::compare::dates(*x, *y) != Some(super::Agreement::Conflict))
                })
        };
        for (i, a) in times.iter().enumerate() {
            if times[i + 1..].iter().any(|b| differs(a, b)) || differs(a, draft_dates) {
                return None;
            }
        }
        Some(dated)
    }

    /// Dates a passage's sentence states besides its figure.
    fn stated_dates(&self, p: Option<&Passage>) -> Vec<crate::extract::DateVal> {
        let Some(p) = p else { return Vec::new() };
        let mut an = Analyzer::new(self.rules);
        an.analyze(&p.text)
            .iter()
            .flat_map(|s| s.figures.clone())
            .filter_map(|f| match (f.dim, f.value) {
                (Dim::Date, Value::Date(d)) if p.text[f.span.start as usize..f.span.end as usize] != p.figure_text => {
                    Some(d)
                }
                _ => None,
            })
            .collect()
    }

    /// Dates the draft's sentence states besides the figure.
    pub(super) fn draft_dates(&self, block: &Block, fig: &Figure) -> Vec<crate::extract::DateVal> {
        self.sentence_mates(block, fig)
            .into_iter()
            .filter_map(|f| match (f.dim, f.value) {
                (Dim::Date, Value::Date(d)) => Some(d),
                _ => None,
            })
            .collect()
    }

    /// A draft figure contradicted by one source and backed by another reads
    /// as a mismatch when the contradiction is much the stronger; when both
    /// sources are dated, it is a history to read version by version.
    pub(super) fn regroup(&self, code: Code, best_sup: f32, supports: &[&Cand], conflicts: &[&Cand]) -> Code {
        if !matches!(code, Code::FigureMismatch | Code::QualifierMismatch) || best_sup < self.rules.scoring.t_support {
            return code;
        }
        let (Some(s), Some(c)) = (supports.first(), conflicts.first()) else {
            return code;
        };
        let (s, c) = (self.passage(s.fact), self.passage(c.fact));
        match (self.passage_date(&s), self.passage_date(&c)) {
            (Some(a), Some(b)) if a.order(&b).is_some_and(|o| o != Ordering::Equal) => Code::SourcesDisagree,
            _ => code,
        }
    }

    /// Reads a `sources-disagree` finding as a history when its sources are dated.
    pub(super) fn revise(&self, finding: &mut Finding, block: &Block, fig: &Figure) {
        if finding.code != Code::SourcesDisagree || fig.dim == Dim::Date {
            return;
        }
        let versions: Vec<Vec<&Passage>> = finding
            .versions
            .iter()
            .map(|v| v.passages.iter().map(|&i| &finding.passages[i]).collect())
            .collect();
        let Some(history) = self.history(&versions, &self.draft_dates(block, fig)) else {
            return;
        };
        let Some(mine) = finding.versions.iter().position(|v| v.matches_draft) else {
            return;
        };
        let newest = history.last().expect("a history has two versions");
        let keys = |v: usize| {
            let mut keys: Vec<&str> = finding.versions[v]
                .passages
                .iter()
                .map(|&i| finding.passages[i].key.as_str())
                .collect();
            keys.dedup();
            keys.join(", ")
        };
        let newest_key = finding.versions[newest.version]
            .passages
            .iter()
            .map(|&i| &finding.passages[i])
            .find(|p| {
                self.passage_date(p)
                    .is_some_and(|d| d.order(&newest.date) == Some(Ordering::Equal))
            })
            .map_or_else(|| keys(newest.version), |p| p.key.clone());
        // The draft dates its figure to a year ("In 1999 he put the murder
        // rate at ...") and one version alone is of that year, not the
        // draft's: that source is the one to compare with.
        let year_of = |v: usize| history.iter().find(|d| d.version == v).and_then(|d| d.date.value.year);
        let of_its_time = fig.time.and_then(|y| {
            let same_year: Vec<&Dated> = history.iter().filter(|d| d.date.value.year == Some(y)).collect();
            match same_year[..] {
                [d] if d.version != mine && year_of(mine) != Some(y) => Some(d),
                _ => None,
            }
        });
        // "$4.75 (a1996, January 23, 1996)": a version as a message lists it.
        let describe = |d: &Dated| {
            format!(
                "{} ({}, {})",
                finding.versions[d.version].text,
                keys(d.version),
                d.date.text
            )
        };
        let mut cite = newest.version;
        let code = if let Some(own) = of_its_time {
            cite = own.version;
            let mine_date = history
                .iter()
                .find(|d| d.version == mine)
                .map_or(String::new(), |d| d.date.text.clone());
            finding.message = format!(
                "the source of its time ({}, {}) says {}; {} is from {} ({})",
                keys(own.version),
                own.date.text,
                finding.versions[own.version].text,
                super::normalize_label(&finding.text),
                mine_date,
                keys(mine)
            );
            finding.replacement = finding.versions[own.version].replacement.clone();
            Code::FigureMismatch
        } else if newest.version == mine {
            let earlier: Vec<String> = history[..history.len() - 1].iter().rev().map(&describe).collect();
            finding.message = format!(
                "supported by the newest source ({newest_key}, {}); earlier: {}",
                newest.date.text,
                earlier.join("; ")
            );
            Code::Supported
        } else if let Some(own) = history
            .iter()
            .find(|d| d.version == mine)
            .filter(|d| fig.time.is_some() && d.date.value.year == fig.time)
            .filter(|own| {
                // Only when the later versions are of later years: two sources
                // of one year are not told apart by the year.
                history.iter().all(|d| {
                    d.date.order(&own.date) != Some(Ordering::Greater)
                        || d.date.value.year.zip(fig.time).is_some_and(|(a, b)| a > b)
                })
            })
        {
            // The draft dates its value to its source's year ("In 1995 the
            // wage was $4.25"): a later value is of another time, no revision.
            let later: Vec<String> = history
                .iter()
                .filter(|d| d.date.order(&own.date) == Some(Ordering::Greater))
                .map(&describe)
                .collect();
            finding.message = format!(
                "supported by the source of its time ({}, {}); later: {}",
                keys(mine),
                own.date.text,
                later.join("; ")
            );
            Code::Supported
        } else {
            let old = history
                .iter()
                .find(|d| d.version == mine)
                .expect("every version is dated");
            finding.message = format!(
                "the newest source ({newest_key}, {}) says {}; {} is from {} ({})",
                newest.date.text,
                finding.versions[newest.version].text,
                super::normalize_label(&finding.text),
                old.date.text,
                keys(mine)
            );
            finding.replacement = finding.versions[newest.version].replacement.clone();
            Code::FigureOutdated
        };
        // The cited version's passages first (the newest, or the one of the
        // draft's own time): they are what to cite. Taken before the versions
        // are reordered, since `cite` indexes them as they were.
        let first = finding.versions[cite].passages.clone();
        // A revision's versions read oldest first, as its history does
        // (reports and the review page show them as a timeline).
        let mut ordered: Vec<_> = history.iter().map(|d| finding.versions[d.version].clone()).collect();
        ordered.extend(
            (0..finding.versions.len())
                .filter(|i| history.iter().all(|d| d.version != *i))
                .map(|i| finding.versions[i].clone()),
        );
        finding.versions = ordered;
        let order: Vec<usize> = first
            .iter()
            .copied()
            .chain((0..finding.passages.len()).filter(|i| !first.contains(i)))
            .collect();
        let passages: Vec<Passage> = order.iter().map(|&i| finding.passages[i].clone()).collect();
        for v in &mut finding.versions {
            for i in &mut v.passages {
                *i = order.iter().position(|o| o == i).expect("every passage is kept");
            }
        }
        finding.passages = passages;
        self.recode(finding, code);
    }

    /// The history of a fact the sources disagree on, oldest first, when its
    /// versions are dated revisions rather than a disagreement.
    pub fn revision(&self, conflict: &Conflict) -> Option<Vec<Dated>> {
        let versions: Vec<Vec<&Passage>> = conflict.versions.iter().map(|v| v.passages.iter().collect()).collect();
        self.history(&versions, &[])
    }
}
