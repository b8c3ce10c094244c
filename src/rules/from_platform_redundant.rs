//! DD116: `FROM --platform=$TARGETPLATFORM`, the default.

use super::from_platform_flag::{is_target_platform, platforms};
use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::span::Span;
use crate::syntax::{Flag, Instruction};

/// DD116
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (inst, flag, _) in platforms(ctx) {
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
        )
        .fix = removal(ctx, inst, flag);
    }
}

/// The flag and the blanks after it removed (a continuation after them stays). None when
/// another `--platform` would take over, a global `ARG TARGETPLATFORM` gives a default
/// that the flag might stand for, or the FROM holds a template placeholder.
fn removal(ctx: &Context<'_>, inst: &Instruction, flag: &Flag) -> Option<Fix> {
    let declared = ctx
        .model
        .global_args
        .iter()
        .any(|a| a.name == "TARGETPLATFORM");
    let index = ctx
        .dockerfile
        .instructions
        .iter()
        .position(|i| i.span == inst.span)?;
    if declared || inst.flags_named("platform").count() > 1 || ctx.model.is_unjudgeable(index) {
        return None;
    }
    let rest = &ctx.source[flag.span.end()..];
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some(Fix {
        description: "remove `--platform`".to_owned(),
        edits: vec![Edit {
            span: Span::new(flag.span.start(), flag.span.end() + blanks),
            replacement: String::new(),
        }],
        safety: Safety::Safe,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn the_flag_and_its_blanks_go_and_continuations_stay() {
        let text = "FROM --platform=$TARGETPLATFORM  alpine:3.20 AS a\nFROM --platform=${TARGETPLATFORM} \\\n  alpine:3.20\n";
        assert_eq!(
            fixed("DD116", text),
            "FROM alpine:3.20 AS a\nFROM \\\n  alpine:3.20\n"
        );
    }

    #[test]
    fn no_fix_when_another_platform_or_a_default_could_take_over() {
        let twice = "FROM --platform=linux/amd64 --platform=$TARGETPLATFORM alpine:3.20\n";
        assert_eq!(fixes("DD116", twice), [None]);
        let declared =
            "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM alpine:3.20\n";
        assert_eq!(fixes("DD116", declared), [None]);
    }
}
