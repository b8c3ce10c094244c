//! Checkstyle XML (version 4.3): one `<file>` per linted file, one `<error>` per finding,
//! `source` = the rule code; character columns.

use super::{xml_escape, Positions, RunOutcome};
use crate::diagnostic::Severity;

/// Render a run as Checkstyle XML.
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for file in &run.files {
        let pos = Positions::new(&file.source);
        out.push_str(&format!("  <file name=\"{}\">\n", xml_escape(&file.path)));
        for f in &file.findings {
            let start = pos.location(f.span).start;
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "info",
            };
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"{}\"/>\n",
                start.line,
                start.column,
                xml_escape(&format!("{} ({})", f.message, f.help)),
                xml_escape(&format!("drydock.{}", f.code)),
            ));
        }
        out.push_str("  </file>\n");
    }
    for e in &run.errors {
        out.push_str(&format!(
            "  <file name=\"{}\">\n    <error line=\"1\" column=\"1\" severity=\"error\" message=\"{}\" source=\"drydock.io\"/>\n  </file>\n",
            xml_escape(&e.path),
            xml_escape(&e.message)
        ));
    }
    out.push_str("</checkstyle>\n");
    out
}
