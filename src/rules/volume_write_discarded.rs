//! DD301: a RUN writes below a path already declared VOLUME.

use super::{Context, Sink};
use crate::diagnostic::Label;
use crate::semantic::commands::run_commands;
use crate::semantic::is_within;
use crate::semantic::writes::writes;
use crate::syntax::Keyword;

/// DD301
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        for index in stage.body.clone() {
            let Some(inst) = ctx.dockerfile.instructions.get(index) else {
                continue;
            };
            if inst.keyword != Keyword::Run {
                continue;
            }
            // Volumes of parent stages, and those of this stage declared before this RUN.
            let volumes: Vec<_> = stage
                .volumes
                .iter()
                .filter(|v| (v.inherited || v.instruction < index) && v.path.starts_with('/'))
                .collect();
            if volumes.is_empty() {
                continue;
            }
            let commands = run_commands(inst);
            let workdir = ctx.model.workdir_at(index);
            for write in writes(&commands, workdir.as_deref()) {
                // `mkdir -p /data` after `VOLUME /data` changes nothing: the directory exists.
                let Some(volume) = volumes.iter().find(|v| {
                    is_within(&write.path, &v.path)
                        && !(write.program == "mkdir" && write.path == v.path)
                }) else {
                    continue;
                };
                let where_ = if volume.inherited {
                    "in a parent stage"
                } else {
                    "earlier in this stage"
                };
                sink.report(
                    write.span,
                    format!(
                        "`{}` changes the volume `{}`, declared {where_}: the legacy builder discards the change, BuildKit keeps it, and a volume mounted at run time hides it either way",
                        write.path, volume.path
                    ),
                    format!(
                        "write the content before the `VOLUME {}` line, or create it at container start",
                        volume.path
                    ),
                )
                .labels
                .push(Label {
                    span: volume.span,
                    message: "declared a volume here".into(),
                });
            }
        }
    }
}
