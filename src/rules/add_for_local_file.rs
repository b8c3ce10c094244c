//! DD513: ADD of local files that are not archives, where COPY does the same.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::syntax::{Copy, Instruction, InstructionKind, Keyword};

/// Archives that ADD extracts (tar, optionally compressed with gzip, bzip2 or xz).
pub(crate) const ARCHIVES: [&str; 11] = [
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ".tar.lz", ".tzst",
];

/// Names of files that may be tar archives by content, which ADD extracts whatever the name:
/// compressed files (a `.gz` may hold a tar) and tar-based package formats.
const MAYBE_TAR: [&str; 12] = [
    ".gz", ".bz2", ".xz", ".zst", ".lz", ".lz4", ".lzma", ".z", ".gem", ".apk", ".crate", ".ova",
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

/// ADD becomes COPY (the keyword alone, in its case). ADD recognises archives by content,
/// not by name, so there is no fix for a source whose name says it may be a tar
/// ([`MAYBE_TAR`]) or comes from a variable, nor when a flag COPY does not take
/// (`--checksum`, `--unpack`, `--keep-git-dir`) is given.
fn to_copy(inst: &Instruction, add: &Copy, sources: &[String]) -> Option<Fix> {
    let copy_flags = Keyword::Copy.known_flags();
    // A build argument may name an archive whatever the default says.
    if add.sources.iter().any(|w| w.raw.contains('$'))
        || inst
            .flags
            .iter()
            .any(|f| !copy_flags.contains(&f.name.as_str()))
        || sources
            .iter()
            .any(|s| MAYBE_TAR.iter().any(|e| s.ends_with(e)))
    {
        return None;
    }
    Some(Fix {
        description: "use COPY".to_owned(),
        edits: vec![Edit {
            span: inst.keyword_span,
            replacement: Keyword::Copy.spelled_like(&inst.keyword_text),
        }],
        safety: Safety::Safe,
    })
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
        let mut expanded_sources = Vec::new();
        for source in &c.sources {
            let expanded = ctx.model.expand_at(index, &source.raw);
            let s = expanded.text.to_ascii_lowercase();
            if !expanded.unresolved.is_empty() || s.is_empty() {
                judgeable = false;
            }
            if is_remote(&s) || ARCHIVES.iter().any(|a| s.ends_with(a)) || may_match_archive(&s) {
                wants_add = true;
            }
            expanded_sources.push(s);
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
        )
        .fix = to_copy(inst, c, &expanded_sources);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn add_becomes_copy_keeping_flags_case_and_lines() {
        let text = "FROM alpine:3.22\nadd --chown=app \\\n  app.conf /etc/\nADD --link bin/ /usr/local/bin/\n";
        assert_eq!(
            fixed("DD513", text),
            "FROM alpine:3.22\ncopy --chown=app \\\n  app.conf /etc/\nCOPY --link bin/ /usr/local/bin/\n"
        );
    }

    #[test]
    fn no_fix_for_add_only_flags_or_names_that_may_hide_a_tar() {
        let text = concat!(
            "FROM alpine:3.22\n",
            "ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 app.conf /etc/\n",
            "ADD --unpack=false app.conf /etc/\n",
            "ARG CONF=app.conf\n",
            "ADD $CONF /etc/\n",
            "ADD vendor/rake-13.0.gem /tmp/\n",
            "ADD dump.sql.gz /docker-entrypoint-initdb.d/\n",
        );
        assert_eq!(fixes("DD513", text), [None, None, None, None, None]);
    }
}
