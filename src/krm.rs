//! `aigw krm`: aigw as a kustomize / kpt function.
//!
//! Two framings of the same transformation:
//! - the KRM Functions Specification: a `config.kubernetes.io/v1`
//!   `ResourceList` on stdin, a `ResourceList` on stdout, diagnostics in its
//!   `results` (kustomize `--enable-alpha-plugins --enable-exec`, kpt);
//! - kustomize's exec plugin protocol, which is all `kubectl kustomize` runs:
//!   the plugin's config file as the argument, a YAML stream of the resources
//!   on stdin and on stdout, diagnostics on stderr.
//!
//! AI Gateway objects among the items are replaced by the objects derived
//! from them; every other item is returned exactly as it came in, with the
//! `config.kubernetes.io/*` annotations kustomize tracks origins with.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::emit::{emit, yaml::to_yaml, OutputFormat};
use crate::load::{secrets, yaml::parse_documents, AI_GATEWAY_GROUP};
use crate::source::Taint;
use crate::validate::metadata::is_dns_label;
use crate::{compile, Options};

pub const RESOURCE_LIST_API_VERSION: &str = "config.kubernetes.io/v1";
/// The typed functionConfig (a ConfigMap with the same `data` keys works too).
pub const CONFIG_API_VERSION: &str = "aigw/v1alpha1";
pub const CONFIG_KIND: &str = "AIGatewayRender";

pub const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
pub const LOG_LEVELS: &[&str] = &["debug", "info", "warn", "error"];

const PATH_ANNOTATIONS: [&str; 2] = [
    "internal.config.kubernetes.io/path",
    "config.kubernetes.io/path",
];
const INDEX_ANNOTATIONS: [&str; 2] = [
    "internal.config.kubernetes.io/index",
    "config.kubernetes.io/index",
];

/// One entry of a ResourceList's `results`, as the KRM specification defines it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KrmResult {
    pub message: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_ref: Option<ResourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<FieldRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileRef>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRef {
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRef {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
}

impl KrmResult {
    fn error(message: impl Into<String>) -> Self {
        KrmResult {
            message: message.into(),
            severity: Severity::Error,
            resource_ref: None,
            field: None,
            file: None,
            tags: BTreeMap::new(),
        }
    }

    /// One line for stderr, e.g.
    /// `aigw: error[AIGW031] AIGatewayRoute default/chat spec.rules[0] (route.yaml): ...`.
    pub fn line(&self) -> String {
        let mut out = format!("aigw: {}", self.severity);
        if let Some(code) = self.tags.get("code") {
            out.push_str(&format!("[{code}]"));
        }
        if let Some(r) = &self.resource_ref {
            let ns = if r.namespace.is_empty() {
                String::new()
            } else {
                format!("{}/", r.namespace)
            };
            out.push_str(&format!(" {} {ns}{}", r.kind, r.name));
        }
        // Most messages start with their field path already.
        if let Some(field) = self
            .field
            .as_ref()
            .filter(|f| !self.message.starts_with(&f.path))
        {
            out.push_str(&format!(" {}", field.path));
        }
        if let Some(file) = &self.file {
            out.push_str(&format!(" ({})", file.path));
        }
        out.push_str(": ");
        out.push_str(&self.message);
        out
    }
}

/// The outcome of one function run.
#[derive(Debug)]
pub struct Transformed {
    /// The output items (the input items unchanged when `failed`).
    pub items: Vec<Value>,
    pub results: Vec<KrmResult>,
    /// Whether any result is an error (exit status 1).
    pub failed: bool,
}

/// Reads the options a functionConfig carries: a ConfigMap's `data`, or the
/// `spec` of an `aigw/v1alpha1` `AIGatewayRender`. Keys: `namespace`,
/// `strict`, `extprocImage`, `extprocImagePullPolicy`, `extprocLogLevel`.
pub fn options_from_config(config: Option<&Value>) -> Result<Options, Vec<KrmResult>> {
    let mut options = Options {
        keep_trees: false,
        ..Options::default()
    };
    let Some(config) = config.filter(|c| !c.is_null()) else {
        return Ok(options);
    };
    let kind = config.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = config
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let (section, fields) = match (api_version, kind) {
        ("v1", "ConfigMap") => ("data", config.get("data")),
        (CONFIG_API_VERSION, CONFIG_KIND) => ("spec", config.get("spec")),
        _ => {
            return Err(vec![KrmResult::error(format!(
                "functionConfig must be a v1 ConfigMap or an {CONFIG_API_VERSION} {CONFIG_KIND}, \
                 found {api_version} {kind}"
            ))])
        }
    };
    let empty = Map::new();
    let fields = match fields {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(vec![KrmResult::error(format!(
                "functionConfig {section} must be a mapping"
            ))])
        }
    };
    let mut errors = Vec::new();
    for (key, value) in fields {
        let mut bad = |message: String| {
            let mut result = KrmResult::error(message);
            result.field = Some(FieldRef {
                path: format!("{section}.{key}"),
            });
            errors.push(result);
        };
        let text = match value {
            Value::String(s) => s.trim().to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                bad(format!("{section}.{key} must be a string, found {other}"));
                continue;
            }
        };
        let one_of = |allowed: &[&str]| allowed.contains(&text.as_str());
        match key.as_str() {
            _ if text.is_empty() => {}
            "namespace" if is_dns_label(&text) => options.namespace = text,
            "namespace" => bad(format!(
                "namespace \"{text}\" is not a valid namespace (a DNS-1123 label)"
            )),
            "strict" => match parse_bool(&text) {
                Some(strict) => options.strict = strict,
                None => bad(format!("strict must be true or false, found \"{text}\"")),
            },
            "release" if crate::admit::Release::find(&text).is_some() => {
                options.release = Some(text)
            }
            "release" => bad(format!(
                "release \"{text}\" is not built in; the releases are {}",
                crate::builtin_releases().join(", ")
            )),
            "extprocImage" => options.extproc.image = text,
            "extprocImagePullPolicy" if one_of(PULL_POLICIES) => options.extproc.pull_policy = text,
            "extprocImagePullPolicy" => bad(format!(
                "extprocImagePullPolicy must be one of {}, found \"{text}\"",
                PULL_POLICIES.join(", ")
            )),
            "extprocLogLevel" if one_of(LOG_LEVELS) => options.extproc.log_level = text,
            "extprocLogLevel" => bad(format!(
                "extprocLogLevel must be one of {}, found \"{text}\"",
                LOG_LEVELS.join(", ")
            )),
            _ => bad(format!(
                "unknown option {section}.{key}; the options are namespace, strict, release, \
                 extprocImage, extprocImagePullPolicy and extprocLogLevel"
            )),
        }
    }
    if errors.is_empty() {
        Ok(options)
    } else {
        Err(errors)
    }
}

/// What users write for a boolean: `true`/`false`, `yes`/`no`, `1`/`0`, `on`/`off`.
fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Some(true),
        "false" | "no" | "0" | "off" => Some(false),
        _ => None,
    }
}

fn is_ai_gateway(item: &Value) -> bool {
    item.get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.split_once('/'))
        .is_some_and(|(group, _)| group == AI_GATEWAY_GROUP)
}

fn annotation<'a>(item: &'a Value, keys: &[&str]) -> Option<&'a str> {
    let annotations = item.get("metadata")?.get("annotations")?;
    keys.iter()
        .find_map(|k| annotations.get(*k).and_then(Value::as_str))
}

/// Runs the pipeline on `items` with the options of `config`.
pub fn transform(items: Vec<Value>, config: Option<&Value>) -> Transformed {
    let options = match options_from_config(config) {
        Ok(options) => options,
        Err(results) => {
            return Transformed {
                items,
                results,
                failed: true,
            }
        }
    };
    let (stream, starts) = item_stream(&items);
    let compiled = compile(
        &[PathBuf::from("-")],
        &mut Cursor::new(stream.into_bytes()),
        &options,
    );
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(err) => {
            return Transformed {
                items,
                results: vec![KrmResult::error(err.0)],
                failed: true,
            }
        }
    };
    let results: Vec<KrmResult> = compiled
        .report
        .diagnostics
        .iter()
        .map(|d| {
            let item = d.span.and_then(|span| {
                let index = starts.partition_point(|&start| start <= span.start());
                index.checked_sub(1).and_then(|i| items.get(i))
            });
            result_of(d, item, &options)
        })
        .collect();
    let failed = results.iter().any(|r| r.severity == Severity::Error);
    let Some(output) = compiled.output.filter(|_| !failed) else {
        return Transformed {
            items,
            results,
            failed: true,
        };
    };
    // v0.1: aigw is the controller, and its objects replace the AI Gateway
    // items. After v0.1 the controller in the cluster reads those items:
    // they stay, and nothing is derived.
    let v0_1 = compiled.release.line == Some(crate::admit::release::V0_1);
    let mut out: Vec<Value> = items
        .into_iter()
        .filter(|i| !(v0_1 && is_ai_gateway(i)))
        .collect();
    out.extend(output.derived.iter().map(|d| with_origin(d.to_json())));
    Transformed {
        items: out,
        results,
        failed: false,
    }
}

/// The items as one YAML stream for the loader, and the byte offset where
/// each document starts, which maps a diagnostic back to its item.
fn item_stream(items: &[Value]) -> (String, Vec<usize>) {
    let mut stream = String::new();
    let mut starts = Vec::with_capacity(items.len());
    for item in items {
        starts.push(stream.len());
        stream.push_str("---\n");
        stream.push_str(&to_yaml(item));
    }
    (stream, starts)
}

fn result_of(d: &Diagnostic, item: Option<&Value>, options: &Options) -> KrmResult {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!(" (help: {help})"));
    }
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let resource_ref = item.map(|item| {
        let metadata = item.get("metadata");
        let mut namespace = text(metadata.and_then(|m| m.get("namespace")));
        if namespace.is_empty() && is_ai_gateway(item) {
            namespace = options.namespace.clone();
        }
        ResourceRef {
            api_version: text(item.get("apiVersion")),
            kind: text(item.get("kind")),
            name: text(metadata.and_then(|m| m.get("name"))),
            namespace,
        }
    });
    let file = item.and_then(|item| {
        let path = annotation(item, &PATH_ANNOTATIONS)?;
        let index = annotation(item, &INDEX_ANNOTATIONS).and_then(|i| i.parse().ok());
        Some(FileRef {
            path: path.to_string(),
            index,
        })
    });
    KrmResult {
        message,
        severity: d.severity,
        resource_ref,
        field: d.path.clone().map(|path| FieldRef { path }),
        file,
        tags: BTreeMap::from([
            ("code".to_string(), d.code.as_str().to_string()),
            ("rule".to_string(), d.code.name().to_string()),
        ]),
    }
}

/// A derived object gets the path kustomize would give a generated one
/// (`<namespace>/<kind>_<name>.yaml`): kpt writes it there, and kustomize
/// strips these annotations from its build output.
fn with_origin(mut object: Value) -> Value {
    let text = |o: &Value, k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let kind = text(&object, "kind").to_ascii_lowercase();
    let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) else {
        return object;
    };
    let meta = Value::Object(metadata.clone());
    let path = format!(
        "{}/{kind}_{}.yaml",
        text(&meta, "namespace"),
        text(&meta, "name")
    );
    let annotations = metadata
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(annotations) = annotations.as_object_mut() {
        for key in PATH_ANNOTATIONS {
            annotations.insert(key.to_string(), Value::String(path.clone()));
        }
        for key in INDEX_ANNOTATIONS {
            annotations.insert(key.to_string(), Value::String("0".into()));
        }
    }
    object
}

/// Parses YAML or JSON text into JSON values, one per document; the error
/// is the message of an error result.
fn parse_values(text: &str, what: &str) -> Result<Vec<Value>, String> {
    if text.trim_start().starts_with('{') {
        let stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        return stream
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{what} is not valid JSON: {e}"));
    }
    let (documents, errors) = parse_documents(0, text);
    if let Some(error) = errors.first() {
        let line = error.span.map_or(String::new(), |s| {
            format!(" (line {})", crate::source::position(text, s.start()).0)
        });
        return Err(format!("{what} is not valid YAML{line}: {}", error.message));
    }
    // Each tree is let go of once it is a value.
    Ok(documents.into_iter().map(|d| d.to_json()).collect())
}

/// The KRM function: a ResourceList in, a ResourceList out. Returns the
/// output text and whether the run failed (exit status 1).
pub fn run_resource_list(input: &str) -> (String, Transformed) {
    let json_in = input.trim_start().starts_with('{');
    let (mut transformed, taint) = match read_resource_list(input) {
        Ok((items, config, taint)) => (transform(items, config.as_ref()), taint),
        Err(message) => (
            Transformed {
                items: Vec::new(),
                results: vec![KrmResult::error(message)],
                failed: true,
            },
            taint_of(&[input]),
        ),
    };
    seal(&mut transformed.results, &taint);
    let mut list = json!({
        "apiVersion": RESOURCE_LIST_API_VERSION,
        "kind": "ResourceList",
        "items": transformed.items,
    });
    if !transformed.results.is_empty() {
        list["results"] = serde_json::to_value(&transformed.results).unwrap_or_default();
    }
    let text = if json_in {
        let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
        text.push('\n');
        text
    } else {
        to_yaml(&list)
    };
    (text, transformed)
}

/// The items, the functionConfig, and the Secret values of the whole list
/// (one document: an alias in the functionConfig or the list itself may
/// copy a Secret value of an item), read from the values already parsed.
fn read_resource_list(input: &str) -> Result<(Vec<Value>, Option<Value>, Taint), String> {
    let mut documents = parse_values(input, "the input ResourceList")?.into_iter();
    let mut list = documents.next().unwrap_or(Value::Null);
    let mut taint = Taint::default();
    secrets::taint_json(&list, &mut taint);
    let api_version = list.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = list.get("kind").and_then(Value::as_str).unwrap_or("");
    let known_version = matches!(
        api_version,
        "config.kubernetes.io/v1" | "config.kubernetes.io/v1alpha1"
    );
    if kind != "ResourceList" || !known_version || documents.next().is_some() {
        return Err(format!(
            "standard input must be one {RESOURCE_LIST_API_VERSION} ResourceList (the KRM \
             function protocol), found {api_version} {kind}; to render files use `aigw render`"
        ));
    }
    // Taken out, not copied: the items are most of the input.
    let items = match list.get_mut("items").map(Value::take) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("ResourceList items must be a list".into()),
    };
    Ok((
        items,
        list.get_mut("functionConfig").map(Value::take),
        taint,
    ))
}

/// kustomize's exec plugin protocol: `config` is the text of the plugin's
/// config file, `input` the resources as a YAML stream. Returns the output
/// stream (empty when failed).
pub fn run_exec_plugin(config: &str, input: &str) -> (String, Transformed) {
    let parsed = parse_values(config, "the plugin config").and_then(|config| {
        let items = parse_values(input, "the input resources")?;
        Ok((items, config.into_iter().next()))
    });
    let (mut transformed, taint) = match parsed {
        Ok((items, config)) => {
            let mut taint = Taint::default();
            items
                .iter()
                .chain(config.as_ref())
                .for_each(|v| secrets::taint_json(v, &mut taint));
            (transform(items, config.as_ref()), taint)
        }
        Err(message) => (
            Transformed {
                items: Vec::new(),
                results: vec![KrmResult::error(message)],
                failed: true,
            },
            taint_of(&[config, input]),
        ),
    };
    seal(&mut transformed.results, &taint);
    let text = if transformed.failed {
        String::new()
    } else {
        emit(&transformed.items, OutputFormat::Yaml)
    };
    (text, transformed)
}

/// The Secret values in the documents of `texts` (see [`secrets::collect`]),
/// for input that could not be read into values.
fn taint_of(texts: &[&str]) -> Taint {
    let mut hidden = secrets::Hidden::default();
    for text in texts {
        for doc in parse_documents(0, text).0 {
            secrets::collect(&doc, &mut hidden);
        }
    }
    hidden.taint
}

/// Takes every Secret value out of the text of `results`; the pipeline's
/// diagnostics are sealed already, but not the functionConfig's errors or
/// the resource references.
fn seal(results: &mut [KrmResult], taint: &Taint) {
    if taint.is_empty() {
        return;
    }
    let seal = |text: &mut String| *text = taint.seal(text);
    for result in results {
        seal(&mut result.message);
        if let Some(field) = &mut result.field {
            seal(&mut field.path);
        }
        if let Some(r) = &mut result.resource_ref {
            for text in [
                &mut r.api_version,
                &mut r.kind,
                &mut r.name,
                &mut r.namespace,
            ] {
                seal(text);
            }
        }
        if let Some(file) = &mut result.file {
            seal(&mut file.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_map_and_typed_config_carry_the_options() {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {
            "namespace": "ai", "strict": "yes", "extprocImage": "x/y:1",
            "extprocImagePullPolicy": "Always", "extprocLogLevel": "debug"}});
        let options = options_from_config(Some(&cm)).expect("valid");
        assert_eq!(options.namespace, "ai");
        assert!(options.strict);
        assert_eq!(options.extproc.image, "x/y:1");
        assert_eq!(options.extproc.pull_policy, "Always");
        assert_eq!(options.extproc.log_level, "debug");

        let typed = json!({"apiVersion": CONFIG_API_VERSION, "kind": CONFIG_KIND,
            "spec": {"strict": false, "namespace": ""}});
        let options = options_from_config(Some(&typed)).expect("valid");
        assert!(!options.strict);
        assert_eq!(options.namespace, "default");
    }

    #[test]
    fn bad_config_is_an_error_per_key() {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {
            "namespace": "No_Such", "strict": "maybe", "extprocLogLevel": "trace", "image": "x"}});
        let errors = options_from_config(Some(&cm)).expect_err("invalid");
        let fields: Vec<_> = errors
            .iter()
            .filter_map(|e| e.field.as_ref())
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "data.namespace",
                "data.strict",
                "data.extprocLogLevel",
                "data.image"
            ]
        );
        let other = json!({"apiVersion": "v1", "kind": "Secret"});
        assert!(options_from_config(Some(&other)).is_err());
    }

    #[test]
    fn hostile_input_fails_cleanly() {
        for input in [
            "",
            "[]",
            "{",
            "{} {}",
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: 5\n",
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [1, [2], null]\n",
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig: 7\n",
            "a: &a [*a]\n",
            "---\n---\n",
        ] {
            let (text, transformed) = run_resource_list(input);
            assert!(transformed.failed, "{input:?}");
            assert!(text.contains("results"), "{input:?}: {text}");
            let (text, transformed) = run_exec_plugin(input, input);
            // A failed plugin run writes nothing for kustomize to read.
            assert!(!transformed.failed || text.is_empty(), "{input:?}");
        }
    }

    /// Each item's document starts where the stream says it does (its
    /// `---` line): a diagnostic's offset maps back to its item.
    #[test]
    fn item_stream_records_where_each_item_starts() {
        let items: Vec<Value> = (0..200)
            .map(|i| json!({"kind": "K", "metadata": {"name": format!("n{i}")}, "data": {"k": "a\nb".repeat(i % 4)}}))
            .collect();
        let (stream, starts) = item_stream(&items);
        let expected: Vec<usize> = stream.match_indices("---\n").map(|(i, _)| i).collect();
        assert_eq!(starts, expected);
        assert_eq!(starts.len(), items.len());
    }

    #[test]
    fn results_never_carry_secret_values() {
        let input = include_str!("../testdata/krm-diagnostics/stdin.txt");
        let (_, transformed) = run_resource_list(input);
        assert!(transformed.failed);
        assert!(!transformed.results.is_empty());
        let results = serde_json::to_string(&transformed.results).unwrap_or_default();
        assert!(!results.contains("sk-do-not-print"), "{results}");
        let lines: String = transformed.results.iter().map(KrmResult::line).collect();
        assert!(!lines.contains("sk-do-not-print"), "{lines}");
    }
}
