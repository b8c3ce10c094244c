//! GitLab Code Quality: a JSON array of Code Climate issues with positions (character
//! columns) and fingerprints that survive edits above the finding.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{stable_key, Positions, RunOutcome};
use crate::diagnostic::Severity;

/// Render a run as a Code Quality report.
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let mut issues: Vec<Value> = Vec::new();
    for file in &run.files {
        let pos = Positions::new(&file.source);
        let mut seen = HashMap::new();
        for f in &file.findings {
            let loc = pos.location(f.span);
            let key = stable_key(f, &file.source, &mut seen);
            issues.push(json!({
                "type": "issue",
                "check_name": f.code,
                "description": format!("{} {}: {}", f.code, f.name, f.message),
                "content": {"body": f.help},
                "categories": [category(f.code)],
                "severity": match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info | Severity::Style => "info",
                },
                "fingerprint": format!("{:016x}", super::fnv1a(&format!("{}\u{0}{key}", file.path))),
                "location": {
                    "path": file.path,
                    "positions": {
                        "begin": {"line": loc.start.line, "column": loc.start.column},
                        "end": {"line": loc.end.line, "column": loc.end.column},
                    },
                },
            }));
        }
    }
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_default();
    s.push('\n');
    s
}

/// The Code Climate category of a rule, from its drydock category.
fn category(code: &str) -> &'static str {
    match crate::rules::find(code).map(|i| crate::rules::metas()[i].category) {
        Some(crate::rules::Category::Security) => "Security",
        Some(crate::rules::Category::Style) => "Style",
        Some(crate::rules::Category::Syntax | crate::rules::Category::Correctness) => "Bug Risk",
        _ => "Compatibility",
    }
}
