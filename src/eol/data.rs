//! The end-of-life database, read once from the YAML compiled into the binary.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use crate::date::Date;

/// The database text, as shipped (`rules/data/eol.yaml`).
pub const SOURCE: &str = include_str!("../../rules/data/eol.yaml");

/// The same, converted to JSON by `build.rs` (without the test vectors): much faster to read.
const COMPILED: &str = include_str!(concat!(env!("OUT_DIR"), "/eol.json"));

include!(concat!(env!("OUT_DIR"), "/eol_products.rs"));

/// The database, parsed and compiled on first use.
///
/// # Panics
/// If the compiled-in file is malformed (a bug caught by the tests).
pub fn database() -> &'static Database {
    static DB: OnceLock<Database> = OnceLock::new();
    DB.get_or_init(|| Database::from_json(COMPILED).unwrap_or_else(|e| panic!("bad eol.yaml: {e}")))
}

/// End-of-life facts: products with their cycles, and how image tags name them.
#[derive(Debug)]
pub struct Database {
    /// The day the data was last checked against its sources.
    pub as_of: Date,
    pub products: BTreeMap<String, ProductEntry>,
    pub images: Vec<ImageRule>,
    pub distro_rules: Vec<DistroRule>,
    pub deprecated: Vec<DeprecatedRepository>,
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
#[derive(Debug)]
pub struct ImageRule {
    /// Repository patterns (`library/python`, `registry.access.redhat.com/ubi*`).
    pub repos: Vec<String>,
    pub product: String,
    /// Tag patterns with a named group: `cycle`, `codename`, `major` (floats), `stream`
    /// (CentOS Stream), `moving`, or `java` (a deprecated image's version).
    pub version: Vec<Pattern>,
    /// Tags that name no cycle, keyed by their first token, with what they meant.
    pub moving_tags: BTreeMap<String, String>,
    /// The cycle comes from the repository name (`ubi9`).
    pub cycle_from_repo: Option<Pattern>,
}

/// A base-OS token rule: which tag token names which OS cycle.
#[derive(Debug)]
pub struct DistroRule {
    pub product: String,
    pub matcher: TokenMatcher,
}

/// How a base-OS token is recognised.
#[derive(Debug)]
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
#[derive(Debug, Clone, Deserialize)]
pub struct DeprecatedRepository {
    /// Repository pattern, as in `images[].repos`.
    pub repo: String,
    /// When it stopped, where the sources say.
    pub since: Option<String>,
    pub reason: String,
    pub replacement: String,
}

#[derive(Deserialize)]
struct RawDb<P> {
    meta: RawMeta,
    tag_tokens: RawTagTokens,
    images: Vec<RawImage>,
    /// Absent from the compiled-in JSON, which has the products in [`PRODUCTS`].
    #[serde(default = "BTreeMap::new")]
    products: BTreeMap<String, P>,
    #[serde(default)]
    deprecated_repositories: Vec<DeprecatedRepository>,
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
    moving_tags: BTreeMap<String, String>,
    cycle_from_repo: Option<String>,
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
pub struct ProductEntry {
    raw: Option<&'static str>,
    parsed: OnceLock<Result<Product, String>>,
}

impl ProductEntry {
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
/// of the sixty.
#[derive(Debug)]
pub struct Pattern {
    source: String,
    compiled: OnceLock<Regex>,
}

impl Pattern {
    fn new(source: &str) -> Pattern {
        Pattern {
            source: source.to_owned(),
            compiled: OnceLock::new(),
        }
    }

    /// The compiled regex; one that does not compile matches nothing (the database tests
    /// compile every pattern, see [`Database::check_patterns`]).
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Self::build(&self.source).unwrap_or_else(|_| Regex::new("[^\\s\\S]").expect("valid"))
        })
    }

    /// Image tags are ASCII: `\d` and `\w` without Unicode classes compile ten times faster
    /// (a Unicode `\d` is most of a one-file run's start-up).
    fn build(source: &str) -> Result<Regex, regex::Error> {
        regex::RegexBuilder::new(source).unicode(false).build()
    }

    fn check(&self) -> Result<(), String> {
        Self::build(&self.source)
            .map(|_| ())
            .map_err(|e| format!("bad regex `{}`: {e}", self.source))
    }
}

fn compile(pattern: &str) -> Result<Pattern, String> {
    Ok(Pattern::new(pattern))
}

impl Database {
    /// Parse and check database text.
    ///
    /// # Errors
    /// Invalid YAML, a bad date or regex, an image rule naming an unknown product.
    pub fn parse(text: &str) -> Result<Database, String> {
        let raw: RawDb<RawProduct> = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        Database::from_raw(raw, |id, p| {
            let product = product_from_raw(&id, p)?;
            Ok(ProductEntry {
                raw: None,
                parsed: OnceLock::from(Ok(product)),
            })
        })
    }

    /// Read the JSON that `build.rs` makes of the YAML. Products are kept as JSON text and
    /// parsed when first asked for: a run meets a few of them.
    fn from_json(text: &'static str) -> Result<Database, String> {
        let mut raw: RawDb<serde::de::IgnoredAny> =
            serde_json::from_str(text).map_err(|e| e.to_string())?;
        raw.products = PRODUCTS
            .iter()
            .map(|&(id, _)| (id.to_owned(), serde::de::IgnoredAny))
            .collect();
        Database::from_raw(raw, |id, _| {
            let json = PRODUCTS
                .iter()
                .find(|(p, _)| *p == id)
                .map(|&(_, json)| json);
            Ok(ProductEntry {
                raw: json,
                parsed: OnceLock::new(),
            })
        })
    }

    fn from_raw<P>(
        raw: RawDb<P>,
        entry: impl Fn(String, P) -> Result<ProductEntry, String>,
    ) -> Result<Database, String> {
        let as_of = Date::parse(&raw.meta.as_of).ok_or("bad meta.as_of")?;
        let mut products = BTreeMap::new();
        for (id, p) in raw.products {
            products.insert(id.clone(), entry(id, p)?);
        }
        let images = raw
            .images
            .into_iter()
            .map(|i| {
                if !products.contains_key(&i.product) {
                    return Err(format!("image rule for unknown product `{}`", i.product));
                }
                Ok(ImageRule {
                    repos: i.repos,
                    product: i.product,
                    version: i
                        .version
                        .iter()
                        .map(|v| compile(v))
                        .collect::<Result<_, _>>()?,
                    moving_tags: i.moving_tags,
                    cycle_from_repo: i.cycle_from_repo.as_deref().map(compile).transpose()?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let distro_rules = raw
            .tag_tokens
            .distro_rules
            .into_iter()
            .filter_map(|r| {
                let matcher = match (r.token.as_deref(), r.token_regex.as_deref()) {
                    (Some(_), _) => Ok(TokenMatcher::Codename),
                    (None, Some(re)) => compile(re).and_then(|token| {
                        Ok(TokenMatcher::Regex {
                            token,
                            next: r.next_token_regex.as_deref().map(compile).transpose()?,
                            floating: r.floating,
                        })
                    }),
                    (None, None) => return None,
                };
                Some(matcher.map(|matcher| DistroRule {
                    product: r.product,
                    matcher,
                }))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Database {
            as_of,
            products,
            images,
            distro_rules,
            deprecated: raw.deprecated_repositories,
        })
    }

    /// Compile every pattern, reporting the first that does not compile.
    ///
    /// # Errors
    /// A pattern that is not a valid regex.
    pub fn check_patterns(&self) -> Result<(), String> {
        for image in &self.images {
            for p in image.version.iter().chain(&image.cycle_from_repo) {
                p.check()?;
            }
        }
        for rule in &self.distro_rules {
            if let TokenMatcher::Regex { token, next, .. } = &rule.matcher {
                token.check()?;
                if let Some(n) = next {
                    n.check()?;
                }
            }
        }
        Ok(())
    }

    /// The product called `id`.
    #[must_use]
    ///
    /// # Panics
    /// If the compiled-in data of the product is malformed (a bug caught by the tests,
    /// through [`Database::check_products`]).
    pub fn product(&self, id: &str) -> Option<&Product> {
        let entry = self.products.get(id)?;
        Some(
            entry
                .get(id)
                .unwrap_or_else(|e| panic!("bad eol.yaml: {e}")),
        )
    }

    /// Parse every product, reporting the first that is malformed.
    ///
    /// # Errors
    /// What is wrong with the product.
    pub fn check_products(&self) -> Result<(), String> {
        for (id, entry) in &self.products {
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
