//! DD710: the comment directly above a named stage's FROM or an ARG, which BuildKit shows
//! as its description (`docker build --call=outline`), does not start with its name.

use super::{Context, Sink};
use crate::span::Span;
use crate::suppress::is_suppression_comment;
use crate::syntax::{Comment, Instruction, InstructionKind};

/// DD710
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (i, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let (what, names): (&str, Vec<(&str, Span)>) = match &inst.kind {
            InstructionKind::From(from) => match &from.alias {
                Some(alias) => ("stage", vec![(alias.value.as_str(), alias.span)]),
                None => continue,
            },
            InstructionKind::Arg(decls) => (
                "ARG",
                decls
                    .iter()
                    .map(|d| (d.name.value.as_str(), d.name.span))
                    .collect(),
            ),
            _ => continue,
        };
        if names.is_empty() || ctx.model.is_unjudgeable(i) {
            continue;
        }
        let block = description(ctx, inst);
        let (Some(first), Some(last)) = (block.first(), block.last()) else {
            continue;
        };
        let starts_with_name = |c: &Comment| {
            let word = c.text.split([' ', '\t']).next().unwrap_or("");
            names.iter().any(|(name, _)| {
                // Stage names are case-insensitive; ARG names are not.
                if what == "stage" {
                    word.eq_ignore_ascii_case(name)
                } else {
                    word == *name
                }
            })
        };
        if starts_with_name(first) || starts_with_name(last) {
            continue;
        }
        let (name, span) = names[0];
        let example = if names.len() > 1 { "<name>" } else { name };
        sink.report(
            span,
            format!(
                "the comment directly above {what} `{name}`, `# {}`, is its description for `docker build --call=outline`, but does not start with `{example}`",
                first.text
            ),
            format!(
                "start the description with the name (`# {example} <what it is>`), or put a blank line between the comment and the instruction if it is not a description"
            ),
        );
    }
}

/// The description of `inst`: the comments on the lines directly above it, without a blank
/// line between, suppression comments left out.
fn description<'a>(ctx: &Context<'a>, inst: &Instruction) -> Vec<&'a Comment> {
    let mut block = Vec::new();
    let mut next_start = inst.span.start();
    for c in ctx.dockerfile.leading_comments(inst).iter().rev() {
        let gap = ctx.source.get(c.span.end()..next_start).unwrap_or("\n\n");
        if gap.matches('\n').count() != 1 || !gap.trim().is_empty() {
            break;
        }
        block.push(c);
        next_start = c.span.start();
    }
    block.reverse();
    block.retain(|c| !is_suppression_comment(c));
    block
}
