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
    /// For a terminal.
    Human,
    /// copydesk's own JSON report.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// reviewdog's diagnostic format.
    Rdjson,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SourcesFormat {
    Text,
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
        /// Report only findings on lines changed since this git revision.
        #[arg(long, value_name = "REV")]
        changed_since: Option<String>,
        /// Markdown drafts: files, folders (walked for .md and .markdown,
        /// respecting .gitignore) or globs ("drafts/**/*.md").
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the corpus: each source's key, format, title, date and number of
    /// figures, and every file that could not be read, with why.
    ///
    /// Formats read: .txt .md, web pages (.html .htm), PDF (text layer),
    /// .docx .odt, data (.csv .tsv .xlsx .xls .ods, .json arrays of records)
    /// and captions (.vtt .srt). Other files are listed as warnings.
    Sources {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: SourcesFormat,
    },
    /// List the figures copydesk reads in files (drafts or sources).
    Figures { files: Vec<PathBuf> },
    /// Run the language server on stdin and stdout.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
    /// Build or refresh the corpus index kept on disk, and say what it holds.
    Index {
        #[command(flatten)]
        corpus: CorpusArgs,
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
            changed_since,
            files,
        } => check(
            corpus,
            CheckArgs {
                format,
                include_supported,
                deny,
                changed_since,
            },
            files,
        ),
        Command::Sources { corpus, format } => sources(corpus, format),
        Command::Figures { files } => figures(files),
        Command::Conflicts { corpus, format } => conflicts(corpus, format),
        Command::Index { corpus } => index(corpus),
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

/// Corpora with fewer files than this load too fast for a progress bar.
const PROGRESS_MIN_FILES: usize = 512;

/// Loads the project, with a progress bar on stderr while a large corpus is
/// indexed, when stderr is a terminal.
fn load_project(config: Config, corpus: &[PathBuf]) -> Result<Project> {
    let mut bar = ProgressBar::default();
    let project = Project::load_with_progress(config, corpus, |done, total| bar.update(done, total));
    bar.finish();
    Ok(project?)
}

/// A progress bar on stderr while sources are read, shown only on a terminal
/// and for corpora large enough to take a while.
#[derive(Default)]
struct ProgressBar(Option<indicatif::ProgressBar>);

impl ProgressBar {
    fn update(&mut self, done: usize, total: usize) {
        if total < PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = self.0.get_or_insert_with(|| {
            let bar =
                indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::stderr());
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("indexing sources {wide_bar} {pos}/{len} ({eta})")
            {
                bar.set_style(style);
            }
            bar
        });
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    }

    fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

fn sources(args: CorpusArgs, format: SourcesFormat) -> Result<ExitCode> {
    let config = load_config(&args, Path::new("./copydesk-draft.md"))?;
    let project = load_project(config, &args.corpus)?;
    let out = match format {
        SourcesFormat::Text => report::sources::text(&project.index),
        SourcesFormat::Json => report::sources::json(&project.index),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn index(args: CorpusArgs) -> Result<ExitCode> {
    let config = load_config(&args, Path::new("./copydesk-draft.md"))?;
    if config.index_root().is_none() {
        bail!("the index is not kept on disk ([index] persist = false); nothing to build");
    }
    let started = std::time::Instant::now();
    let (project, stats) = {
        let mut bar = ProgressBar::default();
        let r = Project::load_with(config, &args.corpus, |d, t| bar.update(d, t));
        bar.finish();
        r?
    };
    let elapsed = started.elapsed();
    for w in &project.index.warnings {
        eprintln!("warning: {w}");
    }
    if project.index.store_dir().is_none() {
        bail!("the index could not be kept on disk (see the warning above)");
    }
    let how = match &stats.rebuilt {
        Some(why) => format!("built ({why})"),
        None if stats.analysed > 0 || stats.removed > 0 => format!(
            "refreshed: {} source{} re-read, {} removed",
            stats.analysed,
            if stats.analysed == 1 { "" } else { "s" },
            stats.removed
        ),
        None => "up to date".to_string(),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "index {how}")?;
    writeln!(
        out,
        "{} sources, {} sentences, {} facts, {} segment{}, {:.1} MB",
        stats.sources,
        project.index.sentence_count(),
        project.index.fact_count(),
        stats.segments,
        if stats.segments == 1 { "" } else { "s" },
        stats.bytes as f64 / 1e6
    )?;
    if let Some(dir) = project.index.store_dir() {
        writeln!(out, "kept in {}", dir.display())?;
    }
    writeln!(out, "took {:.2} s", elapsed.as_secs_f64())?;
    Ok(ExitCode::SUCCESS)
}

fn conflicts(args: CorpusArgs, format: ConflictFormat) -> Result<ExitCode> {
    let config = load_config(&args, Path::new("./copydesk-draft.md"))?;
    let project = load_project(config, &args.corpus)?;
    for w in &project.index.warnings {
        eprintln!("warning: {w}");
    }
    let checker = Checker::new(&project.index, &project.rules, &project.options);
    let n = project.index.source_count();
    if n > copydesk::check::conflicts::CONFLICT_SOURCE_LIMIT {
        bail!(
            "the corpus has {n} sources; a conflict report compares every fact across the corpus and is limited to {} sources (point --corpus at the story's sources)",
            copydesk::check::conflicts::CONFLICT_SOURCE_LIMIT
        );
    }
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

/// How `check` reports.
struct CheckArgs {
    format: Format,
    include_supported: bool,
    deny: Option<Deny>,
    changed_since: Option<String>,
}

fn check(args: CorpusArgs, opts: CheckArgs, files: Vec<PathBuf>) -> Result<ExitCode> {
    let format = opts.format;
    let drafts = copydesk::drafts::expand(&files)?;
    let Some(first) = drafts.first() else {
        bail!("no drafts to check");
    };
    let config = load_config(&args, &first.path)?;
    let project = load_project(config, &args.corpus)?;
    let mut report = Report {
        sources: project.index.source_count(),
        warnings: project.index.warnings.clone(),
        files: Vec::new(),
    };
    // Tools see suppressed findings, marked; people don't.
    let keep_suppressed = matches!(format, Format::Json | Format::Sarif);
    for draft in &drafts {
        let path = &draft.path;
        // A folder or glob may take in the corpus itself: a source is no draft.
        if !draft.explicit && project.index.source_id_by_path(path).is_some() {
            continue;
        }
        let changed = match &opts.changed_since {
            Some(rev) => Some(copydesk::changes::changed_lines(path, rev)?),
            None => None,
        };
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
            .filter(|f| opts.include_supported || f.code != Code::Supported)
            .filter(|f| !f.is_suppressed() || keep_suppressed)
            .collect();
        let mut file = FileReport {
            path: path.clone(),
            lines: LineIndex::new(&doc.text),
            text: doc.text,
            findings,
        };
        if let Some(changed) = changed {
            let spans: Vec<(usize, usize)> = file.findings.iter().map(|f| file.line_span(&f.span)).collect();
            let mut keep = spans.into_iter().map(|(a, b)| changed.touches(a, b));
            file.findings.retain(|_| keep.next().unwrap_or(true));
        }
        report.files.push(file);
    }
    let out = match format {
        Format::Json => report::json::render(&report),
        Format::Sarif => report::sarif::render(&report, &project.index),
        Format::Github => report::github::render(&report),
        Format::Rdjson => report::rdjson::render(&report),
        Format::Human => report::human::render(&report, std::io::stdout().is_terminal()),
    };
    // The human and GitHub reports carry corpus warnings themselves.
    if matches!(format, Format::Json | Format::Sarif | Format::Rdjson) {
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
    }
    std::io::stdout().write_all(out.as_bytes())?;
    let threshold = if opts.deny.is_some() {
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
