//! Every rule over every corpus Dockerfile: no panic, every finding's span inside its file
//! and on character boundaries. Reads `../shared/corpus/files` when present, else skips.

#![allow(clippy::print_stderr)] // the test reports what it linted
mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use drydock::engine::{lint, Settings};
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
                    let spans = std::iter::once(f.span).chain(f.labels.iter().map(|l| l.span));
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
