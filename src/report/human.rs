//! The terminal report, rustc-style: the draft line, a marker under the
//! figure, the message, and the source passages with the figure marked.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use super::Report;
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
            let mut labels = vec![Label::primary((), f.span.clone()).with_message(label)];
            labels.extend(
                f.related
                    .iter()
                    .map(|r| Label::secondary((), r.span.clone()).with_message(&r.message)),
            );
            diag = diag.with_labels(labels);
            let mut notes = super::passage_notes(f, 4, ("«", "»"));
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
    out.push_str(&super::summary(report));
    out
}
