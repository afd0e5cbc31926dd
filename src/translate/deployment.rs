//! The extproc Deployment: one container running the filter, its config
//! mounted from the ConfigMap and one Secret volume per secured backendRef.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, Container, ContainerPort, PodSpec, PodTemplateSpec, ResourceClaim,
    ResourceRequirements, SecretVolumeSource, Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::*;
use crate::model::policy::PolicyType;
use crate::model::route;

pub fn deployment(ctx: &RouteContext, uuid: &str) -> Derived {
    let name = ctx.extproc_name();
    let external = ctx
        .route
        .value
        .spec
        .filter_config
        .as_ref()
        .and_then(|f| f.external_processor.as_ref());

    let mut volumes = vec![Volume {
        name: "config".into(),
        config_map: Some(ConfigMapVolumeSource {
            name: name.clone(),
            ..Default::default()
        }),
        ..Default::default()
    }];
    let mut mounts = vec![VolumeMount {
        name: "config".into(),
        mount_path: CONFIG_MOUNT_PATH.into(),
        read_only: Some(true),
        ..Default::default()
    }];
    for r in ctx.refs() {
        let (Some(policy), Some(volume)) = (r.policy, r.volume()) else {
            continue;
        };
        let Some(secret) = secret_name(policy) else {
            continue;
        };
        volumes.push(Volume {
            name: volume.clone(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(secret),
                ..Default::default()
            }),
            ..Default::default()
        });
        mounts.push(VolumeMount {
            name: volume.clone(),
            mount_path: format!("{POLICY_MOUNT_ROOT}/{volume}"),
            read_only: Some(true),
            ..Default::default()
        });
    }

    let container = Container {
        name: name.clone(),
        image: Some(ctx.options.image.clone()),
        image_pull_policy: Some(ctx.options.pull_policy.clone()),
        ports: Some(vec![ContainerPort {
            name: Some("grpc".into()),
            container_port: EXTPROC_PORT,
            ..Default::default()
        }]),
        args: Some(vec![
            "-configPath".into(),
            format!("{CONFIG_MOUNT_PATH}/{CONFIG_FILE_NAME}"),
            "-logLevel".into(),
            ctx.options.log_level.clone(),
        ]),
        resources: external.and_then(|e| e.resources.as_ref()).map(resources),
        volume_mounts: Some(mounts),
        ..Default::default()
    };

    let selector = ctx.selector_labels();
    // k8s-openapi's typed Deployment inlines every volume source in each
    // Volume, about 45 KB per route with nine policy volumes (its JSON
    // tree 11 KB, the text 3 KB): it lives only until it is text.
    Derived::new(&Deployment {
        metadata: ctx.metadata(name.clone(), &[("app", &name)]),
        spec: Some(DeploymentSpec {
            replicas: external.and_then(|e| e.replicas),
            selector: LabelSelector {
                match_labels: Some(selector.clone()),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(selector),
                    annotations: Some(BTreeMap::from([(
                        UUID_ANNOTATION.to_string(),
                        uuid.to_string(),
                    )])),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![container],
                    volumes: Some(volumes),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// The Secret a policy's credentials are mounted from.
pub fn secret_name(policy: &Item<BackendSecurityPolicy>) -> Option<String> {
    let spec = &policy.value.spec;
    match spec.policy_type {
        PolicyType::APIKey => Some(spec.api_key.as_ref()?.secret_ref.name.clone()),
        PolicyType::AWSCredentials => {
            let aws = spec.aws_credentials.as_ref()?;
            match (&aws.credentials_file, &aws.oidc_exchange_token) {
                (Some(file), _) => Some(file.secret_ref.name.clone()),
                (None, Some(_)) => Some(format!("ai-eg-bsp-{}", policy.name)),
                (None, None) => None,
            }
        }
    }
}

fn resources(r: &route::ResourceRequirements) -> ResourceRequirements {
    let quantities = |m: &Option<BTreeMap<String, crate::model::common::Quantity>>| {
        m.as_ref().map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let text = match &v.0 {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), Quantity(text))
                })
                .collect()
        })
    };
    ResourceRequirements {
        claims: r.claims.as_ref().map(|claims| {
            claims
                .iter()
                .map(|c| ResourceClaim {
                    name: c.name.clone(),
                    request: c.request.clone(),
                })
                .collect()
        }),
        limits: quantities(&r.limits),
        requests: quantities(&r.requests),
    }
}
