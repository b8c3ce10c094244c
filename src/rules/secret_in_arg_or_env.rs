//! DD409: an ARG or ENV of the final image whose name says it holds a secret.

use super::{Context, Sink};
use crate::diagnostic::{Label, Severity};
use crate::semantic::commands::run_commands;
use crate::shell::Word;
use crate::syntax::InstructionKind;

/// Name segments that mean a secret (BuildKit's SecretsUsedInArgOrEnv list).
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// Name segments that mean the variable is about a secret, not the secret itself:
/// `PUBLIC_KEY`, `SSH_KEY_PATH`, `GPG_KEY` (a key id), `TOKEN_URL`, `PASSWORD_FILE`.
const HARMLESS_WORDS: &[&str] = &[
    "public",
    "pub",
    "file",
    "files",
    "path",
    "dir",
    "version",
    "gpg",
    "pgp",
    "id",
    "ids",
    "url",
    "uri",
    "host",
    "server",
    "endpoint",
    "port",
    "name",
    "user",
    "username",
    "type",
    "mode",
    "method",
    "length",
    "size",
    "expiry",
    "ttl",
    "timeout",
    "header",
    "enabled",
    "enable",
    "disabled",
    "required",
    "fingerprint",
    "keyring",
    "keyserver",
    "algorithm",
    "format",
    "realm",
    "provider",
    "issuer",
    "scope",
    "location",
    "prefix",
    "min",
    "max",
];

/// Whether the name `name` looks like that of a secret.
fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let segments: Vec<&str> = lower.split(['_', '-', '.']).collect();
    segments.iter().any(|s| SECRET_WORDS.contains(s))
        && !segments.iter().any(|s| HARMLESS_WORDS.contains(s))
}

/// Whether `value` has the shape of a real credential (well-known token prefixes).
fn looks_like_real_secret(value: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "ghp_",
        "gho_",
        "ghs_",
        "ghu_",
        "github_pat_",
        "glpat-",
        "sk-",
        "sk_live_",
        "xoxb-",
        "xoxp-",
        "aiza",
        "npm_",
        "hf_",
        "akia",
    ];
    let lower = value.to_ascii_lowercase();
    value.len() >= 20
        && !value.contains('$')
        && !value.contains(char::is_whitespace)
        && PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Whether shell text `text` expands the variable `name` (`$NAME`, `${NAME}`, `${NAME:-x}`).
fn expands(text: &str, name: &str) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    text.match_indices('$').any(|(at, _)| {
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        rest.strip_prefix(name)
            .is_some_and(|after| after.bytes().next().is_none_or(|b| !ident(b)))
    })
}

/// The words of the RUNs after instruction `arg` in its stage that expand `name`.
fn uses_in_runs(ctx: &Context<'_>, arg: usize, name: &str) -> Vec<crate::span::Span> {
    let Some(stage) = ctx.model.context(arg).stage else {
        return Vec::new();
    };
    let end = ctx.model.stages[stage].body.end;
    let mut spans = Vec::new();
    for inst in &ctx.dockerfile.instructions[arg + 1..end] {
        let commands = run_commands(inst);
        let word = commands.iter().find_map(|c| {
            let assignments = c
                .shell
                .map(|s| s.assignments.as_slice())
                .unwrap_or_default();
            let targets = c.redirects().iter().filter_map(|r| r.target.as_ref());
            let mut words = assignments
                .iter()
                .chain(c.wrapper_words())
                .chain(c.argv())
                .chain(targets);
            words.find(|w: &&Word| w.has_expansion && expands(&w.value, name))
        });
        spans.extend(word.map(|w| w.span));
    }
    spans
}

/// DD409
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (i, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        // Build arguments and environment of builder stages do not reach the final image.
        let Some(stage) = ctx.model.context(i).stage else {
            continue;
        };
        if !ctx.model.is_in_final_image(stage) {
            continue;
        }
        let (kind, pairs): (&str, Vec<(&crate::syntax::Word, Option<&str>)>) = match &inst.kind {
            InstructionKind::Env(pairs) => (
                "ENV",
                pairs
                    .iter()
                    .map(|p| (&p.key, Some(p.value.value.as_str())))
                    .collect(),
            ),
            InstructionKind::Arg(decls) => (
                "ARG",
                decls
                    .iter()
                    .map(|d| (&d.name, d.default.as_ref().map(|w| w.value.as_str())))
                    .collect(),
            ),
            _ => continue,
        };
        for (key, value) in pairs {
            // `ENV API_TOKEN=` sets nothing worth hiding.
            if !is_secret_name(&key.value) || (kind == "ENV" && value.is_some_and(str::is_empty)) {
                continue;
            }
            let real = value.is_some_and(looks_like_real_secret);
            let why = if kind == "ENV" {
                "ENV values are stored in the image config, readable by anyone who can pull it"
            } else {
                "build-argument values are recorded in the image history of the RUNs that use them"
            };
            let message = if real {
                format!(
                    "{kind} `{}` holds what looks like a real credential: {why}",
                    key.value
                )
            } else {
                format!("{kind} `{}` looks like it holds a secret: {why}", key.value)
            };
            let finding = sink.report(
                key.span,
                message,
                "pass secrets with `RUN --mount=type=secret,id=<id>,env=<NAME> ...` at build time, and from the orchestrator at run time",
            );
            if real {
                finding.severity = Severity::Error;
            }
            // Where a build argument is consumed: each such RUN records its value.
            if kind == "ARG" {
                for span in uses_in_runs(ctx, i, &key.value) {
                    finding.labels.push(Label {
                        span,
                        message: "used here: the value is recorded in this RUN's history; read it from `--mount=type=secret` instead".into(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "GITHUB_TOKEN",
            "NPM_TOKEN",
            "DB_PASSWORD",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "apikey",
            "sa_password",
            "REGISTRY_AUTH",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "GPG_KEY",
            "GPG_KEYS",
            "PUBLIC_KEY",
            "SSH_KEY_PATH",
            "DB_PASSWORD_FILE",
            "TOKEN_URL",
            "AUTH_ENABLED",
            "KEY_ID",
            "KEYCLOAK_VERSION",
            "MONKEY",
            "PASSWORDLESS",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn expansions() {
        assert!(expands("token=$NPM_TOKEN", "NPM_TOKEN"));
        assert!(expands("${NPM_TOKEN:-x}", "NPM_TOKEN"));
        assert!(!expands("$NPM_TOKEN_FILE", "NPM_TOKEN"));
        assert!(!expands("NPM_TOKEN", "NPM_TOKEN"));
    }

    #[test]
    fn real_secrets() {
        assert!(looks_like_real_secret(
            "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
        ));
        assert!(looks_like_real_secret("AKIAIOSFODNN7EXAMPLE"));
        assert!(!looks_like_real_secret("changeme"));
        assert!(!looks_like_real_secret("${GITHUB_TOKEN_FROM_CI_SYSTEM}"));
    }
}
