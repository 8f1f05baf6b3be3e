//! Sources as reporters keep them: the same articles as web pages, PDFs,
//! Word and OpenDocument files give the findings plain text gives; data
//! cells match at the precision a draft writes; unreadable files are warned.

use std::path::Path;

use crate::make::{self, Doc};
use crate::support::{check_json, root, run, stderr, stdout};

/// The example sources, each as (file stem, article).
fn articles() -> Vec<(String, Doc)> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(root().join("examples/sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let text = std::fs::read_to_string(&p).unwrap();
        // The citation key is the file name in formats without front matter.
        let key = text
            .lines()
            .find_map(|l| l.strip_prefix("key:"))
            .map(|k| k.trim().to_string())
            .unwrap_or_else(|| p.file_stem().unwrap().to_string_lossy().into_owned());
        out.push((key, Doc::from_source(&text)));
    }
    out
}

fn write_as(dir: &Path, stem: &str, doc: &Doc, ext: &str) {
    let bytes = match ext {
        "html" => make::html(doc),
        "pdf" => make::pdf(doc, 2),
        "docx" => make::docx(doc, None),
        "odt" => make::odt(doc),
        _ => unreachable!(),
    };
    std::fs::write(dir.join(format!("{stem}.{ext}")), bytes).unwrap();
}

/// What a check found, independent of where the passages sit in their files.
fn findings(dir: &Path, corpus: &str) -> (Vec<String>, serde_json::Value) {
    let out = run(dir, &["check", "--corpus", corpus, "draft.md", "--format", "json"]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut rows: Vec<String> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let keys: Vec<&str> = d["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["key"].as_str().unwrap())
                .collect();
            format!(
                "{} {:?} -> {:?} [{}]",
                d["code"].as_str().unwrap(),
                d["text"].as_str().unwrap(),
                d["replacement"].as_str(),
                keys.join(", ")
            )
        })
        .collect();
    rows.sort();
    (rows, json["corpus"].clone())
}

#[test]
fn the_same_articles_in_every_format_give_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(root().join("examples/draft.md"), d.join("draft.md")).unwrap();
    let plain = d.join("plain");
    std::fs::create_dir(&plain).unwrap();
    for e in std::fs::read_dir(root().join("examples/sources")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, plain.join(p.file_name().unwrap())).unwrap();
    }
    let (expected, corpus) = findings(d, "plain");
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(corpus["sources"], 6);
    let arts = articles();
    let formats = ["html", "pdf", "docx", "odt"];
    for ext in formats {
        let sub = d.join(ext);
        std::fs::create_dir(&sub).unwrap();
        for (stem, doc) in &arts {
            write_as(&sub, stem, doc, ext);
        }
    }
    // And one folder mixing them, as a reporter's would.
    let mixed = d.join("mixed");
    std::fs::create_dir(&mixed).unwrap();
    for (i, (stem, doc)) in arts.iter().enumerate() {
        write_as(&mixed, stem, doc, formats[i % formats.len()]);
    }
    for corpus_dir in formats.iter().copied().chain(["mixed"]) {
        let (got, corpus) = findings(d, corpus_dir);
        assert_eq!(got, expected, "{corpus_dir} corpus");
        assert_eq!(corpus["sources"], 6, "{corpus_dir}");
        assert_eq!(
            corpus["warnings"].as_array().unwrap().len(),
            0,
            "{corpus_dir}: {corpus}"
        );
    }
    // Every file is listed, with its format and its metadata.
    let out = run(d, &["sources", "--corpus", "mixed", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let sources = json["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 6);
    let mps = sources.iter().find(|s| s["key"] == "mps-2014").unwrap();
    assert_eq!(mps["title"], "Ministry announces arrests in online baby-trading case");
    assert_eq!(mps["date"], "2014-02-28");
    let formats_listed: std::collections::BTreeSet<&str> =
        sources.iter().map(|s| s["format"].as_str().unwrap()).collect();
    assert_eq!(formats_listed.len(), 4, "{formats_listed:?}");
}

#[test]
fn a_saved_page_is_read_without_its_chrome() {
    let dir = tempfile::tempdir().unwrap();
    let doc = Doc {
        title: "Ministry announces arrests".into(),
        date: Some("2014-02-28".into()),
        paras: articles().into_iter().find(|(k, _)| k == "mps-2014").unwrap().1.paras,
    };
    std::fs::write(dir.path().join("page.html"), make::html(&doc)).unwrap();
    let out = run(dir.path(), &["figures", "page.html"]);
    let figs = stdout(&out);
    assert!(figs.contains("1,094"), "{figs}");
    // Cookie notice, ticker, share count, comments, most read, footer.
    for other in [
        "846",
        "112",
        "2,140",
        "5,000",
        "14 provinces",
        "61",
        "1,500",
        "9 per cent",
        "4410223",
    ] {
        assert!(!figs.contains(other), "{other:?} is not the story's: {figs}");
    }
    let out = run(dir.path(), &["sources", "--corpus", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let s = &json["sources"][0];
    assert_eq!(s["format"], "html");
    assert_eq!(s["title"], "Ministry announces arrests");
    assert_eq!(s["date"], "2014-02-28");
    assert_eq!(s["author"], "Staff reporter");
    assert_eq!(s["url"], "https://ledger.example/news/story");
}

#[test]
fn a_pdf_passage_names_its_page_and_running_lines_are_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    let doc = Doc {
        title: "Flood relief figures".into(),
        date: Some("2023-05-04".into()),
        paras: vec![
            "The relief agency said on Thursday that 4,200 families had been moved to shelters after the river burst its banks in the east of the region.".into(),
            "Engineers were still checking the main road bridge, the agency said, and schools in the valley would stay shut until further notice from the authorities.".into(),
            "Crews had repaired 38 kilometres of embankment by the end of the week, according to the agency's second statement of the day.".into(),
        ],
    };
    std::fs::write(d.join("sources/relief.pdf"), make::pdf(&doc, 2)).unwrap();
    let out = run(d, &["figures", "sources/relief.pdf"]);
    let figs = stdout(&out);
    assert!(figs.contains("4,200 families"), "{figs}");
    assert!(
        !figs.to_lowercase().contains("page"),
        "page footers are not figures: {figs}"
    );
    std::fs::write(
        d.join("draft.md"),
        "Crews repaired 83 kilometres of embankment, the relief agency said.\n",
    )
    .unwrap();
    let out = run(d, &["check", "--corpus", "sources", "draft.md", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let diag = &json["files"][0]["diagnostics"][0];
    assert_eq!(diag["code"], "figure-mismatch", "{json}");
    assert_eq!(diag["sources"][0]["locator"], serde_json::json!({"page": 2}));
    let human = stdout(&run(d, &["check", "--corpus", "sources", "draft.md"]));
    assert!(human.contains("relief.pdf, p. 2"), "{human}");
    let sarif = stdout(&run(
        d,
        &["check", "--corpus", "sources", "draft.md", "--format", "sarif"],
    ));
    assert!(sarif.contains("relief, p. 2"), "{sarif}");
}

#[test]
fn a_word_table_cell_is_a_fact_with_its_headers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    let doc = Doc {
        title: "Editor's notes".into(),
        date: None,
        paras: vec![
            "# Arrests by province".into(),
            "Figures from the ministry's briefing.".into(),
        ],
    };
    let table: Vec<Vec<String>> = [
        ["Province", "Suspects arrested", "Babies rescued"],
        ["Sichuan", "27", "13"],
        ["Anhui", "43", "11"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    std::fs::write(d.join("sources/notes.docx"), make::docx(&doc, Some(&table))).unwrap();
    std::fs::write(
        d.join("draft.md"),
        "In Anhui, police arrested 43 suspects.\n\nIn Sichuan, police arrested 72 suspects.\n",
    )
    .unwrap();
    let json = check_json(d);
    let diags = json["files"][0]["diagnostics"].as_array().unwrap();
    let anhui = diags.iter().find(|d| d["text"] == "43 suspects").unwrap();
    assert_eq!(anhui["code"], "supported", "{json}");
    assert_eq!(anhui["sources"][0]["figure"], "43", "the Anhui row's cell: {json}");
    let sichuan = diags.iter().find(|d| d["text"] == "72 suspects").unwrap();
    assert_ne!(sichuan["code"], "supported", "{json}");
}

/// A table of unrounded values with a column in thousands.
fn data_rows() -> Vec<Vec<String>> {
    [
        ["Region", "Road deaths", "Population (thousands)", "Rate per 100,000"],
        ["England", "3726.69", "4512", "6.84"],
        ["Wales", "512.3", "3107", "5.12"],
        ["Scotland", "5120", "5463", "9.37"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect()
}

fn check_data(corpus_file: &str, bytes: Vec<u8>, draft: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    std::fs::write(d.join("sources").join(corpus_file), bytes).unwrap();
    std::fs::write(d.join("draft.md"), draft).unwrap();
    check_json(d)
}

fn codes(json: &serde_json::Value) -> Vec<(String, String)> {
    json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["text"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn data_cells_match_at_the_drafts_precision() {
    let rows = data_rows();
    let csv: String = rows
        .iter()
        .map(|r| r.join(",") + "\n")
        .collect::<String>()
        .replace("100,000", "\"100,000\"");
    let draft = "England had 3,727 road deaths.\n\nWales had 512 road deaths.\n\nScotland had 5,210 road deaths.\n";
    for (name, bytes) in [
        ("roads.csv", csv.into_bytes()),
        ("roads.xlsx", make::xlsx("Roads", &rows)),
    ] {
        let json = check_data(name, bytes, draft);
        let got = codes(&json);
        assert!(
            got.contains(&("3,727 road deaths".into(), "supported".into())),
            "{name}: {got:?}"
        );
        assert!(
            got.contains(&("512 road deaths".into(), "supported".into())),
            "{name}: {got:?}"
        );
        // Scotland's cell holds 5120: 5,210 is not backed (at best flagged).
        assert!(
            got.iter().any(|(t, c)| t == "5,210 road deaths" && c != "supported"),
            "{name}: {got:?}"
        );
        let d = json["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["text"] == "3,727 road deaths")
            .unwrap();
        assert_eq!(d["sources"][0]["figure"], "3726.69", "{name}");
        assert_eq!(
            d["sources"][0]["locator"],
            serde_json::json!({"cell": {"row": 2, "column": 2}}),
            "{name}"
        );
    }
}

#[test]
fn a_share_stored_as_a_fraction_is_its_percentage() {
    // A spreadsheet stores 29.3% as 0.293 whatever its number format shows.
    let rows: Vec<Vec<String>> = [
        ["Region", "Turnout", "Voters"],
        ["Northmoor", "0.293", "12040"],
        ["Southby", "0.4139", "9310"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    let csv: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    let draft = "Turnout in Northmoor was 29.3 per cent.\n\nIn Southby, 41.4% of voters turned out.\n\n\
                 Turnout in Southby was 29.3 per cent.\n";
    for (name, bytes) in [("vote.csv", csv.into_bytes()), ("vote.xlsx", make::xlsx("Vote", &rows))] {
        let got = codes(&check_data(name, bytes, draft));
        assert_eq!(
            got,
            vec![
                ("29.3 per cent".to_string(), "supported".to_string()),
                ("41.4%".to_string(), "supported".to_string()),
                ("29.3 per cent".to_string(), "figure-mismatch".to_string()),
            ],
            "{name}"
        );
    }
}

#[test]
fn a_column_in_thousands_scales_its_cells() {
    let rows = data_rows();
    let json = check_data(
        "roads.xlsx",
        make::xlsx("Roads", &rows),
        "England has a population of 4.5 million.\n",
    );
    let got = codes(&json);
    assert_eq!(
        got,
        vec![("4.5 million".to_string(), "supported".to_string())],
        "{json}"
    );
}

/// Checks a draft against one CSV file and, beside it, a data note.
fn check_noted(csv: &str, note: Option<&str>, draft: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    std::fs::write(d.join("sources/areas.csv"), csv).unwrap();
    if let Some(n) = note {
        std::fs::write(d.join("sources/about.md"), n).unwrap();
    }
    std::fs::write(d.join("draft.md"), draft).unwrap();
    codes(&check_json(d))
}

const AREAS: &str = "Council area,Population,Under five (%),Pension age (%)\n\
    Harbourside,616,6.3,18.1\n\
    Millbrook,449,5.7,17.9\n\
    Fenwick,349,6.0,18.3\n";

#[test]
fn a_data_note_scales_the_column_it_names() {
    let draft = "Harbourside had 616,000 people.\n";
    let noted = check_noted(
        AREAS,
        Some("# About the table\n\nPopulation is in thousands, from mid-year estimates.\n"),
        draft,
    );
    assert_eq!(noted, [("616,000 people".to_string(), "supported".to_string())]);
    // Without the note, or with a note that scales another column, 616 is 616.
    let bare = check_noted(AREAS, None, draft);
    assert!(
        !bare.contains(&("616,000 people".into(), "supported".into())),
        "{bare:?}"
    );
    let other = check_noted(AREAS, Some("Area is in thousands of hectares.\n"), draft);
    assert!(
        !other.contains(&("616,000 people".into(), "supported".into())),
        "{other:?}"
    );
}

#[test]
fn a_percentage_column_holds_percentages_of_its_row() {
    let got = check_noted(
        AREAS,
        None,
        "In Fenwick, 18.3% were of pension age.\n\nIn Millbrook, 18.1% were of pension age.\n",
    );
    assert!(got.contains(&("18.3%".into(), "supported".into())), "{got:?}");
    // Harbourside's value said of Millbrook: Millbrook's 17.9 is named.
    assert!(got.contains(&("18.1%".into(), "figure-mismatch".into())), "{got:?}");
}

const RATES: &str = "State,Violent crime rate,Property crime rate\n\
    Northland,645.1,2934.6\n\
    Eastmoor,431.9,3210.4\n";

#[test]
fn a_column_named_at_a_bare_figure_is_its_column() {
    // "Northland's violent crime rate was 654.1": a bare number, its column
    // named only by the sentence's words; the cell's 645.1 is the fact.
    let got = check_noted(
        RATES,
        None,
        "Northland's violent crime rate was 654.1.\n\nEastmoor's violent crime rate was 431.9.\n\n\
         Northland's property crime rate was 645.1.\n",
    );
    assert!(got.contains(&("654.1".into(), "figure-mismatch".into())), "{got:?}");
    assert!(got.contains(&("431.9".into(), "supported".into())), "{got:?}");
    // The other column's value is no support: the sentence names its own.
    assert!(got.contains(&("645.1".into(), "figure-mismatch".into())), "{got:?}");
}

#[test]
fn a_sentence_naming_two_rows_checks_each_figure_against_its_own() {
    let got = check_noted(
        AREAS,
        Some("Population is in thousands.\n"),
        "Harbourside had 616,000 people, Millbrook 449,000.\n\nFenwick had 6.0% under five, Millbrook 6.3%.\n",
    );
    assert!(got.contains(&("616,000 people".into(), "supported".into())), "{got:?}");
    assert!(got.contains(&("449,000".into(), "supported".into())), "{got:?}");
    assert!(got.contains(&("6.0%".into(), "supported".into())), "{got:?}");
    // Harbourside's share said of Millbrook, in the same sentence.
    assert!(got.contains(&("6.3%".into(), "figure-mismatch".into())), "{got:?}");
}

#[test]
fn unreadable_files_are_warned_in_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    std::fs::write(d.join("sources/ok.txt"), "Police rescued 382 babies.\n").unwrap();
    std::fs::write(d.join("sources/scan.pdf"), make::scanned_pdf()).unwrap();
    std::fs::write(d.join("sources/broken.docx"), b"PK\x03\x04 not really a zip").unwrap();
    std::fs::write(
        d.join("sources/recording.m4a"),
        [0u8, 0, 0, 24, b'f', b't', b'y', b'p', b'M', b'4', b'A'],
    )
    .unwrap();
    std::fs::write(d.join("draft.md"), "Police rescued 382 babies.\n").unwrap();
    let warned = |text: &str, what: &str| {
        for (file, why) in [
            ("scan.pdf", "no text layer"),
            ("broken.docx", "damaged"),
            ("recording.m4a", "not a source format"),
        ] {
            assert!(
                text.contains(file) && text.contains(why),
                "{what}: {file} ({why}) not warned in {text}"
            );
        }
    };
    let human = run(d, &["check", "--corpus", "sources", "draft.md"]);
    warned(&stdout(&human), "human");
    for format in ["json", "sarif", "github", "rdjson"] {
        let out = run(d, &["check", "--corpus", "sources", "draft.md", "--format", format]);
        warned(&format!("{}{}", stdout(&out), stderr(&out)), format);
    }
    let sarif = stdout(&run(
        d,
        &["check", "--corpus", "sources", "draft.md", "--format", "sarif"],
    ));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 3, "{notes:?}");
    let rdjson = stdout(&run(
        d,
        &["check", "--corpus", "sources", "draft.md", "--format", "rdjson"],
    ));
    assert!(rdjson.contains("corpus-file"), "{rdjson}");
    let sources = stdout(&run(d, &["sources", "--corpus", "sources"]));
    warned(&sources, "sources");
    assert!(sources.contains("1 source"), "{sources}");
}

#[test]
fn a_front_matter_title_is_checked_for_the_figures_it_states() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources")).unwrap();
    std::fs::write(
        d.join("sources/note.md"),
        "---\ntitle: Renewable energy in thirteen EU countries\n---\nThe table gives each country's share.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("draft.md"),
        "The table covers thirteen countries.\n\nThe table covers fifteen countries.\n",
    )
    .unwrap();
    let got = codes(&check_json(d));
    assert_eq!(
        got[0],
        ("thirteen countries".to_string(), "supported".to_string()),
        "{got:?}"
    );
    assert_ne!(got[1].1, "supported", "{got:?}");
}
