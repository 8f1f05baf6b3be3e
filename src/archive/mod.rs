//! The shared archive: a newsroom's corpus in PostgreSQL, ingested once and
//! checked against by every reporter's machine (`--database URL`).
//!
//! The archive keeps what the embedded index keeps (sentence records,
//! postings by term key, figures by value key) plus each source's text, so a
//! machine with none of the corpus files gets the same findings with their
//! passages. A check reads through a per-draft [`view::DraftView`], which
//! fetches what the checker asks for in batches (a few round trips per
//! draft, not per figure). Everything reaches SQL as parameters of prepared
//! statements; nothing is interpolated.
//!
//! The client is the synchronous `postgres` crate: the engine is synchronous
//! (rayon), and the crate keeps its own runtime inside, so the library's
//! callers never see async.

pub mod conflicts;
pub mod ingest;
mod tls;
pub mod view;

use std::time::Duration;

/// Schema migrations, in order; the archive's version is how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_archive.sql"),
    include_str!("../../migrations/0002_names.sql"),
    include_str!("../../migrations/0003_source_formats.sql"),
    include_str!("../../migrations/0004_source_count.sql"),
    include_str!("../../migrations/0005_compact_postings.sql"),
    include_str!("../../migrations/0006_name_spellings.sql"),
    include_str!("../../migrations/0007_analysis_version.sql"),
];

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// How long a connection attempt may take unless the URL says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the archive cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("invalid database URL: {0}")]
    Url(String),
    #[error("cannot connect to the database at {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error(
        "the database holds archive schema version {found}, newer than this copydesk ({SCHEMA_VERSION}); upgrade copydesk"
    )]
    Newer { found: i32 },
    #[error(
        "the database has no copydesk archive (schema version {found}, this copydesk needs {SCHEMA_VERSION}); run `copydesk index --database URL --corpus PATH` first"
    )]
    Older { found: i32 },
    #[error(
        "the archive holds {sources} source(s) analysed by another copydesk version (record format {found}, this copydesk reads {}); run `copydesk index --database URL --corpus PATH` with this version to re-analyse them",
        crate::index::segment::FORMAT
    )]
    OtherFormat { sources: i64, found: i32 },
    #[error("database error: {0}")]
    Db(#[from] postgres::Error),
    #[error(transparent)]
    Corpus(#[from] crate::corpus::MissingPath),
    #[error("{0}")]
    Other(String),
}

/// A connection to an archive.
pub struct Archive {
    client: postgres::Client,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Archive")
    }
}

/// The error's message with its causes (the server's own words for a
/// refused login), without the password, which is never in them.
fn reason(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(c) = src {
                let m = c.to_string();
                if !s.contains(&m) {
                    s.push_str(": ");
                    s.push_str(&m);
                }
                src = c.source();
            }
            s
        }
    }
}

/// Host, port and database of a configuration, for messages (never the password).
fn target(cfg: &postgres::Config) -> String {
    let host = cfg
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(h) => h.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = cfg.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}/{}", cfg.get_dbname().unwrap_or(""))
}

/// Parses a URL or `key=value` connection string, filling in what the URL
/// leaves out the way libpq does: user from `PGUSER` (else the login name),
/// password from `PGPASSWORD` or the password file (`PGPASSFILE`, else
/// `~/.pgpass`), and a connect timeout so a dead server never hangs a check.
pub fn config(url: &str) -> Result<postgres::Config, ArchiveError> {
    let mut cfg: postgres::Config = libpq_sslmodes(url)
        .parse()
        .map_err(|e: postgres::Error| ArchiveError::Url(reason(&e)))?;
    if cfg.get_user().is_none() {
        let user = std::env::var("PGUSER")
            .ok()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "postgres".into());
        cfg.user(&user);
    }
    if cfg.get_dbname().is_none()
        && let Some(u) = cfg.get_user()
    {
        let u = u.to_string();
        cfg.dbname(&u);
    }
    if cfg.get_password().is_none() {
        if let Ok(pw) = std::env::var("PGPASSWORD") {
            cfg.password(pw);
        } else if let Some(pw) = pgpass(&cfg) {
            cfg.password(pw);
        }
    }
    if cfg.get_connect_timeout().is_none() {
        cfg.connect_timeout(CONNECT_TIMEOUT);
    }
    if cfg.get_application_name().is_none() {
        cfg.application_name("copydesk");
    }
    Ok(cfg)
}

/// `url` with libpq's `sslmode` values the client library does not name
/// spelt as those it does: `verify-ca` and `verify-full` as `require`, which
/// verifies the certificate and the host name here (see [`tls`]); `allow` as
/// `prefer`.
fn libpq_sslmodes(url: &str) -> std::borrow::Cow<'_, str> {
    let mut out = std::borrow::Cow::Borrowed(url);
    for (libpq, ours) in [
        ("sslmode=verify-full", "sslmode=require"),
        ("sslmode=verify-ca", "sslmode=require"),
        ("sslmode=allow", "sslmode=prefer"),
    ] {
        if out.contains(libpq) {
            out = std::borrow::Cow::Owned(out.replace(libpq, ours));
        }
    }
    out
}

/// The password for `cfg` from the password file, as libpq reads it
/// (`host:port:database:user:password`, `*` matching anything, `\` escaping).
fn pgpass(cfg: &postgres::Config) -> Option<String> {
    let path = match std::env::var_os("PGPASSFILE") {
        Some(p) => std::path::PathBuf::from(p),
        None => dirs::home_dir()?.join(".pgpass"),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let t = target(cfg);
    let (hostport, db) = t.split_once('/')?;
    let (host, port) = hostport.rsplit_once(':')?;
    let user = cfg.get_user()?;
    pgpass_lookup(&text, [host, port, db, user])
}

fn pgpass_lookup(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => cur.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        if fields.len() == 5 && fields[..4].iter().zip(want).all(|(f, w)| f == "*" || f == w) {
            return fields.pop();
        }
    }
    None
}

impl Archive {
    /// Connects to the archive at `url` (see [`config`]).
    pub fn connect(url: &str) -> Result<Archive, ArchiveError> {
        let cfg = config(url)?;
        Archive::connect_with(&cfg)
    }

    /// Connects with TLS as `cfg`'s `sslmode` asks (see [`tls`]).
    pub fn connect_with(cfg: &postgres::Config) -> Result<Archive, ArchiveError> {
        let fail = |reason: String| ArchiveError::Connect {
            target: target(cfg),
            reason,
        };
        let mode = cfg.get_ssl_mode();
        if mode == postgres::config::SslMode::Disable {
            let client = cfg.connect(postgres::NoTls).map_err(|e| fail(reason(&e)))?;
            return Ok(Archive { client });
        }
        let client = match cfg.connect(tls::connector().map_err(fail)?) {
            Ok(c) => c,
            Err(e) if mode == postgres::config::SslMode::Prefer && tls::failed_handshake(&e) => {
                tracing::warn!(
                    target = %target(cfg),
                    "TLS to the database failed ({}); connecting without it (sslmode=prefer; sslmode=require refuses)",
                    reason(&e)
                );
                cfg.connect(postgres::NoTls).map_err(|e| fail(reason(&e)))?
            }
            Err(e) => return Err(fail(reason(&e))),
        };
        Ok(Archive { client })
    }

    pub fn client(&mut self) -> &mut postgres::Client {
        &mut self.client
    }

    /// The archive's schema version (0: none yet).
    pub fn schema_version(&mut self) -> Result<i32, ArchiveError> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('copydesk_schema') IS NOT NULL", &[])?
            .get(0);
        if !exists {
            return Ok(0);
        }
        Ok(self
            .client
            .query_one("SELECT coalesce(max(version), 0) FROM copydesk_schema", &[])?
            .get(0))
    }

    /// Refuses an archive this build cannot read (a check never migrates: a
    /// read-only role is enough for it).
    pub fn require_current(&mut self) -> Result<(), ArchiveError> {
        match self.schema_version()? {
            v if v > SCHEMA_VERSION => Err(ArchiveError::Newer { found: v }),
            v if v < SCHEMA_VERSION => Err(ArchiveError::Older { found: v }),
            _ => self.require_format(),
        }
    }

    /// Refuses an archive holding sentence records of another layout than
    /// this build's: they would not decode, or decode wrong. An index scan
    /// of the sources' `record_format` column, empty when all are current.
    fn require_format(&mut self) -> Result<(), ArchiveError> {
        let current = crate::index::segment::FORMAT as i32;
        let row = self.client.query_one(
            "SELECT count(*), min(record_format) FROM copydesk_sources WHERE record_format < $1 OR record_format > $1",
            &[&current],
        )?;
        match row.get::<_, i64>(0) {
            0 => Ok(()),
            sources => Err(ArchiveError::OtherFormat {
                sources,
                found: row.get::<_, Option<i32>>(1).unwrap_or(0),
            }),
        }
    }

    /// Applies the migrations the archive lacks, each in a transaction, under
    /// an advisory lock so two ingesters starting at once do not both apply
    /// them. Returns the versions applied.
    pub fn migrate(&mut self) -> Result<Vec<i32>, ArchiveError> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(7261636870)", &[])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS copydesk_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
        )?;
        let found: i32 = tx
            .query_one("SELECT coalesce(max(version), 0) FROM copydesk_schema", &[])?
            .get(0);
        if found > SCHEMA_VERSION {
            return Err(ArchiveError::Newer { found });
        }
        let mut applied = Vec::new();
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let v = i as i32 + 1;
            tx.batch_execute(sql)?;
            tx.execute("INSERT INTO copydesk_schema (version) VALUES ($1)", &[&v])?;
            applied.push(v);
        }
        tx.commit()?;
        Ok(applied)
    }

    /// How many sources are under `scope` (all when empty): the archive's
    /// counter for the whole archive, a count of the scope's rows otherwise.
    pub fn source_count(&mut self, scope: &[std::path::PathBuf]) -> Result<usize, ArchiveError> {
        let n: i64 = if scope.is_empty() {
            self.client
                .query_one("SELECT sources FROM copydesk_counters", &[])?
                .get(0)
        } else {
            self.client
                .query_one(
                    &format!("SELECT count(*) FROM copydesk_sources WHERE {IN_SCOPE}"),
                    &[&roots(scope)],
                )?
                .get(0)
        };
        Ok(n.max(0) as usize)
    }

    /// Live sentences (the idf's denominator).
    pub fn sentence_count(&mut self) -> Result<usize, ArchiveError> {
        let n: i64 = self
            .client
            .query_one("SELECT sentences FROM copydesk_counters", &[])?
            .get(0);
        Ok(n as usize)
    }
}

/// Sources under any of `$1` (absolute paths), or all when it is empty.
const IN_SCOPE: &str = "cardinality($1::text[]) = 0 \
    OR EXISTS (SELECT 1 FROM unnest($1::text[]) r WHERE path = r OR starts_with(path, r || '/'))";

/// `scope` as the absolute paths [`IN_SCOPE`] takes.
fn roots(scope: &[std::path::PathBuf]) -> Vec<String> {
    scope
        .iter()
        .map(|p| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

impl Archive {
    /// Every source in the archive (under `scope`, when given), in id order.
    pub fn sources(
        &mut self,
        scope: &[std::path::PathBuf],
    ) -> Result<Vec<crate::report::sources::JsonSource>, ArchiveError> {
        let rows = self.client.query(
            &format!(
                "SELECT key, title, date, path, figures, format, author, url FROM copydesk_sources WHERE {IN_SCOPE} ORDER BY id"
            ),
            &[&roots(scope)],
        )?;
        Ok(rows
            .into_iter()
            .map(|r| crate::report::sources::JsonSource {
                key: r.get(0),
                title: r.get(1),
                date: r.get(2),
                path: crate::report::display_path(std::path::Path::new(&r.get::<_, String>(3))),
                figures: r.get::<_, i32>(4) as usize,
                format: crate::corpus::Format::from_name(r.get(5)).unwrap_or(crate::corpus::Format::Text),
                author: r.get(6),
                url: r.get(7),
            })
            .collect())
    }
}

impl Archive {
    /// The ids of the sources under `scope` (all when empty), in id order.
    pub fn source_ids(&mut self, scope: &[std::path::PathBuf]) -> Result<Vec<u32>, ArchiveError> {
        let rows = self.client.query(
            &format!("SELECT id FROM copydesk_sources WHERE {IN_SCOPE} ORDER BY id"),
            &[&roots(scope)],
        )?;
        Ok(rows.iter().map(|r| r.get::<_, i64>(0) as u32).collect())
    }
}

/// A 64-bit key as PostgreSQL's bigint (same bits).
pub(crate) fn k(v: u64) -> i64 {
    v as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_matches_fields_and_wildcards() {
        let text = "# comment\nother:5432:*:me:wrong\n127.0.0.1:*:news:me:pa\\:ss\n*:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, ["127.0.0.1", "5433", "news", "me"]).as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_lookup(text, ["other", "5432", "x", "me"]).as_deref(),
            Some("wrong")
        );
        assert_eq!(
            pgpass_lookup(text, ["db", "1", "x", "you"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("h:1:d:u:p\n", ["h", "2", "d", "u"]), None);
    }

    #[test]
    fn libpq_sslmodes_map_to_the_clients_own() {
        use postgres::config::SslMode;
        for (url, mode) in [
            ("postgres://u@h/db", SslMode::Prefer),
            ("postgres://u@h/db?sslmode=disable", SslMode::Disable),
            ("postgres://u@h/db?sslmode=allow", SslMode::Prefer),
            ("postgres://u@h/db?sslmode=require", SslMode::Require),
            ("postgres://u@h/db?sslmode=verify-ca", SslMode::Require),
            ("host=h user=u sslmode=verify-full", SslMode::Require),
        ] {
            assert_eq!(config(url).unwrap().get_ssl_mode(), mode, "{url}");
        }
        assert!(matches!(
            config("postgres://u@h/db?sslmode=sometimes"),
            Err(ArchiveError::Url(m)) if m.contains("sslmode")
        ));
    }

    #[test]
    fn config_fills_a_connect_timeout_and_keeps_the_urls_own() {
        let c = config("postgres://u@localhost/db").unwrap();
        assert_eq!(c.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
        let c = config("postgres://u@localhost/db?connect_timeout=3").unwrap();
        assert_eq!(c.get_connect_timeout(), Some(&Duration::from_secs(3)));
        assert!(matches!(
            config("postgres://u@h:notaport/db"),
            Err(ArchiveError::Url(_))
        ));
    }
}
