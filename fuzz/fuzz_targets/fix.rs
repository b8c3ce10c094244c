//! Fuzz fix application: every rule's fixes (unsafe ones too) applied until stable. Asserts:
//! no panic, the passes settle, no syntax error is added, and fixing the result again changes
//! nothing (a second `--fix` is a no-op).
#![no_main]

use drydock::engine::{Inputs, Settings};
use drydock::fix::{fix, Applicability};
use libfuzzer_sys::fuzz_target;

fn syntax_errors(bytes: &[u8]) -> usize {
    drydock::syntax::parse_decoded(&drydock::source::decode(bytes.to_vec()))
        .diagnostics
        .iter()
        .filter(|d| d.severity == drydock::syntax::DiagnosticSeverity::Error)
        .count()
}

fuzz_target!(|data: &[u8]| {
    let all: Vec<usize> = (0..drydock::rules::metas().len()).collect();
    let settings = Settings::only(&all);
    let first = fix(data, &settings, Inputs::default(), Applicability::Unsafe);
    assert!(!first.unstable, "fixes did not settle: {:?}", first.applied);
    assert!(syntax_errors(&first.bytes) <= syntax_errors(data));
    if first.changed() {
        let again = fix(&first.bytes, &settings, Inputs::default(), Applicability::Unsafe);
        assert!(!again.changed(), "not idempotent: {:?}", again.applied);
    }
});
