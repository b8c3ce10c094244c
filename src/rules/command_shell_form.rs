//! DD550: CMD or ENTRYPOINT in shell form.

use super::{Context, Sink};
use crate::shell::{Context as ShellContext, Script};
use crate::syntax::{CommandLine, InstructionKind, Keyword};

/// DD550
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let line = match &inst.kind {
            InstructionKind::Cmd(l) | InstructionKind::Entrypoint(l) => l,
            _ => continue,
        };
        let CommandLine::Shell(form) = line else {
            continue;
        };
        // A SHELL instruction means the shell is wanted (BuildKit skips these too); a
        // malformed JSON array is `exec-form-malformed`'s.
        if form.looks_like_json || ctx.model.shell_at(index).is_some() {
            continue;
        }
        let Some(script) = &form.script else {
            continue;
        };
        if script.commands.is_empty() || uses_exec(script) {
            continue;
        }
        let keyword = inst.keyword.as_str();
        let consequence = if inst.keyword == Keyword::Entrypoint {
            "`/bin/sh -c` starts the program and ignores the CMD and the arguments of `docker run`; unless the shell replaces itself with the program, SIGTERM from `docker stop` never reaches it"
        } else {
            "`/bin/sh -c` starts the program and, unless the shell replaces itself with it, does not forward SIGTERM: `docker stop` waits its timeout, then kills it without a clean shutdown"
        };
        let help = match exec_array(script) {
            Some(json) => format!("write it in exec form: `{keyword} {json}`"),
            None => format!(
                "write it in exec form (`{keyword} [\"program\", \"arg\"]`), or end the shell command with `exec program ...` so the program replaces the shell"
            ),
        };
        sink.report(
            form.span,
            format!("{keyword} is in shell form: {consequence}"),
            help,
        );
    }
}

/// `CMD exec java -jar app.jar`: the shell replaces itself with the program.
fn uses_exec(script: &Script) -> bool {
    script
        .commands
        .iter()
        .any(|c| c.depth == 0 && c.name().is_some_and(|n| n.value == "exec"))
}

/// The exec-form equivalent of a single plain command (no operators, expansions,
/// redirections or assignments), as a JSON array.
fn exec_array(script: &Script) -> Option<String> {
    let [command] = script.commands.as_slice() else {
        return None;
    };
    if command.context != ShellContext::TopLevel
        || !command.assignments.is_empty()
        || !command.redirects.is_empty()
        || command.words.is_empty()
        || command
            .words
            .iter()
            .any(|w| w.has_expansion || w.value.contains(['*', '?', '~', '[']))
    {
        return None;
    }
    let values: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
    serde_json::to_string(&values)
        .ok()
        .map(|s| s.replace("\",\"", "\", \""))
}
