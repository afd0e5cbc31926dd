//! Structural schema validation of one object, as the API server does it
//! for a CRD: types, enums, lengths, patterns, formats, bounds, list-map
//! keys, unknown fields and the CRD's CEL rules (implemented natively in
//! [`super::rules`]).

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path, Value};
use crate::model::common::GATEWAY_DURATION_PATTERN;
use crate::schema::{JsonType, Schema};
use crate::source::Span;
use std::fmt;

use super::rules;

/// Validates `node` (the whole object, defaults applied) against `schema`.
pub fn validate(node: &Node, schema: &Schema, out: &mut Vec<Diagnostic>) {
    let anchor = node.entry("kind").map_or(node.span, |e| e.key_span);
    check(node, schema, &Trail::Root, anchor, out);
}

/// The path of the value being checked, one borrowed step per level on
/// the stack, spelt out only for a diagnostic: a [`Path`] built for every
/// value (a copy of its parent's and a string per key) was a tenth of a
/// small run.
#[derive(Clone, Copy)]
enum Trail<'a> {
    Root,
    Key(&'a Trail<'a>, &'a str),
    Index(&'a Trail<'a>, usize),
}

impl Trail<'_> {
    fn path(&self) -> Path {
        match self {
            Trail::Root => Path::root(),
            Trail::Key(parent, key) => {
                let mut path = parent.path();
                path.0.push(crate::load::node::Seg::Key(key.to_string()));
                path
            }
            Trail::Index(parent, i) => {
                let mut path = parent.path();
                path.0.push(crate::load::node::Seg::Index(*i));
                path
            }
        }
    }
}

impl fmt::Display for Trail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.path().fmt(f)
    }
}

/// `anchor` is where to point when a field of `node` is missing: the key
/// that introduces `node` (the whole mapping would underline many lines).
fn check(node: &Node, schema: &Schema, path: &Trail<'_>, anchor: Span, out: &mut Vec<Diagnostic>) {
    if !type_ok(node, schema) {
        let at = if matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            anchor
        } else {
            node.span
        };
        out.push(type_error(node, schema, path).at(at));
        return;
    }
    let before = out.len();
    match &node.value {
        Value::Str(s) => check_string(node, s, schema, path, out),
        Value::Int(i) => check_integer(node, *i, schema, path, out),
        Value::Seq(items) => check_array(anchor, items, schema, path, out),
        Value::Map(_) => check_object(node, schema, path, anchor, out),
        _ => {}
    }
    // The API server does not evaluate CEL rules over a value that has a
    // wrong type or an unsupported enum value: the rule would only repeat it.
    let blocked = out
        .get(before..)
        .unwrap_or_default()
        .iter()
        .any(|d| matches!(d.code, Code::EnumValue | Code::TypeMismatch));
    if blocked {
        return;
    }
    if !schema.rules.is_empty() {
        let path = path.path();
        for rule in schema.rules {
            out.extend(rules::check(rule, node, &path));
        }
    }
}

fn type_ok(node: &Node, schema: &Schema) -> bool {
    if schema.int_or_string {
        return matches!(node.value, Value::Int(_) | Value::Str(_));
    }
    schema.types.is_empty()
        || schema.types.iter().any(|t| {
            matches!(
                (t, &node.value),
                (JsonType::String, Value::Str(_))
                    | (JsonType::Integer, Value::Int(_))
                    | (JsonType::Number, Value::Int(_) | Value::Float(_))
                    | (JsonType::Boolean, Value::Bool(_))
                    | (JsonType::Array, Value::Seq(_))
                    | (JsonType::Object, Value::Map(_))
            )
        })
}

fn type_error(node: &Node, schema: &Schema, path: &Trail<'_>) -> Diagnostic {
    let expected = if schema.int_or_string {
        "integer or string".to_string()
    } else {
        schema
            .types
            .iter()
            .map(|t| t.name())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut d = Diagnostic::new(
        Code::TypeMismatch,
        format!(
            "{path}: must be of type {expected}, found {}",
            node.type_name()
        ),
    )
    .path(path);
    let scalar = matches!(
        node.value,
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null
    );
    if scalar && (schema.types.contains(&JsonType::String) || schema.int_or_string) {
        d = d.help("YAML reads this unquoted value as a non-string; quote it to make it a string, e.g. \"yes\" or \"1.0\"");
    }
    d
}

fn check_string(
    node: &Node,
    s: &str,
    schema: &Schema,
    path: &Trail<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let at = |code: Code, message: String| Diagnostic::new(code, message).at(node.span).path(path);
    if !schema.enum_values.is_empty() && !schema.enum_values.contains(&s) {
        let supported = schema
            .enum_values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let mut d = at(
            Code::EnumValue,
            format!("{path}: unsupported value \"{s}\": supported values: {supported}"),
        );
        if let Some(close) = suggest(s, schema.enum_values.iter().copied()) {
            d = d.help(format!("did you mean \"{close}\"?"));
        }
        out.push(d);
    }
    let len = s.chars().count() as u64;
    if let Some(min) = schema.min_length.filter(|m| len < *m) {
        let message = if min == 1 {
            format!("{path}: must not be empty")
        } else {
            format!("{path}: must be at least {min} characters long, found {len}")
        };
        out.push(at(Code::StringLength, message));
    }
    if let Some(max) = schema.max_length.filter(|m| len > *m) {
        out.push(at(
            Code::StringLength,
            format!("{path}: must be at most {max} characters long, found {len}"),
        ));
    }
    for pattern in schema.patterns {
        if !pattern.is_match(s) {
            let text = pattern.text;
            let expected = if text == GATEWAY_DURATION_PATTERN {
                "is not a duration such as 30s or 1m30s (whole numbers with h, m, s or ms)"
                    .to_string()
            } else {
                format!("does not match the pattern {text}")
            };
            out.push(at(
                Code::Pattern,
                format!("{path}: \"{}\" {expected}", ellipsize(s)),
            ));
        }
    }
    if let Some(problem) = schema.format.and_then(|f| format_problem(f, s)) {
        out.push(at(
            Code::Pattern,
            format!("{path}: \"{}\" is not {problem}", ellipsize(s)),
        ));
    }
}

fn check_integer(
    node: &Node,
    i: i64,
    schema: &Schema,
    path: &Trail<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let at = |message: String| {
        Diagnostic::new(Code::NumberRange, message)
            .at(node.span)
            .path(path)
    };
    if let Some(min) = schema.minimum.filter(|m| i < *m) {
        out.push(at(format!(
            "{path}: must be greater than or equal to {min}, found {i}"
        )));
    }
    if let Some(max) = schema.maximum.filter(|m| i > *m) {
        out.push(at(format!(
            "{path}: must be less than or equal to {max}, found {i}"
        )));
    }
    if let Some(max) = schema.exclusive_maximum.filter(|m| i >= *m) {
        out.push(at(format!("{path}: must be less than {max}, found {i}")));
    }
    if schema.format == Some("int32") && i32::try_from(i).is_err() {
        out.push(at(format!(
            "{path}: {i} does not fit in a 32-bit integer (int32)"
        )));
    }
}

fn check_array(
    anchor: Span,
    items: &[Node],
    schema: &Schema,
    path: &Trail<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let n = items.len() as u64;
    let at = |message: String| {
        Diagnostic::new(Code::ItemCount, message)
            .at(anchor)
            .path(path)
    };
    if let Some(min) = schema.min_items.filter(|m| n < *m) {
        out.push(at(format!(
            "{path}: must have at least {min} item{}, found {n}",
            plural(min)
        )));
    }
    if let Some(max) = schema.max_items.filter(|m| n > *m) {
        out.push(at(format!(
            "{path}: must have at most {max} item{}, found {n}",
            plural(max)
        )));
    }
    if let Some(item_schema) = schema.items {
        for (i, item) in items.iter().enumerate() {
            check(
                item,
                item_schema,
                &Trail::Index(path, i),
                item.span.with_len(1),
                out,
            );
        }
    }
    if !schema.list_map_keys.is_empty() {
        let key_of = |item: &Node| -> Vec<Option<String>> {
            schema
                .list_map_keys
                .iter()
                .map(|k| item.get(k).map(|v| v.to_json().to_string()))
                .collect()
        };
        for (i, item) in items.iter().enumerate() {
            let key = key_of(item);
            if key.iter().all(Option::is_none) {
                continue;
            }
            if let Some(first) = items.iter().take(i).position(|prev| key_of(prev) == key) {
                let shown = schema
                    .list_map_keys
                    .iter()
                    .zip(&key)
                    .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or("null")))
                    .collect::<Vec<_>>()
                    .join(", ");
                let first_span = items.get(first).map_or(anchor, |n| n.span.with_len(1));
                out.push(
                    Diagnostic::new(
                        Code::DuplicateListKey,
                        format!("{}: duplicate entry with {shown}", Trail::Index(path, i)),
                    )
                    .at(item.span.with_len(1))
                    .path(Trail::Index(path, i))
                    .related(format!("first entry with {shown}"), first_span)
                    .help(format!(
                        "entries of {path} are keyed by {}; merge the two entries or rename one",
                        schema.list_map_keys.join(", ")
                    )),
                );
            }
        }
    }
}

fn check_object(
    node: &Node,
    schema: &Schema,
    path: &Trail<'_>,
    anchor: Span,
    out: &mut Vec<Diagnostic>,
) {
    let Some(entries) = node.as_map() else { return };
    let present: Vec<_> = entries
        .iter()
        .filter(|e| e.value.value != Value::Null)
        .collect();
    for name in schema.required {
        if node.get(name).is_none() {
            out.push(
                Diagnostic::new(
                    Code::RequiredField,
                    format!("{}: required value", Trail::Key(path, name)),
                )
                .at(anchor)
                .path(Trail::Key(path, name))
                .help(match (matches!(path, Trail::Root), *name) {
                    // The CRDs do not require spec, but nothing can be
                    // translated without one.
                    (true, "spec") => "add spec: the API server would store the object without one, but the controller cannot translate it".to_string(),
                    (true, _) => format!("add the field `{name}` to the object"),
                    (false, _) => format!("add the field `{name}` to {path}"),
                }),
            );
        }
    }
    if let Some(max) = schema.max_properties.filter(|m| present.len() as u64 > *m) {
        let names = present
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Diagnostic::new(
                Code::TooManyProperties,
                format!(
                    "{path}: must have at most {max} properties, found {} ({names})",
                    present.len()
                ),
            )
            .at(anchor)
            .path(path),
        );
    }
    for entry in &present {
        let child = Trail::Key(path, &entry.key);
        match (schema.property(&entry.key), schema.values) {
            (Some(prop), _) => check(&entry.value, prop, &child, entry.key_span, out),
            (None, Some(values)) => check(&entry.value, values, &child, entry.key_span, out),
            (None, None) if schema.closed => {
                let mut d = Diagnostic::new(
                    Code::UnknownField,
                    format!("{child}: unknown field \"{}\"", entry.key),
                )
                .at(entry.key_span)
                .path(child);
                let known = schema.properties.iter().map(|(k, _)| *k);
                d = match suggest(&entry.key, known) {
                    Some(close) => d.help(format!("did you mean `{close}`?")),
                    None => d.help(format!(
                        "known fields here: {}",
                        schema
                            .properties
                            .iter()
                            .map(|(k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                out.push(d);
            }
            (None, None) => {}
        }
    }
}

/// The closest candidate, when close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Case-insensitive edit distance, allowing about one typo per five
    // characters of the shorter word: `backendRef` → `backendRefs`,
    // `OpenAi` → `OpenAI`, but not `AzureCredentials` → `AWSCredentials`
    // (4 edits) nor `AIGatewayPolicy` → `AIGatewayRoute`. Every "did you
    // mean" of aigw goes through here.
    let lower = word.to_ascii_lowercase();
    let budget =
        |candidate: &str| (lower.chars().count().min(candidate.chars().count()) / 5).max(1);
    // Singular and plural count as the same word (`numRetry`, `numRetries`).
    let stem = |w: &str| -> String {
        if let Some(base) = w.strip_suffix("ies") {
            format!("{base}y")
        } else {
            w.strip_suffix('s').unwrap_or(w).to_string()
        }
    };
    let length = lower.chars().count();
    candidates
        // Stemming shortens a word by at most two characters, so a length
        // gap beyond the budget plus two can never be close: skipping those
        // keeps the check cheap for every pass-through kind.
        .filter(|c| length.abs_diff(c.chars().count()) <= budget(c) + 2)
        .map(|c| {
            let c_lower = c.to_ascii_lowercase();
            let raw = strsim::damerau_levenshtein(&lower, &c_lower);
            (
                raw.min(strsim::damerau_levenshtein(&stem(&lower), &stem(&c_lower))),
                c,
            )
        })
        .filter(|(distance, c)| *distance <= budget(c))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn ellipsize(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(77).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Checks the OpenAPI formats Kubernetes validates; returns what the value
/// should have been.
fn format_problem(format: &str, s: &str) -> Option<&'static str> {
    match format {
        "duration" => parse_go_duration(s)
            .is_none()
            .then_some("a valid duration (e.g. 1s, 1m30s, 250ms)"),
        "byte" => (!is_base64(s)).then_some("valid base64"),
        _ => None,
    }
}

/// Parses a Go `time.ParseDuration` string to nanoseconds.
pub fn parse_go_duration(s: &str) -> Option<i128> {
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = tail;
    }
    if total > i64::MAX as f64 {
        return None;
    }
    let nanos = total as i128;
    Some(if negative { -nanos } else { nanos })
}

fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - body.len() <= 2
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1s"), Some(1_000_000_000));
        assert_eq!(parse_go_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_go_duration("1.5h"), Some(5_400_000_000_000));
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("1d"), None);
        assert_eq!(parse_go_duration(""), None);
    }

    #[test]
    fn suggestions() {
        let fields = ["backendRefs", "matches"];
        assert_eq!(
            suggest("backendRef", fields.iter().copied()),
            Some("backendRefs")
        );
        assert_eq!(suggest("Matches", fields.iter().copied()), Some("matches"));
        assert_eq!(suggest("zzz", fields.iter().copied()), None);
        let kinds = [
            "AIGatewayRoute",
            "AIServiceBackend",
            "BackendSecurityPolicy",
        ];
        assert_eq!(
            suggest("AIGatewayRoutes", kinds.iter().copied()),
            Some("AIGatewayRoute")
        );
        assert_eq!(suggest("AIGatewayPolicy", kinds.iter().copied()), None);
        assert_eq!(
            suggest("AzureCredentials", ["APIKey", "AWSCredentials"].into_iter()),
            None
        );
        assert_eq!(
            suggest("AWSCredential", ["APIKey", "AWSCredentials"].into_iter()),
            Some("AWSCredentials")
        );
        // Envoy Gateway and Gateway API kinds are not typos of AI Gateway kinds.
        for other in [
            "Backend",
            "BackendTLSPolicy",
            "BackendTrafficPolicy",
            "ClientTrafficPolicy",
            "EnvoyExtensionPolicy",
            "EnvoyPatchPolicy",
            "EnvoyProxy",
            "HTTPRouteFilter",
            "SecurityPolicy",
            "Gateway",
            "GatewayClass",
            "HTTPRoute",
            "GRPCRoute",
            "ReferenceGrant",
            "BackendLBPolicy",
            "Service",
        ] {
            assert_eq!(suggest(other, kinds.iter().copied()), None, "{other}");
        }
        assert_eq!(
            suggest("numRetry", ["numRetries", "perRetry"].into_iter()),
            Some("numRetries")
        );
    }
}
