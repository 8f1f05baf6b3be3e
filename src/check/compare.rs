//! Whether two figures' values agree, given their qualifiers.
//!
//! A qualifier turns a number into a plausible interval ("more than 1,000" is
//! about 1,000-1,500; "nearly 400" is 340-400). Two figures with qualifiers of
//! one family are compared by their stated numbers: "more than 520" does not
//! confirm "more than 250", though their intervals overlap.

use crate::extract::{DateVal, Value};
use crate::rules::Bound;

/// How a draft figure's value relates to a source figure's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Agreement {
    /// They contradict each other.
    Conflict,
    /// Not the same statement, but compatible ("more than 1,000" for 1,094).
    Consistent,
    /// The same statement.
    Same,
}

const EPS: f64 = 1e-9;

fn eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}

/// The interval a qualified figure plausibly stands for. `strict` excludes the
/// stated number from "more than", "fewer than" and "nearly": the draft's own
/// qualifier is read strictly ("more than 1,094" is false for 1,094), a
/// source's loosely (a draft that drops "more than" is not contradicted).
///
/// "About" and "nearly" are as loose as the number is round: "about 3,000"
/// spans 2,500 to 3,500, "about 3,520" only a few percent.
pub fn interval(bound: Bound, lo: f64, hi: f64, strict: bool) -> (f64, f64) {
    let nudge = if strict { 1e-6 } else { 0.0 };
    let slack = |x: f64| (0.4 * rounding_unit(x)).max(0.05 * x.abs());
    match bound {
        Bound::Exact | Bound::Vague => (lo, hi),
        Bound::Over => (hi * (1.0 + nudge) + nudge, hi * 1.5 + 1.0),
        Bound::AtLeast => (hi, hi * 1.5 + 1.0),
        Bound::Under => (lo * 0.6, lo * (1.0 - nudge)),
        Bound::AtMost => (hi * 0.7, hi),
        Bound::Nearly => (hi - slack(hi), hi * (1.0 - nudge)),
        Bound::About => (lo - slack(lo), hi + slack(hi)),
    }
}

/// The place value a number is rounded to: 1,000 for 3,000, 10 for 3,520,
/// 0.1 for 1.2.
pub fn rounding_unit(x: f64) -> f64 {
    // A scaled number carries float noise ("8.2 million" is
    // 8199999.999999999): read it at 12 significant digits, as written.
    let x = format!("{:.11e}", x.abs()).parse().unwrap_or(x.abs());
    if x == 0.0 {
        return 1.0;
    }
    if x.fract() != 0.0 {
        let mut u = 1.0;
        let mut v = x;
        while v.fract().abs() > 1e-9 && u > 1e-6 {
            v *= 10.0;
            u /= 10.0;
        }
        return u;
    }
    let mut u = 1.0;
    let mut v = x as u64;
    while v > 0 && v.is_multiple_of(10) {
        v /= 10;
        u *= 10.0;
    }
    u
}

/// Whether a draft's exact number is a source value rounded at the
/// precision the draft writes it: 3,727 or 3,726.7 for 3726.69, 4.5 million
/// for 4,512,000. Only a source more precise than the draft rounds to it.
/// For data cells, which hold values as measured, not as a story puts them.
pub fn rounds_to(draft: f64, source: f64) -> bool {
    let unit = rounding_unit(draft);
    (source - draft).abs() <= unit / 2.0 + EPS * draft.abs().max(1.0) && rounding_unit(source) < unit
}

/// Compares numbers. `s_lo`/`s_hi` are already in the draft's unit.
pub fn numbers(d_bound: Bound, d_lo: f64, d_hi: f64, s_bound: Bound, s_lo: f64, s_hi: f64) -> Agreement {
    let same_stated = eq(d_lo, s_lo) && eq(d_hi, s_hi);
    let (df, sf) = (d_bound.family(), s_bound.family());
    // Two bounds of one kind: compare what they state.
    if df == sf && df != Bound::Exact.family() && df != Bound::Vague.family() {
        return if same_stated {
            Agreement::Same
        } else {
            Agreement::Conflict
        };
    }
    if df == sf && same_stated {
        return Agreement::Same;
    }
    // The same number under a qualifier of another kind: "about 13 million"
    // for "over 13 million", "more than 420,000" for "about 420,000" changes
    // what the source claims, though the intervals overlap.
    let qualified = |f: u8| f != Bound::Exact.family() && f != Bound::Vague.family();
    if same_stated && df != sf && qualified(df) && qualified(sf) {
        return Agreement::Conflict;
    }
    // The draft drops the source's qualifier but states its numbers: not wrong
    // ("10,000 to 20,000" for "as high as 10,000 to 20,000").
    if same_stated && d_bound == Bound::Exact {
        return Agreement::Consistent;
    }
    let (dl, dh) = interval(d_bound, d_lo, d_hi, true);
    let (sl, sh) = interval(s_bound, s_lo, s_hi, false);
    let contains = |outer: (f64, f64), inner: (f64, f64)| {
        inner.0 >= outer.0 - EPS * outer.0.abs() && inner.1 <= outer.1 + EPS * outer.1.abs()
    };
    let ok = match (d_bound == Bound::Exact, s_bound == Bound::Exact) {
        // Exact both: one range within the other ("4,500" in "4,000 to 5,000").
        (true, true) => contains((dl, dh), (sl, sh)) || contains((sl, sh), (dl, dh)),
        // The source's exact figure must fit the draft's qualifier.
        (false, true) => contains((dl, dh), (sl, sh)),
        // The draft's exact figure must fit the source's qualifier.
        (true, false) => contains((sl, sh), (dl, dh)),
        (false, false) => dl <= sh && sl <= dh,
    };
    if ok { Agreement::Consistent } else { Agreement::Conflict }
}

/// Compares dates part by part. `None` when they share no part to compare
/// ("2010" against "April").
pub fn dates(d: DateVal, s: DateVal) -> Option<Agreement> {
    let parts = [
        (d.year, s.year),
        (d.month.map(i32::from), s.month.map(i32::from)),
        (d.day.map(i32::from), s.day.map(i32::from)),
    ];
    let mut shared = 0;
    for (a, b) in parts {
        if let (Some(a), Some(b)) = (a, b) {
            if a != b {
                return Some(Agreement::Conflict);
            }
            shared += 1;
        }
    }
    // A day without its month says nothing.
    if shared == 0 || d.month.is_none() && s.month.is_none() && d.year.is_none() {
        return None;
    }
    // "February 19" and "February 19, 2014" are the same date; "2014" and
    // "February 19, 2014" are consistent.
    let d_parts = [d.year.is_some(), d.month.is_some(), d.day.is_some()];
    let s_parts = [s.year.is_some(), s.month.is_some(), s.day.is_some()];
    if d.day.is_some() && s.day.is_some() || d_parts == s_parts {
        Some(Agreement::Same)
    } else {
        Some(Agreement::Consistent)
    }
}

/// Compares two values; `factor` converts the source's number into the draft's unit.
pub fn values(d_bound: Bound, d: Value, s_bound: Bound, s: Value, factor: f64) -> Option<Agreement> {
    match (d, s) {
        (Value::Num { lo: dl, hi: dh }, Value::Num { lo: sl, hi: sh }) => {
            Some(numbers(d_bound, dl, dh, s_bound, sl * factor, sh * factor))
        }
        (Value::Date(a), Value::Date(b)) => dates(a, b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Agreement::*;
    use Bound::*;

    #[test]
    fn data_values_round_at_the_drafts_precision() {
        assert!(rounds_to(3727.0, 3726.69));
        assert!(rounds_to(3726.7, 3726.69));
        assert!(rounds_to(4_500_000.0, 4_512_000.0));
        // A scale word's product is not exact in binary.
        assert!(rounds_to(8.2 * 1e6, 8_212_000.0));
        assert!(!rounds_to(8.2 * 1e6, 8_262_000.0), "8,262,000 rounds to 8.3 million");
        assert_eq!(rounding_unit(8.2 * 1e6), 100_000.0);
        assert!(!rounds_to(3726.0, 3726.69), "3726.69 rounds to 3,727");
        assert!(!rounds_to(5210.0, 5120.0));
        assert!(!rounds_to(1080.0, 1094.0), "1,094 rounds to 1,090");
        assert!(
            !rounds_to(3727.0, 3728.0),
            "a value no more precise than the draft's is not rounded"
        );
    }

    #[test]
    fn qualifier_table() {
        // (draft bound, draft value, source bound, source value, expected)
        let cases = [
            (Over, 1000.0, Exact, 1094.0, Consistent),
            (Over, 1200.0, Exact, 1094.0, Conflict),
            (Nearly, 400.0, Exact, 382.0, Consistent),
            (Nearly, 382.0, Exact, 382.0, Conflict),
            (Over, 1094.0, Exact, 1094.0, Conflict),
            (Exact, 1000.0, Over, 1000.0, Consistent),
            (Exact, 6000.0, Nearly, 6000.0, Consistent),
            (Over, 1000.0, Over, 1000.0, Same),
            (Over, 520.0, Over, 250.0, Conflict),
            (About, 3000.0, Over, 3000.0, Conflict),
            (Over, 420000.0, About, 420000.0, Conflict),
            (Nearly, 400.0, About, 400.0, Conflict),
            (About, 3000.0, Over, 2800.0, Consistent),
            (About, 3000.0, Exact, 2500.0, Conflict),
            (Nearly, 6000.0, Nearly, 5000.0, Conflict),
            (About, 4000.0, About, 4000.0, Same),
            (Nearly, 400.0, Nearly, 400.0, Same),
            (About, 60.0, Exact, 60.0, Consistent),
            (About, 3520.0, Exact, 3250.0, Conflict),
            (About, 3000.0, Exact, 3250.0, Consistent),
            (Nearly, 6000.0, Exact, 5600.0, Consistent),
            (Nearly, 6000.0, Exact, 5000.0, Conflict),
            (Over, 700.0, About, 500.0, Conflict),
            (Exact, 34.0, Exact, 43.0, Conflict),
            (Exact, 11.0, Exact, 11.0, Same),
            (Over, 150.0, Exact, 130.0, Conflict),
            (Over, 90.0, Over, 90.0, Same),
            (Exact, 92.0, Exact, 90.0, Conflict),
        ];
        for (db, dv, sb, sv, want) in cases {
            assert_eq!(numbers(db, dv, dv, sb, sv, sv), want, "{db:?} {dv} vs {sb:?} {sv}");
        }
    }

    #[test]
    fn ranges_and_ceilings() {
        // "up to 30,000" against "as high as 10,000 to 20,000": both ceilings, different tops.
        assert_eq!(numbers(AtMost, 30000.0, 30000.0, AtMost, 10000.0, 20000.0), Conflict);
        assert_eq!(numbers(Exact, 4000.0, 5000.0, Exact, 4000.0, 5000.0), Same);
        assert_eq!(numbers(Exact, 4500.0, 4500.0, Exact, 4000.0, 5000.0), Consistent);
        assert_eq!(numbers(Exact, 40.0, 49.0, Exact, 30.0, 39.0), Conflict);
        assert_eq!(numbers(Exact, 700.0, 700.0, Vague, 200.0, 999.0), Consistent);
    }

    #[test]
    fn dates_compare_shared_parts() {
        let d = |y: Option<i32>, m: Option<u8>, d: Option<u8>| DateVal {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            dates(d(None, Some(2), Some(19)), d(Some(2014), Some(2), Some(19))),
            Some(Same)
        );
        assert_eq!(
            dates(d(None, Some(3), Some(31)), d(None, Some(3), Some(27))),
            Some(Conflict)
        );
        assert_eq!(dates(d(Some(2010), None, None), d(Some(2010), None, None)), Some(Same));
        assert_eq!(dates(d(Some(2010), None, None), d(None, Some(4), None)), None);
        assert_eq!(
            dates(d(Some(2009), None, None), d(Some(2009), Some(4), None)),
            Some(Consistent)
        );
    }
}
