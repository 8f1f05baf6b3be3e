//! What a number is measured in: currencies, qualifiers ("about",
//! "more than") and units.

use super::Scan;
use crate::rules::{Bound, CurrencyId, UnitId};
use crate::text::TokenKind;

impl<'a> Scan<'a> {
    /// A currency sign or code right before token `i`: "US$", "£", "RMB ".
    pub(super) fn currency_before(&self, i: usize) -> Option<(CurrencyId, usize)> {
        // Glued signs: walk back over tokens with no space between them.
        // The longest sign wins: "US$" over "$".
        let mut start = i;
        let mut glued_text = String::new();
        let mut best = None;
        while start > 0 && self.glued(start) && i - start < 3 {
            start -= 1;
            glued_text.insert_str(0, self.s(start));
            if let Some((_, id)) = self.rules.currency_symbols.iter().find(|(sym, _)| glued_text == *sym) {
                best = Some((*id, start));
            }
        }
        if best.is_some() {
            return best;
        }
        // A code with a space: "RMB 20,000", "USD 3,250".
        if i > 0 && self.word(i - 1) {
            let w = self.s(i - 1);
            for (sym, id) in &self.rules.currency_symbols {
                if w == sym && sym.chars().all(|c| c.is_ascii_uppercase()) && sym.len() > 1 {
                    return Some((*id, i - 1));
                }
            }
        }
        None
    }

    /// A qualifier ending right before token `i`.
    pub(super) fn qualifier_before(&self, i: usize) -> Option<(Bound, usize)> {
        let max = self.rules.qualifiers.max_len();
        let mut keys = Vec::with_capacity(max);
        let mut k = i;
        while k > 0 && keys.len() < max && self.word(k - 1) {
            k -= 1;
            keys.insert(0, self.infos[k].lower);
        }
        let (len, bound) = self.rules.qualifiers.longest_suffix(&keys)?;
        // Stacked qualifiers ("less than about five", "more than about 40"):
        // the outer one says which side of the number the figure lies.
        if bound == Bound::About
            && let Some((outer, start)) = self.qualifier_before(i - len)
            && outer != Bound::About
        {
            return Some((outer, start));
        }
        Some((bound, i - len))
    }

    /// A qualifier written after the number: "1,000+", "30 or more".
    pub(super) fn qualifier_after(&self, j: usize) -> Option<(Bound, usize)> {
        let mut keys = Vec::new();
        let mut pos = Vec::new();
        let mut k = j;
        while k < self.toks.len() && keys.len() < 3 {
            if self.is_hyphen(k) && self.glued(k) {
                k += 1;
                continue;
            }
            if self.toks[k].kind == TokenKind::Punct {
                break;
            }
            keys.push(self.infos[k].lower);
            pos.push(k);
            k += 1;
        }
        let (len, bound) = self.rules.qualifier_suffixes.longest_prefix(&keys)?;
        // "+" only counts glued to the number.
        if self.s(pos[0]) == "+" && !self.glued(pos[0]) {
            return None;
        }
        Some((bound, pos[len - 1] + 1))
    }

    /// A unit starting at `j`: returns unit and end.
    pub(super) fn unit_at(&self, j: usize) -> Option<(UnitId, usize)> {
        let (keys, pos) = self.stems_from(j, self.rules.unit_terms.max_len());
        let (len, unit) = self.rules.unit_terms.longest_prefix(&keys)?;
        // One-letter units ("m") only glued to the number: "200m", not "200 m people".
        let first = self.s(pos[0]);
        if first.chars().count() == 1 && first != "%" && self.toks[pos[0]].space_before {
            return None;
        }
        if let Some(dim) = self.rules.unit_beside.get(&keys[..len])
            && !self.gives_unit_of(dim)
        {
            return None;
        }
        Some((unit, pos[len - 1] + 1))
    }

    /// Whether the sentence holds a unit term of dimension `dim` (not one of
    /// those that need another beside them).
    fn gives_unit_of(&self, dim: &str) -> bool {
        (0..self.toks.len()).any(|k| {
            let (keys, _) = self.stems_from(k, self.rules.unit_terms.max_len());
            self.rules.unit_terms.longest_prefix(&keys).is_some_and(|(len, u)| {
                self.rules.units[u as usize].dimension == dim && !self.rules.unit_beside.contains_key(&keys[..len])
            })
        })
    }

    /// A currency word (or code) after the number starting at `j`: returns
    /// currency and end.
    pub(super) fn currency_word_at(&self, j: usize) -> Option<(CurrencyId, usize)> {
        let (keys, pos) = self.stems_from(j, self.rules.currency_words.max_len());
        if let Some((len, c)) = self.rules.currency_words.longest_prefix(&keys) {
            // One-letter words ("p" for pence) only glued to the number:
            // "21.4p", not "28 P" in a table of games played.
            let one_letter = len == 1 && self.s(pos[0]).chars().count() == 1;
            if !one_letter || !self.toks[pos[0]].space_before {
                return Some((c, pos[len - 1] + 1));
            }
        }
        // A code after the number: "3,250 USD".
        if self.word(j) {
            let w = self.s(j);
            for (sym, id) in &self.rules.currency_symbols {
                if w == sym && sym.len() > 2 && sym.chars().all(|c| c.is_ascii_uppercase()) {
                    return Some((*id, j + 1));
                }
            }
        }
        None
    }

    pub(super) fn is_time_unit(&self, u: UnitId) -> bool {
        self.rules.units[u as usize].dimension == "time"
    }
}
