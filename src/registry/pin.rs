//! `drydock pin`: the edits that pin `FROM image:tag` to `image:tag@<digest>` and refresh
//! stale digests. Each edit touches the image word only; everything else stays byte for byte.

use crate::semantic::{Base, Model};
use crate::span::Span;
use crate::syntax::Dockerfile;

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
        let at = line(written.span.start());
        if written.has_variables {
            out.skipped.push((
                at,
                format!(
                    "`{}` uses variables: pin the ARG default instead",
                    written.raw
                ),
            ));
            continue;
        }
        let (Some(repo), Some(tag)) = (Repository::of(written), &written.tag) else {
            out.skipped.push((
                at,
                format!("`{}` has no tag: name the tag to pin", written.raw),
            ));
            continue;
        };
        let Some(answer) = answers.tag(&repo, &tag.text) else {
            out.skipped.push((
                at,
                format!("no registry answer for `{}`", repo.tag_key(&tag.text)),
            ));
            continue;
        };
        match &written.digest {
            Some(pin) if answers.pin_matches(answer, &pin.text) != Some(false) => {}
            Some(pin) => out.edits.push(Edit {
                span: pin.span,
                text: answer.digest.clone(),
            }),
            None => out.edits.push(Edit {
                span: Span::empty(written.span.end()),
                text: format!("@{}", answer.digest),
            }),
        }
    }
    out
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

/// A unified diff (3 lines of context) between two versions of a file whose edits never add
/// or remove lines, as pin edits do.
#[must_use]
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    let split = |b: &[u8]| -> Vec<String> {
        b.split_inclusive(|&c| c == b'\n')
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect()
    };
    let (a, b) = (split(old), split(new));
    if a.len() != b.len() || a == b {
        return String::new();
    }
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut i = 0;
    while i < changed.len() {
        let start = changed[i].saturating_sub(3);
        let mut end = (changed[i] + 4).min(a.len());
        let mut j = i + 1;
        while j < changed.len() && changed[j] < end + 3 {
            end = (changed[j] + 4).min(a.len());
            j += 1;
        }
        let n = end - start;
        out.push_str(&format!("@@ -{},{n} +{},{n} @@\n", start + 1, start + 1));
        for k in start..end {
            let line = |s: &str| {
                if s.ends_with('\n') {
                    s.to_owned()
                } else {
                    format!("{s}\n\\ No newline at end of file\n")
                }
            };
            if a[k] == b[k] {
                out.push_str(&format!(" {}", line(&a[k])));
            } else {
                out.push_str(&format!("-{}", line(&a[k])));
                out.push_str(&format!("+{}", line(&b[k])));
            }
        }
        i = j;
    }
    out
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
