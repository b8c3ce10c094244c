//! DD554: the final image declares no HEALTHCHECK.

use super::{Context, Sink};
use crate::diagnostic::Label;
use crate::syntax::{InstructionKind, Keyword};

/// DD554
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(last) = ctx.model.final_stage() else {
        return;
    };
    // A HEALTHCHECK (or `HEALTHCHECK NONE`, a decision too) anywhere in the final stage or
    // the stages it is built FROM counts. Only a service is judged: an image that EXPOSEs a
    // port; builders, CLIs and batch jobs have nothing to probe.
    let chain = ctx.model.stage_chain(last.index);
    let in_chain = |keyword: Keyword| {
        chain.iter().find_map(|stage| {
            stage.body.clone().find(|&i| {
                ctx.dockerfile
                    .instructions
                    .get(i)
                    .is_some_and(|inst| inst.keyword == keyword)
            })
        })
    };
    if in_chain(Keyword::Healthcheck).is_some() {
        return;
    }
    let Some(expose) = in_chain(Keyword::Expose).and_then(|i| ctx.dockerfile.instructions.get(i))
    else {
        return;
    };
    let Some(from) = ctx.dockerfile.instructions.get(last.from) else {
        return;
    };
    let span = match &from.kind {
        InstructionKind::From(f) => f.image.as_ref().map_or(from.keyword_span, |i| i.span),
        _ => from.keyword_span,
    };
    sink.report(
        span,
        "the final image serves a port but declares no HEALTHCHECK: unless its base image has one, Docker and Swarm cannot tell a hung container from a healthy one",
        "add `HEALTHCHECK CMD <probe>` (e.g. `HEALTHCHECK CMD curl -fsS http://localhost:8080/health || exit 1`), or `HEALTHCHECK NONE` to say none is wanted",
    )
    .labels
    .push(Label {
        span: expose.keyword_span,
        message: "the image exposes a port here".into(),
    });
}
