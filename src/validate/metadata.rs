//! Object metadata checks the API server makes for every custom resource.

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};
use crate::schema::native;

/// Whether `s` is a DNS-1123 subdomain (at most 253 characters).
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && native::is_subdomain(s)
}

/// Whether `s` is a DNS-1123 label (at most 63 characters).
pub fn is_dns_label(s: &str) -> bool {
    s.len() <= 63 && native::is_label(s)
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
