//! Snapshot tests: one Dockerfile per BuildKit behaviour in `fixtures/syntax/`, each
//! snapshotted as the JSON view of the Dockerfile layer (the shell model is left out).

use serde_json::Value;

/// Remove every `"shell"` key, recursively, so the snapshots depend only on the
/// Dockerfile layer and not on the shell model.
fn strip_shell(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("shell");
            map.values_mut().for_each(strip_shell);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_shell),
        _ => {}
    }
}

#[test]
fn syntax_fixtures() {
    insta::glob!("../fixtures/syntax", "*.Dockerfile", |path| {
        let bytes = std::fs::read(path).expect("fixture is readable");
        let decoded = drydock::source::decode(bytes);
        let df = drydock::syntax::parse_decoded(&decoded);
        let source = decoded.text;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("fixture name is UTF-8");
        let mut json = drydock::syntax::dump::file_json(name, &source, &df);
        strip_shell(&mut json);
        insta::assert_json_snapshot!(json);
    });
}
