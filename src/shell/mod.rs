//! Temporary stub of the shell model API (the real one is being written).
#![allow(missing_docs)]
use crate::span::Span;
use serde::Serialize;

pub fn parse(_text: &str) -> Script {
    Script::default()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Script {
    pub commands: Vec<Command>,
    pub issues: Vec<ShellIssue>,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellIssue {
    pub span: Span,
    pub message: String,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    pub span: Span,
    pub op_before: Option<Operator>,
    pub assignments: Vec<Word>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub context: Context,
    pub depth: u16,
    pub negated: bool,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    AndIf,
    OrIf,
    Semi,
    Pipe,
    Background,
    Newline,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    TopLevel,
    Subshell,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    pub span: Span,
    pub value: String,
    pub quoted: bool,
    pub has_expansion: bool,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirect {
    pub span: Span,
    pub fd: Option<u32>,
    pub op: RedirectOp,
    pub target: Option<Word>,
    pub heredoc_body: Option<Span>,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectOp {
    Out,
    Append,
    In,
    Heredoc,
}
impl Script {
    pub fn remap(&mut self, f: impl Fn(Span) -> Span) {
        for c in &mut self.commands {
            c.span = f(c.span);
            for w in c.assignments.iter_mut().chain(c.words.iter_mut()) {
                w.span = f(w.span);
            }
        }
        for i in &mut self.issues {
            i.span = f(i.span);
        }
    }
}
