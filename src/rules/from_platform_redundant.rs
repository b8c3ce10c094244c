//! DD116: `FROM --platform=$TARGETPLATFORM`, the default.

use super::from_platform_flag::{is_target_platform, platforms};
use super::{Context, Sink};

/// DD116
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, flag, _) in platforms(ctx) {
        if !flag.value.as_deref().is_some_and(is_target_platform) {
            continue;
        }
        sink.report(
            flag.span,
            format!(
                "`{}` is redundant: the target platform is already the default",
                flag.span.slice(ctx.source)
            ),
            "remove the `--platform` flag",
        );
    }
}
