//! DD790: a stage name with uppercase letters.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::semantic::{mounts, Base, CopySource, Stage};
use crate::span::Span;
use crate::syntax::{InstructionKind, Keyword, Word};

/// DD790
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        let InstructionKind::From(from) = &ctx.dockerfile.instructions[stage.from].kind else {
            continue;
        };
        let Some(alias) = &from.alias else {
            continue;
        };
        // A computed name (`AS ${STAGE}`) is not written in any case.
        if alias.value.contains('$') || !alias.value.bytes().any(|b| b.is_ascii_uppercase()) {
            continue;
        }
        sink.report(
            alias.span,
            format!("stage name `{}` is not lowercase", alias.raw),
            format!(
                "write `{}`: stage names are case-insensitive and lowercase everywhere else",
                alias.value.to_ascii_lowercase()
            ),
        )
        .fix = rename(ctx, stage, alias);
    }
}

/// The stage name and every reference to the stage in lowercase, as one fix. None when the
/// name is used by another stage too, or a reference is computed (`--from=$SRC`) or cannot
/// be edited as written.
fn rename(ctx: &Context<'_>, stage: &Stage, alias: &Word) -> Option<Fix> {
    let duplicated = ctx
        .model
        .stages
        .iter()
        .any(|s| s.index != stage.index && s.name == stage.name);
    if duplicated {
        return None;
    }
    let mut edits = Vec::new();
    for span in std::iter::once(alias.span).chain(references(ctx, stage.index)?) {
        let written = span.slice(ctx.source);
        if written.contains(['$', '\n', ctx.dockerfile.escape]) {
            return None;
        }
        let lower = written.to_ascii_lowercase();
        if lower != written {
            edits.push(Edit {
                span,
                replacement: lower,
            });
        }
    }
    Some(Fix {
        description: format!("rename stage `{}`", alias.raw),
        edits,
        safety: Safety::Safe,
    })
}

/// Where stage `stage` is referred to: `FROM <stage>`, `COPY --from=<stage>` and
/// `RUN --mount=from=<stage>` (stage numbers included). None if a reference has no editable
/// span or holds a template placeholder. `ONBUILD` triggers are not references: they name stages of the downstream build.
fn references(ctx: &Context<'_>, stage: usize) -> Option<Vec<Span>> {
    let model = ctx.model;
    let mut out = Vec::new();
    for (i, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let names_it = |raw: &str| model.source_named(i, raw) == CopySource::Stage(stage);
        let before = out.len();
        match &inst.kind {
            InstructionKind::From(from) => {
                let current = model.context(i).stage.map(|s| &model.stages[s].base);
                if current == Some(&Base::Stage(stage)) {
                    out.push(from.image.as_ref()?.span);
                }
            }
            InstructionKind::Copy(_) if inst.keyword == Keyword::Copy => {
                if let Some(flag) = inst.flag("from") {
                    if flag.value.as_deref().is_some_and(names_it) {
                        out.push(flag.value_span?);
                    }
                }
            }
            InstructionKind::Run(_) => {
                for mount in mounts(inst) {
                    if mount.from.as_deref().is_some_and(names_it) {
                        out.push(mount.from_span?);
                    }
                }
            }
            _ => {}
        }
        // A template placeholder (`{{ .stage }}`) in a referring instruction: not judged.
        if out.len() > before && model.is_unjudgeable(i) {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn the_stage_and_its_references_are_renamed() {
        let text = concat!(
            "FROM golang:1.23 AS Build\n",
            "FROM Build AS Test\n",
            "RUN --mount=type=bind,from=BUILD,target=/src go vet\n",
            "FROM alpine:3.22\n",
            "COPY --from=Build /out /usr/local/bin/\n",
            "COPY --from=0 /etc/x /etc/x\n",
            "ONBUILD COPY --from=Build /a /b\n",
        );
        assert_eq!(
            fixed("DD790", text),
            concat!(
                "FROM golang:1.23 AS build\n",
                "FROM build AS test\n",
                "RUN --mount=type=bind,from=build,target=/src go vet\n",
                "FROM alpine:3.22\n",
                "COPY --from=build /out /usr/local/bin/\n",
                "COPY --from=0 /etc/x /etc/x\n",
                "ONBUILD COPY --from=Build /a /b\n",
            )
        );
    }

    #[test]
    fn no_fix_when_a_reference_is_computed_or_continued() {
        let computed =
            "ARG SRC=Build\nFROM alpine:3.22 AS Build\nFROM alpine:3.22\nARG SRC\nCOPY --from=$SRC /a /b\n";
        assert_eq!(fixes("DD790", computed), [None]);
        let continued =
            "FROM alpine:3.22 AS Build\nFROM alpine:3.22\nCOPY --from=Bu\\\nild /a /b\n";
        assert_eq!(fixes("DD790", continued), [None]);
        let quoted =
            "FROM alpine:3.22 AS Build\nFROM alpine:3.22\nRUN --mount=\"from=Build\" true\n";
        assert_eq!(fixes("DD790", quoted), [None]);
    }
}
