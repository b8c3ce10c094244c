//! Custom rules: written by users in `.drydock.yaml` (`custom-rules:`), checked here.
//!
//! A rule is evaluated per instruction: every matcher it has must match the instruction
//! (the instruction kind filter included), and the findings point at what the most
//! specific matcher found: `command`, else `key`, else `image`, else the `args` regex match,
//! else the instruction keyword. `required-label` stands alone: it judges the final image.
//! The configuration module builds and validates [`CustomRule`]s; see the README's
//! "Custom rules" section for the YAML schema.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

use super::{Context, Sink};
use crate::diagnostic::Severity;
use crate::semantic::commands::{run_commands, RunCommand};
use crate::semantic::Base;
use crate::span::Span;
use crate::syntax::{Instruction, InstructionKind, Keyword};

/// The category designator that selects every custom rule.
pub const CATEGORY: &str = "custom";

/// One user-defined rule.
#[derive(Debug, Clone)]
pub struct CustomRule {
    /// `ACME001`: interned (see [`intern`]), so findings keep `&'static str` codes.
    pub code: &'static str,
    /// `oci-source-label`, kebab-case, interned.
    pub name: &'static str,
    pub severity: Severity,
    /// What is wrong; `{match}` is replaced by the text the finding points at.
    pub message: String,
    /// What to do instead; `{match}` is replaced as in `message`.
    pub help: String,
    /// Where the rule is defined, `path:line`.
    pub origin: String,
    pub(crate) matcher: Matcher,
}

/// What a custom rule looks for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matcher {
    /// The instruction kinds it applies to (empty: any).
    pub(crate) instructions: Vec<Keyword>,
    /// A regex searched in the instruction's arguments (the logical line after the keyword);
    /// its first capture group, if any, is what findings point at.
    pub(crate) args: Option<Regex>,
    pub(crate) command: Option<CommandMatcher>,
    pub(crate) image: Option<ImagePattern>,
    /// A regex searched in the keys of ENV, ARG and LABEL.
    pub(crate) key: Option<Regex>,
    /// Labels the final image must set.
    pub(crate) required_labels: Vec<String>,
}

/// A command of a RUN (wrappers unwrapped) and the flags it must or must not have.
#[derive(Debug, Clone, Default)]
pub(crate) struct CommandMatcher {
    /// Program basenames (`pip`, `pip3`): any of them.
    pub(crate) names: Vec<String>,
    /// Words that must appear, in this order, among the non-option arguments.
    pub(crate) args: Vec<String>,
    /// One of these flags must be given (alternatives, e.g. `--index-url` and `-i`).
    pub(crate) require_flags: Vec<String>,
    /// The value of the required flag (and of an `or-env` variable) must match this.
    pub(crate) flag_value: Option<Regex>,
    /// Environment variables that stand in for the required flag.
    pub(crate) or_env: Vec<String>,
    /// None of these flags may be given.
    pub(crate) forbid_flags: Vec<String>,
}

/// A pattern on a FROM image's normalised reference.
#[derive(Debug, Clone)]
pub(crate) enum ImagePattern {
    /// Shell-style globs (`*` any text, `?` one character) matching the whole reference;
    /// any of them.
    Globs(Vec<String>),
    /// A regex searched in the reference.
    Regex(Regex),
}

/// `s` as a `&'static str`, leaking each distinct string once per process: custom rule
/// codes and names are few, and reloading a configuration reuses the strings leaked before,
/// so the leak is bounded by the distinct codes and names ever loaded.
#[must_use]
pub fn intern(s: &str) -> &'static str {
    static STRINGS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = STRINGS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(&known) = set.get(s) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
    set.insert(leaked);
    leaked
}

impl CustomRule {
    /// Whether `name` designates this rule: its code (any case) or its name.
    #[must_use]
    pub fn is_named(&self, name: &str) -> bool {
        self.code.eq_ignore_ascii_case(name) || self.name == name
    }

    /// What the rule matches, in one sentence (for `drydock explain` and SARIF).
    #[must_use]
    pub fn describe(&self) -> String {
        let m = &self.matcher;
        if !m.required_labels.is_empty() {
            return format!(
                "Reports a final image (the last stage and the stages it is built on) without the label{} {}.",
                if m.required_labels.len() == 1 { "" } else { "s" },
                quoted(&m.required_labels)
            );
        }
        let mut parts = Vec::new();
        if let Some(c) = &m.command {
            let mut s = format!("the command `{}`", c.names.join("`/`"));
            if !c.args.is_empty() {
                s.push_str(&format!(" with the arguments {}", quoted(&c.args)));
            }
            if !c.forbid_flags.is_empty() {
                s.push_str(&format!(" using {}", quoted(&c.forbid_flags)));
            }
            if !c.require_flags.is_empty() {
                if !c.forbid_flags.is_empty() {
                    s.push_str(" or");
                }
                s.push_str(&format!(" without {}", quoted(&c.require_flags)));
                if let Some(v) = &c.flag_value {
                    s.push_str(&format!(" (with a value matching `{v}`)"));
                }
                if !c.or_env.is_empty() {
                    s.push_str(&format!(" and without {} set", quoted(&c.or_env)));
                }
            }
            parts.push(s);
        }
        if let Some(k) = &m.key {
            parts.push(format!("a key matching `{k}`"));
        }
        match &m.image {
            Some(ImagePattern::Globs(g)) => parts.push(format!("an image matching {}", quoted(g))),
            Some(ImagePattern::Regex(r)) => parts.push(format!("an image matching `{r}`")),
            None => {}
        }
        if let Some(a) = &m.args {
            parts.push(format!("arguments matching `{a}`"));
        }
        let names: Vec<&str> = m.instructions.iter().map(|k| k.as_str()).collect();
        let kinds = match names.as_slice() {
            [] => "instructions".to_owned(),
            _ => format!("{} instructions", names.join("/")),
        };
        if parts.is_empty() {
            format!("Reports all {kinds}.")
        } else {
            format!("Reports {kinds} with {}.", parts.join(" and "))
        }
    }
}

/// `a`, `b` as "`a`, `b`".
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A place a matcher found: the span to report and the text `{match}` stands for.
struct Hit {
    span: Span,
    text: String,
}

/// Run `rule` over the file.
pub(crate) fn check(rule: &CustomRule, ctx: &Context<'_>, sink: &mut Sink) {
    let m = &rule.matcher;
    if !m.required_labels.is_empty() {
        for hit in missing_labels(ctx, &m.required_labels) {
            report(rule, sink, &hit);
        }
        return;
    }
    for (i, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if (!m.instructions.is_empty() && !m.instructions.contains(&inst.keyword))
            || ctx.model.is_unjudgeable(i)
        {
            continue;
        }
        for hit in instruction_hits(m, ctx, i, inst) {
            report(rule, sink, &hit);
        }
    }
}

fn report(rule: &CustomRule, sink: &mut Sink, hit: &Hit) {
    sink.report(
        hit.span,
        rule.message.replace("{match}", &hit.text),
        rule.help.replace("{match}", &hit.text),
    );
}

/// The hits of the most specific matcher when every matcher matches instruction `i`.
fn instruction_hits(m: &Matcher, ctx: &Context<'_>, i: usize, inst: &Instruction) -> Vec<Hit> {
    let args = match &m.args {
        Some(re) => {
            let hits = args_hits(re, inst);
            if hits.is_empty() {
                return Vec::new();
            }
            Some(hits)
        }
        None => None,
    };
    let specific = [
        m.command.as_ref().map(|c| command_hits(c, ctx, i, inst)),
        m.key.as_ref().map(|k| key_hits(k, inst)),
        m.image.as_ref().map(|p| image_hits(p, ctx, i)),
    ];
    let mut primary = None;
    for hits in specific.into_iter().flatten() {
        if hits.is_empty() {
            return Vec::new();
        }
        primary.get_or_insert(hits);
    }
    primary.or(args).unwrap_or_else(|| {
        vec![Hit {
            span: inst.keyword_span,
            text: inst.keyword_text.clone(),
        }]
    })
}

/// Every match of `re` in the arguments: the logical line after the keyword, as BuildKit
/// reads it (continuation lines joined, comment lines inside dropped), flags included. When
/// the regex has a capture group that took part in the match, the first group is the hit.
fn args_hits(re: &Regex, inst: &Instruction) -> Vec<Hit> {
    let logical = &inst.logical;
    let text = logical.as_str();
    let keyword_end = inst.keyword_span.end();
    let start = (0..=text.len())
        .filter(|&k| text.is_char_boundary(k))
        .find(|&k| k == text.len() || logical.to_file(k) >= keyword_end)
        .unwrap_or(text.len());
    re.captures_iter(&text[start..])
        .filter_map(|caps| caps.get(1).or_else(|| caps.get(0)))
        .map(|m| Hit {
            span: logical.range_to_file(start + m.start(), start + m.end()),
            text: m.as_str().to_owned(),
        })
        .collect()
}

/// The commands of the RUN that break the command policy.
fn command_hits(c: &CommandMatcher, ctx: &Context<'_>, i: usize, inst: &Instruction) -> Vec<Hit> {
    run_commands(inst)
        .iter()
        .filter(|cmd| c.names.iter().any(|n| n == cmd.program()) && has_args(cmd, &c.args))
        .filter_map(|cmd| command_hit(c, ctx, i, cmd))
        .collect()
}

/// Whether `want` appear in order among the command's non-option arguments.
fn has_args(cmd: &RunCommand<'_>, want: &[String]) -> bool {
    let positionals = cmd.positionals(&[]);
    let mut words = positionals.iter();
    want.iter().all(|w| words.any(|p| p.value == *w))
}

/// The hit for one matching command: its first forbidden flag, else its program word when
/// it lacks the required flag, else (no flag lists at all) its program word.
fn command_hit(
    c: &CommandMatcher,
    ctx: &Context<'_>,
    i: usize,
    cmd: &RunCommand<'_>,
) -> Option<Hit> {
    let program = cmd.program_word()?;
    let at_program = || Hit {
        span: program.span,
        text: program.value.clone(),
    };
    let forbidden: Vec<&str> = c.forbid_flags.iter().map(String::as_str).collect();
    if let Some(flag) = cmd.find_flag(&forbidden) {
        return Some(Hit {
            span: flag.span,
            text: flag.value.clone(),
        });
    }
    if c.require_flags.is_empty() {
        return c.forbid_flags.is_empty().then(at_program);
    }
    let required: Vec<&str> = c.require_flags.iter().map(String::as_str).collect();
    let value_ok = |v: &str| c.flag_value.as_ref().is_none_or(|re| re.is_match(v));
    if let Some(value) = cmd.flag_value(&required) {
        if value_ok(value.value()) {
            return None;
        }
        let word = value.word();
        return Some(Hit {
            span: word.span,
            text: word.value.clone(),
        });
    }
    if c.flag_value.is_none() && cmd.has_flag(&required) {
        return None;
    }
    if c.or_env
        .iter()
        .any(|name| env_ok(ctx, i, cmd, name, &value_ok))
    {
        return None;
    }
    Some(at_program())
}

/// Whether `name` is set for the command with an acceptable value: inline (`NAME=v cmd`,
/// `env NAME=v cmd`), by ENV in the stage or its parents, or by an ARG in scope (build
/// arguments are in a RUN's environment). An ARG without a default is given at build time:
/// it cannot be judged and counts as set.
fn env_ok(
    ctx: &Context<'_>,
    i: usize,
    cmd: &RunCommand<'_>,
    name: &str,
    value_ok: &dyn Fn(&str) -> bool,
) -> bool {
    let inline = cmd
        .shell
        .map(|s| s.assignments.as_slice())
        .unwrap_or_default()
        .iter()
        .chain(cmd.wrapper_words())
        .filter_map(|w| w.value.split_once('='))
        .find(|(k, _)| *k == name);
    if let Some((_, v)) = inline {
        return value_ok(v);
    }
    if let Some(v) = ctx.model.env_var_at(i, name) {
        return value_ok(&v);
    }
    match ctx.model.arg_at(i, name) {
        Some(Some(default)) => value_ok(&default),
        Some(None) => true,
        None => false,
    }
}

/// The keys of ENV, ARG and LABEL matching `re`.
fn key_hits(re: &Regex, inst: &Instruction) -> Vec<Hit> {
    let keys: Vec<&crate::syntax::Word> = match &inst.kind {
        InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => {
            pairs.iter().map(|p| &p.key).collect()
        }
        InstructionKind::Arg(decls) => decls.iter().map(|d| &d.name).collect(),
        _ => Vec::new(),
    };
    keys.into_iter()
        .filter(|k| re.is_match(&k.value))
        .map(|k| Hit {
            span: k.span,
            text: k.value.clone(),
        })
        .collect()
}

/// The FROM image of instruction `i` when its normalised reference matches.
fn image_hits(pattern: &ImagePattern, ctx: &Context<'_>, i: usize) -> Vec<Hit> {
    let Some((_, image, resolved)) = ctx.model.external_images().find(|(s, _, _)| s.from == i)
    else {
        return Vec::new();
    };
    let reference = normalized_reference(resolved);
    let matched = match pattern {
        ImagePattern::Globs(globs) => globs.iter().any(|g| glob_match(g, &reference)),
        ImagePattern::Regex(re) => re.is_match(&reference),
    };
    if !matched {
        return Vec::new();
    }
    vec![Hit {
        span: image.written.span,
        text: reference,
    }]
}

/// `registry/path[:tag][@digest]` with Docker's defaults: `docker.io` (for Docker Hub under
/// any of its names), `library/` for official images, `:latest` without tag and digest.
#[must_use]
pub fn normalized_reference(image: &crate::syntax::ImageRef) -> String {
    let registry = match image.registry_or_default().to_ascii_lowercase().as_str() {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => {
            "docker.io".to_owned()
        }
        other => other.to_owned(),
    };
    let mut s = format!("{registry}/{}", image.normalized_path());
    match (&image.tag, &image.digest) {
        (None, None) => s.push_str(":latest"),
        (tag, digest) => {
            if let Some(t) = tag {
                s.push(':');
                s.push_str(&t.text);
            }
            if let Some(d) = digest {
                s.push('@');
                s.push_str(&d.text);
            }
        }
    }
    s
}

/// Whether glob `pattern` (`*`: any text, `?`: one character) matches all of `text`.
#[must_use]
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic linear backtracking over the last `*`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The required labels the final image does not set, reported at the final stage's FROM.
/// Only the LABELs of this file are seen: a label the base image sets is not known.
fn missing_labels(ctx: &Context<'_>, required: &[String]) -> Vec<Hit> {
    let Some(last) = ctx.model.final_stage() else {
        return Vec::new();
    };
    let chain = ctx.model.stage_chain(last.index);
    // An unresolved external base could be anything; scratch and images are judged alike.
    if chain.iter().any(|s| matches!(s.base, Base::Missing)) {
        return Vec::new();
    }
    let instructions = &ctx.dockerfile.instructions;
    let set: HashSet<&str> = chain
        .iter()
        .flat_map(|s| s.body.clone())
        .filter_map(|i| match &instructions.get(i)?.kind {
            InstructionKind::Label(pairs) => Some(pairs),
            _ => None,
        })
        .flatten()
        .map(|p| p.key.value.as_str())
        .collect();
    let from = &instructions[last.from];
    required
        .iter()
        .filter(|l| !set.contains(l.as_str()))
        .map(|l| Hit {
            span: from.keyword_span,
            text: l.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_text() {
        assert!(glob_match("docker.io/*", "docker.io/library/python:3.12"));
        assert!(glob_match(
            "*/library/python:3.1?",
            "docker.io/library/python:3.12"
        ));
        assert!(!glob_match("docker.io/*", "ghcr.io/docker.io/x"));
        assert!(!glob_match("python", "python:3"));
        assert!(glob_match("a*b*c", "aXbYbc"));
        assert!(glob_match("*", ""));
    }

    #[test]
    fn interned_strings_are_shared() {
        let a = intern("ACME001-test");
        let b = intern(&String::from("ACME001-test"));
        assert!(std::ptr::eq(a, b));
    }
}
