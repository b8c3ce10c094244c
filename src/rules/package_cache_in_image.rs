//! DD209: a package manager's index or download cache left in a layer of the final image.

use super::{Context, Sink};
use crate::semantic::commands::run_commands;
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
    let commands = run_commands(inst);
    let env = ctx.model.env_at(index);
    let env_value = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut reported: Vec<Family> = Vec::new();
    for command in &commands {
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
            || cleans_cache_after(&commands, manager, command.span.start)
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
        );
    }
}
