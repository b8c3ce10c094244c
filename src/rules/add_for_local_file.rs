//! DD513: ADD of local files that are not archives, where COPY does the same.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// Archives that ADD extracts (tar, optionally compressed with gzip, bzip2 or xz).
pub(crate) const ARCHIVES: [&str; 11] = [
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ".tar.lz", ".tzst",
];

/// Whether an ADD source is fetched rather than read from the context.
pub(crate) fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

/// Whether wildcard source `s` (lower case) may match an archive: `dist/*` or `*.tar*` may, while
/// `conf/*.yaml` or `src/*.c`, whose literal extension no archive has, cannot.
fn may_match_archive(s: &str) -> bool {
    let Some(last_meta) = s.rfind(['*', '?', '[', ']']) else {
        return false;
    };
    let tail = &s[last_meta + 1..];
    let Some(ext) = tail
        .strip_prefix('.')
        .filter(|e| !e.is_empty() && !e.contains(['/', '.']))
    else {
        return true;
    };
    let ext = format!(".{ext}");
    ARCHIVES.iter().any(|a| a.ends_with(&ext))
        || [".gz", ".bz2", ".xz", ".zst"].contains(&ext.as_str())
}

/// DD513
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if ctx.model.is_unjudgeable(index) {
            continue;
        }
        let InstructionKind::Add(c) = &inst.kind else {
            continue;
        };
        if c.sources.is_empty() || c.dest.is_none() || !inst.heredocs.is_empty() {
            continue;
        }
        let mut judgeable = true;
        let mut wants_add = false;
        for source in &c.sources {
            let expanded = ctx.model.expand_at(index, &source.raw);
            let s = expanded.text.to_ascii_lowercase();
            if !expanded.unresolved.is_empty() || s.is_empty() {
                judgeable = false;
            }
            if is_remote(&s) || ARCHIVES.iter().any(|a| s.ends_with(a)) || may_match_archive(&s) {
                wants_add = true;
            }
        }
        if !judgeable || wants_add {
            continue;
        }
        let sources: Vec<&str> = c.sources.iter().map(|w| w.raw.as_str()).collect();
        sink.report(
            inst.keyword_span,
            format!(
                "ADD copies local `{}`: COPY does the same without ADD's implicit archive extraction and downloads",
                sources.join(" ")
            ),
            "use COPY; keep ADD for local tar archives it should extract",
        );
    }
}
