//! What an image reference names: the product and cycle of its tag's version part, the
//! base OS a later tag token names, whether the tag moves, and whether the repository is
//! deprecated.

use std::ops::Range;

use super::data::{database, Cycle, DeprecatedRepository, ImageRule, Product, TokenMatcher};
use crate::syntax::ImageRef;

/// Registry names that mean Docker Hub.
const DOCKER_HUB: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
];

/// What the database knows of one reference.
#[derive(Debug)]
pub struct Identification {
    /// The repository as the database names it (`library/python`, `quay.io/centos/centos`).
    pub repository: String,
    /// The tag judged (`latest` when none is written).
    pub tag: String,
    /// The image's own product, when the repository is known.
    pub product: Option<&'static Product>,
    /// The cycles the tag names: the image's own first, then the base OS.
    pub found: Vec<Found>,
    /// What in the tag moves over time.
    pub moving: Vec<Moving>,
    pub deprecated: Option<&'static DeprecatedRepository>,
}

/// A cycle named by a reference.
#[derive(Debug)]
pub struct Found {
    pub product: &'static Product,
    /// How the tag names it (`3.8`, `buster`).
    pub written: String,
    /// The cycle, when the database lists it.
    pub cycle: Option<&'static Cycle>,
    /// Whether it is the base OS of a language or server image (from a later tag token).
    pub base_os: bool,
    /// Whether a bare major version names it: the newest release of that major (`python:2`
    /// is Python 2.7), which moves when a newer minor ships.
    pub floating: bool,
    /// Bytes of the tag that name it.
    pub range: Range<usize>,
}

/// Alias kept for readers of the public API.
pub type CycleRef = Found;

/// A tag, or a token of it, that names no fixed cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moving {
    /// The moving word (`lts`, `3`, `alpine`, `stable`).
    pub token: String,
    /// The product whose release it follows.
    pub product: String,
    /// What it pointed at when the data was taken, if known.
    pub meaning: Option<String>,
    pub kind: MovingKind,
    /// Bytes of the tag.
    pub range: Range<usize>,
}

/// Why a tag moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovingKind {
    /// A named moving tag: `latest`, `lts`, `stable`, `mainline`, `rolling`...
    Tag,
    /// A bare major version that floats to the newest minor: `python:3`, `redis:7`.
    Major,
    /// A base-OS token without a version: `node:22-alpine`.
    BaseOs,
}

/// The repository name used by the database: Docker Hub images without the registry
/// (`library/` added for official images), others as `registry/path`.
#[must_use]
pub fn repository_name(image: &ImageRef) -> String {
    let registry = image.registry_or_default();
    if DOCKER_HUB.contains(&registry) {
        let path = image.path.text.as_str();
        if path.contains('/') {
            path.to_owned()
        } else {
            format!("library/{path}")
        }
    } else {
        format!("{registry}/{}", image.path.text)
    }
}

/// Whether `repo` matches a database pattern: exact, or a trailing `*` matching anything.
fn repo_matches(pattern: &str, repo: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => repo.starts_with(prefix),
        None => pattern == repo,
    }
}

/// Identify `image` (a resolved reference without variables); `None` for repositories
/// the database does not know.
#[must_use]
pub fn identify(image: &ImageRef) -> Option<Identification> {
    let db = database();
    let repository = repository_name(image);
    let rule = db
        .images
        .iter()
        .find(|r| r.repos.iter().any(|p| repo_matches(p, &repository)));
    let deprecated = db
        .deprecated
        .iter()
        .find(|d| repo_matches(d.repo, &repository));
    if rule.is_none() && deprecated.is_none() {
        return None;
    }
    let tag = image
        .tag
        .as_ref()
        .map_or_else(|| "latest".to_owned(), |t| t.text.clone());
    let mut id = Identification {
        repository,
        tag,
        product: rule.and_then(|r| db.product(r.product)),
        found: Vec::new(),
        moving: Vec::new(),
        deprecated,
    };
    if let Some(rule) = rule {
        let rest = own_cycle(rule, &mut id);
        if let Some(rest) = rest {
            base_os(rule, rest, &mut id);
        }
    }
    Some(id)
}

/// Read the image's own cycle from the repository or the tag's leading part; returns the
/// byte offset where the remaining tokens start (`None`: nothing more to read).
fn own_cycle(rule: &ImageRule, id: &mut Identification) -> Option<usize> {
    let db = database();
    let product = db.product(rule.product)?;
    let tag = id.tag.clone();
    if let Some(re) = &rule.cycle_from_repo {
        let caps = re.captures(&id.repository)?;
        let name = caps.name("cycle")?.as_str();
        id.found.push(found(product, name, 0..0, false));
        return None;
    }
    // A moving tag is keyed by the whole tag or its first token(s).
    let first_end = tag.find('-').unwrap_or(tag.len());
    for end in [tag.len(), first_end] {
        if let Some(meaning) = rule.moving_tag(&tag[..end]) {
            let kind = if tag[..end].bytes().all(|b| b.is_ascii_digit()) {
                MovingKind::Major
            } else {
                MovingKind::Tag
            };
            id.moving.push(Moving {
                token: tag[..end].to_owned(),
                product: product.id.clone(),
                meaning: Some(meaning.to_owned()),
                kind,
                range: 0..end,
            });
            if kind == MovingKind::Major {
                id.found
                    .extend(newest_of_major(product, &tag[..end], 0..end));
            }
            return Some(end);
        }
    }
    for re in rule.version {
        let Some(caps) = re.captures(&tag) else {
            continue;
        };
        let end = caps.get(0).map_or(0, |m| m.end());
        let rest = if tag[..end].ends_with('-') {
            end
        } else {
            end.max(first_end)
        };
        if let Some(m) = caps.name("cycle") {
            id.found.push(found(product, m.as_str(), m.range(), false));
        } else if let Some(m) = caps.name("codename") {
            id.found.push(found(product, m.as_str(), m.range(), false));
        } else if let Some(m) = caps.name("stream") {
            if let Some(stream) = db.product("centos-stream") {
                id.found.push(found(stream, m.as_str(), m.range(), false));
            }
        } else if let Some(m) = caps.name("major") {
            id.found
                .extend(newest_of_major(product, m.as_str(), m.range()));
            id.moving.push(Moving {
                token: m.as_str().to_owned(),
                product: product.id.clone(),
                meaning: rule.moving_tag(m.as_str()).map(str::to_owned),
                kind: MovingKind::Major,
                range: m.range(),
            });
        } else if let Some(m) = caps.name("moving") {
            id.moving.push(Moving {
                token: m.as_str().to_owned(),
                product: product.id.clone(),
                meaning: None,
                kind: MovingKind::Tag,
                range: m.range(),
            });
        }
        return Some(rest);
    }
    None
}

fn found(product: &'static Product, name: &str, range: Range<usize>, base_os: bool) -> Found {
    Found {
        product,
        written: name.to_owned(),
        cycle: product.cycle(name),
        base_os,
        floating: false,
        range,
    }
}

/// The release a bare major currently means: the newest listed (not estimated) cycle of that
/// major, `2` -> `2.7`.
fn newest_of_major(product: &'static Product, major: &str, range: Range<usize>) -> Option<Found> {
    let prefix = format!("{major}.");
    let cycle = product
        .cycles
        .iter()
        .find(|c| c.cycle.starts_with(&prefix) && !c.unverified)?;
    Some(Found {
        product,
        written: major.to_owned(),
        cycle: Some(cycle),
        base_os: false,
        floating: true,
        range,
    })
}

/// The first tag token after `start` that names a base OS (`buster`, `alpine3.20`,
/// `alpine` `3.21`, `ubi9`, `al2023`), or a bare `alpine` that floats.
fn base_os(rule: &ImageRule, start: usize, id: &mut Identification) {
    let db = database();
    let tag = id.tag.clone();
    let tokens: Vec<(usize, &str)> = token_offsets(&tag)
        .into_iter()
        .filter(|(offset, _)| *offset >= start)
        .collect();
    for (i, &(offset, token)) in tokens.iter().enumerate() {
        for distro in db.distro_rules {
            // An OS image's own tokens are its own cycle, read already.
            if distro.product == rule.product {
                continue;
            }
            let range = offset..offset + token.len();
            match &distro.matcher {
                TokenMatcher::Codename => {
                    let Some(product) = db.product(distro.product) else {
                        continue;
                    };
                    if product
                        .cycles
                        .iter()
                        .any(|c| c.codename.as_deref() == Some(token))
                    {
                        id.found.push(found(product, token, range, true));
                        return;
                    }
                }
                TokenMatcher::Regex {
                    token: re,
                    next,
                    floating,
                } => {
                    let Some(caps) = re.captures(token) else {
                        continue;
                    };
                    // A product's cycles are parsed only once a token of its rule matches.
                    let Some(product) = db.product(distro.product) else {
                        continue;
                    };
                    if let Some(m) = caps.name("cycle") {
                        let r = offset + m.start()..offset + m.end();
                        id.found.push(found(product, m.as_str(), r, true));
                        return;
                    }
                    if let Some(next) = next {
                        let Some(&(next_offset, next_token)) = tokens.get(i + 1) else {
                            continue;
                        };
                        if let Some(m) = next.captures(next_token).and_then(|c| c.name("cycle")) {
                            let r = offset..next_offset + m.end();
                            id.found.push(found(product, m.as_str(), r, true));
                            return;
                        }
                        continue;
                    }
                    if *floating {
                        id.moving.push(Moving {
                            token: token.to_owned(),
                            product: product.id.clone(),
                            meaning: None,
                            kind: MovingKind::BaseOs,
                            range,
                        });
                        return;
                    }
                }
            }
        }
    }
}

/// The `-`-separated tokens of `tag` with their byte offsets.
fn token_offsets(tag: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for token in tag.split('-') {
        out.push((offset, token));
        offset += token.len() + 1;
    }
    out
}
