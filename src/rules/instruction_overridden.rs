//! DD506: a stage has more than one CMD, ENTRYPOINT or HEALTHCHECK; only the last counts.

use super::{Context, Sink};
use crate::diagnostic::Label;
use crate::syntax::Keyword;

/// DD506
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for stage in &ctx.model.stages {
        for keyword in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            let found: Vec<_> = stage
                .body
                .clone()
                .filter(|&i| ctx.dockerfile.instructions[i].keyword == keyword)
                .collect();
            // A templated or broken one may be generated away: do not guess.
            if found.iter().any(|&i| ctx.model.is_unjudgeable(i)) {
                continue;
            }
            let found: Vec<_> = found
                .into_iter()
                .map(|i| &ctx.dockerfile.instructions[i])
                .collect();
            let Some((last, earlier)) = found.split_last() else {
                continue;
            };
            let name = keyword.as_str();
            for inst in earlier {
                sink.report(
                    inst.keyword_span,
                    format!("this {name} is overridden by a later {name} in the same stage and has no effect"),
                    format!("keep a single {name} per stage, the one that should apply"),
                )
                .labels
                .push(Label {
                    span: last.keyword_span,
                    message: format!("the {name} that applies"),
                });
            }
        }
    }
}
