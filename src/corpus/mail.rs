//! Mail and web archives, both MIME messages read with `mail-parser`.
//!
//! An e-mail (`.eml`) is a sender's words: its subject is the title, its
//! sender the author, its `Date` the date, and each paragraph of its body is
//! written `SENDER: words`, so the quotation checks read the sender as the
//! speaker, as they read a transcript's. The body is the text/plain part,
//! else the text/html part through the page reader; quoted replies (`>`
//! lines) and the signature after `-- ` are someone else's or no one's
//! words and are left out. Attachments of a format copydesk reads (a PDF, a
//! Word file, a spreadsheet) follow under a heading naming them. Not read:
//! attachments of other formats, nested forwarded messages, the pages of
//! an attached PDF (its passages point at the mail; an attached
//! table's cells keep their row and column).
//!
//! A saved web archive (`.mhtml`, `.mht`) is the page's HTML part read as a
//! saved page, its address from the archive's `Content-Location` when the
//! page names none.

use std::collections::BTreeMap;
use std::path::Path;

use mail_parser::{Message, MessageParser, MimeHeaders};

use super::render::Rendition;
use super::{Extracted, Format, Locator, Meta, Unreadable};
use crate::markdown::{Block, BlockKind};

fn parse(bytes: &[u8]) -> Result<Message<'_>, Unreadable> {
    MessageParser::default()
        .parse(bytes)
        .filter(|m| !m.headers().is_empty())
        .ok_or_else(|| Unreadable("not a MIME message (no headers)".into()))
}

/// The sender as a reader names them: the display name, else the address.
fn sender(m: &Message<'_>) -> Option<String> {
    let a = m.from()?.first()?;
    a.name()
        .or(a.address())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The body's paragraphs without quoted replies and the signature.
fn plain_paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in body.lines() {
        if line == "-- " || line == "--" {
            break;
        }
        let t = line.trim();
        if t.starts_with('>') {
            continue;
        }
        if t.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(t);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The blocks of another reader's output.
fn blocks_of(x: Extracted) -> Vec<Block> {
    x.blocks
        .unwrap_or_else(|| crate::markdown::Document::parse(x.text).blocks)
}

/// Writes another reader's blocks into the rendition: headings, paragraphs
/// (as the speaker's, when there is one), and tables rebuilt from their
/// cells with the header each cell names.
fn write_blocks(out: &mut Rendition, blocks: &[Block], speaker: Option<&str>, caption: Option<&str>) {
    let mut table: BTreeMap<u32, BTreeMap<u32, (String, Option<String>)>> = BTreeMap::new();
    let flush = |out: &mut Rendition, table: &mut BTreeMap<u32, BTreeMap<u32, (String, Option<String>)>>| {
        if table.is_empty() {
            return;
        }
        let ncols = table.values().flat_map(|r| r.keys()).max().map_or(0, |c| c + 1);
        let mut header = vec![String::new(); ncols as usize];
        for row in table.values() {
            for (c, (_, h)) in row {
                if let Some(h) = h
                    && header[*c as usize].is_empty()
                {
                    header[*c as usize] = h.clone();
                }
            }
        }
        let mut rows = vec![header];
        for row in std::mem::take(table).into_values() {
            let mut r = vec![String::new(); ncols as usize];
            for (c, (text, _)) in row {
                r[c as usize] = text;
            }
            rows.push(r);
        }
        // Cells keep their place in the attached table (its header is row 1).
        out.table(&rows, caption, |r, c| {
            Some(Locator::Cell {
                row: r as u32 + 1,
                column: c as u32 + 1,
            })
        });
    };
    for b in blocks {
        match b.kind {
            BlockKind::TableCell { row, column } => {
                table
                    .entry(row)
                    .or_default()
                    .insert(column, (b.text.clone(), b.context.first().cloned()));
                continue;
            }
            _ => flush(out, &mut table),
        }
        match b.kind {
            BlockKind::Heading(level) => out.heading(level, &b.text),
            _ if b.quoted => out.paragraph(&b.text),
            _ => out.turn(speaker, &b.text),
        }
    }
    flush(out, &mut table);
}

/// Reads an e-mail.
pub fn read_eml(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let m = parse(bytes)?;
    let from = sender(&m);
    let mut out = Rendition::default();
    let subject = m.subject().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = subject {
        out.heading(1, s);
    }
    let mut page_meta = Meta::default();
    if let Some(text) = m
        .text_bodies()
        .find(|p| !p.is_text_html())
        .and_then(|p| p.text_contents())
    {
        for p in plain_paragraphs(text) {
            out.turn(from.as_deref(), &p);
        }
    } else if let Some(html) = m.body_html(0) {
        let x = super::html::read(html.as_bytes())?;
        page_meta = x.meta.clone();
        write_blocks(&mut out, &blocks_of(x), from.as_deref(), None);
    }
    for a in m.attachments() {
        let Some(name) = a.attachment_name() else { continue };
        let path = Path::new(name);
        let Some(format) = Format::of(path) else { continue };
        let x = if format.is_plain() {
            let text = super::lossy(a.contents());
            Extracted {
                text,
                ..Extracted::default()
            }
        } else {
            match super::extract(path, format, a.contents()) {
                Ok(x) => x,
                Err(_) => continue,
            }
        };
        out.heading(2, &format!("Attachment: {name}"));
        let caption = super::data::title_of(path);
        // An attachment is a document the sender passes on, not their words.
        write_blocks(&mut out, &blocks_of(x), None, caption.as_deref());
    }
    if out.is_empty() {
        return Err(Unreadable(
            "the message has no text body and no readable attachment".into(),
        ));
    }
    Ok(out.finish(Meta {
        title: subject.map(str::to_string).or(page_meta.title),
        date: m.date().and_then(|d| super::html::iso_date(&d.to_rfc3339())),
        author: from.or(page_meta.author),
        url: page_meta.url,
        publisher: page_meta.publisher,
    }))
}

/// Reads a saved web archive: its page.
pub fn read_mhtml(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let m = parse(bytes)?;
    let part = m
        .html_bodies()
        .find(|p| p.is_text_html())
        .ok_or_else(|| Unreadable("the archive holds no HTML page".into()))?;
    let html = part.text_contents().unwrap_or_default();
    let mut x = super::html::read(html.as_bytes())?;
    if x.meta.url.is_none() {
        x.meta.url = part
            .content_location()
            .or_else(|| m.header_raw("Snapshot-Content-Location"))
            .map(|u| u.trim().to_string());
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIL: &str = "From: Ana Ruiz <ana@ministry.example>\r\nTo: desk@paper.example\r\nSubject: Arrest figures\r\nDate: Fri, 28 Feb 2014 09:30:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe ministry counted 1,094 arrests\r\nin the province.\r\n\r\n> You wrote that 2,000 were held.\r\n\r\n-- \r\nAna Ruiz, press office, 555 0100\r\n";

    #[test]
    fn mail_headers_and_body() {
        let x = read_eml(MAIL.as_bytes()).unwrap();
        assert_eq!(x.meta.title.as_deref(), Some("Arrest figures"));
        assert_eq!(x.meta.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(x.meta.date.as_deref(), Some("2014-02-28"));
        assert!(
            x.text
                .contains("Ana Ruiz: The ministry counted 1,094 arrests in the province."),
            "{}",
            x.text
        );
        assert!(!x.text.contains("2,000"), "quoted reply read: {}", x.text);
        assert!(!x.text.contains("555"), "signature read: {}", x.text);
    }

    #[test]
    fn not_a_message() {
        assert!(read_eml(b"").is_err());
        assert!(read_mhtml(b"From: a@b.example\r\nSubject: x\r\n\r\nno html here\r\n").is_err());
    }

    #[test]
    fn plain_paragraphs_keep_unquoted_lines_only() {
        assert_eq!(
            plain_paragraphs("one\ntwo\n\n>quoted\nthree\n-- \nsig"),
            vec!["one two".to_string(), "three".to_string()]
        );
    }
}
