//! Edits to JSONC files: insert, remove and rename members, replace values,
//! edit inside a string. New members follow the file's own layout: a member
//! on its own line in a multi-line object, inline in an inline one.

use crate::edit::{Style, TextEdit, line_indent, starts_line};
use crate::syntax::jsonc::{JsonString, Member, Object};
use crate::text::TextRange;

/// A JSON string literal for `value`, quotes included.
pub fn quote(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
}

/// `value` escaped for the inside of a JSON string (no quotes).
pub fn escape(value: &str) -> String {
    let quoted = quote(value);
    quoted[1..quoted.len() - 1].to_string()
}

/// A value to insert: a literal, or an object built in the file's style.
#[derive(Clone, Debug)]
pub enum NewValue {
    /// JSON text as is (`"2.0"`, `false`, `900000`).
    Literal(String),
    Object(Vec<(String, NewValue)>),
}

impl NewValue {
    pub fn string(value: &str) -> NewValue {
        NewValue::Literal(quote(value))
    }

    /// The value's text, for a member whose line is indented by `indent`.
    fn render(&self, style: &Style, indent: &str) -> String {
        match self {
            NewValue::Literal(text) => text.clone(),
            NewValue::Object(entries) if entries.is_empty() => "{}".to_string(),
            NewValue::Object(entries) => {
                let inner = format!("{indent}{}", style.indent);
                let members: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| format!("{inner}{}: {}", quote(key), value.render(style, &inner)))
                    .collect();
                format!("{{{nl}{}{nl}{indent}}}", members.join(&format!(",{}", style.newline)), nl = style.newline)
            }
        }
    }
}

pub struct JsonEditor<'a> {
    pub text: &'a str,
    pub style: Style,
}

impl<'a> JsonEditor<'a> {
    pub fn new(text: &'a str) -> JsonEditor<'a> {
        JsonEditor { text, style: Style::detect(text) }
    }

    pub fn replace(&self, range: TextRange, new_text: impl Into<String>) -> TextEdit {
        TextEdit { range, new_text: new_text.into() }
    }

    /// Replace a decoded sub-range of a string's value with `new_value`, escaped.
    pub fn replace_in_string(&self, string: &JsonString, decoded: TextRange, new_value: &str) -> TextEdit {
        TextEdit { range: string.source_range(self.text, decoded), new_text: escape(new_value) }
    }

    /// The end of a member: its value, else its colon, else its key.
    fn member_end(member: &Member) -> usize {
        member.value.as_ref().map(|v| v.range.end).or(member.colon().map(|c| c.end)).unwrap_or(member.key.range.end)
    }

    /// Widens `start..end` to whole lines when nothing else shares them, so a
    /// removed member leaves no blank line behind.
    pub fn whole_lines(&self, start: usize, end: usize) -> TextRange {
        crate::edit::whole_lines(self.text, start, end)
    }

    /// Removes member `index` of `object`, with its comma; when it is the last
    /// member, also the comma before it (so no trailing comma is left).
    /// Comments on the member's lines stay.
    pub fn remove_member(&self, object: &Object, index: usize) -> Vec<TextEdit> {
        let Some(member) = object.members.get(index) else { return Vec::new() };
        let is_last = index + 1 == object.members.len();
        let end = member.comma().map_or_else(|| Self::member_end(member), |c| c.end);
        let mut edits =
            vec![TextEdit { range: self.whole_lines(member.key.range.start, end), new_text: String::new() }];
        if is_last && index > 0 {
            if let Some(comma) = object.members[index - 1].comma() {
                edits.push(TextEdit { range: comma, new_text: String::new() });
            }
        }
        edits
    }

    /// Removes several members of one object at once (indices in any order).
    pub fn remove_members(&self, object: &Object, indices: &[usize]) -> Vec<TextEdit> {
        let mut sorted: Vec<usize> = indices.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let survivors: Vec<usize> = (0..object.members.len()).filter(|i| !sorted.contains(i)).collect();
        let mut edits = Vec::new();
        for &index in &sorted {
            let Some(member) = object.members.get(index) else { continue };
            let end = member.comma().map_or_else(|| Self::member_end(member), |c| c.end);
            edits.push(TextEdit { range: self.whole_lines(member.key.range.start, end), new_text: String::new() });
        }
        // The last survivor may now be last: its comma would be trailing.
        if let Some(&last) = survivors.last() {
            if sorted.iter().any(|&i| i > last) {
                if let Some(comma) = object.members[last].comma() {
                    edits.push(TextEdit { range: comma, new_text: String::new() });
                }
            }
        }
        edits
    }

    /// Inserts `"key": value` into `object` before member `at` (or at the end
    /// when `at` is past the last). `None` when the object is not closed.
    pub fn insert_member(&self, object: &Object, at: usize, key: &str, value: &NewValue) -> Option<Vec<TextEdit>> {
        self.insert_members(object, at, &[(key.to_string(), value.clone())])
    }

    /// Inserts several members together, in order, laid out like the object's
    /// existing members (one per line, or inline).
    pub fn insert_members(&self, object: &Object, at: usize, entries: &[(String, NewValue)]) -> Option<Vec<TextEdit>> {
        let close = object.close()?;
        if entries.is_empty() {
            return Some(Vec::new());
        }
        let text = self.text;
        let nl = self.style.newline;
        let render = |indent: &str, separator: &str| -> String {
            entries
                .iter()
                .map(|(key, value)| format!("{}: {}", quote(key), value.render(&self.style, indent)))
                .collect::<Vec<_>>()
                .join(separator)
        };
        if object.members.is_empty() {
            let outer = line_indent(text, object.open().start).to_string();
            let inner = format!("{outer}{}", self.style.indent);
            let multiline = text[object.open().end..close.start].contains('\n')
                || entries.iter().any(|(_, v)| matches!(v, NewValue::Object(_)))
                || entries.len() > 1
                || starts_line(text, object.open().start);
            let new_text = if multiline {
                format!("{nl}{inner}{}{nl}{outer}", render(&inner, &format!(",{nl}{inner}")))
            } else {
                format!(" {} ", render("", ", "))
            };
            // Comments inside the empty object stay: the members go after them.
            let inside = &text[object.open().end..close.start];
            let start = object.open().end + inside.trim_end().len();
            return Some(vec![TextEdit { range: TextRange::new(start, close.start), new_text }]);
        }
        let first = &object.members[0];
        let multiline = starts_line(text, first.key.range.start);
        let reference = object.members.get(at).unwrap_or(&object.members[object.members.len() - 1]);
        let indent = if multiline { line_indent(text, reference.key.range.start).to_string() } else { String::new() };
        let separator = if multiline { format!(",{nl}{indent}") } else { ", ".to_string() };
        let members = render(&indent, &separator);
        if at < object.members.len() {
            let before = &object.members[at];
            let edit = if multiline && starts_line(text, before.key.range.start) {
                let line_start = text[..before.key.range.start].rfind('\n').map_or(0, |i| i + 1);
                TextEdit { range: TextRange::empty(line_start), new_text: format!("{indent}{members},{nl}") }
            } else {
                TextEdit { range: TextRange::empty(before.key.range.start), new_text: format!("{members}, ") }
            };
            return Some(vec![edit]);
        }
        // At the end: a comma after the last member (unless it has one), then the new members.
        let last = &object.members[object.members.len() - 1];
        let mut edits = Vec::new();
        let after_last = match last.comma() {
            Some(comma) => comma.end,
            None => {
                let end = Self::member_end(last);
                edits.push(TextEdit { range: TextRange::empty(end), new_text: ",".to_string() });
                end
            }
        };
        if multiline {
            // After the rest of the last member's line, so a comment there stays with it.
            let line_end = text[after_last..].find(['\r', '\n']).map_or(text.len(), |i| after_last + i);
            let at =
                if text[after_last..line_end].contains('}') || line_end >= close.start { after_last } else { line_end };
            edits.push(TextEdit { range: TextRange::empty(at), new_text: format!("{nl}{indent}{members}") });
        } else {
            edits.push(TextEdit { range: TextRange::empty(after_last), new_text: format!(" {members}") });
        }
        Some(edits)
    }

    /// Renames a member's key.
    pub fn rename_key(&self, member: &Member, new_key: &str) -> TextEdit {
        TextEdit { range: member.key.range, new_text: quote(new_key) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use crate::syntax::jsonc;

    fn edit(text: &str, f: impl Fn(&JsonEditor<'_>, &Object) -> Vec<TextEdit>) -> String {
        let doc = jsonc::parse(text);
        let editor = JsonEditor::new(text);
        let out = apply(text, &f(&editor, doc.root_object().unwrap()));
        let reparsed = jsonc::parse(&out);
        assert!(reparsed.errors.is_empty(), "{out}\n{:?}", reparsed.errors);
        assert!(
            reparsed.trailing_commas.is_empty() || !jsonc::parse(text).trailing_commas.is_empty(),
            "a trailing comma appeared:\n{out}"
        );
        out
    }

    #[test]
    fn removes_members_without_leaving_commas_or_blank_lines() {
        let text = "{\n  \"a\": 1, // keep me\n  \"b\": 2,\n  \"c\": 3\n}\n";
        assert_eq!(edit(text, |e, o| e.remove_member(o, 1)), "{\n  \"a\": 1, // keep me\n  \"c\": 3\n}\n");
        assert_eq!(edit(text, |e, o| e.remove_member(o, 2)), "{\n  \"a\": 1, // keep me\n  \"b\": 2\n}\n");
        assert_eq!(edit(text, |e, o| e.remove_members(o, &[1, 2])), "{\n  \"a\": 1 // keep me\n}\n");
        assert_eq!(edit("{ \"a\": 1, \"b\": 2 }", |e, o| e.remove_member(o, 0)), "{ \"b\": 2 }");
        assert_eq!(edit("{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}", |e, o| e.remove_member(o, 1)), "{\r\n  \"a\": 1\r\n}");
    }

    #[test]
    fn inserts_members_in_the_files_style() {
        let text = "{\r\n    \"a\": 1 // note\r\n}\r\n";
        let value = NewValue::Literal("false".into());
        assert_eq!(
            edit(text, |e, o| e.insert_member(o, 9, "b", &value).unwrap()),
            "{\r\n    \"a\": 1, // note\r\n    \"b\": false\r\n}\r\n"
        );
        assert_eq!(
            edit(text, |e, o| e.insert_member(o, 0, "b", &value).unwrap()),
            "{\r\n    \"b\": false,\r\n    \"a\": 1 // note\r\n}\r\n"
        );
        assert_eq!(
            edit("{ \"a\": 1 }", |e, o| e.insert_member(o, 1, "b", &value).unwrap()),
            "{ \"a\": 1, \"b\": false }"
        );
        assert_eq!(edit("{}", |e, o| e.insert_member(o, 0, "b", &value).unwrap()), "{\n  \"b\": false\n}");
        // An empty object's comments stay, before the new member.
        assert_eq!(
            edit("{ /* TODO */ }", |e, o| e.insert_member(o, 0, "b", &value).unwrap()),
            "{ /* TODO */\n  \"b\": false\n}"
        );
        assert_eq!(
            edit("{\r\n  // settings go here\r\n}", |e, o| e.insert_member(o, 0, "b", &value).unwrap()),
            "{\r\n  // settings go here\r\n  \"b\": false\r\n}"
        );
        let nested = NewValue::Object(vec![
            ("type".into(), NewValue::string("azureManaged")),
            ("x".into(), NewValue::Object(vec![])),
        ]);
        assert_eq!(
            edit("{\n\t\"a\": 1\n}", |e, o| e.insert_member(o, 1, "sp", &nested).unwrap()),
            "{\n\t\"a\": 1,\n\t\"sp\": {\n\t\t\"type\": \"azureManaged\",\n\t\t\"x\": {}\n\t}\n}"
        );
    }

    #[test]
    fn edits_inside_strings_escape() {
        let text = r#"{"s": "Endpoint=x;Authentication=MSI"}"#;
        let doc = jsonc::parse(text);
        let string = doc.root_object().unwrap().get("s").unwrap().as_string().unwrap().clone();
        let at = string.value.find("MSI").unwrap();
        let editor = JsonEditor::new(text);
        let out = apply(text, &[editor.replace_in_string(&string, TextRange::new(at, at + 3), "Managed\"Identity")]);
        assert_eq!(out, r#"{"s": "Endpoint=x;Authentication=Managed\"Identity"}"#);
    }
}
