//! The database's own test vectors (`test_vectors` in `rules/data/eol.yaml`), judged as of
//! their date, plus targeted cases.

use super::*;
use crate::span::Span;
use crate::syntax::ImageRef;
use data::TokenMatcher;

fn image(raw: &str) -> ImageRef {
    ImageRef::parse(raw, &|s, e| Span::new(s, e))
}

#[test]
fn the_database_parses() {
    let db = database();
    assert_eq!(db.as_of, Date::parse("2026-11-28").unwrap());
    assert!(
        db.product_ids().count() >= 30,
        "{} products",
        db.product_ids().count()
    );
    db.check_patterns().unwrap();
    db.check_products().unwrap();
    // The tables that build.rs compiles in hold what the YAML says.
    let yaml = Database::parse(data::SOURCE).unwrap();
    assert_eq!(yaml.as_of, db.as_of);
    assert_eq!(
        yaml.product_ids().collect::<Vec<_>>(),
        db.product_ids().collect::<Vec<_>>()
    );
    for id in db.product_ids() {
        let (a, b) = (yaml.product(id).unwrap(), db.product(id).unwrap());
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{id}");
    }
    assert_eq!(yaml.images, db.images);
    assert_eq!(yaml.distro_rules, db.distro_rules);
    assert_eq!(yaml.deprecated, db.deprecated);
}

/// Every tag and tag token of the test vectors, the extra vectors and some odd ones.
fn sample_haystacks() -> Vec<String> {
    let vectors: Vectors = serde_saphyr::from_str(data::SOURCE).unwrap();
    let mut tags: Vec<String> = vectors
        .test_vectors
        .cases
        .iter()
        .map(|c| c.reference.as_str())
        .chain(MORE_VECTORS.iter().map(|(r, _)| *r))
        .filter_map(|r| image(r).tag.map(|t| t.text))
        .collect();
    let tokens: Vec<String> = tags
        .iter()
        .flat_map(|t| t.split('-').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    tags.extend(tokens);
    tags.extend(
        [
            "",
            "-",
            "latest",
            "3",
            "al2",
            "al2023",
            "alpine",
            "alpine3.20",
            "Alpine",
            "é",
            "ubi9",
        ]
        .map(str::to_owned),
    );
    tags
}

#[test]
fn pattern_filters_never_reject_a_match() {
    let db = database();
    let mut rejected = 0;
    for hay in sample_haystacks() {
        for p in db
            .images
            .iter()
            .flat_map(|i| i.version.iter().chain(&i.cycle_from_repo))
        {
            let real = p
                .regex()
                .captures(&hay)
                .map(|c| c.get(0).map(|m| m.range()));
            let filtered = p.captures(&hay).map(|c| c.get(0).map(|m| m.range()));
            assert_eq!(filtered, real, "`{}` on `{hay}`", p.source());
            rejected += usize::from(real.is_none());
        }
    }
    assert!(rejected > 1000, "{rejected}");
}

#[test]
fn pattern_filters_come_from_the_regex() {
    let db = database();
    let alpine = db
        .distro_rules
        .iter()
        .find_map(|r| match &r.matcher {
            TokenMatcher::Regex {
                token,
                next: None,
                floating: false,
            } if token.source() == "^alpine(?P<cycle>3\\.\\d+)$" => Some(token),
            _ => None,
        })
        .unwrap();
    // Rejected by the filter: the regex is never compiled for these.
    for hay in ["slim", "bookworm", "alpine", "alpine4.1", ""] {
        assert!(alpine.captures(hay).is_none(), "{hay}");
    }
    assert_eq!(&alpine.captures("alpine3.20").unwrap()["cycle"], "3.20");
}

#[derive(serde::Deserialize)]
struct Vectors {
    test_vectors: VectorList,
}

#[derive(serde::Deserialize)]
struct VectorList {
    as_of: String,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    #[serde(rename = "ref")]
    reference: String,
    expect: Expect,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Expect {
    Lines(Vec<String>),
    /// "no rule (...)": nothing is found.
    Nothing(#[allow(dead_code)] String),
}

/// `supported until ...`, `EOL since ...`, in the vectors' words.
fn describe(v: &Verdict) -> String {
    match v {
        Verdict::Supported { until: Some(d) } => format!("supported until {d}"),
        Verdict::Supported { until: None } => "supported".into(),
        Verdict::Extended { regular_end, until }
        | Verdict::Eol {
            since: Some(regular_end),
            paid_until: Some((_, until)),
            ..
        } => format!("regular support ended {regular_end}, extended until {until}"),
        Verdict::Eol { since: Some(d), .. } => format!("EOL since {d}"),
        Verdict::Eol { since: None, .. } => "EOL".into(),
        Verdict::Unknown => "unknown".into(),
    }
}

/// What drydock finds for `reference` on `today`, in the vectors' words.
fn render(reference: &str, today: Date) -> (Vec<String>, Vec<String>) {
    let Some(id) = identify(&image(reference)) else {
        return (Vec::new(), Vec::new());
    };
    let mut lines = Vec::new();
    let mut extras = Vec::new();
    for f in &id.found {
        // The vectors name a base OS by its cycle, the image's own by what the tag says.
        let name = match f.cycle {
            Some(c) if f.base_os => c.cycle.clone(),
            Some(c) if c.cycle != f.written => format!("{}={}", f.written, c.cycle),
            _ => f.written.clone(),
        };
        let verdict = f
            .cycle
            .map_or(Verdict::Unknown, |c| verdict(f.product, c, today));
        let base = if f.base_os { "base " } else { "" };
        let line = format!("{base}{} {name}: {}", f.product.id, describe(&verdict));
        // The vectors call a bare major "floating"; drydock also judges the release it means.
        if f.floating {
            extras.push(line);
        } else {
            lines.push(line);
        }
    }
    for m in &id.moving {
        match (m.kind, &m.meaning) {
            // The vectors leave a floating base OS (`-alpine`) out.
            (MovingKind::BaseOs, _) => {}
            (MovingKind::Tag, Some(meaning)) => {
                lines.push(format!(
                    "{} moving tag '{}' -> {meaning}",
                    m.product, m.token
                ));
            }
            _ => lines.push(format!("{} major {}: floating", m.product, m.token)),
        }
    }
    let deprecation: Vec<String> = id
        .deprecated
        .map(|d| {
            let since = d.since.unwrap_or_default();
            if d.repo == "library/openjdk" {
                format!(
                    "openjdk-image: deprecated image, frozen since {}",
                    &since[..7]
                )
            } else {
                format!("repository frozen since {since}")
            }
        })
        .into_iter()
        .chain(extras)
        .collect();
    (lines, deprecation)
}

#[test]
fn the_database_test_vectors_hold() {
    let vectors: Vectors = serde_saphyr::from_str(data::SOURCE).unwrap();
    let today = Date::parse(&vectors.test_vectors.as_of).unwrap();
    let mut failures = Vec::new();
    for case in &vectors.test_vectors.cases {
        let (mut lines, deprecation) = render(&case.reference, today);
        let expected: Vec<String> = match &case.expect {
            Expect::Lines(l) => l.clone(),
            Expect::Nothing(_) => Vec::new(),
        };
        for d in deprecation {
            if expected.contains(&d) {
                lines.push(d);
            }
        }
        let mut sorted_expected = expected.clone();
        sorted_expected.sort();
        lines.sort();
        if lines != sorted_expected {
            failures.push(format!(
                "{}:\n  expected {sorted_expected:?}\n  found    {lines:?}",
                case.reference
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Products the database's own vectors leave out, in the same words.
const MORE_VECTORS: &[(&str, &[&str])] = &[
    (
        "quay.io/centos/centos:stream8",
        &["centos-stream 8: EOL since 2024-05-31"],
    ),
    (
        "amazoncorretto:21-al2023",
        &[
            "amazoncorretto 21: supported until 2030-10-31",
            "base amazonlinux 2023: supported until 2029-06-30",
        ],
    ),
    (
        "valkey/valkey:8.0-alpine3.21",
        &[
            "valkey 8.0: supported until 2027-09-15",
            "base alpine 3.21: EOL since 2026-11-01",
        ],
    ),
    ("node:22-alpine", &["nodejs 22: supported until 2027-04-30"]),
    ("python:3.99-slim", &["python 3.99: unknown"]),
    ("registry.example.com/python:3.8", &[]),
];

#[test]
fn more_vectors_cover_every_product() {
    let today = Date::parse("2026-11-28").unwrap();
    for (reference, expected) in MORE_VECTORS {
        let (mut lines, _) = render(reference, today);
        lines.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        expected.sort();
        assert_eq!(lines, expected, "{reference}");
    }
    let vectors: Vectors = serde_saphyr::from_str(data::SOURCE).unwrap();
    let references = vectors
        .test_vectors
        .cases
        .iter()
        .map(|c| c.reference.as_str())
        .chain(MORE_VECTORS.iter().map(|(r, _)| *r));
    let mut named = std::collections::BTreeSet::new();
    for reference in references {
        if let Some(id) = identify(&image(reference)) {
            named.extend(id.found.iter().map(|f| f.product.id.clone()));
            named.extend(id.product.map(|p| p.id.clone()));
        }
    }
    let missing: Vec<&str> = database()
        .product_ids()
        .filter(|p| !named.contains(*p))
        .collect();
    assert!(
        missing.is_empty(),
        "products without a test vector: {missing:?}"
    );
}

#[test]
fn a_verdict_changes_when_the_day_moves_past_an_end_of_life() {
    let id = identify(&image("python:3.11-slim-bookworm")).unwrap();
    let python = &id.found[0];
    let debian = &id.found[1];
    let day = |d: &str| Date::parse(d).unwrap();
    let until = day("2027-10-31");
    assert_eq!(
        verdict(python.product, python.cycle.unwrap(), day("2027-10-31")),
        Verdict::Supported { until: Some(until) }
    );
    assert!(matches!(
        verdict(python.product, python.cycle.unwrap(), day("2027-11-01")),
        Verdict::Eol { since: Some(d), .. } if d == until
    ));
    // Debian 12: regular support, then Debian LTS (free), then end of life.
    let v = |d: &str| verdict(debian.product, debian.cycle.unwrap(), day(d));
    assert!(matches!(v("2026-07-11"), Verdict::Supported { .. }));
    assert!(matches!(v("2026-07-12"), Verdict::Extended { .. }));
    assert!(matches!(
        v("2028-07-01"),
        Verdict::Eol {
            lts_ended: Some(_),
            ..
        }
    ));
}

#[test]
fn paid_extended_support_is_named_but_is_end_of_life() {
    let id = identify(&image("ubuntu:focal")).unwrap();
    let f = &id.found[0];
    let v = verdict(
        f.product,
        f.cycle.unwrap(),
        Date::parse("2026-11-28").unwrap(),
    );
    let Verdict::Eol {
        since,
        paid_until: Some((kind, until)),
        ..
    } = v
    else {
        panic!("{v:?}")
    };
    assert_eq!(since, Date::parse("2025-05-31"));
    assert!(kind.contains("Ubuntu Pro"), "{kind}");
    assert_eq!(until.to_string(), "2030-04-02");
}

#[test]
fn tokens_point_into_the_tag() {
    let id = identify(&image("python:3.8-slim-buster")).unwrap();
    let tag = "3.8-slim-buster";
    assert_eq!(&tag[id.found[0].range.clone()], "3.8");
    assert_eq!(&tag[id.found[1].range.clone()], "buster");
    let id = identify(&image("eclipse-temurin:21-jre-alpine-3.21")).unwrap();
    assert_eq!(
        &"21-jre-alpine-3.21"[id.found[1].range.clone()],
        "alpine-3.21"
    );
    let id = identify(&image("node:lts-bullseye-slim")).unwrap();
    assert_eq!(id.moving[0].token, "lts");
    assert_eq!(id.moving[0].kind, MovingKind::Tag);
}

#[test]
fn references_are_normalised_as_docker_does() {
    let name = |raw: &str| identify::repository_name(&image(raw));
    assert_eq!(name("python:3.12"), "library/python");
    assert_eq!(name("docker.io/python:3.12"), "library/python");
    assert_eq!(
        name("index.docker.io/library/python:3.12"),
        "library/python"
    );
    assert_eq!(
        name("registry-1.docker.io/library/python"),
        "library/python"
    );
    assert_eq!(name("bitnami/redis:7.4"), "bitnami/redis");
    assert_eq!(name("localhost:5000/python:3.8"), "localhost:5000/python");
    assert_eq!(name("localhost/python:3.8"), "localhost/python");
    assert_eq!(
        name("quay.io/centos/centos:stream9"),
        "quay.io/centos/centos"
    );
    // The same image whichever way it is written; a private registry is not Docker Hub.
    for raw in [
        "python:3.8",
        "docker.io/library/python:3.8",
        "index.docker.io/python:3.8@sha256:00",
    ] {
        let id = identify(&image(raw)).unwrap();
        assert_eq!(id.found[0].written, "3.8", "{raw}");
    }
    assert!(identify(&image("localhost:5000/library/python:3.8")).is_none());
    // A digest alone names no tag: only `latest` would be judged, and it is a moving tag.
    let id = identify(&image("alpine@sha256:00")).unwrap();
    assert!(id.found.is_empty());
}

#[test]
fn a_bare_major_is_judged_as_its_newest_release() {
    let today = Date::parse("2026-11-28").unwrap();
    let id = identify(&image("python:2-alpine")).unwrap();
    let f = id.found.iter().find(|f| f.floating).unwrap();
    assert_eq!(f.cycle.unwrap().cycle, "2.7");
    assert!(matches!(
        verdict(f.product, f.cycle.unwrap(), today),
        Verdict::Eol { .. }
    ));
    let id = identify(&image("mysql:8")).unwrap();
    assert_eq!(id.found[0].cycle.unwrap().cycle, "8.4");
}
