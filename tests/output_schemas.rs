//! Property: for every valid testdata case, every rendered object satisfies
//! the schema of its own kind — the upstream Gateway API and Envoy Gateway
//! CRDs for HTTPRoute, EnvoyExtensionPolicy and HTTPRouteFilter (read from
//! `../shared/reference/` at test time), and the Kubernetes name and label
//! rules for ConfigMap, Deployment and Service.

use std::path::{Path, PathBuf};

use aigw::diagnostics::Code;
use aigw::schema::{compile, Schema};
use aigw::validate::metadata::{is_dns_label, is_dns_subdomain};
mod common;
use common::reference_dir;
use serde_json::Value;

/// The schema of `version` in a CRD file, with every object closed: an
/// unknown field in our output would be silently pruned by the API server.
fn output_schema(path: &Path, version: &str) -> Schema {
    let text = std::fs::read_to_string(path).expect("read CRD");
    let crd: Value = serde_yaml::from_str(&text).expect("parse CRD");
    let versions = crd["spec"]["versions"].as_array().expect("versions");
    let v = versions
        .iter()
        .find(|v| v["name"] == version)
        .expect("version");
    let mut schema = compile(&v["schema"]["openAPIV3Schema"]);
    close(&mut schema);
    schema
}

fn close(schema: &mut Schema) {
    if !schema.properties.is_empty() {
        schema.closed = true;
    }
    for (_, s) in &mut schema.properties {
        close(s);
    }
    if let Some(items) = &mut schema.items {
        close(items);
    }
}

fn label_value_ok(v: &str) -> bool {
    v.len() <= 63
        && (v.is_empty()
            || (v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                && v.starts_with(|c: char| c.is_ascii_alphanumeric())
                && v.ends_with(|c: char| c.is_ascii_alphanumeric())))
}

fn check_core(object: &Value, problems: &mut Vec<String>, what: &str) {
    let meta = &object["metadata"];
    let name = meta["name"].as_str().unwrap_or("");
    let kind = object["kind"].as_str().unwrap_or("");
    let name_ok = match kind {
        // Service names are DNS-1035 labels.
        "Service" => is_dns_label(name) && name.starts_with(|c: char| c.is_ascii_lowercase()),
        _ => is_dns_subdomain(name),
    };
    if !name_ok {
        problems.push(format!("{what}: invalid {kind} name {name:?}"));
    }
    let selector = if kind == "Service" {
        &object["spec"]["selector"]
    } else {
        &object["spec"]["selector"]["matchLabels"]
    };
    for labels in [
        &meta["labels"],
        &object["spec"]["template"]["metadata"]["labels"],
        selector,
    ] {
        for (k, v) in labels.as_object().into_iter().flatten() {
            if !label_value_ok(v.as_str().unwrap_or("-")) || k.len() > 253 + 1 + 63 {
                problems.push(format!("{what}: invalid label {k}={v}"));
            }
        }
    }
    let pod = &object["spec"]["template"]["spec"];
    for c in pod["containers"].as_array().into_iter().flatten() {
        if !is_dns_label(c["name"].as_str().unwrap_or("")) {
            problems.push(format!("{what}: invalid container name {}", c["name"]));
        }
    }
    for v in pod["volumes"].as_array().into_iter().flatten() {
        if !is_dns_label(v["name"].as_str().unwrap_or("")) {
            problems.push(format!("{what}: invalid volume name {}", v["name"]));
        }
    }
    if kind == "ConfigMap" {
        let size: usize = object["data"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
            .sum();
        if size > 1024 * 1024 {
            problems.push(format!("{what}: ConfigMap of {size} bytes"));
        }
    }
}

#[test]
fn rendered_objects_satisfy_their_schemas() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let eep = output_schema(
        &reference.join("envoy-gateway-v1.3.0/crd-envoyextensionpolicies.yaml"),
        "v1alpha1",
    );
    let filter = output_schema(
        &reference.join("envoy-gateway-v1.3.0/crd-httproutefilters.yaml"),
        "v1alpha1",
    );
    let route = output_schema(
        &reference.join("gateway-api-v1.2.1/crd-httproutes.yaml"),
        "v1",
    );

    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&testdata)
        .expect("testdata")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/quickstart"));
    cases.sort();
    let mut checked = 0;
    let mut problems = Vec::new();
    for case in cases {
        let compiled = aigw::compile(
            std::slice::from_ref(&case),
            &mut std::io::empty(),
            &aigw::Options::default(),
        )
        .expect("read case");
        let Some(output) = compiled.output else {
            continue;
        };
        for object in &output.derived {
            let kind = object["kind"].as_str().unwrap_or("");
            let what = format!("{}: {kind} {}", case.display(), object["metadata"]["name"]);
            let schema = match kind {
                "EnvoyExtensionPolicy" => &eep,
                "HTTPRouteFilter" => &filter,
                "HTTPRoute" => &route,
                _ => {
                    check_core(object, &mut problems, &what);
                    checked += 1;
                    continue;
                }
            };
            let mut found = Vec::new();
            aigw::validate::schema::validate(&common::node(object), schema, &mut found);
            // CEL rules of these CRDs are not implemented by aigw's input
            // validator (their effects are checked in validate::output).
            for d in found
                .iter()
                .filter(|d| !(d.code == Code::CrdRule && d.message.contains("no implementation")))
            {
                problems.push(format!("{what}: {} {}", d.code, d.message));
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} rendered objects checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
