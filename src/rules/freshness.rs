//! What the base-image freshness rules (DD104-DD109) share: the external images of the
//! file identified in the end-of-life database, the day to judge against, and wording.

use std::ops::Range;

use super::Context;
use crate::date::Date;
use crate::eol::{identify, verdict, Found, Identification, Product, Verdict};
use crate::semantic::ResolvedImage;
use crate::span::Span;

/// An external base image the database knows.
pub(crate) struct Judged<'a> {
    pub(crate) image: &'a ResolvedImage,
    pub(crate) id: Identification,
}

/// The external base images of the file that the database knows, in file order.
pub(crate) fn judged<'a>(ctx: &'a Context<'_>) -> Vec<Judged<'a>> {
    ctx.model
        .external_images()
        .filter(|(stage, _, _)| !ctx.model.is_unjudgeable(stage.from))
        .filter_map(|(_, image, resolved)| {
            Some(Judged {
                image,
                id: identify(resolved)?,
            })
        })
        .collect()
}

/// The day dates are judged against: `--today`, `SOURCE_DATE_EPOCH`, else the clock.
pub(crate) fn today(ctx: &Context<'_>) -> Date {
    ctx.policy.today.unwrap_or_else(Date::today)
}

/// The verdict on a found cycle; unknown cycles are never end of life.
pub(crate) fn verdict_of(found: &Found, today: Date) -> Verdict {
    found
        .cycle
        .map_or(Verdict::Unknown, |c| verdict(found.product, c, today))
}

/// The bytes `range` of the resolved tag, as a span of the written reference: inside the
/// written tag when it is written literally, else the whole reference (an ARG default).
pub(crate) fn tag_span(image: &ResolvedImage, range: &Range<usize>) -> Span {
    let written = image.written.tag.as_ref();
    let resolved = image.resolved.tag.as_ref();
    match (written, resolved) {
        (Some(w), Some(r)) if w.text == r.text && range.end > range.start => {
            let start = w.span.start() + range.start;
            Span::new(start, start + (range.end - range.start))
        }
        (Some(w), Some(r)) if w.text == r.text => w.span,
        _ => image.written.span,
    }
}

/// `Python 3.8`, `Debian 10 (buster)`, `Ubuntu 22.04 (jammy)`.
pub(crate) fn cycle_label(found: &Found) -> String {
    let title = short_title(found.product);
    match found.cycle {
        Some(c) => match &c.codename {
            Some(code) if *code != c.cycle => format!("{title} {} ({code})", c.cycle),
            _ => format!("{title} {}", c.cycle),
        },
        None => format!("{title} {}", found.written),
    }
}

/// A product's title without its parenthesised note: `Red Hat Enterprise Linux`.
pub(crate) fn short_title(product: &Product) -> &str {
    product
        .title
        .split(" (")
        .next()
        .unwrap_or(&product.title)
        .trim()
}

/// The newest cycle of `product` that is supported on `today` and not an estimate,
/// as `13 (trixie)`.
pub(crate) fn newest_supported(product: &Product, today: Date) -> Option<String> {
    product
        .cycles
        .iter()
        .filter(|c| !c.unverified)
        .find(|c| matches!(verdict(product, c, today), Verdict::Supported { .. }))
        .map(|c| match &c.codename {
            Some(code) if *code != c.cycle => format!("{} ({code})", c.cycle),
            _ => c.cycle.clone(),
        })
}

/// `, the base OS of python:3.8-slim-buster,` for a base OS named by a tag token, or
/// `, in ubuntu:focal (ARG defaults substituted),` when the reference is built from ARGs.
pub(crate) fn where_found(found: &Found, image: &ResolvedImage) -> String {
    let from_args = image.written.raw != image.resolved.raw;
    if found.floating {
        return format!(
            ", the release the bare major `{}` in `{}` means now,",
            found.written, image.resolved.raw
        );
    }
    match (found.base_os, from_args) {
        (true, false) => format!(", the base OS of `{}`,", image.resolved.raw),
        (true, true) => format!(
            ", the base OS of `{}` (ARG defaults substituted),",
            image.resolved.raw
        ),
        (false, true) => format!(", in `{}` (ARG defaults substituted),", image.resolved.raw),
        (false, false) => String::new(),
    }
}
