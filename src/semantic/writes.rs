//! The paths a RUN writes, as far as its commands tell: redirection targets, `tee`,
//! `cp`/`mv`/`ln` destinations, `touch`/`mkdir`, `chown`/`chmod`, `tar -x -C`, `git clone`,
//! `curl -o`/`wget -O`, `dd of=`; relative paths resolved against the WORKDIR and literal `cd`s.

use crate::shell::{RedirectOp, Word};
use crate::span::Span;

use super::commands::RunCommand;
use super::normalize_path;

/// A path a command writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// Normalised absolute path.
    pub path: String,
    /// The word naming it (for `git clone url` without a directory: the URL).
    pub span: Span,
    /// The whole command.
    pub command: Span,
    /// The program that writes (`cp`, `tee`...), `>` for a redirection.
    pub program: String,
}

/// The paths `commands` write, in order. `workdir` is the WORKDIR in force (`None`: the
/// base image's, unknown, so relative paths are skipped until a literal `cd`).
#[must_use]
pub fn writes(commands: &[RunCommand<'_>], workdir: Option<&str>) -> Vec<Write> {
    let mut cwd = workdir.map(str::to_owned);
    let mut out = Vec::new();
    for command in commands {
        // Commands are flattened, so a `cd` in a subshell leaks: a rare, harmless guess.
        if command.program() == "cd" {
            cwd = match command.positionals(&[]).first() {
                Some(w) if literal(w) => resolve(cwd.as_deref(), &w.value),
                _ => None,
            };
            continue;
        }
        let mut push = |w: &Word, program: &str| {
            if let Some(path) = literal(w)
                .then(|| resolve(cwd.as_deref(), &w.value))
                .flatten()
            {
                out.push(Write {
                    path,
                    span: w.span,
                    command: command.span,
                    program: program.to_owned(),
                });
            }
        };
        for redirect in command.redirects() {
            let writes = matches!(
                redirect.op,
                RedirectOp::Out
                    | RedirectOp::Append
                    | RedirectOp::Clobber
                    | RedirectOp::OutErr
                    | RedirectOp::AppendOutErr
                    | RedirectOp::ReadWrite
            );
            if let Some(target) = redirect.target.as_ref().filter(|_| writes) {
                push(target, ">");
            }
        }
        for target in targets(command) {
            push(target, command.program());
        }
        // `dd of=FILE`: the path is inside the word; report the whole word.
        if command.program() == "dd" {
            for w in command.args() {
                let Some(path) = w.value.strip_prefix("of=") else {
                    continue;
                };
                if let Some(path) = literal(w).then(|| resolve(cwd.as_deref(), path)).flatten() {
                    out.push(Write {
                        path,
                        span: w.span,
                        command: command.span,
                        program: "dd".to_owned(),
                    });
                }
            }
        }
    }
    out.retain(|w| !w.path.starts_with("/dev/") && !w.path.starts_with("/proc/"));
    out
}

/// The words a command writes to (before resolution).
fn targets<'c>(command: &'c RunCommand<'_>) -> Vec<&'c Word> {
    match command.program() {
        "tee" => command.positionals(&[]),
        "touch" => command.positionals(&["-d", "-r", "-t"]),
        "mkdir" => command.positionals(&["-m", "--mode"]),
        "cp" | "mv" | "ln" | "install" => destination(command),
        "chown" | "chmod" | "chgrp" => {
            let positionals = command.positionals(&[]);
            // The first operand is the owner or mode unless `--reference` gives it.
            let skip = usize::from(!command.has_flag(&["--reference"]));
            positionals.into_iter().skip(skip).collect()
        }
        "tar" => tar_directory(command).into_iter().collect(),
        "git" => git_clone_directory(command).into_iter().collect(),
        "curl" => command
            .flag_value(&["-o", "--output"])
            .map(|v| v.word())
            .into_iter()
            .collect(),
        "wget" => command
            .flag_value(&["-O", "--output-document", "-P", "--directory-prefix"])
            .map(|v| v.word())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// The destination of `cp`/`mv`/`ln`/`install`: `-t DIR`, else the last of two or more
/// operands.
fn destination<'c>(command: &'c RunCommand<'_>) -> Vec<&'c Word> {
    if let Some(v) = command.flag_value(&["-t", "--target-directory"]) {
        return vec![v.word()];
    }
    let positionals = command.positionals(&["-S", "--suffix", "-m", "--mode", "-o", "-g"]);
    if positionals.len() < 2 {
        return Vec::new();
    }
    positionals.last().copied().into_iter().collect()
}

/// The `-C DIR` of an extracting `tar` (`tar -xzf f -C d`, `tar xzf f -C d`).
fn tar_directory<'c>(command: &'c RunCommand<'_>) -> Option<&'c Word> {
    let old_style = command
        .args()
        .first()
        .is_some_and(|w| !w.value.starts_with('-') && w.value.contains('x'));
    let extracts = old_style || command.has_flag(&["-x", "--extract", "--get"]);
    if !extracts {
        return None;
    }
    let value = command.flag_value(&["-C", "--directory"])?;
    // `-C/opt` holds the path inside the option word, which has no span of its own: skipped.
    matches!(value, super::commands::FlagValue::Word(_)).then(|| value.word())
}

/// The directory `git clone URL [DIR]` creates (the URL word stands for the default).
fn git_clone_directory<'c>(command: &'c RunCommand<'_>) -> Option<&'c Word> {
    let positionals = command.positionals(&[
        "-C",
        "-c",
        "--depth",
        "-b",
        "--branch",
        "-o",
        "--origin",
        "--reference",
        "-j",
        "--jobs",
        "--filter",
        "--separate-git-dir",
        "-u",
        "--upload-pack",
        "--template",
        "--shallow-since",
        "--shallow-exclude",
    ]);
    let (sub, rest) = positionals.split_first()?;
    if sub.value != "clone" {
        return None;
    }
    rest.get(1).copied()
}

/// A word whose value is known: no expansion, no `~`, not empty.
fn literal(w: &Word) -> bool {
    !w.has_expansion && !w.value.is_empty() && !w.value.starts_with('~')
}

/// `path` made absolute against `cwd` and normalised; `None` if relative with no cwd.
fn resolve(cwd: Option<&str>, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return Some(normalize_path(path));
    }
    Some(normalize_path(&format!("{}/{path}", cwd?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::commands::run_commands;
    use crate::syntax::parse;

    fn paths(run: &str, workdir: Option<&str>) -> Vec<String> {
        let src = format!("FROM a\n{run}\n");
        let df = parse(&src);
        let commands = run_commands(&df.instructions[1]);
        writes(&commands, workdir)
            .into_iter()
            .map(|w| w.path)
            .collect()
    }

    #[test]
    fn finds_written_paths() {
        let run = "RUN echo x > /data/a && echo y >> b 2>/dev/null && tee -a /data/c < x \
                   && cp -r src /data/d && mkdir -p -m 700 /data/e /data/f && touch g \
                   && chown -R app:app /data/h && chmod 600 /data/i && ln -s /x /data/j \
                   && dd if=/dev/zero of=/data/k bs=1 count=1";
        assert_eq!(
            paths(run, Some("/srv")),
            [
                "/data/a", "/srv/b", "/data/c", "/data/d", "/data/e", "/data/f", "/srv/g",
                "/data/h", "/data/i", "/data/j", "/data/k"
            ]
        );
    }

    #[test]
    fn tar_git_curl_and_cd() {
        let run = "RUN tar -xzf x.tgz -C /opt && tar -czf /tmp/y.tgz -C /data . \
                   && git clone --depth 1 https://x/repo.git /src/repo \
                   && cd /var/www && curl -fsSLo page.html https://x && curl -o /tmp/f https://y \
                   && cd $HOME && touch lost";
        assert_eq!(
            paths(run, None),
            ["/opt", "/src/repo", "/tmp/f"],
            "`-fsSLo page.html` is a group whose value is not split; `$HOME` is unknown"
        );
    }

    #[test]
    fn relative_paths_need_a_workdir() {
        assert!(paths("RUN touch x", None).is_empty());
        assert_eq!(paths("RUN cd /a && touch ../b/x", None), ["/b/x"]);
    }
}
