//! DD607: bash-only syntax in a RUN that runs under POSIX `sh` (dash or busybox ash).

use std::collections::HashSet;

use super::{Context, Sink};
use crate::semantic::commands::basename;
use crate::semantic::distro::SystemShell;
use crate::shell::bashism::{
    assignment_construct, word_constructs, AssignmentConstruct, WordConstruct,
};
use crate::shell::{self, RedirectOp, Script};
use crate::span::Span;
use crate::syntax::{CommandLine, InstructionKind};

/// The POSIX shell a RUN's script goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Dash,
    Ash,
    /// `/bin/sh` of an image the model cannot tell: only what both dash and ash reject.
    AnySh,
}

impl Dialect {
    fn describe(self) -> &'static str {
        match self {
            Dialect::Dash => "dash (`/bin/sh` on Debian and Ubuntu)",
            Dialect::Ash => "busybox ash (`/bin/sh` on Alpine)",
            Dialect::AnySh => "`/bin/sh` (dash on Debian and Ubuntu, busybox ash on Alpine)",
        }
    }
}

/// A bash-only construct and how the POSIX shells take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Construct {
    Source,
    DoubleBracket,
    ArithmeticCommand,
    FunctionKeyword,
    TestDoubleEquals,
    OutErrRedirect,
    HereString,
    Array,
    Append,
    DirStack,
    EchoE,
    Word(WordConstruct),
}

impl Construct {
    /// Whether busybox ash (built with its default bash compatibility) accepts it.
    fn ash_accepts(self) -> bool {
        matches!(
            self,
            Construct::Source
                | Construct::DoubleBracket
                | Construct::FunctionKeyword
                | Construct::TestDoubleEquals
                | Construct::OutErrRedirect
                | Construct::EchoE
                | Construct::Word(
                    WordConstruct::AnsiCQuote
                        | WordConstruct::Substring
                        | WordConstruct::Replacement
                        | WordConstruct::CaseModification
                )
        )
    }

    /// Whether `dialect` rejects it or runs it differently from bash.
    fn breaks_under(self, dialect: Dialect) -> bool {
        match dialect {
            Dialect::Dash => true,
            Dialect::Ash | Dialect::AnySh => !self.ash_accepts(),
        }
    }

    /// What it is and what the POSIX shell does with it.
    fn effect(self) -> &'static str {
        match self {
            Construct::Source => "`source` is a bash builtin: dash has only `.` and fails with `source: not found`",
            Construct::DoubleBracket => "`[[ ]]` is bash syntax: the command `[[` is not found",
            Construct::ArithmeticCommand => "`(( ))` is a bash arithmetic command: sh reads it as nested subshells and runs the expression as a command",
            Construct::FunctionKeyword => "the `function` keyword is bash/ksh syntax: dash stops with a syntax error",
            Construct::TestDoubleEquals => "`==` is a bash extension of `[`/`test`: dash fails with `unexpected operator`",
            Construct::OutErrRedirect => "`&>` is bash's redirection of both streams: dash reads `cmd &> f` as `cmd &` (in the background) then `> f` (truncating the file)",
            Construct::HereString => "`<<<` (here-string) is bash syntax: sh stops with a syntax error",
            Construct::Array => "arrays are bash syntax: sh stops with a syntax error at `(`",
            Construct::Append => "`+=` is bash's append assignment: sh runs the word as a command name",
            Construct::DirStack => "`pushd`/`popd` are bash builtins: sh fails with `not found`",
            Construct::EchoE => "dash's `echo` has no `-e`: it prints `-e` and always interprets backslash escapes",
            Construct::Word(WordConstruct::AnsiCQuote) => "`$'..'` (ANSI-C quoting) is bash syntax: dash before 0.5.13 keeps the `$` and the backslashes literally",
            Construct::Word(WordConstruct::Substring) => "`${var:offset:length}` is a bash expansion: dash fails with `Bad substitution`",
            Construct::Word(WordConstruct::Replacement) => "`${var/pattern/replacement}` is a bash expansion: dash fails with `Bad substitution`",
            Construct::Word(WordConstruct::CaseModification) => "`${var^^}`/`${var,,}` are bash expansions: dash fails with `Bad substitution`",
            Construct::Word(WordConstruct::Indirect) => "`${!var}` (indirect expansion) is bash syntax: sh fails with `Bad substitution`",
            Construct::Word(WordConstruct::ArrayReference) => "`${a[i]}` (array reference) is bash syntax: sh fails with `Bad substitution`",
            Construct::Word(WordConstruct::BraceExpansion) => "brace expansion is bash's: sh passes the word with its braces literally",
            Construct::Word(WordConstruct::ProcessSubstitution) => "process substitution is bash syntax: sh stops with a syntax error at `(`",
        }
    }

    /// The POSIX way to write it.
    fn instead(self) -> &'static str {
        match self {
            Construct::Source => "use `. file`",
            Construct::DoubleBracket => {
                "use `[ ... ]` (quote the variables) or `case` for patterns"
            }
            Construct::ArithmeticCommand => "use `[ \"$((expr))\" -ne 0 ]` or `x=$((x + 1))`",
            Construct::FunctionKeyword => "define it as `name() { ...; }`",
            Construct::TestDoubleEquals => "use `=` to compare strings",
            Construct::OutErrRedirect => "use `> file 2>&1`",
            Construct::HereString => "use `printf '%s\\n' \"$x\" | cmd` or a heredoc",
            Construct::Array | Construct::Word(WordConstruct::ArrayReference) => {
                "use `set -- a b c` and `\"$@\"`, or a space-separated string"
            }
            Construct::Append => "use `var=\"${var}more\"`",
            Construct::DirStack => {
                "use `cd dir && ... && cd -`, a subshell `(cd dir && ...)`, or WORKDIR"
            }
            Construct::EchoE => "use `printf '...\\n'`",
            Construct::Word(WordConstruct::AnsiCQuote) => {
                "use `\"$(printf '...')\"` or a literal character"
            }
            Construct::Word(
                WordConstruct::Substring
                | WordConstruct::Replacement
                | WordConstruct::CaseModification
                | WordConstruct::Indirect,
            ) => "use `cut`, `sed`, `tr` or `expr` (or `eval` for indirection)",
            Construct::Word(WordConstruct::BraceExpansion) => {
                "write the words out (`a b` instead of `{a,b}`), or use a `for` loop"
            }
            Construct::Word(WordConstruct::ProcessSubstitution) => "use a pipe or a temporary file",
        }
    }
}

/// DD607
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, run) in ctx.model.runs() {
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        let InstructionKind::Run(CommandLine::Shell(form)) = &run.kind else {
            continue;
        };
        let Some(script) = form.script.as_ref() else {
            continue;
        };
        let Some(dialect) = dialect_at(ctx, index, form.text.as_str()) else {
            continue;
        };
        let mut seen = HashSet::new();
        for (span, construct) in constructs(ctx.source, script) {
            if !construct.breaks_under(dialect) || !seen.insert(construct) {
                continue;
            }
            sink.report(
                span,
                format!(
                    "`{}` under {}: {}",
                    span.slice(ctx.source).trim(),
                    dialect.describe(),
                    construct.effect()
                ),
                format!(
                    "{}; or, if the image has bash, declare `SHELL [\"/bin/bash\", \"-c\"]` before this RUN",
                    construct.instead()
                ),
            );
        }
    }
}

/// The POSIX dialect the RUN at `index` runs under: a heredoc script's `#!` line, else
/// SHELL, else `/bin/sh` of the stage's image; `None` for bash and other shells, for an
/// image whose `/bin/sh` is bash, or after a RUN replaced `/bin/sh`.
fn dialect_at(ctx: &Context<'_>, index: usize, text: &str) -> Option<Dialect> {
    let interpreter = match text.strip_prefix("#!") {
        Some(line) => shebang_program(line.lines().next().unwrap_or(""))?,
        None => match ctx.model.shell_at(index) {
            Some(argv) => basename(argv.first()?).to_owned(),
            None => "sh".to_owned(),
        },
    };
    match interpreter.as_str() {
        "dash" => Some(Dialect::Dash),
        "ash" | "busybox" => Some(Dialect::Ash),
        "sh" => {
            let stage = ctx.model.context(index).stage?;
            if ctx.model.sh_replaced_before(index) {
                return None;
            }
            match ctx.model.system_shell(stage) {
                Some(SystemShell::Dash) => Some(Dialect::Dash),
                Some(SystemShell::BusyboxAsh) => Some(Dialect::Ash),
                Some(SystemShell::Bash | SystemShell::None) => None,
                None => Some(Dialect::AnySh),
            }
        }
        _ => None,
    }
}

/// The program of a `#!` line (`/usr/bin/env sh` gives `sh`).
fn shebang_program(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    let first = basename(words.next()?);
    let program = if first == "env" {
        words.find(|w| !w.starts_with('-'))?
    } else {
        first
    };
    Some(basename(program).to_owned())
}

/// Every bash-only construct of the script, in source order. Commands inside re-parsed
/// `sh -c`/`bash -c` strings are left out (their shell is the one named there).
fn constructs(source: &str, script: &Script) -> Vec<(Span, Construct)> {
    let mut out: Vec<(Span, Construct)> = script
        .function_keywords
        .iter()
        .map(|&k| (k, Construct::FunctionKeyword))
        .collect();
    for command in &script.commands {
        if command.context == shell::Context::ShellString {
            continue;
        }
        command_constructs(source, command, &mut out);
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

fn command_constructs(source: &str, command: &shell::Command, out: &mut Vec<(Span, Construct)>) {
    for w in &command.assignments {
        if let Some((range, kind)) = assignment_construct(w.span.slice(source)) {
            let construct = match kind {
                AssignmentConstruct::Array => Construct::Array,
                AssignmentConstruct::Append => Construct::Append,
            };
            out.push((sub_span(w.span, range), construct));
        }
    }
    for r in &command.redirects {
        match r.op {
            RedirectOp::OutErr | RedirectOp::AppendOutErr => {
                out.push((operator_span(source, r), Construct::OutErrRedirect));
            }
            RedirectOp::HereString => out.push((operator_span(source, r), Construct::HereString)),
            _ => {}
        }
    }
    let Some(name) = command.name() else {
        return;
    };
    let args = command.args();
    match name.value.as_str() {
        "source" => out.push((name.span, Construct::Source)),
        "[[" => out.push((name.span, Construct::DoubleBracket)),
        // `((` holds the expression as one raw word: nothing more to read inside.
        "((" => {
            out.push((name.span, Construct::ArithmeticCommand));
            return;
        }
        "pushd" | "popd" => out.push((name.span, Construct::DirStack)),
        "[" | "test" => {
            if let Some(eq) = args.iter().find(|w| w.value == "==") {
                out.push((eq.span, Construct::TestDoubleEquals));
            }
        }
        // `/bin/echo` is coreutils' echo, which takes `-e`; the builtin is bare `echo`.
        "echo" if !name.quoted => {
            if let Some(flag) = args.first().filter(|w| is_echo_e(&w.value)) {
                out.push((flag.span, Construct::EchoE));
            }
        }
        // `declare -a a=(..)`, `local a=(..)`: the array is in an argument word.
        "declare" | "typeset" | "local" | "export" | "readonly" => {
            for w in args {
                if let Some((range, AssignmentConstruct::Array)) =
                    assignment_construct(w.span.slice(source))
                {
                    out.push((sub_span(w.span, range), Construct::Array));
                }
            }
        }
        _ => {}
    }
    for w in &command.words {
        for (range, kind) in word_constructs(w.span.slice(source)) {
            out.push((sub_span(w.span, range), Construct::Word(kind)));
        }
    }
}

/// `-e`, `-ne`, `-en`, `-neE`: an echo option word holding `-e`.
fn is_echo_e(word: &str) -> bool {
    word.strip_prefix('-').is_some_and(|flags| {
        !flags.is_empty() && flags.bytes().all(|b| b"neE".contains(&b)) && flags.contains('e')
    })
}

/// The part `range` of the text of `span`.
fn sub_span(span: Span, range: std::ops::Range<usize>) -> Span {
    let start = span.start() + range.start;
    Span::new(start, (span.start() + range.end).min(span.end()))
}

/// The operator of redirection `r` (`&>`, `&>>`, `<<<`), without fd and target.
fn operator_span(source: &str, r: &shell::Redirect) -> Span {
    let text = r.span.slice(source);
    let start = text.find(['&', '<']).unwrap_or(0);
    let len = text[start..]
        .bytes()
        .take_while(|b| b"&<>".contains(b))
        .count()
        .max(1);
    Span::new(r.span.start() + start, r.span.start() + start + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_e_flags() {
        assert!(is_echo_e("-e"));
        assert!(is_echo_e("-ne"));
        assert!(!is_echo_e("-n"));
        assert!(!is_echo_e("-x"));
        assert!(!is_echo_e("-"));
    }

    #[test]
    fn shebangs() {
        assert_eq!(shebang_program("/bin/sh -e").as_deref(), Some("sh"));
        assert_eq!(
            shebang_program("/usr/bin/env bash").as_deref(),
            Some("bash")
        );
        assert_eq!(shebang_program("").as_deref(), None);
    }
}
