//! drydock: a Dockerfile static analyzer.
//!
//! The library never prints; rendering happens in the binary's reporters.

pub mod build_context;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod eol;
pub mod fix;
pub mod inventory;
pub mod registry;
pub mod report;
pub mod rules;
pub mod semantic;
pub mod shell;
pub mod source;
pub mod span;
pub mod suppress;
pub mod syntax;
