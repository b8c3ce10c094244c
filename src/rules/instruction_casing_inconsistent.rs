//! DD703: an instruction keyword whose case differs from the others (or is mixed).

use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::syntax::Keyword;

/// DD703
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let known = || {
        ctx.dockerfile
            .instructions
            .iter()
            .filter(|i| i.keyword != Keyword::Unknown)
    };
    let upper = known()
        .filter(|i| !i.keyword_text.bytes().any(|b| b.is_ascii_lowercase()))
        .count();
    let lower = known()
        .filter(|i| !i.keyword_text.bytes().any(|b| b.is_ascii_uppercase()))
        .count();
    // The convention of the file is its majority; uppercase, the documented one, on a tie.
    let lowercase_file = lower > upper;
    for inst in known() {
        let text = &inst.keyword_text;
        let is_upper = !text.bytes().any(|b| b.is_ascii_lowercase());
        let is_lower = !text.bytes().any(|b| b.is_ascii_uppercase());
        let expected = if lowercase_file {
            text.to_ascii_lowercase()
        } else {
            text.to_ascii_uppercase()
        };
        let message = if !is_upper && !is_lower {
            format!("`{text}` is in mixed case")
        } else if is_upper == lowercase_file {
            let convention = if lowercase_file {
                "lowercase"
            } else {
                "uppercase"
            };
            format!(
                "`{text}` differs from the other instructions of this file, which are {convention}"
            )
        } else {
            continue;
        };
        let fix = Fix {
            description: format!("write `{expected}`"),
            edits: vec![Edit {
                span: inst.keyword_span,
                replacement: expected.clone(),
            }],
            safety: Safety::Safe,
        };
        sink.report(inst.keyword_span, message, format!("write `{expected}`"))
            .fix = Some(fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::fixed;

    #[test]
    fn keywords_follow_the_majority_and_only_keywords_change() {
        let text = "from alpine:3.22\nRun echo \\\n  RUN\nCOPY a b\nrun true\n";
        assert_eq!(
            fixed("DD703", text),
            "from alpine:3.22\nrun echo \\\n  RUN\ncopy a b\nrun true\n"
        );
    }
}
