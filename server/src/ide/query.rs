//! What is at the cursor in a JSON file: a key being typed, a value, a spot
//! inside a string. Answered once, from the tolerant tree, and shared by
//! completion, hover and navigation; it works in half-typed documents (an
//! unterminated string, a key with no value yet, a missing comma).

use crate::syntax::jsonc::{CommentKind, JsonDocument, JsonString, Member, Object, Value, ValueKind};
use crate::text::TextRange;

#[derive(Debug)]
pub enum JsonCursor<'a> {
    /// In or where a key goes, inside the object at `path`.
    Key {
        path: Vec<String>,
        object: &'a Object,
        /// The key token being typed (quotes included), when there is one.
        key: Option<&'a JsonString>,
        /// What a completion replaces: the key token, or an empty range.
        range: TextRange,
        /// A colon already follows the key.
        has_colon: bool,
    },
    /// On a value (or where a value goes) of the member at `path` (its key last).
    Value {
        path: Vec<String>,
        member: &'a Member,
        value: Option<&'a Value>,
        /// What a completion replaces: the value token, or an empty range.
        range: TextRange,
        /// The cursor is inside a string value: byte offset into its decoded value.
        in_string: Option<usize>,
    },
    None,
}

impl JsonCursor<'_> {
    /// The path as `a.b.c` with lower-cased keys, for matching.
    pub fn path_key(&self) -> String {
        let path = match self {
            JsonCursor::Key { path, .. } | JsonCursor::Value { path, .. } => path,
            JsonCursor::None => return String::new(),
        };
        path.iter().map(|k| k.to_ascii_lowercase()).collect::<Vec<_>>().join(".")
    }
}

/// The cursor's context at `offset`.
pub fn at<'a>(doc: &'a JsonDocument, text: &str, offset: usize) -> JsonCursor<'a> {
    if in_comment(doc, text, offset) {
        return JsonCursor::None;
    }
    let Some(root) = &doc.root else { return JsonCursor::None };
    let Some(object) = root.as_object() else { return JsonCursor::None };
    if !contains_object(object, offset, text.len()) {
        return JsonCursor::None;
    }
    in_object(object, Vec::new(), text, offset)
}

/// Inside a comment: after its `//` or `/*`, up to the end of its line or
/// its `*/` (an unclosed block comment runs to the end of the text).
fn in_comment(doc: &JsonDocument, text: &str, offset: usize) -> bool {
    let after = doc.comments.partition_point(|c| c.range.start < offset);
    let Some(comment) = after.checked_sub(1).map(|i| doc.comments[i]) else { return false };
    let TextRange { start, end } = comment.range;
    let closed_block = end >= start + 4 && text.get(..end).is_some_and(|t| t.ends_with("*/"));
    let last = match comment.kind {
        CommentKind::Line => end,
        CommentKind::Block if closed_block => end - 2,
        CommentKind::Block => end,
    };
    start + 2 <= offset && offset <= last
}

/// Inside the braces (an unclosed object runs to the end of the text).
fn contains_object(object: &Object, offset: usize, len: usize) -> bool {
    let end = object.close().map_or(len, |c| c.start);
    object.open().end <= offset && offset <= end
}

fn in_object<'a>(object: &'a Object, path: Vec<String>, text: &str, offset: usize) -> JsonCursor<'a> {
    for member in &object.members {
        if member.key.range.touches(offset) && !(offset == member.key.range.end && closed(&member.key, text)) {
            let has_colon = member.colon().is_some();
            return JsonCursor::Key { path, object, key: Some(&member.key), range: member.key.range, has_colon };
        }
        let Some(colon) = member.colon() else {
            // Right after a closed key that has no colon yet: a colon goes
            // there, not another member.
            if offset == member.key.range.end && closed(&member.key, text) {
                return JsonCursor::None;
            }
            continue;
        };
        if offset < colon.end {
            continue;
        }
        // An unclosed object runs to the end of the text, blanks included
        // (its range ends at its last token).
        let unclosed_object = |value: &Value| {
            matches!(&value.kind, ValueKind::Object(inner) if inner.close().is_none()) && value.range.start <= offset
        };
        match &member.value {
            Some(value) if value.range.touches(offset) || unclosed_object(value) => {
                if let ValueKind::Object(inner) = &value.kind {
                    if contains_object(inner, offset, text.len()) {
                        let mut inner_path = path.clone();
                        inner_path.push(member.key.value.clone());
                        return in_object(inner, inner_path, text, offset);
                    }
                    continue;
                }
                if let ValueKind::Array(array) = &value.kind {
                    // Inside the brackets: no key of this object belongs there.
                    let end = array.close().map_or(text.len(), |c| c.start);
                    if array.open().end <= offset && offset <= end {
                        return JsonCursor::None;
                    }
                    continue;
                }
                let in_string = value.as_string().and_then(|s| {
                    (s.content().start <= offset && offset <= s.content().end).then(|| decoded_offset(s, text, offset))
                });
                let mut value_path = path.clone();
                value_path.push(member.key.value.clone());
                return JsonCursor::Value {
                    path: value_path,
                    member,
                    value: Some(value),
                    range: value.range,
                    in_string,
                };
            }
            None => {
                // `"key": |` with nothing typed yet: up to the next line or token.
                let rest = &text[colon.end..];
                let stop = rest.find(['\n', ',', '}']).map_or(text.len(), |i| colon.end + i);
                if offset <= stop {
                    let mut value_path = path.clone();
                    value_path.push(member.key.value.clone());
                    return JsonCursor::Value {
                        path: value_path,
                        member,
                        value: None,
                        range: TextRange::empty(offset),
                        in_string: None,
                    };
                }
            }
            // Between the colon and what follows it: `"type": | "x"`.
            Some(value) if offset < value.range.start => {
                let mut value_path = path.clone();
                value_path.push(member.key.value.clone());
                let at_cursor = JsonCursor::Value {
                    path: value_path.clone(),
                    member,
                    value: None,
                    range: TextRange::empty(offset),
                    in_string: None,
                };
                // The "value" is the next member's key (`"type": | "x": 1`,
                // the value not typed yet): a value goes at the cursor.
                if value.as_string().is_some() && text[value.range.end..].trim_start().starts_with(':') {
                    return at_cursor;
                }
                let gap = &text[colon.end..value.range.start];
                return match &value.kind {
                    // On its line with only blanks before it, a value replaces
                    // the one there (the blanks kept): the range starts at the
                    // cursor, as LSP wants. An object or array, a value on the
                    // next line or behind a comment: nothing can be offered
                    // that leaves valid JSON in one edit.
                    ValueKind::Object(_) | ValueKind::Array(_) => JsonCursor::None,
                    _ if gap.trim().is_empty() && !gap.contains('\n') => JsonCursor::Value {
                        path: value_path,
                        member,
                        value: Some(value),
                        range: TextRange::new(offset, value.range.end),
                        in_string: None,
                    },
                    _ => JsonCursor::None,
                };
            }
            Some(_) => {}
        }
    }
    // A key typed without its opening quote (`hub|`) is replaced whole.
    let range = bare_word(text, offset).unwrap_or(TextRange::empty(offset));
    JsonCursor::Key { path, object, key: None, range, has_colon: false }
}

/// The unquoted word around `offset` where a key goes: letters, digits and
/// `_$.-`, after a blank, `{` or `,`.
fn bare_word(text: &str, offset: usize) -> Option<TextRange> {
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.' | b'-');
    let bytes = text.as_bytes();
    let start = offset - bytes[..offset].iter().rev().take_while(|&&b| word(b)).count();
    let end = offset + bytes[offset..].iter().take_while(|&&b| word(b)).count();
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let starts_a_key = before.is_none_or(|b| b.is_ascii_whitespace() || b == b'{' || b == b',');
    (start < end && starts_a_key).then(|| TextRange::new(start, end))
}

/// Is the string's closing quote there? (A cursor right after a closed key
/// is past it, not in it.)
pub(crate) fn closed(string: &JsonString, text: &str) -> bool {
    string.range.len() >= 2 && text[string.range.start..string.range.end].ends_with('"')
}

/// The decoded offset for a source offset inside a string's content.
fn decoded_offset(string: &JsonString, text: &str, offset: usize) -> usize {
    // The decoded length of the source text before the cursor.
    let mut decoded = 0;
    while decoded < string.value.len() && string.source_offset(text, decoded + 1) <= offset {
        decoded += 1;
        while !string.value.is_char_boundary(decoded) {
            decoded += 1;
        }
    }
    decoded.min(string.value.len())
}

/// The member whose key or value holds `offset`, with its path (for hover
/// and navigation, which care about what is there rather than what could be).
pub fn member_at<'a>(doc: &'a JsonDocument, text: &str, offset: usize) -> Option<(Vec<String>, &'a Member, bool)> {
    match at(doc, text, offset) {
        JsonCursor::Key { path, object, key: Some(key), .. } => {
            let member = object.members.iter().find(|m| std::ptr::eq(&m.key, key))?;
            let mut full = path;
            full.push(member.key.value.clone());
            Some((full, member, true))
        }
        JsonCursor::Value { path, member, value: Some(_), .. } => Some((path, member, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::jsonc;

    fn cursor(marked: &str) -> (String, String) {
        let offset = marked.find("$0").unwrap();
        let text = marked.replace("$0", "");
        let doc = jsonc::parse(&text);
        let description = match at(&doc, &text, offset) {
            JsonCursor::Key { key, .. } => format!("key:{}", key.map_or(String::new(), |k| k.value.clone())),
            JsonCursor::Value { in_string, value, .. } => {
                format!(
                    "value:{}:{}",
                    value.map_or("-", |v| v.type_name()),
                    in_string.map_or(String::new(), |o| o.to_string())
                )
            }
            JsonCursor::None => "none".to_string(),
        };
        let path = at(&doc, &text, offset).path_key();
        (description, path)
    }

    #[test]
    fn finds_keys_values_and_strings_in_half_typed_text() {
        assert_eq!(
            cursor(r#"{"extensions": {"durableTask": {"hub$0"#),
            ("key:hub".into(), "extensions.durabletask".into())
        );
        assert_eq!(
            cursor(r#"{"extensions": {"durableTask": {$0}}}"#),
            ("key:".into(), "extensions.durabletask".into())
        );
        assert_eq!(
            cursor("{\"extensions\": {\"durableTask\": {\"storageProvider\": {\"type\": $0\n}}}}"),
            ("value:-:".into(), "extensions.durabletask.storageprovider.type".into())
        );
        assert_eq!(cursor(r#"{"a": {"type": "azu$0re"}}"#), ("value:a string:3".into(), "a.type".into()));
        assert_eq!(cursor(r#"{"Values": {"X": "Endpoint=x;Auth$0"#), ("value:a string:15".into(), "values.x".into()));
        assert_eq!(cursor(r#"$0{"a": 1}"#), ("none".into(), "".into()));
        assert_eq!(cursor(r#"{"a": 1, $0 "b": 2}"#), ("key:".into(), "".into()));
        // Between a colon and its value: the value, not a key.
        assert_eq!(cursor(r#"{"a": {"type":$0 "azureManaged"}}"#), ("value:a string:".into(), "a.type".into()));
        assert_eq!(cursor("{\"a\": {\"type\": $0\n\"hubName\": \"x\"}}"), ("value:-:".into(), "a.type".into()));
        // The next member's key on the same line stays a key.
        assert_eq!(cursor(r#"{"a": {"type":$0 "hubName": "x"}}"#), ("value:-:".into(), "a.type".into()));
        // A value on the next line, or behind a comment: nothing.
        assert_eq!(cursor("{\"a\": {\"type\":$0\n  \"AzureStorage\"}}"), ("none".into(), "".into()));
        assert_eq!(cursor(r#"{"a": {"type":$0 /*c*/ "AzureStorage"}}"#), ("none".into(), "".into()));
        assert_eq!(cursor(r#"{"a":$0 {"b": 1}}"#), ("none".into(), "".into()));
    }
}
