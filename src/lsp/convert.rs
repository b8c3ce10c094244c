//! Byte spans to LSP positions and back, in the negotiated encoding; findings to diagnostics.

use drydock::diagnostic::{Finding, Severity};
use drydock::span::{LineIndex, Span};
use lsp_types as lt;

/// The unit of LSP `character` offsets agreed with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion), else the protocol's UTF-16 default.
    pub(super) fn negotiate(params: &lt::InitializeParams) -> Encoding {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        match offered {
            Some(kinds) if kinds.contains(&lt::PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(super) fn kind(self) -> lt::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lt::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lt::PositionEncodingKind::UTF16,
        }
    }
}

/// Line lookups for one document text.
pub(super) struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
    encoding: Encoding,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str, encoding: Encoding) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
            encoding,
        }
    }

    /// The LSP position of byte `offset`.
    pub(super) fn position(&self, offset: usize) -> lt::Position {
        let p = self.index.position(self.text, offset);
        let column = match self.encoding {
            Encoding::Utf8 => p.byte_column,
            Encoding::Utf16 => p.utf16_column,
        };
        lt::Position::new(p.line.saturating_sub(1), column.saturating_sub(1))
    }

    pub(super) fn range(&self, span: Span) -> lt::Range {
        lt::Range::new(self.position(span.start()), self.position(span.end()))
    }

    /// The byte offset of an LSP position; a column past the line's end (or a line past
    /// the text's end) is clamped, as the protocol asks.
    pub(super) fn offset(&self, position: lt::Position) -> usize {
        offset_in(self.text, &self.index, position, self.encoding)
    }
}

/// [`Lines::offset`] on a text and its index.
pub(super) fn offset_in(
    text: &str,
    index: &LineIndex,
    position: lt::Position,
    encoding: Encoding,
) -> usize {
    let Some(start) = index.line_start(position.line as usize + 1) else {
        return text.len();
    };
    let line = &text[start..];
    let line_end = line.find('\n').unwrap_or(line.len());
    let line = line[..line_end]
        .strip_suffix('\r')
        .unwrap_or(&line[..line_end]);
    let mut units = 0usize;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return start + i;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
    }
    start + line.len()
}

fn severity(s: Severity) -> lt::DiagnosticSeverity {
    match s {
        Severity::Error => lt::DiagnosticSeverity::ERROR,
        Severity::Warning => lt::DiagnosticSeverity::WARNING,
        Severity::Info => lt::DiagnosticSeverity::INFORMATION,
        Severity::Style => lt::DiagnosticSeverity::HINT,
    }
}

/// A finding as an LSP diagnostic: rule code, doc link, help, labels as related locations.
pub(super) fn diagnostic(f: &Finding, lines: &Lines<'_>, uri: &lt::Uri) -> lt::Diagnostic {
    let message = if f.help.is_empty() {
        f.message.clone()
    } else {
        format!("{}\nhelp: {}", f.message, f.help)
    };
    let related: Vec<_> = f
        .labels
        .iter()
        .map(|l| lt::DiagnosticRelatedInformation {
            location: lt::Location::new(uri.clone(), lines.range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    lt::Diagnostic {
        range: lines.range(f.span),
        severity: Some(severity(f.severity)),
        code: Some(lt::NumberOrString::String(f.code.to_owned())),
        code_description: drydock::report::rule_url(f.code)
            .and_then(|u| u.parse().ok())
            .map(|href| lt::CodeDescription { href }),
        source: Some("drydock".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// A configuration that cannot be used, shown at the top of the document.
pub(super) fn config_error(message: &str) -> lt::Diagnostic {
    lt::Diagnostic {
        range: lt::Range::default(),
        severity: Some(lt::DiagnosticSeverity::ERROR),
        code: Some(lt::NumberOrString::String("config".into())),
        source: Some("drydock".into()),
        message: format!("drydock cannot use its configuration: {message}"),
        ..Default::default()
    }
}
