//! Unit, property and corpus tests of the shell model.

use super::*;
use Context::{
    CommandSubstitution, For, Function, IfBody, IfCondition, LoopBody, TopLevel, WhileCondition,
};
use Operator::{AndIf, Background, Newline, OrIf, Pipe, Semi};
use RedirectOp::{
    Append, AppendOutErr, Clobber, DupIn, DupOut, HereString, In, Out, OutErr, ReadWrite,
};

/// Raw text of each command's words.
fn words(text: &str) -> Vec<Vec<&str>> {
    parse(text)
        .commands
        .iter()
        .map(|c| c.words.iter().map(|w| w.span.slice(text)).collect())
        .collect()
}

/// Values of each command's words.
fn values(text: &str) -> Vec<Vec<String>> {
    parse(text)
        .commands
        .iter()
        .map(|c| c.words.iter().map(|w| w.value.clone()).collect())
        .collect()
}

/// Operator before each command.
fn ops(text: &str) -> Vec<Option<Operator>> {
    parse(text).commands.iter().map(|c| c.op_before).collect()
}

/// Context of each command.
fn contexts(text: &str) -> Vec<Context> {
    parse(text).commands.iter().map(|c| c.context).collect()
}

/// The command names, for compact assertions.
fn names(text: &str) -> Vec<String> {
    parse(text)
        .commands
        .iter()
        .map(|c| c.words.first().map_or(String::new(), |w| w.value.clone()))
        .collect()
}

/// Issue messages.
fn issues(text: &str) -> Vec<String> {
    parse(text).issues.into_iter().map(|i| i.message).collect()
}

/// Every span of a script, for the invariant checks.
fn all_spans(s: &Script) -> Vec<Span> {
    let mut v = Vec::new();
    let redirect = |r: &Redirect, v: &mut Vec<Span>| {
        v.push(r.span);
        v.extend(r.target.as_ref().map(|t| t.span));
        v.extend(r.heredoc_body);
    };
    for c in &s.commands {
        v.push(c.span);
        v.extend(c.assignments.iter().chain(&c.words).map(|w| w.span));
        for r in &c.redirects {
            redirect(r, &mut v);
        }
    }
    v.extend(s.function_keywords.iter().copied());
    for r in &s.compound_redirects {
        redirect(r, &mut v);
    }
    v.extend(s.issues.iter().map(|i| i.span));
    v
}

/// Assert the span invariants on one input; returns the script.
fn check_invariants(text: &str) -> Script {
    let s = parse(text);
    for sp in all_spans(&s) {
        assert!(sp.start <= sp.end, "reversed span {sp:?} in {text:?}");
        assert!(sp.end() <= text.len(), "span {sp:?} out of {text:?}");
        assert!(
            text.is_char_boundary(sp.start()) && text.is_char_boundary(sp.end()),
            "span {sp:?} not on char boundaries in {text:?}"
        );
    }
    for c in &s.commands {
        for w in c.assignments.iter().chain(&c.words) {
            assert!(
                c.span.start <= w.span.start && w.span.end <= c.span.end,
                "word outside command in {text:?}"
            );
        }
    }
    s
}

// ---------------------------------------------------------------- words

#[test]
fn simple_words_and_spans() {
    let t = "apt-get install -y curl";
    assert_eq!(words(t), vec![vec!["apt-get", "install", "-y", "curl"]]);
    let s = parse(t);
    assert_eq!(s.commands[0].span.slice(t), t);
    assert_eq!(s.commands[0].op_before, None);
    assert!(s.issues.is_empty());
}

#[test]
fn quoting_and_values() {
    let t = r#"echo 'a b' "c $HOME d" e\ f "x\"y" 'it'\''s' "\q""#;
    assert_eq!(
        words(t),
        vec![vec![
            "echo",
            "'a b'",
            "\"c $HOME d\"",
            "e\\ f",
            "\"x\\\"y\"",
            "'it'\\''s'",
            "\"\\q\""
        ]]
    );
    assert_eq!(
        values(t),
        vec![vec![
            "echo",
            "a b",
            "c $HOME d",
            "e f",
            "x\"y",
            "it's",
            "\\q"
        ]]
    );
    let c = &parse(t).commands[0];
    assert!(!c.words[0].quoted && c.words[1].quoted && c.words[3].quoted);
    assert!(!c.words[1].has_expansion && c.words[2].has_expansion);
}

#[test]
fn ansi_c_quoting() {
    let t = r"printf $'a\tb\n' $'\x41\101\u00e9' $'it\'s' $'\q'";
    assert_eq!(
        values(t),
        vec![vec!["printf", "a\tb\n", "AAé", "it's", "\\q"]]
    );
    assert!(parse(t).commands[0].words[1].quoted);
}

#[test]
fn expansions_kept_as_written() {
    let t = r#"echo ${A:-"x y"} $(uname -m) `date` $((1 + 2)) "$@" $1 $ a$"#;
    let c = &parse(t).commands[0];
    let v: Vec<&str> = c.words.iter().map(|w| w.value.as_str()).collect();
    assert_eq!(
        v,
        vec![
            "echo",
            "${A:-\"x y\"}",
            "$(uname -m)",
            "`date`",
            "$((1 + 2))",
            "$@",
            "$1",
            "$",
            "a$"
        ]
    );
    let e: Vec<bool> = c.words.iter().map(|w| w.has_expansion).collect();
    assert_eq!(
        e,
        vec![false, true, true, true, true, true, true, false, false]
    );
    assert!(!c.words[7].quoted);
}

#[test]
fn single_quotes_hide_expansions() {
    let c = &parse("echo '$HOME' \"$HOME\"").commands[0];
    assert!(!c.words[1].has_expansion);
    assert!(c.words[2].has_expansion);
}

#[test]
fn globs_braces_and_hash() {
    let t = "ls *.txt {a,b}/c a#b # comment\necho x#y";
    assert_eq!(
        words(t),
        vec![vec!["ls", "*.txt", "{a,b}/c", "a#b"], vec!["echo", "x#y"]]
    );
}

#[test]
fn nested_command_substitution_word() {
    let t = r#"echo "$(dirname "$(readlink -f "$0")")"/x"#;
    let s = parse(t);
    assert_eq!(
        s.commands[0].words[1].span.slice(t),
        r#""$(dirname "$(readlink -f "$0")")"/x"#
    );
    assert_eq!(
        s.commands[0].words[1].value,
        r#"$(dirname "$(readlink -f "$0")")/x"#
    );
    assert_eq!(names(t), vec!["echo", "dirname", "readlink"]);
    assert_eq!(s.commands[1].context, Context::CommandSubstitution);
    assert_eq!(s.commands[1].depth, 1);
    assert_eq!(s.commands[2].depth, 2);
    assert_eq!(s.commands[2].words[2].span.slice(t), "\"$0\"");
    assert!(s.issues.is_empty(), "{:?}", s.issues);
}

#[test]
fn backtick_substitution_is_parsed() {
    let t = "echo `uname -r` done";
    let s = parse(t);
    assert_eq!(
        words(t),
        vec![vec!["echo", "`uname -r`", "done"], vec!["uname", "-r"]]
    );
    assert_eq!(s.commands[1].context, Context::CommandSubstitution);
}

#[test]
fn arithmetic_expansion_with_substitution() {
    let t = "make -j$(( $(nproc) + 1 ))";
    assert_eq!(
        words(t),
        vec![vec!["make", "-j$(( $(nproc) + 1 ))"], vec!["nproc"]]
    );
}

#[test]
fn process_substitution() {
    let t = "diff <(sort a) >(tee b) --x=<(c)";
    let s = parse(t);
    assert_eq!(
        words(t)[0],
        vec!["diff", "<(sort a)", ">(tee b)", "--x=<(c)"]
    );
    assert_eq!(names(t), vec!["diff", "sort", "tee", "c"]);
    assert!(s.commands[1..]
        .iter()
        .all(|c| c.context == Context::ProcessSubstitution));
    assert!(s.commands[0].redirects.is_empty());
}

#[test]
fn assignments() {
    let t = "A=1 B+=2 C[0]=3 env D=4 cmd; E=$(x) ; arr=(a \"b c\" $(d)) ";
    let s = parse(t);
    let a: Vec<&str> = s.commands[0]
        .assignments
        .iter()
        .map(|w| w.span.slice(t))
        .collect();
    assert_eq!(a, vec!["A=1", "B+=2", "C[0]=3"]);
    assert_eq!(words(t)[0], vec!["env", "D=4", "cmd"]);
    assert!(s.commands[1].words.is_empty());
    assert_eq!(s.commands[1].assignments[0].span.slice(t), "E=$(x)");
    assert_eq!(names(t), vec!["env", "", "x", "", "d"]);
    assert_eq!(
        s.commands[3].assignments[0].span.slice(t),
        "arr=(a \"b c\" $(d))"
    );
    assert!(s.issues.is_empty(), "{:?}", s.issues);
}

#[test]
fn extglob_word() {
    assert_eq!(
        words("rm !(keep).txt @(a|b)"),
        vec![vec!["rm", "!(keep).txt", "@(a|b)"]]
    );
}

#[test]
fn utf8_words() {
    let t = "echo héllo 'wörld' \"ñ$x\" \\é 日本;ls";
    assert_eq!(
        words(t),
        vec![
            vec!["echo", "héllo", "'wörld'", "\"ñ$x\"", "\\é", "日本"],
            vec!["ls"]
        ]
    );
    assert_eq!(values(t)[0][4], "é");
}

// ---------------------------------------------------------------- operators

#[test]
fn operators_before_each_command() {
    let t = "a && b || c; d | e |& f & g\nh";
    assert_eq!(
        ops(t),
        vec![
            None,
            Some(AndIf),
            Some(OrIf),
            Some(Semi),
            Some(Pipe),
            Some(Pipe),
            Some(Background),
            Some(Newline)
        ]
    );
    assert_eq!(names(t), vec!["a", "b", "c", "d", "e", "f", "g", "h"]);
}

#[test]
fn newlines_after_operators_and_blank_lines() {
    assert_eq!(ops("a &&\n\n b"), vec![None, Some(AndIf)]);
    assert_eq!(ops("a;\nb"), vec![None, Some(Semi)]);
    assert_eq!(ops("\n\na\n\n# c\nb"), vec![None, Some(Newline)]);
    assert_eq!(ops("a |\n b"), vec![None, Some(Pipe)]);
}

#[test]
fn line_continuation_inside_script() {
    let t = "apt-get install \\\n  -y curl";
    assert_eq!(words(t), vec![vec!["apt-get", "install", "-y", "curl"]]);
    let t = "ec\\\nho";
    assert_eq!(values(t), vec![vec!["echo"]]);
}

// ---------------------------------------------------------------- redirects

#[test]
fn redirections() {
    let t = "cmd 2>&1 >/dev/null &>f &>>g >>h <i >|j <>k 3<&0 9>&- <<<\"s\" x";
    let c = &parse(t).commands[0];
    let got: Vec<(Option<u32>, RedirectOp, &str, &str)> = c
        .redirects
        .iter()
        .map(|r| {
            (
                r.fd,
                r.op,
                r.span.slice(t),
                r.target.as_ref().map_or("", |w| w.span.slice(t)),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(2), DupOut, "2>&1", "1"),
            (None, Out, ">/dev/null", "/dev/null"),
            (None, OutErr, "&>f", "f"),
            (None, AppendOutErr, "&>>g", "g"),
            (None, Append, ">>h", "h"),
            (None, In, "<i", "i"),
            (None, Clobber, ">|j", "j"),
            (None, ReadWrite, "<>k", "k"),
            (Some(3), DupIn, "3<&0", "0"),
            (Some(9), DupOut, "9>&-", "-"),
            (None, HereString, "<<<\"s\"", "\"s\""),
        ]
    );
    assert_eq!(
        c.words.iter().map(|w| w.span.slice(t)).collect::<Vec<_>>(),
        vec!["cmd", "x"]
    );
    assert_eq!(c.span.slice(t), t);
}

#[test]
fn redirect_only_and_leading_redirect() {
    let t = "> f; 2>/dev/null cmd a";
    let s = parse(t);
    assert!(s.commands[0].words.is_empty());
    assert_eq!(s.commands[0].redirects[0].span.slice(t), "> f");
    assert_eq!(words(t)[1], vec!["cmd", "a"]);
    assert_eq!(s.commands[1].span.slice(t), "2>/dev/null cmd a");
    assert_eq!(s.commands[1].op_before, Some(Operator::Semi));
}

#[test]
fn digits_only_fd_when_adjacent() {
    let c = &parse("echo a2>f 2 >g").commands[0];
    assert_eq!(c.words.len(), 3);
    assert!(c.redirects.iter().all(|r| r.fd.is_none()));
}

// ---------------------------------------------------------------- heredocs

#[test]
fn heredoc_body_is_skipped() {
    let t = "cat <<EOF > /etc/x\nrm -rf / && echo $HOME\n  EOF not yet\nEOF\necho after";
    let s = parse(t);
    assert_eq!(names(t), vec!["cat", "echo"]);
    let r = &s.commands[0].redirects[0];
    assert_eq!(r.op, RedirectOp::Heredoc);
    assert_eq!(r.target.as_ref().unwrap().value, "EOF");
    assert_eq!(
        r.heredoc_body.unwrap().slice(t),
        "rm -rf / && echo $HOME\n  EOF not yet\n"
    );
    assert_eq!(s.commands[1].op_before, Some(Operator::Newline));
    assert!(s.issues.is_empty());
}

#[test]
fn heredoc_variants() {
    let t = "cat <<-'E O'\n\tbody $x\n\tE O\ncat << \"X\"\nb\nX\ncat <<\\Y\nc\nY";
    let s = parse(t);
    assert_eq!(names(t), vec!["cat", "cat", "cat"]);
    let bodies: Vec<&str> = s
        .commands
        .iter()
        .map(|c| c.redirects[0].heredoc_body.unwrap().slice(t))
        .collect();
    assert_eq!(bodies, vec!["\tbody $x\n", "b\n", "c\n"]);
    assert_eq!(s.commands[0].redirects[0].op, RedirectOp::HeredocStrip);
    assert_eq!(
        s.commands[0].redirects[0].target.as_ref().unwrap().value,
        "E O"
    );
}

#[test]
fn several_heredocs_on_one_line() {
    let t = "paste <<A <<B | sort\na1\nA\nb1\nB\nnext";
    let s = parse(t);
    assert_eq!(names(t), vec!["paste", "sort", "next"]);
    let r = &s.commands[0].redirects;
    assert_eq!(r[0].heredoc_body.unwrap().slice(t), "a1\n");
    assert_eq!(r[1].heredoc_body.unwrap().slice(t), "b1\n");
}

#[test]
fn heredoc_inside_substitution_and_on_compound() {
    let t = "x=$(cat <<EOF\nhi )\nEOF\n)\nwhile read l; do echo $l; done <<EOF\na\nEOF\n";
    let s = parse(t);
    assert_eq!(names(t), vec!["", "cat", "read", "echo"]);
    assert_eq!(
        s.commands[1].redirects[0].heredoc_body.unwrap().slice(t),
        "hi )\n"
    );
    assert_eq!(
        s.compound_redirects[0].heredoc_body.unwrap().slice(t),
        "a\n"
    );
    assert!(s.issues.is_empty(), "{:?}", s.issues);
}

#[test]
fn unterminated_heredoc() {
    let t = "cat <<EOF\nbody\n";
    let s = parse(t);
    assert_eq!(
        s.commands[0].redirects[0].heredoc_body.unwrap().slice(t),
        "body\n"
    );
    assert_eq!(s.issues.len(), 1);
    assert_eq!(issues("cat <<EOF").len(), 1);
}

// ---------------------------------------------------------------- compound commands

#[test]
fn subshell_and_brace_group() {
    let t = "(cd /a && make) && { echo a; echo b; } > log";
    let s = parse(t);
    assert_eq!(names(t), vec!["cd", "make", "echo", "echo"]);
    assert_eq!(
        contexts(t),
        vec![
            Context::Subshell,
            Context::Subshell,
            Context::BraceGroup,
            Context::BraceGroup
        ]
    );
    assert_eq!(
        ops(t),
        vec![None, Some(Operator::AndIf), None, Some(Operator::Semi)]
    );
    assert_eq!(s.commands[0].depth, 1);
    assert_eq!(s.compound_redirects[0].span.slice(t), "> log");
    assert!(s.issues.is_empty());
}

#[test]
fn operator_after_compound() {
    let t = "{ a; } && b; if c; then d; fi || e";
    assert_eq!(
        ops(t),
        vec![
            None,
            Some(Operator::AndIf),
            None,
            None,
            Some(Operator::OrIf)
        ]
    );
}

#[test]
fn if_elif_else() {
    let t = "if [ -f a ]; then b; elif c; then d; else e; fi; f";
    assert_eq!(names(t), vec!["[", "b", "c", "d", "e", "f"]);
    assert_eq!(
        contexts(t),
        vec![IfCondition, IfBody, IfCondition, IfBody, IfBody, TopLevel]
    );
    assert_eq!(ops(t)[5], Some(Operator::Semi));
    assert!(issues(t).is_empty());
}

#[test]
fn while_until_loops() {
    let t = "while read x; do echo $x; done < f\nuntil false\ndo\n  sleep 1\ndone";
    assert_eq!(names(t), vec!["read", "echo", "false", "sleep"]);
    assert_eq!(
        contexts(t),
        vec![WhileCondition, LoopBody, WhileCondition, LoopBody]
    );
    assert!(issues(t).is_empty());
}

#[test]
fn for_loops() {
    let t = "for f in a $(ls) 'c d'; do rm $f; done; for ((i=0; i<3; i++)); do echo $i; done\nfor x\ndo y; done";
    assert_eq!(names(t), vec!["ls", "rm", "echo", "y"]);
    assert_eq!(contexts(t), vec![CommandSubstitution, For, For, For]);
    assert!(issues(t).is_empty(), "{:?}", issues(t));
    assert_eq!(names("select x in a b; do echo $x; done"), vec!["echo"]);
}

#[test]
fn case_statement() {
    let t = "case \"$1\" in\n  a|b) echo ab ;;\n  (c) echo c; x ;&\n  *) echo other ;;&\n  d) ;;\nesac; after";
    let s = parse(t);
    assert_eq!(names(t), vec!["echo", "echo", "x", "echo", "after"]);
    assert!(s.commands[..4].iter().all(|c| c.context == Context::Case));
    assert_eq!(
        ops(t),
        vec![None, None, Some(Operator::Semi), None, Some(Operator::Semi)]
    );
    assert!(s.issues.is_empty(), "{:?}", s.issues);
}

#[test]
fn case_inside_command_substitution() {
    let t = "v=$(case $x in a) echo 1;; esac) && y";
    assert_eq!(names(t), vec!["", "echo", "y"]);
    assert!(issues(t).is_empty(), "{:?}", issues(t));
}

#[test]
fn functions() {
    let t = "f() { echo in f; }\nfunction g { h; }\nfunction k() ( j )\nf";
    assert_eq!(names(t), vec!["echo", "h", "j", "f"]);
    assert_eq!(contexts(t), vec![Function, Function, Function, TopLevel]);
    assert!(issues(t).is_empty(), "{:?}", issues(t));
}

#[test]
fn double_bracket_test() {
    let t = "[[ -f a && $x =~ ^(a|b)$ || ( -z y ) ]] && echo ok";
    assert_eq!(
        words(t),
        vec![
            vec!["[[", "-f", "a", "&&", "$x", "=~", "^(a|b)$", "||", "(", "-z", "y", ")", "]]"],
            vec!["echo", "ok"]
        ]
    );
    assert_eq!(ops(t)[1], Some(Operator::AndIf));
}

#[test]
fn arithmetic_command() {
    let t = "(( i += 1 )) && echo $i";
    assert_eq!(
        words(t),
        vec![vec!["((", "i += 1", "))"], vec!["echo", "$i"]]
    );
    assert_eq!(names("( (echo a) )"), vec!["echo"]);
}

#[test]
fn negation_and_time() {
    let t = "! grep -q x f && time -p make && time ls";
    let s = parse(t);
    assert_eq!(names(t), vec!["grep", "make", "ls"]);
    assert!(s.commands[0].negated && !s.commands[1].negated);
}

#[test]
fn reserved_words_only_in_command_position() {
    assert_eq!(
        words("echo if then fi done }"),
        vec![vec!["echo", "if", "then", "fi", "done", "}"]]
    );
    assert_eq!(names("FOO=1 if"), vec!["if"]);
}

#[test]
fn keyword_right_after_compound() {
    let t = "{ if a; then b; fi }";
    assert_eq!(names(t), vec!["a", "b"]);
    assert!(issues(t).is_empty(), "{:?}", issues(t));
}

#[test]
fn depth_counts_nesting() {
    let t = "a; ( b; { c; $(d) ; } )";
    let d: Vec<u16> = parse(t).commands.iter().map(|c| c.depth).collect();
    assert_eq!(d, vec![0, 1, 2, 2, 3]);
}

// ---------------------------------------------------------------- sh -c

#[test]
fn sh_c_reparse_maps_spans() {
    let t = r#"sh -c "apt-get update && apt-get install -y \"$PKG\" curl""#;
    let s = parse(t);
    assert_eq!(names(t), vec!["sh", "apt-get", "apt-get"]);
    let inner = &s.commands[2];
    assert_eq!(inner.context, Context::ShellString);
    assert_eq!(inner.depth, 1);
    assert_eq!(inner.op_before, Some(Operator::AndIf));
    let raw: Vec<&str> = inner.words.iter().map(|w| w.span.slice(t)).collect();
    assert_eq!(
        raw,
        vec!["apt-get", "install", "-y", "\\\"$PKG\\\"", "curl"]
    );
    assert_eq!(inner.words[3].value, "$PKG");
    assert_eq!(inner.span.slice(t), "apt-get install -y \\\"$PKG\\\" curl");
}

#[test]
fn sh_c_variants() {
    for t in [
        "bash -c 'echo hi'",
        "/bin/sh -ec 'echo hi'",
        "/bin/bash -euxo pipefail -c 'echo hi'",
        "bash -o pipefail -c 'echo hi'",
        "env FOO=1 sh -xc 'echo hi'",
        "sudo -u bob bash -lc 'echo hi'",
        "/usr/bin/env bash -c 'echo hi'",
    ] {
        let s = parse(t);
        let inner: Vec<&str> = s
            .commands
            .iter()
            .filter(|c| c.context == Context::ShellString)
            .flat_map(|c| c.words.iter().map(|w| w.span.slice(t)))
            .collect();
        assert_eq!(inner, vec!["echo", "hi"], "{t}");
    }
}

#[test]
fn sh_c_escapes_and_ansi_map_to_escape_bytes() {
    let t = r"sh -c $'echo \x41b\tc; ls'";
    let s = parse(t);
    assert_eq!(names(t), vec!["sh", "echo", "ls"]);
    assert_eq!(s.commands[1].words[1].span.slice(t), r"\x41b");
    assert_eq!(s.commands[1].words[1].value, "Ab");
    assert_eq!(s.commands[1].words[2].span.slice(t), "c");
    assert_eq!(s.commands[2].words[0].span.slice(t), "ls");
}

#[test]
fn sh_c_nested_and_with_compound() {
    let t = r#"sh -c 'if true; then bash -c "rm x"; fi'"#;
    let s = parse(t);
    assert_eq!(names(t), vec!["sh", "true", "bash", "rm"]);
    assert_eq!(s.commands[3].depth, 3);
    assert_eq!(s.commands[3].span.slice(t), "rm x");
    assert_eq!(s.commands[1].context, Context::IfCondition);
}

#[test]
fn sh_c_span_covers_raw_quotes() {
    let t = "sh -c e'cho hi'";
    let s = parse(t);
    assert_eq!(s.commands[1].words[0].span.slice(t), "e'cho");
    assert_eq!(s.commands[1].words[0].value, "echo");
}

#[test]
fn sh_c_skipped_when_ambiguous() {
    assert_eq!(names(r#"sh -c "echo $(date)""#), vec!["sh", "date"]);
    assert_eq!(names("sh -c `x`"), vec!["sh", "x"]);
    assert_eq!(names("sh script.sh -c 'a'"), vec!["sh"]);
    assert_eq!(names("sh -x 'a'"), vec!["sh"]);
}

#[test]
fn sh_c_heredoc_in_string() {
    let t = "sh -c 'cat <<E\nbody\nE\necho done'";
    let s = parse(t);
    assert_eq!(names(t), vec!["sh", "cat", "echo"]);
    assert_eq!(
        s.commands[1].redirects[0].heredoc_body.unwrap().slice(t),
        "body\n"
    );
}

// ---------------------------------------------------------------- tolerance

#[test]
fn trailing_operator() {
    let t = "apt-get install -y &&";
    assert_eq!(words(t), vec![vec!["apt-get", "install", "-y"]]);
    assert_eq!(issues(t).len(), 1);
    assert_eq!(parse(t).issues[0].span.slice(t), "&&");
}

#[test]
fn unterminated_quotes() {
    let t = "echo 'abc && rm x";
    assert_eq!(words(t), vec![vec!["echo", "'abc && rm x"]]);
    assert_eq!(issues(t), vec!["unterminated single quote"]);
    let t = "echo \"abc $(ls";
    assert_eq!(names(t), vec!["echo", "ls"]);
    assert_eq!(issues(t).len(), 2);
}

#[test]
fn missing_closers() {
    for (t, n) in [
        ("if a; then b", 1),
        ("while a; do b", 1),
        ("for x in y; do z", 1),
        ("case x in a) b", 1),
        ("( a", 1),
        ("{ a", 1),
        ("echo $(a", 1),
        ("echo ${a", 1),
        ("echo `a", 1),
        ("if a; then ( b; fi", 1),
        ("[[ -f a", 1),
    ] {
        let s = check_invariants(t);
        assert_eq!(s.issues.len(), n, "{t}: {:?}", s.issues);
        assert!(!s.commands.is_empty(), "{t}");
    }
}

#[test]
fn stray_closers() {
    for t in [
        "fi", "done; a", ") a", "} x", "then b", "a;; b", "&& a", "a | | b",
    ] {
        let s = check_invariants(t);
        assert!(!s.issues.is_empty(), "{t}");
    }
    assert_eq!(names("done; a"), vec!["a"]);
}

#[test]
fn empty_and_blank_input() {
    for t in ["", " ", "\n\n", "# only a comment", ";", "\\"] {
        let s = check_invariants(t);
        assert!(s.commands.len() <= 1, "{t:?}");
    }
}

// ---------------------------------------------------------------- remap

#[test]
fn remap_moves_every_span() {
    let t = "cat <<E > f && x\nb\nE\n{ y; } 2>&1 && 'z";
    let mut s = parse(t);
    let before = all_spans(&s);
    s.remap(|sp| sp.shifted(100));
    let after = all_spans(&s);
    assert_eq!(before.len(), after.len());
    assert!(before
        .iter()
        .zip(&after)
        .all(|(a, b)| b.start == a.start + 100 && b.end == a.end + 100));
}

// ---------------------------------------------------------------- pathological

#[test]
fn deep_subshells() {
    let n = 2000;
    let t = format!("{}echo deep{}", "( ".repeat(n), " )".repeat(n));
    let s = parse(&t);
    assert_eq!(s.commands.len(), 1);
    assert_eq!(s.commands[0].depth, 2000);
    assert_eq!(s.issues.len(), 1);
}

#[test]
fn deep_brace_groups_and_ifs() {
    let n = 2000;
    let t = format!("{}echo deep;{}", "{ ".repeat(n), " }".repeat(n));
    assert_eq!(parse(&t).commands.len(), 1);
    let t = format!("{}x{}", "if a; then ".repeat(n), "; fi".repeat(n));
    let s = parse(&t);
    assert_eq!(s.commands.len(), n + 1);
    assert_eq!(s.issues.len(), 1);
}

#[test]
fn deep_command_substitutions() {
    let n = 2000;
    let t = format!("echo {}x{}", "$( ".repeat(n), " )".repeat(n));
    let s = check_invariants(&t);
    assert_eq!(s.commands[0].words[1].span.end(), t.len());
    assert!(
        s.commands.len() > 50 && s.commands.len() < 200,
        "{}",
        s.commands.len()
    );
    assert_eq!(s.issues.len(), 1, "{:?}", s.issues);
    let t = format!("echo {}x{}", "\"$(".repeat(n), ")\"".repeat(n));
    let s = check_invariants(&t);
    assert_eq!(s.commands[0].words.len(), 2);
    let t = "$(".repeat(n);
    check_invariants(&t);
    let t = "${".repeat(n) + &"`(".repeat(n) + &"[[ ".repeat(n) + &"$((".repeat(n);
    check_invariants(&t);
}

#[test]
fn deep_sh_c() {
    let mut t = String::from("echo x");
    for i in 0..200 {
        t = if i % 2 == 0 {
            format!("sh -c \"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
        } else {
            format!("sh -c '{}'", t.replace('\'', "'\\''"))
        };
        if t.len() > 200_000 {
            break;
        }
    }
    check_invariants(&t);
}

#[test]
fn long_and_chain() {
    let t = "apt-get install -y foo && ".repeat(40_000) + "true";
    assert!(t.len() > 1_000_000);
    let s = parse(&t);
    assert_eq!(s.commands.len(), 40_001);
    assert!(s.commands[1..]
        .iter()
        .all(|c| c.op_before == Some(Operator::AndIf)));
    assert!(s.issues.is_empty());
}

#[test]
fn one_megabyte_word() {
    let t = "echo ".to_string() + &"a".repeat(1 << 20);
    let s = parse(&t);
    assert_eq!(s.commands[0].words[1].value.len(), 1 << 20);
    let t = "echo \"".to_string() + &"é$x".repeat(100_000);
    check_invariants(&t);
}

#[test]
fn many_heredocs() {
    let t = "cat <<EOF\nline\nEOF\n".repeat(20_000);
    let s = parse(&t);
    assert_eq!(s.commands.len(), 20_000);
    assert!(s.commands.iter().all(|c| c.redirects[0]
        .heredoc_body
        .is_some_and(|b| b.slice(&t) == "line\n")));
    assert!(s.issues.is_empty());
}

#[test]
fn many_unbalanced_openers_stay_linear() {
    for unit in [
        "((", "$((", "'", "\"", "`", "${", "<(", "case ", "for ", "[[ ", "cat <<E ",
    ] {
        let t = unit.repeat(200_000 / unit.len());
        check_invariants(&t);
    }
}

#[test]
fn deep_nesting_fits_small_stack() {
    let n = 3000;
    let inputs = [
        format!("echo {}x{}", "$( ".repeat(n), " )".repeat(n)),
        format!("echo {}x{}", "<(".repeat(n), ")".repeat(n)),
        format!("echo {}x{}", "\"${a:-$(".repeat(n), ")}\"".repeat(n)),
        format!("{}x", "if $(a; then ".repeat(n)),
    ];
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for t in &inputs {
                check_invariants(t);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

// ---------------------------------------------------------------- property

/// Test inputs reused by the mutation test.
const CASES: &[&str] = &[
    "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*",
    r#"set -eux; arch="$(dpkg --print-architecture)"; case "$arch" in amd64) x=1 ;; *) echo "bad $arch"; exit 1 ;; esac"#,
    "if [ -f /a ]; then echo 'yes'; elif b; then c; else d; fi; for i in 1 2; do echo $i; done",
    "cat <<-EOF > /etc/f\n\tbody $x\n\tEOF\nwhile read l; do echo \"$l\"; done < <(ls -1)",
    r#"sh -c "echo \"hi\" && ls" && bash -ec 'x=$(id -u); [[ $x == 0 ]] || exit 1'"#,
    "f() { local a=${1:-def}; echo ${a//x/y} $((a + 1)) `date`; }; f 2>&1 | tee log &",
    "echo $'a\\tb' \"é日本\" 'ü' \\ü ${x:-\"$(printf '%s' \"q\")\"} >(cat) ((i++))",
    "{ a; b; } || ( c && d ) ; ! e | f |& g ;; h",
];

/// A tiny deterministic LCG.
struct Lcg(u64);

impl Lcg {
    /// Next pseudo-random number.
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn prefixes_and_mutations_never_panic() {
    const ALPHABET: &[&str] = &[
        "'", "\"", "\\", "$", "(", ")", "{", "}", "`", "<", ">", "<<", "|", "&", ";", "\n", " ",
        "#", "é", "日", "$(", "${", "((", "if ", "fi", "case ", "esac", "do ", "done", "<<E\n",
        "E\n", "[[", "]]", "=",
    ];
    let mut rng = Lcg(0x5eed);
    let mut count = 0;
    for case in CASES {
        for (i, _) in case.char_indices() {
            check_invariants(&case[..i]);
            count += 1;
        }
        for _ in 0..2000 {
            let mut s = (*case).to_string();
            for _ in 0..=(rng.next() % 4) {
                let mut at = usize::try_from(rng.next()).unwrap() % (s.len() + 1);
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                match rng.next() % 3 {
                    0 => s.insert_str(
                        at,
                        ALPHABET[usize::try_from(rng.next()).unwrap() % ALPHABET.len()],
                    ),
                    1 => {
                        let mut end =
                            (at + 1 + usize::try_from(rng.next() % 4).unwrap()).min(s.len());
                        while !s.is_char_boundary(end) {
                            end += 1;
                        }
                        s.replace_range(at..end, "");
                    }
                    _ => s.truncate(at),
                }
            }
            check_invariants(&s);
            count += 1;
        }
    }
    assert!(count > 16_000);
}

// ---------------------------------------------------------------- corpus

/// Crude RUN-body extraction: `RUN ` lines joined over `\` continuations, comment lines dropped,
/// leading `--flags` removed, heredoc bodies (`<<WORD`) appended with their terminator lines.
fn run_bodies(file: &str) -> Vec<String> {
    let lines: Vec<&str> = file
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        i += 1;
        if !t.get(..4).is_some_and(|k| k.eq_ignore_ascii_case("RUN ")) {
            continue;
        }
        let mut body = String::new();
        let mut line = t[4..].trim_start();
        loop {
            let Some(l) = line.trim_end().strip_suffix('\\') else {
                body.push_str(line);
                break;
            };
            body.push_str(l);
            while i < lines.len() && lines[i].trim_start().starts_with('#') {
                i += 1;
            }
            let Some(next) = lines.get(i) else { break };
            i += 1;
            line = next;
        }
        let mut body = body.trim_start();
        while body.starts_with("--") {
            body = body
                .find([' ', '\t'])
                .map_or("", |p| body[p..].trim_start());
        }
        if body.starts_with('[') {
            continue;
        }
        let mut body = body.to_string();
        for (delim, strip) in heredoc_delims(&body.clone()) {
            while let Some(l) = lines.get(i) {
                i += 1;
                body.push('\n');
                body.push_str(l);
                let l = if strip { l.trim_start_matches('\t') } else { l };
                if l == delim {
                    break;
                }
            }
        }
        out.push(body);
    }
    out
}

/// The `<<WORD` / `<<-WORD` heredoc delimiters of a RUN line, crudely.
fn heredoc_delims(line: &str) -> Vec<(String, bool)> {
    let mut v = Vec::new();
    let mut rest = line;
    while let Some(p) = rest.find("<<") {
        rest = &rest[p + 2..];
        if rest.starts_with('<') {
            rest = &rest[1..];
            continue;
        }
        let strip = rest.starts_with('-');
        let r = rest.trim_start_matches('-').trim_start_matches(['\'', '"']);
        let word: String = r
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() {
            v.push((word, strip));
        }
    }
    v
}

/// All corpus RUN bodies, if the corpus is present.
fn corpus_bodies() -> Option<Vec<String>> {
    let dir = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/files"
    ))
    .ok()?;
    let mut paths: Vec<_> = dir.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    let mut bodies = Vec::new();
    for p in paths {
        if let Ok(bytes) = std::fs::read(&p) {
            bodies.extend(run_bodies(&String::from_utf8_lossy(&bytes)));
        }
    }
    Some(bodies)
}

#[test]
#[allow(clippy::print_stderr, reason = "the smoke test reports its numbers")]
fn corpus_smoke() {
    let Some(bodies) = corpus_bodies() else {
        return;
    };
    let (mut commands, mut issue_count, mut with_issues) = (0, 0, 0);
    let mut samples = Vec::new();
    for b in &bodies {
        let s = check_invariants(b);
        commands += s.commands.len();
        issue_count += s.issues.len();
        if !s.issues.is_empty() {
            with_issues += 1;
            if samples.len() < 40 && std::env::var_os("SHELL_CORPUS_SAMPLES").is_some() {
                let i = &s.issues[0];
                let from = i.span.start().saturating_sub(60);
                let ctx = b.get(from..(i.span.end() + 40).min(b.len())).unwrap_or("");
                samples.push(format!("{}: …{ctx}…", i.message));
            }
        }
    }
    eprintln!(
        "corpus: {} bodies, {} bytes, {commands} commands, {issue_count} issues in {with_issues} bodies",
        bodies.len(),
        bodies.iter().map(String::len).sum::<usize>()
    );
    for s in samples {
        eprintln!("  {s}");
    }
    assert!(commands > bodies.len());
}

#[test]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
#[allow(clippy::print_stderr, reason = "the benchmark reports its numbers")]
fn corpus_throughput() {
    let Some(bodies) = corpus_bodies() else {
        return;
    };
    let bytes: usize = bodies.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let mut commands = 0;
    for _ in 0..30 {
        let start = std::time::Instant::now();
        commands = 0;
        for b in &bodies {
            commands += std::hint::black_box(parse(b)).commands.len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    #[allow(clippy::cast_precision_loss, reason = "statistics")]
    let mbps = bytes as f64 / best / 1e6;
    eprintln!(
        "throughput: {mbps:.1} MB/s (best of 30 rounds) over {} bodies, {bytes} bytes, {commands} commands",
        bodies.len()
    );
}

// ---------------------------------------------------------------- more edge cases

#[test]
fn heredoc_then_more_commands_on_the_line() {
    let t = "cat <<EOF | grep x; echo hi\nbody\nEOF\ndone_cmd";
    let s = parse(t);
    assert_eq!(names(t), vec!["cat", "grep", "echo", "done_cmd"]);
    assert_eq!(
        s.commands[0].redirects[0].heredoc_body.unwrap().slice(t),
        "body\n"
    );
}

#[test]
fn crlf_text() {
    let t = "if a; then\r\n  b\r\nfi\r\ncat <<EOF\r\nx\r\nEOF\r\nc";
    let s = parse(t);
    assert_eq!(names(t), vec!["a", "b", "cat", "c"]);
    assert_eq!(
        s.commands[2].redirects[0].heredoc_body.unwrap().slice(t),
        "x\r\n"
    );
    assert!(s.issues.is_empty(), "{:?}", s.issues);
}

#[test]
fn source_order_with_shell_strings() {
    let t = "sh -c 'a; b' $(c) && d";
    assert_eq!(names(t), vec!["sh", "a", "b", "c", "d"]);
    let starts: Vec<u32> = parse(t).commands.iter().map(|c| c.span.start).collect();
    assert!(starts.is_sorted());
}

#[test]
fn double_bracket_across_lines_and_redirect() {
    let t = "[[ -n $a &&\n -z $b ]] 2>/dev/null || c";
    let s = parse(t);
    assert_eq!(words(t)[0], vec!["[[", "-n", "$a", "&&", "-z", "$b", "]]"]);
    assert_eq!(s.commands[0].redirects.len(), 1);
    assert_eq!(s.commands[1].op_before, Some(OrIf));
}

#[test]
fn dollar_paren_paren_is_arithmetic() {
    let t = "echo $((2 * (3 + 4))) $(( $(a) ))";
    assert_eq!(words(t)[0], vec!["echo", "$((2 * (3 + 4)))", "$(( $(a) ))"]);
    assert_eq!(names(t), vec!["echo", "a"]);
    assert!(issues(t).is_empty());
}

#[test]
fn brace_parameter_forms() {
    let t = r#"echo ${#a} ${a%%.*} ${a/x/"y z"} "${a:-'q'}" ${a:-{b}}"#;
    assert_eq!(
        words(t)[0],
        vec![
            "echo",
            "${#a}",
            "${a%%.*}",
            r#"${a/x/"y z"}"#,
            r#""${a:-'q'}""#,
            "${a:-{b}}"
        ]
    );
    assert!(issues(t).is_empty());
}

#[test]
fn comment_only_at_word_start() {
    let t = "echo a#b #c d\necho ${#x} $# '#'";
    assert_eq!(
        words(t),
        vec![vec!["echo", "a#b"], vec!["echo", "${#x}", "$#", "'#'"]]
    );
}

#[test]
fn env_and_sudo_prefixes_for_sh_c() {
    let t = "env -i PATH=/bin sudo -E -u root sh -c 'id'";
    assert_eq!(names(t), vec!["env", "id"]);
    assert_eq!(parse(t).commands[1].words[0].span.slice(t), "id");
}

#[test]
fn word_spans_slice_to_raw_text_everywhere() {
    for t in CASES {
        let s = parse(t);
        for c in &s.commands {
            for w in c.assignments.iter().chain(&c.words) {
                assert!(!w.span.slice(t).is_empty(), "{t}");
            }
        }
    }
}

#[test]
fn function_keywords_are_recorded() {
    let text = "function f { echo; }; g() { :; }; sh -c 'function h() { :; }'";
    let s = check_invariants(text);
    let words: Vec<&str> = s.function_keywords.iter().map(|k| k.slice(text)).collect();
    assert_eq!(words, ["function", "function"]);
    assert!(s.function_keywords[1].start() > 40);
    assert!(parse("echo function").function_keywords.is_empty());
}
