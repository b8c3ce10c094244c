//! DD211: build dependencies `apk add`ed without `--virtual` and `apk del`eted by name later in the RUN.

use super::{Context, Sink};
use crate::semantic::packages::{Action, Manager, PackageOp};

/// DD211
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        let commands = ctx.model.commands(index);
        let ops: Vec<(PackageOp, bool)> = commands
            .iter()
            .filter_map(|c| {
                let op = PackageOp::from_command(c)?;
                let virtual_group = c.has_flag(&["-t", "--virtual"]);
                (op.manager == Manager::Apk).then_some((op, virtual_group))
            })
            .collect();
        for (i, (add, virtual_group)) in ops.iter().enumerate() {
            if add.action != Action::Install || *virtual_group {
                continue;
            }
            let added: Vec<&str> = add
                .packages
                .iter()
                .map(|w| package_name(&w.value))
                .collect();
            let deleted: Vec<&str> = ops[i + 1..]
                .iter()
                .filter(|(op, _)| op.action == Action::Remove)
                .flat_map(|(op, _)| op.packages.iter().map(|w| package_name(&w.value)))
                .filter(|name| added.contains(name))
                .collect();
            if deleted.is_empty() {
                continue;
            }
            let span = add.subcommand.as_ref().map_or(add.program, |w| w.span);
            sink.report(
                span,
                format!(
                    "`apk add` installs `{}` that a later `apk del` removes by name: a package the image already had is removed with it",
                    deleted.join("`, `")
                ),
                "group the build dependencies: `apk add --no-cache --virtual .build-deps ...` then `apk del .build-deps`",
            );
        }
    }
}

/// The package name of an `apk add` argument (`gcc=12.2.1-r0`, `musl-dev>1.2` give the name).
fn package_name(arg: &str) -> &str {
    arg.split(['=', '<', '>', '~']).next().unwrap_or(arg)
}
