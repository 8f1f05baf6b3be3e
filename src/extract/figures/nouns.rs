//! The noun a number counts, and the phrase around it.

use super::{NounPhrase, POSSESSIVES, PREMODIFIERS, Scan};
use crate::extract::Noun;
use crate::text::TokenKind;

/// Prepositions, by grammar: a noun phrase after one is its object.
const PREPOSITIONS: &[&str] = &[
    "of", "from", "in", "on", "at", "by", "for", "with", "to", "into", "after", "before", "since", "during", "among",
    "across", "over", "under", "near", "off",
];

impl<'a> Scan<'a> {
    /// A participle or adverb: "suspected", "rescued", "earlier", "allegedly".
    pub(super) fn verbish(&self, i: usize) -> bool {
        if !self.word(i) {
            return false;
        }
        let w = self.s(i).to_ascii_lowercase();
        w.ends_with("ed") || w.ends_with("ly") || self.participle(i)
    }

    /// A word in -ing that is no noun term written in -ing ("living", not
    /// "building").
    pub(super) fn participle(&self, i: usize) -> bool {
        self.s(i).to_ascii_lowercase().ends_with("ing") && !self.rules.ing_nouns.contains(&self.infos[i].stem)
    }

    pub(super) fn looks_plural(&self, i: usize) -> bool {
        let w = self.s(i);
        w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is")
    }

    /// The noun phrase starting at `j`: "newborn babies", "maintenance workers",
    /// "baby-smuggling rings". Its head is the last word the rules know as a noun,
    /// else its last word.
    pub(super) fn noun_phrase(&self, j: usize) -> Option<NounPhrase> {
        let n = self.toks.len();
        let mut words: Vec<usize> = Vec::new();
        let mut k = j;
        // "four such websites", "19 more suspects"
        if self.is_any(k, PREMODIFIERS) && self.word(k + 1) && !self.infos[k + 1].stop {
            k += 1;
        }
        while k < n && words.len() < 5 {
            match self.toks[k].kind {
                TokenKind::Word => {
                    let info = self.infos[k];
                    let w = self.s(k);
                    let lower = w.to_lowercase();
                    let known = self.rules.noun_terms.get1(info.stem).is_some();
                    if (info.stop && !known)
                        || self.rules.clause_openers.contains(&info.lower)
                        || self.rules.months.contains_key(&info.lower) && info.cap
                        || w == "'s"
                        || w == "’s"
                    {
                        break;
                    }
                    let next_is_word = self.word(k + 1) && !self.infos[k + 1].stop && !self.verbish(k + 1)
                        || self.is_hyphen(k + 1) && self.glued(k + 1);
                    let verbish = self.verbish(k);
                    let event = self.rules.event_terms.get1(info.stem).is_some();
                    // A participle ends the phrase ("1,094 people suspected of")
                    // unless it modifies a noun that follows ("800 missing children").
                    let known = known && !lower.ends_with("ed");
                    if !known && (verbish || event && !self.looks_plural(k)) && !next_is_word {
                        break;
                    }
                    let in_compound = k > 0 && self.is_hyphen(k - 1) && !self.toks[k].space_before;
                    if !known && event && !words.is_empty() && !in_compound {
                        break;
                    }
                    words.push(k);
                    k += 1;
                    // A word the rules do not know that only looks plural
                    // modifies a known noun after it: "2,310 mathematics teachers".
                    let modifies_next =
                        !known && self.word(k) && self.rules.noun_terms.get1(self.infos[k].stem).is_some();
                    // An irregular plural ends the phrase too ("25,000 young people
                    // college money") unless a plural head follows it ("people
                    // smugglers", "women police officers").
                    let irregular =
                        |i: usize| self.word(i) && self.rules.irregular_plurals.contains(&self.infos[i].lower);
                    let irregular_end = irregular(k - 1) && !(self.word(k) && (self.looks_plural(k) || irregular(k)));
                    let plural = self.looks_plural(k - 1) && !modifies_next || known && !next_is_word || irregular_end;
                    if plural && !(self.is_hyphen(k) && self.glued(k)) {
                        break;
                    }
                }
                TokenKind::Punct if self.is_hyphen(k) && self.glued(k) && !words.is_empty() && self.glued(k + 1) => {
                    k += 1;
                }
                TokenKind::Number if words.is_empty() && self.is_hyphen(k + 1) && self.glued(k + 1) => {
                    // An embedded compound: "three 15-year-old boys".
                    let mut m = k + 1;
                    while self.is_hyphen(m) && self.glued(m) && self.word(m + 1) && self.glued(m + 1) {
                        m += 2;
                    }
                    k = m;
                }
                _ => break,
            }
        }
        if words.is_empty() {
            return None;
        }
        let stems: Vec<u64> = words.iter().map(|&w| self.infos[w].stem).collect();
        // The head: the last position where a known noun term ends.
        let mut head = None;
        for end in (1..=stems.len()).rev() {
            if self.participle(words[end - 1]) {
                continue;
            }
            if let Some((len, class)) = self.rules.noun_terms.longest_suffix(&stems[..end]) {
                // An irregular plural before a plural word modifies it ("police
                // stations", "people smugglers"): that word is the head.
                let w = words[end - 1];
                let modifier = end < words.len()
                    && self.rules.irregular_plurals.contains(&self.infos[w].lower)
                    && self.looks_plural(words[end]);
                if !modifier {
                    head = Some((end - 1, len, Some(class)));
                }
                break;
            }
        }
        let (h, len, class) = head.unwrap_or((words.len() - 1, 1, None));
        let modifiers = stems[..h + 1 - len]
            .iter()
            .copied()
            .filter(|s| !self.rules.stopwords.contains(s))
            .collect();
        Some(NounPhrase {
            start: words[0],
            end: words[h] + 1,
            noun: Noun {
                head: stems[h],
                class,
                inherited: false,
            },
            modifiers,
        })
    }

    /// Whether the noun phrase ending before `end` is the subject of a
    /// relative clause with its object left out, the consensus of business
    /// copy: "short of the 440 million analysts had expected", "above the 5
    /// pct economists forecast." The number is the missing object, not a
    /// count of analysts. An expectation verb (`consensus_verbs`), maybe after
    /// an auxiliary, then the end of the clause or a preposition; "three
    /// analysts expected a rise" has its object.
    pub(super) fn subject_of_gap(&self, end: usize) -> bool {
        let mut k = end;
        if self.is_any(k, &["had", "have", "has"]) {
            k += 1;
        }
        if !(self.word(k) && self.rules.consensus_verbs.contains(&self.infos[k].lower)) {
            return false;
        }
        k + 1 >= self.toks.len() || !self.word(k + 1) || self.is_any(k + 1, PREPOSITIONS)
    }

    /// The noun in "a wage freeze of …", ending right before `start`.
    pub(super) fn noun_before_of(&self, start: usize) -> Option<Noun> {
        if start < 2 || !self.is(start - 1, "of") || !self.word(start - 2) || self.infos[start - 2].stop {
            return None;
        }
        let k = start - 2;
        let mut first = k;
        while first > 0 && self.word(first - 1) && !self.infos[first - 1].stop && k - first < 3 {
            first -= 1;
        }
        let np = self.noun_phrase(first)?;
        (np.end == k + 1).then_some(Noun {
            inherited: true,
            ..np.noun
        })
    }

    /// The noun in "the number of children … at 10,000": a count named before
    /// its figure.
    pub(super) fn number_of_before(&self, start: usize) -> Option<Noun> {
        let from = start.saturating_sub(12);
        (from..start.saturating_sub(2))
            .rev()
            .find(|&k| self.is_any(k, &["number", "total", "toll", "tally", "count"]) && self.is(k + 1, "of"))
            .and_then(|k| self.of_phrase(k + 1))
            .map(|np| Noun {
                inherited: true,
                ..np.noun
            })
    }

    /// The subject of a change or level that a bare number ends: "The death
    /// toll from the capsizing rose to 21", "Unemployment in the region fell to
    /// 40,000", "Confirmed cases reached 260", "Cases stood at 147".
    /// The number is the new value of the subject's count, so it takes the
    /// subject's noun: the nearest noun phrase before the verb that the rules
    /// know as a counted thing and that is no preposition's object ("of the
    /// ferry", "from the capsizing" are not what rose).
    pub(super) fn subject_of_change(&self, start: usize) -> Option<Noun> {
        use crate::rules::revision::RevisionWord;
        if start < 2 {
            return None;
        }
        let role = |k: usize| self.revision_role(k);
        let change = |k: usize| self.change_word(k);
        // "rose to 21", "rose from 48", "reached 260", "stood at 41". The
        // earlier value opens the change only where no figure comes before
        // it: in "60 square kilometres, up from 25" it is 60's.
        let lo = start.saturating_sub(16);
        let figure_before = || (lo..start - 1).any(|k| self.toks[k].kind == TokenKind::Number);
        let verb = if start >= 3
            && (role(start - 1) == Some(RevisionWord::Newer)
                || role(start - 1) == Some(RevisionWord::Earlier) && !figure_before())
            && change(start - 2)
        {
            start - 2
        } else if let Some(v) = self.verb_before_aside(start) {
            v
        } else if role(start - 1) == Some(RevisionWord::Level) {
            start - 1
        } else if start >= 3
            && role(start - 1) == Some(RevisionWord::LevelParticle)
            && role(start - 2) == Some(RevisionWord::Level)
        {
            start - 2
        } else {
            return None;
        };
        if verb == 0 || !self.word(verb) {
            return None;
        }
        let mut k = verb;
        while k > lo {
            k -= 1;
            if !self.word(k) || self.infos[k].stop {
                continue;
            }
            let Some(np) = self.noun_phrase(k) else { continue };
            if np.end > verb || np.noun.class.is_none() || np.start != k {
                continue;
            }
            // Skip the determiners before it; a preposition there makes it an object.
            let mut b = k;
            while b > 0 && (self.is_any(b - 1, &["the", "a", "an"]) || self.is_any(b - 1, POSSESSIVES)) {
                b -= 1;
            }
            if b > 0 && self.is_any(b - 1, PREPOSITIONS) {
                continue;
            }
            // The start of the phrase, not a word inside it.
            if k > 0 && self.word(k - 1) && !self.infos[k - 1].stop {
                continue;
            }
            return Some(Noun {
                inherited: true,
                ..np.noun
            });
        }
        None
    }

    /// The change verb before an aside set off by commas between it and the
    /// preposition of the new value: "deaths rose, by 3 per cent, to 661".
    fn verb_before_aside(&self, start: usize) -> Option<usize> {
        use crate::rules::revision::RevisionWord;
        /// How long an aside may be, commas included.
        const ASIDE: usize = 8;
        if start < 4 || self.revision_role(start - 1) != Some(RevisionWord::Newer) || self.s(start - 2) != "," {
            return None;
        }
        let open = (start.saturating_sub(2 + ASIDE)..start - 2)
            .rev()
            .find(|&k| self.s(k) == ",")?;
        (open > 0 && self.change_word(open - 1)).then_some(open - 1)
    }

    /// "of the workforce" after a percentage; "of the 51 seats" after a
    /// count of some of them ("27 of the 51 seats"): a part counts what its
    /// whole counts.
    pub(super) fn of_phrase(&self, j: usize) -> Option<NounPhrase> {
        if !self.is(j, "of") {
            return None;
        }
        let mut k = if self.is_any(j + 1, &["the", "its", "their", "all", "his", "her"]) {
            j + 2
        } else {
            j + 1
        };
        if k < self.toks.len() && self.number(k, false).is_some_and(|n| !n.ordinal && !n.fraction) {
            k = self.number(k, false)?.end;
        }
        self.noun_phrase(k)
    }
}
