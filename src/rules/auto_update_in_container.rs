//! DD205: a package that updates the system automatically while the container runs.

use super::{Context, Sink};
use crate::semantic::packages::Action;
use crate::syntax::Keyword;

/// Packages whose job is to upgrade the system on a timer.
const AUTO_UPDATERS: &[&str] = &[
    "unattended-upgrades",
    "cron-apt",
    "yum-cron",
    "dnf-automatic",
    "dnf5-plugin-automatic",
];

/// DD205
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Run {
            continue;
        }
        for op in ctx.model.package_ops(index) {
            if op.action != Action::Install || !op.manager.is_os() {
                continue;
            }
            for package in &op.packages {
                let name = package_name(&package.value);
                if !AUTO_UPDATERS.contains(&name) {
                    continue;
                }
                sink.report(
                    package.span,
                    format!(
                        "`{name}` upgrades packages inside the running container: the changes vanish with the container, differ between replicas, and hide that the image itself is unpatched"
                    ),
                    "remove it; take updates by rebuilding the image from a fresh, patched base and redeploying",
                );
            }
        }
    }
}

/// The package name without a version or release pin (`x=1.2`, `x~1`, `x>=1`, `x-1.2`
/// stays as written: rpm names cannot be split without the repository).
fn package_name(word: &str) -> &str {
    let end = word.find(['=', '~', '<', '>']).unwrap_or(word.len());
    word.get(..end).unwrap_or(word)
}
