//! The `aigw` command line: parses arguments and calls the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use aigw::diagnostics::render::{self, Format, Style};
use aigw::diagnostics::Code;
use aigw::emit::{self, output_dir, OutputFormat};
use aigw::krm;
use aigw::model::Kind;
use aigw::routes;
use aigw::translate::{ExtprocOptions, DEFAULT_EXTPROC_IMAGE};
use aigw::{compile, Compiled, Options};

// malloc and free took a third of the instructions of a render.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// No transparent huge pages (src/memory.rs), switched off before anything
// maps memory: mimalloc's constructor touches its first arena before
// `main`, so `.preinit_array`, which the dynamic loader runs before every
// other initialiser.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".preinit_array"]
static SMALL_PAGES: extern "C" fn() = small_pages;

#[cfg(target_os = "linux")]
extern "C" fn small_pages() {
    aigw::memory::use_small_pages();
}

/// Offline API server, linter and compiler for Envoy AI Gateway.
///
/// Checks AI Gateway manifests of any release (v0.1, v0.5 to v1.1 built in,
/// or any release whose CRDs you give) as that release's API server would,
/// plus references, Secrets and upgrade hazards. For v0.1 it writes every
/// Kubernetes object the in-cluster controller would create.
///
/// Exit codes: 0 success (warnings allowed), 1 invalid input, 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "aigw", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render the Kubernetes objects for the given manifests (to stdout).
    ///
    /// Nothing is written to stdout unless the whole input is valid, so
    /// `aigw render manifests/ | kubectl apply -f -` applies all or nothing.
    /// Objects that are not AI Gateway kinds pass through unchanged, first,
    /// in install order (Namespaces and CRDs first, webhooks last). For v0.1
    /// the derived objects follow; from v0.2 on the controller creates its
    /// objects in-cluster, so the AI Gateway objects are written unchanged.
    #[command(
        after_help = "Examples:\n  aigw render manifests/ | kubectl apply -f -\n  aigw render -o json --derived-only route.yaml\n  cat route.yaml | aigw render -"
    )]
    Render(RenderArgs),
    /// Check the manifests as an API server and the controller would; write no manifests.
    #[command(
        after_help = "Examples:\n  aigw validate manifests/\n  aigw validate --format github manifests/   # annotations in GitHub Actions\n  aigw validate --format sarif . > aigw.sarif"
    )]
    Validate(CheckArgs),
    /// Show the routing each Gateway will serve: matches, backends, weights, auth, timeouts.
    #[command(
        after_help = "Examples:\n  aigw routes manifests/\n  aigw routes -o json . | jq '.gateways[].routes[].rules[]'"
    )]
    Routes(RoutesArgs),
    /// Move manifests forward to a later release, editing only the lines that change.
    ///
    /// Prints a unified diff (default), edits the files in place (--write), or
    /// exits 1 when anything would change (--check). Every change is listed on
    /// stderr with its file:line and the release that made it necessary.
    /// Changes that cannot be made automatically are diagnostics, and then
    /// nothing is written. Comments, key order, quoting and the other
    /// documents of a file stay byte-identical.
    #[command(
        after_help = "Examples:\n  aigw migrate manifests/                 # show the diff to the newest release\n  aigw migrate --to v0.6 --write manifests/\n  aigw migrate --check manifests/         # CI: exit 1 when a migration is due",
        // The source is detected (or --from) and the target --to: these two do not apply.
        mut_arg("release", |a| a.hide(true)),
        mut_arg("crds", |a| a.hide(true))
    )]
    Migrate(MigrateArgs),
    /// Show what a change of manifests does to the routing and to the objects.
    ///
    /// `aigw diff OLD NEW` compares two paths; `aigw diff --git REV [PATH...]`
    /// compares the tree at a git revision (read from git directly, no
    /// checkout) with the working tree. Both sides are validated; an invalid
    /// side is named with its diagnostics (exit 1). First the routing change
    /// per Gateway and route: rules added, removed or changed, matches,
    /// backends with their traffic share before → after, auth, timeouts and
    /// rate-limit cost keys; then the objects (for v0.1 the rendered output),
    /// field by field.
    #[command(
        after_help = "Examples:\n  aigw diff old/ new/\n  aigw diff --git origin/main manifests/\n  aigw diff --git HEAD~1 -o markdown . > comment.md\n  aigw diff --exit-code old/ new/   # exit 1 when anything changed"
    )]
    Diff(DiffArgs),
    /// Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all.
    Explain {
        /// A code such as AIGW031, or its name such as empty-match.
        code: Option<String>,
    },
    /// Print the JSON Schema of an input kind (for editors and check-jsonschema).
    #[command(
        after_help = "Examples:\n  aigw schema AIGatewayRoute\n  aigw schema aigatewayroutes   # kubectl style: any case, singular or plural"
    )]
    Schema {
        /// The kind, or its resource name as kubectl takes it (any case,
        /// singular or plural, with or without the API group, or a short
        /// name).
        kind: String,
        /// The release whose schema to print (v0.1, v0.5, v0.6, v0.7, v1.0,
        /// v1.1). Without it: the v0.1 input schema, as in schemas/.
        #[arg(long, env = "AIGW_RELEASE", value_name = "vX.Y")]
        release: Option<String>,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Run as a kustomize or kpt function (KRM): a ResourceList on stdin and stdout.
    ///
    /// AI Gateway objects among the items are replaced by their derived
    /// objects; every other item passes through unchanged. Diagnostics go to
    /// the ResourceList's results and to stderr; the exit status is 1 when
    /// any is an error. The functionConfig (a ConfigMap's data, or an
    /// aigw/v1alpha1 AIGatewayRender's spec) takes the keys namespace,
    /// strict, release, extprocImage, extprocImagePullPolicy and
    /// extprocLogLevel.
    /// With CONFIG, speaks kustomize's exec plugin protocol instead (what
    /// `kubectl kustomize` runs): CONFIG is the plugin config file, and the
    /// resources are a YAML stream on stdin and stdout.
    #[command(
        after_help = "Examples:\n  kustomize build --enable-alpha-plugins --enable-exec examples/kustomize\n  kpt fn eval --exec \"aigw krm\" manifests/"
    )]
    Krm {
        /// The plugin config file (kustomize exec plugin protocol).
        config: Option<PathBuf>,
    },
    /// Print the version of aigw and the Envoy AI Gateway release(s) it compiles for.
    #[command(after_help = "Examples:\n  aigw version\n  aigw version -o json")]
    Version {
        /// Output format.
        #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
        output: VersionFormat,
    },
    /// Print the man page (roff) of aigw, or of one of its commands.
    #[command(hide = true)]
    Man { command: Option<String> },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VersionFormat {
    Text,
    Json,
}

/// An input kind, named as kubectl names resources: the kind, its singular
/// or plural resource name (with or without the API group), any case, or a
/// short name.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    #[value(
        name = "AIGatewayRoute",
        aliases = ["aigatewayroutes", "aigatewayroute.aigateway.envoyproxy.io",
                   "aigatewayroutes.aigateway.envoyproxy.io", "route"]
    )]
    AIGatewayRoute,
    #[value(
        name = "AIServiceBackend",
        aliases = ["aiservicebackends", "aiservicebackend.aigateway.envoyproxy.io",
                   "aiservicebackends.aigateway.envoyproxy.io", "backend"]
    )]
    AIServiceBackend,
    #[value(
        name = "BackendSecurityPolicy",
        aliases = ["backendsecuritypolicies", "backendsecuritypolicy.aigateway.envoyproxy.io",
                   "backendsecuritypolicies.aigateway.envoyproxy.io", "policy"]
    )]
    BackendSecurityPolicy,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files or directories to read (directories recursively: *.yaml, *.yml,
    /// *.json; hidden entries, .gitignore'd files, symlinks, kustomizations,
    /// Helm charts, aigw's own --output-dir folders and non-Kubernetes YAML
    /// skipped). `-` reads standard input. Finding no object is an error
    /// unless --allow-empty.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Leave out what matches GLOB in directory walks (gitignore syntax,
    /// relative to the walked directory; repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// Namespace for AI Gateway objects that do not set metadata.namespace.
    #[arg(short = 'n', long, env = "AIGW_NAMESPACE", default_value = "default",
          value_parser = aigw::validate::flags::namespace)]
    namespace: String,

    /// The Envoy AI Gateway release to check against: v0.1, v0.5, v0.6,
    /// v0.7, v1.0 or v1.1 (built in). Without it, AI Gateway CRDs in the
    /// input or --crds define the API, else the manifests' fields select
    /// the newest release that has them all.
    #[arg(long, env = "AIGW_RELEASE", value_name = "vX.Y")]
    release: Option<String>,

    /// Read AI Gateway CustomResourceDefinitions from PATH (a file, a
    /// directory, or - for standard input) and check against them: any
    /// release whose CRDs you have (repeatable).
    #[arg(long, value_name = "PATH")]
    crds: Vec<PathBuf>,

    /// Treat warnings as errors (exit 1 on any warning). AIGW_STRICT takes
    /// 1/true/yes/on or 0/false/no/off.
    #[arg(long, env = "AIGW_STRICT", value_parser = parse_bool)]
    strict: bool,

    /// How to print diagnostics. Human output goes to stderr; for validate,
    /// the machine formats go to stdout.
    #[arg(long, value_enum, default_value = "human", env = "AIGW_FORMAT")]
    format: Format,

    /// When to colour human diagnostics: auto (a terminal, and NO_COLOR
    /// unset), always, or never.
    #[arg(long, value_enum, default_value = "auto", env = "AIGW_COLOR")]
    color: ColorChoice,

    /// Succeed when no Kubernetes object is found. Without it, a run that
    /// reads no object fails (exit 2): an empty render applied with pruning
    /// (Argo CD, kubectl apply --prune) deletes everything.
    #[arg(long, env = "AIGW_ALLOW_EMPTY", value_parser = parse_bool)]
    allow_empty: bool,

    /// Print nothing on stderr but diagnostics and errors: no notes about
    /// skipped files, no success line.
    #[arg(short = 'q', long, conflicts_with = "verbose")]
    quiet: bool,

    /// List every skipped file and folder (by default, skips of one kind
    /// are summed up in one line).
    #[arg(short = 'v', long)]
    verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
struct RenderArgs {
    #[command(flatten)]
    check: CheckArgs,

    /// Output format of the rendered objects.
    #[arg(short = 'o', long = "output", value_enum, default_value = "yaml")]
    output: OutputFormat,

    /// Emit only the derived objects, not the pass-through ones.
    #[arg(long)]
    derived_only: bool,

    /// Write one file per object into DIR (DIR/<namespace>/<kind>-<name>.yaml,
    /// objects without a namespace in DIR/_cluster/) and a kustomization.yaml
    /// listing them in apply order, instead of printing them. DIR is replaced
    /// whole; a non-empty DIR that aigw did not write is never overwritten.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,

    /// Image of the external processor container.
    #[arg(long, env = "AIGW_EXTPROC_IMAGE", default_value = DEFAULT_EXTPROC_IMAGE,
          value_parser = aigw::validate::flags::image_reference)]
    extproc_image: String,

    /// imagePullPolicy of the external processor container.
    #[arg(long, env = "AIGW_EXTPROC_IMAGE_PULL_POLICY", default_value = "IfNotPresent",
          value_parser = PossibleValuesParser::new(krm::PULL_POLICIES))]
    extproc_image_pull_policy: String,

    /// Log level of the external processor.
    #[arg(long, env = "AIGW_EXTPROC_LOG_LEVEL", default_value = "info",
          value_parser = PossibleValuesParser::new(krm::LOG_LEVELS))]
    extproc_log_level: String,
}

#[derive(Debug, Args)]
struct RoutesArgs {
    #[command(flatten)]
    check: CheckArgs,

    /// Output format of the routing table.
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    output: RoutesFormat,
}

#[derive(Debug, Args)]
struct MigrateArgs {
    #[command(flatten)]
    check: CheckArgs,

    /// The release to migrate to (vX.Y): v0.2 to v1.1.
    #[arg(long, value_name = "RELEASE", default_value = "v1.1", value_parser = parse_target)]
    to: aigw::migrate::Release,

    /// The release the manifests are written for (default: detected): v0.1,
    /// v0.5, v0.6, v0.7, v1.0 or v1.1.
    #[arg(long, value_name = "RELEASE", value_parser = parse_release)]
    from: Option<aigw::migrate::Release>,

    /// Edit the files in place instead of printing a diff.
    #[arg(long, conflicts_with = "check_only")]
    write: bool,

    /// Print nothing to stdout; exit 1 when anything would change (for CI).
    #[arg(long = "check", id = "check_only")]
    check_only: bool,
}

fn parse_release(text: &str) -> Result<aigw::migrate::Release, String> {
    aigw::migrate::Release::parse(text).ok_or_else(|| "expected a release such as v1.1".into())
}

fn parse_target(text: &str) -> Result<aigw::migrate::Release, String> {
    let release = parse_release(text)?;
    if aigw::migrate::release::TARGETS.contains(&release) {
        Ok(release)
    } else {
        let all: Vec<String> = aigw::migrate::release::TARGETS
            .iter()
            .map(|r| r.to_string())
            .collect();
        Err(format!("expected one of {}", all.join(", ")))
    }
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// OLD and NEW (files or directories); with --git, the paths to compare
    /// (default `.`).
    paths: Vec<PathBuf>,

    /// Compare the tree at git revision REV with the working tree.
    #[arg(long, value_name = "REV")]
    git: Option<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    output: DiffFormat,

    /// Exit 1 when there is any difference, 0 when there is none (as
    /// `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,

    /// Leave out what matches GLOB in directory walks (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// Namespace for AI Gateway objects that do not set metadata.namespace.
    #[arg(short = 'n', long, env = "AIGW_NAMESPACE", default_value = "default",
          value_parser = aigw::validate::flags::namespace)]
    namespace: String,

    /// When to colour text output and diagnostics: auto (a terminal, and
    /// NO_COLOR unset), always, or never.
    #[arg(long, value_enum, default_value = "auto", env = "AIGW_COLOR")]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// Readable lines, coloured on a terminal.
    Text,
    /// A pull-request comment.
    Markdown,
    /// The structure documented in the diff module.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoutesFormat {
    /// Aligned columns, one table per Gateway and route.
    Text,
    /// The structure documented in the routes module.
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return parse_error(err),
    };
    match cli.command {
        Command::Render(args) => render_command(args),
        Command::Validate(args) => validate_command(args),
        Command::Routes(args) => routes_command(args),
        Command::Migrate(args) => migrate_command(args),
        Command::Diff(args) => diff_command(args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Schema { kind, release } => schema_command(&kind, release.as_deref()),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "aigw", &mut out);
            write_stdout(&String::from_utf8_lossy(&out))
        }
        Command::Krm { config } => krm_command(config),
        Command::Version { output } => {
            let version = env!("CARGO_PKG_VERSION");
            let releases = aigw::builtin_releases();
            write_stdout(&match output {
                VersionFormat::Text => format!(
                    "aigw {version}\nEnvoy AI Gateway: {}\n",
                    releases.join(", ")
                ),
                VersionFormat::Json => format!(
                    "{}\n",
                    serde_json::json!({"aigw": version, "envoyAIGateway": releases})
                ),
            })
        }
        Command::Man { command } => {
            let mut cli = Cli::command();
            cli.build();
            let page = match command {
                None => Some(cli),
                Some(name) => cli.find_subcommand(&name).cloned().map(|c| {
                    c.display_name(format!("aigw-{name}"))
                        .bin_name(format!("aigw {name}"))
                        .version(env!("CARGO_PKG_VERSION"))
                }),
            };
            let Some(page) = page else {
                eprintln!("aigw: error: no such command");
                return ExitCode::from(2);
            };
            let mut out = Vec::new();
            match clap_mangen::Man::new(page).render(&mut out) {
                Ok(()) => write_stdout(&String::from_utf8_lossy(&out)),
                Err(err) => {
                    eprintln!("aigw: error: cannot render the man page: {err}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// Prints a command-line error. A bad value that came from an environment
/// variable (the flag is not on the command line) names the variable: the
/// user never typed the flag clap would name.
fn parse_error(err: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        err.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        let arg = match err.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => arg.clone(),
            _ => String::new(),
        };
        let long = arg.split_whitespace().next().unwrap_or("").to_string();
        let value = match err.get(ContextKind::InvalidValue) {
            Some(ContextValue::String(v)) => v.clone(),
            _ => String::new(),
        };
        // args_os: a non-UTF-8 argument must not panic here.
        let on_command_line = std::env::args_os().any(|a| {
            let a = a.to_string_lossy();
            a == long || a.starts_with(&format!("{long}="))
        });
        if let Some(var) = env_of(&long).filter(|_| !on_command_line) {
            if std::env::var_os(&var).is_some() {
                // clap's own reason ("expected ...", the possible values).
                let detail = err.to_string();
                let first = detail.lines().next().unwrap_or("");
                let first = first.split_once("': ").map(|(_, r)| r.trim());
                let rest = detail
                    .lines()
                    .skip(1)
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with("For more"));
                let reason = first.into_iter().chain(rest).collect::<Vec<_>>().join("; ");
                write_stderr(&format!(
                    "aigw: error: invalid value '{value}' in the environment variable {var} (for {long}){}\n",
                    if reason.is_empty() { String::new() } else { format!(": {reason}") }
                ));
                return ExitCode::from(2);
            }
        }
    }
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    let _ = err.print();
    ExitCode::from(code)
}

/// The environment variable of the flag `--long`, in any subcommand.
fn env_of(long: &str) -> Option<String> {
    let name = long.strip_prefix("--")?;
    let cli = Cli::command();
    let env = cli
        .get_subcommands()
        .flat_map(|c| c.get_arguments())
        .find(|a| a.get_long() == Some(name))
        .and_then(|a| a.get_env())
        .map(|e| e.to_string_lossy().into_owned());
    env
}

/// A boolean as users write it in the environment: `1`, `true`, `yes`,
/// `on` or `0`, `false`, `no`, `off` (any case); empty means unset.
fn parse_bool(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("expected 1, true, yes, on or 0, false, no, off".into()),
    }
}

fn options(args: &CheckArgs, extproc: ExtprocOptions) -> Options {
    Options {
        namespace: args.namespace.clone(),
        strict: args.strict,
        exclude: args.exclude.clone(),
        extproc,
        release: args.release.clone(),
        crds: args.crds.clone(),
        keep_trees: false,
    }
}

/// Compiles the input of a command. The result lives until the process
/// ends and is left to the operating system then: freeing every tree node
/// and string one by one (millions of them for a monorepo) is work nobody
/// waits for.
fn run(args: &CheckArgs, extproc: ExtprocOptions) -> Result<&'static Compiled, ExitCode> {
    let mut stdin = std::io::stdin();
    let compiled = compile(&args.paths, &mut stdin, &options(args, extproc)).map_err(|err| {
        write_stderr(&format!("aigw: error: {}\n", err.0));
        ExitCode::from(2)
    })?;
    Ok(Box::leak(Box::new(compiled)))
}

fn human_style(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    Style { color, width: 100 }
}

/// Prints diagnostics: human ones to stderr; machine formats to stdout
/// when `machine_to_stdout` (validate), else to stderr (render). A closed
/// pipe is not an error (as for [`write_stdout`]).
fn report(compiled: &Compiled, args: &CheckArgs, machine_to_stdout: bool) {
    // Skipped files are notes, not diagnostics: always on stderr, so that
    // they never enter machine output or the error counts.
    if !args.quiet {
        write_stderr(&notes(&compiled.skipped, args.verbose));
    }
    if compiled.release.relevant && !args.quiet {
        write_stderr(&format!("aigw: note: {}\n", compiled.release));
    }
    let format = args.format;
    let text = render::render(
        &compiled.report,
        &compiled.sources,
        format,
        human_style(args.color),
    );
    if format == Format::Human || !machine_to_stdout {
        write_stderr(&text);
    } else {
        write_stdout(&text);
    }
}

/// The notes about skipped files: one line per file when `verbose` or
/// when a kind of skip happened once; else one line per kind, with a count
/// (a real repository gives dozens of them).
fn notes(skipped: &[aigw::load::Skipped], verbose: bool) -> String {
    let mut groups: Vec<(&str, Vec<&aigw::load::Skipped>)> = Vec::new();
    for skip in skipped {
        match groups.iter_mut().find(|(g, _)| *g == skip.group) {
            Some((_, members)) => members.push(skip),
            None => groups.push((skip.group, vec![skip])),
        }
    }
    let mut text = String::new();
    if verbose {
        for skip in skipped {
            text.push_str(&format!("aigw: note: {skip}\n"));
        }
        return text;
    }
    for (group, members) in groups {
        match members.as_slice() {
            [one] => text.push_str(&format!("aigw: note: {one}\n")),
            many => text.push_str(&format!(
                "aigw: note: skipped {} {group}; -v lists them\n",
                many.len()
            )),
        }
    }
    text
}

/// A run that found no object at all fails (exit 2), unless the user
/// allows it: rendered into Argo CD or `kubectl apply --prune`, nothing
/// means "delete everything". The error says what was read and skipped.
fn empty_run(compiled: &Compiled, args: &CheckArgs) -> Option<ExitCode> {
    if args.allow_empty || compiled.objects_read > 0 || compiled.report.has_errors() {
        return None;
    }
    let paths: Vec<String> = args
        .paths
        .iter()
        .map(|p| match p.as_os_str() == "-" {
            true => "standard input".to_string(),
            false => aigw::load::walk::display(p),
        })
        .collect();
    let mut text = format!(
        "aigw: error: found no Kubernetes object in {} ({} files or folders skipped); \
         an empty result applied with pruning (Argo CD, kubectl apply --prune) deletes everything\n",
        paths.join(" "),
        compiled.skipped.len()
    );
    const SHOWN: usize = 20;
    for skip in compiled.skipped.iter().take(SHOWN) {
        text.push_str(&format!("  {skip}\n"));
    }
    if compiled.skipped.len() > SHOWN {
        text.push_str(&format!(
            "  ... and {} more (-v lists them as notes)\n",
            compiled.skipped.len() - SHOWN
        ));
    }
    text.push_str(
        "  pass --allow-empty (or set AIGW_ALLOW_EMPTY=true) if an empty result is what you mean\n",
    );
    if args.verbose {
        write_stderr(&notes(&compiled.skipped, true));
    }
    write_stderr(&text);
    Some(ExitCode::from(2))
}

fn render_command(args: RenderArgs) -> ExitCode {
    let extproc = ExtprocOptions {
        image: args.extproc_image.clone(),
        pull_policy: args.extproc_image_pull_policy.clone(),
        log_level: args.extproc_log_level.clone(),
    };
    let compiled = match run(&args.check, extproc) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(code) = empty_run(compiled, &args.check) {
        return code;
    }
    report(compiled, &args.check, false);
    let Some(output) = &compiled.output else {
        return ExitCode::from(1);
    };
    let objects = output.objects(args.derived_only);
    match &args.output_dir {
        None => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written =
                emit::write(&objects, args.output, &mut stdout).and_then(|()| stdout.flush());
            written_or_error(written)
        }
        Some(dir) => match output_dir::write(dir, &objects, args.output) {
            Ok(count) => {
                if !args.check.quiet {
                    eprintln!("aigw: wrote {count} objects to {}", dir.display());
                }
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("aigw: error: {}", err.0);
                ExitCode::from(2)
            }
        },
    }
}

/// `aigw krm [CONFIG]`: the KRM function, or kustomize's exec plugin when
/// CONFIG is given.
fn krm_command(config: Option<PathBuf>) -> ExitCode {
    let read = |what: &str, result: std::io::Result<String>| {
        result.map_err(|err| {
            eprintln!("aigw: error: cannot read {what}: {err}");
            ExitCode::from(2)
        })
    };
    let input = match read("standard input", std::io::read_to_string(std::io::stdin())) {
        Ok(text) => text,
        Err(code) => return code,
    };
    let (text, transformed) = match &config {
        None => krm::run_resource_list(&input),
        Some(path) => {
            let shown = path.display().to_string();
            match read(&shown, std::fs::read_to_string(path)) {
                Ok(config) => krm::run_exec_plugin(&config, &input),
                Err(code) => return code,
            }
        }
    };
    for result in &transformed.results {
        eprintln!("{}", result.line());
    }
    let written = write_stdout(&text);
    if transformed.failed {
        ExitCode::from(1)
    } else {
        written
    }
}

fn validate_command(args: CheckArgs) -> ExitCode {
    let compiled = match run(&args, ExtprocOptions::default()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(code) = empty_run(compiled, &args) {
        return code;
    }
    report(compiled, &args, true);
    if compiled.output.is_some() {
        if args.format == Format::Human && compiled.report.diagnostics.is_empty() && !args.quiet {
            write_stderr(if compiled.objects_read == 0 {
                "aigw: no Kubernetes object found (allowed by --allow-empty)\n"
            } else {
                "aigw: all manifests are valid\n"
            });
        }
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn routes_command(args: RoutesArgs) -> ExitCode {
    let compiled = match run(&args.check, ExtprocOptions::default()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(code) = empty_run(compiled, &args.check) {
        return code;
    }
    report(compiled, &args.check, false);
    if compiled.output.is_none() {
        return ExitCode::from(1);
    }
    if compiled.release.line != Some("v0.1") {
        let table = routes::release::table(&compiled.release.label, &compiled.admitted);
        return write_stdout(&match args.output {
            RoutesFormat::Text => routes::release::to_text(&table),
            RoutesFormat::Json => routes::release::to_json(&table),
        });
    }
    let table = routes::routing_table(&compiled.catalog);
    let text = match args.output {
        RoutesFormat::Text => routes::to_text(&table),
        RoutesFormat::Json => routes::to_json(&table),
    };
    // A header value or name may be an alias of a Secret value.
    write_stdout(&compiled.sources.taint.seal(&text))
}

fn migrate_command(args: MigrateArgs) -> ExitCode {
    let options = options(&args.check, ExtprocOptions::default());
    let migration = match aigw::migrate::migrate(&args.check.paths, &options, args.from, args.to) {
        Ok(m) => m,
        Err(err) => {
            write_stderr(&format!("aigw: error: {}\n", err.0));
            return ExitCode::from(2);
        }
    };
    if migration.up_to_date {
        write_stderr(&format!(
            "aigw: the manifests are written for {}: nothing to migrate to {}\n",
            migration.from, migration.to
        ));
        return ExitCode::SUCCESS;
    }
    report(&migration.source, &args.check, false);
    if migration.source.output.is_none() {
        write_stderr(&format!(
            "aigw: error: the input is not valid {}: fix it before migrating\n",
            migration.from
        ));
        return ExitCode::from(1);
    }
    let style = human_style(args.check.color);
    let text = render::render(
        &migration.report,
        &migration.source.sources,
        args.check.format,
        style,
    );
    write_stderr(&text);
    let mut lines = String::new();
    for m in &migration.moves {
        lines.push_str(&format!(
            "aigw: {}:{}: {} [{}]\n",
            m.file, m.line, m.what, m.release
        ));
    }
    for note in &migration.notes {
        lines.push_str(&format!("aigw: note: {note}\n"));
    }
    write_stderr(&lines);
    if !migration.ok() {
        write_stderr("aigw: error: nothing was written: the migration is all or nothing\n");
        return ExitCode::from(1);
    }
    let count = migration.files.len();
    if count == 0 {
        write_stderr(&format!("aigw: nothing to migrate to {}\n", migration.to));
        return ExitCode::SUCCESS;
    }
    if args.check_only {
        for change in &migration.files {
            write_stderr(&format!("aigw: would migrate {}\n", change.name));
        }
        return if count == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    if args.write {
        return match aigw::migrate::write(&migration.files) {
            Ok(()) => {
                write_stderr(&format!(
                    "aigw: migrated {count} file(s) to {}\n",
                    migration.to
                ));
                ExitCode::SUCCESS
            }
            Err(err) => {
                write_stderr(&format!("aigw: error: {}\n", err.0));
                ExitCode::from(2)
            }
        };
    }
    let diff: String = migration
        .files
        .iter()
        .map(aigw::migrate::unified_diff)
        .collect();
    write_stdout(&diff)
}

fn diff_command(args: DiffArgs) -> ExitCode {
    // No --release: each side is validated with the release it is written for.
    let options = Options {
        namespace: args.namespace.clone(),
        exclude: args.exclude.clone(),
        ..Options::default()
    };

    use aigw::diff::{load_side, Input};
    let sides = match &args.git {
        Some(rev) => aigw::diff::git::files_at(rev, &args.paths).and_then(|files| {
            let label = if args.paths.is_empty() {
                ".".to_string()
            } else {
                args.paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let old = load_side(rev, Input::Files(files), &options)?;
            let default = [PathBuf::from(".")];
            let paths = if args.paths.is_empty() {
                &default[..]
            } else {
                &args.paths[..]
            };
            let new = load_side(&label, Input::Paths(paths), &options)?;
            Ok((old, new))
        }),
        None => {
            let [old, new] = args.paths.as_slice() else {
                write_stderr(
                    "aigw: error: diff takes two paths, OLD and NEW (or --git REV [PATH...])\n",
                );
                return ExitCode::from(2);
            };
            let side = |path: &PathBuf| {
                load_side(
                    &path.display().to_string(),
                    Input::Paths(std::slice::from_ref(path)),
                    &options,
                )
            };
            side(old).and_then(|o| Ok((o, side(new)?)))
        }
    };
    let (old, new) = match sides {
        Ok(sides) => sides,
        Err(err) => {
            write_stderr(&format!("aigw: error: {}\n", err.0));
            return ExitCode::from(2);
        }
    };
    let style = human_style(args.color);
    for (which, side) in [("old", &old), ("new", &new)] {
        if side.view.is_none() {
            write_stderr(&format!(
                "aigw: error: the {which} side ({}, checked as {}) is not valid [AIGW080]:\n",
                side.label, side.release
            ));
            write_stderr(&render::render(
                &side.report,
                &side.sources,
                Format::Human,
                style,
            ));
        }
    }
    let Some(diff) = aigw::diff::diff(&old, &new) else {
        return ExitCode::from(1);
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let text = match args.output {
        DiffFormat::Text => aigw::diff::write::to_text(&diff, color),
        DiffFormat::Markdown => aigw::diff::write::to_markdown(&diff),
        DiffFormat::Json => aigw::diff::write::to_json(&diff),
    };
    let written = write_stdout(&text);
    if args.exit_code && diff.changed && written == ExitCode::SUCCESS {
        return ExitCode::from(1);
    }
    written
}

/// `aigw schema KIND [--release R]`: the JSON Schema of a kind; without a
/// release, the v0.1 input schema that `schemas/` ships.
fn schema_command(kind: &str, release: Option<&str>) -> ExitCode {
    let schema = match release {
        Some(name) => aigw::admit::Release::find(name)
            .ok_or_else(|| {
                let lines: Vec<&str> = aigw::admit::BUILTIN.iter().map(|r| r.line).collect();
                format!("unknown release \"{name}\": the built-in releases are {}", lines.join(", "))
            })
            .and_then(|r| r.api())
            .and_then(|api| api.json_schema(kind)),
        None => SchemaKind::from_str(kind, true)
            .map(|k| match k {
                SchemaKind::AIGatewayRoute => Kind::Route,
                SchemaKind::AIServiceBackend => Kind::Backend,
                SchemaKind::BackendSecurityPolicy => Kind::Policy,
            })
            .map(|k| k.json_schema())
            .map_err(|_| {
                format!(
                    "no kind \"{kind}\" in v0.1: the kinds are AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy (other releases: --release vX.Y)"
                )
            }),
    };
    match schema {
        Ok(schema) => {
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            write_stdout(&format!("{text}\n"))
        }
        Err(err) => {
            write_stderr(&format!("aigw: error: {err}\n"));
            ExitCode::from(2)
        }
    }
}

fn explain(code: Option<&str>) -> ExitCode {
    match code {
        None => {
            let mut text = String::new();
            for c in Code::ALL {
                text.push_str(&format!(
                    "{}  {:<22} {:<8} {}\n",
                    c.as_str(),
                    c.name(),
                    c.severity(),
                    c.summary()
                ));
            }
            write_stdout(&text)
        }
        Some(code) => match Code::lookup(code) {
            Some(c) => write_stdout(c.explanation()),
            None => {
                write_stderr(&format!(
                    "aigw: error: unknown code \"{code}\"; `aigw explain` lists them all\n"
                ));
                ExitCode::from(2)
            }
        },
    }
}

/// Writes all of `text` to stdout; a closed pipe is not an error worth a panic.
fn write_stdout(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    written_or_error(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

/// The exit status after writing the output: a closed pipe (`| head`) is
/// no error, the reader has all it wants.
fn written_or_error(written: std::io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            write_stderr(&format!("aigw: error: cannot write output: {err}\n"));
            ExitCode::from(2)
        }
    }
}

/// Writes to stderr; unlike `eprint!`, a closed stderr (`2>&1 | head`) is
/// no panic: there is nobody left to tell.
fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
