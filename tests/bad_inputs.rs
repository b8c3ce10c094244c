//! Bad input through the CLI: each case gets a clear message and the contract's exit code
//! (1 for findings, 2 for usage/I/O/config errors), never a panic or a hang, and the other
//! files of the run are still linted.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Run drydock in `dir` with a 30-second limit (a hang fails the test instead of CI).
fn drydock_in(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run drydock");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("drydock {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-bad-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM alpine:3.22\nRUN apk add curl\n",
    )
    .unwrap();
    dir
}

/// The `file:line:col ... [code]` lines of a gnu report, without messages.
fn located(o: &Output) -> Vec<String> {
    let mut out: Vec<String> = text(&o.stdout)
        .lines()
        .filter(|l| l.contains(" [DD"))
        .map(|l| {
            let code = l
                .rsplit_once('[')
                .map_or("", |(_, c)| c.trim_end_matches(']'));
            let place: Vec<&str> = l.splitn(4, ':').take(3).collect();
            format!("{} {code}", place.join(":"))
        })
        .collect();
    out.sort();
    out
}

const GOOD_FINDING: &str = "Dockerfile:2:9 DD209";

fn gnu<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "check",
        "--no-config",
        "--format",
        "gnu",
        "--select",
        "DD001,DD209",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn empty_and_comment_only_files_are_syntax_errors_at_line_one() {
    let dir = scratch("empty");
    std::fs::write(dir.join("empty.Dockerfile"), "").unwrap();
    std::fs::write(dir.join("comments.Dockerfile"), "# only\n# comments\n").unwrap();
    let o = drydock_in(
        &dir,
        &gnu(&["empty.Dockerfile", "comments.Dockerfile", "Dockerfile"]),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(
        located(&o),
        [
            GOOD_FINDING,
            "comments.Dockerfile:1:1 DD001",
            "empty.Dockerfile:1:1 DD001",
        ]
    );
    assert!(text(&o.stdout).contains("the file contains no instructions"));
}

#[test]
fn invalid_utf8_is_reported_at_the_byte_and_the_rest_is_linted() {
    let dir = scratch("utf8");
    std::fs::write(
        dir.join("Dockerfile"),
        b"FROM alpine:3.22\nRUN echo \xff\xfe \\\n && apk add curl\n",
    )
    .unwrap();
    let o = drydock_in(&dir, &gnu(&["Dockerfile"]));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stdout),
        "Dockerfile:2:10: error: 2 byte(s) here are not valid UTF-8 [DD001]\nDockerfile:3:9: note: `apk add` leaves the package index in /var/cache/apk: the layer ships this cache in the final image, which only adds size [DD209]\n"
    );
}

#[test]
fn binary_oversized_and_special_files_are_refused_and_the_rest_is_linted() {
    let dir = scratch("refused");
    std::fs::write(dir.join("bin.Dockerfile"), b"FROM a\n\0\x01\x02").unwrap();
    // 50 MB: over the documented 16 MiB limit.
    let big = std::fs::File::create(dir.join("big.Dockerfile")).unwrap();
    big.set_len(50 * 1000 * 1000).unwrap();
    #[cfg(unix)]
    let fifo = Command::new("mkfifo")
        .arg(dir.join("fifo.Dockerfile"))
        .status()
        .is_ok_and(|s| s.success());
    let mut args = vec!["bin.Dockerfile", "big.Dockerfile", "missing/Dockerfile"];
    #[cfg(unix)]
    if fifo {
        args.push("fifo.Dockerfile");
    }
    args.push("Dockerfile");
    let o = drydock_in(&dir, &gnu(&args));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    for expected in [
        "drydock: error: bin.Dockerfile: `bin.Dockerfile` is a binary file, not a Dockerfile",
        "drydock: error: big.Dockerfile: `big.Dockerfile` is larger than 16 MiB; drydock does not read files that large",
        "drydock: error: missing/Dockerfile: no such file or directory",
    ] {
        assert!(err.contains(expected), "{expected}\nnot in\n{err}");
    }
    #[cfg(unix)]
    if fifo {
        assert!(
            err.contains(
                "drydock: error: fifo.Dockerfile: `fifo.Dockerfile` is not a regular file"
            ),
            "{err}"
        );
    }
    assert!(
        text(&o.stdout).contains("Dockerfile:2:9: note:"),
        "{}",
        text(&o.stdout)
    );
}

#[cfg(unix)]
#[test]
fn a_directory_symlink_loop_is_walked_once() {
    let dir = scratch("loop");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    let o = drydock_in(&dir, &gnu(&["."]));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(located(&o), [GOOD_FINDING]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_to_read_is_an_io_error() {
    let dir = scratch("unreadable");
    // Permissions do not stop root; a read that fails with EIO does (and for other users a
    // mode-000 file fails the same way, with "permission denied").
    let path = dir.join("locked.Dockerfile");
    std::fs::write(&path, "FROM alpine:3.22\n").unwrap();
    let mut target = "locked.Dockerfile".to_owned();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&path).is_ok() {
            target = "/proc/self/mem".into();
        }
    }
    let o = drydock_in(&dir, &gnu(&[&target, "Dockerfile"]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let reason = if target.starts_with("/proc") {
        "Input/output error"
    } else {
        "permission denied"
    };
    assert!(
        err.contains(&format!(
            "drydock: error: {target}: cannot read `{target}`: {reason}\n"
        )),
        "{err}"
    );
    assert_eq!(located(&o), [GOOD_FINDING]);
}

#[test]
fn a_config_that_is_not_yaml_exits_two_with_its_position() {
    let dir = scratch("notyaml");
    std::fs::write(dir.join(".drydock.yaml"), "select: [DD001\nignore: {{\n").unwrap();
    let o = drydock_in(&dir, &["check", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.starts_with("drydock: error: "), "{err}");
    assert!(err.contains(".drydock.yaml:"), "{err}");
    // Binary garbage as configuration.
    std::fs::write(dir.join(".drydock.yaml"), b"\0\xff\xfe\x00garbage").unwrap();
    let o = drydock_in(&dir, &["check", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(".drydock.yaml"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_huge_custom_regex_is_refused_with_the_size_limit() {
    let dir = scratch("regex");
    // Two million alternatives compile to far more than the 1 MiB limit.
    let alternatives = (0..200_000)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join("|");
    std::fs::write(
        dir.join(".drydock.yaml"),
        format!(
            "custom-rules:\n  - id: ACME001\n    name: huge\n    severity: warning\n    message: m\n    help: h\n    instruction: RUN\n    args: \"({alternatives}){{1000}}\"\n"
        ),
    )
    .unwrap();
    let o = drydock_in(&dir, &["check", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains(".drydock.yaml:8:"), "{err}");
    assert!(
        err.contains("too large once compiled (over the 1 MiB limit)"),
        "{err}"
    );
}
