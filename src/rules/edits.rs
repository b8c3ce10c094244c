//! Small builders for the edits rule fixes make, and a test helper that applies them.

use crate::diagnostic::{Edit, Fix, Safety};
use crate::shell::{self, Operator, Word};
use crate::span::Span;
use crate::syntax::Instruction;

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

/// The edit replacing literal `word` ([`is_literal`]) with `text`.
pub(crate) fn replace_word(source: &str, word: &Word, text: &str) -> Option<Edit> {
    is_literal(source, word).then(|| Edit {
        span: word.span,
        replacement: text.to_owned(),
    })
}

/// The commands of a shell-form RUN that is a plain list: top-level simple commands joined
/// by `&&` or `;` only, no heredoc, no `exit` or `exec`, nothing but blanks or a `;` after
/// the last command. `None` for anything else (exec form, pipes, `||`, compound commands,
/// substitutions, a trailing comment...).
fn plain_list<'a>(source: &str, inst: &'a Instruction) -> Option<&'a [shell::Command]> {
    let script = inst.command()?.script()?;
    let plain = |c: &shell::Command| {
        c.depth == 0
            && c.context == shell::Context::TopLevel
            && matches!(c.op_before, None | Some(Operator::AndIf | Operator::Semi))
            // After `exit` or `exec`, an appended command never runs.
            && !c
                .name()
                .is_some_and(|w| matches!(w.value.as_str(), "exit" | "exec" | "return"))
    };
    if !inst.heredocs.is_empty()
        || !script.issues.is_empty()
        || !script.compound_redirects.is_empty()
        || script.commands.is_empty()
        || !script.commands.iter().all(plain)
    {
        return None;
    }
    let last = script.commands.last()?;
    let rest = source.get(last.span.end()..inst.span.end())?.trim();
    (rest.is_empty() || rest == ";").then_some(script.commands.as_slice())
}

/// The edit that appends `command` to the end of a plain-list RUN ([`plain_list`]) with
/// `&&`, repeating the joint before the last command (`\` + newline + indentation) when it is
/// a plain `&&` joint, so that a one-command-per-line RUN gets one more line.
pub(crate) fn append_command(source: &str, inst: &Instruction, command: &str) -> Option<Edit> {
    let commands = plain_list(source, inst)?;
    let last = commands.last()?;
    let joint = match commands.len().checked_sub(2).map(|i| &commands[i]) {
        Some(before) if last.op_before == Some(Operator::AndIf) => {
            let text = source.get(before.span.end()..last.span.start())?;
            plain_joint(text).unwrap_or(" && ").to_owned()
        }
        _ => " && ".to_owned(),
    };
    Some(Edit {
        span: Span::empty(last.span.end()),
        replacement: format!("{}{command}", joint.replace('\r', "")),
    })
}

/// `text` when it is `&&` with blanks and escaped newlines around it, and nothing else
/// (no comment line, no empty line).
fn plain_joint(text: &str) -> Option<&str> {
    let bare = text.replace("\\\r\n", "").replace("\\\n", "");
    (bare.trim_matches([' ', '\t']) == "&&").then_some(text)
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
