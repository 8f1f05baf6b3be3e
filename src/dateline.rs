//! When a source was published: its front matter `date`, else a date line at
//! its top: "Updated: 2013-10-23", a wire dateline ("LONDON, March 2
//! (Reuters) -"), a line under the title that is only a date, or a workspace
//! pattern (`[dates] patterns` in the rules). A source with none stays
//! undated; nothing is guessed from dates inside the story.
//!
//! Dates are read with the extractor's own date reading (month names come
//! from the rules), so "4 May 2011", "May 4, 2011" and "2011-05-04" are one date.

use std::cmp::Ordering;

use crate::extract::{Analyzer, DateVal, Dim, Value};
use crate::index::Facts;
use crate::rules::Rules;

/// A source's date, and how the source writes it (shown in messages).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDate {
    pub value: DateVal,
    pub text: String,
}

impl SourceDate {
    /// Which of two dates is later; `None` when they cannot be ordered (they
    /// agree as far as both go and one goes further: "May 2011" against
    /// "4 May 2011"; or one has no year and cannot be placed by the other).
    ///
    /// A wire's dateline gives month and day but no year ("LONDON, March 16
    /// (Reuters) -"): it is the current year of the story, and the sources
    /// compared here are always sources of one fact. So a year-less date
    /// takes the year that puts it nearest the other, dated one, when that is
    /// within a quarter of a year ("March 16" after "2 March 2026", "December
    /// 30" before "3 January 2027"); further apart, the two need not be of one
    /// running story and the year is unknown.
    pub fn order(&self, other: &SourceDate) -> Option<Ordering> {
        let (mut a, mut b) = (self.value, other.value);
        match (a.year, b.year) {
            (None, Some(_)) => a.year = Some(year_near(a, b)?),
            (Some(_), None) => b.year = Some(year_near(b, a)?),
            _ => {}
        }
        let parts = [
            (a.year, b.year),
            (a.month.map(i32::from), b.month.map(i32::from)),
            (a.day.map(i32::from), b.day.map(i32::from)),
        ];
        for (x, y) in parts {
            match (x, y) {
                (Some(x), Some(y)) if x != y => return Some(x.cmp(&y)),
                (Some(_), Some(_)) | (None, None) => {}
                _ => return None,
            }
        }
        Some(Ordering::Equal)
    }
}

/// The year that puts the year-less `date` (a month at least) nearest the
/// dated `near`, if within a quarter of a year (three months) of it.
fn year_near(date: DateVal, near: DateVal) -> Option<i32> {
    let (y, m) = (near.year?, near.month?);
    let month = date.month?;
    // Months as a continuous count, the day as a fraction of a month.
    let at = |y: i32, m: u8, d: Option<u8>| f64::from(y) * 12.0 + f64::from(m) + f64::from(d.unwrap_or(15)) / 31.0;
    let there = at(y, m, near.day);
    [y - 1, y, y + 1]
        .into_iter()
        .map(|c| (c, (at(c, month, date.day) - there).abs()))
        .filter(|&(_, gap)| gap <= 3.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// The first date stated in `text` with at least a month or a year.
pub fn parse(rules: &Rules, text: &str) -> Option<SourceDate> {
    parse_with(&mut Analyzer::new(rules), text)
}

/// [`parse`] with the caller's analyzer (an index build's, whose stem cache
/// is warm), read as of no known year, as a fresh one would.
pub fn parse_with(an: &mut Analyzer<'_>, text: &str) -> Option<SourceDate> {
    if !an.may_date(text) {
        return None;
    }
    let year = an.text_year();
    an.set_text_year(None);
    let sentences = an.analyze(text);
    an.set_text_year(year);
    sentences
        .iter()
        .flat_map(|s| s.figures.iter())
        .find_map(|f| match (f.dim, f.value) {
            (Dim::Date, Value::Date(d)) if d.month.is_some() || d.year.is_some() => Some(SourceDate {
                value: d,
                text: text[f.num_span.start as usize..f.num_span.end as usize].to_string(),
            }),
            _ => None,
        })
}

/// The date a source's first lines give, if any. `text` is the whole file.
pub fn from_head(rules: &Rules, text: &str) -> Option<SourceDate> {
    from_head_with(&mut Analyzer::new(rules), text)
}

/// [`from_head`] with the caller's analyzer: an index build reads every
/// source's first lines, and a fresh analyzer for each stemmed their words anew.
pub fn from_head_with(an: &mut Analyzer<'_>, text: &str) -> Option<SourceDate> {
    let rules = an.rules();
    let start = crate::markdown::front_matter(text).map_or(0, |f| f.range.end);
    let lines = text[start..]
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || matches!(c, '#' | '*' | '_' | '>')))
        .filter(|l| !l.is_empty())
        .take(rules.dates.head_lines);
    for line in lines {
        // A long line is the story itself, not a date line.
        if line.chars().count() > 300 {
            continue;
        }
        for re in &rules.dates.patterns {
            if let Some(c) = re.captures(line) {
                let m = c.name("date").or_else(|| c.get(0))?;
                if let Some(d) = parse_with(an, m.as_str()) {
                    return Some(d);
                }
            }
        }
        if let Some(d) = marked(an, line)
            .or_else(|| wire_dateline(an, line))
            .or_else(|| bare(an, line))
            .or_else(|| trailing(an, line))
        {
            return Some(d);
        }
    }
    None
}

/// "Updated: 2013-10-23", "Published 4 May 2011": a marker word opens the line.
fn marked(an: &mut Analyzer<'_>, line: &str) -> Option<SourceDate> {
    let rules = an.rules();
    let first = line.split(|c: char| !c.is_alphabetic()).next()?;
    if first.is_empty()
        || !rules
            .dates
            .markers
            .contains(&crate::text::word_hash(&first.to_lowercase()))
    {
        return None;
    }
    // Short, so that a sentence opening with "First" is not a date line.
    (line.split_whitespace().count() <= 10).then(|| parse_with(an, line))?
}

/// "LONDON, March 2 (Reuters) -": a place in capitals, a comma, a date, then
/// an agency in brackets or a dash.
fn wire_dateline(an: &mut Analyzer<'_>, line: &str) -> Option<SourceDate> {
    wire_dateline_at(an, line).map(|(d, _)| d)
}

/// Where the date of a wire dateline opening `text` ends, in bytes: the
/// date is the source's own, not a figure of its story ("LONDON, March 2
/// (Reuters) - ... closing price on 27 February").
pub fn wire_dateline_end(an: &mut Analyzer<'_>, text: &str) -> Option<usize> {
    let line = text.lines().next()?;
    wire_dateline_at(an, line).map(|(_, end)| end)
}

fn wire_dateline_at(an: &mut Analyzer<'_>, line: &str) -> Option<(SourceDate, usize)> {
    let comma = line.find(',')?;
    let place = &line[..comma];
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().any(|c| !c.is_uppercase()) {
        return None;
    }
    let rest = &line[comma + 1..];
    let d = parse_with(an, rest)?;
    let at = rest.find(&d.text)?;
    let end = comma + 1 + at + d.text.len();
    let after = line[end..].trim_start();
    after.starts_with(['(', '-', '–', '—', ':']).then_some((d, end))
}

/// A title or heading line that ends in a full date after a separator:
/// "Address before Congress, January 23, 1996", "Budget statement | 4 May
/// 2011". Transcripts and releases are titled so. The date must have a year
/// and a month and close the line, so a headline about a date ("Storm of
/// January 1996 recalled") is not one.
fn trailing(an: &mut Analyzer<'_>, line: &str) -> Option<SourceDate> {
    const SEPARATORS: [char; 5] = [',', '|', '–', '—', '('];
    let line = line.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    // The byte range of the last separator before byte `end` (a separator
    // may be several bytes long: "—").
    let last_separator = |end: usize| {
        line[..end]
            .char_indices()
            .rev()
            .find(|(_, c)| SEPARATORS.contains(c))
            .map(|(i, c)| (i, i + c.len_utf8()))
    };
    let (i, after) = last_separator(line.len())?;
    // "January 23, 1996": the comma inside the date is not the separator.
    let start = match last_separator(i) {
        Some((_, after_j)) if parse_with(an, &line[after_j..]).is_some_and(|d| d.value.day.is_some()) => after_j,
        _ => after,
    };
    let tail = line[start..].trim_end_matches(')');
    let d = parse_with(an, tail)?;
    let rest = tail.replacen(&d.text, "", 1);
    let clean = rest.trim().is_empty() || rest.trim().chars().all(|c| !c.is_alphanumeric());
    (clean && d.value.year.is_some() && d.value.month.is_some()).then_some(d)
}

/// A line that is a date and little else ("Tuesday, 4 May 2011").
fn bare(an: &mut Analyzer<'_>, line: &str) -> Option<SourceDate> {
    let d = parse_with(an, line)?;
    let rest = line.replacen(&d.text, "", 1);
    let words = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count();
    (words <= 1 && !rest.chars().any(|c| c.is_ascii_digit())).then_some(d)
}

/// A source's date: front matter first, then its first lines.
pub fn source_date(index: &dyn Facts, rules: &Rules, id: u32) -> Option<SourceDate> {
    if let Some(d) = index.get_source(id)?.date.as_deref().and_then(|t| parse(rules, t)) {
        return Some(d);
    }
    from_head(rules, &index.source_text(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Option<(Option<i32>, Option<u8>, Option<u8>)> {
        let rules = Rules::builtin();
        from_head(&rules, text).map(|d| (d.value.year, d.value.month, d.value.day))
    }

    #[test]
    fn only_a_line_with_a_number_or_a_month_is_read_for_a_date() {
        let rules = Rules::builtin();
        let mut an = Analyzer::new(&rules);
        for (text, may) in [
            ("Storm recalled by survivors", false),
            ("Rain fell last year", false),
            ("Published in May", true),
            ("Updated 2013-10-23", true),
            ("Flood of the 1990s", true),
        ] {
            assert_eq!(an.may_date(text), may, "{text}");
        }
        // Read as of no known year, and the caller's year kept.
        an.set_text_year(Some(2011));
        assert_eq!(parse_with(&mut an, "Rain fell last year"), None);
        assert_eq!(
            parse_with(&mut an, "Published in May 2010").map(|d| d.value.year),
            Some(Some(2010))
        );
        assert_eq!(an.text_year(), Some(2011));
    }

    #[test]
    fn a_title_that_ends_in_a_full_date_dates_the_source() {
        assert_eq!(
            head("President's Address to Congress, January 23, 1996\n\nThank you."),
            Some((Some(1996), Some(1), Some(23)))
        );
        assert_eq!(
            head("Budget statement | 4 May 2011\n\nText."),
            Some((Some(2011), Some(5), Some(4)))
        );
        assert_eq!(
            head("Remarks at the port (March 2011)\nText."),
            Some((Some(2011), Some(3), None))
        );
        // A headline about a date, or a date mid-line, is no date line.
        assert_eq!(head("Storm of January 1996 recalled\n\nRain fell."), None);
        assert_eq!(head("Flood, January 1996, recalled by survivors\n\nRain fell."), None);
        assert_eq!(
            head("Council votes, 1996\n\nRain fell."),
            None,
            "a year alone is no date line"
        );
    }

    #[test]
    fn date_lines() {
        assert_eq!(
            head("Port busier\nUpdated: 2013-10-23\n\nText."),
            Some((Some(2013), Some(10), Some(23)))
        );
        assert_eq!(
            head("Published 4 May 2011\nShips."),
            Some((Some(2011), Some(5), Some(4)))
        );
        assert_eq!(
            head("LONDON, March 2 (Reuters) - Ships waited."),
            Some((None, Some(3), Some(2)))
        );
        assert_eq!(head("SYDNEY, Dec 24 - Fires burned."), Some((None, Some(12), Some(24))));
        assert_eq!(
            head("# Fires rage\n\nTuesday, 25 December 2001\n\nText."),
            Some((Some(2001), Some(12), Some(25)))
        );
        assert_eq!(
            head("---\ntitle: T\n---\nMay 4, 2011\nText."),
            Some((Some(2011), Some(5), Some(4)))
        );
    }

    #[test]
    fn story_dates_are_not_source_dates() {
        // A date inside the story, a title with a date in it, a lower-case place.
        assert_eq!(head("Police said on March 2 that 40 ships had left."), None);
        assert_eq!(head("The fires of 4 May 2011 and after"), None);
        assert_eq!(head("London, March 2 was the day the ships left."), None);
        assert_eq!(
            head("First, on 4 May 2011, the port opened to 412 ships and many more."),
            None
        );
        assert_eq!(
            head("Ships waited.\nMore ships.\nEven more.\nAnd more.\nUpdated: 2013-10-23"),
            None
        );
    }

    #[test]
    fn workspace_patterns() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("house.toml");
        std::fs::write(&file, "[dates]\npatterns = ['^Zuletzt geändert am (?P<date>.+)$']\n").unwrap();
        let rules = Rules::load(&[file]).unwrap();
        let text = "Zuletzt geändert am 2013-10-23\nText.";
        assert_eq!(from_head(&rules, text).unwrap().value.year, Some(2013));
        assert!(from_head(&Rules::builtin(), text).is_none());
    }

    #[test]
    fn ordering() {
        let rules = Rules::builtin();
        let d = |t: &str| parse(&rules, t).unwrap();
        assert_eq!(d("4 May 2011").order(&d("2 May 2011")), Some(Ordering::Greater));
        assert_eq!(d("May 4, 2011").order(&d("2011-05-04")), Some(Ordering::Equal));
        assert_eq!(d("March 2").order(&d("March 5")), Some(Ordering::Less));
        assert_eq!(d("May 2011").order(&d("4 May 2011")), None);
    }

    #[test]
    fn a_year_less_date_is_placed_in_the_year_nearest_the_dated_one() {
        let d = |t: &str| parse(&Rules::builtin(), t).unwrap();
        // A wire's "March 16" after the release of 2 March 2026, and before it
        // when it is the earlier day.
        assert_eq!(d("March 16").order(&d("2 March 2026")), Some(Ordering::Greater));
        assert_eq!(d("2 March 2026").order(&d("March 16")), Some(Ordering::Less));
        assert_eq!(d("February 27").order(&d("2 March 2026")), Some(Ordering::Less));
        // Across the turn of a year: 30 December before 3 January 2027.
        assert_eq!(d("December 30").order(&d("3 January 2027")), Some(Ordering::Less));
        assert_eq!(d("January 3").order(&d("30 December 2026")), Some(Ordering::Greater));
        // More than a quarter of a year from the dated one, in any year: no
        // year can be told.
        assert_eq!(d("March 2").order(&d("4 October 2011")), None);
        assert_eq!(d("September 2").order(&d("4 March 2011")), None);
        assert_eq!(d("June 20").order(&d("4 March 2011")), None);
        assert_eq!(d("May 30").order(&d("4 March 2011")), Some(Ordering::Greater));
        // Two year-less dates still order by month and day.
        assert_eq!(d("March 2").order(&d("March 5")), Some(Ordering::Less));
    }
}
