//! DD413: `useradd` with a very high UID and without `--no-log-init`.

use super::{Context, Sink};
use crate::semantic::commands::run_commands;

/// UIDs from this value up make the sparse lastlog/faillog files huge (hadolint: more
/// than five digits).
const HIGH_UID: u64 = 100_000;

/// DD413
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (_, inst) in ctx.model.runs() {
        for cmd in run_commands(inst) {
            if cmd.program() != "useradd" || cmd.has_flag(&["-l", "--no-log-init"]) {
                continue;
            }
            let Some(uid) = cmd.flag_value(&["-u", "--uid"]) else {
                continue;
            };
            if uid.value().parse::<u64>().is_ok_and(|n| n < HIGH_UID)
                || uid.value().parse::<u64>().is_err()
            {
                continue;
            }
            let word = uid.word();
            sink.report(
                word.span,
                format!(
                    "`useradd` with UID {} and no `--no-log-init`: the lastlog and faillog files grow to the size of the UID range and bloat the layer",
                    uid.value()
                ),
                "add `--no-log-init` (`-l`) to the useradd command",
            );
        }
    }
}
