//! Object metadata checks the API server makes for every custom resource.

use regex_lite::Regex;
use std::sync::OnceLock;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};

const DNS1123_SUBDOMAIN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const DNS1123_LABEL: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

fn regex(pattern: &'static str, cell: &'static OnceLock<Option<Regex>>) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// Whether `s` is a DNS-1123 subdomain (at most 253 characters).
pub fn is_dns_subdomain(s: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    s.len() <= 253 && regex(DNS1123_SUBDOMAIN, &RE).is_some_and(|r| r.is_match(s))
}

/// Whether `s` is a DNS-1123 label (at most 63 characters).
pub fn is_dns_label(s: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    s.len() <= 63 && regex(DNS1123_LABEL, &RE).is_some_and(|r| r.is_match(s))
}

pub fn check(object: &Node, out: &mut Vec<Diagnostic>) {
    let mut field = |path: &str, ok: fn(&str) -> bool, what: &str| {
        let path = Path::parse(path);
        if let Some(value) = object.at(&path).and_then(Node::as_str) {
            if !ok(value) {
                out.push(
                    Diagnostic::new(Code::InvalidMetadata, format!("{path}: \"{value}\" is not a valid {what}"))
                        .at(object.locate(&path))
                        .path(&path)
                        .help(format!("a {what}: lowercase letters, digits and '-'{}, starting and ending with a letter or digit", if what.contains("subdomain") { " or '.'" } else { "" })),
                );
            }
        }
    };
    field(
        "metadata.name",
        is_dns_subdomain,
        "name (DNS-1123 subdomain, at most 253 characters)",
    );
    field(
        "metadata.namespace",
        is_dns_label,
        "namespace (DNS-1123 label, at most 63 characters)",
    );
}
