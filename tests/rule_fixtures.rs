//! Rule fixtures (see `fixtures/README.md`): every `fixtures/rules/**/*.Dockerfile` is linted
//! with every rule on, and its findings must be exactly the `# expect:` comments; every
//! `fixtures/ok/*.Dockerfile` must give no finding with the default settings.

#![allow(clippy::print_stderr)] // the ignored corpus survey reports what it found
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use drydock::build_context::BuildContext;
use drydock::date::Date;
use drydock::engine::{lint, lint_with, Inputs, Settings};
use drydock::rules::meta::Example;
use drydock::rules::{metas, ExampleKind};
use drydock::source::decode;
use drydock::syntax::Dockerfile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The day fixtures are judged on unless their `# policy: today=...` says.
const FIXTURE_DAY: &str = "2026-11-28";

/// (rule name, 1-based first line of the instruction) → how many times.
type Expectations = BTreeMap<(String, u32), usize>;

/// Every `*.Dockerfile` below `dir`, sorted.
fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "Dockerfile") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The `# expect: a, b` comments directly above each instruction, and the
/// `# expect-next-line: a` comments for findings outside instructions (on a comment line).
fn expectations(df: &Dockerfile, text: &str) -> Expectations {
    let mut out = Expectations::new();
    for comment in &df.comments {
        let Some(names) = comment.text.strip_prefix("expect-next-line:") else {
            continue;
        };
        let line = 2 + text[..comment.span.start()].matches('\n').count() as u32;
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            *out.entry((name.to_owned(), line)).or_default() += 1;
        }
    }
    for inst in &df.instructions {
        for comment in df.leading_comments(inst) {
            let Some(names) = comment.text.strip_prefix("expect:") else {
                continue;
            };
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                *out.entry((name.to_owned(), inst.lines.0)).or_default() += 1;
            }
        }
    }
    out
}

/// The `# policy: key=value, ...` settings of a fixture, as a doc example would hold them.
fn policy_of(df: &Dockerfile) -> Example {
    let policy = df
        .comments
        .iter()
        .filter_map(|c| c.text.strip_prefix("policy:"))
        .flat_map(|p| p.split(','))
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    Example {
        kind: ExampleKind::Bad,
        code: String::new(),
        line: 0,
        policy,
    }
}

/// The build context of the fixture at `path`: the one its `# policy:` line describes, else
/// the real one on disk, as the CLI reads it (`<name>.dockerignore` or `.dockerignore`).
fn build_context_of(path: &Path, df: &Dockerfile) -> BuildContext {
    policy_of(df)
        .build_context()
        .unwrap_or_else(|| BuildContext::of_dockerfile(path))
}

/// The findings of `settings` on `text`, keyed like the expectations.
fn findings(text: &str, settings: &Settings, build: &BuildContext) -> Expectations {
    let df = drydock::syntax::parse(text);
    let registry = policy_of(&df)
        .registry_answers()
        .expect("registry answers of a fixture");
    let report = lint_with(
        &decode(text.as_bytes().to_vec()),
        settings,
        Inputs {
            build: Some(build),
            registry: registry.as_ref(),
        },
    );
    let mut out = Expectations::new();
    for f in &report.findings {
        // A finding belongs to the instruction containing its start.
        let line = report
            .dockerfile
            .instructions
            .iter()
            .find(|i| i.span.contains(f.span.start()) || i.span.start == f.span.start)
            .map_or_else(
                || 1 + text[..f.span.start().min(text.len())].matches('\n').count() as u32,
                |i| i.lines.0,
            );
        *out.entry((f.name.to_owned(), line)).or_default() += 1;
    }
    out
}

/// Lines that describe how `found` differs from `expected`.
fn differences(path: &Path, expected: &Expectations, found: &Expectations) -> Vec<String> {
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<_> = expected.keys().chain(found.keys()).collect();
    for key in keys {
        let (e, f) = (
            expected.get(key).copied().unwrap_or(0),
            found.get(key).copied().unwrap_or(0),
        );
        if e != f {
            out.push(format!(
                "{}:{}: {} expected {e}, found {f}",
                path.display(),
                key.1,
                key.0
            ));
        }
    }
    out
}

#[test]
fn rule_fixtures_give_exactly_their_expectations() {
    let all: Vec<usize> = (0..metas().len()).collect();
    let files = fixture_files(&Path::new(ROOT).join("fixtures/rules"));
    assert!(!files.is_empty(), "no rule fixtures found");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let df = drydock::syntax::parse(&text);
        let expected = expectations(&df, &text);
        for (name, line) in expected.keys() {
            if !metas().iter().any(|m| m.name == name) {
                failures.push(format!("{}:{line}: unknown rule `{name}`", path.display()));
            }
        }
        let mut settings = Settings::only(&all);
        settings.policy.today = Date::parse(FIXTURE_DAY);
        if let Err(e) = policy_of(&df).apply_policy(&mut settings.policy) {
            failures.push(format!("{}: {e}", path.display()));
        }
        let build = build_context_of(path, &df);
        failures.extend(differences(
            path,
            &expected,
            &findings(&text, &settings, &build),
        ));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn ok_fixtures_give_no_finding_with_default_settings() {
    let files = fixture_files(&Path::new(ROOT).join("fixtures/ok"));
    assert!(!files.is_empty(), "no ok fixtures found");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let df = drydock::syntax::parse(&text);
        let mut settings = Settings::default();
        settings.policy.today = Date::parse(FIXTURE_DAY);
        let found = findings(&text, &settings, &build_context_of(path, &df));
        failures.extend(differences(path, &Expectations::new(), &found));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A survey, not a check: findings per rule over `../shared/corpus/files` with every rule
/// on, and a few samples of each. Run with `cargo test --release --test rule_fixtures
/// corpus_survey -- --ignored --nocapture`.
#[test]
#[ignore = "survey of the shared corpus; slow, prints counts for review"]
fn corpus_survey() {
    let dir = Path::new(ROOT).join("../shared/corpus/files");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus not found at {}", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    let all: Vec<usize> = (0..metas().len()).collect();
    let policies = ["require", "forbid"];
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut samples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (sample_every, max_samples) = (env("SURVEY_SAMPLE_EVERY", 37), env("SURVEY_SAMPLES", 12));
    for policy in policies {
        let mut settings = Settings::only(&all);
        let example = Example {
            kind: ExampleKind::Bad,
            code: String::new(),
            line: 0,
            policy: vec![("security-updates".into(), policy.into())],
        };
        example.apply_policy(&mut settings.policy).unwrap();
        for path in &paths {
            let decoded = decode(std::fs::read(path).unwrap());
            let text = decoded.text.clone();
            let report = lint(&decoded, &settings);
            let mut seen_in_file = std::collections::HashSet::new();
            for f in &report.findings {
                // DD204 only fires under `forbid`, the others are counted under `require`.
                if (f.code == "DD204") != (policy == "forbid") {
                    continue;
                }
                let entry = counts.entry(f.code).or_default();
                entry.0 += 1;
                if seen_in_file.insert(f.code) {
                    entry.1 += 1;
                }
                let list = samples.entry(f.code).or_default();
                if (entry.0 - 1).is_multiple_of(sample_every) && list.len() < max_samples {
                    let line = 1 + text[..f.span.start()].matches('\n').count();
                    let snippet: String = f.span.slice(&text).chars().take(90).collect();
                    list.push(format!(
                        "{}:{line}: `{snippet}` {}",
                        path.file_name().unwrap().to_string_lossy(),
                        f.message
                    ));
                }
            }
        }
    }
    for (code, (n, files)) in &counts {
        eprintln!("{code}: {n} findings in {files} files");
        for s in samples.get(code).into_iter().flatten() {
            eprintln!("    {s}");
        }
    }
}

/// Every rule has a real-world fixture that shows it firing: an `# expect:` (or
/// `# expect-next-line:`) naming it, or, for a finding on a parser directive, a used
/// `# drydock ignore-file=` (an unused one would be reported by unused-suppression).
#[test]
fn every_rule_fires_in_some_fixture() {
    let files = fixture_files(&Path::new(ROOT).join("fixtures/rules"));
    let mut named = std::collections::HashSet::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for comment in drydock::syntax::parse(&text).comments {
            let list = ["expect:", "expect-next-line:", "drydock ignore-file="]
                .iter()
                .find_map(|p| comment.text.strip_prefix(p));
            for name in list.into_iter().flat_map(|l| l.split(',')) {
                named.insert(name.trim().to_owned());
            }
        }
    }
    let missing: Vec<&str> = metas()
        .iter()
        .map(|m| m.name)
        .filter(|n| !named.contains(*n))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}
