//! Writes the same OBJECTS ConfigMaps in every input form aigw reads, for
//! the linearity part of `benches/compare.sh`:
//! `cargo run --release --example forms -- OBJECTS DIR`.
//!
//! - `stream.yaml`: one YAML stream; `stream.json`: one JSON object a line;
//! - `list.yaml`: one `v1 List`; `files/`: one file per object;
//! - `rl.yaml`, `rl.json`: a KRM `ResourceList` for `aigw krm` on stdin;
//! - `plugin.yaml`: an exec-plugin config, for `aigw krm plugin.yaml < stream.yaml`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// One object as YAML lines, each prefixed by `indent` after the first.
fn config_map(i: usize, first: &str, indent: &str) -> String {
    let value = "v".repeat(200);
    let lines = [
        "apiVersion: v1".to_string(),
        "kind: ConfigMap".into(),
        "metadata:".into(),
        format!("  name: cm-{i}"),
        "  namespace: ai".into(),
        "  annotations:".into(),
        format!("    config.kubernetes.io/path: cm-{i}.yaml"),
        "data:".into(),
        format!("  k: {value}"),
    ];
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        out.push_str(if n == 0 { first } else { indent });
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn json_config_map(i: usize) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": format!("cm-{i}"),
            "namespace": "ai",
            "annotations": {"config.kubernetes.io/path": format!("cm-{i}.yaml")},
        },
        "data": {"k": "v".repeat(200)},
    })
}

fn generate(objects: usize, dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir.join("files"))?;
    let (mut stream, mut list, mut rl, mut json) =
        (String::new(), String::new(), String::new(), String::new());
    list.push_str("apiVersion: v1\nkind: List\nitems:\n");
    rl.push_str("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n");
    let mut items = Vec::with_capacity(objects);
    for i in 0..objects {
        let one = config_map(i, "", "");
        stream.push_str("---\n");
        stream.push_str(&one);
        let item = config_map(i, "- ", "  ");
        list.push_str(&item);
        rl.push_str(&item);
        let value = json_config_map(i);
        writeln!(json, "{value}")?;
        items.push(value);
        std::fs::write(dir.join(format!("files/cm-{i:06}.yaml")), one)?;
    }
    std::fs::write(dir.join("stream.yaml"), stream)?;
    std::fs::write(dir.join("stream.json"), json)?;
    std::fs::write(dir.join("list.yaml"), list)?;
    std::fs::write(dir.join("rl.yaml"), rl)?;
    let resource_list = serde_json::json!({
        "apiVersion": "config.kubernetes.io/v1",
        "kind": "ResourceList",
        "items": items,
    });
    std::fs::write(dir.join("rl.json"), resource_list.to_string())?;
    std::fs::write(
        dir.join("plugin.yaml"),
        "apiVersion: aigw/v1alpha1\nkind: AIGatewayRender\nmetadata:\n  name: render\n",
    )?;
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(objects), Some(dir)) = (args.next().and_then(|n| n.parse().ok()), args.next()) else {
        eprintln!("usage: forms OBJECTS DIR");
        return ExitCode::from(2);
    };
    match generate(objects, Path::new(&dir)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("forms: {err}");
            ExitCode::from(2)
        }
    }
}
