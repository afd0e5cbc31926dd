//! The extproc filter configuration and the ConfigMap that carries it.

use std::collections::BTreeMap;

use serde::Serialize;

use sha2::{Digest, Sha256};

use super::*;
use crate::model::policy::PolicyType;
use crate::model::route::{ApiSchema, ApiSchemaName, CostType};

/// The configuration file read by the extproc binary; field names are the
/// binary's. Serialised with every mapping's keys sorted, as upstream does:
/// the fields of these types are declared in that order (a test checks it),
/// so no re-sorting is needed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm_request_costs: Option<Vec<Cost>>,
    pub metadata_namespace: String,
    pub model_name_header_key: String,
    pub rules: Vec<Rule>,
    pub schema: VersionedSchema,
    pub selected_backend_header_key: String,
    pub uuid: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cel: Option<String>,
    pub metadata_key: String,
    #[serde(rename = "type")]
    pub cost_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub backends: Vec<Backend>,
    pub headers: Vec<Header>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Backend {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    pub name: String,
    pub schema: VersionedSchema,
    pub weight: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Auth {
    ApiKey {
        filename: String,
    },
    Aws {
        #[serde(rename = "credentialFileName")]
        credential_file_name: String,
        region: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionedSchema {
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl From<&ApiSchema> for VersionedSchema {
    fn from(schema: &ApiSchema) -> Self {
        VersionedSchema {
            name: match schema.name {
                ApiSchemaName::OpenAI => "OpenAI",
                ApiSchemaName::AWSBedrock => "AWSBedrock",
            },
            version: schema.version.clone().filter(|v| !v.is_empty()),
        }
    }
}

/// The rendered configuration: the struct (for its uuid) and its YAML text.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub uuid: String,
    pub yaml: String,
}

/// Builds the filter configuration of a route, uuid included.
pub fn filter_config(ctx: &RouteContext) -> Rendered {
    let spec = &ctx.route.value.spec;
    let rules = spec
        .rules
        .iter()
        .zip(&ctx.rules)
        .map(|(rule, refs)| Rule {
            backends: refs.iter().map(backend).collect(),
            headers: rule
                .matches
                .iter()
                .flatten()
                .filter_map(|m| m.headers.as_ref()?.first())
                .map(|h| Header {
                    name: h.name.clone(),
                    value: h.value.clone(),
                })
                .collect(),
        })
        .collect();
    let mut config = FilterConfig {
        llm_request_costs: spec.llm_request_costs.as_ref().map(|costs| {
            costs
                .iter()
                .map(|c| Cost {
                    metadata_key: c.metadata_key.clone(),
                    cost_type: match c.cost_type {
                        CostType::InputToken => "InputToken",
                        CostType::OutputToken => "OutputToken",
                        CostType::TotalToken => "TotalToken",
                        CostType::Cel => "CEL",
                    },
                    cel: c.cel.clone().filter(|_| c.cost_type == CostType::Cel),
                })
                .collect()
        }),
        metadata_namespace: METADATA_NAMESPACE.into(),
        model_name_header_key: MODEL_NAME_HEADER.into(),
        rules,
        schema: (&spec.schema).into(),
        selected_backend_header_key: SELECTED_BACKEND_HEADER.into(),
        uuid: String::new(),
    };
    // The uuid is derived from everything else, so it changes exactly when
    // the configuration does (upstream draws a random one per reconcile).
    let without_uuid = to_yaml(&config);
    config.uuid = uuid_of(&without_uuid);
    // `uuid` sorts last, so only the last line changes.
    let yaml = match without_uuid.strip_suffix("uuid: ''\n") {
        Some(head) => {
            let line = crate::emit::yaml::to_yaml(&serde_json::json!({ "uuid": config.uuid }));
            format!("{head}{line}")
        }
        None => to_yaml(&config),
    };
    Rendered {
        uuid: config.uuid,
        yaml,
    }
}

fn backend(r: &ResolvedRef) -> Backend {
    let auth = r.policy.zip(r.volume()).and_then(|(policy, volume)| {
        let dir = format!("{POLICY_MOUNT_ROOT}/{volume}");
        match policy.value.spec.policy_type {
            PolicyType::APIKey => Some(Auth::ApiKey {
                filename: format!("{dir}/apiKey"),
            }),
            PolicyType::AWSCredentials => {
                let aws = policy.value.spec.aws_credentials.as_ref()?;
                Some(Auth::Aws {
                    credential_file_name: format!("{dir}/credentials"),
                    region: aws.region.clone(),
                })
            }
        }
    });
    Backend {
        auth,
        name: backend_key(r.backend),
        schema: (&r.backend.value.spec.schema).into(),
        weight: r.weight,
    }
}

fn to_yaml<T: Serialize>(value: &T) -> String {
    crate::emit::yaml::to_yaml(&to_json(value))
}

#[cfg(test)]
fn sort_keys(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<String, Value> =
                map.into_iter().map(|(k, v)| (k, sort_keys(v))).collect();
            Value::Object(sorted.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sort_keys).collect()),
        other => other,
    }
}

/// A UUID-formatted digest (version 8, RFC 9562 custom) of `text`.
pub fn uuid_of(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A ConfigMap as written: k8s-openapi's writes its fields in
/// alphabetical order (`data` before `metadata`), and every output object
/// starts with apiVersion, kind and metadata.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfigMapOut<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: ObjectMeta,
    data: BTreeMap<&'static str, &'a str>,
}

/// The ConfigMap with the filter config, and the bytes of its data.
pub fn config_map(ctx: &RouteContext, config: &Rendered) -> (Derived, usize) {
    let config_map = Derived::new(&ConfigMapOut {
        api_version: "v1",
        kind: "ConfigMap",
        metadata: ctx.metadata(ctx.extproc_name(), &[]),
        data: BTreeMap::from([(CONFIG_FILE_NAME, config.yaml.as_str())]),
    });
    (config_map, CONFIG_FILE_NAME.len() + config.yaml.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every optional part present, so every mapping of the format is seen.
    fn full_config() -> FilterConfig {
        let schema = || VersionedSchema {
            name: "OpenAI",
            version: Some("v1".into()),
        };
        let backend = |auth| Backend {
            auth: Some(auth),
            name: "b.ns".into(),
            schema: schema(),
            weight: 1,
        };
        FilterConfig {
            llm_request_costs: Some(vec![Cost {
                cel: Some("input_tokens".into()),
                metadata_key: "k".into(),
                cost_type: "CEL",
            }]),
            metadata_namespace: METADATA_NAMESPACE.into(),
            model_name_header_key: MODEL_NAME_HEADER.into(),
            rules: vec![Rule {
                backends: vec![
                    backend(Auth::ApiKey {
                        filename: "f".into(),
                    }),
                    backend(Auth::Aws {
                        credential_file_name: "c".into(),
                        region: "r".into(),
                    }),
                ],
                headers: vec![Header {
                    name: "n".into(),
                    value: "v".into(),
                }],
            }],
            schema: schema(),
            selected_backend_header_key: SELECTED_BACKEND_HEADER.into(),
            uuid: String::new(),
        }
    }

    #[test]
    fn fields_are_declared_in_sorted_order() {
        let value = to_json(&full_config());
        assert_eq!(value, sort_keys(value.clone()));
        let order = |v: &Value| -> Vec<String> {
            fn keys(v: &Value, out: &mut Vec<String>) {
                match v {
                    Value::Object(map) => {
                        for (k, v) in map {
                            out.push(k.clone());
                            keys(v, out);
                        }
                    }
                    Value::Array(items) => items.iter().for_each(|i| keys(i, out)),
                    _ => {}
                }
            }
            let mut out = Vec::new();
            keys(v, &mut out);
            out
        };
        // serde_json maps keep insertion order, so equal values with a
        // different key order compare equal: compare the orders themselves.
        assert_eq!(order(&value), order(&sort_keys(value.clone())));
    }
}
