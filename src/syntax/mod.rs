//! The Dockerfile syntax layer: a BuildKit-faithful, error-tolerant parser that keeps a
//! byte span for every token.

mod ast;
pub mod dump;
mod image;
mod logical;
mod parser;
mod vars;
mod words;

pub use ast::*;
pub use image::{ImageRef, Part};
pub use logical::LogicalText;
pub use parser::{parse, parse_with, ParseOptions};
pub use vars::VarRef;

/// Parse decoded file bytes: like [`parse`], plus an `invalid-utf8` error at every run of
/// bytes that were not valid UTF-8.
#[must_use]
pub fn parse_decoded(decoded: &crate::source::Decoded) -> Dockerfile {
    let mut df = parse(&decoded.text);
    for &span in &decoded.invalid {
        df.diagnostics.push(SyntaxDiagnostic {
            code: "invalid-utf8",
            severity: DiagnosticSeverity::Error,
            message: format!("{} byte(s) here are not valid UTF-8", span.len()),
            help: Some("save the file as UTF-8".into()),
            span,
        });
    }
    if !decoded.invalid.is_empty() {
        df.diagnostics.sort_by_key(|d| d.span);
    }
    df
}
