//! Integration tests: one binary, one module per area (the ripgrep layout).
//!
//! - `fixtures`: data-driven checks, one `check(fixture)` per feature, with the
//!   expected finding written inline in the draft as `[[text|code]]`;
//! - `cli`: the real `copydesk` binary on `examples/` and on bad input, with
//!   snapshots of its reports (insta; update with `INSTA_UPDATE=always cargo test`
//!   or `cargo insta review`).

#[cfg(feature = "postgres")]
mod archive;
#[cfg(feature = "postgres")]
mod archive_cli;
mod cli;
mod corpus_paths;
mod data_tables;
mod distribution;
mod draft_itself;
mod external;
mod fact_identity;
mod fixtures;
mod formats;
mod index;
mod linear;
mod lsp;
mod lsp_boundary;
mod lsp_client;
mod lsp_consistency;
mod lsp_hostile;
mod lsp_staged;
mod mail_sources;
mod make;
mod over_time;
mod packaging;
mod quotes;
mod reports;
mod review;
mod source_formats;
mod support;
mod unrelated;
