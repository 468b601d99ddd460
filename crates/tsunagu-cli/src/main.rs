//! `tsunagu`: the one binary. Serves the application, builds demo data, migrates, imports and
//! exports.
//!
//! Exit codes: 0 success; 1 the command failed (the reason is printed); 2 the command line was
//! wrong (clap prints usage).

mod audit;
mod database;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use tsunagu_app::accounts::{NewAccount, command_line_operator};
use tsunagu_app::audit::AuditCheck;
use tsunagu_app::{App, AppError};
use tsunagu_demo::{DEMO_LOGINS, DEMO_PASSWORD, DemoScale, Progress};
use tsunagu_domain::account::Role;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::program::FiscalYear;
use tsunagu_store::SeedStore;

use crate::database::{open, open_existing};

/// Tsunagu (つなぐ): the shared case record of the disability employment support network.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Write logs as JSON lines (also TSUNAGU_LOG_JSON=1).
    #[arg(long, global = true, env = "TSUNAGU_LOG_JSON")]
    log_json: bool,
}

/// Where the Prometheus metrics are served: not on the application's address unless a token is
/// set, since they tell anyone which pages are used and how often.
#[derive(Debug, clap::Args)]
struct MetricsArgs {
    /// Serve `/metrics` on this address of its own (one only the monitoring can reach).
    #[arg(long, env = "TSUNAGU_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Serve `/metrics` on the application's address too, to requests with
    /// `Authorization: Bearer TOKEN`.
    #[arg(long, env = "TSUNAGU_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web pages and the JSON API.
    Serve {
        #[command(flatten)]
        db: DatabaseArg,
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8080", env = "TSUNAGU_LISTEN")]
        listen: SocketAddr,
        #[command(flatten)]
        metrics: MetricsArgs,
        #[command(flatten)]
        checkpoints: CheckpointArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Build a demo database (fixed random seed), then serve it.
    Demo {
        /// Database URL: `sqlite://FILE` or `postgres://…`.
        #[arg(long, default_value = "sqlite://tsunagu-demo.sqlite3")]
        database: String,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// How much data: a browsable demo, or the benchmark datasets.
        #[arg(long, value_enum, default_value_t = Scale::Demo)]
        scale: Scale,
        /// Random seed; the same seed builds the same data.
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        /// Only build the database.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        metrics: MetricsArgs,
    },
    /// Apply the database migrations.
    Migrate {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Import agencies from a CSV (UTF-8 or Shift_JIS) or XLSX file, all rows or none.
    Import {
        #[command(flatten)]
        db: DatabaseArg,
        /// The file.
        file: PathBuf,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Administration: accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Write a consistent copy of a SQLite database to a new file, while it serves; the copy is
    /// checked (integrity and the audit chain) before this reports success. For PostgreSQL, use
    /// pg_dump (see the README).
    Backup {
        #[command(flatten)]
        db: DatabaseArg,
        /// The backup file to create (never overwritten).
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup in place as the SQLite database file, which must not exist yet; the backup
    /// is checked first and the database again where it lands.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// The annual report's counts of the journey (placements, separations, support records,
    /// referrals): with --verify, recount them from the records and compare them with the counts
    /// kept as the records were written; exit 1 naming every indicator whose count disagrees.
    Report {
        #[command(flatten)]
        db: DatabaseArg,
        /// Recount and compare (the only action so far, so it must be given).
        #[arg(long, required = true)]
        verify: bool,
        /// Only this fiscal year: 2024, 令和6年度 or R6 (else every year).
        #[arg(long, value_parser = parse_fiscal_year)]
        year: Option<FiscalYear>,
    },
    /// Export every agency as CSV or XLSX.
    Export {
        #[command(flatten)]
        db: DatabaseArg,
        /// File format.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Output file.
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Follow the hash chain from the first entry; exit 1 naming the first entry that was
    /// changed, removed or inserted (and, with checkpoints, cut from the end or rewritten).
    Verify {
        #[command(flatten)]
        db: DatabaseArg,
        /// Signed checkpoints (as `audit checkpoint` writes them): the log must still hold each
        /// one's entry, unchanged.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The public key the checkpoints must be signed with (printed by `audit key`); without
        /// it, whichever key a checkpoint names is trusted.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Create the key that signs checkpoints, in a new file only its owner can read; prints the
    /// public key. Keep the file away from the database and its backups.
    Key {
        /// The key file to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign the head of the audit log (once the whole chain checks out) and append the
    /// checkpoint to a file, or print it: keep it where whoever can change the database cannot.
    Checkpoint {
        #[command(flatten)]
        db: DatabaseArg,
        /// The key file (else TSUNAGU_AUDIT_KEY holds the key).
        #[arg(long)]
        key: Option<PathBuf>,
        /// The file to append the checkpoint to (else it is printed).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// How long a client may take: slow or silent clients are cut off, so that they cannot hold the
/// server's connections.
#[derive(Debug, clap::Args)]
struct LimitArgs {
    /// Seconds a client has to send a request's head; an idle connection is closed after as long.
    #[arg(long, default_value_t = 10, env = "TSUNAGU_HEADER_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..=600))]
    header_timeout: u64,
    /// Seconds a request may take, its body included, before it is answered 408.
    #[arg(long, default_value_t = 120, env = "TSUNAGU_REQUEST_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
}

impl LimitArgs {
    fn limits(&self) -> tsunagu_http::serve::Limits {
        tsunagu_http::serve::Limits {
            header: std::time::Duration::from_secs(self.header_timeout),
            request: std::time::Duration::from_secs(self.request_timeout),
        }
    }
}

/// Signed checkpoints of the audit log while serving (see `tsunagu audit checkpoint`).
#[derive(Debug, clap::Args)]
struct CheckpointArgs {
    /// Append a signed checkpoint of the audit log's head to this file at every interval.
    #[arg(long, env = "TSUNAGU_AUDIT_CHECKPOINTS")]
    audit_checkpoints: Option<PathBuf>,
    /// The key file that signs them (else TSUNAGU_AUDIT_KEY holds the key).
    #[arg(long, env = "TSUNAGU_AUDIT_KEY_FILE")]
    audit_key: Option<PathBuf>,
    /// Minutes between checkpoints.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=10_080))]
    audit_checkpoint_minutes: u64,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an account. The password is read from the first line of standard input.
    CreateUser {
        #[command(flatten)]
        db: DatabaseArg,
        /// Sign-in name (letters, digits, . _ - @).
        #[arg(long)]
        login: String,
        /// Name shown in the application.
        #[arg(long)]
        name: String,
        /// Role (repeatable): system_admin, program_manager, block_coordinator, support_worker,
        /// job_coach, school_staff, hello_work_staff, employer_user, person.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Id of the agency the account belongs to.
        #[arg(long)]
        agency: Option<String>,
    },
    /// Link an account to the person it belongs to (a person's account) or the employer it acts
    /// for (an employer's account); a link left out is removed.
    LinkAccount {
        #[command(flatten)]
        db: DatabaseArg,
        /// The account's sign-in name.
        #[arg(long)]
        login: String,
        /// The person's id (from the address of their page).
        #[arg(long)]
        person: Option<String>,
        /// The employer's 法人番号.
        #[arg(long)]
        corporate_number: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
struct DatabaseArg {
    /// Database URL: `sqlite://FILE` (created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://tsunagu.sqlite3")]
    database: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Scale {
    Demo,
    Tokyo,
    National,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Xlsx,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json { builder.json().init() } else { builder.compact().init() }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { db, listen, metrics, checkpoints, limits } => {
            let app = prepare(&db.database).await?;
            if let Some(out) = checkpoints.audit_checkpoints {
                let key = audit::load_key(checkpoints.audit_key.as_deref())?;
                let every = std::time::Duration::from_secs(checkpoints.audit_checkpoint_minutes * 60);
                tokio::spawn(audit::checkpoint_every(app.clone(), key, out, every));
            }
            if app.count_accounts().await.map_err(explain)? == 0 {
                eprintln!(
                    "no accounts yet: create the first administrator with\n  \
                     tsunagu admin create-user --database {} --login admin --name NAME --role system_admin < password-file",
                    db.database
                );
            }
            serve(app, listen, false, metrics, limits.limits()).await
        }
        Command::Demo { database, listen, scale, seed, no_serve, metrics } => {
            let (app, seeder) = prepare_with_seeder(&database).await?;
            let existing = app.search_agencies(&Default::default()).await.map_err(explain)?.total;
            if existing > 0 {
                println!("{database} already holds {existing} agencies; using it as it is.");
            } else {
                let scale = match scale {
                    Scale::Demo => DemoScale::Demo,
                    Scale::Tokyo => DemoScale::Tokyo,
                    Scale::National => DemoScale::National,
                };
                let summary =
                    tsunagu_demo::build(&app, seeder.as_ref(), scale, seed, &Bar::new()).await.map_err(explain)?;
                println!(
                    "demo built in {database}: {} agencies, {} employers, {} persons",
                    summary.agencies, summary.employers, summary.persons
                );
            }
            println!("demo logins (password {DEMO_PASSWORD}): {}", DEMO_LOGINS.join(", "));
            if no_serve { Ok(()) } else { serve(app, listen, true, metrics, Default::default()).await }
        }
        Command::Migrate { db } => {
            let app = prepare(&db.database).await?;
            println!("{} is up to date ({} engine)", db.database, app.store().engine());
            Ok(())
        }
        Command::Import { db, file } => {
            let app = prepare(&db.database).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            match app.import_agencies(&command_line_operator(), &bytes).await {
                Ok(outcome) => {
                    println!("imported {}: {} added, {} updated", file.display(), outcome.created, outcome.updated);
                    Ok(())
                }
                Err(AppError::Import(problems)) => {
                    for p in &problems {
                        let line = p.line.map_or_else(|| "-".to_owned(), |l| l.to_string());
                        let column = p.column.as_deref().unwrap_or("-");
                        let limit = p.limit.map(|l| format!(" ({l})")).unwrap_or_default();
                        eprintln!("{}:{line}: {column}: {}{limit}", file.display(), p.code);
                    }
                    bail!("nothing was imported: {} problem(s)", problems.len())
                }
                Err(e) => Err(explain(e)),
            }
        }
        Command::Audit { command: AuditCommand::Verify { db, checkpoint, public_key } } => {
            let checkpoints = match &checkpoint {
                Some(file) => audit::read_checkpoints(file, public_key.as_deref())?,
                None => Vec::new(),
            };
            let app = App::with_defaults(open_existing(&db.database)?.store);
            match app.verify_audit_against(&checkpoints).await.map_err(explain)? {
                AuditCheck::Intact { entries, head } => {
                    println!("audit log intact: {entries} entries, head {}", head.as_deref().unwrap_or("-"));
                    if let Some(last) = checkpoints.iter().max_by_key(|c| c.seq) {
                        println!(
                            "holds the entries of {} signed checkpoints, the last entry {} signed at {} by key {}",
                            checkpoints.len(),
                            last.seq,
                            last.signed_at,
                            last.public_key
                        );
                    }
                    Ok(())
                }
                AuditCheck::Broken(tamper) => bail!("audit log broken: {tamper}"),
            }
        }
        Command::Audit { command: AuditCommand::Key { out } } => {
            let public = audit::create_key(&out)?;
            println!(
                "checkpoint key written to {}; its public key (give it to audit verify --public-key):",
                out.display()
            );
            println!("{public}");
            Ok(())
        }
        Command::Audit { command: AuditCommand::Checkpoint { db, key, out } } => {
            let key = audit::load_key(key.as_deref())?;
            let app = App::with_defaults(open_existing(&db.database)?.store);
            let checkpoint = audit::checkpoint(&app, &key, out.as_deref()).await?;
            if let Some(out) = out {
                println!("checkpoint of entry {} appended to {}", checkpoint.seq, out.display());
            }
            Ok(())
        }
        Command::Admin { command: AdminCommand::CreateUser { db, login, name, roles, agency } } => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r).with_context(|| format!("unknown role {r:?}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let agency = agency
                .map(|a| uuid::Uuid::parse_str(&a).map(AgencyId).with_context(|| format!("not an agency id: {a:?}")))
                .transpose()?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let app = prepare(&db.database).await?;
            match app
                .create_account(NewAccount {
                    login,
                    display_name: name,
                    password,
                    roles,
                    agency,
                    person: None,
                    employer: None,
                })
                .await
            {
                Ok(account) => {
                    println!("created account {} ({})", account.login, account.id.0);
                    Ok(())
                }
                Err(AppError::Invalid(problems)) => {
                    let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.field, p.code)).collect();
                    bail!("the account was not created: {}", list.join(", "))
                }
                Err(e) => Err(explain(e)),
            }
        }
        Command::Admin { command: AdminCommand::LinkAccount { db, login, person, corporate_number } } => {
            let app = prepare(&db.database).await?;
            let operator = tsunagu_app::accounts::command_line_operator();
            let linked = app
                .link_account(
                    &operator,
                    &login,
                    person.as_deref().unwrap_or(""),
                    corporate_number.as_deref().unwrap_or(""),
                )
                .await;
            match linked {
                Ok(account) => {
                    let person = account.person.map_or_else(|| "no person".to_owned(), |p| format!("person {}", p.0));
                    let employer =
                        account.employer.map_or_else(|| "no employer".to_owned(), |e| format!("employer {}", e.0));
                    println!("linked account {}: {person}, {employer}", account.login);
                    Ok(())
                }
                Err(AppError::Invalid(problems)) => {
                    let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.field, p.code)).collect();
                    bail!("the account was not linked: {}", list.join(", "))
                }
                Err(e) => Err(explain(e)),
            }
        }
        Command::Backup { db, to } => {
            let from = database::sqlite_file(&db.database, "backup")?;
            let checked = tsunagu_store_sqlite::backup::backup(from, &to)
                .with_context(|| format!("no backup written to {}", to.display()))?;
            println!("backup written to {}: {}", to.display(), describe(&checked));
            Ok(())
        }
        Command::Restore { from, db } => {
            let to = database::sqlite_file(&db.database, "restore")?;
            let checked = tsunagu_store_sqlite::backup::restore(&from, to)
                .with_context(|| format!("{} was not restored", from.display()))?;
            println!("restored {} to {}: {}", from.display(), to.display(), describe(&checked));
            Ok(())
        }
        Command::Report { db, verify: _, year } => {
            let app = App::with_defaults(open_existing(&db.database)?.store);
            let started = std::time::Instant::now();
            let check = app.verify_report_counts(year).await.map_err(explain)?;
            let recounted_in = started.elapsed();
            let scope = year.map_or_else(|| "every fiscal year".to_owned(), FiscalYear::wareki);
            for d in &check.disagreements {
                let c = &d.counts;
                println!(
                    "{} ({}, {}, {}{}): kept {}, the records give {}",
                    if d.indicators.is_empty() { "no indicator".to_owned() } else { d.indicators.join(", ") },
                    d.whose,
                    c.year.wareki(),
                    c.measure.code(),
                    if c.breakdown.is_empty() { String::new() } else { format!(" {}", c.breakdown) },
                    c.kept,
                    c.recounted
                );
            }
            let started = std::time::Instant::now();
            let (groups, retention) = app.verify_retention().await.map_err(explain)?;
            for d in &retention {
                println!(
                    "retention ({}): kept {} placements, {} ended; the records give {} placements, {} ended{}",
                    d.group.code(),
                    d.kept.0,
                    d.kept.1,
                    d.recounted.0,
                    d.recounted.1,
                    if d.kept == d.recounted { " (their durations differ)" } else { "" }
                );
            }
            if !check.disagreements.is_empty() {
                bail!("{} of {} counts disagree with the records ({scope})", check.disagreements.len(), check.compared);
            }
            if !retention.is_empty() {
                bail!("{} of {groups} retention groups disagree with the placements", retention.len());
            }
            println!(
                "report counts agree with the records: {} counts, {scope}, recounted in {} ms",
                check.compared,
                recounted_in.as_millis()
            );
            println!(
                "retention agrees with the placements: {groups} groups, compared in {} ms",
                started.elapsed().as_millis()
            );
            Ok(())
        }
        Command::Export { db, format, output } => {
            let app = prepare(&db.database).await?;
            let bytes = match format {
                Format::Csv => app.export_agencies_csv().await,
                Format::Xlsx => app.export_agencies_xlsx().await,
            }
            .map_err(explain)?;
            std::fs::write(&output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
            println!("wrote {}", output.display());
            Ok(())
        }
    }
}

/// A fiscal year as the command line gives it.
fn parse_fiscal_year(raw: &str) -> Result<FiscalYear, String> {
    FiscalYear::parse(raw).map_err(str::to_owned)
}

/// A checked backup in words.
fn describe(c: &tsunagu_store_sqlite::backup::BackupCheck) -> String {
    format!(
        "{} bytes, integrity ok, audit log intact: {} entries, head {}",
        c.bytes,
        c.audit_entries,
        c.head.as_deref().unwrap_or("-")
    )
}

fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Store(cause) => anyhow::Error::new(cause).context("database error"),
        other => anyhow::anyhow!("{other}"),
    }
}

/// Opens the database, applies migrations and the reference data.
async fn prepare(url: &str) -> anyhow::Result<App> {
    Ok(prepare_with_seeder(url).await?.0)
}

/// [`prepare`], with the bulk loader for demo data.
async fn prepare_with_seeder(url: &str) -> anyhow::Result<(App, Arc<dyn SeedStore>)> {
    let database = open(url)?;
    let app = App::with_defaults(database.store);
    let applied = app.prepare_database().await.map_err(explain).with_context(|| format!("cannot prepare {url}"))?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    Ok((app, database.seeder))
}

async fn serve(
    app: App,
    listen: SocketAddr,
    demo: bool,
    metrics: MetricsArgs,
    limits: tsunagu_http::serve::Limits,
) -> anyhow::Result<()> {
    raise_open_files_limit();
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    if let Some(at) = metrics.metrics_listen {
        let listener =
            tokio::net::TcpListener::bind(at).await.with_context(|| format!("cannot listen on {at} for metrics"))?;
        println!("metrics on http://{}/metrics", listener.local_addr()?);
        tokio::spawn(async move {
            let router = tsunagu_http::metrics_router();
            if let Err(e) = tsunagu_http::serve::serve(listener, router, limits, std::future::pending()).await {
                tracing::error!(error = %e, "metrics listener failed");
            }
        });
    }
    println!("listening on http://{addr}");
    let options = tsunagu_http::Options { demo, metrics_token: metrics.metrics_token };
    let router = tsunagu_http::router_with(app, options);
    tsunagu_http::serve::serve(listener, router, limits, shutdown_signal()).await.context("server failed")
}

/// Lets the server hold as many connections as the system allows it: the usual soft limit of
/// 1,024 open files is reached by a thousand idle clients, and then nobody else gets in.
fn raise_open_files_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open files limit"),
        Err(e) => tracing::warn!(error = %e, "cannot raise the open files limit"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// A terminal progress bar for the demo build.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{msg:8} [{bar:40}] {pos}/{len} ({eta})") {
            bar.set_style(style.progress_chars("=> "));
        }
        Self(bar)
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str, total: u64) {
        self.0.set_message(name.to_owned());
        self.0.set_length(total);
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
