//! DD107: a base image from a repository that no longer gets updates (`openjdk`, `centos`,
//! `library/rockylinux`, `mcr.microsoft.com/dotnet/core/*`).

use super::freshness::judged;
use super::{Context, Sink};

/// DD107
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for j in judged(ctx) {
        let Some(dep) = j.id.deprecated else {
            continue;
        };
        let since = dep
            .since
            .map(|d| format!(" (since {d})"))
            .unwrap_or_default();
        let span = j.image.written.path.span;
        sink.report(
            span,
            format!(
                "base image repository `{}` is deprecated{since}: {}",
                j.id.repository, dep.reason
            ),
            format!("switch to {}", dep.replacement),
        );
    }
}
