//! DD518: an instruction BuildKit expands uses a variable that is not defined where it is
//! used: a global ARG not re-declared in the stage, a near-miss of a defined name, or any
//! name in a stage built FROM scratch (no image environment to come from).

use std::collections::HashSet;

use super::from_arg_undeclared::PREDEFINED_PLATFORM_ARGS;
use super::{Context, Sink};
use crate::semantic::Base;
use crate::syntax::Keyword;

/// Proxy ARGs BuildKit defines without declaration.
const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Levenshtein distance, stopping early above `max`.
fn distance(a: &str, b: &str, max: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A defined name that `name` is probably a misspelling of.
fn near_miss<'n>(name: &str, defined: &'n HashSet<String>) -> Option<&'n str> {
    let max = match name.len() {
        0..=3 => return None,
        4..=7 => 1,
        _ => 2,
    };
    defined
        .iter()
        .filter(|d| d.as_str() != name)
        .map(|d| {
            let dist = if d.eq_ignore_ascii_case(name) {
                0
            } else {
                distance(name, d, max)
            };
            (dist, d)
        })
        .filter(|(dist, _)| *dist <= max)
        .min()
        .map(|(_, d)| d.as_str())
}

/// DD518
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let model = ctx.model;
    for stage in &model.stages {
        let on_scratch = model
            .root_stage(stage.index)
            .is_some_and(|root| root.base == Base::Scratch);
        for index in stage.body.clone() {
            let inst = &ctx.dockerfile.instructions[index];
            // ONBUILD triggers run in another build, with other variables.
            if inst.vars.is_empty() || inst.keyword == Keyword::Onbuild {
                continue;
            }
            if model.is_unjudgeable(index) {
                continue;
            }
            let mut defined: HashSet<String> = HashSet::new();
            // Keys set earlier in the same ENV/ARG are DD511's business, not undefined.
            if let crate::syntax::InstructionKind::Arg(decls) = &inst.kind {
                defined.extend(decls.iter().map(|d| d.name.value.clone()));
            }
            if let crate::syntax::InstructionKind::Env(pairs) = &inst.kind {
                defined.extend(pairs.iter().map(|p| p.key.value.clone()));
            }
            for var in &inst.vars {
                let name = var.name.as_str();
                if defined.contains(name)
                    || model.lookup_at(index, name).is_some()
                    || PREDEFINED_PLATFORM_ARGS.contains(&name)
                    || PROXY_ARGS.contains(&name)
                    || var.modifier.is_some()
                {
                    continue;
                }
                let global = model.global_args.iter().any(|a| a.name == name);
                let (message, help) = if global {
                    (
                        format!("`{}` is a global ARG, which is not visible inside a stage until re-declared: it expands to an empty string here", var.span.slice(ctx.source)),
                        format!("add `ARG {name}` (without a value) at the start of this stage"),
                    )
                } else if let Some(similar) =
                    near_miss(name, &names_in_scope(model, index, &defined))
                {
                    (
                        format!(
                            "`{}` is not defined here; did you mean `{similar}`?",
                            var.span.slice(ctx.source)
                        ),
                        format!("write `${similar}`, or declare `ARG {name}`"),
                    )
                } else if on_scratch {
                    (
                        format!("`{}` is not defined: this stage is built FROM scratch, so no image sets it", var.span.slice(ctx.source)),
                        format!("declare `ARG {name}` or set `ENV {name}=...` before using it"),
                    )
                } else {
                    // The base image's environment may well define it.
                    continue;
                };
                sink.report(var.span, message, help);
            }
        }
    }
}

/// Every name visible at `index` (for suggestions only: walks the stage, so only on a finding).
fn names_in_scope(
    model: &crate::semantic::Model<'_>,
    index: usize,
    own: &HashSet<String>,
) -> HashSet<String> {
    let mut names: HashSet<String> = model.env_at(index).into_iter().map(|(k, _)| k).collect();
    names.extend(model.args_at(index).into_keys());
    names.extend(own.iter().cloned());
    names
}
