//! `drydock check --fix / --unsafe-fixes / --diff`: what is written, what is printed, exit
//! codes, and that the bytes around the fixes (line endings, BOM, invalid UTF-8,
//! permissions, symlinks) survive.

#![allow(clippy::print_stderr)] // a skipped case says why

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn drydock_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run drydock");
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    child.wait_with_output().expect("drydock finishes")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-fix-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // No configuration above the scratch directory applies.
    std::fs::write(dir.join(".drydock.yaml"), "ignore: []\n").unwrap();
    dir
}

/// Two findings DD207 fixes (safe), in a file with CRLF line endings and a BOM.
const INTERACTIVE: &[u8] =
    b"\xef\xbb\xbfFROM debian:trixie-slim\r\nRUN apt-get update && apt-get install curl \\\r\n && apt-get upgrade\r\n";
const INTERACTIVE_FIXED: &[u8] = b"\xef\xbb\xbfFROM debian:trixie-slim\r\nRUN apt-get update && apt-get install -y curl \\\r\n && apt-get upgrade -y\r\n";

#[test]
fn diff_prints_what_fix_would_do_and_exits_one_without_writing() {
    let dir = scratch("diff");
    std::fs::write(dir.join("Dockerfile"), INTERACTIVE).unwrap();
    let o = drydock_in(&dir, &["check", "--select", "DD207", "--diff"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,3 +1,3 @@\n \u{feff}FROM debian:trixie-slim\r\n-RUN apt-get update && apt-get install curl \\\r\n- && apt-get upgrade\r\n+RUN apt-get update && apt-get install -y curl \\\r\n+ && apt-get upgrade -y\r\n"
    );
    assert_eq!(text(&o.stderr), "Would apply 2 fixes to 1 of 1 file.\n");
    assert_eq!(std::fs::read(dir.join("Dockerfile")).unwrap(), INTERACTIVE);
    // Nothing left to fix: exit 0, no diff.
    std::fs::write(dir.join("Dockerfile"), INTERACTIVE_FIXED).unwrap();
    let o = drydock_in(&dir, &["check", "--select", "DD207", "--diff"], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stdout), "");
    assert_eq!(text(&o.stderr), "Nothing to fix in 1 file.\n");
}

#[test]
fn fix_writes_in_place_keeping_bom_crlf_and_permissions() {
    let dir = scratch("write");
    let path = dir.join("Dockerfile");
    std::fs::write(&path, INTERACTIVE).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let o = drydock_in(&dir, &["check", "--select", "DD207,DD001", "--fix"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "Fixed 2 problems; no problems left in 1 file.\n"
    );
    assert_eq!(std::fs::read(&path).unwrap(), INTERACTIVE_FIXED);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // Fixing again changes nothing.
    let o = drydock_in(&dir, &["check", "--select", "DD207", "--fix"], None);
    assert_eq!(text(&o.stdout), "No problems found in 1 file.\n");
    assert_eq!(std::fs::read(&path).unwrap(), INTERACTIVE_FIXED);
}

#[test]
fn findings_left_after_fixing_decide_the_exit_code() {
    let dir = scratch("left");
    let path = dir.join("Dockerfile");
    std::fs::write(
        &path,
        "FROM debian:trixie-slim\nRUN apt-get install curl\nMAINTAINER me\n",
    )
    .unwrap();
    let o = drydock_in(
        &dir,
        &[
            "check",
            "--select",
            "DD207,DD202",
            "--fix",
            "--format",
            "gnu",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stdout),
        "Dockerfile:2:5: warning: `apt-get install` installs from a package index this RUN did not refresh: the packages come from whatever index an earlier layer cached, or none [DD202]\n"
    );
    assert_eq!(
        text(&o.stderr),
        "Fixed 1 problem; found 1 problem (1 warning) in 1 file; 1 fixable with `--unsafe-fixes`.\n"
    );
    assert_eq!(
        text(&std::fs::read(&path).unwrap()),
        "FROM debian:trixie-slim\nRUN apt-get install -y curl\nMAINTAINER me\n"
    );
}

#[test]
fn standard_input_comes_back_fixed_on_standard_output() {
    let dir = scratch("stdin");
    let o = drydock_in(
        &dir,
        &["check", "--select", "DD207", "--fix", "-"],
        Some(b"FROM fedora:43\nRUN dnf install git\n"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "FROM fedora:43\nRUN dnf install -y git\n");
    assert_eq!(
        text(&o.stderr),
        "Fixed 1 problem; no problems left in 1 file.\n"
    );
    // --diff on standard input shows the diff under the --stdin-filename.
    let o = drydock_in(
        &dir,
        &[
            "check",
            "--select",
            "DD207",
            "--diff",
            "--stdin-filename",
            "app/Dockerfile",
            "-",
        ],
        Some(b"FROM fedora:43\nRUN dnf install git\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stdout),
        "--- a/app/Dockerfile\n+++ b/app/Dockerfile\n@@ -1,2 +1,2 @@\n FROM fedora:43\n-RUN dnf install git\n+RUN dnf install -y git\n"
    );
}

#[test]
fn invalid_utf8_elsewhere_in_the_file_survives_a_fix() {
    let dir = scratch("utf8");
    let path = dir.join("Dockerfile");
    std::fs::write(&path, b"FROM fedora:43\n# caf\xe9\nRUN dnf install git\n").unwrap();
    let o = drydock_in(&dir, &["check", "--select", "DD207", "--fix"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"FROM fedora:43\n# caf\xe9\nRUN dnf install -y git\n"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_dockerfile_stays_a_symlink_and_its_target_is_fixed() {
    let dir = scratch("symlink");
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::write(
        dir.join("shared/base.Dockerfile"),
        "FROM fedora:43\nRUN dnf install git\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("shared/base.Dockerfile", dir.join("Dockerfile")).unwrap();
    let o = drydock_in(
        &dir,
        &["check", "--select", "DD207", "--fix", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(std::fs::symlink_metadata(dir.join("Dockerfile"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.join("shared/base.Dockerfile")).unwrap(),
        "FROM fedora:43\nRUN dnf install -y git\n"
    );
}

#[test]
fn the_summary_says_how_many_findings_are_fixable() {
    let dir = scratch("fixable");
    std::fs::write(dir.join("Dockerfile"), INTERACTIVE).unwrap();
    let o = drydock_in(&dir, &["check", "--select", "DD207", "--quiet"], None);
    assert_eq!(o.status.code(), Some(1));
    let o = drydock_in(
        &dir,
        &["check", "--select", "DD207", "--format", "gnu"],
        None,
    );
    assert_eq!(
        text(&o.stderr),
        "Found 2 problems (2 warnings) in 1 file; 2 fixable with `--fix`.\n"
    );
}

#[test]
fn an_unwritable_file_is_an_error_and_the_other_files_are_still_fixed() {
    let dir = scratch("unwritable");
    std::fs::create_dir_all(dir.join("ro")).unwrap();
    std::fs::create_dir_all(dir.join("rw")).unwrap();
    for d in ["ro", "rw"] {
        std::fs::write(
            dir.join(d).join("Dockerfile"),
            "FROM fedora:43\nRUN dnf install git\n",
        )
        .unwrap();
    }
    let _guard = ReadOnly::make(&dir.join("ro"));
    if std::fs::write(dir.join("ro/probe"), "").is_ok() {
        eprintln!("skipped: cannot make a directory read-only here");
        return;
    }
    let o = drydock_in(&dir, &["check", "--select", "DD207", "--fix"], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("cannot write"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("rw/Dockerfile")).unwrap(),
        "FROM fedora:43\nRUN dnf install -y git\n"
    );
}

/// A directory made unwritable for the test (mode 0555, and for root, which ignores modes,
/// the immutable attribute); undone on drop.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn make(dir: &Path) -> ReadOnly {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
            let _ = Command::new("chattr").arg("+i").arg(dir).output();
        }
        ReadOnly(dir.to_path_buf())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).output();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

/// The JSON report's `fix` and the SARIF `fixes` carry the same edits, and applying the
/// JSON edits by byte offset gives what `--fix` writes.
#[test]
fn json_and_sarif_carry_the_same_edits_as_fix_applies() {
    let dir = scratch("formats");
    std::fs::write(dir.join("Dockerfile"), INTERACTIVE).unwrap();
    let run = |format: &str| -> serde_json::Value {
        let o = drydock_in(
            &dir,
            &["check", "--select", "DD207", "--format", format],
            None,
        );
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let json = run("json");
    let sarif = run("sarif");
    let mut from_json = Vec::new();
    let mut edits = Vec::new();
    for f in json["diagnostics"].as_array().unwrap() {
        for e in f["fix"]["edits"].as_array().unwrap() {
            let (s, t) = (&e["span"]["start"], &e["span"]["end"]);
            from_json.push((
                s["line"].as_u64().unwrap(),
                s["column"].as_u64().unwrap(),
                t["line"].as_u64().unwrap(),
                t["column"].as_u64().unwrap(),
                e["replacement"].as_str().unwrap().to_owned(),
            ));
            edits.push((
                s["offset"].as_u64().unwrap() as usize,
                t["offset"].as_u64().unwrap() as usize,
                e["replacement"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let mut from_sarif = Vec::new();
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        for change in r["fixes"][0]["artifactChanges"].as_array().unwrap() {
            assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
            for rep in change["replacements"].as_array().unwrap() {
                let d = &rep["deletedRegion"];
                from_sarif.push((
                    d["startLine"].as_u64().unwrap(),
                    d["startColumn"].as_u64().unwrap(),
                    d["endLine"].as_u64().unwrap(),
                    d["endColumn"].as_u64().unwrap(),
                    rep["insertedContent"]["text"].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    assert_eq!(from_json.len(), 2);
    assert_eq!(from_json, from_sarif);
    edits.sort();
    let mut fixed = INTERACTIVE.to_vec();
    for (start, end, replacement) in edits.iter().rev() {
        fixed.splice(start..end, replacement.bytes());
    }
    assert_eq!(fixed, INTERACTIVE_FIXED);
}

/// With registry answers (a snapshot here), DD103 pins a tag to its digest (safe) and DD110
/// refreshes a stale digest (unsafe: only with `--unsafe-fixes`).
#[test]
fn digests_are_pinned_safely_and_refreshed_only_when_unsafe_fixes_are_asked() {
    let dir = scratch("digests");
    let (current, old) = (
        "sha256:".to_owned() + &"a".repeat(64),
        "sha256:".to_owned() + &"b".repeat(64),
    );
    let snapshot = serde_json::json!({
        "version": 1,
        "tags": {
            "docker.io/library/alpine:3.22": {"digest": current},
            "docker.io/library/debian:trixie-slim": {"digest": old},
        },
    });
    std::fs::write(dir.join("snap.json"), snapshot.to_string()).unwrap();
    let original =
        format!("FROM alpine:3.22@{old} AS a\nFROM debian:trixie-slim\nCOPY --from=a / /\n");
    std::fs::write(dir.join("Dockerfile"), &original).unwrap();
    let args = |flag: &'static str| {
        [
            "check",
            "--select",
            "DD103,DD110",
            "--registry-snapshot",
            "snap.json",
            flag,
            "Dockerfile",
        ]
    };
    let o = drydock_in(&dir, &args("--fix"), None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let pinned = original.replace(
        "FROM debian:trixie-slim",
        &format!("FROM debian:trixie-slim@{old}"),
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("Dockerfile")).unwrap(),
        pinned
    );
    assert!(text(&o.stdout).ends_with(
        "Fixed 1 problem; found 1 problem (1 warning) in 1 file; 1 fixable with `--unsafe-fixes`.\n"
    ));
    let o = drydock_in(&dir, &args("--unsafe-fixes"), None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("Dockerfile")).unwrap(),
        pinned.replace(
            &format!("alpine:3.22@{old}"),
            &format!("alpine:3.22@{current}")
        )
    );
}
