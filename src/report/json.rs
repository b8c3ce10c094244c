//! The versioned JSON format: `{"version": 1, "tool", "diagnostics", "summary"}`.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Value};

use super::{Positions, RunOutcome};
use crate::diagnostic::Fix;
use crate::span::Location;

/// Render a run as pretty-printed JSON (ends with a newline).
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(run, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Write a run as pretty-printed JSON (ends with a newline), one diagnostic at a time: the
/// report of a large monorepo never sits in memory as a JSON tree.
///
/// # Errors
/// The writer's.
pub fn write(run: &RunOutcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    Document(run)
        .serialize(&mut ser)
        .map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// The whole document, serialized lazily.
struct Document<'a>(&'a RunOutcome);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let run = self.0;
        let s = run.summary();
        let mut doc = serializer.serialize_map(None)?;
        doc.serialize_entry("version", &1)?;
        doc.serialize_entry(
            "tool",
            &json!({"name": "drydock", "version": env!("CARGO_PKG_VERSION")}),
        )?;
        doc.serialize_entry("diagnostics", &Diagnostics(run))?;
        doc.serialize_entry(
            "errors",
            &run.errors
                .iter()
                .map(|e| json!({"path": e.path, "message": e.message}))
                .collect::<Vec<_>>(),
        )?;
        doc.serialize_entry(
            "summary",
            &json!({
                "files": s.files,
                "errors": s.errors,
                "warnings": s.warnings,
                "infos": s.infos,
                "styles": s.styles,
            }),
        )?;
        if !run.notes.is_empty() {
            let notes: Vec<Value> = run
                .notes
                .iter()
                .map(|n| json!({"message": n.message, "level": if n.error { "error" } else { "note" }}))
                .collect();
            doc.serialize_entry("notes", &notes)?;
        }
        doc.end()
    }
}

/// Every finding of the run, each built as a JSON value only while it is written.
struct Diagnostics<'a>(&'a RunOutcome);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for file in &self.0.files {
            let pos = Positions::new(&file.source);
            for f in &file.findings {
                seq.serialize_element(&diagnostic(&file.path, &pos, f))?;
            }
        }
        seq.end()
    }
}

fn diagnostic(path: &str, pos: &Positions<'_>, f: &crate::diagnostic::Finding) -> Value {
    json!({
        "path": path,
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
        "fix": f.fix.as_ref().map_or(Value::Null, |fix| fix_json(pos, fix)),
    })
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
