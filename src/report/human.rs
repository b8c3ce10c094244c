//! The human report: miette's graphical rendering of each finding (source snippet, label
//! at the exact span, help line), then a summary line. The only module that knows miette.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{plural, RunOutcome};
use crate::diagnostic::{Finding, Safety, Severity};

/// How the human report looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Maximum line width (miette wraps messages to it).
    pub width: usize,
}

/// Render every finding of the run (without the summary line).
#[must_use]
pub fn render_findings(run: &RunOutcome, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for file in &run.files {
        let source = NamedSource::new(file.path.clone(), Arc::clone(&file.source))
            .with_language("Dockerfile");
        for finding in &file.findings {
            let report = Report {
                finding,
                source: &source,
            };
            // Rendering into a String cannot fail.
            let _ = handler.render_report(&mut out, &report);
            out.push('\n');
        }
    }
    out
}

/// "Found 3 problems (1 error, 2 warnings) in 2 files." or "No problems found in 2 files."
#[must_use]
pub fn summary_line(run: &RunOutcome) -> String {
    let s = run.summary();
    let files = plural(s.files, "file");
    let fixed = match run.fixed {
        0 => String::new(),
        n => format!("Fixed {}; ", plural(n, "problem")),
    };
    if s.total() == 0 {
        if fixed.is_empty() {
            return format!("No problems found in {files}.");
        }
        return format!("{fixed}no problems left in {files}.");
    }
    let parts: Vec<String> = [
        (s.errors, "error"),
        (s.warnings, "warning"),
        (s.infos, "info"),
        (s.styles, "style issue"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, noun)| plural(n, noun))
    .collect();
    let found = if fixed.is_empty() { "Found" } else { "found" };
    format!(
        "{fixed}{found} {} ({}) in {files}{}.",
        plural(s.total(), "problem"),
        parts.join(", "),
        fixable(run)
    )
}

/// `; N fixable with `--fix``, and how many more `--unsafe-fixes` would fix.
fn fixable(run: &RunOutcome) -> String {
    let (mut safe, mut unsafe_) = (0, 0);
    for (_, f) in run.findings() {
        match f.fix.as_ref().map(|fix| fix.safety) {
            Some(Safety::Safe) => safe += 1,
            Some(Safety::Unsafe) => unsafe_ += 1,
            None => {}
        }
    }
    match (safe, unsafe_) {
        (0, 0) => String::new(),
        (0, u) => format!("; {u} fixable with `--unsafe-fixes`"),
        (s, 0) => format!("; {s} fixable with `--fix`"),
        (s, u) => format!("; {s} fixable with `--fix` ({u} more with `--unsafe-fixes`)"),
    }
}

/// A finding seen through miette's eyes.
struct Report<'a> {
    finding: &'a Finding,
    source: &'a NamedSource<Arc<String>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.finding.code, self.finding.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Style => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.finding.help.is_empty())
            .then(|| Box::new(&self.finding.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            None,
            (self.finding.span.start(), self.finding.span.len()),
        );
        let secondary = self.finding.labels.iter().map(|l| {
            LabeledSpan::new_with_span(Some(l.message.clone()), (l.span.start(), l.span.len()))
        });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}
