//! The Dockerfile syntax tree: typed instructions where every token keeps its byte span.

use crate::shell::Script;
use crate::span::Span;

use super::image::ImageRef;
use super::logical::LogicalText;
use super::vars::VarRef;

/// A parsed Dockerfile. Parsing never fails: problems become [`SyntaxDiagnostic`]s.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    /// Whether the file starts with a UTF-8 byte-order mark (spans still count its 3 bytes).
    pub has_bom: bool,
    /// Parser directives from the top of the file (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive>,
    /// The escape character in force: `\` or `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment of the file in source order, including those inside continuations.
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<SyntaxDiagnostic>,
}

impl Dockerfile {
    /// The value of directive `name` (lowercase), if present.
    #[must_use]
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The comments directly above `instruction` (since the previous instruction or the
    /// last bare `#` line).
    #[must_use]
    pub fn leading_comments(&self, instruction: &Instruction) -> &[Comment] {
        self.comments
            .get(instruction.leading_comments.0 as usize..instruction.leading_comments.1 as usize)
            .unwrap_or(&[])
    }

    /// Whether any diagnostic is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == DiagnosticSeverity::Error)
    }
}

/// A parser directive such as `# escape=\``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lowercased directive name.
    pub name: String,
    pub value: String,
    /// The whole comment line.
    pub span: Span,
    pub name_span: Span,
    pub value_span: Span,
}

/// A full-line comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// From `#` to the end of the line (line ending excluded).
    pub span: Span,
    /// The text after `#` and the blanks following it.
    pub text: String,
    pub text_span: Span,
    /// A comment line inside a continued instruction (BuildKit drops it from the instruction).
    pub in_continuation: bool,
}

/// How bad a syntax diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiagnosticSeverity {
    Error,
    Warning,
}

impl DiagnosticSeverity {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticSeverity::Error => "error",
            DiagnosticSeverity::Warning => "warning",
        }
    }
}

/// A problem found while parsing; parsing always continues after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxDiagnostic {
    /// Stable kebab-case code, e.g. `unterminated-heredoc`.
    pub code: &'static str,
    pub severity: DiagnosticSeverity,
    /// What is wrong, quoting the offending text.
    pub message: String,
    /// What to do instead.
    pub help: Option<String>,
    pub span: Span,
}

/// Instruction keywords (case-insensitive in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Anything else; kept as a node with a diagnostic.
    Unknown,
}

impl Keyword {
    /// All known keywords, in alphabetical order.
    pub const KNOWN: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// The canonical uppercase spelling (`UNKNOWN` for unknown keywords).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }

    /// This keyword spelled in the case of `written` (another keyword as written): lowercase
    /// when `written` has no uppercase letter, else uppercase.
    #[must_use]
    pub fn spelled_like(self, written: &str) -> String {
        if written.bytes().any(|b| b.is_ascii_uppercase()) {
            self.as_str().to_owned()
        } else {
            self.as_str().to_ascii_lowercase()
        }
    }

    /// Case-insensitive lookup of a keyword.
    #[must_use]
    pub fn parse(word: &str) -> Keyword {
        Keyword::KNOWN
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// Flags BuildKit accepts on this instruction (without the leading `--`).
    #[must_use]
    pub fn known_flags(self) -> &'static [&'static str] {
        match self {
            Keyword::From => &["platform"],
            Keyword::Run => &["mount", "network", "security", "device"],
            Keyword::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
            Keyword::Add => &[
                "chown",
                "chmod",
                "link",
                "checksum",
                "keep-git-dir",
                "exclude",
                "unpack",
            ],
            Keyword::Healthcheck => &[
                "interval",
                "timeout",
                "start-period",
                "start-interval",
                "retries",
            ],
            _ => &[],
        }
    }
}

/// One instruction, with all its tokens.
#[derive(Debug, Clone)]
pub struct Instruction {
    /// From the keyword to the end of its last line (heredoc terminators included).
    pub span: Span,
    pub keyword: Keyword,
    /// The keyword as written (for unknown instructions, the unknown word).
    pub keyword_text: String,
    pub keyword_span: Span,
    pub flags: Vec<Flag>,
    /// The argument text after the flags, as one span (may cross continuation lines).
    pub args_span: Span,
    pub kind: InstructionKind,
    /// Heredocs of this instruction (RUN, COPY, ADD, and ONBUILD's inner instruction).
    pub heredocs: Vec<Heredoc>,
    /// Variable references (`$A`, `${A:-x}`) in the words BuildKit expands for this instruction.
    pub vars: Vec<VarRef>,
    /// Indices `start..end` into [`Dockerfile::comments`] of the comments above this
    /// instruction: since the previous instruction or the last bare `#` line, as BuildKit's
    /// `PrevComment` (comments inside a continuation are not included).
    pub leading_comments: (u32, u32),
    /// BuildKit's logical line: continuations joined, comment and empty lines dropped.
    pub logical: LogicalText,
    /// 1-based first and last physical line.
    pub lines: (u32, u32),
}

impl Instruction {
    /// The flag `--name`, if given (the last one wins when repeated, as in BuildKit).
    #[must_use]
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// All occurrences of a repeatable flag such as `--mount`.
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// The shell-form or exec-form command of RUN, CMD, ENTRYPOINT, SHELL or HEALTHCHECK CMD.
    #[must_use]
    pub fn command(&self) -> Option<&CommandLine> {
        match &self.kind {
            InstructionKind::Run(c)
            | InstructionKind::Cmd(c)
            | InstructionKind::Entrypoint(c)
            | InstructionKind::Shell(c) => Some(c),
            InstructionKind::Healthcheck(Healthcheck::Cmd { command, .. }) => Some(command),
            _ => None,
        }
    }
}

/// A `--name[=value]` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The whole flag word, `--` included.
    pub span: Span,
    pub name: String,
    pub name_span: Span,
    /// The value with quotes and escapes removed; `None` for a bare flag like `--link`.
    pub value: Option<String>,
    /// The raw value text after `=`.
    pub value_span: Option<Span>,
}

/// An argument word: the raw text as written and its value after quote and escape removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text as written (continuations removed).
    pub raw: String,
    /// Quotes and escapes removed; variables left as written.
    pub value: String,
    pub span: Span,
}

/// Per-instruction typed arguments.
#[derive(Debug, Clone)]
pub enum InstructionKind {
    From(From),
    Run(CommandLine),
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    /// SHELL must be exec form; a shell-form SHELL carries a diagnostic.
    Shell(CommandLine),
    Healthcheck(Healthcheck),
    Copy(Copy),
    Add(Copy),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Expose(Vec<Word>),
    Volume(PathList),
    User(Option<Word>),
    Workdir(Option<Word>),
    Stopsignal(Option<Word>),
    Maintainer(Option<Word>),
    /// The trigger instruction (absent when missing or not allowed).
    Onbuild(Option<Box<Instruction>>),
    /// An unknown instruction: its whitespace-separated arguments.
    Unknown(Vec<Word>),
}

/// `FROM [--platform=..] image [AS name]`.
#[derive(Debug, Clone)]
pub struct From {
    pub image: Option<ImageRef>,
    /// The `AS` keyword's span.
    pub as_span: Option<Span>,
    /// The stage name as written (compare case-insensitively).
    pub alias: Option<Word>,
}

/// The arguments of RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD.
#[derive(Debug, Clone)]
pub enum CommandLine {
    /// A JSON array of strings: no shell involved.
    Exec(ExecForm),
    /// Text handed to the shell.
    Shell(ShellForm),
}

impl CommandLine {
    #[must_use]
    pub fn is_exec(&self) -> bool {
        matches!(self, CommandLine::Exec(_))
    }

    /// The parsed shell script of a shell-form command (None for exec form or a non-POSIX shell).
    #[must_use]
    pub fn script(&self) -> Option<&Script> {
        match self {
            CommandLine::Shell(s) => s.script.as_ref(),
            CommandLine::Exec(_) => None,
        }
    }
}

/// A JSON exec-form array.
#[derive(Debug, Clone)]
pub struct ExecForm {
    /// The whole array, brackets included.
    pub span: Span,
    /// Each element: `raw` is the JSON string with its quotes, `value` the decoded string.
    pub args: Vec<Word>,
}

/// A shell-form command and its parsed script.
#[derive(Debug, Clone)]
pub struct ShellForm {
    /// The command text in the file (continuation lines included).
    pub span: Span,
    /// What the shell receives: the logical command line, plus heredoc bodies and
    /// terminators as BuildKit hands them over, mapped back to file offsets.
    pub text: LogicalText,
    /// The parsed script with spans in file coordinates; `None` when the shell is not a
    /// POSIX shell (see `skip_reason`).
    pub script: Option<Script>,
    /// Why shell analysis was skipped, if it was.
    pub skip_reason: Option<&'static str>,
    /// The text starts with `[` but is not a valid JSON string array (e.g. single quotes),
    /// so BuildKit silently runs it through the shell.
    pub looks_like_json: bool,
}

/// HEALTHCHECK arguments.
#[derive(Debug, Clone)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`.
    None { span: Span },
    /// `HEALTHCHECK [options] CMD command`.
    Cmd {
        cmd_span: Span,
        command: CommandLine,
    },
    /// Missing or unknown type (diagnosed).
    Invalid,
}

/// COPY and ADD arguments.
#[derive(Debug, Clone)]
pub struct Copy {
    /// Sources; a heredoc source appears as its marker word (e.g. `<<EOF`).
    pub sources: Vec<Word>,
    pub dest: Option<Word>,
    /// Written as a JSON array.
    pub json: bool,
}

/// VOLUME arguments.
#[derive(Debug, Clone)]
pub struct PathList {
    pub paths: Vec<Word>,
    pub json: bool,
}

/// An ENV or LABEL pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    /// The whole `key=value` word (or, in legacy form, key and value).
    pub span: Span,
    pub key: Word,
    pub value: Word,
    /// Written in the legacy `ENV key value` form.
    pub legacy: bool,
}

/// One `ARG name[=default]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDecl {
    pub span: Span,
    pub name: Word,
    pub default: Option<Word>,
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The `<<EOF` word in the instruction line.
    pub marker_span: Span,
    /// The delimiter with quotes removed.
    pub name: String,
    /// False when the delimiter was quoted: the body is not variable-expanded.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from body lines and terminator.
    pub chomp: bool,
    /// A file-descriptor prefix such as the `3` of `3<<EOF`.
    pub fd: Option<u32>,
    /// The body lines, line endings included (empty span if the body is empty).
    pub body_span: Span,
    /// The terminator line; `None` when the file ended first.
    pub terminator_span: Option<Span>,
}

impl Heredoc {
    /// The body text as BuildKit uses it (tabs stripped for `<<-`, CRLF normalised).
    #[must_use]
    pub fn content(&self, source: &str) -> String {
        let mut out = String::with_capacity(self.body_span.len());
        for line in self.body_span.slice(source).split_inclusive('\n') {
            let line = line.trim_end_matches('\n').trim_end_matches('\r');
            let line = if self.chomp {
                line.trim_start_matches('\t')
            } else {
                line
            };
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}
