//! The label policy in `.drydock.yaml` (`policy.labels`, `policy.strict-labels`): parsing,
//! errors that point at the offending entry, and the label rules it drives.

use std::path::Path;

use drydock::config::{self, Config, Overrides};
use drydock::engine::lint;
use drydock::rules::label_schema::LabelType;
use drydock::source::decode;

fn parse(text: &str) -> Result<Config, String> {
    config::parse(Path::new(".drydock.yaml"), text).map_err(|e| e.to_string())
}

/// `(code, spanned text)` of the label rules' findings (DD705-DD709) for `dockerfile` under
/// the configuration `yaml`.
fn findings(yaml: &str, dockerfile: &str) -> Vec<(&'static str, String)> {
    let config = parse(yaml).unwrap();
    let resolved = config::resolve(Some(&config), &Overrides::default()).unwrap();
    let report = lint(&decode(dockerfile.as_bytes().to_vec()), &resolved.settings);
    report
        .findings
        .iter()
        .filter(|f| ("DD705"..="DD709").contains(&f.code))
        .map(|f| (f.code, f.span.slice(dockerfile).to_owned()))
        .collect()
}

#[test]
fn labels_and_strict_labels_are_read() {
    let c = parse(
        "policy:\n  labels:\n    org.opencontainers.image.source: url\n    org.opencontainers.image.title:\n    build.date: rfc3339\n  strict-labels: true\n",
    )
    .unwrap();
    assert_eq!(
        c.policy.labels.schema,
        [
            ("org.opencontainers.image.source".to_owned(), LabelType::Url),
            ("org.opencontainers.image.title".to_owned(), LabelType::Text),
            ("build.date".to_owned(), LabelType::Rfc3339),
        ]
    );
    assert!(c.policy.labels.strict);
    assert!(!parse("").unwrap().policy.labels.strict);
}

#[test]
fn bad_label_entries_are_errors_at_the_entry() {
    assert_eq!(
        parse("policy:\n  labels:\n    a.source: uri\n").unwrap_err(),
        ".drydock.yaml:3:15: label `a.source` has the unknown type `uri`"
    );
    let e = config::parse(
        Path::new(".drydock.yaml"),
        "policy:\n  labels:\n    a.source: uri\n",
    )
    .unwrap_err();
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `url`? types: text, url, semver, hash, rfc3339, spdx, email")
    );
    assert_eq!(
        parse("policy:\n  labels: [a, b]\n").unwrap_err(),
        ".drydock.yaml:2:11: `labels` must be a map of label names to types (text, url, semver, hash, rfc3339, spdx, email)"
    );
    assert_eq!(
        parse("policy:\n  strict-labels: sometimes\n").unwrap_err(),
        ".drydock.yaml:2:18: `strict-labels` must be true or false"
    );
    assert_eq!(
        parse("policy:\n  labels:\n    a: url\n    a: text\n").unwrap_err(),
        ".drydock.yaml:4:5: duplicate key `a`"
    );
}

#[test]
fn hadolint_label_keys_point_to_the_policy_map() {
    assert_eq!(
        parse("label-schema:\n  a: url\n").unwrap_err(),
        ".drydock.yaml:1:1: unknown key `label-schema`; did you mean `policy.labels`?"
    );
    assert_eq!(
        parse("strict-labels: true\n").unwrap_err(),
        ".drydock.yaml:1:1: unknown key `strict-labels`; did you mean `policy.strict-labels`?"
    );
}

const SCHEMA: &str = "policy:\n  labels:\n    org.opencontainers.image.source: url\n    org.opencontainers.image.licenses: spdx\n";

#[test]
fn the_label_rules_fire_only_under_a_schema() {
    let dockerfile = "FROM alpine:3.20\nLABEL org.opencontainers.image.licenses=\"Apache 2.0\" extra=1\nUSER 10001\n";
    assert_eq!(findings("", dockerfile), []);
    assert_eq!(
        findings(SCHEMA, dockerfile),
        [
            ("DD706", "FROM".to_owned()),
            ("DD709", "\"Apache 2.0\"".to_owned()),
        ]
    );
    let strict = format!("{SCHEMA}  strict-labels: true\n");
    assert_eq!(
        findings(&strict, dockerfile),
        [
            ("DD706", "FROM".to_owned()),
            ("DD709", "\"Apache 2.0\"".to_owned()),
            ("DD707", "extra".to_owned()),
        ]
    );
}

#[test]
fn spdx_expressions_and_unresolved_values_pass() {
    let dockerfile = "FROM alpine:3.20\nARG SRC\nLABEL org.opencontainers.image.source=$SRC org.opencontainers.image.licenses=\"MIT OR Apache-2.0\"\nUSER 10001\n";
    assert_eq!(findings(SCHEMA, dockerfile), []);
}
