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

/// The resolved reference when every variable in it has a default and it looks like a
/// reference: `FROM $BASE` without a default could be anything, and a template
/// placeholder (`FROM {{ image }}`, `FROM %%BASE%%`) is not an image yet.
pub(super) fn judged(image: &ResolvedImage) -> Option<&crate::syntax::ImageRef> {
    let raw = image.resolved.raw.as_str();
    let valid = !raw.is_empty()
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/:@".contains(&b));
    // Repository paths are lowercase; `FROM REPLACE-ME` is a placeholder.
    let lowercase = !image
        .resolved
        .path
        .text
        .bytes()
        .any(|b| b.is_ascii_uppercase());
    (image.unresolved.is_empty() && valid && lowercase).then_some(&image.resolved)
}
