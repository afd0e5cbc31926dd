//! Command-line values that aigw writes into objects. A bad one is a usage
//! error (exit 2), reported by clap like any other invalid flag value,
//! before any input is read.

use regex_lite::Regex;
use std::sync::OnceLock;

use super::metadata::is_dns_label;

/// A container image reference, as the container runtime parses it
/// (distribution/reference): `[registry[:port]/]path[:tag][@digest]`, the
/// path in lowercase, no whitespace. The API server accepts any non-blank
/// string, but the kubelet refuses anything else (`InvalidImageName`).
fn image_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let domain_component = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        let host = format!(r"(?:{domain_component}(?:\.{domain_component})*|\[[a-fA-F0-9:]+\])");
        let domain = format!(r"{host}(?::[0-9]+)?");
        let path_component = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        let name = format!(r"(?:{domain}/)?{path_component}(?:/{path_component})*");
        // ASCII, as in Go's RE2: a Unicode `\w` repeated 128 times compiles
        // to an automaton that cost 95% of a one-route run.
        let tag = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
        let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
        Regex::new(&format!(r"^(?P<name>{name})(?::{tag})?(?:@{digest})?$")).ok()
    })
    .as_ref()
}

/// `--extproc-image`.
pub fn image_reference(value: &str) -> Result<String, String> {
    // The built-in default is valid (a test checks it): clap parses it on
    // every run, and building the regex would cost more than the run.
    if value == crate::translate::DEFAULT_EXTPROC_IMAGE {
        return Ok(value.to_string());
    }
    check_image(value)
}

/// [`image_reference`] for any value, the default included.
fn check_image(value: &str) -> Result<String, String> {
    let name_len = image_regex()
        .and_then(|re| re.captures(value))
        .and_then(|c| c.name("name"))
        .map(|m| m.as_str().len());
    match name_len {
        Some(len) if len <= 255 => Ok(value.to_string()),
        Some(_) => Err("the repository name is longer than 255 characters".into()),
        None if value.trim().is_empty() => Err("an image reference must not be empty".into()),
        None => Err(
            "not an image reference ([registry[:port]/]path[:tag][@digest], lowercase path, no spaces), e.g. docker.io/envoyproxy/ai-gateway-extproc:v0.1.5"
                .into(),
        ),
    }
}

/// `-n/--namespace`: it becomes `metadata.namespace` of every AI Gateway
/// object without one, and of everything derived from them.
pub fn namespace(value: &str) -> Result<String, String> {
    if is_dns_label(value) {
        Ok(value.to_string())
    } else {
        Err("a namespace is a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images() {
        for ok in [
            crate::translate::DEFAULT_EXTPROC_IMAGE,
            "envoyproxy/ai-gateway-extproc",
            "ai-gateway-extproc",
            "localhost:5000/extproc:dev",
            "registry.example.com:443/team/extproc@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ghcr.io/org/img:1.0_rc-2@sha256:0123456789abcdef0123456789abcdef",
            "[::1]:5000/img",
            "a__b/c.d-e:latest",
        ] {
            assert!(check_image(ok).is_ok(), "{ok}");
            assert!(image_reference(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            " ",
            " docker.io/envoyproxy/ai-gateway-extproc:v0.1.5",
            "docker.io/envoyproxy/ai-gateway-extproc:v0.1.5 ",
            "docker.io/EnvoyProxy/extproc",
            "img:",
            "img:vé",
            "img:-tag",
            "img@sha256:123",
            "img:a b",
            "/img",
            "img/",
            "a//b",
            "img:tag:tag",
        ] {
            assert!(check_image(bad).is_err(), "{bad:?}");
            assert!(image_reference(bad).is_err(), "{bad:?}");
        }
        let long = format!("a/{}", "b".repeat(254));
        assert!(image_reference(&long).is_err());
    }

    #[test]
    fn namespaces() {
        assert!(namespace("default").is_ok());
        assert!(namespace("ai-gw-2").is_ok());
        for bad in ["", " ", "Default", "a.b", "-a", &"a".repeat(64)] {
            assert!(namespace(bad).is_err(), "{bad:?}");
        }
    }
}
