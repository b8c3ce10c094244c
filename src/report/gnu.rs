//! The GNU line format: `file:line:col: severity: message [code]`, with display columns
//! (tab stops every 8, wide characters two), as compilers print them for editors and
//! problem matchers.

use super::{Positions, RunOutcome};
use crate::diagnostic::Severity;

/// Render a run, one line per finding.
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let mut out = String::new();
    for file in &run.files {
        let pos = Positions::new(&file.source);
        for f in &file.findings {
            let start = pos.location(f.span).start;
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "note",
            };
            out.push_str(&format!(
                "{}:{}:{}: {severity}: {} [{}]\n",
                file.path,
                start.line,
                start.display_column,
                f.message.replace('\n', " "),
                f.code
            ));
        }
    }
    for e in &run.errors {
        out.push_str(&format!("{}: error: {}\n", e.path, e.message));
    }
    out
}
