//! DD791: an EXPOSE protocol written in upper or mixed case.

use super::expose_port_invalid::expose_items;
use super::{Context, Sink};

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
        );
    }
}
