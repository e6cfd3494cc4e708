//! The `durable-lsp` binary: the language server (default, or `--stdio`),
//! `check` for CI, `rules` for the rule documentation.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use durable_lsp::analysis::config::RuleConfig;
use durable_lsp::analysis::migrate;
use durable_lsp::cli::{self, Format};

#[derive(Parser)]
#[command(
    name = "durable-lsp",
    version,
    about = "Language server and checker for Azure Durable Functions configuration (Durable Task Scheduler)"
)]
struct Args {
    /// Talk LSP over stdin/stdout (the default; accepted because clients pass it).
    #[arg(long, global = true, hide = true)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check every function app under the given paths (default: the current folder).
    Check {
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Only these rules: codes or prefixes, e.g. `--select H0,L01`.
        #[arg(long, value_name = "CODES")]
        select: Vec<String>,
        /// Skip these rules: codes or prefixes, e.g. `--ignore H006`.
        #[arg(long, value_name = "CODES")]
        ignore: Vec<String>,
        /// Apply the safe fixes first (never removes comments), then report what is left.
        #[arg(long)]
        fix: bool,
    },
    /// Switch every app under PATH to the Durable Task Scheduler: prints the
    /// changes as a diff, or makes them with --write.
    Migrate {
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Write the changes (default: print them as a unified diff).
        #[arg(long)]
        write: bool,
        /// Print the diff's lines whole: by default a secret in them (an
        /// AccountKey, a setting named like a key or password) is shown as
        /// `***`, and such a diff does not apply.
        #[arg(long, conflicts_with = "write")]
        show_secrets: bool,
        /// A scheduler endpoint instead of the local emulator.
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        /// The credential kind for --endpoint (default: None for a local
        /// endpoint, DefaultAzure for a scheduler).
        #[arg(long, value_name = "KIND")]
        auth: Option<String>,
        /// The task hub name (default: default, the emulator's).
        #[arg(long, value_name = "NAME")]
        hub: Option<String>,
    },
    /// List the rules, or print one rule's documentation.
    Rules {
        code: Option<String>,
        /// Print the rule table as Markdown (the README's table).
        #[arg(long)]
        markdown: bool,
    },
    /// Run the language server on stdin/stdout.
    Server,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    let code = match args.command {
        Some(Command::Check { paths, format, select, ignore, fix }) => match RuleConfig::from_cli(&select, &ignore) {
            Ok(config) => {
                let troubles = if fix { cli::fix(&paths, &config, &mut err) } else { Vec::new() };
                cli::check(&paths, format, &config, troubles, &mut out, &mut err)
            }
            Err(message) => {
                let _ = writeln!(err, "durable-lsp: {message}");
                cli::EXIT_TROUBLE
            }
        },
        Some(Command::Rules { code, markdown }) => cli::rules(code.as_deref(), markdown, &mut out, &mut err),
        Some(Command::Migrate { path, write, show_secrets, endpoint, auth, hub }) => {
            let target = migrate::Target { endpoint, authentication: auth, hub };
            let output = match (write, show_secrets) {
                (true, _) => cli::MigrateOutput::Write,
                (false, show_secrets) => cli::MigrateOutput::Diff { show_secrets },
            };
            cli::migrate(&path, &target, output, &mut out, &mut err)
        }
        Some(Command::Server) | None => {
            // The server logs from several threads: no lock on stdout or
            // stderr may be held while it runs (a held StderrLock would
            // block every log line written off the main thread).
            drop(out);
            drop(err);
            run_server()
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

fn run_server() -> i32 {
    // Logs go to stderr: stdout carries nothing but JSON-RPC.
    let filter = tracing_subscriber::EnvFilter::try_from_env("DURABLE_LSP_LOG").unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt().with_writer(io::stderr).with_ansi(false).with_env_filter(filter).init();
    match durable_lsp::lsp::run_stdio() {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(io::stderr(), "durable-lsp: {e}");
            1
        }
    }
}
