//! The Dockerfile syntax layer: a BuildKit-faithful, error-tolerant parser that keeps a
//! byte span for every token.

mod ast;
pub mod dump;
mod image;
mod logical;
mod parser;
mod vars;
mod words;

pub use ast::*;
pub use image::{ImageRef, Part};
pub use logical::LogicalText;
pub use parser::{parse, parse_with, ParseOptions};
pub use vars::VarRef;
