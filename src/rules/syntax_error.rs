//! DD001: every error the parser reports (the file does not build as written).

use super::{Context, Sink};
use crate::syntax::DiagnosticSeverity;

/// DD001
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for d in &ctx.dockerfile.diagnostics {
        if d.severity == DiagnosticSeverity::Error {
            let help = d.help.clone().unwrap_or_else(|| "fix the syntax".into());
            sink.report(d.span, d.message.clone(), help);
        }
    }
}
