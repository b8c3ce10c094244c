//! `drydock pin`: the edits that pin `FROM image:tag` to `image:tag@<digest>` and refresh
//! stale digests. Each edit touches the image word only; everything else stays byte for byte.

use crate::semantic::{Base, Model};
use crate::span::Span;
use crate::syntax::{Dockerfile, ImageRef};

use super::{Answers, Repository};

/// Replace `span` (byte offsets in the file) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// What pinning one file would do: the edits, and the FROM lines left alone with the reason.
#[derive(Debug, Default)]
pub struct PinPlan {
    pub edits: Vec<Edit>,
    /// `(1-based line, reason)`.
    pub skipped: Vec<(usize, String)>,
}

/// The pin edits of a file. Stages, `scratch` and untagged images are left alone, and so
/// are references written with variables (the ARG default is the place to pin those).
#[must_use]
pub fn plan(source: &str, dockerfile: &Dockerfile, answers: &Answers) -> PinPlan {
    let model = Model::new(source, dockerfile);
    let mut out = PinPlan::default();
    let line = |offset: usize| 1 + source[..offset.min(source.len())].matches('\n').count();
    for stage in &model.stages {
        let Base::Image(image) = &stage.base else {
            continue; // a stage of this file, scratch, or nothing
        };
        let written = &image.written;
        match edit_for(written, answers) {
            Ok(Some(edit)) => out.edits.push(edit),
            Ok(None) => {}
            Err(reason) => out.skipped.push((line(written.span.start()), reason)),
        }
    }
    out
}

/// The edit that pins `written` to the digest its tag resolves to (`@digest` added, or a stale
/// digest replaced): `None` when the pin is current, `Err(reason)` when it cannot be pinned.
///
/// # Errors
/// Why the reference is left alone: variables, no tag, or no registry answer for it.
pub fn edit_for(written: &ImageRef, answers: &Answers) -> Result<Option<Edit>, String> {
    if written.has_variables {
        return Err(format!(
            "`{}` uses variables: pin the ARG default instead",
            written.raw
        ));
    }
    let (Some(repo), Some(tag)) = (Repository::of(written), &written.tag) else {
        return Err(format!("`{}` has no tag: name the tag to pin", written.raw));
    };
    let Some(answer) = answers.tag(&repo, &tag.text) else {
        return Err(format!(
            "no registry answer for `{}`",
            repo.tag_key(&tag.text)
        ));
    };
    Ok(match &written.digest {
        Some(pin) if answers.pin_matches(answer, &pin.text) != Some(false) => None,
        Some(pin) => Some(Edit {
            span: pin.span,
            text: answer.digest.clone(),
        }),
        None => Some(Edit {
            span: Span::empty(written.span.end()),
            text: format!("@{}", answer.digest),
        }),
    })
}

/// `bytes` with `edits` applied (spans are byte offsets into `bytes`; they must not overlap).
#[must_use]
pub fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.span.start());
    let mut out = Vec::with_capacity(bytes.len() + edits.len() * 72);
    let mut at = 0;
    for e in sorted {
        out.extend_from_slice(&bytes[at..e.span.start()]);
        out.extend_from_slice(e.text.as_bytes());
        at = e.span.end();
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// A unified diff (3 lines of context) between two versions of a file.
#[must_use]
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    crate::fix::unified_diff(path, old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    fn answers() -> Answers {
        Answers::parse_inline(
            &[&format!("alpine:3.22@{D1} python:3.13@sha256:aa+sha256:c1")],
            &[],
        )
        .unwrap()
    }

    #[test]
    fn pins_refreshes_and_skips() {
        let src = "\u{feff}ARG V=1\r\nFROM alpine:3.22 AS a\r\nFROM a\r\nFROM scratch\r\nFROM alpine:3.22@sha256:00 AS b\r\nFROM python:3.13@sha256:c1\r\nFROM alpine:${V}\r\nFROM alpine\r\nFROM ubuntu:24.04\r\n";
        let df = crate::syntax::parse(src);
        let p = plan(src, &df, &answers());
        let out = String::from_utf8(apply(src.as_bytes(), &p.edits)).unwrap();
        assert_eq!(
            out,
            src.replace(
                "FROM alpine:3.22 AS a",
                &format!("FROM alpine:3.22@{D1} AS a")
            )
            .replace("alpine:3.22@sha256:00", &format!("alpine:3.22@{D1}"))
        );
        let reasons: Vec<usize> = p.skipped.iter().map(|s| s.0).collect();
        assert_eq!(reasons, vec![7, 8, 9]);
    }

    #[test]
    fn diffs() {
        let old = b"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk";
        let new = b"a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nK";
        assert_eq!(
            unified_diff("Dockerfile", old, new),
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -8,4 +8,4 @@\n h\n i\n j\n-k\n\\ No newline at end of file\n+K\n\\ No newline at end of file\n"
        );
        assert_eq!(unified_diff("x", old, old), "");
    }
}
