//! host.json as a document: syntax (H001, H002) and `version` (H003).

use crate::analysis::context::JsonFile;
use crate::analysis::{Severity, Sink, fixes};
use crate::edit::Fix;
use crate::edit::json::{JsonEditor, NewValue};
use crate::syntax::jsonc::{CommentKind, ValueKind};
use crate::text::TextRange;

const HOST_PARSE_FAILURE: &str = "the host stops with \"Unable to parse host configuration file\"";

pub(super) fn check(host: &JsonFile, sink: &mut Sink) {
    syntax(host, sink);
    version(host, sink);
}

/// H001 and H002: every syntax error; every comment and trailing comma.
fn syntax(host: &JsonFile, sink: &mut Sink) {
    for error in &host.document.errors {
        sink.report("H001", &host.path, error.range, format!("{}: {HOST_PARSE_FAILURE}", error.message));
    }
    if host.document.root.as_ref().is_some_and(|root| root.as_object().is_none()) {
        let root = host.document.root.as_ref().map_or(TextRange::default(), |r| r.range);
        sink.report("H001", &host.path, root, format!("host.json must be a JSON object: {HOST_PARSE_FAILURE}"));
    }
    let editor = JsonEditor::new(&host.text, &host.document);
    for comment in &host.document.comments {
        let what = match comment.kind {
            CommentKind::Line => "A `//` comment",
            CommentKind::Block => "A `/* */` comment",
        };
        let remove = editor.whole_lines(comment.range.start, comment.range.end);
        sink.report(
            "H002",
            &host.path,
            comment.range,
            format!("{what} in host.json: some hosts ignore a host.json with comments, and every setting falls back to its default"),
        )
        .fix(Some(fixes::replace(host, remove, "", "Remove the comment")));
    }
    for comma in &host.document.trailing_commas {
        sink.report(
            "H002",
            &host.path,
            *comma,
            "Trailing comma in host.json: some hosts ignore a host.json that is not strict JSON, and every setting falls back to its default",
        )
        .fix(Some(fixes::replace(host, *comma, "", "Remove the trailing comma").preferred()));
    }
}

/// H003: `"version": "2.0"` is required.
fn version(host: &JsonFile, sink: &mut Sink) {
    let Some(root) = host.document.root_object() else {
        return;
    };
    let Some(member) = root.member("version") else {
        // A syntax error may have cost the tree the member (an unclosed
        // string swallows what follows): "missing" is said once it parses.
        if !host.document.errors.is_empty() {
            return;
        }
        let fix = fixes::insert(host, root, 0, "version", NewValue::string("2.0"), "Add \"version\": \"2.0\"");
        sink.report(
            "H003",
            &host.path,
            root.open(),
            "host.json is missing the required \"version\" property: add \"version\": \"2.0\"",
        )
        .fix(fix.map(Fix::preferred));
        return;
    };
    let Some(value) = &member.value else { return };
    let message = match &value.kind {
        ValueKind::String(s) if s.value == "2.0" => return,
        ValueKind::String(s) => {
            format!("'{}' is an invalid value for host.json 'version' property: set it to \"2.0\"", s.value)
        }
        ValueKind::Number(Some(number)) if *number == 2.0 => {
            // That the host refuses the number 2.0 is inferred (knowledge.md
            // 2.1), not observed: a warning, not an error. Another number
            // is no "2.0" in any reading.
            let raw = &host.text[value.range.start..value.range.end];
            let fix = fixes::replace(host, value.range, "\"2.0\"", "Set \"version\" to \"2.0\"").preferred();
            sink.report(
                "H003",
                &host.path,
                value.range,
                format!("host.json 'version' should be the string \"2.0\", not the number {raw}: the host may not read a number"),
            )
            .severity(Severity::Warning)
            .fix(Some(fix));
            return;
        }
        ValueKind::Number(_) => {
            let raw = &host.text[value.range.start..value.range.end];
            format!("host.json 'version' must be the string \"2.0\", not the number {raw}")
        }
        _ => format!("host.json 'version' must be the string \"2.0\", not {}", value.type_name()),
    };
    let fix = fixes::replace(host, value.range, "\"2.0\"", "Set \"version\" to \"2.0\"").preferred();
    sink.report("H003", &host.path, value.range, message).fix(Some(fix));
}
