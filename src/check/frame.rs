//! The year of the telling: "In 1996 Clinton said the deficit had been cut",
//! "the minister told parliament in 2011". Such a year dates when a source
//! spoke, not a fact inside what it said, so no source sentence states it:
//! the source's own date does. A draft written from dated speeches,
//! statements or wire copy uses it all the time.
//!
//! By grammar: a year alone, after "in", with a verb of speech (the quotation
//! rules' `speech_verbs`) a few words either side, or after a possessive
//! ("his 1997 goals": what he set out that year). It is backed when a source
//! the sentence is retrieved from, among the best matches, is dated that year.

use super::candidates::RETRIEVE;
use super::{Checker, Code, Finding, Passage};
use crate::extract::{DateVal, Dim, Figure, POSSESSIVES, Sentence, Value};
use crate::index::FactRef;
use crate::text::word_hash;

/// Words either side of the year within which the verb of speech must stand.
const VERB_REACH: usize = 4;
/// Retrieved sentences read, and how close to the best one's score they must be.
const FRAME_SOURCES: usize = 5;
const FRAME_SCORE: f32 = 0.5;

impl<'a> Checker<'a> {
    /// The passage giving the date of the source that a year of telling in
    /// `text` (the block's text) names, if the sentence rests on such a source.
    pub(super) fn telling_year_source(
        &self,
        text: &str,
        s: &Sentence,
        fi: usize,
        fig_keys: &[Vec<u64>],
    ) -> Option<Passage> {
        let fig = &s.figures[fi];
        let year = telling_year(self.rules, text, s, fig)?;
        let query = self.query(s, fig, fi, fig_keys);
        let retrieved = self.index.retrieve(&query, RETRIEVE);
        let best = retrieved.first()?.1;
        let mut seen = Vec::new();
        for &(sid, score) in retrieved.iter().take(FRAME_SOURCES) {
            if score < best * FRAME_SCORE {
                break;
            }
            let source = self.index.sentence(sid).source;
            if seen.contains(&source) {
                continue;
            }
            seen.push(source);
            let Some(date) = crate::dateline::source_date(self.index, self.rules, source) else {
                continue;
            };
            if date.value.year == Some(year) {
                return Some(self.date_passage(source, date.value).unwrap_or_else(|| {
                    let mut p = self.sentence_passage(sid, None);
                    p.figure_text = date.text.clone();
                    p
                }));
            }
        }
        None
    }

    /// The finding for a year of telling that a source's date backs.
    pub(super) fn telling_finding(
        &self,
        span: std::ops::Range<usize>,
        text: &str,
        fig: &Figure,
        p: Passage,
    ) -> Finding {
        Finding {
            code: Code::Supported,
            severity: self.options.severity(Code::Supported),
            text: text[span.clone()].to_string(),
            span,
            value: Some(fig.value),
            message: format!("supported by the date of the source ({}, {})", p.key, p.figure_text),
            replacement: None,
            passages: vec![p],
            versions: Vec::new(),
            suppressed: None,
            related: Vec::new(),
        }
    }

    /// The passage where a source states its own date (its date line), if
    /// the date line is among its first sentences.
    fn date_passage(&self, source: u32, date: DateVal) -> Option<Passage> {
        self.index.source_sentences(source).take(3).find_map(|(sid, rec)| {
            rec.figures
                .iter()
                .position(|f| f.dim == Dim::Date && f.value == Value::Date(date))
                .map(|fi| {
                    self.passage(FactRef {
                        sentence: sid,
                        figure: fi as u16,
                    })
                })
        })
    }
}

/// The year of a figure that dates the telling: a year alone ("1996", not
/// "January 1996"), after "in", with a verb of speech within `VERB_REACH`
/// words in the same sentence.
fn telling_year(rules: &crate::rules::Rules, text: &str, s: &Sentence, fig: &Figure) -> Option<i32> {
    let year = super::period::year_alone(fig)?;
    let sentence = text.get(s.span.start as usize..s.span.end as usize)?;
    let at = (fig.span.start - s.span.start) as usize;
    let end = (fig.span.end - s.span.start) as usize;
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let before = words(sentence.get(..at)?);
    let after = words(sentence.get(end..)?);
    // "his 1998 answer", "Clinton's 2000 address": what the speaker said or
    // did that year, the year told by the possessive.
    let prev = before.last().map(String::as_str);
    let possessive = prev.is_some_and(|w| POSSESSIVES.contains(&w) || w.ends_with("'s"))
        || sentence[..at].trim_end().ends_with("’s");
    if possessive && !after.is_empty() {
        return Some(year);
    }
    if prev != Some("in") {
        return None;
    }
    let speech = |w: &String| rules.quotes.speech_verbs.contains(&word_hash(w));
    let near_before = before.iter().rev().skip(1).take(VERB_REACH).any(speech);
    let near_after = after.iter().take(VERB_REACH).any(speech);
    (near_before || near_after).then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Analyzer;
    use crate::rules::Rules;

    fn year_of(text: &str) -> Vec<i32> {
        let rules = Rules::builtin();
        let mut an = Analyzer::new(&rules);
        let sentences = an.analyze(text);
        sentences
            .iter()
            .flat_map(|s| s.figures.iter().filter_map(|f| telling_year(&rules, text, s, f)))
            .collect()
    }

    #[test]
    fn a_year_beside_a_verb_of_speech_dates_the_telling() {
        assert_eq!(
            year_of("In 1996 the president said the deficit had fallen."),
            vec![1996]
        );
        assert_eq!(
            year_of("The minister told parliament in 2011 that 40 schools would close."),
            vec![2011]
        );
        assert_eq!(year_of("In 1999, he warned that the fund would run dry."), vec![1999]);
        assert_eq!(year_of("His 1997 goals were ambitious."), vec![1997]);
        assert_eq!(year_of("The minister's 2011 statement listed 40 schools."), vec![2011]);
    }

    #[test]
    fn other_years_are_facts_of_what_was_said() {
        // No verb of speech: the year dates an event.
        assert_eq!(year_of("In 1994 the first bill was signed."), Vec::<i32>::new());
        // A deadline, not a telling.
        assert_eq!(year_of("He said the budget would balance by 2002."), Vec::<i32>::new());
        // A full date is checked as a date.
        assert_eq!(year_of("He said in January 1996 that it was over."), Vec::<i32>::new());
        // A determiner that is not a possessive: the year of a thing.
        assert_eq!(year_of("The 1993 law raised the wage."), Vec::<i32>::new());
        // The verb too far from the year.
        assert_eq!(
            year_of("In 1993 the plant that the company built near the river was said to be unsafe."),
            Vec::<i32>::new()
        );
    }
}
