//! DD515: `COPY --from=<number>` names a stage by its position.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::semantic::CopySource;
use crate::syntax::{Flag, InstructionKind, Keyword};

/// DD515
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
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
        )
        .fix = by_name(ctx, index, flag, n);
    }
}

/// `--from=<name>` with the stage's name as written, when that name designates the same
/// stage at this COPY: not when another stage has the same name, or the number is not an
/// earlier stage. None for a computed name (`AS ${NAME}`).
fn by_name(ctx: &Context<'_>, index: usize, flag: &Flag, n: usize) -> Option<Fix> {
    let stage = ctx.model.stages.get(n)?;
    let InstructionKind::From(from) = &ctx.dockerfile.instructions[stage.from].kind else {
        return None;
    };
    let alias = from.alias.as_ref()?;
    if alias.raw != alias.value || alias.raw.contains('$') {
        return None;
    }
    let unique = ctx
        .model
        .stages
        .iter()
        .filter(|s| s.name == stage.name)
        .count()
        == 1;
    let same = unique
        && !ctx.model.is_unjudgeable(index)
        && ctx.model.source_named(index, &alias.raw) == CopySource::Stage(n)
        && ctx
            .model
            .context(index)
            .stage
            .is_some_and(|current| n < current);
    if !same {
        return None;
    }
    Some(Fix {
        description: format!("write `--from={}`", alias.raw),
        edits: vec![Edit {
            span: flag.value_span?,
            replacement: alias.raw.clone(),
        }],
        safety: Safety::Safe,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn the_number_becomes_the_name() {
        let text =
            "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=0 \\\n  /out/app /app\n";
        assert_eq!(
            fixed("DD515", text),
            "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build \\\n  /out/app /app\n"
        );
    }

    #[test]
    fn no_fix_without_a_name_that_means_the_same_stage() {
        let text = concat!(
            "FROM golang:1.23\n",
            "FROM golang:1.23 AS x\n",
            "FROM alpine:3.20 AS x\n",
            "COPY --from=0 /a /a\n",
            "COPY --from=1 /a /a\n",
            "COPY --from=2 /a /a\n",
        );
        assert_eq!(fixes("DD515", text), [None, None, None]);
    }
}
