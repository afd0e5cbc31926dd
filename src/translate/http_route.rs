//! The HTTPRoute: one rule per distinct backend, selected by the header the
//! extproc filter sets, plus a catch-all rule to the first backend.

use serde::Serialize;

use super::*;
use crate::model::backend::Timeouts;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteSpec {
    pub parent_refs: Vec<ParentRef>,
    pub rules: Vec<HttpRouteRule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParentRef {
    pub name: String,
    pub namespace: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteRule {
    pub backend_refs: Vec<BackendRef>,
    pub filters: Vec<Filter>,
    pub matches: Vec<Match>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<Timeouts>,
}

#[derive(Debug, Serialize)]
pub struct BackendRef {
    pub group: String,
    pub kind: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<i32>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    #[serde(rename = "type")]
    pub filter_type: &'static str,
    pub extension_ref: ExtensionRef,
}

#[derive(Debug, Serialize)]
pub struct ExtensionRef {
    pub group: &'static str,
    pub kind: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Match {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<HeaderMatch>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathMatch>,
}

#[derive(Debug, Serialize)]
pub struct HeaderMatch {
    pub name: &'static str,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct PathMatch {
    pub value: &'static str,
}

fn host_rewrite() -> Vec<Filter> {
    vec![Filter {
        filter_type: "ExtensionRef",
        extension_ref: ExtensionRef {
            group: "gateway.envoyproxy.io",
            kind: "HTTPRouteFilter",
            name: HOST_REWRITE_FILTER,
        },
    }]
}

fn backend_ref(backend: &Item<AIServiceBackend>) -> BackendRef {
    let r = &backend.value.spec.backend_ref;
    BackendRef {
        group: r.group.clone(),
        kind: r.kind.clone(),
        name: r.name.clone(),
        namespace: r.namespace.clone(),
        port: r.port,
    }
}

pub fn http_route(ctx: &RouteContext) -> Derived {
    let backends = ctx.distinct_backends();
    let mut rules: Vec<HttpRouteRule> = backends
        .iter()
        .map(|b| HttpRouteRule {
            backend_refs: vec![backend_ref(b)],
            filters: host_rewrite(),
            matches: vec![Match {
                headers: Some(vec![HeaderMatch {
                    name: SELECTED_BACKEND_HEADER,
                    value: backend_key(b),
                }]),
                path: None,
            }],
            timeouts: b.value.spec.timeouts.clone(),
        })
        .collect();
    if let Some(first) = backends.first() {
        rules.push(HttpRouteRule {
            backend_refs: vec![backend_ref(first)],
            filters: host_rewrite(),
            matches: vec![Match {
                headers: None,
                path: Some(PathMatch { value: "/" }),
            }],
            timeouts: None,
        });
    }
    Derived::new(&Object {
        api_version: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: ctx.metadata(ctx.name().to_string(), &[]),
        spec: HttpRouteSpec {
            parent_refs: ctx
                .route
                .value
                .spec
                .target_refs
                .iter()
                .map(|t| ParentRef {
                    name: t.name.clone(),
                    namespace: ctx.namespace().into(),
                    section_name: t.section_name.clone(),
                })
                .collect(),
            rules,
        },
    })
}
