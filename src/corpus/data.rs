//! Data files: CSV and TSV (`csv`), spreadsheets (`.xlsx`, `.xls`, `.ods`,
//! via `calamine`) and JSON arrays of records.
//!
//! Each table becomes a [`Rendition`] table: every cell a block whose
//! context is its column header, its row's label (the first column), and the
//! table's title (the sheet name, else the file's name), so a draft's "3,727
//! deaths in England" finds the `Deaths` column of the `England` row. Each
//! cell's [`Locator::Cell`] is its row and column as a spreadsheet shows them
//! (the header is row 1). Values are written as stored: a spreadsheet's
//! unrounded 3726.69, not the 3,727 its format displays. Not read: formulas
//! (their cached values are), charts, comments, merged-cell layout, number
//! formats (a percentage cell reads as 0.293).

use std::path::Path;

use calamine::{Data, Reader};

use super::render::Rendition;
use super::{Extracted, Locator, Meta, Unreadable, lossy};

/// A table of text cells, the header first.
type Table = Vec<Vec<String>>;

fn render(
    tables: Vec<(Option<String>, Table, (u32, u32))>,
    meta: Meta,
    notes: &[String],
) -> Result<Extracted, Unreadable> {
    let mut out = Rendition::default();
    out.with_notes(notes.to_vec());
    let headers: Vec<&String> = tables
        .iter()
        .filter_map(|(_, rows, _)| rows.first())
        .flatten()
        .collect();
    for clause in period_clauses(notes, meta.title.as_deref(), &headers) {
        out.paragraph(&clause);
    }
    let many = tables.len() > 1;
    for (name, rows, (row0, col0)) in tables {
        if rows.len() < 2 {
            continue;
        }
        if many && let Some(n) = &name {
            out.heading(2, n);
        }
        out.table(&rows, name.as_deref(), |r, c| {
            Some(Locator::Cell {
                row: row0 + r as u32 + 1,
                column: col0 + c as u32 + 1,
            })
        });
    }
    if out.is_empty() {
        return Err(Unreadable("the file holds no table with a header and data rows".into()));
    }
    Ok(out.finish(meta))
}

/// The years a text writes as years: four digits standing alone, from 1000
/// to 2999 ("Change 1981-1996 (%)" holds 1981 and 1996).
pub fn years_in(text: &str) -> Vec<i32> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) && matches!(w.as_bytes()[0], b'1' | b'2'))
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// A text that is a year and nothing else ("1998", a table's row label or a
/// column's cell): the row or column is that year's. A label with words
/// ("1998 address"), a range ("1998-99") or a four-digit count outside the
/// years ("7367") is none.
pub fn lone_year(text: &str) -> Option<i32> {
    let t = text.trim();
    match years_in(t)[..] {
        [y] if t.len() == 4 => Some(y),
        _ => None,
    }
}

fn holds_year(text: &str) -> bool {
    !years_in(text).is_empty()
}

/// What may tell the time a table's figures are for, written before the
/// table so its rendition states it: the data note's clauses that hold a
/// year and speak of no one column ("The figures are for 1996"; not "The
/// change column compares each area with 1981", which is that column's),
/// then the table's title when it holds one ("council areas 1996", from the
/// file's name). The checker reads the period from these sentences (see
/// `check::period`): the draft's "in 1996" on a cell's fact is the table's
/// time, stated there, and not a figure of any cell.
fn period_clauses(notes: &[String], title: Option<&str>, headers: &[&String]) -> Vec<String> {
    let mut out: Vec<String> = notes
        .iter()
        .filter(|n| holds_year(n) && !headers.iter().any(|h| super::render::names_column(n, h)))
        .cloned()
        .collect();
    out.extend(title.filter(|t| holds_year(t)).map(str::to_string));
    out.dedup();
    out
}

/// Reads a CSV (`delimiter` b',') or TSV (b'\t') file. The first row is the header.
pub fn read_delimited(bytes: &[u8], delimiter: u8, title: Option<String>) -> Result<Extracted, Unreadable> {
    read_delimited_noted(bytes, delimiter, title, &[])
}

/// [`read_delimited`], its columns read with the clauses of a data note.
pub fn read_delimited_noted(
    bytes: &[u8],
    delimiter: u8,
    title: Option<String>,
    notes: &[String],
) -> Result<Extracted, Unreadable> {
    let text = lossy(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| Unreadable(format!("the table is malformed ({e})")))?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>());
    }
    render(vec![(title.clone(), rows, (0, 0))], titled(title), notes)
}

fn titled(title: Option<String>) -> Meta {
    Meta {
        title,
        ..Meta::default()
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        d => d.to_string(),
    }
}

/// Reads a workbook: every sheet with a header and data rows.
pub fn read_workbook(bytes: &[u8], title: Option<String>, notes: &[String]) -> Result<Extracted, Unreadable> {
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
        let msg = e.to_string();
        if msg.to_ascii_lowercase().contains("password") || msg.to_ascii_lowercase().contains("encrypt") {
            Unreadable("the workbook is encrypted and needs a password".into())
        } else {
            Unreadable(format!("the workbook is damaged or not a spreadsheet ({msg})"))
        }
    })?;
    let mut tables = Vec::new();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| Unreadable(format!("cannot read sheet {name:?} ({e})")))?;
        let start = range.start().unwrap_or((0, 0));
        let rows: Table = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        tables.push((Some(name), rows, start));
    }
    render(tables, titled(title), notes)
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// A JSON object with its keys in file order (`serde_json`'s map sorts them).
struct Record(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Record, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Record;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a record (an object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Record, A::Error> {
                let mut out = Vec::new();
                while let Some(kv) = m.next_entry::<String, serde_json::Value>()? {
                    out.push(kv);
                }
                Ok(Record(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The records of a JSON data file: an array of objects, or an object with
/// one such array among its fields.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Records {
    List(Vec<Record>),
    Wrapped(std::collections::BTreeMap<String, Field>),
}

/// A field of a wrapping object: records, or anything else.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Field {
    Rows(Vec<Record>),
    Other(serde::de::IgnoredAny),
}

/// Reads a JSON array of records (objects), or an object holding one.
pub fn read_json(bytes: &[u8], title: Option<String>, notes: &[String]) -> Result<Extracted, Unreadable> {
    let not_records = || Unreadable("JSON is read when it is an array of records (objects)".into());
    let parsed: Records = serde_json::from_slice(bytes).map_err(|e| {
        if serde_json::from_slice::<serde_json::Value>(bytes).is_err() {
            Unreadable(format!("not valid JSON ({e})"))
        } else {
            not_records()
        }
    })?;
    let records = match parsed {
        Records::List(r) => r,
        Records::Wrapped(o) => {
            let mut arrays: Vec<Vec<Record>> = o
                .into_values()
                .filter_map(|f| match f {
                    Field::Rows(r) if !r.is_empty() => Some(r),
                    _ => None,
                })
                .collect();
            match arrays.len() {
                1 => arrays.remove(0),
                _ => return Err(not_records()),
            }
        }
    };
    if records.is_empty() {
        return Err(not_records());
    }
    let mut header: Vec<String> = Vec::new();
    for r in &records {
        for (k, _) in &r.0 {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
    }
    let mut rows = vec![header.clone()];
    for r in &records {
        rows.push(
            header
                .iter()
                .map(|k| {
                    r.0.iter()
                        .find(|(x, _)| x == k)
                        .map(|(_, v)| json_text(v))
                        .unwrap_or_default()
                })
                .collect(),
        );
    }
    render(vec![(title.clone(), rows, (0, 0))], titled(title), notes)
}

/// The clauses of the data notes beside a data file: the text and Markdown
/// files of its folder (small ones: a note, not an article), cut into
/// clauses. A clause naming a column (its header's words) reads as part of
/// the header, so "Population is given in thousands" scales the
/// `Population` column as "Population (thousands)" would.
pub fn sibling_notes(path: &Path) -> Vec<String> {
    /// A note is short; a longer file beside the data is an article.
    const MAX_NOTE: u64 = 64 * 1024;
    const MAX_NOTES: usize = 16;
    let Some(dir) = path.parent() else {
        return Vec::new();
    };
    // A table with no folder (an e-mail's attachment) has no note beside it.
    if dir.as_os_str().is_empty() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.metadata().is_ok_and(|m| m.is_file() && m.len() <= MAX_NOTE))
        .map(|e| e.path())
        .filter(|p| matches!(super::Format::of(p), Some(f) if f.is_plain()))
        .collect();
    files.sort();
    files
        .iter()
        .take(MAX_NOTES)
        .filter_map(|p| std::fs::read(p).ok())
        .flat_map(|b| super::render::note_clauses(&lossy(&b)))
        .collect()
}

/// The data tables among `files` that read a note among `changed`: those
/// in the folder of a changed (added, removed) text or Markdown file, as
/// [`sibling_notes`] reads them. A table's facts depend on its notes, so
/// they are read again with them.
pub fn tables_noted_by<'p>(
    changed: impl IntoIterator<Item = &'p std::path::PathBuf>,
    files: &[std::path::PathBuf],
) -> Vec<std::path::PathBuf> {
    let dirs: Vec<&Path> = changed
        .into_iter()
        .filter(|p| super::Format::of(p).is_some_and(super::Format::is_plain))
        .filter_map(|p| p.parent())
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    if dirs.is_empty() {
        return Vec::new();
    }
    let same_dir = |a: &Path, b: &Path| a == b || std::path::absolute(a).ok() == std::path::absolute(b).ok();
    files
        .iter()
        .filter(|f| super::Format::of(f).is_some_and(super::Format::is_data))
        .filter(|f| f.parent().is_some_and(|p| dirs.iter().any(|d| same_dir(p, d))))
        .cloned()
        .collect()
}

/// A data file's title when it has none of its own: its name, words apart
/// ("road-deaths_2023.csv" is "road deaths 2023").
pub fn title_of(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy();
    let t = stem.replace(['-', '_', '.'], " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_lone_year_is_four_digits_of_a_year_and_nothing_else() {
        use super::lone_year;
        assert_eq!(lone_year("1998"), Some(1998));
        assert_eq!(lone_year(" 2019 "), Some(2019));
        // Words, ranges and other numbers are no one year.
        assert_eq!(lone_year("1998 address"), None);
        assert_eq!(lone_year("1998-99"), None);
        assert_eq!(lone_year("Both years"), None);
        assert_eq!(lone_year("4500"), None);
        assert_eq!(lone_year("7367"), None);
    }

    use super::*;

    #[test]
    fn csv_cells_with_headers_and_locators() {
        let x = read_delimited(
            b"Region,Deaths,Population (thousands)\nEngland,3726.69,4512\nWales,210.5,3100\n",
            b',',
            None,
        )
        .unwrap();
        let blocks = x.blocks.as_ref().unwrap();
        let cell = blocks.iter().find(|b| b.text == "3726.69").unwrap();
        assert_eq!(cell.context[..2], ["Deaths".to_string(), "England".to_string()]);
        let at = cell.map.range(0..1).start;
        assert_eq!(
            super::super::locator_at(&x.locators, at),
            Some(Locator::Cell { row: 2, column: 2 })
        );
        let wales = blocks.iter().find(|b| b.text == "3100").unwrap();
        assert_eq!(
            super::super::locator_at(&x.locators, wales.map.range(0..1).start),
            Some(Locator::Cell { row: 3, column: 3 })
        );
    }

    #[test]
    fn json_records() {
        let x = read_json(
            br#"{"rows": [{"region": "England", "rate": 29.3}, {"region": "Wales", "rate": null}]}"#,
            None,
            &[],
        )
        .unwrap();
        assert!(x.text.contains("| England | 29.3 |"), "{}", x.text);
        assert!(read_json(b"[1, 2]", None, &[]).is_err());
        assert!(read_json(b"{", None, &[]).is_err());
    }

    #[test]
    fn header_only_is_unreadable() {
        assert!(read_delimited(b"a,b\n", b',', None).is_err());
    }

    #[test]
    fn the_period_is_told_before_the_table() {
        let notes = super::super::render::note_clauses(
            "The figures are for 2011. The change column compares each district with 2001. \
             Population is in thousands.",
        );
        let x = read_delimited_noted(
            b"District,Population,Change 2001-2011 (%)\nNorthmere,412,-13.5\n",
            b',',
            Some("districts 2011".into()),
            &notes,
        )
        .unwrap();
        let table = x.text.find("| District").unwrap();
        assert_eq!(x.text[..table].trim(), "The figures are for 2011\n\ndistricts 2011");
        // No year in the note or the title: nothing is told.
        let x = read_delimited_noted(
            b"District,Population\nNorthmere,412\n",
            b',',
            Some("districts".into()),
            &notes[2..],
        )
        .unwrap();
        assert!(x.text.starts_with("| District"), "{}", x.text);
    }

    #[test]
    fn titles_from_names() {
        assert_eq!(
            title_of(Path::new("x/road-deaths_2023.csv")).as_deref(),
            Some("road deaths 2023")
        );
    }
}
