//! DD104: a base image whose tag names a cycle past the end of its free support, the image's
//! own (`python:3.8`) or the OS inside a language tag (`python:3.12-slim-buster`).

use super::freshness::{
    cycle_label, judged, newest_supported, short_title, tag_span, today, verdict_of, where_found,
};
use super::{Context, Sink};
use crate::eol::Verdict;

/// DD104
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let today = today(ctx);
    for j in judged(ctx) {
        for found in &j.id.found {
            let Verdict::Eol {
                since,
                lts_ended,
                paid_until,
            } = verdict_of(found, today)
            else {
                continue;
            };
            let label = cycle_label(found);
            let mut message = match since {
                Some(d) => format!(
                    "{label}{} reached its end of life on {d}: it gets no security fixes",
                    where_found(found, j.image)
                ),
                None => format!(
                    "{label}{} is past its end of life: it gets no security fixes",
                    where_found(found, j.image)
                ),
            };
            if let Some(d) = lts_ended {
                message.push_str(&format!(", and its free extended support ended on {d}"));
            }
            if let Some((kind, until)) = paid_until {
                message.push_str(&format!(
                    "; {kind} runs until {until}, but the public images are no longer rebuilt"
                ));
            }
            let target = match newest_supported(found.product, today) {
                Some(c) => format!("{} {c}", short_title(found.product)),
                None => format!("a supported {} release", short_title(found.product)),
            };
            let help = if found.base_os {
                format!("use a tag of the same image built on {target}")
            } else {
                format!("move to {target}")
            };
            sink.report(tag_span(j.image, &found.range), message, help);
        }
    }
}
