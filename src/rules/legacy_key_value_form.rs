//! DD702: `ENV key value` / `LABEL key value`, the legacy form without `=`.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::span::Span;
use crate::syntax::{InstructionKind, KeyValue, Word};

/// DD702
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let pairs = match &inst.kind {
            InstructionKind::Env(p) | InstructionKind::Label(p) => p,
            _ => continue,
        };
        for pair in pairs.iter().filter(|p| p.legacy) {
            let keyword = inst.keyword.as_str();
            let key = &pair.key.value;
            let value = rewritten_value(&pair.value, ctx.dockerfile.escape);
            // A template placeholder (`{{ .version }}`) is filled in before the build.
            let fix = (!ctx.model.is_unjudgeable(index))
                .then(|| to_key_value(ctx.source, pair, &value, ctx.dockerfile.escape))
                .flatten();
            sink.report(
                pair.key.span,
                format!(
                    "`{keyword} {key} ...` uses the legacy form without `=`: everything after the key, spaces included, is one value, so a second pair cannot be added and `{keyword} a b c=d` does not mean what it seems"
                ),
                format!("write `{keyword} {key}={value}`"),
            )
            .fix = fix;
        }
    }
}

/// The edits to `key=value`: the blanks after the key become `=`, and the value is quoted
/// if it must be. None when unsure: a quoted key, something other than blanks after the key
/// (a continuation, a comment line), a value to quote that spans lines or whose `$` may have
/// been protected by single quotes or an escape (the rewrite would expand it).
fn to_key_value(source: &str, pair: &KeyValue, rewritten: &str, escape: char) -> Option<Fix> {
    let (key, value) = (&pair.key, &pair.value);
    let gap = Span::new(key.span.end(), value.span.start());
    let plain_gap = gap.slice(source).bytes().all(|b| b == b' ' || b == b'\t');
    if key.raw != key.value || value.raw.is_empty() || gap.is_empty() || !plain_gap {
        return None;
    }
    let mut edits = vec![Edit {
        span: gap,
        replacement: "=".to_owned(),
    }];
    if rewritten != value.raw {
        let protected = value.value.contains('$') && value.raw.contains(['\'', escape]);
        if protected || value.span.slice(source).contains('\n') {
            return None;
        }
        edits.push(Edit {
            span: value.span,
            replacement: rewritten.to_owned(),
        });
    }
    Some(Fix {
        description: "write `key=value`".to_owned(),
        edits,
        safety: Safety::Safe,
    })
}

/// The legacy value written for `key=value`, meaning the same. Both forms unquote and
/// unescape the value alike, so a value without blanks is kept as written (`C:\\go` stays
/// `C:\\go`, not the `C:\go` it means); one with blanks is double-quoted, escaping `"` and
/// the escape character in force (`\`, or `` ` `` under `# escape=``).
fn rewritten_value(value: &Word, escape: char) -> String {
    if !value.raw.is_empty() && !value.raw.contains([' ', '\t']) {
        return value.raw.clone();
    }
    let mut quoted = String::from('"');
    for c in value.value.chars() {
        if c == '"' || c == escape {
            quoted.push(escape);
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use crate::engine::{lint, Settings};
    use crate::rules::metas;
    use crate::source::decode;

    /// The help of each DD702 finding of `text`.
    fn helps(text: &str) -> Vec<String> {
        let rule = metas().iter().position(|m| m.code == "DD702").unwrap();
        let report = lint(&decode(text.as_bytes().to_vec()), &Settings::only(&[rule]));
        report.findings.into_iter().map(|f| f.help).collect()
    }

    #[test]
    fn the_suggestion_means_what_the_legacy_form_meant() {
        let text = concat!(
            "FROM debian:bookworm-slim\n",
            "ENV GOPATH C:\\\\go\n",
            "ENV PATH \"${JAVA_HOME}/bin:${PATH}\"\n",
            "LABEL maintainer \"Jane Doe <jane@example.com>\"\n",
            "ENV MSG say \\\"hi\\\"\n",
        );
        assert_eq!(
            helps(text),
            [
                "write `ENV GOPATH=C:\\\\go`",
                "write `ENV PATH=\"${JAVA_HOME}/bin:${PATH}\"`",
                "write `LABEL maintainer=\"Jane Doe <jane@example.com>\"`",
                "write `ENV MSG=\"say \\\"hi\\\"\"`",
            ]
        );
    }

    #[test]
    fn under_a_backtick_escape_backslashes_are_plain() {
        let text = concat!(
            "# escape=`\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n",
            "ENV ROSLYN \"C:\\Program Files\\MSBuild\\Roslyn\"\n",
            "ENV JAVA_HOME C:\\ojdkbuild\n",
        );
        assert_eq!(
            helps(text),
            [
                "write `ENV ROSLYN=\"C:\\Program Files\\MSBuild\\Roslyn\"`",
                "write `ENV JAVA_HOME=C:\\ojdkbuild`",
            ]
        );
    }

    #[test]
    fn the_fix_joins_key_and_value_with_an_equals_sign() {
        use crate::rules::edits::testing::fixed;
        let text = concat!(
            "FROM debian:bookworm-slim\n",
            "ENV GOPATH\tC:\\\\go\n",
            "label maintainer Jane  Doe\n",
            "ENV MSG say \\\"hi\\\"\n",
            "ENV PATH \"/opt/bin:$PATH\"\n",
            "ENV LONG ab\\\ncd\n",
        );
        assert_eq!(
            fixed("DD702", text),
            concat!(
                "FROM debian:bookworm-slim\n",
                "ENV GOPATH=C:\\\\go\n",
                "label maintainer=\"Jane  Doe\"\n",
                "ENV MSG=\"say \\\"hi\\\"\"\n",
                "ENV PATH=\"/opt/bin:$PATH\"\n",
                "ENV LONG=ab\\\ncd\n",
            )
        );
    }

    #[test]
    fn no_fix_when_the_rewrite_is_uncertain() {
        use crate::rules::edits::testing::fixes;
        let text = concat!(
            "FROM debian:bookworm-slim\n",
            "ENV A \\\n  x\n",
            "ENV B 'not $expanded' here\n",
            "ENV C a \\\n  b\n",
            "ENV \"D\" x\n",
            "ENV E {{ .version }}\n",
        );
        assert_eq!(fixes("DD702", text), [None, None, None, None, None]);
    }
}
