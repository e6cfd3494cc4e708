//! Every conversion between the protocol and the analysis: URIs and paths,
//! positions and byte offsets, diagnostics. Nothing else in the crate turns
//! a byte offset into a line/column for the client.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use lsp_types as lsp;
use serde_json::Value;

use crate::analysis::{self, FileReport, Severity, registry};
use crate::edit::FileChange;
use crate::text::{LineCol, LineIndex, PositionEncoding, TextRange};

/// The path of a `file:` URI, percent-decoded. Other schemes have no path.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///path` has an empty authority, and `file://localhost/path`
    // names this machine too (RFC 8089); `file://host/path` is not local.
    let path = match rest.find('/') {
        Some(0) => rest,
        Some(slash) if rest[..slash].eq_ignore_ascii_case("localhost") => &rest[slash..],
        _ => return None,
    };
    let decoded = percent_decode(path.split(['?', '#']).next().unwrap_or(path))?;
    // Windows: `/c:/x` → `c:/x`.
    let bytes = decoded.as_bytes();
    if bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// Every `uri` in `params` that the protocol types would reject (a raw
/// blank, a non-ASCII letter, a `[` in the path: some clients send them)
/// escaped, so the message is read rather than dropped. A valid URI is
/// left as the client wrote it.
pub fn escape_uris(params: &mut Value) {
    match params {
        Value::Object(members) => {
            for (key, value) in members.iter_mut() {
                match value {
                    Value::String(uri) if key == "uri" && uri.parse::<lsp::Uri>().is_err() => {
                        *uri = escape_uri(uri);
                    }
                    // Only the containers can hold a `uri`: a document's text is not walked.
                    Value::Object(_) | Value::Array(_) => escape_uris(value),
                    _ => {}
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(escape_uris),
        _ => {}
    }
}

/// `uri` with every byte a URI may not hold as it is percent-escaped (a
/// `%` that starts an escape stays). A client that sends raw blanks sends
/// a `#` or `?` raw too: in a file's URI they are part of its name.
fn escape_uri(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = String::with_capacity(uri.len() + 8);
    for (at, &byte) in bytes.iter().enumerate() {
        let escape_start =
            byte == b'%' && bytes.get(at + 1..at + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
        if byte.is_ascii_alphanumeric() || b"-._~:/@!$&'()*+,;=".contains(&byte) || escape_start {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A `file:` URI for a path, escaping what a URI path may not hold.
pub fn path_to_uri(path: &Path) -> String {
    crate::disk::file_uri(path)
}

pub fn uri(text: &str) -> Option<lsp::Uri> {
    lsp::Uri::from_str(text).ok()
}

pub fn encoding_kind(encoding: PositionEncoding) -> lsp::PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

/// UTF-8 when the client offers it (no conversion at all), then UTF-32, else
/// the protocol's default UTF-16.
pub fn negotiate_encoding(offered: &[lsp::PositionEncodingKind]) -> PositionEncoding {
    if offered.contains(&lsp::PositionEncodingKind::UTF8) {
        PositionEncoding::Utf8
    } else if offered.contains(&lsp::PositionEncodingKind::UTF32) {
        PositionEncoding::Utf32
    } else {
        PositionEncoding::Utf16
    }
}

/// A text with its line index, converting in the negotiated encoding.
pub struct Positions<'a> {
    pub text: &'a str,
    pub index: Arc<LineIndex>,
    pub encoding: PositionEncoding,
    /// The last position converted: line, byte offset, column.
    last: std::cell::Cell<Option<(usize, usize, usize)>>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, encoding: PositionEncoding) -> Positions<'a> {
        Positions::with_index(text, Arc::new(LineIndex::new(text)), encoding)
    }

    /// With the line index of `text` built before.
    pub fn with_index(text: &'a str, index: Arc<LineIndex>, encoding: PositionEncoding) -> Positions<'a> {
        Positions { text, index, encoding, last: std::cell::Cell::new(None) }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let offset = crate::text::floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(offset);
        let content = self.index.line_content(self.text, line);
        let upto = offset.clamp(content.start, content.end);
        // Positions mostly come in document order, a range's start then its
        // end (symbols, diagnostics): on a long line (a minified file is one)
        // a column is measured from the last one when that is nearer than
        // the line's start, forwards or back.
        let measure = |from: usize, to: usize| crate::text::measure(&self.text[from..to], self.encoding);
        let col = match self.last.get() {
            Some((last_line, at, col)) if last_line == line && at <= upto => col + measure(at, upto),
            Some((last_line, at, col)) if last_line == line && at - upto < upto - content.start => {
                col - measure(upto, at)
            }
            _ => measure(content.start, upto),
        };
        self.last.set(Some((line, upto, col)));
        lsp::Position { line: line as u32, character: col as u32 }
    }

    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range { start: self.position(range.start), end: self.position(range.end) }
    }

    /// A client position as a byte offset, clamped into the text.
    pub fn offset(&self, position: lsp::Position) -> usize {
        self.index.offset(self.text, LineCol { line: position.line, col: position.character }, self.encoding)
    }

    /// As [`Positions::offset`], and whether the position fell inside a
    /// character (half a surrogate pair in UTF-16).
    pub fn offset_within(&self, position: lsp::Position) -> (usize, bool) {
        self.index.offset_within(self.text, LineCol { line: position.line, col: position.character }, self.encoding)
    }

    pub fn text_range(&self, range: lsp::Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end);
        TextRange::new(start.min(end), end.max(start))
    }
}

fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// The URI and version of an open document.
pub type VersionOf<'a> = Box<dyn Fn(&Path) -> Option<(String, i32)> + 'a>;
/// The line index of a file's text (the server keeps one per version).
pub type LinesOf<'a> = Box<dyn Fn(&Path, &Arc<String>) -> Arc<LineIndex> + 'a>;

/// What the client can take in a workspace edit, and the open documents' versions.
pub struct EditSupport<'a> {
    pub encoding: PositionEncoding,
    /// `documentChanges` with versioned documents.
    pub document_changes: bool,
    /// `CreateFile` resource operations.
    pub create: bool,
    /// Versions of open documents (edits to them carry it, so a stale edit is refused).
    pub versions: VersionOf<'a>,
    pub lines: LinesOf<'a>,
}

impl EditSupport<'_> {
    fn positions<'t>(&self, path: &Path, text: &'t Arc<String>) -> Positions<'t> {
        Positions::with_index(text, (self.lines)(path, text), self.encoding)
    }
}

/// A workspace edit for file changes, converting offsets against `text_of`
/// (the text the changes were computed on). `None` when the client cannot
/// take it (a new file without resource operations) or a text is missing.
pub fn workspace_edit(
    changes: &[FileChange],
    text_of: &dyn Fn(&Path) -> Option<Arc<String>>,
    support: &EditSupport<'_>,
) -> Option<serde_json::Value> {
    let mut document_changes = Vec::new();
    let mut plain = serde_json::Map::new();
    for change in changes {
        match change {
            FileChange::Edit { path, edits } => {
                let text = text_of(path)?;
                let positions = support.positions(path, &text);
                let mut sorted = edits.clone();
                sorted.sort_by_key(|e| (e.range.start, e.range.end));
                let edits: Vec<serde_json::Value> = sorted
                    .iter()
                    .map(|e| serde_json::json!({"range": positions.range(e.range), "newText": e.new_text}))
                    .collect();
                let edits = serde_json::Value::Array(edits);
                let (uri, version) = match (support.versions)(path) {
                    Some((uri, version)) => (uri, Some(version)),
                    None => (path_to_uri(path), None),
                };
                if support.document_changes {
                    let document = serde_json::json!({"uri": uri, "version": version});
                    document_changes.push(object([("textDocument", document), ("edits", edits)]));
                } else {
                    plain.insert(uri, edits);
                }
            }
            FileChange::Create { path, text } => {
                if !(support.document_changes && support.create) {
                    return None;
                }
                let uri = path_to_uri(path);
                document_changes.push(serde_json::json!({"kind": "create", "uri": uri, "options": {"overwrite": false, "ignoreIfExists": true}}));
                let end = Positions::new("", support.encoding).range(crate::text::TextRange::empty(0));
                document_changes.push(serde_json::json!({
                    "textDocument": {"uri": uri, "version": null},
                    "edits": [{"range": end, "newText": text}],
                }));
            }
        }
    }
    Some(if support.document_changes {
        object([("documentChanges", serde_json::Value::Array(document_changes))])
    } else {
        object([("changes", serde_json::Value::Object(plain))])
    })
}

/// A JSON object of values moved in. `json!` serializes every value it is
/// given, so a `Value` put into it (a list of items, an edit) is copied whole.
pub fn object<const N: usize>(fields: [(&str, serde_json::Value); N]) -> serde_json::Value {
    serde_json::Value::Object(fields.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
}

/// More diagnostics than this for one file are not sent: an editor slows to a
/// crawl on tens of thousands (one per comment of a generated file), and the
/// first thousand say what is wrong. `durable-lsp check` lists them all.
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 1000;

/// The LSP diagnostics of one report. `reports` are the other files of the
/// same analysis, so related locations and fixes convert against the text
/// that was analysed. With `fixes`, each diagnostic's fixes are in its
/// `data` as workspace edits: code actions ask for them, from the texts as
/// they are then; what is published or pulled goes without.
pub fn diagnostics(
    report: &FileReport,
    reports: &[FileReport],
    support: &EditSupport<'_>,
    fixes: bool,
) -> Vec<lsp::Diagnostic> {
    if report.diagnostics.is_empty() {
        // Nothing to convert: no line index needed (a 2 MB file would build one).
        return Vec::new();
    }
    let positions = support.positions(&report.path, &report.text);
    let text_of = |path: &Path| reports.iter().find(|r| r.path == path).map(|r| r.text.clone());
    let mut shown: Vec<&analysis::Diagnostic> = report.diagnostics.iter().collect();
    let total = shown.len();
    if total > MAX_DIAGNOSTICS_PER_FILE {
        // The most severe first, then in file order.
        shown.sort_by_key(|d| d.severity);
        shown.truncate(MAX_DIAGNOSTICS_PER_FILE);
        shown.sort_by_key(|d| (d.range.start, d.range.end));
    }
    let mut converted: Vec<lsp::Diagnostic> = shown
        .into_iter()
        .map(|d| {
            let mut converted = diagnostic(d, &positions, reports, support);
            if !fixes {
                return converted;
            }
            let fixes: Vec<serde_json::Value> = d
                .fixes
                .iter()
                .filter_map(|fix| {
                    let edit = workspace_edit(&fix.changes, &text_of, support)?;
                    let (title, preferred) = (fix.title.clone().into(), fix.preferred.into());
                    Some(object([("title", title), ("isPreferred", preferred), ("edit", edit)]))
                })
                .collect();
            if !fixes.is_empty() {
                converted.data = Some(object([("fixes", serde_json::Value::Array(fixes))]));
            }
            converted
        })
        .collect();
    if total > MAX_DIAGNOSTICS_PER_FILE {
        converted.insert(
            0,
            lsp::Diagnostic {
                range: positions.range(crate::text::TextRange::empty(0)),
                severity: Some(lsp::DiagnosticSeverity::INFORMATION),
                source: Some("durable-lsp".to_string()),
                message: format!(
                    "durable-lsp shows {MAX_DIAGNOSTICS_PER_FILE} of the {total} problems in this file \
                     (the most severe first); `durable-lsp check` lists them all"
                ),
                ..Default::default()
            },
        );
    }
    converted
}

/// Diagnostics as JSON, moving each one's `data` (its fixes, when asked for:
/// most of the bytes) into place instead of copying it, as
/// `serde_json::to_value` would.
pub fn diagnostics_json(diagnostics: Vec<lsp::Diagnostic>) -> serde_json::Value {
    let items = diagnostics.into_iter().map(|mut diagnostic| {
        let data = diagnostic.data.take();
        let mut value = serde_json::to_value(&diagnostic).unwrap_or(serde_json::Value::Null);
        if let (Some(data), serde_json::Value::Object(fields)) = (data, &mut value) {
            fields.insert("data".to_string(), data);
        }
        value
    });
    serde_json::Value::Array(items.collect())
}

fn diagnostic(
    d: &analysis::Diagnostic,
    positions: &Positions<'_>,
    reports: &[FileReport],
    support: &EditSupport<'_>,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|related| {
            let other = reports.iter().find(|r| r.path == related.path)?;
            let other_positions = support.positions(&other.path, &other.text);
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: uri(&path_to_uri(&related.path))?,
                    range: other_positions.range(related.range),
                },
                message: related.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: positions.range(d.range),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: registry::rule(d.code)
            .and_then(|rule| uri(&rule.doc_url()))
            .map(|href| lsp::CodeDescription { href }),
        source: Some("durable-lsp".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn completion_kind(kind: crate::ide::ItemKind) -> lsp::CompletionItemKind {
    use crate::ide::ItemKind;
    match kind {
        ItemKind::Property => lsp::CompletionItemKind::PROPERTY,
        ItemKind::Value => lsp::CompletionItemKind::VALUE,
        ItemKind::Setting => lsp::CompletionItemKind::VARIABLE,
        ItemKind::Snippet => lsp::CompletionItemKind::SNIPPET,
        ItemKind::Package => lsp::CompletionItemKind::MODULE,
        ItemKind::Version => lsp::CompletionItemKind::CONSTANT,
    }
}

/// Which `itemDefaults` of a completion list the client takes (LSP 3.17).
#[derive(Clone, Copy, Debug, Default)]
pub struct ItemDefaults {
    pub data: bool,
    pub edit_range: bool,
}

/// Completion items with text edits in the client's encoding. With `resolve`
/// (the data completionItem/resolve gets back), documentation is left out of
/// the list: the client asks for it when it shows an item. What every item
/// shares (that data, the range the items replace) is said once, in
/// `itemDefaults`, when the client takes it there.
///
/// The list is typed, not a `serde_json::Value`: it is written straight into
/// the answer (a Value of 22 items is ~250 allocations to build, walk and drop).
pub fn completion<'a>(
    items: &'a [crate::ide::CompletionItem],
    positions: &Positions<'_>,
    resolve: Option<&'a serde_json::Value>,
    defaults: ItemDefaults,
) -> CompletionList<'a> {
    let shared_range = items
        .first()
        .map(|first| first.edit.range)
        .filter(|range| defaults.edit_range && items.iter().all(|item| item.edit.range == *range));
    let items = items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let (text_edit, text_edit_text) = match shared_range {
                None => (Some(lsp::TextEdit::new(positions.range(item.edit.range), item.edit.new_text.clone())), None),
                // The text for the default range; without it the label is inserted.
                Some(_) => (None, Some(item.edit.new_text.as_str()).filter(|text| *text != item.label)),
            };
            let (data, documentation) = match (resolve, &item.documentation) {
                (Some(_), Some(_)) if defaults.data => (None, None),
                (Some(data), Some(_)) => (Some(data), None),
                (None, Some(documentation)) => (None, Some(markdown(documentation.markdown()))),
                (_, None) => (None, None),
            };
            CompletionListItem {
                label: &item.label,
                kind: completion_kind(item.kind),
                sort_text: SortText(index),
                // The range starts at a quote the user typed: clients filter
                // what they typed there (`"max`) against this, not the label.
                // Otherwise filterText defaults to the label.
                filter_text: positions
                    .text
                    .get(item.edit.range.start..)
                    .is_some_and(|rest| rest.starts_with('"'))
                    .then_some(Quoted(&item.label)),
                text_edit,
                text_edit_text,
                // insertTextFormat defaults to plain text.
                insert_text_format: item.snippet.then_some(lsp::InsertTextFormat::SNIPPET),
                preselect: (index == 0).then_some(true),
                detail: item.detail.as_deref(),
                documentation,
                data,
            }
        })
        .collect();
    let item_defaults = CompletionItemDefaults {
        edit_range: shared_range.map(|range| positions.range(range)),
        data: resolve.filter(|_| defaults.data),
    };
    let has_defaults = item_defaults.edit_range.is_some() || item_defaults.data.is_some();
    CompletionList { is_incomplete: false, items, item_defaults: has_defaults.then_some(item_defaults) }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionList<'a> {
    is_incomplete: bool,
    items: Vec<CompletionListItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_defaults: Option<CompletionItemDefaults<'a>>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CompletionListItem<'a> {
    label: &'a str,
    kind: lsp::CompletionItemKind,
    sort_text: SortText,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_text: Option<Quoted<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_edit: Option<lsp::TextEdit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_edit_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    insert_text_format: Option<lsp::InsertTextFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preselect: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documentation: Option<lsp::MarkupContent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a serde_json::Value>,
}

/// An item's place in the list as `sortText` (`0007`), written without a `String` of its own.
struct SortText(usize);

impl serde::Serialize for SortText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{:04}", self.0))
    }
}

/// A label in double quotes, written without a `String` of its own.
struct Quoted<'a>(&'a str);

impl serde::Serialize for Quoted<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("\"{}\"", self.0))
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CompletionItemDefaults<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    edit_range: Option<lsp::Range>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a serde_json::Value>,
}

fn markdown(value: String) -> lsp::MarkupContent {
    lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }
}

/// A completion item's documentation, as Markdown.
pub fn documentation(documentation: &crate::ide::Documentation) -> serde_json::Value {
    serde_json::json!(markdown(documentation.markdown()))
}

pub fn hover(hover: &crate::ide::Hover, positions: &Positions<'_>, markdown: bool) -> serde_json::Value {
    let kind = if markdown { "markdown" } else { "plaintext" };
    serde_json::json!({"contents": {"kind": kind, "value": hover.markdown}, "range": positions.range(hover.range)})
}

pub fn symbols(symbols: &[crate::ide::Symbol], positions: &Positions<'_>) -> serde_json::Value {
    use crate::ide::SymbolKind;
    let converted: Vec<serde_json::Value> = symbols
        .iter()
        .map(|symbol| {
            let kind = match symbol.kind {
                SymbolKind::Object => lsp::SymbolKind::OBJECT,
                SymbolKind::Array => lsp::SymbolKind::ARRAY,
                SymbolKind::String => lsp::SymbolKind::STRING,
                SymbolKind::Number => lsp::SymbolKind::NUMBER,
                SymbolKind::Boolean => lsp::SymbolKind::BOOLEAN,
                SymbolKind::Null => lsp::SymbolKind::NULL,
            };
            let mut value = serde_json::json!({
                "name": symbol.name,
                "kind": kind,
                "range": positions.range(symbol.range),
                "selectionRange": positions.range(symbol.selection),
            });
            value["children"] = self::symbols(&symbol.children, positions);
            if let Some(detail) = &symbol.detail {
                value["detail"] = serde_json::Value::String(detail.clone());
            }
            value
        })
        .collect();
    serde_json::Value::Array(converted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Converting from the last position on the line gives what measuring
    /// from the line's start gives, in any order of offsets.
    #[test]
    fn positions_measured_from_the_last_one_are_exact() {
        let text = "{\r\n  \"a😀\": \"默认\", \"b\": 1 }\n\u{301}x\r\n";
        let index = Arc::new(LineIndex::new(text));
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            let positions = Positions::with_index(text, index.clone(), encoding);
            let offsets: Vec<usize> =
                (0..=text.len()).chain((0..=text.len()).rev()).chain([7, 3, 30, 9, 9, 2]).collect();
            for offset in offsets {
                let expected = index.line_col(text, offset, encoding);
                let got = positions.position(offset);
                assert_eq!((got.line, got.character), (expected.line, expected.col), "{offset} in {encoding:?}");
            }
        }
    }

    #[test]
    fn uris_and_paths_round_trip() {
        for path in ["/tmp/a b/host.json", "/x/ümlaut/%41.json", "/c/#hash?.json"] {
            let uri = path_to_uri(Path::new(path));
            assert_eq!(uri_to_path(&uri).as_deref(), Some(Path::new(path)), "{uri}");
        }
        assert_eq!(uri_to_path("file:///c%3A/x/host.json").as_deref(), Some(Path::new("c:/x/host.json")));
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file://localhost/x/host.json").as_deref(), Some(Path::new("/x/host.json")));
        assert_eq!(uri_to_path("file://server/share/host.json"), None);
        assert_eq!(uri_to_path("file:///bad%zz"), None);
        // A Windows share and a verbatim path.
        if cfg!(windows) {
            assert_eq!(path_to_uri(Path::new(r"\\server\share\h.json")), "file://server/share/h.json");
            assert_eq!(path_to_uri(Path::new(r"\\?\C:\x\h.json")), "file:///C:/x/h.json");
        }
    }

    /// A URI a client sent raw (blanks, letters outside ASCII, a `#` or `?`
    /// in a name) is escaped so the types take it and it names the same
    /// file; a valid one is left as the client wrote it.
    #[test]
    fn raw_uris_are_escaped_to_the_same_path() {
        for raw in ["file:///home/me/C# Projects/app/host.json", "file:///tmp/ü [1]/why?.json", "file:///a%20b/c d"] {
            let mut params = serde_json::json!({"textDocument": {"uri": raw}, "changes": [{"uri": raw}]});
            escape_uris(&mut params);
            let escaped = params["textDocument"]["uri"].as_str().unwrap();
            assert!(escaped.parse::<lsp::Uri>().is_ok(), "{escaped}");
            assert_eq!(params["changes"][0]["uri"], escaped);
            let expected = raw.strip_prefix("file://").unwrap().replace("%20", " ");
            assert_eq!(uri_to_path(escaped).as_deref(), Some(Path::new(&expected)), "{escaped}");
        }
        let mut valid = serde_json::json!({"uri": "file:///a%20b/host.json"});
        escape_uris(&mut valid);
        assert_eq!(valid["uri"], "file:///a%20b/host.json");
    }

    #[test]
    fn negotiates_utf8_then_utf32_then_utf16() {
        use lsp::PositionEncodingKind as K;
        assert_eq!(negotiate_encoding(&[K::UTF16, K::UTF8]), PositionEncoding::Utf8);
        assert_eq!(negotiate_encoding(&[K::UTF32, K::UTF16]), PositionEncoding::Utf32);
        assert_eq!(negotiate_encoding(&[]), PositionEncoding::Utf16);
    }
}
