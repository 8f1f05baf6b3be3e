//! One sentence that gives a fact's earlier and newer value: "the toll rose
//! to 52 from 40", "revised the deficit from $13.9 billion to $1.1 billion",
//! "5,200 homes, up from 4,000". The earlier value is stated, but as
//! superseded: a draft that gives it is outdated by the newer one, even when
//! the newest source is the one that mentions it.
//!
//! The words are rules (`[revision]` in `rules/dates.toml`, and the rise and
//! fall words of `[arithmetic]`); the code knows the grammar: a figure right
//! after an "earlier" word is the earlier value of the figure of the same kind
//! right after a "newer" word or, failing one, of the one before it; without
//! an "earlier" word, "A to B" after a change word revises A to B.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};

use super::passage::dedupe;
use super::score::Cand;
use super::{Agreement, Checker, Code, Finding, compare, normalize_label};
use crate::extract::{Analyzer, Figure, Sentence};
use crate::index::FactRef;
use crate::markdown::{Block, Document};
use crate::rules::arithmetic::ArithWord;
use crate::rules::revision::RevisionWord;

/// Each source sentence's reading in the grammar of revision (for each of
/// its figures, the one that supersedes it), computed once per check: a
/// sentence retrieved for many draft figures is read once, not once per
/// figure (its words stemmed again every time were a tenth of a long
/// draft's check). Only the index's sentences are kept, so it belongs to
/// one checker, which borrows one index.
#[derive(Debug, Default)]
pub(super) struct Readings(Mutex<FxHashMap<u32, Arc<[Option<usize>]>>>);

impl Readings {
    /// The reading of sentence `sid`, made by `read` the first time.
    /// Read outside the lock: two threads may both read a sentence once.
    fn get(&self, sid: u32, read: impl FnOnce() -> Vec<Option<usize>>) -> Arc<[Option<usize>]> {
        let lock = || self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(r) = lock().get(&sid) {
            return r.clone();
        }
        let r: Arc<[Option<usize>]> = read().into();
        lock().entry(sid).or_insert(r).clone()
    }
}

/// What a figure's sentence says of it in the grammar of revision.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Earlier,
    Newer,
    /// The size of the change ("by 42,000"): no value of the fact.
    Difference,
    None,
}

impl Checker<'_> {
    /// For each of a sentence's figures, the index of the figure that
    /// supersedes it in the same sentence, if any. `text` is what the figure
    /// spans index; `sentence` the sentence's span in it.
    pub(super) fn superseded(&self, text: &str, sentence: Range<usize>, figs: &[Figure]) -> Vec<Option<usize>> {
        self.superseded_as(text, sentence, figs, true)
    }

    /// [`Self::superseded`]; `sums` asks that a compared count's difference
    /// add up before it reads as an earlier count (a draft's own sentence
    /// marks its earlier value by grammar even when its sum is wrong, which
    /// the arithmetic check reports).
    fn superseded_as(&self, text: &str, sentence: Range<usize>, figs: &[Figure], sums: bool) -> Vec<Option<usize>> {
        let mut out = vec![None; figs.len()];
        if figs.len() < 2 {
            return out;
        }
        self.earlier_counts(text, sentence.clone(), figs, sums, &mut out);
        if !self.tells_revision(&words(text, sentence.clone())) {
            return out;
        }
        let marks: Vec<Mark> = (0..figs.len())
            .map(|i| {
                let start = if i == 0 {
                    sentence.start
                } else {
                    figs[i - 1].span.end as usize
                };
                let f = &figs[i];
                let end = f.qual_span.as_ref().map_or(f.num_span.start, |q| q.start) as usize;
                match words(text, start..end).last().map(|w| self.revision_word(w)) {
                    Some(Some(RevisionWord::Earlier)) => Mark::Earlier,
                    Some(Some(RevisionWord::Newer)) => Mark::Newer,
                    Some(Some(RevisionWord::Difference)) => Mark::Difference,
                    _ => Mark::None,
                }
            })
            .collect();
        let kind = |a: usize, b: usize| same_kind(&figs[a], &figs[b]);
        for i in 0..figs.len() {
            if out[i].is_some() {
                continue;
            }
            let newer = match marks[i] {
                // "to 52 from 40", "from 40 to 52", "52, up from 40".
                Mark::Earlier => (0..figs.len())
                    .filter(|&j| j != i && marks[j] == Mark::Newer && kind(i, j))
                    .min_by_key(|&j| j.abs_diff(i))
                    .or_else(|| (0..i).rev().find(|&j| marks[j] == Mark::None && kind(i, j))),
                // "revised 40 to 52": the next figure, right after a newer word.
                Mark::None => (i + 1 < figs.len() && marks[i + 1] == Mark::Newer && kind(i, i + 1)).then_some(i + 1),
                Mark::Newer | Mark::Difference => None,
            };
            out[i] = newer;
        }
        out
    }

    /// The revision reading of index sentence `sid` (its record `rec`), once per check.
    pub(super) fn reading(&self, sid: u32, rec: &crate::index::SentenceRec) -> Arc<[Option<usize>]> {
        self.readings.get(sid, || {
            let text = self.index.source_text(rec.source);
            self.superseded(&text, rec.span.start as usize..rec.span.end as usize, &rec.figures)
        })
    }

    /// Reads each candidate that gives the draft's value as the earlier value
    /// of a revision in its sentence as that sentence's newer value, which
    /// contradicts the draft; returns the facts so read. A draft figure that
    /// its own sentence gives as an earlier value ("rose to 14 from nine") is
    /// left alone: the draft states the revision itself.
    pub(super) fn read_revisions(&self, block: &Block, fig: &Figure, cands: &mut [Cand]) -> FxHashSet<FactRef> {
        let mut revised = FxHashSet::default();
        let mut draft_is_earlier: Option<bool> = None;
        for c in cands.iter_mut() {
            let rec = self.index.sentence(c.fact.sentence);
            if rec.figures.len() < 2 {
                continue;
            }
            let sup = self.reading(c.fact.sentence, &rec);
            let fi = c.fact.figure as usize;
            let newer = match sup[fi] {
                // The candidate is the earlier value; the draft gives it.
                Some(j) if c.agreement != Agreement::Conflict && !c.confusable => j,
                // The candidate is the newer value; the draft gives an earlier one.
                None if c.agreement == Agreement::Conflict
                    && (0..rec.figures.len()).any(|i| {
                        sup[i] == Some(fi)
                            && compare::values(fig.bound, fig.value, rec.figures[i].bound, rec.figures[i].value, 1.0)
                                .is_some_and(|a| a != Agreement::Conflict)
                    }) =>
                {
                    fi
                }
                _ => continue,
            };
            let n = &rec.figures[newer];
            if compare::values(fig.bound, fig.value, n.bound, n.value, 1.0) != Some(Agreement::Conflict) {
                continue;
            }
            if *draft_is_earlier.get_or_insert_with(|| self.draft_gives_earlier(block, fig)) {
                return FxHashSet::default();
            }
            c.fact = FactRef {
                sentence: c.fact.sentence,
                figure: newer as u16,
            };
            c.agreement = Agreement::Conflict;
            c.confusable = false;
            revised.insert(c.fact);
        }
        revised
    }

    /// Whether a revising candidate's source is dated before the best
    /// supporting source (then the support is the newer word).
    pub(super) fn older_than_support(&self, revising: &Cand, supports: &[&Cand]) -> bool {
        let Some(s) = supports.first() else { return false };
        let date = |c: &Cand| self.passage_date(&self.passage(c.fact));
        match (date(revising), date(s)) {
            (Some(a), Some(b)) => a.order(&b) == Some(std::cmp::Ordering::Less),
            _ => false,
        }
    }

    /// Whether the draft's own sentence gives the figure as an earlier value.
    pub(super) fn draft_gives_earlier(&self, block: &Block, fig: &Figure) -> bool {
        self.draft_newer(block, fig).is_some()
    }

    /// The figure the draft's own sentence gives as `fig`'s newer value
    /// ("rose from 40 households on May 2 to 65").
    pub(super) fn draft_newer(&self, block: &Block, fig: &Figure) -> Option<Figure> {
        self.newer_in(block, &self.draft_sentence(block, fig)?, fig)
    }

    /// [`Self::draft_newer`], in the draft sentence `s` that holds `fig`.
    pub(super) fn newer_in(&self, block: &Block, s: &Sentence, fig: &Figure) -> Option<Figure> {
        let (sup, i) = self.draft_reading(block, s, fig)?;
        sup[i].map(|j| s.figures[j].clone())
    }

    /// The figures the draft sentence `s` gives as `fig`'s newer or earlier
    /// value ("rose 12 per cent to 4.82 billion crowns from 4.3 billion").
    pub(super) fn change_partners_in(&self, block: &Block, s: &Sentence, fig: &Figure) -> Vec<Figure> {
        let Some((sup, i)) = self.draft_reading(block, s, fig) else {
            return Vec::new();
        };
        (0..s.figures.len())
            .filter(|&k| sup[i] == Some(k) || sup[k] == Some(i))
            .map(|k| s.figures[k].clone())
            .collect()
    }

    /// The revision reading of draft sentence `s` (`sup[k] == Some(j)`:
    /// figure k is the earlier value of j) and `fig`'s index in it.
    fn draft_reading(&self, block: &Block, s: &Sentence, fig: &Figure) -> Option<(Vec<Option<usize>>, usize)> {
        let sup = self.superseded_as(
            &block.text,
            s.span.start as usize..s.span.end as usize,
            &s.figures,
            false,
        );
        let i = s.figures.iter().position(|f| f.span == fig.span)?;
        Some((sup, i))
    }

    /// The draft sentence of `block` that holds `fig`, analysed afresh.
    pub(super) fn draft_sentence(&self, block: &Block, fig: &Figure) -> Option<Sentence> {
        let mut an = Analyzer::new(self.rules);
        an.analyze(&block.text)
            .into_iter()
            .find(|s| s.span.start <= fig.span.start && fig.span.end <= s.span.end)
    }

    /// Makes a finding `figure-outdated` by a source sentence that revises the
    /// draft's value (`newer` is the revised fact).
    pub(super) fn outdate_by_revision(
        &self,
        finding: &mut Finding,
        doc: &Document,
        block: &Block,
        fig: &Figure,
        newer: FactRef,
    ) {
        let p = self.passage(newer);
        let date = self
            .passage_date(&p)
            .map_or_else(String::new, |d| format!(", {}", d.text));
        finding.message = format!(
            "the source ({}{date}) revises it to {}; {} is the earlier value",
            p.key,
            normalize_label(&p.figure_text),
            normalize_label(&finding.text)
        );
        finding.replacement = self.replacement(doc, block, fig, newer, Code::FigureMismatch);
        let mut passages = vec![p];
        passages.append(&mut finding.passages);
        finding.passages = dedupe(passages);
        finding.versions.clear();
        self.recode(finding, Code::FigureOutdated);
    }

    /// "X, N more (fewer) than the Y counted on Thursday", where X - Y = N
    /// and a word of earlier time follows Y in its clause: Y is the fact's
    /// earlier count and X supersedes it. Without the time word the two may
    /// be two things compared ("65 more than the 85 homes in the next town").
    fn earlier_counts(
        &self,
        text: &str,
        sentence: Range<usize>,
        figs: &[Figure],
        sums: bool,
        out: &mut [Option<usize>],
    ) {
        let num = |f: &Figure| match f.value {
            crate::extract::Value::Num { lo, hi } if lo == hi => Some(lo),
            _ => None,
        };
        for n in 1..figs.len().saturating_sub(1) {
            let (x, d, y) = (&figs[n - 1], &figs[n], &figs[n + 1]);
            let between = words(text, d.num_span.end as usize..y.num_span.start as usize);
            let sign = match between
                .first()
                .and_then(|w| self.rules.arithmetic.words.get(&self.rules.stem_hash(w)))
            {
                Some(ArithWord::More) => 1.0,
                Some(ArithWord::Fewer) => -1.0,
                _ => continue,
            };
            if between.get(1).map(String::as_str) != Some("than") || !same_kind(x, y) {
                continue;
            }
            let (Some(xv), Some(dv), Some(yv)) = (num(x), num(d), num(y)) else {
                continue;
            };
            if sums && ((xv - yv) * sign - dv).abs() > 1e-9 * xv.abs().max(yv.abs()) {
                continue;
            }
            let end = figs.get(n + 2).map_or(sentence.end, |f| f.span.start as usize);
            let told_earlier = words(text, y.span.end as usize..end)
                .iter()
                .any(|w| self.revision_word(w) == Some(RevisionWord::EarlierTime));
            if told_earlier {
                out[n + 1] = Some(n - 1);
            }
        }
    }

    fn revision_word(&self, w: &str) -> Option<RevisionWord> {
        self.rules.revision.words.get(&self.rules.stem_hash(w)).copied()
    }

    /// Whether a sentence says a value changed: a revision verb, or a rise or
    /// fall word.
    fn tells_revision(&self, words: &[String]) -> bool {
        words.iter().any(|w| {
            let key = self.rules.stem_hash(w);
            self.rules.revision.words.get(&key) == Some(&RevisionWord::Change)
                || matches!(
                    self.rules.arithmetic.words.get(&key),
                    Some(ArithWord::Rise | ArithWord::Fall)
                )
        })
    }
}

/// Two figures that can be one fact's two values: the same dimension, of a
/// kind that is revised (counts, money, measures), about the same counted
/// thing when both name one.
pub(super) fn same_kind(a: &Figure, b: &Figure) -> bool {
    let revisable = a.dim.is_quantity();
    let nouns_fit = match (a.noun, b.noun) {
        (Some(x), Some(y)) if !x.inherited && !y.inherited => match (x.class, y.class) {
            (Some(p), Some(q)) => p == q,
            _ => x.head == y.head,
        },
        _ => true,
    };
    revisable && a.dim == b.dim && nouns_fit
}

/// The lowercase words of a stretch of text.
fn words(text: &str, r: Range<usize>) -> Vec<String> {
    let r = r.start.min(text.len())..r.end.min(text.len());
    if r.start >= r.end || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
        return Vec::new();
    }
    text[r]
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::check::{CheckOptions, Checker};
    use crate::corpus::Corpus;
    use crate::extract::Analyzer;
    use crate::index::Index;
    use crate::rules::Rules;

    /// The figure texts each figure of `text` is superseded by.
    fn read(text: &str) -> Vec<(String, Option<String>)> {
        let rules = Rules::builtin();
        let index = Index::build(
            Corpus {
                sources: Vec::new(),
                warnings: Vec::new(),
            },
            &rules,
        );
        let options = CheckOptions::default();
        let checker = Checker::new(&index, &rules, &options);
        let mut an = Analyzer::new(&rules);
        let s = an.analyze(text).into_iter().next().expect("one sentence");
        let sup = checker.superseded(text, s.span.start as usize..s.span.end as usize, &s.figures);
        let t = |i: usize| text[s.figures[i].num_span.start as usize..s.figures[i].num_span.end as usize].to_string();
        (0..s.figures.len()).map(|i| (t(i), sup[i].map(t))).collect()
    }

    fn pair(a: &str, b: &str) -> (String, Option<String>) {
        (a.to_string(), Some(b.to_string()))
    }

    #[test]
    fn to_then_from() {
        let r = read("The death toll rose to 52 from 40 on Thursday, police said.");
        assert!(r.contains(&pair("40", "52")), "{r:?}");
        assert!(r.iter().any(|(t, s)| t == "52" && s.is_none()), "{r:?}");
    }

    #[test]
    fn from_then_to_and_money() {
        let r = read("The review revised the deficit from $13.9 billion to $1.1 billion.");
        assert!(r.contains(&pair("$13.9 billion", "$1.1 billion")), "{r:?}");
    }

    #[test]
    fn up_from_after_the_newer_value() {
        let r = read("The strike closed wards at 52 hospitals, up from 40.");
        assert!(r.contains(&pair("40", "52")), "{r:?}");
    }

    #[test]
    fn the_size_of_a_change_is_no_earlier_value() {
        let r = read("Vacancies fell by 42,000 on the quarter to 761,000.");
        assert!(r.iter().all(|(_, s)| s.is_none()), "{r:?}");
        // With its earlier value stated, the difference still stands apart.
        let r = read("Vacancies fell by 42,000 on the quarter to 761,000 from 803,000.");
        assert!(r.contains(&pair("803,000", "761,000")), "{r:?}");
        assert!(r.iter().any(|(t, s)| t == "42,000" && s.is_none()), "{r:?}");
        // Without "by", "A to B" after a change word is still a revision.
        let r = read("The ministry revised 40 deaths to 52 deaths.");
        assert!(r.contains(&pair("40", "52")), "{r:?}");
    }

    #[test]
    fn an_area_widened_from_its_earlier_size() {
        let r = read("The search area was widened to 60 square kilometres from 25 as the tide turned.");
        assert!(r.contains(&pair("25", "60 square kilometres")), "{r:?}");
        let r = read("The wide search covered 60 square kilometres and 25 boats.");
        assert!(r.iter().all(|(_, s)| s.is_none()), "{r:?}");
    }

    #[test]
    fn a_count_compared_with_an_earlier_one() {
        let r = read("The service said 150 homes had burned, 65 more than the 85 homes counted on Thursday.");
        assert!(r.contains(&pair("85", "150")), "{r:?}");
        assert!(r.iter().any(|(t, s)| t == "150" && s.is_none()), "{r:?}");
    }

    #[test]
    fn a_comparison_without_earlier_time_or_that_does_not_add_up_is_no_revision() {
        for text in [
            "The service said 150 homes had burned, 65 more than the 85 homes in the next valley.",
            "The service said 150 homes had burned, 60 more than the 85 homes counted on Thursday.",
        ] {
            let r = read(text);
            assert!(r.iter().all(|(_, s)| s.is_none()), "{text}: {r:?}");
        }
    }

    #[test]
    fn a_range_without_a_change_word_is_no_revision() {
        let r = read("Patients waited from 40 to 52 days for surgery.");
        assert!(r.iter().all(|(_, s)| s.is_none()), "{r:?}");
    }

    #[test]
    fn values_of_different_things_are_no_revision() {
        let r = read("The union said 5,000 nurses rose up from 40 hospitals.");
        assert!(r.iter().all(|(_, s)| s.is_none()), "{r:?}");
    }
}
