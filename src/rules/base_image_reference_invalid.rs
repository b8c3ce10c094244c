//! DD117: a FROM reference that is not a valid image reference once ARG defaults are
//! substituted.

use super::{Context, Sink};
use crate::semantic::Base;
use crate::syntax::ImageRef;

/// What is wrong with a resolved reference, if anything.
fn problem(r: &ImageRef) -> Option<String> {
    if r.raw.trim().is_empty() {
        return Some("is empty".into());
    }
    let path = &r.path.text;
    if path.is_empty() {
        return Some("has no repository name".into());
    }
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && c.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            && c.ends_with(|ch: char| ch.is_ascii_alphanumeric())
    };
    if path.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some(format!("has uppercase letters in repository `{path}`"));
    }
    if !path.split('/').all(component_ok) {
        return Some(format!("has an invalid repository name `{path}`"));
    }
    if let Some(tag) = &r.tag {
        let t = &tag.text;
        if t.is_empty() {
            return Some("has an empty tag".into());
        }
        let ok = !t.is_empty()
            && t.len() <= 128
            && t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
        if !ok {
            return Some(format!("has an invalid tag `{t}`"));
        }
    }
    if let Some(digest) = &r.digest {
        let ok = digest.text.split_once(':').is_some_and(|(algo, hex)| {
            !algo.is_empty()
                && algo
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            return Some(format!("has an invalid digest `{}`", digest.text));
        }
    }
    None
}

/// DD117
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        let Base::Image(image) = &stage.base else {
            continue;
        };
        // An ARG without a default is set on the command line; a template is filled in first.
        if !image.unresolved.is_empty() || ctx.model.is_unjudgeable(stage.from) {
            continue;
        }
        // A default that refers to another ARG (not expanded here), and an all-caps
        // placeholder replaced before the build (`FROM BASEIMAGE`, `FROM REPLACE_ME`).
        let resolved = &image.resolved;
        let placeholder = resolved
            .path
            .text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"_-".contains(&b));
        if resolved.raw.contains('$') || placeholder {
            continue;
        }
        let Some(problem) = problem(&image.resolved) else {
            continue;
        };
        let shown = if image.written.raw == image.resolved.raw {
            format!("`{}`", image.written.raw)
        } else {
            format!(
                "`{}` (`{}` once ARG defaults are substituted)",
                image.written.raw, image.resolved.raw
            )
        };
        sink.report(
            image.written.span,
            format!("base image {shown} {problem}: the build fails"),
            "write a valid reference: lowercase `[registry/]repository[:tag][@sha256:digest]`",
        );
    }
}
