//! DD501: an instruction other than ARG comes before the first FROM.

use super::{Context, Sink};
use crate::syntax::Keyword;

/// DD501
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(inst) = ctx
        .dockerfile
        .instructions
        .iter()
        .take_while(|i| i.keyword != Keyword::From)
        .find(|i| i.keyword != Keyword::Arg)
    else {
        return;
    };
    // An unknown word is the parser's business (DD001), not a misplaced instruction.
    if inst.keyword == Keyword::Unknown {
        return;
    }
    sink.report(
        inst.keyword_span,
        format!(
            "`{}` comes before any FROM: only ARG may precede the first FROM, the build fails",
            inst.keyword_text
        ),
        "start the file with `FROM <image>` (optionally preceded by ARGs used in FROM)",
    );
}
