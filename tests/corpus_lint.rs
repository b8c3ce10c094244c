//! Every rule over every corpus Dockerfile: no panic, every finding's span inside its file
//! and on character boundaries. Reads `../shared/corpus/files` when present, else skips.

#![allow(clippy::print_stderr)] // the test reports what it linted
mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use drydock::engine::{lint, Inputs, Settings};
use drydock::fix::{fix, Applicability};
use drydock::rules::metas;
use drydock::source::decode;

#[test]
fn all_rules_over_the_corpus_never_panic_and_spans_are_valid() {
    let Some(files) = common::corpus_files("linting the corpus") else {
        return;
    };
    let all: Vec<usize> = (0..metas().len()).collect();
    let settings = Settings::only(&all);
    let paths: Vec<_> = files.into_iter().map(|(_, p)| p).collect();
    let mut problems = Vec::new();
    let mut findings = 0usize;
    for path in &paths {
        let decoded = decode(std::fs::read(path).unwrap());
        let text = decoded.text.clone();
        match catch_unwind(AssertUnwindSafe(|| lint(&decoded, &settings))) {
            Ok(report) => {
                findings += report.findings.len();
                for f in &report.findings {
                    let edits = f.fix.iter().flat_map(|x| &x.edits).map(|e| e.span);
                    let spans = std::iter::once(f.span)
                        .chain(f.labels.iter().map(|l| l.span))
                        .chain(edits);
                    for s in spans {
                        let ok = s.start <= s.end
                            && s.end() <= text.len()
                            && text.is_char_boundary(s.start())
                            && text.is_char_boundary(s.end());
                        if !ok {
                            problems.push(format!("{}: {} bad span {s:?}", path.display(), f.code));
                        }
                    }
                }
            }
            Err(_) => problems.push(format!("{}: panicked", path.display())),
        }
    }
    eprintln!(
        "linted {} corpus files with {} rules: {findings} findings",
        paths.len(),
        all.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The syntax errors of a text.
fn syntax_errors(bytes: &[u8]) -> usize {
    drydock::syntax::parse_decoded(&decode(bytes.to_vec()))
        .diagnostics
        .iter()
        .filter(|d| d.severity == drydock::syntax::DiagnosticSeverity::Error)
        .count()
}

/// `--unsafe-fixes` with every rule over every corpus file: no panic, no new syntax error,
/// the pass limit never reached, and a second run finds nothing more to fix.
#[test]
fn fixing_the_corpus_adds_no_syntax_errors_and_is_idempotent() {
    let Some(files) = common::corpus_files("fixing the corpus") else {
        return;
    };
    let all: Vec<usize> = (0..metas().len()).collect();
    let settings = Settings::only(&all);
    let mut problems = Vec::new();
    let (mut changed, mut applied) = (0usize, 0usize);
    for (_, path) in &files {
        let bytes = std::fs::read(path).unwrap();
        let run = |b: &[u8]| {
            catch_unwind(AssertUnwindSafe(|| {
                fix(b, &settings, Inputs::default(), Applicability::Unsafe)
            }))
        };
        let Ok(first) = run(&bytes) else {
            problems.push(format!("{}: panicked", path.display()));
            continue;
        };
        if first.unstable {
            problems.push(format!("{}: fixes did not settle", path.display()));
        }
        if syntax_errors(&first.bytes) > syntax_errors(&bytes) {
            problems.push(format!(
                "{}: the fixes added a syntax error",
                path.display()
            ));
        }
        if first.changed() {
            changed += 1;
            applied += first.applied.len();
            match run(&first.bytes) {
                Ok(again) if again.changed() => problems.push(format!(
                    "{}: not idempotent: a second run applied {:?}",
                    path.display(),
                    again.applied
                )),
                Ok(_) => {}
                Err(_) => problems.push(format!("{}: panicked on the fixed file", path.display())),
            }
        }
    }
    eprintln!(
        "fixed {changed} of {} corpus files: {applied} fixes applied",
        files.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
