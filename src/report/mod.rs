//! Reporters: turn findings into what users read (human, JSON, SARIF). Each reporter
//! returns a `String`; the CLI decides where it goes. Positions are converted here, once,
//! in each format's unit.

pub mod human;
pub mod json;
pub mod sarif;

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

/// `1 error`, `2 warnings`: a count with its noun, pluralised.
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
