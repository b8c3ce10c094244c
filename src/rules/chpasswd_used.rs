//! DD412: `chpasswd` in a RUN sets a password in the image.

use super::{Context, Sink};

/// DD412
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        for cmd in ctx.model.commands(index) {
            if cmd.program() != "chpasswd" {
                continue;
            }
            let Some(word) = cmd.program_word() else {
                continue;
            };
            sink.report(
                word.span,
                "`chpasswd` sets a password in the image: the password hash is in `/etc/shadow` of every container, and the password itself is usually in the Dockerfile and the image history".to_owned(),
                "do not give accounts in the image a password; use `USER` to run as an unprivileged user, and pass credentials at run time",
            );
        }
    }
}
