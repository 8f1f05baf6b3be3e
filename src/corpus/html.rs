//! Saved web pages: the article's main content only, with the page's title,
//! date, author and canonical address.
//!
//! A news page holds more text than its story: navigation, cookie notices,
//! share counts, "most read" lists, comments and footers, which carry the
//! figures of other stories. The page is parsed with `dom_query` (html5ever)
//! and its main content found by `dom_smoothie`, a port of Mozilla's
//! Readability; the article comes out as Markdown, so its headings, lists
//! and tables are read as a Markdown source's are.
//!
//! Before Readability scores the page, the parts HTML itself marks as not
//! the story are removed: `<nav>`, `<aside>`, `<footer>`, `<form>`,
//! `<dialog>` and elements whose ARIA role is navigation, banner,
//! contentinfo, complementary, dialog or search (cookie notices are dialogs).
//!
//! Metadata: Readability reads `<title>`, Open Graph and JSON-LD
//! (`NewsArticle`'s `headline`, `author`, `datePublished`); the canonical
//! address is the page's `<link rel="canonical">`, else `og:url`.

use dom_smoothie::{Config, Readability, TextMode};

use super::{Extracted, Meta, Unreadable, lossy};

/// Page chrome, by HTML element and ARIA role: never the article.
const CHROME: &str = "nav, aside, footer, form, dialog, [role=navigation], [role=banner], [role=contentinfo], \
     [role=complementary], [role=dialog], [role=alertdialog], [role=search], [aria-modal=true]";

/// Removes short elements whose class or id names sharing ("share-bar",
/// "article_share"), as Readability.js does. `dom_smoothie` splits class
/// names only at spaces and underscores, so it keeps `share-bar`.
fn remove_share_bars(doc: &dom_query::Document) {
    let sel = doc.select("[class*=share], [id*=share]");
    for node in sel.nodes() {
        let names = format!(
            "{} {}",
            node.attr("class").as_deref().unwrap_or(""),
            node.attr("id").as_deref().unwrap_or("")
        );
        let is_share = names
            .split([' ', '-', '_'])
            .any(|w| w.eq_ignore_ascii_case("share") || w.eq_ignore_ascii_case("sharing"));
        if is_share && node.text().chars().count() < 500 {
            node.remove_from_parent();
        }
    }
}

/// Reads a saved page.
pub fn read(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let html = lossy(bytes);
    let doc = dom_query::Document::from(html.as_str());
    let canonical = doc
        .select("link[rel=canonical]")
        .attr("href")
        .or_else(|| doc.select("meta[property=\"og:url\"]").attr("content"))
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    doc.select(CHROME).remove();
    remove_share_bars(&doc);
    let cfg = Config {
        text_mode: TextMode::Markdown,
        ..Config::default()
    };
    let mut r = Readability::with_document(doc, None, Some(cfg))
        .map_err(|e| Unreadable(format!("cannot read the page: {e}")))?;
    let article = r
        .parse()
        .map_err(|e| Unreadable(format!("no article text found in the page ({e})")))?;
    let body = article.text_content.trim().to_string();
    if body.is_empty() {
        return Err(Unreadable("no article text found in the page".into()));
    }
    let title = article.title.trim().to_string();
    // The headline leads the rendition, as it leads a story kept as text.
    let text = if title.is_empty() || body.starts_with(&title) || body.starts_with(&format!("# {title}")) {
        format!("{body}\n")
    } else {
        format!("# {title}\n\n{body}\n")
    };
    let blocks = crate::markdown::Document::parse(text.clone()).blocks;
    if blocks.is_empty() {
        return Err(Unreadable("no article text found in the page".into()));
    }
    Ok(Extracted {
        text,
        blocks: Some(blocks),
        meta: Meta {
            title: (!title.is_empty()).then_some(title),
            date: article.published_time.as_deref().and_then(iso_date),
            author: article.byline.map(|b| b.trim().to_string()).filter(|b| !b.is_empty()),
            url: canonical.or(article.url),
            publisher: article.site_name,
        },
        locators: Vec::new(),
    })
}

/// The `YYYY-MM-DD` part of an ISO 8601 timestamp ("2014-02-28T09:30:00Z").
pub(crate) fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let d = s.get(..10)?;
    let ok = d.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    ok.then(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head>
<title>Police rescue 382 babies | The Daily Example</title>
<meta property="og:title" content="Police rescue 382 babies">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2014-02-28T08:00:00Z">
<link rel="canonical" href="https://news.example.com/china/babies">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Police rescue 382 babies","datePublished":"2014-02-28T08:00:00Z","author":{"@type":"Person","name":"Lin Mei"}}</script>
</head><body>
<nav class="menu"><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div id="consent" role="dialog">We use 12 cookies. Accept all?</div>
<main><article>
<h1>Police rescue 382 babies</h1>
<p>Police in China rescued 382 babies and arrested 1,094 people after breaking up internet baby-trafficking rings, the Ministry of Public Security said on Friday.</p>
<p>The babies were found in 27 provinces after an investigation that began last year, the ministry said. Officers broke up four websites that offered children for sale.</p>
<p>The ministry said the suspects had used online forums and chat groups to find buyers, and that some parents had sold their own children for money.</p>
<p>Investigators traced payments between sellers and buyers over several months before officers made arrests in a coordinated operation, according to the statement.</p>
<p>The rescued children have been placed in the care of welfare centres while officials try to find their families, the ministry added.</p>
</article></main>
<aside class="sidebar"><h2>Most read</h2><ul><li><a href="/a">Flood kills 57 in Hunan</a></li><li><a href="/b">Stocks fall 4.2 per cent</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments (214)</h3><p>Reader: I heard 900 babies were saved, not 382.</p></section>
<div class="share">Shared 3,400 times</div>
<footer class="footer">Copyright 2014 The Daily Example. 77 staff.</footer>
</body></html>"#;

    #[test]
    fn main_content_and_metadata_only() {
        let x = read(PAGE.as_bytes()).unwrap();
        assert!(
            x.text.contains("rescued 382 babies and arrested 1,094 people"),
            "{}",
            x.text
        );
        assert!(x.text.contains("27 provinces"));
        for other in [
            "57 in Hunan",
            "4.2 per cent",
            "900 babies",
            "3,400",
            "77 staff",
            "12 cookies",
            "Sport",
        ] {
            assert!(!x.text.contains(other), "{other:?} leaked into {}", x.text);
        }
        assert_eq!(x.meta.title.as_deref(), Some("Police rescue 382 babies"));
        assert_eq!(x.meta.date.as_deref(), Some("2014-02-28"));
        assert_eq!(x.meta.author.as_deref(), Some("Lin Mei"));
        assert_eq!(x.meta.url.as_deref(), Some("https://news.example.com/china/babies"));
    }

    #[test]
    fn a_page_without_text_is_unreadable() {
        assert!(read(b"<html><body><img src=x></body></html>").is_err());
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date("2014-02-28T08:00:00Z").as_deref(), Some("2014-02-28"));
        assert_eq!(iso_date("Friday").as_deref(), None);
    }
}
