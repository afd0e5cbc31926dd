//! The structural schema of one CRD version (`openAPIV3Schema`), holding
//! only what admission needs: structure, limits, defaults and rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Schema {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<Additional>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Additional {
    Allowed(bool),
    Schema(Box<Schema>),
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

impl Schema {
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
