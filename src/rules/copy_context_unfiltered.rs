//! DD306: `COPY .` of the whole build context while no `.dockerignore` keeps version-control
//! data, credentials and host-built dependencies out of it.

use super::{Context, Sink};
use crate::build_context::clean;
use crate::syntax::InstructionKind;

/// DD306
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(build) = ctx.build else {
        return;
    };
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let (InstructionKind::Copy(c) | InstructionKind::Add(c)) = &inst.kind else {
            continue;
        };
        if inst.flag("from").is_some() || ctx.model.is_unjudgeable(index) {
            continue;
        }
        let Some(source) = c.sources.iter().find(|s| {
            let expanded = ctx.model.expand_at(index, &s.raw);
            expanded.unresolved.is_empty() && copies_everything(&expanded.text)
        }) else {
            continue;
        };
        let shipped: Vec<&str> = build
            .present
            .iter()
            .map(String::as_str)
            .filter(|name| build.ignore.as_ref().is_none_or(|i| !i.excludes(name)))
            .collect();
        let listed = shipped
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let shipped_in_image = ctx
            .model
            .context(index)
            .stage
            .is_some_and(|s| ctx.model.is_in_final_image(s));
        let into = if shipped_in_image {
            "the image"
        } else {
            "this stage (and every change to them invalidates its cache)"
        };
        let (message, help) = match &build.ignore {
            None if shipped.is_empty() => (
                format!(
                    "{} `{}` copies the whole build context and there is no .dockerignore: whatever lands in the directory (.git, .env files, local builds) goes into {into}",
                    inst.keyword.as_str(),
                    source.raw
                ),
                "add a .dockerignore that excludes .git, .env*, credentials and build output, or copy only what the image needs".to_owned(),
            ),
            None => (
                format!(
                    "{} `{}` copies the whole build context and there is no .dockerignore: {listed} go into {into}",
                    inst.keyword.as_str(),
                    source.raw
                ),
                format!("add a .dockerignore that excludes {listed}, or copy only what the image needs"),
            ),
            Some(_) if shipped.is_empty() => continue,
            Some(ignore) => (
                format!(
                    "{} `{}` copies the whole build context and {} does not exclude {listed}: they go into {into}",
                    inst.keyword.as_str(),
                    source.raw,
                    ignore.name
                ),
                format!("add {listed} to {}", ignore.name),
            ),
        };
        sink.report(source.span, message, help);
    }
}

/// Whether a source names the context root (`.`, `./`, `/`) or everything in it (`*`).
fn copies_everything(source: &str) -> bool {
    let path = clean(source);
    path.is_empty() || path == "*"
}
