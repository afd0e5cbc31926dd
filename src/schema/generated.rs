//! The schemas of the three input kinds, as static data.
//!
//! Generated from the models' derived JSON Schema by `scripts/regenerate`
//! (src/schema/codegen.rs); do not edit. `cargo test` fails while it is
//! out of date.

use std::sync::OnceLock;

use super::{CrdRule, JsonType, Literal, Matcher, Pattern, Schema};

/// One matcher per distinct pattern, built on first use.
static REGEX: [OnceLock<Matcher>; 9] = [const { OnceLock::new() }; 9];

/// The schema of AIGatewayRoute.
pub static ROUTE: Schema = Schema {
    types: &[JsonType::Object],
    properties: &[
        ("apiVersion", Schema { types: &[JsonType::String], ..Schema::ANY }),
        ("kind", Schema { types: &[JsonType::String], ..Schema::ANY }),
        ("metadata", Schema {
            types: &[JsonType::Object],
            properties: &[
                ("name", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("namespace", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("uid", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("labels", Schema {
                    types: &[JsonType::Object],
                    values: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("annotations", Schema {
                    types: &[JsonType::Object],
                    values: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("generateName", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("resourceVersion", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("generation", Schema {
                    types: &[JsonType::Integer],
                    format: Some("int64"),
                    ..Schema::ANY
                }),
                ("creationTimestamp", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("deletionTimestamp", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("deletionGracePeriodSeconds", Schema {
                    types: &[JsonType::Integer],
                    format: Some("int64"),
                    ..Schema::ANY
                }),
                ("finalizers", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("ownerReferences", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("managedFields", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("selfLink", Schema { types: &[JsonType::String], ..Schema::ANY }),
            ],
            closed: true,
            required: &["name"],
            ..Schema::ANY
        }),
        ("spec", Schema {
            types: &[JsonType::Object],
            properties: &[
                ("targetRefs", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema {
                        types: &[JsonType::Object],
                        properties: &[
                            ("group", Schema {
                                types: &[JsonType::String],
                                patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                                max_length: Some(253),
                                ..Schema::ANY
                            }),
                            ("kind", Schema {
                                types: &[JsonType::String],
                                patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                                min_length: Some(1),
                                max_length: Some(63),
                                ..Schema::ANY
                            }),
                            ("name", Schema {
                                types: &[JsonType::String],
                                min_length: Some(1),
                                max_length: Some(253),
                                ..Schema::ANY
                            }),
                            ("sectionName", Schema {
                                types: &[JsonType::String],
                                patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[2] }],
                                min_length: Some(1),
                                max_length: Some(253),
                                ..Schema::ANY
                            }),
                        ],
                        closed: true,
                        required: &["group", "kind", "name"],
                        ..Schema::ANY
                    }),
                    min_items: Some(1),
                    max_items: Some(128),
                    ..Schema::ANY
                }),
                ("schema", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("name", Schema {
                            types: &[JsonType::String],
                            enum_values: &["OpenAI", "AWSBedrock"],
                            ..Schema::ANY
                        }),
                        ("version", Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ],
                    closed: true,
                    required: &["name"],
                    rules: &[CrdRule { rule: "self.name == 'OpenAI'", message: None }],
                    ..Schema::ANY
                }),
                ("rules", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema {
                        types: &[JsonType::Object],
                        properties: &[
                            ("backendRefs", Schema {
                                types: &[JsonType::Array],
                                items: Some(&Schema {
                                    types: &[JsonType::Object],
                                    properties: &[
                                        ("name", Schema {
                                            types: &[JsonType::String],
                                            min_length: Some(1),
                                            ..Schema::ANY
                                        }),
                                        ("weight", Schema {
                                            types: &[JsonType::Integer],
                                            format: Some("int64"),
                                            minimum: Some(0),
                                            default: Some(Literal::Int(1)),
                                            ..Schema::ANY
                                        }),
                                    ],
                                    closed: true,
                                    required: &["name"],
                                    ..Schema::ANY
                                }),
                                max_items: Some(128),
                                ..Schema::ANY
                            }),
                            ("matches", Schema {
                                types: &[JsonType::Array],
                                items: Some(&Schema {
                                    types: &[JsonType::Object],
                                    properties: &[
                                        ("headers", Schema {
                                            types: &[JsonType::Array],
                                            items: Some(&Schema {
                                                types: &[JsonType::Object],
                                                properties: &[
                                                    ("type", Schema {
                                                        types: &[JsonType::String],
                                                        enum_values: &["Exact", "RegularExpression"],
                                                        default: Some(Literal::Str("Exact")),
                                                        ..Schema::ANY
                                                    }),
                                                    ("name", Schema {
                                                        types: &[JsonType::String],
                                                        patterns: &[Pattern { text: "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$", regex: &REGEX[3] }],
                                                        min_length: Some(1),
                                                        max_length: Some(256),
                                                        ..Schema::ANY
                                                    }),
                                                    ("value", Schema {
                                                        types: &[JsonType::String],
                                                        min_length: Some(1),
                                                        max_length: Some(4096),
                                                        ..Schema::ANY
                                                    }),
                                                ],
                                                closed: true,
                                                required: &["name", "value"],
                                                ..Schema::ANY
                                            }),
                                            max_items: Some(16),
                                            list_map_keys: &["name"],
                                            rules: &[CrdRule { rule: "self.all(match, match.type != 'RegularExpression')", message: Some("currently only exact match is supported") }],
                                            ..Schema::ANY
                                        }),
                                    ],
                                    closed: true,
                                    ..Schema::ANY
                                }),
                                max_items: Some(128),
                                ..Schema::ANY
                            }),
                        ],
                        closed: true,
                        ..Schema::ANY
                    }),
                    max_items: Some(128),
                    ..Schema::ANY
                }),
                ("filterConfig", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("type", Schema {
                            types: &[JsonType::String],
                            enum_values: &["ExternalProcessor", "DynamicModule"],
                            default: Some(Literal::Str("ExternalProcessor")),
                            ..Schema::ANY
                        }),
                        ("externalProcessor", Schema {
                            types: &[JsonType::Object],
                            properties: &[
                                ("replicas", Schema {
                                    types: &[JsonType::Integer],
                                    format: Some("int32"),
                                    ..Schema::ANY
                                }),
                                ("resources", Schema {
                                    types: &[JsonType::Object],
                                    properties: &[
                                        ("claims", Schema {
                                            types: &[JsonType::Array],
                                            items: Some(&Schema {
                                                types: &[JsonType::Object],
                                                properties: &[
                                                    ("name", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                    ("request", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                ],
                                                closed: true,
                                                required: &["name"],
                                                ..Schema::ANY
                                            }),
                                            list_map_keys: &["name"],
                                            ..Schema::ANY
                                        }),
                                        ("limits", Schema {
                                            types: &[JsonType::Object],
                                            values: Some(&Schema {
                                                int_or_string: true,
                                                patterns: &[Pattern { text: "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$", regex: &REGEX[4] }],
                                                ..Schema::ANY
                                            }),
                                            ..Schema::ANY
                                        }),
                                        ("requests", Schema {
                                            types: &[JsonType::Object],
                                            values: Some(&Schema {
                                                int_or_string: true,
                                                patterns: &[Pattern { text: "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$", regex: &REGEX[4] }],
                                                ..Schema::ANY
                                            }),
                                            ..Schema::ANY
                                        }),
                                    ],
                                    closed: true,
                                    ..Schema::ANY
                                }),
                            ],
                            closed: true,
                            ..Schema::ANY
                        }),
                    ],
                    closed: true,
                    ..Schema::ANY
                }),
                ("llmRequestCosts", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema {
                        types: &[JsonType::Object],
                        properties: &[
                            ("metadataKey", Schema { types: &[JsonType::String], ..Schema::ANY }),
                            ("type", Schema {
                                types: &[JsonType::String],
                                enum_values: &["OutputToken", "InputToken", "TotalToken", "CEL"],
                                ..Schema::ANY
                            }),
                            ("cel", Schema { types: &[JsonType::String], ..Schema::ANY }),
                        ],
                        closed: true,
                        required: &["metadataKey", "type"],
                        ..Schema::ANY
                    }),
                    max_items: Some(36),
                    ..Schema::ANY
                }),
            ],
            closed: true,
            required: &["targetRefs", "schema", "rules"],
            ..Schema::ANY
        }),
    ],
    closed: true,
    required: &["apiVersion", "kind", "metadata", "spec"],
    ..Schema::ANY
};

/// The schema of AIServiceBackend.
pub static BACKEND: Schema = Schema {
    types: &[JsonType::Object],
    properties: &[
        ("apiVersion", Schema { types: &[JsonType::String], ..Schema::ANY }),
        ("kind", Schema { types: &[JsonType::String], ..Schema::ANY }),
        ("metadata", Schema {
            types: &[JsonType::Object],
            properties: &[
                ("name", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("namespace", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("uid", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("labels", Schema {
                    types: &[JsonType::Object],
                    values: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("annotations", Schema {
                    types: &[JsonType::Object],
                    values: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("generateName", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("resourceVersion", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("generation", Schema {
                    types: &[JsonType::Integer],
                    format: Some("int64"),
                    ..Schema::ANY
                }),
                ("creationTimestamp", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("deletionTimestamp", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("deletionGracePeriodSeconds", Schema {
                    types: &[JsonType::Integer],
                    format: Some("int64"),
                    ..Schema::ANY
                }),
                ("finalizers", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("ownerReferences", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("managedFields", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("selfLink", Schema { types: &[JsonType::String], ..Schema::ANY }),
            ],
            closed: true,
            required: &["name"],
            ..Schema::ANY
        }),
        ("spec", Schema {
            types: &[JsonType::Object],
            properties: &[
                ("schema", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("name", Schema {
                            types: &[JsonType::String],
                            enum_values: &["OpenAI", "AWSBedrock"],
                            ..Schema::ANY
                        }),
                        ("version", Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ],
                    closed: true,
                    required: &["name"],
                    ..Schema::ANY
                }),
                ("backendRef", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("group", Schema {
                            types: &[JsonType::String],
                            patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                            max_length: Some(253),
                            default: Some(Literal::Str("")),
                            ..Schema::ANY
                        }),
                        ("kind", Schema {
                            types: &[JsonType::String],
                            patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                            min_length: Some(1),
                            max_length: Some(63),
                            default: Some(Literal::Str("Service")),
                            ..Schema::ANY
                        }),
                        ("name", Schema {
                            types: &[JsonType::String],
                            min_length: Some(1),
                            max_length: Some(253),
                            ..Schema::ANY
                        }),
                        ("namespace", Schema {
                            types: &[JsonType::String],
                            patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", regex: &REGEX[5] }],
                            min_length: Some(1),
                            max_length: Some(63),
                            ..Schema::ANY
                        }),
                        ("port", Schema {
                            types: &[JsonType::Integer],
                            format: Some("int32"),
                            minimum: Some(1),
                            maximum: Some(65535),
                            ..Schema::ANY
                        }),
                    ],
                    closed: true,
                    required: &["name"],
                    rules: &[CrdRule { rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true", message: Some("Must have port for Service reference") }],
                    ..Schema::ANY
                }),
                ("backendSecurityPolicyRef", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("group", Schema {
                            types: &[JsonType::String],
                            patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                            max_length: Some(253),
                            ..Schema::ANY
                        }),
                        ("kind", Schema {
                            types: &[JsonType::String],
                            patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                            min_length: Some(1),
                            max_length: Some(63),
                            ..Schema::ANY
                        }),
                        ("name", Schema {
                            types: &[JsonType::String],
                            min_length: Some(1),
                            max_length: Some(253),
                            ..Schema::ANY
                        }),
                    ],
                    closed: true,
                    required: &["group", "kind", "name"],
                    ..Schema::ANY
                }),
                ("timeouts", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("backendRequest", Schema {
                            types: &[JsonType::String],
                            patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                            ..Schema::ANY
                        }),
                        ("request", Schema {
                            types: &[JsonType::String],
                            patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                            ..Schema::ANY
                        }),
                    ],
                    closed: true,
                    rules: &[CrdRule { rule: "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))", message: Some("backendRequest timeout cannot be longer than request timeout") }],
                    ..Schema::ANY
                }),
            ],
            closed: true,
            required: &["schema", "backendRef"],
            ..Schema::ANY
        }),
    ],
    closed: true,
    required: &["apiVersion", "kind", "metadata", "spec"],
    ..Schema::ANY
};

/// The schema of BackendSecurityPolicy.
pub static POLICY: Schema = Schema {
    types: &[JsonType::Object],
    properties: &[
        ("apiVersion", Schema { types: &[JsonType::String], ..Schema::ANY }),
        ("kind", Schema { types: &[JsonType::String], ..Schema::ANY }),
        ("metadata", Schema {
            types: &[JsonType::Object],
            properties: &[
                ("name", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("namespace", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("uid", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("labels", Schema {
                    types: &[JsonType::Object],
                    values: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("annotations", Schema {
                    types: &[JsonType::Object],
                    values: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("generateName", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("resourceVersion", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("generation", Schema {
                    types: &[JsonType::Integer],
                    format: Some("int64"),
                    ..Schema::ANY
                }),
                ("creationTimestamp", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("deletionTimestamp", Schema { types: &[JsonType::String], ..Schema::ANY }),
                ("deletionGracePeriodSeconds", Schema {
                    types: &[JsonType::Integer],
                    format: Some("int64"),
                    ..Schema::ANY
                }),
                ("finalizers", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("ownerReferences", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("managedFields", Schema {
                    types: &[JsonType::Array],
                    items: Some(&Schema { ..Schema::ANY }),
                    ..Schema::ANY
                }),
                ("selfLink", Schema { types: &[JsonType::String], ..Schema::ANY }),
            ],
            closed: true,
            required: &["name"],
            ..Schema::ANY
        }),
        ("spec", Schema {
            types: &[JsonType::Object],
            properties: &[
                ("type", Schema {
                    types: &[JsonType::String],
                    enum_values: &["APIKey", "AWSCredentials"],
                    ..Schema::ANY
                }),
                ("apiKey", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("secretRef", Schema {
                            types: &[JsonType::Object],
                            properties: &[
                                ("group", Schema {
                                    types: &[JsonType::String],
                                    patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                                    max_length: Some(253),
                                    default: Some(Literal::Str("")),
                                    ..Schema::ANY
                                }),
                                ("kind", Schema {
                                    types: &[JsonType::String],
                                    patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                                    min_length: Some(1),
                                    max_length: Some(63),
                                    default: Some(Literal::Str("Secret")),
                                    ..Schema::ANY
                                }),
                                ("name", Schema {
                                    types: &[JsonType::String],
                                    min_length: Some(1),
                                    max_length: Some(253),
                                    ..Schema::ANY
                                }),
                                ("namespace", Schema {
                                    types: &[JsonType::String],
                                    patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", regex: &REGEX[5] }],
                                    min_length: Some(1),
                                    max_length: Some(63),
                                    ..Schema::ANY
                                }),
                            ],
                            closed: true,
                            required: &["name"],
                            ..Schema::ANY
                        }),
                    ],
                    closed: true,
                    required: &["secretRef"],
                    ..Schema::ANY
                }),
                ("awsCredentials", Schema {
                    types: &[JsonType::Object],
                    properties: &[
                        ("region", Schema {
                            types: &[JsonType::String],
                            min_length: Some(1),
                            ..Schema::ANY
                        }),
                        ("credentialsFile", Schema {
                            types: &[JsonType::Object],
                            properties: &[
                                ("secretRef", Schema {
                                    types: &[JsonType::Object],
                                    properties: &[
                                        ("group", Schema {
                                            types: &[JsonType::String],
                                            patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                                            max_length: Some(253),
                                            default: Some(Literal::Str("")),
                                            ..Schema::ANY
                                        }),
                                        ("kind", Schema {
                                            types: &[JsonType::String],
                                            patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                                            min_length: Some(1),
                                            max_length: Some(63),
                                            default: Some(Literal::Str("Secret")),
                                            ..Schema::ANY
                                        }),
                                        ("name", Schema {
                                            types: &[JsonType::String],
                                            min_length: Some(1),
                                            max_length: Some(253),
                                            ..Schema::ANY
                                        }),
                                        ("namespace", Schema {
                                            types: &[JsonType::String],
                                            patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", regex: &REGEX[5] }],
                                            min_length: Some(1),
                                            max_length: Some(63),
                                            ..Schema::ANY
                                        }),
                                    ],
                                    closed: true,
                                    required: &["name"],
                                    ..Schema::ANY
                                }),
                                ("profile", Schema {
                                    types: &[JsonType::String],
                                    default: Some(Literal::Str("default")),
                                    ..Schema::ANY
                                }),
                            ],
                            closed: true,
                            required: &["secretRef"],
                            ..Schema::ANY
                        }),
                        ("oidcExchangeToken", Schema {
                            types: &[JsonType::Object],
                            properties: &[
                                ("oidc", Schema {
                                    types: &[JsonType::Object],
                                    properties: &[
                                        ("provider", Schema {
                                            types: &[JsonType::Object],
                                            properties: &[
                                                ("backendRef", Schema {
                                                    types: &[JsonType::Object],
                                                    properties: &[
                                                        ("group", Schema {
                                                            types: &[JsonType::String],
                                                            patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                                                            max_length: Some(253),
                                                            default: Some(Literal::Str("")),
                                                            ..Schema::ANY
                                                        }),
                                                        ("kind", Schema {
                                                            types: &[JsonType::String],
                                                            patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                                                            min_length: Some(1),
                                                            max_length: Some(63),
                                                            default: Some(Literal::Str("Service")),
                                                            ..Schema::ANY
                                                        }),
                                                        ("name", Schema {
                                                            types: &[JsonType::String],
                                                            min_length: Some(1),
                                                            max_length: Some(253),
                                                            ..Schema::ANY
                                                        }),
                                                        ("namespace", Schema {
                                                            types: &[JsonType::String],
                                                            patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", regex: &REGEX[5] }],
                                                            min_length: Some(1),
                                                            max_length: Some(63),
                                                            ..Schema::ANY
                                                        }),
                                                        ("port", Schema {
                                                            types: &[JsonType::Integer],
                                                            format: Some("int32"),
                                                            minimum: Some(1),
                                                            maximum: Some(65535),
                                                            ..Schema::ANY
                                                        }),
                                                    ],
                                                    closed: true,
                                                    required: &["name"],
                                                    rules: &[CrdRule { rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true", message: Some("Must have port for Service reference") }],
                                                    ..Schema::ANY
                                                }),
                                                ("backendRefs", Schema {
                                                    types: &[JsonType::Array],
                                                    items: Some(&Schema {
                                                        types: &[JsonType::Object],
                                                        properties: &[
                                                            ("group", Schema {
                                                                types: &[JsonType::String],
                                                                patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                                                                max_length: Some(253),
                                                                default: Some(Literal::Str("")),
                                                                ..Schema::ANY
                                                            }),
                                                            ("kind", Schema {
                                                                types: &[JsonType::String],
                                                                patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                                                                min_length: Some(1),
                                                                max_length: Some(63),
                                                                default: Some(Literal::Str("Service")),
                                                                ..Schema::ANY
                                                            }),
                                                            ("name", Schema {
                                                                types: &[JsonType::String],
                                                                min_length: Some(1),
                                                                max_length: Some(253),
                                                                ..Schema::ANY
                                                            }),
                                                            ("namespace", Schema {
                                                                types: &[JsonType::String],
                                                                patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", regex: &REGEX[5] }],
                                                                min_length: Some(1),
                                                                max_length: Some(63),
                                                                ..Schema::ANY
                                                            }),
                                                            ("port", Schema {
                                                                types: &[JsonType::Integer],
                                                                format: Some("int32"),
                                                                minimum: Some(1),
                                                                maximum: Some(65535),
                                                                ..Schema::ANY
                                                            }),
                                                            ("fallback", Schema { types: &[JsonType::Boolean], ..Schema::ANY }),
                                                        ],
                                                        closed: true,
                                                        required: &["name"],
                                                        rules: &[CrdRule { rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true", message: Some("Must have port for Service reference") }],
                                                        ..Schema::ANY
                                                    }),
                                                    max_items: Some(16),
                                                    ..Schema::ANY
                                                }),
                                                ("backendSettings", Schema {
                                                    types: &[JsonType::Object],
                                                    properties: &[
                                                        ("circuitBreaker", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("maxConnections", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int64"),
                                                                    minimum: Some(0),
                                                                    maximum: Some(4294967295),
                                                                    default: Some(Literal::Int(1024)),
                                                                    ..Schema::ANY
                                                                }),
                                                                ("maxParallelRequests", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int64"),
                                                                    minimum: Some(0),
                                                                    maximum: Some(4294967295),
                                                                    default: Some(Literal::Int(1024)),
                                                                    ..Schema::ANY
                                                                }),
                                                                ("maxParallelRetries", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int64"),
                                                                    minimum: Some(0),
                                                                    maximum: Some(4294967295),
                                                                    default: Some(Literal::Int(1024)),
                                                                    ..Schema::ANY
                                                                }),
                                                                ("maxPendingRequests", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int64"),
                                                                    minimum: Some(0),
                                                                    maximum: Some(4294967295),
                                                                    default: Some(Literal::Int(1024)),
                                                                    ..Schema::ANY
                                                                }),
                                                                ("maxRequestsPerConnection", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int64"),
                                                                    minimum: Some(0),
                                                                    maximum: Some(4294967295),
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                        ("connection", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("bufferLimit", Schema {
                                                                    int_or_string: true,
                                                                    patterns: &[Pattern { text: "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$", regex: &REGEX[4] }, Pattern { text: "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$", regex: &REGEX[7] }],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("socketBufferLimit", Schema {
                                                                    int_or_string: true,
                                                                    patterns: &[Pattern { text: "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$", regex: &REGEX[4] }, Pattern { text: "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$", regex: &REGEX[7] }],
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                        ("dns", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("dnsRefreshRate", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                ("respectDnsTtl", Schema { types: &[JsonType::Boolean], ..Schema::ANY }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                        ("healthCheck", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("active", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("grpc", Schema {
                                                                            types: &[JsonType::Object],
                                                                            properties: &[
                                                                                ("service", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                            ],
                                                                            closed: true,
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("healthyThreshold", Schema {
                                                                            types: &[JsonType::Integer],
                                                                            format: Some("int32"),
                                                                            minimum: Some(1),
                                                                            default: Some(Literal::Int(1)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("http", Schema {
                                                                            types: &[JsonType::Object],
                                                                            properties: &[
                                                                                ("expectedResponse", Schema {
                                                                                    types: &[JsonType::Object],
                                                                                    properties: &[
                                                                                        ("binary", Schema {
                                                                                            types: &[JsonType::String],
                                                                                            format: Some("byte"),
                                                                                            ..Schema::ANY
                                                                                        }),
                                                                                        ("text", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                                        ("type", Schema {
                                                                                            types: &[JsonType::String],
                                                                                            enum_values: &["Text", "Binary"],
                                                                                            ..Schema::ANY
                                                                                        }),
                                                                                    ],
                                                                                    closed: true,
                                                                                    required: &["type"],
                                                                                    rules: &[CrdRule { rule: "self.type == 'Text' ? has(self.text) : !has(self.text)", message: Some("If payload type is Text, text field needs to be set.") }, CrdRule { rule: "self.type == 'Binary' ? has(self.binary) : !has(self.binary)", message: Some("If payload type is Binary, binary field needs to be set.") }],
                                                                                    ..Schema::ANY
                                                                                }),
                                                                                ("expectedStatuses", Schema {
                                                                                    types: &[JsonType::Array],
                                                                                    items: Some(&Schema {
                                                                                        types: &[JsonType::Integer],
                                                                                        format: Some("int32"),
                                                                                        minimum: Some(100),
                                                                                        exclusive_maximum: Some(600),
                                                                                        ..Schema::ANY
                                                                                    }),
                                                                                    ..Schema::ANY
                                                                                }),
                                                                                ("method", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                                ("path", Schema {
                                                                                    types: &[JsonType::String],
                                                                                    min_length: Some(1),
                                                                                    max_length: Some(1024),
                                                                                    ..Schema::ANY
                                                                                }),
                                                                            ],
                                                                            closed: true,
                                                                            required: &["path"],
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("interval", Schema {
                                                                            types: &[JsonType::String],
                                                                            format: Some("duration"),
                                                                            default: Some(Literal::Str("3s")),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("tcp", Schema {
                                                                            types: &[JsonType::Object],
                                                                            properties: &[
                                                                                ("receive", Schema {
                                                                                    types: &[JsonType::Object],
                                                                                    properties: &[
                                                                                        ("binary", Schema {
                                                                                            types: &[JsonType::String],
                                                                                            format: Some("byte"),
                                                                                            ..Schema::ANY
                                                                                        }),
                                                                                        ("text", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                                        ("type", Schema {
                                                                                            types: &[JsonType::String],
                                                                                            enum_values: &["Text", "Binary"],
                                                                                            ..Schema::ANY
                                                                                        }),
                                                                                    ],
                                                                                    closed: true,
                                                                                    required: &["type"],
                                                                                    rules: &[CrdRule { rule: "self.type == 'Text' ? has(self.text) : !has(self.text)", message: Some("If payload type is Text, text field needs to be set.") }, CrdRule { rule: "self.type == 'Binary' ? has(self.binary) : !has(self.binary)", message: Some("If payload type is Binary, binary field needs to be set.") }],
                                                                                    ..Schema::ANY
                                                                                }),
                                                                                ("send", Schema {
                                                                                    types: &[JsonType::Object],
                                                                                    properties: &[
                                                                                        ("binary", Schema {
                                                                                            types: &[JsonType::String],
                                                                                            format: Some("byte"),
                                                                                            ..Schema::ANY
                                                                                        }),
                                                                                        ("text", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                                        ("type", Schema {
                                                                                            types: &[JsonType::String],
                                                                                            enum_values: &["Text", "Binary"],
                                                                                            ..Schema::ANY
                                                                                        }),
                                                                                    ],
                                                                                    closed: true,
                                                                                    required: &["type"],
                                                                                    rules: &[CrdRule { rule: "self.type == 'Text' ? has(self.text) : !has(self.text)", message: Some("If payload type is Text, text field needs to be set.") }, CrdRule { rule: "self.type == 'Binary' ? has(self.binary) : !has(self.binary)", message: Some("If payload type is Binary, binary field needs to be set.") }],
                                                                                    ..Schema::ANY
                                                                                }),
                                                                            ],
                                                                            closed: true,
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("timeout", Schema {
                                                                            types: &[JsonType::String],
                                                                            format: Some("duration"),
                                                                            default: Some(Literal::Str("1s")),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("type", Schema {
                                                                            types: &[JsonType::String],
                                                                            enum_values: &["HTTP", "TCP", "GRPC"],
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("unhealthyThreshold", Schema {
                                                                            types: &[JsonType::Integer],
                                                                            format: Some("int32"),
                                                                            minimum: Some(1),
                                                                            default: Some(Literal::Int(3)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                    ],
                                                                    closed: true,
                                                                    required: &["type"],
                                                                    rules: &[CrdRule { rule: "self.type == 'HTTP' ? has(self.http) : !has(self.http)", message: Some("If Health Checker type is HTTP, http field needs to be set.") }, CrdRule { rule: "self.type == 'TCP' ? has(self.tcp) : !has(self.tcp)", message: Some("If Health Checker type is TCP, tcp field needs to be set.") }, CrdRule { rule: "has(self.grpc) ? self.type == 'GRPC' : true", message: Some("The grpc field can only be set if the Health Checker type is GRPC.") }],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("passive", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("baseEjectionTime", Schema {
                                                                            types: &[JsonType::String],
                                                                            format: Some("duration"),
                                                                            default: Some(Literal::Str("30s")),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("consecutive5XxErrors", Schema {
                                                                            types: &[JsonType::Integer],
                                                                            format: Some("int32"),
                                                                            default: Some(Literal::Int(5)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("consecutiveGatewayErrors", Schema {
                                                                            types: &[JsonType::Integer],
                                                                            format: Some("int32"),
                                                                            default: Some(Literal::Int(0)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("consecutiveLocalOriginFailures", Schema {
                                                                            types: &[JsonType::Integer],
                                                                            format: Some("int32"),
                                                                            default: Some(Literal::Int(5)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("interval", Schema {
                                                                            types: &[JsonType::String],
                                                                            format: Some("duration"),
                                                                            default: Some(Literal::Str("3s")),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("maxEjectionPercent", Schema {
                                                                            types: &[JsonType::Integer],
                                                                            format: Some("int32"),
                                                                            default: Some(Literal::Int(10)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("splitExternalLocalOriginErrors", Schema {
                                                                            types: &[JsonType::Boolean],
                                                                            default: Some(Literal::Bool(false)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                    ],
                                                                    closed: true,
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                        ("http2", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("initialConnectionWindowSize", Schema {
                                                                    int_or_string: true,
                                                                    patterns: &[Pattern { text: "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$", regex: &REGEX[4] }, Pattern { text: "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$", regex: &REGEX[7] }],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("initialStreamWindowSize", Schema {
                                                                    int_or_string: true,
                                                                    patterns: &[Pattern { text: "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$", regex: &REGEX[4] }, Pattern { text: "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$", regex: &REGEX[7] }],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("maxConcurrentStreams", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int32"),
                                                                    minimum: Some(1),
                                                                    maximum: Some(2147483647),
                                                                    ..Schema::ANY
                                                                }),
                                                                ("onInvalidMessage", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                        ("loadBalancer", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("consistentHash", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("cookie", Schema {
                                                                            types: &[JsonType::Object],
                                                                            properties: &[
                                                                                ("attributes", Schema {
                                                                                    types: &[JsonType::Object],
                                                                                    values: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                                    ..Schema::ANY
                                                                                }),
                                                                                ("name", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                                ("ttl", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                            ],
                                                                            closed: true,
                                                                            required: &["name"],
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("header", Schema {
                                                                            types: &[JsonType::Object],
                                                                            properties: &[
                                                                                ("name", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                            ],
                                                                            closed: true,
                                                                            required: &["name"],
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("tableSize", Schema {
                                                                            types: &[JsonType::Integer],
                                                                            format: Some("int64"),
                                                                            minimum: Some(2),
                                                                            maximum: Some(5000011),
                                                                            default: Some(Literal::Int(65537)),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("type", Schema {
                                                                            types: &[JsonType::String],
                                                                            enum_values: &["SourceIP", "Header", "Cookie"],
                                                                            ..Schema::ANY
                                                                        }),
                                                                    ],
                                                                    closed: true,
                                                                    required: &["type"],
                                                                    rules: &[CrdRule { rule: "self.type == 'Header' ? has(self.header) : !has(self.header)", message: Some("If consistent hash type is header, the header field must be set.") }, CrdRule { rule: "self.type == 'Cookie' ? has(self.cookie) : !has(self.cookie)", message: Some("If consistent hash type is cookie, the cookie field must be set.") }],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("slowStart", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("window", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                                    ],
                                                                    closed: true,
                                                                    required: &["window"],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("type", Schema {
                                                                    types: &[JsonType::String],
                                                                    enum_values: &["ConsistentHash", "LeastRequest", "Random", "RoundRobin"],
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            required: &["type"],
                                                            rules: &[CrdRule { rule: "self.type == 'ConsistentHash' ? has(self.consistentHash) : !has(self.consistentHash)", message: Some("If LoadBalancer type is consistentHash, consistentHash field needs to be set.") }, CrdRule { rule: "self.type in ['Random', 'ConsistentHash'] ? !has(self.slowStart) : true ", message: Some("Currently SlowStart is only supported for RoundRobin and LeastRequest load balancers.") }],
                                                            ..Schema::ANY
                                                        }),
                                                        ("proxyProtocol", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("version", Schema {
                                                                    types: &[JsonType::String],
                                                                    enum_values: &["V1", "V2"],
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            required: &["version"],
                                                            ..Schema::ANY
                                                        }),
                                                        ("retry", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("numRetries", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int32"),
                                                                    minimum: Some(0),
                                                                    default: Some(Literal::Int(2)),
                                                                    ..Schema::ANY
                                                                }),
                                                                ("perRetry", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("backOff", Schema {
                                                                            types: &[JsonType::Object],
                                                                            properties: &[
                                                                                ("baseInterval", Schema {
                                                                                    types: &[JsonType::String],
                                                                                    format: Some("duration"),
                                                                                    ..Schema::ANY
                                                                                }),
                                                                                ("maxInterval", Schema {
                                                                                    types: &[JsonType::String],
                                                                                    format: Some("duration"),
                                                                                    ..Schema::ANY
                                                                                }),
                                                                            ],
                                                                            closed: true,
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("timeout", Schema {
                                                                            types: &[JsonType::String],
                                                                            format: Some("duration"),
                                                                            ..Schema::ANY
                                                                        }),
                                                                    ],
                                                                    closed: true,
                                                                    ..Schema::ANY
                                                                }),
                                                                ("retryOn", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("httpStatusCodes", Schema {
                                                                            types: &[JsonType::Array],
                                                                            items: Some(&Schema {
                                                                                types: &[JsonType::Integer],
                                                                                minimum: Some(100),
                                                                                exclusive_maximum: Some(600),
                                                                                ..Schema::ANY
                                                                            }),
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("triggers", Schema {
                                                                            types: &[JsonType::Array],
                                                                            items: Some(&Schema {
                                                                                types: &[JsonType::String],
                                                                                enum_values: &["5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable"],
                                                                                ..Schema::ANY
                                                                            }),
                                                                            ..Schema::ANY
                                                                        }),
                                                                    ],
                                                                    closed: true,
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                        ("tcpKeepalive", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("idleTime", Schema {
                                                                    types: &[JsonType::String],
                                                                    patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("interval", Schema {
                                                                    types: &[JsonType::String],
                                                                    patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                                                                    ..Schema::ANY
                                                                }),
                                                                ("probes", Schema {
                                                                    types: &[JsonType::Integer],
                                                                    format: Some("int32"),
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                        ("timeout", Schema {
                                                            types: &[JsonType::Object],
                                                            properties: &[
                                                                ("http", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("connectionIdleTimeout", Schema {
                                                                            types: &[JsonType::String],
                                                                            patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("maxConnectionDuration", Schema {
                                                                            types: &[JsonType::String],
                                                                            patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                                                                            ..Schema::ANY
                                                                        }),
                                                                        ("requestTimeout", Schema {
                                                                            types: &[JsonType::String],
                                                                            patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                                                                            ..Schema::ANY
                                                                        }),
                                                                    ],
                                                                    closed: true,
                                                                    ..Schema::ANY
                                                                }),
                                                                ("tcp", Schema {
                                                                    types: &[JsonType::Object],
                                                                    properties: &[
                                                                        ("connectTimeout", Schema {
                                                                            types: &[JsonType::String],
                                                                            patterns: &[Pattern { text: "^([0-9]{1,5}(h|m|s|ms)){1,4}$", regex: &REGEX[6] }],
                                                                            ..Schema::ANY
                                                                        }),
                                                                    ],
                                                                    closed: true,
                                                                    ..Schema::ANY
                                                                }),
                                                            ],
                                                            closed: true,
                                                            ..Schema::ANY
                                                        }),
                                                    ],
                                                    closed: true,
                                                    ..Schema::ANY
                                                }),
                                                ("issuer", Schema {
                                                    types: &[JsonType::String],
                                                    min_length: Some(1),
                                                    ..Schema::ANY
                                                }),
                                                ("authorizationEndpoint", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                ("tokenEndpoint", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                            ],
                                            closed: true,
                                            required: &["issuer"],
                                            rules: &[CrdRule { rule: "!has(self.backendRef)", message: Some("BackendRefs must be used, backendRef is not supported.") }, CrdRule { rule: "has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.perRetry)? !has(self.backendSettings.retry.perRetry.timeout):true):true):true", message: Some("Retry timeout is not supported.") }, CrdRule { rule: "has(self.backendSettings)? (has(self.backendSettings.retry)?(has(self.backendSettings.retry.retryOn)? !has(self.backendSettings.retry.retryOn.httpStatusCodes):true):true):true", message: Some("HTTPStatusCodes is not supported.") }],
                                            ..Schema::ANY
                                        }),
                                        ("clientID", Schema {
                                            types: &[JsonType::String],
                                            min_length: Some(1),
                                            ..Schema::ANY
                                        }),
                                        ("clientSecret", Schema {
                                            types: &[JsonType::Object],
                                            properties: &[
                                                ("group", Schema {
                                                    types: &[JsonType::String],
                                                    patterns: &[Pattern { text: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", regex: &REGEX[0] }],
                                                    max_length: Some(253),
                                                    default: Some(Literal::Str("")),
                                                    ..Schema::ANY
                                                }),
                                                ("kind", Schema {
                                                    types: &[JsonType::String],
                                                    patterns: &[Pattern { text: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", regex: &REGEX[1] }],
                                                    min_length: Some(1),
                                                    max_length: Some(63),
                                                    default: Some(Literal::Str("Secret")),
                                                    ..Schema::ANY
                                                }),
                                                ("name", Schema {
                                                    types: &[JsonType::String],
                                                    min_length: Some(1),
                                                    max_length: Some(253),
                                                    ..Schema::ANY
                                                }),
                                                ("namespace", Schema {
                                                    types: &[JsonType::String],
                                                    patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", regex: &REGEX[5] }],
                                                    min_length: Some(1),
                                                    max_length: Some(63),
                                                    ..Schema::ANY
                                                }),
                                            ],
                                            closed: true,
                                            required: &["name"],
                                            ..Schema::ANY
                                        }),
                                        ("cookieDomain", Schema {
                                            types: &[JsonType::String],
                                            patterns: &[Pattern { text: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9]))*$", regex: &REGEX[8] }],
                                            ..Schema::ANY
                                        }),
                                        ("cookieNames", Schema {
                                            types: &[JsonType::Object],
                                            properties: &[
                                                ("accessToken", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                                ("idToken", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                            ],
                                            closed: true,
                                            ..Schema::ANY
                                        }),
                                        ("defaultRefreshTokenTTL", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                        ("defaultTokenTTL", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                        ("forwardAccessToken", Schema { types: &[JsonType::Boolean], ..Schema::ANY }),
                                        ("logoutPath", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                        ("redirectURL", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                        ("refreshToken", Schema { types: &[JsonType::Boolean], ..Schema::ANY }),
                                        ("resources", Schema {
                                            types: &[JsonType::Array],
                                            items: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                                            ..Schema::ANY
                                        }),
                                        ("scopes", Schema {
                                            types: &[JsonType::Array],
                                            items: Some(&Schema { types: &[JsonType::String], ..Schema::ANY }),
                                            ..Schema::ANY
                                        }),
                                    ],
                                    closed: true,
                                    required: &["provider", "clientID", "clientSecret"],
                                    ..Schema::ANY
                                }),
                                ("grantType", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                ("aud", Schema { types: &[JsonType::String], ..Schema::ANY }),
                                ("awsRoleArn", Schema {
                                    types: &[JsonType::String],
                                    min_length: Some(1),
                                    ..Schema::ANY
                                }),
                            ],
                            closed: true,
                            required: &["oidc", "awsRoleArn"],
                            ..Schema::ANY
                        }),
                    ],
                    closed: true,
                    required: &["region"],
                    ..Schema::ANY
                }),
            ],
            closed: true,
            required: &["type"],
            max_properties: Some(2),
            ..Schema::ANY
        }),
    ],
    closed: true,
    required: &["apiVersion", "kind", "metadata", "spec"],
    ..Schema::ANY
};
