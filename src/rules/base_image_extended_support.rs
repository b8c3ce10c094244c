//! DD106: a base image whose cycle has left regular support and lives on free community
//! extended support (Debian LTS), which ends sooner and covers less.

use super::freshness::{
    cycle_label, judged, newest_supported, short_title, tag_span, today, verdict_of, where_found,
};
use super::{Context, Sink};
use crate::eol::Verdict;

/// DD106
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let today = today(ctx);
    for j in judged(ctx) {
        for found in &j.id.found {
            let Verdict::Extended { regular_end, until } = verdict_of(found, today) else {
                continue;
            };
            let kind = found
                .product
                .extended_support
                .as_ref()
                .map_or("community extended support", |e| e.kind.as_str());
            let target = newest_supported(found.product, today)
                .map(|c| format!("{} {c}", short_title(found.product)))
                .unwrap_or_else(|| format!("a supported {} release", short_title(found.product)));
            sink.report(
                tag_span(j.image, &found.range),
                format!(
                    "{}{} left regular security support on {regular_end}; {kind} covers it until {until}, with fewer fixes",
                    cycle_label(found),
                    where_found(found, j.image),
                ),
                format!("move to {target} before {until}"),
            );
        }
    }
}
