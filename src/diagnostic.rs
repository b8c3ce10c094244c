//! Findings as plain data: what rules produce and reporters render. No rendering here.

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// How serious a finding is, from most to least severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Style,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }

    /// Parse `error`, `warning`, `info` or `style`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Whether a finding of this severity reaches `threshold` (errors reach every level).
    #[must_use]
    pub fn reaches(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

/// Whether applying a fix keeps the Dockerfile's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Keeps the meaning; applied by `--fix`.
    Safe,
    /// May change behaviour; applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A fix: edits applied together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, e.g. "add `--no-install-recommends`".
    pub description: String,
    pub edits: Vec<Edit>,
    pub safety: Safety,
}

/// A secondary location with its own message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// What is wrong, quoting the offending text.
    pub message: String,
    /// What to do instead.
    pub help: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub fix: Option<Fix>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_from_error_to_style() {
        assert!(Severity::Error.reaches(Severity::Warning));
        assert!(Severity::Warning.reaches(Severity::Warning));
        assert!(!Severity::Info.reaches(Severity::Warning));
        assert_eq!(Severity::parse("style"), Some(Severity::Style));
        assert_eq!(Severity::parse("warn"), None);
    }
}
