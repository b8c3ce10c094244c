//! DD517: a COPY or ADD source that climbs out of the build context (`../x`).

use super::add_for_local_file::is_remote;
use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// Whether a relative or context-absolute path climbs above its root.
fn escapes(path: &str) -> bool {
    let mut depth: i32 = 0;
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

/// DD517
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let (InstructionKind::Copy(c) | InstructionKind::Add(c)) = &inst.kind else {
            continue;
        };
        // From a stage or image, paths are inside that filesystem.
        if inst.flag("from").is_some() || ctx.model.is_unjudgeable(index) {
            continue;
        }
        for source in &c.sources {
            let expanded = ctx.model.expand_at(index, &source.raw);
            if !expanded.unresolved.is_empty()
                || is_remote(&expanded.text)
                || source.raw.starts_with("<<")
                || !escapes(&expanded.text)
            {
                continue;
            }
            sink.report(
                source.span,
                format!(
                    "{} source `{}` is outside the build context: the classic builder fails, BuildKit silently reads it from the context root",
                    inst.keyword.as_str(),
                    source.raw
                ),
                "move the file into the build context, or build with a larger context (`docker build -f <dir>/Dockerfile .`)",
            );
        }
    }
}
