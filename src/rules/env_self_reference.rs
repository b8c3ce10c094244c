//! DD511: an ENV value refers to a variable set earlier in the same ENV instruction.

use super::{Context, Sink};
use crate::diagnostic::Label;
use crate::syntax::InstructionKind;

/// DD511
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let InstructionKind::Env(pairs) = &inst.kind else {
            continue;
        };
        for (i, pair) in pairs.iter().enumerate() {
            for var in inst.vars.iter().filter(|v| {
                v.span.start() >= pair.value.span.start() && v.span.end() <= pair.value.span.end()
            }) {
                // `ENV PATH=/opt/bin:$PATH` reads the old value on purpose; only keys set by
                // an earlier pair of the same ENV are surprising.
                let Some(earlier) = pairs[..i].iter().find(|p| p.key.value == var.name) else {
                    continue;
                };
                sink.report(
                    var.span,
                    format!(
                        "`{}` refers to `{}`, set in the same ENV: it gets the value from before this ENV, not `{}`",
                        var.span.slice(ctx.source),
                        var.name,
                        earlier.value.raw
                    ),
                    format!("set `{}` in an ENV of its own before this one", var.name),
                )
                .labels
                .push(Label {
                    span: earlier.key.span,
                    message: "set here, in the same instruction".into(),
                });
            }
        }
    }
}
