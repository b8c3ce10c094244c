//! DD707: with `strict-labels`, a LABEL the label policy does not list.

use super::{Context, Sink};

/// DD707
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let policy = &ctx.policy.labels;
    if !policy.strict || policy.schema.is_empty() {
        return;
    }
    for label in ctx.model.labels() {
        let Some(key) = label.key.as_deref() else {
            continue;
        };
        if policy.type_of(key).is_some() {
            continue;
        }
        sink.report(
            label.pair.key.span,
            format!("label `{key}` is not in the label policy, and `strict-labels` allows only the labels it lists"),
            format!("remove the label, or add `{key}` to `policy.labels` in the configuration"),
        );
    }
}
