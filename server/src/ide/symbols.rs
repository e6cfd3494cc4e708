//! The outline of host.json and local.settings.json (every member, nested)
//! and of project files (every element, a package item named by its id).

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
                // Editors refuse a blank name (VS Code: "name must not be falsy"): quoted, it shows.
                name: if member.key.value.trim().is_empty() {
                    format!("\"{}\"", member.key.value)
                } else {
                    member.key.value.clone()
                },
                detail,
                kind,
                range: TextRange::new(member.key.range.start, end),
                selection: member.key.range,
                children,
            }
        })
        .collect()
}

/// The outline of a project file (a `*.csproj` or a props file): each
/// element, nested; a package item shows its id, with its version as detail.
pub fn project_symbols(text: &str) -> Vec<Symbol> {
    let doc = crate::syntax::xml::parse(text);
    doc.root.as_ref().map(|root| vec![element(root, 0)]).unwrap_or_default()
}

fn element(element: &crate::syntax::xml::Element, depth: usize) -> Symbol {
    let id = element.attribute("Include").or_else(|| element.attribute("Update")).map(|a| a.value.as_str());
    let version = element
        .attribute("Version")
        .map(|a| a.value.clone())
        .or_else(|| element.child("Version").map(|v| v.text.clone()));
    let name = match id {
        Some(id) if !id.is_empty() => format!("{} {id}", element.name),
        // An element being typed (`<` alone) has no name yet: editors refuse a blank one.
        _ if element.name.is_empty() => "<".to_string(),
        _ => element.name.clone(),
    };
    let leaf_text = (element.children.is_empty() && !element.text.is_empty()).then(|| short(&element.text));
    let children = if depth < MAX_DEPTH {
        element.children.iter().map(|child| self::element(child, depth + 1)).collect()
    } else {
        Vec::new()
    };
    Symbol {
        name,
        detail: version.or(leaf_text),
        kind: if element.children.is_empty() { SymbolKind::String } else { SymbolKind::Object },
        range: element.range,
        selection: element.name_range,
        children,
    }
}

fn short(value: &str) -> String {
    let shown: String = value.chars().take(60).collect();
    if shown.len() < value.len() { format!("{shown}…") } else { shown }
}
