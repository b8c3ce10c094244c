//! Autofix: apply the fixes findings carry, over several passes until nothing changes.
//!
//! Edits are byte-span replacements on the file's original bytes (the decoder keeps offsets
//! one for one, so invalid UTF-8 survives untouched). Each pass lints the current text,
//! takes the applicable fixes in source order, skips a fix that overlaps one already taken
//! (it is retried on the next pass, against the updated text), applies the rest, and
//! re-parses: a pass that would add syntax errors is redone fix by fix, and a fix that adds
//! errors on its own is dropped. Pure: no I/O.

use crate::diagnostic::{Edit, Finding, Fix, Safety};
use crate::engine::{self, Inputs, Settings};
use crate::source::{decode, Decoded};
use crate::span::Span;
use crate::syntax::{self, DiagnosticSeverity};

/// At most this many passes; a fix that keeps re-appearing stops here instead of looping.
pub const MAX_PASSES: usize = 16;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    /// Safe fixes only (`--fix`).
    Safe,
    /// Safe and unsafe fixes (`--unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    /// Whether a fix of `safety` is applied.
    #[must_use]
    pub fn allows(self, safety: Safety) -> bool {
        safety == Safety::Safe || self == Applicability::Unsafe
    }
}

/// A fix that was applied, with the rule that offered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub description: String,
}

/// A fix that was not applied because it would have added syntax errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub code: &'static str,
    pub description: String,
    /// Where it was offered (byte span in the text of the pass that offered it).
    pub span: Span,
}

/// What fixing a file did.
#[derive(Debug)]
pub struct Outcome {
    /// The fixed bytes (the input when nothing applied).
    pub bytes: Vec<u8>,
    pub applied: Vec<Applied>,
    pub rejected: Vec<Rejected>,
    /// How many passes changed the text.
    pub passes: usize,
    /// Whether the last pass still had fixes to apply (the pass limit was reached).
    pub unstable: bool,
}

impl Outcome {
    /// Whether the bytes changed.
    #[must_use]
    pub fn changed(&self) -> bool {
        !self.applied.is_empty()
    }
}

/// Fix `bytes` with the fixes `settings`' rules offer under `inputs`.
#[must_use]
pub fn fix(bytes: &[u8], settings: &Settings, inputs: Inputs<'_>, which: Applicability) -> Outcome {
    fix_with(bytes, which, |decoded| {
        engine::lint_with(decoded, settings, inputs).findings
    })
}

/// [`fix`] with the findings of each pass from `lint`.
pub fn fix_with(
    bytes: &[u8],
    which: Applicability,
    lint: impl Fn(&Decoded) -> Vec<Finding>,
) -> Outcome {
    let mut current = bytes.to_vec();
    let crlf = uses_crlf(bytes);
    let mut outcome = Outcome {
        bytes: Vec::new(),
        applied: Vec::new(),
        rejected: Vec::new(),
        passes: 0,
        unstable: false,
    };
    let mut errors = syntax_errors(&decode(current.clone()));
    for pass in 0..MAX_PASSES {
        let decoded = decode(current.clone());
        let findings = lint(&decoded);
        let candidates = candidates(&findings, &decoded, which, &outcome.rejected);
        if candidates.is_empty() {
            break;
        }
        if pass + 1 == MAX_PASSES {
            outcome.unstable = true;
            break;
        }
        let chosen = non_overlapping(&candidates);
        let next = apply(&current, chosen.iter().map(|c| c.1), crlf);
        let next_errors = syntax_errors(&decode(next.clone()));
        if next_errors <= errors {
            record(&mut outcome.applied, &chosen);
            current = next;
            errors = next_errors;
        } else {
            // Find the culprits: apply the pass's fixes one at a time.
            let mut any = false;
            for &(code, f) in &chosen {
                let alone = apply(&current, std::iter::once(f), crlf);
                let alone_errors = syntax_errors(&decode(alone.clone()));
                if alone_errors <= errors {
                    outcome.applied.push(Applied {
                        code,
                        description: f.description.clone(),
                    });
                    current = alone;
                    errors = alone_errors;
                    any = true;
                    break; // offsets moved: re-lint before the next one
                }
                outcome.rejected.push(Rejected {
                    code,
                    description: f.description.clone(),
                    span: extent(f),
                });
            }
            if !any && outcome.rejected.is_empty() {
                break;
            }
        }
        outcome.passes += 1;
    }
    outcome.bytes = current;
    outcome
}

/// The syntax errors of a text (warnings do not count).
fn syntax_errors(decoded: &Decoded) -> usize {
    syntax::parse_decoded(decoded)
        .diagnostics
        .iter()
        .filter(|d| d.severity == DiagnosticSeverity::Error)
        .count()
}

/// The fixes to try this pass, in source order: allowed, not known to break the file, and
/// not touching bytes that were not valid UTF-8.
fn candidates<'a>(
    findings: &'a [Finding],
    decoded: &Decoded,
    which: Applicability,
    rejected: &[Rejected],
) -> Vec<(&'static str, &'a Fix)> {
    let mut out: Vec<(&'static str, &Fix)> = findings
        .iter()
        .filter_map(|f| Some((f.code, f.fix.as_ref()?)))
        .filter(|(_, fix)| which.allows(fix.safety) && !fix.edits.is_empty())
        .filter(|(_, fix)| fix.edits.iter().all(|e| e.span.end() <= decoded.text.len()))
        .filter(|(_, fix)| {
            !fix.edits.iter().any(|e| {
                decoded
                    .invalid
                    .iter()
                    .any(|bad| bad.start() < e.span.end() && e.span.start() < bad.end())
            })
        })
        .filter(|(code, fix)| {
            !rejected
                .iter()
                .any(|r| r.code == *code && r.description == fix.description)
        })
        .collect();
    out.sort_by_key(|(code, fix)| (extent(fix), *code));
    out.dedup_by(|a, b| a.1.edits == b.1.edits);
    out
}

/// The span from a fix's first edit to its last.
fn extent(fix: &Fix) -> Span {
    fix.edits
        .iter()
        .map(|e| e.span)
        .reduce(Span::cover)
        .unwrap_or_default()
}

/// Whether two edits touch the same bytes; two insertions at one offset conflict too (their
/// order would be a guess), and so does an insertion at a replaced span's edge.
fn conflict(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    if a.is_empty() || b.is_empty() {
        a.start() <= b.end() && b.start() <= a.end()
    } else {
        a.start() < b.end() && b.start() < a.end()
    }
}

/// The fixes of `candidates` that can go together, first come first served.
fn non_overlapping<'a>(candidates: &[(&'static str, &'a Fix)]) -> Vec<(&'static str, &'a Fix)> {
    let mut taken: Vec<(&'static str, &Fix)> = Vec::new();
    for &(code, fix) in candidates {
        let clashes = taken
            .iter()
            .flat_map(|(_, t)| &t.edits)
            .any(|t| fix.edits.iter().any(|e| conflict(e, t)));
        let self_clash = fix
            .edits
            .iter()
            .enumerate()
            .any(|(i, e)| fix.edits[i + 1..].iter().any(|o| conflict(e, o)));
        if !clashes && !self_clash {
            taken.push((code, fix));
        }
    }
    taken
}

fn record(applied: &mut Vec<Applied>, chosen: &[(&'static str, &Fix)]) {
    applied.extend(chosen.iter().map(|(code, f)| Applied {
        code,
        description: f.description.clone(),
    }));
}

/// `bytes` with the edits of `fixes` applied (they must not overlap); new line breaks in
/// replacements follow the file's line endings.
fn apply<'a>(bytes: &[u8], fixes: impl Iterator<Item = &'a Fix>, crlf: bool) -> Vec<u8> {
    let mut edits: Vec<&Edit> = fixes.flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| (e.span.start(), e.span.end()));
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut at = 0;
    for e in edits {
        out.extend_from_slice(&bytes[at..e.span.start()]);
        if crlf {
            out.extend_from_slice(with_crlf(&e.replacement).as_bytes());
        } else {
            out.extend_from_slice(e.replacement.as_bytes());
        }
        at = e.span.end();
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// Whether most line breaks of the file are CRLF.
fn uses_crlf(bytes: &[u8]) -> bool {
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    crlf > 0 && crlf * 2 >= lf
}

/// `text` with every bare `\n` turned into `\r\n`.
fn with_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// A unified diff (3 lines of context) of two versions of the file `path`; empty when equal.
#[must_use]
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    similar::TextDiff::from_lines(a.as_ref(), b.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit {
            span: Span::new(start, end),
            replacement: text.into(),
        }
    }

    fn one(edits: Vec<Edit>) -> Fix {
        Fix {
            description: "x".into(),
            edits,
            safety: Safety::Safe,
        }
    }

    /// A stand-in rule: every `FROM` line without ` AS x` gets a fix adding it, and every
    /// `RUN bad` line a fix that breaks the file.
    fn fake_lint(decoded: &Decoded) -> Vec<Finding> {
        let text = &decoded.text;
        let mut out = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end();
            let fix = if body.starts_with("FROM") && !body.ends_with(" AS x") {
                Some((Span::empty(at + body.len()), " AS x", Safety::Safe))
            } else if body == "RUN bad" {
                Some((Span::new(at, at + body.len()), "ENV =x", Safety::Safe))
            } else if body == "RUN risky" {
                Some((Span::new(at, at + body.len()), "RUN safe", Safety::Unsafe))
            } else {
                None
            };
            if let Some((span, text, safety)) = fix {
                out.push(Finding {
                    code: "DD999",
                    name: "fake",
                    severity: crate::diagnostic::Severity::Warning,
                    message: String::new(),
                    help: String::new(),
                    span,
                    labels: Vec::new(),
                    fix: Some(Fix {
                        description: format!("write `{text}`"),
                        edits: vec![edit(span.start(), span.end(), text)],
                        safety,
                    }),
                });
            }
            at += line.len();
        }
        out
    }

    #[test]
    fn fixes_that_add_syntax_errors_are_dropped_and_the_rest_applied() {
        let out = fix_with(
            b"FROM a\nRUN bad\nFROM b\nRUN risky\n",
            Applicability::Safe,
            fake_lint,
        );
        assert_eq!(out.bytes, b"FROM a AS x\nRUN bad\nFROM b AS x\nRUN risky\n");
        assert_eq!(out.applied.len(), 2);
        assert_eq!(out.rejected.len(), 1);
        assert_eq!(out.rejected[0].description, "write `ENV =x`");
        assert!(!out.unstable);
        let out = fix_with(b"RUN risky\r\n", Applicability::Unsafe, fake_lint);
        assert_eq!(out.bytes, b"RUN safe\r\n");
        let none = fix_with(b"RUN ok\n", Applicability::Unsafe, fake_lint);
        assert!(!none.changed() && none.passes == 0);
    }

    #[test]
    fn invalid_utf8_is_kept_and_never_edited() {
        let lint = |d: &Decoded| {
            let mut f = fake_lint(d);
            // A fix over the invalid byte is refused.
            f.push(finding(one(vec![edit(3, 5, "zz")])));
            f
        };
        let out = fix_with(b"RUN\xff\x00\nFROM a\n", Applicability::Safe, lint);
        assert_eq!(out.bytes, b"RUN\xff\x00\nFROM a AS x\n");
    }

    fn finding(fix: Fix) -> Finding {
        Finding {
            code: "DD998",
            name: "fake-too",
            severity: crate::diagnostic::Severity::Warning,
            message: String::new(),
            help: String::new(),
            span: Span::empty(0),
            labels: Vec::new(),
            fix: Some(fix),
        }
    }

    #[test]
    fn a_fix_that_never_settles_stops_at_the_pass_limit() {
        let lint = |d: &Decoded| vec![finding(one(vec![edit(d.text.len(), d.text.len(), "#\n")]))];
        let out = fix_with(b"FROM a\n", Applicability::Safe, lint);
        assert!(out.unstable);
        assert_eq!(out.passes, MAX_PASSES - 1);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let a = one(vec![edit(0, 4, "X")]);
        let b = one(vec![edit(2, 6, "Y")]);
        let c = one(vec![edit(6, 6, "Z")]);
        let d = one(vec![edit(6, 6, "W")]);
        let chosen = non_overlapping(&[("A", &a), ("B", &b), ("C", &c), ("D", &d)]);
        let codes: Vec<_> = chosen.iter().map(|c| c.0).collect();
        assert_eq!(codes, ["A", "C"]);
    }

    #[test]
    fn replacements_follow_crlf_line_endings() {
        let src = b"FROM a\r\nRUN b\r\n";
        assert!(uses_crlf(src));
        let f = one(vec![edit(8, 8, "SHELL [\"x\"]\n")]);
        assert_eq!(
            apply(src, std::iter::once(&f), true),
            b"FROM a\r\nSHELL [\"x\"]\r\nRUN b\r\n"
        );
        assert_eq!(with_crlf("a\r\nb\n"), "a\r\nb\r\n");
        assert!(!uses_crlf(b"a\nb\r\nc\nd\n"));
    }

    #[test]
    fn diffs_handle_added_lines_and_missing_final_newline() {
        assert_eq!(
            unified_diff("Dockerfile", b"FROM a\nRUN b", b"FROM a\nSHELL x\nRUN c"),
            "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,3 @@\n FROM a\n-RUN b\n\\ No newline at end of file\n+SHELL x\n+RUN c\n\\ No newline at end of file\n"
        );
        assert_eq!(unified_diff("x", b"a", b"a"), "");
    }
}
