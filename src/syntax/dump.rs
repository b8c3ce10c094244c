//! A JSON view of the syntax tree, used by `drydock parse` and by snapshot tests.
//! Every span is shown as start/end line, column and byte offset.

use serde_json::{json, Map, Value};

use crate::shell::{Command, Script};
use crate::span::{LineIndex, Span};

use super::{
    CommandLine, Dockerfile, Flag, Healthcheck, Heredoc, ImageRef, Instruction, InstructionKind,
    Word,
};

/// Renders spans of one source file.
struct View<'a> {
    source: &'a str,
    index: LineIndex,
}

impl View<'_> {
    fn span(&self, span: Span) -> Value {
        let loc = self.index.location(self.source, span);
        json!({
            "start": {"line": loc.start.line, "column": loc.start.column, "offset": loc.start.offset},
            "end": {"line": loc.end.line, "column": loc.end.column, "offset": loc.end.offset},
        })
    }

    fn word(&self, w: &Word) -> Value {
        json!({"text": w.raw, "value": w.value, "span": self.span(w.span)})
    }

    fn words(&self, ws: &[Word]) -> Value {
        Value::Array(ws.iter().map(|w| self.word(w)).collect())
    }

    fn flag(&self, f: &Flag) -> Value {
        json!({
            "name": f.name,
            "value": f.value,
            "span": self.span(f.span),
            "name_span": self.span(f.name_span),
            "value_span": f.value_span.map(|s| self.span(s)),
        })
    }

    fn heredoc(&self, h: &Heredoc) -> Value {
        json!({
            "name": h.name,
            "expand": h.expand,
            "chomp": h.chomp,
            "fd": h.fd,
            "marker_span": self.span(h.marker_span),
            "body": h.content(self.source),
            "body_span": self.span(h.body_span),
            "terminator_span": h.terminator_span.map(|s| self.span(s)),
        })
    }

    fn image(&self, image: &ImageRef) -> Value {
        let part = |p: &Option<super::Part>| {
            p.as_ref()
                .map(|p| json!({"text": p.text, "span": self.span(p.span)}))
        };
        json!({
            "raw": image.raw,
            "span": self.span(image.span),
            "registry": part(&image.registry),
            "path": {"text": image.path.text, "span": self.span(image.path.span)},
            "tag": part(&image.tag),
            "digest": part(&image.digest),
            "has_variables": image.has_variables,
        })
    }

    fn command(&self, c: &Command) -> Value {
        let op = c
            .op_before
            .map(|o| serde_json::to_value(o).unwrap_or(Value::Null));
        json!({
            "op_before": op,
            "context": serde_json::to_value(c.context).unwrap_or(Value::Null),
            "depth": c.depth,
            "negated": c.negated,
            "span": self.span(c.span),
            "assignments": c.assignments.iter().map(|w| json!({"text": w.span.slice(self.source), "span": self.span(w.span)})).collect::<Vec<_>>(),
            "argv": c.words.iter().map(|w| json!({"text": w.span.slice(self.source), "value": w.value, "span": self.span(w.span)})).collect::<Vec<_>>(),
            "redirects": c.redirects.iter().map(|r| json!({
                "op": serde_json::to_value(r.op).unwrap_or(Value::Null),
                "fd": r.fd,
                "target": r.target.as_ref().map(|t| t.value.clone()),
                "span": self.span(r.span),
            })).collect::<Vec<_>>(),
        })
    }

    fn script(&self, s: &Script) -> Value {
        json!({
            "commands": s.commands.iter().map(|c| self.command(c)).collect::<Vec<_>>(),
            "issues": s.issues.iter().map(|i| json!({"message": i.message, "span": self.span(i.span)})).collect::<Vec<_>>(),
        })
    }

    fn command_line(&self, c: &CommandLine, out: &mut Map<String, Value>) {
        match c {
            CommandLine::Exec(e) => {
                out.insert("form".into(), "exec".into());
                out.insert("arguments".into(), self.words(&e.args));
            }
            CommandLine::Shell(s) => {
                out.insert("form".into(), "shell".into());
                out.insert("shell_text".into(), s.text.as_str().into());
                if s.looks_like_json {
                    out.insert("looks_like_json".into(), true.into());
                }
                if let Some(reason) = s.skip_reason {
                    out.insert("shell_skipped".into(), reason.into());
                }
                if let Some(script) = &s.script {
                    out.insert("shell".into(), self.script(script));
                }
            }
        }
    }

    fn instruction(&self, df: &Dockerfile, inst: &Instruction) -> Value {
        let mut out = Map::new();
        out.insert("keyword".into(), inst.keyword.as_str().into());
        out.insert("keyword_text".into(), inst.keyword_text.clone().into());
        out.insert("span".into(), self.span(inst.span));
        out.insert("keyword_span".into(), self.span(inst.keyword_span));
        out.insert("args_span".into(), self.span(inst.args_span));
        if !inst.flags.is_empty() {
            let flags = inst.flags.iter().map(|f| self.flag(f)).collect();
            out.insert("flags".into(), Value::Array(flags));
        }
        self.kind(df, &inst.kind, &mut out);
        if !inst.heredocs.is_empty() {
            let docs = inst.heredocs.iter().map(|h| self.heredoc(h)).collect();
            out.insert("heredocs".into(), Value::Array(docs));
        }
        if !inst.vars.is_empty() {
            let vars = inst
                .vars
                .iter()
                .map(|v| {
                    json!({"name": v.name, "modifier": v.modifier, "word": v.word, "span": self.span(v.span)})
                })
                .collect();
            out.insert("vars".into(), Value::Array(vars));
        }
        let comments = df.leading_comments(inst);
        if !comments.is_empty() {
            let texts = comments
                .iter()
                .map(|c| Value::from(c.text.clone()))
                .collect();
            out.insert("comments".into(), Value::Array(texts));
        }
        Value::Object(out)
    }

    fn kind(&self, df: &Dockerfile, kind: &InstructionKind, out: &mut Map<String, Value>) {
        match kind {
            InstructionKind::From(f) => {
                if let Some(image) = &f.image {
                    out.insert("image".into(), self.image(image));
                }
                if let Some(alias) = &f.alias {
                    out.insert("stage_name".into(), self.word(alias));
                }
            }
            InstructionKind::Run(c)
            | InstructionKind::Cmd(c)
            | InstructionKind::Entrypoint(c)
            | InstructionKind::Shell(c) => self.command_line(c, out),
            InstructionKind::Healthcheck(h) => match h {
                Healthcheck::None { .. } => {
                    out.insert("healthcheck".into(), "none".into());
                }
                Healthcheck::Cmd { command, .. } => {
                    out.insert("healthcheck".into(), "cmd".into());
                    self.command_line(command, out);
                }
                Healthcheck::Invalid => {
                    out.insert("healthcheck".into(), "invalid".into());
                }
            },
            InstructionKind::Copy(c) | InstructionKind::Add(c) => {
                out.insert("form".into(), if c.json { "json" } else { "words" }.into());
                out.insert("sources".into(), self.words(&c.sources));
                out.insert(
                    "destination".into(),
                    c.dest.as_ref().map_or(Value::Null, |d| self.word(d)),
                );
            }
            InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => {
                let pairs = pairs
                    .iter()
                    .map(|p| {
                        json!({"key": self.word(&p.key), "value": self.word(&p.value), "legacy": p.legacy, "span": self.span(p.span)})
                    })
                    .collect();
                out.insert("pairs".into(), Value::Array(pairs));
            }
            InstructionKind::Arg(decls) => {
                let decls = decls
                    .iter()
                    .map(|d| {
                        json!({"name": self.word(&d.name), "default": d.default.as_ref().map(|w| self.word(w)), "span": self.span(d.span)})
                    })
                    .collect();
                out.insert("args".into(), Value::Array(decls));
            }
            InstructionKind::Expose(ws) | InstructionKind::Unknown(ws) => {
                out.insert("arguments".into(), self.words(ws));
            }
            InstructionKind::Volume(v) => {
                out.insert("form".into(), if v.json { "json" } else { "words" }.into());
                out.insert("arguments".into(), self.words(&v.paths));
            }
            InstructionKind::User(w)
            | InstructionKind::Workdir(w)
            | InstructionKind::Stopsignal(w)
            | InstructionKind::Maintainer(w) => {
                out.insert(
                    "argument".into(),
                    w.as_ref().map_or(Value::Null, |w| self.word(w)),
                );
            }
            InstructionKind::Onbuild(inner) => {
                out.insert(
                    "trigger".into(),
                    inner
                        .as_ref()
                        .map_or(Value::Null, |i| self.instruction(df, i)),
                );
            }
        }
    }
}

/// The JSON view of one parsed file.
#[must_use]
pub fn file_json(path: &str, source: &str, df: &Dockerfile) -> Value {
    let view = View {
        source,
        index: LineIndex::new(source),
    };
    json!({
        "path": path,
        "bom": df.has_bom,
        "escape": df.escape.to_string(),
        "directives": df.directives.iter().map(|d| json!({
            "name": d.name, "value": d.value, "span": view.span(d.span),
        })).collect::<Vec<_>>(),
        "instructions": df.instructions.iter().map(|i| view.instruction(df, i)).collect::<Vec<_>>(),
        "comments": df.comments.iter().map(|c| json!({
            "text": c.text, "in_continuation": c.in_continuation, "span": view.span(c.span),
        })).collect::<Vec<_>>(),
        "diagnostics": df.diagnostics.iter().map(|d| json!({
            "code": d.code,
            "severity": d.severity.as_str(),
            "message": d.message,
            "help": d.help,
            "span": view.span(d.span),
        })).collect::<Vec<_>>(),
    })
}
