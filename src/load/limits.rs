//! Limits that bound the time and memory of one run, whatever the input.
//!
//! Each is far above what real manifests need; crossing one is an
//! `AIGW009 input-limit` diagnostic, never a hang, an abort or a crash.

/// Bytes read per run, over all files and standard input together: a
/// repository of manifests is megabytes, and reading stops here even on an
/// endless stream.
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// Bytes of one object: the API server refuses larger requests (3 MiB), so
/// such an object could never be applied anyway.
pub const MAX_OBJECT_BYTES: usize = 3 * 1024 * 1024;

/// Nesting of collections in one document. The stages after loading
/// recurse over the tree, so this bounds their stack; it equals the JSON
/// parser's limit, so YAML and JSON inputs agree.
pub const MAX_DEPTH: usize = 128;

/// Nodes of one document, counting copies made by aliases: bounds the
/// memory one document can take.
pub const MAX_NODES: usize = 1_000_000;

/// Nodes one document may copy through anchors and aliases: an "alias bomb"
/// (billion laughs) of a few hundred bytes stops here.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Objects (documents and `List` items) per run.
pub const MAX_DOCUMENTS: usize = 100_000;
