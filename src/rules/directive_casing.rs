//! DD704: a parser directive name not written in lowercase.

use super::{Context, Sink};

/// DD704
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for directive in &ctx.dockerfile.directives {
        let written = directive.name_span.slice(ctx.source);
        if !written.bytes().any(|b| b.is_ascii_uppercase()) {
            continue;
        }
        sink.report(
            directive.name_span,
            format!(
                "the parser directive `{written}` is not in lowercase: it works, but directives are written `# {}=...` by convention, and some tools only recognise that spelling",
                directive.name
            ),
            format!("write `# {}={}`", directive.name, directive.value),
        );
    }
}
