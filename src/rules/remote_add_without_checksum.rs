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

/// Whether a Git reference names a full commit (`...git#<40 hex>`, `?ref=<40 hex>`) or
/// carries a `?checksum=`, which pins it.
fn pins_commit(source: &str) -> bool {
    let is_sha = |r: &str| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit());
    let fragment = source
        .rsplit_once('#')
        .is_some_and(|(_, fragment)| is_sha(fragment.split(':').next().unwrap_or(fragment)));
    let query = source
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
        .is_some_and(|q| {
            q.split('&').any(|param| match param.split_once('=') {
                Some(("ref", r)) => is_sha(r),
                Some(("checksum", c)) => !c.is_empty(),
                _ => false,
            })
        });
    fragment || query
}

/// DD405
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (i, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let InstructionKind::Add(add) = &inst.kind else {
            continue;
        };
        if inst.flag("checksum").is_some() {
            continue;
        }
        for source in &add.sources {
            let value = source.value.as_str();
            // `#${COMMIT}` with `ARG COMMIT=<sha>` is pinned: judge the expanded reference.
            let lower = ctx.model.expand_at(i, value).text.to_ascii_lowercase();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_references() {
        assert!(is_git("https://github.com/moby/buildkit.git#v0.17.0"));
        assert!(is_git("git@github.com:o/r.git"));
        assert!(is_git("https://github.com/o/r.git?ref=main&keep-git-dir=1"));
        assert!(!is_git("https://example.com/tool.tar.gz"));
        assert!(pins_commit(
            "https://github.com/o/r.git#3b5e6aa3e4bc17e7b68fd1c2a0b1cde1d1e1f1a2:subdir"
        ));
        assert!(!pins_commit("https://github.com/o/r.git#v1.2.3"));
        assert!(pins_commit(
            "https://github.com/o/r.git?ref=3b5e6aa3e4bc17e7b68fd1c2a0b1cde1d1e1f1a2&keep-git-dir=1"
        ));
        assert!(pins_commit(
            "https://github.com/o/r.git?ref=v1&checksum=3b5e6aa"
        ));
        assert!(!pins_commit(
            "https://github.com/o/r.git?ref=v1.2.3&keep-git-dir=1"
        ));
    }
}
