//! The labelled-pair view of the check: every (draft figure, candidate source
//! figure) pair the score saw, with its feature vector. `dev/fit/fit.py`
//! labels these pairs and fits the score's weights on them; the checker's
//! own path (`check_figures`) does not go through here.

use super::score::Features;
use super::{Agreement, Checker};
use crate::extract::Analyzer;
use crate::index::value_keys;
use crate::markdown::Document;
use std::ops::Range;

/// One scored candidate of one draft figure.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The draft figure's byte range in the document.
    pub span: Range<usize>,
    /// The draft figure as written.
    pub text: String,
    /// The candidate's source key and path.
    pub source_key: String,
    pub source_path: std::path::PathBuf,
    /// The source sentence, whitespace collapsed, and the candidate figure in it.
    pub sentence: String,
    pub figure_text: String,
    pub agreement: Agreement,
    pub confusable: bool,
    /// Tied to the draft's story by a name, a co-figure or several words.
    pub same_story: bool,
    pub score: f32,
    pub features: Features,
}

impl<'a> Checker<'a> {
    /// Every candidate pair of every figure in the draft, scored.
    pub fn pairs(&self, doc: &Document) -> Vec<Pair> {
        let mut an = Analyzer::new(self.rules);
        let mut out = Vec::new();
        for block in &doc.blocks {
            let outer = self.outer_context(&mut an, block);
            let sentences = an.analyze_with(&block.text, &outer);
            for (si, s) in sentences.iter().enumerate() {
                let prev = si.checked_sub(1).map(|p| &sentences[p]);
                let fig_keys: Vec<Vec<u64>> = s.figures.iter().map(|f| value_keys(f, self.rules)).collect();
                for (fi, fig) in s.figures.iter().enumerate() {
                    let span = block.map.range(fig.span.clone());
                    for c in self.figure_candidates(s, fi, prev, &fig_keys) {
                        let p = self.passage(c.fact);
                        out.push(Pair {
                            span: span.clone(),
                            text: doc.text[span.clone()].to_string(),
                            source_key: p.key,
                            source_path: p.path,
                            sentence: p.text,
                            figure_text: p.figure_text,
                            agreement: c.agreement,
                            confusable: c.confusable,
                            same_story: c.story == super::features::Story::Same,
                            score: c.score,
                            features: c.features,
                        });
                    }
                }
            }
        }
        out
    }
}
