//! Reporters: turn findings into what users read (human, JSON, SARIF). Each reporter
//! returns a `String`; the CLI decides where it goes. Positions are converted here, once,
//! in each format's unit.

pub mod checkstyle;
pub mod github;
pub mod gitlab;
pub mod gnu;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
mod wrap;

use std::sync::Arc;

use crate::diagnostic::{Finding, Severity};
use crate::rules::CustomRule;
use crate::span::{LineIndex, Location, Span};

/// The findings of one linted file.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The path as shown to users: relative to the working directory, `/`-separated.
    pub path: String,
    pub source: Arc<String>,
    pub findings: Vec<Finding>,
}

/// A path that could not be linted (unreadable, binary, too large...).
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

/// Everything one run produced.
#[derive(Debug, Clone, Default)]
pub struct RunOutcome {
    pub files: Vec<FileOutcome>,
    pub errors: Vec<InputError>,
    /// The custom rules of the configurations used (the first definition of a code wins).
    pub custom_rules: Vec<CustomRule>,
    /// Things the user should know that are not findings (an online check that got no
    /// answer).
    pub notes: Vec<Note>,
    /// Fixes applied by `--fix` (the findings are those left afterwards).
    pub fixed: usize,
}

/// A message about the run that is not a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    /// Fatal for the run (a network failure under `--online=required`).
    pub error: bool,
}

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub styles: usize,
}

impl RunOutcome {
    /// Count files and findings by severity.
    #[must_use]
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for f in self.files.iter().flat_map(|f| &f.findings) {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
                Severity::Style => s.styles += 1,
            }
        }
        s
    }

    /// Every finding with its file.
    pub fn findings(&self) -> impl Iterator<Item = (&FileOutcome, &Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f, x)))
    }
}

impl Summary {
    #[must_use]
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos + self.styles
    }
}

/// Line/column lookups for one file, built once per file.
pub(crate) struct Positions<'a> {
    source: &'a str,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Positions {
            source,
            index: LineIndex::new(source),
        }
    }

    pub(crate) fn location(&self, span: Span) -> Location {
        self.index.location(self.source, span)
    }
}

/// The documentation URL of a built-in rule (custom rules have none).
#[must_use]
pub fn rule_url(code: &str) -> Option<String> {
    crate::rules::find(code).map(|i| sarif::help_uri(&crate::rules::metas()[i]))
}

/// Text escaped for an XML attribute or element.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Characters XML 1.0 cannot hold at all (an invalid byte shows as U+001A).
            c if (c as u32) < 0x20 => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A key for a finding that survives edits elsewhere in the file: rule, the offending text
/// with whitespace collapsed, and its occurrence number among identical keys.
pub(crate) fn stable_key(
    f: &Finding,
    source: &str,
    seen: &mut std::collections::HashMap<String, usize>,
) -> String {
    let text: Vec<&str> = f.span.slice(source).split_whitespace().collect();
    let key = format!("{}\u{0}{}", f.code, text.join(" "));
    let n = seen.entry(key.clone()).or_insert(0);
    *n += 1;
    format!("{key}\u{0}{n}")
}

/// FNV-1a, 64 bits: tiny, stable across platforms and releases.
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `1 error`, `2 warnings`: a count with its noun, pluralised.
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Finding;

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'>\n\u{1a}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#10;\u{fffd}"
        );
    }

    #[test]
    fn github_annotations_leave_columns_out_over_several_lines() {
        let source = "FROM alpine:3.22\nRUN a \\\n  b\n".to_owned();
        let finding = Finding {
            code: "DD999",
            name: "example",
            severity: Severity::Warning,
            message: "spans two lines, 100%".into(),
            help: "fix it".into(),
            span: Span::new(17, source.len() - 1),
            labels: Vec::new(),
            fix: None,
        };
        let run = RunOutcome {
            files: vec![FileOutcome {
                path: "a,b:c/Dockerfile".into(),
                source: Arc::new(source),
                findings: vec![finding],
            }],
            ..RunOutcome::default()
        };
        assert_eq!(
            github::render(&run),
            "::warning file=a%2Cb%3Ac/Dockerfile,line=2,endLine=3,title=DD999 example::spans two lines, 100%25%0Afix it\n"
        );
    }
}
