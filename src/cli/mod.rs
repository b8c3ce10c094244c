//! Command-line interface: argument parsing and the subcommands.
#![allow(clippy::print_stderr)] // the binary is where messages reach the user

pub(crate) mod check;
mod images_cmd;
mod input;
mod online;
mod parse_cmd;
mod pin;
pub(crate) mod rules_cmd;
pub(crate) mod settings;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit codes shared by every subcommand.
pub(crate) mod exit {
    /// Nothing to report at or above the threshold.
    pub(crate) const OK: u8 = 0;
    /// Findings at or above the fail level (for `parse`: syntax errors).
    pub(crate) const FINDINGS: u8 = 1;
    /// Usage, configuration or I/O error.
    pub(crate) const ERROR: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "drydock",
    version,
    about = "A Dockerfile static analyzer: stale and end-of-life base images, update steps, data in \
             the image, secrets, and the classic Dockerfile mistakes",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `drydock [PATH...]` is `drydock check [PATH...]`.
    #[command(flatten)]
    check: check::CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint Dockerfiles (the default command).
    Check(check::CheckArgs),
    /// List every rule.
    Rules(rules_cmd::RulesArgs),
    /// Show a rule's documentation.
    Explain(rules_cmd::ExplainArgs),
    /// List every FROM across the given paths with its resolved image and end-of-life
    /// status: which Dockerfiles are built on what, and which need a rebuild now.
    Images(images_cmd::ImagesArgs),
    /// Print how drydock reads Dockerfiles: directives, instructions with spans, the shell
    /// commands of each RUN, and syntax diagnostics.
    Parse(parse_cmd::ParseArgs),
    /// Pin `FROM image:tag` to `image:tag@sha256:<digest>` and refresh stale digests
    /// (asks the registries; `--registry-snapshot FILE` replays answers instead).
    Pin(pin::PinArgs),
    /// Run a language server on standard input and output (diagnostics, quick fixes,
    /// ignore actions, rule documentation on hover) for editors.
    Lsp,
}

/// Parse the command line and run the chosen subcommand.
pub(crate) fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::ERROR
            } else {
                exit::OK
            });
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match &cli.command {
        None => check::run(&cli.check, &mut out),
        Some(Command::Check(args)) => check::run(args, &mut out),
        Some(Command::Rules(args)) => rules_cmd::run_rules(args, &mut out),
        Some(Command::Explain(args)) => rules_cmd::run_explain(args, &mut out),
        Some(Command::Parse(args)) => parse_cmd::run(args, &mut out),
        Some(Command::Images(args)) => images_cmd::run(args, &mut out),
        Some(Command::Pin(args)) => pin::run(args, &mut out),
        Some(Command::Lsp) => {
            drop(out);
            return ExitCode::from(crate::lsp::run());
        }
    };
    let _ = out.flush();
    ExitCode::from(code)
}

/// Report an error that stops one path (not the whole run) on stderr.
pub(crate) fn report_error(message: &str) {
    let _ = writeln!(std::io::stderr(), "drydock: error: {message}");
}

/// Report a note about the run (an online check without an answer) on stderr.
pub(crate) fn report_note(note: &drydock::report::Note) {
    let level = if note.error { "error" } else { "note" };
    let _ = writeln!(std::io::stderr(), "drydock: {level}: {}", note.message);
}
