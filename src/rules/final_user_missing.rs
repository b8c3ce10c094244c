//! DD407: the final image never sets a USER, so it runs as its base image's user, root
//! for most images.

use super::final_user_root::entrypoint_drops_privileges;
use super::{Context, Sink};
use crate::semantic::commands::basename;
use crate::semantic::packages::Action;
use crate::semantic::writes::writes;
use crate::semantic::{Base, Stage};
use crate::syntax::{CommandLine, InstructionKind, Keyword};

/// Images that already run as an unprivileged user, or whose entrypoint starts the
/// service as one (matched on the repository path, registry included).
const NON_ROOT_IMAGES: &[&str] = &[
    "postgres",
    "postgis/postgis",
    "timescale/timescaledb",
    "mysql",
    "mariadb",
    "mongo",
    "redis",
    "rabbitmq",
    "memcached",
    "couchdb",
    "cassandra",
    "zookeeper",
    "elasticsearch",
    "haproxy",
    "jenkins/jenkins",
    "jenkins/inbound-agent",
    "sonarqube",
    "grafana/grafana",
    "nginxinc/nginx-unprivileged",
    "quay.io/keycloak/keycloak",
];

/// Repository prefixes of image families that run unprivileged by default.
const NON_ROOT_PREFIXES: &[&str] = &[
    "bitnami/",
    "docker.io/bitnami/",
    "cgr.dev/chainguard/",
    "docker.elastic.co/",
    "registry.access.redhat.com/ubi8/",
    "registry.access.redhat.com/ubi9/",
    "jupyter/",
    "quay.io/jupyter/",
];

/// Tools an entrypoint script runs to start the service unprivileged (`exec gosu postgres "$@"`).
const PRIVILEGE_DROPPER_TOOLS: &[&str] = &["gosu", "su-exec"];

/// DD407
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(last) = ctx.model.final_stage() else {
        return;
    };
    if ctx.model.user_at_end(last.index).is_some() {
        return;
    }
    let chain = ctx.model.stage_chain(last.index);
    let Some(root) = chain.last() else {
        return;
    };
    // scratch has no users at all: a static binary there has no shell, package manager
    // or setuid programs to abuse, and the usual fix (`USER 65534`) is an option, not a must.
    let Base::Image(image) = &root.base else {
        return;
    };
    let Some(resolved) = image.judgeable() else {
        return;
    };
    // Windows containers have no root: they run as ContainerUser or ContainerAdministrator.
    let raw = resolved.raw.to_ascii_lowercase();
    let windows = ctx.dockerfile.escape == '`'
        || ["windows", "nanoserver", "servercore", "dotnet/framework"]
            .iter()
            .any(|w| raw.contains(w))
        || has_windows_shell(ctx, &chain);
    if windows {
        return;
    }
    let registry = resolved
        .registry
        .as_ref()
        .map(|r| r.text.to_ascii_lowercase())
        .filter(|r| r != "docker.io" && r != "index.docker.io");
    let repo = resolved.path.text.to_ascii_lowercase();
    let repo = repo.strip_prefix("library/").unwrap_or(&repo);
    let full = match &registry {
        Some(r) => format!("{r}/{repo}"),
        None => repo.to_owned(),
    };
    let path = full.as_str();
    let tag = resolved.tag.as_ref().map_or("", |t| t.text.as_str());
    let non_root = NON_ROOT_IMAGES.contains(&path)
        || NON_ROOT_PREFIXES.iter().any(|p| path.starts_with(p))
        || tag.contains("nonroot")
        || tag.contains("non-root")
        || tag.contains("rootless");
    if non_root
        || entrypoint_drops_privileges(ctx, &chain)
        || entrypoint_script_can_drop_privileges(ctx, &chain)
    {
        return;
    }
    sink.report(
        image.written.span,
        format!(
            "the final image, built on `{}`, never sets a USER: unless that image switches users itself, its process runs as root",
            resolved.raw
        ),
        "create an unprivileged user and end the final stage with `USER <name or uid>`, e.g. `RUN useradd --system --uid 10001 app` then `USER 10001`",
    );
}

/// Whether a stage of `chain` declares a Windows shell (`SHELL ["powershell", ...]`,
/// `SHELL ["cmd", "/S", "/C"]`): a Windows base the image name does not give away
/// (`microsoft/iis`). Linux PowerShell is `pwsh`, so it does not count.
fn has_windows_shell(ctx: &Context<'_>, chain: &[&Stage]) -> bool {
    chain.iter().any(|stage| {
        ctx.dockerfile.instructions[stage.body.clone()]
            .iter()
            .any(|inst| match &inst.kind {
                InstructionKind::Shell(CommandLine::Exec(e)) => e.args.first().is_some_and(|a| {
                    let program = basename(&a.value.replace('\\', "/")).to_ascii_lowercase();
                    let program = program.strip_suffix(".exe").unwrap_or(&program);
                    matches!(program, "powershell" | "cmd")
                }),
                _ => false,
            })
    })
}

/// Whether the image has an ENTRYPOINT and installs `gosu` or `su-exec` (a package, or a
/// download to a path of that name): the docker-library pattern of an entrypoint script
/// that starts as root and `exec`s the service as its own user, which drydock cannot read.
fn entrypoint_script_can_drop_privileges(ctx: &Context<'_>, chain: &[&Stage]) -> bool {
    let instructions = || chain.iter().flat_map(|stage| stage.body.clone());
    let is_tool = |name: &str| PRIVILEGE_DROPPER_TOOLS.contains(&name);
    let is_run = |i: usize| ctx.dockerfile.instructions[i].keyword == Keyword::Run;
    instructions().any(|i| ctx.dockerfile.instructions[i].keyword == Keyword::Entrypoint)
        && instructions().filter(|&i| is_run(i)).any(|i| {
            let installs = ctx.model.package_ops(i).iter().any(|op| {
                op.action == Action::Install
                    && op
                        .packages
                        .iter()
                        .any(|p| is_tool(p.value.split(['=', '~']).next().unwrap_or("")))
            });
            installs
                || writes(ctx.model.commands(i), None)
                    .iter()
                    .any(|w| is_tool(basename(&w.path)))
        })
}
