//! DD701: the deprecated MAINTAINER instruction.

use super::{Context, Sink};
use crate::syntax::{InstructionKind, Keyword};

/// DD701
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        if inst.keyword != Keyword::Maintainer {
            continue;
        }
        let who = match &inst.kind {
            InstructionKind::Maintainer(Some(w)) => w.value.as_str(),
            _ => "",
        };
        let help = if who.is_empty() {
            "remove it, or record the author in a label: `LABEL org.opencontainers.image.authors=\"...\"`".to_owned()
        } else {
            format!(
                "use a label instead: `LABEL org.opencontainers.image.authors=\"{}\"`",
                who.replace('"', "\\\"")
            )
        };
        sink.report(
            inst.keyword_span,
            "MAINTAINER is deprecated since Docker 1.13: it only sets the legacy `Author` field, which tools no longer read",
            help,
        );
    }
}
