//! The human report: miette's graphical rendering of each finding (source snippet, label
//! at the exact span, help line), then a summary line. The only module that knows miette.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
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
    // Messages wrap at spaces only, so `--no-install-recommends` stays whole, and are
    // wrapped here (miette would wrap them through textwrap, a sixth of a run's time): to
    // the width less miette's two columns of margin and the indent before the message
    // (`  ⚠ `) or the help (`  help: `).
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_wrap_lines(false);
    let message_width = style.width.saturating_sub(2 + 4);
    let help_width = style.width.saturating_sub(2 + 8);
    let mut out = String::new();
    for file in &run.files {
        let source = Windowed::new(file.path.clone(), Arc::clone(&file.source));
        for finding in &file.findings {
            let report = Report {
                finding,
                source: &source,
                message: super::wrap::wrap(&finding.message, message_width),
                help: super::wrap::wrap(&finding.help, help_width),
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

/// A file's text for miette that hands it only the lines around a span: miette's own
/// `str` source scans from the start of the file for every finding, which made reports of
/// long files quadratic.
struct Windowed {
    name: String,
    text: Arc<String>,
    /// Byte offset of every line's start.
    line_starts: Vec<usize>,
}

impl Windowed {
    /// Lines end as miette counts them: at `\n`, `\r\n`, or a lone `\r`.
    fn new(name: String, text: Arc<String>) -> Windowed {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain((0..bytes.len()).filter_map(|i| match bytes[i] {
                b'\n' => Some(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                _ => None,
            }))
            .collect();
        Windowed {
            name,
            text,
            line_starts,
        }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }
}

impl SourceCode for Windowed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        // One line more on each side than asked: miette then decides the context exactly as
        // it would on the whole file.
        let first = self.line_of(start).saturating_sub(context_lines_before + 1);
        let last = self.line_of(end) + context_lines_after + 2;
        let from = self.line_starts[first];
        let to = self.line_starts.get(last).copied().unwrap_or(text.len());
        let window = &text[from..to];
        let inner_span = SourceSpan::new((start - from).into(), end - start);
        let inner = window.read_span(&inner_span, context_lines_before, context_lines_after)?;
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            // miette's `line_count` is the number of line breaks from the start of the file.
            inner.line_count() + first,
        )
        .with_language("Dockerfile");
        Ok(Box::new(contents))
    }
}

/// A finding seen through miette's eyes.
struct Report<'a> {
    finding: &'a Finding,
    source: &'a Windowed,
    /// The message and the help, wrapped already (see [`super::wrap`]).
    message: String,
    help: String,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
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

#[cfg(test)]
mod window_tests {
    use super::*;

    /// The windowed source answers every span exactly as miette's whole-text source does.
    #[test]
    fn windowed_contents_equal_whole_text_contents() {
        let text = "FROM a\nRUN b \\\r\n  c\n\n# x\rVOLUME /d\nRUN e\nUSER f\nCMD g\n\nx";
        let windowed = Windowed::new("f".into(), Arc::new(text.to_owned()));
        for start in 0..=text.len() {
            for len in [0, 1, 3, 9, 30] {
                let len = len.min(text.len() - start);
                for context in [0, 1, 2] {
                    let span = SourceSpan::new(start.into(), len);
                    let whole = text.read_span(&span, context, context).unwrap();
                    let part = windowed.read_span(&span, context, context).unwrap();
                    let view = |c: &dyn SpanContents<'_>| {
                        (
                            c.data().to_vec(),
                            c.span().offset(),
                            c.span().len(),
                            c.line(),
                            c.column(),
                            c.line_count(),
                        )
                    };
                    assert_eq!(
                        view(part.as_ref()),
                        view(whole.as_ref()),
                        "{start}+{len}, context {context}"
                    );
                }
            }
        }
    }
}
