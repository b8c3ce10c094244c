//! Pathological inputs (robustness issue items a–g): each parses on a thread with a
//! deliberately small stack, which proves the parser (shell model included) does not recurse
//! per line, token or nesting level, and gives a sane result. No timing asserts: speed is
//! measured by `examples/bench_parse.rs`.

mod pathological_inputs;
mod span_check;

use drydock::syntax::{parse, CommandLine, Dockerfile, InstructionKind, Keyword};
use pathological_inputs as gen;

/// Parse `text` on a thread with a 256 KiB stack, check every span, and hand the result to
/// `check` (also on the small stack).
fn parse_small_stack(text: String, check: impl FnOnce(&str, &Dockerfile) + Send + 'static) {
    std::thread::Builder::new()
        .name("small-stack-parse".into())
        .stack_size(256 * 1024)
        .spawn(move || {
            let df = parse(&text);
            let errors = span_check::violations(&text, &df);
            assert!(
                errors.is_empty(),
                "span violations: {:?}",
                &errors[..errors.len().min(10)]
            );
            check(&text, &df);
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Where the last instruction must end: before the final line ending.
fn end_without_newline(text: &str) -> usize {
    text.strip_suffix('\n').map_or(text.len(), str::len)
}

fn keywords(df: &Dockerfile) -> Vec<Keyword> {
    df.instructions.iter().map(|i| i.keyword).collect()
}

fn shell_form(df: &Dockerfile, index: usize) -> &drydock::syntax::ShellForm {
    match df.instructions[index].command() {
        Some(CommandLine::Shell(s)) => s,
        other => panic!("instruction {index} is not a shell form: {other:?}"),
    }
}

#[test]
fn a_one_megabyte_line() {
    parse_small_stack(gen::long_line(), |text, df| {
        assert!(text.len() >= gen::MB);
        assert_eq!(keywords(df), [Keyword::From, Keyword::Run]);
        let run = &df.instructions[1];
        assert_eq!(run.span.end(), end_without_newline(text));
        assert_eq!(run.lines, (2, 2));
        assert_eq!(shell_form(df, 1).text.as_str(), &text[16..text.len() - 1]);
        assert!(!df.has_errors(), "{:?}", df.diagnostics.first());
    });
}

#[test]
fn b_twenty_thousand_continuation_lines() {
    parse_small_stack(gen::continuations(), |text, df| {
        assert_eq!(keywords(df), [Keyword::From, Keyword::Run]);
        let run = &df.instructions[1];
        assert_eq!(run.span.end(), end_without_newline(text));
        let last_line = u32::try_from(gen::CONTINUATIONS).unwrap() + 3;
        assert_eq!(run.lines, (2, last_line));
        let logical = shell_form(df, 1).text.as_str();
        assert!(logical.starts_with("echo start "), "{}", &logical[..40]);
        assert!(
            logical.ends_with("&& echo line19999     && true"),
            "{logical:.40}"
        );
        assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics.first());
    });
}

#[test]
fn c_twenty_thousand_heredoc_instructions() {
    parse_small_stack(gen::heredoc_instructions(), |text, df| {
        assert_eq!(df.instructions.len(), gen::HEREDOCS + 1);
        for (n, inst) in df.instructions[1..].iter().enumerate() {
            assert_eq!(inst.keyword, Keyword::Run);
            assert_eq!(inst.heredocs.len(), 1);
            assert_eq!(inst.heredocs[0].name, format!("EOF{n}"));
            assert!(inst.heredocs[0].terminator_span.is_some());
        }
        let last = df.instructions.last().unwrap();
        assert_eq!(last.span.end(), end_without_newline(text));
        assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics.first());
    });
}

#[test]
fn c_twenty_thousand_heredocs_on_one_line() {
    parse_small_stack(gen::heredocs_one_line(), |text, df| {
        assert_eq!(keywords(df), [Keyword::From, Keyword::Run]);
        let run = &df.instructions[1];
        assert_eq!(run.heredocs.len(), gen::HEREDOCS);
        for (n, h) in run.heredocs.iter().enumerate() {
            assert_eq!(h.name, format!("E{n}"));
            assert_eq!(h.body_span.slice(text), format!("body {n}\n"));
            assert_eq!(h.terminator_span.unwrap().slice(text), format!("E{n}"));
        }
        assert_eq!(run.span.end(), end_without_newline(text));
        assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics.first());
    });
}

#[test]
fn d_two_thousand_nested_subshells() {
    parse_small_stack(gen::nested_subshells(), |text, df| {
        assert_eq!(keywords(df), [Keyword::From, Keyword::Run]);
        assert_eq!(df.instructions[1].span.end(), end_without_newline(text));
        let script = shell_form(df, 1).script.as_ref().unwrap();
        assert_eq!(script.commands.len(), 1);
        let cmd = &script.commands[0];
        assert_eq!(cmd.words[0].value, "true");
        assert_eq!(usize::from(cmd.depth), gen::NESTING);
    });
}

#[test]
fn d_two_thousand_nested_command_substitutions() {
    parse_small_stack(gen::nested_substitutions(), |text, df| {
        assert_eq!(keywords(df), [Keyword::From, Keyword::Run]);
        assert_eq!(df.instructions[1].span.end(), end_without_newline(text));
        // Substitutions deeper than the shell model's limit are skipped, with an issue.
        let script = shell_form(df, 1).script.as_ref().unwrap();
        let max = usize::from(drydock::shell::MAX_DEPTH);
        assert_eq!(script.commands.len(), max + 1);
        assert!(script.commands.iter().all(|c| c.words[0].value == "echo"));
        assert!(script.issues.iter().any(|i| i.message.contains("nesting")));
    });
}

#[test]
fn e_ten_thousand_stages() {
    parse_small_stack(gen::stages(), |text, df| {
        assert_eq!(df.instructions.len(), 2 * gen::STAGES - 1);
        let froms: Vec<_> = df
            .instructions
            .iter()
            .filter_map(|i| match &i.kind {
                InstructionKind::From(f) => Some(f),
                _ => None,
            })
            .collect();
        assert_eq!(froms.len(), gen::STAGES);
        assert_eq!(froms.last().unwrap().alias.as_ref().unwrap().value, "s9999");
        let last = df.instructions.last().unwrap();
        assert_eq!(last.keyword, Keyword::Run);
        assert_eq!(last.span.end(), end_without_newline(text));
        assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics.first());
    });
}

#[test]
fn f_hundred_thousand_lines() {
    parse_small_stack(gen::many_lines(), |text, df| {
        assert_eq!(text.lines().count(), gen::LINES);
        let blocks = gen::LINES / 10;
        assert_eq!(df.instructions.len(), blocks * gen::BLOCK_INSTRUCTIONS);
        assert_eq!(df.comments.len(), blocks);
        let last = df.instructions.last().unwrap();
        assert_eq!(last.keyword, Keyword::Cmd);
        assert_eq!(last.span.end(), end_without_newline(text));
        assert_eq!(last.lines.1, u32::try_from(gen::LINES).unwrap());
        assert!(!df.has_errors(), "{:?}", df.diagnostics.first());
    });
}

#[test]
fn g_one_megabyte_of_continuations_with_empty_lines() {
    parse_small_stack(gen::continuations_with_empty_lines(), |text, df| {
        assert_eq!(keywords(df), [Keyword::From, Keyword::Run]);
        let run = &df.instructions[1];
        assert_eq!(run.span.end(), end_without_newline(text));
        let logical = shell_form(df, 1).text.as_str();
        assert!(logical.starts_with("echo   a   a "), "{logical:.40}");
        assert!(logical.ends_with("  a   end"), "{logical:.40}");
        assert!(!df.has_errors(), "{:?}", df.diagnostics.first());
    });
}

/// Lint `text` with every rule, check every finding's span, and count findings per code.
fn lint_counts(text: &str) -> std::collections::BTreeMap<&'static str, usize> {
    let all: Vec<usize> = (0..drydock::rules::metas().len()).collect();
    let settings = drydock::engine::Settings::only(&all);
    let decoded = drydock::source::decode(text.as_bytes().to_vec());
    let report = drydock::engine::lint(&decoded, &settings);
    let mut counts = std::collections::BTreeMap::new();
    for f in &report.findings {
        assert!(
            f.span.end() <= text.len() && text.is_char_boundary(f.span.start()),
            "{} at {:?}",
            f.code,
            f.span
        );
        *counts.entry(f.code).or_insert(0) += 1;
    }
    counts
}

#[test]
fn every_pathological_input_lints_with_every_rule() {
    for input in gen::all().into_iter().chain(gen::rule_inputs()) {
        let counts = lint_counts(&input.text);
        assert!(
            !counts.contains_key("DD000"),
            "{} ({}): {counts:?}",
            input.id,
            input.what
        );
    }
}

#[test]
fn h_variables_built_from_each_other_are_all_defined() {
    let counts = lint_counts(&gen::env_chain());
    assert_eq!(counts.get("DD518"), None, "{counts:?}");
}

#[test]
fn i_every_install_is_judged() {
    let counts = lint_counts(&gen::installs_one_stage());
    // No index update, no --no-install-recommends, no version pin: once per RUN each;
    // every RUN but the first could join the one before it.
    assert_eq!(counts.get("DD202"), Some(&gen::INSTALLS), "{counts:?}");
    assert_eq!(counts.get("DD208"), Some(&gen::INSTALLS), "{counts:?}");
    assert_eq!(counts.get("DD210"), Some(&gen::INSTALLS), "{counts:?}");
    assert_eq!(
        counts.get("DD606"),
        Some(&(gen::INSTALLS - 1)),
        "{counts:?}"
    );
}

#[test]
fn j_stage_chain_variables_and_shells_are_judged() {
    let counts = lint_counts(&gen::stage_chain_with_variables());
    // `$A1` comes from `$A0`, which no ENV sets: left to the base image, not reported.
    assert_eq!(counts.get("DD518"), None, "{counts:?}");
    // Every RUN pipes under dash without pipefail.
    assert_eq!(counts.get("DD601"), Some(&(gen::STAGES - 1)), "{counts:?}");
}
