//! CustomResourceDefinitions as admission needs them: the names of a kind,
//! the versions it serves and each version's structural schema. Read from
//! the built-in release data or from CRDs the user has (input, `--crds`).

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<VersionSchema>,
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
            .and_then(|v| v.schema.as_ref())
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
