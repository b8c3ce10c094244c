//! The end-of-life database. `build.rs` compiles `rules/data/eol.yaml` into static tables
//! (image rules, base-OS token rules, deprecated repositories, each product as JSON text
//! parsed on first use), so a run reads no YAML and builds only the regexes it needs.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use crate::date::Date;

/// The database text, as shipped (`rules/data/eol.yaml`).
pub const SOURCE: &str = include_str!("../../rules/data/eol.yaml");

include!(concat!(env!("OUT_DIR"), "/eol_compiled.rs"));

/// The database compiled in by `build.rs`.
///
/// # Panics
/// If the compiled-in date is malformed (a bug caught by the tests).
pub fn database() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| Database {
        as_of: Date::parse(AS_OF).unwrap_or_else(|| panic!("bad eol.yaml: meta.as_of {AS_OF}")),
        products: &PRODUCTS,
        images: IMAGES,
        distro_rules: DISTRO_RULES,
        deprecated: DEPRECATED,
    })
}

/// End-of-life facts: products with their cycles, and how image tags name them.
#[derive(Debug)]
pub struct Database {
    /// The day the data was last checked against its sources.
    pub as_of: Date,
    /// By id, sorted.
    products: &'static [(&'static str, ProductEntry)],
    pub images: &'static [ImageRule],
    pub distro_rules: &'static [DistroRule],
    pub deprecated: &'static [DeprecatedRepository],
}

/// A product (an OS or a runtime) and its release cycles, newest first.
#[derive(Debug)]
pub struct Product {
    pub id: String,
    pub title: String,
    pub extended_support: Option<ExtendedSupport>,
    pub cycles: Vec<Cycle>,
}

/// Support beyond the regular end of life.
#[derive(Debug, Clone)]
pub struct ExtendedSupport {
    /// What it is, e.g. "Debian LTS (community, free)".
    pub kind: String,
    /// Whether the official images keep being rebuilt during it (free community support).
    pub images_rebuilt: bool,
}

/// A date field: a day, or already over with no day known, or not planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Date(Date),
    /// `true`: over, date unknown.
    Ended,
    /// `false`: no end planned yet.
    Ongoing,
    /// `null` or absent.
    Unknown,
}

/// One release cycle.
#[derive(Debug)]
pub struct Cycle {
    pub cycle: String,
    pub codename: Option<String>,
    pub eol: Support,
    pub extended_support_end: Support,
    /// The newest patch release the data knows.
    pub latest: Option<String>,
    /// Dates estimated after the data was taken from its sources.
    pub unverified: bool,
}

/// How the tags of some repositories name a product's cycles.
#[derive(Debug, PartialEq)]
pub struct ImageRule {
    /// Repository patterns (`library/python`, `registry.access.redhat.com/ubi*`).
    pub repos: &'static [&'static str],
    pub product: &'static str,
    /// Tag patterns with a named group: `cycle`, `codename`, `major` (floats), `stream`
    /// (CentOS Stream), `moving`, or `java` (a deprecated image's version).
    pub version: &'static [Pattern],
    /// Tags that name no cycle, keyed by their first token, with what they meant (sorted).
    pub moving_tags: &'static [(&'static str, &'static str)],
    /// The cycle comes from the repository name (`ubi9`).
    pub cycle_from_repo: Option<Pattern>,
}

impl ImageRule {
    /// What the moving tag `tag` meant when the data was taken.
    #[must_use]
    pub fn moving_tag(&self, tag: &str) -> Option<&'static str> {
        self.moving_tags
            .binary_search_by(|(k, _)| (*k).cmp(tag))
            .ok()
            .map(|i| self.moving_tags[i].1)
    }
}

/// A base-OS token rule: which tag token names which OS cycle.
#[derive(Debug, PartialEq)]
pub struct DistroRule {
    pub product: &'static str,
    pub matcher: TokenMatcher,
}

/// How a base-OS token is recognised.
#[derive(Debug, PartialEq)]
pub enum TokenMatcher {
    /// A codename of the product (`bookworm`, `jammy`).
    Codename,
    /// A regex with a `cycle` group, or a regex followed by a token holding the cycle.
    Regex {
        token: Pattern,
        next: Option<Pattern>,
        floating: bool,
    },
}

/// A repository that no longer receives updates, with what to use instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeprecatedRepository {
    /// Repository pattern, as in `images[].repos`.
    pub repo: &'static str,
    /// When it stopped, where the sources say.
    pub since: Option<&'static str>,
    pub reason: &'static str,
    pub replacement: &'static str,
}

#[derive(Deserialize)]
struct RawDb {
    meta: RawMeta,
    tag_tokens: RawTagTokens,
    images: Vec<RawImage>,
    products: std::collections::BTreeMap<String, RawProduct>,
    #[serde(default)]
    deprecated_repositories: Vec<RawDeprecated>,
}

#[derive(Deserialize)]
struct RawMeta {
    as_of: String,
}

#[derive(Deserialize)]
struct RawTagTokens {
    distro_rules: Vec<RawDistroRule>,
}

#[derive(Deserialize)]
struct RawDistroRule {
    product: String,
    token: Option<String>,
    token_regex: Option<String>,
    next_token_regex: Option<String>,
    #[serde(default)]
    floating: bool,
}

#[derive(Deserialize)]
struct RawImage {
    repos: Vec<String>,
    product: String,
    version: Vec<String>,
    #[serde(default)]
    moving_tags: std::collections::BTreeMap<String, String>,
    cycle_from_repo: Option<String>,
}

#[derive(Deserialize)]
struct RawDeprecated {
    repo: String,
    since: Option<String>,
    reason: String,
    replacement: String,
}

#[derive(Deserialize)]
struct RawProduct {
    title: String,
    extended_support: Option<RawExtended>,
    cycles: Vec<RawCycle>,
}

#[derive(Deserialize)]
struct RawExtended {
    kind: String,
    images_rebuilt: bool,
}

#[derive(Deserialize)]
struct RawCycle {
    cycle: String,
    codename: Option<String>,
    eol: Option<Scalar>,
    extended_support_end: Option<Scalar>,
    latest: Option<Scalar>,
    #[serde(default)]
    unverified: bool,
}

/// A product of the database: parsed, or JSON text parsed on first use.
#[derive(Debug)]
pub(crate) struct ProductEntry {
    raw: Option<&'static str>,
    parsed: OnceLock<Result<Product, String>>,
}

impl ProductEntry {
    /// A product compiled in as JSON text, parsed when first asked for.
    const fn json(raw: &'static str) -> ProductEntry {
        ProductEntry {
            raw: Some(raw),
            parsed: OnceLock::new(),
        }
    }

    /// The product, parsed now if it was not yet.
    fn get(&self, id: &str) -> Result<&Product, String> {
        self.parsed
            .get_or_init(|| {
                let raw = self.raw.ok_or("no data")?;
                let p: RawProduct = serde_json::from_str(raw).map_err(|e| format!("{id}: {e}"))?;
                product_from_raw(id, p)
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// A product from its file form.
fn product_from_raw(id: &str, p: RawProduct) -> Result<Product, String> {
    let cycles = p
        .cycles
        .into_iter()
        .map(|c| {
            Ok(Cycle {
                cycle: c.cycle,
                codename: c.codename.map(|n| n.to_ascii_lowercase()),
                eol: Scalar::support(c.eol.as_ref())?,
                extended_support_end: Scalar::support(c.extended_support_end.as_ref())?,
                latest: match c.latest {
                    Some(Scalar::Text(t)) => Some(t),
                    _ => None,
                },
                unverified: c.unverified,
            })
        })
        .collect::<Result<Vec<_>, String>>()
        .map_err(|e| format!("{id}: {e}"))?;
    Ok(Product {
        id: id.to_owned(),
        title: p.title,
        extended_support: p.extended_support.map(|e| ExtendedSupport {
            kind: e.kind,
            images_rebuilt: e.images_rebuilt,
        }),
        cycles,
    })
}

/// A YAML scalar that may be a date string, a boolean or null.
enum Scalar {
    Bool(bool),
    Text(String),
}

/// By hand rather than `#[serde(untagged)]`, which buffers every value first: the
/// database is read at every start-up, and that was a fifth of a one-file run.
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date or a boolean")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Scalar {
    fn support(value: Option<&Scalar>) -> Result<Support, String> {
        Ok(match value {
            None => Support::Unknown,
            Some(Scalar::Bool(true)) => Support::Ended,
            Some(Scalar::Bool(false)) => Support::Ongoing,
            Some(Scalar::Text(t)) => {
                Support::Date(Date::parse(t).ok_or_else(|| format!("bad date `{t}`"))?)
            }
        })
    }
}

/// A regex of the database, compiled the first time it is used: most runs need a handful
/// of the sixty, and `build.rs` gives each a cheap test that rules out most tags without
/// compiling it.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    /// ASCII bytes a match can start with (bit `b`), or `u128::MAX` for any byte.
    first_bytes: u128,
    /// Text every match starts with.
    prefix: &'static str,
    compiled: &'static OnceLock<Regex>,
}

impl PartialEq for Pattern {
    /// The same regex (filters are derived from it).
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl Pattern {
    /// A pattern with a filter computed by `build.rs` from the regex (a match must start
    /// at the haystack's start, with one of `first_bytes` and with `prefix`).
    const fn filtered(
        source: &'static str,
        first_bytes: u128,
        prefix: &'static str,
        compiled: &'static OnceLock<Regex>,
    ) -> Pattern {
        Pattern {
            source,
            first_bytes,
            prefix,
            compiled,
        }
    }

    /// A pattern without a filter.
    fn unfiltered(source: String) -> Pattern {
        Pattern {
            source: leak(source),
            first_bytes: u128::MAX,
            prefix: "",
            compiled: Box::leak(Box::new(OnceLock::new())),
        }
    }

    /// The regex's source text.
    #[must_use]
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether the filter leaves `hay` a chance to match.
    fn may_match(&self, hay: &str) -> bool {
        if self.first_bytes == u128::MAX {
            return true;
        }
        hay.as_bytes()
            .first()
            .is_some_and(|&b| b < 128 && self.first_bytes >> b & 1 == 1)
            && hay.starts_with(self.prefix)
    }

    /// The regex's captures in `hay`, compiling it only when the filter lets `hay` through.
    #[must_use]
    pub fn captures<'h>(&self, hay: &'h str) -> Option<regex::Captures<'h>> {
        if !self.may_match(hay) {
            return None;
        }
        self.regex().captures(hay)
    }

    /// The compiled regex; one that does not compile matches nothing (the database tests
    /// compile every pattern, see [`Database::check_patterns`]).
    #[must_use]
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Self::build(self.source).unwrap_or_else(|_| Regex::new("[^\\s\\S]").expect("valid"))
        })
    }

    /// Image tags are ASCII: `\d` and `\w` without Unicode classes compile ten times faster
    /// (a Unicode `\d` is most of a one-file run's start-up). `build.rs` parses the same way.
    fn build(source: &str) -> Result<Regex, regex::Error> {
        regex::RegexBuilder::new(source).unicode(false).build()
    }

    fn check(&self) -> Result<(), String> {
        Self::build(self.source)
            .map(|_| ())
            .map_err(|e| format!("bad regex `{}`: {e}", self.source))
    }
}

/// Data of a database parsed at run time (the tests' YAML) lives as long as the compiled-in
/// one.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_all<T>(items: Vec<T>) -> &'static [T] {
    Vec::leak(items)
}

impl Database {
    /// Parse and check database text (the YAML itself; a run uses the compiled-in tables,
    /// which the tests hold to this).
    ///
    /// # Errors
    /// Invalid YAML, a bad date or regex, an image rule naming an unknown product.
    pub fn parse(text: &str) -> Result<Database, String> {
        let raw: RawDb = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        let as_of = Date::parse(&raw.meta.as_of).ok_or("bad meta.as_of")?;
        let mut products = Vec::new();
        for (id, p) in raw.products {
            let product = product_from_raw(&id, p)?;
            let entry = ProductEntry {
                raw: None,
                parsed: OnceLock::from(Ok(product)),
            };
            products.push((leak(id), entry));
        }
        let products = leak_all(products);
        let mut images = Vec::new();
        for i in raw.images {
            if !products.iter().any(|(id, _)| *id == i.product) {
                return Err(format!("image rule for unknown product `{}`", i.product));
            }
            images.push(ImageRule {
                repos: leak_all(i.repos.into_iter().map(leak).collect()),
                product: leak(i.product),
                version: leak_all(i.version.into_iter().map(Pattern::unfiltered).collect()),
                moving_tags: leak_all(
                    i.moving_tags
                        .into_iter()
                        .map(|(k, v)| (leak(k), leak(v)))
                        .collect(),
                ),
                cycle_from_repo: i.cycle_from_repo.map(Pattern::unfiltered),
            });
        }
        let distro_rules = raw
            .tag_tokens
            .distro_rules
            .into_iter()
            .filter_map(|r| {
                let matcher = match (r.token, r.token_regex) {
                    (Some(_), _) => TokenMatcher::Codename,
                    (None, Some(re)) => TokenMatcher::Regex {
                        token: Pattern::unfiltered(re),
                        next: r.next_token_regex.map(Pattern::unfiltered),
                        floating: r.floating,
                    },
                    (None, None) => return None,
                };
                Some(DistroRule {
                    product: leak(r.product),
                    matcher,
                })
            })
            .collect();
        let deprecated = raw
            .deprecated_repositories
            .into_iter()
            .map(|d| DeprecatedRepository {
                repo: leak(d.repo),
                since: d.since.map(leak),
                reason: leak(d.reason),
                replacement: leak(d.replacement),
            })
            .collect();
        let db = Database {
            as_of,
            products,
            images: leak_all(images),
            distro_rules: leak_all(distro_rules),
            deprecated: leak_all(deprecated),
        };
        db.check_patterns()?;
        Ok(db)
    }

    /// Every pattern: the image rules' then the base-OS rules'.
    fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        let images = self
            .images
            .iter()
            .flat_map(|i| i.version.iter().chain(&i.cycle_from_repo));
        let distros = self.distro_rules.iter().flat_map(|r| match &r.matcher {
            TokenMatcher::Codename => [None, None],
            TokenMatcher::Regex { token, next, .. } => [Some(token), next.as_ref()],
        });
        images.chain(distros.flatten())
    }

    /// Compile every pattern, reporting the first that does not compile.
    ///
    /// # Errors
    /// A pattern that is not a valid regex.
    pub fn check_patterns(&self) -> Result<(), String> {
        self.patterns().try_for_each(Pattern::check)
    }

    /// The ids of the products, sorted.
    pub fn product_ids(&self) -> impl Iterator<Item = &'static str> {
        self.products.iter().map(|(id, _)| *id)
    }

    /// The product called `id`.
    ///
    /// # Panics
    /// If the compiled-in data of the product is malformed (a bug caught by the tests,
    /// through [`Database::check_products`]).
    #[must_use]
    pub fn product(&self, id: &str) -> Option<&Product> {
        let i = self.products.binary_search_by(|(p, _)| (*p).cmp(id)).ok()?;
        Some(
            self.products[i]
                .1
                .get(id)
                .unwrap_or_else(|e| panic!("bad eol.yaml: {e}")),
        )
    }

    /// Parse every product, reporting the first that is malformed.
    ///
    /// # Errors
    /// What is wrong with the product.
    pub fn check_products(&self) -> Result<(), String> {
        for (id, entry) in self.products {
            entry.get(id)?;
        }
        Ok(())
    }
}

impl Product {
    /// The cycle named `name`, or whose codename is `name` (case-insensitive).
    #[must_use]
    pub fn cycle(&self, name: &str) -> Option<&Cycle> {
        self.cycles.iter().find(|c| c.cycle == name).or_else(|| {
            let lower = name.to_ascii_lowercase();
            self.cycles
                .iter()
                .find(|c| c.codename.as_deref() == Some(lower.as_str()))
        })
    }

    /// Whether `name` is a version newer than every cycle the database knows (so an
    /// unknown cycle is a release after the data was taken, never an end of life).
    #[must_use]
    pub fn is_newer_than_known(&self, name: &str) -> bool {
        let Some(v) = version_key(name) else {
            return false;
        };
        self.cycles
            .iter()
            .filter_map(|c| version_key(&c.cycle))
            .all(|known| v > known)
    }
}

/// `3.12` -> `[3, 12]`, for comparing versions; `None` when not numeric.
#[must_use]
pub fn version_key(s: &str) -> Option<Vec<u64>> {
    s.split('.').map(|p| p.parse().ok()).collect()
}
