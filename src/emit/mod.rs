//! Stage 6: serialise objects as multi-document YAML or a JSON `v1` List.

pub mod order;
pub mod output_dir;
pub mod yaml;

use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Multi-document YAML, each document starting with `---`.
    Yaml,
    /// One JSON object: a `v1` List of all objects.
    Json,
}

pub fn emit(objects: &[Value], format: OutputFormat) -> String {
    match format {
        OutputFormat::Yaml => {
            let mut out = String::new();
            for object in objects {
                out.push_str("---\n");
                out.push_str(&yaml::to_yaml(object));
            }
            out
        }
        OutputFormat::Json => {
            let list = json!({ "apiVersion": "v1", "kind": "List", "items": objects });
            let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
            out
        }
    }
}
