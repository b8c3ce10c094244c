//! Registry answers: what a tag resolves to, the platform manifests of an index, and a
//! repository's tags. Rules read [`Answers`] (fetched by the CLI before linting, or
//! replayed from a snapshot); [`client`] fetches them over the OCI distribution protocol.

pub mod auth;
pub mod client;
pub mod credentials;
pub mod pin;
pub mod store;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::syntax::ImageRef;

/// The media types a manifest request accepts: all four, or registries answer a different
/// digest (the amd64 child of a list, a schema-1 conversion) or 404 for OCI images.
pub const ACCEPT: [&str; 4] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// Whether a manifest media type is a multi-platform index (OCI index or Docker list).
#[must_use]
pub fn is_index(media_type: &str) -> bool {
    media_type == ACCEPT[0] || media_type == ACCEPT[2]
}

/// A repository on a registry, normalised as Docker does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Repository {
    /// The registry as Docker names it (`docker.io` for Docker Hub, `host:port` otherwise).
    pub host: String,
    /// The repository path (`library/alpine` for official images).
    pub path: String,
}

impl Repository {
    /// The repository of a reference; `None` when it still holds variables.
    #[must_use]
    pub fn of(image: &ImageRef) -> Option<Repository> {
        if image.has_variables || image.path.text.is_empty() {
            return None;
        }
        Some(Repository {
            host: image.normalized_registry().to_owned(),
            path: image.normalized_path(),
        })
    }

    /// The host the API is served from (`registry-1.docker.io` for Docker Hub).
    #[must_use]
    pub fn api_host(&self) -> &str {
        if self.host == "docker.io" {
            "registry-1.docker.io"
        } else {
            &self.host
        }
    }

    /// `host/path`, the key of answers about this repository.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{}/{}", self.host, self.path)
    }

    /// `host/path:tag`, the key of a tag's answer.
    #[must_use]
    pub fn tag_key(&self, tag: &str) -> String {
        format!("{}/{}:{tag}", self.host, self.path)
    }
}

/// What a tag resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagAnswer {
    /// The manifest digest (`sha256:...`): the index digest for a multi-platform tag.
    pub digest: String,
    /// The manifest's media type, when the registry said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// Registry answers the rules read. Keys are normalised (`docker.io/library/alpine:3.22`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    /// `host/path:tag` -> what the tag resolves to.
    #[serde(default)]
    pub tags: BTreeMap<String, TagAnswer>,
    /// Index digest -> the digests of its platform manifests (content-addressed: never stale).
    #[serde(default)]
    pub indexes: BTreeMap<String, Vec<String>>,
    /// `host/path` -> every tag of the repository.
    #[serde(default)]
    pub tag_lists: BTreeMap<String, Vec<String>>,
}

impl Answers {
    /// What `tag` of `repo` resolves to, if known.
    #[must_use]
    pub fn tag(&self, repo: &Repository, tag: &str) -> Option<&TagAnswer> {
        self.tags.get(&repo.tag_key(tag))
    }

    /// The tags of `repo`, if known.
    #[must_use]
    pub fn tag_list(&self, repo: &Repository) -> Option<&[String]> {
        self.tag_lists.get(&repo.key()).map(Vec::as_slice)
    }

    /// Whether `pin` names `answer` itself or one of its platform manifests; `None` when the
    /// answer is an index whose children are unknown.
    #[must_use]
    pub fn pin_matches(&self, answer: &TagAnswer, pin: &str) -> Option<bool> {
        if answer.digest == pin {
            return Some(true);
        }
        if let Some(children) = self.indexes.get(&answer.digest) {
            return Some(children.iter().any(|c| c == pin));
        }
        match answer.media_type.as_deref() {
            Some(t) if is_index(t) => None,
            _ => Some(false),
        }
    }

    /// Add everything `other` knows (its answers win).
    pub fn merge(&mut self, other: Answers) {
        self.tags.extend(other.tags);
        self.indexes.extend(other.indexes);
        self.tag_lists.extend(other.tag_lists);
    }

    /// Answers written inline, as rule docs and fixtures state them: `refs` holds
    /// `image:tag@digest[+child...]` entries separated by spaces (children make the digest an
    /// index), each of `tag_lists` is `image=tag tag ...`.
    ///
    /// # Errors
    /// An entry that is not of that shape.
    pub fn parse_inline(refs: &[&str], tag_lists: &[&str]) -> Result<Answers, String> {
        let mut answers = Answers::default();
        let span = crate::span::Span::new(0, 0);
        for entry in refs.iter().flat_map(|r| r.split_whitespace()) {
            let (name, digests) = entry
                .split_once('@')
                .ok_or_else(|| format!("registry entry `{entry}`: expected image:tag@digest"))?;
            let image = ImageRef::parse(name, &|_, _| span);
            let (Some(repo), Some(tag)) = (Repository::of(&image), image.tag.as_ref()) else {
                return Err(format!(
                    "registry entry `{entry}`: expected image:tag@digest"
                ));
            };
            let mut digests = digests.split('+');
            let digest = digests.next().unwrap_or_default().to_owned();
            let children: Vec<String> = digests.map(str::to_owned).collect();
            let media_type = if children.is_empty() {
                ACCEPT[1]
            } else {
                ACCEPT[0]
            };
            if !children.is_empty() {
                answers.indexes.insert(digest.clone(), children);
            }
            answers.tags.insert(
                repo.tag_key(&tag.text),
                TagAnswer {
                    digest,
                    media_type: Some(media_type.to_owned()),
                },
            );
        }
        for list in tag_lists {
            let (name, tags) = list
                .split_once('=')
                .ok_or_else(|| format!("registry tags `{list}`: expected image=tag tag ..."))?;
            let image = ImageRef::parse(name.trim(), &|_, _| span);
            let repo = Repository::of(&image)
                .ok_or_else(|| format!("registry tags `{list}`: expected image=tag tag ..."))?;
            answers.tag_lists.insert(
                repo.key(),
                tags.split_whitespace().map(str::to_owned).collect(),
            );
        }
        Ok(answers)
    }
}

/// What to ask registries before linting, deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Tags to resolve, with the digests pinned next to them (their index children are
    /// fetched when the tag's digest differs).
    pub tags: BTreeMap<(Repository, String), BTreeSet<String>>,
    /// Repositories whose tag list is needed.
    pub tag_lists: BTreeSet<Repository>,
}

impl Plan {
    /// Whether nothing needs asking.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.tag_lists.is_empty()
    }

    /// The number of distinct questions (tags plus tag lists).
    #[must_use]
    pub fn len(&self) -> usize {
        self.tags.len() + self.tag_lists.len()
    }
}

/// A tag of the form `X.Y.Z[-suffix]`: the version line, the patch, and the suffix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchTag<'a> {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// `-slim`, `-alpine3.22`, or empty.
    pub suffix: &'a str,
}

impl<'a> PatchTag<'a> {
    /// Parse `3.22.1` or `3.12.7-slim`; other shapes (`3.22`, `3.13.0rc1`, `v1.2.3`) are not
    /// patch tags.
    #[must_use]
    pub fn parse(tag: &'a str) -> Option<PatchTag<'a>> {
        let (version, suffix) = match tag.find('-') {
            Some(i) => (&tag[..i], &tag[i..]),
            None => (tag, ""),
        };
        let mut parts = version.split('.');
        let mut number = || -> Option<u64> {
            let p = parts.next()?;
            (!p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p == "0" || !p.starts_with('0')))
            .then(|| p.parse().ok())
            .flatten()
        };
        let (major, minor, patch) = (number()?, number()?, number()?);
        if parts.next().is_some() || suffix == "-" {
            return None;
        }
        Some(PatchTag {
            major,
            minor,
            patch,
            suffix,
        })
    }

    /// The newest tag of `tags` on the same line (major, minor, suffix) with a higher patch.
    #[must_use]
    pub fn newest_patch<'t>(&self, tags: &'t [String]) -> Option<&'t str> {
        tags.iter()
            .filter_map(|t| PatchTag::parse(t).map(|p| (p, t.as_str())))
            .filter(|(p, _)| {
                p.major == self.major
                    && p.minor == self.minor
                    && p.suffix == self.suffix
                    && p.patch > self.patch
            })
            .max_by_key(|(p, _)| p.patch)
            .map(|(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(raw: &str) -> Repository {
        Repository::of(&ImageRef::parse(raw, &|s, e| crate::span::Span::new(s, e))).unwrap()
    }

    #[test]
    fn normalises_as_docker_does() {
        assert_eq!(repo("alpine:3.22").key(), "docker.io/library/alpine");
        assert_eq!(repo("docker.io/alpine").key(), "docker.io/library/alpine");
        assert_eq!(
            repo("index.docker.io/library/alpine").key(),
            "docker.io/library/alpine"
        );
        assert_eq!(
            repo("registry-1.docker.io/user/app").key(),
            "docker.io/user/app"
        );
        assert_eq!(repo("user/app:1").key(), "docker.io/user/app");
        assert_eq!(repo("localhost/app").key(), "localhost/app");
        assert_eq!(
            repo("localhost:5000/app:1@sha256:ab").key(),
            "localhost:5000/app"
        );
        assert_eq!(
            repo("gcr.io/google.com/cloudsdktool/sdk").key(),
            "gcr.io/google.com/cloudsdktool/sdk"
        );
        assert_eq!(repo("alpine").api_host(), "registry-1.docker.io");
        assert_eq!(repo("ghcr.io/o/i").api_host(), "ghcr.io");
    }

    #[test]
    fn patch_tags() {
        let p = PatchTag::parse("3.12.1-slim").unwrap();
        assert_eq!((p.major, p.minor, p.patch, p.suffix), (3, 12, 1, "-slim"));
        assert!(PatchTag::parse("3.22").is_none());
        assert!(PatchTag::parse("3.13.0rc1").is_none());
        assert!(PatchTag::parse("3.1.2.4").is_none());
        assert!(PatchTag::parse("03.1.2").is_none());
        let tags: Vec<String> = [
            "3.12.7-slim",
            "3.12.9",
            "3.12.8-slim-bookworm",
            "3.13.1-slim",
            "3.12.10-slim",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(p.newest_patch(&tags), Some("3.12.10-slim"));
        assert_eq!(
            PatchTag::parse("3.12.10-slim").unwrap().newest_patch(&tags),
            None
        );
    }

    #[test]
    fn inline_answers_and_platform_children() {
        let a = Answers::parse_inline(
            &["alpine:3.19@sha256:aa+sha256:c1+sha256:c2 alpine:3.18@sha256:bb"],
            &["alpine=3.18.1 3.18.4"],
        )
        .unwrap();
        let t = a.tag(&repo("alpine"), "3.19").unwrap();
        assert_eq!(a.pin_matches(t, "sha256:c2"), Some(true));
        assert_eq!(a.pin_matches(t, "sha256:zz"), Some(false));
        let t = a.tag(&repo("alpine"), "3.18").unwrap();
        assert_eq!(a.pin_matches(t, "sha256:zz"), Some(false));
        assert_eq!(
            a.tag_list(&repo("docker.io/library/alpine")).unwrap().len(),
            2
        );
        let unknown = TagAnswer {
            digest: "sha256:x".into(),
            media_type: Some(ACCEPT[0].into()),
        };
        assert_eq!(a.pin_matches(&unknown, "sha256:y"), None);
        assert!(Answers::parse_inline(&["alpine:3.19"], &[]).is_err());
    }
}
