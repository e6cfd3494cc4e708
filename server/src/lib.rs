//! durable-lsp: diagnostics, fixes and editor help for Azure Durable Functions
//! configuration, aimed at the switch to the Durable Task Scheduler.
//!
//! Layers, from the bottom: `text` (offsets and positions), `syntax` (parsers
//! that never fail), `app` (which files make an app), `analysis` (the rules,
//! pure), and two front ends that only convert: `lsp` and `cli`.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod disk;
pub mod edit;
pub mod ide;
pub mod lsp;
pub mod suggest;
pub mod syntax;
pub mod text;
