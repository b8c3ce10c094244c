//! DD110: `tag@sha256:X` where the tag now resolves to another digest (online).

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::registry::{pin, Answers, Repository};
use crate::syntax::ImageRef;

/// DD110
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(answers) = ctx.registry else {
        return;
    };
    for (_, image, resolved) in ctx.model.external_images() {
        let (Some(tag), Some(pin)) = (&resolved.tag, &resolved.digest) else {
            continue;
        };
        let Some(repo) = Repository::of(resolved) else {
            continue;
        };
        let Some(answer) = answers.tag(&repo, &tag.text) else {
            continue;
        };
        // A pin on one platform's manifest of the tag's index is current, not stale; an
        // index whose platforms are unknown is not judged.
        if answers.pin_matches(answer, &pin.text) != Some(false) {
            continue;
        }
        let span = image
            .written
            .digest
            .as_ref()
            .map_or(image.written.span, |d| d.span);
        let name = resolved.raw.split('@').next().unwrap_or_default();
        let fix = refresh_fix(&image.written, answers);
        sink.report(
            span,
            format!(
                "the pinned digest `{}` is stale: `{name}` now resolves to `{}`",
                short(&pin.text),
                short(&answer.digest)
            ),
            format!(
                "rebuild on the current image: pin `{name}@{}` (`drydock pin` rewrites the FROM line)",
                answer.digest
            ),
        )
        .fix = fix;
    }
}

/// Replace the stale digest with the current one. Unsafe: the build gets a different
/// image (the point, but it is not the image that was tested).
fn refresh_fix(written: &ImageRef, answers: &Answers) -> Option<Fix> {
    let edit = pin::edit_for(written, answers).ok()??;
    Some(Fix {
        description: format!("pin the current digest `{}`", short(&edit.text)),
        edits: vec![Edit {
            span: edit.span,
            replacement: edit.text,
        }],
        safety: Safety::Unsafe,
    })
}

/// `sha256:` and the first 12 hex digits, as `docker images` shows them.
fn short(digest: &str) -> String {
    match digest.split_once(':') {
        Some((alg, hex)) if hex.len() > 12 => format!("{alg}:{}", &hex[..12]),
        _ => digest.to_owned(),
    }
}
