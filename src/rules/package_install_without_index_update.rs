//! DD202: packages installed from an index this RUN did not refresh.

use super::{Context, Sink};
use crate::semantic::commands::run_commands;
use crate::semantic::packages::{has_cache_mount, package_ops, Action, Family, PackageOp};
use crate::syntax::Keyword;

/// DD202
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        if inst.keyword != Keyword::Run {
            continue;
        }
        let ops = package_ops(inst);
        let commands = run_commands(inst);
        for (i, install) in ops.iter().enumerate() {
            if install.action != Action::Install || !needs_index(install) {
                continue;
            }
            let family = install.manager.family();
            // The install itself counts: `apk add --no-cache` fetches a fresh index.
            let refreshed = ops
                .get(..=i)
                .unwrap_or(&[])
                .iter()
                .any(|o| o.manager.family() == family && o.refreshes_index);
            // A script run before (`curl .../setup | bash`) often adds a source and refreshes.
            let script_before = commands
                .iter()
                .any(|c| c.span.start < install.span.start && c.runs_script());
            if refreshed || script_before || has_cache_mount(inst, install.manager) {
                continue;
            }
            let name = install.name(ctx.source);
            let help = if family == Family::Apk {
                "use `apk add --no-cache ...`, which fetches a fresh index and keeps none"
                    .to_owned()
            } else {
                format!(
                    "refresh the index in the same RUN: `{} && {name} ...`, then remove the lists",
                    install.manager.index_update_command()
                )
            };
            sink.report(
                install.span,
                format!(
                    "`{name}` installs from a package index this RUN did not refresh: the packages come from whatever index an earlier layer cached, or none"
                ),
                help,
            );
        }
    }
}

/// Managers that install only from an index the user refreshes: apt's lists and apk's
/// cache (rpm managers and zypper refresh expired metadata themselves). An install that
/// names no package (`apt-get install -f`) or only local `.deb`/`.apk` files is left alone.
fn needs_index(op: &PackageOp) -> bool {
    let local = op.packages.iter().all(|p| {
        let v = p.value.as_str();
        v.ends_with(".deb") || v.ends_with(".apk")
    });
    matches!(op.manager.family(), Family::Apt | Family::Apk) && !local
}
