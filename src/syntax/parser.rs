//! The Dockerfile parser: BuildKit's line-oriented algorithm (`frontend/dockerfile/parser`)
//! with byte spans for every token, every comment kept, and recovery after every error.

use std::collections::HashMap;

use crate::span::Span;

use super::ast::{
    ArgDecl, CommandLine, Comment, Copy, DiagnosticSeverity, Directive, Dockerfile, ExecForm, Flag,
    From, Healthcheck, Heredoc, Instruction, InstructionKind, KeyValue, Keyword, PathList,
    ShellForm, SyntaxDiagnostic, Word,
};
use super::image::ImageRef;
use super::logical::LogicalText;
use super::vars::{self, VarRef};
use super::words::{self, Json, Range};

const BOM: &str = "\u{feff}";

/// Parse a Dockerfile, shell model included. Never fails and never panics: problems
/// become diagnostics.
#[must_use]
pub fn parse(source: &str) -> Dockerfile {
    parse_with(source, ParseOptions::default())
}

/// What the parser should do beyond the Dockerfile layer.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    /// Parse the shell text of RUN and shell-form CMD/ENTRYPOINT/HEALTHCHECK.
    pub shell: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { shell: true }
    }
}

/// Parse a Dockerfile with `options`.
#[must_use]
pub fn parse_with(source: &str, options: ParseOptions) -> Dockerfile {
    let mut parser = Parser::new(source);
    parser.shell = options.shell;
    parser.run()
}

/// One physical line.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// End of the content, line ending (`\n` or `\r\n`) excluded.
    content_end: usize,
}

struct Parser<'a> {
    src: &'a str,
    lines: Vec<Line>,
    escape: u8,
    has_bom: bool,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    diagnostics: Vec<SyntaxDiagnostic>,
    instructions: Vec<Instruction>,
    /// Whether RUN text goes to a POSIX shell in the current stage, and why not.
    shell_skip: Option<&'static str>,
    /// Each stage's name (lowercase) and shell state, for `FROM <stage>` inheritance.
    stages: Vec<(Option<String>, Option<&'static str>)>,
    /// The index in `stages` of the latest stage with each name: `FROM <stage>` is a lookup,
    /// not a scan (a scan is quadratic in the number of stages).
    stage_index: HashMap<String, usize>,
    /// Run the shell model on shell-form commands.
    shell: bool,
}

/// Why shell analysis is skipped under a backtick escape.
const SKIP_BACKTICK: &str = "the escape directive is the backtick (a Windows image)";
const SKIP_SHELL: &str = "SHELL is not a POSIX shell";
const SKIP_INTERPRETER: &str = "the heredoc script names another interpreter in its `#!` line";
const SKIP_WINDOWS: &str = "the base image is a Windows image (its default shell is cmd)";

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        let has_bom = src.starts_with(BOM);
        Parser {
            src,
            lines: split_lines(src, if has_bom { BOM.len() } else { 0 }),
            escape: b'\\',
            has_bom,
            directives: Vec::new(),
            comments: Vec::new(),
            diagnostics: Vec::new(),
            instructions: Vec::new(),
            shell_skip: None,
            stages: Vec::new(),
            stage_index: HashMap::new(),
            shell: true,
        }
    }

    fn run(mut self) -> Dockerfile {
        let mut i = self.read_directives();
        let mut comments_start = self.comments.len();
        while i < self.lines.len() {
            let line = self.lines[i];
            let first = skip_ws(self.src, line.start, line.content_end);
            if first == line.content_end {
                i += 1;
            } else if self.src.as_bytes()[first] == b'#' {
                self.push_comment(first, line.content_end, false);
                // BuildKit (`PrevComment`): a bare `#` line drops the comments collected so far.
                if self.comments.last().is_some_and(|c| c.text.is_empty()) {
                    comments_start = self.comments.len();
                }
                i += 1;
            } else {
                i = self.read_instruction(i, first, comments_start);
                comments_start = self.comments.len();
            }
        }
        if self.instructions.is_empty() {
            let span = Span::new(0, self.src.len());
            self.error(
                "no-instructions",
                span,
                "the file contains no instructions".into(),
                Some("a Dockerfile needs at least a FROM instruction".into()),
            );
        }
        Dockerfile {
            has_bom: self.has_bom,
            directives: self.directives,
            escape: char::from(self.escape),
            instructions: self.instructions,
            comments: self.comments,
            diagnostics: self.diagnostics,
        }
    }

    fn error(&mut self, code: &'static str, span: Span, message: String, help: Option<String>) {
        self.diagnostics.push(SyntaxDiagnostic {
            code,
            severity: DiagnosticSeverity::Error,
            message,
            help,
            span,
        });
    }

    fn warn(&mut self, code: &'static str, span: Span, message: String, help: Option<String>) {
        self.diagnostics.push(SyntaxDiagnostic {
            code,
            severity: DiagnosticSeverity::Warning,
            message,
            help,
            span,
        });
    }

    fn push_comment(&mut self, hash: usize, end: usize, in_continuation: bool) {
        let end = words::trim_end(self.src, hash, end);
        let text_start = skip_ws(self.src, hash + 1, end);
        self.comments.push(Comment {
            span: Span::new(hash, end),
            text: self.src[text_start..end].to_owned(),
            text_span: Span::new(text_start, end),
            in_continuation,
        });
    }

    /// Read the parser-directive block at the top of the file; returns the first line
    /// index after it. The block ends at the first line that is not a known directive
    /// (an empty line, a plain comment, an unknown key, an instruction).
    fn read_directives(&mut self) -> usize {
        let mut i = 0;
        while let Some(&line) = self.lines.get(i) {
            let first = skip_ws(self.src, line.start, line.content_end);
            let Some(d) = directive_at(self.src, first, line.content_end) else {
                break;
            };
            let name = self.src[d.name.0..d.name.1].to_ascii_lowercase();
            if !matches!(name.as_str(), "syntax" | "escape" | "check") {
                break;
            }
            let value = self.src[d.value.0..d.value.1].to_owned();
            let span = Span::new(first, words::trim_end(self.src, first, line.content_end));
            let value_span = Span::new(d.value.0, d.value.1);
            if self.directives.iter().any(|x| x.name == name) {
                self.error(
                    "duplicate-directive",
                    span,
                    format!("the `{name}` parser directive is given more than once"),
                    Some(format!(
                        "keep a single `# {name}=` line; BuildKit refuses the file"
                    )),
                );
            } else {
                if name == "escape" {
                    match value.as_str() {
                        "\\" => self.escape = b'\\',
                        "`" => self.escape = b'`',
                        _ => self.error(
                            "invalid-escape",
                            value_span,
                            format!("invalid escape character `{value}`"),
                            Some("the escape directive accepts only `\\` or the backtick".into()),
                        ),
                    }
                }
                self.directives.push(Directive {
                    name,
                    value,
                    span,
                    name_span: Span::new(d.name.0, d.name.1),
                    value_span,
                });
            }
            i += 1;
        }
        i
    }

    /// Read the instruction starting on line `i` at byte `first`, with its continuation
    /// lines and heredoc bodies; returns the next line index.
    fn read_instruction(&mut self, mut i: usize, first: usize, comments_start: usize) -> usize {
        let first_line = i;
        // Comments inside the continuation are not leading comments (BuildKit drops them).
        let comments_end = self.comments.len();
        let mut logical = LogicalText::new();
        let (piece_end, mut continues) = self.strip_continuation(first, self.lines[i].content_end);
        logical.push(&self.src[first..piece_end], first);
        let mut last = i;
        let mut empty_lines: Vec<Span> = Vec::new();
        let mut swallowed: Option<Span> = None;
        i += 1;
        while continues && i < self.lines.len() {
            let line = self.lines[i];
            let text_start = skip_ws(self.src, line.start, line.content_end);
            if text_start == line.content_end {
                // BuildKit skips it with a NoEmptyContinuation warning.
                empty_lines.push(Span::new(line.start, line.content_end));
                i += 1;
                continue;
            }
            if self.src.as_bytes()[text_start] == b'#' {
                self.push_comment(text_start, line.content_end, true);
                i += 1;
                continue;
            }
            if swallowed.is_none()
                && self.looks_like_instruction(text_start, line.content_end)
                && !expects_keyword(logical.as_str())
            {
                swallowed = Some(Span::new(text_start, line.content_end));
            }
            let (end, more) = self.strip_continuation(line.start, line.content_end);
            logical.push(&self.src[line.start..end], line.start);
            last = i;
            continues = more;
            i += 1;
        }
        let line_end = words::trim_end(self.src, first, self.lines[last].content_end);
        if logical.as_str().trim().is_empty() {
            // Only escape characters and blanks: BuildKit builds an empty instruction and
            // rejects it as unknown.
            self.error(
                "unknown-instruction",
                Span::new(first, line_end.max(first)),
                "this line holds only the escape character, so it starts an empty instruction"
                    .into(),
                Some("remove the line".into()),
            );
            return i;
        }
        let mut inst = self.parse_line(&logical, 0, false);
        // A first line holding only the escape character: the instruction starts at its keyword.
        inst.span = Span::new(inst.keyword_span.start().max(first), line_end.max(first));
        inst.lines = (line_no(first_line), line_no(last));
        inst.leading_comments = (to_u32(comments_start), to_u32(comments_end));
        if let Some(&blank) = empty_lines.first() {
            self.warn(
                "empty-continuation-line",
                blank,
                format!(
                    "empty continuation line inside `{}`: the instruction goes on after it",
                    inst.keyword_text
                ),
                Some("remove the empty line, or end the previous line without the escape character; BuildKit plans to make this an error".into()),
            );
        }
        if let Some(span) = swallowed {
            self.warn_swallowed(span, &inst);
        }
        i = self.read_heredocs(&mut inst, i);
        self.finish_shell_forms(&mut inst);
        self.track_shell(&inst);
        self.instructions.push(inst);
        i
    }

    /// Strip a trailing continuation: the escape character followed only by blanks, not
    /// itself escaped. Returns the end of the kept text and whether the line continues.
    fn strip_continuation(&self, start: usize, end: usize) -> (usize, bool) {
        let b = self.src.as_bytes();
        let trimmed = words::trim_end(self.src, start, end);
        if trimmed > start && b[trimmed - 1] == self.escape {
            let escaped = trimmed - 1 > start && b[trimmed - 2] == self.escape;
            if !escaped {
                return (trimmed - 1, true);
            }
        }
        (end, false)
    }

    /// A continuation line that starts with an uppercase instruction keyword was most
    /// likely meant to be an instruction of its own.
    fn looks_like_instruction(&self, start: usize, end: usize) -> bool {
        let word_end = (start..end)
            .find(|&k| words::is_blank(self.src.as_bytes()[k]))
            .unwrap_or(end);
        let word = &self.src[start..word_end];
        word_end < end
            && word.bytes().all(|c| c.is_ascii_uppercase())
            && Keyword::parse(word) != Keyword::Unknown
    }

    fn warn_swallowed(&mut self, span: Span, inst: &Instruction) {
        let line = span.slice(self.src).split_whitespace().next().unwrap_or("");
        let windows_path = self.escape == b'\\' && {
            let prev_end = self.src[..span.start()].trim_end().trim_end_matches('\\');
            let b = prev_end.as_bytes();
            b.len() >= 2 && b[b.len() - 1] == b':' && b[b.len() - 2].is_ascii_alphabetic()
        };
        let help = if windows_path {
            "the previous line ends with a Windows path like `c:\\`, which the default escape character turns into a line continuation; add `# escape=`` ` as the first line of the file"
        } else {
            "remove the escape character at the end of the previous line so this line starts a new instruction"
        };
        self.warn(
            "swallowed-instruction",
            span,
            format!(
                "this `{line}` line is read as part of the previous `{}` instruction, because the line before it ends with the escape character",
                inst.keyword_text
            ),
            Some(help.into()),
        );
    }

    /// Parse one logical instruction line starting at `start` (ONBUILD recurses once).
    fn parse_line(&mut self, logical: &LogicalText, start: usize, nested: bool) -> Instruction {
        let text = logical.as_str();
        let end = words::trim_end(text, start, text.len());
        let kw_start = words::skip_blanks(text, start, end);
        let kw_end = (kw_start..end)
            .find(|&k| words::is_blank(text.as_bytes()[k]))
            .unwrap_or(end);
        let keyword_text = text[kw_start..kw_end].to_owned();
        let keyword = Keyword::parse(&keyword_text);
        let (raw_flags, args_start) = words::extract_flags(text, kw_end, end);
        let args_start = args_start.min(end);
        let keyword_span = logical.range_to_file(kw_start, kw_end);
        let flags = raw_flags
            .iter()
            .map(|f| self.flag(logical, f))
            .collect::<Vec<_>>();
        let mut inst = Instruction {
            span: logical.range_to_file(kw_start, end),
            keyword,
            keyword_text,
            keyword_span,
            flags,
            args_span: logical.range_to_file(args_start, end),
            kind: InstructionKind::Unknown(Vec::new()),
            heredocs: Vec::new(),
            vars: Vec::new(),
            leading_comments: (0, 0),
            logical: LogicalText::new(),
            lines: (0, 0),
        };
        self.check_flags(&inst);
        let args = Args {
            logical,
            start: args_start,
            end,
        };
        let mut expand: Vec<Range> = Vec::new();
        inst.kind = self.parse_kind(&inst, &args, nested, &mut expand);
        for f in &raw_flags {
            if matches!(keyword, Keyword::From | Keyword::Copy | Keyword::Add) {
                if let Some(v) = f.value {
                    expand.push(v);
                }
            }
        }
        inst.vars = self.var_refs(logical, &expand);
        self.check_modifiers(&inst);
        self.check_quotes(logical, &expand);
        if !nested {
            inst.logical = logical.clone();
        }
        inst
    }

    fn flag(&self, logical: &LogicalText, f: &words::RawFlag) -> Flag {
        let (name, value) = match f.unquoted.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (f.unquoted.clone(), None),
        };
        Flag {
            span: logical.range_to_file(f.word.0, f.word.1),
            name,
            name_span: logical.range_to_file(f.name.0, f.name.1),
            value,
            value_span: f.value.map(|(s, e)| logical.range_to_file(s, e)),
        }
    }

    /// Unknown flags are build errors in BuildKit.
    fn check_flags(&mut self, inst: &Instruction) {
        if inst.keyword == Keyword::Unknown {
            return;
        }
        let known = inst.keyword.known_flags();
        for f in &inst.flags {
            if !known.contains(&f.name.as_str()) {
                let help = if known.is_empty() {
                    format!("{} takes no flags", inst.keyword.as_str())
                } else {
                    format!(
                        "{} accepts {}",
                        inst.keyword.as_str(),
                        known
                            .iter()
                            .map(|k| format!("`--{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.error(
                    "unknown-flag",
                    f.span,
                    format!("unknown flag `--{}` on {}", f.name, inst.keyword.as_str()),
                    Some(help),
                );
            }
        }
        self.check_flag_values(inst);
    }

    /// BuildKit's flag parsing (`BFlags.Parse`): a flag given twice (except the repeatable
    /// `--mount`, `--device` and `--exclude`), a boolean flag with a value other than
    /// `true`/`false`, and a value flag without `=value` are build errors.
    fn check_flag_values(&mut self, inst: &Instruction) {
        let known = inst.keyword.known_flags();
        let kw = inst.keyword.as_str();
        for (i, f) in inst.flags.iter().enumerate() {
            let name = f.name.as_str();
            if !known.contains(&name) {
                continue;
            }
            let repeatable = matches!(name, "mount" | "device" | "exclude");
            if !repeatable && inst.flags[..i].iter().any(|p| p.name == f.name) {
                self.error(
                    "duplicate-flag",
                    f.span,
                    format!("`--{name}` is given more than once on {kw}"),
                    Some(format!(
                        "keep one `--{name}`; BuildKit refuses a repeated flag"
                    )),
                );
                continue;
            }
            let boolean = matches!(name, "link" | "parents" | "keep-git-dir" | "unpack");
            match (&f.value, boolean) {
                (Some(v), true)
                    if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
                {
                    self.error(
                        "flag-not-boolean",
                        f.span,
                        format!("`--{name}` takes no value or `true`/`false`, not `{v}`"),
                        Some(format!("write `--{name}` or `--{name}=false`")),
                    );
                }
                // HEALTHCHECK options without a value are DD552's (healthcheck-option-invalid).
                (None, false) if inst.keyword != Keyword::Healthcheck => self.error(
                    "flag-missing-value",
                    f.span,
                    format!("`--{name}` on {kw} needs a value"),
                    Some(format!("write `--{name}=<value>`")),
                ),
                _ => {}
            }
        }
    }

    /// BuildKit's word expansion (`shell/lex.go`) knows `-`, `+`, `?` (with or without `:`),
    /// `#`, `##`, `%`, `%%`, `/` and `//`; any other `${NAME...}` form (`${V:0:2}`,
    /// `${V:=x}`, `${V=x}`, `${V:#x}`) fails the build with "unsupported modifier".
    fn check_modifiers(&mut self, inst: &Instruction) {
        for v in &inst.vars {
            let text = v.span.slice(self.src);
            if v.modifier.is_some() || !text.starts_with("${") || !text.ends_with('}') {
                continue;
            }
            let Some(op) = text
                .get(2 + v.name.len()..text.len() - 1)
                .filter(|op| is_shell_only_modifier(op))
            else {
                continue;
            };
            let shown: String = op.chars().take(2).collect();
            self.error(
                "unsupported-modifier",
                v.span,
                format!(
                    "`{text}`: BuildKit does not support `{shown}` in a substitution and stops the build"
                ),
                Some("BuildKit expands `${V:-default}`, `${V:+alt}`, `${V:?message}` and the `#`, `%` and `/` pattern forms; compute anything else in a RUN".into()),
            );
        }
    }

    /// BuildKit's word expansion stops the build on a quote that is never closed
    /// ("unexpected end of statement while looking for matching single-quote").
    fn check_quotes(&mut self, logical: &LogicalText, ranges: &[Range]) {
        let text = logical.as_str();
        for &(s, e) in ranges {
            if let Some(open) = unclosed_quote(&text.as_bytes()[s..e], self.escape) {
                let quote = if text.as_bytes()[s + open] == b'"' {
                    "double"
                } else {
                    "single"
                };
                self.error(
                    "unterminated-quote",
                    logical.range_to_file(s + open, e),
                    format!("the {quote} quote in `{}` is never closed", &text[s..e]),
                    Some("close the quote, or escape it with the escape character if it is meant literally".into()),
                );
            }
        }
    }

    fn var_refs(&self, logical: &LogicalText, ranges: &[Range]) -> Vec<VarRef> {
        let text = logical.as_str();
        let map = |(s, e): Range| logical.range_to_file(s, e);
        ranges
            .iter()
            .flat_map(|&(s, e)| vars::scan(text, s, e, self.escape))
            .map(|v| VarRef {
                span: map(v.whole),
                name: text[v.name.0..v.name.1].to_owned(),
                name_span: map(v.name),
                modifier: v.modifier.map(|(s, e)| text[s..e].to_owned()),
                word: v.word.map(|(s, e)| text[s..e].to_owned()),
            })
            .collect()
    }

    fn word(&self, logical: &LogicalText, (s, e): Range) -> Word {
        let raw = &logical.as_str()[s..e];
        Word {
            raw: raw.to_owned(),
            value: words::unquote(raw, char::from(self.escape)),
            span: logical.range_to_file(s, e),
        }
    }

    fn parse_kind(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        nested: bool,
        expand: &mut Vec<Range>,
    ) -> InstructionKind {
        let kw = inst.keyword;
        match kw {
            Keyword::From => InstructionKind::From(self.parse_from(inst, args, expand)),
            Keyword::Run => {
                if args.is_empty() && inst.flags.is_empty() {
                    self.missing(inst, "a command", "RUN apt-get update");
                }
                InstructionKind::Run(self.command_line(inst, args))
            }
            Keyword::Cmd => InstructionKind::Cmd(self.command_line(inst, args)),
            Keyword::Entrypoint => InstructionKind::Entrypoint(self.command_line(inst, args)),
            Keyword::Shell => {
                let c = self.command_line(inst, args);
                match &c {
                    CommandLine::Shell(s) => self.error(
                        "shell-not-json",
                        s.span,
                        "SHELL must be written as a JSON array".into(),
                        Some(
                            "write it like `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`"
                                .into(),
                        ),
                    ),
                    CommandLine::Exec(e) if e.args.is_empty() => {
                        self.missing(inst, "the shell executable", "SHELL [\"/bin/sh\", \"-c\"]");
                    }
                    CommandLine::Exec(_) => {}
                }
                InstructionKind::Shell(c)
            }
            Keyword::Healthcheck => {
                InstructionKind::Healthcheck(self.parse_healthcheck(inst, args))
            }
            Keyword::Copy | Keyword::Add => {
                let c = self.parse_copy(inst, args, expand);
                if kw == Keyword::Copy {
                    InstructionKind::Copy(c)
                } else {
                    InstructionKind::Add(c)
                }
            }
            Keyword::Env | Keyword::Label => {
                let pairs = self.parse_pairs(inst, args, expand);
                if kw == Keyword::Env {
                    InstructionKind::Env(pairs)
                } else {
                    InstructionKind::Label(pairs)
                }
            }
            Keyword::Arg => InstructionKind::Arg(self.parse_arg(inst, args, expand)),
            Keyword::Expose => {
                let ports = self.blank_words(args, expand);
                if ports.is_empty() {
                    self.missing(inst, "a port", "EXPOSE 8080/tcp");
                }
                InstructionKind::Expose(ports)
            }
            Keyword::Volume => InstructionKind::Volume(self.parse_volume(inst, args, expand)),
            Keyword::User => InstructionKind::User(self.single(inst, args, expand, "USER app")),
            Keyword::Workdir => {
                InstructionKind::Workdir(self.single(inst, args, expand, "WORKDIR /app"))
            }
            Keyword::Stopsignal => {
                InstructionKind::Stopsignal(self.single(inst, args, expand, "STOPSIGNAL SIGTERM"))
            }
            Keyword::Maintainer => InstructionKind::Maintainer(self.single(
                inst,
                args,
                &mut Vec::new(),
                "LABEL org.opencontainers.image.authors=\"me@example.com\"",
            )),
            Keyword::Onbuild => InstructionKind::Onbuild(self.parse_onbuild(inst, args, nested)),
            Keyword::Unknown => {
                self.unknown_instruction(inst);
                InstructionKind::Unknown(self.blank_words(args, &mut Vec::new()))
            }
        }
    }

    fn missing(&mut self, inst: &Instruction, what: &str, example: &str) {
        self.error(
            "missing-arguments",
            inst.keyword_span,
            format!("{} needs {what}", inst.keyword.as_str()),
            Some(format!("for example `{example}`")),
        );
    }

    fn unknown_instruction(&mut self, inst: &Instruction) {
        let upper = inst.keyword_text.to_ascii_uppercase();
        let suggestion = Keyword::KNOWN
            .iter()
            .map(|k| (edit_distance(&upper, k.as_str()), k.as_str()))
            .filter(|&(d, _)| d <= 2)
            .min();
        let help = match suggestion {
            Some((_, k)) => format!("did you mean `{k}`?"),
            None => "valid instructions are ADD, ARG, CMD, COPY, ENTRYPOINT, ENV, EXPOSE, FROM, HEALTHCHECK, LABEL, MAINTAINER, ONBUILD, RUN, SHELL, STOPSIGNAL, USER, VOLUME and WORKDIR".into(),
        };
        self.error(
            "unknown-instruction",
            inst.keyword_span,
            format!("unknown instruction `{}`", inst.keyword_text),
            Some(help),
        );
    }

    fn blank_words(&self, args: &Args<'_>, expand: &mut Vec<Range>) -> Vec<Word> {
        let ranges = words::split_blanks(args.text(), args.start, args.end);
        expand.extend_from_slice(&ranges);
        ranges
            .into_iter()
            .map(|r| self.word(args.logical, r))
            .collect()
    }

    /// USER, WORKDIR, STOPSIGNAL, MAINTAINER: the whole rest is one argument.
    fn single(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        expand: &mut Vec<Range>,
        example: &str,
    ) -> Option<Word> {
        if args.is_empty() {
            self.missing(inst, "an argument", example);
            return None;
        }
        expand.push((args.start, args.end));
        Some(self.word(args.logical, (args.start, args.end)))
    }

    fn parse_from(&mut self, inst: &Instruction, args: &Args<'_>, expand: &mut Vec<Range>) -> From {
        let ranges = words::split_blanks(args.text(), args.start, args.end);
        let text = args.text();
        let mut from = From {
            image: None,
            as_span: None,
            alias: None,
        };
        if let Some(&(s, e)) = ranges.first() {
            expand.push((s, e));
            let logical = args.logical;
            from.image = Some(ImageRef::parse(&text[s..e], &|a, b| {
                logical.range_to_file(s + a, s + b)
            }));
        }
        match ranges.len() {
            1 => {}
            3 if text[ranges[1].0..ranges[1].1].eq_ignore_ascii_case("as") => {
                from.as_span = Some(args.logical.range_to_file(ranges[1].0, ranges[1].1));
                let alias = self.word(args.logical, ranges[2]);
                self.check_stage_name(&alias);
                from.alias = Some(alias);
            }
            0 => self.missing(inst, "a base image", "FROM alpine:3.22"),
            _ => {
                let extra = args.logical.range_to_file(ranges[1].0, args.end);
                self.error(
                    "wrong-argument-count",
                    extra,
                    format!(
                        "FROM takes an image and optionally `AS name`, but got `{}`",
                        &text[ranges[1].0..args.end]
                    ),
                    Some("write `FROM image[:tag] [AS name]`".into()),
                );
            }
        }
        from
    }

    /// BuildKit: stage names must match `^[a-z][a-z0-9-_.]*$` after lowercasing.
    fn check_stage_name(&mut self, alias: &Word) {
        let name = alias.value.to_ascii_lowercase();
        let mut chars = name.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
        if !ok && !name.contains('$') {
            self.error(
                "invalid-stage-name",
                alias.span,
                format!("invalid stage name `{}`", alias.raw),
                Some("a stage name starts with a letter and contains only letters, digits, `-`, `_` and `.`".into()),
            );
        }
    }

    /// RUN, CMD, ENTRYPOINT, SHELL: JSON exec form when the whole argument is a JSON
    /// array of strings, otherwise shell form (BuildKit's `parseMaybeJSON`).
    fn command_line(&mut self, inst: &Instruction, args: &Args<'_>) -> CommandLine {
        let text = args.text();
        if text[args.start..args.end].starts_with('[') {
            match words::json_array(text, args.start, args.end) {
                Json::Strings(items) => {
                    return CommandLine::Exec(ExecForm {
                        span: args.logical.range_to_file(args.start, args.end),
                        args: self.json_words(args.logical, items),
                    });
                }
                Json::NotStrings(r) => self.not_strings(inst, args.logical, r),
                Json::Invalid => {}
            }
        }
        CommandLine::Shell(ShellForm {
            span: args.logical.range_to_file(args.start, args.end),
            text: args.logical.slice(args.start, args.end),
            script: None,
            skip_reason: None,
            looks_like_json: text[args.start..args.end].starts_with('['),
        })
    }

    fn json_words(&self, logical: &LogicalText, items: Vec<(Range, String)>) -> Vec<Word> {
        items
            .into_iter()
            .map(|((s, e), value)| Word {
                raw: logical.as_str()[s..e].to_owned(),
                value,
                span: logical.range_to_file(s, e),
            })
            .collect()
    }

    fn not_strings(&mut self, inst: &Instruction, logical: &LogicalText, (s, e): Range) {
        self.error(
            "json-not-string-array",
            logical.range_to_file(s, e),
            format!(
                "{} is written as a JSON array but `{}` is not a string",
                inst.keyword.as_str(),
                &logical.as_str()[s..e]
            ),
            Some("quote every element with double quotes".into()),
        );
    }

    fn parse_healthcheck(&mut self, inst: &Instruction, args: &Args<'_>) -> Healthcheck {
        let text = args.text();
        let ranges = words::split_blanks(text, args.start, args.end);
        let Some(&(s, e)) = ranges.first() else {
            self.missing(
                inst,
                "`NONE` or `CMD command`",
                "HEALTHCHECK CMD curl -f http://localhost/",
            );
            return Healthcheck::Invalid;
        };
        let kind = &text[s..e];
        if kind.eq_ignore_ascii_case("none") {
            if ranges.len() > 1 {
                self.error(
                    "wrong-argument-count",
                    args.logical.range_to_file(ranges[1].0, args.end),
                    "HEALTHCHECK NONE takes no arguments".into(),
                    Some("remove the text after NONE".into()),
                );
            }
            return Healthcheck::None {
                span: args.logical.range_to_file(s, e),
            };
        }
        if !kind.eq_ignore_ascii_case("cmd") {
            self.error(
                "unknown-healthcheck-type",
                args.logical.range_to_file(s, e),
                format!("unknown HEALTHCHECK type `{kind}`"),
                Some("write `HEALTHCHECK [options] CMD command` or `HEALTHCHECK NONE`".into()),
            );
            return Healthcheck::Invalid;
        }
        let rest = Args {
            logical: args.logical,
            start: words::skip_blanks(text, e, args.end),
            end: args.end,
        };
        if rest.is_empty() {
            self.missing(
                inst,
                "a command after CMD",
                "HEALTHCHECK CMD curl -f http://localhost/",
            );
        }
        Healthcheck::Cmd {
            cmd_span: args.logical.range_to_file(s, e),
            command: self.command_line(inst, &rest),
        }
    }

    /// COPY and ADD: JSON list or blank-separated words (BuildKit's `parseMaybeJSONToList`).
    fn parse_copy(&mut self, inst: &Instruction, args: &Args<'_>, expand: &mut Vec<Range>) -> Copy {
        let (mut list, json) = self.maybe_json_list(inst, args, expand);
        let dest = if list.len() >= 2 { list.pop() } else { None };
        // BuildKit wants two arguments even when the source is a heredoc (`COPY <<EOF` alone fails).
        if dest.is_none() {
            self.error(
                "missing-arguments",
                if list.is_empty() {
                    inst.keyword_span
                } else {
                    list[0].span
                },
                format!(
                    "{} needs at least one source and a destination",
                    inst.keyword.as_str()
                ),
                Some(format!(
                    "for example `{} src/ /app/`",
                    inst.keyword.as_str()
                )),
            );
        }
        Copy {
            sources: list,
            dest,
            json,
        }
    }

    fn parse_volume(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        expand: &mut Vec<Range>,
    ) -> PathList {
        let (paths, json) = self.maybe_json_list(inst, args, expand);
        if paths.is_empty() {
            self.missing(inst, "a path", "VOLUME /var/lib/app");
        }
        PathList { paths, json }
    }

    fn maybe_json_list(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        expand: &mut Vec<Range>,
    ) -> (Vec<Word>, bool) {
        let text = args.text();
        if text[args.start..args.end].starts_with('[') {
            match words::json_array(text, args.start, args.end) {
                Json::Strings(items) => {
                    expand.extend(items.iter().map(|(r, _)| *r));
                    return (self.json_words(args.logical, items), true);
                }
                Json::NotStrings(r) => self.not_strings(inst, args.logical, r),
                Json::Invalid => {}
            }
        }
        (self.blank_words(args, expand), false)
    }

    /// ENV and LABEL pairs (BuildKit's `parseNameVal`).
    fn parse_pairs(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        expand: &mut Vec<Range>,
    ) -> Vec<KeyValue> {
        let text = args.text();
        let ranges = words::quoted_words(text, args.start, args.end, self.escape);
        let Some(&first) = ranges.first() else {
            self.missing(
                inst,
                "a `key=value` pair",
                &format!("{} key=value", inst.keyword.as_str()),
            );
            return Vec::new();
        };
        if !text[first.0..first.1].contains('=') {
            return self.legacy_pair(inst, args, expand).into_iter().collect();
        }
        let mut pairs = Vec::new();
        for (s, e) in ranges {
            let Some(eq) = text[s..e].find('=').map(|k| s + k) else {
                self.error(
                    "missing-equals",
                    args.logical.range_to_file(s, e),
                    format!("`{}` is not a `key=value` pair", &text[s..e]),
                    Some("every word must be `key=value`; quote values that contain spaces: `key=\"a b\"`".into()),
                );
                continue;
            };
            if eq == s {
                // BuildKit's `parseKvps`: "ENV names can not be blank".
                self.error(
                    "missing-name",
                    args.logical.range_to_file(s, e),
                    format!("`{}` has no name before `=`", &text[s..e]),
                    Some(format!(
                        "write `{} name{}`",
                        inst.keyword.as_str(),
                        &text[s..e]
                    )),
                );
                continue;
            }
            expand.push((s, e));
            pairs.push(KeyValue {
                span: args.logical.range_to_file(s, e),
                key: self.word(args.logical, (s, eq)),
                value: self.word(args.logical, (eq + 1, e)),
                legacy: false,
            });
        }
        pairs
    }

    /// The legacy `ENV key value with spaces` form: key, then the rest of the line.
    fn legacy_pair(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        expand: &mut Vec<Range>,
    ) -> Option<KeyValue> {
        let text = args.text();
        let parts = words::split_blanks(text, args.start, args.end);
        let (Some(&key), Some(&(value_start, _))) = (parts.first(), parts.get(1)) else {
            self.error(
                "missing-arguments",
                args.logical.range_to_file(args.start, args.end),
                format!(
                    "{} `{}` has no value",
                    inst.keyword.as_str(),
                    &text[args.start..args.end]
                ),
                Some(format!(
                    "write `{} {}=value`",
                    inst.keyword.as_str(),
                    &text[args.start..args.end]
                )),
            );
            return None;
        };
        // BuildKit expands the legacy value like any other (`ENV PATH /x:$PATH`).
        expand.push(key);
        expand.push((value_start, args.end));
        Some(KeyValue {
            span: args.logical.range_to_file(args.start, args.end),
            key: self.word(args.logical, key),
            value: self.word(args.logical, (value_start, args.end)),
            legacy: true,
        })
    }

    fn parse_arg(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        expand: &mut Vec<Range>,
    ) -> Vec<ArgDecl> {
        let text = args.text();
        let ranges = words::quoted_words(text, args.start, args.end, self.escape);
        if ranges.is_empty() {
            self.missing(inst, "a name", "ARG VERSION=1.0");
        }
        ranges
            .into_iter()
            .map(|(s, e)| {
                let eq = text[s..e].find('=').map(|k| s + k);
                if let Some(eq) = eq {
                    expand.push((eq + 1, e));
                }
                ArgDecl {
                    span: args.logical.range_to_file(s, e),
                    name: self.word(args.logical, (s, eq.unwrap_or(e))),
                    default: eq.map(|eq| self.word(args.logical, (eq + 1, e))),
                }
            })
            .collect()
    }

    fn parse_onbuild(
        &mut self,
        inst: &Instruction,
        args: &Args<'_>,
        nested: bool,
    ) -> Option<Box<Instruction>> {
        if nested {
            return None;
        }
        if args.is_empty() {
            self.missing(inst, "an instruction to run later", "ONBUILD COPY . /app");
            return None;
        }
        let inner = self.parse_line(args.logical, args.start, true);
        if matches!(
            inner.keyword,
            Keyword::Onbuild | Keyword::From | Keyword::Maintainer
        ) {
            self.error(
                "invalid-onbuild-trigger",
                inner.keyword_span,
                format!(
                    "{} is not allowed as an ONBUILD trigger",
                    inner.keyword.as_str()
                ),
                Some("ONBUILD accepts any instruction except ONBUILD, FROM and MAINTAINER".into()),
            );
        }
        Some(Box::new(inner))
    }

    /// Collect the heredoc bodies of RUN, COPY or ADD (also as ONBUILD trigger), reading
    /// the lines after the instruction; returns the next line index.
    fn read_heredocs(&mut self, inst: &mut Instruction, mut i: usize) -> usize {
        if !inst.logical.as_str().contains("<<") {
            return i;
        }
        let logical = inst.logical.clone();
        let target: &mut Instruction = match &mut inst.kind {
            InstructionKind::Onbuild(Some(inner)) => inner,
            _ => inst,
        };
        if !accepts_heredocs(target) {
            return i;
        }
        let text = logical.as_str();
        let markers: Vec<(Range, words::HeredocMarker)> = words::heredoc_words(text, 0, text.len())
            .into_iter()
            .filter_map(|(s, e)| words::heredoc_marker(&text[s..e]).map(|m| ((s, e), m)))
            .collect();
        if markers.is_empty() {
            self.check_spaced_heredoc(&logical, i);
            return i;
        }
        let mut end = target.span.end();
        for ((s, e), m) in markers {
            let body_start = self.lines.get(i).map_or(self.src.len(), |l| l.start);
            let mut terminator = None;
            while let Some(&line) = self.lines.get(i) {
                i += 1;
                let mut t = line.start;
                if m.chomp {
                    while t < line.content_end && self.src.as_bytes()[t] == b'\t' {
                        t += 1;
                    }
                }
                if self.src[t..line.content_end] == *m.name {
                    terminator = Some(Span::new(line.start, line.content_end));
                    break;
                }
            }
            let body_end = terminator.map_or(self.src.len(), Span::start);
            let marker_span = logical.range_to_file(s, e);
            if terminator.is_none() {
                self.error(
                    "unterminated-heredoc",
                    marker_span,
                    format!(
                        "heredoc `{}` is never terminated: the file ends before a line `{}`",
                        &text[s..e],
                        m.name
                    ),
                    Some(format!(
                        "add a line containing only `{}` after the heredoc body",
                        m.name
                    )),
                );
            }
            // Unterminated: the instruction ends with the file's last line (its newline excluded).
            let last_line_end = self.lines.last().map_or(body_end, |l| l.content_end);
            end = terminator.map_or(last_line_end, Span::end).max(end);
            target.heredocs.push(Heredoc {
                marker_span,
                name: m.name,
                expand: m.expand,
                chomp: m.chomp,
                fd: m.fd,
                body_span: Span::new(body_start, body_end.max(body_start)),
                terminator_span: terminator,
            });
        }
        let end = words::trim_end(self.src, target.span.start(), end);
        target.span = Span::new(target.span.start(), end);
        inst.span = Span::new(inst.span.start(), end.max(inst.span.end()));
        inst.lines.1 = line_no(i.saturating_sub(1)).max(inst.lines.1);
        i
    }

    /// `<< EOF` (blank after `<<`) is not a heredoc for BuildKit: the body lines become
    /// instructions. Warn when a later line is exactly the would-be delimiter.
    fn check_spaced_heredoc(&mut self, logical: &LogicalText, next_line: usize) {
        let text = logical.as_str();
        let ws = words::heredoc_words(text, 0, text.len());
        for pair in ws.windows(2) {
            let op = &text[pair[0].0..pair[0].1];
            if op != "<<" && op != "<<-" {
                continue;
            }
            let delim = words::unquote(&text[pair[1].0..pair[1].1], '\\');
            let terminated = self.lines[next_line.min(self.lines.len())..]
                .iter()
                .any(|l| self.src[l.start..l.content_end].trim() == delim);
            if terminated && !delim.is_empty() {
                self.warn(
                    "heredoc-with-space",
                    logical.range_to_file(pair[0].0, pair[1].1),
                    format!(
                        "`{}` is not a Dockerfile heredoc because of the space after `{op}`: the lines below are read as instructions",
                        &text[pair[0].0..pair[1].1]
                    ),
                    Some(format!("write `{op}{}` without a space", &text[pair[1].0..pair[1].1])),
                );
                return;
            }
        }
    }

    /// Build the shell text of every shell-form command (heredoc bodies appended as
    /// BuildKit runs them) and parse it, unless the stage's shell is not POSIX.
    fn finish_shell_forms(&mut self, inst: &mut Instruction) {
        let skip = if self.escape == b'`' {
            Some(SKIP_BACKTICK)
        } else {
            self.shell_skip
        };
        let target: &mut Instruction = match &mut inst.kind {
            InstructionKind::Onbuild(Some(inner)) => inner,
            _ => inst,
        };
        let heredocs = target.heredocs.clone();
        let src = self.src;
        let lines = &self.lines;
        let command = match &mut target.kind {
            InstructionKind::Run(c) | InstructionKind::Cmd(c) | InstructionKind::Entrypoint(c) => c,
            InstructionKind::Healthcheck(Healthcheck::Cmd { command, .. }) => command,
            _ => return,
        };
        let CommandLine::Shell(shell) = command else {
            return;
        };
        let mut skip = skip;
        if !heredocs.is_empty() {
            let (text, interpreter) = shell_text_with_heredocs(src, lines, &shell.text, &heredocs);
            shell.text = text;
            skip = skip.or(interpreter);
        }
        if let Some(reason) = skip {
            shell.skip_reason = Some(reason);
            return;
        }
        if !self.shell {
            return;
        }
        let mut script = crate::shell::parse(shell.text.as_str());
        let text = &shell.text;
        script.remap(|s| text.span_to_file(s));
        shell.script = Some(script);
    }

    /// Follow which shell RUN uses: FROM resets it (inheriting from a named stage),
    /// SHELL changes it.
    fn track_shell(&mut self, inst: &Instruction) {
        match &inst.kind {
            InstructionKind::From(from) => {
                let image = from.image.as_ref().map(|i| i.raw.to_ascii_lowercase());
                let inherited = image
                    .as_ref()
                    .and_then(|img| self.stage_index.get(img))
                    .map(|&i| &self.stages[i]);
                self.shell_skip = match (inherited, &image) {
                    (Some((_, skip)), _) => *skip,
                    (None, Some(img)) if is_windows_image(img) => Some(SKIP_WINDOWS),
                    _ => None,
                };
                let name = from.alias.as_ref().map(|a| a.value.to_ascii_lowercase());
                if let Some(name) = &name {
                    self.stage_index.insert(name.clone(), self.stages.len());
                }
                self.stages.push((name, self.shell_skip));
            }
            InstructionKind::Shell(CommandLine::Exec(e)) => {
                let posix = e.args.first().is_some_and(|a| is_posix_shell(&a.value));
                self.shell_skip = if posix { None } else { Some(SKIP_SHELL) };
                if let Some(last) = self.stages.last_mut() {
                    last.1 = self.shell_skip;
                }
            }
            _ => {}
        }
    }
}

/// The offset of a quote in `word` that is never closed (BuildKit's lexer: the escape
/// character escapes outside single quotes; inside double quotes only before `"`, `$`, the
/// escape character and a newline, which still skips the next byte).
fn unclosed_quote(word: &[u8], escape: u8) -> Option<usize> {
    let mut open: Option<(usize, u8)> = None;
    let mut i = 0;
    while i < word.len() {
        let c = word[i];
        match open {
            None if c == escape => i += 1,
            None if c == b'\'' || c == b'"' => open = Some((i, c)),
            Some((_, b'"')) if c == escape => i += 1,
            Some((_, q)) if c == q => open = None,
            _ => {}
        }
        i += 1;
    }
    open.map(|(at, _)| at)
}

/// A `${NAME<op>...}` form of the POSIX or bash shell that BuildKit does not expand:
/// assignment (`=`, `:=`), substring (`:1`, `: -1`, `:$N`), `:#`/`:%`/`:/`, case
/// modification (`^`, `,`), transformation (`@`) and arrays (`[`). Other text after the
/// name (`${templateOption:installZsh}`) is a template placeholder, not shell syntax.
fn is_shell_only_modifier(op: &str) -> bool {
    let b = op.as_bytes();
    match b.first() {
        Some(b'=' | b'^' | b',' | b'@' | b'[') => true,
        Some(b':') => matches!(
            b.get(1),
            Some(b'=' | b'#' | b'%' | b'/' | b' ' | b'$' | b'(' | b'0'..=b'9')
        ),
        _ => false,
    }
}

/// The argument text of an instruction: `start..end` of a logical line.
struct Args<'l> {
    logical: &'l LogicalText,
    start: usize,
    end: usize,
}

impl Args<'_> {
    fn text(&self) -> &str {
        self.logical.as_str()
    }

    fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}

/// Whether the logical text so far still waits for a keyword on the next line: nothing
/// yet (a line holding only the escape character), `ONBUILD` without its trigger, or
/// `HEALTHCHECK [flags]` without `CMD`/`NONE`. Such a line is not a swallowed instruction.
fn expects_keyword(text: &str) -> bool {
    let mut words = text.split_ascii_whitespace();
    match words.next() {
        None => true,
        Some(k) if k.eq_ignore_ascii_case("onbuild") => words.next().is_none(),
        Some(k) if k.eq_ignore_ascii_case("healthcheck") => words.all(|w| w.starts_with("--")),
        Some(_) => false,
    }
}

/// RUN, COPY and ADD take heredocs, but not in JSON form.
fn accepts_heredocs(inst: &Instruction) -> bool {
    match &inst.kind {
        InstructionKind::Run(c) => !c.is_exec(),
        InstructionKind::Copy(c) | InstructionKind::Add(c) => !c.json,
        _ => false,
    }
}

/// What BuildKit hands the shell for `RUN cmd <<EOF`: the command line, a newline, then
/// the bodies and terminators. A RUN that is nothing but one heredoc runs its body as
/// the script. CRs of CRLF files are left out; the newline maps to the line ending.
/// Also says why not to analyse it when the script's `#!` names another interpreter.
fn shell_text_with_heredocs(
    src: &str,
    lines: &[Line],
    command: &LogicalText,
    heredocs: &[Heredoc],
) -> (LogicalText, Option<&'static str>) {
    let only_heredoc = heredocs.len() == 1
        && words::heredoc_marker(command.as_str().trim()).is_some()
        && !command.as_str().trim().contains(char::is_whitespace);
    let first = &heredocs[0];
    let last = &heredocs[heredocs.len() - 1];
    let region_end = if only_heredoc {
        first.body_span.end()
    } else {
        last.terminator_span.map_or(last.body_span.end(), Span::end)
    };
    let mut out = if only_heredoc {
        LogicalText::new()
    } else {
        let mut t = command.clone();
        // The newline BuildKit inserts maps to the end of the command's last line (its `\r`
        // or `\n`; the line's last byte when the file ends there).
        let command_end = command.end_to_file(command.len());
        let line = lines
            .partition_point(|l| l.start < command_end)
            .saturating_sub(1);
        let newline_at = lines.get(line).map_or(command_end, |l| l.content_end);
        t.push("\n", newline_at.min(src.len().saturating_sub(1)));
        t
    };
    let start_line = lines.partition_point(|l| l.start < first.body_span.start());
    for line in &lines[start_line..] {
        if line.start >= region_end {
            break;
        }
        let content_end = line.content_end.min(region_end);
        out.push(&src[line.start..content_end], line.start);
        if line.content_end < region_end {
            out.push("\n", content_end.min(src.len().saturating_sub(1)));
        }
    }
    let interpreter = only_heredoc
        .then(|| out.as_str().lines().next())
        .flatten()
        .and_then(|l| l.strip_prefix("#!"))
        .filter(|l| !shebang_is_posix_shell(l))
        .map(|_| SKIP_INTERPRETER);
    (out, interpreter)
}

/// `#!/bin/sh -e`, `#!/usr/bin/env bash`: is the interpreter a POSIX shell?
fn shebang_is_posix_shell(line: &str) -> bool {
    let mut parts = line.split_whitespace();
    let program = parts.next().unwrap_or("");
    if program.ends_with("/env") {
        parts
            .find(|p| !p.starts_with('-'))
            .is_some_and(is_posix_shell)
    } else {
        is_posix_shell(program)
    }
}

/// `sh`, `bash`, `dash`, `ash`, `zsh`, `ksh` (any path).
fn is_posix_shell(program: &str) -> bool {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    matches!(
        name,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

/// Windows base images run RUN through `cmd /S /C` unless SHELL says otherwise.
fn is_windows_image(image: &str) -> bool {
    [
        "windows/servercore",
        "windows/nanoserver",
        "windows/server:",
        "windowsservercore",
        "nanoserver",
    ]
    .iter()
    .any(|w| image.contains(w))
        || image.starts_with("mcr.microsoft.com/windows")
        || image.contains("/windows:")
}

/// A parser directive `# name = value` at `hash..end` (BuildKit's `reDirective`).
struct DirectiveMatch {
    name: Range,
    value: Range,
}

fn directive_at(src: &str, hash: usize, end: usize) -> Option<DirectiveMatch> {
    let b = src.as_bytes();
    if b.get(hash) != Some(&b'#') {
        return None;
    }
    let name_start = skip_ws(src, hash + 1, end);
    let mut k = name_start;
    if k >= end || !b[k].is_ascii_alphabetic() {
        return None;
    }
    while k < end && b[k].is_ascii_alphanumeric() {
        k += 1;
    }
    let name_end = k;
    k = skip_ws(src, k, end);
    if k >= end || b[k] != b'=' {
        return None;
    }
    let value_start = skip_ws(src, k + 1, end);
    let value_end = words::trim_end(src, value_start, end);
    (value_end > value_start).then_some(DirectiveMatch {
        name: (name_start, name_end),
        value: (value_start, value_end),
    })
}

/// Skip spaces and tabs (and other ASCII blanks) forward.
fn skip_ws(src: &str, pos: usize, end: usize) -> usize {
    words::skip_blanks(src, pos, end)
}

/// Split into physical lines on `\n`, dropping a `\r` before it.
fn split_lines(src: &str, start: usize) -> Vec<Line> {
    let b = src.as_bytes();
    let mut lines = Vec::with_capacity(b.len() / 32 + 1);
    let mut pos = start;
    while pos < b.len() {
        let nl = b[pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |k| pos + k);
        let content_end = if nl > pos && b[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        lines.push(Line {
            start: pos,
            content_end,
        });
        pos = nl + 1;
    }
    lines
}

fn line_no(index: usize) -> u32 {
    to_u32(index + 1)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Levenshtein distance, for "did you mean" suggestions on short keywords.
fn edit_distance(a: &str, b: &str) -> usize {
    if a.len() > 32 {
        return usize::MAX;
    }
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
