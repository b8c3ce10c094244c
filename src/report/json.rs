//! The versioned JSON format: `{"version": 1, "tool", "diagnostics", "summary"}`.

use serde_json::{json, Value};

use super::{Positions, RunOutcome};
use crate::diagnostic::Fix;
use crate::span::Location;

/// Render a run as pretty-printed JSON (ends with a newline).
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let mut diagnostics = Vec::new();
    for file in &run.files {
        let pos = Positions::new(&file.source);
        for f in &file.findings {
            diagnostics.push(json!({
                "path": file.path,
                "code": f.code,
                "name": f.name,
                "severity": f.severity.as_str(),
                "message": f.message,
                "help": f.help,
                "span": span_json(pos.location(f.span)),
                "labels": f.labels.iter().map(|l| json!({
                    "message": l.message,
                    "span": span_json(pos.location(l.span)),
                })).collect::<Vec<_>>(),
                "fix": f.fix.as_ref().map_or(Value::Null, |fix| fix_json(&pos, fix)),
            }));
        }
    }
    let s = run.summary();
    let mut doc = json!({
        "version": 1,
        "tool": {"name": "drydock", "version": env!("CARGO_PKG_VERSION")},
        "diagnostics": diagnostics,
        "errors": run.errors.iter().map(|e| json!({"path": e.path, "message": e.message})).collect::<Vec<_>>(),
        "summary": {
            "files": s.files,
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "styles": s.styles,
        },
    });
    if !run.notes.is_empty() {
        doc["notes"] = run
            .notes
            .iter()
            .map(|n| json!({"message": n.message, "level": if n.error { "error" } else { "note" }}))
            .collect();
    }
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// `{"start": {"line", "column", "offset"}, "end": {...}}` (1-based columns in characters).
pub(crate) fn span_json(loc: Location) -> Value {
    json!({
        "start": {"line": loc.start.line, "column": loc.start.column, "offset": loc.start.offset},
        "end": {"line": loc.end.line, "column": loc.end.column, "offset": loc.end.offset},
    })
}

fn fix_json(pos: &Positions<'_>, fix: &Fix) -> Value {
    json!({
        "description": fix.description,
        "safety": fix.safety,
        "edits": fix.edits.iter().map(|e| json!({
            "span": span_json(pos.location(e.span)),
            "replacement": e.replacement,
        })).collect::<Vec<_>>(),
    })
}
