//! One object against one structural schema, in the API server's order:
//! unknown fields (strict decoding), defaulting, the OpenAPI value checks
//! and list-type uniqueness, then the CEL rules, which a wrong type or an
//! unsupported enum value anywhere in the object blocks.
//!
//! Each violation keeps the API server's field path and error body
//! (`Too many: 16: must have at most 15 items`), so that aigw's messages
//! read as `kubectl apply` would print them.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use regex_lite::Regex;

use crate::defaults::from_json;
use crate::diagnostics::Code;
use crate::load::node::{Entry, Node, Path, Seg, Value};

use super::cel::{self, Cel, Outcome};
use super::schema::{Rule, Schema};

/// One rule the object breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: Path,
    pub code: Code,
    /// The API server's error body, after `path: `.
    pub body: String,
}

impl Violation {
    fn new(path: &Trail, code: Code, body: impl Into<String>) -> Self {
        Violation {
            path: path.path(),
            code,
            body: body.into(),
        }
    }

    /// The body as aigw shows it: the `Invalid value: "<type>": ` that the
    /// API server puts before a rule's message says nothing a reader needs.
    pub fn shown(&self) -> String {
        let body = self.body.as_str();
        let message = body
            .strip_prefix("Invalid value: \"")
            .and_then(|rest| rest.split_once("\": "))
            .map_or(body, |(_, message)| message);
        // `spec.x in body should ...` repeats the path the diagnostic
        // already starts with.
        let own = format!("{} in body ", self.path);
        message
            .strip_prefix(own.as_str())
            .unwrap_or(message)
            .to_string()
    }

    /// The whole error as the API server words it: `path: body`.
    pub fn api_text(&self) -> String {
        format!("{}: {}", self.path, self.body)
    }
}

/// A field the schema does not define: `path` as in the object,
/// `shape` as the field index writes it (`spec.rules[].name`).
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub path: Path,
    pub shape: String,
    /// The fields the schema defines there, for a suggestion.
    pub known: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Findings {
    pub violations: Vec<Violation>,
    pub unknown: Vec<Unknown>,
}

/// The path of the value being checked, kept as borrowed steps and made
/// into a [`Path`] only for a violation: building a path per value was a
/// fifth of admitting a large input.
#[derive(Debug, Default)]
struct Trail<'a>(Vec<Step<'a>>);

#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    /// A key of a map whose keys are free (`additionalProperties`).
    Free(&'a str),
    Index(usize),
}

impl<'a> Trail<'a> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn path(&self) -> Path {
        Path(
            self.0
                .iter()
                .map(|step| match step {
                    Step::Key(k) | Step::Free(k) => Seg::Key(k.to_string()),
                    Step::Index(i) => Seg::Index(*i),
                })
                .collect(),
        )
    }

    /// The path as the field index writes it: `spec.rules[].name`, with
    /// `{}` for a free key.
    fn shape(&self) -> String {
        let mut shape = String::new();
        for step in &self.0 {
            match step {
                Step::Key(k) => {
                    if !shape.is_empty() {
                        shape.push('.');
                    }
                    shape.push_str(k);
                }
                Step::Free(_) => shape.push_str("{}"),
                Step::Index(_) => shape.push_str("[]"),
            }
        }
        shape
    }

    /// Runs `f` with `step` appended.
    fn with<R>(&mut self, step: Step<'a>, f: impl FnOnce(&mut Self) -> R) -> R {
        self.0.push(step);
        let result = f(self);
        self.0.pop();
        result
    }
}

impl std::fmt::Display for Trail<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.path().fmt(f)
    }
}

/// Admits one object (`node`, the whole object) against the schema of its
/// kind and version; returns it defaulted.
pub fn admit(node: Node, schema: &Schema) -> (Node, Findings) {
    let mut findings = Findings::default();
    unknown_fields(&node, schema, &mut Trail::default(), &mut findings.unknown);
    let mut defaulted = node;
    apply_defaults(&mut defaulted, schema);
    values(
        &defaulted,
        schema,
        &mut Trail::default(),
        &mut findings.violations,
    );
    let blocked = findings
        .violations
        .iter()
        .any(|v| matches!(v.code, Code::TypeMismatch | Code::EnumValue));
    if !blocked {
        rules(
            &defaulted,
            schema,
            &mut Trail::default(),
            false,
            &mut findings.violations,
        );
    }
    (defaulted, findings)
}

/// The fields of `metadata` a custom resource may set (ObjectMeta).
const OBJECT_META: &[&str] = &[
    "annotations",
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "finalizers",
    "generateName",
    "generation",
    "labels",
    "managedFields",
    "name",
    "namespace",
    "ownerReferences",
    "resourceVersion",
    "selfLink",
    "uid",
];

fn unknown_fields<'a>(
    node: &'a Node,
    schema: &Schema,
    path: &mut Trail<'a>,
    out: &mut Vec<Unknown>,
) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let top = path.is_empty();
                if let Some(prop) = schema.properties.get(e.key.as_str()) {
                    path.with(Step::Key(&e.key), |path| {
                        if top && e.key == "metadata" {
                            metadata_fields(&e.value, path, out);
                        } else {
                            unknown_fields(&e.value, prop, path, out);
                        }
                    });
                } else if let Some(values) = schema.values() {
                    path.with(Step::Free(&e.key), |path| {
                        unknown_fields(&e.value, values, path, out)
                    });
                } else if top && ["apiVersion", "kind", "metadata"].contains(&e.key.as_str()) {
                    if e.key == "metadata" {
                        path.with(Step::Key(&e.key), |path| {
                            metadata_fields(&e.value, path, out)
                        });
                    }
                } else if !schema.open() {
                    path.with(Step::Key(&e.key), |path| {
                        out.push(Unknown {
                            path: path.path(),
                            shape: path.shape(),
                            known: schema.properties.keys().cloned().collect(),
                        })
                    });
                }
            }
        }
        Value::Seq(items) => {
            if let Some(item) = schema.items.as_deref() {
                for (i, n) in items.iter().enumerate() {
                    path.with(Step::Index(i), |path| unknown_fields(n, item, path, out));
                }
            }
        }
        _ => {}
    }
}

fn metadata_fields(node: &Node, path: &Trail, out: &mut Vec<Unknown>) {
    for e in node.as_map().unwrap_or_default() {
        if !OBJECT_META.contains(&e.key.as_str()) {
            out.push(Unknown {
                path: path.path().key(&e.key),
                shape: format!("metadata.{}", e.key),
                known: OBJECT_META.iter().map(|k| k.to_string()).collect(),
            });
        }
    }
}

/// Fills in `default`s, as the API server does before validating: a
/// missing field, or a null one that is not nullable, takes its default.
/// Each is marked (`Span::added`, `Span::null_defaulted`): the tree still
/// locates and writes as it was written.
pub fn apply_defaults(node: &mut Node, schema: &Schema) {
    let span = node.span;
    match &mut node.value {
        Value::Map(map) => {
            // A vector while defaults are added; exactly sized again after.
            let mut entries = std::mem::take(map).into_vec();
            for (name, prop) in &schema.properties {
                let Some(default) = &prop.default else {
                    continue;
                };
                match entries.iter_mut().find(|e| e.key == *name) {
                    Some(e) if e.value.value == Value::Null && !prop.nullable => {
                        let null = e.value.span;
                        e.value = from_json(default, null);
                        e.value.span = null.null_defaulted();
                    }
                    Some(_) => {}
                    None => entries.push(Entry {
                        key: name.as_str().into(),
                        key_span: crate::source::Span::added(),
                        value: from_json(default, span),
                    }),
                }
            }
            for e in entries.iter_mut() {
                if let Some(prop) = schema.property(&e.key) {
                    apply_defaults(&mut e.value, prop);
                }
            }
            *map = entries.into_boxed_slice();
        }
        Value::Seq(items) => {
            if let Some(item) = schema.items.as_deref() {
                items.iter_mut().for_each(|n| apply_defaults(n, item));
            }
        }
        _ => {}
    }
}

/// The JSON type name of a value, as the API server prints it.
fn type_name(node: &Node) -> &'static str {
    node.type_name()
}

fn type_ok(node: &Node, schema: &Schema) -> bool {
    if schema.int_or_string {
        return matches!(node.value, Value::Int(_) | Value::Str(_));
    }
    matches!(
        (schema.ty.as_deref(), &node.value),
        (None, _)
            | (Some("string"), Value::Str(_))
            | (Some("integer"), Value::Int(_))
            | (Some("number"), Value::Int(_) | Value::Float(_))
            | (Some("boolean"), Value::Bool(_))
            | (Some("array"), Value::Seq(_))
            | (Some("object"), Value::Map(_))
    )
}

/// The OpenAPI value checks of `node` and everything below it.
fn values<'a>(node: &'a Node, schema: &Schema, path: &mut Trail<'a>, out: &mut Vec<Violation>) {
    if node.value == Value::Null {
        if !schema.nullable && !path.is_empty() {
            // A null the API server did not prune (a list item): a type error.
            out.push(type_error(node, schema, path));
        }
        return;
    }
    if !type_ok(node, schema) {
        out.push(type_error(node, schema, path));
        return;
    }
    if let Some(allowed) = &schema.enum_values {
        let json = node.to_json();
        if !allowed.contains(&json) {
            let supported: Vec<String> = allowed.iter().map(|v| v.to_string()).collect();
            out.push(Violation::new(
                path,
                Code::EnumValue,
                format!(
                    "Unsupported value: {}: supported values: {}",
                    quote_value(&json),
                    supported.join(", ")
                ),
            ));
        }
    }
    match &node.value {
        Value::Str(s) => string(s, schema, path, out),
        Value::Int(i) => number(*i as f64, schema, path, out),
        Value::Float(f) => number(*f, schema, path, out),
        Value::Seq(items) => array(items, schema, path, out),
        Value::Map(entries) => object(entries, schema, path, out),
        _ => {}
    }
    for sub in &schema.all_of {
        values(node, sub, path, out);
    }
    let mut passes = |sub: &Schema| {
        let mut found = Vec::new();
        values(node, sub, path, &mut found);
        found.is_empty()
    };
    let any_of_fails = !schema.any_of.is_empty() && !schema.any_of.iter().any(&mut passes);
    let one_of_fails =
        !schema.one_of.is_empty() && schema.one_of.iter().filter(|s| passes(s)).count() != 1;
    let not_fails = schema.not.as_deref().is_some_and(&mut passes);
    if any_of_fails {
        out.push(Violation::new(
            path,
            Code::Pattern,
            format!(
                "Invalid value: \"{}\": {path} in body must validate at least one schema (anyOf)",
                type_name(node)
            ),
        ));
    }
    if one_of_fails {
        out.push(Violation::new(
            path,
            Code::Pattern,
            format!("Invalid value: \"{}\": {path} in body must validate one and only one schema (oneOf)", type_name(node)),
        ));
    }
    if not_fails {
        out.push(Violation::new(
            path,
            Code::Pattern,
            format!(
                "Invalid value: \"{}\": {path} in body must not validate the schema (not)",
                type_name(node)
            ),
        ));
    }
}

fn type_error(node: &Node, schema: &Schema, path: &Trail) -> Violation {
    let want = if schema.int_or_string {
        "integer or string".to_string()
    } else {
        schema.type_name().to_string()
    };
    let found = type_name(node);
    Violation::new(
        path,
        Code::TypeMismatch,
        format!("Invalid value: \"{found}\": {path} in body must be of type {want}: \"{found}\""),
    )
}

/// A user value inside a message, as JSON (the API server's `%q` for
/// strings). A Secret value copied in through a YAML alias is masked
/// later, with every message of the run (`Taint::seal`).
fn quote_value(value: &serde_json::Value) -> String {
    value.to_string()
}

fn string(s: &str, schema: &Schema, path: &Trail, out: &mut Vec<Violation>) {
    let chars = s.chars().count() as u64;
    if let Some(max) = schema.max_length {
        if chars > max {
            out.push(Violation::new(
                path,
                Code::StringLength,
                format!("Too long: may not be more than {max} bytes"),
            ));
        }
    }
    if let Some(min) = schema.min_length {
        if chars < min {
            out.push(Violation::new(
                path,
                Code::StringLength,
                format!(
                    "Invalid value: \"string\": {path} in body should be at least {min} chars long"
                ),
            ));
        }
    }
    if let Some(pattern) = &schema.pattern {
        if !matches(pattern, s) {
            out.push(Violation::new(
                path,
                Code::Pattern,
                format!("Invalid value: \"string\": {path} in body should match '{pattern}'"),
            ));
        }
    }
    if let Some(format) = &schema.format {
        if !format_ok(format, s) {
            out.push(Violation::new(
                path,
                Code::Pattern,
                format!("Invalid value: \"string\": {path} in body must be of type {format}"),
            ));
        }
    }
}

thread_local! {
    /// Compiled patterns, by source; `None` for one RE2 accepts and
    /// regex-lite does not (never reported: the CRD is upstream's).
    static PATTERNS: RefCell<HashMap<String, Option<Pattern>>> = RefCell::new(HashMap::new());
}

/// A schema pattern, compiled twice over: regex-lite compiles fast and
/// matches slowly (a tenth of validating 1,000 routes), `regex` the other
/// way round. A pattern starts with the first and moves to the second once
/// it has matched often enough to pay for it, so that a small run starts
/// fast and a large one matches fast.
struct Pattern {
    lite: Regex,
    fast: Option<regex::Regex>,
    uses: u32,
}

/// Matches a pattern takes with regex-lite before it is compiled by `regex`.
const FAST_AFTER: u32 = 64;

fn matches(pattern: &str, s: &str) -> bool {
    PATTERNS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let entry = match cache.get_mut(pattern) {
            Some(entry) => entry,
            None => cache.entry(pattern.to_string()).or_insert_with(|| {
                Regex::new(pattern).ok().map(|lite| Pattern {
                    lite,
                    fast: None,
                    uses: 0,
                })
            }),
        };
        let Some(p) = entry else {
            return true;
        };
        p.uses = p.uses.saturating_add(1);
        if p.uses == FAST_AFTER {
            p.fast = regex::Regex::new(pattern).ok();
        }
        // `regex` is Unicode-aware where RE2 and regex-lite are ASCII-only
        // (`\d`, `\w`, `\s`); on printable ASCII text they agree.
        match &p.fast {
            Some(fast) if s.bytes().all(|b| (0x20..0x7f).contains(&b)) => fast.is_match(s),
            _ => p.lite.is_match(s),
        }
    })
}

fn format_ok(format: &str, s: &str) -> bool {
    match format {
        "byte" => is_base64(s),
        "date-time" => is_date_time(s),
        "duration" => is_duration(s),
        "uri" => s.contains(':') && !s.contains(char::is_whitespace),
        "int32" | "int64" => true,
        _ => true,
    }
}

fn is_base64(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len().is_multiple_of(4)
        && bytes.iter().enumerate().all(|(i, &b)| {
            b.is_ascii_alphanumeric()
                || b == b'+'
                || b == b'/'
                || (b == b'=' && i + 2 >= bytes.len())
        })
}

/// RFC 3339, as `strfmt` accepts it.
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b't'))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19)
}

/// A duration as `strfmt` parses it: Go's units plus `d` and `w`.
fn is_duration(s: &str) -> bool {
    let s = s.trim();
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    if s.is_empty() {
        return false;
    }
    let mut rest = s;
    while !rest.is_empty() {
        let number = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number == 0 {
            return false;
        }
        rest = rest.get(number..).unwrap_or("").trim_start();
        let unit = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let name = rest.get(..unit).unwrap_or("").trim();
        if !["ns", "us", "µs", "ms", "s", "m", "h", "d", "w"].contains(&name) {
            return false;
        }
        rest = rest.get(unit..).unwrap_or("");
    }
    true
}

/// Go's `%v` of a float64 bound: integers without a fraction.
fn bound(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number(n: f64, schema: &Schema, path: &Trail, out: &mut Vec<Violation>) {
    let mut push = |text: String| {
        out.push(Violation::new(
            path,
            Code::NumberRange,
            format!("Invalid value: \"number\": {path} in body {text}"),
        ))
    };
    if let Some(min) = schema.minimum {
        if schema.exclusive_minimum && n <= min {
            push(format!("should be greater than {}", bound(min)));
        } else if n < min {
            push(format!("should be greater than or equal to {}", bound(min)));
        }
    }
    if let Some(max) = schema.maximum {
        if schema.exclusive_maximum && n >= max {
            push(format!("should be less than {}", bound(max)));
        } else if n > max {
            push(format!("should be less than or equal to {}", bound(max)));
        }
    }
    if let Some(step) = schema.multiple_of {
        if step != 0.0 && (n / step).fract() != 0.0 {
            push(format!("should be a multiple of {}", bound(step)));
        }
    }
}

fn array<'a>(items: &'a [Node], schema: &Schema, path: &mut Trail<'a>, out: &mut Vec<Violation>) {
    let len = items.len() as u64;
    if let Some(max) = schema.max_items {
        if len > max {
            out.push(Violation::new(
                path,
                Code::ItemCount,
                format!("Too many: {len}: must have at most {max} items"),
            ));
        }
    }
    if let Some(min) = schema.min_items {
        if len < min {
            out.push(Violation::new(
                path,
                Code::ItemCount,
                format!(
                    "Invalid value: \"array\": {path} in body should have at least {min} items"
                ),
            ));
        }
    }
    if let Some(item) = schema.items.as_deref() {
        for (i, n) in items.iter().enumerate() {
            path.with(Step::Index(i), |path| values(n, item, path, out));
        }
    }
    let keyed = schema.list_type.as_deref() == Some("map") && !schema.list_map_keys.is_empty();
    if keyed || schema.list_type.as_deref() == Some("set") || schema.unique_items {
        let mut seen = HashSet::new();
        for (i, n) in items.iter().enumerate() {
            let key = if keyed {
                let parts: Vec<String> = schema
                    .list_map_keys
                    .iter()
                    .map(|k| {
                        format!(
                            "{:?}:{}",
                            k,
                            n.get(k).map_or("null".into(), |v| v.to_json().to_string())
                        )
                    })
                    .collect();
                format!("map[string]interface {{}}{{{}}}", parts.join(", "))
            } else {
                n.to_json().to_string()
            };
            if !seen.insert(key.clone()) {
                path.with(Step::Index(i), |path| {
                    out.push(Violation::new(
                        path,
                        Code::DuplicateListKey,
                        format!("Duplicate value: {key}"),
                    ))
                });
            }
        }
    }
}

fn object<'a>(
    entries: &'a [Entry],
    schema: &Schema,
    path: &mut Trail<'a>,
    out: &mut Vec<Violation>,
) {
    let present = |name: &str| {
        entries
            .iter()
            .any(|e| e.key == name && (e.value.value != Value::Null))
    };
    for name in &schema.required {
        if !present(name) {
            out.push(Violation {
                path: path.path().key(name),
                code: Code::RequiredField,
                body: "Required value".into(),
            });
        }
    }
    let count = entries.len() as u64;
    if let Some(max) = schema.max_properties {
        if count > max {
            out.push(Violation::new(
                path,
                Code::TooManyProperties,
                format!("Too many: {count}: must have at most {max} items"),
            ));
        }
    }
    if let Some(min) = schema.min_properties {
        if count < min {
            out.push(Violation::new(
                path,
                Code::TooManyProperties,
                format!("Invalid value: \"object\": {path} in body should have at least {min} properties"),
            ));
        }
    }
    for e in entries {
        match schema.property(&e.key) {
            // The API server checks metadata itself (ObjectMeta).
            Some(_) if path.is_empty() && e.key == "metadata" => {}
            Some(prop) => path.with(Step::Key(&e.key), |path| values(&e.value, prop, path, out)),
            None => {}
        }
    }
}

/// The CEL rules of `schema` and of everything below it, in the API
/// server's order (a value's rules before those of its members).
///
/// The CEL value of each member is built once, bottom up, and shared by
/// every rule above it: converting the subtree again for each rule was a
/// third of evaluating them. `want` says whether a rule above needs this
/// value; it is returned then.
fn rules<'a>(
    node: &'a Node,
    schema: &Schema,
    path: &mut Trail<'a>,
    want: bool,
    out: &mut Vec<Violation>,
) -> Option<Cel> {
    if node.value == Value::Null {
        return want.then_some(Cel::Null);
    }
    let own = !schema.validations.is_empty();
    let need = want || own;
    let mark = out.len();
    let mut members = Vec::new();
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let prop = schema.property(&e.key);
                let value = match prop {
                    Some(prop) if !(path.is_empty() && e.key == "metadata") => path
                        .with(Step::Key(&e.key), |path| {
                            rules(&e.value, prop, path, need, out)
                        }),
                    _ => need.then(|| cel::to_cel(&e.value, prop)),
                };
                members.extend(value);
            }
        }
        Value::Seq(items) => match schema.items.as_deref() {
            Some(item) => {
                for (i, n) in items.iter().enumerate() {
                    let value = path.with(Step::Index(i), |path| rules(n, item, path, need, out));
                    members.extend(value);
                }
            }
            None if need => members.extend(items.iter().map(|n| cel::to_cel(n, None))),
            None => {}
        },
        _ => {}
    }
    if !need {
        return None;
    }
    let value = cel::value_of(node, schema, members);
    if own {
        let found: Vec<Violation> = schema
            .validations
            .iter()
            .filter_map(|rule| violation(rule, &value, schema, path))
            .collect();
        out.splice(mark..mark, found);
    }
    want.then_some(value)
}

/// The violation of `rule` by `value`, if it fails.
fn violation(rule: &Rule, value: &Cel, schema: &Schema, path: &Trail) -> Option<Violation> {
    let failed = match cel::evaluate_on(&rule.rule, value) {
        Outcome::Pass => return None,
        Outcome::Fail => None,
        Outcome::Error(e) => Some(e),
    };
    let mut at = path.path();
    if let Some(field) = rule.field_path.as_deref() {
        at.0.extend(Path::parse(field.trim_start_matches('.')).0);
    }
    let body = match failed {
        Some(error) => format!(
            "Invalid value: \"{}\": {error} evaluating rule: {}",
            schema.type_name(),
            rule.rule
        ),
        None => {
            let message = rule
                .message_expression
                .as_deref()
                .and_then(|e| cel::message(e, value))
                .or_else(|| rule.message.clone())
                .unwrap_or_else(|| format!("failed rule: {}", rule.rule));
            match rule.reason.as_deref() {
                Some("FieldValueForbidden") => format!("Forbidden: {message}"),
                Some("FieldValueRequired") => format!("Required value: {message}"),
                Some("FieldValueDuplicate") => format!("Duplicate value: {message}"),
                _ => format!("Invalid value: \"{}\": {message}", schema.type_name()),
            }
        }
    };
    Some(Violation {
        path: at,
        code: Code::CrdRule,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(json: serde_json::Value) -> Node {
        from_json(&json, crate::source::Span::default())
    }

    #[test]
    fn a_values_rules_come_before_those_of_its_members_and_see_them_whole() {
        let schema: Schema = serde_json::from_value(serde_json::json!({
            "type": "object",
            "properties": {"spec": {
                "type": "object",
                "x-kubernetes-validations": [
                    {"rule": "self.rules.all(r, r.name != 'bad')", "message": "outer"}
                ],
                "properties": {"rules": {"type": "array", "items": {
                    "type": "object",
                    "x-kubernetes-validations": [
                        {"rule": "self.name.size() < 3", "message": "inner"}
                    ],
                    "properties": {"name": {"type": "string"}}
                }}}
            }}
        }))
        .unwrap_or_default();
        let object = node(serde_json::json!({
            "spec": {"rules": [{"name": "ok"}, {"name": "bad"}]}
        }));
        let (_, findings) = admit(object, &schema);
        let shown: Vec<String> = findings
            .violations
            .iter()
            .map(Violation::api_text)
            .collect();
        assert_eq!(
            shown,
            [
                "spec: Invalid value: \"object\": outer",
                "spec.rules[1]: Invalid value: \"object\": inner",
            ]
        );
    }

    #[test]
    fn patterns_give_the_same_verdict_before_and_after_they_move_to_regex() {
        // A DNS-1123 subdomain, a \d class (ASCII in RE2, Unicode in
        // `regex`) and \s (no vertical tab in RE2).
        let cases: &[(&str, &[&str])] = &[
            (
                r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                &["openai-1", "Bad", "a.b", "-x", "ä", ""],
            ),
            (r"^\d+$", &["123", "١٢٣", "12a"]),
            (r"^a\sb$", &["a b", "a\u{b}b", "a\tb"]),
        ];
        for (pattern, inputs) in cases {
            let first: Vec<bool> = inputs.iter().map(|s| matches(pattern, s)).collect();
            for _ in 0..FAST_AFTER {
                matches(pattern, "warm-up");
            }
            let fast = PATTERNS.with(|c| {
                c.borrow()
                    .get(*pattern)
                    .and_then(|p| p.as_ref())
                    .is_some_and(|p| p.fast.is_some())
            });
            assert!(fast, "{pattern} did not move to regex");
            let later: Vec<bool> = inputs.iter().map(|s| matches(pattern, s)).collect();
            assert_eq!(first, later, "{pattern}");
        }
        // RE2's \d is ASCII: Arabic-Indic digits do not match.
        assert!(!matches(r"^\d+$", "١٢٣"));
    }
}
