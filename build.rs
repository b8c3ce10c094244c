//! Converts the end-of-life database (`rules/data/eol.yaml`) to compact JSON at build time,
//! so the binary parses a few kilobytes of JSON instead of YAML on every run.

use std::path::PathBuf;

fn main() {
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
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
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
