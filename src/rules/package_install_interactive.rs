//! DD207: a package-manager command that stops to ask for a confirmation.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::semantic::packages::{configured_before, run_or_onbuild_run, Family, PackageOp};
use crate::span::Span;

/// DD207
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        // `ONBUILD RUN` runs the same commands in the images built on this one.
        if run_or_onbuild_run(inst).is_none() {
            continue;
        }
        for (command, op) in ctx.model.package_commands(index) {
            // An earlier RUN may have set the default (`APT::Get::Assume-Yes "true";`).
            if !op.asks_confirmation(command)
                || configured_before(
                    ctx.model,
                    index,
                    command.span.start,
                    &[
                        "apt::get::assume-yestrue",
                        "apt::get::assume-yes1",
                        "assumeyes=1",
                        "assumeyes=true",
                        "assumeyes=yes",
                    ],
                )
            {
                continue;
            }
            let name = op.name(ctx.source);
            let program = op.manager.as_str();
            let help = match op.manager.family() {
                Family::Apt => format!("add `-y` (`--yes`): `{name} -y ...`"),
                Family::Rpm => format!("add `-y` (`--assumeyes`): `{name} -y ...`"),
                Family::Zypper => format!(
                    "add the global `--non-interactive` (`-n`) before the subcommand: `{program} --non-interactive {}`",
                    op.subcommand.as_ref().map_or("", |w| w.value.as_str())
                ),
                _ => format!("add `-y` (`--yes`): `{name} -y ...`"),
            };
            let span = op.subcommand.as_ref().map_or(op.program, |w| w.span);
            let fix = assume_yes(op);
            sink.report(
                span,
                format!(
                    "`{name}` asks for a confirmation: a build has no terminal to answer it, so the command aborts and the build fails"
                ),
                help,
            )
            .fix = Some(fix);
        }
    }
}

/// The edit that answers yes in advance: `-y` after the subcommand, or zypper's global
/// `--non-interactive` right after the program (it is not accepted after every subcommand).
fn assume_yes(op: &PackageOp) -> Fix {
    let (at, flag) = match (op.manager.family(), &op.subcommand) {
        (Family::Zypper, _) | (_, None) => (op.program.end(), " --non-interactive"),
        (_, Some(sub)) => (sub.span.end(), " -y"),
    };
    Fix {
        description: format!("add `{}`", flag.trim()),
        edits: vec![Edit {
            span: Span::empty(at),
            replacement: flag.to_owned(),
        }],
        safety: Safety::Safe,
    }
}
