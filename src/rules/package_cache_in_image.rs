//! DD209: a package manager's index or download cache left in a layer of the final image.

use super::edits::{append_command, insert_after, single};
use super::{Context, Sink};
use crate::diagnostic::{Fix, Safety};
use crate::semantic::commands::{basename, RunCommand};
use crate::semantic::packages::{
    cache_mounted, cleans_cache_after, configured_before, Action, Family, PackageOp,
};
use crate::syntax::Instruction;

/// DD209
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.model.runs() {
        let ships = ctx
            .model
            .context(index)
            .stage
            .is_some_and(|s| ctx.model.is_in_final_image(s));
        if !ships {
            continue;
        }
        check_run(ctx, index, inst, sink);
    }
}

fn check_run(ctx: &Context<'_>, index: usize, inst: &Instruction, sink: &mut Sink) {
    let commands = ctx.model.commands(index);
    let env_value = |name: &str| ctx.model.env_var_at(index, name);
    let mut reported: Vec<Family> = Vec::new();
    for command in commands {
        let Some(op) = PackageOp::from_command(command) else {
            continue;
        };
        let manager = op.manager;
        let family = manager.family();
        if reported.contains(&family) {
            continue;
        }
        let changes = matches!(
            op.action,
            Action::Install | Action::Upgrade | Action::DistUpgrade | Action::IndexUpdate
        );
        // An inline `PIP_NO_CACHE_DIR=1 pip install` or an ENV of the stage chain.
        let inline = |name: &str| {
            let assignments = command.shell.map_or(&[][..], |c| c.assignments.as_slice());
            assignments
                .iter()
                .chain(command.wrapper_words())
                .find_map(|w| {
                    w.value
                        .strip_prefix(name)
                        .and_then(|v| v.strip_prefix('='))
                        .map(str::to_owned)
                })
        };
        let variable = |name: &str| inline(name).or_else(|| env_value(name));
        // `pip config set global.no-cache-dir ...` or a pip.conf written by an earlier RUN.
        let pip_configured = || {
            configured_before(
                ctx.model,
                index,
                command.span.start,
                &["global.no-cache-dir", "no-cache-dir=", "pip_no_cache_dir="],
            )
        };
        let (caches, help) = match family {
            Family::Apt => (
                op.refreshes_index,
                "delete the lists in the same RUN (`&& rm -rf /var/lib/apt/lists/*`), or keep them in a cache mount (`RUN --mount=type=cache,target=/var/lib/apt/lists ...`)".to_owned(),
            ),
            Family::Apk => (
                // `--no-network` installs from what is already there and fetches nothing.
                changes && !command.has_flag(&["--no-cache", "--no-network"]),
                format!("add `--no-cache`: `{} --no-cache ...`", op.name(ctx.source)),
            ),
            Family::Rpm => (
                changes,
                format!("end the RUN with `&& {} clean all`", manager.as_str()),
            ),
            Family::Zypper => (changes, "end the RUN with `&& zypper clean --all`".to_owned()),
            Family::Pip => {
                let off = variable("PIP_NO_CACHE_DIR").is_some_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
                });
                (
                    op.action == Action::Install
                        && !off
                        && !command.has_flag(&["--no-cache-dir"])
                        && !pip_configured(),
                    format!(
                        "add `--no-cache-dir` (`{} --no-cache-dir ...`), set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache on `/root/.cache/pip`",
                        op.name(ctx.source)
                    ),
                )
            }
            Family::Yarn => (
                op.action == Action::Install,
                "end the RUN with `&& yarn cache clean`, or mount a cache on yarn's cache directory (`RUN --mount=type=cache,target=/usr/local/share/.cache/yarn ...`)".to_owned(),
            ),
            Family::Npm | Family::Gem | Family::Go => (false, String::new()),
        };
        if !caches {
            continue;
        }
        let extra = match family {
            Family::Pip => variable("PIP_CACHE_DIR"),
            Family::Yarn => variable("YARN_CACHE_FOLDER"),
            _ => None,
        };
        if cache_mounted(inst, manager, extra.as_deref())
            || cleans_cache_after(commands, manager, command.span.start)
        {
            continue;
        }
        reported.push(family);
        let name = op.name(ctx.source);
        let what = match family {
            Family::Apt => "leaves the package lists in /var/lib/apt/lists",
            Family::Apk => "leaves the package index in /var/cache/apk",
            Family::Rpm | Family::Zypper => {
                "leaves the repository metadata and downloaded packages in /var/cache"
            }
            Family::Pip => "keeps every downloaded wheel in pip's cache",
            _ => "keeps every downloaded package in yarn's cache",
        };
        let span = op.subcommand.as_ref().map_or(op.program, |w| w.span);
        sink.report(
            span,
            format!(
                "`{name}` {what}: the layer ships this cache in the final image, which only adds size"
            ),
            help,
        )
        .fix = cure(ctx.source, inst, commands, command, &op);
    }
}

/// The fix: the option that keeps no cache (apk, pip), else a cleanup command appended to
/// the RUN. No fix for yarn: `yarn cache clean` would delete a Yarn 2+ project's offline
/// cache, which Plug'n'Play reads at run time.
fn cure(
    source: &str,
    inst: &Instruction,
    commands: &[RunCommand<'_>],
    command: &RunCommand<'_>,
    op: &PackageOp,
) -> Option<Fix> {
    // Run through `sudo`, the cleanup would need it too: no fix rather than a guess.
    let elevated = command
        .wrapper_words()
        .iter()
        .any(|w| matches!(basename(&w.value), "sudo" | "doas"));
    // A RUN that only refreshes the index (`RUN apt-get update`) keeps it for a later RUN.
    let family = op.manager.family();
    let installs = commands
        .iter()
        .filter_map(PackageOp::from_command)
        .any(|o| {
            o.manager.family() == family
                && matches!(
                    o.action,
                    Action::Install | Action::Upgrade | Action::DistUpgrade
                )
        });
    let cleanup = |text: &str, safety| {
        if elevated || !installs {
            return None;
        }
        let edit = append_command(source, inst, text)?;
        Some(single(format!("append `&& {text}`"), edit, safety))
    };
    match family {
        Family::Apk if op.action != Action::IndexUpdate => add_option(source, op, "--no-cache"),
        Family::Pip => add_option(source, op, "--no-cache-dir"),
        // Unsafe: apt does not fetch missing lists itself, so a later `apt-get install`
        // without its own `apt-get update` now fails.
        Family::Apt => cleanup("rm -rf /var/lib/apt/lists/*", Safety::Unsafe),
        // apk, yum/dnf and zypper fetch a missing index again when a later command needs it.
        Family::Apk => cleanup("rm -rf /var/cache/apk/*", Safety::Safe),
        Family::Rpm => cleanup(&format!("{} clean all", command.program()), Safety::Safe),
        Family::Zypper => cleanup("zypper clean --all", Safety::Safe),
        Family::Npm | Family::Gem | Family::Yarn | Family::Go => None,
    }
}

/// `flag` added right after the subcommand word; safe, as the packages installed are the same.
fn add_option(source: &str, op: &PackageOp, flag: &str) -> Option<Fix> {
    let edit = insert_after(source, op.subcommand.as_ref()?, &format!(" {flag}"))?;
    Some(single(format!("add `{flag}`"), edit, Safety::Safe))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Safety;
    use crate::rules::edits::testing::{fixed, fixes};

    fn check(before: &str, after: &str) {
        assert_eq!(fixed("DD209", before), after, "{before}");
    }

    #[test]
    fn options_that_keep_no_cache() {
        check(
            "FROM alpine\nRUN apk --update add curl\n",
            "FROM alpine\nRUN apk --update add --no-cache curl\n",
        );
        check(
            "FROM python\nRUN python3 -m pip install -r r.txt && pip install x\n",
            "FROM python\nRUN python3 -m pip install --no-cache-dir -r r.txt && pip install --no-cache-dir x\n",
        );
        let all = fixes("DD209", "FROM alpine\nRUN apk add curl\n");
        assert_eq!(all[0].as_ref().map(|f| f.safety), Some(Safety::Safe));
    }

    #[test]
    fn cleanups_appended_to_the_list() {
        check(
            "FROM debian\nRUN apt-get update; apt-get install -y x\n",
            "FROM debian\nRUN apt-get update; apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
        );
        check(
            "FROM fedora\nRUN dnf install -y x && echo ok;\n",
            "FROM fedora\nRUN dnf install -y x && echo ok && dnf clean all;\n",
        );
        check(
            "FROM opensuse/leap\nRUN zypper -n in x\n",
            "FROM opensuse/leap\nRUN zypper -n in x && zypper clean --all\n",
        );
        check(
            "FROM alpine\nRUN apk update && apk add --no-cache x\n",
            "FROM alpine\nRUN apk update && apk add --no-cache x && rm -rf /var/cache/apk/*\n",
        );
        let all = fixes(
            "DD209",
            "FROM debian\nRUN apt-get update && apt-get install -y x\n",
        );
        assert_eq!(all[0].as_ref().map(|f| f.safety), Some(Safety::Unsafe));
    }

    #[test]
    fn continuation_lines_get_one_more_line() {
        check(
            "FROM debian\nRUN apt-get update \\\n && apt-get install -y x\n",
            "FROM debian\nRUN apt-get update \\\n && apt-get install -y x \\\n && rm -rf /var/lib/apt/lists/*\n",
        );
        check(
            "FROM debian\nRUN apt-get update && \\\n    apt-get install -y x\nUSER app\n",
            "FROM debian\nRUN apt-get update && \\\n    apt-get install -y x && \\\n    rm -rf /var/lib/apt/lists/*\nUSER app\n",
        );
        check(
            "FROM debian\r\nRUN apt-get update \\\r\n && apt-get install -y x\r\n",
            "FROM debian\r\nRUN apt-get update \\\r\n && apt-get install -y x \\\r\n && rm -rf /var/lib/apt/lists/*\r\n",
        );
        // A comment line inside the continuation is not repeated.
        check(
            "FROM debian\nRUN apt-get update \\\n# the tools\n && apt-get install -y x\n",
            "FROM debian\nRUN apt-get update \\\n# the tools\n && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n",
        );
    }

    #[test]
    fn no_fix_when_the_list_is_not_plain() {
        for src in [
            "FROM debian\nRUN apt-get update && apt-get install -y x || true\n",
            "FROM debian\nRUN apt-get update && apt-get install -y x | tee log\n",
            "FROM debian\nRUN if true; then apt-get update; fi\n",
            "FROM debian\nRUN sudo apt-get update && sudo apt-get install -y x\n",
            "FROM debian\nRUN [\"apt-get\", \"update\"]\n",
            "FROM debian\nRUN sh -c 'apt-get update && apt-get install -y x'\n",
            "FROM debian\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\n",
            "FROM debian\nRUN apt-get update & wait\n",
            "FROM alpine\nRUN [\"apk\", \"add\", \"curl\"]\n",
            "FROM node\nRUN yarn install\n",
            "FROM debian\nRUN apt-get update && apt-get install -y x; exit 0\n",
            "FROM debian\nRUN apt-get update\n",
            "FROM opensuse/leap\nRUN zypper ref\n",
        ] {
            let all = fixes("DD209", src);
            assert!(!all.is_empty(), "{src}: not reported");
            assert!(all.iter().all(Option::is_none), "{src}: {all:?}");
        }
    }
}
