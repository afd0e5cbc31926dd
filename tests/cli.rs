//! End-to-end behaviour of the built binary: exit codes, all-or-nothing
//! output, determinism, environment variables and the diagnostic formats.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::{scratch, text};

fn aigw(args: &[&str], cwd: &Path) -> Output {
    aigw_with(args, cwd, &[], None)
}

fn aigw_with(args: &[&str], cwd: &Path, env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aigw"));
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "NO_COLOR",
        "AIGW_EXTPROC_IMAGE",
        "AIGW_NAMESPACE",
        "AIGW_STRICT",
        "AIGW_FORMAT",
        "AIGW_EXTPROC_LOG_LEVEL",
        "AIGW_EXTPROC_IMAGE_PULL_POLICY",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().expect("spawn aigw");
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.unwrap_or(b"")).expect("stdin");
    }
    child.wait_with_output().expect("run aigw")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn testdata(case: &str) -> PathBuf {
    root().join("testdata").join(case)
}

const INVALID: &str = "apiVersion: aigateway.envoyproxy.io/v1alpha1
kind: AIGatewayRoute
metadata: {name: chat}
spec:
  schema: {name: OpenAI}
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]
  rules:
    - matches: [{headers: []}]
      backendRefs: [{name: missing}]
";

#[test]
fn valid_input_exits_0_with_manifests() {
    let out = aigw(&["render", "."], &testdata("render-basic"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("---\napiVersion: "));
    assert_eq!(common::without_release_note(&text(&out.stderr)), "");
}

#[test]
fn invalid_input_exits_1_and_writes_nothing_to_stdout() {
    let dir = scratch("invalid");
    std::fs::write(dir.join("route.yaml"), INVALID).expect("write");
    std::fs::write(
        dir.join("zz-valid.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n",
    )
    .expect("write");
    let out = aigw(&["render", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "partial output: {}",
        text(&out.stdout)
    );
    let stderr = text(&out.stderr);
    // Every problem of the run is reported, not just the first.
    assert!(
        stderr.contains("AIGW031") && stderr.contains("AIGW030"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn io_and_usage_errors_exit_2() {
    let out = aigw(&["render", "does-not-exist.yaml"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("does-not-exist.yaml"));
    assert!(out.stdout.is_empty());
    let out = aigw(&["render", "--no-such-flag"], &root());
    assert_eq!(out.status.code(), Some(2));
    let out = aigw(&["render", "--extproc-log-level", "verbose", "."], &root());
    assert_eq!(out.status.code(), Some(2));
    let out = aigw(&["explain", "AIGW999"], &root());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn warnings_pass_unless_strict() {
    let case = testdata("render-section-name");
    let out = aigw(&["validate", "."], &case);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("AIGW050"));
    let out = aigw(&["validate", "--strict", "."], &case);
    assert_eq!(out.status.code(), Some(1));
    let out = aigw_with(&["validate", "."], &case, &[("AIGW_STRICT", "true")], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "AIGW_STRICT=true must act as --strict"
    );
}

#[test]
fn output_is_deterministic_and_independent_of_input_order() {
    // Inputs without name clashes: namespaces default, team-a, team-b, ai.
    let sources = [
        "testdata/render-repeated-backends",
        "testdata/render-multi-namespace",
        "examples/quickstart",
    ];
    let mut files: Vec<(String, String)> = Vec::new();
    for case in sources {
        let mut entries: Vec<_> = std::fs::read_dir(root().join(case))
            .expect("case")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        {
            let text = std::fs::read_to_string(&path).expect("read");
            // Split documents so the shuffle reorders objects, not only files.
            for (i, doc) in text.split("\n---\n").enumerate() {
                let case = case.replace('/', "-");
                files.push((
                    format!(
                        "{case}-{}-{i}",
                        path.file_stem().and_then(|s| s.to_str()).unwrap_or("x")
                    ),
                    doc.to_string(),
                ));
            }
        }
    }
    let render = |order: &[usize], name: &str| {
        let dir = scratch(name);
        for (rank, &i) in order.iter().enumerate() {
            let (stem, doc) = &files[i];
            std::fs::write(dir.join(format!("{rank:03}-{stem}.yaml")), doc).expect("write");
        }
        let out = aigw(&["render", "--derived-only", "."], &dir);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        out.stdout
    };
    let forward: Vec<usize> = (0..files.len()).collect();
    let reverse: Vec<usize> = forward.iter().rev().copied().collect();
    // A fixed permutation that interleaves the cases.
    let mut shuffled = forward.clone();
    shuffled.sort_by_key(|i| (i * 7919) % files.len());
    let a = render(&forward, "order-forward");
    assert_eq!(
        a,
        render(&forward, "order-forward-again"),
        "two runs differ"
    );
    assert_eq!(
        a,
        render(&reverse, "order-reverse"),
        "reversed input changes the output"
    );
    assert_eq!(
        a,
        render(&shuffled, "order-shuffled"),
        "shuffled input changes the output"
    );
}

#[test]
fn config_changes_change_the_uuid_and_nothing_else_does() {
    let dir = scratch("uuid");
    let base = std::fs::read_to_string(testdata("render-basic/input.yaml")).expect("read");
    let uuid_of = |input: &str, extra: &[&str]| {
        std::fs::write(dir.join("input.yaml"), input).expect("write");
        let mut args = vec!["render", "--derived-only"];
        args.extend_from_slice(extra);
        args.push(".");
        let out = aigw(&args, &dir);
        assert_eq!(out.status.code(), Some(0), "{input}\n{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .find_map(|l| l.trim().strip_prefix("uuid: "))
            .map(|u| u.trim_matches('\'').to_string())
            .expect("uuid in output")
    };
    let first = uuid_of(&base, &[]);
    assert_eq!(first.len(), 36, "a UUID: {first}");
    // Edits of the input, each at a unique anchor of render-basic.
    let edit = |anchor: &str, replacement: &str| {
        assert_eq!(base.matches(anchor).count(), 1, "anchor {anchor:?}");
        base.replace(anchor, replacement)
    };
    let route_spec = "    name: OpenAI\n  targetRefs:";
    let backend_schema = "    name: OpenAI\n  backendRef:";
    let backend_ref = "        - name: openai\n";
    let policy = |name: &str, spec: &str| {
        format!(
            "{}---\napiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: BackendSecurityPolicy\nmetadata: {{name: {name}, namespace: default}}\nspec: {spec}\n",
            edit(
                "    port: 443",
                &format!("    port: 443\n  backendSecurityPolicyRef: {{group: aigateway.envoyproxy.io, kind: BackendSecurityPolicy, name: {name}}}"),
            )
        )
    };
    let costs = |list: &str| {
        edit(
            route_spec,
            &format!("    name: OpenAI\n  llmRequestCosts: {list}\n  targetRefs:"),
        )
    };
    let api_key = "{type: APIKey, apiKey: {secretRef: {name: openai-key}}}";
    let aws = |region: &str| {
        format!("{{type: AWSCredentials, awsCredentials: {{region: {region}, credentialsFile: {{secretRef: {{name: aws}}}}}}}}")
    };
    let changed = [
        ("header value", edit("gpt-4o-mini", "gpt-4o")),
        (
            "header name",
            edit("- name: x-ai-eg-model", "- name: x-model"),
        ),
        (
            "weight",
            edit(backend_ref, "        - name: openai\n          weight: 2\n"),
        ),
        ("a cost", costs("[{metadataKey: in, type: InputToken}]")),
        ("cost type", costs("[{metadataKey: in, type: OutputToken}]")),
        (
            "cost key",
            costs("[{metadataKey: tokens, type: InputToken}]"),
        ),
        (
            "CEL cost",
            costs("[{metadataKey: in, type: CEL, cel: input_tokens}]"),
        ),
        (
            "CEL expression",
            costs("[{metadataKey: in, type: CEL, cel: output_tokens}]"),
        ),
        (
            "backend schema name",
            edit(backend_schema, "    name: AWSBedrock\n  backendRef:"),
        ),
        (
            "backend schema version",
            edit(
                backend_schema,
                "    name: OpenAI\n    version: v1\n  backendRef:",
            ),
        ),
        (
            "route schema version",
            edit(
                route_spec,
                "    name: OpenAI\n    version: v1\n  targetRefs:",
            ),
        ),
        ("APIKey auth", policy("key", api_key)),
        ("policy name (the mount path)", policy("other-key", api_key)),
        ("AWS auth", policy("key", &aws("us-east-1"))),
        ("AWS region", policy("key", &aws("eu-west-1"))),
    ];
    let mut seen = vec![("render-basic", first.clone())];
    for (what, input) in &changed {
        let uuid = uuid_of(input, &[]);
        if let Some((other, _)) = seen.iter().find(|(_, u)| *u == uuid) {
            panic!("changing the {what} gives the same uuid as {other}");
        }
        seen.push((what, uuid));
    }
    // What is not in the filter config keeps the uuid.
    let same = [
        (
            "extproc log level flag",
            base.clone(),
            vec!["--extproc-log-level", "debug"],
        ),
        (
            "backend port (HTTPRoute only)",
            edit("port: 443", "port: 8443"),
            vec![],
        ),
        ("a comment", format!("# note\n{base}"), vec![]),
    ];
    for (what, input, flags) in &same {
        assert_eq!(first, uuid_of(input, flags), "{what} changed the uuid");
    }
    // The Secret's name is not in the config either (the pod template's
    // volume changes instead).
    let with_secret = policy("key", api_key);
    assert_eq!(
        uuid_of(&with_secret, &[]),
        uuid_of(&with_secret.replace("openai-key", "rotated-key"), &[]),
        "the Secret name changed the uuid"
    );
}

#[test]
fn stdin_and_environment() {
    let input = std::fs::read(testdata("render-basic/input.yaml")).expect("read");
    let env = [
        ("AIGW_EXTPROC_IMAGE", "example.com/extproc:dev"),
        ("AIGW_EXTPROC_LOG_LEVEL", "warn"),
        ("AIGW_EXTPROC_IMAGE_PULL_POLICY", "Never"),
    ];
    let out = aigw_with(&["render", "-"], &root(), &env, Some(&input));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("image: example.com/extproc:dev"));
    assert!(stdout.contains("imagePullPolicy: Never"));
    assert!(stdout.contains("- warn"));
    // A flag wins over the environment.
    let out = aigw_with(
        &["render", "--extproc-log-level", "error", "-"],
        &root(),
        &env,
        Some(&input),
    );
    assert!(text(&out.stdout).contains("- error"));
}

#[test]
fn json_output_is_a_list() {
    let out = aigw(&["render", "-o", "json", "."], &testdata("render-basic"));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(list["kind"], "List");
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(6));
}

#[test]
fn yaml_output_round_trips() {
    // Every rendered document parses back (YAML 1.2 reader) to what -o json says.
    for case in [
        "render-passthrough",
        "render-costs",
        "render-timeouts",
        "render-extproc-settings",
    ] {
        let yaml = text(&aigw(&["render", "."], &testdata(case)).stdout);
        let json: serde_json::Value =
            serde_json::from_slice(&aigw(&["render", "-o", "json", "."], &testdata(case)).stdout)
                .expect("JSON");
        let docs: Vec<serde_json::Value> = yaml
            .split("---\n")
            .filter(|d| !d.trim().is_empty())
            .map(|d| serde_yaml::from_str(d).expect("YAML parses"))
            .collect();
        assert_eq!(serde_json::Value::Array(docs), json["items"], "{case}");
    }
}

fn diagnostics(format: &str) -> Output {
    let dir = scratch(&format!("format-{format}"));
    std::fs::write(dir.join("route.yaml"), INVALID).expect("write");
    aigw(&["validate", "--format", format, "."], &dir)
}

#[test]
fn json_diagnostics() {
    let out = diagnostics("json");
    assert_eq!(out.status.code(), Some(1));
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON array");
    assert_eq!(items.len(), 2);
    let first = &items[0];
    assert_eq!(first["code"], "AIGW031");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "route.yaml");
    assert_eq!(first["line"], 8);
    assert_eq!(first["path"], "spec.rules[0].matches[0]");
    assert_eq!(items[1]["code"], "AIGW030");
}

#[test]
fn github_annotations() {
    let out = diagnostics("github");
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("::error file=route.yaml,line=8,col="),
        "{stdout}"
    );
    assert!(lines.iter().all(|l| l.contains("title=AIGW0")));
}

#[test]
fn sarif_structure() {
    let out = diagnostics("sarif");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), aigw::diagnostics::Code::ALL.len());
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex must point at ruleId"
        );
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")));
        assert!(r["message"]["text"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "route.yaml");
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(loc["region"]["startColumn"]
            .as_u64()
            .is_some_and(|c| c >= 1));
    }
}

#[test]
fn explain_covers_every_code() {
    for code in aigw::diagnostics::Code::ALL {
        let out = aigw(&["explain", code.as_str()], &root());
        assert_eq!(out.status.code(), Some(0));
        let doc = text(&out.stdout);
        assert!(
            doc.starts_with(&format!("# {}: {}", code.as_str(), code.name())),
            "{code}: {doc}"
        );
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(doc.contains(section), "{code} lacks {section}");
        }
    }
    let list = text(&aigw(&["explain"], &root()).stdout);
    assert_eq!(list.lines().count(), aigw::diagnostics::Code::ALL.len());
}

#[test]
fn completions_are_up_to_date() {
    for (shell, file) in [
        ("bash", "aigw.bash"),
        ("zsh", "_aigw"),
        ("fish", "aigw.fish"),
        ("elvish", "aigw.elv"),
        ("powershell", "_aigw.ps1"),
    ] {
        let out = aigw(&["completions", shell], &root());
        let shipped =
            std::fs::read(root().join("completions").join(file)).expect("completion file");
        assert!(
            out.stdout == shipped,
            "completions/{file} is stale: run `aigw completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn hostile_input_never_panics() {
    let dir = scratch("hostile");
    let inputs: [&[u8]; 8] = [
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"a: &a [*a]\n",
        b"apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata: {name: x}\nspec: 5\n",
        b"apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {name: [1]}\n",
        b"- just\n- a list\n",
        b"\xff\xfe not utf8",
        b"apiVersion: v1\nkind: List\nitems: [1, 2]\n",
        b"{\"apiVersion\": \"aigateway.envoyproxy.io/v1alpha1\", \"kind\": \"BackendSecurityPolicy\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"type\": \"APIKey\", \"apiKey\": null}}",
    ];
    for (i, input) in inputs.iter().enumerate() {
        std::fs::write(dir.join("input.yaml"), input).expect("write");
        let out = aigw(&["validate", "input.yaml"], &dir);
        let code = out.status.code();
        assert!(
            matches!(code, Some(1) | Some(2)),
            "input {i}: exit {code:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn schema_command_prints_json_schema() {
    for kind in ["AIGatewayRoute", "backend", "policy"] {
        let out = aigw(&["schema", kind], &root());
        assert_eq!(out.status.code(), Some(0));
        let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON Schema");
        assert_eq!(schema["properties"]["spec"]["type"], "object", "{kind}");
        assert_eq!(
            schema["additionalProperties"], false,
            "{kind}: unknown fields must be rejected"
        );
    }
}

#[test]
fn oversized_configmap_is_rejected() {
    // 100 rules x 3 matches of 4000-character values: about 1.2 MB of config.
    let value = "v".repeat(4000);
    let mut rules = String::new();
    for i in 0..100 {
        rules.push_str("    - matches:\n");
        for j in 0..3 {
            rules.push_str(&format!(
                "        - headers: [{{name: x-ai-eg-model, value: m{i}-{j}-{value}}}]\n"
            ));
        }
        rules.push_str("      backendRefs: [{name: svc}]\n");
    }
    let manifest = format!(
        "apiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIGatewayRoute\nmetadata: {{name: big}}\nspec:\n  schema: {{name: OpenAI}}\n  targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: gw}}]\n  rules:\n{rules}---\napiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata: {{name: svc}}\nspec:\n  schema: {{name: OpenAI}}\n  backendRef: {{name: svc, port: 80}}\n"
    );
    let dir = scratch("oversized");
    std::fs::write(dir.join("big.yaml"), manifest).expect("write");
    let out = aigw(&["render", "--format", "json", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("AIGW037") && stderr.contains("ConfigMap would hold"),
        "{stderr}"
    );
}

#[test]
fn colour_follows_the_color_flag() {
    let dir = scratch("colour");
    std::fs::write(dir.join("route.yaml"), INVALID).expect("write");
    let esc = |out: &Output| out.stderr.contains(&0x1b);
    // Piped stderr: no colour by default, even without NO_COLOR.
    assert!(!esc(&aigw(&["validate", "."], &dir)));
    assert!(esc(&aigw(&["validate", "--color", "always", "."], &dir)));
    assert!(!esc(&aigw_with(
        &["validate", "--color", "never", "."],
        &dir,
        &[("AIGW_COLOR", "always")],
        None
    )));
}

#[test]
fn directory_walk_skips_symlinks_hidden_entries_and_other_files() {
    let dir = scratch("walk");
    let outside = scratch("walk-outside");
    std::fs::write(outside.join("broken.yaml"), "not: [valid").expect("write");
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
    std::fs::write(dir.join(".git/config.yaml"), "not: [valid").expect("write");
    std::fs::write(dir.join("notes.md"), "not: [valid").expect("write");
    std::fs::write(
        dir.join("b.yml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("a.json"),
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}",
    )
    .expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.join("broken.yaml"), dir.join("link.yaml"))
        .expect("symlink");
    let out = aigw(&["render", "."], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Sorted by file name: a.json before b.yml.
    let names: Vec<String> = text(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("  name: ").map(String::from))
        .collect();
    assert_eq!(names, ["a", "b"]);
    // A file named explicitly is read whatever its extension.
    let out = aigw(&["validate", "notes.md"], &dir);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn pre_commit_hook_runs_a_real_command() {
    let hooks: serde_json::Value = serde_yaml::from_str(
        &std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks file"),
    )
    .expect("YAML");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "aigw-validate");
    assert_eq!(
        hook["pass_filenames"], false,
        "cross-file references need whole directories"
    );
    let entry: Vec<&str> = hook["entry"]
        .as_str()
        .expect("entry")
        .split_whitespace()
        .collect();
    assert_eq!(entry.first(), Some(&"aigw"));
    let mut args: Vec<&str> = entry[1..].to_vec();
    args.push("examples/quickstart/");
    let out = aigw(&args, &root());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// The exported schema works with a standard JSON Schema tool, as the
/// README promises. check-jsonschema comes from PyPI (.ci/run installs it).
#[test]
fn exported_schema_works_with_check_jsonschema() {
    if Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "check-jsonschema is not installed"
        );
        eprintln!("skipping: check-jsonschema not installed");
        return;
    }
    let dir = scratch("check-jsonschema");
    let schema = aigw(&["schema", "AIGatewayRoute"], &root()).stdout;
    std::fs::write(dir.join("route.schema.json"), schema).expect("write");
    let route =
        std::fs::read_to_string(root().join("examples/quickstart/route.yaml")).expect("read");
    std::fs::write(
        dir.join("typo.yaml"),
        route.replace("weight: 80", "weigth: 80"),
    )
    .expect("write");
    let run = |file: &str| {
        Command::new("check-jsonschema")
            .args(["--schemafile", "route.schema.json", file])
            .current_dir(&dir)
            .output()
            .expect("run check-jsonschema")
    };
    std::fs::write(dir.join("route.yaml"), route).expect("write");
    let ok = run("route.yaml");
    assert!(ok.status.success(), "{}", text(&ok.stdout));
    let bad = run("typo.yaml");
    assert!(!bad.status.success());
    assert!(
        text(&bad.stdout).contains("weigth"),
        "{}",
        text(&bad.stdout)
    );
}

#[test]
fn namespace_and_format_from_the_environment() {
    let case = testdata("render-namespace-flag");
    let env = [("AIGW_NAMESPACE", "team-y")];
    let out = aigw_with(&["render", "--derived-only", "."], &case, &env, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("namespace: team-y"));
    assert!(!text(&out.stdout).contains("namespace: default"));
    // -n wins over the environment.
    let out = aigw_with(
        &["render", "-n", "team-z", "--derived-only", "."],
        &case,
        &env,
        None,
    );
    assert!(text(&out.stdout).contains("namespace: team-z"));

    let dir = scratch("env-format");
    std::fs::write(dir.join("route.yaml"), INVALID).expect("write");
    let out = aigw_with(&["validate", "."], &dir, &[("AIGW_FORMAT", "json")], None);
    let items: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("JSON from AIGW_FORMAT=json");
    assert_eq!(items.len(), 2);
}

/// The output does not depend on the number of threads (`AIGW_THREADS`):
/// the quickstart example copied into 60 namespaces (240 files, enough
/// for every stage to use several threads, and routes enough for the
/// cross-object checks to run side by side), on one thread and on four.
/// Some copies draw warnings from two of those checks (all weights 0;
/// a backend no route uses), so their order is compared too.
#[test]
fn output_is_the_same_on_any_number_of_threads() {
    let dir = scratch("threads");
    let example = root().join("examples/quickstart");
    for n in 0..60 {
        let ns = dir.join(format!("ns-{n:02}"));
        std::fs::create_dir_all(&ns).expect("mkdir");
        for entry in std::fs::read_dir(&example).expect("example").flatten() {
            let mut body = std::fs::read_to_string(entry.path()).expect("read");
            body = body.replace("namespace: ai\n", &format!("namespace: ai-{n:02}\n"));
            if n % 3 == 0 {
                body = body
                    .replace("weight: 80", "weight: 0")
                    .replace("weight: 20", "weight: 0");
            }
            if n % 2 == 0 && entry.file_name() == "backends.yaml" {
                body.push_str(&format!(
                    "---\napiVersion: aigateway.envoyproxy.io/v1alpha1\nkind: AIServiceBackend\nmetadata:\n  name: spare\n  namespace: ai-{n:02}\nspec:\n  schema:\n    name: OpenAI\n  backendRef:\n    group: gateway.envoyproxy.io\n    kind: Backend\n    name: openai-api\n"
                ));
            }
            std::fs::write(ns.join(entry.file_name()), body).expect("write");
        }
    }
    let render =
        |threads: &str| aigw_with(&["render", "."], &dir, &[("AIGW_THREADS", threads)], None);
    let one = render("1");
    let four = render("4");
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    assert!(one.stdout.len() > 100_000, "too little output");
    assert!(text(&one.stdout).contains("namespace: ai-59"));
    let warnings = text(&one.stderr);
    assert!(warnings.contains("AIGW053(zero-weights)"), "{warnings}");
    assert!(warnings.contains("AIGW059(unused-object)"), "{warnings}");
    assert_eq!(text(&one.stdout), text(&four.stdout));
    assert_eq!(text(&one.stderr), text(&four.stderr));
}

/// `--crds -` and an input of `-` cannot both read standard input, and
/// `--crds` that holds no AI Gateway CRD is a usage error.
#[test]
fn crds_flag_usage_errors() {
    let dir = testdata("release-detect-v1-1");
    let out = aigw(&["validate", "--crds", "-", "-"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot both read standard input"));
    let out = aigw(&["validate", "--crds", "app.yaml", "."], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr)
        .contains("no aigateway.envoyproxy.io CustomResourceDefinition in app.yaml"));
}
