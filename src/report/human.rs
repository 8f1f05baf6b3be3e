//! The terminal report, rustc-style: the draft line, a marker under the
//! figure, the message, and the source passages with the figure marked.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use super::{Report, excerpt};
use crate::check::{Code, Severity};

/// Renders the report. `color` adds ANSI colours.
pub fn render(report: &Report, color: bool) -> String {
    let mut out = String::new();
    let config = Config::default();
    for w in &report.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    for file in &report.files {
        let name = file.path.display().to_string();
        let files = SimpleFile::new(name.as_str(), file.text.as_str());
        for f in &file.findings {
            let mut diag = match f.severity {
                Severity::Error => Diagnostic::error(),
                Severity::Warning => Diagnostic::warning(),
                Severity::Info => Diagnostic::note(),
                Severity::Hint => Diagnostic::help(),
            }
            .with_code(f.code.as_str())
            .with_message(&f.message);
            let label = match (&f.replacement, f.code) {
                (Some(r), _) => format!("sources: {r:?}"),
                (None, Code::UnsourcedFigure) => "not in any source".to_string(),
                (None, Code::Supported) => "backed by the sources".to_string(),
                (None, _) => String::new(),
            };
            diag = diag.with_labels(vec![Label::primary((), f.span.clone()).with_message(label)]);
            let mut notes = Vec::new();
            for p in f.passages.iter().take(4) {
                let rel = p.figure.start.saturating_sub(p.span.start)..p.figure.end.saturating_sub(p.span.start);
                let sentence = &p.text;
                // Passage text is whitespace-squashed: find the figure in it again.
                let fig = match sentence.find(&p.figure_text.split_whitespace().collect::<Vec<_>>().join(" ")) {
                    Some(i) => i..i + p.figure_text.split_whitespace().collect::<Vec<_>>().join(" ").len(),
                    None => rel.start.min(sentence.len())..rel.end.min(sentence.len()),
                };
                notes.push(format!(
                    "{} ({}:{}:{}): {}",
                    p.key,
                    super::display_path(&p.path),
                    p.line,
                    p.column,
                    excerpt(sentence, fig, 140, ("«", "»"))
                ));
            }
            if let Some(reason) = &f.suppressed {
                notes.push(format!(
                    "suppressed{}",
                    reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
                ));
            }
            diag = diag.with_notes(notes);
            let rendered = if color {
                let mut buf = term::termcolor::Buffer::ansi();
                term::emit_to_write_style(&mut buf, &config, &files, &diag).ok();
                String::from_utf8_lossy(buf.as_slice()).into_owned()
            } else {
                term::emit_into_string(&config, &files, &diag).unwrap_or_default()
            };
            out.push_str(&rendered);
        }
    }
    let count = |s: Severity| {
        report
            .files
            .iter()
            .flat_map(|f| &f.findings)
            .filter(|f| !f.is_suppressed() && f.severity == s)
            .count()
    };
    let (e, w, i) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    out.push_str(&format!(
        "{} file{} checked against {} source{}: {e} error{}, {w} warning{}, {i} note{}\n",
        report.files.len(),
        plural(report.files.len()),
        report.sources,
        plural(report.sources),
        plural(e),
        plural(w),
        plural(i)
    ));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
