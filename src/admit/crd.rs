//! CustomResourceDefinitions as admission needs them: the names of a kind,
//! the versions it serves and each version's structural schema. Read from
//! the built-in release data or from CRDs the user has (input, `--crds`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::schema::Schema;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Crd {
    pub group: String,
    pub names: Names,
    #[serde(default)]
    pub scope: String,
    pub versions: Vec<CrdVersion>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Names {
    pub kind: String,
    pub plural: String,
    #[serde(default)]
    pub singular: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub short_names: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrdVersion {
    pub name: String,
    #[serde(default)]
    pub served: bool,
    #[serde(default)]
    pub storage: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    #[serde(default)]
    pub schema: LazySchema,
}

/// A version's schema, parsed on first use. Built-in release data stores
/// each schema as JSON text, so that a run parses only the kinds and
/// versions its objects use; a CRD the user gives has it inline.
#[derive(Debug, Clone, Default)]
pub struct LazySchema {
    text: Option<String>,
    parsed: OnceLock<Option<VersionSchema>>,
}

impl LazySchema {
    pub fn get(&self) -> Option<&VersionSchema> {
        self.parsed
            .get_or_init(|| {
                self.text
                    .as_deref()
                    .and_then(|text| serde_json::from_str(text).ok())
            })
            .as_ref()
    }
}

impl PartialEq for LazySchema {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<'de> Deserialize<'de> for LazySchema {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Text(String),
            Inline(Box<VersionSchema>),
        }
        Ok(match Stored::deserialize(d)? {
            Stored::Text(text) => LazySchema {
                text: Some(text),
                parsed: OnceLock::new(),
            },
            Stored::Inline(schema) => LazySchema {
                text: None,
                parsed: OnceLock::from(Some(*schema)),
            },
        })
    }
}

/// Written as JSON text (the built-in data's form).
impl Serialize for LazySchema {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self
            .get()
            .map(|schema| serde_json::to_string(schema).unwrap_or_default())
            .unwrap_or_default();
        s.serialize_str(&text)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionSchema {
    #[serde(rename = "openAPIV3Schema")]
    pub open_api_v3_schema: Schema,
}

/// The `spec` of a CustomResourceDefinition object.
#[derive(Deserialize)]
struct CrdObject {
    spec: Crd,
}

impl Crd {
    /// Reads a CustomResourceDefinition object (its JSON form); descriptions
    /// and other documentation are dropped on the way.
    pub fn from_object(object: serde_json::Value) -> Result<Crd, String> {
        serde_json::from_value::<CrdObject>(object)
            .map(|o| o.spec)
            .map_err(|e| e.to_string())
    }

    pub fn version(&self, name: &str) -> Option<&CrdVersion> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// The schema of a served version.
    pub fn served_schema(&self, version: &str) -> Option<&Schema> {
        self.version(version)
            .filter(|v| v.served)
            .and_then(|v| v.schema.get())
            .map(|s| &s.open_api_v3_schema)
    }

    /// Whether `name` names this kind as kubectl accepts it: the kind,
    /// plural, singular or a short name, in any case.
    pub fn is_named(&self, name: &str) -> bool {
        let n = &self.names;
        [&n.kind, &n.plural, &n.singular]
            .into_iter()
            .chain(&n.short_names)
            .any(|known| !known.is_empty() && known.eq_ignore_ascii_case(name))
    }
}
