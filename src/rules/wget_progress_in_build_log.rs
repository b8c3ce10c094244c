//! DD605: wget with its default progress output, which floods the build log.

use super::{Context, Sink};
use crate::semantic::commands::run_commands;

/// Options that set or silence wget's progress output, or send it to a file.
const QUIET: &[&str] = &[
    "--progress",
    "--quiet",
    "--no-verbose",
    "--output-file",
    "--append-output",
];

/// Options whose value is a separate word.
const VALUE_OPTIONS: &[&str] = &[
    "-O",
    "-o",
    "-a",
    "-P",
    "-e",
    "-t",
    "-T",
    "-w",
    "-U",
    "-i",
    "-B",
    "--header",
    "--user-agent",
];

/// DD605
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, inst) in ctx.model.runs() {
        for command in run_commands(inst) {
            // Something to download: `wget --version` prints no progress.
            if command.program() != "wget" || command.positionals(VALUE_OPTIONS).is_empty() {
                continue;
            }
            let quiet = command.has_flag(QUIET)
                || command
                    .args()
                    .iter()
                    .take_while(|w| w.value != "--")
                    .any(|w| short_group_is_quiet(&w.value));
            if quiet {
                continue;
            }
            let Some(word) = command.program_word() else {
                continue;
            };
            sink.report(
                word.span,
                "`wget` prints its progress without a terminal as thousands of dots, one line per 50 KiB, which buries the rest of the build log",
                "add `--progress=dot:giga` (or `-nv`, or `-q` with `--show-progress` off)",
            );
        }
    }
}

/// wget's one-letter options that take a value: the rest of their group is the value.
const TAKES_VALUE: &[u8] = b"OoaPetTwUiBlQDARIX";

/// Whether a short-option word silences wget or logs to a file: `-q`, `-nv`, `-qO-`,
/// `-o log`, `-a log` (`-O-` alone writes the download to stdout, the progress still shows).
fn short_group_is_quiet(word: &str) -> bool {
    let Some(group) = word.strip_prefix('-').filter(|g| !g.starts_with('-')) else {
        return false;
    };
    if group == "nv" {
        return true;
    }
    for b in group.bytes() {
        match b {
            b'q' | b'o' | b'a' => return true,
            _ if TAKES_VALUE.contains(&b) || !b.is_ascii_alphabetic() => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::short_group_is_quiet;

    #[test]
    fn short_groups() {
        for quiet in ["-q", "-qO-", "-nv", "-cq", "-o", "-a"] {
            assert!(short_group_is_quiet(quiet), "{quiet}");
        }
        for noisy in ["-O-", "-Oq", "-c", "--quiet", "-P/tmp", "https://q.example"] {
            assert!(!short_group_is_quiet(noisy), "{noisy}");
        }
    }
}
