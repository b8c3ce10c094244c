//! Reports the parser's `empty-continuation-line` warning as a rule finding.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::span::Span;

/// Report every `empty-continuation-line` parser diagnostic.
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for d in ctx
        .dockerfile
        .diagnostics
        .iter()
        .filter(|d| d.code == "empty-continuation-line")
    {
        let help = d.help.clone().unwrap_or_default();
        sink.report(d.span, d.message.clone(), help).fix = removal(ctx, d.span);
    }
}

/// The empty line removed with its line break: BuildKit skips it, so the instruction reads
/// the same. None when the instruction also swallows what looks like the next instruction:
/// the escape character that runs on is then the likely mistake, not the empty line.
fn removal(ctx: &Context<'_>, blank: Span) -> Option<Fix> {
    let inst = ctx
        .dockerfile
        .instructions
        .iter()
        .rev()
        .find(|i| i.span.start() <= blank.start())?;
    let swallows = ctx
        .dockerfile
        .diagnostics
        .iter()
        .any(|d| d.code == "swallowed-instruction" && inst.span.contains(d.span.start()));
    if swallows {
        return None;
    }
    let rest = &ctx.source[blank.end()..];
    let line_break = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    };
    Some(Fix {
        description: "remove the empty line".to_owned(),
        edits: vec![Edit {
            span: Span::new(blank.start(), blank.end() + line_break),
            replacement: String::new(),
        }],
        safety: Safety::Safe,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn every_empty_line_goes_and_line_endings_stay() {
        let text = "FROM a\r\nRUN a && \\\r\n\r\n  \r\n    b\r\nRUN c \\\n\n";
        assert_eq!(
            fixed("DD003", text),
            "FROM a\r\nRUN a && \\\r\n    b\r\nRUN c \\\n"
        );
    }

    #[test]
    fn no_fix_when_the_next_instruction_is_swallowed() {
        let text = "FROM a\nRUN apt-get update && \\\n\nRUN echo hi\n";
        assert_eq!(fixes("DD003", text), [None]);
    }
}
