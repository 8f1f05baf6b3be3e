//! Where the sources disagree among themselves, whatever any draft says.
//!
//! Every source figure is checked against the other sources with the same
//! same-fact scoring as a draft figure. Strong agreements and strong
//! contradictions link figures into facts (union-find); a fact whose figures
//! give two or more values, from different sources, is a conflict.

use rustc_hash::FxHashMap;

use super::{Agreement, Checker, Passage, normalize_label};

/// A corpus-wide report has no draft to anchor it: a contradiction must clear
/// the draft threshold by this much.
const CONFLICT_MARGIN: f32 = 0.05;
/// The least noun relation for a figure to link facts (same or synonym
/// class, or a broader one), so bare numbers and unknown nouns never do.
const IDENTIFIED: f32 = 0.8;
use crate::extract::{Dim, Sentence};
use crate::index::FactRef;

/// One fact on which the sources disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Each version of the fact, most sources first.
    pub versions: Vec<ConflictVersion>,
    /// When the versions are dated revisions of the fact rather than a
    /// disagreement: each version with its date, oldest first.
    pub timeline: Option<Vec<super::revisions::Dated>>,
}

/// How some sources state the fact.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictVersion {
    /// The figure as the first source words it ("27 provinces").
    pub text: String,
    /// Where it is stated, one passage per source.
    pub passages: Vec<Passage>,
}

impl Conflict {
    /// Keys of the sources behind each version.
    pub fn source_keys(&self) -> Vec<Vec<&str>> {
        self.versions
            .iter()
            .map(|v| v.passages.iter().map(|p| p.key.as_str()).collect())
            .collect()
    }
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn find(&mut self, x: u32) -> u32 {
        let mut root = x;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        let mut x = x;
        while self.parent[x as usize] != root {
            let next = self.parent[x as usize];
            self.parent[x as usize] = root;
            x = next;
        }
        root
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
}

/// Sources beyond which a corpus-wide conflict report is refused: it
/// compares every fact with its retrieved peers, so its cost follows the
/// corpus. It is meant for a story's sources, not a newsroom archive.
pub const CONFLICT_SOURCE_LIMIT: usize = 20_000;

impl Checker<'_> {
    /// Every fact on which the sources disagree, in corpus order. Callers
    /// check [`CONFLICT_SOURCE_LIMIT`] first.
    pub fn conflicts(&self) -> Vec<Conflict> {
        // Number the facts.
        let mut ids: FxHashMap<FactRef, u32> = FxHashMap::default();
        let mut facts: Vec<FactRef> = Vec::new();
        for sid in self.index.sentence_ids() {
            for fi in 0..self.index.sentence(sid).figures.len() {
                let r = FactRef {
                    sentence: sid,
                    figure: fi as u16,
                };
                ids.insert(r, facts.len() as u32);
                facts.push(r);
            }
        }
        let mut uf = UnionFind {
            parent: (0..facts.len() as u32).collect(),
        };
        let mut contradicted = vec![false; facts.len()];
        // Figures in other sources that state the same value as a fact.
        let mut agreeing: FxHashMap<u32, Vec<u32>> = FxHashMap::default();

        for sid in self.index.sentence_ids() {
            let rec = self.index.sentence(sid);
            if rec.figures.is_empty() {
                continue;
            }
            let sentence = Sentence {
                span: rec.span.clone(),
                terms: rec.terms.clone(),
                figures: rec.figures.clone(),
            };
            let prev = self.index.neighbors(sid).find(|&n| n < sid).map(|n| {
                let p = self.index.sentence(n);
                Sentence {
                    span: p.span.clone(),
                    terms: p.terms.clone(),
                    figures: Vec::new(),
                }
            });
            let fig_keys: Vec<Vec<u64>> = rec.keys.iter().map(|k| k.values().to_vec()).collect();
            for (fi, fig) in rec.figures.iter().enumerate() {
                if fig.weak || matches!(fig.dim, Dim::Time | Dim::Ordinal) {
                    continue;
                }
                let me = ids[&FactRef {
                    sentence: sid,
                    figure: fi as u16,
                }];
                let ctx = self.draft_context(&sentence, fig, fi, prev.as_ref(), &fig_keys);
                let query = self.query(&sentence, fig, fi, &fig_keys);
                let retrieved = self.index.retrieve(&query, super::RETRIEVE);
                let mut cands = self.candidates(fig, &fig_keys[fi], &retrieved, &ctx);
                cands.retain(|c| self.index.sentence(c.fact.sentence).source != rec.source);
                cands.sort_by(|a, b| {
                    b.score
                        .total_cmp(&a.score)
                        .then_with(|| self.index.stable_cmp(a.fact, b.fact))
                });
                // Each other source read once, by its best match.
                let mut seen = rustc_hash::FxHashSet::default();
                for c in cands
                    .iter()
                    .filter(|c| seen.insert(self.index.sentence(c.fact.sentence).source))
                {
                    let other = ids[&c.fact];
                    tracing::debug!(
                        figure = %self.passage(FactRef { sentence: sid, figure: fi as u16 }).figure_text,
                        other = %self.passage(c.fact).figure_text,
                        score = c.score,
                        agreement = ?c.agreement,
                        confusable = c.confusable,
                        why = ?c.why,
                        "conflict candidate"
                    );
                    let agrees = c.agreement == Agreement::Same && !c.confusable;
                    // Only figures of a well-identified counted thing link facts.
                    let identified = c.why[0] >= IDENTIFIED;
                    if agrees && c.score >= self.rules.scoring.t_support {
                        agreeing.entry(me).or_default().push(other);
                    } else if !agrees
                        && identified
                        && c.agreement != Agreement::Consistent
                        && c.score >= self.rules.scoring.t_disagree + CONFLICT_MARGIN
                    {
                        uf.union(me, other);
                        contradicted[me as usize] = true;
                        contradicted[other as usize] = true;
                    }
                }
            }
        }

        // Group facts into clusters, and each cluster into versions by value
        // and kind of thing.
        let mut clusters: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for i in 0..facts.len() as u32 {
            if contradicted[i as usize] {
                let root = uf.find(i);
                clusters.entry(root).or_default().push(i);
            }
        }
        // Figures agreeing with a contradicted one join its version, without
        // joining clusters together.
        let roots_of: Vec<(u32, u32)> = clusters
            .iter()
            .flat_map(|(&root, members)| members.iter().map(move |&m| (root, m)))
            .collect();
        for (root, m) in roots_of {
            if let Some(others) = agreeing.get(&m) {
                let members = clusters.get_mut(&root).expect("root listed");
                for &o in others {
                    if !members.contains(&o) {
                        members.push(o);
                    }
                }
            }
        }
        let mut roots: Vec<u32> = clusters.keys().copied().collect();
        roots.sort_unstable();
        let mut out = Vec::new();
        for root in roots {
            let mut members = clusters.remove(&root).unwrap_or_default();
            members.sort_unstable();
            // A version is a value: figures with equal values join one version
            // unless what they count is confusable ("27 cities", "27 provinces").
            let mut versions: Vec<(Vec<u64>, FactRef, ConflictVersion)> = Vec::new();
            for m in members {
                let r = facts[m as usize];
                let values = self.index.sentence(r.sentence).keys[r.figure as usize]
                    .values()
                    .to_vec();
                let fig = self.index.figure(r);
                let p = self.passage(r);
                let same = versions.iter_mut().find(|v| {
                    v.0 == values
                        && self
                            .relation(&self.index.figure(v.1), &fig, &[], &[])
                            .is_some_and(|(_, confusable, _)| !confusable)
                });
                match same {
                    Some(v) => {
                        if !v.2.passages.iter().any(|q| q.key == p.key) {
                            v.2.passages.push(p);
                        }
                    }
                    None => versions.push((
                        values,
                        r,
                        ConflictVersion {
                            text: normalize_label(&p.figure_text),
                            passages: vec![p],
                        },
                    )),
                }
            }
            let mut versions: Vec<ConflictVersion> = versions.into_iter().map(|v| v.2).collect();
            // A disagreement needs two versions from two different sources.
            let sources: rustc_hash::FxHashSet<&str> = versions
                .iter()
                .flat_map(|v| v.passages.iter().map(|p| p.key.as_str()))
                .collect();
            if versions.len() < 2 || sources.len() < 2 {
                continue;
            }
            versions.sort_by_key(|v| std::cmp::Reverse(v.passages.len()));
            let mut conflict = Conflict {
                versions,
                timeline: None,
            };
            conflict.timeline = self.revision(&conflict);
            out.push(conflict);
        }
        out
    }
}
