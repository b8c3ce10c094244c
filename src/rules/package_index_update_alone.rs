//! DD201: a package index refreshed in a RUN that installs and upgrades nothing.

use super::{Context, Sink};
use crate::semantic::commands::run_commands;
use crate::semantic::packages::{has_cache_mount, removes_index, Action};
use crate::syntax::Keyword;

/// DD201
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Run {
            continue;
        }
        let ops = ctx.model.package_ops(index);
        if !ops.iter().any(|o| o.action == Action::IndexUpdate) {
            continue;
        }
        let commands = run_commands(inst);
        for update in ops.iter().filter(|o| o.action == Action::IndexUpdate) {
            let family = update.manager.family();
            let used = ops.iter().any(|o| {
                o.manager.family() == family
                    && matches!(
                        o.action,
                        Action::Install | Action::Upgrade | Action::DistUpgrade
                    )
            });
            // A script run after the update (`bash setup.sh`) may well install.
            let script_after = commands
                .iter()
                .any(|c| c.span.start > update.span.start && c.runs_script());
            // No index stays in the layer when a cache mount holds it or the RUN deletes it.
            if used
                || script_after
                || has_cache_mount(inst, update.manager)
                || removes_index(&commands, update.manager)
            {
                continue;
            }
            let name = update.name(ctx.source);
            sink.report(
                update.span,
                format!(
                    "`{name}` runs in a RUN that installs nothing: the refreshed index is frozen in this layer and later RUNs install from it after it has gone stale"
                ),
                format!(
                    "refresh and install in the same RUN: `{name} && {} install ...`",
                    update.manager.as_str()
                ),
            );
        }
    }
}
