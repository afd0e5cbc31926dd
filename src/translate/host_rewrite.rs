//! The per-namespace HTTPRouteFilter that rewrites the Host header to the
//! selected backend's hostname.

use serde::Serialize;

use super::*;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteFilterSpec {
    pub url_rewrite: UrlRewrite,
}

#[derive(Debug, Serialize)]
pub struct UrlRewrite {
    pub hostname: HostnameRewrite,
}

#[derive(Debug, Serialize)]
pub struct HostnameRewrite {
    #[serde(rename = "type")]
    pub rewrite_type: &'static str,
}

pub fn http_route_filter(namespace: &str) -> Derived {
    Derived::new(&Object {
        api_version: "gateway.envoyproxy.io/v1alpha1",
        kind: "HTTPRouteFilter",
        metadata: derived_metadata(HOST_REWRITE_FILTER.into(), namespace, &[]),
        spec: HttpRouteFilterSpec {
            url_rewrite: UrlRewrite {
                hostname: HostnameRewrite {
                    rewrite_type: "Backend",
                },
            },
        },
    })
}
