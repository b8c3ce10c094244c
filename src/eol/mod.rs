//! End-of-life knowledge of base images: the database compiled in from
//! `rules/data/eol.yaml` (release cycles with their support dates, tag-to-cycle rules,
//! moving tags, deprecated repositories), what a reference names, and the verdict on a day.
//!
//! A tag can name two cycles: `python:3.8-slim-buster` is Python 3.8 on Debian 10. The
//! leading part of the tag gives the product's cycle (the image's `version` rules); each later
//! `-`-separated token is tried against the base-OS rules (`tag_tokens.distro_rules`).

mod data;
mod identify;

pub use data::{
    database, version_key, Cycle, Database, DeprecatedRepository, Product, Support, SOURCE,
};
pub use identify::{
    identify, repository_name, CycleRef, Found, Identification, Moving, MovingKind,
};

use crate::date::Date;

/// Where a cycle stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Supported; `until` is the end of free support when known.
    Supported { until: Option<Date> },
    /// Regular support has ended but free community support (Debian LTS) goes on.
    Extended { regular_end: Date, until: Date },
    /// Past the end of free support: regular support ended `since`, free extended support
    /// (Debian LTS) ended `lts_ended`; `paid_until` names paid extended support (Ubuntu ESM,
    /// RHEL ELS) that still runs.
    Eol {
        since: Option<Date>,
        lts_ended: Option<Date>,
        paid_until: Option<(String, Date)>,
    },
    /// The database does not know this cycle (newer than the database, or not listed).
    Unknown,
}

impl Verdict {
    /// The last day of free support, when the verdict has one.
    #[must_use]
    pub fn free_support_end(&self) -> Option<Date> {
        match self {
            Verdict::Supported { until } => *until,
            Verdict::Extended { until, .. } => Some(*until),
            Verdict::Eol {
                since, lts_ended, ..
            } => lts_ended.or(*since),
            Verdict::Unknown => None,
        }
    }

    /// A short word for reports: supported, extended, eol, unknown.
    #[must_use]
    pub fn status(&self) -> &'static str {
        match self {
            Verdict::Supported { .. } => "supported",
            Verdict::Extended { .. } => "extended",
            Verdict::Eol { .. } => "eol",
            Verdict::Unknown => "unknown",
        }
    }
}

/// The verdict on `cycle` of `product` as of `today`. Free support ends at the cycle's
/// `eol`, or, for products whose free extended support keeps the images rebuilt (Debian
/// LTS), at its `extended_support_end`.
#[must_use]
pub fn verdict(product: &Product, cycle: &Cycle, today: Date) -> Verdict {
    let free_extension = product
        .extended_support
        .as_ref()
        .is_some_and(|e| e.images_rebuilt);
    let regular_end = match cycle.eol {
        Support::Date(d) => d,
        Support::Ended => {
            return Verdict::Eol {
                since: None,
                lts_ended: None,
                paid_until: None,
            }
        }
        Support::Ongoing => return Verdict::Supported { until: None },
        Support::Unknown => return Verdict::Unknown,
    };
    if today <= regular_end {
        return Verdict::Supported {
            until: Some(regular_end),
        };
    }
    let extended_end = match cycle.extended_support_end {
        Support::Date(d) => Some(d),
        _ => None,
    };
    match extended_end {
        Some(until) if free_extension && today <= until => Verdict::Extended { regular_end, until },
        Some(until) if free_extension => Verdict::Eol {
            since: Some(regular_end),
            lts_ended: Some(until),
            paid_until: None,
        },
        Some(until) if today <= until => Verdict::Eol {
            since: Some(regular_end),
            lts_ended: None,
            paid_until: Some((
                product
                    .extended_support
                    .as_ref()
                    .map_or_else(|| "paid extended support".to_owned(), |e| e.kind.clone()),
                until,
            )),
        },
        _ => Verdict::Eol {
            since: Some(regular_end),
            lts_ended: None,
            paid_until: None,
        },
    }
}

#[cfg(test)]
mod tests;
