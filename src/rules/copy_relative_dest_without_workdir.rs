//! DD514: COPY to a relative destination while no WORKDIR is set.

use super::workdir_relative::is_absolute;
use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// DD514
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        let (InstructionKind::Copy(c) | InstructionKind::Add(c)) = &inst.kind else {
            continue;
        };
        let Some(dest) = &c.dest else {
            continue;
        };
        if ctx.model.context(index).stage.is_none() || ctx.model.workdir_at(index).is_some() {
            continue;
        }
        let expanded = ctx.model.expand_at(index, &dest.raw);
        if !expanded.unresolved.is_empty() || is_absolute(&expanded.text) {
            continue;
        }
        sink.report(
            dest.span,
            format!(
                "{} destination `{}` is relative but no WORKDIR is set: where it lands depends on the base image",
                inst.keyword.as_str(),
                dest.raw
            ),
            "set `WORKDIR /app` (or another absolute path) first, or write an absolute destination",
        );
    }
}
