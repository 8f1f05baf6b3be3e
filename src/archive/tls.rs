//! TLS to the archive, as the URL's `sslmode` asks in libpq's words:
//! `disable` never, `prefer` (the default) when the server offers it,
//! `require` always, refusing a server that does not offer it.
//!
//! The server's certificate is verified against the system's trusted roots,
//! or against the file `PGSSLROOTCERT` names (a newsroom's own authority):
//! stricter than libpq's `require`, which encrypts without verifying, because
//! a check's credentials cross the newsroom's network. Under `prefer` a
//! server whose certificate cannot be verified (a distribution's self-signed
//! default) is reached without TLS, where libpq's `prefer` would use TLS
//! unverified: neither protects against an impostor, and `require` is there
//! for a newsroom that needs that.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use tokio_postgres_rustls::MakeRustlsConnect;

/// The connector every TLS connection of this process uses: the roots are
/// read once.
pub(super) fn connector() -> Result<MakeRustlsConnect, String> {
    static CONNECTOR: OnceLock<Result<MakeRustlsConnect, String>> = OnceLock::new();
    CONNECTOR.get_or_init(build).clone()
}

fn build() -> Result<MakeRustlsConnect, String> {
    let found = match std::env::var_os("PGSSLROOTCERT") {
        Some(file) => {
            let found = rustls_native_certs::load_certs_from_paths(Some(Path::new(&file)), None);
            if let Some(e) = found.errors.first() {
                return Err(format!(
                    "cannot read the trusted certificates PGSSLROOTCERT names ({}): {e}",
                    Path::new(&file).display()
                ));
            }
            found
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for e in &found.errors {
                tracing::warn!("reading the system's trusted certificates: {e}");
            }
            found
        }
    };
    let mut roots = rustls::RootCertStore::empty();
    let (_, unparsable) = roots.add_parsable_certificates(found.certs);
    if unparsable > 0 {
        tracing::warn!("{unparsable} trusted certificates could not be parsed and are ignored");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// Whether a connection failed in the TLS handshake (the server refused
/// TLS, or its certificate did not verify). tokio-postgres says so only in
/// its message, which is fixed text of the crate.
pub(super) fn failed_handshake(e: &postgres::Error) -> bool {
    e.as_db_error().is_none() && e.to_string().starts_with("error performing TLS handshake")
}
