//! DD113: FROM uses a variable that no global ARG declares.

use super::{Context, Sink};
use crate::syntax::Keyword;

/// ARGs BuildKit defines automatically in the global scope.
pub(crate) const PREDEFINED_PLATFORM_ARGS: [&str; 8] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// DD113
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if inst.keyword != Keyword::From || ctx.model.is_unjudgeable(index) {
            continue;
        }
        for var in &inst.vars {
            // `${X:-alpine}` and `${X-alpine}` still build without the ARG.
            if matches!(var.modifier.as_deref(), Some(":-" | "-")) {
                continue;
            }
            // `${templateOption:imageVariant}` is a template placeholder, not shell syntax.
            let text = var.span.slice(ctx.source);
            let after = text.get(2 + var.name.len()..).unwrap_or_default();
            if text.starts_with("${")
                && after.starts_with(':')
                && !after[1..].starts_with(['-', '+', '?'])
            {
                continue;
            }
            let declared = ctx
                .model
                .global_args
                .iter()
                .any(|a| a.name == var.name && a.span.start() < inst.span.start());
            if declared || PREDEFINED_PLATFORM_ARGS.contains(&var.name.as_str()) {
                continue;
            }
            sink.report(
                var.span,
                format!(
                    "FROM uses `{}` but no ARG `{}` is declared before the first FROM: it expands to an empty string",
                    var.span.slice(ctx.source),
                    var.name
                ),
                format!("declare `ARG {}=<default>` at the top of the file", var.name),
            );
        }
    }
}
