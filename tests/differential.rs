//! Differential test against the `parse-dockerfile` crate on the real-world corpus
//! (`../shared/corpus`): on every file both parsers accept, compare the instruction keyword
//! sequences and the byte spans of everything `parse-dockerfile` exposes. The files where
//! they disagree are listed, with the verdict, in `tests/data/differential-disagreements.tsv`.
//!
//! Files skipped: those `parse-dockerfile` rejects (it stops at the first error, rejects
//! unknown instructions and empty arguments, and needs a FROM) and those drydock reports an
//! error-severity diagnostic for (listed in `corpus-syntax-errors.tsv`).
//!
//! Set `DIFFERENTIAL_VERBOSE=1` (with `--nocapture`) to print every difference, not only
//! the first one per file.
//!
//! How the two representations are mapped (offsets are bytes in the file):
//!
//! - **BOM**: `parse-dockerfile` strips a UTF-8 BOM before parsing, so its offsets are
//!   relative to the text after the BOM; drydock's count the BOM's 3 bytes. Its spans are
//!   shifted by 3 for files with a BOM.
//! - **Keywords**: the keyword span on both sides (ONBUILD's trigger keyword too).
//! - **Flags** (FROM, RUN, COPY, ADD, HEALTHCHECK only: `parse-dockerfile` does not look
//!   for flags elsewhere): the flag's start (`--`), its end, the name span (after `--`, up
//!   to `=`) and the raw value span (after `=`, quotes included) — the same on both sides.
//! - **JSON elements** (exec-form RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD, SHELL, JSON COPY/ADD
//!   and VOLUME): `parse-dockerfile`'s element span excludes the double quotes, drydock's
//!   `Word::span` includes them, so drydock's span is shrunk by one byte on each side. The
//!   array span (brackets included) is compared as is.
//! - **Shell form** (RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD): the command text span, from the
//!   first argument byte to the last non-blank byte, continuation lines included, against
//!   drydock's `ShellForm::span`. For `RUN <<EOF ...` (`parse-dockerfile` only sees a
//!   heredoc when it is the first word) its command span starts *after* the `<<EOF` marker
//!   (it does not even skip the blank after it), so its start is compared to the end of
//!   drydock's first heredoc marker, and its end to the end of drydock's shell span.
//! - **Heredoc bodies**: `parse-dockerfile`'s body span runs from the line after the
//!   instruction to the terminator; drydock's `body_span` ends at the start of the
//!   terminator line. For `<<-` `parse-dockerfile` ends after the terminator's leading tabs,
//!   so those tabs are added to drydock's end. A COPY/ADD heredoc source is matched with
//!   drydock's heredocs in order.
//! - **ENV, LABEL, ARG**: `parse-dockerfile` keeps the arguments as one raw string (from the
//!   first argument byte to the last non-blank byte); it is compared to drydock's
//!   `Instruction::args_span`. drydock's pairs are checked by the corpus test instead.
//! - **FROM**: image span, `AS` keyword span and stage-name span.
//! - **COPY/ADD, EXPOSE, VOLUME (non-JSON)**: each blank-separated word span; the last
//!   COPY/ADD word is the destination.
//! - **USER, WORKDIR, STOPSIGNAL, MAINTAINER**: the whole argument span against drydock's
//!   single `Word`.

#![allow(clippy::print_stderr, clippy::print_stdout)]

mod common;

use std::collections::BTreeMap;
use std::ops::Range;

use drydock::span::Span;
use drydock::syntax::{
    parse_with, CommandLine, Flag, Healthcheck, Heredoc, Instruction, InstructionKind,
    ParseOptions, Word,
};
use parse_dockerfile as pd;

/// The keyword of a `parse-dockerfile` instruction.
fn pd_keyword(i: &pd::Instruction<'_>) -> &'static str {
    match i {
        pd::Instruction::Add(_) => "ADD",
        pd::Instruction::Arg(_) => "ARG",
        pd::Instruction::Cmd(_) => "CMD",
        pd::Instruction::Copy(_) => "COPY",
        pd::Instruction::Entrypoint(_) => "ENTRYPOINT",
        pd::Instruction::Env(_) => "ENV",
        pd::Instruction::Expose(_) => "EXPOSE",
        pd::Instruction::From(_) => "FROM",
        pd::Instruction::Healthcheck(_) => "HEALTHCHECK",
        pd::Instruction::Label(_) => "LABEL",
        pd::Instruction::Maintainer(_) => "MAINTAINER",
        pd::Instruction::Onbuild(_) => "ONBUILD",
        pd::Instruction::Run(_) => "RUN",
        pd::Instruction::Shell(_) => "SHELL",
        pd::Instruction::Stopsignal(_) => "STOPSIGNAL",
        pd::Instruction::User(_) => "USER",
        pd::Instruction::Volume(_) => "VOLUME",
        pd::Instruction::Workdir(_) => "WORKDIR",
        _ => "?",
    }
}

/// Keyword sequences, with ONBUILD's trigger: `ONBUILD RUN`.
fn pd_sequence(df: &pd::Dockerfile<'_>) -> Vec<String> {
    df.instructions
        .iter()
        .map(|i| match i {
            pd::Instruction::Onbuild(o) => format!("ONBUILD {}", pd_keyword(&o.instruction)),
            i => pd_keyword(i).to_owned(),
        })
        .collect()
}

fn our_sequence(df: &drydock::syntax::Dockerfile) -> Vec<String> {
    df.instructions
        .iter()
        .map(|i| match &i.kind {
            InstructionKind::Onbuild(Some(inner)) => {
                format!("ONBUILD {}", inner.keyword.as_str())
            }
            _ => i.keyword.as_str().to_owned(),
        })
        .collect()
}

/// Span comparisons for one file.
struct Cmp<'s> {
    src: &'s str,
    /// Added to `parse-dockerfile` offsets (3 with a BOM).
    shift: usize,
    spans: usize,
    values: usize,
    diffs: Vec<(String, String)>,
}

impl Cmp<'_> {
    fn differ(&mut self, what: String, detail: String) {
        self.diffs.push((what, detail));
    }

    /// Compare their `theirs` range with our `start..end`.
    fn at(&mut self, what: &str, theirs: &Range<usize>, start: usize, end: usize) {
        self.spans += 1;
        let t = (theirs.start + self.shift, theirs.end + self.shift);
        if t != (start, end) {
            let show =
                |s: usize, e: usize| self.src.get(s..e).unwrap_or("<out of range>").to_owned();
            let detail = format!(
                "parse-dockerfile {}..{} {:?}, drydock {start}..{end} {:?}",
                t.0,
                t.1,
                show(t.0, t.1),
                show(start, end)
            );
            self.differ(what.to_owned(), detail);
        }
    }

    fn span(&mut self, what: &str, theirs: &Range<usize>, ours: Span) {
        self.at(what, theirs, ours.start(), ours.end());
    }

    /// A JSON element: our span includes the quotes, theirs does not.
    fn json(&mut self, what: &str, theirs: &Range<usize>, ours: &Word) {
        self.at(what, theirs, ours.span.start() + 1, ours.span.end() - 1);
    }

    /// Compare a value: their unescaped string with ours.
    fn value(&mut self, what: &str, theirs: &str, ours: &str) {
        self.values += 1;
        if theirs != ours {
            self.differ(
                format!("{what} value"),
                format!("parse-dockerfile {theirs:?}, drydock {ours:?}"),
            );
        }
    }

    fn count(&mut self, what: &str, theirs: usize, ours: usize) -> bool {
        if theirs != ours {
            self.differ(
                what.to_owned(),
                format!("parse-dockerfile has {theirs}, drydock {ours}"),
            );
        }
        theirs == ours
    }

    fn flags(&mut self, kw: &str, theirs: &[pd::Flag<'_>], ours: &[Flag]) {
        if !self.count(&format!("{kw} flag count"), theirs.len(), ours.len()) {
            return;
        }
        for (t, o) in theirs.iter().zip(ours) {
            self.span(&format!("{kw} flag"), &t.span(), o.span);
            self.span(&format!("{kw} flag name"), &t.name.span, o.name_span);
            match (&t.value, o.value_span) {
                (Some(tv), Some(ov)) => self.span(&format!("{kw} flag value"), &tv.span, ov),
                (None, None) => {}
                _ => self.differ(
                    format!("{kw} flag value"),
                    format!("presence differs for `{}`", o.span.slice(self.src)),
                ),
            }
        }
    }

    fn words(&mut self, what: &str, theirs: &[pd::UnescapedString<'_>], ours: &[Word], json: bool) {
        if !self.count(&format!("{what} count"), theirs.len(), ours.len()) {
            return;
        }
        for (t, o) in theirs.iter().zip(ours) {
            if json {
                self.json(what, &t.span, o);
                self.value(what, &t.value, &o.value);
            } else {
                self.span(what, &t.span, o.span);
                self.value(what, &t.value, &o.raw);
            }
        }
    }

    /// Where `parse-dockerfile` ends a heredoc body (after a `<<-` terminator's tabs).
    fn heredoc(&mut self, what: &str, theirs: &Range<usize>, ours: &Heredoc) {
        let mut end = ours.body_span.end();
        if ours.chomp && ours.terminator_span.is_some() {
            end += self.src[end..].bytes().take_while(|&b| b == b'\t').count();
        }
        self.at(what, theirs, ours.body_span.start(), end);
    }

    /// Heredoc contents: theirs is the raw body (tabs stripped for `<<-`), ours is
    /// [`Heredoc::content`] (CRLF normalised, every line ending in `\n`).
    fn heredoc_value(&mut self, what: &str, theirs: &str, ours: &Heredoc) {
        let mut t = theirs.replace("\r\n", "\n");
        if !t.is_empty() && !t.ends_with('\n') {
            t.push('\n');
        }
        self.value(what, &t, &ours.content(self.src));
    }

    fn command(
        &mut self,
        kw: &str,
        theirs: &pd::Command<'_>,
        ours: &CommandLine,
        heredocs: &[Heredoc],
        their_heredocs: &[pd::HereDoc<'_>],
    ) {
        match (theirs, ours) {
            (pd::Command::Exec(t), CommandLine::Exec(o)) => {
                self.span(&format!("{kw} exec array"), &t.span, o.span);
                self.words(&format!("{kw} exec element"), &t.value, &o.args, true);
            }
            (pd::Command::Shell(t), CommandLine::Shell(o)) => {
                if their_heredocs.is_empty() {
                    self.span(&format!("{kw} shell command"), &t.span, o.span);
                    return;
                }
                let Some(first) = heredocs.first() else {
                    self.differ(
                        format!("{kw} heredoc count"),
                        format!("parse-dockerfile has {}, drydock 0", their_heredocs.len()),
                    );
                    return;
                };
                self.at(
                    &format!("{kw} shell command after heredoc marker"),
                    &t.span,
                    first.marker_span.end(),
                    o.span.end(),
                );
                self.heredoc(
                    &format!("{kw} heredoc body"),
                    &their_heredocs[0].span,
                    first,
                );
                self.heredoc_value(&format!("{kw} heredoc"), &their_heredocs[0].value, first);
            }
            (t, _) => {
                let form = if matches!(t, pd::Command::Exec(_)) {
                    "exec"
                } else {
                    "shell"
                };
                self.differ(
                    format!("{kw} form"),
                    format!("parse-dockerfile reads {form} form, drydock the other"),
                );
            }
        }
    }

    fn copy(
        &mut self,
        kw: &str,
        src: &[pd::Source<'_>],
        dest: &pd::UnescapedString<'_>,
        ours: &drydock::syntax::Copy,
        heredocs: &[Heredoc],
    ) {
        if !self.count(&format!("{kw} source count"), src.len(), ours.sources.len()) {
            return;
        }
        let mut next_heredoc = heredocs.iter();
        for (t, o) in src.iter().zip(&ours.sources) {
            match t {
                pd::Source::Path(p) if ours.json => {
                    self.json(&format!("{kw} source"), &p.span, o);
                    self.value(&format!("{kw} source"), &p.value, &o.value);
                }
                pd::Source::Path(p) => {
                    self.span(&format!("{kw} source"), &p.span, o.span);
                    self.value(&format!("{kw} source"), &p.value, &o.raw);
                }
                pd::Source::HereDoc(h) => match next_heredoc.next() {
                    Some(oh) => {
                        self.heredoc(&format!("{kw} heredoc body"), &h.span, oh);
                        self.heredoc_value(&format!("{kw} heredoc"), &h.value, oh);
                    }
                    None => self.differ(
                        format!("{kw} heredoc count"),
                        "drydock has fewer heredocs".into(),
                    ),
                },
                _ => self.differ(format!("{kw} source kind"), "unknown source kind".into()),
            }
        }
        match &ours.dest {
            Some(d) if ours.json => {
                self.json(&format!("{kw} dest"), &dest.span, d);
                self.value(&format!("{kw} dest"), &dest.value, &d.value);
            }
            Some(d) => {
                self.span(&format!("{kw} dest"), &dest.span, d.span);
                self.value(&format!("{kw} dest"), &dest.value, &d.raw);
            }
            None => self.differ(format!("{kw} dest"), "drydock has no destination".into()),
        }
    }

    fn single(&mut self, kw: &str, theirs: &pd::UnescapedString<'_>, ours: &Option<Word>) {
        match ours {
            Some(w) => {
                self.span(&format!("{kw} argument"), &theirs.span, w.span);
                self.value(&format!("{kw} argument"), &theirs.value, &w.raw);
            }
            None => self.differ(format!("{kw} argument"), "drydock has none".into()),
        }
    }

    /// Compare one instruction (their keyword is known to equal ours).
    fn instruction(&mut self, t: &pd::Instruction<'_>, o: &Instruction) {
        let kw = o.keyword.as_str();
        let mismatch = |c: &mut Self| {
            c.differ(
                format!("{kw} arguments"),
                "drydock's typed arguments do not match the keyword".into(),
            );
        };
        match (t, &o.kind) {
            (pd::Instruction::From(t), InstructionKind::From(f)) => {
                self.span("FROM keyword", &t.from.span, o.keyword_span);
                self.flags(kw, &t.options, &o.flags);
                match &f.image {
                    Some(img) => {
                        self.span("FROM image", &t.image.span, img.span);
                        self.value("FROM image", &t.image.value, &img.raw);
                    }
                    None => self.differ("FROM image".into(), "drydock has none".into()),
                }
                match (&t.as_, f.as_span, &f.alias) {
                    (Some((tk, tn)), Some(a), Some(n)) => {
                        self.span("FROM AS", &tk.span, a);
                        self.span("FROM stage name", &tn.span, n.span);
                    }
                    (None, None, None) => {}
                    _ => self.differ("FROM AS".into(), "presence differs".into()),
                }
            }
            (pd::Instruction::Run(t), InstructionKind::Run(c)) => {
                self.span("RUN keyword", &t.run.span, o.keyword_span);
                self.flags(kw, &t.options, &o.flags);
                self.command(kw, &t.arguments, c, &o.heredocs, &t.here_docs);
            }
            (pd::Instruction::Cmd(t), InstructionKind::Cmd(c)) => {
                self.span("CMD keyword", &t.cmd.span, o.keyword_span);
                self.command(kw, &t.arguments, c, &[], &[]);
            }
            (pd::Instruction::Entrypoint(t), InstructionKind::Entrypoint(c)) => {
                self.span("ENTRYPOINT keyword", &t.entrypoint.span, o.keyword_span);
                self.command(kw, &t.arguments, c, &[], &[]);
            }
            (pd::Instruction::Shell(t), InstructionKind::Shell(CommandLine::Exec(e))) => {
                self.span("SHELL keyword", &t.shell.span, o.keyword_span);
                self.words("SHELL element", &t.arguments, &e.args, true);
            }
            (pd::Instruction::Healthcheck(t), InstructionKind::Healthcheck(h)) => {
                self.span("HEALTHCHECK keyword", &t.healthcheck.span, o.keyword_span);
                self.flags(kw, &t.options, &o.flags);
                match (&t.arguments, h) {
                    (
                        pd::HealthcheckArguments::Cmd { cmd, arguments, .. },
                        Healthcheck::Cmd { cmd_span, command },
                    ) => {
                        self.span("HEALTHCHECK CMD", &cmd.span, *cmd_span);
                        self.command("HEALTHCHECK CMD", arguments, command, &[], &[]);
                    }
                    (pd::HealthcheckArguments::None { none, .. }, Healthcheck::None { span }) => {
                        self.span("HEALTHCHECK NONE", &none.span, *span);
                    }
                    _ => mismatch(self),
                }
            }
            (pd::Instruction::Copy(t), InstructionKind::Copy(c)) => {
                self.span("COPY keyword", &t.copy.span, o.keyword_span);
                self.flags(kw, &t.options, &o.flags);
                self.copy(kw, &t.src, &t.dest, c, &o.heredocs);
            }
            (pd::Instruction::Add(t), InstructionKind::Add(c)) => {
                self.span("ADD keyword", &t.add.span, o.keyword_span);
                self.flags(kw, &t.options, &o.flags);
                self.copy(kw, &t.src, &t.dest, c, &o.heredocs);
            }
            (pd::Instruction::Env(t), InstructionKind::Env(_)) => {
                self.span("ENV keyword", &t.env.span, o.keyword_span);
                self.span("ENV arguments", &t.arguments.span, o.args_span);
            }
            (pd::Instruction::Label(t), InstructionKind::Label(_)) => {
                self.span("LABEL keyword", &t.label.span, o.keyword_span);
                self.span("LABEL arguments", &t.arguments.span, o.args_span);
            }
            (pd::Instruction::Arg(t), InstructionKind::Arg(_)) => {
                self.span("ARG keyword", &t.arg.span, o.keyword_span);
                self.span("ARG arguments", &t.arguments.span, o.args_span);
            }
            (pd::Instruction::Expose(t), InstructionKind::Expose(ws)) => {
                self.span("EXPOSE keyword", &t.expose.span, o.keyword_span);
                self.words("EXPOSE port", &t.arguments, ws, false);
            }
            (pd::Instruction::Volume(t), InstructionKind::Volume(p)) => {
                self.span("VOLUME keyword", &t.volume.span, o.keyword_span);
                match (&t.arguments, p.json) {
                    (pd::JsonOrStringArray::Json(a), true) => {
                        self.words("VOLUME element", &a.value, &p.paths, true);
                    }
                    (pd::JsonOrStringArray::String(ws), false) => {
                        self.words("VOLUME path", ws, &p.paths, false);
                    }
                    _ => self.differ("VOLUME form".into(), "JSON vs words".into()),
                }
            }
            (pd::Instruction::User(t), InstructionKind::User(w)) => {
                self.span("USER keyword", &t.user.span, o.keyword_span);
                self.single(kw, &t.arguments, w);
            }
            (pd::Instruction::Workdir(t), InstructionKind::Workdir(w)) => {
                self.span("WORKDIR keyword", &t.workdir.span, o.keyword_span);
                self.single(kw, &t.arguments, w);
            }
            (pd::Instruction::Stopsignal(t), InstructionKind::Stopsignal(w)) => {
                self.span("STOPSIGNAL keyword", &t.stopsignal.span, o.keyword_span);
                self.single(kw, &t.arguments, w);
            }
            (pd::Instruction::Maintainer(t), InstructionKind::Maintainer(w)) => {
                self.span("MAINTAINER keyword", &t.maintainer.span, o.keyword_span);
                self.single(kw, &t.name, w);
            }
            (pd::Instruction::Onbuild(t), InstructionKind::Onbuild(Some(inner))) => {
                self.span("ONBUILD keyword", &t.onbuild.span, o.keyword_span);
                self.instruction(&t.instruction, inner);
            }
            _ => mismatch(self),
        }
    }
}

/// `tests/data/differential-disagreements.tsv`: id → (first differing item, verdict).
fn expected() -> BTreeMap<String, (String, String)> {
    common::read_tsv(
        "differential-disagreements.tsv",
        "id<TAB>what differs<TAB>verdict",
    )
}

#[test]
fn drydock_agrees_with_parse_dockerfile_except_where_listed() {
    let Some(files) = common::corpus_files("the differential test") else {
        return;
    };
    let expected = expected();
    let (mut compared, mut instructions, mut spans, mut values) = (0, 0, 0, 0);
    let (mut they_reject, mut we_reject) = (0usize, 0usize);
    let mut actual: BTreeMap<String, (String, String)> = BTreeMap::new();

    for (id, path) in &files {
        let source = drydock::source::decode(std::fs::read(path).expect("read")).text;
        let ours = parse_with(&source, ParseOptions { shell: false });
        if ours.has_errors() {
            we_reject += 1;
            continue;
        }
        let Ok(theirs) = pd::parse(&source) else {
            they_reject += 1;
            continue;
        };
        compared += 1;
        let (ts, os) = (pd_sequence(&theirs), our_sequence(&ours));
        if ts != os {
            let k = ts.iter().zip(&os).take_while(|(a, b)| a == b).count();
            let detail = format!(
                "instruction {k}: parse-dockerfile {:?}, drydock {:?} (at byte {})",
                ts.get(k),
                os.get(k),
                ours.instructions
                    .get(k)
                    .map_or(source.len(), |i| i.span.start())
            );
            actual.insert(id.clone(), ("keyword sequence".into(), detail));
            continue;
        }
        let mut cmp = Cmp {
            src: &source,
            shift: if ours.has_bom { 3 } else { 0 },
            spans: 0,
            values: 0,
            diffs: Vec::new(),
        };
        for (t, o) in theirs.instructions.iter().zip(&ours.instructions) {
            instructions += 1;
            cmp.instruction(t, o);
        }
        spans += cmp.spans;
        values += cmp.values;
        if std::env::var_os("DIFFERENTIAL_VERBOSE").is_some() {
            for (what, detail) in &cmp.diffs {
                println!("{id}\t{what}\t{detail}");
            }
        }
        if let Some((what, detail)) = cmp.diffs.into_iter().next() {
            actual.insert(id.clone(), (what, detail));
        }
    }

    println!(
        "differential: {} files; compared {compared} ({instructions} instructions, {spans} spans, {values} values); skipped {we_reject} with drydock errors and {they_reject} rejected by parse-dockerfile; {} disagree",
        files.len(),
        actual.len()
    );
    let mut by_what: BTreeMap<&str, usize> = BTreeMap::new();
    for (what, _) in actual.values() {
        *by_what.entry(what.as_str()).or_default() += 1;
    }
    println!("disagreements by first differing item: {by_what:?}");

    let mut diffs = Vec::new();
    for (id, (what, detail)) in &actual {
        match expected.get(id) {
            None => diffs.push(format!("{id}\t{what}\t{detail}  <- not listed")),
            Some((listed, _)) if listed != what => {
                diffs.push(format!(
                    "{id}: first difference is `{what}` ({detail}), the list says `{listed}`"
                ));
            }
            Some(_) => {}
        }
    }
    for (id, (what, verdict)) in &expected {
        if !actual.contains_key(id) {
            diffs.push(format!(
                "{id}: listed (`{what}`: {verdict}) but the parsers agree or the file was skipped"
            ));
        }
    }
    assert!(
        diffs.is_empty(),
        "disagreements differ from tests/data/differential-disagreements.tsv:\n{}",
        diffs.join("\n")
    );
}
