//! The Service in front of the extproc pods (gRPC on port 1063).

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};

use super::*;

pub fn service(ctx: &RouteContext) -> Derived {
    let name = ctx.extproc_name();
    Derived::new(&Service {
        metadata: ctx.metadata(name.clone(), &[("app", &name)]),
        spec: Some(ServiceSpec {
            selector: Some(ctx.selector_labels()),
            ports: Some(vec![ServicePort {
                name: Some("grpc".into()),
                protocol: Some("TCP".into()),
                port: EXTPROC_PORT,
                app_protocol: Some("grpc".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    })
}
