//! Minimal text edits on the user's files. Every edit is computed on the
//! lossless source: it keeps comments, key order, the file's indentation
//! style, its line endings, a BOM and the final newline. Nothing here
//! serialises a parsed tree back to text.

pub mod json;
pub mod xml;

use std::path::PathBuf;

use crate::text::TextRange;

/// Replace `range` of a file's text with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// The changes one fix makes to one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FileChange {
    /// Edits to an existing file, against the text that was analysed.
    Edit { path: PathBuf, edits: Vec<TextEdit> },
    /// A new file.
    Create { path: PathBuf, text: String },
}

impl FileChange {
    pub fn path(&self) -> &std::path::Path {
        match self {
            FileChange::Edit { path, .. } | FileChange::Create { path, .. } => path,
        }
    }
}

/// A quick fix: a title and the changes, possibly across files of the app.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: String,
    pub changes: Vec<FileChange>,
    /// The obvious fix, offered first (LSP `isPreferred`).
    pub preferred: bool,
}

impl Fix {
    pub fn new(title: impl Into<String>, changes: Vec<FileChange>) -> Fix {
        Fix { title: title.into(), changes, preferred: false }
    }

    pub fn preferred(mut self) -> Fix {
        self.preferred = true;
        self
    }
}

/// Applies non-overlapping edits to a text (in any order).
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in sorted {
        let start = edit.range.start.clamp(at, text.len());
        out.push_str(&text[at..start]);
        out.push_str(&edit.new_text);
        at = edit.range.end.clamp(start, text.len());
    }
    out.push_str(&text[at..]);
    out
}

/// How a file writes lines and indents, detected from the file itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    pub newline: &'static str,
    /// One level of indentation (`"  "`, `"    "`, `"\t"`).
    pub indent: String,
}

impl Style {
    /// The style of an XML file, or of one whose comments are not known:
    /// lines in `<!-- -->` comments are passed over.
    pub fn detect(text: &str) -> Style {
        let head = &text[..crate::text::floor_char_boundary(text, HEAD)];
        let mut comments = Vec::new();
        let mut from = 0;
        while let Some(open) = head[from..].find("<!--").map(|i| from + i) {
            let close = crate::syntax::xml::comment_end(head, open).unwrap_or(head.len());
            comments.push(TextRange::new(open, close));
            from = close;
        }
        Style::detect_outside(text, &comments)
    }

    /// The style of a file, from its lines outside `comments` (sorted,
    /// disjoint): a comment's own indentation (` * note` under `/*`) says
    /// nothing of the file's.
    pub fn detect_outside(text: &str, comments: &[TextRange]) -> Style {
        // The head of the file shows its style; reading all of a 2 MB file for
        // every fix would make many fixes quadratic.
        let text = &text[..crate::text::floor_char_boundary(text, HEAD)];
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let in_comment = |offset: usize| {
            let after = comments.partition_point(|c| c.end <= offset);
            comments.get(after).is_some_and(|c| c.start <= offset)
        };
        // The smallest non-zero indentation step between consecutive lines.
        let mut step: Option<String> = None;
        let mut previous = 0usize;
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let start = line_start;
            line_start += line.len();
            let line = line.trim_end_matches(['\r', '\n']);
            let trimmed = line.trim_start();
            if trimmed.is_empty() || in_comment(start + line.len() - trimmed.len()) {
                continue;
            }
            let indent = &line[..line.len() - trimmed.len()];
            if indent.starts_with('\t') {
                return Style { newline, indent: "\t".to_string() };
            }
            let width = indent.len();
            if width > previous {
                let candidate = width - previous;
                if step.as_ref().is_none_or(|s| candidate < s.len()) {
                    step = Some(" ".repeat(candidate));
                }
            }
            previous = width;
        }
        Style { newline, indent: step.unwrap_or_else(|| "  ".to_string()) }
    }
}

/// How much of a file's head [`Style`] reads.
const HEAD: usize = 64 * 1024;

/// The line break that ends the line holding `offset`, for a line inserted
/// there: files mixing CRLF and LF keep each line's own. `default` for the
/// last line, which has none.
pub fn line_break_at(text: &str, offset: usize, default: &'static str) -> &'static str {
    let offset = offset.min(text.len());
    match text[offset..].find('\n') {
        Some(i) if text[..offset + i].ends_with('\r') => "\r\n",
        Some(_) => "\n",
        None => default,
    }
}

/// Widens `start..end` to whole lines when nothing else shares them, so a
/// removed member (or element) leaves no blank line behind.
pub fn whole_lines(text: &str, start: usize, end: usize) -> TextRange {
    // Only the blanks beside the range are read, not the whole line: a
    // minified file's one line holds thousands of comments, each removable.
    let blank = |c: char| c.is_whitespace() && c != '\n';
    let before = text[..start].trim_end_matches(blank);
    let before_blank = before.is_empty() || before.ends_with('\n');
    let line_start = before.len();
    let after = text[end..].trim_start_matches(blank);
    let after_blank = after.is_empty() || after.starts_with('\n');
    let line_end = text.len() - after.len();
    if before_blank && after_blank {
        let next = if line_end < text.len() { line_end + 1 } else { line_end };
        // The last line of the file keeps its own ending: eat the line break before it instead.
        if next == text.len() && line_start > 0 && !text.ends_with('\n') {
            let previous_break = if text[..line_start - 1].ends_with('\r') { line_start - 2 } else { line_start - 1 };
            return TextRange::new(previous_break, line_end);
        }
        TextRange::new(line_start, next)
    } else if after_blank {
        // Last on its line: take the blanks before it, so none is left at the line's end.
        let kept = text[line_start..start].trim_end_matches([' ', '\t']).len();
        TextRange::new(line_start + kept, end)
    } else {
        // Take the spaces after it so `, "b": 2` does not leave a double space.
        let spaces = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
        TextRange::new(start, end + spaces)
    }
}

/// An item of a `;` list (a connection string's `key=value`, a
/// `TargetFrameworks` value) with the separator after it (or, for the last
/// item, the one before it) and the blanks beside that separator: what to
/// remove so the list stays a list.
pub fn list_item_with_separator(text: &str, item: TextRange) -> TextRange {
    let blank = |c: char| c == ' ' || c == '\t';
    let after = &text[item.end..];
    let after_blanks = after.len() - after.trim_start_matches(blank).len();
    if after[after_blanks..].starts_with(';') {
        let rest = &after[after_blanks + 1..];
        let end = item.end + after_blanks + 1 + (rest.len() - rest.trim_start_matches(blank).len());
        return TextRange::new(item.start, end);
    }
    let before = text[..item.start].trim_end_matches(blank);
    match before.strip_suffix(';') {
        Some(kept) => TextRange::new(kept.trim_end_matches(blank).len(), item.end),
        None => item,
    }
}

/// The whitespace that starts the line holding `offset`.
pub fn line_indent(text: &str, offset: usize) -> &str {
    let line_start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[line_start..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// Is `offset` the first non-blank character of its line?
pub fn starts_line(text: &str, offset: usize) -> bool {
    let line_start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_indentation_and_newlines() {
        assert_eq!(
            Style::detect("{\r\n    \"a\": {\r\n        \"b\": 1\r\n    }\r\n}"),
            Style { newline: "\r\n", indent: "    ".into() }
        );
        assert_eq!(Style::detect("{\n\t\"a\": 1\n}").indent, "\t");
        assert_eq!(Style::detect("{}").indent, "  ");
        assert_eq!(Style::detect("<Project>\n  <ItemGroup>\n    <X/>").indent, "  ");
        // Comments' own indentation is not the file's.
        let xml = "<Project>\n    <!-- a note\n     spread out -->\n    <ItemGroup>\n        <X/>";
        assert_eq!(Style::detect(xml).indent, "    ");
        let json = "{\n  /*\n   * note\n   */\n  \"a\": {\n    \"b\": 1\n  }\n}";
        let comment = TextRange::new(json.find("/*").unwrap(), json.find("*/").unwrap() + 2);
        assert_eq!(Style::detect_outside(json, &[comment]).indent, "  ");
        let tabbed = "{\n  \"a\": 1,\n\t// a tab-led note\n  \"b\": 2\n}";
        let comment = TextRange::new(tabbed.find("//").unwrap(), tabbed.find("note").unwrap() + 4);
        assert_eq!(Style::detect_outside(tabbed, &[comment]).indent, "  ");
    }

    #[test]
    fn line_breaks_are_each_lines_own() {
        let text = "a\r\nb\nc";
        assert_eq!(line_break_at(text, 0, "\n"), "\r\n");
        assert_eq!(line_break_at(text, 1, "\n"), "\r\n");
        assert_eq!(line_break_at(text, 3, "\r\n"), "\n");
        assert_eq!(line_break_at(text, 5, "\r\n"), "\r\n", "the last line: the default");
    }

    #[test]
    fn applies_edits_in_any_order() {
        let edits = [
            TextEdit { range: TextRange::new(4, 5), new_text: "E".into() },
            TextEdit { range: TextRange::new(0, 1), new_text: "A".into() },
            TextEdit { range: TextRange::empty(2), new_text: "+".into() },
        ];
        assert_eq!(apply("abcdef", &edits), "Ab+cdEf");
    }

    /// What a removal takes: whole lines when nothing else is on them; a
    /// comment last on its line with the blanks before it; an item mid-line
    /// with the blanks after it.
    #[test]
    fn removals_leave_no_blank_line_and_no_trailing_blank() {
        let remove = |text: &str, what: &str| {
            let start = text.find(what).unwrap();
            let range = whole_lines(text, start, start + what.len());
            apply(text, &[TextEdit { range, new_text: String::new() }])
        };
        assert_eq!(remove("{\r\n  // c\r\n  \"a\": 1\r\n}", "// c"), "{\r\n  \"a\": 1\r\n}");
        assert_eq!(remove("  \"a\": \"W\" /* c */\r\n}", "/* c */"), "  \"a\": \"W\"\r\n}");
        assert_eq!(remove("{\"a\": 1, /* c */ \"b\": 2}", "/* c */"), "{\"a\": 1, \"b\": 2}");
    }
}
