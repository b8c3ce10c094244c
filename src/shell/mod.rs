//! Shell model of RUN bodies: a fast, tolerant, span-exact parser of POSIX sh / bash text.
//!
//! [`parse`] turns shell text (already de-continued by the Dockerfile layer) into a flat list
//! of simple [`Command`]s in source order, each with the control operator before it, its
//! assignments, argv words and redirections, the innermost construct it sits in and its
//! nesting depth. Commands inside compound commands, `$(..)`, backticks, `<(..)` / `>(..)`
//! and re-parsed `sh -c '..'` strings are all included. Every span is a byte range into the
//! input text.
//!
//! The parser never fails and never panics: problems become [`ShellIssue`]s and parsing goes
//! on. It works on bytes (all syntax is ASCII), runs in linear time, and recurses only for
//! command substitutions and `sh -c` strings, bounded by [`MAX_DEPTH`]; compound commands
//! use an explicit frame stack, so any nesting of `( { if ..` is safe.
//!
//! Documented choices:
//! - `(( expr ))` is a command with the words `((`, `expr` (raw text, one word) and `))`;
//!   `[[ .. ]]` is a command whose words are `[[`, its contents and `]]`. Command
//!   substitutions inside `(( ))` commands and `for (( ))` headers are not parsed.
//! - `time` (and `time -p`) is skipped as a pipeline prefix; `!` marks the next simple
//!   command as `negated` (a `!` before a compound command is dropped).
//! - Commands in `for`/`select` bodies get [`Context::For`], in `while`/`until` bodies
//!   [`Context::LoopBody`]; a brace group or subshell that is a function body gives
//!   [`Context::Function`].
//! - Redirections after a compound command (`done < f`, `} > log`) are collected in
//!   [`Script::compound_redirects`].
//! - A backslash escape counts as quoting for [`Word::quoted`]; `\r` is treated as a blank.
//! - `sh -c STRING` is re-parsed when STRING contains no command or process substitution
//!   outside single quotes; parameter expansions (`$X`) are kept literally in the re-parsed
//!   text, so such a string may yield a command named `$CMD`.

use crate::span::Span;
use serde::Serialize;

pub mod bashism;
mod parser;
mod shell_string;
mod word;

#[cfg(test)]
mod tests;

/// Nesting depth above which command substitutions are skipped flat and an issue is recorded.
pub const MAX_DEPTH: u16 = 100;

/// Maximum number of issues kept per parsed text (one more notes that the rest were dropped).
pub const MAX_ISSUES: usize = 1000;

/// Parse shell text (already de-continued by the Dockerfile layer: a plain script, may contain newlines and heredocs).
#[must_use]
pub fn parse(text: &str) -> Script {
    parser::parse_script(text, Context::TopLevel, 0)
}

/// The result of parsing one shell script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Script {
    /// Every simple command, in source order, flattened out of compound commands, command substitutions and re-parsed `sh -c` strings.
    pub commands: Vec<Command>,
    /// Tolerant-parse notes (unterminated quote, unclosed constructs, nesting too deep, ...).
    pub issues: Vec<ShellIssue>,
    /// Redirections attached to compound commands (`done < file`, `} > log 2>&1`).
    pub compound_redirects: Vec<Redirect>,
    /// The `function` keywords of `function name { .. }` definitions (bash/ksh syntax).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub function_keywords: Vec<Span>,
}

/// A problem found while parsing; the parser always goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellIssue {
    pub span: Span,
    pub message: String,
}

/// One simple command: assignments, argv words and redirections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// Covers the assignments, words and redirects of this simple command.
    pub span: Span,
    /// Control operator joining it to the previous command of the same list; `None` for the first one.
    pub op_before: Option<Operator>,
    /// Leading `NAME=value` prefixes.
    pub assignments: Vec<Word>,
    /// argv: command name then arguments (may be empty).
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// Innermost enclosing construct.
    pub context: Context,
    /// Nesting depth (0 = top level).
    pub depth: u16,
    /// Preceded by `!`.
    pub negated: bool,
}

/// A control operator between two commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// `&&`
    AndIf,
    /// `||`
    OrIf,
    /// `;`
    Semi,
    /// `|` or `|&`
    Pipe,
    /// `&`
    Background,
    /// A newline.
    Newline,
}

/// The innermost construct a command sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    TopLevel,
    Subshell,
    BraceGroup,
    IfCondition,
    IfBody,
    WhileCondition,
    LoopBody,
    For,
    Case,
    Function,
    CommandSubstitution,
    ProcessSubstitution,
    /// A re-parsed `sh -c` / `bash -c` argument.
    ShellString,
}

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    /// Exact raw text of the word in the input.
    pub span: Span,
    /// After quote removal and backslash processing; expansions kept as written.
    pub value: String,
    /// Any part was quoted (quotes or a backslash escape).
    pub quoted: bool,
    /// Contains `$var`, `${..}`, `$(..)`, backticks, `$((..))` or `<(..)` outside single quotes.
    pub has_expansion: bool,
}

/// One redirection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    /// Covers the fd number, the operator and the target.
    pub span: Span,
    pub fd: Option<u32>,
    pub op: RedirectOp,
    /// The target word (the delimiter word for heredocs); `None` when missing.
    pub target: Option<Word>,
    /// For heredocs: the body, from the line after the command up to the terminator line.
    pub heredoc_body: Option<Span>,
}

/// A redirection operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectOp {
    /// `>`
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `<<`
    Heredoc,
    /// `<<-`
    HeredocStrip,
    /// `<<<`
    HereString,
    /// `>&`
    DupOut,
    /// `<&`
    DupIn,
    /// `&>`
    OutErr,
    /// `&>>`
    AppendOutErr,
    /// `>|`
    Clobber,
    /// `<>`
    ReadWrite,
}

impl Script {
    /// Rewrite every span (commands, words, assignments, redirects, heredoc bodies, issues).
    pub fn remap(&mut self, f: impl Fn(Span) -> Span) {
        for c in &mut self.commands {
            c.remap(&f);
        }
        for r in &mut self.compound_redirects {
            r.remap(&f);
        }
        for i in &mut self.issues {
            i.span = f(i.span);
        }
        for k in &mut self.function_keywords {
            *k = f(*k);
        }
    }
}

impl Command {
    /// The command name (first word), if any.
    #[must_use]
    pub fn name(&self) -> Option<&Word> {
        self.words.first()
    }

    /// The arguments after the command name.
    #[must_use]
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// Rewrite every span of this command.
    fn remap(&mut self, f: &dyn Fn(Span) -> Span) {
        self.span = f(self.span);
        for w in self.assignments.iter_mut().chain(self.words.iter_mut()) {
            w.span = f(w.span);
        }
        for r in &mut self.redirects {
            r.remap(f);
        }
    }
}

impl Redirect {
    /// Rewrite every span of this redirection.
    fn remap(&mut self, f: &dyn Fn(Span) -> Span) {
        self.span = f(self.span);
        if let Some(t) = &mut self.target {
            t.span = f(t.span);
        }
        if let Some(b) = &mut self.heredoc_body {
            *b = f(*b);
        }
    }
}
