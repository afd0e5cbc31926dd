//! Secrets that don't fit (SPEC 3.4) and the AWS profile: when a policy's
//! Secret is in the input, it must be where the reference resolves and hold
//! the file the extproc reads. No diagnostic may show a Secret's values:
//! only key and section names are inspected and printed.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::node::{Node, Path};
use crate::load::secrets::decode_base64;
use crate::model::catalog::{Catalog, Item};
use crate::model::common::SecretObjectReference;
use crate::model::BackendSecurityPolicy;

use super::clashes::passthrough_identity;

/// The one profile the v0.1.5 extproc reads (the AWS SDK's default).
const AWS_DEFAULT_PROFILE: &str = "default";
const API_KEY_FILE: &str = "apiKey";
const AWS_CREDENTIALS_FILE: &str = "credentials";

/// A Secret of the input.
struct Secret<'a> {
    namespace: String,
    name: String,
    node: &'a Node,
}

impl Secret<'_> {
    /// The Secret's key `key`: its path and its text. `stringData` wins over
    /// `data`, as the API server merges it. `Err` carries the path of a
    /// `data` value that is not valid base64.
    fn file(&self, key: &str) -> Option<Result<(Path, String), Path>> {
        let string_path = Path::parse("stringData").key(key);
        if let Some(value) = self.node.at(&string_path) {
            return Some(Ok((string_path, value.as_str().unwrap_or("").to_string())));
        }
        let data_path = Path::parse("data").key(key);
        let value = self.node.at(&data_path)?;
        Some(
            value
                .as_str()
                .and_then(decode_base64)
                .map(|bytes| {
                    (
                        data_path.clone(),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    )
                })
                .ok_or(data_path),
        )
    }

    fn describe(&self) -> String {
        format!("Secret {}/{} is defined here", self.namespace, self.name)
    }

    /// Where the Secret is: only ever shown as a position, never quoted.
    fn location(&self) -> crate::source::Span {
        self.node.locate(&Path::parse("metadata.name"))
    }

    fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = ["data", "stringData"]
            .iter()
            .filter_map(|field| self.node.get(field).and_then(Node::as_map))
            .flatten()
            .map(|e| e.key.as_str())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// The Secrets of the input by name, each name's in input order: a scan
/// of every Secret per policy made the check quadratic.
type ByName<'a> = HashMap<String, Vec<Secret<'a>>>;

pub fn check(catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let mut secrets: ByName = HashMap::new();
    for node in &catalog.passthrough_nodes {
        let Some(id) = passthrough_identity(node, &catalog.default_namespace) else {
            continue;
        };
        if id.group.is_empty() && id.kind == "Secret" {
            secrets.entry(id.name.clone()).or_default().push(Secret {
                namespace: id.namespace,
                name: id.name,
                node,
            });
        }
    }
    for policy in catalog.policies.values() {
        let spec = &policy.value.spec;
        if let Some(api_key) = &spec.api_key {
            let path = Path::parse("spec.apiKey.secretRef");
            if let Some(secret) = find(&secrets, policy, &api_key.secret_ref, &path, out) {
                secret_file(secret, policy, &path, API_KEY_FILE, out);
            }
        }
        let file = spec
            .aws_credentials
            .as_ref()
            .and_then(|a| a.credentials_file.as_ref());
        if let Some(file) = file {
            let profile_path = Path::parse("spec.awsCredentials.credentialsFile.profile");
            if file.profile != AWS_DEFAULT_PROFILE {
                out.push(
                    Diagnostic::new(
                        Code::AwsProfile,
                        format!(
                            "{profile_path}: profile \"{}\" is ignored: the v0.1.5 extproc reads the credentials file with the AWS SDK's default profile, so the [default] section is used",
                            file.profile
                        ),
                    )
                    .at(policy.locate(&profile_path))
                    .path(&profile_path)
                    .object(policy.display.clone())
                    .help("put these credentials under [default] in the Secret's `credentials` file and remove `profile`"),
                );
            }
            let path = Path::parse("spec.awsCredentials.credentialsFile.secretRef");
            if let Some(secret) = find(&secrets, policy, &file.secret_ref, &path, out) {
                if let Some(text) = secret_file(secret, policy, &path, AWS_CREDENTIALS_FILE, out) {
                    if !has_ini_section(&text.1, AWS_DEFAULT_PROFILE) {
                        let at = path.key("name");
                        out.push(
                            Diagnostic::new(
                                Code::AwsProfile,
                                format!(
                                    "{at}: the `{AWS_CREDENTIALS_FILE}` file of Secret {}/{} ({}) has no [{AWS_DEFAULT_PROFILE}] section, the only profile the v0.1.5 extproc reads",
                                    secret.namespace, secret.name, text.0
                                ),
                            )
                            .at(policy.locate(&at))
                            .path(&at)
                            .object(policy.display.clone())
                            .related_position(secret.describe(), secret.location())
                            .help(format!("name the section that holds the credentials [{AWS_DEFAULT_PROFILE}]")),
                        );
                    }
                }
            }
        }
    }
}

/// The Secret the reference resolves to, if the input has it; an error
/// when the input has that name only in other namespaces.
fn find<'a>(
    secrets: &'a ByName<'a>,
    policy: &Item<BackendSecurityPolicy>,
    reference: &SecretObjectReference,
    ref_path: &Path,
    out: &mut Vec<Diagnostic>,
) -> Option<&'a Secret<'a>> {
    if !reference.group.is_empty() || reference.kind != "Secret" {
        return None;
    }
    let namespace = reference.namespace.as_deref().unwrap_or(&policy.namespace);
    let named = secrets.get(&reference.name)?;
    if let Some(secret) = named.iter().find(|s| s.namespace == namespace) {
        return Some(secret);
    }
    let other = named.first()?;
    let path = ref_path.key("name");
    out.push(
        Diagnostic::new(
            Code::SecretMismatch,
            format!(
                "{path}: Secret \"{}\" is in the input in namespace \"{}\", not in namespace \"{namespace}\" where this reference resolves; the extproc pod cannot mount it",
                reference.name, other.namespace
            ),
        )
        .at(policy.locate(&path))
        .path(&path)
        .object(policy.display.clone())
        .related_position(other.describe(), other.location())
        .help(format!("put the Secret in namespace \"{namespace}\"")),
    );
    None
}

/// The Secret's file `key` (its path and text), or a diagnostic when the
/// Secret lacks it or its `data` is not base64.
fn secret_file(
    secret: &Secret,
    policy: &Item<BackendSecurityPolicy>,
    ref_path: &Path,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<(Path, String)> {
    // Reported at the reference: a snippet of the Secret could show values.
    let at = ref_path.key("name");
    let report = |message: String, help: String| {
        Diagnostic::new(Code::SecretMismatch, format!("{at}: {message}"))
            .at(policy.locate(&at))
            .path(&at)
            .object(policy.display.clone())
            .related_position(secret.describe(), secret.location())
            .help(help)
    };
    match secret.file(key) {
        Some(Ok(file)) => Some(file),
        Some(Err(path)) => {
            out.push(report(
                format!(
                    "{path} of Secret {}/{} is not valid base64, so the API server rejects the Secret",
                    secret.namespace, secret.name
                ),
                "base64-encode the value under `data`, or move it to `stringData` as plain text"
                    .into(),
            ));
            None
        }
        None => {
            let keys = secret.keys();
            let has = if keys.is_empty() {
                "it has no keys".to_string()
            } else {
                format!(
                    "its keys are {}",
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(report(
                format!(
                    "Secret {}/{} has no key `{key}` in data or stringData ({has}); the extproc reads the file `{key}` from it and fails at run time",
                    secret.namespace, secret.name
                ),
                format!("store the value under the key `{key}` in the Secret"),
            ));
            None
        }
    }
}

/// Whether an INI text (an AWS credentials file) has the section `[name]`.
fn has_ini_section(text: &str, name: &str) -> bool {
    text.lines().any(|line| {
        line.trim()
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .is_some_and(|section| section.trim() == name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_base64("Zm9v").as_deref(), Some(&b"foo"[..]));
        assert_eq!(decode_base64("Zm9vYg==").as_deref(), Some(&b"foob"[..]));
        assert_eq!(decode_base64("Zm9vYmE=").as_deref(), Some(&b"fooba"[..]));
        assert_eq!(decode_base64("Zm9v\nYmFy").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(decode_base64("Zm9"), None);
        assert_eq!(decode_base64("Zm=v"), None);
        assert_eq!(decode_base64("Zg==Zm9v"), None);
        assert_eq!(decode_base64("Zm9v!"), None);
        assert_eq!(decode_base64("Z==="), None);
    }

    #[test]
    fn sections() {
        assert!(has_ini_section(
            "[default]\naws_access_key_id = x\n",
            "default"
        ));
        assert!(has_ini_section("  [ default ]  \n", "default"));
        assert!(!has_ini_section("[prod]\n", "default"));
        assert!(!has_ini_section("# [default]\n", "default"));
        assert!(!has_ini_section("[defaults]\n", "default"));
    }
}
