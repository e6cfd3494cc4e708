//! Edits to JSONC files: insert, remove and rename members, replace values,
//! edit inside a string. New members follow the file's own layout: a member
//! on its own line in a multi-line object, inline in an inline one.

use crate::edit::{Style, TextEdit, line_break_at, line_indent, starts_line};
use crate::syntax::jsonc::{CommentKind, JsonDocument, JsonString, Member, Object};
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

    /// The value's text, for a member whose line is indented by `indent`;
    /// `None` for a member among others on one line: an object stays on it.
    fn render(&self, style: &Style, indent: Option<&str>) -> String {
        match self {
            NewValue::Literal(text) => text.clone(),
            NewValue::Object(entries) if entries.is_empty() => "{}".to_string(),
            NewValue::Object(entries) => {
                let Some(indent) = indent else {
                    let members: Vec<String> = entries
                        .iter()
                        .map(|(key, value)| format!("{}: {}", quote(key), value.render(style, None)))
                        .collect();
                    return format!("{{{}}}", members.join(", "));
                };
                let inner = format!("{indent}{}", style.indent);
                let members: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| format!("{inner}{}: {}", quote(key), value.render(style, Some(&inner))))
                    .collect();
                format!("{{{nl}{}{nl}{indent}}}", members.join(&format!(",{}", style.newline)), nl = style.newline)
            }
        }
    }
}

pub struct JsonEditor<'a> {
    pub text: &'a str,
    document: &'a JsonDocument,
    pub style: Style,
}

impl<'a> JsonEditor<'a> {
    /// An editor of `text`, parsed as `document`: its comments are kept
    /// wherever members come and go.
    pub fn new(text: &'a str, document: &'a JsonDocument) -> JsonEditor<'a> {
        let comments: Vec<TextRange> = document.comments.iter().map(|c| c.range).collect();
        JsonEditor { text, document, style: Style::detect_outside(text, &comments) }
    }

    /// The file's style, with the line break of the line at `offset`.
    fn style_at(&self, offset: usize) -> Style {
        Style { newline: line_break_at(self.text, offset, self.style.newline), indent: self.style.indent.clone() }
    }

    /// The comments inside `start..end`, in order.
    fn comments_in(&self, start: usize, end: usize) -> impl Iterator<Item = &'a crate::syntax::jsonc::Comment> {
        let comments = &self.document.comments;
        let first = comments.partition_point(|c| c.range.start < start);
        comments[first..].iter().take_while(move |c| c.range.end <= end)
    }

    /// Where the comments directly after `offset` on its line end (a block
    /// comment may end on a later line): what a member's line holds past it.
    /// Not past a line comment when what comes next goes on the same line.
    fn past_trailing_comments(&self, offset: usize, line_comments: bool) -> usize {
        let mut at = offset;
        loop {
            let blanks = self.text[at..].len() - self.text[at..].trim_start_matches([' ', '\t']).len();
            match self.comments_in(at + blanks, self.text.len()).next() {
                Some(comment)
                    if comment.range.start == at + blanks && (line_comments || comment.kind == CommentKind::Block) =>
                {
                    at = comment.range.end
                }
                _ => return at,
            }
        }
    }

    /// Where the comments directly before `offset` start: a comment on the
    /// lines just above a member (no blank line between) belongs to it, as
    /// one just before it on its line does.
    fn before_leading_comments(&self, offset: usize) -> usize {
        let mut at = offset;
        let comments = &self.document.comments;
        let mut index = comments.partition_point(|c| c.range.end <= at);
        while index > 0 {
            let comment = &comments[index - 1];
            let between = &self.text[comment.range.end..at];
            // On the member's line, or on a line of its own just above: not
            // one that ends a line of code (the `{`, the member before).
            let own_line = between.matches('\n').count() == 1 && starts_line(self.text, comment.range.start);
            let same_line = !between.contains('\n');
            if !between.trim().is_empty() || !(own_line || same_line) {
                break;
            }
            at = comment.range.start;
            index -= 1;
        }
        at
    }

    /// Whether `object`'s own syntax is clean (errors inside a member's
    /// value are that value's): error recovery can drop members, and a
    /// member added beside what was dropped would make the file worse.
    fn is_clean(&self, object: &Object) -> bool {
        let end = object.close().map_or(self.text.len(), |c| c.end);
        let in_a_value = |error: TextRange| {
            object
                .members
                .iter()
                .filter_map(|m| m.value.as_ref())
                .any(|v| v.range.start <= error.start && error.end <= v.range.end)
        };
        self.document
            .errors
            .iter()
            .filter(|e| e.range.start >= object.open().start && e.range.start < end)
            .all(|e| in_a_value(e.range))
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

    /// Removes a member from its key to `end` (its comma), with the whole
    /// lines it takes; the comments inside it stay where it was, each on a
    /// line of its own when it had its lines to itself.
    fn remove_span(&self, start: usize, end: usize) -> TextEdit {
        let range = self.whole_lines(start, end);
        let mut new_text = String::new();
        // Whole lines go with their line break, or (the file's last line)
        // with the one before them.
        let line_end = self.text[end..].find('\n').map_or(self.text.len(), |i| end + i);
        let whole = starts_line(self.text, start) && self.text[end..line_end].trim().is_empty();
        let last_line = whole && range.end == self.text.len() && !self.text.ends_with('\n');
        let indent = line_indent(self.text, start);
        let nl = line_break_at(self.text, start, self.style.newline);
        for comment in self.comments_in(start, end) {
            let comment_text = &self.text[comment.range.start..comment.range.end];
            let kept = match (whole, comment.kind) {
                (true, _) if last_line => format!("{nl}{indent}{comment_text}"),
                (true, _) => format!("{indent}{comment_text}{nl}"),
                // Last on its line, the member took the blanks before it,
                // and the line's own break follows.
                (false, _) if self.text[end..line_end].trim().is_empty() => format!(" {comment_text}"),
                (false, CommentKind::Block) => format!("{comment_text} "),
                (false, CommentKind::Line) => format!("{comment_text}{nl}{indent}"),
            };
            new_text.push_str(&kept);
        }
        TextEdit { range, new_text }
    }

    /// Removes member `index` of `object`, with its comma; when it is the last
    /// member, also the comma before it (so no trailing comma is left).
    /// Comments on the member's lines, and inside it, stay.
    pub fn remove_member(&self, object: &Object, index: usize) -> Vec<TextEdit> {
        let Some(member) = object.members.get(index) else { return Vec::new() };
        let is_last = index + 1 == object.members.len();
        let end = member.comma().map_or_else(|| Self::member_end(member), |c| c.end);
        let mut edits = vec![self.remove_span(member.key.range.start, end)];
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
            edits.push(self.remove_span(member.key.range.start, end));
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
        if !self.is_clean(object) {
            return None;
        }
        let text = self.text;
        let render = |style: &Style, indent: Option<&str>, separator: &str| -> String {
            entries
                .iter()
                .map(|(key, value)| format!("{}: {}", quote(key), value.render(style, indent)))
                .collect::<Vec<_>>()
                .join(separator)
        };
        if object.members.is_empty() {
            // The line break the replaced blanks held (after a comment inside
            // the object), else the `{` line's.
            let inside = &text[object.open().end..close.start];
            let kept_end = object.open().end + inside.trim_end().len();
            let style = self.style_at(if inside[kept_end - object.open().end..].contains('\n') {
                kept_end
            } else {
                object.open().start
            });
            let nl = style.newline;
            let outer = line_indent(text, object.open().start).to_string();
            let inner = format!("{outer}{}", self.style.indent);
            let multiline = text[object.open().end..close.start].contains('\n')
                || entries.iter().any(|(_, v)| matches!(v, NewValue::Object(_)))
                || entries.len() > 1
                || starts_line(text, object.open().start);
            let new_text = if multiline {
                format!("{nl}{inner}{}{nl}{outer}", render(&style, Some(&inner), &format!(",{nl}{inner}")))
            } else {
                format!(" {} ", render(&style, None, ", "))
            };
            // Comments inside the empty object stay: the members go after them.
            return Some(vec![TextEdit { range: TextRange::new(kept_end, close.start), new_text }]);
        }
        let first = &object.members[0];
        let multiline = starts_line(text, first.key.range.start);
        let reference = object.members.get(at).unwrap_or(&object.members[object.members.len() - 1]);
        let indent = if multiline { line_indent(text, reference.key.range.start).to_string() } else { String::new() };
        let mut edits = Vec::new();
        let (anchor, before) = if at < object.members.len() {
            // Before the member and the comments just above it, which are its own.
            let start = self.before_leading_comments(reference.key.range.start);
            if multiline && starts_line(text, start) {
                (text[..start].rfind('\n').map_or(0, |i| i + 1), true)
            } else {
                (start, true)
            }
        } else {
            // At the end: a comma after the last member (unless it has one),
            // then the new members after the comments that follow it on its
            // line (a block comment may run on): they stay with it.
            let after_last = match reference.comma() {
                Some(comma) => comma.end,
                None => {
                    let end = Self::member_end(reference);
                    edits.push(TextEdit { range: TextRange::empty(end), new_text: ",".to_string() });
                    end
                }
            };
            (self.past_trailing_comments(after_last, multiline).min(close.start), false)
        };
        let mut style = self.style_at(anchor);
        // A file indented in steps of its own here (2 spaces outside, 4 in
        // this object): an object inserted here steps in as this one does.
        let outer = line_indent(text, object.open().start);
        if let Some(step) = indent.strip_prefix(outer).filter(|step| multiline && !step.is_empty()) {
            if step.chars().all(|c| c == ' ') || step.chars().all(|c| c == '\t') {
                style.indent = step.to_string();
            }
        }
        let nl = style.newline;
        let separator = if multiline { format!(",{nl}{indent}") } else { ", ".to_string() };
        let members = render(&style, multiline.then_some(indent.as_str()), &separator);
        let new_text = match (before, multiline && starts_line(text, anchor)) {
            (true, true) => format!("{indent}{members},{nl}"),
            (true, false) => format!("{members}, "),
            (false, _) if multiline => format!("{nl}{indent}{members}"),
            (false, _) => format!(" {members}"),
        };
        edits.push(TextEdit { range: TextRange::empty(anchor), new_text });
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
        let editor = JsonEditor::new(text, &doc);
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
        // Steps of 2 outside and 4 inside "d" (a real sample's host.json): an
        // object inserted into "d" steps in by 4 too.
        let inner = |o: &Object| o.members[0].value.as_ref().unwrap().as_object().unwrap().clone();
        assert_eq!(
            edit("{\n  \"d\": {\n      \"a\": 1\n  }\n}", |e, o| e.insert_member(&inner(o), 1, "sp", &nested).unwrap()),
            "{\n  \"d\": {\n      \"a\": 1,\n      \"sp\": {\n          \"type\": \"azureManaged\",\n          \"x\": {}\n      }\n  }\n}"
        );
    }

    /// Comments stay with the member they follow or precede, and inside a
    /// removed member they stay where it was: nothing the user wrote is lost.
    #[test]
    fn comments_stay_with_their_members() {
        let value = NewValue::Literal("false".into());
        // A block comment after the last member that runs on to the next line.
        assert_eq!(
            edit("{\n  \"a\": 1 /* set by\n     func init */\n}", |e, o| e.insert_member(o, 1, "b", &value).unwrap()),
            "{\n  \"a\": 1, /* set by\n     func init */\n  \"b\": false\n}"
        );
        // A comment on the line above a member is its own.
        assert_eq!(
            edit("{\n  \"a\": 1,\n  // tuned for load\n  \"c\": 3\n}", |e, o| e
                .insert_member(o, 1, "b", &value)
                .unwrap()),
            "{\n  \"a\": 1,\n  \"b\": false,\n  // tuned for load\n  \"c\": 3\n}"
        );
        // Inline: after the last member's comment, and an object on the line.
        let object = NewValue::Object(vec![("type".into(), NewValue::string("azureManaged"))]);
        assert_eq!(
            edit("{\"a\":\"x\" /* prod */}", |e, o| e.insert_member(o, 1, "sp", &object).unwrap()),
            "{\"a\":\"x\", /* prod */ \"sp\": {\"type\": \"azureManaged\"}}"
        );
        // Removed members leave the comments written inside them.
        let text = "{\n  \"a\": 1,\n  \"t\" /* OPS-1432 */ : \"00:02:00\",\n  \"s\": \"dt\" /* keep */,\n  \"z\": 0\n}";
        assert_eq!(
            edit(text, |e, o| e.remove_members(o, &[1, 2])),
            "{\n  \"a\": 1,\n  /* OPS-1432 */\n  /* keep */\n  \"z\": 0\n}"
        );
        assert_eq!(edit("{ \"a\" /* x */: 1, \"b\": 2 }", |e, o| e.remove_member(o, 0)), "{ /* x */ \"b\": 2 }");
        assert_eq!(
            edit("{\n  \"a\": 1, \"b\" /* x */: 2\n}", |e, o| e.remove_member(o, 1)),
            "{\n  \"a\": 1 /* x */\n}"
        );
        assert_eq!(edit("{\n\"a\": 1,\n\"b\" /* x */: 2}", |e, o| e.remove_member(o, 1)), "{\n\"a\": 1\n/* x */ }");
        assert_eq!(
            edit("{\n  \"a\": 1, \"b\" // c\n  : 2,\n  \"z\": 0\n}", |e, o| e.remove_member(o, 1)),
            "{\n  \"a\": 1, // c\n  \"z\": 0\n}"
        );
        // An inline object: not after a line comment (what follows it there is
        // commented out), and a comment ending the line above is not the
        // next member's.
        assert_eq!(
            edit("{\"d\": {\"h\": \"x\" // per slot\n}}", |e, o| {
                let d = o.get("d").unwrap().as_object().unwrap();
                e.insert_member(d, 1, "b", &value).unwrap()
            }),
            "{\"d\": {\"h\": \"x\", \"b\": false // per slot\n}}"
        );
        assert_eq!(
            edit("{ // shared\n  \"l\": 1\n}", |e, o| e.insert_member(o, 0, "v", &value).unwrap()),
            "{ // shared\n  \"v\": false,\n  \"l\": 1\n}"
        );
        assert_eq!(
            edit("{\n  \"a\": 1, // about a\n  \"c\": 3\n}", |e, o| e.insert_member(o, 1, "b", &value).unwrap()),
            "{\n  \"a\": 1, // about a\n  \"b\": false,\n  \"c\": 3\n}"
        );
    }

    /// A new line takes the line break of the line it joins, in a file that
    /// mixes CRLF and LF.
    #[test]
    fn new_lines_keep_their_neighbours_line_breaks() {
        let value = NewValue::Literal("false".into());
        assert_eq!(
            edit("{\n  \"d\": {\n    // here\r\n  }\n}", |e, o| {
                e.insert_member(o.get("d").unwrap().as_object().unwrap(), 0, "b", &value).unwrap()
            }),
            "{\n  \"d\": {\n    // here\r\n    \"b\": false\r\n  }\n}"
        );
        assert_eq!(
            edit("{\r\n  \"a\": 1,\n  \"c\": 3\n}", |e, o| e.insert_member(o, 2, "b", &value).unwrap()),
            "{\r\n  \"a\": 1,\n  \"c\": 3,\n  \"b\": false\n}"
        );
    }

    /// An object whose members error recovery dropped gets none added.
    #[test]
    fn no_member_is_added_to_an_object_that_did_not_parse() {
        let text = "{\n  [x,\n  \"a\": {}\n}";
        let doc = jsonc::parse(text);
        let editor = JsonEditor::new(text, &doc);
        let value = NewValue::Literal("\"2.0\"".into());
        assert!(editor.insert_member(doc.root_object().unwrap(), 0, "version", &value).is_none());
        // An error inside a member's value is that value's.
        let text = "{\n  \"logging\": [1 2],\n  \"a\": 1\n}";
        let doc = jsonc::parse(text);
        let editor = JsonEditor::new(text, &doc);
        assert!(editor.insert_member(doc.root_object().unwrap(), 0, "version", &value).is_some());
    }

    #[test]
    fn edits_inside_strings_escape() {
        let text = r#"{"s": "Endpoint=x;Authentication=MSI"}"#;
        let doc = jsonc::parse(text);
        let string = doc.root_object().unwrap().get("s").unwrap().as_string().unwrap().clone();
        let at = string.value.find("MSI").unwrap();
        let editor = JsonEditor::new(text, &doc);
        let out = apply(text, &[editor.replace_in_string(&string, TextRange::new(at, at + 3), "Managed\"Identity")]);
        assert_eq!(out, r#"{"s": "Endpoint=x;Authentication=Managed\"Identity"}"#);
    }
}
