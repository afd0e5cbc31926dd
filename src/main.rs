//! The `aigw` command line: parses arguments and calls the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use aigw::diagnostics::render::{self, Format, Style};
use aigw::diagnostics::Code;
use aigw::emit::{emit, OutputFormat};
use aigw::model::Kind;
use aigw::translate::{ExtprocOptions, DEFAULT_EXTPROC_IMAGE};
use aigw::{compile, Compiled, Options};

// malloc and free took a third of the instructions of a render.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Offline compiler for Envoy AI Gateway (v0.1).
///
/// Reads AIGatewayRoute, AIServiceBackend and BackendSecurityPolicy manifests
/// and writes every Kubernetes object the in-cluster AI Gateway controller
/// would create for them, or precise diagnostics when the input is wrong.
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
    /// Objects that are not AI Gateway kinds pass through unchanged, first.
    #[command(
        after_help = "Examples:\n  aigw render manifests/ | kubectl apply -f -\n  aigw render -o json --derived-only route.yaml\n  cat route.yaml | aigw render -"
    )]
    Render(RenderArgs),
    /// Check the manifests as an API server and the controller would; write no manifests.
    #[command(
        after_help = "Examples:\n  aigw validate manifests/\n  aigw validate --format github manifests/   # annotations in GitHub Actions\n  aigw validate --format sarif . > aigw.sarif"
    )]
    Validate(CheckArgs),
    /// Explain a diagnostic code (e.g. `aigw explain AIGW031`); without a code, list them all.
    Explain {
        /// A code such as AIGW031, or its name such as empty-match.
        code: Option<String>,
    },
    /// Print the JSON Schema of an input kind (for editors and check-jsonschema).
    Schema {
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    #[value(name = "AIGatewayRoute", alias = "route")]
    AIGatewayRoute,
    #[value(name = "AIServiceBackend", alias = "backend")]
    AIServiceBackend,
    #[value(name = "BackendSecurityPolicy", alias = "policy")]
    BackendSecurityPolicy,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files or directories to read (directories recursively: *.yaml, *.yml,
    /// *.json; hidden entries skipped). `-` reads standard input.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Namespace for AI Gateway objects that do not set metadata.namespace.
    #[arg(short = 'n', long, env = "AIGW_NAMESPACE", default_value = "default")]
    namespace: String,

    /// Treat warnings as errors (exit 1 on any warning).
    #[arg(long, env = "AIGW_STRICT")]
    strict: bool,

    /// How to print diagnostics. Human output goes to stderr; for validate,
    /// the machine formats go to stdout.
    #[arg(long, value_enum, default_value = "human", env = "AIGW_FORMAT")]
    format: Format,

    /// When to colour human diagnostics: auto (a terminal, and NO_COLOR
    /// unset), always, or never.
    #[arg(long, value_enum, default_value = "auto", env = "AIGW_COLOR")]
    color: ColorChoice,
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

    /// Image of the external processor container.
    #[arg(long, env = "AIGW_EXTPROC_IMAGE", default_value = DEFAULT_EXTPROC_IMAGE)]
    extproc_image: String,

    /// imagePullPolicy of the external processor container.
    #[arg(long, env = "AIGW_EXTPROC_IMAGE_PULL_POLICY", default_value = "IfNotPresent",
          value_parser = ["Always", "IfNotPresent", "Never"])]
    extproc_image_pull_policy: String,

    /// Log level of the external processor.
    #[arg(long, env = "AIGW_EXTPROC_LOG_LEVEL", default_value = "info",
          value_parser = ["debug", "info", "warn", "error"])]
    extproc_log_level: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render(args) => render_command(args),
        Command::Validate(args) => validate_command(args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Schema { kind } => {
            let kind = match kind {
                SchemaKind::AIGatewayRoute => Kind::Route,
                SchemaKind::AIServiceBackend => Kind::Backend,
                SchemaKind::BackendSecurityPolicy => Kind::Policy,
            };
            let text = serde_json::to_string_pretty(&kind.json_schema()).unwrap_or_default();
            write_stdout(&format!("{text}\n"))
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "aigw", &mut out);
            write_stdout(&String::from_utf8_lossy(&out))
        }
    }
}

fn options(args: &CheckArgs, extproc: ExtprocOptions) -> Options {
    Options {
        namespace: args.namespace.clone(),
        strict: args.strict,
        extproc,
    }
}

fn run(args: &CheckArgs, extproc: ExtprocOptions) -> Result<Compiled, ExitCode> {
    let mut stdin = std::io::stdin();
    compile(&args.paths, &mut stdin, &options(args, extproc)).map_err(|err| {
        eprintln!("aigw: error: {}", err.0);
        ExitCode::from(2)
    })
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
/// when `machine_to_stdout` (validate), else to stderr (render).
fn report(compiled: &Compiled, args: &CheckArgs, machine_to_stdout: bool) {
    let format = args.format;
    let text = render::render(
        &compiled.report,
        &compiled.sources,
        format,
        human_style(args.color),
    );
    if format == Format::Human || !machine_to_stdout {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
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
    report(&compiled, &args.check, false);
    match &compiled.output {
        Some(output) => write_stdout(&emit(&output.objects(args.derived_only), args.output)),
        None => ExitCode::from(1),
    }
}

fn validate_command(args: CheckArgs) -> ExitCode {
    let compiled = match run(&args, ExtprocOptions::default()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    report(&compiled, &args, true);
    if compiled.output.is_some() {
        if args.format == Format::Human && compiled.report.diagnostics.is_empty() {
            eprintln!("aigw: all manifests are valid");
        }
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
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
                eprintln!("aigw: error: unknown code \"{code}\"; `aigw explain` lists them all");
                ExitCode::from(2)
            }
        },
    }
}

/// Writes all of `text` to stdout; a closed pipe is not an error worth a panic.
fn write_stdout(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("aigw: error: cannot write output: {err}");
            ExitCode::from(2)
        }
    }
}
