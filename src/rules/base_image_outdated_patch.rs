//! DD111: a newer patch of the same version line exists in the repository's tag list (online).

use super::{Context, Sink};
use crate::registry::{PatchTag, Repository};

/// DD111
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(answers) = ctx.registry else {
        return;
    };
    for (_, image, resolved) in ctx.model.external_images() {
        let Some(tag) = &resolved.tag else {
            continue;
        };
        let (Some(current), Some(repo)) = (PatchTag::parse(&tag.text), Repository::of(resolved))
        else {
            continue;
        };
        let Some(newest) = answers
            .tag_list(&repo)
            .and_then(|tags| current.newest_patch(tags))
        else {
            continue;
        };
        // The tag's own span when the tag is written out, else the whole reference.
        let span = match (&image.written.tag, image.written.has_variables) {
            (Some(t), false) => t.span,
            _ => image.written.span,
        };
        let line = format!("{}.{}", current.major, current.minor);
        sink.report(
            span,
            format!(
                "`{}` is not the newest patch of {line}: `{newest}` is out",
                tag.text
            ),
            format!(
                "move to `{newest}` and rebuild (or use the line tag `{line}{}` where the repository publishes one: it follows the patches)",
                current.suffix
            ),
        );
    }
}
