//! DD502: two stages share a name.

use super::{Context, Sink};
use crate::diagnostic::Label;

/// DD502
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let stages = &ctx.model.stages;
    for (i, stage) in stages.iter().enumerate() {
        let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
            continue;
        };
        if name.contains('$') {
            continue;
        }
        // Stage names are case-insensitive: `Build` and `build` clash.
        let Some(first) = ctx
            .model
            .stage_named(name)
            .filter(|first| first.index < i && first.name.as_ref() == Some(name))
        else {
            continue;
        };
        let finding = sink.report(
            span,
            format!(
                "stage name `{}` is already used by an earlier stage",
                span.slice(ctx.source)
            ),
            "give each stage a unique name: `COPY --from` and `--target` cannot tell them apart",
        );
        if let Some(first_span) = first.name_span {
            finding.labels.push(Label {
                span: first_span,
                message: "first used here".into(),
            });
        }
    }
}
