//! GitHub Actions workflow commands: `::error file=..,line=..,endLine=..,col=..,endColumn=..,title=..::message`,
//! escaped as `@actions/core` does. Columns count characters; `col`/`endColumn` are left out
//! when the finding spans several lines, as the toolkit requires.

use super::{rule_url, Positions, RunOutcome};
use crate::diagnostic::Severity;

/// Render a run as workflow commands, one line per finding.
#[must_use]
pub fn render(run: &RunOutcome) -> String {
    let mut out = String::new();
    for file in &run.files {
        let pos = Positions::new(&file.source);
        for f in &file.findings {
            let loc = pos.location(f.span);
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            let mut props = vec![
                format!("file={}", property(&file.path)),
                format!("line={}", loc.start.line),
                format!("endLine={}", loc.end.line),
            ];
            if loc.start.line == loc.end.line {
                props.push(format!("col={}", loc.start.column));
                props.push(format!(
                    "endColumn={}",
                    loc.end.column.max(loc.start.column + 1)
                ));
            }
            props.push(format!(
                "title={}",
                property(&format!("{} {}", f.code, f.name))
            ));
            let mut message = format!("{}\n{}", f.message, f.help);
            if let Some(url) = rule_url(f.code) {
                message.push_str(&format!("\n{url}"));
            }
            out.push_str(&format!(
                "::{level} {}::{}\n",
                props.join(","),
                data(&message)
            ));
        }
    }
    out
}

/// A message: `%`, CR and LF escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
