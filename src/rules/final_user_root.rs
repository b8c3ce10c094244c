//! DD406: the final image runs as root because its last USER is `root` or `0`.

use super::{Context, Sink};
use crate::semantic::{is_root_user, Stage};
use crate::syntax::{CommandLine, InstructionKind};

/// Programs that start the main process as another user.
const PRIVILEGE_DROPPERS: &[&str] = &[
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "chpst",
    "s6-setuidgid",
    "setuidgid",
    "tini-su",
];

/// Whether the ENTRYPOINT or CMD of the final image (from `chain`, the final stage first)
/// starts its process through a privilege-dropping tool (`gosu app ...`, `su-exec`).
pub(crate) fn entrypoint_drops_privileges(ctx: &Context<'_>, chain: &[&Stage]) -> bool {
    chain.iter().any(|stage| {
        ctx.dockerfile.instructions[stage.body.clone()]
            .iter()
            .any(|inst| {
                let (InstructionKind::Entrypoint(line) | InstructionKind::Cmd(line)) = &inst.kind
                else {
                    return false;
                };
                let words: Vec<&str> = match line {
                    CommandLine::Exec(e) => e.args.iter().map(|a| a.value.as_str()).collect(),
                    CommandLine::Shell(s) => s.text.as_str().split_whitespace().collect(),
                };
                words.iter().any(|w| {
                    let base = w.rsplit('/').next().unwrap_or(w);
                    PRIVILEGE_DROPPERS.contains(&base)
                })
            })
    })
}

/// DD406
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(last) = ctx.model.final_stage() else {
        return;
    };
    let Some(user_index) = ctx.model.user_at_end(last.index) else {
        return;
    };
    let InstructionKind::User(Some(word)) = &ctx.dockerfile.instructions[user_index].kind else {
        return;
    };
    let expanded = ctx.model.expand_at(user_index, &word.value);
    if !expanded.unresolved.is_empty() || !is_root_user(&expanded.text) {
        return;
    }
    let chain = ctx.model.stage_chain(last.index);
    if entrypoint_drops_privileges(ctx, &chain) {
        return;
    }
    sink.report(
        word.span,
        format!(
            "`USER {}` is the last USER of the final image, so its process runs as root: a compromise of the process is a compromise of the whole container",
            word.value
        ),
        "switch back to an unprivileged user after the steps that need root, e.g. `USER 10001` or `USER app`",
    );
}
