//! Apply-safe order of the pass-through objects (SPEC 4.1).
//!
//! One `kubectl apply` of the stream must work on an empty cluster, so the
//! objects others depend on come first: Namespaces and CRDs, then the kind
//! order kustomize's `legacy` sort uses (Helm's install order is close to
//! it), unknown kinds after the known ones, and the admission webhooks last,
//! because a webhook whose Service is not running yet blocks every later
//! object. Within a rank the input order is kept.

use crate::load::Original;

/// Kinds placed first, in this order: kustomize's legacy `orderFirst` list
/// with Namespace and CustomResourceDefinition moved to the front.
const FIRST: &[&str] = &[
    "Namespace",
    "CustomResourceDefinition",
    "ResourceQuota",
    "StorageClass",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// Kinds placed after every other kind (kustomize's `orderLast`).
const LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The install rank of a kind: lower ranks are applied first.
pub fn install_rank(kind: &str) -> usize {
    if let Some(i) = FIRST.iter().position(|k| *k == kind) {
        i
    } else if let Some(i) = LAST.iter().position(|k| *k == kind) {
        FIRST.len() + 1 + i
    } else {
        FIRST.len()
    }
}

/// Sorts objects into install order; stable, so input order is kept within a rank.
pub fn sort_for_install(objects: &mut [Original]) {
    objects.sort_by_key(|o| install_rank(o.kind()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn kinds(objects: &[Value]) -> Vec<&str> {
        objects.iter().filter_map(|o| o["kind"].as_str()).collect()
    }

    #[test]
    fn dependencies_first_webhooks_last_stable_within_a_kind() {
        let objects = vec![
            json!({"kind": "ValidatingWebhookConfiguration", "n": 1}),
            json!({"kind": "Gateway", "n": 1}),
            json!({"kind": "Deployment"}),
            json!({"kind": "Secret", "n": 1}),
            json!({"kind": "GatewayClass"}),
            json!({"kind": "Namespace"}),
            json!({"kind": "Gateway", "n": 2}),
            json!({"kind": "Secret", "n": 2}),
            json!({"kind": "CustomResourceDefinition"}),
            json!({}),
        ];
        let mut nodes: Vec<Original> = objects
            .iter()
            .map(|o| Original::Tree(crate::defaults::from_json(o, Default::default())))
            .collect();
        sort_for_install(&mut nodes);
        let objects: Vec<Value> = nodes.iter().map(Original::to_json).collect();
        assert_eq!(
            kinds(&objects),
            [
                "Namespace",
                "CustomResourceDefinition",
                "Secret",
                "Secret",
                "Deployment",
                "Gateway",
                "GatewayClass",
                "Gateway",
                "ValidatingWebhookConfiguration"
            ]
        );
        assert_eq!(objects[2]["n"], 1);
        assert_eq!(objects[3]["n"], 2);
        assert_eq!(objects[5]["n"], 1);
        assert_eq!(objects[7]["n"], 2);
        // An object without a kind (never reached from valid input) ranks with the unknown ones.
        assert_eq!(objects[8], json!({}));
    }
}
