//! Fuzz `drydock::syntax::parse`: bytes → `source::decode` → `syntax::parse` (shell model
//! included). Asserts: no panic, every span inside the source and on char boundaries, and a
//! deterministic result. The span checks are shared with `tests/robustness.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/span_check/mod.rs"]
mod span_check;

fuzz_target!(|data: &[u8]| {
    span_check::check_bytes(data);
});
