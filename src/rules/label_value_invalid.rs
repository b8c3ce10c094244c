//! DD709: a label of the label policy has a value that is not of its type.

use super::label_schema::LabelType;
use super::{Context, Sink};

/// What a value of `kind` is, for messages.
fn described(kind: LabelType) -> &'static str {
    match kind {
        LabelType::Text => "text",
        LabelType::Url => "a URL",
        LabelType::Semver => "a SemVer version",
        LabelType::Hash => "a git commit id",
        LabelType::Rfc3339 => "an RFC 3339 timestamp",
        LabelType::Spdx => "an SPDX license expression",
        LabelType::Email => "an e-mail address",
    }
}

/// DD709
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let policy = &ctx.policy.labels;
    for label in ctx.model.labels() {
        // Values with a variable that has no value yet are filled in at build time.
        let (Some(key), Some(value)) = (label.key.as_deref(), label.value.as_deref()) else {
            continue;
        };
        let Some(kind) = policy.type_of(key) else {
            continue;
        };
        // Empty values are `label-empty`'s.
        if value.trim().is_empty() {
            continue;
        }
        let Some(problem) = kind.problem(value) else {
            continue;
        };
        let shown = if label.value_has_variables() {
            format!("`{}` (`{value}`)", label.pair.value.raw)
        } else {
            format!("`{value}`")
        };
        sink.report(
            label.pair.value.span,
            format!(
                "label `{key}` must be {}, and {shown} is not: {problem}",
                described(kind)
            ),
            format!("write {} such as `{}`", described(kind), kind.example()),
        );
    }
}
