//! DD101: an external base image with neither tag nor digest (implicitly `latest`).

use super::{Context, Sink};

/// DD101
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, image, resolved) in ctx.model.external_images() {
        if resolved.tag.is_some() || resolved.digest.is_some() {
            continue;
        }
        sink.report(
            image.written.span,
            format!(
                "base image `{}` has no tag: it means whatever `latest` points to when the image is built",
                resolved.raw
            ),
            format!(
                "name a supported release, e.g. `{}:<version>`, and move to newer releases deliberately",
                resolved.raw
            ),
        );
    }
}
