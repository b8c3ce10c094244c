//! Custom rules from `.drydock.yaml`, through the CLI: exact findings and spans, selection,
//! severity overrides, suppressions, reports, configuration errors, and the README examples
//! (which must be the files under `fixtures/custom/examples/`, run here).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn drydock_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("COLUMNS")
        .output()
        .expect("run drydock")
}

fn fixture(dir: &str) -> PathBuf {
    Path::new(ROOT).join("fixtures/custom").join(dir)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("valid JSON on stdout")
}

/// `(code, severity, line, column, end column)` of every diagnostic of a JSON report.
fn findings(o: &Output) -> Vec<(String, String, u64, u64, u64)> {
    json(o)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let pos = |end: &str, key: &str| d["span"][end][key].as_u64().unwrap();
            (
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                pos("start", "line"),
                pos("start", "column"),
                pos("end", "column"),
            )
        })
        .collect()
}

/// `(code, severity, line, column, end column)` as written in a test.
type Expected<'a> = (&'a str, &'a str, u64, u64, u64);

fn owned(list: &[Expected<'_>]) -> Vec<(String, String, u64, u64, u64)> {
    list.iter()
        .map(|(c, s, l, col, end)| ((*c).to_owned(), (*s).to_owned(), *l, *col, *end))
        .collect()
}

/// The project fixture linted as JSON with `extra` arguments, by default with its custom
/// rules and DD002 selected.
fn project(extra: &[&str]) -> Output {
    let mut args = Vec::new();
    if !extra.contains(&"--format") {
        args.extend(["--format", "json"]);
    }
    if !extra.contains(&"--select") {
        args.extend(["--select", "custom,DD002"]);
    }
    args.extend_from_slice(extra);
    args.push("Dockerfile");
    drydock_in(&fixture("project"), &args)
}

#[test]
fn project_rules_report_exact_codes_spans_and_severities() {
    let o = project(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        findings(&o),
        owned(&[
            // `severity: {no-add: error}` in the configuration raises ACME001.
            ("ACME001", "error", 2, 1, 4),
            ("ACME002", "info", 3, 5, 12),
            ("ACME010", "warning", 4, 18, 23),
            // Line 6 (`--insecure`) is suppressed by `# drydock ignore=ACME011`; this `-k`
            // sits on a continuation line, and the regex's group is the span.
            ("ACME011", "error", 8, 5, 7),
            // `# drydock ignore=curl-insecure` above an instruction it does not fire on.
            ("DD002", "info", 9, 18, 31),
        ])
    );
}

#[test]
fn custom_findings_in_json_carry_message_and_help() {
    let o = project(&["--select", "ACME002"]);
    let v = json(&o);
    let d = &v["diagnostics"][0];
    assert_eq!(d["path"], "Dockerfile");
    assert_eq!(d["code"], "ACME002");
    assert_eq!(d["name"], "no-apt-key");
    assert_eq!(d["severity"], "info");
    assert_eq!(d["message"], "`apt-key` is deprecated");
    assert_eq!(
        d["help"],
        "put the key under /etc/apt/keyrings and use `signed-by=`"
    );
    assert_eq!(d["span"]["start"]["offset"], 51);
    assert_eq!(d["span"]["end"]["offset"], 58);
    assert_eq!(d["labels"], serde_json::json!([]));
    assert_eq!(d["fix"], serde_json::Value::Null);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1);
}

#[test]
fn selection_ignore_and_fail_level_apply_to_custom_rules() {
    // An info finding alone does not fail the run.
    let o = project(&["--select", "acme002"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(findings(&o), owned(&[("ACME002", "info", 3, 5, 12)]));
    let o = project(&["--ignore", "no-add,ACME010,curl-insecure"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(findings(&o), owned(&[("ACME002", "info", 3, 5, 12)]));
    // Errors (ACME001 raised by the config, ACME011) fail at `--fail-level error`.
    let o = project(&["--fail-level", "error", "--ignore", "ACME010"]);
    assert_eq!(o.status.code(), Some(1));
    let o = project(&["--fail-level", "error", "--ignore", "ACME001,ACME011"]);
    assert_eq!(o.status.code(), Some(0));
    // The default set includes the custom rules.
    let o = drydock_in(&fixture("project"), &["--format", "json", "Dockerfile"]);
    let codes: Vec<String> = findings(&o).into_iter().map(|f| f.0).collect();
    for code in ["ACME001", "ACME002", "ACME010", "ACME011"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    // A name no rule answers to, here or built in.
    let o = project(&["--select", "ACME999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown rule `ACME999`"),
        "{}",
        stderr(&o)
    );
    let o = drydock_in(
        &fixture("project"),
        &["--no-config", "--select", "ACME001", "Dockerfile"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn sarif_lists_custom_rules_with_their_help() {
    let o = project(&["--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let (index, rule) = rules
        .iter()
        .enumerate()
        .find(|(_, r)| r["id"] == "ACME001")
        .expect("ACME001 in rules[]");
    assert_eq!(rule["name"], "NoAdd");
    assert_eq!(
        rule["shortDescription"]["text"],
        "ADD is not allowed in this repository"
    );
    assert!(rule["help"]["text"]
        .as_str()
        .unwrap()
        .contains("use COPY for local files"));
    assert_eq!(rule["properties"]["tags"], serde_json::json!(["custom"]));
    assert_eq!(rule["defaultConfiguration"]["level"], "warning");
    for id in ["ACME002", "ACME010", "ACME011"] {
        assert!(rules.iter().any(|r| r["id"] == id), "{id}");
    }
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ACME001")
        .expect("an ACME001 result");
    assert_eq!(result["ruleIndex"], index);
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
}

#[test]
fn rules_and_explain_show_custom_rules() {
    let dir = fixture("project");
    let o = drydock_in(&dir, &["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("ACME010  debug-env                            warning  `…` turns on debugging in the image (custom, ci/drydock-rules.yaml:2)\n"),
        "{out}"
    );
    assert!(out
        .lines()
        .last()
        .unwrap()
        .starts_with("ACME011  curl-insecure"));
    let o = drydock_in(&dir, &["rules", "--format", "json"]);
    let list = json(&o);
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["code"], "ACME011");
    assert_eq!(last["category"], "custom");
    assert_eq!(last["custom"], true);
    assert_eq!(last["defined_at"], "ci/drydock-rules.yaml:8");
    let o = drydock_in(&dir, &["explain", "no-apt-key"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "ACME002 no-apt-key\n\ncategory: custom, severity: info, enabled by default, fix: none\n\
         defined at: .drydock.yaml:9\n\nReports RUN instructions with the command `apt-key`.\n\n\
         message: `{match}` is deprecated\nhelp: put the key under /etc/apt/keyrings and use `signed-by=`\n"
    );
    let o = drydock_in(&dir, &["explain", "--no-config", "ACME002"]);
    assert_eq!(o.status.code(), Some(2));
    let o = drydock_in(
        Path::new(ROOT),
        &[
            "explain",
            "--config",
            "fixtures/custom/project/.drydock.yaml",
            "ACME011",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(
        "Reports RUN instructions with arguments matching `(?:^|\\s)(--insecure|-k)\\b`."
    ));
}

#[test]
fn bad_custom_rules_are_configuration_errors() {
    let o = drydock_in(
        Path::new(ROOT),
        &[
            "--config",
            "fixtures/custom/broken/regex.yaml",
            "fixtures/custom/project/Dockerfile",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "drydock: error: fixtures/custom/broken/regex.yaml:5:11: `args` is not a usable regex: unclosed group\n  \
         help: regexes use Rust's `regex` syntax: https://docs.rs/regex/latest/regex/#syntax\n"
    );
    // The error is in the included file, and says so.
    let o = drydock_in(
        Path::new(ROOT),
        &[
            "--config",
            "fixtures/custom/broken/include.yaml",
            "fixtures/custom/project/Dockerfile",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "drydock: error: fixtures/custom/broken/rules.yaml:3:3: unknown key `mesage`; did you mean `message`?\n"
    );
    let o = drydock_in(
        Path::new(ROOT),
        &["rules", "--config", "fixtures/custom/broken/include.yaml"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_discovered_bad_configuration_is_reported_once() {
    let dir = std::env::temp_dir().join(format!("drydock-custom-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::copy(fixture("broken/regex.yaml"), dir.join(".drydock.yaml")).unwrap();
    for name in ["a.Dockerfile", "b.Dockerfile"] {
        std::fs::write(dir.join(name), "FROM alpine:3.22\n").unwrap();
    }
    let o = drydock_in(&dir, &["a.Dockerfile", "b.Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let expected = ".drydock.yaml:5:11: `args` is not a usable regex: unclosed group\n";
    assert_eq!(err.matches(expected).count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `<!-- path -->` + ```yaml blocks of the README: (path, block text).
fn readme_examples() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("<!-- ")
            .and_then(|l| l.strip_suffix(" -->"))
            .filter(|p| p.starts_with("fixtures/custom/"))
        else {
            continue;
        };
        assert_eq!(lines.next(), Some("```yaml"), "a yaml block follows {path}");
        let mut block = String::new();
        for l in lines.by_ref().take_while(|l| *l != "```") {
            block.push_str(l);
            block.push('\n');
        }
        out.push((path.to_owned(), block));
    }
    out
}

#[test]
fn readme_examples_are_the_fixture_files() {
    let examples = readme_examples();
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .map(|n| format!("fixtures/custom/examples/{n}"))
        .collect();
    on_disk.sort();
    let mut shown: Vec<String> = examples.iter().map(|(p, _)| p.clone()).collect();
    shown.sort();
    assert_eq!(shown, on_disk, "every example file is in the README, once");
    for (path, block) in examples {
        let file = std::fs::read_to_string(Path::new(ROOT).join(&path)).unwrap();
        assert_eq!(block, file, "README block for {path}");
    }
}

#[test]
fn readme_examples_report_exactly_these_findings() {
    let cases: &[(&str, &str, &[Expected<'_>])] = &[
        (
            "oci-labels",
            "oci-labels-bad",
            // The licenses label is set in the build stage only, which the final image is
            // not built on.
            &[("ACME101", "warning", 11, 1, 5)],
        ),
        ("oci-labels", "oci-labels-good", &[]),
        (
            "forbidden-registries",
            "forbidden-registries",
            // `python:${PYTHON}-slim` resolves to docker.io/library/python:3.12-slim; the
            // mirror, the `FROM runtime` stages and COPY --from are not reported.
            &[
                ("ACME201", "error", 2, 6, 27),
                ("ACME201", "error", 11, 6, 39),
            ],
        ),
        (
            "pip-mirror",
            "pip-mirror",
            &[
                ("ACME301", "warning", 2, 5, 8),
                // The index URL that is not the mirror.
                ("ACME301", "warning", 4, 21, 44),
                ("ACME302", "warning", 6, 9, 26),
                // Under sudo, and inside `sh -c "..."`.
                ("ACME301", "warning", 7, 13, 16),
                ("ACME301", "warning", 7, 49, 52),
            ],
        ),
    ];
    let dir = fixture("examples");
    for (config, dockerfile, expected) in cases {
        let config = format!("{config}.yaml");
        let dockerfile = format!("{dockerfile}.Dockerfile");
        let o = drydock_in(
            &dir,
            &[
                "--config",
                &config,
                "--select",
                "custom",
                "--format",
                "json",
                &dockerfile,
            ],
        );
        let code = if expected.is_empty() { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(code), "{dockerfile}: {}", stderr(&o));
        assert_eq!(findings(&o), owned(expected), "{dockerfile}");
    }
}

#[test]
fn example_messages_name_what_they_found() {
    let o = drydock_in(
        &fixture("examples"),
        &[
            "--config",
            "oci-labels.yaml",
            "--select",
            "custom",
            "--format",
            "json",
            "oci-labels-bad.Dockerfile",
        ],
    );
    let v = json(&o);
    assert_eq!(
        v["diagnostics"][0]["message"],
        "the final image has no `org.opencontainers.image.licenses` label"
    );
    let o = drydock_in(
        &fixture("examples"),
        &[
            "--config",
            "forbidden-registries.yaml",
            "--format",
            "json",
            "--select",
            "ACME201",
            "forbidden-registries.Dockerfile",
        ],
    );
    assert_eq!(
        json(&o)["diagnostics"][0]["message"],
        "`docker.io/library/python:3.12-slim` is pulled from a public registry"
    );
}
