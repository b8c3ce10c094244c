//! DD203 (policy `security-updates: require`): a stage of the final image installs
//! distro packages but never upgrades the packages its base image came with.

use std::collections::HashSet;

use super::{Context, SecurityUpdates, Sink};
use crate::semantic::packages::Action;
use crate::semantic::Model;
use crate::syntax::Keyword;

/// DD203
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    if ctx.policy.security_updates != SecurityUpdates::Require {
        return;
    }
    // Walk the final image's stages from the root down: an upgrade in a parent stage or
    // an earlier RUN covers the packages installed after it.
    let mut upgraded = HashSet::new();
    let mut reported = HashSet::new();
    for stage in final_chain(ctx.model) {
        for index in stage.body.clone() {
            let Some(inst) = ctx.dockerfile.instructions.get(index) else {
                continue;
            };
            if inst.keyword != Keyword::Run {
                continue;
            }
            let ops = ctx.model.package_ops(index);
            // An upgrade anywhere in this RUN counts: it upgrades what the RUN installs too.
            for op in ops.iter().filter(|o| o.is_full_upgrade()) {
                upgraded.insert(op.manager.family());
            }
            for install in ops {
                let family = install.manager.family();
                if install.action != Action::Install
                    || !install.manager.is_os()
                    || upgraded.contains(&family)
                    || !reported.insert(family)
                {
                    continue;
                }
                let name = install.name(ctx.source);
                sink.report(
                    install.span,
                    format!(
                        "`{name}` adds packages to an image that never upgrades its distro packages: everything the base image shipped stays as old, and as vulnerable, as the base"
                    ),
                    format!(
                        "upgrade in the same RUN, after refreshing the index: `{} && {} && {name} ...`",
                        install.manager.index_update_command(),
                        install.manager.upgrade_command()
                    ),
                );
            }
        }
    }
}

/// The stages the final image is made of, from the root stage to the final one.
fn final_chain<'m>(model: &'m Model<'_>) -> Vec<&'m crate::semantic::Stage> {
    let mut chain = Vec::new();
    let mut current = model.final_stage();
    while let Some(stage) = current {
        // Parents come first in the file, so this always ends; the bound guards odd input.
        if chain.len() > model.stages.len() {
            break;
        }
        chain.push(stage);
        current = stage.parent().and_then(|p| model.stages.get(p));
    }
    chain.reverse();
    chain
}
