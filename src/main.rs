//! The `copydesk` command: argument parsing and exit codes. Everything else is
//! in the library.

// Indexing allocates many small vectors; mimalloc makes that markedly cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

mod backend;

use backend::Backend;
use copydesk::check::{Checker, Code, Severity};
use copydesk::config::Config;
use copydesk::corpus::{ReadOutcome, read_source};
use copydesk::extract::Analyzer;
use copydesk::markdown::Document;
use copydesk::project::Project;
use copydesk::report::{self, FileReport, Report};
use copydesk::rules::Rules;
use copydesk::text::LineIndex;

mod cli_docs;

#[derive(Parser)]
#[command(
    name = "copydesk",
    version = env!("COPYDESK_VERSION"),
    about = "Checks a Markdown draft against its sources: figures, quotations and names",
    long_about = "Checks a Markdown draft against its sources: figures that differ from the sources \
(values, units, qualifiers), facts the sources disagree on, figures no source states, quotations \
that are not word for word or not by the speaker the sources name, and misspelt names.",
    after_help = "Exit status of `check`: 0 when it finds no errors, 1 when it finds errors \
(or warnings, with --deny warnings), 2 on a usage or input error."
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
    /// The review page: one self-contained HTML file (see `copydesk review`).
    Html,
    /// The review as GitHub-flavoured Markdown, for a pull request or job summary.
    Markdown,
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
    /// A shared archive in PostgreSQL (postgres://user@host/db) instead of
    /// local files; the password from the URL, PGPASSWORD or ~/.pgpass.
    /// With it, --corpus narrows to sources ingested from those paths.
    #[arg(long, value_name = "URL", env = "COPYDESK_DATABASE_URL", hide_env_values = true)]
    database: Option<String>,
    /// Let corpus, rules and index paths from copydesk.toml lead outside the
    /// project (its git repository, else the folder holding copydesk.toml).
    /// Without it such paths are refused: a pull request could otherwise point
    /// the corpus at any file the runner can read.
    #[arg(long, env = "COPYDESK_ALLOW_OUTSIDE_PATHS", value_parser = clap::builder::BoolishValueParser::new(), default_value_t = false)]
    allow_outside_paths: bool,
}

impl CorpusArgs {
    /// `--database`, `COPYDESK_DATABASE_URL`, else `[index] url`.
    fn database(&self, config: &Config) -> Option<String> {
        self.database.clone().or_else(|| config.index.url.clone())
    }
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
    /// Write the review page (the draft with every finding and its evidence) to
    /// an HTML file, and optionally open it in the browser.
    Review {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Where to write the page ("-" for stdout); default: copydesk-review.html.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
        /// Markdown drafts: files, folders or globs, as for `check`.
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
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write a page per subcommand to a folder.
    Man {
        /// Write copydesk.1, copydesk-check.1, … to this folder.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
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
                output: None,
            },
            files,
        ),
        Command::Review {
            corpus,
            output,
            open,
            files,
        } => review(corpus, output, open, files),
        Command::Sources { corpus, format } => sources(corpus, format),
        Command::Figures { files } => figures(files),
        Command::Conflicts { corpus, format } => conflicts(corpus, format),
        Command::Index { corpus } => index(corpus),
        Command::Completions { shell } => {
            cli_docs::completions(Cli::command(), shell, &mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { out_dir } => {
            cli_docs::man(Cli::command(), out_dir.as_deref(), &mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(not(feature = "server"))]
        Command::Lsp { .. } => anyhow::bail!("this copydesk was built without the language server (feature `server`)"),
        #[cfg(feature = "server")]
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
    if let Some(url) = args.database(&config) {
        return archive_sources(&url, &args.corpus, format);
    }
    let project = load_project(config, &args.corpus)?;
    let out = match format {
        SourcesFormat::Text => report::sources::text(&project.index, &project.rules),
        SourcesFormat::Json => report::sources::json(&project.index, &project.rules),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "postgres")]
fn archive_sources(url: &str, scope: &[PathBuf], format: SourcesFormat) -> Result<ExitCode> {
    let mut archive = copydesk::archive::Archive::connect(url)?;
    archive.require_current()?;
    let rows = archive.sources(scope)?;
    let out = match format {
        SourcesFormat::Text => report::sources::text_rows(rows, &[]),
        SourcesFormat::Json => report::sources::json_rows(rows, &[]),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "postgres"))]
fn archive_sources(_url: &str, _scope: &[PathBuf], _format: SourcesFormat) -> Result<ExitCode> {
    bail!("this copydesk was built without the `postgres` feature: --database is not available")
}

/// `copydesk index --database URL --corpus PATH…`: migrates the archive's
/// schema, then ingests the files that changed.
#[cfg(feature = "postgres")]
fn archive_index(url: &str, config: &Config, corpus: &[PathBuf]) -> Result<ExitCode> {
    let paths = if corpus.is_empty() {
        config.corpus_paths()
    } else {
        corpus.to_vec()
    };
    if paths.is_empty() {
        bail!("no corpus to ingest: pass --corpus PATH or set [corpus] paths in copydesk.toml");
    }
    let rules = Rules::load(&config.rule_paths())?;
    let started = std::time::Instant::now();
    let mut archive = copydesk::archive::Archive::connect(url)?;
    let mut bar = ProgressBar::default();
    let stats = copydesk::archive::ingest::ingest(&mut archive, &paths, &rules, |d, t| bar.update(d, t));
    bar.finish();
    let stats = stats?;
    for w in &stats.warnings {
        eprintln!("warning: {w}");
    }
    let secs = started.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    for v in &stats.migrated {
        writeln!(out, "archive schema migrated to version {v}")?;
    }
    writeln!(
        out,
        "archive: {} source{} written, {} unchanged, {} re-stamped, {} removed",
        stats.written,
        if stats.written == 1 { "" } else { "s" },
        stats.unchanged,
        stats.restamped,
        stats.removed
    )?;
    writeln!(out, "read {:.1} MB in {secs:.2} s", stats.bytes as f64 / 1e6)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "postgres"))]
fn archive_index(_url: &str, _config: &Config, _corpus: &[PathBuf]) -> Result<ExitCode> {
    bail!("this copydesk was built without the `postgres` feature: --database is not available")
}

fn index(args: CorpusArgs) -> Result<ExitCode> {
    let config = load_config(&args, Path::new("./copydesk-draft.md"))?;
    if let Some(url) = args.database(&config) {
        return archive_index(&url, &config, &args.corpus);
    }
    if config.index_root().is_none() {
        bail!("the index is not kept on disk ([index] persist = false); nothing to build");
    }
    let started = std::time::Instant::now();
    let (project, stats) = {
        let mut bar = ProgressBar::default();
        let r = Project::index_with(config, &args.corpus, |d, t| bar.update(d, t));
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
        project.index.live_sentence_count(),
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
    if let Some(url) = args.database(&config) {
        return archive_conflicts(&url, &config, &args.corpus, format);
    }
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

/// `copydesk conflicts --database URL`: the conflicts among the archive's
/// sources under `--corpus` (else all of them).
#[cfg(feature = "postgres")]
fn archive_conflicts(url: &str, config: &Config, scope: &[PathBuf], format: ConflictFormat) -> Result<ExitCode> {
    let rules = Rules::load(&config.rule_paths())?;
    let options = config.check_options();
    let mut archive = copydesk::archive::Archive::connect(url)?;
    archive.require_current()?;
    let how = copydesk::archive::view::ArchiveCheck {
        rules: &rules,
        options: &options,
        names: false,
        scope: (!scope.is_empty()).then(|| scope.to_vec()),
    };
    let (conflicts, sources) = copydesk::archive::conflicts::conflicts(&mut archive, &how)?;
    let out = match format {
        ConflictFormat::Markdown => report::conflicts::markdown(&conflicts, sources),
        ConflictFormat::Json => report::conflicts::json(&conflicts, sources),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "postgres"))]
fn archive_conflicts(_url: &str, _config: &Config, _scope: &[PathBuf], _format: ConflictFormat) -> Result<ExitCode> {
    bail!("this copydesk was built without the `postgres` feature: --database is not available")
}

/// The configuration for a run: `--config`, else the one found from the
/// first file; its paths confined to the project unless allowed.
fn load_config(args: &CorpusArgs, first: &Path) -> Result<Config> {
    let mut config = match &args.config {
        Some(p) => Config::load(p)?,
        None => {
            let dir = first
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Config::discover(dir)?
        }
    };
    if args.allow_outside_paths {
        config.boundary = copydesk::trust::Boundary::Anywhere;
    }
    config.check_boundary(!args.corpus.is_empty())?;
    Ok(config)
}

fn read_draft(path: &Path) -> Result<(String, Option<String>)> {
    let bytes =
        copydesk::config::read_regular(path).with_context(|| format!("cannot read draft {}", path.display()))?;
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
    /// Write the report here instead of stdout.
    output: Option<PathBuf>,
}

/// `copydesk review`: the HTML report written to a file (exit 0 whatever it
/// finds: the page is for reading), then opened if asked.
fn review(corpus: CorpusArgs, output: Option<PathBuf>, open: bool, files: Vec<PathBuf>) -> Result<ExitCode> {
    let output = output.unwrap_or_else(|| PathBuf::from("copydesk-review.html"));
    let to_stdout = output.as_os_str() == "-";
    let args = CheckArgs {
        format: Format::Html,
        include_supported: true,
        deny: None,
        changed_since: None,
        output: (!to_stdout).then(|| output.clone()),
    };
    check(corpus, args, files)?;
    if !to_stdout {
        eprintln!("review written to {}", output.display());
        if open {
            opener::open(&output).with_context(|| format!("cannot open {} in a browser", output.display()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Drafts grouped by the project they belong to: with `--config`, one group;
/// else by each draft's nearest `copydesk.toml` (drafts without one share
/// the defaults), in order of first appearance.
fn group_by_project<'a>(
    args: &CorpusArgs,
    drafts: &'a [copydesk::drafts::DraftPath],
) -> Vec<Vec<(usize, &'a copydesk::drafts::DraftPath)>> {
    let mut keys: Vec<Option<PathBuf>> = Vec::new();
    let mut groups: Vec<Vec<(usize, &copydesk::drafts::DraftPath)>> = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        let key = match &args.config {
            Some(_) => None,
            None => {
                let dir = d
                    .path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                Config::find(dir)
            }
        };
        match keys.iter().position(|k| *k == key) {
            Some(g) => groups[g].push((i, d)),
            None => {
                keys.push(key);
                groups.push(vec![(i, d)]);
            }
        }
    }
    groups
}

fn check(args: CorpusArgs, opts: CheckArgs, files: Vec<PathBuf>) -> Result<ExitCode> {
    let format = opts.format;
    let drafts = copydesk::drafts::expand(&files)?;
    if drafts.is_empty() {
        bail!("no drafts to check");
    }
    let groups = group_by_project(&args, &drafts);
    // These reports resolve every finding's sources in one corpus.
    if groups.len() > 1 && matches!(format, Format::Sarif | Format::Html | Format::Markdown) {
        let firsts: Vec<String> = groups.iter().map(|g| g[0].1.path.display().to_string()).collect();
        bail!(
            "the drafts belong to {} projects (each with its own copydesk.toml: {}); this report format reads one corpus, so run copydesk once per project",
            groups.len(),
            firsts.join(", ")
        );
    }
    let mut report = Report {
        sources: 0,
        warnings: Vec::new(),
        files: Vec::new(),
    };
    // Tools see suppressed findings, marked; people don't, except in the
    // review, which shows them with their reason and the supported figures.
    let review = matches!(format, Format::Html | Format::Markdown);
    let keep_suppressed = review || matches!(format, Format::Json | Format::Sarif);
    let mut order = Vec::new();
    let mut backend = None;
    for group in &groups {
        // Each project is loaded (and its corpus indexed) once, for its drafts.
        let config = load_config(&args, &group[0].1.path)?;
        let mut b = match args.database(&config) {
            Some(url) => Backend::archive(&url, &config, &args.corpus)?,
            None => Backend::Local(Box::new(load_project(config, &args.corpus)?)),
        };
        report.sources += b.source_count();
        report.warnings.extend(b.warnings());
        for &(i, draft) in group {
            let path = &draft.path;
            // A folder or glob may take in the corpus itself: a source is no draft.
            if !draft.explicit && b.is_source(path) {
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
            let findings = b
                .check(path, &doc)?
                .into_iter()
                .filter(|f| review || opts.include_supported || f.code != Code::Supported)
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
            order.push(i);
            report.files.push(file);
        }
        backend = Some(b);
    }
    // Files in the order they were named, whichever project checked them.
    let mut numbered: Vec<(usize, FileReport)> = order.into_iter().zip(std::mem::take(&mut report.files)).collect();
    numbered.sort_by_key(|(i, _)| *i);
    report.files = numbered.into_iter().map(|(_, f)| f).collect();
    // With one project (the only case for reports that need it), its corpus.
    let backend = backend.expect("at least one draft, so one project");
    let out = match format {
        Format::Json => report::json::render(&report),
        Format::Sarif => report::sarif::render(&report, backend.facts()),
        Format::Github => report::github::render(&report),
        Format::Rdjson => report::rdjson::render(&report),
        Format::Human => report::human::render(&report, std::io::stdout().is_terminal()),
        Format::Html => report::html::render(&report, backend.facts()),
        Format::Markdown => report::markdown::render(&report, backend.facts()),
    };
    // The human and GitHub reports carry corpus warnings themselves.
    if matches!(format, Format::Json | Format::Sarif | Format::Rdjson) {
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
    }
    match &opts.output {
        Some(path) => std::fs::write(path, &out).with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(out.as_bytes())?,
    }
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
        // As the index reads the file: table cells with their headers, a
        // dated text's relative years resolved.
        for s in copydesk::index::analyze_source(&mut an, &src, 0) {
            for fig in &s.figures {
                // The time slot, which the extraction tables leave out.
                let time = fig.time.map(|y| format!(" @{y}")).unwrap_or_default();
                writeln!(
                    out,
                    "{}: {}{time}",
                    f.display(),
                    copydesk::extract::describe(&rules, &src.text, fig)
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
