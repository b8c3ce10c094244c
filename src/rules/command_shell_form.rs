//! DD550: CMD or ENTRYPOINT in shell form.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::shell::{Context as ShellContext, Script};
use crate::syntax::{CommandLine, Instruction, InstructionKind, Keyword, ShellForm};

/// Shell builtins and reserved words that are no program exec form could start.
const SHELL_ONLY: [&str; 38] = [
    "cd", "export", "set", "unset", "ulimit", "umask", "source", ".", "eval", "exec", "trap",
    "wait", "exit", "read", "alias", "unalias", "shift", "return", "break", "continue", "times",
    "readonly", "local", "hash", "type", "command", "getopts", ":", "if", "case", "for", "while",
    "until", "function", "select", "{", "!", "[[",
];

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
        let windows = ctx
            .model
            .context(index)
            .stage
            .is_some_and(|s| ctx.model.is_windows_stage(s));
        let fix = (!windows && !ctx.model.is_unjudgeable(index))
            .then(|| to_exec_form(ctx.source, inst, form, script))
            .flatten();
        sink.report(
            form.span,
            format!("{keyword} is in shell form: {consequence}"),
            help,
        )
        .fix = fix;
    }
}

/// The exec form of a command made of plain literal words only: nothing between them but
/// blanks on one line (no operator, redirection, comment, quote, escape, expansion, glob or
/// `~`), and a program rather than a shell builtin. Always unsafe: the program is no longer
/// started by `/bin/sh -c`, so it becomes PID 1 and receives the signals itself, an
/// ENTRYPOINT (the base image's included) receives `program args` instead of
/// `/bin/sh -c "..."`, and for ENTRYPOINT the CMD is now appended to its arguments.
fn to_exec_form(
    source: &str,
    inst: &Instruction,
    form: &ShellForm,
    script: &Script,
) -> Option<Fix> {
    let [command] = script.commands.as_slice() else {
        return None;
    };
    let text = form.span.slice(source);
    let written: Vec<&str> = command.words.iter().map(|w| w.span.slice(source)).collect();
    let plain = command.context == ShellContext::TopLevel
        && !command.negated
        && command.assignments.is_empty()
        && command.redirects.is_empty()
        && inst.heredocs.is_empty()
        && !text.contains('\n')
        && text.split_ascii_whitespace().eq(written.iter().copied())
        && command.words.iter().all(|w| {
            !w.quoted
                && !w.has_expansion
                && !w
                    .value
                    .contains(['*', '?', '[', ']', '~', '\\', '#', '"', '\'', '`', '$'])
        });
    let program = command.words.first()?;
    if !plain || SHELL_ONLY.contains(&program.value.as_str()) {
        return None;
    }
    let values: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
    let json = serde_json::to_string(&values)
        .ok()?
        .replace("\",\"", "\", \"");
    Some(Fix {
        description: format!("write `{} {json}`", inst.keyword.as_str()),
        edits: vec![Edit {
            span: form.span,
            replacement: json,
        }],
        safety: Safety::Unsafe,
    })
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

#[cfg(test)]
mod tests {
    use crate::diagnostic::Safety;
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn plain_commands_get_their_exec_form() {
        let text = "FROM node:22-bookworm-slim\nCMD  node server.js --port=8080\nentrypoint /usr/bin/tini -s\n";
        assert_eq!(
            fixed("DD550", text),
            "FROM node:22-bookworm-slim\nCMD  [\"node\", \"server.js\", \"--port=8080\"]\nentrypoint [\"/usr/bin/tini\", \"-s\"]\n"
        );
        let fix = fixes("DD550", text).remove(0).unwrap();
        assert_eq!(fix.safety, Safety::Unsafe);
    }

    #[test]
    fn no_fix_for_anything_a_shell_would_interpret() {
        let cases = [
            "CMD node server.js --name \"my app\"\n",
            "CMD node $APP\n",
            "CMD cat *.log\n",
            "CMD node ~/app.js\n",
            "CMD node a.js && node b.js\n",
            "CMD node a.js | tee log\n",
            "CMD node a.js; true\n",
            "CMD node a.js > log\n",
            "CMD node a\\.js\n",
            "CMD node \\\n  server.js\n",
            "CMD node server.js # the app\n",
            "CMD NODE_ENV=production node server.js\n",
            "CMD ulimit -n 1024\n",
            "CMD ! false\n",
            "CMD {{ .command }}\n",
        ];
        for case in cases {
            let text = format!("FROM node:22-bookworm-slim\n{case}");
            assert_eq!(fixes("DD550", &text), [None], "{case}");
        }
        let windows =
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping localhost\n";
        assert!(fixes("DD550", windows).iter().all(Option::is_none));
    }
}
