//! DD206: `apt`, the interactive front end, used in a RUN instead of `apt-get`.

use super::edits::{insert_after, replace_word};
use super::{Context, Sink};
use crate::diagnostic::{Edit, Fix, Safety};
use crate::semantic::packages::{run_or_onbuild_run, Manager, PackageOp};
use crate::span::Span;

/// DD206
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        // `ONBUILD RUN` runs the same commands in the images built on this one.
        if run_or_onbuild_run(inst).is_none() {
            continue;
        };
        for op in ctx
            .model
            .package_ops(index)
            .iter()
            .filter(|o| o.manager == Manager::Apt)
        {
            let name = op.name(ctx.source);
            let verb = op.subcommand.as_ref().map_or("", |w| w.value.as_str());
            let instead = match verb {
                "search" | "show" | "showsrc" | "policy" | "depends" | "rdepends" => "apt-cache",
                "list" => "dpkg-query --list",
                "edit-sources" | "modernize-sources" => "editing /etc/apt/sources.list.d",
                _ => "apt-get",
            };
            let replacement = match (instead, verb) {
                ("apt-get" | "apt-cache", "") => format!("`{instead}`"),
                ("apt-get" | "apt-cache", _) => format!("`{instead} {verb}`"),
                _ => instead.to_owned(),
            };
            sink.report(
                op.program,
                format!(
                    "`{name}` uses apt, the front end for people at a terminal: its output and behaviour are not a stable interface and it warns so when run from a script"
                ),
                format!("use {replacement} instead, whose interface is stable for scripts"),
            )
            .fix = to_apt_get(ctx.source, op);
        }
    }
}

/// `apt` turned into `apt-get` for the subcommands apt-get runs the same way: `full-upgrade`
/// is apt-get's `dist-upgrade`, and `apt upgrade` also installs new dependencies, which
/// apt-get does with `--with-new-pkgs`. No fix for queries (`list`, `search`, `show`...).
fn to_apt_get(source: &str, op: &PackageOp) -> Option<Fix> {
    let sub = op.subcommand.as_ref()?;
    let mut edits = vec![program_edit(source, op.program)?];
    match sub.value.as_str() {
        "install" | "update" | "remove" | "purge" | "autoremove" | "dist-upgrade" => {}
        "upgrade" => edits.push(insert_after(source, sub, " --with-new-pkgs")?),
        "full-upgrade" => edits.push(replace_word(source, sub, "dist-upgrade")?),
        _ => return None,
    }
    Some(Fix {
        description: "use `apt-get`".to_owned(),
        edits,
        safety: Safety::Safe,
    })
}

/// `-get` appended to the program word when it is written plainly (`apt`, `/usr/bin/apt`).
fn program_edit(source: &str, program: Span) -> Option<Edit> {
    let text = program.slice(source);
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-'));
    (plain && (text == "apt" || text.ends_with("/apt"))).then(|| Edit {
        span: Span::empty(program.end()),
        replacement: "-get".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    fn check(before: &str, after: &str) {
        let src = |run: &str| format!("FROM debian\nRUN {run}\n");
        assert_eq!(fixed("DD206", &src(before)), src(after), "{before}");
    }

    #[test]
    fn equivalent_subcommands() {
        check(
            "apt update && sudo /usr/bin/apt -y install x",
            "apt-get update && sudo /usr/bin/apt-get -y install x",
        );
        check("apt upgrade -y", "apt-get upgrade --with-new-pkgs -y");
        check("apt -y full-upgrade", "apt-get -y dist-upgrade");
        check(
            "apt purge -y x \\\n && apt autoremove -y",
            "apt-get purge -y x \\\n && apt-get autoremove -y",
        );
    }

    #[test]
    fn no_fix_for_queries_or_unclear_words() {
        for run in [
            "apt list --installed",
            "apt search x",
            "apt show x",
            "apt",
            "\"apt\" install -y x",
            "apt \"full-upgrade\" -y",
            "[\"apt\", \"install\", \"-y\", \"x\"]",
        ] {
            let all = fixes("DD206", &format!("FROM debian\nRUN {run}\n"));
            assert!(!all.is_empty(), "{run}: not reported");
            assert!(all.iter().all(Option::is_none), "{run}: {all:?}");
        }
    }
}
