//! What a table column's header says of its bare numbers. A cell holds a
//! number and nothing else; the header says what kind of number it is: a
//! unit in brackets ("Pupils in academies (%)", "Area (sq km)") makes every
//! bare number of the column a measure in that unit, and a column that is
//! not a column of years does not read "1820" as a year.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::extract::{Analyzer, DateVal, Dim, OuterContext, Sentence, Value};
use crate::markdown::{Block, BlockKind};

/// A column: its position and its header.
type Column = (u32, String);

fn column_of(block: &Block) -> Option<Column> {
    match block.kind {
        BlockKind::TableCell { column, .. } => Some((column, block.context.first()?.clone())),
        _ => None,
    }
}

/// A cell that is a number and nothing else ("4512", "61.4", "-0.8").
fn bare_number(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && (t.chars().any(|c| c.is_ascii_digit()) || cell_number(t).is_some())
        && !t.chars().any(char::is_alphabetic)
}

/// The columns whose every bare number is written as a year is (four digits,
/// no separator): there "2021" is a year. Elsewhere a four-digit count
/// ("1820 killed") is a count, however much it looks like a year.
pub(super) fn year_columns(blocks: &[Block]) -> FxHashSet<Column> {
    let mut verdict: FxHashMap<Column, bool> = FxHashMap::default();
    for b in blocks {
        let Some(col) = column_of(b) else { continue };
        if !bare_number(&b.text) {
            continue;
        }
        // "7367" is no year: a column of them is a column of counts, "1896"
        // among them too.
        let yearish = crate::corpus::data::lone_year(&b.text).is_some();
        let e = verdict.entry(col).or_insert(true);
        *e &= yearish;
    }
    verdict.into_iter().filter(|(_, y)| *y).map(|(c, _)| c).collect()
}

/// The columns of shares written as fractions: every bare number in [-1, 1]
/// and some not whole ("0.293" for a turnout of 29.3 per cent), under a
/// header that gives no unit (read by [`Units`]) and no rate's base
/// ([`rate_base`]: "Deaths per 1,000" makes 0.7 a rate, not a share). A
/// column of ones and noughts is no share.
pub(super) fn fraction_columns(an: &mut Analyzer<'_>, units: &mut Units, blocks: &[Block]) -> FxHashSet<Column> {
    // Per column: every number a share's, and some number not whole.
    let mut verdict: FxHashMap<Column, (bool, bool)> = FxHashMap::default();
    for b in blocks {
        let Some(col) = column_of(b) else { continue };
        if !bare_number(&b.text) {
            continue;
        }
        // Decimals only: "1/2" and "¾" are fractions as written.
        let t = b.text.trim();
        let t = t.strip_prefix(['-', '\u{2212}']).unwrap_or(t);
        let v = t
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.')
            .then(|| t.parse::<f64>().ok())
            .flatten();
        let e = verdict.entry(col).or_insert((true, false));
        match v {
            Some(v) => {
                e.0 &= v.abs() <= 1.0;
                e.1 |= v.fract() != 0.0;
            }
            None => e.0 = false,
        }
    }
    verdict
        .into_iter()
        .filter(|(_, (shares, fractional))| *shares && *fractional)
        .map(|(c, _)| c)
        .filter(|(_, header)| !rate_base(an, header) && units.of(an, header).is_none())
        .collect()
}

/// Whether a header gives a rate's base: a number after a rate word ("Deaths
/// per 1,000", "Cases per 100,000 people"). Other numbers are no base: an
/// age ("Aged 65 and over"), a year ("Turnout 2019").
fn rate_base(an: &Analyzer<'_>, header: &str) -> bool {
    let words: Vec<&str> = header.split_whitespace().collect();
    words.windows(2).any(|w| {
        let number = w[1]
            .trim_matches(|c: char| !c.is_ascii_digit())
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',')
            && w[1].chars().any(|c| c.is_ascii_digit());
        number
            && an
                .rules()
                .rate_words
                .contains(&crate::text::word_hash(&w[0].to_lowercase()))
    })
}

/// Whether a header names a change ("Change since mid-2019", "Rise from
/// 2011"): by a word of the `[arithmetic]` rules' change, rise or fall roles.
/// Its year is where the change starts, not the time of its figures.
fn change_header(an: &Analyzer<'_>, header: &str) -> bool {
    let rules = an.rules();
    header
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .any(|w| rules.arithmetic.names_change(rules.stem_hash(w)))
}

/// The units headers give, read once per header.
#[derive(Default)]
pub(super) struct Units {
    dims: FxHashMap<String, Option<Dim>>,
    years: FxHashMap<String, Option<i32>>,
}

impl Units {
    /// The dimension a header's unit gives a bare number: the words in its
    /// brackets, else the whole header, read after a number as the extractor
    /// reads any unit ("1 %", "1 sq km", "£1"). Counts and scales are no unit
    /// here (a column "(thousands)" is scaled elsewhere).
    fn of(&mut self, an: &mut Analyzer<'_>, header: &str) -> Option<Dim> {
        if let Some(d) = self.dims.get(header) {
            return *d;
        }
        let mut found = None;
        let inner = header
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(u, _)| u.trim());
        for cand in inner.into_iter().chain([header.trim()]) {
            if cand.is_empty() {
                continue;
            }
            for probe in [format!("1 {cand}"), format!("{cand}1")] {
                let dim = an.analyze(&probe).into_iter().flat_map(|s| s.figures).find_map(|f| {
                    // The unit is the whole header, or its head with an
                    // of-complement ("tonnes of oil equivalent", "km of road").
                    let rest = &probe[(f.num_span.end as usize).min(probe.len())..];
                    let whole = f.num_span.start == 0 && (rest.is_empty() || rest.starts_with(" of "));
                    (whole && matches!(f.dim, Dim::Measure(_) | Dim::Money(_))).then_some(f.dim)
                });
                if dim.is_some() {
                    found = dim;
                    break;
                }
            }
            if found.is_some() {
                break;
            }
        }
        self.dims.insert(header.to_string(), found);
        found
    }

    /// The year a header dates its column's figures by: its one year
    /// ("Renewable share 2011 (%)", "Population 2021"). A span of years
    /// ("Change 2000-2010") is the change's, and dates none, nor does the
    /// start of a change ("Change since mid-2019"). Years in brackets are
    /// left out: they are the data note's clauses on the column ("with
    /// 1981"). Read once per header.
    fn year(&mut self, an: &mut Analyzer<'_>, header: &str) -> Option<i32> {
        if let Some(y) = self.years.get(header) {
            return *y;
        }
        let unbracketed: String = header
            .split('(')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once(')').map_or("", |(_, rest)| rest)
                }
            })
            .collect();
        let year = match crate::corpus::data::years_in(&unbracketed).as_slice() {
            [y] if !change_header(an, &unbracketed) => Some(*y),
            _ => None,
        };
        self.years.insert(header.to_string(), year);
        year
    }

    /// The dimension of a percentage, as the extractor reads "1 %".
    fn percent(&mut self, an: &mut Analyzer<'_>) -> Option<Dim> {
        self.of(an, "%")
    }
}

/// The number a cell writes where the extractor reads it otherwise: a sign
/// ("-13.5", with a hyphen, a minus sign or a dash) or a fraction ("1/2",
/// "1 1/2", and the vulgar fractions "½", "1½" by their compatibility
/// decomposition, "1⁄2"). `None` for a cell the extractor reads as it is.
fn cell_number(text: &str) -> Option<f64> {
    use unicode_normalization::UnicodeNormalization;
    let t = text.trim();
    let (negative, rest) = match t.chars().next()? {
        c @ ('-' | '\u{2212}' | '\u{2013}') => (true, t[c.len_utf8()..].trim_start()),
        _ => (false, t),
    };
    let unsigned = |s: &str| -> Option<f64> {
        let s = s.replace(',', "");
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
            .then(|| s.parse().ok())
            .flatten()
    };
    // A proper fraction: "2021/22" is a year, "24/7" no share.
    let fraction = |s: &str| -> Option<f64> {
        let (a, b) = s.split_once(['/', '\u{2044}'])?;
        let (a, b) = (unsigned(a)?, unsigned(b)?);
        (a < b).then(|| a / b)
    };
    // A whole number and a fraction: "1 1/2", or glued to a vulgar one, "1½".
    let whole_and = |whole: &str, frac: &str| -> Option<f64> {
        let whole = if whole.trim().is_empty() {
            0.0
        } else {
            unsigned(whole.trim())?
        };
        Some(whole + fraction(frac)?)
    };
    let last = rest.chars().last()?;
    let vulgar: String = last.to_string().nfkd().collect();
    let value = if vulgar.contains('\u{2044}') {
        whole_and(&rest[..rest.len() - last.len_utf8()], &vulgar)?
    } else if rest.contains('/') {
        match rest.rsplit_once(' ') {
            Some((w, f)) => whole_and(w, f)?,
            None => fraction(rest)?,
        }
    } else if negative {
        unsigned(rest)?
    } else {
        return None;
    };
    Some(if negative { -value } else { value })
}

/// Reads a signed or fractional cell as the one number it is: the
/// extractor, made for prose, reads "-13.5" as 13.5 (a hyphen is no sign
/// in a sentence) and "1/2" as two numbers.
pub(super) fn sign_cell(an: &mut Analyzer<'_>, block: &Block, sentences: &mut Vec<Sentence>) {
    if !matches!(block.kind, BlockKind::TableCell { .. }) {
        return;
    }
    let Some(v) = cell_number(&block.text) else { return };
    // A figure to hold the value: the cell's own first, else that of "1".
    let template = sentences
        .iter()
        .flat_map(|s| s.figures.first())
        .next()
        .cloned()
        .or_else(|| an.analyze("1").into_iter().flat_map(|s| s.figures).next());
    let Some(mut fig) = template else { return };
    let lead = block.text.len() - block.text.trim_start().len();
    let span = lead as u32..block.text.trim_end().len() as u32;
    fig.value = Value::num(v);
    fig.dim = Dim::Count;
    fig.span = span.clone();
    fig.num_span = span.clone();
    fig.qual_span = None;
    fig.noun_span = None;
    match sentences.first_mut() {
        Some(s) => {
            s.figures = vec![fig];
            sentences.truncate(1);
        }
        None => sentences.push(Sentence {
            span,
            terms: Vec::new(),
            figures: vec![fig],
        }),
    }
}

/// Gives a bare-number cell's figures what its column header says: the
/// header's unit, and a count where the extractor took a lone number for a
/// year in a column that is not one of years.
pub(super) fn retype_cell(
    an: &mut Analyzer<'_>,
    units: &mut Units,
    years: &FxHashSet<Column>,
    fractions: &FxHashSet<Column>,
    block: &Block,
    outer: &OuterContext,
    sentences: &mut [Sentence],
) {
    let Some(col) = column_of(block) else { return };
    if !bare_number(&block.text) {
        return;
    }
    let share = if fractions.contains(&col) {
        units.percent(an)
    } else {
        None
    };
    let header_year = units.year(an, &col.1);
    let unit = units.of(an, &col.1);
    for f in sentences.iter_mut().flat_map(|s| s.figures.iter_mut()) {
        if let (
            Value::Date(DateVal {
                year: Some(y),
                month: None,
                day: None,
            }),
            false,
        ) = (f.value, years.contains(&col))
        {
            f.value = Value::num(y as f64);
            f.dim = Dim::Count;
            f.noun = f.noun.or(outer.noun);
        }
        if f.dim != Dim::Date && f.time.is_none() {
            f.time = header_year;
        }
        // A share written as a fraction is the percentage it is: 0.293 is
        // 29.3 per cent.
        if let (Dim::Count, Some(pct), Value::Num { lo, hi }) = (f.dim, share, f.value) {
            f.dim = pct;
            f.value = Value::Num {
                lo: lo * 100.0,
                hi: hi * 100.0,
            };
            if f.noun.is_some_and(|n| n.inherited) {
                f.noun = None;
            }
        }
        if let (Dim::Count, Some(u)) = (f.dim, unit) {
            f.dim = u;
            // The header's noun names the base of the share ("Below poverty
            // line (%)"), not a thing the cell counts.
            if f.noun.is_some_and(|n| n.inherited) {
                f.noun = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::{Format, Source, data};
    use crate::extract::Dim;
    use crate::index::Index;
    use crate::rules::Rules;

    fn figures(csv: &str) -> Vec<(String, Dim)> {
        let x = data::read_delimited(csv.as_bytes(), b',', Some("t".into())).unwrap();
        let src = Source::from_extracted(std::path::Path::new("t.csv"), Format::Csv, x);
        let corpus = crate::corpus::Corpus {
            sources: vec![src],
            warnings: Vec::new(),
        };
        let ix = Index::build(corpus, &Rules::builtin());
        let mut out = Vec::new();
        for i in 0..ix.sentence_count() as u32 {
            let s = ix.sentence(i);
            let text = ix.source_text(s.source);
            for f in &s.figures {
                out.push((
                    text[f.num_span.start as usize..f.num_span.end as usize].to_string(),
                    f.dim,
                ));
            }
        }
        out
    }

    fn dim_of(figs: &[(String, Dim)], num: &str) -> Dim {
        figs.iter()
            .find(|(t, _)| t == num)
            .unwrap_or_else(|| panic!("{num} in {figs:?}"))
            .1
    }

    fn values(csv: &str) -> Vec<f64> {
        let x = data::read_delimited(csv.as_bytes(), b',', None).unwrap();
        let src = Source::from_extracted(std::path::Path::new("t.csv"), Format::Csv, x);
        let corpus = crate::corpus::Corpus {
            sources: vec![src],
            warnings: Vec::new(),
        };
        let ix = Index::build(corpus, &Rules::builtin());
        (0..ix.sentence_count() as u32)
            .flat_map(|i| ix.sentence(i).figures.clone())
            .filter_map(|f| match f.value {
                crate::extract::Value::Num { lo, hi } if lo == hi => Some(lo),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn signed_and_fractional_cells_are_the_numbers_they_write() {
        assert_eq!(super::cell_number("-13.5"), Some(-13.5));
        assert_eq!(super::cell_number("\u{2212}0.8"), Some(-0.8));
        assert_eq!(super::cell_number("-1,204"), Some(-1204.0));
        assert_eq!(super::cell_number("1/2"), Some(0.5));
        assert_eq!(super::cell_number("½"), Some(0.5));
        assert_eq!(super::cell_number("1½"), Some(1.5));
        assert_eq!(super::cell_number("2 3/4"), Some(2.75));
        assert_eq!(super::cell_number("-¼"), Some(-0.25));
        // What the extractor reads well, and what is no number.
        for t in ["13.5", "4,512", "-", "2021/22", "24/7", "n/a", "1/0"] {
            assert_eq!(super::cell_number(t), None, "{t}");
        }
        assert_eq!(
            values("Area,Change (%),Share\nNorth,-13.5,1/2\nSouth,4.2,¾\n"),
            [-13.5, 0.5, 4.2, 0.75]
        );
    }

    #[test]
    fn a_four_digit_count_is_no_year_outside_a_column_of_years() {
        let figs = figures("Road user,Killed\nCar occupants,1820\nCyclists,312\n");
        assert_eq!(dim_of(&figs, "1820"), Dim::Count);
        // A column of years keeps its years.
        let figs = figures("Event,Year\nFirst census,1801\nLatest census,2021\n");
        assert_eq!(dim_of(&figs, "1801"), Dim::Date);
        assert_eq!(dim_of(&figs, "2021"), Dim::Date);
        // A column of four-digit counts, one of which could be a year.
        let figs = figures("Region,Population (thousands)\nNorth,7367\nIsland,1896\n");
        assert_eq!(dim_of(&figs, "1896"), Dim::Count, "{figs:?}");
    }

    #[test]
    fn a_column_of_fractions_is_one_of_percentages() {
        let csv = "Region,Turnout 2019,Voters,Deaths per 1000,Change (%),Flag,Share\n\
                   North,0.293,1200,0.7,-0.4,1,1/2\nSouth,0.414,900,0.5,0.8,0,¾\n";
        let figs = figures(csv);
        let pct = dim_of(&figures("Area,Share (%)\nNorth,12\n"), "12");
        assert_eq!(dim_of(&figs, "0.293"), pct, "{figs:?}");
        let cells = values(csv);
        assert!(cells.iter().any(|v| (v - 29.3).abs() < 1e-9), "{cells:?}");
        // Counts, a rate per a base, a column already in per cent and a
        // column of ones and noughts keep their numbers.
        assert_eq!(dim_of(&figs, "1200"), Dim::Count);
        assert_eq!(dim_of(&figs, "0.7"), Dim::Count);
        assert!(cells.contains(&-0.4) && cells.contains(&0.7), "{cells:?}");
        // An age in the header is no rate's base.
        let aged = figures("Region,Aged 65 and over\nNorth,0.207\nSouth,0.12\n");
        assert_eq!(dim_of(&aged, "0.207"), pct, "{aged:?}");
        // A fraction as written stays the fraction.
        assert!(cells.contains(&0.5) && cells.contains(&0.75), "{cells:?}");
        assert_eq!(dim_of(&figs, "1"), Dim::Count);
    }

    #[test]
    fn a_bracketed_unit_in_the_header_is_the_cells_unit() {
        let figs = figures("Area,Academies (%),Area (sq km),Pupils\nNorthfield,61.4,186,48213\n");
        assert!(matches!(dim_of(&figs, "61.4"), Dim::Measure(_)), "{figs:?}");
        assert!(matches!(dim_of(&figs, "186"), Dim::Measure(_)), "{figs:?}");
        assert_ne!(dim_of(&figs, "61.4"), dim_of(&figs, "186"));
        // No unit: a count; a scale in brackets is no unit.
        assert_eq!(dim_of(&figs, "48213"), Dim::Count);
        let figs = figures("Area,Population (thousands)\nNorthfield,8212\n");
        assert_eq!(dim_of(&figs, "8212"), Dim::Count);
        // A unit with its of-complement; other words after a unit make no unit.
        let figs = figures("Area,Energy use (tonnes of oil equivalent),Hours (km driven)\nNorthfield,4.51,12\n");
        assert_eq!(
            dim_of(&figs, "4.51"),
            dim_of(&figures("Area,Mass (tonnes)\nNorthfield,3\n"), "3")
        );
        assert_eq!(dim_of(&figs, "12"), Dim::Count, "{figs:?}");
    }
}
