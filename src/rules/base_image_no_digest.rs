//! DD103: an external base image not pinned by digest (off by default).

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::registry::{pin, Answers};
use crate::syntax::ImageRef;

/// DD103
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, image, resolved) in ctx.model.external_images() {
        if resolved.digest.is_some() {
            continue;
        }
        let fix = ctx
            .registry
            .and_then(|answers| pin_fix(&image.written, answers));
        sink.report(
            image.written.span,
            format!("base image `{}` is not pinned by digest", resolved.raw),
            format!(
                "pin it as `{}@sha256:<digest>` and let an update bot (Renovate, Dependabot) refresh the digest, so the pin never freezes an unpatched base",
                resolved.raw
            ),
        )
        .fix = fix;
    }
}

/// With a registry answer for the tag (`--online` or a snapshot): append `@digest`, the
/// image the tag names today, so the build does not change.
fn pin_fix(written: &ImageRef, answers: &Answers) -> Option<Fix> {
    let edit = pin::edit_for(written, answers).ok()??;
    Some(Fix {
        description: format!("pin to `{}`", edit.text.trim_start_matches('@')),
        edits: vec![Edit {
            span: edit.span,
            replacement: edit.text,
        }],
        safety: Safety::Safe,
    })
}
