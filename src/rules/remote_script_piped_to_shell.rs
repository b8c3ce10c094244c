//! DD404: a script downloaded and run in one go (`curl ... | sh`, `sh -c "$(curl ...)"`,
//! `bash <(wget -O- ...)`), with nothing checking what was downloaded.

use super::{Context, Sink};
use crate::semantic::commands::{FlagValue, RunCommand};
use crate::shell::{self, Operator};

/// Programs that fetch a URL.
fn is_fetch(cmd: &RunCommand<'_>) -> bool {
    matches!(cmd.program(), "curl" | "wget" | "fetch" | "http" | "https")
}

/// Programs that run a script.
fn is_interpreter(program: &str) -> bool {
    matches!(
        program,
        "sh" | "bash" | "zsh" | "ash" | "dash" | "ksh" | "fish" | "perl" | "ruby" | "node" | "php"
    ) || program.starts_with("python")
}

/// Whether an interpreter reads its script from standard input: no inline code
/// (`-c`/`-e`/`-m`) and no script file, or `-` / `-s` given.
fn reads_stdin_script(cmd: &RunCommand<'_>) -> bool {
    if cmd.has_flag(&["-s"]) {
        return true;
    }
    if cmd.has_flag(&["-c", "-e", "-E", "-m", "-r", "--eval", "--print", "-p"]) {
        return false;
    }
    cmd.positionals(&[]).first().is_none_or(|w| w.value == "-")
}

/// DD404
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        let commands = ctx.model.commands(index);
        for (i, cmd) in commands.iter().enumerate() {
            let Some(word) = cmd.program_word() else {
                continue;
            };
            if !is_interpreter(cmd.program()) {
                continue;
            }
            let fetch = piped_from_fetch(commands, i).or_else(|| substituted_fetch(commands, cmd));
            let Some(fetch) = fetch else {
                continue;
            };
            let fetch_word = fetch.program_word().map_or(fetch.span, |w| w.span);
            let finding = sink.report(
                word.span,
                format!(
                    "`{}` runs a script straight from `{}`: whatever the server sends, tampered or truncated, is executed in the build",
                    word.span.slice(ctx.source),
                    fetch_word.slice(ctx.source)
                ),
                "download the script to a file, verify its checksum or signature (`echo \"<sha256>  install.sh\" | sha256sum -c`), then run it; or use `ADD --checksum=sha256:<digest> <url> /tmp/install.sh`",
            );
            finding.labels.push(crate::diagnostic::Label {
                span: fetch_word,
                message: "downloaded here".into(),
            });
        }
    }
}

/// The fetch command earlier in the same pipeline as `commands[i]`, when the interpreter
/// reads its script from that pipe.
fn piped_from_fetch<'c, 'a>(
    commands: &'c [RunCommand<'a>],
    i: usize,
) -> Option<&'c RunCommand<'a>> {
    let cmd = &commands[i];
    let shell_cmd = cmd.shell?;
    if shell_cmd.op_before != Some(Operator::Pipe) || !reads_stdin_script(cmd) {
        return None;
    }
    let depth = shell_cmd.depth;
    let mut linked = true;
    for prev in commands[..i].iter().rev() {
        let p = prev.shell?;
        if p.depth > depth {
            continue;
        }
        if p.depth < depth || !linked {
            return None;
        }
        if is_fetch(prev) {
            return Some(prev);
        }
        linked = p.op_before == Some(Operator::Pipe);
    }
    None
}

/// A fetch inside the interpreter's script argument: `sh -c "$(curl ...)"`,
/// `bash <(curl ...)`.
fn substituted_fetch<'c, 'a>(
    commands: &'c [RunCommand<'a>],
    cmd: &RunCommand<'a>,
) -> Option<&'c RunCommand<'a>> {
    let script = match cmd.flag_value(&["-c"]) {
        Some(FlagValue::Word(w)) => w,
        Some(FlagValue::Inline(..)) => return None,
        None => *cmd.positionals(&[]).first()?,
    };
    commands.iter().find(|c| {
        is_fetch(c)
            && c.span.start >= script.span.start
            && c.span.end <= script.span.end
            && c.shell.is_some_and(|s| {
                matches!(
                    s.context,
                    shell::Context::CommandSubstitution | shell::Context::ProcessSubstitution
                )
            })
    })
}
