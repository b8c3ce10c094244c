//! DD103: an external base image not pinned by digest (off by default).

use super::{Context, Sink};

/// DD103
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, image, resolved) in ctx.model.external_images() {
        if resolved.digest.is_some() {
            continue;
        }
        sink.report(
            image.written.span,
            format!("base image `{}` is not pinned by digest", resolved.raw),
            format!(
                "pin it as `{}@sha256:<digest>` and let an update bot (Renovate, Dependabot) refresh the digest, so the pin never freezes an unpatched base",
                resolved.raw
            ),
        );
    }
}
