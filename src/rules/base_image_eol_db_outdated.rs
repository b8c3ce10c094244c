//! DD109: drydock's end-of-life database is older than `policy.eol-db-max-age-days` on the
//! day judged, so releases and dates since then are missing.

use super::freshness::{judged, today};
use super::{Context, Sink};
use crate::eol::database;

/// DD109
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let today = today(ctx);
    let as_of = database().as_of;
    let age = as_of.days_until(today);
    if age <= i64::from(ctx.policy.eol_db_max_age_days) {
        return;
    }
    // Once per file, on the first base image the database judges.
    let Some(first) = judged(ctx).into_iter().next() else {
        return;
    };
    sink.report(
        first.image.written.span,
        format!(
            "drydock's end-of-life data is from {as_of}, {age} days before {today}: releases and end-of-life dates since then are unknown to it, so its verdicts on base images may be out of date"
        ),
        "update drydock (the data ships with it), or raise `policy.eol-db-max-age-days` if that is deliberate",
    );
}
