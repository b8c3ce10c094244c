//! Span invariants shared by `tests/robustness.rs`, `tests/pathological.rs` and the fuzz
//! target (`fuzz/fuzz_targets/parse.rs` includes this file by path).
//!
//! Every span the parser produces — instructions, keywords, flags, words, pairs, heredocs,
//! comments, directives, diagnostics, variable references, image parts and the shell model's
//! commands, words and redirects — must lie inside the source and start and end on a char
//! boundary, so that slicing the source with it can never panic.

#![allow(dead_code)]

use drydock::shell::{Redirect, Script};
use drydock::span::Span;
use drydock::syntax::{CommandLine, Dockerfile, Healthcheck, Instruction, InstructionKind, Word};

/// Collects span violations instead of panicking at the first, so a failure shows them all.
pub(crate) struct Checker<'a> {
    source: &'a str,
    /// The span of the instruction being checked: all its token spans must lie inside it.
    within: Option<Span>,
    pub(crate) errors: Vec<String>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Checker {
            source,
            within: None,
            errors: Vec::new(),
        }
    }

    pub(crate) fn span(&mut self, what: &str, span: Span) {
        let (s, e) = (span.start(), span.end());
        if s > e {
            self.errors.push(format!("{what}: start {s} > end {e}"));
        } else if e > self.source.len() {
            self.errors.push(format!(
                "{what}: {s}..{e} past the end of the source ({} bytes)",
                self.source.len()
            ));
        } else if !self.source.is_char_boundary(s) || !self.source.is_char_boundary(e) {
            self.errors
                .push(format!("{what}: {s}..{e} not on a char boundary"));
        } else if let Some(w) = self.within {
            if s < w.start() || e > w.end() {
                self.errors.push(format!(
                    "{what}: {s}..{e} outside its instruction {}..{}",
                    w.start(),
                    w.end()
                ));
            }
        }
    }

    fn word(&mut self, what: &str, w: &Word) {
        self.span(what, w.span);
    }

    fn words(&mut self, what: &str, ws: &[Word]) {
        for w in ws {
            self.word(what, w);
        }
    }

    pub(crate) fn dockerfile(&mut self, df: &Dockerfile) {
        for d in &df.directives {
            self.span("directive", d.span);
            self.span("directive name", d.name_span);
            self.span("directive value", d.value_span);
        }
        for c in &df.comments {
            self.span("comment", c.span);
            self.span("comment text", c.text_span);
        }
        for d in &df.diagnostics {
            self.span(&format!("diagnostic {}", d.code), d.span);
        }
        let mut prev_end = 0;
        for inst in &df.instructions {
            if inst.span.start() < prev_end {
                self.errors.push(format!(
                    "instruction {:?} at {:?} overlaps the previous one (ends at {prev_end})",
                    inst.keyword, inst.span
                ));
            }
            prev_end = inst.span.end();
            let (a, b) = inst.leading_comments;
            if a > b || b as usize > df.comments.len() {
                self.errors
                    .push(format!("leading comments {a}..{b} out of range"));
            }
            self.instruction(inst);
        }
    }

    pub(crate) fn instruction(&mut self, inst: &Instruction) {
        self.span("instruction", inst.span);
        // Tokens must lie within the instruction's lines (trailing blanks, the line ending and
        // an unterminated heredoc's empty body at the end of the file may follow its span).
        let line_end = self
            .source
            .get(inst.span.end()..)
            .and_then(|rest| rest.find('\n'))
            .map_or(self.source.len(), |n| inst.span.end() + n + 1);
        let outer = self
            .within
            .replace(Span::new(inst.span.start(), line_end.max(inst.span.end())));
        self.span("keyword", inst.keyword_span);
        self.span("args", inst.args_span);
        if inst.lines.0 > inst.lines.1 {
            self.errors
                .push(format!("instruction lines {:?}", inst.lines));
        }
        if !inst.logical.is_empty() {
            // The logical line keeps trailing blanks that the instruction span leaves out.
            let within = self.within.take();
            self.span("logical text", inst.logical.file_span());
            self.within = within;
        }
        for f in &inst.flags {
            self.span("flag", f.span);
            self.span("flag name", f.name_span);
            if let Some(v) = f.value_span {
                self.span("flag value", v);
            }
        }
        for h in &inst.heredocs {
            self.span("heredoc marker", h.marker_span);
            self.span("heredoc body", h.body_span);
            if let Some(t) = h.terminator_span {
                self.span("heredoc terminator", t);
            }
        }
        for v in &inst.vars {
            self.span("var ref", v.span);
            self.span("var name", v.name_span);
        }
        match &inst.kind {
            InstructionKind::From(f) => {
                if let Some(img) = &f.image {
                    self.span("image", img.span);
                    self.span("image path", img.path.span);
                    for p in [&img.registry, &img.tag, &img.digest].into_iter().flatten() {
                        self.span("image part", p.span);
                    }
                }
                if let Some(s) = f.as_span {
                    self.span("AS", s);
                }
                if let Some(a) = &f.alias {
                    self.word("stage alias", a);
                }
            }
            InstructionKind::Run(c)
            | InstructionKind::Cmd(c)
            | InstructionKind::Entrypoint(c)
            | InstructionKind::Shell(c) => self.command_line(c),
            InstructionKind::Healthcheck(h) => match h {
                Healthcheck::None { span } => self.span("healthcheck none", *span),
                Healthcheck::Cmd { cmd_span, command } => {
                    self.span("healthcheck CMD", *cmd_span);
                    self.command_line(command);
                }
                Healthcheck::Invalid => {}
            },
            InstructionKind::Copy(c) | InstructionKind::Add(c) => {
                self.words("copy source", &c.sources);
                if let Some(d) = &c.dest {
                    self.word("copy dest", d);
                }
            }
            InstructionKind::Env(kvs) | InstructionKind::Label(kvs) => {
                for kv in kvs {
                    self.span("pair", kv.span);
                    self.word("pair key", &kv.key);
                    self.word("pair value", &kv.value);
                }
            }
            InstructionKind::Arg(args) => {
                for a in args {
                    self.span("arg", a.span);
                    self.word("arg name", &a.name);
                    if let Some(d) = &a.default {
                        self.word("arg default", d);
                    }
                }
            }
            InstructionKind::Expose(ws) | InstructionKind::Unknown(ws) => self.words("word", ws),
            InstructionKind::Volume(p) => self.words("volume", &p.paths),
            InstructionKind::User(w)
            | InstructionKind::Workdir(w)
            | InstructionKind::Stopsignal(w)
            | InstructionKind::Maintainer(w) => {
                if let Some(w) = w {
                    self.word("word", w);
                }
            }
            InstructionKind::Onbuild(inner) => {
                if let Some(inner) = inner {
                    self.instruction(inner);
                }
            }
        }
        self.within = outer;
    }

    fn command_line(&mut self, c: &CommandLine) {
        match c {
            CommandLine::Exec(e) => {
                self.span("exec form", e.span);
                self.words("exec arg", &e.args);
            }
            CommandLine::Shell(s) => {
                self.span("shell form", s.span);
                if !s.text.is_empty() {
                    self.span("shell text", s.text.file_span());
                }
                if let Some(script) = &s.script {
                    self.script(script);
                }
            }
        }
    }

    fn redirect(&mut self, r: &Redirect) {
        self.span("shell redirect", r.span);
        if let Some(t) = &r.target {
            self.span("shell redirect target", t.span);
        }
        if let Some(b) = r.heredoc_body {
            self.span("shell heredoc body", b);
        }
    }

    pub(crate) fn script(&mut self, script: &Script) {
        for c in &script.commands {
            self.span("shell command", c.span);
            for w in c.assignments.iter().chain(&c.words) {
                self.span("shell word", w.span);
            }
            for r in &c.redirects {
                self.redirect(r);
            }
        }
        for r in &script.compound_redirects {
            self.redirect(r);
        }
        for i in &script.issues {
            self.span("shell issue", i.span);
        }
    }
}

/// Check every span of `df` (parsed from `source`); returns the violations.
pub(crate) fn violations(source: &str, df: &Dockerfile) -> Vec<String> {
    let mut c = Checker::new(source);
    c.dockerfile(df);
    c.errors
}

/// Parse `source` twice (determinism), check all spans and resolve every diagnostic's
/// location; panics with the input on any violation.
pub(crate) fn check_source(source: &str) -> Dockerfile {
    let df = drydock::syntax::parse(source);
    let errors = violations(source, &df);
    assert!(
        errors.is_empty(),
        "span violations for input {source:?}:\n{}",
        errors.join("\n")
    );
    let again = drydock::syntax::parse(source);
    assert!(
        format!("{df:?}") == format!("{again:?}"),
        "parse is not deterministic for input {source:?}"
    );
    let index = drydock::span::LineIndex::new(source);
    for d in &df.diagnostics {
        let _ = index.location(source, d.span);
    }
    df
}

/// The same for raw bytes: decode first (invalid UTF-8 keeps its offsets).
pub(crate) fn check_bytes(bytes: &[u8]) -> Dockerfile {
    let decoded = drydock::source::decode(bytes.to_vec());
    assert_eq!(decoded.text.len(), bytes.len(), "decode changed the length");
    check_source(&decoded.text)
}
