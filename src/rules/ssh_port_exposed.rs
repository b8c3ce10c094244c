//! DD410: EXPOSE of port 22 (SSH).

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// DD410
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (i, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let InstructionKind::Expose(ports) = &inst.kind else {
            continue;
        };
        for port in ports {
            let expanded = ctx.model.expand_at(i, &port.value).text;
            let spec = expanded.split('/').next().unwrap_or(&expanded);
            // `22`, `22/tcp`, and ranges that include 22 (`20-25`).
            let exposes = match spec.split_once('-') {
                Some((a, b)) => a
                    .parse::<u32>()
                    .ok()
                    .zip(b.parse::<u32>().ok())
                    .is_some_and(|(a, b)| a <= 22 && 22 <= b),
                None => spec == "22",
            };
            if !exposes || expanded.ends_with("/udp") {
                continue;
            }
            sink.report(
                port.span,
                format!(
                    "`EXPOSE {}` publishes SSH: an SSH server in a container is an extra way in, with keys or passwords to manage",
                    port.value
                ),
                "drop the SSH server; use `docker exec` or `kubectl exec` to get a shell in a running container",
            );
        }
    }
}
