//! DD208: `apt-get install` in a shipped stage without `--no-install-recommends`.

use super::edits::{insert_after, single};
use super::{Context, Sink};
use crate::diagnostic::{Fix, Safety};
use crate::semantic::packages::{configured_before, Family, Manager, PackageOp};

/// DD208
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    for (index, _) in ctx.model.runs() {
        if !ships(ctx, index) {
            continue;
        }
        for (command, op) in ctx.model.package_commands(index) {
            let verb = op.subcommand.as_ref().map_or("", |w| w.value.as_str());
            // `apt-get install -f` with no package only completes broken dependencies.
            if op.manager.family() != Family::Apt
                || !matches!(verb, "install" | "reinstall")
                || op.packages.is_empty()
            {
                continue;
            }
            let declined = if op.manager == Manager::Aptitude {
                command.has_flag(&["-R", "--without-recommends"])
            } else {
                command.has_flag(&["--no-install-recommends"])
            };
            let option_off = command.args().iter().any(|w| {
                let v = w.value.to_ascii_lowercase();
                ["apt::install-recommends=false", "apt::install-recommends=0"]
                    .iter()
                    .any(|k| v.contains(k))
            });
            if declined
                || option_off
                || configured_before(
                    ctx.model,
                    index,
                    command.span.start,
                    &["apt::install-recommendsfalse", "apt::install-recommends0"],
                )
            {
                continue;
            }
            let name = op.name(ctx.source);
            let span = op.subcommand.as_ref().map_or(op.program, |w| w.span);
            let help = if op.manager == Manager::Aptitude {
                format!("add `--without-recommends`: `{name} --without-recommends ...`")
            } else {
                format!(
                    "add `--no-install-recommends` and name what you need: `{name} -y --no-install-recommends ...`"
                )
            };
            sink.report(
                span,
                format!(
                    "`{name}` also installs every package the requested ones merely recommend: more size and more software to patch in the shipped image"
                ),
                help,
            )
            .fix = decline_recommends(ctx.source, op);
        }
    }
}

/// The option that declines recommends, added right after the subcommand word. Unsafe:
/// the image may rely on a package that only came as a recommendation.
fn decline_recommends(source: &str, op: &PackageOp) -> Option<Fix> {
    let flag = if op.manager == Manager::Aptitude {
        "--without-recommends"
    } else {
        "--no-install-recommends"
    };
    let edit = insert_after(source, op.subcommand.as_ref()?, &format!(" {flag}"))?;
    Some(single(format!("add `{flag}`"), edit, Safety::Unsafe))
}

/// Whether instruction `index` is in a stage that ends up in the final image.
fn ships(ctx: &Context<'_>, index: usize) -> bool {
    ctx.model
        .context(index)
        .stage
        .is_some_and(|s| ctx.model.is_in_final_image(s))
}

#[cfg(test)]
mod tests {
    use crate::rules::edits::testing::{fixed, fixes};

    #[test]
    fn adds_the_option_after_the_subcommand() {
        assert_eq!(
            fixed("DD208", "FROM debian\nRUN sudo apt-get install -y curl\n"),
            "FROM debian\nRUN sudo apt-get install --no-install-recommends -y curl\n"
        );
        assert_eq!(
            fixed("DD208", "FROM debian\nRUN aptitude install \\\n  curl\n"),
            "FROM debian\nRUN aptitude install --without-recommends \\\n  curl\n"
        );
        assert_eq!(
            fixed("DD208", "FROM debian\nRUN apt-get update && apt-get -y install\\\n curl\n"),
            "FROM debian\nRUN apt-get update && apt-get -y install --no-install-recommends\\\n curl\n"
        );
    }

    #[test]
    fn edits_inside_a_sh_c_string() {
        assert_eq!(
            fixed(
                "DD208",
                "FROM debian\nRUN sh -c 'apt-get install -y curl'\n"
            ),
            "FROM debian\nRUN sh -c 'apt-get install --no-install-recommends -y curl'\n"
        );
    }

    #[test]
    fn no_fix_when_the_word_is_not_plain_text() {
        for src in [
            "FROM debian\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n",
            "FROM debian\nRUN apt-get \"install\" -y curl\n",
            "FROM debian\nRUN apt-get inst\\\nall -y curl\n",
        ] {
            let all = fixes("DD208", src);
            assert!(all.iter().all(Option::is_none), "{src}: {all:?}");
        }
    }
}
