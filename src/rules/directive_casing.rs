//! DD704: a parser directive name not written in lowercase.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};

/// DD704
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for directive in &ctx.dockerfile.directives {
        let written = directive.name_span.slice(ctx.source);
        if !written.bytes().any(|b| b.is_ascii_uppercase()) {
            continue;
        }
        sink.report(
            directive.name_span,
            format!(
                "the parser directive `{written}` is not in lowercase: it works, but directives are written `# {}=...` by convention, and some tools only recognise that spelling",
                directive.name
            ),
            format!("write `# {}={}`", directive.name, directive.value),
        )
        .fix = Some(Fix {
            description: format!("write `{}`", directive.name),
            edits: vec![Edit {
                span: directive.name_span,
                replacement: directive.name.clone(),
            }],
            safety: Safety::Safe,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::fixed;

    #[test]
    fn only_the_name_is_lowercased() {
        let text = "#  ESCAPE = `\n# Check=skip=JSONArgsRecommended\nFROM alpine:3.22\n";
        assert_eq!(
            fixed("DD704", text),
            "#  escape = `\n# check=skip=JSONArgsRecommended\nFROM alpine:3.22\n"
        );
    }
}
