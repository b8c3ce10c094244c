//! Pathological Dockerfiles generated in memory, shared by `tests/pathological.rs` and
//! `examples/bench_parse.rs` (which includes this file by path).

#![allow(dead_code)]

use std::fmt::Write as _;

/// One generated input and a short label (`a`–`g` as in the robustness issue).
pub(crate) struct Input {
    pub(crate) id: &'static str,
    pub(crate) what: &'static str,
    pub(crate) text: String,
}

pub(crate) const MB: usize = 1 << 20;

/// (a) A single RUN line of about 1 MB.
pub(crate) fn long_line() -> String {
    let mut s = String::from("FROM alpine\nRUN echo start");
    while s.len() < MB {
        s.push_str(" && echo \"$HOME/é\" 'x y' ${A:-b} > /tmp/f");
    }
    s.push('\n');
    s
}

pub(crate) const CONTINUATIONS: usize = 20_000;

/// (b) A RUN with 20,000 continuation lines.
pub(crate) fn continuations() -> String {
    let mut s = String::from("FROM alpine\nRUN echo start \\\n");
    for i in 0..CONTINUATIONS {
        let _ = writeln!(s, "    && echo line{i} \\");
    }
    s.push_str("    && true\n");
    s
}

pub(crate) const HEREDOCS: usize = 20_000;

/// (c1) 20,000 `RUN <<EOFn` instructions.
pub(crate) fn heredoc_instructions() -> String {
    let mut s = String::from("FROM alpine\n");
    for i in 0..HEREDOCS {
        let _ = write!(s, "RUN <<EOF{i}\necho {i}\nEOF{i}\n");
    }
    s
}

/// (c2) One RUN line with 20,000 heredocs, then their bodies.
pub(crate) fn heredocs_one_line() -> String {
    let mut s = String::from("FROM alpine\nRUN cat");
    for i in 0..HEREDOCS {
        let _ = write!(s, " <<E{i}");
    }
    s.push('\n');
    for i in 0..HEREDOCS {
        let _ = write!(s, "body {i}\nE{i}\n");
    }
    s
}

pub(crate) const NESTING: usize = 2_000;

/// (d1) A RUN with 2,000 nested subshells `( ( ( … ) ) )`.
pub(crate) fn nested_subshells() -> String {
    format!(
        "FROM alpine\nRUN {}true{}\n",
        "( ".repeat(NESTING),
        " )".repeat(NESTING)
    )
}

/// (d2) A RUN with 2,000 nested command substitutions `$(echo $(echo … ))`.
pub(crate) fn nested_substitutions() -> String {
    format!(
        "FROM alpine\nRUN echo {}x{}\n",
        "$(echo ".repeat(NESTING),
        ")".repeat(NESTING)
    )
}

pub(crate) const STAGES: usize = 10_000;

/// (e) 10,000 stages, each built on the previous one.
pub(crate) fn stages() -> String {
    let mut s = String::from("FROM alpine AS s0\n");
    for i in 1..STAGES {
        let _ = write!(s, "FROM s{} AS s{i}\nRUN echo {i}\n", i - 1);
    }
    s
}

pub(crate) const LINES: usize = 100_000;

/// The 10-line block repeated by [`many_lines`]; it holds 7 instructions.
const BLOCK: &str = "# a comment\n\
FROM alpine:3.19 AS build\n\
ARG VERSION=1.0\n\
ENV PATH=/opt/bin:$PATH LANG=C.UTF-8\n\
\n\
RUN apk add --no-cache curl \\\n\
    && rm -rf /var/cache/apk/*\n\
COPY --chown=1:1 src/ /app/\n\
LABEL org.opencontainers.image.title=\"x\"\n\
CMD [\"/app/run\", \"--port\", \"80\"]\n";

/// Instructions per [`BLOCK`].
pub(crate) const BLOCK_INSTRUCTIONS: usize = 7;

/// (f) A 100,000-line file.
pub(crate) fn many_lines() -> String {
    BLOCK.repeat(LINES / BLOCK.lines().count())
}

/// (g) About 1 MB of `\` continuation lines with empty lines in between.
pub(crate) fn continuations_with_empty_lines() -> String {
    let mut s = String::from("FROM alpine\nRUN echo \\\n");
    while s.len() < MB {
        s.push_str("  a \\\n\n");
    }
    s.push_str("  end\n");
    s
}

pub(crate) const ENVS: usize = 20_000;

/// (h) 20,000 ENV instructions, each value built from the one before.
pub(crate) fn env_chain() -> String {
    let mut s = String::from("FROM alpine:3.22\nENV V0=x\n");
    for i in 1..ENVS {
        let _ = writeln!(s, "ENV V{i}=${{V{}}}", i - 1);
    }
    s.push_str("RUN echo \"$V1\"\n");
    s
}

pub(crate) const INSTALLS: usize = 50_000;

/// (i) 50,000 `apt-get install` RUNs in one stage: each asks what configured apt before it.
pub(crate) fn installs_one_stage() -> String {
    let mut s = String::from("FROM debian:bookworm-slim\n");
    for i in 0..INSTALLS {
        let _ = writeln!(s, "RUN apt-get install -y pkg{i}");
    }
    s
}

/// (j) 10,000 stages, each built on the previous one, setting and using a variable and
/// piping (every RUN asks for its stage's /bin/sh and the variables in scope).
pub(crate) fn stage_chain_with_variables() -> String {
    let mut s = String::from("FROM debian:bookworm-slim AS s0\n");
    for i in 1..STAGES {
        let _ = write!(
            s,
            "FROM s{} AS s{i}\nENV A{i}=$A{}\nRUN grep $A{i} /etc/hosts | sort\n",
            i - 1,
            i - 1
        );
    }
    s
}

/// The inputs that stress the rules rather than the parser ([`all`] plus these are what
/// the lint tests and `examples/bench_lint.rs` use).
pub(crate) fn rule_inputs() -> Vec<Input> {
    vec![
        Input {
            id: "h",
            what: "20,000 ENV, each built from the one before",
            text: env_chain(),
        },
        Input {
            id: "i",
            what: "50,000 apt-get install RUNs in one stage",
            text: installs_one_stage(),
        },
        Input {
            id: "j",
            what: "10,000 chained stages with ENV and piped RUN",
            text: stage_chain_with_variables(),
        },
    ]
}

/// All inputs, in order.
pub(crate) fn all() -> Vec<Input> {
    vec![
        Input {
            id: "a",
            what: "1 MB single-line RUN",
            text: long_line(),
        },
        Input {
            id: "b",
            what: "RUN with 20,000 continuation lines",
            text: continuations(),
        },
        Input {
            id: "c1",
            what: "20,000 RUN <<EOFn instructions",
            text: heredoc_instructions(),
        },
        Input {
            id: "c2",
            what: "one RUN line with 20,000 heredocs",
            text: heredocs_one_line(),
        },
        Input {
            id: "d1",
            what: "2,000 nested subshells",
            text: nested_subshells(),
        },
        Input {
            id: "d2",
            what: "2,000 nested $(",
            text: nested_substitutions(),
        },
        Input {
            id: "e",
            what: "10,000 stages",
            text: stages(),
        },
        Input {
            id: "f",
            what: "100,000-line file",
            text: many_lines(),
        },
        Input {
            id: "g",
            what: "1 MB of continuations with empty lines",
            text: continuations_with_empty_lines(),
        },
    ]
}
