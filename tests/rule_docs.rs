//! Every rule's Markdown file is its single source of truth: these tests hold the files,
//! the registry and the code to each other, and execute every example.

use std::collections::HashSet;
use std::path::Path;

use drydock::engine::{lint_with, Inputs, Settings};
use drydock::rules::{metas, Category, ExampleKind};
use drydock::source::decode;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The day examples are judged on when they do not say (`<!-- policy: today=... -->`).
const EXAMPLE_DAY: &str = "2026-11-28";

#[test]
fn every_rule_file_is_registered_and_named_after_its_rule() {
    let registered: HashSet<String> = metas()
        .iter()
        .map(|m| format!("{}-{}.md", m.code, m.name))
        .collect();
    let on_disk: HashSet<String> = std::fs::read_dir(Path::new(ROOT).join("rules"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        // Rule files are `DD<code>-<name>.md`; `not-adopted.md` lists peer rules not taken up.
        .filter(|n| n.ends_with(".md") && n != "not-adopted.md")
        .collect();
    assert_eq!(registered, on_disk, "rules/*.md and the registry disagree");
}

#[test]
fn codes_names_and_categories_follow_the_conventions() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for m in metas() {
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        let digits = m.code.strip_prefix("DD").expect("codes start with DD");
        assert!(
            digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{}: code is DD + three digits",
            m.code
        );
        assert_eq!(
            digits.as_bytes()[0] - b'0',
            m.category.code_digit(),
            "{}: code range does not match category {}",
            m.code,
            m.category.as_str()
        );
        assert!(
            m.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{}: names are kebab-case",
            m.name
        );
        for prefix in ["no-", "avoid-", "prefer-", "use-", "disallow-"] {
            assert!(
                !m.name.starts_with(prefix),
                "{}: a name describes the problem, not the cure",
                m.name
            );
        }
        let module = Path::new(ROOT)
            .join("src/rules")
            .join(format!("{}.rs", m.name.replace('-', "_")));
        assert!(module.exists(), "{}: missing {}", m.name, module.display());
        assert!(!m.summary.is_empty(), "{}: no summary line", m.name);
        assert!(m.section("Why").is_some(), "{}: no `## Why`", m.name);
        for source in m.sources {
            assert!(
                source
                    .split_once(':')
                    .is_some_and(|(tool, id)| !tool.is_empty() && !id.is_empty()),
                "{}: source `{source}` is not `tool:ID`",
                m.name
            );
        }
    }
    assert!(Category::ALL.len() == 8);
}

#[test]
fn every_example_runs_bad_gives_exactly_one_finding_good_gives_none() {
    let mut failures = Vec::new();
    for (i, m) in metas().iter().enumerate() {
        let examples = m.examples();
        let bad = examples
            .iter()
            .filter(|e| e.kind == ExampleKind::Bad)
            .count();
        let good = examples
            .iter()
            .filter(|e| e.kind == ExampleKind::Good)
            .count();
        if bad == 0 || good == 0 {
            failures.push(format!(
                "{}: needs at least one Bad and one Good example",
                m.name
            ));
        }
        // Fixed examples are checked with their Bad example's policy, below.
        for example in examples.iter().filter(|e| e.kind != ExampleKind::Fixed) {
            let mut settings = Settings::only(&[i]);
            enable_also(&mut settings, example);
            // Dates are judged as of the end-of-life data's day unless the example says.
            settings.policy.today = drydock::date::Date::parse(EXAMPLE_DAY);
            if let Err(e) = example.apply_policy(&mut settings.policy) {
                failures.push(format!(
                    "rules/{}-{}.md:{}: {e}",
                    m.code, m.name, example.line
                ));
            }
            let registry = example.registry_answers().unwrap_or_else(|e| {
                failures.push(format!(
                    "rules/{}-{}.md:{}: {e}",
                    m.code, m.name, example.line
                ));
                None
            });
            let build = example.build_context();
            let report = lint_with(
                &decode(example.code.clone().into_bytes()),
                &settings,
                Inputs {
                    build: build.as_ref(),
                    registry: registry.as_ref(),
                },
            );
            let found: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.code == m.code)
                .collect();
            let expected = match example.kind {
                ExampleKind::Bad => 1,
                ExampleKind::Good | ExampleKind::Fixed => 0,
            };
            if found.len() != expected {
                failures.push(format!(
                    "rules/{}-{}.md:{}: {:?} example gives {} finding(s) of {}, expected {expected}: {:#?}",
                    m.code,
                    m.name,
                    example.line,
                    example.kind,
                    found.len(),
                    m.code,
                    found
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The settings and inputs an example is judged with; failures go to `failures`.
fn example_settings(
    i: usize,
    example: &drydock::rules::Example,
    failures: &mut Vec<String>,
    file: &str,
) -> (
    Settings,
    Option<drydock::registry::Answers>,
    Option<drydock::build_context::BuildContext>,
) {
    let mut settings = Settings::only(&[i]);
    enable_also(&mut settings, example);
    settings.policy.today = drydock::date::Date::parse(EXAMPLE_DAY);
    if let Err(e) = example.apply_policy(&mut settings.policy) {
        failures.push(format!("{file}:{}: {e}", example.line));
    }
    let registry = example.registry_answers().unwrap_or_else(|e| {
        failures.push(format!("{file}:{}: {e}", example.line));
        None
    });
    (settings, registry, example.build_context())
}

/// `## Fixed` block N is what `--fix` (or `--unsafe-fixes` for a rule whose fix is unsafe)
/// makes of `## Bad` block N; the result lints clean. Rules say in their front matter whether
/// they fix, and rules with unsafe fixes say why in the Fixed section.
#[test]
fn fixed_examples_are_what_the_fix_makes_of_the_bad_ones() {
    use drydock::fix::{fix, Applicability};
    use drydock::rules::FixAvailability;
    let mut failures = Vec::new();
    for (i, m) in metas().iter().enumerate() {
        let file = format!("rules/{}-{}.md", m.code, m.name);
        let examples = m.examples();
        let of = |kind| {
            examples
                .iter()
                .filter(move |e: &&drydock::rules::Example| e.kind == kind)
        };
        let fixed: Vec<_> = of(ExampleKind::Fixed).collect();
        let bad: Vec<_> = of(ExampleKind::Bad).collect();
        match (m.fix, fixed.is_empty()) {
            (FixAvailability::None, false) => {
                failures.push(format!("{file}: has `## Fixed` examples but `fix: none`"));
                continue;
            }
            (FixAvailability::None, true) => continue,
            (_, true) => {
                failures.push(format!(
                    "{file}: `fix: {}` needs a `## Fixed` example",
                    m.fix.as_str()
                ));
                continue;
            }
            _ => {}
        }
        if fixed.len() > bad.len() {
            failures.push(format!("{file}: more Fixed than Bad examples"));
        }
        if m.fix == FixAvailability::Unsafe
            && !m.section("Fixed").is_some_and(|s| s.contains("unsafe"))
        {
            failures.push(format!(
                "{file}: an unsafe fix says why it is unsafe under `## Fixed`"
            ));
        }
        let which = if m.fix == FixAvailability::Unsafe {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        for (before, after) in bad.iter().zip(&fixed) {
            let (settings, registry, build) = example_settings(i, before, &mut failures, &file);
            let inputs = Inputs {
                build: build.as_ref(),
                registry: registry.as_ref(),
            };
            let outcome = fix(before.code.as_bytes(), &settings, inputs, which);
            let got = String::from_utf8_lossy(&outcome.bytes);
            if got != after.code {
                failures.push(format!(
                    "{file}:{}: fixing the Bad example at line {} gives\n{got}\nnot\n{}",
                    after.line, before.line, after.code
                ));
            }
            let left = lint_with(&decode(after.code.clone().into_bytes()), &settings, inputs)
                .findings
                .into_iter()
                .filter(|f| f.code == m.code)
                .count();
            if left != 0 {
                failures.push(format!(
                    "{file}:{}: the Fixed example still gives {left} finding(s)",
                    after.line
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Turn on the rules an example's `<!-- policy: enable=... -->` names.
fn enable_also(settings: &mut Settings, example: &drydock::rules::Example) {
    for code in example.also_enabled() {
        let j = drydock::rules::find(code)
            .unwrap_or_else(|| panic!("example enables unknown rule `{code}`"));
        settings.rules[j] = Some(metas()[j].severity);
    }
}
