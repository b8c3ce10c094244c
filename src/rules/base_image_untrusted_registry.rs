//! DD112: an external base image from a registry not in `trusted-registries`.

use super::{Context, Sink};

/// Docker Hub under its different names.
fn normalize(host: &str) -> String {
    let host = host.trim().trim_end_matches('/').to_ascii_lowercase();
    match host.as_str() {
        ""
        | "index.docker.io"
        | "registry-1.docker.io"
        | "registry.hub.docker.com"
        | "hub.docker.com" => "docker.io".to_owned(),
        _ => host,
    }
}

/// Whether `registry` (normalised) and repository `path` match a trusted entry: a host
/// (`ghcr.io`), a wildcard host (`*.example.com`), or a host and path prefix
/// (`ghcr.io/my-org`, `docker.io/library`).
fn trusted(entry: &str, registry: &str, path: &str) -> bool {
    let entry = entry.trim().trim_end_matches('/');
    let (host, prefix) = match entry.split_once('/') {
        Some((h, p)) => (normalize(h), Some(p)),
        None => (normalize(entry), None),
    };
    let host_ok = match host.strip_prefix("*.") {
        Some(suffix) => registry.ends_with(&format!(".{suffix}")),
        None => host == registry,
    };
    host_ok && prefix.is_none_or(|p| path == p || path.starts_with(&format!("{p}/")))
}

/// DD112
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let allowed = &ctx.policy.trusted_registries;
    if allowed.is_empty() {
        return;
    }
    for (_, image, resolved) in ctx.model.external_images() {
        let registry = normalize(resolved.registry_or_default());
        let path = resolved.normalized_path();
        if allowed.iter().any(|e| trusted(e, &registry, &path)) {
            continue;
        }
        let span = image
            .written
            .registry
            .as_ref()
            .filter(|r| !r.text.contains('$'))
            .map_or(image.written.span, |r| r.span);
        sink.report(
            span,
            format!(
                "base image `{}` comes from `{registry}`, which is not a trusted registry",
                resolved.raw
            ),
            format!(
                "pull the base image through a trusted registry ({}), or add `{registry}` to `trusted-registries`",
                allowed.join(", ")
            ),
        );
    }
}
