//! Test helpers for rules that offer fixes: what `--unsafe-fixes` makes of a text with one
//! rule on, and the fixes a rule offers.

use crate::diagnostic::Fix;
use crate::engine::{lint, Inputs, Settings};
use crate::fix::{fix, Applicability};
use crate::rules::metas;
use crate::source::decode;

fn only(code: &str) -> Settings {
    let rule = metas().iter().position(|m| m.code == code).unwrap();
    Settings::only(&[rule])
}

/// `text` after every fix (safe and unsafe) of rule `code`.
pub(crate) fn fixed(code: &str, text: &str) -> String {
    let outcome = fix(
        text.as_bytes(),
        &only(code),
        Inputs::default(),
        Applicability::Unsafe,
    );
    String::from_utf8(outcome.bytes).unwrap()
}

/// The fix of each finding of rule `code` in `text`, in order.
pub(crate) fn fixes(code: &str, text: &str) -> Vec<Option<Fix>> {
    let report = lint(&decode(text.as_bytes().to_vec()), &only(code));
    report.findings.into_iter().map(|f| f.fix).collect()
}
