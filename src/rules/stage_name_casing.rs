//! DD790: a stage name with uppercase letters.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// DD790
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let InstructionKind::From(from) = &inst.kind else {
            continue;
        };
        let Some(alias) = &from.alias else {
            continue;
        };
        // A computed name (`AS ${STAGE}`) is not written in any case.
        if alias.value.contains('$') || !alias.value.bytes().any(|b| b.is_ascii_uppercase()) {
            continue;
        }
        sink.report(
            alias.span,
            format!("stage name `{}` is not lowercase", alias.raw),
            format!(
                "write `{}`: stage names are case-insensitive and lowercase everywhere else",
                alias.value.to_ascii_lowercase()
            ),
        );
    }
}
