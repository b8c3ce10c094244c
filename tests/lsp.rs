//! `drydock lsp` driven over stdio with framed JSON-RPC messages, as an editor would.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// How long any single answer may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A Dockerfile with three findings; line 3 has a 4-byte, 2-UTF-16-unit character before one.
const DOCKERFILE: &str = "# drydock ignore=DD407\nFROM ubuntu:latest\nRUN echo \"\u{1F600}\" && apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nMAINTAINER me\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(offer_utf8: bool, dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_drydock"))
            .arg("lsp")
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start drydock lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 0,
        };
        let mut general = json!({});
        if offer_utf8 {
            general = json!({ "positionEncodings": ["utf-8", "utf-16"] });
        }
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": general,
                    "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
                    "textDocument": { "publishDiagnostics": { "relatedInformation": true } }
                }
            }),
        );
        let caps = &result["capabilities"];
        let expected = if offer_utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(caps["positionEncoding"], expected);
        assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
        assert_eq!(caps["hoverProvider"], true);
        assert_eq!(
            caps["codeActionProvider"]["codeActionKinds"],
            json!(["quickfix"])
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Send a request and wait for its response (answering the server's own requests).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let m = self.next_message();
            if m["id"] == id && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method} failed: {m}");
                return m["result"].clone();
            }
        }
    }

    fn next_message(&mut self) -> Value {
        let m = self
            .messages
            .recv_timeout(TIMEOUT)
            .expect("the server answered in time");
        if m.get("method").is_some() && m.get("id").is_some() {
            // A server request (client/registerCapability): accept it.
            let reply = json!({ "jsonrpc": "2.0", "id": m["id"], "result": null });
            self.send(&reply);
        }
        m
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let m = self.next_message();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"].clone();
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        assert_eq!(wait(&mut self.child), Some(0));
    }
}

/// `(code, [start line, start char, end line, end char])` of each diagnostic.
fn summary(params: &Value) -> Vec<(String, [u64; 4])> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let r = &d["range"];
            let n = |v: &Value| v.as_u64().unwrap();
            (
                d["code"].as_str().unwrap().to_owned(),
                [
                    n(&r["start"]["line"]),
                    n(&r["start"]["character"]),
                    n(&r["end"]["line"]),
                    n(&r["end"]["character"]),
                ],
            )
        })
        .collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("drydock-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    dir
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn diagnostics_follow_incremental_edits_in_utf16() {
    let dir = temp_dir("utf16");
    let path = dir.join("Dockerfile");
    std::fs::write(&path, DOCKERFILE).unwrap();
    let uri = file_uri(&path);
    let mut client = Client::start(false, &dir);
    let params = client.open(&uri, DOCKERFILE);
    assert_eq!(params["version"], 1);
    assert_eq!(
        summary(&params),
        vec![
            ("DD102".into(), [1, 12, 1, 18]),
            ("DD208".into(), [2, 43, 2, 50]),
            ("DD701".into(), [3, 0, 3, 10]),
        ]
    );
    let d = &params["diagnostics"][0];
    assert_eq!(d["source"], "drydock");
    assert_eq!(d["severity"], 2);
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .contains("DD102"));
    assert!(d["message"].as_str().unwrap().contains("\nhelp: "), "{d}");
    assert_eq!(params["diagnostics"][1]["severity"], 3, "info");

    // Two edits in a row: only the last version is linted. The first inserts a character
    // after the emoji (UTF-16 column 12), the second deletes the MAINTAINER line.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 2, "character": 12 },
                                            "end": { "line": 2, "character": 12 } },
                                 "text": "!" }]
        }),
    );
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 3 },
            "contentChanges": [{ "range": { "start": { "line": 3, "character": 0 },
                                            "end": { "line": 4, "character": 0 } },
                                 "text": "" }]
        }),
    );
    let params = client.diagnostics(&uri);
    assert_eq!(params["version"], 3, "debounced: version 2 is never linted");
    assert_eq!(
        summary(&params),
        vec![
            ("DD102".into(), [1, 12, 1, 18]),
            ("DD208".into(), [2, 44, 2, 51]),
        ]
    );

    // The ignore actions for DD102.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 1, "character": 14 }, "end": { "line": 1, "character": 14 } },
            "context": { "diagnostics": [] }
        }),
    );
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Ignore DD102 for this instruction",
            "Ignore DD102 in this file"
        ]
    );
    let here = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(here["newText"], "# drydock ignore=DD102\n");
    assert_eq!(here["range"]["start"], json!({ "line": 1, "character": 0 }));
    assert_eq!(here["range"]["end"], json!({ "line": 1, "character": 0 }));
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["diagnostics"][0]["code"], "DD102");
    let file = &actions[1]["edit"]["changes"][&uri][0];
    assert_eq!(file["newText"], "# drydock ignore-file=DD102\n");
    assert_eq!(file["range"]["start"], json!({ "line": 0, "character": 0 }));

    // DD208's own fix comes first (unsafe: labelled, not preferred), in UTF-16 columns
    // after the emoji, then the ignore actions.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 2, "character": 46 }, "end": { "line": 2, "character": 46 } },
            "context": { "diagnostics": [] }
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(
        actions[0]["title"],
        "add `--no-install-recommends` (unsafe)"
    );
    assert_eq!(actions[0]["isPreferred"], Value::Null);
    assert_eq!(
        actions[0]["edit"]["changes"][&uri],
        json!([{ "range": { "start": { "line": 2, "character": 51 }, "end": { "line": 2, "character": 51 } },
                 "newText": " --no-install-recommends" }])
    );
    assert_eq!(actions[1]["title"], "Ignore DD208 for this instruction");

    // Hover on the code of a suppression comment, and on a diagnostic.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 19 } }),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("DD407 final-user-missing\n"), "{text}");
    assert!(text.contains("## Why"), "{text}");
    assert_eq!(
        hover["range"],
        json!({ "start": { "line": 0, "character": 17 }, "end": { "line": 0, "character": 22 } })
    );
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 15 } }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("DD102 base-image-latest\n"), "{text}");
    let none = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 2 } }),
    );
    assert_eq!(none, Value::Null);

    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let params = client.diagnostics(&uri);
    assert_eq!(params["diagnostics"], json!([]));
    client.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let dir = temp_dir("utf8");
    let uri = file_uri(&dir.join("Dockerfile"));
    let mut client = Client::start(true, &dir);
    let params = client.open(&uri, DOCKERFILE);
    assert_eq!(
        summary(&params),
        vec![
            ("DD102".into(), [1, 12, 1, 18]),
            ("DD208".into(), [2, 45, 2, 52]),
            ("DD701".into(), [3, 0, 3, 10]),
        ]
    );
    // Byte column 14 is just after the emoji.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 2, "character": 14 },
                                            "end": { "line": 2, "character": 14 } },
                                 "text": "\u{e9}" }]
        }),
    );
    let params = client.diagnostics(&uri);
    assert_eq!(summary(&params)[1], ("DD208".into(), [2, 47, 2, 54]));
    client.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn configuration_is_reloaded_when_it_changes() {
    let dir = temp_dir("config");
    let config = dir.join(".drydock.yaml");
    std::fs::write(&config, "ignore: [DD701]\n").unwrap();
    let sub = dir.join("app");
    std::fs::create_dir_all(&sub).unwrap();
    let path = sub.join("Dockerfile");
    std::fs::write(&path, DOCKERFILE).unwrap();
    let uri = file_uri(&path);
    let mut client = Client::start(false, &dir);
    let codes = |p: &Value| -> Vec<String> { summary(p).into_iter().map(|(c, _)| c).collect() };
    let params = client.open(&uri, DOCKERFILE);
    assert_eq!(codes(&params), ["DD102", "DD208"]);

    std::fs::write(&config, "ignore: [DD102]\n").unwrap();
    let change = json!({ "changes": [{ "uri": file_uri(&config), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", change.clone());
    let params = client.diagnostics(&uri);
    assert_eq!(codes(&params), ["DD208", "DD701"]);

    // A broken configuration is a diagnostic, not a crash; saving the fixed file reloads it.
    std::fs::write(&config, "ignore: [no-such-rule]\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", change);
    let params = loop {
        let m = client.next_message();
        if m["method"] == "window/showMessage" {
            assert_eq!(m["params"]["type"], 1);
            continue;
        }
        if m["method"] == "textDocument/publishDiagnostics" {
            break m["params"].clone();
        }
    };
    assert_eq!(codes(&params), ["config"]);
    let message = params["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("no-such-rule"), "{message}");

    let custom = "ignore: [DD102, DD208, DD701]\ncustom-rules:\n  - id: ACME001\n    name: no-maintainer\n    message: \"no MAINTAINER here\"\n    instruction: maintainer\n";
    std::fs::write(&config, custom).unwrap();
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": file_uri(&config) } }),
    );
    let params = client.diagnostics(&uri);
    assert_eq!(codes(&params), ["ACME001"]);
    assert_eq!(params["diagnostics"][0]["codeDescription"], Value::Null);
    // Hover on a custom rule's diagnostic shows its definition.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 3, "character": 2 } }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("ACME001 no-maintainer\n"), "{text}");
    client.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn malformed_requests_get_errors_not_a_crash() {
    let dir = temp_dir("malformed");
    let mut client = Client::start(false, &dir);
    client.next_id += 1;
    let id = client.next_id;
    client.send(
        &json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
                         "params": { "nonsense": true } }),
    );
    let m = loop {
        let m = client.next_message();
        if m["id"] == id {
            break m;
        }
    };
    assert_eq!(m["error"]["code"], -32602);
    // Unknown notifications and edits of unopened documents are ignored.
    client.notify("textDocument/didChange", json!({ "bogus": 1 }));
    client.notify("$/somethingElse", json!({}));
    client.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn garbage_or_a_missing_shutdown_ends_with_exit_code_1() {
    let dir = temp_dir("garbage");
    let mut client = Client::start(false, &dir);
    client
        .stdin
        .write_all(b"Content-Length: 3\r\n\r\nxyz")
        .unwrap();
    client.stdin.flush().unwrap();
    let status = wait(&mut client.child);
    assert_eq!(status, Some(1));

    let mut client = Client::start(false, &dir);
    client.notify("exit", Value::Null);
    assert_eq!(wait(&mut client.child), Some(1));
    let _ = std::fs::remove_dir_all(dir);
}

/// The exit code of `child`, failing the test if it does not exit in time.
fn wait(child: &mut Child) -> Option<i32> {
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        assert!(std::time::Instant::now() < deadline, "server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}
