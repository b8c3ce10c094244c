//! DD520: a local tar archive is COPYed and then extracted by a later RUN of the stage.

use super::add_for_local_file::ARCHIVES;
use super::{Context, Sink};
use crate::semantic::commands::{basename, run_commands, RunCommand};
use crate::syntax::InstructionKind;

/// DD520
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let InstructionKind::Copy(copy) = &inst.kind else {
            continue;
        };
        if ctx.model.is_unjudgeable(index)
            || inst.flag("from").is_some()
            || !inst.heredocs.is_empty()
        {
            continue;
        }
        let Some(stage) = ctx.model.context(index).stage else {
            continue;
        };
        let end = ctx.model.stages[stage].body.end;
        for source in &copy.sources {
            let expanded = ctx.model.expand_at(index, &source.raw);
            let name = basename(&expanded.text).to_ascii_lowercase();
            if !expanded.unresolved.is_empty() || !ARCHIVES.iter().any(|a| name.ends_with(a)) {
                continue;
            }
            let extracted_at = ctx
                .model
                .runs()
                .filter(|(i, _)| *i > index && *i < end)
                .find(|(_, run)| run_commands(run).iter().any(|c| extracts(c, &name)));
            let Some((run_index, _)) = extracted_at else {
                continue;
            };
            let line = ctx.dockerfile.instructions[run_index].lines.0;
            sink.report(
                source.span,
                format!(
                    "`{}` is copied into the image and then extracted by `tar` in the RUN on line {line}: the archive stays in the COPY layer although only its contents are used",
                    source.value
                ),
                "`ADD <archive> <dir>` extracts a local tar archive in one step without keeping it; or bind-mount it for the RUN (`RUN --mount=type=bind,source=<archive>,target=/tmp/<archive> tar -x...`)",
            );
        }
    }
}

/// Whether `command` is a `tar` extraction naming the archive `name` (lowercase basename).
fn extracts(command: &RunCommand<'_>, name: &str) -> bool {
    if command.program() != "tar" {
        return false;
    }
    let args = command.args();
    // `tar xzf x.tgz`: the first word is a bundle of letters without a dash.
    let old_style = args.first().is_some_and(|w| {
        !w.value.starts_with('-')
            && w.value.contains('x')
            && w.value.bytes().all(|b| b.is_ascii_alphabetic())
    });
    let extract = old_style || command.has_flag(&["-x", "--extract", "--get"]);
    extract
        && args.iter().any(|w| {
            basename(&w.value).to_ascii_lowercase() == name
                || w.value.to_ascii_lowercase().ends_with(&format!("={name}"))
        })
}
