//! Fuzz the whole lint pipeline on one file: bytes → decode → parse → semantic model → every
//! rule (default-off ones too) → suppressions. Asserts: no panic, and every finding's span,
//! label span and fix edit lies inside the text on char boundaries.
#![no_main]

use drydock::engine::{lint, Settings};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let all: Vec<usize> = (0..drydock::rules::metas().len()).collect();
    let settings = Settings::only(&all);
    let decoded = drydock::source::decode(data.to_vec());
    let text = decoded.text.clone();
    let report = lint(&decoded, &settings);
    for f in &report.findings {
        let spans = std::iter::once(f.span)
            .chain(f.labels.iter().map(|l| l.span))
            .chain(f.fix.iter().flat_map(|x| &x.edits).map(|e| e.span));
        for s in spans {
            assert!(
                s.start() <= s.end()
                    && s.end() <= text.len()
                    && text.is_char_boundary(s.start())
                    && text.is_char_boundary(s.end()),
                "{}: bad span {s:?}",
                f.code
            );
        }
    }
});
