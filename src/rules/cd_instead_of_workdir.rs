//! DD602: `cd` in a RUN to set the directory for the commands after it.

use super::{Context, Sink};
use crate::semantic::{is_within, normalize_path};
use crate::shell;
use crate::syntax::{InstructionKind, Keyword};

/// Scratch directories one enters for the duration of one RUN: no WORKDIR fits them.
const SCRATCH_DIRS: &[&str] = &["/tmp", "/var/tmp", "/dev/shm"];

/// DD602
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Run {
            continue;
        }
        let InstructionKind::Run(line) = &inst.kind else {
            continue;
        };
        let Some(script) = line.script() else {
            continue;
        };
        let top: Vec<&shell::Command> = script
            .commands
            .iter()
            .filter(|c| c.depth == 0 && c.context == shell::Context::TopLevel)
            .collect();
        let cds: Vec<usize> = top
            .iter()
            .enumerate()
            .filter(|(_, c)| c.name().is_some_and(|n| n.value == "cd"))
            .map(|(i, _)| i)
            .collect();
        // Several `cd`s navigate within one RUN (`cd src && make && cd ..`): one WORKDIR
        // cannot replace them.
        // Only a `cd` that opens the RUN moves into a directory that exists before it, where
        // a WORKDIR can go; `curl ... && tar -x && cd src && make` enters what the RUN made.
        let [i @ 0] = cds.as_slice() else {
            continue;
        };
        let cd = top[*i];
        // Nothing after it: the `cd` does nothing (another matter); `cd` piped or in the
        // background runs in a subshell.
        let Some(next) = top.get(i + 1) else {
            continue;
        };
        if matches!(
            next.op_before,
            Some(shell::Operator::Pipe | shell::Operator::Background)
        ) {
            continue;
        }
        let [target] = cd.args() else {
            continue;
        };
        let dir = target.value.as_str();
        if target.has_expansion || dir == "-" || dir.starts_with('~') || dir.is_empty() {
            continue;
        }
        let absolute = if dir.starts_with('/') {
            Some(normalize_path(dir))
        } else {
            ctx.model
                .workdir_at(index)
                .map(|w| normalize_path(&format!("{w}/{dir}")))
        };
        if absolute
            .as_deref()
            .is_some_and(|d| SCRATCH_DIRS.iter().any(|s| is_within(d, s)))
        {
            continue;
        }
        // The RUN deletes the directory again: it is scratch space for this RUN only.
        if removed_later(&top[i + 1..], dir, absolute.as_deref()) {
            continue;
        }
        let help = match &absolute {
            Some(d) => format!("declare `WORKDIR {d}` before the RUN and drop the `cd`"),
            None => format!(
                "declare `WORKDIR` with the absolute path of `{dir}` before the RUN and drop the `cd`"
            ),
        };
        sink.report(
            cd.name().map_or(cd.span, |w| w.span),
            format!(
                "`cd {dir}` sets the working directory for the rest of this RUN only: the next instruction starts again in the WORKDIR, which is easy to misread and repeat"
            ),
            help,
        );
    }
}

/// Whether one of `later` is an `rm` of `dir` or of a directory holding it.
fn removed_later(later: &[&shell::Command], dir: &str, absolute: Option<&str>) -> bool {
    later
        .iter()
        .filter(|c| c.name().is_some_and(|n| n.value == "rm"))
        .flat_map(|c| c.args())
        .filter(|a| !a.value.starts_with('-'))
        .any(|a| {
            let target = a.value.trim_end_matches('/');
            match absolute {
                Some(abs) if target.starts_with('/') => is_within(abs, &normalize_path(target)),
                _ => target == dir.trim_end_matches('/'),
            }
        })
}
