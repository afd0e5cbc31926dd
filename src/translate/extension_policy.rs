//! The EnvoyExtensionPolicy that inserts the extproc filter into the
//! targeted Gateways.

use serde::Serialize;

use super::*;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvoyExtensionPolicySpec {
    pub target_refs: Vec<PolicyTargetRef>,
    pub ext_proc: Vec<ExtProc>,
}

/// LocalPolicyTargetReference: no sectionName, which this CRD rejects.
#[derive(Debug, Serialize)]
pub struct PolicyTargetRef {
    pub group: String,
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtProc {
    pub backend_refs: Vec<ExtProcBackendRef>,
    pub processing_mode: ProcessingMode,
    pub metadata: ExtProcMetadata,
}

#[derive(Debug, Serialize)]
pub struct ExtProcBackendRef {
    pub name: String,
    pub namespace: String,
    pub port: i32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessingMode {
    pub allow_mode_override: bool,
    pub request: BodyMode,
    pub response: BodyMode,
}

#[derive(Debug, Serialize)]
pub struct BodyMode {
    pub body: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtProcMetadata {
    pub writable_namespaces: Vec<&'static str>,
}

pub fn extension_policy(ctx: &RouteContext) -> Derived {
    let name = ctx.extproc_name();
    Derived::new(&Object {
        api_version: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyExtensionPolicy",
        metadata: ctx.metadata(name.clone(), &[]),
        spec: EnvoyExtensionPolicySpec {
            target_refs: ctx
                .route
                .value
                .spec
                .target_refs
                .iter()
                .map(|t| PolicyTargetRef {
                    group: t.group.clone(),
                    kind: t.kind.clone(),
                    name: t.name.clone(),
                })
                .collect(),
            ext_proc: vec![ExtProc {
                backend_refs: vec![ExtProcBackendRef {
                    name,
                    namespace: ctx.namespace().into(),
                    port: EXTPROC_PORT,
                }],
                processing_mode: ProcessingMode {
                    allow_mode_override: true,
                    request: BodyMode { body: "Buffered" },
                    response: BodyMode { body: "Buffered" },
                },
                metadata: ExtProcMetadata {
                    writable_namespaces: vec![METADATA_NAMESPACE],
                },
            }],
        },
    })
}
