//! Writes [`super::generated`]: the three kinds' schemas as static Rust
//! data, so that no run generates or compiles a schema. The tests below
//! fail while the file is out of date; `scripts/regenerate` rewrites it
//! (`AIGW_REGENERATE=1 cargo test --lib schema::codegen`).

use std::fmt::Write;

use super::{compile, Literal, Schema};
use crate::model::Kind;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/generated.rs");

/// The Rust source of `generated.rs`.
fn source() -> String {
    let mut patterns: Vec<&'static str> = Vec::new();
    let mut statics = String::new();
    for (kind, name) in [
        (Kind::Route, "ROUTE"),
        (Kind::Backend, "BACKEND"),
        (Kind::Policy, "POLICY"),
    ] {
        let schema = compile(&kind.json_schema());
        let _ = writeln!(statics, "\n/// The schema of {}.", kind.name());
        let _ = writeln!(
            statics,
            "pub static {name}: Schema = {};",
            literal(schema, &mut patterns, 0)
        );
    }
    let mut out = String::new();
    out.push_str(
        "//! The schemas of the three input kinds, as static data.\n\
         //!\n\
         //! Generated from the models' derived JSON Schema by `scripts/regenerate`\n\
         //! (src/schema/codegen.rs); do not edit. `cargo test` fails while it is\n\
         //! out of date.\n\n",
    );
    out.push_str("use std::sync::OnceLock;\n\n");
    out.push_str("use super::{CrdRule, JsonType, Literal, Matcher, Pattern, Schema};\n\n");
    out.push_str("/// One matcher per distinct pattern, built on first use.\n");
    let _ = writeln!(
        out,
        "static REGEX: [OnceLock<Matcher>; {n}] = [const {{ OnceLock::new() }}; {n}];",
        n = patterns.len()
    );
    out.push_str(&statics);
    out
}

/// `schema` as a Rust expression; fields at their default are left to
/// `..Schema::ANY`.
fn literal(schema: &Schema, patterns: &mut Vec<&'static str>, depth: usize) -> String {
    let inner = depth + 1;
    let mut fields = Vec::new();
    let strings = |items: &[&str]| {
        let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
        format!("&[{}]", quoted.join(", "))
    };
    if !schema.types.is_empty() {
        let types: Vec<String> = schema
            .types
            .iter()
            .map(|t| format!("JsonType::{t:?}"))
            .collect();
        fields.push(format!("types: &[{}]", types.join(", ")));
    }
    if schema.int_or_string {
        fields.push("int_or_string: true".into());
    }
    if let Some(format) = schema.format {
        fields.push(format!("format: Some({format:?})"));
    }
    if !schema.properties.is_empty() {
        let props: Vec<String> = schema
            .properties
            .iter()
            .map(|(name, s)| format!("({name:?}, {})", literal(s, patterns, inner + 1)))
            .collect();
        fields.push(format!("properties: &[{}]", list(&props, inner + 1)));
    }
    if schema.closed {
        fields.push("closed: true".into());
    }
    if let Some(values) = schema.values {
        fields.push(format!(
            "values: Some(&{})",
            literal(values, patterns, inner)
        ));
    }
    if !schema.required.is_empty() {
        fields.push(format!("required: {}", strings(schema.required)));
    }
    if let Some(items) = schema.items {
        fields.push(format!("items: Some(&{})", literal(items, patterns, inner)));
    }
    if !schema.enum_values.is_empty() {
        fields.push(format!("enum_values: {}", strings(schema.enum_values)));
    }
    if !schema.patterns.is_empty() {
        let list: Vec<String> = schema
            .patterns
            .iter()
            .map(|p| {
                let index = patterns
                    .iter()
                    .position(|t| *t == p.text)
                    .unwrap_or_else(|| {
                        patterns.push(p.text);
                        patterns.len() - 1
                    });
                format!("Pattern {{ text: {:?}, regex: &REGEX[{index}] }}", p.text)
            })
            .collect();
        fields.push(format!("patterns: &[{}]", list.join(", ")));
    }
    let numbers = [
        ("min_length", schema.min_length.map(i128::from)),
        ("max_length", schema.max_length.map(i128::from)),
        ("min_items", schema.min_items.map(i128::from)),
        ("max_items", schema.max_items.map(i128::from)),
        ("max_properties", schema.max_properties.map(i128::from)),
        ("minimum", schema.minimum.map(i128::from)),
        ("maximum", schema.maximum.map(i128::from)),
        (
            "exclusive_maximum",
            schema.exclusive_maximum.map(i128::from),
        ),
    ];
    for (name, value) in numbers {
        if let Some(value) = value {
            fields.push(format!("{name}: Some({value})"));
        }
    }
    if let Some(default) = schema.default {
        let value = match default {
            Literal::Null => "Literal::Null".to_string(),
            Literal::Bool(b) => format!("Literal::Bool({b})"),
            Literal::Int(i) => format!("Literal::Int({i})"),
            Literal::Str(s) => format!("Literal::Str({s:?})"),
            Literal::Json(s) => format!("Literal::Json({s:?})"),
        };
        fields.push(format!("default: Some({value})"));
    }
    if !schema.list_map_keys.is_empty() {
        fields.push(format!("list_map_keys: {}", strings(schema.list_map_keys)));
    }
    if !schema.rules.is_empty() {
        let rules: Vec<String> = schema
            .rules
            .iter()
            .map(|r| format!("CrdRule {{ rule: {:?}, message: {:?} }}", r.rule, r.message))
            .collect();
        fields.push(format!("rules: &[{}]", rules.join(", ")));
    }
    fields.push("..Schema::ANY".into());
    if fields.len() <= 2 && fields.iter().all(|f| f.len() < 60 && !f.contains('\n')) {
        return format!("Schema {{ {} }}", fields.join(", "));
    }
    let pad = "    ".repeat(inner);
    let body: String = fields.iter().map(|f| format!("{pad}{f},\n")).collect();
    let body = body.replace("..Schema::ANY,\n", "..Schema::ANY\n");
    format!("Schema {{\n{body}{}}}", "    ".repeat(depth))
}

/// `items` as the inside of a multi-line list at `depth`.
fn list(items: &[String], depth: usize) -> String {
    let pad = "    ".repeat(depth);
    let body: String = items.iter().map(|i| format!("{pad}{i},\n")).collect();
    format!("\n{body}{}", "    ".repeat(depth - 1))
}

/// The static schemas are what the models derive today.
#[test]
fn generated_schemas_are_current() {
    if std::env::var_os("AIGW_REGENERATE").is_some() {
        if let Err(err) = std::fs::write(PATH, source()) {
            panic!("cannot write {PATH}: {err}");
        }
        return;
    }
    for kind in Kind::ALL {
        assert!(
            *Schema::of(kind) == *compile(&kind.json_schema()),
            "src/schema/generated.rs is out of date for {}: run scripts/regenerate",
            kind.name()
        );
    }
}
