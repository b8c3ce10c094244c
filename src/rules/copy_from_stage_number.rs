//! DD515: `COPY --from=<number>` names a stage by its position.

use super::{Context, Sink};
use crate::syntax::Keyword;

/// DD515
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        if inst.keyword != Keyword::Copy {
            continue;
        }
        let Some(flag) = inst.flag("from") else {
            continue;
        };
        let Some(value) = flag.value.as_deref() else {
            continue;
        };
        let Ok(n) = value.parse::<usize>() else {
            continue;
        };
        let help = match ctx.model.stages.get(n).and_then(|s| s.name.as_deref()) {
            Some(name) => format!("write `--from={name}`"),
            None => format!("name stage {n} (`FROM <image> AS <name>`) and copy `--from=<name>`"),
        };
        sink.report(
            flag.value_span.unwrap_or(flag.span),
            format!("`COPY --from={value}` names a stage by number: adding or moving a stage silently changes what is copied"),
            help,
        );
    }
}
