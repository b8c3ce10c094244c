//! DD792: `FROM` and `AS` written in different cases.

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::syntax::InstructionKind;

fn case_of(word: &str) -> Option<bool> {
    if word.bytes().all(|b| !b.is_ascii_lowercase()) {
        Some(true)
    } else if word.bytes().all(|b| !b.is_ascii_uppercase()) {
        Some(false)
    } else {
        None
    }
}

/// DD792
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let InstructionKind::From(from) = &inst.kind else {
            continue;
        };
        let Some(as_span) = from.as_span else {
            continue;
        };
        let as_text = as_span.slice(ctx.source);
        let (Some(from_upper), Some(as_upper)) = (case_of(&inst.keyword_text), case_of(as_text))
        else {
            continue;
        };
        if from_upper == as_upper {
            continue;
        }
        let want = if from_upper { "AS" } else { "as" };
        sink.report(
            as_span,
            format!(
                "`{as_text}` does not match the case of `{}`",
                inst.keyword_text
            ),
            format!("write `{want}`"),
        )
        .fix = Some(Fix {
            description: format!("write `{want}`"),
            edits: vec![Edit {
                span: as_span,
                replacement: want.to_owned(),
            }],
            safety: Safety::Safe,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn as_follows_from_and_mixed_case_is_left_to_dd703() {
        let text = "from golang:1.23 AS build\nFROM build \\\n  as test\n";
        assert_eq!(
            fixed("DD792", text),
            "from golang:1.23 as build\nFROM build \\\n  AS test\n"
        );
        assert!(fixes("DD792", "From golang:1.23 as build\n").is_empty());
    }
}
