//! Integration tests: one binary, one module per area (the ripgrep layout).
//!
//! - `fixtures`: data-driven checks, one `check(fixture)` per feature, with the
//!   expected finding written inline in the draft as `[[text|code]]`;
//! - `cli`: the real `copydesk` binary on `examples/` and on bad input, with
//!   snapshots of its reports (insta; update with `INSTA_UPDATE=always cargo test`
//!   or `cargo insta review`).

mod cli;
mod external;
mod fixtures;
mod formats;
mod index;
mod lsp;
mod lsp_client;
mod make;
mod packaging;
mod quotes;
mod reports;
mod source_formats;
mod support;
