//! DD702: `ENV key value` / `LABEL key value`, the legacy form without `=`.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// DD702
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let pairs = match &inst.kind {
            InstructionKind::Env(p) | InstructionKind::Label(p) => p,
            _ => continue,
        };
        for pair in pairs.iter().filter(|p| p.legacy) {
            let keyword = inst.keyword.as_str();
            let key = &pair.key.value;
            let value = &pair.value.value;
            let suggestion =
                if value.is_empty() || value.contains([' ', '\t']) || value.contains('"') {
                    format!(
                        "{keyword} {key}=\"{}\"",
                        value.replace('\\', "\\\\").replace('"', "\\\"")
                    )
                } else {
                    format!("{keyword} {key}={value}")
                };
            sink.report(
                pair.key.span,
                format!(
                    "`{keyword} {key} ...` uses the legacy form without `=`: everything after the key, spaces included, is one value, so a second pair cannot be added and `{keyword} a b c=d` does not mean what it seems"
                ),
                format!("write `{suggestion}`"),
            );
        }
    }
}
