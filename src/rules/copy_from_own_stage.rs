//! DD505: `COPY --from` names the stage the COPY is in.

use super::{Context, Sink};
use crate::semantic::CopySource;

/// DD505
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, flag, value) in ctx.model.copy_from_flags() {
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
