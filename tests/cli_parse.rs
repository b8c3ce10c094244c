//! `drydock parse`: exit codes, output shapes, and bad input.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn drydock(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run drydock")
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

/// A scratch directory unique to this test process and name.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn clean_file_exits_zero_with_instructions_and_spans() {
    let o = drydock(&["parse", "--format", "json", "fixtures/parse/ok.Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let file = &v["files"][0];
    assert_eq!(file["path"], "fixtures/parse/ok.Dockerfile");
    assert_eq!(file["directives"][0]["name"], "syntax");
    let keywords: Vec<&str> = file["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["keyword"].as_str().unwrap())
        .collect();
    assert_eq!(keywords, ["FROM", "RUN", "COPY", "CMD"]);
    let run = &file["instructions"][1];
    assert_eq!(
        run["span"],
        serde_json::json!({
            "start": {"line": 3, "column": 1, "offset": 55},
            "end": {"line": 4, "column": 46, "offset": 130},
        })
    );
    assert_eq!(file["diagnostics"], serde_json::json!([]));
}

#[test]
fn syntax_errors_exit_one_and_every_problem_is_reported() {
    let o = drydock(&[
        "parse",
        "--format",
        "json",
        "fixtures/parse/broken.Dockerfile",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let codes: Vec<(&str, u64)> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["span"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("unknown-instruction", 2),
            ("missing-arguments", 3),
            ("unterminated-heredoc", 4)
        ]
    );
    let unknown = &v["files"][0]["diagnostics"][0];
    assert_eq!(unknown["help"], "did you mean `RUN`?");
    // The good instructions are all there.
    assert_eq!(v["files"][0]["instructions"].as_array().unwrap().len(), 4);
}

#[test]
fn text_format_lists_instructions_and_diagnostics() {
    let o = drydock(&["parse", "fixtures/parse/broken.Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("fixtures/parse/broken.Dockerfile\n"),
        "{out}"
    );
    assert!(
        out.contains("2:1-2:5         error[unknown-instruction] unknown instruction `RUNN`"),
        "{out}"
    );
}

#[test]
fn invalid_utf8_is_reported_at_the_byte_and_the_rest_is_parsed() {
    let o = drydock(&[
        "parse",
        "--format",
        "json",
        "fixtures/parse/invalid-utf8.Dockerfile",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let d = &v["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "invalid-utf8");
    assert_eq!(d["span"]["start"]["offset"], 21);
    assert_eq!(d["span"]["end"]["offset"], 23);
    assert_eq!(v["files"][0]["instructions"].as_array().unwrap().len(), 2);
}

#[test]
fn missing_path_exits_two_but_other_files_are_still_parsed() {
    let o = drydock(&[
        "parse",
        "--format",
        "json",
        "no/such/Dockerfile",
        "fixtures/parse/ok.Dockerfile",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "drydock: error: cannot read `no/such/Dockerfile`: no such file or directory"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)["files"].as_array().unwrap().len(), 1);
}

#[test]
fn directory_and_binary_inputs_exit_two_with_a_clear_message() {
    let dir = scratch("binary");
    let bin = dir.join("Dockerfile");
    std::fs::write(&bin, b"FROM a\n\0\x01\x02").unwrap();
    let o = drydock(&["parse", dir.to_str().unwrap(), bin.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("is a directory"), "{err}");
    assert!(err.contains("is a binary file, not a Dockerfile"), "{err}");
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(["parse", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"FROM scratch\nCOPY a /b\n").unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["files"][0]["path"], "-");
    assert_eq!(v["files"][0]["instructions"][1]["keyword"], "COPY");
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(drydock(&["parse"]).status.code(), Some(2));
    assert_eq!(
        drydock(&["parse", "--format", "xml", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(drydock(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(drydock(&["--version"]).status.code(), Some(0));
}
