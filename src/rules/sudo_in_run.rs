//! DD408: `sudo` (or `doas`) in a RUN.

use super::{Context, Sink};
use crate::semantic::commands::basename;

/// DD408
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        for cmd in ctx.model.commands(index) {
            // The wrapper words, or the program itself for a bare `sudo -v`.
            let word = cmd
                .wrapper_words()
                .iter()
                .chain(cmd.program_word())
                .find(|w| matches!(basename(&w.value), "sudo" | "doas"));
            let Some(word) = word else {
                continue;
            };
            // One finding per RUN: `sudo a && sudo b` has one fix.
            sink.report(
                word.span,
                format!(
                    "`{}` in a RUN: the build already runs as the USER in force, and sudo's TTY and signal handling are unpredictable in a build",
                    word.span.slice(ctx.source)
                ),
                "run the step as root with `USER root` before it and switch back to the unprivileged USER after; to run as another user at container start, use `gosu` or `su-exec`",
            );
            break;
        }
    }
}
