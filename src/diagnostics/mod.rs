//! Diagnostics: one type for every problem aigw reports, each with a stable
//! code. The long documentation of each code lives in `docs/rules/CODE.md`
//! and is compiled in for `aigw explain`.

pub mod render;

use std::fmt;

use crate::source::{Sources, Span, Taint};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $name:literal, $severity:ident, $summary:literal; )*) => {
        /// Every rule aigw checks. Codes are stable: never renumber or reuse one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code, e.g. `AIGW001`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }

            /// A short kebab-case name, e.g. `yaml-syntax`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }

            /// One line saying what the rule checks.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }

            /// The long documentation: what, why, an example and its fix.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => include_str!(concat!("../../docs/rules/", $code, ".md"))),* }
            }
        }
    };
}

codes! {
    YamlSyntax = "AIGW001", "yaml-syntax", Error, "A file is not valid YAML or JSON.";
    DocumentShape = "AIGW002", "document-shape", Error, "A document is not a Kubernetes object (a mapping with apiVersion, kind and metadata.name).";
    DuplicateObject = "AIGW003", "duplicate-object", Error, "Two AI Gateway objects have the same kind, namespace and name.";
    UnknownKind = "AIGW004", "unknown-kind", Error, "An object in the aigateway.envoyproxy.io group has a kind or version that does not exist.";
    InvalidMetadata = "AIGW005", "invalid-metadata", Error, "metadata.name or metadata.namespace is not a valid Kubernetes name.";
    NotAManifest = "AIGW007", "not-a-manifest", Error, "A file named on the command line is not a Kubernetes manifest (a kustomization, a Helm template, or other YAML or JSON data).";
    Encoding = "AIGW008", "encoding", Error, "A file is not UTF-8 text (invalid UTF-8, a UTF-16 byte-order mark, or a NUL byte).";
    InputLimit = "AIGW009", "input-limit", Error, "An input exceeds a limit that bounds aigw's time and memory, or holds a number no Kubernetes API can keep exactly.";
    UnknownField = "AIGW010", "unknown-field", Error, "A field that the CRD schema does not define.";
    RequiredField = "AIGW011", "required-field", Error, "A required field is missing.";
    TypeMismatch = "AIGW012", "type-mismatch", Error, "A value has the wrong type (for example a number where a string belongs).";
    EnumValue = "AIGW013", "enum-value", Error, "A value is not one of the values the field supports.";
    StringLength = "AIGW014", "string-length", Error, "A string is shorter or longer than the schema allows.";
    Pattern = "AIGW015", "pattern", Error, "A string does not match the pattern (or format) the schema requires.";
    ItemCount = "AIGW016", "item-count", Error, "A list has fewer or more items than the schema allows.";
    NumberRange = "AIGW017", "number-range", Error, "A number is outside the range the schema allows.";
    DuplicateListKey = "AIGW018", "duplicate-list-key", Error, "Two entries of a keyed list share the same key.";
    TooManyProperties = "AIGW019", "too-many-properties", Error, "An object sets more fields than the schema allows.";
    CrdRule = "AIGW020", "crd-rule", Error, "A validation rule (x-kubernetes-validations) of the CRD is violated.";
    ReleaseField = "AIGW021", "release-field", Error, "A field, kind or version belongs to another Envoy AI Gateway release than the one checked.";
    InvalidCrd = "AIGW022", "invalid-crd", Error, "An AI Gateway CustomResourceDefinition in the input or --crds cannot be read.";
    UnresolvedReference = "AIGW030", "unresolved-reference", Error, "A reference names an AIServiceBackend or BackendSecurityPolicy that is not in the input.";
    EmptyMatch = "AIGW031", "empty-match", Error, "A rule's matches entry has no headers.";
    MultiHeaderMatch = "AIGW032", "multi-header-match", Error, "A rule's matches entry has more than one header; v0.1 matches only the first.";
    CostExpression = "AIGW033", "cost-expression", Error, "An LLM request cost of type CEL is missing or invalid.";
    PolicyShape = "AIGW034", "policy-shape", Error, "A BackendSecurityPolicy lacks the configuration its type needs.";
    SecretNamespace = "AIGW035", "secret-namespace", Error, "A policy's Secret lives in another namespace than the extproc pod that must mount it.";
    SharedGateway = "AIGW036", "shared-gateway", Error, "Two AIGatewayRoutes target the same Gateway.";
    InvalidOutput = "AIGW037", "invalid-output", Error, "An object aigw would generate is one the API server would reject.";
    HeaderNameCase = "AIGW038", "header-name-case", Error, "A match header name has uppercase letters, so the v0.1 filter never matches it.";
    TargetNotGateway = "AIGW039", "target-not-gateway", Error, "A targetRef names something other than a Gateway, which the generated HTTPRoute cannot attach to.";
    ApiGroup = "AIGW040", "api-group", Error, "An AI Gateway kind under a wrong or misspelt API group would pass through and derive nothing.";
    OutputClash = "AIGW041", "output-clash", Error, "Two output objects have the same group, kind, namespace and name; the one applied last replaces the other.";
    RuleWithoutMatches = "AIGW042", "rule-without-matches", Error, "A rule with backendRefs has no matches, so the v0.1 filter never selects it.";
    CrossNamespaceBackend = "AIGW043", "cross-namespace-backend", Error, "A backend points into another namespace and no ReferenceGrant in the input allows it.";
    SecretMismatch = "AIGW044", "secret-mismatch", Error, "A policy's Secret is in the input but in another namespace, or lacks the key the extproc reads.";
    AwsProfile = "AIGW045", "aws-profile", Error, "The v0.1.5 extproc reads only the default profile of an AWS credentials file.";
    SectionName = "AIGW050", "section-name", Warning, "A targetRef sets sectionName, which the EnvoyExtensionPolicy cannot carry.";
    ShadowedRule = "AIGW051", "shadowed-rule", Warning, "Two rules of a route have the same match; only one of them ever gets those requests.";
    NoBackends = "AIGW052", "no-backends", Warning, "A route has no backendRefs at all.";
    ZeroWeights = "AIGW053", "zero-weights", Warning, "All backends of a rule have weight 0.";
    OidcSecret = "AIGW054", "oidc-secret", Warning, "An AWS OIDC policy's Secret is written at run time by the controller.";
    DynamicModule = "AIGW055", "dynamic-module", Warning, "filterConfig.type DynamicModule is reserved; v0.1 deploys the external processor.";
    CelIgnored = "AIGW056", "cel-ignored", Warning, "A cost sets cel but its type is not CEL, so the expression is ignored.";
    AwsCredentialsBoth = "AIGW057", "aws-credentials-both", Warning, "An AWS policy sets both credentialsFile and oidcExchangeToken; only the file is used.";
    RuleWithoutBackends = "AIGW058", "rule-without-backends", Warning, "A rule has no backendRefs, so the requests it matches get a 404.";
    UnusedObject = "AIGW059", "unused-object", Warning, "An AIServiceBackend or BackendSecurityPolicy that no AIGatewayRoute uses.";
    UpgradeHazard = "AIGW060", "upgrade-hazard", Warning, "An object valid in the release checked is rejected by the next built-in release.";
    IgnoredHeaderMatch = "AIGW061", "ignored-header-match", Warning, "A match entry repeats a header name in other case; Gateway API considers only the first.";
    MissingExternalObject = "AIGW062", "missing-external-object", Warning, "A reference names a Backend, Service or InferencePool the input lacks, while it holds others of that kind.";
    OidcSecretNamespace = "AIGW063", "oidc-secret-namespace", Warning, "An OIDC clientSecret reference has no namespace, which the controller's token provider requires.";
    MigrateLimit = "AIGW070", "migrate-limit", Error, "aigw migrate: a route exceeds a limit of the target release (rules, parentRefs) and must be split.";
    MigrateTimeouts = "AIGW071", "migrate-timeouts", Error, "aigw migrate: the backends of one rule have different timeouts, which the target keeps per rule.";
    MigrateGatewayConfig = "AIGW072", "migrate-gateway-config", Error, "aigw migrate: a Gateway would need one GatewayConfig with different settings.";
    MigrateLayout = "AIGW073", "migrate-layout", Error, "aigw migrate: a field is written in a layout that cannot be edited in place (e.g. a shared YAML anchor).";
    MigrateBackendRef = "AIGW074", "migrate-backend-ref", Error, "aigw migrate: a backendRef cannot become the Envoy Gateway Backend the target requires.";
    MigrateUnsupported = "AIGW075", "migrate-unsupported", Error, "aigw migrate: the source or target release is not one aigw can migrate between.";
    MigrateProof = "AIGW076", "migrate-proof", Error, "aigw migrate: the migrated manifests do not validate, or route differently from the input.";
    MigrateRejected = "AIGW078", "migrate-rejected", Error, "aigw migrate: the target release rejects a value the source release accepts, which no migration step changes.";
    DiffInvalidSide = "AIGW080", "diff-invalid-side", Error, "aigw diff: one side of the comparison is not valid, so its routing is unknown.";
}

impl Code {
    /// Looks a code up by its code (`AIGW031`, case-insensitive) or name.
    pub fn lookup(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text) || c.name() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that helps explain a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub message: String,
    pub span: Span,
    /// Whether the human format may quote the source around `span`. False
    /// for locations inside a Secret, whose values must never be shown.
    pub quote: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The object the problem is in, e.g. `AIGatewayRoute default/chat`.
    pub object: Option<String>,
    /// The field path, API-server style: `spec.rules[0].matches[0].headers`.
    pub path: Option<String>,
    pub span: Option<Span>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// Whether the human format may quote the source around `span`; see
    /// [`Diagnostic::at_position`].
    pub quote: bool,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            object: None,
            path: None,
            span: None,
            help: None,
            related: Vec::new(),
            quote: true,
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Located at `span`, which is given only by file, line and column,
    /// never quoted: for places inside a Secret, whose values must never
    /// be shown.
    pub fn at_position(mut self, span: Span) -> Self {
        self.span = Some(span);
        self.quote = false;
        self
    }

    pub fn path(mut self, path: impl fmt::Display) -> Self {
        self.path = Some(path.to_string());
        self
    }

    pub fn object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, message: impl Into<String>, span: Span) -> Self {
        self.related.push(Related {
            message: message.into(),
            span,
            quote: true,
        });
        self
    }

    /// A related location given only by file, line and column, never
    /// quoted: for places inside a Secret.
    pub fn related_position(mut self, message: impl Into<String>, span: Span) -> Self {
        self.related.push(Related {
            message: message.into(),
            span,
            quote: false,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Diagnostics of one run, with the sources they point into.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Takes every Secret value out of the text of every diagnostic:
    /// message, help, related labels, object and path. Spans need nothing:
    /// the source text that snippets quote is masked already.
    pub fn seal(&mut self, taint: &Taint) {
        if taint.is_empty() {
            return;
        }
        let seal = |text: &mut String| *text = taint.seal(text);
        for d in &mut self.diagnostics {
            seal(&mut d.message);
            d.help.iter_mut().for_each(seal);
            d.object.iter_mut().for_each(seal);
            d.path.iter_mut().for_each(seal);
            d.related.iter_mut().for_each(|r| seal(&mut r.message));
        }
    }

    /// `--strict`: every warning becomes an error.
    pub fn promote_warnings(&mut self) {
        for d in &mut self.diagnostics {
            d.severity = Severity::Error;
        }
    }

    /// Orders by file, then position, then code; drops exact repeats.
    pub fn sort(&mut self, sources: &Sources) {
        self.diagnostics.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    d.span.map(|s| sources.name(s.file).to_string()),
                    // Offsets order as lines and columns do.
                    d.span.map(|s| s.start()),
                    d.code,
                    d.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        self.diagnostics.dedup();
    }

    pub fn counts(&self) -> (usize, usize) {
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        (errors, self.diagnostics.len() - errors)
    }
}
