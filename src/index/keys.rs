//! A figure's index keys: the value keys under which figures that could
//! state the same fact meet (same kind of dimension, same value in base
//! units, dates by pairs of parts), the rounded keys of a source's exact
//! values, and the dimension key that ranks retrieval. Kept apart from the
//! index so the keys both the embedded index and the archive compute are
//! defined once.

use crate::extract::{DateVal, Dim, Figure, Value};
use crate::rules::Rules;
use crate::text::word_hash;

/// A figure's index keys: up to three value keys and its dimension key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Keys {
    vals: [u64; 3],
    n: u8,
    pub dim: u64,
}

impl Keys {
    /// A source figure's keys: its value's, and those of the value rounded
    /// as a writer rounds it ([`rounded_keys`]), so "10.3 million" finds the
    /// cell 10298 of a column in thousands and "about 1,300" the 1,284 of a
    /// report. Only the index side rounds: a draft figure looks up its own
    /// value, and the candidates it finds are compared at its precision.
    pub fn of(f: &Figure, rules: &Rules) -> Keys {
        let mut k = Keys {
            dim: dim_key(f, rules),
            ..Keys::default()
        };
        for v in value_keys(f, rules).into_iter().chain(rounded_keys(f, rules)) {
            if (k.n as usize) < k.vals.len() {
                k.vals[k.n as usize] = v;
                k.n += 1;
            }
        }
        k
    }

    pub fn values(&self) -> &[u64] {
        &self.vals[..self.n as usize]
    }
}

/// Rounds to 6 significant digits so "1.2 million" and "1,200,000" share a key.
fn canonical(v: f64) -> i64 {
    if v == 0.0 {
        return 0;
    }
    let mag = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(5 - mag);
    ((v * scale).round() / scale * 1000.0).round() as i64
}

/// Combines a tag and numbers into one key.
fn mix(tag: u64, parts: &[u64]) -> u64 {
    let mut h = tag;
    for &p in parts {
        h = xxhash_rust::xxh3::xxh3_64_with_seed(&p.to_le_bytes(), h);
    }
    h
}

/// The family of a dimension: what values compare across (all lengths, all
/// dollar amounts).
fn family(f: &Figure, rules: &Rules) -> u64 {
    match f.dim {
        Dim::Count => word_hash("count"),
        Dim::Money(c) => mix(word_hash("money"), &[word_hash(&rules.currencies[c as usize].family)]),
        Dim::Measure(u) => mix(word_hash("measure"), &[word_hash(&rules.units[u as usize].dimension)]),
        Dim::Age => word_hash("age"),
        Dim::Date => word_hash("date"),
        Dim::Ordinal => word_hash("ordinal"),
        Dim::Fraction => word_hash("fraction"),
        Dim::Time => word_hash("time"),
        Dim::Score => word_hash("score"),
    }
}

/// A key for the kind of thing a figure measures (a noun class, a unit's
/// dimension, a currency family), so retrieval favours sentences with a
/// figure of the same kind.
pub fn dim_key(f: &Figure, rules: &Rules) -> u64 {
    let tag = word_hash("\u{3}dim");
    match (f.dim, f.noun) {
        (Dim::Count, Some(n)) => match n.class {
            Some(c) => mix(tag, &[1, c as u64]),
            None => mix(tag, &[2, n.head]),
        },
        _ => mix(tag, &[3, family(f, rules)]),
    }
}

/// Keys under which a figure's value is indexed. Figures that could state the
/// same fact share a key: same kind of dimension, same value in base units.
/// Dates get a key per pair of parts they have, so "February 19" meets
/// "February 19, 2014".
pub fn value_keys(f: &Figure, rules: &Rules) -> Vec<u64> {
    let (fam, factor) = value_base(f, rules);
    match f.value {
        Value::Num { lo, hi } => {
            let (lo, hi) = (canonical(lo * factor), canonical(hi * factor));
            if lo == hi {
                vec![mix(fam, &[lo as u64])]
            } else {
                vec![mix(fam, &[lo as u64, hi as u64])]
            }
        }
        Value::Date(DateVal { year, month, day }) => {
            let (y, m, d) = (year.map(|y| y as u64), month.map(u64::from), day.map(u64::from));
            let mut keys = Vec::new();
            if let (Some(m), Some(d)) = (m, d) {
                keys.push(mix(fam, &[1, m, d]));
            }
            if let (Some(y), Some(m)) = (y, m) {
                keys.push(mix(fam, &[2, y, m]));
            }
            if let Some(y) = y {
                keys.push(mix(fam, &[3, y]));
            }
            if keys.is_empty()
                && let Some(m) = m
            {
                keys.push(mix(fam, &[4, m]));
            }
            keys
        }
    }
}

/// What a figure's value keys are made of: the key of its dimension's
/// family, and the factor to its unit's base ("km" to metres).
fn value_base(f: &Figure, rules: &Rules) -> (u64, f64) {
    let factor = match f.dim {
        Dim::Measure(u) => rules.units[u as usize].factor,
        _ => 1.0,
    };
    (mix(word_hash("\u{2}value"), &[family(f, rules)]), factor)
}

/// Keys of a figure's exact value rounded to three and to two significant
/// digits, where that changes it: 10,298,000 also under 10,300,000 and
/// 10,000,000. Not for ranges, dates, ranks or scores.
pub fn rounded_keys(f: &Figure, rules: &Rules) -> Vec<u64> {
    let Value::Num { lo, hi } = f.value else {
        return Vec::new();
    };
    if lo != hi || !f.dim.is_quantity() || lo == 0.0 {
        return Vec::new();
    }
    let (fam, factor) = value_base(f, rules);
    let v = lo * factor;
    let exact = canonical(v);
    let mut out: Vec<u64> = Vec::new();
    for digits in [3, 2] {
        let step = 10f64.powi(v.abs().log10().floor() as i32 + 1 - digits);
        let r = canonical((v / step).round() * step);
        let key = mix(fam, &[r as u64]);
        if r != exact && !out.contains(&key) {
            out.push(key);
        }
    }
    out
}
