//! Reports the parser's `heredoc-with-space` warning as a rule finding.

use super::{Context, Sink};

/// Report every `heredoc-with-space` parser diagnostic.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for d in ctx
        .dockerfile
        .diagnostics
        .iter()
        .filter(|d| d.code == "heredoc-with-space")
    {
        let help = d.help.clone().unwrap_or_default();
        sink.report(d.span, d.message.clone(), help);
    }
}
