//! DD510: a relative WORKDIR with no absolute WORKDIR before it in the stage.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// Whether a path (after expansion) is absolute, Windows drive paths included.
pub(crate) fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// DD510
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        let InstructionKind::Workdir(Some(word)) = &inst.kind else {
            continue;
        };
        let Some(stage) = ctx.model.context(index).stage else {
            continue;
        };
        let expanded = ctx.model.expand_at(index, &word.raw);
        // Empty after expansion (`ENV REF=${REF}` of an ARG without default): a build input,
        // not a relative path.
        if !expanded.unresolved.is_empty()
            || expanded.text.is_empty()
            || is_absolute(&expanded.text)
        {
            continue;
        }
        // Relative to an absolute WORKDIR set earlier in this stage or a parent stage: fine.
        let from = ctx.model.stages[stage].from;
        if ctx.model.workdir_at(index - 1).is_some() && index > from {
            continue;
        }
        sink.report(
            word.span,
            format!(
                "WORKDIR `{}` is relative and no absolute WORKDIR precedes it: it depends on the base image's working directory",
                word.raw
            ),
            format!("write an absolute path, for example `WORKDIR /{}`", expanded.text.trim_start_matches("./")),
        );
    }
}
