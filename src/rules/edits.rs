//! Small builders for the edits rule fixes make, and a test helper that applies them.

use crate::diagnostic::{Edit, Fix, Safety};
use crate::shell::Word;
use crate::span::Span;

/// Whether `word` is written exactly as its value: no quotes, escapes, expansions or
/// continuation lines inside, so text placed next to it lands where the shell reads it.
pub(crate) fn is_literal(source: &str, word: &Word) -> bool {
    !word.quoted
        && !word.has_expansion
        && !word.value.is_empty()
        && source.get(word.span.start()..word.span.end()) == Some(word.value.as_str())
}

/// The edit inserting `text` right after `word`, when the word is literal ([`is_literal`]).
pub(crate) fn insert_after(source: &str, word: &Word, text: &str) -> Option<Edit> {
    is_literal(source, word).then(|| Edit {
        span: Span::empty(word.span.end()),
        replacement: text.to_owned(),
    })
}

/// A fix made of one edit.
pub(crate) fn single(description: impl Into<String>, edit: Edit, safety: Safety) -> Fix {
    Fix {
        description: description.into(),
        edits: vec![edit],
        safety,
    }
}

/// Test helpers: lint or fix a Dockerfile with one rule on.
#[cfg(test)]
pub(crate) mod testing {
    use crate::diagnostic::Fix;
    use crate::engine::{lint, Settings};
    use crate::fix::{fix, Applicability};
    use crate::source::decode;

    fn settings(code: &str) -> Settings {
        let index = crate::rules::find(code).expect("a rule code");
        Settings::only(&[index])
    }

    /// The fix of each finding of rule `code` on `src`.
    pub(crate) fn fixes(code: &str, src: &str) -> Vec<Option<Fix>> {
        lint(&decode(src.as_bytes().to_vec()), &settings(code))
            .findings
            .into_iter()
            .filter(|f| f.code == code)
            .map(|f| f.fix)
            .collect()
    }

    /// What `--unsafe-fixes` with rule `code` alone makes of `src`.
    pub(crate) fn fixed(code: &str, src: &str) -> String {
        let outcome = fix(
            src.as_bytes(),
            &settings(code),
            crate::engine::Inputs::default(),
            Applicability::Unsafe,
        );
        String::from_utf8(outcome.bytes).expect("UTF-8")
    }
}
