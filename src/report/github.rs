//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice`
//! line per finding, which GitHub shows as an annotation on the pull request.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`
//!
//! Lines and columns are 1-based, `endColumn` is exclusive. GitHub's
//! documentation says only "column number, starting at 1" without a unit;
//! columns here count Unicode scalar values, as in the JSON report, which is
//! what a reader counts as characters (UTF-16 and byte columns drift after
//! the first non-ASCII character).
//! Errors are `::error`, warnings `::warning`, notes and hints `::notice`.
//! Suppressed findings are left out. Unreadable corpus files are `::warning`
//! on the file. A plain summary line closes the output, for the log.
//!
//! Escaping, as GitHub's runner decodes it: in the message `%`, `\r`, `\n`
//! become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become
//! `%3A` and `%2C`.

use std::fmt::Write;

use super::{ColumnUnit, Report, display_path, passage_notes};
use crate::check::Severity;

/// Escapes a message (the data after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`...).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    }
}

/// Renders the report as workflow commands.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for w in &report.warnings {
        let _ = writeln!(
            out,
            "::warning file={},title={}::{}",
            escape_property(&display_path(&w.path)),
            escape_property("copydesk: corpus file"),
            escape_data(&w.message)
        );
    }
    for file in &report.files {
        let path = display_path(&file.path);
        for f in file.findings.iter().filter(|f| !f.is_suppressed()) {
            let start = file.position_in(f.span.start, ColumnUnit::Scalar);
            let end = file.position_in(f.span.end, ColumnUnit::Scalar);
            let mut message = f.message.clone();
            if let Some(r) = &f.replacement {
                let _ = write!(message, "\nsuggested: {r}");
            }
            for note in passage_notes(f, 4, ("«", "»")) {
                message.push('\n');
                message.push_str(&note);
            }
            let _ = writeln!(
                out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                command(f.severity),
                escape_property(&path),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("copydesk {}", f.code)),
                escape_data(&message)
            );
        }
    }
    out.push_str(&super::summary(report));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% more\r\nnext: a, b"), "50%25 more%0D%0Anext: a, b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
