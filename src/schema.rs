//! The input schema, compiled once from the models' derived JSON Schema into
//! a form that defaulting and validation walk together with the input tree.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
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
#[derive(Debug, Clone)]
pub struct CrdRule {
    pub rule: String,
    pub message: Option<String>,
}

/// A `pattern` keyword, compiled on first use and shared by every schema
/// node with the same text: compiling all patterns of the three kinds up
/// front, each occurrence anew, was most of the time of a one-object run.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    text: String,
    compiled: Arc<OnceLock<Option<Regex>>>,
}

impl LazyRegex {
    pub fn new(text: &str) -> Self {
        LazyRegex {
            text: text.to_string(),
            compiled: Arc::default(),
        }
    }

    /// Whether `s` matches. A pattern that does not compile matches
    /// everything: our schemas are generated from our own types, so that
    /// would be a programming error, which the schema tests catch.
    pub fn is_match(&self, s: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(&self.text).ok())
            .as_ref()
            .is_none_or(|r| r.is_match(s))
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// One node of the compiled schema. Only the keywords that Kubernetes
/// structural schemas use are kept.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Accepted types; empty means any.
    pub types: Vec<JsonType>,
    /// `x-kubernetes-int-or-string`: an integer, or a string matching `patterns`.
    pub int_or_string: bool,
    pub format: Option<String>,
    pub properties: Vec<(String, Schema)>,
    /// `additionalProperties: false` (unknown fields are errors).
    pub closed: bool,
    /// The schema of map values (`additionalProperties: {...}`).
    pub values: Option<Box<Schema>>,
    pub required: Vec<String>,
    pub items: Option<Box<Schema>>,
    pub enum_values: Vec<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub patterns: Vec<(String, LazyRegex)>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub max_properties: Option<u64>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub exclusive_maximum: Option<i64>,
    pub default: Option<Json>,
    pub list_map_keys: Vec<String>,
    pub rules: Vec<CrdRule>,
}

impl Schema {
    pub fn property(&self, name: &str) -> Option<&Schema> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, s)| s)
    }

    /// The compiled schema of one input kind, built the first time an
    /// object of that kind is checked.
    pub fn of(kind: Kind) -> &'static Schema {
        static ROUTE: OnceLock<Schema> = OnceLock::new();
        static BACKEND: OnceLock<Schema> = OnceLock::new();
        static POLICY: OnceLock<Schema> = OnceLock::new();
        // Patterns shared across kinds (group, kind, duration) compile once.
        static REGEXES: OnceLock<Mutex<HashMap<String, LazyRegex>>> = OnceLock::new();
        let cell = match kind {
            Kind::Route => &ROUTE,
            Kind::Backend => &BACKEND,
            Kind::Policy => &POLICY,
        };
        cell.get_or_init(|| {
            let mut regexes = REGEXES
                .get_or_init(Mutex::default)
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            compile_with(&kind.json_schema(), &mut regexes)
        })
    }
}

/// Compiles a derived JSON Schema. The input is generated from our own
/// types, so a malformed keyword is a programming error; it is skipped
/// rather than panicking, and the schema tests catch it.
pub fn compile(json: &Json) -> Schema {
    compile_with(json, &mut HashMap::new())
}

/// [`compile`], sharing one [`LazyRegex`] per distinct pattern text.
fn compile_with(json: &Json, regexes: &mut HashMap<String, LazyRegex>) -> Schema {
    let mut schema = Schema::default();
    let Some(obj) = json.as_object() else {
        return schema;
    };
    let u64_of = |k: &str| obj.get(k).and_then(Json::as_u64);
    let i64_of = |k: &str| obj.get(k).and_then(Json::as_i64);

    match obj.get("type") {
        Some(Json::String(t)) => schema.types.extend(JsonType::parse(t)),
        Some(Json::Array(ts)) => schema.types.extend(
            ts.iter()
                .filter_map(Json::as_str)
                .filter_map(JsonType::parse),
        ),
        _ => {}
    }
    // schemars writes `Option<T>` as `anyOf: [T, null]` for some types.
    if let Some(Json::Array(variants)) = obj.get("anyOf") {
        if obj.get("x-kubernetes-int-or-string") == Some(&Json::Bool(true)) {
            schema.int_or_string = true;
        } else if let Some(inner) = variants
            .iter()
            .find(|v| v.get("type") != Some(&Json::from("null")))
        {
            let mut merged = compile_with(inner, regexes);
            merged.default = obj.get("default").cloned().or(merged.default);
            return merged;
        }
    }
    schema.format = obj.get("format").and_then(Json::as_str).map(str::to_string);
    if let Some(Json::Object(props)) = obj.get("properties") {
        schema.properties = props
            .iter()
            .map(|(k, v)| (k.clone(), compile_with(v, regexes)))
            .collect();
    }
    match obj.get("additionalProperties") {
        Some(Json::Bool(false)) => schema.closed = true,
        Some(v @ Json::Object(_)) => schema.values = Some(Box::new(compile_with(v, regexes))),
        _ => {}
    }
    if let Some(Json::Array(req)) = obj.get("required") {
        schema.required = req
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect();
    }
    if let Some(items) = obj.get("items") {
        schema.items = Some(Box::new(compile_with(items, regexes)));
    }
    if let Some(Json::Array(values)) = obj.get("enum") {
        schema.enum_values = values
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect();
    }
    schema.min_length = u64_of("minLength");
    schema.max_length = u64_of("maxLength");
    let mut patterns: Vec<String> = obj
        .get("pattern")
        .and_then(Json::as_str)
        .map(str::to_string)
        .into_iter()
        .collect();
    if let Some(Json::Array(more)) = obj.get("x-aigw-patterns") {
        patterns.extend(more.iter().filter_map(Json::as_str).map(str::to_string));
    }
    schema.patterns = patterns
        .into_iter()
        .map(|p| {
            let regex = regexes
                .entry(p.clone())
                .or_insert_with(|| LazyRegex::new(&p))
                .clone();
            (p, regex)
        })
        .collect();
    schema.min_items = u64_of("minItems");
    schema.max_items = u64_of("maxItems");
    schema.max_properties = u64_of("maxProperties");
    schema.minimum = i64_of("minimum");
    schema.maximum = i64_of("maximum");
    schema.exclusive_maximum = i64_of("exclusiveMaximum");
    schema.default = obj.get("default").cloned();
    if let Some(Json::Array(keys)) = obj.get("x-kubernetes-list-map-keys") {
        schema.list_map_keys = keys
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect();
    }
    if let Some(Json::Array(rules)) = obj.get("x-kubernetes-validations") {
        schema.rules = rules
            .iter()
            .filter_map(|r| {
                Some(CrdRule {
                    rule: r.get("rule")?.as_str()?.to_string(),
                    message: r.get("message").and_then(Json::as_str).map(str::to_string),
                })
            })
            .collect();
    }
    schema
}

/// Visits every schema node, depth first.
pub fn walk<'a>(schema: &'a Schema, visit: &mut dyn FnMut(&'a Schema)) {
    visit(schema);
    for (_, s) in &schema.properties {
        walk(s, visit);
    }
    for s in schema.items.iter().chain(schema.values.iter()) {
        walk(s, visit);
    }
}
