//! DD115: `FROM --platform` with a constant value.

use super::from_platform_flag::platforms;
use super::{Context, Sink};

/// DD115
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, flag, alias) in platforms(ctx) {
        let Some(value) = flag.value.as_deref() else {
            continue;
        };
        if value.contains('$') || value.is_empty() {
            continue;
        }
        // BuildKit accepts a constant when the stage name says which platform it is for
        // (`AS build-amd64`).
        let alias = alias.unwrap_or_default().to_ascii_lowercase();
        let parts: Vec<String> = value
            .to_ascii_lowercase()
            .split('/')
            .map(str::to_owned)
            .collect();
        if parts
            .iter()
            .skip(1)
            .any(|p| !p.is_empty() && alias.contains(p.as_str()))
        {
            continue;
        }
        sink.report(
            flag.value_span.unwrap_or(flag.span),
            format!("FROM `--platform={value}` is a constant: the stage ignores the platform the build asks for"),
            "use `--platform=$BUILDPLATFORM` for build tools, or drop the flag and pass `--platform` to the build",
        );
    }
}
