//! reviewdog's rdjson: one `DiagnosticResult` with 1-based positions whose columns count
//! UTF-8 bytes, exclusive ends, and fixes as `suggestions`.

use serde_json::{json, Value};

use super::{rule_url, Positions, RunOutcome};
use crate::diagnostic::Severity;
use crate::span::Location;

/// Render a run as rdjson.
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let mut diagnostics = Vec::new();
    for file in &run.files {
        let pos = Positions::new(&file.source);
        for f in &file.findings {
            let suggestions: Vec<Value> = f
                .fix
                .iter()
                .flat_map(|fix| &fix.edits)
                .map(|e| json!({"range": range(pos.location(e.span)), "text": e.replacement}))
                .collect();
            let mut code = json!({"value": f.code});
            if let Some(url) = rule_url(f.code) {
                code["url"] = json!(url);
            }
            diagnostics.push(json!({
                "message": format!("{} ({})", f.message, f.help),
                "location": {"path": file.path, "range": range(pos.location(f.span))},
                "severity": match f.severity {
                    Severity::Error => "ERROR",
                    Severity::Warning => "WARNING",
                    Severity::Info | Severity::Style => "INFO",
                },
                "source": {"name": "drydock"},
                "code": code,
                "suggestions": suggestions,
            }));
        }
    }
    let doc = json!({
        "source": {"name": "drydock", "url": env!("CARGO_PKG_REPOSITORY")},
        "severity": "WARNING",
        "diagnostics": diagnostics,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn range(loc: Location) -> Value {
    json!({
        "start": {"line": loc.start.line, "column": loc.start.byte_column},
        "end": {"line": loc.end.line, "column": loc.end.byte_column},
    })
}
