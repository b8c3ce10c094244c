//! What users see, snapshotted: the human report (fixed theme and width) and the JSON and
//! SARIF reports of realistic fixtures, linted with the default settings.

use std::sync::Arc;

use drydock::build_context::BuildContext;
use drydock::date::Date;
use drydock::engine::{lint_in, Settings};
use drydock::report::{self, FileOutcome, RunOutcome};
use drydock::source::decode;

/// Lint one fixture with the default rules, as of a fixed day, in its build context on
/// disk as the CLI reads it.
fn outcome(path: &std::path::Path) -> RunOutcome {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let decoded = decode(std::fs::read(path).expect("fixture is readable"));
    let mut settings = Settings::default();
    settings.policy.today = Date::parse("2026-11-28");
    let build = BuildContext::of_dockerfile(path);
    let findings = lint_in(&decoded, &settings, Some(&build)).findings;
    let shown = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    RunOutcome {
        files: vec![FileOutcome {
            path: shown,
            source: Arc::new(decoded.text),
            findings,
        }],
        errors: Vec::new(),
        custom_rules: Vec::new(),
        notes: Vec::new(),
        fixed: 0,
    }
}

/// Every `.Dockerfile` below `fixtures/<dir>` for the given dirs, sorted.
fn fixtures(dirs: &[&str]) -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut stack: Vec<_> = dirs.iter().map(|d| root.join(d)).collect();
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
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

#[test]
fn human_and_json_reports_of_fixtures() {
    for path in fixtures(&["parse", "rules", "ok"]) {
        let run = outcome(&path);
        let name = run.files[0]
            .path
            .trim_start_matches("fixtures/")
            .trim_end_matches(".Dockerfile")
            .replace('/', "__");
        let style = report::human::Style {
            color: false,
            width: 100,
        };
        let human = format!(
            "{}{}\n",
            report::human::render_findings(&run, style),
            report::human::summary_line(&run)
        );
        insta::assert_snapshot!(format!("human__{name}"), human);
        let json: serde_json::Value =
            serde_json::from_str(&report::json::render(&run)).expect("valid JSON");
        insta::assert_json_snapshot!(format!("json__{name}"), json["diagnostics"]);
    }
}

#[test]
fn sarif_report_of_a_fixture() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/parse/broken.Dockerfile");
    let sarif = report::sarif::render(&outcome(&path), "file:///repo/");
    let value: serde_json::Value = serde_json::from_str(&sarif).expect("valid JSON");
    insta::assert_json_snapshot!(value["runs"][0]["results"]);
    // Every rule of the registry is described, in registry order, with help and a URI.
    let rules = value["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), drydock::rules::metas().len());
    for (rule, meta) in rules.iter().zip(drydock::rules::metas()) {
        assert_eq!(rule["id"], meta.code);
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(rule["helpUri"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{}-{}.md", meta.code, meta.name)));
    }
}

#[test]
fn ci_formats_of_a_fixture() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/report/formats.Dockerfile");
    let run = outcome(&path);
    insta::assert_snapshot!("format__github", report::github::render(&run));
    insta::assert_snapshot!("format__gitlab", report::gitlab::render(&run));
    insta::assert_snapshot!("format__checkstyle", report::checkstyle::render(&run));
    insta::assert_snapshot!("format__junit", report::junit::render(&run));
    insta::assert_snapshot!("format__gnu", report::gnu::render(&run));
    insta::assert_snapshot!("format__rdjson", report::rdjson::render(&run));
    // `apk` on line 4 comes after a tab and two wide characters, and each format counts its
    // own unit: characters 36, display columns (tab to 8, wide = 2) 42, UTF-8 bytes 40.
    assert!(report::github::render(&run).contains("line=4,endLine=4,col=36,"));
    assert!(
        report::gnu::render(&run).starts_with("fixtures/report/formats.Dockerfile:4:42: warning:")
    );
    let rd: serde_json::Value = serde_json::from_str(&report::rdjson::render(&run)).unwrap();
    assert_eq!(
        rd["diagnostics"][0]["location"]["range"]["start"]["column"],
        40
    );
    let gl: serde_json::Value = serde_json::from_str(&report::gitlab::render(&run)).unwrap();
    assert_eq!(gl[0]["location"]["positions"]["begin"]["column"], 36);
}
