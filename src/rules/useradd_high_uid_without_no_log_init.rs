//! DD413: `useradd` with a very high UID and without `--no-log-init`.

use super::edits::{insert_after, single};
use super::{Context, Sink};
use crate::diagnostic::{Fix, Safety};
use crate::semantic::commands::RunCommand;

/// UIDs from this value up make the sparse lastlog/faillog files huge (hadolint: more
/// than five digits).
const HIGH_UID: u64 = 100_000;

/// DD413
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        for cmd in ctx.model.commands(index) {
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
            )
            .fix = no_log_init(ctx.source, cmd);
        }
    }
}

/// `--no-log-init` right after the `useradd` word: the user is the same, only the sparse
/// log files are not written.
fn no_log_init(source: &str, cmd: &RunCommand<'_>) -> Option<Fix> {
    let flag = "--no-log-init";
    let edit = insert_after(source, cmd.program_word()?, &format!(" {flag}"))?;
    Some(single(format!("add `{flag}`"), edit, Safety::Safe))
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn adds_the_option_after_useradd() {
        assert_eq!(
            fixed(
                "DD413",
                "FROM debian\nRUN groupadd -g 200000 app \\\n && /usr/sbin/useradd \\\n  -u 200000 -g app app\n"
            ),
            "FROM debian\nRUN groupadd -g 200000 app \\\n && /usr/sbin/useradd --no-log-init \\\n  -u 200000 -g app app\n"
        );
        let all = fixes(
            "DD413",
            "FROM debian\nRUN [\"useradd\", \"-u\", \"200000\", \"app\"]\n",
        );
        assert_eq!(all, [None]);
    }
}
