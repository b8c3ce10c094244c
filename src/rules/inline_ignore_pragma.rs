//! DD006: an inline suppression comment (one instruction's findings hidden in the file).

use super::{Context, Sink};
use crate::suppress::{suppression_comments, Origin};

/// DD006
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for s in suppression_comments(ctx.dockerfile) {
        if s.file_wide {
            continue;
        }
        let comment = &ctx.dockerfile.comments[s.comment];
        let tool = match s.origin {
            Origin::Drydock => "drydock",
            Origin::Hadolint => "hadolint",
            Origin::BuildKit => "BuildKit",
        };
        sink.report(
            comment.span,
            format!(
                "inline {tool} suppression `{}`: findings are hidden here instead of in the project's configuration",
                comment.span.slice(ctx.source)
            ),
            "fix the finding, or ignore the rule for the project in `.drydock.yaml` (`ignore:`) where reviewers see it",
        );
    }
}
