//! DD206: `apt`, the interactive front end, used in a RUN instead of `apt-get`.

use super::{Context, Sink};
use crate::semantic::packages::{package_ops, run_or_onbuild_run, Manager};

/// DD206
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        // `ONBUILD RUN` runs the same commands in the images built on this one.
        let Some(inst) = run_or_onbuild_run(inst) else {
            continue;
        };
        for op in package_ops(inst)
            .iter()
            .filter(|o| o.manager == Manager::Apt)
        {
            let name = op.name(ctx.source);
            let verb = op.subcommand.as_ref().map_or("", |w| w.value.as_str());
            let instead = match verb {
                "search" | "show" | "showsrc" | "policy" | "depends" | "rdepends" => "apt-cache",
                "list" => "dpkg-query --list",
                "edit-sources" | "modernize-sources" => "editing /etc/apt/sources.list.d",
                _ => "apt-get",
            };
            let replacement = match (instead, verb) {
                ("apt-get" | "apt-cache", "") => format!("`{instead}`"),
                ("apt-get" | "apt-cache", _) => format!("`{instead} {verb}`"),
                _ => instead.to_owned(),
            };
            sink.report(
                op.program,
                format!(
                    "`{name}` uses apt, the front end for people at a terminal: its output and behaviour are not a stable interface and it warns so when run from a script"
                ),
                format!("use {replacement} instead, whose interface is stable for scripts"),
            );
        }
    }
}
