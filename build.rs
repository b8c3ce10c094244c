//! Converts the end-of-life database (`rules/data/eol.yaml`) to compact JSON at build time,
//! so the binary parses a few kilobytes of JSON instead of YAML on every run.

use std::path::PathBuf;

fn main() {
    let source = "rules/data/eol.yaml";
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("read rules/data/eol.yaml");
    let mut value: serde_json::Value =
        serde_saphyr::from_str(&text).expect("rules/data/eol.yaml is valid YAML");
    // Only the tests read the vectors, and they read the YAML itself.
    if let Some(map) = value.as_object_mut() {
        map.remove("test_vectors");
        map.remove("reference_normalisation");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("eol.json");
    std::fs::write(out, serde_json::to_string(&value).expect("JSON")).expect("write eol.json");
}
