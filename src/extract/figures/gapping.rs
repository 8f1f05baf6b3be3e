//! Gapping: a second conjunct that leaves out the verb and the noun of the
//! first ("Aberdeen City was home to about 220,000 people and Dundee City to
//! 105,000", "the South has 9.5 million people, the North 8.2 million").
//! Its bare number counts what its parallel figure counts, so it takes that
//! figure's noun (and unit): without it "105,000" reads as a count of
//! nothing, and no source row can be named as stating it otherwise.
//!
//! By grammar only: the gapped conjunct is a conjunction (or a comma), a
//! subject of names (capitalised words, a possessive, a determiner), at
//! most a preposition echoing the one before the parallel figure, then the
//! bare number and the end of the clause. A bare number followed by a verb
//! ("rose to 20 and 5 were injured") or with no subject of its own ("between
//! 2 and 5") is no gapped conjunct and borrows nothing.

use super::{Found, Scan};
use crate::extract::{Dim, Noun};
use crate::text::TokenKind;

/// Words that join a gapped conjunct to the first: grammar, not vocabulary.
const CONJUNCTIONS: &[&str] = &["and", "while", "whereas", "but", ","];
/// Determiners a gapped subject may open with ("and the North 8.2 million").
const DETERMINERS: &[&str] = &["the", "a", "an"];
/// How many words a gapped subject may have: a place or body's name.
const MAX_SUBJECT: usize = 5;
/// How long a prepositional phrase may follow the first conjunct's figure.
const MAX_PHRASE: usize = 7;

impl<'a> Scan<'a> {
    /// Gives each bare number of a gapped conjunct its parallel figure's noun
    /// and unit.
    pub(super) fn share_gapped(&self, found: &mut [Found]) {
        for i in 1..found.len() {
            let bare = found[i].dim == Dim::Count && found[i].head.is_none() && found[i].noun.is_none();
            if !bare || found[i].weak {
                continue;
            }
            let Some(p) = self.gapped_parallel(found, i) else {
                continue;
            };
            let (head, dim, modifiers) = (found[p].head, found[p].dim, found[p].modifiers);
            found[i].head = head.map(|h| Noun { inherited: true, ..h });
            if matches!(dim, Dim::Measure(_) | Dim::Money(_)) {
                found[i].dim = dim;
            }
            found[i].modifiers = modifiers;
        }
    }

    /// The index in `found` of the figure that the `i`th one parallels, if
    /// it is the bare number of a gapped conjunct.
    fn gapped_parallel(&self, found: &[Found], i: usize) -> Option<usize> {
        let f = &found[i];
        // The clause ends at the number: a verb after it makes a clause of
        // its own ("and 5 were injured").
        let ends = f.end >= self.toks.len()
            || self.kind(f.end) == Some(TokenKind::Punct) && !self.is_hyphen(f.end)
            || self.is_any(f.end, CONJUNCTIONS);
        if !ends {
            return None;
        }
        // Back from the number: an optional preposition, the subject, the conjunction.
        let mut k = f.start;
        let echoed = (k > 0 && self.word(k - 1) && self.infos[k - 1].stop && !self.infos[k - 1].cap).then(|| {
            k -= 1;
            self.infos[k].lower
        });
        let mut words = 0;
        let mut named = false;
        while k > 0 && words < MAX_SUBJECT {
            let w = k - 1;
            let possessive = matches!(self.s(w), "'s" | "’s");
            if self.word(w) && self.infos[w].cap && !self.infos[w].stop || possessive {
                named |= !possessive;
                words += 1;
                k = w;
            } else {
                break;
            }
        }
        if k > 0 && self.is_any(k - 1, DETERMINERS) {
            k -= 1;
        }
        if !named || k == 0 || !self.is_any(k - 1, CONJUNCTIONS) {
            return None;
        }
        let conj = k - 1;
        // The parallel: the nearest figure before the conjunction that counts
        // something or has a unit, and no rate's denominator ("per 100,000 people").
        let p = (0..i).rev().find(|&p| {
            let g = &found[p];
            g.end <= conj && !self.after_rate_word(g.start) && g.dim != Dim::Date
        })?;
        let g = &found[p];
        if g.head.is_none() && !matches!(g.dim, Dim::Measure(_) | Dim::Money(_)) {
            return None;
        }
        // The first conjunct's figure ends its clause too ("about 220,000
        // people and ..."), give or take the words of a rate after it or a
        // prepositional phrase of lower-case words ("32.1 million tonnes of
        // oil equivalent of energy, and Germany 210 million"); a comma or a
        // name inside would open another clause or subject.
        let between = g.end..conj;
        let phrase = between.len() <= MAX_PHRASE
            && self.word(g.end)
            && self.infos[g.end].stop
            && between
                .clone()
                .all(|k| self.word(k) && !self.infos[k].cap || k + 1 == conj && self.s(k) == ",");
        if between.len() > 3 && !phrase {
            return None;
        }
        // A preposition before the gapped number echoes the one before its
        // parallel ("home to about 220,000 ... and Dundee City to 105,000").
        if let Some(word) = echoed
            && !(g.start > 0 && self.infos[g.start - 1].lower == word)
        {
            return None;
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::tests::render;
    use crate::rules::Rules;

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        assert_eq!(render(&Rules::builtin(), text), expected, "\ninput: {text}");
    }

    #[test]
    fn a_gapped_conjunct_takes_its_parallels_noun() {
        check(
            "Leeds was home to some 790,000 residents and Bradford to 540,000.",
            &[
                "some 790,000 residents | count 790000 about [resident]",
                "540,000 | count 540000 [resident^]",
            ],
        );
        check(
            "Kent recorded 1,450 burglaries, while Surrey 980.",
            &["1,450 burglaries | count 1450 [?]", "980 | count 980 [?]"],
        );
        check(
            "Ohio's jobless rate was 4.1 per cent and Indiana's 3.6.",
            &["4.1 per cent | measure:percent 4.1", "3.6 | measure:percent 3.6"],
        );
        check(
            "The East has 6.3 million people, the West 5.1 million.",
            &[
                "6.3 million people | count 6300000 [person]",
                "5.1 million | count 5100000 [person^]",
            ],
        );
        // A prepositional phrase after the first figure.
        check(
            "Sweden used 32.1 million tonnes of oil equivalent of energy, and Germany 210 million.",
            &[
                "32.1 million tonnes | measure:tonne 32100000",
                "210 million | measure:tonne 210000000",
            ],
        );
        // A clause after it is no phrase: the gapped subject is another's.
        check(
            "Sweden used 32.1 million tonnes, which pleased officials, and Germany 210 million.",
            &[
                "32.1 million tonnes | measure:tonne 32100000",
                "210 million | count 210000000",
            ],
        );
    }

    #[test]
    fn a_bare_number_that_is_no_gapped_conjunct_borrows_nothing() {
        // A verb after the number: a clause of its own.
        check(
            "Attendance rose to 61,000 fans and Villa 40 were turned away.",
            &["61,000 fans | count 61000 [member]", "40 | count 40"],
        );
        // No subject of its own between the conjunction and the number.
        check(
            "The toll climbed to 31 and then 36.",
            &["31 | count 31 [death^]", "36 | count 36"],
        );
        // A preposition that does not echo the first conjunct's.
        check(
            "Cardiff spent £3 million on roads and Newport by 2027.",
            &["£3 million | money:GBP 3000000", "2027 | date 2027-?-?"],
        );
        // A lowercase verb where the subject would be.
        check(
            "The board grew to 9 seats and Smith said 4.",
            &["9 seats | count 9 [seat]", "4 | count 4"],
        );
    }
}
