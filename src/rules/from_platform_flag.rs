//! DD114 (off): `FROM --platform` used at all.

use super::{Context, Sink};
use crate::syntax::{Flag, Instruction, InstructionKind};

/// Each FROM with a `--platform` flag, its flag and its stage name.
pub(crate) fn platforms<'c>(
    ctx: &'c Context<'_>,
) -> impl Iterator<Item = (&'c Instruction, &'c Flag, Option<&'c str>)> + 'c {
    ctx.dockerfile.instructions.iter().filter_map(|inst| {
        let InstructionKind::From(from) = &inst.kind else {
            return None;
        };
        let flag = inst.flag("platform")?;
        Some((inst, flag, from.alias.as_ref().map(|a| a.value.as_str())))
    })
}

pub(crate) fn is_target_platform(value: &str) -> bool {
    matches!(value, "$TARGETPLATFORM" | "${TARGETPLATFORM}")
}

/// DD114
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, flag, _) in platforms(ctx) {
        sink.report(
            flag.span,
            format!("FROM pins the platform with `{}`", flag.span.slice(ctx.source)),
            "let the builder choose the platform (`docker build --platform`), unless cross-compiling from `$BUILDPLATFORM`",
        );
    }
}
