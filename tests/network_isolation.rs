//! drydock touches the network only under `--online`: linting every fixture and corpus file
//! with every rule, listing images and fixing opens no internet socket at all (checked with
//! strace, which sees every `socket(2)` call of the process and its threads), and it works in
//! a network namespace with no network. A positive control proves the trace would show one.
//! Skips (with a note) where strace or unshare is missing or not permitted.

#![allow(clippy::print_stderr)]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The paths to lint: the fixtures, and the corpus when present.
fn inputs() -> Vec<String> {
    let mut paths = vec![root().join("fixtures").to_string_lossy().into_owned()];
    let corpus = common::corpus_dir().join("files");
    if corpus.is_dir() {
        paths.push(corpus.to_string_lossy().into_owned());
    }
    paths
}

/// The `socket(AF_INET…)` / `socket(AF_INET6…)` calls drydock makes running `args`, or `None`
/// when strace cannot run here.
fn internet_sockets(args: &[&str], trace: &Path) -> Option<Vec<String>> {
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
        .arg(trace)
        .arg(env!("CARGO_BIN_EXE_drydock"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795824000")
        .env("XDG_CACHE_HOME", trace.with_extension("cache"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    let log = std::fs::read_to_string(trace).ok()?;
    if log.is_empty() && !status.success() && status.code() != Some(1) {
        return None;
    }
    Some(
        log.lines()
            .filter(|l| l.contains("AF_INET"))
            .map(str::to_owned)
            .collect(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-net-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn offline_commands_open_no_internet_socket() {
    let dir = scratch("strace");
    let paths = inputs();
    let mut check = vec![
        "check",
        "--select",
        "all",
        "--format",
        "json",
        "--no-config",
    ];
    check.extend(paths.iter().map(String::as_str));
    let mut images = vec!["images", "--format", "json"];
    images.extend(paths.iter().map(String::as_str));
    // `--diff` runs every fix without writing.
    let mut diff = vec![
        "check",
        "--select",
        "all",
        "--unsafe-fixes",
        "--diff",
        "--no-config",
    ];
    diff.extend(paths.iter().map(String::as_str));
    for (name, args) in [("check", check), ("images", images), ("diff", diff)] {
        let Some(sockets) = internet_sockets(&args, &dir.join(format!("{name}.trace"))) else {
            eprintln!("note: strace cannot trace here; skipping the socket check");
            return;
        };
        assert!(
            sockets.is_empty(),
            "`drydock {name}` opened sockets: {sockets:?}"
        );
    }
    // The control: `--online` does open one (to a closed local port).
    std::fs::write(
        dir.join("Dockerfile"),
        format!(
            "FROM 127.0.0.1:9/library/alpine:3.22@sha256:{}\n",
            "a".repeat(64)
        ),
    )
    .unwrap();
    let dockerfile = dir.join("Dockerfile");
    let online = [
        "check",
        "--select",
        "DD110",
        "--online",
        "--no-config",
        dockerfile.to_str().unwrap(),
    ];
    let sockets = internet_sockets(&online, &dir.join("online.trace")).unwrap();
    assert!(
        !sockets.is_empty(),
        "the control saw no socket: the trace proves nothing"
    );
}

#[test]
fn linting_works_in_a_namespace_without_network() {
    let probe = Command::new("unshare").args(["-rn", "true"]).status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("note: cannot create a network namespace here; skipping");
        return;
    }
    let mut cmd = Command::new("unshare");
    cmd.args(["-rn"])
        .arg(env!("CARGO_BIN_EXE_drydock"))
        .args([
            "check",
            "--select",
            "all",
            "--quiet",
            "--format",
            "gnu",
            "--no-config",
        ])
        .args(inputs())
        .env("SOURCE_DATE_EPOCH", "1795824000");
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // Findings (1) or errors from deliberately broken fixtures (2), never a network note.
    assert!(out.status.code().is_some_and(|c| c <= 2), "{err}");
    assert!(
        !err.contains("registry") && !err.contains("network"),
        "{err}"
    );
    assert!(!out.stdout.is_empty());
}
