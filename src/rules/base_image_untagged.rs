//! DD101: an external base image with neither tag nor digest (implicitly `latest`).

use super::{Context, Sink};
use crate::semantic::{Base, ResolvedImage};

/// DD101
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        let Base::Image(image) = &stage.base else {
            continue;
        };
        let Some(resolved) = judged(image) else {
            continue;
        };
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

/// The resolved reference when every variable in it has a default; `FROM $BASE` without
/// one could be anything, so it is not judged.
pub(super) fn judged(image: &ResolvedImage) -> Option<&crate::syntax::ImageRef> {
    (image.unresolved.is_empty() && !image.resolved.raw.is_empty()).then_some(&image.resolved)
}
