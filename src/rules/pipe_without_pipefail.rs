//! DD601: a pipeline in a RUN whose shell does not fail on the failure of a piped command.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::semantic::commands::basename;
use crate::semantic::distro::SystemShell;
use crate::shell::{self, Operator};
use crate::span::Span;
use crate::syntax::{CommandLine, InstructionKind, Keyword};

/// Shells the shell model parses: they all run `a | b` with the status of `b` alone.
const POSIX_SHELLS: &[&str] = &["sh", "bash", "zsh", "ksh", "mksh", "ash", "dash", "busybox"];

/// Producers whose failure means nothing: the status of `echo x | tee f` is the status of `tee`.
const HARMLESS_PRODUCERS: &[&str] = &["echo", "printf", "yes", "true"];

/// DD601
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    // Stages whose fix is offered already: one SHELL line per stage.
    let mut offered = vec![false; ctx.model.stages.len()];
    // Per stage: whether a stage it is built on has the fix offered (final for the stages
    // before `entered`).
    let mut inherited = vec![false; ctx.model.stages.len()];
    let mut entered = 0;
    let early = EarlyExits::new();
    for (index, inst) in ctx.model.runs() {
        let InstructionKind::Run(line) = &inst.kind else {
            continue;
        };
        // A template placeholder (`{{ .url | quote }}`) has pipes of its own.
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        let Some(script) = line.script() else {
            continue;
        };
        // A RUN that is one heredoc starting with `#!` runs under that interpreter.
        let shebang = match line {
            CommandLine::Shell(form) => shebang_argv(form.text.as_str()),
            CommandLine::Exec(_) => None,
        };
        let has_shebang = shebang.is_some();
        let shell = shebang.or_else(|| ctx.model.shell_at(index));
        let (shell_path, shell_pipefail) = match &shell {
            Some(argv) => (
                argv.first().copied().unwrap_or("/bin/sh"),
                sets_pipefail(argv),
            ),
            None => ("/bin/sh", false),
        };
        if shell_pipefail || !POSIX_SHELLS.contains(&basename(shell_path)) {
            continue;
        }
        if let Some(found) = first_unguarded_pipe(ctx.source, &script.commands) {
            let stage = ctx.model.context(index).stage;
            // A SHELL offered in this stage or one it is built on covers it too.
            let covered = stage.is_some_and(|s| {
                // Stages are met in file order, after every stage they are built on.
                while entered <= s {
                    inherited[entered] = ctx.model.stages[entered]
                        .parent()
                        .filter(|&p| p < entered)
                        .is_some_and(|p| offered[p] || inherited[p]);
                    entered += 1;
                }
                offered[s] || inherited[s]
            });
            let fix = (!covered && !has_shebang && shell.is_none())
                .then(|| pipefail_shell(ctx, &early, index))
                .flatten();
            if let (Some(s), Some(_)) = (stage, &fix) {
                offered[s] = true;
            }
            report(sink, &found, shell_path, shell.is_some()).fix = fix;
        }
    }
}

/// A pipeline whose failures would be masked.
struct Masked {
    span: Span,
    programs: Vec<String>,
}

fn report<'s>(
    sink: &'s mut Sink,
    found: &Masked,
    shell_path: &str,
    explicit_shell: bool,
) -> &'s mut crate::diagnostic::Finding {
    let pipeline = found.programs.join(" | ");
    let hidden = found.programs[..found.programs.len() - 1].join("`, `");
    let help = if matches!(basename(shell_path), "bash" | "zsh" | "ksh" | "mksh") {
        format!(
            "start the RUN with `set -o pipefail &&`, or declare `SHELL [\"{shell_path}\", \"-o\", \"pipefail\", \"-c\"]` before it"
        )
    } else if explicit_shell {
        format!(
            "start the RUN with `set -o pipefail &&` if `{shell_path}` supports it (busybox ash does, dash only since 0.5.13), or declare `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` if the image has bash"
        )
    } else {
        "declare `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN if the image has bash; on Alpine (busybox ash) start the RUN with `set -o pipefail &&` instead".to_owned()
    };
    sink.report(
        found.span,
        format!(
            "`{pipeline}` runs under `{shell_path}` without pipefail: the RUN only fails when the last command fails, so a failure of `{hidden}` goes unnoticed and the build goes on with partial output"
        ),
        help,
    )
}

/// A `SHELL` line with pipefail before RUN `index` (and the comments above it, which may
/// be suppressions meant for the RUN), for a RUN under the default `/bin/sh` in a stage
/// with no SHELL: bash where the image has it (Debian, Ubuntu, the RPM distributions),
/// busybox ash on Alpine. Unsafe: every later RUN, and shell-form CMD and ENTRYPOINT, of
/// the stage run in that shell, and a pipeline that failed silently now fails the build.
fn pipefail_shell(ctx: &Context<'_>, early: &EarlyExits, index: usize) -> Option<Fix> {
    let inst = ctx.dockerfile.instructions.get(index)?;
    let stage = ctx.model.stages.get(ctx.model.context(index).stage?)?;
    // `ONBUILD RUN` runs in the images built on this one, under their shell.
    let has_shell = ctx.dockerfile.instructions[stage.body.clone()]
        .iter()
        .any(|i| i.keyword == Keyword::Shell);
    if inst.keyword != Keyword::Run
        || has_shell
        || pipes_into_early_exit(ctx, early, index, stage.index)
    {
        return None;
    }
    let argv = match ctx.model.system_shell(stage.index)? {
        SystemShell::Dash | SystemShell::Bash => r#"["/bin/bash", "-o", "pipefail", "-c"]"#,
        SystemShell::BusyboxAsh => r#"["/bin/ash", "-o", "pipefail", "-c"]"#,
        SystemShell::None => return None,
    };
    let line_start = |at: usize| ctx.source[..at].rfind('\n').map_or(0, |i| i + 1);
    let run_line = line_start(inst.span.start());
    let indent = &ctx.source[run_line..inst.span.start()];
    if !indent.bytes().all(|b| b == b' ' || b == b'\t') {
        return None;
    }
    let above = ctx
        .dockerfile
        .leading_comments(inst)
        .first()
        .map_or(run_line, |c| line_start(c.span.start()));
    // Written in the casing of the RUN keyword (`run` gives `shell`).
    let keyword = if inst.keyword_text.bytes().all(|b| b.is_ascii_lowercase()) {
        "shell"
    } else {
        "SHELL"
    };
    Some(Fix {
        description: format!("declare `SHELL {argv}`"),
        edits: vec![Edit {
            span: Span::empty(above),
            replacement: format!("{indent}{keyword} {argv}\n"),
        }],
        safety: Safety::Unsafe,
    })
}

/// The interpreter argv of a script starting with `#!` (`/usr/bin/env bash` gives `bash`).
fn shebang_argv(text: &str) -> Option<Vec<&str>> {
    let line = text.strip_prefix("#!")?.lines().next()?;
    let mut words: Vec<&str> = line.split_whitespace().collect();
    if words.first().is_some_and(|w| basename(w) == "env") {
        words.remove(0);
        if words.first() == Some(&"-S") {
            words.remove(0);
        }
    }
    (!words.is_empty()).then_some(words)
}

/// Whether a shell argv (`SHELL [...]`) turns on pipefail: `-o pipefail`, `-eo pipefail`,
/// `-euxo pipefail`.
fn sets_pipefail<S: AsRef<str>>(args: &[S]) -> bool {
    args.windows(2).any(|w| {
        let (opt, value) = (w[0].as_ref(), w[1].as_ref());
        value == "pipefail" && opt.starts_with('-') && !opt.starts_with("--") && opt.ends_with('o')
    })
}

/// The first pipe of the script that is neither after a top-level `set -o pipefail` nor fed
/// only by harmless producers. Pipes inside `$(..)` / `<(..)` (whose status the RUN never
/// sees) and inside re-parsed `sh -c` strings (another shell process) are left alone.
fn first_unguarded_pipe(source: &str, commands: &[shell::Command]) -> Option<Masked> {
    let mut pipefail_from: Option<u32> = None;
    for (i, c) in commands.iter().enumerate() {
        if c.depth == 0
            && c.name().is_some_and(|n| n.value == "set")
            && sets_pipefail(&c.words.iter().map(|w| w.value.as_str()).collect::<Vec<_>>())
        {
            pipefail_from.get_or_insert(c.span.end);
        }
        if c.op_before != Some(Operator::Pipe) {
            continue;
        }
        if pipefail_from.is_some_and(|p| p <= c.span.start) {
            return None;
        }
        if matches!(
            c.context,
            shell::Context::CommandSubstitution
                | shell::Context::ProcessSubstitution
                | shell::Context::ShellString
                | shell::Context::IfCondition
                | shell::Context::WhileCondition
        ) {
            continue;
        }
        // The last member of a pipeline is the one not followed by another pipe.
        if commands
            .get(i + 1..)
            .and_then(|rest| rest.iter().find(|n| n.depth == c.depth))
            .is_some_and(|n| n.op_before == Some(Operator::Pipe) && directly_piped(source, c, n))
        {
            continue;
        }
        if stops_reading_early(c) {
            continue;
        }
        let producers = producers(source, &commands[..i], c);
        let harmless = if producers.is_empty() {
            compound_producer_is_harmless(&commands[..i], c)
        } else {
            producers.iter().all(|p| is_harmless(p))
        };
        if harmless {
            continue;
        }
        let mut programs: Vec<String> = producers.iter().rev().map(|p| program_name(p)).collect();
        if programs.is_empty() {
            // A compound command feeds the pipe (`{ a; b; } | c`).
            programs.push("...".to_owned());
        }
        programs.push(program_name(c));
        // Point at the first `|` of the pipeline: the one after its head.
        let second = match producers.len() {
            0 | 1 => c,
            n => producers[n - 2],
        };
        return Some(Masked {
            span: pipe_span(source, second),
            programs,
        });
    }
    None
}

fn is_harmless(c: &shell::Command) -> bool {
    c.name()
        .is_some_and(|n| HARMLESS_PRODUCERS.contains(&basename(&n.value)))
}

/// `{ echo a; echo b; } | tee f`: the commands inside the compound command that feeds `last`
/// (those just before it, nested deeper) are all harmless producers.
fn compound_producer_is_harmless(before: &[shell::Command], last: &shell::Command) -> bool {
    let inner: Vec<&shell::Command> = before
        .iter()
        .rev()
        .take_while(|p| p.depth > last.depth)
        .collect();
    !inner.is_empty() && inner.iter().all(|p| is_harmless(p))
}

/// Whether a RUN from `index` on, in stage `stage` or one built on it, pipes into a command
/// that stops reading early (`| head`): under pipefail it would now fail the build.
fn pipes_into_early_exit(
    ctx: &Context<'_>,
    early: &EarlyExits,
    index: usize,
    stage: usize,
) -> bool {
    let early = early.get_or_init(|| early_exit_runs(ctx));
    early[early.partition_point(|&i| i < index)..]
        .iter()
        .any(|&i| {
            ctx.model
                .context(i)
                .stage
                .is_some_and(|s| ctx.model.is_built_on(s, stage))
        })
}

/// [`early_exit_runs`], computed once per file on first ask.
type EarlyExits = std::cell::OnceCell<Vec<usize>>;

/// The RUNs (instruction indices, in order) that pipe into a command that stops reading
/// early.
fn early_exit_runs(ctx: &Context<'_>) -> Vec<usize> {
    ctx.model
        .runs()
        .filter(|(_, run)| {
            run.command()
                .and_then(CommandLine::script)
                .is_some_and(|script| {
                    script.commands.iter().any(|c| {
                        c.op_before == Some(Operator::Pipe)
                            && c.context != shell::Context::ShellString
                            && stops_reading_early(c)
                    })
                })
        })
        .map(|(i, _)| i)
        .collect()
}

/// A consumer that may exit before reading all its input (`head`, `grep -q`): with pipefail
/// the producer's SIGPIPE would fail the RUN, so pipefail is no cure there.
fn stops_reading_early(c: &shell::Command) -> bool {
    let Some(name) = c.name() else {
        return false;
    };
    let args = c.args();
    match basename(&name.value) {
        "head" => true,
        "grep" | "egrep" | "fgrep" => args.iter().any(|a| {
            let v = a.value.as_str();
            v == "--quiet"
                || v == "--silent"
                || v.starts_with("--max-count")
                || (v.starts_with('-')
                    && !v.starts_with("--")
                    && (v.contains('q') || v.contains('m')))
        }),
        _ => false,
    }
}

/// The simple commands piped directly into `last`, nearest first.
fn producers<'c>(
    source: &str,
    before: &'c [shell::Command],
    last: &'c shell::Command,
) -> Vec<&'c shell::Command> {
    let mut out = Vec::new();
    let mut current = last;
    while current.op_before == Some(Operator::Pipe) {
        let Some(prev) = before
            .iter()
            .rev()
            .find(|p| p.depth == current.depth && p.span.end <= current.span.start)
        else {
            break;
        };
        if !directly_piped(source, prev, current) {
            // A compound command or something unknown in between: not a simple producer.
            return Vec::new();
        }
        out.push(prev);
        current = prev;
    }
    out
}

/// Whether only blanks, line continuations, Dockerfile comment lines (which the builder
/// drops from a continued RUN) and one `|` / `|&` separate `a` from `b`.
fn directly_piped(source: &str, a: &shell::Command, b: &shell::Command) -> bool {
    let Some(between) = source.get(a.span.end as usize..b.span.start as usize) else {
        return false;
    };
    let mut lines = between.split('\n');
    let rest: String = lines
        .next()
        .into_iter()
        .chain(lines.filter(|l| !l.trim_start().starts_with('#')))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace() && *c != '\\' && *c != '`')
        .collect();
    rest == "|" || rest == "|&"
}

/// The `|` before `c` in the source, else the command word of `c`.
fn pipe_span(source: &str, c: &shell::Command) -> Span {
    let bytes = source.as_bytes();
    let mut k = c.span.start as usize;
    while k > 0 {
        let b = bytes[k - 1];
        if b == b'|' {
            return Span::new(k - 1, k);
        }
        if b == b'&' && k >= 2 && bytes[k - 2] == b'|' {
            return Span::new(k - 2, k);
        }
        if !(b.is_ascii_whitespace() || b == b'\\' || b == b'`') {
            break;
        }
        k -= 1;
    }
    c.name().map_or(c.span, |w| w.span)
}

fn program_name(c: &shell::Command) -> String {
    c.name()
        .map_or_else(|| "...".to_owned(), |w| basename(&w.value).to_owned())
}

#[cfg(test)]
mod tests {
    use super::sets_pipefail;
    use crate::rules::edits::testing::{fixed, fixes};

    const BASH: &str = r#"SHELL ["/bin/bash", "-o", "pipefail", "-c"]"#;

    #[test]
    fn shell_line_before_the_first_offending_run_and_its_comments() {
        let before = "FROM debian:12\nRUN apt-get update\n  # fetch\n  RUN curl -fsSL https://x \\\n  | tar -xz\nRUN curl https://y | sh\n";
        let after = format!("FROM debian:12\nRUN apt-get update\n  {BASH}\n  # fetch\n  RUN curl -fsSL https://x \\\n  | tar -xz\nRUN curl https://y | sh\n");
        assert_eq!(fixed("DD601", before), after);
        assert_eq!(
            fixed("DD601", "FROM alpine:3.22\r\nRUN wget -O- https://x | tar -xz\r\n"),
            "FROM alpine:3.22\r\nSHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]\r\nRUN wget -O- https://x | tar -xz\r\n"
        );
    }

    #[test]
    fn another_stage_piping_into_head_does_not_matter() {
        let before =
            "FROM debian:12\nRUN curl x | tar -xz\nFROM debian:12\nRUN find / | head -n 1\n";
        let after = format!("FROM debian:12\n{BASH}\nRUN curl x | tar -xz\nFROM debian:12\nRUN find / | head -n 1\n");
        assert_eq!(fixed("DD601", before), after);
    }

    #[test]
    fn lowercase_files_get_a_lowercase_keyword() {
        assert_eq!(
            fixed("DD601", "from debian:12\nrun curl x | tar -xz\n"),
            "from debian:12\nshell [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nrun curl x | tar -xz\n"
        );
    }

    #[test]
    fn one_shell_line_for_a_stage_and_the_stages_built_on_it() {
        let before = "FROM ubuntu:24.04 AS a\nRUN curl x | tar -xz\nFROM a\nRUN curl y | tar -xz\nFROM fedora:42\nRUN curl z | tar -xz\n";
        let after = format!("FROM ubuntu:24.04 AS a\n{BASH}\nRUN curl x | tar -xz\nFROM a\nRUN curl y | tar -xz\nFROM fedora:42\n{BASH}\nRUN curl z | tar -xz\n");
        assert_eq!(fixed("DD601", before), after);
    }

    #[test]
    fn no_fix_when_the_shell_is_unknown_or_set() {
        for src in [
            "FROM example.com/base:1\nRUN curl x | tar -xz\n",
            "FROM debian:12\nRUN curl x | tar -xz\nSHELL [\"/bin/sh\", \"-c\"]\n",
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN curl x | tar -xz\n",
            "FROM debian:12\nRUN <<EOF\n#!/bin/sh\ncurl x | tar -xz\nEOF\n",
            "FROM debian:12\nONBUILD RUN curl x | tar -xz\n",
            "FROM debian:12 AS a\nRUN curl x | tar -xz\nFROM a\nRUN find / | head -n 1\n",
            "FROM debian:12\nRUN curl x | tar -xz && v=$(ls | grep -q x)\n",
        ] {
            let all = fixes("DD601", src);
            assert!(!all.is_empty(), "{src}: not reported");
            assert!(all.iter().all(Option::is_none), "{src}: {all:?}");
        }
    }

    #[test]
    fn shebangs() {
        assert_eq!(
            super::shebang_argv("#!/usr/bin/env bash\nset -e\n"),
            Some(vec!["bash"])
        );
        assert_eq!(
            super::shebang_argv("#!/bin/bash -eo pipefail\n"),
            Some(vec!["/bin/bash", "-eo", "pipefail"])
        );
        assert_eq!(super::shebang_argv("set -e\n"), None);
    }

    #[test]
    fn pipefail_options() {
        assert!(sets_pipefail(&["/bin/bash", "-o", "pipefail", "-c"]));
        assert!(sets_pipefail(&["bash", "-euxo", "pipefail", "-c"]));
        assert!(sets_pipefail(&["set", "-eo", "pipefail"]));
        assert!(!sets_pipefail(&["set", "+o", "pipefail"]));
        assert!(!sets_pipefail(&["/bin/bash", "-c"]));
        assert!(!sets_pipefail(&["set", "-e"]));
    }
}
