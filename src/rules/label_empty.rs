//! DD708: a label of the label policy has an empty value.

use super::{Context, Sink};

/// DD708
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let policy = &ctx.policy.labels;
    for label in ctx.model.labels() {
        let (Some(key), Some(value)) = (label.key.as_deref(), label.value.as_deref()) else {
            continue;
        };
        let Some(kind) = policy.type_of(key) else {
            continue;
        };
        if !value.trim().is_empty() {
            continue;
        }
        let value_span = label.pair.value.span;
        // `LABEL a=` has no value word to point at.
        let span = if value_span.is_empty() {
            label.pair.span
        } else {
            value_span
        };
        let source = if label.value_has_variables() {
            format!(" (`{}` expands to nothing)", label.pair.value.raw)
        } else {
            String::new()
        };
        sink.report(
            span,
            format!("label `{key}` of the label policy is empty{source}"),
            format!(
                "give it a value ({}, e.g. `{}`), or leave the LABEL out until there is one",
                kind.as_str(),
                kind.example()
            ),
        );
    }
}
