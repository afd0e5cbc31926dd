//! The input schema in the form that defaulting and validation walk
//! together with the input tree.
//!
//! The three kinds' schemas are static data ([`generated`]), written by
//! [`codegen`] from the models' derived JSON Schema: a run starts without
//! generating or compiling any schema. [`compile`] turns any other JSON
//! Schema (the output CRDs, in tests) into the same form.

#[cfg(test)]
mod codegen;
mod generated;
pub mod native;

use std::collections::HashMap;
use std::sync::OnceLock;

use regex_lite::Regex;
use serde_json::Value as Json;

use crate::model::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}

impl JsonType {
    fn parse(name: &str) -> Option<JsonType> {
        Some(match name {
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

/// An `x-kubernetes-validations` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrdRule {
    pub rule: &'static str,
    pub message: Option<&'static str>,
}

/// A `pattern` keyword, compiled on first use and shared by every schema
/// node with the same text: compiling all patterns up front was most of
/// the time of a one-object run.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    pub text: &'static str,
    regex: &'static OnceLock<Matcher>,
}

/// How a pattern is matched: natively (the common name and duration
/// patterns, see [`native`]) or by its regex.
#[derive(Debug)]
pub enum Matcher {
    Native(fn(&str) -> bool),
    Regex(Regex),
    /// Does not compile: matches everything. Our schemas are generated
    /// from our own types, so that would be a programming error, which the
    /// schema tests catch.
    Invalid,
}

impl Pattern {
    pub fn is_match(&self, s: &str) -> bool {
        let matcher = self.regex.get_or_init(|| match native::matcher(self.text) {
            Some(native) => Matcher::Native(native),
            None => Regex::new(self.text).map_or(Matcher::Invalid, Matcher::Regex),
        });
        match matcher {
            Matcher::Native(native) => native(s),
            Matcher::Regex(regex) => regex.is_match(s),
            Matcher::Invalid => true,
        }
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// A `default` value. The CRDs default only scalars; anything else is
/// kept as JSON text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'static str),
    Json(&'static str),
}

impl Literal {
    fn of(json: &Json) -> Literal {
        match json {
            Json::Null => Literal::Null,
            Json::Bool(b) => Literal::Bool(*b),
            Json::String(s) => Literal::Str(leak(s)),
            Json::Number(n) if n.is_i64() => n.as_i64().map_or(Literal::Null, Literal::Int),
            other => Literal::Json(leak(&other.to_string())),
        }
    }

    pub fn to_json(self) -> Json {
        match self {
            Literal::Null => Json::Null,
            Literal::Bool(b) => Json::Bool(b),
            Literal::Int(i) => Json::from(i),
            Literal::Str(s) => Json::from(s),
            Literal::Json(text) => serde_json::from_str(text).unwrap_or(Json::Null),
        }
    }
}

/// One node of the schema. Only the keywords that Kubernetes structural
/// schemas use are kept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schema {
    /// Accepted types; empty means any.
    pub types: &'static [JsonType],
    /// `x-kubernetes-int-or-string`: an integer, or a string matching `patterns`.
    pub int_or_string: bool,
    pub format: Option<&'static str>,
    pub properties: &'static [(&'static str, Schema)],
    /// `additionalProperties: false` (unknown fields are errors).
    pub closed: bool,
    /// The schema of map values (`additionalProperties: {...}`).
    pub values: Option<&'static Schema>,
    pub required: &'static [&'static str],
    pub items: Option<&'static Schema>,
    pub enum_values: &'static [&'static str],
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub patterns: &'static [Pattern],
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub max_properties: Option<u64>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub exclusive_maximum: Option<i64>,
    pub default: Option<Literal>,
    pub list_map_keys: &'static [&'static str],
    pub rules: &'static [CrdRule],
}

impl Schema {
    /// A schema that accepts anything.
    pub const ANY: Schema = Schema {
        types: &[],
        int_or_string: false,
        format: None,
        properties: &[],
        closed: false,
        values: None,
        required: &[],
        items: None,
        enum_values: &[],
        min_length: None,
        max_length: None,
        patterns: &[],
        min_items: None,
        max_items: None,
        max_properties: None,
        minimum: None,
        maximum: None,
        exclusive_maximum: None,
        default: None,
        list_map_keys: &[],
        rules: &[],
    };

    pub fn property(&self, name: &str) -> Option<&'static Schema> {
        self.properties
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, s)| s)
    }

    /// The schema of one input kind (static data: nothing is built).
    pub fn of(kind: Kind) -> &'static Schema {
        match kind {
            Kind::Route => &generated::ROUTE,
            Kind::Backend => &generated::BACKEND,
            Kind::Policy => &generated::POLICY,
        }
    }
}

/// Program-lifetime data for [`compile`]: schemas are made once per
/// process and shared by reference, like the generated ones.
fn leak<T: ?Sized + ToOwned>(value: &T) -> &'static T
where
    T::Owned: Into<Box<T>>,
{
    Box::leak(value.to_owned().into())
}

fn leak_slice<T: Clone>(items: Vec<T>) -> &'static [T] {
    if items.is_empty() {
        return &[];
    }
    Box::leak(items.into_boxed_slice())
}

/// Compiles a JSON Schema into program-lifetime data (it is never freed:
/// compile each schema once). The input is generated from our own types or
/// is a CRD, so a malformed keyword is a programming error; it is skipped
/// rather than panicking, and the schema tests catch it.
pub fn compile(json: &Json) -> &'static Schema {
    Box::leak(Box::new(compile_with(json, &mut HashMap::new())))
}

/// [`compile`], sharing one compiled regex per distinct pattern text.
fn compile_with(json: &Json, regexes: &mut HashMap<String, Pattern>) -> Schema {
    let mut schema = Schema::ANY;
    let Some(obj) = json.as_object() else {
        return schema;
    };
    let u64_of = |k: &str| obj.get(k).and_then(Json::as_u64);
    let i64_of = |k: &str| obj.get(k).and_then(Json::as_i64);
    let strings = |k: &str| -> &'static [&'static str] {
        match obj.get(k) {
            Some(Json::Array(items)) => {
                leak_slice(items.iter().filter_map(Json::as_str).map(leak).collect())
            }
            _ => &[],
        }
    };
    let mut sub = |json: &Json| compile_with(json, regexes);
    let boxed = |schema: Schema| -> &'static Schema { Box::leak(Box::new(schema)) };

    schema.types = match obj.get("type") {
        Some(Json::String(t)) => leak_slice(JsonType::parse(t).into_iter().collect()),
        Some(Json::Array(ts)) => leak_slice(
            ts.iter()
                .filter_map(Json::as_str)
                .filter_map(JsonType::parse)
                .collect(),
        ),
        _ => &[],
    };
    // schemars writes `Option<T>` as `anyOf: [T, null]` for some types.
    if let Some(Json::Array(variants)) = obj.get("anyOf") {
        if obj.get("x-kubernetes-int-or-string") == Some(&Json::Bool(true)) {
            schema.int_or_string = true;
        } else if let Some(inner) = variants
            .iter()
            .find(|v| v.get("type") != Some(&Json::from("null")))
        {
            let mut merged = sub(inner);
            merged.default = obj.get("default").map(Literal::of).or(merged.default);
            return merged;
        }
    }
    schema.format = obj.get("format").and_then(Json::as_str).map(leak);
    if let Some(Json::Object(props)) = obj.get("properties") {
        schema.properties = leak_slice(
            props
                .iter()
                .map(|(k, v)| (leak(k.as_str()), sub(v)))
                .collect(),
        );
    }
    match obj.get("additionalProperties") {
        Some(Json::Bool(false)) => schema.closed = true,
        Some(v @ Json::Object(_)) => schema.values = Some(boxed(sub(v))),
        _ => {}
    }
    schema.required = strings("required");
    schema.items = obj.get("items").map(|items| boxed(sub(items)));
    schema.enum_values = strings("enum");
    schema.min_length = u64_of("minLength");
    schema.max_length = u64_of("maxLength");
    let mut patterns: Vec<&str> = obj
        .get("pattern")
        .and_then(Json::as_str)
        .into_iter()
        .collect();
    if let Some(Json::Array(more)) = obj.get("x-aigw-patterns") {
        patterns.extend(more.iter().filter_map(Json::as_str));
    }
    schema.patterns = leak_slice(
        patterns
            .into_iter()
            .map(|text| {
                *regexes.entry(text.to_string()).or_insert_with(|| Pattern {
                    text: leak(text),
                    regex: Box::leak(Box::default()),
                })
            })
            .collect(),
    );
    schema.min_items = u64_of("minItems");
    schema.max_items = u64_of("maxItems");
    schema.max_properties = u64_of("maxProperties");
    schema.minimum = i64_of("minimum");
    schema.maximum = i64_of("maximum");
    schema.exclusive_maximum = i64_of("exclusiveMaximum");
    schema.default = obj.get("default").map(Literal::of);
    schema.list_map_keys = strings("x-kubernetes-list-map-keys");
    if let Some(Json::Array(rules)) = obj.get("x-kubernetes-validations") {
        schema.rules = leak_slice(
            rules
                .iter()
                .filter_map(|r| {
                    Some(CrdRule {
                        rule: leak(r.get("rule")?.as_str()?),
                        message: r.get("message").and_then(Json::as_str).map(leak),
                    })
                })
                .collect(),
        );
    }
    schema
}

/// Visits every schema node, depth first.
pub fn walk(schema: &'static Schema, visit: &mut dyn FnMut(&'static Schema)) {
    visit(schema);
    for (_, s) in schema.properties {
        walk(s, visit);
    }
    for s in schema.items.into_iter().chain(schema.values) {
        walk(s, visit);
    }
}
