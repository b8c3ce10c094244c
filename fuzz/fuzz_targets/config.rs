//! Fuzz configuration parsing: bytes → `.drydock.yaml` text → `config::parse` → `resolve`,
//! then a lint with the resolved settings (custom rules with fuzzed regexes and globs).
//! Asserts: no panic; errors carry a position inside the text.
#![no_main]

use std::path::Path;

use drydock::config::{self, Overrides};
use libfuzzer_sys::fuzz_target;

const DOCKERFILE: &str = "FROM alpine:3.22 AS build\nARG V=1\nRUN apk add curl && pip install x\nLABEL a=b\nCOPY --from=build / /\nUSER 1000\nCMD [\"run\"]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("/nonexistent-drydock-fuzz/.drydock.yaml");
    match config::parse(path, text) {
        Ok(c) => {
            if let Ok(resolved) = config::resolve(Some(&c), &Overrides::default()) {
                let decoded = drydock::source::decode(DOCKERFILE.as_bytes().to_vec());
                let _ = drydock::engine::lint(&decoded, &resolved.settings);
            }
        }
        Err(e) => {
            let _ = e.to_string();
            if let Some((line, _)) = e.line_column() {
                assert!(line as usize <= text.lines().count() + 1);
            }
        }
    }
});
