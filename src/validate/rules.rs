//! Native implementations of the CRDs' `x-kubernetes-validations` CEL rules.
//!
//! Each rule is looked up by its exact CEL text, so the schema keeps the
//! CRD's wording and a test checks that every rule in the schema has an
//! implementation here.

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};
use crate::model::backend::TIMEOUTS_RULE;
use crate::model::common::SERVICE_PORT_RULE;
use crate::model::policy::{PROVIDER_RETRY_TIMEOUT_RULE, PROVIDER_STATUS_CODES_RULE};
use crate::schema::CrdRule;

use super::schema::parse_go_duration;

/// A rule violation: the message and the field (relative to the object the
/// rule is on) to point at.
struct Violation {
    message: String,
    at: Path,
}

type RuleFn = fn(&Node) -> Option<Violation>;

/// Every rule text aigw implements, with its implementation.
fn implementation(rule: &str) -> Option<RuleFn> {
    Some(match rule {
        SERVICE_PORT_RULE => service_port,
        "self.name == 'OpenAI'" => route_schema_openai,
        "self.all(match, match.type != 'RegularExpression')" => exact_headers_only,
        TIMEOUTS_RULE => timeouts_order,
        "!has(self.backendRef)" => |n| has(n, "backendRef").then(|| violation("backendRef")),
        PROVIDER_RETRY_TIMEOUT_RULE => |n| {
            n.at(&Path::parse("backendSettings.retry.perRetry.timeout"))
                .map(|_| violation("backendSettings.retry.perRetry.timeout"))
        },
        PROVIDER_STATUS_CODES_RULE => |n| {
            n.at(&Path::parse(
                "backendSettings.retry.retryOn.httpStatusCodes",
            ))
            .map(|_| violation("backendSettings.retry.retryOn.httpStatusCodes"))
        },
        "self.type == 'HTTP' ? has(self.http) : !has(self.http)" => |n| type_iff(n, "HTTP", "http"),
        "self.type == 'TCP' ? has(self.tcp) : !has(self.tcp)" => |n| type_iff(n, "TCP", "tcp"),
        "has(self.grpc) ? self.type == 'GRPC' : true" => {
            |n| (has(n, "grpc") && n.get_str("type") != Some("GRPC")).then(|| violation("grpc"))
        }
        "self.type == 'Text' ? has(self.text) : !has(self.text)" => |n| type_iff(n, "Text", "text"),
        "self.type == 'Binary' ? has(self.binary) : !has(self.binary)" => {
            |n| type_iff(n, "Binary", "binary")
        }
        "self.type == 'Header' ? has(self.header) : !has(self.header)" => {
            |n| type_iff(n, "Header", "header")
        }
        "self.type == 'Cookie' ? has(self.cookie) : !has(self.cookie)" => {
            |n| type_iff(n, "Cookie", "cookie")
        }
        "self.type == 'ConsistentHash' ? has(self.consistentHash) : !has(self.consistentHash)" => {
            |n| type_iff(n, "ConsistentHash", "consistentHash")
        }
        "self.type in ['Random', 'ConsistentHash'] ? !has(self.slowStart) : true " => |n| {
            (matches!(n.get_str("type"), Some("Random" | "ConsistentHash")) && has(n, "slowStart"))
                .then(|| violation("slowStart"))
        },
        _ => return None,
    })
}

/// Whether aigw implements `rule` (used by the schema tests).
pub fn is_implemented(rule: &str) -> bool {
    implementation(rule).is_some()
}

/// Checks one rule on the node it is attached to (at `path`).
pub fn check(rule: &CrdRule, node: &Node, path: &Path) -> Option<Diagnostic> {
    let Some(run) = implementation(rule.rule) else {
        // Unreachable for the shipped schema (a test enforces it); report
        // rather than silently accept.
        return Some(
            Diagnostic::new(
                Code::CrdRule,
                format!(
                    "{path}: aigw has no implementation of the rule `{}`",
                    rule.rule
                ),
            )
            .at(node.span)
            .path(path),
        );
    };
    let violation = run(node)?;
    let message = rule.message.map_or(violation.message, str::to_string);
    Some(
        Diagnostic::new(Code::CrdRule, format!("{path}: {message}"))
            .at(node.locate(&violation.at))
            .path(path)
            .help(format!("CRD rule: {}", rule.rule.trim())),
    )
}

fn has(node: &Node, field: &str) -> bool {
    node.get(field).is_some()
}

fn violation(at: &str) -> Violation {
    Violation {
        message: String::new(),
        at: Path::parse(at),
    }
}

/// `self.type == 'T' ? has(self.f) : !has(self.f)`
fn type_iff(node: &Node, type_value: &str, field: &str) -> Option<Violation> {
    let is_type = node.get_str("type") == Some(type_value);
    (is_type != has(node, field)).then(|| violation(if is_type { "type" } else { field }))
}

fn service_port(node: &Node) -> Option<Violation> {
    let group = node.get_str("group").unwrap_or("");
    let kind = node.get_str("kind").unwrap_or("");
    (group.is_empty() && kind == "Service" && !has(node, "port")).then(|| violation("name"))
}

fn route_schema_openai(node: &Node) -> Option<Violation> {
    let name = node.get_str("name")?;
    (name != "OpenAI").then(|| Violation {
        message: format!("the route's input schema must be OpenAI (v0.1 routes accept only OpenAI requests), found \"{name}\""),
        at: Path::parse("name"),
    })
}

fn exact_headers_only(node: &Node) -> Option<Violation> {
    let index = node
        .as_seq()?
        .iter()
        .position(|h| h.get_str("type") == Some("RegularExpression"))?;
    Some(Violation {
        message: String::new(),
        at: Path::root().index(index).key("type"),
    })
}

fn timeouts_order(node: &Node) -> Option<Violation> {
    let duration = |field: &str| node.get_str(field).and_then(parse_go_duration);
    let (request, backend) = (duration("request")?, duration("backendRequest")?);
    (request != 0 && backend > request).then(|| violation("backendRequest"))
}
