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
                .filter_map(|i| ctx.dockerfile.instructions.get(i))
                .filter(|inst| inst.keyword == keyword)
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
