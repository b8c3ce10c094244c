//! DD553: a STOPSIGNAL that is not a signal.

use super::{Context, Sink};
use crate::syntax::InstructionKind;

/// Linux signal names (without `SIG`) as moby's `signal.ParseSignal` knows them.
const NAMES: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN",
    "RTMAX",
];

/// DD553
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let InstructionKind::Stopsignal(Some(word)) = &inst.kind else {
            continue;
        };
        let expanded = ctx.model.expand_at(index, &word.raw);
        if !expanded.unresolved.is_empty() || expanded.text.contains("{{") {
            continue;
        }
        let signal = expanded.text.trim();
        if is_signal(signal) {
            continue;
        }
        let shown = if signal == word.raw {
            format!("`{signal}`")
        } else {
            format!("`{}` (`{signal}`)", word.raw)
        };
        sink.report(
            word.span,
            format!("STOPSIGNAL {shown} is not a signal: BuildKit refuses the build"),
            "give a signal name such as `SIGTERM`, `SIGINT` or `SIGQUIT`, or its number (`15`)",
        );
    }
}

/// Whether moby's `signal.ParseSignal` accepts `text`: a number from 1 to 64, or a name
/// (any case, `SIG` optional), real-time signals as `RTMIN+n` / `RTMAX-n` with n up to 15.
fn is_signal(text: &str) -> bool {
    if let Ok(n) = text.parse::<i64>() {
        return (1..=64).contains(&n);
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if NAMES.contains(&name) {
        return true;
    }
    let offset = name
        .strip_prefix("RTMIN+")
        .or_else(|| name.strip_prefix("RTMAX-"));
    offset
        .and_then(|n| n.parse::<u8>().ok())
        .is_some_and(|n| (1..=15).contains(&n))
}

#[cfg(test)]
mod tests {
    use super::is_signal;

    #[test]
    fn signals() {
        for ok in [
            "SIGTERM",
            "sigquit",
            "INT",
            "9",
            "SIGRTMIN+3",
            "RTMAX-1",
            "SIGWINCH",
        ] {
            assert!(is_signal(ok), "{ok}");
        }
        for bad in [
            "SIGTERMINATE",
            "0",
            "-9",
            "99",
            "TERM9",
            "",
            "SIGRTMIN+16",
            "SIG",
        ] {
            assert!(!is_signal(bad), "{bad}");
        }
    }
}
