//! DD603: a RUN replaces `/bin/sh` (`ln -sf /bin/bash /bin/sh`) instead of declaring SHELL.

use super::{Context, Sink};
use crate::semantic::commands::basename;
use crate::semantic::normalize_path;

/// Where the default shell lives.
const SH_PATHS: &[&str] = &["/bin/sh", "/usr/bin/sh"];

/// Programs that are themselves a plain POSIX `sh`: linking them back restores the default.
const PLAIN_SH: &[&str] = &["dash", "busybox", "ash", "sh"];

/// DD603
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        for command in ctx.model.commands(index) {
            if command.program() != "ln" {
                continue;
            }
            let operands = command.positionals(&["-t", "--target-directory", "-S", "--suffix"]);
            let [source, target] = operands.as_slice() else {
                continue;
            };
            if target.has_expansion || !SH_PATHS.contains(&normalize_path(&target.value).as_str()) {
                continue;
            }
            let shell = basename(&source.value);
            if PLAIN_SH.contains(&shell) || source.has_expansion {
                continue;
            }
            sink.report(
                target.span,
                format!(
                    "`ln` replaces `{}` with `{}`: every later RUN, and every program of the container that calls `sh` (scripts with `#!/bin/sh`, `system()`), silently runs another shell",
                    target.value, source.value
                ),
                format!(
                    "declare `SHELL [\"{}\", \"-c\"]` for the RUNs that need it and leave `/bin/sh` alone",
                    if source.value.starts_with('/') { source.value.as_str() } else { "/bin/bash" }
                ),
            );
        }
    }
}
