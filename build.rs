//! Build-time conversions, so a run reads no YAML of its own: the end-of-life database
//! (`rules/data/eol.yaml`) becomes compact JSON, and every rule file's front matter and
//! summary (`rules/DD*.md`) a Rust table.

use std::path::{Path, PathBuf};

#[path = "src/rules/rule_file.rs"]
#[allow(dead_code, unreachable_pub)]
mod rule_file;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    compile_rule_files(&out);
    compile_eol(&out);
}

/// `rule_metas.rs`: `RULE_FILES`, every `rules/DD*.md` (sorted by file name) with its
/// front matter and summary as [`crate::rules::meta::CompiledMeta`].
fn compile_rule_files(out: &Path) {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/rule_file.rs");
    let mut files: Vec<String> = std::fs::read_dir("rules")
        .expect("read rules/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("DD") && n.ends_with(".md"))
        .collect();
    files.sort();
    let mut table = String::from(
        "/// Every `rules/DD*.md` by file stem (sorted), with its front matter and summary.\n\
         pub(crate) static RULE_FILES: &[(&str, CompiledMeta)] = &[\n",
    );
    for file in &files {
        let path = format!("rules/{file}");
        println!("cargo:rerun-if-changed={path}");
        let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let r = rule_file::parse(&doc).unwrap_or_else(|e| panic!("{path}: {e}"));
        let variant = |field: &str, value: &str| -> String {
            assert!(
                !value.is_empty() && value.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{path}: {field} `{value}` is not a known {field}"
            );
            value
                .split('-')
                .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
                .collect()
        };
        table.push_str(&format!(
            "    ({stem:?}, CompiledMeta {{ code: {code:?}, name: {name:?}, \
             category: Category::{category}, severity: Severity::{severity}, enabled: {enabled}, \
             fix: FixAvailability::{fix}, sources: &{sources:?}, summary: {summary:?}, \
             body_offset: {body_offset}, body_line: {body_line} }}),\n",
            stem = file.trim_end_matches(".md"),
            code = r.code,
            name = r.name,
            category = variant("category", &r.category),
            severity = variant("severity", &r.severity),
            enabled = r.enabled,
            fix = variant("fix", &r.fix),
            sources = r.sources,
            summary = r.summary,
            body_offset = r.body_offset,
            body_line = r.body_line,
        ));
    }
    table.push_str("];\n");
    std::fs::write(out.join("rule_metas.rs"), table).expect("write rule_metas.rs");
}

/// `eol.json` (the database without its products and test vectors) and `eol_products.rs`
/// (each product as its own JSON text).
fn compile_eol(out: &Path) {
    let source = "rules/data/eol.yaml";
    println!("cargo:rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("read rules/data/eol.yaml");
    let mut value: serde_json::Value =
        serde_saphyr::from_str(&text).expect("rules/data/eol.yaml is valid YAML");
    // Only the tests read the vectors, and they read the YAML itself.
    if let Some(map) = value.as_object_mut() {
        map.remove("test_vectors");
        map.remove("reference_normalisation");
    }
    // Each product as its own JSON text in a Rust table: a run parses only the products its
    // images belong to, and finding one needs no scan of the others.
    let products = value
        .as_object_mut()
        .and_then(|map| map.remove("products"))
        .expect("rules/data/eol.yaml has products");
    let mut table = String::from("/// Product id and its JSON, from `rules/data/eol.yaml`.\n");
    table.push_str("pub(crate) const PRODUCTS: &[(&str, &str)] = &[\n");
    for (id, product) in products.as_object().expect("products is a map") {
        let json = serde_json::to_string(product).expect("JSON");
        assert!(
            !json.contains("\"##"),
            "a product's JSON holds the raw-string delimiter"
        );
        table.push_str(&format!("    ({id:?}, r##\"{json}\"##),\n"));
    }
    table.push_str("];\n");
    std::fs::write(out.join("eol_products.rs"), table).expect("write eol_products.rs");
    std::fs::write(
        out.join("eol.json"),
        serde_json::to_string(&value).expect("JSON"),
    )
    .expect("write eol.json");
}
