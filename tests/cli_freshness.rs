//! Base-image freshness from the command line: the day decides the verdict, and
//! `drydock images` lists every FROM with its status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn drydock_in(dir: &Path, args: &[&str], epoch: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drydock"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    cmd.output().expect("run drydock")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-fresh-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `(code, line, column)` of each finding of a JSON report.
fn findings(o: &Output) -> Vec<(String, u64, u64)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["span"]["start"]["line"].as_u64().unwrap(),
                d["span"]["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_same_file_changes_verdict_when_the_day_passes_an_end_of_life() {
    let dir = scratch("day");
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM python:3.11-slim-trixie\nUSER 1000\n",
    )
    .unwrap();
    let args = |day: &'static str| ["--select", "DD104", "--format", "json", "--today", day];
    let before = drydock_in(&dir, &args("2027-10-31"), None);
    assert_eq!(before.status.code(), Some(0));
    assert_eq!(findings(&before), []);
    let after = drydock_in(&dir, &args("2027-11-01"), None);
    assert_eq!(after.status.code(), Some(1));
    // The finding is on `3.11` inside the tag.
    assert_eq!(findings(&after), [("DD104".to_owned(), 1, 13)]);
    // SOURCE_DATE_EPOCH stands in for --today (2027-11-01 is 1825027200), and --today wins.
    let by_epoch = drydock_in(&dir, &["--select", "DD104"], Some("1825027200"));
    assert_eq!(by_epoch.status.code(), Some(1));
    let overridden = drydock_in(
        &dir,
        &["--select", "DD104", "--today", "2027-01-01"],
        Some("1825027200"),
    );
    assert_eq!(overridden.status.code(), Some(0));
}

#[test]
fn eol_soon_follows_the_configured_window() {
    let dir = scratch("window");
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM php:8.2-apache-trixie\nUSER www-data\n",
    )
    .unwrap();
    let args = [
        "--select",
        "DD105",
        "--format",
        "json",
        "--today",
        "2026-11-28",
    ];
    // 33 days before PHP 8.2's end of life: inside the default 90 days.
    assert_eq!(
        findings(&drydock_in(&dir, &args, None)),
        [("DD105".to_owned(), 1, 10)]
    );
    std::fs::write(dir.join(".drydock.yaml"), "policy:\n  eol-warn-days: 30\n").unwrap();
    assert_eq!(findings(&drydock_in(&dir, &args, None)), []);
}

#[test]
fn images_lists_every_from_with_its_status() {
    let dir = scratch("images");
    std::fs::write(
        dir.join("Dockerfile"),
        "ARG PY=3.8\nFROM python:${PY}-slim-buster AS build\nFROM build AS test\nFROM openjdk:17-jdk-slim AS java\nFROM scratch\nFROM node:24-trixie-slim\n",
    )
    .unwrap();
    let o = drydock_in(&dir, &["images", "--today", "2026-11-28"], None);
    assert_eq!(o.status.code(), Some(0));
    let expected = "\
LOCATION      STAGE  IMAGE                                              STATUS      EOL         DAYS  CYCLES
Dockerfile:2  build  python:${PY}-slim-buster (python:3.8-slim-buster)  eol         2024-06-30  -881  python 3.8 eol, debian 10 eol
Dockerfile:3  test   stage build                                        -           -           -
Dockerfile:4  java   openjdk:17-jdk-slim                                deprecated  -           -     deprecated (use eclipse-temurin, amazoncorretto, ibm-semeru-runtimes or sapmachine)
Dockerfile:5  3      scratch                                            -           -           -
Dockerfile:6  4      node:24-trixie-slim                                supported   2028-04-30  519   nodejs 24 supported, debian 13 supported
";
    assert_eq!(stdout(&o), expected);

    let o = drydock_in(
        &dir,
        &["images", "--format", "json", "."],
        Some("1795824000"),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["today"], "2026-11-28");
    assert_eq!(v["eol_data_as_of"], "2026-11-28");
    let first = &v["images"][0];
    assert_eq!(first["path"], "Dockerfile");
    assert_eq!(first["resolved"], "python:3.8-slim-buster");
    assert_eq!(first["repository"], "library/python");
    assert_eq!(first["registry"], "docker.io");
    assert_eq!(first["cycles"][1]["product"], "debian");
    assert_eq!(first["cycles"][1]["base_os"], true);
    assert_eq!(first["cycles"][1]["eol"], "2024-06-30");
    assert_eq!(first["digest_status"], "unchecked");
    assert_eq!(v["images"].as_array().unwrap().len(), 5);

    let o = drydock_in(
        &dir,
        &["images", "--format", "csv", "--today", "2026-11-28"],
        None,
    );
    let csv = stdout(&o);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("path,line,stage,reference,kind,resolved,"));
    assert_eq!(
        lines.nth(2).unwrap(),
        "Dockerfile,4,java,openjdk:17-jdk-slim,image,openjdk:17-jdk-slim,docker.io,library/openjdk,17-jdk-slim,,deprecated,,,,,\"eclipse-temurin, amazoncorretto, ibm-semeru-runtimes or sapmachine\",unchecked"
    );
}

#[test]
fn images_reports_a_missing_path_and_lists_the_rest() {
    let dir = scratch("missing");
    std::fs::write(dir.join("Dockerfile"), "FROM alpine:3.22\n").unwrap();
    let o = drydock_in(
        &dir,
        &["images", "--today", "2026-11-28", "nope", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("Dockerfile:1"), "{}", stdout(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope"));
}

#[test]
fn images_gives_the_digest_status_from_a_registry_snapshot() {
    let dir = scratch("digests");
    let (current, old, child) = (
        "sha256:".to_owned() + &"a".repeat(64),
        "sha256:".to_owned() + &"b".repeat(64),
        "sha256:".to_owned() + &"c".repeat(64),
    );
    std::fs::write(
        dir.join("Dockerfile"),
        format!("FROM alpine:3.22@{current} AS a\nFROM alpine:3.22@{old} AS b\nFROM alpine:3.22@{child} AS c\nFROM debian:trixie-slim AS d\nFROM node:24-trixie-slim\n"),
    )
    .unwrap();
    let snapshot = serde_json::json!({
        "version": 1,
        "tags": {
            "docker.io/library/alpine:3.22": {"digest": current, "media_type": "application/vnd.oci.image.index.v1+json"},
            "docker.io/library/debian:trixie-slim": {"digest": old},
        },
        "indexes": {current.clone(): [child.clone()]},
    });
    std::fs::write(dir.join("snap.json"), snapshot.to_string()).unwrap();
    // Replaying a snapshot needs no network.
    let o = drydock_in(
        &dir,
        &[
            "images",
            "--format",
            "json",
            "--today",
            "2026-11-28",
            "--registry-snapshot",
            "snap.json",
            "Dockerfile",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let status: Vec<&str> = v["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["digest_status"].as_str().unwrap())
        .collect();
    assert_eq!(
        status,
        ["current", "stale", "current", "unpinned", "unknown"]
    );
    assert_eq!(v["images"][1]["current_digest"], current.as_str());
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("node:24-trixie-slim is not in the registry snapshot"));
    assert_eq!(o.status.code(), Some(0));
}
