//! The database's own test vectors (`test_vectors` in `rules/data/eol.yaml`), judged as of
//! their date, plus targeted cases.

use super::*;
use crate::span::Span;
use crate::syntax::ImageRef;

fn image(raw: &str) -> ImageRef {
    ImageRef::parse(raw, &|s, e| Span::new(s, e))
}

#[test]
fn the_database_parses() {
    let db = database();
    assert_eq!(db.as_of, Date::parse("2026-11-28").unwrap());
    assert!(db.products.len() >= 30, "{} products", db.products.len());
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
        lines.push(format!(
            "{base}{} {name}: {}",
            f.product.id,
            describe(&verdict)
        ));
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
    let deprecation = id
        .deprecated
        .map(|d| {
            let since = d.since.clone().unwrap_or_default();
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
