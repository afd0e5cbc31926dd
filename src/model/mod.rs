//! Stage 2: typed models of the three AI Gateway input kinds.
//!
//! These types are the single source of the input schema: their derived
//! JSON Schema (`schemars`, with the CRD's limits as attributes) drives
//! defaulting and validation, and serde reads validated objects into them.

pub mod backend;
pub mod catalog;
pub mod common;
pub mod de;
pub mod policy;
pub mod route;

use schemars::generate::SchemaSettings;

pub use backend::AIServiceBackend;
pub use policy::BackendSecurityPolicy;
pub use route::AIGatewayRoute;

/// The three recognised kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Route,
    Backend,
    Policy,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Route, Kind::Backend, Kind::Policy];

    pub fn from_name(kind: &str) -> Option<Kind> {
        match kind {
            "AIGatewayRoute" => Some(Kind::Route),
            "AIServiceBackend" => Some(Kind::Backend),
            "BackendSecurityPolicy" => Some(Kind::Policy),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Route => "AIGatewayRoute",
            Kind::Backend => "AIServiceBackend",
            Kind::Policy => "BackendSecurityPolicy",
        }
    }

    /// The JSON Schema of this kind, every subschema inlined.
    pub fn json_schema(self) -> serde_json::Value {
        let generator = SchemaSettings::draft2020_12()
            .with(|s| s.inline_subschemas = true)
            .into_generator();
        let schema = match self {
            Kind::Route => generator.into_root_schema_for::<AIGatewayRoute>(),
            Kind::Backend => generator.into_root_schema_for::<AIServiceBackend>(),
            Kind::Policy => generator.into_root_schema_for::<BackendSecurityPolicy>(),
        };
        // `$schema` first, where readers look for it.
        let mut value = schema.to_value();
        match value.as_object_mut().map(|o| o.shift_remove("$schema")) {
            Some(Some(meta)) => {
                let mut ordered = serde_json::Map::new();
                ordered.insert("$schema".into(), meta);
                ordered.extend(
                    value
                        .as_object_mut()
                        .map(std::mem::take)
                        .unwrap_or_default(),
                );
                serde_json::Value::Object(ordered)
            }
            _ => value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Paths of properties without a description, anywhere in `schema`.
    fn undescribed(schema: &Value, path: &str, out: &mut Vec<String>) {
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let path = format!("{path}.{name}");
                let described = prop
                    .get("description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| !d.trim().is_empty());
                if !described {
                    out.push(path.clone());
                }
                undescribed(prop, &path, out);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(sub) = schema.get(key).filter(|s| s.is_object()) {
                undescribed(sub, &format!("{path}[]"), out);
            }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            for sub in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                undescribed(sub, path, out);
            }
        }
    }

    #[test]
    fn every_field_is_described() {
        for kind in Kind::ALL {
            let mut missing = Vec::new();
            undescribed(&kind.json_schema(), kind.name(), &mut missing);
            assert!(
                missing.is_empty(),
                "fields without a description: {missing:#?}"
            );
        }
    }

    #[test]
    fn api_version_and_kind_are_constants() {
        for kind in Kind::ALL {
            let schema = kind.json_schema();
            assert_eq!(
                schema["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
            assert_eq!(
                schema["properties"]["apiVersion"]["const"],
                crate::load::AI_GATEWAY_API_VERSION
            );
            assert_eq!(schema["properties"]["kind"]["const"], kind.name());
        }
    }
}
