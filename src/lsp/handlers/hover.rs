//! Hover on a figure or a quotation: the verdict and the source passages, with
//! the figure (or quoted words) in bold and, for quotations, the source's
//! speaker. Also for figures and quotations the sources back.

use std::sync::Arc;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::finding_at;
use crate::check::{Code, Finding, Passage};
use crate::lsp::state::State;

pub async fn hover(state: &Arc<State>, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some(checked) = state.checked_uri(&pos.text_document.uri).await else {
        return Ok(None);
    };
    let enc = state.encoding();
    let text = checked.view();
    let offset = text.offset(pos.position, enc);
    let Some(f) = finding_at(&checked, offset) else {
        return Ok(None);
    };
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: render(f),
        }),
        range: Some(text.range(f.span.clone(), enc)),
    }))
}

fn verdict(code: Code) -> &'static str {
    match code {
        Code::Supported => "✓ backed by the sources",
        Code::FigureMismatch => "✗ the sources give another figure",
        Code::UnitMismatch => "✗ the sources count another thing",
        Code::QualifierMismatch => "✗ the qualifier does not fit the sources",
        Code::SourcesDisagree => "⚠ the sources disagree",
        Code::UnsourcedFigure => "? no source states this figure",
        Code::QuoteMismatch => "✗ the quotation differs from the source",
        Code::QuoteUnsourced => "? no source has this quotation",
        Code::QuoteMisattributed => "✗ the sources give the quotation to someone else",
        Code::NameMismatch => "✗ the sources spell the name otherwise",
        Code::FigureOutdated => "⚠ newer sources give another figure",
        Code::DraftDisagree => "⚠ the draft gives another figure elsewhere",
        Code::ArithmeticMismatch => "⚠ the draft's own figures do not compute",
    }
}

/// A passage as a Markdown quote, the figure in bold.
pub fn quote(p: &Passage) -> String {
    let squashed = p.figure_text.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = match p.text.find(&squashed) {
        Some(i) => format!("{}**{}**{}", &p.text[..i], squashed, &p.text[i + squashed.len()..]),
        None => p.text.clone(),
    };
    let speaker = p
        .speaker
        .as_ref()
        .map(|s| format!(" · said by **{}**", s.replace('*', "\\*")))
        .unwrap_or_default();
    // Where to find it in a PDF, sheet or recording: "p. 3", "row 4, column C".
    let at = p.locator.map(|l| format!(" · {l}")).unwrap_or_default();
    format!(
        "**{}** · *{}*{at}{speaker}\n\n> {}\n",
        p.key,
        p.title.replace('*', "\\*"),
        sentence
    )
}

/// The hover text for a finding.
pub fn render(f: &Finding) -> String {
    let mut out = format!("**copydesk** — {}\n\n{}\n", verdict(f.code), f.message);
    if let Some(reason) = &f.suppressed {
        out.push_str(&format!(
            "\n*Suppressed{}.*\n",
            reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
        ));
    }
    if !f.versions.is_empty() {
        for v in &f.versions {
            let mark = if v.matches_draft { " (as in the draft)" } else { "" };
            out.push_str(&format!("\n---\n\n**{}**{mark}\n\n", v.text));
            for &i in &v.passages {
                out.push_str(&quote(&f.passages[i]));
            }
        }
    } else {
        for p in &f.passages {
            out.push_str("\n---\n\n");
            out.push_str(&quote(p));
        }
    }
    out
}
