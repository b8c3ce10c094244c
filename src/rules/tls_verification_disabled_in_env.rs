//! DD403: ENV or ARG that turns TLS certificate verification off for the tools that read it.

use super::tls_verification_disabled::env_disables_tls;
use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// DD403
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for inst in &ctx.dockerfile.instructions {
        let pairs: Vec<(&crate::syntax::Word, &str)> = match &inst.kind {
            InstructionKind::Env(pairs) => pairs
                .iter()
                .map(|p| (&p.key, p.value.value.as_str()))
                .collect(),
            // An ARG without a default sets nothing unless the build passes a value.
            InstructionKind::Arg(decls) => decls
                .iter()
                .filter_map(|d| d.default.as_ref().map(|v| (&d.name, v.value.as_str())))
                .collect(),
            _ => continue,
        };
        for (key, value) in pairs {
            if !env_disables_tls(&key.value, value) {
                continue;
            }
            sink.report(
                key.span,
                format!(
                    "`{}={value}` turns off TLS certificate verification for every later command that reads it: anyone on the network path can swap what is downloaded",
                    key.value
                ),
                "remove it; if a private CA is involved, add its certificate to the trust store (`update-ca-certificates`) or set `NODE_EXTRA_CA_CERTS`, `PIP_CERT`, `GIT_SSL_CAINFO` instead",
            );
        }
    }
}
