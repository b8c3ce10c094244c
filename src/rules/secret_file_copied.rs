//! DD303: COPY or ADD of a file that holds a secret (private keys, `.env`, credentials).

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// File names that hold secrets as a whole.
const SECRET_NAMES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".env",
    ".netrc",
    ".pgpass",
    ".git-credentials",
    ".htpasswd",
    "credentials",
    "credentials.json",
    "client_secret.json",
    "secrets.json",
    "secrets.yml",
    "secrets.yaml",
    ".ssh",
    ".aws",
    ".gnupg",
];

/// Extensions of private-key and keystore files.
const SECRET_EXTENSIONS: &[&str] = &[".pem", ".key", ".p12", ".pfx", ".ppk", ".jks", ".keystore"];

/// Suffixes of files that only show the shape of a secret, or its public half.
const HARMLESS_SUFFIXES: &[&str] = &[
    ".pub",
    ".example",
    ".sample",
    ".template",
    ".dist",
    ".tmpl",
    ".defaults",
];

/// DD303
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let (InstructionKind::Copy(copy) | InstructionKind::Add(copy)) = &inst.kind else {
            continue;
        };
        for source in &copy.sources {
            // A heredoc source is text written in the Dockerfile, and a URL is public data
            // (`ADD https://.../Release.key`), not a file of the build context.
            if source.value.starts_with("<<") || source.value.contains("://") {
                continue;
            }
            let Some(name) = secret_name(&source.value) else {
                continue;
            };
            sink.report(
                source.span,
                format!(
                    "`{name}` looks like a secret and is copied into the image: anyone who can pull the image, or any layer of it, can read it"
                ),
                "keep secrets out of the image: pass them at build time with `RUN --mount=type=secret`, at run time from the orchestrator, and list the file in `.dockerignore`",
            );
        }
    }
}

/// The file name of `source` when it names a secret file.
fn secret_name(source: &str) -> Option<&str> {
    let trimmed = source.trim_end_matches('/');
    let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
    let lower = name.to_ascii_lowercase();
    if HARMLESS_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
        return None;
    }
    // `.env` and `.env.production`, not `.envrc` nor `meta.env` (often plain settings).
    let env_file = lower == ".env" || lower.starts_with(".env.");
    let key_file = SECRET_EXTENSIONS.iter().any(|e| lower.ends_with(e)) && !is_public(&lower);
    let secret = env_file || key_file || SECRET_NAMES.contains(&lower.as_str());
    secret.then_some(name)
}

/// Key-like files that are public by their name: certificates (`cert.pem`,
/// `ca-bundle.pem`) and repository signing keys (`nodesource.gpg.key`, `jenkins.io.key`).
fn is_public(name: &str) -> bool {
    const PUBLIC: &[&str] = &[
        "cert", "ca.", "ca-", "chain", "bundle", "crt", "pub", "gpg", "pgp", "release", "signing",
        "archive", "keyring", "repo", ".io", ".org", ".com", ".net",
    ];
    PUBLIC.iter().any(|w| name.contains(w))
}
