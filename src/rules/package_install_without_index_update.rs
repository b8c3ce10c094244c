//! DD202: packages installed from an index this RUN did not refresh.

use super::edits::{insert_after, single};
use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::semantic::commands::{basename, run_commands, RunCommand};
use crate::semantic::packages::{has_cache_mount, Action, Family, PackageOp};
use crate::shell::{self, Operator};
use crate::span::Span;
use crate::syntax::{Instruction, Keyword};

/// DD202
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        if inst.keyword != Keyword::Run {
            continue;
        }
        let ops = ctx.model.package_ops(index);
        let commands = run_commands(inst);
        for (i, install) in ops.iter().enumerate() {
            if install.action != Action::Install || !needs_index(install) {
                continue;
            }
            let family = install.manager.family();
            // The install itself counts: `apk add --no-cache` fetches a fresh index.
            let refreshed = ops
                .get(..=i)
                .unwrap_or(&[])
                .iter()
                .any(|o| o.manager.family() == family && o.refreshes_index);
            // A script run before (`curl .../setup | bash`) often adds a source and refreshes.
            let script_before = commands
                .iter()
                .any(|c| c.span.start < install.span.start && c.runs_script());
            if refreshed || script_before || has_cache_mount(inst, install.manager) {
                continue;
            }
            let name = install.name(ctx.source);
            let help = if family == Family::Apk {
                "use `apk add --no-cache ...`, which fetches a fresh index and keeps none"
                    .to_owned()
            } else {
                format!(
                    "refresh the index in the same RUN: `{} && {name} ...`, then remove the lists",
                    install.manager.index_update_command()
                )
            };
            let command = commands.iter().find(|c| c.span == install.span);
            sink.report(
                install.span,
                format!(
                    "`{name}` installs from a package index this RUN did not refresh: the packages come from whatever index an earlier layer cached, or none"
                ),
                help,
            )
            .fix = command.and_then(|c| refresh(ctx.source, inst, c, install));
        }
    }
}

/// The fix: apk's `--no-cache` after the subcommand (apk refreshes an index older than its
/// cache age by itself, so asking it to always do so keeps the meaning: safe), or
/// `apt-get update && ` before an apt install. The latter is unsafe: the packages now come
/// from fresh lists instead of those an earlier layer left (or copied in), the RUN needs the
/// network, and the lists stay in the layer unless removed.
fn refresh(
    source: &str,
    inst: &Instruction,
    command: &RunCommand<'_>,
    op: &PackageOp,
) -> Option<Fix> {
    if op.manager.family() == Family::Apk {
        if command.has_flag(&["--no-network"]) {
            return None;
        }
        let edit = insert_after(source, op.subcommand.as_ref()?, " --no-cache")?;
        return Some(single("add `--no-cache`", edit, Safety::Safe));
    }
    let shell = command.shell?;
    let elevated = command
        .wrapper_words()
        .iter()
        .any(|w| matches!(basename(&w.value), "sudo" | "doas"));
    // `a || apt-get install x` would regroup as `(a || apt-get update) && ...`.
    let plain = shell.depth == 0
        && shell.context == shell::Context::TopLevel
        && !shell.negated
        && matches!(
            shell.op_before,
            None | Some(Operator::AndIf | Operator::Semi)
        );
    if elevated || !plain || !inst.heredocs.is_empty() {
        return None;
    }
    let edit = Edit {
        span: Span::empty(shell.span.start()),
        replacement: "apt-get update && ".to_owned(),
    };
    Some(single("run `apt-get update` first", edit, Safety::Unsafe))
}

/// Managers that install only from an index the user refreshes: apt's lists and apk's
/// cache (rpm managers and zypper refresh expired metadata themselves). An install that
/// names no package (`apt-get install -f`) or only local `.deb`/`.apk` files is left alone.
fn needs_index(op: &PackageOp) -> bool {
    let local = op.packages.iter().all(|p| {
        let v = p.value.as_str();
        v.ends_with(".deb") || v.ends_with(".apk")
    });
    matches!(op.manager.family(), Family::Apt | Family::Apk) && !local
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Safety;
    use crate::rules::edits::testing::{fixed, fixes};

    fn check(before: &str, after: &str) {
        let src = |run: &str| format!("FROM debian\nRUN {run}\n");
        assert_eq!(fixed("DD202", &src(before)), src(after), "{before}");
    }

    #[test]
    fn refreshes_in_the_same_run() {
        check(
            "DEBIAN_FRONTEND=noninteractive apt-get install -y x",
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y x",
        );
        check(
            "echo go; apt install -y x \\\n && rm -rf /var/lib/apt/lists/*",
            "echo go; apt-get update && apt install -y x \\\n && rm -rf /var/lib/apt/lists/*",
        );
        check(
            "apk add x && apk add y",
            "apk add --no-cache x && apk add --no-cache y",
        );
        let all = fixes("DD202", "FROM debian\nRUN apt-get install -y x\n");
        assert_eq!(all[0].as_ref().map(|f| f.safety), Some(Safety::Unsafe));
        let all = fixes("DD202", "FROM alpine\nRUN apk add x\n");
        assert_eq!(all[0].as_ref().map(|f| f.safety), Some(Safety::Safe));
    }

    #[test]
    fn no_fix_where_a_prefix_would_regroup_or_lack_rights() {
        for run in [
            "true || apt-get install -y x",
            "sudo apt-get install -y x",
            "if true; then apt-get install -y x; fi",
            "! apt-get install -y x",
            "[\"apt-get\", \"install\", \"-y\", \"x\"]",
            "apk add --no-network x",
            "<<EOF\napt-get install -y x\nEOF",
        ] {
            let all = fixes("DD202", &format!("FROM debian\nRUN {run}\n"));
            assert!(!all.is_empty(), "{run}: not reported");
            assert!(all.iter().all(Option::is_none), "{run}: {all:?}");
        }
    }
}
