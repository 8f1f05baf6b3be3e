//! The draft against itself: two figures of one draft that state the same
//! fact with different values (the lede says 382 babies, the sixth paragraph
//! 328) are both `draft-disagree`, each pointing at the other.
//!
//! The judgement is the one made against the sources: the draft is indexed
//! as if it were a source, and each draft figure is scored against the
//! draft's other sentences with the same same-fact scoring. A restatement
//! agrees: under a qualifier ("1,094 people", "more than a thousand"),
//! rounded ("1,100 people"), or in another unit of the same dimension.

use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{Agreement, Checker, Code, Finding, Related, normalize_label};
use crate::corpus::Source;
use crate::extract::{Dim, Figure, Sentence, Value};
use crate::index::{FactRef, Index, value_keys};
use crate::markdown::{BlockKind, Document};
use crate::rules::arithmetic::ArithWord;

impl Checker<'_> {
    /// `draft-disagree` findings: pairs of draft figures about one fact with
    /// values that cannot both hold.
    pub fn draft_disagreements(&self, doc: &Document) -> Vec<Finding> {
        self.disagreements_among(doc, &Arc::from(doc.text.as_str()), &doc.blocks)
    }

    /// [`Checker::draft_disagreements`] among some of the draft's blocks
    /// (one chunk of a long draft, see `draft_chunks`).
    /// `text` is the draft's text, shared by the chunks' indexes.
    fn disagreements_among(&self, doc: &Document, text: &Arc<str>, blocks: &[crate::markdown::Block]) -> Vec<Finding> {
        // Table cells and list items are rows of different facts (or the
        // parts of a total); they are left out.
        let blocks = blocks
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::TableCell { .. } | BlockKind::ListItem))
            .cloned()
            .collect();
        let source = Source {
            key: "draft".into(),
            title: String::new(),
            path: PathBuf::new(),
            date: None,
            url: None,
            publisher: None,
            author: None,
            format: crate::corpus::Format::Markdown,
            locators: Vec::new(),
            text: String::new(),
            lines: doc.lines.clone(),
            blocks,
        };
        let index = Index::build_shared(&source, text.clone(), self.rules);
        let own = Checker::new(&index, self.rules, self.options);
        // Figure → the other figures it contradicts.
        let mut against: FxHashMap<FactRef, Vec<FactRef>> = FxHashMap::default();
        for sid in 0..index.sentence_count() as u32 {
            let rec = index.sentence(sid);
            if rec.figures.is_empty() || own.tells_change(&rec.terms) {
                continue;
            }
            let sentence = Sentence {
                span: rec.span.clone(),
                terms: rec.terms.clone(),
                figures: rec.figures.clone(),
            };
            let fig_keys: Vec<Vec<u64>> = rec.figures.iter().map(|f| value_keys(f, self.rules)).collect();
            for (fi, fig) in rec.figures.iter().enumerate() {
                if fig.weak || !fig.dim.is_quantity() || compares(&rec.figures, fi) {
                    continue;
                }
                let me = FactRef {
                    sentence: sid,
                    figure: fi as u16,
                };
                for c in own.figure_candidates(&sentence, fi, None, &fig_keys) {
                    tracing::trace!(
                        figure = %&doc.text[fig.span.start as usize..fig.span.end as usize],
                        other = ?c.fact,
                        score = c.score,
                        why = ?c.why,
                        agreement = ?c.agreement,
                        "draft candidate"
                    );
                    if c.fact.sentence == sid
                        || c.agreement != Agreement::Conflict
                        || c.confusable
                        || c.why[0] < own.rules.scoring.draft_identified
                        || c.score
                            < own.rules.scoring.t_disagree
                                + own
                                    .rules
                                    .scoring
                                    .draft_definite_margin
                                    .min(own.rules.scoring.draft_margin)
                    {
                        continue;
                    }
                    let other_rec = index.sentence(c.fact.sentence);
                    let other = &other_rec.figures[c.fact.figure as usize];
                    // A noun carried over from the figure before is a guess.
                    let guessed = |f: &Figure| f.noun.is_none_or(|n| n.inherited);
                    if other.weak
                        || guessed(fig) && fig.dim == Dim::Count
                        || guessed(other) && other.dim == Dim::Count
                        || other.dim != fig.dim
                        // "20,000 yuan" and "as much as 50,000 yuan": a price and its ceiling.
                        || other.bound.family() != fig.bound.family()
                        // "10 young Israelis" and "243 Israelis": a part and the whole.
                        || fig.modifiers.as_slice() != other.modifiers.as_slice()
                        || own.tells_change(&other_rec.terms)
                        || compares(&other_rec.figures, c.fact.figure as usize)
                        || own.restates(fig, other)
                        || differ_in_time(&rec.figures, &other_rec.figures)
                        || other_subjects((&rec, fi), (&other_rec, c.fact.figure as usize))
                        || self.sources_tell_apart((&sentence, fi), (&other_rec, c.fact.figure as usize))
                    {
                        continue;
                    }
                    // Two indefinite figures may be two sets of one kind: the
                    // higher bar of a draft's shared context holds.
                    let definite = |f: &Figure| definite(&doc.text, f, self.rules);
                    if !definite(fig)
                        && !definite(other)
                        && c.score < own.rules.scoring.t_disagree + own.rules.scoring.draft_margin
                    {
                        continue;
                    }
                    tracing::debug!(score = c.score, why = ?c.why, "draft against itself");
                    for (a, b) in [(me, c.fact), (c.fact, me)] {
                        let list = against.entry(a).or_default();
                        if !list.contains(&b) {
                            list.push(b);
                        }
                    }
                }
            }
        }
        let mut out: Vec<Finding> = against
            .into_iter()
            .map(|(me, others)| self.disagree_finding(doc, &index, me, others))
            .collect();
        out.sort_by_key(|f| f.span.start);
        out
    }

    fn disagree_finding(&self, doc: &Document, index: &Index, me: FactRef, mut others: Vec<FactRef>) -> Finding {
        others.sort();
        let fig = index.figure(me);
        let span = fig.span.start as usize..fig.span.end as usize;
        let related: Vec<Related> = others
            .iter()
            .map(|&o| {
                let g = index.figure(o);
                Related {
                    message: String::new(),
                    span: g.span.start as usize..g.span.end as usize,
                }
            })
            .collect();
        let mut f = Finding {
            code: Code::DraftDisagree,
            severity: self.options.severity(Code::DraftDisagree),
            message: String::new(),
            text: doc.text[span.clone()].to_string(),
            span,
            value: Some(fig.value),
            replacement: None,
            passages: Vec::new(),
            versions: Vec::new(),
            suppressed: None,
            related,
        };
        describe_disagreement(doc, &mut f);
        f
    }

    /// Whether the sources tie the two draft figures to two different facts
    /// of theirs: each figure's best candidate in the corpus is strong enough
    /// to decide its verdict (`t_conflict`), and they are not one source
    /// figure. A draft that gives the first offer's £1.38bn and the raised
    /// offer's £1.48bn, or one ward's turnout and the last election's, states
    /// two facts the sources state apart; a lede's 382 babies and a later
    /// 328, both closest to the source's one 382, stay a contradiction.
    fn sources_tell_apart(&self, (a, ai): (&Sentence, usize), (b, bi): (&crate::index::SentenceRec, usize)) -> bool {
        let b = Sentence {
            span: b.span.clone(),
            terms: b.terms.clone(),
            figures: b.figures.clone(),
        };
        let best = |s: &Sentence, fi: usize| {
            let keys: Vec<Vec<u64>> = s.figures.iter().map(|f| value_keys(f, self.rules)).collect();
            self.figure_candidates(s, fi, None, &keys)
                .into_iter()
                .filter(|c| c.score >= self.rules.scoring.t_conflict)
                .max_by(|x, y| {
                    x.score
                        .total_cmp(&y.score)
                        .then_with(|| self.index.stable_cmp(y.fact, x.fact))
                })
                .map(|c| c.fact)
        };
        match (best(a, ai), best(&b, bi)) {
            (Some(x), Some(y)) => x != y,
            _ => false,
        }
    }

    /// Whether a sentence tells of a change ("rose", "down from"): its
    /// figures are a before and an after, not two versions of one fact.
    fn tells_change(&self, terms: &[crate::extract::Term]) -> bool {
        terms.iter().any(|t| {
            matches!(
                self.rules.arithmetic.words.get(&t.key),
                Some(ArithWord::Rise | ArithWord::Fall | ArithWord::More | ArithWord::Fewer)
            )
        })
    }

    /// Whether one figure restates the other at a coarser precision or in
    /// another unit: the precise value rounds to the round one.
    fn restates(&self, a: &Figure, b: &Figure) -> bool {
        let Some((_, _, factor)) = self.relation(a, b, &[], &[]) else {
            return false;
        };
        let (Value::Num { lo: a0, hi: a1 }, Value::Num { lo: b0, hi: b1 }) = (a.value, b.value) else {
            return false;
        };
        if a0 != a1 || b0 != b1 {
            return false;
        }
        // Both in the first figure's unit.
        let (x, y) = (a0, b0 * factor);
        // A figure in another unit carries its own precision through the factor.
        let unit = |v: f64, f: f64| super::compare::rounding_unit(v) * f;
        let coarse = unit(a0, 1.0).max(unit(b0, factor));
        (x - y).abs() <= coarse / 2.0 + 1e-9 * x.abs().max(y.abs())
    }
}

/// Writes a `draft-disagree` finding's messages from its spans: the other
/// values with their lines. Done again when a cached finding moves, since
/// the lines it names move with it.
pub(super) fn describe_disagreement(doc: &Document, f: &mut Finding) {
    for r in &mut f.related {
        let line = doc.lines.line_of(r.span.start) + 1;
        r.message = format!(
            "the draft says {} on line {line}",
            normalize_label(&doc.text[r.span.clone()])
        );
    }
    let elsewhere: Vec<&str> = f
        .related
        .iter()
        .map(|r| r.message.trim_start_matches("the draft says "))
        .collect();
    f.message = format!(
        "the draft gives another value for this fact: {} here, {} elsewhere",
        normalize_label(&doc.text[f.span.clone()]),
        elsewhere.join("; ")
    );
}

/// Whether a sentence sets a figure beside another of the same kind of
/// thing ("45 deaths, eight more than the 37 deaths"): it compares or lists
/// them, and each is its own fact.
fn compares(figs: &[Figure], i: usize) -> bool {
    let f = &figs[i];
    figs.iter().enumerate().any(|(j, g)| {
        j != i
            && g.dim == f.dim
            && match (f.noun, g.noun) {
                (Some(a), Some(b)) => a.head == b.head || a.class.is_some() && a.class == b.class,
                _ => false,
            }
    })
}

/// Whether a figure's noun phrase is definite: the word before it is a
/// definite determiner ("the 900 homes") or a possessive ("the union's
/// 84,000 members").
fn definite(text: &str, f: &Figure, rules: &crate::rules::Rules) -> bool {
    let before = text[..f.span.start as usize].trim_end();
    let word = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .next()
        .unwrap_or("");
    if word.is_empty() || !before.ends_with(word) {
        return false;
    }
    let lower = word.to_lowercase();
    let possessive = ["'s", "’s", "s'", "s’"]
        .iter()
        .any(|p| lower.len() > p.len() && lower.ends_with(p));
    possessive || rules.definite.contains(&crate::text::word_hash(&lower))
}

/// The names a figure is about: those of its own clause, else those of the
/// sentence's clauses that hold no figure ("The Netherlands, with 17.5
/// million people, had ..."), where the sentence's subject stands. (The
/// draft's index already reads a capitalised opener the draft writes in
/// lower case elsewhere as no name: "Engineers checked …", "the engineers".)
fn subject_names(rec: &crate::index::SentenceRec, fi: usize) -> Vec<u64> {
    let fig = &rec.figures[fi];
    let named = |pick: &dyn Fn(u8) -> bool| -> Vec<u64> {
        rec.terms
            .iter()
            .filter(|t| t.name && pick(t.clause) && !fig.toks.contains(&t.pos))
            .map(|t| t.key)
            .collect()
    };
    let own = named(&|c| c == fig.clause);
    if !own.is_empty() {
        return own;
    }
    named(&|c| c != crate::extract::OUTER_CLAUSE && !rec.figures.iter().any(|g| g.clause == c))
}

/// Two figures about different named subjects ("The Netherlands, with 17.5
/// million people" and "Poland's 37.8 million people") are two facts: each
/// names someone or somewhere, and no name is shared.
fn other_subjects((a, ai): (&crate::index::SentenceRec, usize), (b, bi): (&crate::index::SentenceRec, usize)) -> bool {
    let (na, nb) = (subject_names(a, ai), subject_names(b, bi));
    !na.is_empty() && !nb.is_empty() && !na.iter().any(|n| nb.contains(n))
}

/// Two sentences that date their figures differently ("by March 2004", "by
/// March 2005") state two facts.
fn differ_in_time(a: &[Figure], b: &[Figure]) -> bool {
    let dates = |fs: &[Figure]| -> Vec<crate::extract::DateVal> {
        fs.iter()
            .filter_map(|f| match (f.dim, f.value) {
                (Dim::Date, Value::Date(d)) => Some(d),
                _ => None,
            })
            .collect()
    };
    let (da, db) = (dates(a), dates(b));
    !da.is_empty()
        && !db.is_empty()
        && !da.iter().any(|x| {
            db.iter()
                .any(|y| super::compare::dates(*x, *y) != Some(Agreement::Conflict))
        })
}

/// A chunk of the draft compared with itself (`draft_chunks`): its key,
/// where it starts in the file, and its blocks (indices into `doc.blocks`).
pub(super) type Chunk = (u64, usize, std::ops::Range<usize>);

/// The draft's chunks with their keys, in document order; `own` is each
/// block's own key (`BlockCache::keys`).
pub(super) fn keyed_chunks(doc: &Document, own: &[u64]) -> Vec<Chunk> {
    super::draft_chunks::chunks(&doc.blocks)
        .into_iter()
        .map(|c| {
            let blocks = &doc.blocks[c.clone()];
            (
                super::draft_chunks::key(blocks, &own[c.clone()]),
                super::draft_chunks::start(blocks),
                c,
            )
        })
        .collect()
}

impl Checker<'_> {
    /// Findings that need the whole draft (it against itself), for the
    /// blocks being checked; kept in the cache while the text is unchanged.
    pub(super) fn within_draft(
        &self,
        doc: &Document,
        blocks: &[crate::markdown::Block],
        cache: &mut super::BlockCache,
    ) -> Vec<Finding> {
        // Compared chunk by chunk: a keystroke re-compares only its chunk.
        let chunks = keyed_chunks(doc, &super::BlockCache::keys(doc).1);
        let missing: Vec<&Chunk> = chunks.iter().filter(|c| !cache.draft.contains_key(&c.0)).collect();
        cache.last.chunks_checked = missing.len();
        for (key, start, found) in self.compare_chunks(doc, &Arc::from(doc.text.as_str()), &missing) {
            cache.draft.insert(key, (start, found));
        }
        let found = self.chunk_findings(doc, &chunks, cache);
        let keep: rustc_hash::FxHashSet<u64> = chunks.iter().map(|c| c.0).collect();
        cache.draft.retain(|k, _| keep.contains(k));
        // Every finding lies in one of the draft's blocks: asked for all of
        // them, keep all (without a scan of every block for every finding,
        // which was quadratic in a long draft); else only those inside the
        // blocks asked for.
        if std::ptr::eq(blocks, doc.blocks.as_slice()) {
            return found;
        }
        found
            .into_iter()
            .filter(|f| {
                blocks
                    .iter()
                    .any(|b| b.map.range(0..b.text.len() as u32).contains(&f.span.start))
            })
            .collect()
    }

    /// Compares each of `chunks` with itself, in parallel: (key, start,
    /// findings). `text` is the draft's text, shared by the chunks' indexes.
    pub(super) fn compare_chunks(
        &self,
        doc: &Document,
        text: &Arc<str>,
        chunks: &[&Chunk],
    ) -> Vec<(u64, usize, Vec<Finding>)> {
        use rayon::prelude::*;
        chunks
            .par_iter()
            .map(|c| {
                let blocks = &doc.blocks[c.2.clone()];
                let mut found = self.disagreements_among(doc, text, blocks);
                found.extend(self.list_arithmetic(doc, blocks));
                (c.0, c.1, found)
            })
            .collect()
    }

    /// The cached findings of `chunks` (each compared already), moved to
    /// where the chunk is now, without those a suppression comment vouches against.
    pub(super) fn chunk_findings(&self, doc: &Document, chunks: &[Chunk], cache: &super::BlockCache) -> Vec<Finding> {
        let mut found = Vec::new();
        for &(key, start, _) in chunks {
            let Some((old_start, cached)) = cache.draft.get(&key) else {
                continue;
            };
            let moved = |r: &std::ops::Range<usize>| r.start + start - old_start..r.end + start - old_start;
            found.extend(cached.iter().map(|f| {
                let mut f = f.clone();
                if start != *old_start {
                    f.span = moved(&f.span);
                    for r in &mut f.related {
                        r.span = moved(&r.span);
                    }
                    if f.code == Code::DraftDisagree {
                        describe_disagreement(doc, &mut f);
                    }
                }
                f
            }));
        }
        // A value on a line the writer silenced is vouched for: it does not
        // make the other value a contradiction.
        let silenced = |span: &std::ops::Range<usize>, code: Code| {
            let line = doc.lines.line_of(span.start);
            doc.suppressions.iter().any(|s| s.covers(line, code.as_str()))
        };
        found
            .into_iter()
            .filter_map(|mut f| {
                if f.code == Code::DraftDisagree {
                    f.related.retain(|r| !silenced(&r.span, f.code));
                    if f.related.is_empty() {
                        return None;
                    }
                }
                Some(f)
            })
            .collect()
    }
}
