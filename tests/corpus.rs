//! The real-world corpus (`../shared/corpus`, 4,630 Dockerfiles): the parser never panics,
//! every span it produces lies inside the source on character boundaries, and exactly the
//! files listed in `tests/data/corpus-syntax-errors.tsv` get an error-severity diagnostic.
//!
//! The corpus lives beside the repository and is never copied into it. When it is absent
//! (a plain checkout), the tests print a note and pass without checking anything.

#![allow(clippy::print_stderr, clippy::print_stdout)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use drydock::span::Span;
use drydock::syntax::{
    parse, CommandLine, DiagnosticSeverity, Dockerfile, Healthcheck, Instruction, InstructionKind,
    Word,
};

fn read_source(path: &PathBuf) -> String {
    drydock::source::decode(std::fs::read(path).expect("read corpus file")).text
}

/// Collects every span of a parsed file, with a label saying where it came from.
struct Spans<'a> {
    out: Vec<(String, Span)>,
    /// Words whose span lies on one physical line must slice to exactly their raw text.
    words: Vec<(String, Span, &'a str)>,
    /// Tokens found outside their instruction's span.
    outside: Vec<String>,
}

impl<'a> Spans<'a> {
    fn add(&mut self, what: impl Into<String>, span: Span) {
        self.out.push((what.into(), span));
    }

    fn word(&mut self, what: &str, w: &'a Word) {
        self.add(what, w.span);
        self.words.push((what.to_owned(), w.span, &w.raw));
    }

    fn words(&mut self, what: &str, ws: &'a [Word]) {
        for w in ws {
            self.word(what, w);
        }
    }

    fn command(&mut self, what: &str, c: &'a CommandLine) {
        match c {
            CommandLine::Exec(e) => {
                self.add(format!("{what} exec"), e.span);
                self.words(&format!("{what} exec arg"), &e.args);
            }
            CommandLine::Shell(s) => {
                self.add(format!("{what} shell"), s.span);
                self.add(format!("{what} shell text"), s.text.file_span());
                if let Some(script) = &s.script {
                    for cmd in &script.commands {
                        self.add("shell command", cmd.span);
                        for w in cmd.assignments.iter().chain(&cmd.words) {
                            self.add("shell word", w.span);
                        }
                        for r in &cmd.redirects {
                            self.add("shell redirect", r.span);
                            if let Some(t) = &r.target {
                                self.add("shell redirect target", t.span);
                            }
                            if let Some(b) = r.heredoc_body {
                                self.add("shell heredoc body", b);
                            }
                        }
                    }
                    for issue in &script.issues {
                        self.add("shell issue", issue.span);
                    }
                }
            }
        }
    }

    fn instruction(&mut self, inst: &'a Instruction) {
        let first = self.out.len();
        self.tokens(inst);
        // Every token of an instruction lies inside the instruction's span. Not checked:
        // the logical line (it keeps the raw line's leading and trailing blanks; ONBUILD
        // triggers have none) and an empty shell text (it maps to 0..0).
        for (what, span) in &self.out[first + 1..] {
            let loose =
                what.ends_with(" logical") || (what.ends_with("shell text") && span.is_empty());
            if !loose && (span.start < inst.span.start || span.end > inst.span.end) {
                self.outside.push(format!(
                    "{what} span {}..{} is outside its instruction {}..{}",
                    span.start, span.end, inst.span.start, inst.span.end
                ));
            }
        }
    }

    fn tokens(&mut self, inst: &'a Instruction) {
        let kw = inst.keyword.as_str();
        self.add(format!("{kw} instruction"), inst.span);
        self.add(format!("{kw} keyword"), inst.keyword_span);
        self.add(format!("{kw} args"), inst.args_span);
        self.add(format!("{kw} logical"), inst.logical.file_span());
        for f in &inst.flags {
            self.add(format!("{kw} flag"), f.span);
            self.add(format!("{kw} flag name"), f.name_span);
            if let Some(v) = f.value_span {
                self.add(format!("{kw} flag value"), v);
            }
        }
        for h in &inst.heredocs {
            self.add("heredoc marker", h.marker_span);
            self.add("heredoc body", h.body_span);
            if let Some(t) = h.terminator_span {
                self.add("heredoc terminator", t);
            }
        }
        for v in &inst.vars {
            self.add("var ref", v.span);
            self.add("var name", v.name_span);
        }
        match &inst.kind {
            InstructionKind::From(from) => {
                if let Some(img) = &from.image {
                    self.add("image", img.span);
                    self.add("image path", img.path.span);
                    for p in [&img.registry, &img.tag, &img.digest].into_iter().flatten() {
                        self.add("image part", p.span);
                    }
                }
                if let Some(s) = from.as_span {
                    self.add("FROM as", s);
                }
                if let Some(a) = &from.alias {
                    self.word("FROM alias", a);
                }
            }
            InstructionKind::Run(c)
            | InstructionKind::Cmd(c)
            | InstructionKind::Entrypoint(c)
            | InstructionKind::Shell(c) => self.command(kw, c),
            InstructionKind::Healthcheck(h) => match h {
                Healthcheck::None { span } => self.add("HEALTHCHECK NONE", *span),
                Healthcheck::Cmd { cmd_span, command } => {
                    self.add("HEALTHCHECK CMD", *cmd_span);
                    self.command("HEALTHCHECK", command);
                }
                Healthcheck::Invalid => {}
            },
            InstructionKind::Copy(c) | InstructionKind::Add(c) => {
                self.words(&format!("{kw} source"), &c.sources);
                if let Some(d) = &c.dest {
                    self.word(&format!("{kw} dest"), d);
                }
            }
            InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => {
                for p in pairs {
                    self.add(format!("{kw} pair"), p.span);
                    self.word(&format!("{kw} key"), &p.key);
                    self.word(&format!("{kw} value"), &p.value);
                }
            }
            InstructionKind::Arg(decls) => {
                for d in decls {
                    self.add("ARG decl", d.span);
                    self.word("ARG name", &d.name);
                    if let Some(v) = &d.default {
                        self.word("ARG default", v);
                    }
                }
            }
            InstructionKind::Expose(ws) | InstructionKind::Unknown(ws) => {
                self.words(&format!("{kw} word"), ws);
            }
            InstructionKind::Volume(p) => self.words("VOLUME path", &p.paths),
            InstructionKind::User(w)
            | InstructionKind::Workdir(w)
            | InstructionKind::Stopsignal(w)
            | InstructionKind::Maintainer(w) => {
                if let Some(w) = w {
                    self.word(&format!("{kw} word"), w);
                }
            }
            InstructionKind::Onbuild(inner) => {
                if let Some(inner) = inner {
                    self.instruction(inner);
                }
            }
        }
    }

    fn of(df: &'a Dockerfile) -> Spans<'a> {
        let mut s = Spans {
            out: Vec::new(),
            words: Vec::new(),
            outside: Vec::new(),
        };
        for d in &df.directives {
            s.add("directive", d.span);
            s.add("directive name", d.name_span);
            s.add("directive value", d.value_span);
        }
        for c in &df.comments {
            s.add("comment", c.span);
            s.add("comment text", c.text_span);
        }
        for d in &df.diagnostics {
            s.add(format!("diagnostic {}", d.code), d.span);
        }
        for inst in &df.instructions {
            s.instruction(inst);
        }
        s
    }
}

/// Problems with the spans of one parsed file (empty when all is well).
fn span_problems(source: &str, df: &Dockerfile) -> Vec<String> {
    let spans = Spans::of(df);
    let mut problems = spans.outside.clone();
    for (what, span) in &spans.out {
        if span.start > span.end
            || span.end() > source.len()
            || !source.is_char_boundary(span.start())
            || !source.is_char_boundary(span.end())
        {
            problems.push(format!(
                "{what} span {}..{} is not inside the {}-byte source on char boundaries",
                span.start,
                span.end,
                source.len()
            ));
        }
    }
    for (what, span, raw) in &spans.words {
        let text = span.slice(source);
        if !text.contains('\n') && text != *raw {
            problems.push(format!(
                "{what} span {}..{} slices to {text:?}, but the word is {raw:?}",
                span.start, span.end
            ));
        }
    }
    problems
}

/// The error codes of a parsed file, sorted and deduplicated.
fn error_codes(df: &Dockerfile) -> BTreeSet<&'static str> {
    df.diagnostics
        .iter()
        .filter(|d| d.severity == DiagnosticSeverity::Error)
        .map(|d| d.code)
        .collect()
}

/// `tests/data/corpus-syntax-errors.tsv`: id → (codes, reason).
fn expected_errors() -> BTreeMap<String, (BTreeSet<String>, String)> {
    common::read_tsv("corpus-syntax-errors.tsv", "id<TAB>codes<TAB>reason")
        .into_iter()
        .map(|(id, (codes, reason))| {
            let codes = codes.split(',').map(|c| c.trim().to_owned()).collect();
            (id, (codes, reason))
        })
        .collect()
}

#[test]
fn corpus_parses_with_valid_spans_and_exactly_the_listed_errors() {
    let Some(files) = common::corpus_files("the corpus test") else {
        return;
    };
    let expected = expected_errors();
    let mut panics = Vec::new();
    let mut bad_spans = Vec::new();
    let mut actual: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    let mut warnings: BTreeMap<&'static str, (usize, BTreeSet<String>)> = BTreeMap::new();
    let mut errors: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut instructions, mut bytes) = (0usize, 0usize);

    for (id, path) in &files {
        let source = read_source(path);
        bytes += source.len();
        let df = match catch_unwind(AssertUnwindSafe(|| parse(&source))) {
            Ok(df) => df,
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                panics.push(format!("{id}: {msg}"));
                continue;
            }
        };
        instructions += df.instructions.len();
        for p in span_problems(&source, &df) {
            bad_spans.push(format!("{id}: {p}"));
        }
        for d in &df.diagnostics {
            match d.severity {
                DiagnosticSeverity::Error => *errors.entry(d.code).or_default() += 1,
                DiagnosticSeverity::Warning => {
                    let w = warnings.entry(d.code).or_default();
                    w.0 += 1;
                    w.1.insert(id.clone());
                }
            }
        }
        let codes = error_codes(&df);
        if !codes.is_empty() {
            actual.insert(id.clone(), codes);
        }
    }

    println!(
        "corpus: {} files, {bytes} bytes, {instructions} instructions; {} files with errors",
        files.len(),
        actual.len()
    );
    println!("error diagnostics by code: {errors:?}");
    for (code, (n, ids)) in &warnings {
        println!("warning {code}: {n} in {} files", ids.len());
    }

    assert!(
        panics.is_empty(),
        "the parser panicked on {} files:\n{}",
        panics.len(),
        panics.join("\n")
    );
    assert!(
        bad_spans.is_empty(),
        "{} bad spans:\n{}",
        bad_spans.len(),
        bad_spans.join("\n")
    );

    let mut diffs = Vec::new();
    for (id, codes) in &actual {
        match expected.get(id) {
            None => diffs.push(format!(
                "{id}: has errors {codes:?} but is not listed in tests/data/corpus-syntax-errors.tsv"
            )),
            Some((listed, reason)) => {
                let got: BTreeSet<String> = codes.iter().map(|c| (*c).to_owned()).collect();
                if &got != listed {
                    diffs.push(format!(
                        "{id}: errors {got:?}, but the list says {listed:?} ({reason})"
                    ));
                }
            }
        }
    }
    for (id, (codes, reason)) in &expected {
        if !actual.contains_key(id) {
            diffs.push(format!(
                "{id}: listed with {codes:?} ({reason}) but parses without errors"
            ));
        }
    }
    assert!(
        diffs.is_empty(),
        "files with syntax errors differ from tests/data/corpus-syntax-errors.tsv:\n{}",
        diffs.join("\n")
    );
}
