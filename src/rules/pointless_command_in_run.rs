//! DD604: a RUN calls a command that is pointless, interactive or fails in a build.

use super::{Context, Sink};
use crate::semantic::commands::RunCommand;

/// DD604
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        let commands = ctx.model.commands(index);
        for (i, command) in commands.iter().enumerate() {
            let Some(word) = command.program_word() else {
                continue;
            };
            let Some((why, help)) = judge(command, i + 1 == commands.len()) else {
                continue;
            };
            sink.report(
                word.span,
                format!("`{}` in a RUN {why}", command.program()),
                help,
            );
        }
    }
}

/// Why the command is pointless in a build, and what to do instead.
fn judge(command: &RunCommand<'_>, last: bool) -> Option<(&'static str, &'static str)> {
    let args = command.args();
    let first_arg = args.first().map(|w| w.value.as_str());
    match command.program() {
        "shutdown" | "reboot" | "halt" | "poweroff" => Some((
            "cannot stop or restart anything: a build step is not a machine, and the command fails or does nothing",
            "remove it; a container stops when its main process exits",
        )),
        "ps" | "top" | "htop" | "free" | "ifconfig" | "uptime" => Some((
            "only prints the state of a throwaway build container into the build log",
            "remove it; inspect a running container with `docker exec` or `docker stats` instead",
        )),
        "mount" | "umount" => Some((
            "needs privileges a build step does not have, and a mount would not outlive the RUN anyway",
            "use `RUN --mount=type=bind|cache|tmpfs,...` for build-time mounts, and volumes or `docker run --mount` at run time",
        )),
        "systemctl"
            if matches!(
                first_arg,
                Some("start" | "stop" | "restart" | "reload" | "status")
            ) =>
        {
            Some((
                "needs systemd running as PID 1, which a build step does not have: it fails, and a started service would not outlive the RUN",
                "start the service from the container's ENTRYPOINT or CMD (`systemctl enable` is fine: it only creates links)",
            ))
        }
        "service" if last && matches!(args.get(1).map(|w| w.value.as_str()), Some("start" | "restart")) => Some((
            "starts a service that is killed when the RUN ends: nothing after it uses it, and nothing of the running service is kept in the image",
            "start the service from the container's ENTRYPOINT or CMD",
        )),
        "vi" | "vim" | "nano" | "emacs" | "pico"
            if args
                .iter()
                .all(|w| !(w.value.starts_with('+') || w.value.starts_with('-'))) =>
        {
            Some((
                "opens an interactive editor, which waits for input a build never gives",
                "edit files with `sed -i`, a heredoc (`COPY <<EOF /path`) or a file from the build context",
            ))
        }
        _ => None,
    }
}
