//! DD504: `COPY --from` names no earlier stage, and does not look like an image.

use super::{Context, Sink};
use crate::semantic::CopySource;

/// DD504
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    // Stage names that are templated, computed (`AS ${NAME}`) or on a broken FROM are not
    // known: any `--from` could name them.
    let names_uncertain = ctx.model.stages.iter().any(|s| {
        ctx.model.is_unjudgeable(s.from) || s.name.as_deref().is_some_and(|n| n.contains('$'))
    });
    if names_uncertain {
        return;
    }
    for (index, flag, value) in ctx.model.copy_from_flags() {
        let expanded = ctx.model.expand_at(index, value);
        if !expanded.unresolved.is_empty() {
            continue;
        }
        let CopySource::Image(name) = ctx.model.source_named(index, value) else {
            continue;
        };
        // `--from=nginx:1.27`, `--from=ghcr.io/org/tool` and `--from=user/image` are images;
        // a bare word could be Docker Hub's official image but is far more often a typo for a
        // stage or a stage defined further down.
        if name.is_empty() || name.contains([':', '/', '@']) {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let later = ctx
            .model
            .stages
            .iter()
            .any(|s| s.name.as_deref() == Some(lower.as_str()));
        let (message, help) = if later {
            (
                format!("`COPY --from={value}` names stage `{name}`, which is defined later in the file"),
                "move the stage before this COPY: a stage can only copy from earlier stages".to_owned(),
            )
        } else {
            (
                format!("`COPY --from={value}` names no stage of this file: `{name}` will be pulled as an image"),
                format!("fix the stage name, or write the image in full with its tag (`{name}:<tag>`) if an image is meant"),
            )
        };
        sink.report(flag.value_span.unwrap_or(flag.span), message, help);
    }
}
