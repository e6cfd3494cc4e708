//! The syntax layer: parsers that never fail. Each returns a tree (as much of
//! one as the text allows) plus every error with its byte range.

pub mod connection_string;
pub mod jsonc;
pub mod xml;

use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}
