//! PDF documents: the text layer, page by page, as sentences.
//!
//! Text comes from `pdf-extract` (pure Rust, on `lopdf`), one page at a time.
//! A page's lines are then cleaned so what is left reads as prose:
//! - running headers and footers (a line at the top or bottom of a page that
//!   recurs on other pages, numbers aside) and bare page numbers are dropped;
//! - a word hyphenated at a line end is joined ("cam-" + "paign");
//! - lines are joined into paragraphs, a paragraph ending at a blank line or
//!   at a short line that closes a sentence.
//!
//! The rendition is the pages' paragraphs in order, one per line, and each
//! page's start is a [`Locator::Page`]. Title and date come from the
//! document's information dictionary. Not read: text in images (a scanned
//! PDF is reported, not read), form fields, annotations; multi-column pages
//! come out in the order `pdf-extract` emits the text, which is the order it
//! was drawn in (usually column by column, not always).

use std::collections::HashMap;

use super::{Extracted, Locator, Meta, Unreadable};

/// Lines at each end of a page that may be a running header or footer.
const EDGE_LINES: usize = 3;

/// Reads a PDF.
pub fn read(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => {
            Unreadable("the PDF is encrypted and needs a password".into())
        }
        e => Unreadable(format!("the PDF is damaged or not a PDF ({e})")),
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(Unreadable("the PDF is encrypted and needs a password".into()));
    }
    let meta = metadata(&doc);
    let mut pages = Vec::new();
    for (&n, _) in doc.get_pages().iter() {
        let mut s = String::new();
        {
            let mut out = pdf_extract::PlainTextOutput::new(&mut s);
            if let Err(e) = pdf_extract::output_doc_page(&doc, &mut out, n) {
                tracing::debug!(page = n, "PDF page not read: {e}");
            }
        }
        pages.push(s);
    }
    if pages.is_empty() {
        return Err(Unreadable("the PDF has no pages".into()));
    }
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(Unreadable(
            "the PDF has no text layer (a scan?); run it through OCR (e.g. ocrmypdf) to read it".into(),
        ));
    }
    Ok(render(&pages, meta))
}

/// Builds the rendition from each page's raw text.
pub fn render(pages: &[String], meta: Meta) -> Extracted {
    let lines: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>())
        .collect();
    let running = running_lines(&lines);
    let mut text = String::new();
    let mut locators = Vec::new();
    for (i, page) in lines.iter().enumerate() {
        let n = i + 1;
        let (first, last) = edges(page);
        let kept: Vec<&str> = page
            .iter()
            .enumerate()
            .map(|(j, l)| {
                let at_edge = j < first || j >= last;
                if at_edge && (running.contains_key(&shape(l)) || is_page_number(l, n)) {
                    ""
                } else {
                    l
                }
            })
            .collect();
        let paras = paragraphs(&kept);
        if paras.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        locators.push((text.len(), Locator::Page(n as u32)));
        for p in paras {
            text.push_str(&p);
            text.push_str("\n\n");
        }
    }
    let blocks = super::text::text_blocks(&text, 0);
    Extracted {
        text,
        blocks: Some(blocks),
        meta,
        locators,
    }
}

/// Indices bounding a page's body: lines before `first` and from `last` on
/// are within [`EDGE_LINES`] non-blank lines of the top or bottom.
fn edges(page: &[&str]) -> (usize, usize) {
    let nonblank: Vec<usize> = (0..page.len()).filter(|&j| !page[j].is_empty()).collect();
    if nonblank.len() <= EDGE_LINES * 2 {
        // A short page: only its very first and last lines count as edges.
        let first = nonblank.first().map_or(0, |&j| j + 1);
        let last = nonblank.last().copied().unwrap_or(page.len()).max(first);
        return (first, last);
    }
    (nonblank[EDGE_LINES - 1] + 1, nonblank[nonblank.len() - EDGE_LINES])
}

/// A line's shape with its numbers blanked, so "Page 1 of 2" and "Page 2 of
/// 2" are one running footer.
fn shape(line: &str) -> String {
    let mut out = String::new();
    let mut last_digit = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
        } else {
            last_digit = false;
            if !c.is_whitespace() {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

/// Shapes of edge lines found on more than one page (and on at least half of
/// them): running headers and footers.
fn running_lines(pages: &[Vec<&str>]) -> HashMap<String, usize> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let (first, last) = edges(page);
        let mut shapes: Vec<String> = page
            .iter()
            .enumerate()
            .filter(|(j, l)| !l.is_empty() && (*j < first || *j >= last))
            .map(|(_, l)| shape(l))
            .collect();
        shapes.sort();
        shapes.dedup();
        for s in shapes {
            *seen.entry(s).or_default() += 1;
        }
    }
    let need = (pages.len() / 2).max(2);
    seen.retain(|_, n| *n >= need);
    seen
}

/// A line that only numbers the page: "3", "- 3 -", "Page 3", "3 of 12".
fn is_page_number(line: &str, page: usize) -> bool {
    let numbers: Vec<&str> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let words = line
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    numbers.first().and_then(|n| n.parse::<usize>().ok()) == Some(page) && numbers.len() <= 2 && words <= 2
}

/// Joins a page's lines into paragraphs.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        let p = cur.trim();
        if !p.is_empty() {
            out.push(p.to_string());
        }
        cur.clear();
    };
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            flush(&mut cur, &mut out);
            continue;
        }
        if let Some(stem) = line.strip_suffix('-')
            && stem.chars().last().is_some_and(char::is_alphabetic)
            && lines
                .get(i + 1)
                .and_then(|n| n.chars().next())
                .is_some_and(char::is_lowercase)
        {
            // A word broken at the line end.
            cur.push_str(stem);
            continue;
        }
        cur.push_str(line);
        let short = line.chars().count() * 10 < width * 7;
        let closes = line.ends_with(['.', '!', '?', ':', '"', '”', '’']);
        if short && closes {
            flush(&mut cur, &mut out);
        } else {
            cur.push(' ');
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Title, author and date from the document information dictionary.
fn metadata(doc: &lopdf::Document) -> Meta {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let field = |k: &[u8]| {
        info.and_then(|d| d.get_deref(k, doc).ok())
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    Meta {
        title: field(b"Title"),
        author: field(b"Author"),
        date: field(b"CreationDate").and_then(|d| pdf_date(&d)),
        url: None,
        publisher: None,
    }
}

/// `YYYY-MM-DD` from a PDF date ("D:20140228093000+08'00'").
fn pdf_date(s: &str) -> Option<String> {
    let d = s.strip_prefix("D:").unwrap_or(s);
    let digits = d.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_headers_page_numbers_and_hyphens() {
        let pages = vec![
            "Ministry of Public Security\nPress release\n\nPolice rescued 382 babies and arrested 1,094 suspects in a cam-\npaign against trafficking that covered 27 provinces across the country.\nThe ministry said so on Friday.\n\nPage 1 of 2".to_string(),
            "Ministry of Public Security\nPress release\n\nOfficers closed four websites selling children, the ministry said.\n\nPage 2 of 2".to_string(),
        ];
        let x = render(&pages, Meta::default());
        assert!(!x.text.contains("Ministry of Public Security"), "{}", x.text);
        assert!(!x.text.contains("Page 1"), "{}", x.text);
        assert!(
            x.text
                .contains("in a campaign against trafficking that covered 27 provinces"),
            "{}",
            x.text
        );
        let p2 = x.text.find("Officers closed").unwrap();
        assert_eq!(super::super::locator_at(&x.locators, p2), Some(Locator::Page(2)));
        let p1 = x.text.find("382").unwrap();
        assert_eq!(super::super::locator_at(&x.locators, p1), Some(Locator::Page(1)));
    }

    #[test]
    fn a_heading_once_is_kept() {
        // A line at the top of one page only is the document's, not a running header.
        let pages = vec!["Annual report\n\nText here.".to_string(), "More text.".to_string()];
        let x = render(&pages, Meta::default());
        assert!(x.text.contains("Annual report"));
    }

    #[test]
    fn dates() {
        assert_eq!(pdf_date("D:20140228093000+08'00'").as_deref(), Some("2014-02-28"));
        assert_eq!(pdf_date("yesterday"), None);
    }

    #[test]
    fn garbage_is_unreadable() {
        let e = read(b"%PDF-1.4 not really").unwrap_err();
        assert!(e.0.contains("damaged"), "{e}");
    }
}
