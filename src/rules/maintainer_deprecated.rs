//! DD701: the deprecated MAINTAINER instruction.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::syntax::{Instruction, InstructionKind, Keyword};

/// The OCI label that records an image's authors.
const AUTHORS: &str = "org.opencontainers.image.authors";

/// DD701
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Maintainer {
            continue;
        }
        let help = match &inst.kind {
            InstructionKind::Maintainer(Some(who)) => {
                format!(
                    "use a label instead: `LABEL {AUTHORS}={}`",
                    quoted(&who.raw)
                )
            }
            _ => format!("remove it, or record the author in a label: `LABEL {AUTHORS}=\"...\"`"),
        };
        sink.report(
            inst.keyword_span,
            "MAINTAINER is deprecated since Docker 1.13: it only sets the legacy `Author` field, which tools no longer read",
            help,
        )
        .fix = (!ctx.model.is_unjudgeable(index))
            .then(|| as_label(inst, ctx.dockerfile.escape))
            .flatten();
    }
}

/// `LABEL org.opencontainers.image.authors="..."` with MAINTAINER's text. None for a
/// continued line or under `# escape=`` (and, in the caller, for a template placeholder).
fn as_label(inst: &Instruction, escape: char) -> Option<Fix> {
    let InstructionKind::Maintainer(Some(who)) = &inst.kind else {
        return None;
    };
    if escape != '\\' || inst.lines.0 != inst.lines.1 {
        return None;
    }
    Some(Fix {
        description: format!("replace MAINTAINER with `LABEL {AUTHORS}`"),
        edits: vec![
            Edit {
                span: inst.keyword_span,
                replacement: Keyword::Label.spelled_like(&inst.keyword_text),
            },
            Edit {
                span: who.span,
                replacement: format!("{AUTHORS}={}", quoted(&who.raw)),
            },
        ],
        safety: Safety::Safe,
    })
}

/// MAINTAINER's text as a LABEL value: MAINTAINER takes it literally (no unquoting, no
/// variables), so inside the label's double quotes `"`, `$` and `\` are escaped.
fn quoted(text: &str) -> String {
    let mut value = String::from('"');
    for c in text.chars() {
        if matches!(c, '"' | '$' | '\\') {
            value.push('\\');
        }
        value.push(c);
    }
    value.push('"');
    value
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn the_label_holds_the_text_as_written() {
        assert_eq!(
            fixed(
                "DD701",
                "FROM alpine:3.22\nmaintainer  \"ops\" <a\\b@$HOST>\n"
            ),
            "FROM alpine:3.22\nlabel  org.opencontainers.image.authors=\"\\\"ops\\\" <a\\\\b@\\$HOST>\"\n"
        );
    }

    #[test]
    fn no_fix_across_lines_or_under_a_backtick_escape() {
        let continued = "FROM alpine:3.22\nMAINTAINER Jane \\\n  Doe\n";
        assert_eq!(fixes("DD701", continued), [None]);
        let backtick = "# escape=`\nFROM alpine:3.22\nMAINTAINER Jane Doe\n";
        assert_eq!(fixes("DD701", backtick), [None]);
    }
}
