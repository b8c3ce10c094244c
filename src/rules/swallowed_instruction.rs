//! Reports the parser's `swallowed-instruction` warning as a rule finding.

use super::{Context, Sink};

/// Report every `swallowed-instruction` parser diagnostic.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for d in ctx
        .dockerfile
        .diagnostics
        .iter()
        .filter(|d| d.code == "swallowed-instruction")
    {
        let help = d.help.clone().unwrap_or_default();
        sink.report(d.span, d.message.clone(), help);
    }
}
