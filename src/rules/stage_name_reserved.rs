//! DD503: a stage named `scratch` or `context`.

use super::{Context, Sink};

/// DD503
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
            continue;
        };
        let meaning = match name.as_str() {
            "scratch" => "the empty base image",
            "context" => "the build context in `COPY --from` and `RUN --mount=from=`",
            _ => continue,
        };
        sink.report(
            span,
            format!(
                "stage name `{}` is reserved: it means {meaning}",
                span.slice(ctx.source)
            ),
            "rename the stage (for example `build` or `runtime`)",
        );
    }
}
