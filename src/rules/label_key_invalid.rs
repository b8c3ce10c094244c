//! DD705: a LABEL key that breaks Docker's label key conventions.

use super::label_schema::{key_problem, key_syntax_problem, reserved_namespace};
use super::{Context, Sink};

/// Namespaces under Docker's reserved ones that Docker asks third parties to use (Docker
/// Desktop extensions declare themselves with these labels).
const SANCTIONED: [&str; 2] = ["com.docker.desktop.extension.", "com.docker.extension."];

/// DD705
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for label in ctx.model.labels() {
        // A key built from a variable without a value is only known at build time.
        let Some(key) = label.key.as_deref() else {
            continue;
        };
        let (problem, help) = if let Some(problem) = key_syntax_problem(key) {
            let help = match suggestion(key) {
                Some(s) => format!("write `{s}`; keys are lowercase reverse-DNS names such as `org.opencontainers.image.source`"),
                None => "use a lowercase reverse-DNS name such as `org.opencontainers.image.source`".to_owned(),
            };
            (problem, help)
        } else if reserved_namespace(key).is_some() {
            if SANCTIONED.iter().any(|s| key.starts_with(s)) {
                continue;
            }
            (
                key_problem(key).unwrap_or_default(),
                "put the label in a namespace you own, in reverse DNS form (`com.example.app.tier`), or use an `org.opencontainers.image.*` key".to_owned(),
            )
        } else {
            continue;
        };
        let written = &label.pair.key;
        let shown = if written.value == key {
            format!("`{key}`")
        } else {
            format!("`{}` (`{key}`)", written.value)
        };
        sink.report(
            written.span,
            format!("label key {shown} breaks Docker's key conventions: {problem}"),
            help,
        );
    }
}

/// `key` lowercased, other characters replaced by `-`, doubled separators and separators
/// at the ends removed; `None` if that is empty or starts with a digit.
fn suggestion(key: &str) -> Option<String> {
    let mut out = String::new();
    for c in key.chars() {
        let c = c.to_ascii_lowercase();
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c) {
            c
        } else {
            '-'
        };
        if "._-/".contains(c) && (out.is_empty() || out.ends_with(['.', '_', '-', '/'])) {
            continue;
        }
        out.push(c);
    }
    let out = out.trim_end_matches(['.', '_', '-', '/']).to_owned();
    key_syntax_problem(&out).is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn suggestions_follow_the_conventions() {
        assert_eq!(suggestion("Maintainer").as_deref(), Some("maintainer"));
        assert_eq!(suggestion("app version").as_deref(), Some("app-version"));
        assert_eq!(suggestion("org..Example.").as_deref(), Some("org.example"));
        assert_eq!(suggestion("1x"), None);
    }
}
