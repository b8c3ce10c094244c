//! DD108: a base-image tag that names no fixed release (`node:lts`, `nginx:stable`,
//! `python:3`, `node:22-alpine`), so the release under the image changes without notice.

use super::freshness::{judged, tag_span};
use super::{Context, Sink};
use crate::eol::MovingKind;

/// DD108
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for j in judged(ctx) {
        for moving in &j.id.moving {
            // `latest` (written or implied) is DD101's and DD102's.
            if moving.token == "latest" {
                continue;
            }
            let then = moving
                .meaning
                .as_deref()
                .map(|m| format!(" (when drydock's data was taken: {m})"))
                .unwrap_or_default();
            let (message, help) = match moving.kind {
                MovingKind::Tag => (
                    format!(
                        "`{}` in `{}` is a moving tag{then}: it switches to the next {} release without notice",
                        moving.token, j.image.resolved.raw, moving.product
                    ),
                    "name the release you build on (a version or codename) and move to the next one deliberately",
                ),
                MovingKind::Major => (
                    format!(
                        "`{}` in `{}` is a bare major version{then}: it floats to each new minor release, which can change behaviour",
                        moving.token, j.image.resolved.raw
                    ),
                    "name the minor release (`3.12`, not `3`) and move to the next one deliberately",
                ),
                MovingKind::BaseOs => (
                    format!(
                        "`{}` in `{}` names no {} release: the base OS moves to the next release when the image is rebuilt",
                        moving.token, j.image.resolved.raw, moving.product
                    ),
                    "name the base OS release in the tag (e.g. `alpine3.22`)",
                ),
            };
            sink.report(tag_span(j.image, &moving.range), message, help);
        }
    }
}
