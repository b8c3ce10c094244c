//! DD509: EXPOSE with an IP address or a `host:container` port mapping.

use super::expose_port_invalid::expose_items;
use super::{Context, Sink};

/// DD509
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (word, port, _) in expose_items(ctx) {
        if !port.contains(':') {
            continue;
        }
        let container = port.rsplit(':').next().unwrap_or_default();
        sink.report(
            word.span,
            format!("EXPOSE `{}` maps a host address or port: EXPOSE only documents the container port", word.raw),
            format!("write `EXPOSE {container}` and choose the host side when running (`docker run -p`)"),
        );
    }
}
