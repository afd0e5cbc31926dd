//! CustomResourceDefinitions as admission needs them: the names of a kind,
//! the versions it serves and each version's structural schema. Read from
//! the built-in release data or from CRDs the user has (input, `--crds`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::schema::{Nodes, Schema};

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

/// A version's schema, parsed on first use. Built-in release data keeps
/// each schema as nodes of JSON text after the CRDs (see [`Nodes`]),
/// so that a run parses only the kinds and versions its objects use; a
/// CRD the user gives has it inline.
#[derive(Debug, Clone, Default)]
pub struct LazySchema {
    stored: Stored,
    parsed: OnceLock<Option<VersionSchema>>,
}

#[derive(Debug, Clone, Copy, Default)]
enum Stored {
    /// Parsed already (inline), or none.
    #[default]
    None,
    /// The root's node number in the built-in data, until it is resolved.
    At(usize),
    Node(&'static Nodes, usize),
}

impl LazySchema {
    pub fn get(&self) -> Option<&VersionSchema> {
        self.parsed
            .get_or_init(|| match self.stored {
                Stored::Node(nodes, index) => Schema::from_node(nodes, index)
                    .ok()
                    .map(|open_api_v3_schema| VersionSchema { open_api_v3_schema }),
                Stored::None | Stored::At(_) => None,
            })
            .as_ref()
    }

    /// A schema whose root is node `index` of the built-in data (written
    /// by the code generator).
    pub fn at(index: usize) -> LazySchema {
        LazySchema {
            stored: Stored::At(index),
            parsed: OnceLock::new(),
        }
    }

    /// Points a built-in schema at its nodes.
    pub fn resolve(&mut self, nodes: &'static Nodes) {
        if let Stored::At(index) = self.stored {
            self.stored = Stored::Node(nodes, index);
        }
    }
}

impl PartialEq for LazySchema {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

/// `{"openAPIV3Schema": {...}}` as CRDs have it, or `{"at": [start, end]}`
/// in built-in data. By hand: an untagged enum would buffer the schema.
impl<'de> Deserialize<'de> for LazySchema {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = LazySchema;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a CRD version's schema")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LazySchema, A::Error> {
                let mut schema = LazySchema::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "openAPIV3Schema" => {
                            let open_api_v3_schema = map.next_value()?;
                            schema.parsed =
                                OnceLock::from(Some(VersionSchema { open_api_v3_schema }));
                        }
                        "at" => schema.stored = Stored::At(map.next_value()?),
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(schema)
            }
        }
        d.deserialize_map(Visit)
    }
}

/// Built-in data's form, `{"at": [start, end]}`, for a schema placed with
/// [`LazySchema::at`]; otherwise the schema inline.
impl Serialize for LazySchema {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        match (self.stored, self.get()) {
            (Stored::At(index), _) => map.serialize_entry("at", &index)?,
            (_, Some(schema)) => {
                map.serialize_entry("openAPIV3Schema", &schema.open_api_v3_schema)?
            }
            (_, None) => {}
        }
        map.end()
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
        let crd = serde_json::from_value::<CrdObject>(object)
            .map(|o| o.spec)
            .map_err(|e| e.to_string())?;
        for version in &crd.versions {
            if let Some(schema) = version.schema.get() {
                schema.open_api_v3_schema.check_all()?;
            }
        }
        Ok(crd)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn crd_with_spec(spec: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "spec": {
                "group": "aigateway.envoyproxy.io",
                "names": {"kind": "AIGatewayRoute", "plural": "aigatewayroutes"},
                "versions": [{
                    "name": "v1beta1", "served": true, "storage": true,
                    "schema": {"openAPIV3Schema": {
                        "type": "object",
                        "properties": {"spec": spec}
                    }}
                }]
            }
        })
    }

    #[test]
    fn a_given_crd_is_checked_whole_though_subschemas_parse_lazily() {
        let deep = serde_json::json!({
            "type": "object",
            "properties": {"rules": {"type": "array", "items": {
                "type": "object",
                "properties": {"name": {"type": "string", "maxLength": "long"}}
            }}}
        });
        let err = Crd::from_object(crd_with_spec(deep))
            .map(|_| ())
            .unwrap_err();
        assert!(err.contains("invalid type"), "{err}");

        let good = serde_json::json!({
            "type": "object",
            "properties": {"rules": {"type": "array", "items": {
                "type": "object",
                "properties": {"name": {"type": "string", "maxLength": 63}}
            }}}
        });
        let crd = Crd::from_object(crd_with_spec(good)).unwrap();
        let name = crd
            .served_schema("v1beta1")
            .and_then(|s| s.property("spec"))
            .and_then(|s| s.property("rules"))
            .and_then(|s| s.items.as_deref())
            .and_then(|s| s.property("name"))
            .and_then(|s| s.max_length);
        assert_eq!(name, Some(63));
    }

    #[test]
    fn built_in_schemas_resolve_through_their_nodes() {
        let api = crate::admit::release::Release::find("v1.1")
            .unwrap()
            .api()
            .unwrap();
        let bsp = api
            .schema("aigateway.envoyproxy.io/v1beta1", "BackendSecurityPolicy")
            .unwrap();
        let spec = bsp.property("spec").unwrap();
        assert!(spec.properties.contains_key("apiKey"));
        assert!(spec.properties.contains_key("credentialOverride"));
        let secret = spec
            .property("apiKey")
            .and_then(|s| s.property("secretRef"))
            .and_then(|s| s.property("name"))
            .and_then(|s| s.max_length);
        assert_eq!(secret, Some(253));
        // The older version of the same kind resolves as well.
        let alpha = api
            .schema("aigateway.envoyproxy.io/v1alpha1", "BackendSecurityPolicy")
            .unwrap();
        assert_eq!(
            alpha.property("spec").map(|s| s.required.clone()),
            Some(spec.required.clone())
        );
    }
}
