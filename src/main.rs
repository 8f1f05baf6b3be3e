//! The `copydesk` command: argument parsing and exit codes. Everything else is
//! in the library.

// Indexing allocates many small vectors; mimalloc makes that markedly cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use copydesk::check::{Checker, Code, Severity};
use copydesk::config::Config;
use copydesk::corpus::{ReadOutcome, read_source};
use copydesk::extract::Analyzer;
use copydesk::markdown::Document;
use copydesk::project::Project;
use copydesk::report::{self, FileReport, Report};
use copydesk::rules::Rules;
use copydesk::text::LineIndex;

#[derive(Parser)]
#[command(
    name = "copydesk",
    version,
    about = "Checks the figures in a Markdown draft against its sources"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(clap::Args)]
struct CorpusArgs {
    /// A source file or folder (repeatable); replaces the paths in copydesk.toml.
    #[arg(long, value_name = "PATH")]
    corpus: Vec<PathBuf>,
    /// Configuration file; default: copydesk.toml in the draft's folder or its ancestors.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts against the corpus.
    Check {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Also report figures the sources back.
        #[arg(long)]
        include_supported: bool,
        /// Exit with 1 on warnings too.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// Markdown drafts.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the figures copydesk reads in files (drafts or sources).
    Figures { files: Vec<PathBuf> },
    /// Run the language server on stdin and stdout.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Every fact on which the sources disagree, with each version and its sources.
    Conflicts {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "markdown")]
        format: ConflictFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ConflictFormat {
    Markdown,
    Json,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("COPYDESK_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`copydesk check | head`) is not a failure.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check {
            corpus,
            format,
            include_supported,
            deny,
            files,
        } => check(corpus, format, include_supported, deny, files),
        Command::Figures { files } => figures(files),
        Command::Conflicts { corpus, format } => conflicts(corpus, format),
        Command::Lsp { .. } => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let clean = runtime.block_on(copydesk::lsp::serve());
            // The stdin reader is a blocking thread that never returns:
            // don't wait for it.
            runtime.shutdown_background();
            Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
}

fn conflicts(args: CorpusArgs, format: ConflictFormat) -> Result<ExitCode> {
    let config = load_config(&args, Path::new("./copydesk-draft.md"))?;
    let project = Project::load(config, &args.corpus)?;
    for w in &project.index.warnings {
        eprintln!("warning: {w}");
    }
    let checker = Checker::new(&project.index, &project.rules, &project.options);
    let conflicts = checker.conflicts();
    let out = match format {
        ConflictFormat::Markdown => report::conflicts::markdown(&conflicts, project.index.source_count()),
        ConflictFormat::Json => report::conflicts::json(&conflicts, project.index.source_count()),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The configuration for a run: `--config`, else the one found from the first file.
fn load_config(args: &CorpusArgs, first: &Path) -> Result<Config> {
    match &args.config {
        Some(p) => Ok(Config::load(p)?),
        None => {
            let dir = first
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Ok(Config::discover(dir)?)
        }
    }
}

fn read_draft(path: &Path) -> Result<(String, Option<String>)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read draft {}", path.display()))?;
    if content_inspector::inspect(&bytes[..bytes.len().min(8192)]).is_binary() {
        bail!("{} is a binary file, not a Markdown draft", path.display());
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, None)),
        Err(e) => Ok((
            String::from_utf8_lossy(e.as_bytes()).into_owned(),
            Some(format!(
                "{}: not valid UTF-8; read with replacement characters",
                path.display()
            )),
        )),
    }
}

fn check(
    args: CorpusArgs,
    format: Format,
    include_supported: bool,
    deny: Option<Deny>,
    files: Vec<PathBuf>,
) -> Result<ExitCode> {
    let config = load_config(&args, &files[0])?;
    let project = Project::load(config, &args.corpus)?;
    let mut report = Report {
        sources: project.index.source_count(),
        warnings: project.index.warnings.clone(),
        files: Vec::new(),
    };
    for path in &files {
        let (text, warning) = read_draft(path)?;
        if let Some(w) = warning {
            eprintln!("warning: {w}");
        }
        let doc = Document::parse(text);
        if let Some(err) = doc.front_matter.as_ref().and_then(|f| f.error.as_ref()) {
            eprintln!("warning: {}: front matter is not valid: {err}", path.display());
        }
        let findings = project
            .checker()
            .excluding(path)
            .check(&doc)
            .into_iter()
            .filter(|f| include_supported || f.code != Code::Supported)
            .filter(|f| !f.is_suppressed() || format == Format::Json)
            .collect();
        report.files.push(FileReport {
            path: path.clone(),
            lines: LineIndex::new(&doc.text),
            text: doc.text,
            findings,
        });
    }
    let out = match format {
        Format::Json => report::json::render(&report),
        Format::Human => report::human::render(&report, std::io::stdout().is_terminal()),
    };
    if format == Format::Json {
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
    }
    std::io::stdout().write_all(out.as_bytes())?;
    let threshold = if deny.is_some() {
        Severity::Warning
    } else {
        Severity::Error
    };
    Ok(if report.count_at_least(threshold) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn figures(files: Vec<PathBuf>) -> Result<ExitCode> {
    let rules = Rules::builtin();
    let mut an = Analyzer::new(&rules);
    let mut out = std::io::stdout().lock();
    for f in files {
        let src = match read_source(&f) {
            ReadOutcome::Source(s, _) => s,
            ReadOutcome::Skipped(w) => bail!("{w}"),
        };
        for b in &src.blocks {
            for s in an.analyze(&b.text) {
                for fig in &s.figures {
                    writeln!(
                        out,
                        "{}: {}",
                        f.display(),
                        copydesk::extract::describe(&rules, &b.text, fig)
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
