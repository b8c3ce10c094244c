//! DD510: a relative WORKDIR with no absolute WORKDIR before it in the stage.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::semantic::{normalize_path, Base};
use crate::syntax::{InstructionKind, Word};

/// Whether a path (after expansion) is absolute, Windows drive paths included.
pub(crate) fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// The path made absolute when the directory it is relative to is known: a stage built on
/// `scratch` (through its `FROM <stage>` chain) starts in `/`. The base image's WORKDIR is
/// not known, and a path with variables, quotes or a continuation is not rewritten.
fn from_root(ctx: &Context<'_>, stage: usize, word: &Word) -> Option<Fix> {
    let on_scratch = ctx
        .model
        .root_stage(stage)
        .is_some_and(|s| s.base == Base::Scratch);
    let written = word.span.slice(ctx.source);
    if !on_scratch
        || ctx.model.is_windows_stage(stage)
        || written != word.value
        || written.contains('$')
    {
        return None;
    }
    let absolute = normalize_path(&format!("/{written}"));
    Some(Fix {
        description: format!("write `{absolute}`"),
        edits: vec![Edit {
            span: word.span,
            replacement: absolute,
        }],
        safety: Safety::Safe,
    })
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
        )
        .fix = from_root(ctx, stage, word);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn on_scratch_the_path_is_made_absolute_from_the_root() {
        let text = "FROM scratch AS base\nFROM base\nWORKDIR ./app/../srv/\n";
        assert_eq!(
            fixed("DD510", text),
            "FROM scratch AS base\nFROM base\nWORKDIR /srv\n"
        );
    }

    #[test]
    fn no_fix_on_an_image_or_for_computed_or_quoted_paths() {
        let text = concat!(
            "FROM node:20-slim\nWORKDIR app\n",
            "FROM scratch\nENV D=app\nWORKDIR $D\n",
            "FROM scratch\nWORKDIR \"my app\"\n",
        );
        assert_eq!(fixes("DD510", text), [None, None, None]);
    }
}
