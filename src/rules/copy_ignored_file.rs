//! DD519: a COPY or ADD source that the `.dockerignore` leaves out of the build context.

use super::add_for_local_file::is_remote;
use super::{Context, Sink};
use crate::build_context::clean;
use crate::syntax::InstructionKind;

/// DD519
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(ignore) = ctx.build.and_then(|b| b.ignore.as_ref()) else {
        return;
    };
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let (InstructionKind::Copy(c) | InstructionKind::Add(c)) = &inst.kind else {
            continue;
        };
        // From a stage or image, paths are inside that filesystem, not the context.
        if inst.flag("from").is_some() || ctx.model.is_unjudgeable(index) {
            continue;
        }
        for source in &c.sources {
            let expanded = ctx.model.expand_at(index, &source.raw);
            let path = clean(&expanded.text);
            // A wildcard may still match files that are sent; `..` is DD517's.
            if !expanded.unresolved.is_empty()
                || source.raw.starts_with("<<")
                || is_remote(&expanded.text)
                || path.contains(['*', '?', '['])
                || path.starts_with("..")
                || !ignore.excludes(&path)
            {
                continue;
            }
            sink.report(
                source.span,
                format!(
                    "{} source `{}` is excluded by {}: it is not sent to the builder, so the build fails with \"not found\"",
                    inst.keyword.as_str(),
                    source.raw,
                    ignore.name
                ),
                format!(
                    "re-include it in {} with `!{path}`, or stop copying it",
                    ignore.name
                ),
            );
        }
    }
}
