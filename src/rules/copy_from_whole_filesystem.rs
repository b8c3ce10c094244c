//! DD516: `COPY --from=<stage or image> / <dest>` copies a whole filesystem.

use super::{Context, Sink};
use crate::semantic::{normalize_path, Base, CopySource};
use crate::syntax::InstructionKind;

/// DD516
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let InstructionKind::Copy(c) = &inst.kind else {
            continue;
        };
        let Some(value) = inst.flag("from").and_then(|f| f.value.as_deref()) else {
            continue;
        };
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        // Only a stage of this file built on an image and with instructions of its own is
        // known to hold an operating system. A stage built FROM scratch holds only what was put
        // there (copying all of it is the usual way to collect artifacts), and an image, or a
        // stage that only names one (`FROM tonistiigi/xx AS xx`), may be a bare set of tools.
        let CopySource::Stage(s) = ctx.model.source_named(index, value) else {
            continue;
        };
        let chain = ctx.model.stage_chain(s);
        let on_os_image = chain.last().is_some_and(|root| match &root.base {
            Base::Image(image) => image.unresolved.is_empty() && !image.resolved.raw.contains('$'),
            _ => false,
        });
        let has_body = chain.iter().any(|st| !st.body.is_empty());
        if !on_os_image || !has_body {
            continue;
        }
        for source in &c.sources {
            let expanded = ctx.model.expand_at(index, &source.raw);
            if !expanded.unresolved.is_empty() || normalize_path(&expanded.text) != "/" {
                continue;
            }
            sink.report(
                source.span,
                format!("`COPY --from={value} {}` copies the whole filesystem of `{value}`, operating system included", source.raw),
                "copy only the directories the image needs (for example `/out/app`), or collect them in a `FROM scratch` stage first",
            );
        }
    }
}
