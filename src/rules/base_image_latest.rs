//! DD102: an external base image tagged `latest`.

use super::{Context, Sink};

/// DD102
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, image, resolved) in ctx.model.external_images() {
        // Tags are case-sensitive: only `latest` is Docker's moving default.
        if resolved.tag.as_ref().is_none_or(|t| t.text != "latest") {
            continue;
        }
        // Point at the tag itself when it is written literally, else at the reference.
        let span = image
            .written
            .tag
            .as_ref()
            .filter(|t| t.text == "latest")
            .map_or(image.written.span, |t| t.span);
        let help = if resolved.digest.is_some() {
            "the digest decides what is pulled; replace `latest` with the release the digest belongs to"
        } else {
            "name a supported release instead of `latest`, and move to newer releases deliberately"
        };
        sink.report(
            span,
            format!(
                "base image `{}` uses the `latest` tag: what gets built changes silently and cannot be told apart from a stale one",
                resolved.raw
            ),
            help,
        );
    }
}
