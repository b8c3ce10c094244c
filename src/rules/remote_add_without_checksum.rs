//! DD405: `ADD <url>` (HTTP or Git) with nothing pinning what is downloaded.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// Whether `source` is a Git repository reference as ADD understands it.
fn is_git(source: &str) -> bool {
    source.starts_with("git@")
        || source.starts_with("git://")
        || source.starts_with("ssh://")
        || (source.contains("://")
            && source
                .split(['#', '?'])
                .next()
                .is_some_and(|s| s.ends_with(".git")))
}

/// Whether a Git reference names a full commit (`...git#<40 hex>`), which pins it.
fn pins_commit(source: &str) -> bool {
    source.rsplit_once('#').is_some_and(|(_, fragment)| {
        let reference = fragment.split(':').next().unwrap_or(fragment);
        reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// DD405
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let InstructionKind::Add(add) = &inst.kind else {
            continue;
        };
        if inst.flag("checksum").is_some() {
            continue;
        }
        for source in &add.sources {
            let value = source.value.as_str();
            let lower = value.to_ascii_lowercase();
            let git = is_git(&lower);
            let http = lower.starts_with("http://") || lower.starts_with("https://");
            if !(git || http) || (git && pins_commit(&lower)) {
                continue;
            }
            let (what, help) = if git {
                (
                    "a Git branch or tag, which can be moved",
                    "pin the commit (`ADD https://host/repo.git#<full commit sha> /src`) or add `--checksum=<commit sha>`",
                )
            } else {
                (
                    "a URL whose content can change",
                    "add `--checksum=sha256:<digest>` so the build fails if the file changes (Dockerfile syntax 1.6+)",
                )
            };
            sink.report(
                source.span,
                format!(
                    "`ADD {value}` fetches {what} without a checksum: a changed or tampered download goes into the image unnoticed"
                ),
                help,
            );
        }
    }
}
