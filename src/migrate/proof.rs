//! The proof every migration runs before anything is written: the
//! migrated files are admitted by the target release's API (the CRD
//! schemas and CEL rules of `aigw validate --release TO`), and the
//! effective routing before and after is compared structurally.
//!
//! The routing is the one projection `aigw routes` and `aigw diff` use
//! ([`crate::routes::projection`]), of the objects of either release as
//! written: per Gateway its routes, per rule the header matches, the
//! backends (weight, share, priority, destination, schema, auth) and the
//! timeouts, plus the route's cost keys, hostnames and extproc resources.
//! The documented intended differences are not in the projection: the
//! route's `schema` (every route speaks OpenAI), `externalProcessor.replicas`
//! (gone since v0.3), and a Service reached through a Backend of its
//! cluster DNS name counts as that Service.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::{Code, Diagnostic};
use crate::load;
use crate::routes::projection;

use super::Release;

/// Per file name, where the edits wrote in the migrated text
/// ([`super::edit::written_ranges`]).
pub type Written = BTreeMap<String, Vec<(usize, usize, isize)>>;

/// Every problem found: empty when the migration is proved. A value the
/// target rejects away from every edit is one the source release accepted
/// and a later release tightened (a bound, a CEL rule): `AIGW078`, with
/// the choices; one at an edit is aigw's own mistake (`AIGW076`).
pub fn prove(
    before: Vec<(String, Vec<u8>)>,
    after: Vec<(String, Vec<u8>)>,
    (from, to): (Release, Release),
    written: &Written,
    namespace: &str,
    notes: &mut Vec<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let after_files = after.clone();
    let before_files = before.clone();
    let (before, after) = match (load::load_files(before), load::load_files(after)) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(e), _) | (_, Err(e)) => {
            out.push(Diagnostic::new(
                Code::MigrateProof,
                format!("cannot read the files again: {}", e.0),
            ));
            return out;
        }
    };
    if let Some(error) = after.diagnostics.iter().find(|d| d.is_error()) {
        out.push(
            Diagnostic::new(
                Code::MigrateProof,
                format!(
                    "the migrated files do not load: {}",
                    shown(&after.sources, error)
                ),
            )
            .help("please report this with the input: it is a bug in aigw migrate"),
        );
        return out;
    }
    let json = |objects: &[load::Object]| -> Vec<Value> {
        objects.iter().map(|o| o.node.to_json()).collect()
    };
    let before_json = json(&before.objects);
    let after_json = json(&after.objects);
    // `aigw validate --release TO` on the migrated files.
    let options = crate::Options {
        namespace: namespace.to_string(),
        release: Some(to.to_string()),
        ..crate::Options::default()
    };
    if crate::admit::Release::find(&to.to_string()).is_none() {
        notes.push(format!(
            "{to} is not a built-in release (end of life): the result was compared for routing, but not validated against its CRDs"
        ));
    } else {
        match crate::compile_files(after_files, &options) {
            Ok(compiled) => {
                for d in compiled.report.diagnostics.iter().filter(|d| d.is_error()) {
                    // A field or kind the target lacks is a move aigw missed.
                    let moved = matches!(
                        d.code,
                        Code::ReleaseField | Code::UnknownField | Code::UnknownKind
                    );
                    let edited = moved
                        || d.span.is_none_or(|s| {
                            written.get(compiled.sources.name(s.file)).is_some_and(|r| {
                                r.iter().any(|(a, b, _)| (*a..=*b).contains(&s.start()))
                            })
                        });
                    if edited {
                        out.push(
                            Diagnostic::new(
                                Code::MigrateProof,
                                format!("the migrated manifests are not valid {to}: {}", shown(&compiled.sources, d)),
                            )
                            .help("nothing was written; this is a bug in aigw migrate, or a change it does not know yet: please report it with the input"),
                        );
                    } else {
                        out.push(
                            Diagnostic::new(
                                Code::MigrateRejected,
                                format!(
                                    "{to} rejects a value that {from} accepts, and no migration step changes it: {}",
                                    shown_before(&compiled.sources, d, written, &before_files)
                                ),
                            )
                            .help(format!("change the value so that {to} accepts it too (the message says what it allows), then run aigw migrate again; or migrate to an earlier release for now (--to)")),
                        );
                    }
                }
            }
            Err(e) => out.push(Diagnostic::new(
                Code::MigrateProof,
                format!("cannot validate the result as {to}: {}", e.0),
            )),
        }
    }
    let (b, a) = (
        projection::project(&before_json, namespace).to_json(),
        projection::project(&after_json, namespace).to_json(),
    );
    for change in crate::diff::fields(&b, &a) {
        let show = |v: &Option<Value>| v.as_ref().map_or("(none)".to_string(), Value::to_string);
        out.push(
            Diagnostic::new(
                Code::MigrateProof,
                format!(
                    "the migration would change the routing at {}: {} → {}",
                    change.path,
                    show(&change.before),
                    show(&change.after)
                ),
            )
            .help("nothing was written; please report this with the input: it is a bug in aigw migrate"),
        );
    }
    out
}

/// `file:line:col: CODE message` of a diagnostic of the migrated files at
/// a place no edit wrote, with the place in the file as it was.
fn shown_before(
    sources: &crate::source::Sources,
    d: &Diagnostic,
    written: &Written,
    before: &[(String, Vec<u8>)],
) -> String {
    let Some(s) = d.span else {
        return shown(sources, d);
    };
    let name = sources.name(s.file);
    let shift = written
        .get(name)
        .and_then(|r| r.iter().rev().find(|(start, _, _)| *start <= s.start()))
        .map_or(0, |(_, _, shift)| *shift);
    let at = s.start().saturating_add_signed(-shift);
    let text = before
        .iter()
        .find(|(n, _)| n == name)
        .map_or(&[][..], |(_, t)| t.as_slice());
    let head = text.get(..at).unwrap_or(text);
    let line = head.iter().filter(|b| **b == b'\n').count() + 1;
    let col = String::from_utf8_lossy(head.rsplit(|b| *b == b'\n').next().unwrap_or(&[]))
        .chars()
        .count()
        + 1;
    format!("{name}:{line}:{col}: {} {}", d.code, d.message)
}

/// `file:line:col: CODE message` of a diagnostic of the re-read files.
fn shown(sources: &crate::source::Sources, d: &Diagnostic) -> String {
    match d.span {
        Some(s) => {
            let (line, col) = sources.position(s);
            format!(
                "{}:{line}:{col}: {} {}",
                sources.name(s.file),
                d.code,
                d.message
            )
        }
        None => format!("{} {}", d.code, d.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V01: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: chat, namespace: default}
spec:
  schema: {name: OpenAI}
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  rules:
    - matches: [{headers: [{name: x-ai-eg-model, value: m}]}]
      backendRefs: [{name: svc, weight: 2}]
---
apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIServiceBackend
metadata: {name: svc, namespace: default}
spec:
  schema: {name: OpenAI}
  backendRef: {name: svc, port: 80}
";

    fn files(text: &str) -> Vec<(String, Vec<u8>)> {
        vec![("a.yaml".into(), text.as_bytes().to_vec())]
    }

    #[test]
    fn unmigrated_v0_1_is_not_valid_v1_1() {
        let mut notes = Vec::new();
        let found = prove(
            files(V01),
            files(V01),
            (super::super::release::V0_1, super::super::release::V1_1),
            &Written::new(),
            "default",
            &mut notes,
        );
        assert!(
            found.iter().any(|d| d.message.contains("not valid v1.1")),
            "{found:?}"
        );
    }

    #[test]
    fn a_weight_change_is_a_routing_difference() {
        let mut notes = Vec::new();
        let changed = V01.replace("weight: 2", "weight: 3");
        let found = prove(
            files(V01),
            files(&changed),
            (super::super::release::V0_1, super::super::release::V0_2),
            &Written::new(),
            "default",
            &mut notes,
        );
        assert!(
            found.iter().any(|d| d.message.contains("weight")),
            "{found:?}"
        );
        let same = prove(
            files(V01),
            files(V01),
            (super::super::release::V0_1, super::super::release::V0_2),
            &Written::new(),
            "default",
            &mut notes,
        );
        assert!(same.is_empty(), "{same:?}");
    }
}
