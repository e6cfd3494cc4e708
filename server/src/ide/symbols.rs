//! The outline of host.json and local.settings.json: every member, nested.

use crate::syntax::jsonc::{self, JsonDocument, Object, ValueKind};
use crate::text::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// A short rendering of a scalar value.
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole member.
    pub range: TextRange,
    /// The key.
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// Deeper than this the outline stops: nobody reads it and it costs time.
const MAX_DEPTH: usize = 12;

pub fn symbols(text: &str) -> Vec<Symbol> {
    symbols_of(&jsonc::parse(text), text)
}

/// The outline of `doc`, the parse of `text`.
pub fn symbols_of(doc: &JsonDocument, text: &str) -> Vec<Symbol> {
    doc.root_object().map_or_else(Vec::new, |root| object(root, text, 0))
}

fn object(members_of: &Object, text: &str, depth: usize) -> Vec<Symbol> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    members_of
        .members
        .iter()
        .map(|member| {
            let end = member.value.as_ref().map_or(member.key.range.end, |v| v.range.end);
            let (kind, detail, children) = match member.value.as_ref().map(|v| &v.kind) {
                Some(ValueKind::Object(inner)) => (SymbolKind::Object, None, object(inner, text, depth + 1)),
                Some(ValueKind::Array(_)) => (SymbolKind::Array, None, Vec::new()),
                Some(ValueKind::String(s)) => (
                    SymbolKind::String,
                    Some(crate::analysis::secrets::mask_setting(&member.key.value, &short(&s.value)).into_owned()),
                    Vec::new(),
                ),
                Some(ValueKind::Number(_)) => {
                    let value = member.value.as_ref().map(|v| text[v.range.start..v.range.end].to_string());
                    (SymbolKind::Number, value, Vec::new())
                }
                Some(ValueKind::Bool(b)) => (SymbolKind::Boolean, Some(b.to_string()), Vec::new()),
                _ => (SymbolKind::Null, None, Vec::new()),
            };
            Symbol {
                name: if member.key.value.is_empty() { "\"\"".to_string() } else { member.key.value.clone() },
                detail,
                kind,
                range: TextRange::new(member.key.range.start, end),
                selection: member.key.range,
                children,
            }
        })
        .collect()
}

fn short(value: &str) -> String {
    let shown: String = value.chars().take(60).collect();
    if shown.len() < value.len() { format!("{shown}…") } else { shown }
}
