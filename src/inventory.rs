//! The image inventory (`drydock images`): every FROM of a file with its resolved
//! reference and what the end-of-life data says of it, as of a day. Pure: no I/O.

use serde::Serialize;

use crate::date::Date;
use crate::eol::{identify, verdict, MovingKind, Verdict};
use crate::registry::{Answers, Repository};
use crate::semantic::{Base, Model};
use crate::span::LineIndex;
use crate::syntax::{Dockerfile, InstructionKind};

/// One FROM.
#[derive(Debug, Clone, Serialize)]
pub struct ImageRow {
    pub line: u32,
    pub column: u32,
    /// 0-based stage index.
    pub stage: usize,
    pub stage_name: Option<String>,
    /// The reference as written.
    pub reference: String,
    /// What it names: `image`, `stage`, `scratch`, `unresolved` (an ARG without default) or
    /// `missing`.
    pub kind: &'static str,
    /// After ARG defaults, when it names an image.
    pub resolved: Option<String>,
    pub registry: Option<String>,
    pub repository: Option<String>,
    pub tag: Option<String>,
    pub digest: Option<String>,
    pub cycles: Vec<CycleRow>,
    /// Tag words that name no fixed release (`lts`, `3`, `alpine`).
    pub moving: Vec<String>,
    /// The repository is deprecated; what to use instead.
    pub deprecated: Option<String>,
    /// The worst status of its cycles: `eol`, `deprecated` (the repository), `extended`,
    /// `soon`, `supported`, `unknown`, or `-` when the data knows nothing of the image.
    pub status: &'static str,
    /// The earliest end of free support among its cycles.
    pub eol: Option<String>,
    /// Days from the day judged to `eol` (negative: past).
    pub days_left: Option<i64>,
    /// `unchecked` offline; online: `current` (the pin is what the tag resolves to, or one
    /// of its platform manifests), `stale`, `unpinned` (no digest written), `unknown` (the
    /// registry did not answer).
    pub digest_status: &'static str,
    /// What the tag resolves to now, when asked online.
    pub current_digest: Option<String>,
}

/// A release cycle named by a reference.
#[derive(Debug, Clone, Serialize)]
pub struct CycleRow {
    pub product: String,
    pub cycle: String,
    pub base_os: bool,
    pub status: &'static str,
    /// End of free support.
    pub eol: Option<String>,
    pub days_left: Option<i64>,
}

/// The rows of every FROM of `dockerfile`, judged on `today`; `warn_days` is the
/// `eol-warn-days` window that turns `supported` into `soon`.
#[must_use]
pub fn images(source: &str, dockerfile: &Dockerfile, today: Date, warn_days: u32) -> Vec<ImageRow> {
    let model = Model::new(source, dockerfile);
    let index = LineIndex::new(source);
    let mut rows = Vec::new();
    for stage in &model.stages {
        let inst = &dockerfile.instructions[stage.from];
        let InstructionKind::From(from) = &inst.kind else {
            continue;
        };
        let span = from.image.as_ref().map_or(inst.span, |i| i.span);
        let position = index.position(source, span.start());
        let mut row = ImageRow {
            line: position.line,
            column: position.column,
            stage: stage.index,
            stage_name: stage.name.clone(),
            reference: from
                .image
                .as_ref()
                .map_or_else(String::new, |i| i.raw.clone()),
            kind: "missing",
            resolved: None,
            registry: None,
            repository: None,
            tag: None,
            digest: None,
            cycles: Vec::new(),
            moving: Vec::new(),
            deprecated: None,
            status: "-",
            eol: None,
            days_left: None,
            digest_status: "unchecked",
            current_digest: None,
        };
        match &stage.base {
            Base::Stage(_) => row.kind = "stage",
            Base::Scratch => row.kind = "scratch",
            Base::Missing => {}
            Base::Image(image) => match image.judgeable() {
                None => row.kind = "unresolved",
                Some(resolved) => {
                    row.kind = "image";
                    judge(&mut row, resolved, today, warn_days);
                }
            },
        }
        rows.push(row);
    }
    rows
}

/// Fill in the digest status of `rows` (of one file) from registry answers.
pub fn check_digests(
    rows: &mut [ImageRow],
    source: &str,
    dockerfile: &Dockerfile,
    answers: &Answers,
) {
    let model = Model::new(source, dockerfile);
    for row in rows.iter_mut() {
        let Some(Base::Image(image)) = model.stages.get(row.stage).map(|s| &s.base) else {
            continue;
        };
        let Some(resolved) = image.judgeable() else {
            continue;
        };
        let (Some(repo), Some(tag)) = (Repository::of(resolved), &resolved.tag) else {
            continue;
        };
        let Some(answer) = answers.tag(&repo, &tag.text) else {
            row.digest_status = "unknown";
            continue;
        };
        row.current_digest = Some(answer.digest.clone());
        row.digest_status = match resolved.digest.as_ref() {
            None => "unpinned",
            Some(pin) => match answers.pin_matches(answer, &pin.text) {
                Some(true) => "current",
                Some(false) => "stale",
                None => "unknown",
            },
        };
    }
}

fn judge(row: &mut ImageRow, image: &crate::syntax::ImageRef, today: Date, warn_days: u32) {
    row.resolved = Some(image.raw.clone());
    row.registry = Some(image.registry_or_default().to_owned());
    row.repository = Some(crate::eol::repository_name(image));
    row.tag = image.tag.as_ref().map(|t| t.text.clone());
    row.digest = image.digest.as_ref().map(|d| d.text.clone());
    let Some(id) = identify(image) else {
        return;
    };
    row.deprecated = id.deprecated.map(|d| d.replacement.to_owned());
    row.moving = id
        .moving
        .iter()
        .filter(|m| m.token != "latest" || m.kind != MovingKind::Tag)
        .map(|m| m.token.clone())
        .collect();
    for found in &id.found {
        let v = found
            .cycle
            .map_or(Verdict::Unknown, |c| verdict(found.product, c, today));
        let end = v.free_support_end();
        let days_left = end.map(|e| today.days_until(e));
        let status = match (&v, days_left) {
            (Verdict::Supported { .. }, Some(d)) if d <= i64::from(warn_days) => "soon",
            _ => v.status(),
        };
        row.cycles.push(CycleRow {
            product: found.product.id.clone(),
            cycle: found
                .cycle
                .map_or_else(|| found.written.clone(), |c| c.cycle.clone()),
            base_os: found.base_os,
            status,
            eol: end.map(|e| e.to_string()),
            days_left,
        });
    }
    let rank = |s: &str| match s {
        "eol" => 5,
        "extended" => 4,
        "soon" => 3,
        "supported" => 2,
        "unknown" => 1,
        _ => 0,
    };
    if let Some(worst) = row.cycles.iter().max_by_key(|c| rank(c.status)) {
        row.status = worst.status;
    }
    // A deprecated repository is stale whatever its tag says, short of end of life.
    if row.deprecated.is_some() && rank(row.status) < rank("eol") {
        row.status = "deprecated";
    }
    if let Some(first) = row
        .cycles
        .iter()
        .filter(|c| c.days_left.is_some())
        .min_by_key(|c| c.days_left)
    {
        row.eol = first.eol.clone();
        row.days_left = first.days_left;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_from_gets_a_row() {
        let src = "ARG PY=3.8\nFROM python:${PY}-slim-buster AS build\nFROM build AS test\nFROM scratch\nFROM $NOPE\nFROM node:24-trixie-slim\n";
        let df = crate::syntax::parse(src);
        let rows = images(src, &df, Date::parse("2026-11-28").unwrap(), 90);
        let kinds: Vec<&str> = rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, ["image", "stage", "scratch", "unresolved", "image"]);
        let py = &rows[0];
        assert_eq!((py.line, py.column), (2, 6));
        assert_eq!(py.resolved.as_deref(), Some("python:3.8-slim-buster"));
        assert_eq!(py.repository.as_deref(), Some("library/python"));
        assert_eq!(py.status, "eol");
        // Debian 10 ended first (its LTS ended 2024-06-30).
        assert_eq!(py.eol.as_deref(), Some("2024-06-30"));
        assert_eq!(py.cycles.len(), 2);
        assert_eq!(rows[4].status, "supported");
    }
}
