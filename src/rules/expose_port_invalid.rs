//! DD507: an EXPOSE port out of range or not a number.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// An EXPOSE item after ARG/ENV expansion: port part and protocol, if the item can be
/// judged (no unresolved variable, no `host:container` mapping, which DD509 reports).
pub(crate) fn expose_items<'c, 'm>(
    ctx: &'c Context<'m>,
) -> impl Iterator<Item = (&'c crate::syntax::Word, String, Option<String>)> + use<'c, 'm> {
    ctx.dockerfile
        .instructions
        .iter()
        .enumerate()
        .filter_map(|(i, inst)| match &inst.kind {
            InstructionKind::Expose(words) if !ctx.model.is_unjudgeable(i) => Some((i, words)),
            _ => None,
        })
        .flat_map(move |(i, words)| {
            words.iter().filter_map(move |w| {
                let expanded = ctx.model.expand_at(i, &w.raw);
                if !expanded.unresolved.is_empty() || expanded.text.is_empty() {
                    return None;
                }
                let text = expanded.text;
                let (port, proto) = match text.split_once('/') {
                    Some((p, proto)) => (p.to_owned(), Some(proto.to_owned())),
                    None => (text, None),
                };
                Some((w, port, proto))
            })
        })
}

/// Whether `port` is a valid port or `start-end` range.
fn valid(port: &str) -> bool {
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|&n| n <= 65535)
    };
    match port.split_once('-') {
        Some((a, b)) => matches!((number(a), number(b)), (Some(a), Some(b)) if a <= b),
        None => number(port).is_some(),
    }
}

/// DD507
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (word, port, _) in expose_items(ctx) {
        if port.contains(':') || valid(&port) {
            continue;
        }
        let shown = if word.raw == port {
            format!("`{port}`")
        } else {
            format!("`{}` (`{port}`)", word.raw)
        };
        sink.report(
            word.span,
            format!(
                "EXPOSE port {shown} is not a port number from 0 to 65535 or a `start-end` range"
            ),
            "write the container port as a number, optionally with `/tcp`, `/udp` or `/sctp`",
        );
    }
}
