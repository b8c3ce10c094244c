//! DD210 (off by default): packages installed without a version.

use super::{Context, Sink};
use crate::diagnostic::Label;
use crate::semantic::packages::{run_or_onbuild_run, Family};

/// DD210
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        // `ONBUILD RUN` runs the same commands in the images built on this one.
        if run_or_onbuild_run(inst).is_none() {
            continue;
        }
        for (command, op) in ctx.model.package_commands(index) {
            let unpinned = op.unpinned_packages(command);
            let Some((first, rest)) = unpinned.split_first() else {
                continue;
            };
            let name = op.name(ctx.source);
            let how = match op.manager.family() {
                Family::Apt => "`name=version` (a prefix such as `curl=7.88.*` keeps patch updates)",
                Family::Apk => "`name=version` or `name~version` (`curl~8.14` keeps patch updates)",
                Family::Rpm => "`name-version` (`curl-7.76.1`)",
                Family::Zypper => "`name=version` or `name>=version`",
                Family::Pip => "`name==version` or a compatible range (`flask~=3.1.0`), or install from a pinned requirements file (`-r requirements.txt`)",
                Family::Npm | Family::Yarn => "`name@version`, or install from the lock file (`npm ci`, `yarn install --frozen-lockfile`)",
                Family::Gem => "`name:version` or `-v version`",
                Family::Go => "`path@version` (`@v1.2.3`, not `@latest`)",
            };
            let others = if rest.is_empty() {
                String::new()
            } else {
                format!(" (and {} more)", rest.len())
            };
            let finding = sink.report(
                first.span,
                format!(
                    "`{name}` installs `{}`{others} without a version: each build may install a different one",
                    first.value
                ),
                format!("name the version: {how}"),
            );
            for w in rest {
                finding.labels.push(Label {
                    span: w.span,
                    message: format!("`{}` has no version either", w.value),
                });
            }
        }
    }
}
