//! DD304: WORKDIR inside a kernel or boot directory (`/proc`, `/sys`, `/dev`, `/boot`).

use super::{Context, Sink};
use crate::semantic::{is_within, normalize_path};
use crate::syntax::InstructionKind;

/// Directories that the runtime mounts over or that belong to the host's boot.
const SYSTEM_DIRS: &[&str] = &["/proc", "/sys", "/dev", "/boot", "/lost+found"];

/// DD304
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (i, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let InstructionKind::Workdir(Some(word)) = &inst.kind else {
            continue;
        };
        let Some(dir) = ctx.model.workdir_at(i) else {
            continue;
        };
        let expanded = ctx.model.expand_at(i, &dir);
        if !expanded.unresolved.is_empty() {
            continue;
        }
        let path = normalize_path(&expanded.text);
        let Some(system) = SYSTEM_DIRS.iter().find(|d| is_within(&path, d)) else {
            continue;
        };
        sink.report(
            word.span,
            format!(
                "`WORKDIR {}` is inside `{system}`, which the container runtime mounts over or which belongs to the host: files put there are hidden or lost",
                word.value
            ),
            "use an application directory such as `/app` or `/srv/<name>`",
        );
    }
}
