//! DD606: consecutive RUNs of one simple command each, with the same program, that one RUN
//! would do.

use super::{Context, Sink};
use crate::diagnostic::Label;
use crate::semantic::commands::run_commands;
use crate::syntax::{Instruction, Keyword};

/// DD606
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let instructions = &ctx.dockerfile.instructions;
    for pair in instructions.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.keyword != Keyword::Run || b.keyword != Keyword::Run || !same_flags(ctx, a, b) {
            continue;
        }
        // A blank line between them marks separate steps on purpose (comments do not).
        if blank_line_between(ctx.source, a, b) {
            continue;
        }
        let (Some(pa), Some(pb)) = (lone_program(a), lone_program(b)) else {
            continue;
        };
        if pa != pb {
            continue;
        }
        sink.report(
            b.keyword_span,
            format!(
                "this RUN and the one before both only run `{pa}`: each RUN adds a layer and a cache step for what one command list would do"
            ),
            format!("merge them into one RUN: `RUN {pa} ... && {pa} ...`"),
        )
        .labels
        .push(Label {
            span: a.keyword_span,
            message: "the previous RUN".into(),
        });
    }
}

/// The program of a shell-form RUN made of exactly one simple command, without wrappers.
fn lone_program(inst: &Instruction) -> Option<String> {
    let line = inst.command()?;
    if line.is_exec() || !inst.heredocs.is_empty() {
        return None;
    }
    let commands = run_commands(inst);
    let [command] = commands.as_slice() else {
        return None;
    };
    let program = command.program();
    (!program.is_empty() && !command.is_wrapped()).then(|| program.to_owned())
}

/// Whether two RUNs have the same flags (`--mount`, `--network`...), as written.
fn same_flags(ctx: &Context<'_>, a: &Instruction, b: &Instruction) -> bool {
    let flags = |i: &Instruction| -> Vec<&str> {
        i.flags.iter().map(|f| f.span.slice(ctx.source)).collect()
    };
    flags(a) == flags(b)
}

/// Whether an empty line separates the end of `a` from the start of `b`.
fn blank_line_between(source: &str, a: &Instruction, b: &Instruction) -> bool {
    source
        .get(a.span.end as usize..b.span.start as usize)
        .is_some_and(|between| between.lines().skip(1).any(|l| l.trim().is_empty()))
}
