//! Targeted assertions on the Dockerfile parser, behaviour by behaviour (BuildKit's
//! semantics, see `parser-behaviour.md` §7 and §8), with exact values and spans.

use drydock::span::{LineIndex, Span};
use drydock::syntax::{
    parse_with, CommandLine, DiagnosticSeverity, Dockerfile, Healthcheck, Instruction,
    InstructionKind, Keyword, ParseOptions, Word,
};

/// Parse the Dockerfile layer only (the shell model is not involved).
fn parse(src: &str) -> Dockerfile {
    parse_with(src, ParseOptions { shell: false })
}

fn codes(df: &Dockerfile) -> Vec<&'static str> {
    df.diagnostics.iter().map(|d| d.code).collect()
}

fn keywords(df: &Dockerfile) -> Vec<&'static str> {
    df.instructions.iter().map(|i| i.keyword.as_str()).collect()
}

fn text(src: &str, span: Span) -> &str {
    &src[span.start()..span.end()]
}

fn shell_text(inst: &Instruction) -> &str {
    match inst.command() {
        Some(CommandLine::Shell(s)) => s.text.as_str(),
        other => panic!("expected a shell-form command, got {other:?}"),
    }
}

fn exec_args(inst: &Instruction) -> Vec<&str> {
    match inst.command() {
        Some(CommandLine::Exec(e)) => e.args.iter().map(|w| w.value.as_str()).collect(),
        other => panic!("expected an exec-form command, got {other:?}"),
    }
}

fn looks_like_json(inst: &Instruction) -> bool {
    match inst.command() {
        Some(CommandLine::Shell(s)) => s.looks_like_json,
        other => panic!("expected a shell-form command, got {other:?}"),
    }
}

fn values(ws: &[Word]) -> Vec<&str> {
    ws.iter().map(|w| w.value.as_str()).collect()
}

#[test]
fn three_broken_instructions_give_three_diagnostics_and_keep_the_rest() {
    let src = "FROM alpine\nCOPY onlyone\nRUN echo ok\nHEALTHCHECK PING x\nENV A=1\nFROMM x\nCMD [\"ok\"]\n";
    let df = parse(src);
    assert_eq!(
        codes(&df),
        [
            "missing-arguments",
            "unknown-healthcheck-type",
            "unknown-instruction"
        ]
    );
    assert_eq!(
        keywords(&df),
        [
            "FROM",
            "COPY",
            "RUN",
            "HEALTHCHECK",
            "ENV",
            "UNKNOWN",
            "CMD"
        ]
    );
    let spans: Vec<&str> = df.diagnostics.iter().map(|d| text(src, d.span)).collect();
    assert_eq!(spans, ["onlyone", "PING", "FROMM"]);
    assert_eq!(shell_text(&df.instructions[2]), "echo ok");
    assert_eq!(exec_args(&df.instructions[6]), ["ok"]);
}

#[test]
fn directive_block_ends_at_first_non_directive_line() {
    let src = "# syntax=docker/dockerfile:1\n#  Escape = `  \nFROM x\n# escape=\\\n";
    let df = parse(src);
    let names: Vec<&str> = df.directives.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["syntax", "escape"]);
    assert_eq!(df.escape, '`');
    let esc = df.directive("escape").unwrap();
    assert_eq!(esc.value, "`");
    assert_eq!(text(src, esc.name_span), "Escape");
    assert_eq!(text(src, esc.value_span), "`");
    assert_eq!(text(src, esc.span), "#  Escape = `");
    // The later `# escape=` is an ordinary comment, and directives are not comments.
    assert_eq!(df.comments.len(), 1);
    assert_eq!(df.comments[0].text, "escape=\\");
    assert!(df.leading_comments(&df.instructions[0]).is_empty());
    assert!(df.diagnostics.is_empty());
}

#[test]
fn blank_line_plain_comment_or_unknown_key_end_the_directive_block() {
    for src in [
        "# syntax=a\n\n# escape=`\nFROM x\n",
        "# a plain comment\n# escape=`\nFROM x\n",
        "# foo=bar\n# escape=`\nFROM x\n",
    ] {
        let df = parse(src);
        assert_eq!(df.escape, '\\', "{src:?}");
        assert!(df.directive("escape").is_none(), "{src:?}");
        assert!(df.comments.iter().any(|c| c.text == "escape=`"), "{src:?}");
    }
    assert_eq!(
        parse("# syntax=a\n\n# escape=`\nFROM x\n").directives.len(),
        1
    );
}

#[test]
fn duplicate_directive_and_invalid_escape_are_errors() {
    let src = "# escape=`\n# ESCAPE=\\\nFROM x\n";
    let df = parse(src);
    assert_eq!(codes(&df), ["duplicate-directive"]);
    assert_eq!(df.diagnostics[0].severity, DiagnosticSeverity::Error);
    assert_eq!(text(src, df.diagnostics[0].span), "# ESCAPE=\\");
    assert_eq!(df.escape, '`');
    assert_eq!(df.directives.len(), 1);

    let src = "# escape=x\nFROM x\n";
    let df = parse(src);
    assert_eq!(codes(&df), ["invalid-escape"]);
    assert_eq!(text(src, df.diagnostics[0].span), "x");
    assert_eq!(df.escape, '\\');
}

#[test]
fn backtick_escape_keeps_windows_paths_and_continues_with_backtick() {
    let src = "# escape=`\nFROM x\nCOPY a c:\\\nRUN dir `\n    /w\nENV P=c:\\bin T=a` b\n";
    let df = parse(src);
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
    assert_eq!(keywords(&df), ["FROM", "COPY", "RUN", "ENV"]);
    let InstructionKind::Copy(copy) = &df.instructions[1].kind else {
        panic!()
    };
    assert_eq!(values(&copy.sources), ["a"]);
    assert_eq!(copy.dest.as_ref().unwrap().value, "c:\\");
    assert_eq!(shell_text(&df.instructions[2]), "dir     /w");
    assert_eq!(df.instructions[2].lines, (4, 5));
    let InstructionKind::Env(pairs) = &df.instructions[3].kind else {
        panic!()
    };
    assert_eq!(pairs[0].value.value, "c:\\bin");
    assert_eq!(pairs[1].value.value, "a b");
}

#[test]
fn default_escape_swallows_the_line_after_a_windows_path() {
    let src = "FROM x\nCOPY a c:\\\nRUN dir\nCMD [\"x\"]\n";
    let df = parse(src);
    assert_eq!(keywords(&df), ["FROM", "COPY", "CMD"]);
    let InstructionKind::Copy(copy) = &df.instructions[1].kind else {
        panic!()
    };
    assert_eq!(values(&copy.sources), ["a", "c:RUN"]);
    assert_eq!(copy.dest.as_ref().unwrap().value, "dir");
    assert_eq!(codes(&df), ["swallowed-instruction"]);
    let d = &df.diagnostics[0];
    assert_eq!(d.severity, DiagnosticSeverity::Warning);
    assert_eq!(text(src, d.span), "RUN dir");
    assert!(d.help.as_deref().unwrap().contains("# escape="));
    assert_eq!(text(src, df.instructions[1].span), "COPY a c:\\\nRUN dir");
}

#[test]
fn expected_keywords_on_continuation_lines_are_not_swallowed() {
    let src = "FROM x\nHEALTHCHECK --interval=5s \\\n  CMD true\nONBUILD \\\n  RUN make\n";
    let df = parse(src);
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
    assert_eq!(keywords(&df), ["FROM", "HEALTHCHECK", "ONBUILD"]);
}

#[test]
fn comment_and_empty_lines_inside_a_continuation() {
    let src = "FROM x\nRUN a \\\n  # note\n\n  b\n";
    let df = parse(src);
    let run = &df.instructions[1];
    assert_eq!(shell_text(run), "a   b");
    assert_eq!(run.lines, (2, 5));
    assert_eq!(text(src, run.span), "RUN a \\\n  # note\n\n  b");
    assert_eq!(df.comments.len(), 1);
    let c = &df.comments[0];
    assert!(c.in_continuation);
    assert_eq!(c.text, "note");
    assert_eq!(text(src, c.span), "# note");
    // A comment inside the instruction is not one of its leading comments.
    assert!(df.leading_comments(run).is_empty());
    assert_eq!(codes(&df), ["empty-continuation-line"]);
    let blank = src.find("\n\n").unwrap() + 1;
    assert_eq!(df.diagnostics[0].span, Span::empty(blank));
    assert_eq!(df.diagnostics[0].severity, DiagnosticSeverity::Warning);
}

#[test]
fn continuation_rules() {
    // Trailing blanks after the escape still continue; an escaped escape does not.
    let src = "FROM x\nRUN a \\ \t\n  b\nRUN c\\\\\nRUN d \\\n";
    let df = parse(src);
    assert_eq!(keywords(&df), ["FROM", "RUN", "RUN", "RUN"]);
    assert_eq!(shell_text(&df.instructions[1]), "a   b");
    assert_eq!(shell_text(&df.instructions[2]), "c\\\\");
    // A continuation into the end of the file simply ends the instruction.
    assert_eq!(shell_text(&df.instructions[3]), "d");
    assert!(df.diagnostics.is_empty());
}

#[test]
fn crlf_spans_exclude_the_carriage_return() {
    let src = "# c\r\nFROM x\r\nRUN a \\\r\n  b\r\nCOPY <<EOF /f\r\nhi\r\nEOF\r\n";
    let df = parse(src);
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
    assert_eq!(text(src, df.comments[0].span), "# c");
    assert_eq!(df.comments[0].text, "c");
    assert_eq!(text(src, df.instructions[0].span), "FROM x");
    let run = &df.instructions[1];
    assert_eq!(text(src, run.span), "RUN a \\\r\n  b");
    assert_eq!(shell_text(run), "a   b");
    let copy = &df.instructions[2];
    assert_eq!(text(src, copy.span), "COPY <<EOF /f\r\nhi\r\nEOF");
    let doc = &copy.heredocs[0];
    assert_eq!(text(src, doc.terminator_span.unwrap()), "EOF");
    assert_eq!(doc.content(src), "hi\n");
}

#[test]
fn leading_blanks_case_insensitive_keywords_and_mid_line_hash() {
    let src = "  from x AS b\n\trun echo a # b\n";
    let df = parse(src);
    assert_eq!(keywords(&df), ["FROM", "RUN"]);
    assert_eq!(df.instructions[0].keyword_text, "from");
    assert_eq!(text(src, df.instructions[0].keyword_span), "from");
    assert_eq!(shell_text(&df.instructions[1]), "echo a # b");
    assert!(df.comments.is_empty());
}

#[test]
fn flags_repeat_go_bare_hold_equals_and_commas_and_cross_lines() {
    let src = "FROM x\nRUN --mount=type=cache,target=/a \\\n    --mount=type=bind,source=b,target=/b --network=none make\nCOPY --link --chown=a:b --exclude=\"x y\" s /d\n";
    let df = parse(src);
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
    let run = &df.instructions[1];
    let mounts: Vec<&str> = run
        .flags_named("mount")
        .map(|f| f.value.as_deref().unwrap())
        .collect();
    assert_eq!(
        mounts,
        ["type=cache,target=/a", "type=bind,source=b,target=/b"]
    );
    let second = run.flags_named("mount").nth(1).unwrap();
    assert_eq!(
        text(src, second.span),
        "--mount=type=bind,source=b,target=/b"
    );
    assert_eq!(text(src, second.name_span), "mount");
    assert_eq!(
        text(src, second.value_span.unwrap()),
        "type=bind,source=b,target=/b"
    );
    assert_eq!(run.flag("network").unwrap().value.as_deref(), Some("none"));
    assert_eq!(shell_text(run), "make");
    assert_eq!(text(src, run.args_span), "make");

    let copy = &df.instructions[2];
    let link = copy.flag("link").unwrap();
    assert_eq!(link.value, None);
    assert_eq!(link.value_span, None);
    assert_eq!(text(src, link.span), "--link");
    assert_eq!(copy.flag("chown").unwrap().value.as_deref(), Some("a:b"));
    let exclude = copy.flag("exclude").unwrap();
    assert_eq!(exclude.value.as_deref(), Some("x y"));
    assert_eq!(text(src, exclude.value_span.unwrap()), "\"x y\"");
    let InstructionKind::Copy(c) = &copy.kind else {
        panic!()
    };
    assert_eq!(values(&c.sources), ["s"]);
}

#[test]
fn unknown_flag_is_an_error() {
    let src = "FROM x\nRUN --bogus=1 true\n";
    let df = parse(src);
    assert_eq!(codes(&df), ["unknown-flag"]);
    assert_eq!(text(src, df.diagnostics[0].span), "--bogus=1");
}

#[test]
fn flag_values_are_checked_as_buildkit_does() {
    let src = "FROM x\nCOPY --from=a --from=b --link=yes --chown /s /d\nRUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b --network true\nCOPY --link --link=FALSE --parents=true --exclude=a --exclude=b --from= s d\n";
    let df = parse(src);
    assert_eq!(
        codes(&df),
        [
            "duplicate-flag",
            "flag-not-boolean",
            "flag-missing-value",
            "flag-missing-value",
            "duplicate-flag"
        ]
    );
    let spans: Vec<&str> = df.diagnostics.iter().map(|d| text(src, d.span)).collect();
    assert_eq!(
        spans,
        [
            "--from=b",
            "--link=yes",
            "--chown",
            "--network",
            "--link=FALSE"
        ]
    );
}

#[test]
fn json_exec_form_versus_shell_fallback() {
    let src = "FROM x\nCMD ['a']\nCMD [\"a\"] x\nCMD [\"a\"\nCMD [1]\nCMD []\nENTRYPOINT [\"caf\\u00e9\", \"q\\\"\"]\nRUN [\"a\", \\\n  \"b\"]\n";
    let df = parse(src);
    let i = &df.instructions;
    for (k, shell) in [(1, "['a']"), (2, "[\"a\"] x"), (3, "[\"a\"")] {
        assert_eq!(shell_text(&i[k]), shell);
        assert!(looks_like_json(&i[k]));
    }
    // `[1]` is valid JSON with a non-string element: an error, not a fallback.
    assert_eq!(codes(&df), ["json-not-string-array"]);
    assert_eq!(text(src, df.diagnostics[0].span), "1");
    assert!(exec_args(&i[5]).is_empty());
    assert_eq!(exec_args(&i[6]), ["café", "q\""]);
    let Some(CommandLine::Exec(e)) = i[6].command() else {
        panic!()
    };
    assert_eq!(e.args[0].raw, "\"caf\\u00e9\"");
    assert_eq!(text(src, e.args[0].span), "\"caf\\u00e9\"");
    assert_eq!(exec_args(&i[7]), ["a", "b"]);
    let Some(CommandLine::Exec(e)) = i[7].command() else {
        panic!()
    };
    assert_eq!(text(src, e.args[1].span), "\"b\"");
    assert_eq!(text(src, e.span), "[\"a\", \\\n  \"b\"]");
}

#[test]
fn env_and_label_pairs() {
    let src = "FROM x\nENV PATH /usr/bin:$PATH\nENV A=1 B=\"two words\" D=a\\ b E= \\\n  F=f\nLABEL \"com.x\"=\"y z\"\nENV G=1 H\n";
    let df = parse(src);
    let pairs = |k: usize| match &df.instructions[k].kind {
        InstructionKind::Env(p) | InstructionKind::Label(p) => p.clone(),
        other => panic!("{other:?}"),
    };
    let legacy = pairs(1);
    assert_eq!(legacy.len(), 1);
    assert!(legacy[0].legacy);
    assert_eq!(legacy[0].key.value, "PATH");
    assert_eq!(legacy[0].value.value, "/usr/bin:$PATH");
    assert_eq!(text(src, legacy[0].value.span), "/usr/bin:$PATH");
    let names: Vec<&str> = df.instructions[1]
        .vars
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, ["PATH"]);

    let p = pairs(2);
    let kv: Vec<(&str, &str)> = p
        .iter()
        .map(|p| (p.key.value.as_str(), p.value.value.as_str()))
        .collect();
    assert_eq!(
        kv,
        [
            ("A", "1"),
            ("B", "two words"),
            ("D", "a b"),
            ("E", ""),
            ("F", "f")
        ]
    );
    assert!(p.iter().all(|p| !p.legacy));
    assert_eq!(text(src, p[1].span), "B=\"two words\"");
    assert_eq!(text(src, p[1].value.span), "\"two words\"");
    assert_eq!(text(src, p[2].value.span), "a\\ b");
    assert!(p[3].value.span.is_empty());
    assert_eq!(text(src, p[4].span), "F=f");

    let label = pairs(3);
    assert_eq!(label[0].key.raw, "\"com.x\"");
    assert_eq!(label[0].key.value, "com.x");
    assert_eq!(label[0].value.value, "y z");

    assert_eq!(pairs(4).len(), 1);
    assert_eq!(codes(&df), ["missing-equals"]);
    assert_eq!(text(src, df.diagnostics[0].span), "H");
}

#[test]
fn arg_lists_and_global_args() {
    let src = "ARG BASE=alpine V\nFROM ${BASE}\nARG A B=2 C=\"x y\"\nARG\n";
    let df = parse(src);
    assert_eq!(keywords(&df), ["ARG", "FROM", "ARG", "ARG"]);
    let InstructionKind::Arg(global) = &df.instructions[0].kind else {
        panic!()
    };
    assert_eq!(global.len(), 2);
    assert_eq!(global[0].name.value, "BASE");
    assert_eq!(global[0].default.as_ref().unwrap().value, "alpine");
    assert_eq!(global[1].default, None);
    let InstructionKind::Arg(decls) = &df.instructions[2].kind else {
        panic!()
    };
    let got: Vec<(&str, Option<&str>)> = decls
        .iter()
        .map(|d| {
            (
                d.name.value.as_str(),
                d.default.as_ref().map(|w| w.value.as_str()),
            )
        })
        .collect();
    assert_eq!(got, [("A", None), ("B", Some("2")), ("C", Some("x y"))]);
    assert_eq!(text(src, decls[2].span), "C=\"x y\"");
    assert_eq!(codes(&df), ["missing-arguments"]);
    assert_eq!(text(src, df.diagnostics[0].span), "ARG");
}

#[test]
fn from_forms() {
    let src = "FROM --platform=linux/arm64 reg.io:5000/a/b:1.0@sha256:abc AS Build\nFROM x as y\nFROM x aS z\nFROM\nFROM a b\n";
    let df = parse(src);
    let from = |k: usize| match &df.instructions[k].kind {
        InstructionKind::From(f) => f.clone(),
        other => panic!("{other:?}"),
    };
    let f = from(0);
    assert_eq!(
        df.instructions[0]
            .flag("platform")
            .unwrap()
            .value
            .as_deref(),
        Some("linux/arm64")
    );
    let image = f.image.unwrap();
    assert_eq!(image.raw, "reg.io:5000/a/b:1.0@sha256:abc");
    assert_eq!(image.registry.as_ref().unwrap().text, "reg.io:5000");
    assert_eq!(image.path.text, "a/b");
    assert_eq!(text(src, image.path.span), "a/b");
    assert_eq!(image.tag.as_ref().unwrap().text, "1.0");
    assert_eq!(image.digest.as_ref().unwrap().text, "sha256:abc");
    assert_eq!(text(src, image.digest.unwrap().span), "sha256:abc");
    assert_eq!(text(src, f.as_span.unwrap()), "AS");
    assert_eq!(f.alias.unwrap().value, "Build");
    assert_eq!(from(1).alias.unwrap().value, "y");
    assert_eq!(from(2).alias.unwrap().value, "z");
    assert!(from(3).image.is_none());
    assert_eq!(codes(&df), ["missing-arguments", "wrong-argument-count"]);
    assert_eq!(text(src, df.diagnostics[0].span), "FROM");
    assert_eq!(text(src, df.diagnostics[1].span), "b");
}

#[test]
fn healthcheck_forms() {
    let src = "FROM x\nHEALTHCHECK NONE\nHEALTHCHECK --retries=3 CMD curl -f http://l/\nHEALTHCHECK CMD [\"/c\"]\nHEALTHCHECK PING\n";
    let df = parse(src);
    let hc = |k: usize| match &df.instructions[k].kind {
        InstructionKind::Healthcheck(h) => h.clone(),
        other => panic!("{other:?}"),
    };
    let Healthcheck::None { span } = hc(1) else {
        panic!()
    };
    assert_eq!(text(src, span), "NONE");
    let Healthcheck::Cmd { cmd_span, .. } = hc(2) else {
        panic!()
    };
    assert_eq!(text(src, cmd_span), "CMD");
    assert_eq!(shell_text(&df.instructions[2]), "curl -f http://l/");
    assert_eq!(
        df.instructions[2].flag("retries").unwrap().value.as_deref(),
        Some("3")
    );
    assert_eq!(exec_args(&df.instructions[3]), ["/c"]);
    assert!(matches!(hc(4), Healthcheck::Invalid));
    assert_eq!(codes(&df), ["unknown-healthcheck-type"]);
    assert_eq!(text(src, df.diagnostics[0].span), "PING");
}

#[test]
fn onbuild_triggers() {
    let src =
        "FROM x\nONBUILD RUN make\nONBUILD ONBUILD RUN x\nONBUILD FROM y\nONBUILD MAINTAINER me\n";
    let df = parse(src);
    let InstructionKind::Onbuild(Some(trigger)) = &df.instructions[1].kind else {
        panic!()
    };
    assert_eq!(trigger.keyword, Keyword::Run);
    assert_eq!(text(src, trigger.span), "RUN make");
    assert_eq!(shell_text(trigger), "make");
    assert_eq!(
        codes(&df),
        [
            "invalid-onbuild-trigger",
            "invalid-onbuild-trigger",
            "invalid-onbuild-trigger"
        ]
    );
    let spans: Vec<&str> = df.diagnostics.iter().map(|d| text(src, d.span)).collect();
    assert_eq!(spans, ["ONBUILD", "FROM", "MAINTAINER"]);
}

#[test]
fn expose_shell_volume_maintainer() {
    let src = "FROM x\nEXPOSE 80 443/tcp 53/udp\nSHELL [\"/bin/bash\", \"-c\"]\nSHELL /bin/sh -c\nVOLUME [\"/a\", \"/b\"]\nVOLUME /c /d\nMAINTAINER Jane <j@x>\n";
    let df = parse(src);
    let InstructionKind::Expose(ports) = &df.instructions[1].kind else {
        panic!()
    };
    assert_eq!(values(ports), ["80", "443/tcp", "53/udp"]);
    assert_eq!(exec_args(&df.instructions[2]), ["/bin/bash", "-c"]);
    assert_eq!(codes(&df), ["shell-not-json"]);
    assert_eq!(text(src, df.diagnostics[0].span), "/bin/sh -c");
    let InstructionKind::Volume(v) = &df.instructions[4].kind else {
        panic!()
    };
    assert!(v.json);
    assert_eq!(values(&v.paths), ["/a", "/b"]);
    let InstructionKind::Volume(v) = &df.instructions[5].kind else {
        panic!()
    };
    assert!(!v.json);
    assert_eq!(values(&v.paths), ["/c", "/d"]);
    let InstructionKind::Maintainer(Some(m)) = &df.instructions[6].kind else {
        panic!()
    };
    assert_eq!(m.value, "Jane <j@x>");
}

#[test]
fn unknown_instruction_is_kept_with_a_suggestion() {
    let src = "FROM x\nRUNN echo a\nRUN echo b\n";
    let df = parse(src);
    assert_eq!(keywords(&df), ["FROM", "UNKNOWN", "RUN"]);
    let unknown = &df.instructions[1];
    assert_eq!(unknown.keyword, Keyword::Unknown);
    assert_eq!(unknown.keyword_text, "RUNN");
    let InstructionKind::Unknown(args) = &unknown.kind else {
        panic!()
    };
    assert_eq!(values(args), ["echo", "a"]);
    assert_eq!(codes(&df), ["unknown-instruction"]);
    assert_eq!(text(src, df.diagnostics[0].span), "RUNN");
    assert_eq!(
        df.diagnostics[0].help.as_deref(),
        Some("did you mean `RUN`?")
    );
}

#[test]
fn comments_attach_to_the_following_instruction() {
    let src = "# syntax=docker/dockerfile:1\n# about the base\nFROM x\n# one\n\n# two\nRUN a\n# dropped\n#\n# kept\nRUN b\n# trailing\n";
    let df = parse(src);
    let leading = |k: usize| -> Vec<&str> {
        df.leading_comments(&df.instructions[k])
            .iter()
            .map(|c| c.text.as_str())
            .collect()
    };
    assert_eq!(leading(0), ["about the base"]);
    // A blank line does not reset the collection; a bare `#` does (BuildKit).
    assert_eq!(leading(1), ["one", "two"]);
    assert_eq!(leading(2), ["kept"]);
    // Every comment is still kept, directives excluded.
    let all: Vec<&str> = df.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        all,
        [
            "about the base",
            "one",
            "two",
            "dropped",
            "",
            "kept",
            "trailing"
        ]
    );
    assert_eq!(df.directives.len(), 1);
}

#[test]
fn empty_file_and_comments_only_have_no_instructions() {
    let df = parse("");
    assert_eq!(codes(&df), ["no-instructions"]);
    assert!(df.instructions.is_empty());
    let df = parse("# only a comment\n\n");
    assert_eq!(codes(&df), ["no-instructions"]);
    assert_eq!(df.comments.len(), 1);
    assert!(df.has_errors());
}

#[test]
fn variable_references_with_spans() {
    let src = "FROM x\nENV A=$B C=${D:-x} E=${F:-${G}}\n";
    let df = parse(src);
    let vars = &df.instructions[1].vars;
    let got: Vec<(&str, &str)> = vars
        .iter()
        .map(|v| (v.name.as_str(), text(src, v.span)))
        .collect();
    assert_eq!(
        got,
        [
            ("B", "$B"),
            ("D", "${D:-x}"),
            ("F", "${F:-${G}}"),
            ("G", "${G}")
        ]
    );
    assert_eq!(vars[1].modifier.as_deref(), Some(":-"));
    assert_eq!(vars[1].word.as_deref(), Some("x"));
    assert_eq!(text(src, vars[1].name_span), "D");
    assert_eq!(vars[2].word.as_deref(), Some("${G}"));
}

#[test]
fn heredoc_content_strips_tabs_for_chomp() {
    let src = "FROM x\nRUN <<-EOF\n\tline1\n\t\tline2\n\tEOF\nRUN cat <<'E' >f && cat 3<<X\n$a\nE\nb\nX\n";
    let df = parse(src);
    assert!(df.diagnostics.is_empty(), "{:?}", df.diagnostics);
    let doc = &df.instructions[1].heredocs[0];
    assert!(doc.chomp && doc.expand);
    assert_eq!(doc.name, "EOF");
    assert_eq!(doc.content(src), "line1\nline2\n");
    assert_eq!(text(src, doc.body_span), "\tline1\n\t\tline2\n");
    assert_eq!(text(src, doc.terminator_span.unwrap()), "\tEOF");
    assert_eq!(text(src, doc.marker_span), "<<-EOF");
    assert_eq!(df.instructions[1].lines, (2, 5));
    let docs = &df.instructions[2].heredocs;
    assert_eq!(docs.len(), 2);
    assert_eq!((docs[0].name.as_str(), docs[0].expand), ("E", false));
    assert_eq!(docs[0].content(src), "$a\n");
    assert_eq!((docs[1].name.as_str(), docs[1].fd), ("X", Some(3)));
    assert_eq!(docs[1].content(src), "b\n");
    assert_eq!(text(src, docs[1].marker_span), "3<<X");
}

#[test]
fn heredoc_bodies_are_not_instructions_and_errors_are_reported() {
    let src = "FROM x\nCOPY <<EOF /f\nRUN no\n# no\nEOF\nONBUILD RUN <<EOF\nlater\nEOF\nRUN [\"cat\", \"<<EOF\"]\nRUN cat << EOF\nhello\nEOF\nRUN <<END\nnever ends\n";
    let df = parse(src);
    assert_eq!(
        keywords(&df),
        ["FROM", "COPY", "ONBUILD", "RUN", "RUN", "UNKNOWN", "UNKNOWN", "RUN"]
    );
    assert!(df.comments.is_empty());
    assert_eq!(
        df.instructions[1].heredocs[0].content(src),
        "RUN no\n# no\n"
    );
    let InstructionKind::Onbuild(Some(trigger)) = &df.instructions[2].kind else {
        panic!()
    };
    assert_eq!(trigger.heredocs[0].content(src), "later\n");
    assert!(df.instructions[3].heredocs.is_empty());
    assert_eq!(
        codes(&df),
        [
            "heredoc-with-space",
            "unknown-instruction",
            "unknown-instruction",
            "unterminated-heredoc"
        ]
    );
    assert_eq!(text(src, df.diagnostics[0].span), "<< EOF");
    assert_eq!(text(src, df.diagnostics[3].span), "<<END");
    assert_eq!(text(src, df.instructions[7].span), "RUN <<END\nnever ends");
}

#[test]
fn line_and_utf16_columns_for_non_ascii_text() {
    let src = "FROM x\nENV A=é😀b\n";
    let index = LineIndex::new(src);
    let b = src.find('b').unwrap();
    let p = index.position(src, b);
    assert_eq!((p.line, p.column, p.utf16_column, p.offset), (2, 9, 10, 19));
    let df = parse(src);
    let InstructionKind::Env(pairs) = &df.instructions[1].kind else {
        panic!()
    };
    assert_eq!(text(src, pairs[0].value.span), "é😀b");
    let loc = index.location(src, pairs[0].value.span);
    assert_eq!((loc.start.line, loc.start.column), (2, 7));
    assert_eq!((loc.end.column, loc.end.utf16_column), (10, 11));
}

#[test]
fn bom_is_stripped_but_spans_count_it() {
    let src = "\u{feff}FROM x\n";
    let df = parse(src);
    assert!(df.has_bom);
    assert!(df.diagnostics.is_empty());
    assert_eq!(df.instructions[0].span, Span::new(3, 9));
    assert_eq!(text(src, df.instructions[0].keyword_span), "FROM");
    let p = LineIndex::new(src).position(src, 3);
    assert_eq!((p.line, p.column), (1, 1));
}

/// Every word of every fixture slices the source to its raw text, unless it crosses a
/// continuation (then the raw text is the joined logical text).
#[test]
fn every_word_span_slices_its_raw_text() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/syntax");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let decoded = drydock::source::decode(std::fs::read(&path).unwrap());
        let src = decoded.text.as_str();
        let df = parse(src);
        let mut stack: Vec<&Instruction> = df.instructions.iter().collect();
        while let Some(inst) = stack.pop() {
            assert_eq!(text(src, inst.keyword_span), inst.keyword_text);
            let mut words: Vec<&Word> = Vec::new();
            match &inst.kind {
                InstructionKind::Copy(c) | InstructionKind::Add(c) => {
                    words.extend(&c.sources);
                    words.extend(&c.dest);
                }
                InstructionKind::Env(p) | InstructionKind::Label(p) => {
                    words.extend(p.iter().flat_map(|p| [&p.key, &p.value]));
                }
                InstructionKind::Arg(a) => {
                    words.extend(a.iter().map(|a| &a.name));
                    words.extend(a.iter().filter_map(|a| a.default.as_ref()));
                }
                InstructionKind::Expose(w) | InstructionKind::Unknown(w) => words.extend(w),
                InstructionKind::Volume(v) => words.extend(&v.paths),
                InstructionKind::User(w)
                | InstructionKind::Workdir(w)
                | InstructionKind::Stopsignal(w)
                | InstructionKind::Maintainer(w) => words.extend(w),
                InstructionKind::From(f) => words.extend(&f.alias),
                InstructionKind::Onbuild(t) => stack.extend(t.as_deref()),
                _ => {}
            }
            if let Some(CommandLine::Exec(e)) = inst.command() {
                words.extend(&e.args);
            }
            for f in &inst.flags {
                assert_eq!(text(src, f.name_span), f.name, "{path:?}");
            }
            for w in words {
                let slice = text(src, w.span);
                if !slice.contains('\n') {
                    assert_eq!(slice, w.raw, "{path:?}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 120, "only {checked} words checked");
}

#[test]
fn unsupported_substitution_modifiers_are_errors() {
    let src = "FROM x\nENV A=${B:0:2} C=${D:-x} E=${F#*.} G=${H//a/b}\nWORKDIR /${I:=x}\nRUN echo ${J:0:1}\nARG K=${templateOption:installZsh}\n";
    let df = parse(src);
    assert_eq!(codes(&df), ["unsupported-modifier", "unsupported-modifier"]);
    assert_eq!(text(src, df.diagnostics[0].span), "${B:0:2}");
    assert_eq!(text(src, df.diagnostics[1].span), "${I:=x}");
}

#[test]
fn env_and_label_names_cannot_be_blank() {
    let src = "FROM x\nENV A=1 =2\nLABEL =x b=c\n";
    let df = parse(src);
    assert_eq!(codes(&df), ["missing-name", "missing-name"]);
    assert_eq!(text(src, df.diagnostics[0].span), "=2");
    assert_eq!(text(src, df.diagnostics[1].span), "=x");
}

#[test]
fn unclosed_quotes_in_expanded_words_are_errors() {
    let src =
        "FROM x\nENV A=\"b\nENV C='it''s' D=\"it's\" E=a\\\"b\nLABEL f='x\\'y'\nRUN echo \"open\n";
    let df = parse(src);
    assert_eq!(codes(&df), ["unterminated-quote", "unterminated-quote"]);
    assert_eq!(text(src, df.diagnostics[0].span), "\"b");
    assert_eq!(text(src, df.diagnostics[1].span), "'");
}
