//! Stage 2: typed models of the three AI Gateway input kinds.
//!
//! These types are the single source of the input schema: their derived
//! JSON Schema (`schemars`, with the CRD's limits as attributes) drives
//! defaulting and validation, and serde reads validated objects into them.

pub mod backend;
pub mod catalog;
pub mod common;
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
            .with(|s| {
                s.inline_subschemas = true;
                s.meta_schema = None;
            })
            .into_generator();
        let schema = match self {
            Kind::Route => generator.into_root_schema_for::<AIGatewayRoute>(),
            Kind::Backend => generator.into_root_schema_for::<AIServiceBackend>(),
            Kind::Policy => generator.into_root_schema_for::<BackendSecurityPolicy>(),
        };
        schema.to_value()
    }
}
