//! DD706: a label the label policy requires is missing from the final image.

use super::{Context, Sink};

/// DD706
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let schema = &ctx.policy.labels.schema;
    if schema.is_empty() {
        return;
    }
    let Some(last) = ctx.model.final_stage() else {
        return;
    };
    // A LABEL that cannot be judged might set any label.
    let Some(labels) = ctx.model.final_image_labels() else {
        return;
    };
    let from = &ctx.dockerfile.instructions[last.from];
    for (name, kind) in schema {
        if labels
            .iter()
            .any(|l| l.key.as_deref() == Some(name.as_str()))
        {
            continue;
        }
        sink.report(
            from.keyword_span,
            format!(
                "the final image has no label `{name}`, which the label policy requires"
            ),
            format!(
                "add `LABEL {name}=...` to the final stage or a stage it is built FROM ({}, e.g. `{}`)",
                kind.as_str(),
                kind.example()
            ),
        );
    }
}
