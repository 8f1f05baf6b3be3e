//! Matching: which source statements are about the same fact as a draft
//! figure, and what they say about it.
//!
//! For each draft sentence the index retrieves the source sentences most like
//! it; their figures, and every figure stating the draft figure's value, are
//! the candidates. Each candidate is scored for being the *same fact*: same
//! kind of thing counted (noun class, unit, currency), same context (content
//! words of the clause and sentence, weighted by rarity), same event (arrested
//! vs rescued), no clash of places or people, other figures of the sentence
//! found next to it. Only then is the value compared (`compare`), so "30
//! provinces" in one operation neither confirms nor contradicts "27 provinces"
//! in another.

mod arithmetic;
mod cells;
pub mod compare;
pub mod conflicts;
mod draft_disagree;
mod finding;
mod names;
pub mod quotes;
pub mod revisions;
mod verdict;

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

pub use compare::Agreement;
pub use conflicts::{Conflict, ConflictVersion};
pub use finding::{Code, Finding, Passage, Related, Severity, Version};

use crate::extract::{Analyzer, Dim, Figure, Noun, OUTER_CLAUSE, OuterContext, Sentence, Value};
use crate::index::{FactRef, Facts, SentenceRec, dim_key, value_keys};
use crate::markdown::{Block, Document};
use crate::rules::{Bound, EventId, Rules, Scoring};

/// How the checker reports.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Severity overrides by code.
    pub severities: BTreeMap<Code, Severity>,
}

impl CheckOptions {
    pub fn severity(&self, code: Code) -> Severity {
        self.severities.get(&code).copied().unwrap_or(code.default_severity())
    }
}

// The weights and thresholds of the score and the verdict are rule data:
// `rules/scoring.toml`, read as `Rules::scoring`.
/// A tier's context counts as at least this many times the idf of a word
/// seen once, so a clause with one common word cannot match in full on it.
/// Rarity below is always relative to that idf, so scores mean the same on
/// five sources as on a hundred thousand.
const MIN_MASS: f32 = 1.5;
/// A value stated by at most this many figures brings them all in as candidates.
const VALUE_FACTS: usize = 64;
/// Source sentences retrieved per draft sentence.
const RETRIEVE: usize = 30;

/// Findings by block content, for re-checking only what an edit changed.
/// Clear it when the corpus, the rules or the configuration change.
#[derive(Debug, Default)]
pub struct BlockCache {
    /// Block key → (block start when checked, its findings).
    entries: FxHashMap<u64, (usize, Vec<Finding>)>,
    /// What the entries were computed under, as the owner counts it.
    tag: u64,
    /// The draft's findings against itself, by the text they were computed on.
    draft: Option<(u64, Vec<Finding>)>,
}

impl BlockCache {
    /// Clears the cache unless its entries were computed under `tag` (a
    /// configuration and index version the owner keeps), then takes the tag.
    /// A check begun under an older tag cannot fill the cache for a newer one.
    pub fn ensure_tag(&mut self, tag: u64) {
        if self.tag != tag {
            self.entries.clear();
            self.draft = None;
            self.tag = tag;
        }
    }

    /// What a block's findings depend on: its text, how that text maps back
    /// to the file (markup-only edits move findings), its context, its kind
    /// and whether it is in a block quote (`> ` changes neither text nor kind),
    /// and the paragraph before it (which may name a quotation's speaker).
    /// Also the file's own bytes of the block: findings quote them, and an
    /// edit inside an HTML comment of the same length changes neither the
    /// text nor the map (found by the random-edit test).
    fn key(doc: &Document, block: &Block, prev: Option<&Block>) -> u64 {
        let raw = doc
            .text
            .get(block.map.start(0)..block.map.end(block.text.len() as u32))
            .unwrap_or("");
        let mut h = crate::text::word_hash(&block.text) ^ block.map.shape_hash().rotate_left(17);
        h = xxhash_rust::xxh3::xxh3_64_with_seed(raw.as_bytes(), h);
        if let Some(p) = prev {
            h = xxhash_rust::xxh3::xxh3_64_with_seed(p.text.as_bytes(), h);
        }
        for c in &block.context {
            h = xxhash_rust::xxh3::xxh3_64_with_seed(c.as_bytes(), h);
        }
        xxhash_rust::xxh3::xxh3_64_with_seed(format!("{:?} {}", block.kind, block.quoted).as_bytes(), h)
    }

    /// Keeps only the entries of `blocks` (call after a whole-document check).
    pub fn retain(&mut self, doc: &Document, blocks: &[Block]) {
        let keep: FxHashSet<u64> = blocks
            .iter()
            .map(|b| BlockCache::key(doc, b, prev_block(doc, b)))
            .collect();
        self.entries.retain(|k, _| keep.contains(k));
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.draft = None;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A candidate source figure, scored.
#[derive(Debug, Clone, Copy)]
struct Cand {
    fact: FactRef,
    score: f32,
    agreement: Agreement,
    confusable: bool,
    /// Score components for debugging: noun relation, context, co-figures, factors.
    why: [f32; 4],
    /// How strongly it is tied to the draft's story.
    story: Story,
}

/// The context of one draft figure, in three tiers: its clause, the rest of
/// its sentence, and its surroundings (previous sentence, headings, table
/// headers). Each tier is matched on its own, so a long sentence or a wordy
/// neighbour does not drown the words next to the figure.
struct DraftCtx {
    /// (term key, idf) per tier.
    terms: [Vec<(u64, f32)>; 3],
    /// Term key → (tier, index in that tier), to match a candidate in one pass.
    lookup: FxHashMap<u64, (u8, u16)>,
    /// How rare the figure's own value is (0..1).
    rarity: f32,
    /// Sum of idf per tier.
    mass: [f32; 3],
    clause_names: Vec<u64>,
    /// Names of the draft's story around the figure: its sentence, the one
    /// before, the block's headings. A candidate whose passage shares none of
    /// them (and none of the co-figures) is another story.
    story_names: Vec<u64>,
    /// Every term key of the draft sentence.
    sentence_keys: FxHashSet<u64>,
    /// The words of the draft sentence itself, not its headings: what names a table's row.
    own_keys: FxHashSet<u64>,
    /// Value keys and dimension keys of the other figures in the sentence.
    cofigures: Vec<(Vec<u64>, u64)>,
    /// Event classes in the figure's clause.
    events: Vec<EventId>,
}

/// Event classes in a figure's clause (outside the figure itself).
/// Event classes of a figure: the event verbs of its clause, including a
/// participle inside its own phrase ("13 rescued babies"), but not words of
/// other figures ("43 arrests" says nothing of the babies).
fn clause_events(sent: &impl HasTerms, fig: &Figure) -> Vec<EventId> {
    let mut out = Vec::new();
    for t in sent.terms() {
        let Some(e) = t.event else { continue };
        let in_other = sent
            .figures()
            .iter()
            .any(|g| !std::ptr::eq(g, fig) && g.toks.contains(&t.pos));
        if t.clause == fig.clause && !in_other && !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

trait HasTerms {
    fn terms(&self) -> &[crate::extract::Term];
    fn figures(&self) -> &[Figure];
}

impl HasTerms for SentenceRec {
    fn terms(&self) -> &[crate::extract::Term] {
        &self.terms
    }
    fn figures(&self) -> &[Figure] {
        &self.figures
    }
}

impl HasTerms for Sentence {
    fn terms(&self) -> &[crate::extract::Term] {
        &self.terms
    }
    fn figures(&self) -> &[Figure] {
        &self.figures
    }
}

/// Checks drafts against an index.
pub struct Checker<'a> {
    pub index: &'a dyn Facts,
    pub rules: &'a Rules,
    pub options: &'a CheckOptions,
    /// A source never used as evidence: the draft itself, when it lies in
    /// its own corpus folder.
    exclude: Option<u32>,
    /// The corpus's names, for `name-mismatch`; without it names are not checked.
    names: Option<&'a crate::names::NameIndex>,
}

impl<'a> Checker<'a> {
    pub fn new(index: &'a dyn Facts, rules: &'a Rules, options: &'a CheckOptions) -> Checker<'a> {
        Checker {
            index,
            rules,
            options,
            exclude: None,
            names: None,
        }
    }

    /// Checks names against the corpus's names too.
    pub fn with_names(mut self, names: &'a crate::names::NameIndex) -> Checker<'a> {
        self.names = Some(names);
        self
    }

    /// Never cites the source read from `path` (the draft being checked).
    pub fn excluding(mut self, path: &std::path::Path) -> Checker<'a> {
        self.exclude = self.index.source_id_by_path(path).or_else(|| {
            // The same file under another name (a symlink, "./"): resolve both.
            let canon = std::fs::canonicalize(path).ok()?;
            self.index.source_id_by_path(&canon)
        });
        self
    }

    /// Every figure in the draft, with its finding (including `supported`).
    /// Findings silenced by a comment are marked, not dropped.
    pub fn check(&self, doc: &Document) -> Vec<Finding> {
        self.check_blocks(doc, &doc.blocks)
    }

    /// Checks some of a document's blocks (the language server re-checks only
    /// the blocks an edit touched). Blocks are independent, so they are checked
    /// in parallel.
    pub fn check_blocks(&self, doc: &Document, blocks: &[Block]) -> Vec<Finding> {
        self.check_cached(doc, blocks, &mut BlockCache::default())
    }

    /// Checks blocks, reusing the findings of blocks whose text and context
    /// are unchanged since they were last checked with this cache: an edit
    /// re-checks only the blocks it touched.
    pub fn check_cached(&self, doc: &Document, blocks: &[Block], cache: &mut BlockCache) -> Vec<Finding> {
        use rayon::prelude::*;
        let mut out = Vec::new();
        let mut missing = Vec::new();
        for block in blocks {
            let key = BlockCache::key(doc, block, prev_block(doc, block));
            let start = block.map.start(0);
            match cache.entries.get(&key) {
                Some((old_start, found)) => out.extend(found.iter().cloned().map(|mut f| {
                    // The block moved: so did every span of its findings,
                    // the ones they point at in it included.
                    let moved = |r: &Range<usize>| r.start + start - old_start..r.end + start - old_start;
                    f.span = moved(&f.span);
                    for r in &mut f.related {
                        r.span = moved(&r.span);
                    }
                    f
                })),
                None => missing.push((key, start, block)),
            }
        }
        let checked: Vec<(u64, usize, Vec<Finding>)> = missing
            .par_iter()
            .map_init(
                || Analyzer::new(self.rules),
                |an, &(key, start, block)| {
                    let mut found = Vec::new();
                    self.check_block(an, doc, block, &mut found);
                    // A long draft reads many pages of a mapped index: keep
                    // the resident set bounded during the check, not only after.
                    self.index.trim_resident(crate::index::RESIDENT_BUDGET);
                    (key, start, found)
                },
            )
            .collect();
        for (key, start, found) in checked {
            out.extend(found.iter().cloned());
            cache.entries.insert(key, (start, found));
        }
        out.extend(self.within_draft(doc, blocks, cache));
        // Suppressions follow lines, which move: mark afresh every time.
        for f in &mut out {
            let line = doc.lines.line_of(f.span.start);
            f.suppressed = doc
                .suppressions
                .iter()
                .find(|s| s.covers(line, f.code.as_str()))
                .map(|s| s.reason.clone());
        }
        out.sort_by_key(|f| (f.span.start, f.span.end));
        out
    }

    fn outer_context(&self, an: &mut Analyzer<'_>, block: &Block) -> OuterContext {
        let mut outer = OuterContext::default();
        for (i, c) in block.context.iter().enumerate() {
            let ctx = an.outer_context(c);
            outer.terms.extend(ctx.terms);
            // Only a table's column header names the counted thing.
            if i == 0 && matches!(block.kind, crate::markdown::BlockKind::TableCell { .. }) {
                outer.noun = ctx.noun;
            }
        }
        outer
    }

    fn check_block(&self, an: &mut Analyzer<'_>, doc: &Document, block: &Block, out: &mut Vec<Finding>) {
        self.check_figures(an, doc, block, out);
        self.check_arithmetic(an, doc, block, out);
        let carried = prev_block(doc, block).and_then(|p| crate::extract::quotes::last_speaker(&p.text, self.rules));
        self.check_quotes(an, doc, block, carried.as_ref(), out);
        if let Some(names) = self.names {
            self.check_names(names, doc, block, out);
        }
    }

    fn check_figures(&self, an: &mut Analyzer<'_>, doc: &Document, block: &Block, out: &mut Vec<Finding>) {
        let outer = self.outer_context(an, block);
        let sentences = an.analyze_with(&block.text, &outer);
        for (si, s) in sentences.iter().enumerate() {
            if s.figures.is_empty() {
                continue;
            }
            let prev = si.checked_sub(1).map(|p| &sentences[p]);
            let fig_keys: Vec<Vec<u64>> = s.figures.iter().map(|f| value_keys(f, self.rules)).collect();
            for (fi, fig) in s.figures.iter().enumerate() {
                let query = self.query(s, fig, fi, &fig_keys);
                let retrieved = self.index.retrieve(&query, RETRIEVE);
                let ctx = self.draft_context(s, fig, fi, prev, &fig_keys);
                let cands = self.candidates(fig, &fig_keys[fi], &retrieved, &ctx);
                let span = block.map.range(fig.span.clone());
                out.push(self.verdict(doc, block, fig, span, cands));
            }
        }
    }

    /// The retrieval query for one figure: the words of its clause first, then
    /// the rest of the sentence, the kind of thing it counts, its value and the
    /// values beside it.
    fn query(&self, s: &Sentence, fig: &Figure, fi: usize, fig_keys: &[Vec<u64>]) -> Vec<(u64, f32)> {
        let mut query: Vec<(u64, f32)> = s
            .terms
            .iter()
            .filter(|t| !fig.toks.contains(&t.pos) || t.clause == OUTER_CLAUSE)
            .map(|t| (t.key, if t.clause == fig.clause { 1.0 } else { 0.5 }))
            .collect();
        for (j, keys) in fig_keys.iter().enumerate() {
            let w = if j == fi { 1.0 } else { 0.5 };
            query.extend(keys.iter().map(|&k| (k, w)));
        }
        query.push((dim_key(fig, self.rules), 1.0));
        query
    }

    fn draft_context(
        &self,
        s: &Sentence,
        fig: &Figure,
        fi: usize,
        prev: Option<&Sentence>,
        fig_keys: &[Vec<u64>],
    ) -> DraftCtx {
        // Each key keeps its closest tier: clause, sentence, or surroundings.
        let mut tiers: FxHashMap<u64, usize> = FxHashMap::default();
        let mut clause_names = Vec::new();
        let mut story_names: Vec<u64> = s.terms.iter().filter(|t| t.name).map(|t| t.key).collect();
        if let Some(p) = prev {
            story_names.extend(p.terms.iter().filter(|t| t.name).map(|t| t.key));
        }
        story_names.sort_unstable();
        story_names.dedup();
        let mut put = |key: u64, tier: usize| {
            let e = tiers.entry(key).or_insert(tier);
            *e = (*e).min(tier);
        };
        for t in &s.terms {
            // Event verbs are weighed by the event factor, not as context words.
            if fig.toks.contains(&t.pos) && t.clause != OUTER_CLAUSE || t.event.is_some() {
                continue;
            }
            let tier = if t.clause == OUTER_CLAUSE {
                2
            } else if t.clause == fig.clause {
                if t.name {
                    clause_names.push(t.key);
                }
                0
            } else {
                1
            };
            put(t.key, tier);
        }
        if let Some(p) = prev {
            for t in p.terms.iter().filter(|t| t.event.is_none()) {
                put(t.key, 2);
            }
        }
        let mut terms: [Vec<(u64, f32)>; 3] = Default::default();
        let mut lookup = FxHashMap::default();
        for (k, tier) in tiers {
            lookup.insert(k, (tier as u8, terms[tier].len() as u16));
            terms[tier].push((k, self.index.idf(k)));
        }
        let min_mass = MIN_MASS * self.index.max_idf();
        let mass = terms.each_ref().map(|t| {
            let m = t.iter().map(|(_, idf)| idf).sum::<f32>();
            if m > 0.0 { m.max(min_mass) } else { 0.0 }
        });
        let cofigures = fig_keys
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != fi)
            .map(|(j, k)| (k.clone(), dim_key(&s.figures[j], self.rules)))
            .collect();
        DraftCtx {
            terms,
            lookup,
            rarity: fig_keys[fi].iter().map(|k| self.index.rarity(*k)).fold(0.0, f32::max),
            mass,
            clause_names,
            story_names,
            sentence_keys: s.terms.iter().map(|t| t.key).collect(),
            own_keys: s
                .terms
                .iter()
                .filter(|t| t.clause != OUTER_CLAUSE)
                .map(|t| t.key)
                .collect(),
            cofigures,
            events: clause_events(s, fig),
        }
    }

    /// Scores every candidate source figure for a draft figure.
    fn candidates(&self, fig: &Figure, keys: &[u64], retrieved: &[(u32, f32)], ctx: &DraftCtx) -> Vec<Cand> {
        let mut seen: FxHashSet<FactRef> = FxHashSet::default();
        let mut facts: Vec<FactRef> = Vec::new();
        for &(sid, _) in retrieved {
            for fi in 0..self.index.sentence(sid).figures.len() {
                let r = FactRef {
                    sentence: sid,
                    figure: fi as u16,
                };
                if seen.insert(r) {
                    facts.push(r);
                }
            }
        }
        // Every figure stating a telling value, wherever it stands; a common
        // value ("two") only through retrieval, which weighs its context.
        for k in keys {
            // Counted before listed: a common value's list is long, and
            // reading it would touch pages of the index for nothing.
            if self.index.value_fact_count(*k) <= VALUE_FACTS {
                for r in self.index.facts_with_value(*k) {
                    if seen.insert(r) {
                        facts.push(r);
                    }
                }
            }
        }
        let cands: Vec<Cand> = facts
            .into_iter()
            .filter(|r| self.exclude.is_none_or(|x| self.index.sentence(r.sentence).source != x))
            // A passage whose file changed since indexing is dropped, not sliced.
            .filter(|r| self.index.sentence_source(r.sentence).is_some())
            .filter_map(|r| self.score(fig, ctx, r))
            .collect();
        cells::named_rows_only(self.index, &ctx.own_keys, cands)
    }

    /// How the counted things relate: weight, and whether they are confusable.
    fn noun_relation(&self, a: Option<Noun>, b: Option<Noun>) -> Option<(f32, bool)> {
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
    fn event_noun_relation(&self, a: &Figure, b: &Figure, b_events: &[EventId]) -> Option<f32> {
        let ev = self.rules.nouns[a.noun?.class? as usize].event?;
        let b_class = b.noun?.class?;
        (self.rules.is_person(b_class) && b_events.contains(&ev)).then_some(0.85)
    }

    /// Whether two figures measure the same kind of thing: weight, whether the
    /// source's unit or noun is a confusable one, and the factor that converts
    /// the source's number into the draft's unit.
    fn relation(&self, d: &Figure, s: &Figure, d_events: &[EventId], s_events: &[EventId]) -> Option<(f32, bool, f64)> {
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
                if ua.dimension != ub.dimension {
                    return None;
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
            (x, y) if x == y => Some((1.0, false, 1.0)),
            _ => None,
        }
    }

    /// How strongly each draft context term occurs around a source figure:
    /// in its clause, elsewhere in its sentence, or in a neighbouring sentence.
    /// One pass over the source's terms, looked up in the draft's.
    fn source_weights(
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

    fn score(&self, d: &Figure, ctx: &DraftCtx, r: FactRef) -> Option<Cand> {
        let w = &self.rules.scoring;
        let sent_arc = self.index.sentence(r.sentence);
        let sent: &SentenceRec = &sent_arc;
        let s = &sent.figures[r.figure as usize];
        // Time is a slot of the fact: revenue in 1985 and in 1986 are two facts,
        // neither support nor contradiction of each other.
        if let (Some(a), Some(b)) = (d.time, s.time)
            && a != b
        {
            return None;
        }
        let mut s_events = clause_events(sent, s);
        s_events.extend(cells::header_events(sent));
        let (rel, confusable, factor) = self.relation(d, s, &ctx.events, &s_events)?;
        let row = cells::row_fit(self.index, r.sentence, sent, &ctx.own_keys);
        let rel = match row {
            cells::RowFit::Named => cells::column_relation(self.rules, rel, d, s, &ctx.events, &s_events),
            _ => rel,
        };
        let agreement = if d.dim == Dim::Score {
            if d.value == s.value {
                Agreement::Same
            } else {
                Agreement::Conflict
            }
        } else {
            compare::values(d.bound, d.value, s.bound, s.value, factor)?
        };
        // A data cell holds the unrounded value: the draft may round it.
        let agreement = match (agreement, sent.locator, d.value, s.value) {
            (
                Agreement::Conflict,
                Some(crate::corpus::Locator::Cell { .. }),
                Value::Num { lo: dl, hi: dh },
                Value::Num { lo: sl, hi: sh },
            ) if d.bound == crate::rules::Bound::Exact
                && dl == dh
                && sl == sh
                && compare::rounds_to(dl, sl * factor) =>
            {
                Agreement::Same
            }
            (a, ..) => a,
        };
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
        // The same person's age: the name is the fact.
        if d.dim == Dim::Age && d.subject.iter().any(|n| s.subject.contains(n)) {
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
            story(ctx, sent, s, neighbors, self.passage_window(r.sentence, 2), w)
        };
        // Loosely tied (a shared word, no name, no co-figure) and counting
        // another thing, both named ("15 suspects" for "15 more arrests"):
        // another fact. A related noun is evidence only within the story.
        let other_kind = matches!((d.noun, s.noun), (Some(a), Some(b)) if a.head != b.head && a.class != b.class);
        if story == Story::Other || story == Story::Near && other_kind {
            return None;
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
        let mut factor_ctx = 1.0f32;
        if !ctx.events.is_empty() && !s_events.is_empty() {
            if ctx.events.iter().any(|e| s_events.contains(e)) {
                sim += w.event_match;
            } else {
                factor_ctx *= w.event_clash;
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
                factor_ctx *= if rare_clash {
                    w.name_clash
                } else if nearby {
                    w.name_nearby
                } else {
                    w.name_absent
                };
            }
        }
        // Modifiers: "microblog users" and "Web users" are different users.
        if !d.modifiers.is_empty() && !s.modifiers.is_empty() && !d.modifiers.iter().any(|m| s.modifiers.contains(m)) {
            factor_ctx *= w.modifier_clash;
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
                factor_ctx *= w.thin_date;
            }
        }
        // "Hundreds of people" is weak support for "more than 700 residents".
        if agreement == Agreement::Consistent && s.bound == Bound::Vague && d.bound != Bound::Vague {
            factor_ctx *= w.vague_support;
        }
        // Stated numbers far apart are rarely one fact misreported: the factor
        // falls smoothly with the ratio (0.9 at 2x, 0.8 at 5x, 0.6 at 100x).
        if agreement == Agreement::Conflict
            && let (Value::Num { lo: a, hi: ah }, Value::Num { lo: b, hi: bh }) = (d.value, s.value)
        {
            let k = if confusable { 1.0 } else { factor };
            let (a, b) = ((a + ah) / 2.0, (b + bh) / 2.0 * k);
            let ratio = a.abs().max(b.abs()) / a.abs().min(b.abs()).max(1e-9);
            factor_ctx *= 1.0 / (1.0 + w.magnitude * (ratio.max(1.0).ln() as f32));
        }
        Some(Cand {
            fact: r,
            score: rel * sim * factor_ctx,
            agreement,
            confusable,
            why: [rel, shared, cof as f32, factor_ctx],
            story,
        })
    }

    /// The sentences up to `reach` either side of a source sentence, in its source.
    fn passage_window(&self, id: u32, reach: u32) -> impl Iterator<Item = std::sync::Arc<SentenceRec>> + '_ {
        let source = self.index.sentence(id).source;
        (id.saturating_sub(reach)..=id.saturating_add(reach))
            .filter(move |&n| n != id && (n as usize) < self.index.sentence_count())
            .map(|n| self.index.sentence(n))
            .filter(move |ns| ns.source == source)
    }

    fn passage(&self, r: FactRef) -> Passage {
        let sent = self.index.sentence(r.sentence);
        let fig = &sent.figures[r.figure as usize];
        let src = self.index.source(sent.source);
        let body = self.index.source_text(sent.source);
        let span = sent.span.start as usize..sent.span.end as usize;
        let lc = crate::text::LineIndex::new(&body).line_col(&body, span.start);
        let figure = fig.span.start as usize..fig.span.end as usize;
        Passage {
            source: sent.source,
            key: src.key.clone(),
            title: src.title.clone(),
            path: src.path.clone(),
            text: body[span.clone()].split_whitespace().collect::<Vec<_>>().join(" "),
            figure_text: body[figure.clone()].to_string(),
            speaker: None,
            span,
            figure,
            line: lc.line,
            column: lc.column,
            locator: sent.locator,
        }
    }

    /// The draft's text with the figure rewritten as the source states it.
    fn replacement(&self, doc: &Document, block: &Block, d: &Figure, r: FactRef, code: Code) -> Option<String> {
        let sent = self.index.sentence(r.sentence);
        let s = &sent.figures[r.figure as usize];
        let src = self.index.source_text(sent.source);
        let draft_span = block.map.range(d.span.clone());
        let draft = &doc.text[draft_span.clone()];
        let map = |x: &Range<u32>| block.map.range(x.clone());
        let rel = |x: Range<usize>| {
            (x.start.saturating_sub(draft_span.start))..(x.end.saturating_sub(draft_span.start)).min(draft.len())
        };
        let stext = |a: u32, b: u32| &src[a as usize..b as usize];
        let (cut, new): (Range<usize>, String) = match code {
            Code::UnitMismatch => {
                let start = map(&d.num_span).start;
                (
                    rel(start..draft_span.end),
                    stext(s.num_span.start, s.span.end).to_string(),
                )
            }
            Code::QualifierMismatch => {
                let num = map(&d.num_span);
                let s_start = s.qual_span.as_ref().map_or(s.num_span.start, |q| q.start);
                (
                    rel(draft_span.start..num.end),
                    stext(s_start, s.num_span.end).to_string(),
                )
            }
            _ if d.dim == Dim::Date => (0..draft.len(), stext(s.num_span.start, s.num_span.end).to_string()),
            _ => {
                let num = map(&d.num_span);
                let (from, s_from) = match (&d.qual_span, &s.qual_span) {
                    (Some(q), _) => (map(q).start, s.qual_span.as_ref().map_or(s.num_span.start, |q| q.start)),
                    (None, _) => (num.start, s.num_span.start),
                };
                (rel(from..num.end), stext(s_from, s.num_span.end).to_string())
            }
        };
        if cut.start > cut.end
            || cut.end > draft.len()
            || !draft.is_char_boundary(cut.start)
            || !draft.is_char_boundary(cut.end)
        {
            return None;
        }
        let mut new = new.split_whitespace().collect::<Vec<_>>().join(" ");
        // Keep the draft's capital at the start of a sentence or heading.
        if cut.start == 0 && draft.chars().next().is_some_and(char::is_uppercase) {
            let mut c = new.chars();
            if let Some(first) = c.next() {
                new = first.to_uppercase().chain(c).collect();
            }
        }
        let out = format!("{}{}{}", &draft[..cut.start], new, &draft[cut.end..]);
        (out != draft).then_some(out)
    }

    fn verdict(
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
        // Each source is read once, by its statement that best matches the
        // fact: a source that backs the draft's value does not also contradict
        // it through a neighbouring figure ("between January 9 and March 27"),
        // and one whose best match is another value does.
        let mut seen_sources: FxHashSet<u32> = FxHashSet::default();
        let per_source: Vec<&Cand> = cands
            .iter()
            .filter(|c| seen_sources.insert(self.index.sentence(c.fact.sentence).source))
            .collect();
        let supports: Vec<&Cand> = per_source
            .iter()
            .copied()
            .filter(|c| c.agreement != Agreement::Conflict && !c.confusable)
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

        let scored = |cs: &[&Cand]| -> Vec<verdict::Scored> {
            cs.iter()
                .map(|c| verdict::Scored {
                    score: c.score,
                    relation: c.why[0],
                })
                .collect()
        };
        let code = match verdict::decide(&scored(&supports), &scored(&conflicts), w) {
            verdict::Decision::Supported => Code::Supported,
            verdict::Decision::SourcesDisagree => Code::SourcesDisagree,
            verdict::Decision::Mismatch => self.mismatch_code(fig, conflicts[0]),
            verdict::Decision::Unsourced => Code::UnsourcedFigure,
        };

        let code = self.regroup(code, best_sup, &supports, &conflicts);
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
                if fig.weak || matches!(fig.dim, Dim::Time | Dim::Ordinal | Dim::Score) {
                    finding.code = Code::Supported;
                    finding.severity = self.options.severity(Code::Supported);
                    finding.message = "not checked: too common a word to call unsourced".into();
                }
            }
            Code::SourcesDisagree => {
                // One version per value and kind of thing, however worded.
                let mut groups: Vec<(String, Vec<&Cand>, bool)> = Vec::new();
                let mut group_keys: Vec<(Vec<u64>, u64)> = Vec::new();
                for c in strong_sup.iter().chain(strong_con.iter()) {
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
                let mut passages = vec![p];
                passages.append(&mut others);
                finding.passages = dedupe(passages);
                let keys = finding.source_keys().join(", ");
                finding.message = match code {
                    Code::UnitMismatch => {
                        format!("the sources say {src_text}, not {} ({keys})", normalize_label(&text))
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

    fn mismatch_code(&self, fig: &Figure, c: &Cand) -> Code {
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

/// How a source figure relates to the draft's story: positive evidence only
/// (names and words of the draft found around it), counted, never weighed by
/// rarity, so a corpus of other stories cannot move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Story {
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

fn story(
    ctx: &DraftCtx,
    sent: &SentenceRec,
    fig: &Figure,
    neighbors: &[&SentenceRec],
    mut wider: impl Iterator<Item = std::sync::Arc<SentenceRec>>,
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
    if names_others && !ctx.clause_names.is_empty() {
        // A speaker or a second party named beside the figure is not yet
        // another story: the source's story names are looked for a little
        // further out (two sentences either side) before ruling it out.
        return if wider.any(|ns| {
            ns.terms
                .iter()
                .any(|t| t.name && ctx.story_names.binary_search(&t.key).is_ok())
        }) {
            Story::Same
        } else {
            Story::Other
        };
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
    if nearby { Story::Near } else { Story::Other }
}

/// The block before `block` in the document (by position in the file).
fn prev_block<'d>(doc: &'d Document, block: &Block) -> Option<&'d Block> {
    let start = block.map.start(0);
    doc.blocks.iter().rev().find(|b| b.map.start(0) < start)
}

/// Whether two whole numbers differ by one digit, or by two adjacent digits
/// swapped: the slips a writer makes copying a figure.
fn digit_slip(a: f64, b: f64) -> bool {
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

fn normalize_label(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn dedupe(passages: Vec<Passage>) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    for p in passages {
        if !out.iter().any(|q| q.key == p.key && q.span == p.span) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::digit_slip;

    #[test]
    fn digit_slips() {
        assert!(digit_slip(34.0, 43.0));
        assert!(digit_slip(382.0, 383.0));
        assert!(digit_slip(1094.0, 1049.0));
        assert!(!digit_slip(34.0, 34.0));
        assert!(!digit_slip(120.0, 1200.0));
        assert!(!digit_slip(1234.0, 4321.0));
        assert!(!digit_slip(7.5, 7.0));
    }
}
