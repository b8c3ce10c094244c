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

/// The shell model's view of each fixture: for every instruction with shell text, the
/// text handed to the shell and the commands (argv with spans in file coordinates).
fn shell_view(json: &Value) -> Value {
    let mut out = Vec::new();
    let instructions = json["instructions"].as_array().cloned().unwrap_or_default();
    for inst in instructions {
        let target = if inst["keyword"] == "ONBUILD" {
            inst["trigger"].clone()
        } else {
            inst.clone()
        };
        if target["shell"].is_null() && target["shell_skipped"].is_null() {
            continue;
        }
        out.push(serde_json::json!({
            "keyword": target["keyword"],
            "line": inst["span"]["start"]["line"],
            "shell_text": target["shell_text"],
            "shell_skipped": target["shell_skipped"],
            "shell": target["shell"],
        }));
    }
    Value::Array(out)
}

#[test]
fn shell_fixtures() {
    insta::glob!("../fixtures/syntax", "*.Dockerfile", |path| {
        let bytes = std::fs::read(path).expect("fixture is readable");
        let decoded = drydock::source::decode(bytes);
        let df = drydock::syntax::parse_decoded(&decoded);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("fixture name is UTF-8");
        let json = drydock::syntax::dump::file_json(name, &decoded.text, &df);
        insta::assert_json_snapshot!(shell_view(&json));
    });
}
