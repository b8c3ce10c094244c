//! DD551: a command written as a JSON array that is not valid JSON, so it runs in a shell.

use super::{Context, Sink};
use crate::syntax::{CommandLine, InstructionKind};

/// DD551
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let line = match &inst.kind {
            InstructionKind::Run(l) | InstructionKind::Cmd(l) | InstructionKind::Entrypoint(l) => l,
            InstructionKind::Healthcheck(crate::syntax::Healthcheck::Cmd { command, .. }) => {
                command
            }
            _ => continue,
        };
        let CommandLine::Shell(form) = line else {
            continue;
        };
        if !form.looks_like_json {
            continue;
        }
        let text = form.span.slice(ctx.source).trim();
        if !starts_like_array(text) {
            continue;
        }
        let problem = problem(text);
        let keyword = inst.keyword.as_str();
        sink.report(
            form.span,
            format!(
                "`{text}` {problem}: {keyword} silently hands the whole text to `/bin/sh -c` as a shell command, which fails with a `not found` error or does something else"
            ),
            "write a JSON array of double-quoted strings, e.g. `[\"nginx\", \"-g\", \"daemon off;\"]`",
        );
    }
}

/// What is wrong with an array-looking `text`.
fn problem(text: &str) -> &'static str {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Vec<String>>();
    if matches!(values.next(), Some(Ok(_))) {
        return "has text after its closing `]` (a comment? Dockerfiles only have whole-line comments)";
    }
    let rest = text[1..].trim_start();
    if rest.starts_with('\'') || text.contains(", '") || text.contains(",'") {
        "uses single quotes, which JSON does not allow"
    } else {
        "is not a valid JSON array of strings (a missing comma, quote or bracket?)"
    }
}

/// Whether `text` (starting with `[`) opens with a quoted string followed by `,`, `]`, another
/// quote or nothing: a JSON array attempt. The `[` test command (`[ -f x ]`,
/// `[ "$(id -u)" = 0 ]`) has an operator or an operand after its first word instead.
fn starts_like_array(text: &str) -> bool {
    let rest = text[1..].trim_start();
    let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return rest.starts_with(']');
    };
    let mut escaped = false;
    let mut end = None;
    for (i, c) in rest.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            end = Some(i + c.len_utf8());
            break;
        }
    }
    let Some(end) = end else {
        return false;
    };
    let after = rest[end..].trim_start();
    after.is_empty() || after.starts_with([',', ']', '"', '\''])
}

#[cfg(test)]
mod tests {
    use super::starts_like_array;

    #[test]
    fn arrays_and_test_commands() {
        assert!(starts_like_array("['nginx', '-g']"));
        assert!(starts_like_array(r#"["a" "b"]"#));
        assert!(starts_like_array(r#"["a", 'b']"#));
        assert!(starts_like_array("['a']"));
        assert!(!starts_like_array("[ -f x ] && y"));
        assert!(!starts_like_array(r#"[ "$(id -u)" = 0 ] || exit 1"#));
        assert!(!starts_like_array(r#"[ "$a" != "b" ]"#));
    }
}
