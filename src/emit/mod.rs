//! Stage 6: serialise objects as multi-document YAML or a JSON `v1` List.

pub mod json_text;
pub mod order;
pub mod output_dir;
pub mod yaml;

use std::borrow::Cow;
use std::io::Write;

use serde::ser::SerializeSeq;
use serde_json::Value;

use crate::load::node::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Multi-document YAML, each document starting with `---`.
    Yaml,
    /// One JSON object: a `v1` List of all objects.
    Json,
}

/// One object to write: a derived object, or a pass-through object's
/// source tree, turned into JSON only while it is written (keeping both
/// forms of every object doubled the memory of a run).
pub trait AsJson: Sync {
    fn as_json(&self) -> Cow<'_, Value>;

    /// Appends the object as one YAML document (see [`yaml::write_document`]).
    fn write_yaml(&self, out: &mut String) {
        yaml::write_document(out, &*self.as_json());
    }
}

impl AsJson for Value {
    fn as_json(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self)
    }
}

impl AsJson for Node {
    fn as_json(&self) -> Cow<'_, Value> {
        Cow::Owned(self.to_json())
    }

    /// Straight from the tree: no JSON copy (a string for every key and
    /// value, a hashed map for every mapping) is made to be written.
    fn write_yaml(&self, out: &mut String) {
        yaml::write_document(out, self);
    }
}

impl AsJson for crate::load::Original {
    fn as_json(&self) -> Cow<'_, Value> {
        Cow::Owned(crate::load::Original::to_json(self))
    }

    fn write_yaml(&self, out: &mut String) {
        crate::load::Original::write_yaml(self, out);
    }
}

impl<T: AsJson + ?Sized> AsJson for &T {
    fn as_json(&self) -> Cow<'_, Value> {
        (**self).as_json()
    }

    fn write_yaml(&self, out: &mut String) {
        (**self).write_yaml(out);
    }
}

/// The JSON output: a `v1` List of the objects.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase", bound = "")]
struct List<'a, V: AsJson> {
    api_version: &'static str,
    kind: &'static str,
    items: Items<'a, V>,
}

struct Items<'a, V>(&'a [V]);

impl<V: AsJson> serde::Serialize for Items<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for object in self.0 {
            seq.serialize_element(&*object.as_json())?;
        }
        seq.end()
    }
}

/// Objects per YAML chunk that one thread writes: large enough that the
/// chunks' strings cost nothing next to writing them.
const YAML_CHUNK: usize = 64;

/// Writes `objects` as one YAML stream or a JSON List to `out`. YAML is
/// written in chunks on several threads, a few chunks at a time, so the
/// whole output is never in memory at once.
pub fn write<V: AsJson>(
    objects: &[V],
    format: OutputFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Yaml => {
            let chunks: Vec<&[V]> = objects.chunks(YAML_CHUNK).collect();
            // One chunk needs no thread (nor to know how many there are).
            let threads = match chunks.len() {
                0 | 1 => 1,
                _ => crate::parallel::threads(),
            };
            for wave in chunks.chunks(threads * 4) {
                let parts = crate::parallel::map(
                    wave.len(),
                    || threads,
                    1,
                    |i| {
                        let mut text = String::new();
                        for object in wave.get(i).copied().unwrap_or_default() {
                            text.push_str("---\n");
                            object.write_yaml(&mut text);
                        }
                        text
                    },
                );
                for part in parts {
                    out.write_all(part.as_bytes())?;
                }
            }
            Ok(())
        }
        OutputFormat::Json => {
            let list = List {
                api_version: "v1",
                kind: "List",
                items: Items(objects),
            };
            serde_json::to_writer_pretty(&mut *out, &list)?;
            out.write_all(b"\n")
        }
    }
}

/// [`write`] into a string.
pub fn emit<V: AsJson>(objects: &[V], format: OutputFormat) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(objects, format, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
