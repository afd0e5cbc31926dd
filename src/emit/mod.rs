//! Stage 6: serialise objects as multi-document YAML or a JSON `v1` List.

pub mod order;
pub mod output_dir;
pub mod yaml;

use std::borrow::Borrow;

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Multi-document YAML, each document starting with `---`.
    Yaml,
    /// One JSON object: a `v1` List of all objects.
    Json,
}

/// The JSON output: a `v1` List that borrows the objects.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct List<'a, V: serde::Serialize> {
    api_version: &'static str,
    kind: &'static str,
    items: &'a [V],
}

/// Objects per YAML chunk that one thread writes: large enough that the
/// chunks' strings cost nothing next to writing them.
const YAML_CHUNK: usize = 64;

/// Writes `objects` (owned or borrowed) as one YAML stream or a JSON List.
pub fn emit<V: Borrow<Value> + serde::Serialize + Sync>(
    objects: &[V],
    format: OutputFormat,
) -> String {
    match format {
        OutputFormat::Yaml => {
            // Chunks written on several threads, joined in order.
            let chunks: Vec<&[V]> = objects.chunks(YAML_CHUNK).collect();
            let parts = crate::parallel::map(chunks.len(), crate::parallel::threads(), 1, |i| {
                let mut out = String::new();
                for object in chunks.get(i).copied().unwrap_or_default() {
                    out.push_str("---\n");
                    yaml::write_document(&mut out, object.borrow());
                }
                out
            });
            parts.concat()
        }
        OutputFormat::Json => {
            let list = List {
                api_version: "v1",
                kind: "List",
                items: objects,
            };
            let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
            out
        }
    }
}
