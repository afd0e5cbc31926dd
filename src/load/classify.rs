//! Files that hold no Kubernetes manifest, although they are YAML or JSON:
//! kustomizations, Helm templates, KRM function configurations, and plain
//! data (compose files, CI workflows, package.json, Helm values). A
//! directory walk skips them with one line each; a file named on the
//! command line is an error (AIGW007), since the user asked for it.

use std::path::Path;

use super::node::Node;
use super::walk;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A kustomization file (by name, or by `kind: Kustomization`).
    Kustomization { dir: String },
    /// A Go template: a Helm chart's template, or YAML broken by `{{`.
    HelmTemplate { chart: Option<String> },
    /// A KRM function's configuration, read by kustomize.
    FunctionConfig,
    /// YAML or JSON whose documents have neither apiVersion nor kind.
    NoObjects,
}

#[derive(Debug, Clone)]
pub struct NotManifest {
    pub what: What,
    /// Where to point a diagnostic: the first `{{`, or the first document.
    pub span: Span,
}

const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
const FUNCTION_ANNOTATION: &str = "config.kubernetes.io/function";

/// Says why a file is not a manifest, if it is not one. A file with syntax
/// errors is a manifest with syntax errors unless `{{` explains them.
pub fn not_a_manifest(
    file: FileId,
    path: Option<&Path>,
    text: &str,
    documents: &[Node],
    errors: &[Diagnostic],
) -> Option<NotManifest> {
    let first_doc = documents
        .first()
        .map_or(Span::point(file, 0), |d| Span::point(file, d.span.start()));
    let at = |what| {
        Some(NotManifest {
            what,
            span: first_doc,
        })
    };
    let dir_of = |p: &Path| {
        p.parent()
            .map(walk::display)
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| ".".into())
    };
    let file_name = path.and_then(|p| p.file_name()).and_then(|n| n.to_str());
    if let (Some(path), Some(true)) = (path, file_name.map(|n| KUSTOMIZATION_FILES.contains(&n))) {
        return at(What::Kustomization { dir: dir_of(path) });
    }
    let template_at = text.find("{{").map(|i| Span::point(file, i));
    if let Some(chart) = path.and_then(walk::chart_of_template) {
        return Some(NotManifest {
            what: What::HelmTemplate {
                chart: Some(walk::display(&chart)),
            },
            span: template_at.unwrap_or(first_doc),
        });
    }
    if !errors.is_empty() {
        // Only a `{{` where the YAML breaks makes a template: a broken
        // manifest with `{{` in a comment or string is still reported.
        let lines: Vec<&str> = text.lines().collect();
        let near_error = |d: &Diagnostic| {
            d.span.is_some_and(|s| {
                let line = crate::source::position(text, s.start()).0.saturating_sub(1);
                (line.saturating_sub(1)..=line)
                    .any(|i| lines.get(i).is_some_and(|l| l.contains("{{")))
            })
        };
        return template_at
            .filter(|_| errors.iter().any(near_error))
            .map(|span| NotManifest {
                what: What::HelmTemplate { chart: None },
                span,
            });
    }
    if documents.is_empty() {
        return None;
    }
    if documents.iter().any(is_kustomization) {
        let dir = path.map_or_else(|| ".".into(), dir_of);
        return at(What::Kustomization { dir });
    }
    if documents.iter().all(is_function_config) {
        return at(What::FunctionConfig);
    }
    if !documents.iter().any(looks_like_objects) {
        return at(What::NoObjects);
    }
    None
}

/// A mapping with apiVersion or kind, or a list of such mappings (a broken
/// manifest, not data).
fn looks_like_objects(doc: &Node) -> bool {
    let object = |d: &Node| d.entry("apiVersion").is_some() || d.entry("kind").is_some();
    object(doc) || doc.as_seq().is_some_and(|items| items.iter().any(object))
}

fn is_kustomization(doc: &Node) -> bool {
    doc.get_str("apiVersion")
        .is_some_and(|v| v.starts_with("kustomize.config.k8s.io/"))
        && matches!(doc.get_str("kind"), Some("Kustomization" | "Component"))
}

/// A function's configuration: annotated as one, or aigw's own
/// `AIGatewayRender`, which the exec-plugin layout leaves unannotated.
pub fn is_function_config(doc: &Node) -> bool {
    let annotated = doc
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.entry(FUNCTION_ANNOTATION))
        .is_some();
    let ours = doc
        .get_str("apiVersion")
        .is_some_and(|v| v.starts_with("aigw/"))
        && doc.get_str("kind") == Some(crate::krm::CONFIG_KIND);
    annotated || ours
}

/// A zero-length span at byte `at`.
fn kustomize_hint(dir: &str) -> String {
    format!("render what it builds with `kubectl kustomize {dir} | aigw render -`, or run `aigw krm` as its transformer")
}

pub(super) fn helm_hint(chart: Option<&str>) -> String {
    match chart {
        Some(chart) => format!("render the chart first: `helm template {chart} | aigw render -`"),
        None => "render the template first, e.g. `helm template CHART | aigw render -`".into(),
    }
}

impl NotManifest {
    /// The one line a directory walk prints for a skipped file.
    pub fn reason(&self) -> String {
        match &self.what {
            What::Kustomization { dir } => format!("a kustomization; {}", kustomize_hint(dir)),
            What::HelmTemplate { chart } => {
                format!(
                    "a Helm template ({{{{ ... }}}}); {}",
                    helm_hint(chart.as_deref())
                )
            }
            What::FunctionConfig => "a KRM function configuration (read by kustomize)".into(),
            What::NoObjects => {
                "no Kubernetes object in it (no document has apiVersion or kind)".into()
            }
        }
    }

    /// The reason without the path, for a summary of many skipped files.
    pub fn group(&self) -> &'static str {
        match &self.what {
            What::Kustomization { .. } => "kustomizations; render what each builds: `kubectl kustomize DIR | aigw render -`",
            What::HelmTemplate { .. } => "Helm templates ({{ ... }}); render the chart first: `helm template CHART | aigw render -`",
            What::FunctionConfig => "KRM function configurations (read by kustomize)",
            What::NoObjects => "files with no Kubernetes object (no document has apiVersion or kind)",
        }
    }

    /// The error for a file named on the command line.
    pub fn diagnostic(&self, name: &str) -> Diagnostic {
        let (message, help) = match &self.what {
            What::Kustomization { dir } => (
                format!("{name} is a kustomization, not a Kubernetes manifest"),
                kustomize_hint(dir),
            ),
            What::HelmTemplate { chart } => (
                format!("{name} is a Helm template ({{{{ ... }}}}), not a Kubernetes manifest"),
                helm_hint(chart.as_deref()),
            ),
            What::FunctionConfig => (
                format!("{name} is a KRM function configuration, not a Kubernetes manifest"),
                "kustomize reads it; name the manifests instead".into(),
            ),
            What::NoObjects => (
                format!("{name} holds no Kubernetes object: no document has apiVersion or kind"),
                "aigw reads Kubernetes manifests; compose files, CI workflows, package.json and Helm values are not manifests".into(),
            ),
        };
        Diagnostic::new(Code::NotAManifest, message)
            .at(self.span)
            .help(help)
    }
}
