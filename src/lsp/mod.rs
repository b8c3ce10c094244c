//! `drydock lsp`: a language server over stdio (diagnostics, quick fixes, ignore actions,
//! hover with rule documentation). The stdio transport lives here, in the binary.

mod convert;
mod documents;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use drydock::config::{self, Resolved};
use drydock::date::Date;
use drydock::diagnostic::{Finding, Fix, Safety};
use drydock::engine;
use drydock::source::Decoded;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types as lt;
use serde_json::Value;

use crate::cli::settings::{Overrides, Resolver, SettingsSource};
use convert::{Encoding, Lines};
use documents::Document;

/// Why the server stops when the client goes away without `shutdown` and `exit`.
const CLOSED: &str = "the connection closed before `shutdown` and `exit`";

/// How long a document must stay unchanged before it is linted again.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Run the server on stdin/stdout until `exit`; the result is the process exit code (1 when
/// the client leaves without `shutdown`, as the protocol asks).
pub(crate) fn run() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(()) => 0,
        Err(e) => {
            crate::cli::report_error(&format!("lsp: {e}"));
            1
        }
    };
    drop(connection);
    let _ = io_threads.join();
    code
}

fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: lt::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::negotiate(&params);
    let result = lt::InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(lt::ServerInfo {
            name: "drydock".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, encoding);
    if watch_supported(&params) {
        server.register_watcher();
    }
    server.main_loop()
}

fn capabilities(encoding: Encoding) -> lt::ServerCapabilities {
    lt::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lt::TextDocumentSyncCapability::Options(
            lt::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lt::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lt::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
        code_action_provider: Some(lt::CodeActionProviderCapability::Options(
            lt::CodeActionOptions {
                code_action_kinds: Some(vec![lt::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// Whether the client lets the server register file watchers.
fn watch_supported(params: &lt::InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    today: Date,
    resolver: Option<Resolver>,
    documents: HashMap<String, Document>,
    /// Documents waiting to be linted, and when.
    pending: HashMap<String, Instant>,
    /// Configuration errors already shown as a window message since the last reload.
    shown: std::collections::HashSet<String>,
    next_request: i32,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, encoding: Encoding) -> Self {
        let today = crate::cli::check::resolve_today(None).unwrap_or_else(|_| Date::today());
        Server {
            connection,
            encoding,
            today,
            resolver: None,
            documents: HashMap::new(),
            pending: HashMap::new(),
            shown: std::collections::HashSet::new(),
            next_request: 0,
        }
    }

    fn main_loop(&mut self) -> Result<(), String> {
        loop {
            let message = match self.pending.values().min().copied() {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.connection.receiver.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(crossbeam_timeout) if crossbeam_timeout.is_timeout() => None,
                        Err(_) => return Err(CLOSED.into()),
                    }
                }
                None => match self.connection.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Err(CLOSED.into()),
                },
            };
            match message {
                None => self.lint_due(),
                Some(Message::Request(req)) => {
                    if self
                        .connection
                        .handle_shutdown(&req)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    self.request(req);
                }
                Some(Message::Notification(n)) => {
                    if n.method == "exit" {
                        return Err("`exit` without `shutdown`".into());
                    }
                    self.notification(n);
                }
                Some(Message::Response(_)) => {}
            }
        }
    }

    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }

    fn notify<P: serde::Serialize>(&self, method: &str, params: P) {
        self.send(Message::Notification(Notification::new(
            method.to_owned(),
            params,
        )));
    }

    fn register_watcher(&mut self) {
        let options = lt::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lt::FileSystemWatcher {
                glob_pattern: lt::GlobPattern::String("**/.drydock.{yaml,yml}".into()),
                kind: None,
            }],
        };
        let params = lt::RegistrationParams {
            registrations: vec![lt::Registration {
                id: "drydock-config".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(format!("drydock-{}", self.next_request)),
            "client/registerCapability".into(),
            params,
        )));
    }

    fn request(&mut self, req: Request) {
        let result = match req.method.as_str() {
            "textDocument/codeAction" => serde_json::from_value(req.params)
                .map(|p| serde_json::to_value(self.code_actions(&p)).unwrap_or(Value::Null)),
            "textDocument/hover" => serde_json::from_value(req.params)
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or(Value::Null)),
            _ => {
                self.send(Message::Response(Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("unsupported request `{}`", req.method),
                )));
                return;
            }
        };
        let response = match result {
            Ok(value) => Response::new_ok(req.id, value),
            Err(e) => Response::new_err(
                req.id,
                lsp_server::ErrorCode::InvalidParams as i32,
                e.to_string(),
            ),
        };
        self.send(Message::Response(response));
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<lt::DidOpenTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri.as_str().to_owned();
                    let doc = Document::new(&uri, p.text_document.text, p.text_document.version);
                    self.documents.insert(uri.clone(), doc);
                    self.lint(&uri);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<lt::DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri.as_str().to_owned();
                    if let Some(doc) = self.documents.get_mut(&uri) {
                        doc.apply(&p.content_changes, self.encoding);
                        doc.version = p.text_document.version;
                        self.pending.insert(uri, Instant::now() + DEBOUNCE);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<lt::DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.documents.remove(uri.as_str());
                    self.pending.remove(uri.as_str());
                    self.publish(uri, Vec::new(), None);
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<lt::DidSaveTextDocumentParams>(n.params) {
                    if is_config(p.text_document.uri.as_str()) {
                        self.reload();
                    }
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(p) = serde_json::from_value::<lt::DidChangeWatchedFilesParams>(n.params) {
                    if p.changes.iter().any(|c| is_config(c.uri.as_str())) {
                        self.reload();
                    }
                }
            }
            _ => {}
        }
    }

    /// Forget every loaded configuration and lint the open documents again.
    fn reload(&mut self) {
        self.resolver = None;
        self.shown.clear();
        let uris: Vec<String> = self.documents.keys().cloned().collect();
        for uri in uris {
            self.lint(&uri);
        }
    }

    fn lint_due(&mut self) {
        let now = Instant::now();
        let due: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.lint(&uri);
        }
    }

    /// The settings of the Dockerfile at `path` (`None`: not a file on disk).
    fn settings(&mut self, path: Option<&Path>) -> Result<Resolved, String> {
        let Some(dir) = path.and_then(Path::parent) else {
            let mut r = config::resolve(None, &config::Overrides::default())?;
            r.settings.policy.today = Some(self.today);
            return Ok(r);
        };
        if self.resolver.is_none() {
            let overrides = Overrides {
                today: Some(self.today),
                ..Overrides::default()
            };
            self.resolver = Some(Resolver::new(SettingsSource::Discover, overrides)?);
        }
        match self.resolver.as_mut() {
            Some(r) => r.for_file(dir),
            None => Err("internal error: no settings".into()),
        }
    }

    /// The findings of the open document `uri`, or why it cannot be linted.
    fn findings(&mut self, uri: &str) -> Option<Result<Vec<Finding>, String>> {
        let doc = self.documents.get(uri)?;
        let path = doc.path.clone();
        let text = doc.text.clone();
        Some(self.settings(path.as_deref()).map(|resolved| {
            let decoded = Decoded {
                text,
                invalid: Vec::new(),
            };
            let build = path
                .as_deref()
                .map(drydock::build_context::BuildContext::of_dockerfile);
            engine::lint_in(&decoded, &resolved.settings, build.as_ref()).findings
        }))
    }

    fn lint(&mut self, uri: &str) {
        self.pending.remove(uri);
        if is_config(uri) {
            return;
        }
        let Some(result) = self.findings(uri) else {
            return;
        };
        let Some(doc) = self.documents.get(uri) else {
            return;
        };
        let Ok(lsp_uri) = uri.parse::<lt::Uri>() else {
            return;
        };
        let lines = Lines::new(&doc.text, self.encoding);
        let diagnostics = match result {
            Ok(findings) => findings
                .iter()
                .map(|f| convert::diagnostic(f, &lines, &lsp_uri))
                .collect(),
            Err(message) => {
                if self.shown.insert(message.clone()) {
                    self.notify(
                        "window/showMessage",
                        lt::ShowMessageParams {
                            typ: lt::MessageType::ERROR,
                            message: format!("drydock: {message}"),
                        },
                    );
                }
                vec![convert::config_error(&message)]
            }
        };
        let version = Some(doc.version);
        self.publish(lsp_uri, diagnostics, version);
    }

    fn publish(&self, uri: lt::Uri, diagnostics: Vec<lt::Diagnostic>, version: Option<i32>) {
        self.notify(
            "textDocument/publishDiagnostics",
            lt::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
    }

    fn code_actions(&mut self, p: &lt::CodeActionParams) -> Vec<lt::CodeActionOrCommand> {
        let uri = p.text_document.uri.as_str().to_owned();
        let Some(Ok(findings)) = self.findings(&uri) else {
            return Vec::new();
        };
        let Some(doc) = self.documents.get(&uri) else {
            return Vec::new();
        };
        let lines = Lines::new(&doc.text, self.encoding);
        let start = lines.offset(p.range.start);
        let end = lines.offset(p.range.end);
        let dockerfile = drydock::syntax::parse(&doc.text);
        let mut actions = Vec::new();
        for f in findings
            .iter()
            .filter(|f| f.span.start() <= end && start <= f.span.end())
        {
            let diagnostic = convert::diagnostic(f, &lines, &p.text_document.uri);
            if let Some(fix) = &f.fix {
                actions.push(fix_action(fix, &lines, &p.text_document.uri, &diagnostic));
            }
            let mut action = |title: String, edits: Vec<lt::TextEdit>| {
                actions.push(quickfix(
                    title,
                    edits,
                    &p.text_document.uri,
                    &diagnostic,
                    false,
                ));
            };
            if let Some(edit) = documents::ignore_here(&doc.text, &dockerfile, f) {
                let range = lines.range(edit.span);
                action(
                    format!("Ignore {} for this instruction", f.code),
                    vec![lt::TextEdit {
                        range,
                        new_text: edit.replacement,
                    }],
                );
            }
            let edit = documents::ignore_file(&doc.text, &dockerfile, f.code);
            action(
                format!("Ignore {} in this file", f.code),
                vec![lt::TextEdit {
                    range: lines.range(edit.span),
                    new_text: edit.replacement,
                }],
            );
        }
        actions
    }

    fn hover(&mut self, p: &lt::HoverParams) -> Option<lt::Hover> {
        let uri = p.text_document_position_params.text_document.uri.as_str();
        let doc = self.documents.get(uri)?;
        let lines = Lines::new(&doc.text, self.encoding);
        let offset = lines.offset(p.text_document_position_params.position);
        if let Some((span, index)) = documents::rule_word_at(&doc.text, offset) {
            return Some(hover_for(index, Some(lines.range(span))));
        }
        let uri = uri.to_owned();
        let findings = self.findings(&uri)?.ok()?;
        let doc = self.documents.get(&uri)?;
        let lines = Lines::new(&doc.text, self.encoding);
        let f = findings.iter().find(|f| f.span.contains(offset))?;
        let range = Some(lines.range(f.span));
        if let Some(index) = drydock::rules::find(f.code) {
            return Some(hover_for(index, range));
        }
        // A custom rule of the document's configuration.
        let path = doc.path.clone();
        let resolved = self.settings(path.as_deref()).ok()?;
        let rule = resolved.settings.custom.iter().find(|c| c.code == f.code)?;
        Some(markdown(crate::cli::rules_cmd::explain_custom(rule), range))
    }
}

/// A quick-fix code action editing the document `uri`.
fn quickfix(
    title: String,
    edits: Vec<lt::TextEdit>,
    uri: &lt::Uri,
    diagnostic: &lt::Diagnostic,
    preferred: bool,
) -> lt::CodeActionOrCommand {
    lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
        title,
        kind: Some(lt::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(lt::WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

/// A finding's fix as a quick fix: safe ones preferred, unsafe ones labelled.
fn fix_action(
    fix: &Fix,
    lines: &Lines<'_>,
    uri: &lt::Uri,
    diagnostic: &lt::Diagnostic,
) -> lt::CodeActionOrCommand {
    let edits = fix
        .edits
        .iter()
        .map(|e| lt::TextEdit {
            range: lines.range(e.span),
            new_text: e.replacement.clone(),
        })
        .collect();
    let safe = fix.safety == Safety::Safe;
    let title = if safe {
        fix.description.clone()
    } else {
        format!("{} (unsafe)", fix.description)
    };
    quickfix(title, edits, uri, diagnostic, safe)
}

/// The documentation of built-in rule `index`, as `drydock explain` prints it.
fn hover_for(index: usize, range: Option<lt::Range>) -> lt::Hover {
    let meta = &drydock::rules::metas()[index];
    markdown(crate::cli::rules_cmd::explain_builtin(meta), range)
}

fn markdown(value: String, range: Option<lt::Range>) -> lt::Hover {
    lt::Hover {
        contents: lt::HoverContents::Markup(lt::MarkupContent {
            kind: lt::MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

/// Whether `uri` names a drydock configuration file.
fn is_config(uri: &str) -> bool {
    config::FILE_NAMES
        .iter()
        .any(|n| uri.ends_with(&format!("/{n}")))
}

/// The path of a `file://` URI, percent-decoded.
fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use drydock::diagnostic::{Edit, Severity};
    use drydock::span::Span;

    fn finding(fix: Fix) -> Finding {
        Finding {
            code: "DD701",
            name: "maintainer-deprecated",
            severity: Severity::Warning,
            message: "m".into(),
            help: "h".into(),
            span: Span::new(5, 15),
            labels: Vec::new(),
            fix: Some(fix),
        }
    }

    #[test]
    fn fixes_become_quick_fixes_in_the_negotiated_encoding() {
        // `é` is 2 bytes, 1 UTF-16 unit: the edit after it starts at byte 5, UTF-16 column 4.
        let text = "#\u{e9}x\nMAINTAINER me\n";
        let uri: lt::Uri = "file:///tmp/Dockerfile".parse().unwrap();
        for (safety, encoding, title, preferred, column) in [
            (Safety::Safe, Encoding::Utf16, "use LABEL", Some(true), 3),
            (
                Safety::Unsafe,
                Encoding::Utf8,
                "use LABEL (unsafe)",
                None,
                4,
            ),
        ] {
            let f = finding(Fix {
                description: "use LABEL".into(),
                edits: vec![
                    Edit {
                        span: Span::new(3, 4),
                        replacement: "y".into(),
                    },
                    Edit {
                        span: Span::new(5, 15),
                        replacement: "LABEL maintainer=".into(),
                    },
                ],
                safety,
            });
            let lines = Lines::new(text, encoding);
            let diagnostic = convert::diagnostic(&f, &lines, &uri);
            let lt::CodeActionOrCommand::CodeAction(action) =
                fix_action(f.fix.as_ref().unwrap(), &lines, &uri, &diagnostic)
            else {
                panic!("a code action");
            };
            assert_eq!(action.title, title);
            assert_eq!(action.is_preferred, preferred);
            assert_eq!(action.kind, Some(lt::CodeActionKind::QUICKFIX));
            let edits = &action.edit.unwrap().changes.unwrap()[&uri];
            let pos = lt::Position::new;
            assert_eq!(
                edits,
                &vec![
                    lt::TextEdit {
                        range: lt::Range::new(pos(0, column - 1), pos(0, column)),
                        new_text: "y".into(),
                    },
                    lt::TextEdit {
                        range: lt::Range::new(pos(1, 0), pos(1, 10)),
                        new_text: "LABEL maintainer=".into(),
                    },
                ]
            );
        }
    }

    #[test]
    fn file_uris_are_percent_decoded() {
        assert_eq!(
            uri_path("file:///tmp/my%20dir/Dockerfile"),
            Some(PathBuf::from("/tmp/my dir/Dockerfile"))
        );
        assert_eq!(uri_path("untitled:Untitled-1"), None);
    }
}
