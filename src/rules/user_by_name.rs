//! DD415: the final image's last USER is a name, not a numeric UID.

use super::{Context, Sink};
use crate::semantic::is_root_user;
use crate::syntax::InstructionKind;

/// DD415
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(last) = ctx.model.final_stage() else {
        return;
    };
    // Windows images have no numeric users to switch to.
    if ctx.model.is_windows_stage(last.index) {
        return;
    }
    let Some(index) = ctx.model.user_at_end(last.index) else {
        return;
    };
    if ctx.model.is_unjudgeable(index) {
        return;
    }
    let InstructionKind::User(Some(word)) = &ctx.dockerfile.instructions[index].kind else {
        return;
    };
    // `USER $APP_UID` with no default is only known at build time.
    let expanded = ctx.model.expand_at(index, &word.raw);
    if !expanded.unresolved.is_empty() {
        return;
    }
    let user = expanded.text.split(':').next().unwrap_or("").trim();
    // Root is `final-user-root`'s.
    if user.is_empty() || user.bytes().all(|b| b.is_ascii_digit()) || is_root_user(user) {
        return;
    }
    let shown = if word.raw.contains('$') {
        format!("`USER {}` (`{user}`)", word.value)
    } else {
        format!("`USER {}`", word.value)
    };
    sink.report(
        word.span,
        format!(
            "{shown} names the final user instead of giving its UID, so Kubernetes `runAsNonRoot` cannot verify that the container does not run as root"
        ),
        format!(
            "use the numeric UID (and GID) the image creates for `{user}`, e.g. `USER 10001:10001`"
        ),
    );
}
