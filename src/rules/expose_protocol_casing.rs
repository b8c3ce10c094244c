//! DD791: an EXPOSE protocol written in upper or mixed case.

use super::expose_port_invalid::expose_items;
use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::span::Span;
use crate::syntax::Word;

/// DD791
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (word, port, proto) in expose_items(ctx) {
        let Some(proto) = proto else {
            continue;
        };
        let lower = proto.to_ascii_lowercase();
        if proto == lower || !["tcp", "udp", "sctp"].contains(&lower.as_str()) {
            continue;
        }
        sink.report(
            word.span,
            format!("EXPOSE protocol `{proto}` is not lowercase"),
            format!("write `{port}/{lower}`"),
        )
        .fix = lowercase_protocol(ctx.source, word, &port, &proto);
    }
}

/// The protocol after `/` in lowercase, when the item is written as it reads (no variable,
/// quote, escape or continuation between the file and `port/proto`).
fn lowercase_protocol(source: &str, word: &Word, port: &str, proto: &str) -> Option<Fix> {
    let written = word.span.slice(source);
    if written != format!("{port}/{proto}") {
        return None;
    }
    let start = word.span.start() + port.len() + 1;
    Some(Fix {
        description: format!("write `{}`", proto.to_ascii_lowercase()),
        edits: vec![Edit {
            span: Span::new(start, word.span.end()),
            replacement: proto.to_ascii_lowercase(),
        }],
        safety: Safety::Safe,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn only_plainly_written_protocols_are_rewritten() {
        let text = "FROM nginx:1.27\nEXPOSE 80/TCP 53/Udp \\\n  443/TCP\n";
        assert_eq!(
            fixed("DD791", text),
            "FROM nginx:1.27\nEXPOSE 80/tcp 53/udp \\\n  443/tcp\n"
        );
        let computed = "FROM nginx:1.27\nARG P=TCP\nEXPOSE 80/$P \"81/TCP\"\n";
        assert_eq!(fixes("DD791", computed), [None, None]);
    }
}
