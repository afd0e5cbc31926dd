//! The planner for manifests of the built-in releases after v0.1 (v0.5
//! on), over the objects the source release admitted. Between v0.5 and
//! v1.1 the CRDs removed one field and tightened one limit, and v0.6
//! began serving `v1beta1`:
//!
//! - `apiVersion` `v1alpha1` → `v1beta1` for every kind the target serves
//!   as `v1beta1` (QuotaPolicy stays `v1alpha1`: no release serves more);
//! - the route's `filterConfig` (gone in v0.6) → a GatewayConfig and the
//!   Gateway's annotation, with the move the v0.1 planner makes;
//! - a route over 15 rules (v0.7's limit) is refused with the choices.
//!
//! Constraints a later release tightened elsewhere (bounds, CEL rules)
//! are not edits: the proof admits the result with the target's CRDs and
//! names any object they reject.

use std::collections::BTreeMap;

use crate::admit::Admitted;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};
use crate::load::AI_GATEWAY_GROUP;

use super::release::{V0_6, V0_7};
use super::{Planner, MAX_RULES_V0_7};

impl Planner<'_> {
    pub(super) fn plan_release(&mut self, admitted: &[Admitted]) {
        let target = crate::admit::Release::find(&self.to.to_string()).and_then(|r| r.api().ok());
        let serves_v1beta1 = |kind: &str| {
            target.as_ref().is_some_and(|api| {
                api.schema(&format!("{AI_GATEWAY_GROUP}/v1beta1"), kind)
                    .is_some()
            })
        };
        let mut configs = BTreeMap::new();
        for object in admitted {
            // The tree as read moved to the output; the defaulted tree
            // has its span.
            let span = object.defaulted.span;
            let Some(node) = self.passthrough.iter().find(|n| n.span == span) else {
                continue;
            };
            let display = object.display.as_str();
            if self.to >= V0_6
                && object.api_version.ends_with("/v1alpha1")
                && serves_v1beta1(&object.kind)
            {
                self.api_version(node, display);
            }
            if object.kind != "AIGatewayRoute" {
                continue;
            }
            let Some(spec) = node.get("spec") else {
                continue;
            };
            let rules = spec
                .get("rules")
                .and_then(Node::as_seq)
                .map_or(0, <[Node]>::len);
            if self.to >= V0_7 && rules > MAX_RULES_V0_7 {
                let path = Path::parse("spec.rules");
                self.report.push(
                    Diagnostic::new(
                        Code::MigrateLimit,
                        format!("the route has {rules} rules; {} allows at most {MAX_RULES_V0_7} per route", self.to),
                    )
                    .object(display.to_string())
                    .path(&path)
                    .at(node.locate(&path))
                    .help("split the route into several AIGatewayRoutes of at most 15 rules each on the same parentRefs (several routes may share a Gateway), or migrate to v0.6 for now (--to v0.6)"),
                );
            }
            let Some(filter) = spec.entry("filterConfig") else {
                continue;
            };
            if self.to < V0_6 {
                continue;
            }
            // The Gateways the route attaches to (parentRefs of kind Gateway).
            let gateways: Vec<(String, String)> = spec
                .get("parentRefs")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter(|p| p.get_str("kind").is_none_or(|k| k == "Gateway"))
                .filter_map(|p| {
                    let name = p.get_str("name")?;
                    let ns = p.get_str("namespace").unwrap_or(&object.namespace);
                    Some((ns.to_string(), name.to_string()))
                })
                .collect();
            self.filter_config(display, &gateways, filter, &mut configs);
        }
        for ((namespace, gateway), wanted) in configs {
            self.gateway_config(&namespace, &gateway, wanted);
        }
    }
}
