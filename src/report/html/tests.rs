use std::path::PathBuf;

use super::*;
use crate::check::{Finding, Passage, Severity};
use crate::report::{ColumnUnit, FileReport};
use crate::text::LineIndex;

fn finding(text: &str, figure: &str, code: Code) -> Finding {
    let start = text.find(figure).expect("figure in draft");
    Finding {
        code,
        severity: code.default_severity(),
        span: start..start + figure.len(),
        text: figure.into(),
        value: None,
        message: format!("about {figure}"),
        replacement: None,
        passages: Vec::new(),
        versions: Vec::new(),
        related: Vec::new(),
        suppressed: None,
    }
}

fn passage(text: &str, figure: &str) -> Passage {
    let at = text.find(figure).unwrap();
    Passage {
        source: 0,
        key: "src".into(),
        title: "A <b>source</b> title".into(),
        path: PathBuf::from("sources/src.txt"),
        span: 0..text.len(),
        figure: at..at + figure.len(),
        line: 3,
        column: 1,
        text: text.into(),
        figure_text: figure.into(),
        speaker: None,
        locator: None,
    }
}

fn page_of(text: &str, findings: Vec<Finding>) -> String {
    let report = Report {
        files: vec![FileReport {
            path: "draft.md".into(),
            lines: LineIndex::new(text),
            text: text.into(),
            findings,
        }],
        sources: 1,
        warnings: Vec::new(),
    };
    page(&Review::new(&report, &|_| None))
}

/// The opening tags of every `<mark>` that starts a finding.
fn heads(html: &str) -> Vec<&str> {
    html.match_indices("<mark ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .filter(|t| t.contains(" head\""))
        .collect()
}

#[test]
fn draft_html_is_shown_as_text() {
    let text = "Police freed 382 babies.<script>alert(1)</script>\n\n\
                <img src=x onerror=\"alert(2)\">\n\n\
                <script>window.pwned = true</script>\n\n\
                A [link](javascript:alert(3)) and ![pic](http://example.org/x.png).\n";
    let html = page_of(text, vec![finding(text, "382 babies", Code::FigureMismatch)]);
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
    assert!(!html.contains("<img"), "no image is loaded");
    // Inline HTML comes as separate tags around the text.
    assert!(html.contains("&lt;script&gt;</code>alert(1)<code"));
    assert!(html.contains("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"));
    assert!(html.contains("&lt;script&gt;window.pwned = true&lt;/script&gt;"));
    assert!(!html.contains("href=\"javascript:"), "a javascript: link is not live");
    assert!(!html.contains("src=\"http"), "nothing is fetched");
}

#[test]
fn source_text_is_escaped() {
    let text = "Police freed 382 babies.\n";
    let mut f = finding(text, "382 babies", Code::FigureMismatch);
    f.passages = vec![passage(
        "They freed <script>alert(1)</script> 383 babies.",
        "383 babies",
    )];
    f.replacement = Some("383 babies</ins><script>".into());
    let html = page_of(text, vec![f]);
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("They freed &lt;script&gt;alert(1)&lt;/script&gt; <strong>383 babies</strong>."));
    assert!(html.contains("A &lt;b&gt;source&lt;/b&gt; title"));
    assert!(html.contains("<ins>383 babies&lt;/ins&gt;&lt;script&gt;</ins>"));
}

#[test]
fn highlights_carry_the_json_position() {
    let text = "# Sweep\n\n北京 — In Anhui, police detained 34 suspects.\n";
    let f = finding(text, "34 suspects", Code::FigureMismatch);
    let lines = LineIndex::new(text);
    let at = crate::report::line_col(text, &lines, f.span.start, ColumnUnit::Scalar);
    let html = page_of(text, vec![f]);
    let heads = heads(&html);
    assert_eq!(heads.len(), 1);
    assert!(heads[0].contains("data-code=\"figure-mismatch\""), "{}", heads[0]);
    assert!(heads[0].contains(&format!("data-line=\"{}\"", at.line)));
    assert!(heads[0].contains(&format!("data-column=\"{}\"", at.column)));
    assert_eq!((at.line, at.column), (3, 32));
    assert!(html.contains(">34 suspects</mark>"));
}

#[test]
fn a_finding_across_emphasis_is_cut_at_element_boundaries() {
    let text = "Police freed 382 *newborn babies* today.\n";
    let start = text.find("382").unwrap();
    let end = text.find("babies").unwrap() + "babies".len();
    let mut f = finding(text, "382", Code::FigureMismatch);
    f.span = start..end;
    let html = page_of(text, vec![f]);
    assert_eq!(heads(&html).len(), 1);
    assert!(html.contains("data-column=\"14\""));
    assert!(
        html.contains(">382 </mark><em><mark class=\"hl sev-error\" data-for=\"0\">newborn babies</mark></em> today.")
    );
}

#[test]
fn overlapping_findings_nest() {
    let text = "\"We freed 382 babies,\" she said.\n";
    let quote = finding(text, "We freed 382 babies,", Code::QuoteUnsourced);
    let figure = finding(text, "382 babies", Code::UnsourcedFigure);
    let html = page_of(text, vec![quote, figure]);
    assert_eq!(heads(&html).len(), 2);
    let q = html.find("data-code=\"quote-unsourced\"").unwrap();
    let n = html.find("data-code=\"unsourced-figure\"").unwrap();
    assert!(q < n, "the quotation's mark holds the figure's");
}

#[test]
fn suppressed_and_supported_findings_are_marked() {
    let text = "Police freed 382 babies in 27 cities.\n";
    let mut s = finding(text, "382 babies", Code::UnsourcedFigure);
    s.suppressed = Some(Some("our own <reporting>".into()));
    let mut ok = finding(text, "27 cities", Code::Supported);
    ok.severity = Severity::Hint;
    let html = page_of(text, vec![s, ok]);
    assert!(html.contains("class=\"hl sev-info suppressed head\""));
    assert!(html.contains("data-suppressed"));
    assert!(html.contains("Suppressed in the draft: <q>our own &lt;reporting&gt;</q>"));
    assert!(html.contains("class=\"hl sev-hint supported head\""));
}

#[test]
fn findings_outside_shown_text_are_listed() {
    let text = "Police freed 382 babies.\n\n<!-- 15 arrests -->\n";
    let html = page_of(text, vec![finding(text, "15 arrests", Code::UnsourcedFigure)]);
    assert!(html.contains("Findings outside the text"));
    assert_eq!(heads(&html).len(), 1);
}

#[test]
fn a_table_keeps_its_cells_and_highlights() {
    let text = "| Province | Arrested |\n|:--|--:|\n| Sichuan | 27 |\n";
    let start = text.find("27").unwrap();
    let mut f = finding(text, "27", Code::Supported);
    f.span = start..start + 2;
    let html = page_of(text, vec![f]);
    assert!(html.contains("<th style=\"text-align:left\">Province</th>"));
    assert!(html.contains("<td style=\"text-align:right\"><mark"));
}

#[test]
fn several_drafts_get_their_own_sections_and_unique_ids() {
    let a = "Police freed 382 babies.\n";
    let b = "Police detained 34 suspects.\n";
    let file = |path: &str, text: &str, f: Finding| FileReport {
        path: path.into(),
        lines: LineIndex::new(text),
        text: text.into(),
        findings: vec![f],
    };
    let report = Report {
        files: vec![
            file("a.md", a, finding(a, "382 babies", Code::UnsourcedFigure)),
            file("b.md", b, finding(b, "34 suspects", Code::FigureMismatch)),
        ],
        sources: 3,
        warnings: Vec::new(),
    };
    let html = page(&Review::new(&report, &|_| None));
    assert!(html.contains("<title>Review: 2 drafts</title>"));
    assert!(html.contains("<h2 class=\"file-path\">a.md</h2>") && html.contains("<h2 class=\"file-path\">b.md</h2>"));
    assert!(html.contains("id=\"f-0\"") && html.contains("id=\"f-1\""));
    assert!(html.contains("against 3 sources"));
    assert!(!html.contains("against 0"), "a draft's own tally names no corpus");
}

#[test]
fn a_revised_fact_is_a_timeline_and_a_dispute_is_not() {
    let text = "The port counted 398 ships.\n";
    let mut f = finding(text, "398 ships", Code::FigureOutdated);
    f.passages = vec![
        passage("By Monday 398 ships had called.", "398 ships"),
        passage("By Wednesday 412 ships had called.", "412 ships"),
    ];
    f.versions = vec![
        crate::check::Version {
            text: "398 ships".into(),
            replacement: None,
            matches_draft: true,
            passages: vec![0],
        },
        crate::check::Version {
            text: "412 ships".into(),
            replacement: Some("412 ships".into()),
            matches_draft: false,
            passages: vec![1],
        },
    ];
    let html = page_of(text, vec![f.clone()]);
    assert!(html.contains("revised over time, oldest first"));
    let timeline = &html[html.find("class=\"versions timeline\"").expect("a timeline")..];
    assert!(timeline.find("398 ships").unwrap() < timeline.find("412 ships").unwrap());
    f.code = Code::SourcesDisagree;
    let html = page_of(text, vec![f]);
    assert!(!html.contains("timeline\""), "a disagreement is no timeline");
    assert!(html.contains("class=\"versions\""));
}
