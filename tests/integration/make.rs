//! Writers of real source files for the tests: PDFs (`lopdf`), Word and
//! OpenDocument files and spreadsheets (zip packages of XML), saved web pages.
//! Each takes a [`Doc`]: a title, a date and paragraphs (the first may be a
//! heading), so one article can be written in every format.

use std::io::Write;

/// An article: what every writer here writes.
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    pub date: Option<String>,
    /// Paragraphs in order; `#`-led ones are headings.
    pub paras: Vec<String>,
}

impl Doc {
    /// Reads an example source (`.txt`, or `.md` with front matter and `#` headings).
    pub fn from_source(text: &str) -> Doc {
        let mut title = None;
        let mut date = None;
        let mut body = text;
        if let Some(rest) = text.strip_prefix("---\n")
            && let Some(end) = rest.find("\n---\n")
        {
            for line in rest[..end].lines() {
                if let Some((k, v)) = line.split_once(':') {
                    match k.trim() {
                        "title" => title = Some(v.trim().to_string()),
                        "date" => date = Some(v.trim().to_string()),
                        _ => {}
                    }
                }
            }
            body = &rest[end + 5..];
        }
        let paras: Vec<String> = body
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect();
        let title = title.unwrap_or_else(|| paras[0].trim_start_matches("# ").to_string());
        Doc { title, date, paras }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn heading(p: &str) -> Option<&str> {
    p.strip_prefix("# ")
}

/// A saved news page: the article inside heavy site chrome whose menus,
/// sidebar, comments and footer carry other stories' figures.
pub fn html(doc: &Doc) -> Vec<u8> {
    let mut body = String::new();
    for p in &doc.paras {
        match heading(p) {
            Some(h) => body.push_str(&format!("<h1>{}</h1>\n", esc(h))),
            None => body.push_str(&format!("<p>{}</p>\n", esc(p))),
        }
    }
    // Dated only when the article is: a date the plain text lacks would make
    // the web page another version of the story (issue 15's revisions).
    let published = doc
        .date
        .as_ref()
        .map(|d| format!(r#"<meta property="article:published_time" content="{d}T06:30:00Z">"#))
        .unwrap_or_default();
    let ld_date = doc
        .date
        .as_ref()
        .map(|d| format!(r#","datePublished":"{d}T06:30:00Z""#))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{t} | The Morning Ledger</title>
<meta property="og:title" content="{t}">
<meta property="og:site_name" content="The Morning Ledger">
{published}
<link rel="canonical" href="https://ledger.example/news/story">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{t}"{ld_date},"author":{{"@type":"Person","name":"Staff reporter"}}}}</script>
</head><body>
<div role="dialog" aria-modal="true" class="consent">We and our 846 partners use cookies. <button>Accept all</button></div>
<header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/sport">Sport</a></nav>
<div class="ticker">Markets: FTSE 100 up 0.8% · Dow down 112 points</div></header>
<main><article>
{body}<div class="share-bar">Share this story · 2,140 shares</div>
</article>
<section id="comments" class="comments"><h2>Comments (318)</h2>
<div class="comment"><p>My cousin said 5,000 people were arrested, not the number in this story.</p></div>
<div class="comment"><p>Only 14 provinces took part as far as I know.</p></div></section>
</main>
<aside class="sidebar"><h2>Most read</h2><ol>
<li><a href="/a">Bridge collapse leaves 61 injured</a></li><li><a href="/b">Fuel prices rise by 9 per cent</a></li>
<li><a href="/c">Council approves 1,500 new homes</a></li></ol></aside>
<footer><p>© 2014 The Morning Ledger. 250 Fleet Lane, London. Registered in England No. 4410223.</p></footer>
</body></html>"#,
        t = esc(&doc.title),
    )
    .into_bytes()
}

/// Words wrapped into lines of at most `width` characters.
fn wrap(p: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in p.split_whitespace() {
        if !cur.is_empty() && cur.len() + 1 + w.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// WinAnsi (cp1252) bytes of a line, for a standard PDF font.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 256 => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// A press-release PDF: the paragraphs wrapped to lines over `pages` pages,
/// each page with a running header and a "Page N of M" footer, title and
/// date in the document information.
pub fn pdf(doc: &Doc, pages: usize) -> Vec<u8> {
    let paras: Vec<Vec<String>> = doc.paras.iter().map(|p| wrap(heading(p).unwrap_or(p), 72)).collect();
    let per = paras.len().div_ceil(pages.max(1));
    let chunks: Vec<&[Vec<String>]> = paras.chunks(per.max(1)).collect();
    let header = vec!["Office of Public Information".to_string(), "News release".to_string()];
    let lines: Vec<Vec<String>> = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut l = header.clone();
            l.push(String::new());
            for p in chunk.iter() {
                l.extend(p.iter().cloned());
                l.push(String::new());
            }
            l.push(format!("Page {} of {}", i + 1, chunks.len()));
            l
        })
        .collect();
    pdf_pages(&lines, Some(&doc.title), doc.date.as_deref())
}

/// A PDF whose pages hold `pages` lines of text (blank lines leave a gap).
pub fn pdf_pages(pages: &[Vec<String>], title: Option<&str>, date: Option<&str>) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Object, Stream, dictionary};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids: Vec<Object> = Vec::new();
    for lines in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![56.into(), 790.into()]),
        ];
        for l in lines {
            if !l.is_empty() {
                ops.push(Operation::new("Tj", vec![Object::string_literal(win_ansi(l))]));
            }
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut info = lopdf::Dictionary::new();
    if let Some(t) = title {
        info.set("Title", Object::string_literal(win_ansi(t)));
    }
    if let Some(d) = date {
        info.set(
            "CreationDate",
            Object::string_literal(format!("D:{}090000Z", d.replace('-', ""))),
        );
    }
    let info = doc.add_object(info);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A scanned page: an image and no text layer.
pub fn scanned_pdf() -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Object, Stream, dictionary};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let pixels: Vec<u8> = (0..64 * 64).map(|i| (i % 251) as u8).collect();
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 64,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        pixels,
    ));
    let resources = doc.add_object(dictionary! { "XObject" => dictionary! { "Im1" => image } });
    let ops = vec![
        Operation::new("q", vec![]),
        Operation::new(
            "cm",
            vec![500.into(), 0.into(), 0.into(), 700.into(), 40.into(), 60.into()],
        ),
        Operation::new("Do", vec!["Im1".into()]),
        Operation::new("Q", vec![]),
    ];
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        Content { operations: ops }.encode().unwrap(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        let opts = zip::write::SimpleFileOptions::default().compression_method(if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        });
        z.start_file(*name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// A Word document; `table` (header row first) follows the paragraphs.
pub fn docx(doc: &Doc, table: Option<&[Vec<String>]>) -> Vec<u8> {
    let mut body = String::new();
    for p in &doc.paras {
        match heading(p) {
            Some(h) => body.push_str(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>"#,
                esc(h)
            )),
            // Two runs, as Word splits text by formatting.
            None => {
                let (a, b) = p.split_at(p.find(' ').unwrap_or(p.len()));
                body.push_str(&format!(
                    r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                    esc(a),
                    esc(b)
                ));
            }
        }
    }
    if let Some(rows) = table {
        body.push_str("<w:tbl>");
        for r in rows {
            body.push_str("<w:tr>");
            for c in r {
                body.push_str(&format!("<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>", esc(c)));
            }
            body.push_str("</w:tr>");
        }
        body.push_str("</w:tbl>");
    }
    let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let created = doc
        .date
        .as_ref()
        .map(|d| format!("<dcterms:created>{d}T09:00:00Z</dcterms:created>"))
        .unwrap_or_default();
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.into(),
        ),
        ("word/document.xml", format!(r#"<?xml version="1.0"?><w:document {ns}><w:body>{body}</w:body></w:document>"#)),
        (
            "docProps/core.xml",
            format!(
                r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>{}</dc:title><dc:creator>News desk</dc:creator>{created}</cp:coreProperties>"#,
                esc(&doc.title)
            ),
        ),
    ])
}

/// An OpenDocument text.
pub fn odt(doc: &Doc) -> Vec<u8> {
    let mut body = String::new();
    for p in &doc.paras {
        match heading(p) {
            Some(h) => body.push_str(&format!(r#"<text:h text:outline-level="1">{}</text:h>"#, esc(h))),
            None => body.push_str(&format!("<text:p>{}</text:p>", esc(p).replacen(' ', "<text:s/>", 1))),
        }
    }
    zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".into()),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>"#.into(),
        ),
        (
            "content.xml",
            format!(
                r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
            ),
        ),
        (
            "meta.xml",
            format!(
                r#"<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>{}</dc:title>{}</office:meta></office:document-meta>"#,
                esc(&doc.title),
                doc.date.as_ref().map(|d| format!("<dc:date>{d}T09:00:00</dc:date>")).unwrap_or_default()
            ),
        ),
    ])
}

/// A one-sheet workbook; numbers are stored as numbers, text inline.
pub fn xlsx(sheet: &str, rows: &[Vec<String>]) -> Vec<u8> {
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let cell = format!("{}{}", (b'A' + c as u8) as char, r + 1);
            if v.parse::<f64>().is_ok() {
                data.push_str(&format!(r#"<c r="{cell}"><v>{v}</v></c>"#));
            } else {
                data.push_str(&format!(
                    r#"<c r="{cell}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    esc(v)
                ));
            }
        }
        data.push_str("</row>");
    }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    zip(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#, esc(sheet)),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>{data}</sheetData></worksheet>"#),
        ),
    ])
}
