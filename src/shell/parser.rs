//! The list and compound-command layer: an iterative state machine with an explicit frame stack.

use super::word::{assignment_len, Nest};
use super::{
    Command, Context, Operator, Redirect, RedirectOp, Script, ShellIssue, Word, MAX_DEPTH,
    MAX_ISSUES,
};
use crate::span::Span;

/// Parse `text` as a script whose top-level commands get context `base` and nesting `depth`.
pub(super) fn parse_script(text: &str, base: Context, depth: u16) -> Script {
    let mut p = Parser::new(text, depth);
    p.parse_list(base, false);
    p.into_script()
}

/// Parser state shared by the list layer and the word scanner.
pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) b: &'a [u8],
    pub(super) pos: usize,
    /// Current end of input (the closing backtick while parsing a backtick substitution).
    pub(super) end: usize,
    /// Nesting depth of the commands being parsed now.
    pub(super) depth: u16,
    pub(super) commands: Vec<Command>,
    pub(super) issues: Vec<ShellIssue>,
    pub(super) compound_redirects: Vec<Redirect>,
    /// Spans of the `function` keywords of function definitions.
    pub(super) function_keywords: Vec<Span>,
    /// Open quotes/expansions of the words being scanned (with their opening offsets).
    pub(super) nest: Vec<(Nest, usize)>,
    heredocs: Vec<PendingHeredoc>,
    deep_reported: bool,
    /// Bytes left for `((` look-ahead scans, so that malformed input cannot make them quadratic.
    arith_budget: usize,
}

/// A heredoc whose body starts after the next newline token.
struct PendingHeredoc {
    delim: Vec<u8>,
    strip_tabs: bool,
    op: Span,
    target: HeredocTarget,
}

/// Where the redirect of a pending heredoc lives.
#[derive(Clone, Copy)]
enum HeredocTarget {
    Command(usize, usize),
    Compound(usize),
}

/// Kinds of compound commands on the frame stack.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Subshell = 0,
    Brace = 1,
    If = 2,
    Loop = 3,
    Case = 4,
}

impl Kind {
    /// The keyword that closes this construct.
    fn closer(self) -> &'static str {
        match self {
            Kind::Subshell => ")",
            Kind::Brace => "}",
            Kind::If => "fi",
            Kind::Loop => "done",
            Kind::Case => "esac",
        }
    }
}

/// An open compound command.
struct Frame {
    kind: Kind,
    /// If: in a body (after `then`/`else`); Loop: after `do`; Case: expecting a pattern.
    phase: bool,
    is_for: bool,
    ctx: Context,
    open: Span,
    opener: &'static str,
}

/// State of the command list being read.
#[derive(Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent flags of one small state machine"
)]
struct ListState {
    /// The simple command being built (index into `commands`).
    cur: Option<usize>,
    /// The first operator after the previous command.
    sep: Option<Operator>,
    op_span: Span,
    /// No command yet in this list.
    first: bool,
    /// A command was seen since the last operator.
    have_cmd: bool,
    /// The last operator (`&&`, `||`, `|`) needs a command after it.
    need_more: bool,
    negate: bool,
    /// A compound command just closed: redirections attach to it.
    compound_tail: bool,
    /// A function header was read: the next compound command is its body.
    function_next: bool,
}

impl ListState {
    /// Bookkeeping when a command (simple or compound) starts; returns its operator.
    fn start_command(&mut self) -> Option<Operator> {
        let op = if self.first { None } else { self.sep };
        self.first = false;
        self.sep = None;
        self.have_cmd = true;
        self.need_more = false;
        self.compound_tail = false;
        self.function_next = false;
        op
    }
}

/// The frames and list state of one `parse_list` call.
struct Scope {
    frames: Vec<Frame>,
    counts: [u32; 5],
    ls: ListState,
    base: Context,
}

impl Scope {
    /// Context for commands started now.
    fn ctx(&self) -> Context {
        self.frames.last().map_or(self.base, |f| f.ctx)
    }

    /// Whether the innermost frame is a `case` waiting for a pattern.
    fn in_case_patterns(&self) -> bool {
        self.ls.cur.is_none()
            && self
                .frames
                .last()
                .is_some_and(|f| f.kind == Kind::Case && f.phase)
    }
}

/// Reserved words recognised in command position.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kw {
    If,
    Then,
    Elif,
    Else,
    Fi,
    While,
    Until,
    For,
    Select,
    Do,
    Done,
    Case,
    Esac,
    LBrace,
    RBrace,
    Bang,
    Time,
    Function,
    DBracket,
}

/// The reserved word spelled by `w`, if any.
fn keyword(w: &[u8]) -> Option<Kw> {
    Some(match w {
        b"if" => Kw::If,
        b"then" => Kw::Then,
        b"elif" => Kw::Elif,
        b"else" => Kw::Else,
        b"fi" => Kw::Fi,
        b"while" => Kw::While,
        b"until" => Kw::Until,
        b"for" => Kw::For,
        b"select" => Kw::Select,
        b"do" => Kw::Do,
        b"done" => Kw::Done,
        b"case" => Kw::Case,
        b"esac" => Kw::Esac,
        b"{" => Kw::LBrace,
        b"}" => Kw::RBrace,
        b"!" => Kw::Bang,
        b"time" => Kw::Time,
        b"function" => Kw::Function,
        b"[[" => Kw::DBracket,
        _ => return None,
    })
}

/// Bytes that end an unquoted word.
pub(super) fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

impl<'a> Parser<'a> {
    /// A parser over `text` whose commands start at nesting `depth`.
    pub(super) fn new(text: &'a str, depth: u16) -> Self {
        Parser {
            src: text,
            b: text.as_bytes(),
            pos: 0,
            end: text.len(),
            depth,
            commands: Vec::new(),
            issues: Vec::new(),
            compound_redirects: Vec::new(),
            function_keywords: Vec::new(),
            nest: Vec::new(),
            heredocs: Vec::new(),
            deep_reported: false,
            arith_budget: text.len().saturating_mul(2) + 4096,
        }
    }

    /// Finish: report heredocs without body and order the results.
    pub(super) fn into_script(mut self) -> Script {
        for h in std::mem::take(&mut self.heredocs) {
            self.issue(
                h.op,
                "here-document has no body (no newline after the command)",
            );
        }
        if !self.commands.is_sorted_by_key(|c| c.span.start) {
            self.commands.sort_by_key(|c| c.span.start);
        }
        if !self.issues.is_sorted_by_key(|i| i.span.start) {
            self.issues.sort_by_key(|i| i.span.start);
        }
        Script {
            commands: self.commands,
            issues: self.issues,
            compound_redirects: self.compound_redirects,
            function_keywords: self.function_keywords,
        }
    }

    /// Record an issue; past [`MAX_ISSUES`] only a final note is kept (formatting is skipped).
    pub(super) fn issue(&mut self, span: Span, message: impl std::fmt::Display) {
        let n = self.issues.len();
        if n < MAX_ISSUES {
            self.issues.push(ShellIssue {
                span,
                message: message.to_string(),
            });
        } else if n == MAX_ISSUES {
            self.issues.push(ShellIssue {
                span,
                message: format!("more than {MAX_ISSUES} issues; the rest are not reported"),
            });
        }
    }

    /// Record (once per parse) that nesting went beyond [`MAX_DEPTH`].
    pub(super) fn too_deep(&mut self, span: Span) {
        if !self.deep_reported {
            self.deep_reported = true;
            self.issue(
                span,
                format_args!(
                    "nesting deeper than {MAX_DEPTH} levels; inner substitutions are not analysed"
                ),
            );
        }
    }

    /// The byte at `i`, or 0 past the current end.
    pub(super) fn at(&self, i: usize) -> u8 {
        if i < self.end {
            self.b[i]
        } else {
            0
        }
    }

    /// A span `start..end`, clamped so that it is never reversed.
    pub(super) fn span(start: usize, end: usize) -> Span {
        Span::new(start, end.max(start))
    }

    /// The span of the whole character at the current position.
    fn char_span(&self) -> Span {
        let mut e = (self.pos + 1).min(self.end);
        while e < self.end && (self.b[e] & 0xC0) == 0x80 {
            e += 1;
        }
        Self::span(self.pos, e)
    }

    /// Advance past one whole character.
    pub(super) fn bump(&mut self) {
        self.pos += 1;
        while self.pos < self.end && (self.b[self.pos] & 0xC0) == 0x80 {
            self.pos += 1;
        }
    }

    /// Skip spaces, tabs, `\r`, backslash-newline continuations and a comment.
    pub(super) fn skip_blanks(&mut self) {
        while self.pos < self.end {
            match self.b[self.pos] {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.at(self.pos + 1) == b'\n' => self.pos += 2,
                b'\\' if self.at(self.pos + 1) == b'\r' && self.at(self.pos + 2) == b'\n' => {
                    self.pos += 3;
                }
                b'#' => {
                    let rest = &self.b[self.pos..self.end];
                    self.pos += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                }
                _ => return,
            }
        }
    }

    /// Skip blanks, comments and newline tokens (reading heredoc bodies).
    fn skip_blanks_and_newlines(&mut self) {
        loop {
            self.skip_blanks();
            if self.at(self.pos) == b'\n' {
                self.newline();
            } else {
                return;
            }
        }
    }

    /// Whether a word starts at the current position.
    pub(super) fn at_word_start(&self) -> bool {
        if self.pos >= self.end {
            return false;
        }
        match self.b[self.pos] {
            b'<' | b'>' => self.at(self.pos + 1) == b'(',
            c => !is_delim(c),
        }
    }

    /// Whether the bytes at the current position are the plain word `w`.
    fn peek_word(&self, w: &[u8]) -> bool {
        let e = self.pos + w.len();
        e <= self.end && &self.b[self.pos..e] == w && (e == self.end || is_delim(self.b[e]))
    }

    /// The reserved word at the current position and its length, if any.
    fn peek_keyword(&self) -> Option<(Kw, usize)> {
        let s = self.pos;
        let mut e = s;
        while e < self.end
            && e - s < 9
            && matches!(self.b[e], b'a'..=b'z' | b'{' | b'}' | b'!' | b'[')
        {
            e += 1;
        }
        if e == s || (e < self.end && !is_delim(self.b[e])) {
            return None;
        }
        keyword(&self.b[s..e]).map(|k| (k, e - s))
    }

    /// Parse a command list to the end of input or, when `paren`, to an unmatched `)`;
    /// returns whether that `)` was found (and consumed).
    pub(super) fn parse_list(&mut self, base: Context, paren: bool) -> bool {
        let base_depth = self.depth;
        let mut sc = Scope {
            frames: Vec::new(),
            counts: [0; 5],
            ls: ListState {
                first: true,
                ..ListState::default()
            },
            base,
        };
        let closed = loop {
            self.skip_blanks();
            if self.pos >= self.end {
                break false;
            }
            if sc.in_case_patterns() {
                self.case_patterns(&mut sc);
                continue;
            }
            let next = self.at(self.pos + 1);
            match self.b[self.pos] {
                b'\n' => {
                    self.finish(&mut sc);
                    if sc.ls.have_cmd {
                        sc.ls.sep = Some(Operator::Newline);
                        sc.ls.have_cmd = false;
                    }
                    sc.ls.compound_tail = false;
                    self.newline();
                }
                b';' => self.semicolon(&mut sc),
                b'|' if next == b'|' => self.separator(&mut sc, Operator::OrIf, 2),
                b'|' if next == b'&' => self.separator(&mut sc, Operator::Pipe, 2),
                b'|' => self.separator(&mut sc, Operator::Pipe, 1),
                b'&' if next == b'>' => self.redirect(&mut sc),
                b'&' if next == b'&' => self.separator(&mut sc, Operator::AndIf, 2),
                b'&' => self.separator(&mut sc, Operator::Background, 1),
                b'(' => self.open_paren(&mut sc),
                b')' => {
                    if self.close_paren(&mut sc, paren) {
                        break true;
                    }
                }
                b'<' | b'>' if next != b'(' => self.redirect(&mut sc),
                c if c.is_ascii_digit() && self.fd_ahead() => self.redirect(&mut sc),
                _ => self.word_token(&mut sc),
            }
        };
        self.end_list(&mut sc);
        self.depth = base_depth;
        closed
    }

    /// Close everything still open at the end of a list, with issues.
    fn end_list(&mut self, sc: &mut Scope) {
        self.finish(sc);
        if sc.ls.need_more {
            self.dangling_operator(sc);
        }
        while let Some(f) = sc.frames.pop() {
            self.issue(
                f.open,
                format_args!(
                    "`{}` is never closed (missing `{}`)",
                    f.opener,
                    f.kind.closer()
                ),
            );
        }
    }

    /// Report an operator that has no command after it.
    fn dangling_operator(&mut self, sc: &mut Scope) {
        sc.ls.need_more = false;
        let sp = sc.ls.op_span;
        self.issue(sp, "operator is not followed by a command");
    }

    /// Consume a newline token and read the bodies of pending heredocs.
    pub(super) fn newline(&mut self) {
        self.pos += 1;
        if self.heredocs.is_empty() {
            return;
        }
        let mut pending = std::mem::take(&mut self.heredocs);
        for h in pending.drain(..) {
            self.read_heredoc(&h);
        }
        if self.heredocs.is_empty() {
            self.heredocs = pending;
        }
    }

    /// Read one heredoc body up to its terminator line.
    fn read_heredoc(&mut self, h: &PendingHeredoc) {
        let body_start = self.pos;
        let mut line = self.pos;
        let body_end = loop {
            if line >= self.end {
                self.issue(
                    h.op,
                    "here-document is not terminated (missing delimiter line)",
                );
                self.pos = self.end;
                break self.end;
            }
            let rest = &self.b[line..self.end];
            let line_end = line + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            let mut s = line;
            if h.strip_tabs {
                while s < line_end && self.b[s] == b'\t' {
                    s += 1;
                }
            }
            let mut e = line_end;
            if e > s && self.b[e - 1] == b'\r' {
                e -= 1;
            }
            if self.b[s..e] == h.delim[..] {
                self.pos = (line_end + 1).min(self.end);
                break line;
            }
            line = line_end + 1;
        };
        let body = Some(Self::span(body_start, body_end));
        match h.target {
            HeredocTarget::Command(ci, ri) => {
                if let Some(r) = self
                    .commands
                    .get_mut(ci)
                    .and_then(|c| c.redirects.get_mut(ri))
                {
                    r.heredoc_body = body;
                }
            }
            HeredocTarget::Compound(i) => {
                if let Some(r) = self.compound_redirects.get_mut(i) {
                    r.heredoc_body = body;
                }
            }
        }
    }

    /// End the simple command being built, re-parsing an `sh -c` string if it has one.
    fn finish(&mut self, sc: &mut Scope) {
        if let Some(idx) = sc.ls.cur.take() {
            self.shell_string(idx);
        }
    }

    /// Start a simple command at `start`; returns its index.
    fn begin_command(&mut self, sc: &mut Scope, start: usize) -> usize {
        let op_before = sc.ls.start_command();
        let negated = std::mem::take(&mut sc.ls.negate);
        let idx = self.commands.len();
        self.commands.push(Command {
            span: Span::empty(start),
            op_before,
            assignments: Vec::new(),
            words: Vec::new(),
            redirects: Vec::new(),
            context: sc.ctx(),
            depth: self.depth,
            negated,
        });
        sc.ls.cur = Some(idx);
        idx
    }

    /// Add a word to command `idx`: an assignment while no command name was seen.
    fn push_word(&mut self, idx: usize, w: Word) {
        let is_assign = self.commands[idx].words.is_empty()
            && assignment_len(&self.b[w.span.start()..w.span.end()]).is_some();
        let cmd = &mut self.commands[idx];
        cmd.span = cmd.span.cover(w.span);
        if is_assign {
            cmd.assignments.push(w);
        } else {
            cmd.words.push(w);
        }
    }

    /// Add a word whose value is its raw text (operators inside `[[ ]]`, `((`, `))`).
    fn push_raw_word(&mut self, idx: usize, start: usize, end: usize) {
        let raw = &self.b[start..end];
        let w = Word {
            span: Self::span(start, end),
            value: String::from_utf8_lossy(raw).into_owned(),
            quoted: raw.iter().any(|&c| matches!(c, b'\'' | b'"' | b'\\')),
            has_expansion: raw.iter().any(|&c| matches!(c, b'$' | b'`')),
        };
        let cmd = &mut self.commands[idx];
        cmd.span = cmd.span.cover(w.span);
        cmd.words.push(w);
    }

    /// A word token: a reserved word in command position, else part of a simple command.
    fn word_token(&mut self, sc: &mut Scope) {
        let idx = if let Some(idx) = sc.ls.cur {
            idx
        } else {
            if let Some((kw, len)) = self.peek_keyword() {
                let sp = Self::span(self.pos, self.pos + len);
                self.pos += len;
                self.keyword(sc, kw, sp);
                return;
            }
            if sc.ls.compound_tail {
                let sp = self.char_span();
                self.issue(sp, "unexpected word after a compound command");
            }
            self.begin_command(sc, self.pos)
        };
        let w = self.scan_word(false);
        if w.span.is_empty() {
            let sp = self.char_span();
            self.issue(sp, "unexpected character");
            self.bump();
            return;
        }
        self.push_word(idx, w);
    }

    /// Handle a reserved word in command position.
    fn keyword(&mut self, sc: &mut Scope, kw: Kw, sp: Span) {
        match kw {
            Kw::If => self.open(sc, Kind::If, Context::IfCondition, sp, "if"),
            Kw::While => self.open(sc, Kind::Loop, Context::WhileCondition, sp, "while"),
            Kw::Until => self.open(sc, Kind::Loop, Context::WhileCondition, sp, "until"),
            Kw::For | Kw::Select => {
                let name = if kw == Kw::For { "for" } else { "select" };
                self.open(sc, Kind::Loop, Context::For, sp, name);
                if let Some(f) = sc.frames.last_mut() {
                    f.is_for = true;
                }
                self.for_header();
            }
            Kw::Case => {
                self.open(sc, Kind::Case, Context::Case, sp, "case");
                if let Some(f) = sc.frames.last_mut() {
                    f.phase = true;
                }
                self.case_header();
            }
            Kw::LBrace => self.open(sc, Kind::Brace, Context::BraceGroup, sp, "{"),
            Kw::Then | Kw::Elif | Kw::Else | Kw::Do => self.middle_keyword(sc, kw, sp),
            Kw::Fi => self.close(sc, Kind::If, sp),
            Kw::Done => self.close(sc, Kind::Loop, sp),
            Kw::Esac => self.close(sc, Kind::Case, sp),
            Kw::RBrace => self.close(sc, Kind::Brace, sp),
            Kw::Bang => sc.ls.negate = true,
            Kw::Time => {
                self.skip_blanks();
                if self.peek_word(b"-p") {
                    self.pos += 2;
                }
            }
            Kw::Function => {
                self.function_keywords.push(sp);
                self.function_header(sc);
            }
            Kw::DBracket => self.test_command(sc, sp),
        }
    }

    /// `then`, `elif`, `else`, `do`: switch the innermost frame to its next part.
    fn middle_keyword(&mut self, sc: &mut Scope, kw: Kw, sp: Span) {
        let ok = match (kw, sc.frames.last_mut()) {
            (Kw::Then, Some(f)) if f.kind == Kind::If && !f.phase => {
                f.phase = true;
                f.ctx = Context::IfBody;
                true
            }
            (Kw::Elif, Some(f)) if f.kind == Kind::If && f.phase => {
                f.phase = false;
                f.ctx = Context::IfCondition;
                true
            }
            (Kw::Else, Some(f)) if f.kind == Kind::If && f.phase => {
                f.ctx = Context::IfBody;
                true
            }
            (Kw::Do, Some(f)) if f.kind == Kind::Loop && !f.phase => {
                f.phase = true;
                f.ctx = if f.is_for {
                    Context::For
                } else {
                    Context::LoopBody
                };
                true
            }
            _ => false,
        };
        if !ok {
            let src = self.src;
            self.issue(sp, format_args!("unexpected `{}`", sp.slice(src)));
            return;
        }
        if sc.ls.need_more {
            self.dangling_operator(sc);
        }
        sc.ls = ListState {
            first: true,
            ..ListState::default()
        };
    }

    /// Open a compound command frame.
    fn open(&mut self, sc: &mut Scope, kind: Kind, ctx: Context, sp: Span, opener: &'static str) {
        let function = sc.ls.function_next && matches!(kind, Kind::Brace | Kind::Subshell);
        sc.ls.start_command();
        sc.frames.push(Frame {
            kind,
            phase: false,
            is_for: false,
            ctx: if function { Context::Function } else { ctx },
            open: sp,
            opener,
        });
        sc.counts[kind as usize] += 1;
        self.depth = self.depth.saturating_add(1);
        if self.depth > MAX_DEPTH {
            self.too_deep(sp);
        }
        sc.ls = ListState {
            first: true,
            ..ListState::default()
        };
    }

    /// Close the innermost frame of `kind`, reporting frames left open inside it.
    fn close(&mut self, sc: &mut Scope, kind: Kind, sp: Span) {
        if sc.counts[kind as usize] == 0 {
            self.issue(
                sp,
                format_args!("unexpected `{}` (nothing to close)", kind.closer()),
            );
            return;
        }
        if sc.ls.need_more {
            self.dangling_operator(sc);
        }
        while let Some(f) = sc.frames.pop() {
            sc.counts[f.kind as usize] -= 1;
            self.depth = self.depth.saturating_sub(1);
            if f.kind == kind {
                if matches!(f.kind, Kind::If | Kind::Loop) && !f.phase {
                    let missing = if f.kind == Kind::If { "then" } else { "do" };
                    self.issue(f.open, format_args!("`{}` without `{missing}`", f.opener));
                }
                break;
            }
            self.issue(
                f.open,
                format_args!(
                    "`{}` is never closed (missing `{}`)",
                    f.opener,
                    f.kind.closer()
                ),
            );
        }
        sc.ls = ListState {
            have_cmd: true,
            compound_tail: true,
            ..ListState::default()
        };
    }

    /// `;`, `;;`, `;&`, `;;&`.
    fn semicolon(&mut self, sc: &mut Scope) {
        let n1 = self.at(self.pos + 1);
        let len = match (n1, self.at(self.pos + 2)) {
            (b';', b'&') => 3,
            (b';' | b'&', _) => 2,
            _ => return self.separator(sc, Operator::Semi, 1),
        };
        self.finish(sc);
        let sp = Self::span(self.pos, self.pos + len);
        self.pos += len;
        match sc.frames.last_mut() {
            Some(f) if f.kind == Kind::Case && !f.phase => f.phase = true,
            _ => {
                self.issue(sp, "case terminator outside a case item");
                return;
            }
        }
        if sc.ls.need_more {
            self.dangling_operator(sc);
        }
        sc.ls = ListState::default();
    }

    /// A control operator of `len` bytes.
    fn separator(&mut self, sc: &mut Scope, op: Operator, len: usize) {
        self.finish(sc);
        let sp = Self::span(self.pos, self.pos + len);
        self.pos += len;
        let ls = &mut sc.ls;
        ls.compound_tail = false;
        if ls.have_cmd {
            ls.sep = Some(op);
            ls.have_cmd = false;
        } else {
            let src = self.src;
            self.issue(
                sp,
                format_args!("`{}` has no command before it", sp.slice(src)),
            );
        }
        sc.ls.need_more = matches!(op, Operator::AndIf | Operator::OrIf | Operator::Pipe);
        sc.ls.op_span = sp;
    }

    /// `(`: a subshell, an arithmetic command, or the `()` of a function definition.
    fn open_paren(&mut self, sc: &mut Scope) {
        if let Some(idx) = sc.ls.cur {
            if !self.function_parens(sc, idx) {
                let sp = Self::span(self.pos, self.pos + 1);
                self.issue(sp, "unexpected `(`");
                self.pos += 1;
            }
            return;
        }
        if self.at(self.pos + 1) == b'(' {
            if let Some(close) = self.arith_end(self.pos + 2) {
                self.arith_command(sc, close);
                return;
            }
        }
        let sp = Self::span(self.pos, self.pos + 1);
        self.pos += 1;
        self.open(sc, Kind::Subshell, Context::Subshell, sp, "(");
    }

    /// `name ()`: turn the one-word command `idx` into a function header.
    fn function_parens(&mut self, sc: &mut Scope, idx: usize) -> bool {
        let cmd = &self.commands[idx];
        if cmd.words.len() != 1 || !cmd.assignments.is_empty() || !cmd.redirects.is_empty() {
            return false;
        }
        let mut i = self.pos + 1;
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        if self.at(i) != b')' {
            return false;
        }
        self.pos = i + 1;
        if idx + 1 == self.commands.len() {
            self.commands.pop();
        }
        sc.ls.cur = None;
        sc.ls.function_next = true;
        true
    }

    /// `)`: closes a subshell, or the substitution being parsed; returns true for the latter.
    fn close_paren(&mut self, sc: &mut Scope, paren: bool) -> bool {
        self.finish(sc);
        let sp = Self::span(self.pos, self.pos + 1);
        self.pos += 1;
        if sc.counts[Kind::Subshell as usize] > 0 {
            self.close(sc, Kind::Subshell, sp);
            false
        } else if paren {
            true
        } else {
            self.issue(sp, "unexpected `)`");
            false
        }
    }

    /// Where the `))` closing an arithmetic `((` starting at `from` is, if it is one.
    pub(super) fn arith_end(&mut self, from: usize) -> Option<usize> {
        let mut depth = 0u32;
        let mut i = from;
        let found = loop {
            if i >= self.end || i - from > self.arith_budget {
                break None;
            }
            match self.b[i] {
                b'(' => depth += 1,
                b')' if depth > 0 => depth -= 1,
                b')' if self.at(i + 1) == b')' => break Some(i),
                b')' => break None,
                b'\\' => i += 1,
                q @ (b'\'' | b'"') => {
                    let rest = &self.b[(i + 1).min(self.end)..self.end];
                    match rest.iter().position(|&c| c == q) {
                        Some(p) => i += p + 1,
                        None => break None,
                    }
                }
                _ => {}
            }
            i += 1;
        };
        self.arith_budget = self.arith_budget.saturating_sub(i.min(self.end) - from);
        found
    }

    /// `(( expr ))` as a command with the words `((`, `expr` and `))`.
    fn arith_command(&mut self, sc: &mut Scope, close: usize) {
        let start = self.pos;
        let idx = self.begin_command(sc, start);
        self.push_raw_word(idx, start, start + 2);
        let mut s = start + 2;
        let mut e = close;
        while s < e && matches!(self.b[s], b' ' | b'\t' | b'\n' | b'\r') {
            s += 1;
        }
        while e > s && matches!(self.b[e - 1], b' ' | b'\t' | b'\n' | b'\r') {
            e -= 1;
        }
        if e > s {
            self.push_raw_word(idx, s, e);
        }
        self.push_raw_word(idx, close, close + 2);
        self.pos = close + 2;
    }

    /// Whether digits at the current position are the fd number of a redirection.
    fn fd_ahead(&self) -> bool {
        let mut i = self.pos;
        while self.at(i).is_ascii_digit() {
            i += 1;
        }
        matches!(self.at(i), b'<' | b'>') && self.at(i + 1) != b'('
    }

    /// A redirection: optional fd, operator, target word (heredocs are queued).
    fn redirect(&mut self, sc: &mut Scope) {
        let start = self.pos;
        let mut fd: Option<u32> = None;
        while self.at(self.pos).is_ascii_digit() {
            let d = u32::from(self.b[self.pos] - b'0');
            fd = Some(fd.unwrap_or(0).saturating_mul(10).saturating_add(d));
            self.pos += 1;
        }
        let (op, len) = redirect_op(
            self.at(self.pos),
            self.at(self.pos + 1),
            self.at(self.pos + 2),
        );
        self.pos += len;
        let op_end = self.pos;
        let cmd = if sc.ls.cur.is_none() && sc.ls.compound_tail {
            None
        } else {
            Some(sc.ls.cur.unwrap_or_else(|| self.begin_command(sc, start)))
        };
        self.skip_blanks();
        let target = if self.at_word_start() {
            Some(self.scan_word(false))
        } else {
            let sp = Self::span(start, op_end);
            self.issue(sp, "redirection without a target");
            None
        };
        let end = target.as_ref().map_or(op_end, |t| t.span.end());
        let heredoc = matches!(op, RedirectOp::Heredoc | RedirectOp::HeredocStrip);
        let delim = target
            .as_ref()
            .filter(|_| heredoc)
            .map(|t| t.value.as_bytes().to_vec());
        let r = Redirect {
            span: Self::span(start, end),
            fd,
            op,
            target,
            heredoc_body: None,
        };
        let loc = if let Some(ci) = cmd {
            let c = &mut self.commands[ci];
            c.span = c.span.cover(r.span);
            c.redirects.push(r);
            HeredocTarget::Command(ci, c.redirects.len() - 1)
        } else {
            self.compound_redirects.push(r);
            HeredocTarget::Compound(self.compound_redirects.len() - 1)
        };
        if let Some(delim) = delim {
            self.heredocs.push(PendingHeredoc {
                delim,
                strip_tabs: op == RedirectOp::HeredocStrip,
                op: Self::span(start, op_end),
                target: loc,
            });
        }
    }

    /// `for NAME [in WORDS] ;` or `for (( .. ))`: the header up to `do`.
    fn for_header(&mut self) {
        self.skip_blanks();
        if self.at(self.pos) == b'(' && self.at(self.pos + 1) == b'(' {
            if let Some(close) = self.arith_end(self.pos + 2) {
                self.pos = close + 2;
            } else {
                let sp = Self::span(self.pos, self.pos + 2);
                self.issue(sp, "unterminated `for ((`");
                let rest = &self.b[self.pos..self.end];
                self.pos += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                return;
            }
        } else if self.at_word_start() {
            self.scan_word(false);
        } else {
            let sp = Self::span(self.pos, self.pos);
            self.issue(sp, "`for` without a variable name");
        }
        self.skip_blanks_and_newlines();
        if self.peek_word(b"in") {
            self.pos += 2;
            loop {
                self.skip_blanks();
                if !self.at_word_start() || self.scan_word(false).span.is_empty() {
                    break;
                }
            }
        }
        self.skip_blanks();
        if self.at(self.pos) == b';' && self.at(self.pos + 1) != b';' {
            self.pos += 1;
        }
    }

    /// `case WORD in`.
    fn case_header(&mut self) {
        self.skip_blanks();
        if self.at_word_start() {
            self.scan_word(false);
        } else {
            let sp = Self::span(self.pos, self.pos);
            self.issue(sp, "`case` without a word");
        }
        self.skip_blanks_and_newlines();
        if self.peek_word(b"in") {
            self.pos += 2;
        } else {
            let sp = Self::span(self.pos, self.pos);
            self.issue(sp, "`case` without `in`");
        }
    }

    /// Case patterns `[(] p1 | p2 )`, or `esac`.
    fn case_patterns(&mut self, sc: &mut Scope) {
        match self.b[self.pos] {
            b'\n' => return self.newline(),
            b';' => {
                let sp = Self::span(self.pos, self.pos + 1);
                self.issue(sp, "unexpected `;` in case patterns");
                self.pos += 1;
                return;
            }
            _ => {}
        }
        if let Some((Kw::Esac, len)) = self.peek_keyword() {
            let sp = Self::span(self.pos, self.pos + len);
            self.pos += len;
            return self.close(sc, Kind::Case, sp);
        }
        if self.b[self.pos] == b'(' {
            self.pos += 1;
        }
        loop {
            self.skip_blanks();
            if self.pos >= self.end {
                break;
            }
            match self.b[self.pos] {
                b')' => {
                    self.pos += 1;
                    break;
                }
                b'|' => self.pos += 1,
                b'\n' | b';' | b'&' | b'(' | b'<' | b'>' => {
                    let sp = Self::span(self.pos, self.pos + 1);
                    self.issue(sp, "malformed case pattern (missing `)`)");
                    break;
                }
                _ => {
                    if self.scan_word(false).span.is_empty() {
                        self.bump();
                    }
                }
            }
        }
        if let Some(f) = sc.frames.last_mut() {
            f.phase = false;
        }
        sc.ls = ListState {
            first: true,
            ..ListState::default()
        };
    }

    /// `function NAME [()]`: the next compound command is the body.
    fn function_header(&mut self, sc: &mut Scope) {
        self.skip_blanks();
        if self.at_word_start() {
            self.scan_word(false);
        } else {
            let sp = Self::span(self.pos, self.pos);
            self.issue(sp, "`function` without a name");
        }
        self.skip_blanks();
        if self.at(self.pos) == b'(' {
            let mut i = self.pos + 1;
            while matches!(self.at(i), b' ' | b'\t') {
                i += 1;
            }
            if self.at(i) == b')' {
                self.pos = i + 1;
            }
        }
        sc.ls.function_next = true;
    }

    /// `[[ .. ]]`: a command named `[[` whose words are its contents and `]]`.
    fn test_command(&mut self, sc: &mut Scope, sp: Span) {
        let idx = self.begin_command(sc, sp.start());
        self.push_raw_word(idx, sp.start(), sp.end());
        let mut after_logic = false;
        loop {
            self.skip_blanks();
            if self.pos >= self.end {
                self.issue(sp, "`[[` without matching `]]`");
                break;
            }
            let c = self.b[self.pos];
            let n = self.at(self.pos + 1);
            match c {
                b'\n' if after_logic => {
                    self.newline();
                    continue;
                }
                b'&' | b'|' if n == c => {
                    self.push_raw_word(idx, self.pos, self.pos + 2);
                    self.pos += 2;
                    after_logic = true;
                    continue;
                }
                b'\n' | b';' | b'&' => {
                    self.issue(sp, "`[[` without matching `]]`");
                    break;
                }
                b'(' | b')' | b'<' | b'>' | b'|' => {
                    self.push_raw_word(idx, self.pos, self.pos + 1);
                    self.pos += 1;
                }
                _ => {
                    let w = self.scan_word(true);
                    if w.span.is_empty() {
                        self.bump();
                        continue;
                    }
                    let is_end = &self.b[w.span.start()..w.span.end()] == b"]]";
                    self.push_word(idx, w);
                    if is_end {
                        break;
                    }
                }
            }
            after_logic = false;
        }
    }
}

/// The redirection operator starting with bytes `a b c`, and its length.
fn redirect_op(a: u8, b: u8, c: u8) -> (RedirectOp, usize) {
    match (a, b, c) {
        (b'&', b'>', b'>') => (RedirectOp::AppendOutErr, 3),
        (b'&', _, _) => (RedirectOp::OutErr, 2),
        (b'>', b'>', _) => (RedirectOp::Append, 2),
        (b'>', b'&', _) => (RedirectOp::DupOut, 2),
        (b'>', b'|', _) => (RedirectOp::Clobber, 2),
        (b'>', _, _) => (RedirectOp::Out, 1),
        (b'<', b'<', b'<') => (RedirectOp::HereString, 3),
        (b'<', b'<', b'-') => (RedirectOp::HeredocStrip, 3),
        (b'<', b'<', _) => (RedirectOp::Heredoc, 2),
        (b'<', b'&', _) => (RedirectOp::DupIn, 2),
        (b'<', b'>', _) => (RedirectOp::ReadWrite, 2),
        _ => (RedirectOp::In, 1),
    }
}
