//! DD105: a base image whose cycle ends its free support within `policy.eol-warn-days`.

use super::freshness::{
    cycle_label, judged, newest_supported, short_title, tag_span, today, verdict_of, where_found,
};
use super::{Context, Sink};
use crate::eol::Verdict;

/// DD105
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let today = today(ctx);
    let window = i64::from(ctx.policy.eol_warn_days);
    for j in judged(ctx) {
        for found in &j.id.found {
            let Verdict::Supported { until: Some(end) } = verdict_of(found, today) else {
                continue;
            };
            let days = today.days_until(end);
            if days > window {
                continue;
            }
            let target = newest_supported(found.product, end.add_days(1))
                .map(|c| format!("{} {c}", short_title(found.product)))
                .unwrap_or_else(|| format!("a newer {} release", short_title(found.product)));
            sink.report(
                tag_span(j.image, &found.range),
                format!(
                    "{}{} reaches its end of life on {end}, in {days} day{}: after that it gets no security fixes",
                    cycle_label(found),
                    where_found(found, j.image),
                    if days == 1 { "" } else { "s" }
                ),
                format!("plan the move to {target} now"),
            );
        }
    }
}
