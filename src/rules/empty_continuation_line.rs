//! Reports the parser's `empty-continuation-line` warning as a rule finding.

use super::{Context, Sink};

/// Report every `empty-continuation-line` parser diagnostic.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for d in ctx
        .dockerfile
        .diagnostics
        .iter()
        .filter(|d| d.code == "empty-continuation-line")
    {
        let help = d.help.clone().unwrap_or_default();
        sink.report(d.span, d.message.clone(), help);
    }
}
