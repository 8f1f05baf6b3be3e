//! copydesk: checks the figures in a Markdown draft against a corpus of sources.
//!
//! The engine is this library: it reads sources (`corpus`), turns Markdown into
//! checkable text (`markdown`), finds figures (`extract`), indexes the sources'
//! facts (`index`) and compares the draft's figures with them (`check`). It speaks
//! byte offsets and plain structs; the command line (`main.rs`) and the language
//! server (`lsp`) only convert.

#[cfg(feature = "postgres")]
pub mod archive;
pub mod changes;
pub mod check;
pub mod config;
pub mod corpus;
pub mod dateline;
pub mod drafts;
pub mod extract;
pub mod index;
#[cfg(feature = "server")]
#[deny(clippy::print_stdout)]
pub mod lsp;
pub mod markdown;
pub mod names;
pub mod project;
pub mod report;
pub mod rules;
pub mod synth;
pub mod text;
pub mod trust;
