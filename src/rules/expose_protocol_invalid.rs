//! DD508: an EXPOSE protocol other than tcp, udp or sctp.

use super::expose_port_invalid::expose_items;
use super::{Context, Sink};

/// DD508
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (word, _, proto) in expose_items(ctx) {
        let Some(proto) = proto else {
            continue;
        };
        if ["tcp", "udp", "sctp"]
            .iter()
            .any(|p| p.eq_ignore_ascii_case(&proto))
        {
            continue;
        }
        sink.report(
            word.span,
            format!("EXPOSE `{}` has protocol `{proto}`: the build fails on anything but tcp, udp or sctp", word.raw),
            "write `<port>/tcp`, `<port>/udp` or `<port>/sctp` (tcp when omitted)",
        );
    }
}
