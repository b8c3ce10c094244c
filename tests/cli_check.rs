//! `drydock check` (the default command): exit codes, formats, discovery, flags.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn drydock_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        // End-of-life verdicts as of 2026-11-28, not the clock's day.
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .env_remove("COLUMNS")
        .output()
        .expect("run drydock")
}

fn drydock(args: &[&str]) -> Output {
    drydock_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
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

/// A fresh scratch directory unique to this test process and name.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const BROKEN: &str = "FROM alpine:3.22\nRUNN apk add --no-cache curl\n";
const CLEAN: &str = "FROM alpine:3.22\nRUN apk add --no-cache curl\n";

#[test]
fn findings_at_fail_level_exit_one_and_clean_files_exit_zero() {
    let dir = scratch("exit");
    write(&dir.join("bad/Dockerfile"), BROKEN);
    write(&dir.join("good/Dockerfile"), CLEAN);
    let o = drydock_in(&dir, &["--select", "DD001", "bad/Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = drydock_in(&dir, &["check", "--select", "DD001", "good/Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "No problems found in 1 file.\n");
    let o = drydock_in(&dir, &["--select", "DD001", "--fail-level", "none", "bad"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = scratch("json");
    write(&dir.join("Dockerfile"), BROKEN);
    let o = drydock_in(
        &dir,
        &["--format", "json", "--select", "DD001", "Dockerfile"],
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "drydock");
    let d = &v["diagnostics"][0];
    assert_eq!(d["path"], "Dockerfile");
    assert_eq!(d["code"], "DD001");
    assert_eq!(d["name"], "syntax-error");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "unknown instruction `RUNN`");
    assert_eq!(d["help"], "did you mean `RUN`?");
    assert_eq!(
        d["span"],
        serde_json::json!({"start": {"line": 2, "column": 1, "offset": 17}, "end": {"line": 2, "column": 5, "offset": 21}})
    );
    assert_eq!(d["fix"], serde_json::Value::Null);
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 0, "infos": 0, "styles": 0})
    );
}

#[test]
fn human_report_shows_the_snippet_help_and_summary() {
    let dir = scratch("human");
    write(&dir.join("Dockerfile"), BROKEN);
    let o = drydock_in(
        &dir,
        &["--select", "DD001", "--color", "never", "Dockerfile"],
    );
    let expected = "  × unknown instruction `RUNN`\n   ╭─[Dockerfile:2:1]\n 1 │ FROM alpine:3.22\n 2 │ RUNN apk add --no-cache curl\n   · ────\n   ╰────\n  help: did you mean `RUN`?\n";
    let out = stdout(&o);
    assert!(out.starts_with("DD001(syntax-error)\n\n"), "{out}");
    assert!(out.contains(expected), "{out}");
    assert!(
        out.ends_with("Found 1 problem (1 error) in 1 file.\n"),
        "{out}"
    );
    let o = drydock_in(
        &dir,
        &[
            "--select",
            "DD001",
            "--quiet",
            "--color",
            "never",
            "Dockerfile",
        ],
    );
    assert!(!stdout(&o).contains("Found"), "{}", stdout(&o));
}

#[test]
fn directories_are_walked_for_dockerfile_names_honouring_gitignore() {
    let dir = scratch("walk");
    for name in [
        "Dockerfile",
        "svc/Containerfile",
        "svc/Dockerfile.prod",
        "svc/api.dockerfile",
        "svc/Dockerfile.dockerignore",
        "svc/README.md",
        "vendor/Dockerfile",
        ".hidden/Dockerfile",
    ] {
        write(&dir.join(name), BROKEN);
    }
    write(&dir.join(".gitignore"), "vendor/\n");
    let o = drydock_in(&dir, &["--format", "json", "--select", "DD001"]);
    let paths: Vec<String> = json(&o)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "Dockerfile",
            "svc/Containerfile",
            "svc/Dockerfile.prod",
            "svc/api.dockerfile"
        ]
    );
}

#[test]
fn explicit_files_are_linted_whatever_their_name() {
    let dir = scratch("explicit");
    write(&dir.join("build.txt"), BROKEN);
    let o = drydock_in(
        &dir,
        &["--format", "json", "--select", "DD001", "build.txt"],
    );
    assert_eq!(json(&o)["diagnostics"][0]["path"], "build.txt");
}

#[test]
fn unreadable_paths_exit_two_and_the_rest_is_still_linted() {
    let dir = scratch("missing");
    write(&dir.join("Dockerfile"), BROKEN);
    write(&dir.join("bin/Dockerfile"), "FROM a\n\0\0\0");
    let o = drydock_in(
        &dir,
        &[
            "--format",
            "json",
            "--select",
            "DD001",
            "nope/Dockerfile",
            "Dockerfile",
            "bin/Dockerfile",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("drydock: error: nope/Dockerfile: no such file or directory"),
        "{err}"
    );
    assert!(err.contains("bin/Dockerfile` is a binary file"), "{err}");
    let v = json(&o);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn stdin_uses_the_stdin_filename_in_reports() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args([
            "--format",
            "json",
            "--select",
            "DD001",
            "--stdin-filename",
            "docker/app/Dockerfile",
            "-",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(BROKEN.as_bytes())
            .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["diagnostics"][0]["path"], "docker/app/Dockerfile");
}

#[test]
fn bad_flags_exit_two_with_a_message() {
    let o = drydock(&["--select", "DD999", "fixtures/parse/ok.Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown rule `DD999`"),
        "{}",
        stderr(&o)
    );
    let o = drydock(&["--today", "2026-02-30", "fixtures/parse/ok.Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid --today `2026-02-30`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(drydock(&["--format", "xml"]).status.code(), Some(2));
    assert_eq!(drydock(&["--fail-level", "fatal"]).status.code(), Some(2));
}

#[test]
fn ignore_replaces_and_select_all_enables_everything() {
    let dir = scratch("select");
    write(&dir.join("Dockerfile"), BROKEN);
    let o = drydock_in(
        &dir,
        &[
            "--ignore",
            "syntax-error",
            "--select",
            "DD001",
            "Dockerfile",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = drydock_in(&dir, &["--select", "all", "--format", "json", "Dockerfile"]);
    let codes: Vec<String> = json(&o)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(codes.contains(&"DD001".to_owned()), "{codes:?}");
    // DD103 is off by default: only `all` turns it on.
    assert!(codes.contains(&"DD103".to_owned()), "{codes:?}");
    let o = drydock_in(&dir, &["--format", "json", "Dockerfile"]);
    assert!(!stdout(&o).contains("DD103"));
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = scratch("stats");
    write(&dir.join("a/Dockerfile"), BROKEN);
    write(&dir.join("b/Dockerfile"), BROKEN);
    let o = drydock_in(&dir, &["--select", "DD001", "--statistics"]);
    assert_eq!(
        stdout(&o),
        "    2  DD001  syntax-error (error)\nFound 2 problems (2 errors) in 2 files.\n"
    );
}

#[test]
fn output_file_gets_the_report_and_stderr_the_summary() {
    let dir = scratch("outfile");
    write(&dir.join("Dockerfile"), BROKEN);
    let o = drydock_in(
        &dir,
        &[
            "--select",
            "DD001",
            "--format",
            "sarif",
            "-o",
            "out.sarif",
            "Dockerfile",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("Found 1 problem"), "{}", stderr(&o));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.sarif")).unwrap()).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "DD001");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 5})
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "Dockerfile", "uriBaseId": "SRCROOT"})
    );
}

#[test]
fn rules_and_explain_render_from_the_rule_files() {
    let o = drydock(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    let first = &v[0];
    assert_eq!(first["code"], "DD001");
    assert_eq!(first["name"], "syntax-error");
    assert_eq!(first["category"], "syntax");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["enabled_by_default"], true);
    assert_eq!(first["fix"], "none");
    let o = drydock(&["explain", "syntax-error"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).starts_with("DD001 syntax-error\n"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("## Why"));
    assert_eq!(drydock(&["explain", "DD999"]).status.code(), Some(2));
}

#[test]
fn readme_rule_table_is_generated_from_the_rule_files() {
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let begin = "<!-- rules:begin -->\n";
    let end = "<!-- rules:end -->";
    let start = readme.find(begin).expect("README has a rules:begin marker") + begin.len();
    let stop = readme.find(end).expect("README has a rules:end marker");
    let table = drydock::rules::markdown_table();
    if readme[start..stop] != table {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{table}{}", &readme[..start], &readme[stop..]);
            std::fs::write(&readme_path, updated).unwrap();
        } else {
            panic!("README rule table is stale; run `UPDATE_README=1 cargo test --test cli_check readme`");
        }
    }
}

#[test]
fn config_is_discovered_per_file_and_flags_override_it() {
    let dir = scratch("config");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    write(&dir.join(".drydock.yaml"), "ignore: [syntax-error]\n");
    write(&dir.join("svc/Dockerfile"), BROKEN);
    write(&dir.join("other/.drydock.yml"), "fail-level: none\n");
    write(&dir.join("other/Dockerfile"), BROKEN);
    // The root config ignores DD001; `other/` has its own config, which does not.
    // `--select` replaces the config's `select`, not its `ignore`.
    let o = drydock_in(
        &dir.join("svc"),
        &["--select", "DD001", "--format", "json", "."],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = drydock_in(
        &dir,
        &["--format", "json", "--select", "DD001", "svc/Dockerfile"],
    );
    assert_eq!(json(&o)["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(o.status.code(), Some(0));
    let o = drydock_in(
        &dir,
        &["--format", "json", "--select", "DD001", "other/Dockerfile"],
    );
    assert_eq!(json(&o)["diagnostics"][0]["code"], "DD001");
    assert_eq!(
        o.status.code(),
        Some(0),
        "other/.drydock.yml sets fail-level none"
    );
    // --ignore replaces the config's ignore list; --no-config drops the file.
    let o = drydock_in(&dir, &["--ignore", "DD003", "svc/Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    let o = drydock_in(&dir, &["--no-config", "svc/Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_bad_config_exits_two_pointing_at_the_line() {
    let dir = scratch("badconfig");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    write(
        &dir.join(".drydock.yaml"),
        "select:\n  - DD001\nfail-levle: error\n",
    );
    write(&dir.join("Dockerfile"), CLEAN);
    let o = drydock_in(&dir, &["Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(".drydock.yaml:3:1: unknown key `fail-levle`"),
        "{err}"
    );
    let o = drydock_in(&dir, &["--config", "missing.yaml", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.yaml"), "{}", stderr(&o));
}

#[test]
fn colour_follows_no_color_and_clicolor_force() {
    let dir = scratch("colour");
    write(&dir.join("Dockerfile"), BROKEN);
    let run = |envs: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_drydock"));
        c.args(["--select", "DD001", "Dockerfile"])
            .current_dir(&dir)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in envs {
            c.env(k, v);
        }
        stdout(&c.output().unwrap())
    };
    assert!(!run(&[]).contains('\u{1b}'), "a pipe gets no colour");
    assert!(run(&[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch("pipe");
    for i in 0..200 {
        write(&dir.join(format!("d{i:03}/Dockerfile")), BROKEN);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(["--select", "DD001", "--color", "never"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Read;
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    } // stdout closed here, like `| head -c 16`
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn today_comes_from_the_flag_or_source_date_epoch() {
    let ok = drydock(&[
        "--today",
        "2026-11-28",
        "--select",
        "DD001",
        "fixtures/parse/ok.Dockerfile",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let bad = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(["--select", "DD001", "fixtures/parse/ok.Dockerfile"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("invalid SOURCE_DATE_EPOCH `yesterday`"),
        "{}",
        stderr(&bad)
    );
    let epoch = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(["--select", "DD001", "fixtures/parse/ok.Dockerfile"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1764288000")
        .output()
        .unwrap();
    assert_eq!(epoch.status.code(), Some(0));
}

#[test]
fn parallel_linting_gives_the_same_report_as_one_thread() {
    let one = drydock(&["--format", "json", "--threads", "1", "fixtures/rules"]);
    let all = drydock(&["--format", "json", "--threads", "4", "fixtures/rules"]);
    assert_eq!(one.status.code(), all.status.code());
    assert!(!one.stdout.is_empty());
    assert_eq!(stdout(&one), stdout(&all));
    let zero = drydock(&["--threads", "0", "fixtures/rules"]);
    assert_eq!(zero.status.code(), Some(2));
}
