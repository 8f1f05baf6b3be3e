//! Word (`.docx`) and OpenDocument (`.odt`) files: paragraphs, headings and
//! tables, in document order.
//!
//! Both are zip packages of XML; the body is streamed with `quick-xml` and
//! written as a [`Rendition`]: headings as headings, tables as tables whose
//! cells carry their row and column headers. Metadata (title, author, date)
//! comes from `docProps/core.xml` or `meta.xml`. Not read: text boxes and
//! shapes, headers and footers, footnotes and comments, tracked deletions.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::render::Rendition;
use super::{Extracted, Meta, Unreadable};

/// The element names of one format's body.
struct Names {
    para: &'static [&'static str],
    heading: &'static str,
    text: &'static [&'static str],
    space: &'static [&'static str],
    table: &'static str,
    row: &'static str,
    cell: &'static str,
    /// Skipped with all they hold.
    skip: &'static [&'static str],
}

const DOCX: Names = Names {
    para: &["w:p"],
    heading: "",
    text: &["w:t"],
    space: &["w:tab", "w:br", "w:cr"],
    table: "w:tbl",
    row: "w:tr",
    cell: "w:tc",
    skip: &["w:del", "w:instrText", "w:footnoteReference", "mc:Fallback"],
};

const ODT: Names = Names {
    para: &["text:p", "text:h"],
    heading: "text:h",
    text: &[],
    space: &["text:s", "text:tab", "text:line-break"],
    table: "table:table",
    row: "table:table-row",
    cell: "table:table-cell",
    skip: &["office:annotation", "text:note", "text:tracked-changes"],
};

fn zip_part(bytes: &[u8], name: &str) -> Result<Option<String>, Unreadable> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| Unreadable(format!("the file is damaged or not an office document ({e})")))?;
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m)) => {
            return Err(Unreadable(format!(
                "the document is encrypted or packed in an unsupported way ({m})"
            )));
        }
        Err(e) => return Err(Unreadable(format!("cannot read {name} ({e})"))),
    };
    let mut s = String::new();
    f.read_to_string(&mut s)
        .map_err(|e| Unreadable(format!("cannot read {name} ({e})")))?;
    Ok(Some(s))
}

/// Reads a `.docx`.
pub fn read_docx(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let body = zip_part(bytes, "word/document.xml")?
        .ok_or_else(|| Unreadable("not a Word document (no word/document.xml)".into()))?;
    let meta = zip_part(bytes, "docProps/core.xml")?
        .map(|m| core_meta(&m))
        .unwrap_or_default();
    walk(&body, &DOCX, meta)
}

/// Reads an `.odt`.
pub fn read_odt(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    if zip_part(bytes, "META-INF/manifest.xml")?.is_some_and(|m| m.contains("encryption-data")) {
        return Err(Unreadable("the document is encrypted and needs a password".into()));
    }
    let body = zip_part(bytes, "content.xml")?
        .ok_or_else(|| Unreadable("not an OpenDocument text (no content.xml)".into()))?;
    let meta = zip_part(bytes, "meta.xml")?.map(|m| core_meta(&m)).unwrap_or_default();
    walk(&body, &ODT, meta)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| quick_xml::escape::unescape(&a.value).ok().map(|v| v.into_owned()))
}

/// The heading level a Word paragraph style names: "Title" 1, "Heading2" 2.
fn docx_heading(style: &str) -> Option<u8> {
    let s = style.to_ascii_lowercase();
    if s == "title" {
        return Some(1);
    }
    s.strip_prefix("heading").and_then(|n| n.trim().parse::<u8>().ok())
}

/// Where the walk is in the body.
#[derive(Default)]
struct State {
    para: String,
    heading: Option<u8>,
    in_text: bool,
    skip: usize,
    /// Tables being read (nested tables are flattened into their cell).
    tables: Vec<Vec<Vec<String>>>,
    cell: Option<String>,
}

fn walk(xml: &str, names: &Names, meta: Meta) -> Result<Extracted, Unreadable> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Rendition::default();
    let mut st = State::default();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| Unreadable(format!("the document's XML is damaged ({e})")))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name();
                let name = name.as_ref();
                if st.skip > 0 || names.skip.contains(&name) {
                    st.skip += 1;
                    continue;
                }
                start(&e, name, names, &mut st, &mut out, false);
            }
            Event::Empty(e) => {
                let name = e.name();
                let name = name.as_ref();
                if st.skip == 0 {
                    start(&e, name, names, &mut st, &mut out, true);
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if st.skip > 0 {
                    st.skip -= 1;
                    continue;
                }
                end(name, names, &mut st, &mut out);
            }
            Event::Text(t) if st.skip == 0 && (st.in_text || names.text.is_empty()) => {
                st.para.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if st.skip == 0 && (st.in_text || names.text.is_empty()) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    st.para.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(&r) {
                    st.para.push_str(s);
                }
            }
            _ => {}
        }
    }
    if out.is_empty() {
        return Err(Unreadable("the document has no text".into()));
    }
    Ok(out.finish(meta))
}

fn start(e: &BytesStart<'_>, name: &str, names: &Names, st: &mut State, out: &mut Rendition, empty: bool) {
    if names.text.contains(&name) {
        st.in_text = !empty;
    } else if names.space.contains(&name) {
        let n = attr(e, "text:c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1);
        st.para.push_str(&" ".repeat(n.min(8)));
    } else if names.para.contains(&name) {
        st.para.clear();
        st.heading =
            (name == names.heading).then(|| attr(e, "text:outline-level").and_then(|l| l.parse().ok()).unwrap_or(1));
        if empty {
            end(name, names, st, out);
        }
    } else if name == "w:pStyle" {
        st.heading = attr(e, "w:val").as_deref().and_then(docx_heading);
    } else if name == names.table {
        st.tables.push(Vec::new());
    } else if name == names.row {
        if let Some(t) = st.tables.last_mut() {
            t.push(Vec::new());
        }
    } else if name == names.cell {
        st.cell = Some(String::new());
        if empty {
            end(name, names, st, out);
        }
    }
}

fn end(name: &str, names: &Names, st: &mut State, out: &mut Rendition) {
    if names.text.contains(&name) {
        st.in_text = false;
    } else if names.para.contains(&name) {
        let text = std::mem::take(&mut st.para);
        if let Some(cell) = st.cell.as_mut() {
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(text.trim());
        } else if let Some(level) = st.heading.take() {
            out.heading(level, &text);
        } else {
            out.paragraph(&text);
        }
        st.heading = None;
    } else if name == names.cell {
        let cell = st.cell.take().unwrap_or_default();
        if let Some(row) = st.tables.last_mut().and_then(|t| t.last_mut()) {
            row.push(cell);
        }
    } else if name == names.table
        && let Some(rows) = st.tables.pop()
    {
        match st.tables.last_mut().and_then(|t| t.last_mut()) {
            // A nested table reads as text of its outer cell.
            Some(_) => {
                let flat: Vec<String> = rows.into_iter().map(|r| r.join(" ")).collect();
                st.cell = Some(flat.join(" "));
            }
            None => out.table(&rows, None, |_, _| None),
        }
    }
}

/// Title, creator and date from Dublin Core metadata (`docProps/core.xml`
/// or `meta.xml`).
fn core_meta(xml: &str) -> Meta {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut meta = Meta::default();
    let mut cur: Option<String> = None;
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Eof => break,
            Event::Start(e) => cur = Some(e.name().as_ref().to_string()),
            Event::End(_) => cur = None,
            Event::Text(t) => {
                let v = t.xml10_content().trim().to_string();
                if v.is_empty() {
                    continue;
                }
                match cur.as_deref() {
                    Some("dc:title") => meta.title = Some(v),
                    Some("dc:creator" | "meta:initial-creator") if meta.author.is_none() => meta.author = Some(v),
                    Some("dcterms:created" | "meta:creation-date") => meta.date = super::html::iso_date(&v),
                    Some("dc:date") if meta.date.is_none() => meta.date = super::html::iso_date(&v),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_body_headings_and_tables() {
        let xml = r#"<w:document><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Rescue figures</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Police rescued </w:t></w:r><w:r><w:t>382 babies &amp; more.</w:t></w:r><w:del><w:r><w:t>900</w:t></w:r></w:del></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Province</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Arrested</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>Anhui</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>43</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#;
        let x = walk(xml, &DOCX, Meta::default()).unwrap();
        assert!(x.text.starts_with("# Rescue figures\n"), "{}", x.text);
        assert!(x.text.contains("Police rescued 382 babies & more."), "{}", x.text);
        assert!(!x.text.contains("900"), "a tracked deletion is not text: {}", x.text);
        let blocks = x.blocks.unwrap();
        let cell = blocks.iter().find(|b| b.text == "43").unwrap();
        assert_eq!(cell.context[..2], ["Arrested".to_string(), "Anhui".to_string()]);
    }

    #[test]
    fn odt_body() {
        let xml = r#"<office:document-content><office:body><office:text>
<text:h text:outline-level="2">Statement</text:h>
<text:p>Officers<text:s/>held <text:span>27</text:span> suspects.</text:p>
<office:annotation><text:p>Check 99</text:p></office:annotation>
</office:text></office:body></office:document-content>"#;
        let x = walk(xml, &ODT, Meta::default()).unwrap();
        assert!(x.text.contains("## Statement"), "{}", x.text);
        assert!(x.text.contains("Officers held 27 suspects."), "{}", x.text);
        assert!(!x.text.contains("99"));
    }

    #[test]
    fn metadata() {
        let m = core_meta(
            r#"<cp:coreProperties><dc:title>Notes</dc:title><dc:creator>Ann Lee</dc:creator><dcterms:created>2014-02-28T10:00:00Z</dcterms:created></cp:coreProperties>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Notes"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        assert_eq!(m.date.as_deref(), Some("2014-02-28"));
    }

    #[test]
    fn not_a_zip() {
        assert!(read_docx(b"plain words").is_err());
    }
}
