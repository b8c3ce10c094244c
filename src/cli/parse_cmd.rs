//! `drydock parse`: the debugging window into the parser.

use std::fmt::Write as _;
use std::io::Write;

use clap::{Args, ValueEnum};
use drydock::span::LineIndex;
use drydock::syntax::{self, CommandLine, Dockerfile, Instruction};

use super::{exit, input, report_error};

#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Dockerfiles to parse (`-` reads standard input).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Parse every path and print the result; returns the exit code.
pub(crate) fn run(args: &ParseArgs, out: &mut dyn Write) -> u8 {
    let mut files = Vec::new();
    let mut io_error = false;
    let mut syntax_error = false;
    for path in &args.paths {
        let decoded = match input::read(path) {
            Ok(d) => d,
            Err(message) => {
                report_error(&message);
                io_error = true;
                continue;
            }
        };
        let df = syntax::parse_decoded(&decoded);
        syntax_error |= df.has_errors();
        match args.format {
            Format::Json => files.push(syntax::dump::file_json(path, &decoded.text, &df)),
            Format::Text => {
                let text = render_text(path, &decoded.text, &df);
                if out.write_all(text.as_bytes()).is_err() {
                    return exit_code(io_error, syntax_error);
                }
            }
        }
    }
    if matches!(args.format, Format::Json) {
        let doc = serde_json::json!({ "files": files });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        let _ = writeln!(out, "{text}");
    }
    exit_code(io_error, syntax_error)
}

fn exit_code(io_error: bool, syntax_error: bool) -> u8 {
    if io_error {
        exit::ERROR
    } else if syntax_error {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// A compact, human-readable listing of one parsed file.
fn render_text(path: &str, source: &str, df: &Dockerfile) -> String {
    let index = LineIndex::new(source);
    let pos = |offset: usize| {
        let p = index.position(source, offset);
        format!("{}:{}", p.line, p.column)
    };
    let range = |span: drydock::span::Span| format!("{}-{}", pos(span.start()), pos(span.end()));
    let mut s = String::new();
    let _ = writeln!(s, "{path}");
    for d in &df.directives {
        let _ = writeln!(
            s,
            "  {:<15} directive {}={}",
            range(d.span),
            d.name,
            d.value
        );
    }
    for inst in &df.instructions {
        render_instruction(&mut s, source, inst, &range, 2);
    }
    for d in &df.diagnostics {
        let _ = writeln!(
            s,
            "  {:<15} {}[{}] {}",
            range(d.span),
            d.severity.as_str(),
            d.code,
            d.message
        );
    }
    s
}

fn render_instruction(
    s: &mut String,
    source: &str,
    inst: &Instruction,
    range: &dyn Fn(drydock::span::Span) -> String,
    indent: usize,
) {
    let pad = " ".repeat(indent);
    let flags: String = inst
        .flags
        .iter()
        .map(|f| format!(" {}", f.span.slice(source)))
        .collect();
    let args = inst.args_span.slice(source).lines().next().unwrap_or("");
    let _ = writeln!(
        s,
        "{pad}{:<15} {}{flags} {args}",
        range(inst.span),
        inst.keyword_text
    );
    if let syntax::InstructionKind::Onbuild(Some(inner)) = &inst.kind {
        render_instruction(s, source, inner, range, indent + 2);
    }
    for h in &inst.heredocs {
        let _ = writeln!(
            s,
            "{pad}  {:<15} heredoc {} ({} body bytes)",
            range(h.marker_span),
            h.name,
            h.body_span.len()
        );
    }
    if let Some(CommandLine::Shell(shell)) = inst.command() {
        if let Some(reason) = shell.skip_reason {
            let _ = writeln!(s, "{pad}  shell analysis skipped: {reason}");
        }
        for c in shell.script.iter().flat_map(|sc| &sc.commands) {
            let argv: Vec<&str> = c.words.iter().map(|w| w.span.slice(source)).collect();
            let _ = writeln!(s, "{pad}  {:<15} $ {}", range(c.span), argv.join(" "));
        }
    }
}
