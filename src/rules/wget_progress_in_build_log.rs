//! DD605: wget with its default progress output, which floods the build log.

use super::edits::{insert_after, single};
use super::{Context, Sink};
use crate::diagnostic::{Fix, Safety};
use crate::semantic::distro::SystemShell;
use crate::shell::Word;

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
    for (index, _) in ctx.model.runs() {
        for command in ctx.model.commands(index) {
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
            )
            .fix = giga_dots(ctx, index, word);
        }
    }
}

/// `--progress=dot:giga` after `wget`, in a Debian or Ubuntu stage only: there `wget` is GNU
/// wget 1.x; BusyBox wget (Alpine) and wget2 (Fedora 40+) reject the option.
fn giga_dots(ctx: &Context<'_>, index: usize, wget: &Word) -> Option<Fix> {
    let stage = ctx.model.context(index).stage?;
    if ctx.model.system_shell(stage) != Some(SystemShell::Dash) {
        return None;
    }
    let flag = "--progress=dot:giga";
    let edit = insert_after(ctx.source, wget, &format!(" {flag}"))?;
    Some(single(format!("add `{flag}`"), edit, Safety::Safe))
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
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn fixes_gnu_wget_only() {
        assert_eq!(
            fixed(
                "DD605",
                "FROM ubuntu:24.04\nRUN cd /tmp \\\n && wget https://x.example/a.tgz\n"
            ),
            "FROM ubuntu:24.04\nRUN cd /tmp \\\n && wget --progress=dot:giga https://x.example/a.tgz\n"
        );
        for src in [
            "FROM alpine:3.22\nRUN wget https://x.example/a.tgz\n",
            "FROM fedora:42\nRUN wget https://x.example/a.tgz\n",
            "FROM example.com/base:1\nRUN wget https://x.example/a.tgz\n",
            "FROM debian:12\nRUN [\"wget\", \"https://x.example/a.tgz\"]\n",
        ] {
            let all = fixes("DD605", src);
            assert!(!all.is_empty(), "{src}: not reported");
            assert!(all.iter().all(Option::is_none), "{src}: {all:?}");
        }
    }

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
