//! DD505: `COPY --from` names the stage the COPY is in.

use super::{Context, Sink};
use crate::semantic::CopySource;
use crate::syntax::Keyword;

/// DD505
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        if inst.keyword != Keyword::Copy {
            continue;
        }
        let Some(flag) = inst.flag("from") else {
            continue;
        };
        let Some(value) = &flag.value else {
            continue;
        };
        let own = match ctx.model.source_named(index, value) {
            CopySource::CurrentStage => true,
            CopySource::Stage(n) => ctx.model.context(index).stage == Some(n),
            CopySource::Image(_) => false,
        };
        if own {
            sink.report(
                flag.value_span.unwrap_or(flag.span),
                format!("`COPY --from={value}` names the stage it is in: a stage cannot copy from itself"),
                "copy from an earlier stage, or use a plain `COPY` from the build context",
            );
        }
    }
}
