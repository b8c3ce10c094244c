//! DD414: a stage uses both wget and curl.

use super::{Context, Sink};
use crate::semantic::commands::run_commands;

/// DD414
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        let mut first: Option<String> = None;
        'stage: for inst in &ctx.dockerfile.instructions[stage.body.clone()] {
            for cmd in run_commands(inst) {
                let program = cmd.program();
                if program != "curl" && program != "wget" {
                    continue;
                }
                let Some(word) = cmd.program_word() else {
                    continue;
                };
                match &first {
                    None => first = Some(program.to_owned()),
                    Some(f) if f != program => {
                        sink.report(
                            word.span,
                            format!("`{program}` is used in a stage that already uses `{f}`: two download tools where one would do"),
                            format!("use `{f}` for every download of the stage (and install only one of them)"),
                        );
                        // One finding per stage.
                        break 'stage;
                    }
                    Some(_) => {}
                }
            }
        }
    }
}
