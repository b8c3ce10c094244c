//! DD302: the final image runs a stateful server, or writes its data directory, and no
//! VOLUME holds that data.

use std::collections::HashSet;

use super::{Context, Sink};
use crate::semantic::packages::{Action, Family};
use crate::semantic::writes::writes;
use crate::semantic::{is_within, Base, Model};
use crate::span::Span;
use crate::syntax::Keyword;

/// A stateful server: how its packages are named and where it keeps its data.
struct Server {
    name: &'static str,
    dirs: &'static [&'static str],
}

const POSTGRES: Server = Server {
    name: "PostgreSQL",
    dirs: &["/var/lib/postgresql", "/var/lib/pgsql"],
};
const MYSQL: Server = Server {
    name: "MySQL/MariaDB",
    dirs: &["/var/lib/mysql"],
};
const REDIS: Server = Server {
    name: "Redis",
    dirs: &["/var/lib/redis"],
};
const MONGODB: Server = Server {
    name: "MongoDB",
    dirs: &["/var/lib/mongodb", "/data/db"],
};
const OTHERS: &[(&str, Server)] = &[
    (
        "elasticsearch",
        Server {
            name: "Elasticsearch",
            dirs: &["/var/lib/elasticsearch", "/usr/share/elasticsearch/data"],
        },
    ),
    (
        "rabbitmq-server",
        Server {
            name: "RabbitMQ",
            dirs: &["/var/lib/rabbitmq"],
        },
    ),
    (
        "influxdb",
        Server {
            name: "InfluxDB",
            dirs: &["/var/lib/influxdb"],
        },
    ),
    (
        "cassandra",
        Server {
            name: "Cassandra",
            dirs: &["/var/lib/cassandra"],
        },
    ),
    (
        "clickhouse-server",
        Server {
            name: "ClickHouse",
            dirs: &["/var/lib/clickhouse"],
        },
    ),
];

/// Official images that declare the VOLUME for their data themselves.
const IMAGES_WITH_VOLUME: &[(&str, &str)] = &[
    ("library/postgres", "/var/lib/postgresql/data"),
    ("library/mysql", "/var/lib/mysql"),
    ("library/mariadb", "/var/lib/mysql"),
    ("library/mongo", "/data/db"),
    ("library/redis", "/data"),
    ("library/rabbitmq", "/var/lib/rabbitmq"),
    ("library/cassandra", "/var/lib/cassandra"),
];

/// DD302
pub(crate) fn check(ctx: &Context<'_>, sink: &mut Sink) {
    let Some(final_stage) = ctx.model.final_stage() else {
        return;
    };
    let mut volumes: Vec<String> = final_stage.volumes.iter().map(|v| v.path.clone()).collect();
    volumes.extend(base_volumes(ctx.model));
    let mut reported = HashSet::new();
    for (index, inst) in ctx.dockerfile.instructions.iter().enumerate() {
        let in_final = ctx
            .model
            .context(index)
            .stage
            .is_some_and(|s| ctx.model.is_in_final_image(s));
        if !in_final || inst.keyword != Keyword::Run {
            continue;
        }
        for (span, what, server) in state_of(ctx, index) {
            // Data in a volume, or a volume inside the data directory, both count.
            let covered = server
                .dirs
                .iter()
                .any(|d| volumes.iter().any(|v| is_within(d, v) || is_within(v, d)));
            if covered || !reported.insert(server.name) {
                continue;
            }
            let dir = server.dirs.first().copied().unwrap_or("/data");
            sink.report(
                span,
                format!(
                    "{what} keeps {} data in `{dir}`, but no VOLUME declares it: the data lives in the container, which then cannot be replaced by one built from an updated base without losing it",
                    server.name
                ),
                format!("declare `VOLUME {dir}` so the data outlives the container"),
            );
        }
    }
}

/// The stateful servers instruction `index` installs or whose data it writes, each with
/// the offending word and a description of it.
fn state_of(ctx: &Context<'_>, index: usize) -> Vec<(Span, String, &'static Server)> {
    let mut out = Vec::new();
    for op in ctx.model.package_ops(index) {
        if op.action != Action::Install || !op.manager.is_os() {
            continue;
        }
        for package in &op.packages {
            if let Some(server) = server_package(&package.value, op.manager.family()) {
                out.push((package.span, format!("`{}`", package.value), server));
            }
        }
    }
    let commands = ctx.model.commands(index);
    for write in writes(commands, ctx.model.workdir_at(index).as_deref()) {
        let server = all_servers().find(|s| s.dirs.iter().any(|d| is_within(&write.path, d)));
        if let Some(server) = server {
            out.push((write.span, format!("writing `{}`", write.path), server));
        }
    }
    out
}

/// Every server of the tables.
fn all_servers() -> impl Iterator<Item = &'static Server> {
    [&POSTGRES, &MYSQL, &REDIS, &MONGODB]
        .into_iter()
        .chain(OTHERS.iter().map(|(_, s)| s))
}

/// The server a package installs. Names differ per distro: rpm's `postgresql` is the
/// client (the server is `postgresql-server`), Debian's and Alpine's is the server.
fn server_package(word: &str, family: Family) -> Option<&'static Server> {
    let name = word.split(['=', '~', '<', '>', ':']).next().unwrap_or(word);
    let versioned = |prefix: &str| {
        name.strip_prefix(prefix).is_some_and(|v| {
            let v = v.strip_prefix('-').unwrap_or(v);
            !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        })
    };
    let rpm = family == Family::Rpm;
    let server_suffix = name.ends_with("-server");
    if name.starts_with("postgresql")
        && (server_suffix || (!rpm && (name == "postgresql" || versioned("postgresql"))))
    {
        return Some(&POSTGRES);
    }
    if (name.starts_with("mysql")
        || name.starts_with("mariadb")
        || name.starts_with("percona-server"))
        && (server_suffix || (family == Family::Apk && name == "mariadb"))
    {
        return Some(&MYSQL);
    }
    if name == "redis-server" || name == "redis" {
        return Some(&REDIS);
    }
    if matches!(
        name,
        "mongodb" | "mongodb-server" | "mongodb-org" | "mongodb-org-server"
    ) {
        return Some(&MONGODB);
    }
    OTHERS.iter().find(|(n, _)| *n == name).map(|(_, s)| s)
}

/// Volumes the final image's external base declares, for the official images that do.
fn base_volumes(model: &Model<'_>) -> Vec<String> {
    let mut current = model.final_stage();
    let mut guard = 0;
    while let Some(stage) = current {
        guard += 1;
        if guard > model.stages.len() {
            break;
        }
        match &stage.base {
            Base::Stage(p) => current = model.stages.get(*p),
            Base::Image(image) => {
                let path = image.resolved.normalized_path();
                return IMAGES_WITH_VOLUME
                    .iter()
                    .filter(|(name, _)| path == *name)
                    .map(|(_, dir)| (*dir).to_owned())
                    .collect();
            }
            _ => break,
        }
    }
    Vec::new()
}
