//! A one-line rendering of a figure, for `copydesk figures` and for tests.

use super::{Dim, Figure, Value};
use crate::rules::Rules;

/// Renders a figure as `text | dimension value bound [noun class] per rate`.
pub fn describe(rules: &Rules, text: &str, f: &Figure) -> String {
    let dim = match f.dim {
        Dim::Count => "count".to_string(),
        Dim::Money(c) => format!("money:{}", rules.currencies[c as usize].name),
        Dim::Measure(u) => format!("measure:{}", rules.units[u as usize].name),
        Dim::Age => "age".into(),
        Dim::Date => "date".into(),
        Dim::Ordinal => "ordinal".into(),
        Dim::Fraction => "fraction".into(),
        Dim::Time => "time".into(),
        Dim::Score => "score".into(),
    };
    let value = match f.value {
        Value::Num { lo, hi } if lo == hi => fmt_num(lo),
        Value::Num { lo, hi } => format!("{}..{}", fmt_num(lo), fmt_num(hi)),
        Value::Date(d) => format!(
            "{}-{}-{}",
            d.year.map_or("?".into(), |y| y.to_string()),
            d.month.map_or("?".into(), |m| m.to_string()),
            d.day.map_or("?".into(), |d| d.to_string())
        ),
    };
    let bound = match f.bound {
        crate::rules::Bound::Exact => String::new(),
        b => format!(" {b:?}").to_lowercase(),
    };
    let noun = match f.noun {
        Some(n) => match n.class {
            Some(c) => format!(
                " [{}{}]",
                rules.nouns[c as usize].name,
                if n.inherited { "^" } else { "" }
            ),
            None => " [?]".to_string(),
        },
        None => String::new(),
    };
    let weak = if f.weak { " weak" } else { "" };
    let rate = match f.rate {
        Some(super::Rate::Unit(u)) => format!(" per {}", rules.units[u as usize].name),
        Some(super::Rate::Base(_)) => " per base".to_string(),
        None => String::new(),
    };
    let period = f
        .period
        .map(|p| format!(" in {}", rules.periods.labels[p as usize]))
        .unwrap_or_default();
    let measure = f
        .measure
        .map(|m| format!(" of {}", rules.money_measures[m as usize]))
        .unwrap_or_default();
    format!(
        "{} | {dim} {value}{bound}{noun}{weak}{rate}{period}{measure}",
        &text[f.span.start as usize..f.span.end as usize]
    )
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{:.3}", v).trim_end_matches('0').to_string()
    }
}
