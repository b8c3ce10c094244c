//! Image references as written in `FROM`: `[registry[:port]/]path[:tag][@digest]`.

use crate::span::Span;

/// One part of an image reference, with its span in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub span: Span,
}

/// An image reference split the way Docker splits it; variables are left unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The reference as written.
    pub raw: String,
    pub span: Span,
    /// A registry host (it contains `.` or `:`, or is `localhost`).
    pub registry: Option<Part>,
    /// The repository path without registry, tag or digest (e.g. `library/alpine` or `alpine`).
    pub path: Part,
    pub tag: Option<Part>,
    /// The digest after `@`, algorithm included (e.g. `sha256:...`).
    pub digest: Option<Part>,
    /// The reference contains `$VAR` / `${VAR}` and needs ARG resolution.
    pub has_variables: bool,
}

impl ImageRef {
    /// Split `raw`; `map` turns a byte range inside `raw` into a file span.
    #[must_use]
    pub fn parse(raw: &str, map: &dyn Fn(usize, usize) -> Span) -> ImageRef {
        let mask = outside_braces(raw);
        let find_first =
            |c: u8, from: usize, to: usize| (from..to).find(|&i| raw.as_bytes()[i] == c && mask[i]);
        let find_last = |c: u8, from: usize, to: usize| {
            (from..to)
                .rev()
                .find(|&i| raw.as_bytes()[i] == c && mask[i])
        };
        let part = |s: usize, e: usize| Part {
            text: raw[s..e].to_owned(),
            span: map(s, e),
        };
        let len = raw.len();
        let at = find_first(b'@', 0, len);
        let name_end = at.unwrap_or(len);
        let digest = at.map(|a| part(a + 1, len));
        let last_slash = find_last(b'/', 0, name_end);
        let colon = find_last(b':', last_slash.map_or(0, |s| s + 1), name_end);
        let tag = colon.map(|c| part(c + 1, name_end));
        let path_end = colon.unwrap_or(name_end);
        let first_slash = find_first(b'/', 0, path_end);
        let registry_end = first_slash.filter(|&s| {
            let first = &raw[..s];
            first.contains(['.', ':']) || first == "localhost"
        });
        let (registry, path_start) = match registry_end {
            Some(s) => (Some(part(0, s)), s + 1),
            None => (None, 0),
        };
        ImageRef {
            raw: raw.to_owned(),
            span: map(0, len),
            registry,
            path: part(path_start.min(path_end), path_end),
            tag,
            digest,
            has_variables: raw.contains('$'),
        }
    }

    /// `scratch`, the empty base image.
    #[must_use]
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none()
            && self.tag.is_none()
            && self.digest.is_none()
            && self.path.text.eq_ignore_ascii_case("scratch")
    }

    /// The registry Docker would contact (`docker.io` when none is written).
    #[must_use]
    pub fn registry_or_default(&self) -> &str {
        self.registry
            .as_ref()
            .map_or("docker.io", |r| r.text.as_str())
    }

    /// The registry as Docker names it: `docker.io` for Docker Hub and its aliases
    /// (`index.docker.io`, `registry-1.docker.io`, `registry.hub.docker.com`), else as written.
    #[must_use]
    pub fn normalized_registry(&self) -> &str {
        match self.registry_or_default() {
            "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io",
            other => other,
        }
    }

    /// The repository path as the registry knows it (`library/` added for official images).
    #[must_use]
    pub fn normalized_path(&self) -> String {
        let docker_hub = self.normalized_registry() == "docker.io";
        if docker_hub && !self.path.text.contains('/') {
            format!("library/{}", self.path.text)
        } else {
            self.path.text.clone()
        }
    }
}

/// For each byte: true when it is outside any `${...}`, so `:`, `/` and `@` inside a
/// variable's default do not split the reference.
fn outside_braces(raw: &str) -> Vec<bool> {
    let b = raw.as_bytes();
    let mut mask = vec![true; b.len()];
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
            depth += 1;
            mask[i] = false;
            mask[i + 1] = false;
            i += 2;
            continue;
        }
        if depth > 0 {
            mask[i] = false;
            if b[i] == b'}' {
                depth -= 1;
            }
        }
        i += 1;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> ImageRef {
        ImageRef::parse(raw, &|s, e| Span::new(s, e))
    }

    #[test]
    fn splits_registry_port_path_tag_digest() {
        let r = parse("registry.example.com:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.unwrap().text, "registry.example.com:5000");
        assert_eq!(r.path.text, "team/app");
        assert_eq!(r.tag.unwrap().text, "1.2");
        assert_eq!(r.digest.unwrap().text, "sha256:abc");
    }

    #[test]
    fn docker_hub_names() {
        let r = parse("alpine:3.20@sha256:ff");
        assert!(r.registry.is_none());
        assert_eq!(r.normalized_path(), "library/alpine");
        assert_eq!(r.tag.as_ref().unwrap().text, "3.20");
        let r = parse("localhost/x");
        assert_eq!(r.registry.unwrap().text, "localhost");
        let r = parse("user/repo");
        assert!(r.registry.is_none());
        assert_eq!(r.normalized_path(), "user/repo");
    }

    #[test]
    fn variables_do_not_split() {
        let r = parse("${REG:-docker.io}/lib/img:${TAG:-1.0}");
        assert!(r.has_variables);
        assert_eq!(r.tag.unwrap().text, "${TAG:-1.0}");
        // A variable first component with a registry-like default counts as a registry.
        assert_eq!(r.registry.unwrap().text, "${REG:-docker.io}");
        assert_eq!(r.path.text, "lib/img");
        assert!(parse("scratch").is_scratch());
    }
}
