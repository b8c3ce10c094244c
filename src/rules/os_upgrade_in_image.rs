//! DD204 (policy `security-updates: forbid`): a full OS upgrade inside the build.

use super::{Context, SecurityUpdates, Sink};
use crate::semantic::packages::Action;
use crate::syntax::Keyword;

/// DD204
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    if ctx.policy.security_updates != SecurityUpdates::Forbid {
        return;
    }
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Run {
            continue;
        }
        for op in ctx
            .model
            .package_ops(index)
            .iter()
            .filter(|o| o.is_full_upgrade() && o.manager.is_os())
        {
            let name = op.name(ctx.source);
            let what = if op.action == Action::DistUpgrade {
                "moves the image across distro releases"
            } else {
                "patches the base image from inside the build"
            };
            sink.report(
                op.span,
                format!(
                    "`{name}` {what}: the result depends on the day of the build, and the base stays unpatched for every other image built on it"
                ),
                "take updates by rebuilding from a fresh, patched base image (`docker build --pull`) and remove the upgrade",
            );
        }
    }
}
