//! Whose figure it is. A clause that lists several figures of one kind gives
//! each its own subject: "Alpha Corp holds 22.5 pct and Beta Holdings 21.9
//! pct" (the names before each figure), "12 died in Hunan and 9 in Hubei"
//! (the names after each, behind a preposition of place). The subject is a
//! slot of the fact, so the other subject's equal number is not support.
//!
//! Only lists are read: a lone figure's clause may name anyone (the speaker,
//! a buyer, a place in passing), and guessing its subject would split facts
//! that are one.

use crate::extract::{Dim, Figure, Term, Words};

/// Sets `subject` on the figures of each list in the sentence. A list is two
/// or more figures of the same dimension in one clause or in clauses that
/// follow one another; each member's subject
/// is the names in its stretch of the clause. The stretch runs from the end of
/// the previous member to the figure ("before" lists), or, when the first gap
/// opens with a preposition of place (`locative`), from the figure to the next
/// member ("after" lists; the last member must have names after it too, so
/// "22.5 pct of Kestrel Mining and Orbis 18.9 pct" reads as a "before" list
/// whose first gap names the stake, not its holder). A list whose members do not each get names of their
/// own, disjoint from the others', is left without subjects.
pub(super) fn assign_subjects(figs: &mut [Figure], terms: &[Term], locative: impl Fn(usize) -> bool) {
    let mut done = vec![false; figs.len()];
    for first in 0..figs.len() {
        if done[first] || !takes_subject(&figs[first]) {
            continue;
        }
        // Members follow one another clause by clause: "and 9 in Hubei"
        // opens a clause of its own.
        let mut members: Vec<usize> = vec![first];
        for j in first + 1..figs.len() {
            let prev = figs[members[members.len() - 1]].clause;
            if !done[j]
                && takes_subject(&figs[j])
                && figs[j].dim == figs[first].dim
                && figs[j].clause <= prev.saturating_add(1)
            {
                members.push(j);
            }
        }
        for &j in &members {
            done[j] = true;
        }
        if members.len() < 2 {
            continue;
        }
        members.sort_by_key(|&j| figs[j].toks.start);
        // Nearest the figure first: a subject keeps at most three words.
        let (first_clause, last_clause) = (figs[members[0]].clause, figs[members[members.len() - 1]].clause);
        let names_in = |from: u16, to: u16, nearest_last: bool| -> Words {
            let mut w = Words::default();
            let mut names: Vec<&Term> = terms
                .iter()
                .filter(|t| t.name && t.pos >= from && t.pos < to && (first_clause..=last_clause).contains(&t.clause))
                .collect();
            names.sort_by_key(|t| t.pos);
            if nearest_last {
                names.reverse();
            }
            for t in names {
                if !w.contains(&t.key) {
                    w.push(t.key);
                }
            }
            w
        };
        let last = figs[members[members.len() - 1]].toks.end;
        let after = locative(figs[members[0]].toks.end as usize) && !names_in(last, u16::MAX, false).is_empty();
        let subjects: Vec<Words> = members
            .iter()
            .enumerate()
            .map(|(k, &j)| {
                let f = &figs[j];
                if after {
                    let to = members.get(k + 1).map_or(u16::MAX, |&n| figs[n].toks.start);
                    names_in(f.toks.end, to, false)
                } else {
                    let from = if k == 0 { 0 } else { figs[members[k - 1]].toks.end };
                    names_in(from, f.toks.start, true)
                }
            })
            .collect();
        let own = subjects.iter().all(|s| !s.is_empty())
            && subjects
                .iter()
                .enumerate()
                .all(|(a, sa)| subjects[a + 1..].iter().all(|sb| !sa.iter().any(|k| sb.contains(k))));
        if own {
            for (&j, s) in members.iter().zip(subjects) {
                figs[j].subject = s;
            }
        }
    }
}

/// Ages have their own subject (the person); dates and ranks are not counted
/// for anyone.
fn takes_subject(f: &Figure) -> bool {
    f.subject.is_empty() && !matches!(f.dim, Dim::Age | Dim::Date | Dim::Ordinal | Dim::Time | Dim::Score)
}
