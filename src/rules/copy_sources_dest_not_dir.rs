//! DD512: COPY or ADD with several sources and a destination that does not end in `/`.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// DD512
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        let (InstructionKind::Copy(c) | InstructionKind::Add(c)) = &inst.kind else {
            continue;
        };
        let Some(dest) = &c.dest else {
            continue;
        };
        if c.sources.len() < 2 {
            continue;
        }
        // `COPY --chown 1000 a /x`: the flag's value was taken for a source (a syntax error
        // of its own); only boolean flags may go without `=`.
        let flag_without_value = inst.flags.iter().any(|f| {
            f.value.is_none() && !matches!(f.name.as_str(), "link" | "parents" | "keep-git-dir")
        });
        if flag_without_value {
            continue;
        }
        let expanded = ctx.model.expand_at(index, &dest.raw);
        if !expanded.unresolved.is_empty() {
            continue;
        }
        let d = expanded.text.as_str();
        let is_dir = d.ends_with('/')
            || d.ends_with('\\')
            || matches!(d, "." | "..")
            || d.ends_with("/.")
            || d.ends_with("/..");
        if is_dir {
            continue;
        }
        sink.report(
            dest.span,
            format!(
                "{} has {} sources but destination `{}` does not end in `/`: the classic builder rejects it",
                inst.keyword.as_str(),
                c.sources.len(),
                dest.raw
            ),
            format!("end the destination with a slash: `{}/`", dest.raw),
        );
    }
}
