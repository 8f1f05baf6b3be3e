//! Mail and web archives as sources: an e-mail's sender, subject and date,
//! its body and its readable attachments; a saved `.mhtml` page's article.
//! Also data cells checked by row: another row's value is a mismatch that
//! names the row's own cell.

use crate::make::{self, Doc};
use crate::support::{run, stdout};

/// A press officer's e-mail with a CSV attachment, as a mail client saves it.
fn eml(csv: &str) -> String {
    format!(
        "From: Lena Hart <lena.hart@transport.example>\r\n\
To: news@paper.example\r\n\
Subject: Cycling figures for your story\r\n\
Date: Tue, 3 Mar 2015 16:05:00 +0000\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
The department recorded 4,380 serious injuries to cyclists\r\n\
last year.\r\n\
\r\n\
> Can you confirm the 5,000 figure?\r\n\
\r\n\
--b1\r\n\
Content-Type: text/csv; name=\"killed.csv\"\r\n\
Content-Disposition: attachment; filename=\"killed.csv\"\r\n\
\r\n\
{csv}\r\n\
--b1--\r\n"
    )
}

/// A page saved by a browser as a web archive.
fn mhtml(page: &[u8]) -> Vec<u8> {
    let mut out = b"From: <Saved by the browser>\r\n\
Snapshot-Content-Location: https://ledger.example/news/bridge\r\n\
Subject: Bridge reopens\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/related; type=\"text/html\"; boundary=\"----MultipartBoundary--x\"\r\n\
\r\n\
------MultipartBoundary--x\r\n\
Content-Type: text/html\r\n\
Content-Location: https://ledger.example/news/bridge\r\n\
\r\n"
        .to_vec();
    out.extend_from_slice(page);
    out.extend_from_slice(b"\r\n------MultipartBoundary--x--\r\n");
    out
}

fn check(dir: &std::path::Path, draft: &str) -> serde_json::Value {
    std::fs::write(dir.join("draft.md"), draft).unwrap();
    crate::support::check_json(dir)
}

fn diag<'a>(json: &'a serde_json::Value, text: &str) -> &'a serde_json::Value {
    json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["text"] == text)
        .unwrap_or_else(|| panic!("no diagnostic on {text:?}: {json}"))
}

#[test]
fn an_email_is_read_with_its_sender_and_attachment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    let csv = "Road user,Killed\r\nCyclists,312\r\nPedestrians,1134";
    std::fs::write(d.join("sources/figures.eml"), eml(csv)).unwrap();

    let out = run(d, &["sources", "--corpus", "sources", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let s = &json["sources"][0];
    assert_eq!(s["format"], "eml", "{json}");
    assert_eq!(s["title"], "Cycling figures for your story");
    assert_eq!(s["author"], "Lena Hart");
    assert_eq!(s["date"], "2015-03-03");
    assert_eq!(json["warnings"].as_array().map_or(0, Vec::len), 0, "{json}");

    let json = check(
        d,
        "Cyclists suffered 4,380 serious injuries last year.\n\n\
         In all, 312 cyclists were killed, and 1,143 pedestrians were killed.\n\n\
         Officials questioned a figure of 5,000 injuries.\n",
    );
    assert_eq!(diag(&json, "4,380 serious injuries")["code"], "supported", "{json}");
    // The attachment's table: its cells are facts of their rows.
    let p = diag(&json, "1,143 pedestrians");
    assert_eq!(p["code"], "figure-mismatch", "{json}");
    assert_eq!(p["sources"][0]["figure"], "1134", "{json}");
    // The quoted reply is the reporter's own question, not a source.
    assert_ne!(diag(&json, "5,000 injuries")["code"], "supported", "{json}");
}

#[test]
fn a_web_archive_is_read_as_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    let doc = Doc {
        title: "Bridge reopens after repairs".into(),
        date: Some("2016-05-12".into()),
        paras: vec![
            "# Bridge reopens after repairs".into(),
            "The river bridge reopened on Thursday after repairs that cost the council 2.4 million pounds.".into(),
            "Engineers replaced 140 steel cables over eight months.".into(),
        ],
    };
    std::fs::write(d.join("sources/bridge.mhtml"), mhtml(&make::html(&doc))).unwrap();
    let out = run(d, &["sources", "--corpus", "sources", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let s = &json["sources"][0];
    assert_eq!(s["format"], "mhtml", "{json}");
    assert_eq!(s["title"], "Bridge reopens after repairs");

    let json = check(
        d,
        "Engineers replaced 140 steel cables on the bridge.\n\nEngineers replaced 410 steel cables.\n",
    );
    assert_eq!(diag(&json, "140 steel cables")["code"], "supported", "{json}");
    assert_ne!(diag(&json, "410 steel cables")["code"], "supported", "{json}");
    // The page's chrome is not read: its other stories' figures are nowhere.
    let out = run(d, &["figures", "sources/bridge.mhtml"]);
    assert!(!stdout(&out).contains("846"), "{}", stdout(&out));
}

#[test]
fn a_damaged_message_is_warned_not_skipped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    std::fs::write(d.join("sources/empty.eml"), b"\x00\x01\x02").unwrap();
    let out = run(d, &["sources", "--corpus", "sources", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let w = json["warnings"].as_array().unwrap();
    assert!(w.iter().any(|w| w.to_string().contains("empty.eml")), "{json}");
}

#[test]
fn another_rows_value_is_a_mismatch_naming_the_rows_cell() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    std::fs::write(
        d.join("sources/deaths.csv"),
        "Region,Road deaths\nNorth,1284.4\nSouth,2096.2\nWest,1502.8\n",
    )
    .unwrap();
    let json = check(
        d,
        "The South had 2,096 road deaths.\n\nThe West had 1,284 road deaths.\n\nThe North had 1,520 road deaths.\n",
    );
    assert_eq!(diag(&json, "2,096 road deaths")["code"], "supported", "{json}");
    // The North's value said of the West is the West's cell, not the North's support.
    let west = diag(&json, "1,284 road deaths");
    assert_eq!(west["code"], "figure-mismatch", "{json}");
    assert_eq!(west["sources"][0]["figure"], "1502.8", "{json}");
    let north = diag(&json, "1,520 road deaths");
    assert_eq!(north["code"], "figure-mismatch", "{json}");
    assert_eq!(north["sources"][0]["figure"], "1284.4", "{json}");
}
