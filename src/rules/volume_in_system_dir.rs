//! DD305: VOLUME on a kernel directory (`/proc`, `/sys`, `/dev`).

use super::{Context, Sink};
use crate::semantic::is_within;

/// DD305
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        for volume in stage.volumes.iter().filter(|v| !v.inherited) {
            let path = ctx.model.expand_at(volume.instruction, &volume.path);
            if !path.unresolved.is_empty() {
                continue;
            }
            let Some(dir) = ["/proc", "/sys", "/dev"]
                .into_iter()
                .find(|d| is_within(&path.text, d))
            else {
                continue;
            };
            sink.report(
                volume.span,
                format!(
                    "VOLUME `{}` is inside `{dir}`, the kernel's view of the container: a volume there hides it or, mounted from the host, exposes the host's devices and kernel settings",
                    volume.path
                ),
                "remove this VOLUME; declare volumes only for application data (`/var/lib/<app>`, `/data`)",
            );
        }
    }
}
