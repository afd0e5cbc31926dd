//! The structural schema of one CRD version (`openAPIV3Schema`), holding
//! only what admission needs: structure, limits, defaults and rules.

use std::collections::BTreeMap;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value as Json;

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Schema {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Sub>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<Additional>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Sub>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<Json>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_properties: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_properties: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_minimum: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_maximum: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique_items: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Json>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Schema>>,
    #[serde(
        rename = "x-kubernetes-int-or-string",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub int_or_string: bool,
    #[serde(
        rename = "x-kubernetes-preserve-unknown-fields",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub preserve_unknown_fields: bool,
    #[serde(
        rename = "x-kubernetes-embedded-resource",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub embedded_resource: bool,
    #[serde(
        rename = "x-kubernetes-list-type",
        skip_serializing_if = "Option::is_none"
    )]
    pub list_type: Option<String>,
    #[serde(
        rename = "x-kubernetes-list-map-keys",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub list_map_keys: Vec<String>,
    #[serde(
        rename = "x-kubernetes-map-type",
        skip_serializing_if = "Option::is_none"
    )]
    pub map_type: Option<String>,
    #[serde(
        rename = "x-kubernetes-validations",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub validations: Vec<Rule>,
}

/// `additionalProperties`: `false`/`true`, or the schema of every value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Additional {
    Allowed(bool),
    Schema(Sub),
}

/// By hand rather than `untagged`, which would buffer the whole subtree:
/// the raw text is taken, and only a schema is parsed (later, when used).
impl<'de> Deserialize<'de> for Additional {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Box::<RawValue>::deserialize(deserializer)?;
        Ok(match text.get().trim() {
            "true" => Additional::Allowed(true),
            "false" => Additional::Allowed(false),
            _ => Additional::Schema(Sub {
                source: Source::Raw(text),
                parsed: OnceLock::new(),
            }),
        })
    }
}

/// One `x-kubernetes-validations` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Rule {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The schema of a property, of the items of a list or of the values of a
/// map, parsed when first used: a CRD's schema is mostly branches a given
/// object never reaches (a BackendSecurityPolicy of type APIKey never
/// needs the 60 KB of the other types).
///
/// Built-in release data stores every schema node as its own line of JSON
/// whose subschemas are line numbers ([`Nodes`]), so that parsing a node
/// never scans the text of the branches below it. A CRD the user gives
/// keeps each subschema as its raw JSON text instead.
#[derive(Debug, Clone)]
pub struct Sub {
    source: Source,
    parsed: OnceLock<Result<Box<Schema>, String>>,
}

/// The schema nodes of built-in release data, one JSON text each.
pub type Nodes = [&'static str];

#[derive(Debug, Clone)]
enum Source {
    Raw(Box<RawValue>),
    /// A node of built-in data, until [`Schema::link`] says of which.
    Index(usize),
    Node(&'static Nodes, usize),
}

impl Sub {
    /// The schema, or the reason its text is not one.
    pub fn parse(&self) -> Result<&Schema, &str> {
        let parsed = self.parsed.get_or_init(|| match &self.source {
            Source::Raw(text) => serde_json::from_str(text.get()).map_err(|e| e.to_string()),
            Source::Node(nodes, i) => Schema::from_node(nodes, *i).map(Box::new),
            Source::Index(i) => Err(format!("schema node {i} of no release")),
        });
        match parsed {
            Ok(schema) => Ok(schema),
            Err(e) => Err(e),
        }
    }

    /// A reference to node `index` of built-in data (code generator).
    pub fn node(index: usize) -> Sub {
        Sub {
            source: Source::Index(index),
            parsed: OnceLock::new(),
        }
    }
}

/// An unparseable subschema reads as the empty schema; CRDs the user gives
/// are checked whole first ([`Schema::check_all`]), and the built-in data
/// by its freshness test, so this is never reached in practice.
impl std::ops::Deref for Sub {
    type Target = Schema;
    fn deref(&self) -> &Schema {
        static EMPTY: OnceLock<Schema> = OnceLock::new();
        self.parse()
            .unwrap_or_else(|_| EMPTY.get_or_init(Schema::default))
    }
}

impl PartialEq for Sub {
    fn eq(&self, other: &Sub) -> bool {
        **self == **other
    }
}

/// A schema's raw text, or a node number in built-in data.
impl<'de> Deserialize<'de> for Sub {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sub, D::Error> {
        let text = Box::<RawValue>::deserialize(d)?;
        let source = match text.get().parse::<usize>() {
            Ok(index) => Source::Index(index),
            Err(_) => Source::Raw(text),
        };
        Ok(Sub {
            source,
            parsed: OnceLock::new(),
        })
    }
}

/// The node number while it is one (code generator), else the schema.
impl Serialize for Sub {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.source {
            Source::Index(i) => s.serialize_u64(i as u64),
            _ => (**self).serialize(s),
        }
    }
}

impl Schema {
    /// Node `index` of built-in data, its subschemas pointing at theirs.
    pub fn from_node(nodes: &'static Nodes, index: usize) -> Result<Schema, String> {
        let text = nodes
            .get(index)
            .ok_or_else(|| format!("no schema node {index}"))?;
        let mut schema: Schema = serde_json::from_str(text).map_err(|e| e.to_string())?;
        schema.link(nodes);
        Ok(schema)
    }

    /// Points the node numbers of this node's subschemas into `nodes`.
    fn link(&mut self, nodes: &'static Nodes) {
        let subs = self.properties.values_mut().chain(&mut self.items).chain(
            match &mut self.additional_properties {
                Some(Additional::Schema(s)) => Some(s),
                _ => None,
            },
        );
        for sub in subs {
            if let Source::Index(i) = sub.source {
                sub.source = Source::Node(nodes, i);
            }
        }
        let inline = self.all_of.iter_mut().chain(&mut self.any_of);
        inline
            .chain(&mut self.one_of)
            .chain(self.not.as_deref_mut())
            .for_each(|s| s.link(nodes));
    }

    /// Splits this schema into nodes for built-in data (code generator):
    /// each subschema becomes a node of its own, referred to by number,
    /// and equal nodes are stored once. Returns this schema's node number.
    pub fn flatten(&self, nodes: &mut Vec<String>) -> usize {
        let mut node = self.clone();
        node.number_subs(nodes);
        let text = serde_json::to_string(&node).unwrap_or_default();
        match nodes.iter().position(|n| *n == text) {
            Some(index) => index,
            None => {
                nodes.push(text);
                nodes.len() - 1
            }
        }
    }

    fn number_subs(&mut self, nodes: &mut Vec<String>) {
        let subs = self.properties.values_mut().chain(&mut self.items).chain(
            match &mut self.additional_properties {
                Some(Additional::Schema(s)) => Some(s),
                _ => None,
            },
        );
        for sub in subs {
            let index = (**sub).flatten(nodes);
            *sub = Sub::node(index);
        }
        let inline = self.all_of.iter_mut().chain(&mut self.any_of);
        inline
            .chain(&mut self.one_of)
            .chain(self.not.as_deref_mut())
            .for_each(|s| s.number_subs(nodes));
    }
}

impl Schema {
    /// Parses every subschema, so that a CRD the user gives is rejected
    /// whole, up front, rather than branch by branch as objects reach it.
    pub fn check_all(&self) -> Result<(), String> {
        let subs =
            self.properties
                .values()
                .chain(&self.items)
                .chain(match &self.additional_properties {
                    Some(Additional::Schema(s)) => Some(s),
                    _ => None,
                });
        for sub in subs {
            sub.parse().map_err(str::to_string)?.check_all()?;
        }
        let nested = self.all_of.iter().chain(&self.any_of).chain(&self.one_of);
        nested
            .chain(self.not.as_deref())
            .try_for_each(Schema::check_all)
    }

    /// The schema of the property `name`, or of the values of a map.
    pub fn property(&self, name: &str) -> Option<&Schema> {
        match self.properties.get(name) {
            Some(sub) => Some(sub),
            None => self.values(),
        }
    }

    /// The schema of the values of a mapping whose keys are free
    /// (`additionalProperties: {...}`).
    pub fn values(&self) -> Option<&Schema> {
        match &self.additional_properties {
            Some(Additional::Schema(s)) => Some(s),
            _ => None,
        }
    }

    /// Whether fields that `properties` does not name are kept.
    pub fn open(&self) -> bool {
        self.preserve_unknown_fields
            || matches!(
                self.additional_properties,
                Some(Additional::Allowed(true)) | Some(Additional::Schema(_))
            )
    }

    /// The type name the API server uses in `Invalid value: "<type>"`.
    pub fn type_name(&self) -> &str {
        self.ty.as_deref().unwrap_or("")
    }

    /// Calls `f` with every field path the schema defines, below `prefix`
    /// (`spec.rules[].name`; `{}` stands for a free key). A path ending in
    /// `*` admits anything below it.
    pub fn visit_paths(&self, prefix: &str, f: &mut dyn FnMut(&str)) {
        if self.preserve_unknown_fields && self.properties.is_empty() {
            f(&join(prefix, "*"));
        }
        for (name, prop) in &self.properties {
            let path = join(prefix, name);
            f(&path);
            prop.visit_paths(&path, f);
        }
        if let Some(values) = self.values() {
            let path = format!("{prefix}{{}}");
            f(&path);
            values.visit_paths(&path, f);
        } else if matches!(self.additional_properties, Some(Additional::Allowed(true))) {
            f(&join(prefix, "*"));
        }
        if let Some(items) = &self.items {
            items.visit_paths(&format!("{prefix}[]"), f);
        }
        for sub in self.all_of.iter().chain(&self.any_of).chain(&self.one_of) {
            sub.visit_paths(prefix, f);
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

impl Schema {
    /// This schema as a JSON Schema (draft-07), for editors and
    /// `check-jsonschema`: closed objects forbid other fields, `nullable`
    /// and int-or-string become type lists, Kubernetes extensions are
    /// dropped (CEL rules cannot be expressed).
    pub fn to_json_schema(&self) -> Json {
        let mut out = serde_json::Map::new();
        let mut types: Vec<Json> = Vec::new();
        if self.int_or_string {
            types = vec!["integer".into(), "string".into()];
        } else if let Some(ty) = &self.ty {
            types.push(ty.clone().into());
        }
        if self.nullable && !types.is_empty() {
            types.push("null".into());
        }
        match types.len() {
            0 => {}
            1 => {
                out.insert("type".into(), types.remove(0));
            }
            _ => {
                out.insert("type".into(), Json::Array(types));
            }
        }
        if let Some(format) = &self.format {
            out.insert("format".into(), format.clone().into());
        }
        if !self.properties.is_empty() {
            let props: serde_json::Map<String, Json> = self
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json_schema()))
                .collect();
            out.insert("properties".into(), Json::Object(props));
        }
        if let Some(values) = self.values() {
            out.insert("additionalProperties".into(), values.to_json_schema());
        } else if self.ty.as_deref() == Some("object")
            && !self.open()
            && !self.properties.is_empty()
        {
            out.insert("additionalProperties".into(), Json::Bool(false));
        }
        if let Some(items) = &self.items {
            out.insert("items".into(), items.to_json_schema());
        }
        if !self.required.is_empty() {
            out.insert("required".into(), self.required.clone().into());
        }
        if let Some(values) = &self.enum_values {
            out.insert("enum".into(), Json::Array(values.clone()));
        }
        let numbers = [
            ("minLength", self.min_length),
            ("maxLength", self.max_length),
            ("minItems", self.min_items),
            ("maxItems", self.max_items),
            ("minProperties", self.min_properties),
            ("maxProperties", self.max_properties),
        ];
        for (key, value) in numbers {
            if let Some(v) = value {
                out.insert(key.into(), v.into());
            }
        }
        if let Some(p) = &self.pattern {
            out.insert("pattern".into(), p.clone().into());
        }
        let bound = |v: f64| serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number);
        if let Some(min) = self.minimum {
            let key = if self.exclusive_minimum {
                "exclusiveMinimum"
            } else {
                "minimum"
            };
            out.insert(key.into(), bound(min));
        }
        if let Some(max) = self.maximum {
            let key = if self.exclusive_maximum {
                "exclusiveMaximum"
            } else {
                "maximum"
            };
            out.insert(key.into(), bound(max));
        }
        if let Some(m) = self.multiple_of {
            out.insert("multipleOf".into(), bound(m));
        }
        if self.unique_items {
            out.insert("uniqueItems".into(), true.into());
        }
        if let Some(d) = &self.default {
            out.insert("default".into(), d.clone());
        }
        for (key, list) in [
            ("allOf", &self.all_of),
            ("anyOf", &self.any_of),
            ("oneOf", &self.one_of),
        ] {
            if !list.is_empty() {
                out.insert(
                    key.into(),
                    Json::Array(list.iter().map(Schema::to_json_schema).collect()),
                );
            }
        }
        if let Some(not) = &self.not {
            out.insert("not".into(), not.to_json_schema());
        }
        Json::Object(out)
    }
}
