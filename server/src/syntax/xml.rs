//! A small XML tree for MSBuild files (csproj, extensions.csproj, Directory.*.props).
//!
//! quick-xml tokenizes; this module builds elements with the byte ranges the
//! rules and edits need (tags, names, attribute values, text) and checks
//! nesting itself, so a mismatched or missing end tag is reported where it is
//! and the rest of the file still yields a tree.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use crate::syntax::SyntaxError;
use crate::text::{TextRange, floor_char_boundary};

/// More errors than this in one file add nothing for the user.
const MAX_ERRORS: usize = 100;
/// Elements nested deeper than this are reported and skipped, so hostile
/// input cannot overflow the stack of whatever walks or drops the tree.
const MAX_DEPTH: usize = 128;

#[derive(Clone, Debug, Default)]
pub struct XmlDocument {
    pub root: Option<Element>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Clone, Debug)]
pub struct Element {
    pub name: String,
    pub name_range: TextRange,
    /// `<Name …>` or `<Name …/>`.
    pub start_tag: TextRange,
    pub end_tag: Option<TextRange>,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Element>,
    /// Trimmed, unescaped text content of an element without child elements.
    pub text: String,
    /// Range of the trimmed text (empty, after the start tag, when there is none).
    pub text_range: TextRange,
    /// From the start tag to the end of the end tag (or of the start tag).
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: String,
    pub name_range: TextRange,
    /// Unescaped value.
    pub value: String,
    /// Range of the value between its quotes.
    pub value_range: TextRange,
}

impl Element {
    /// The attribute named `name`, ignoring case as MSBuild does.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Child elements named `name`, ignoring case as MSBuild does for item and property names.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn child<'a>(&'a self, name: &'a str) -> Option<&'a Element> {
        self.children_named(name).last()
    }

    /// Every element below this one, depth first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(element) = stack.pop() {
            out.push(element);
            stack.extend(element.children.iter().rev());
        }
        out
    }
}

struct Open {
    element: Element,
    /// Where the content (after the start tag) begins.
    content_start: usize,
}

pub fn parse(text: &str) -> XmlDocument {
    // quick-xml drops a leading byte order mark and counts positions after
    // it. Blank leading marks out instead (same length), so every position
    // it reports is an offset into `text`.
    let blanked;
    let source = if text.starts_with('\u{feff}') {
        let marks = text.len() - text.trim_start_matches('\u{feff}').len();
        blanked = format!("{}{}", " ".repeat(marks), &text[marks..]);
        blanked.as_str()
    } else {
        text
    };
    let mut reader = quick_xml::Reader::from_str(source);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.trim_text(false);

    let mut doc = XmlDocument::default();
    let mut stack: Vec<Open> = Vec::new();
    let mut roots: Vec<Element> = Vec::new();
    // How many elements deep the reader is below MAX_DEPTH, in a skipped subtree.
    let mut skipped = 0usize;
    loop {
        if doc.errors.len() >= MAX_ERRORS {
            break;
        }
        let before = position(reader.buffer_position(), text);
        let event = reader.read_event();
        let after = position(reader.buffer_position(), text);
        if skipped > 0 {
            match event {
                Ok(Event::Start(_)) => skipped += 1,
                Ok(Event::End(_)) => skipped -= 1,
                Ok(Event::Eof) => break,
                Err(_) if after <= before => break,
                _ => {}
            }
            continue;
        }
        match event {
            Ok(Event::Start(_)) if stack.len() >= MAX_DEPTH => {
                let message = format!("Elements nested deeper than {MAX_DEPTH} levels are not read");
                doc.errors.push(error(TextRange::new(before, after), message));
                skipped = 1;
            }
            Ok(Event::Start(start)) => {
                let element = element_from_start(source, &start, TextRange::new(before, after), &mut doc.errors);
                stack.push(Open { element, content_start: after });
            }
            Ok(Event::Empty(start)) => {
                let element = element_from_start(source, &start, TextRange::new(before, after), &mut doc.errors);
                attach(&mut stack, &mut roots, element);
            }
            Ok(Event::End(end)) => {
                let name = end.name().as_ref().to_string();
                let end_tag = TextRange::new(before, after);
                close(text, &mut stack, &mut roots, &name, end_tag, &mut doc.errors);
            }
            Ok(Event::Text(_)) => {
                if stack.is_empty() && !source[before..after].trim().is_empty() {
                    doc.errors.push(error(TextRange::new(before, after), "Text outside the root element"));
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                let at = position(reader.error_position(), text);
                let end = position(after.max(at + 1) as u64, text).max(at);
                doc.errors.push(error(TextRange::new(at, end), format!("Malformed XML: {e}")));
                if after <= before {
                    break;
                }
            }
        }
    }
    while let Some(open) = stack.pop() {
        let name = &open.element.name;
        if doc.errors.len() < MAX_ERRORS {
            doc.errors.push(error(open.element.name_range, format!("Element <{name}> is never closed")));
        }
        let mut element = open.element;
        element.range = TextRange::new(element.range.start, text.len());
        attach(&mut stack, &mut roots, element);
    }
    if roots.len() > 1 {
        for extra in &roots[1..] {
            doc.errors.push(error(extra.name_range, "A second root element: an XML file has exactly one"));
        }
    }
    if roots.is_empty() && doc.errors.is_empty() {
        doc.errors.push(error(TextRange::empty(text.len()), "The file has no root element"));
    }
    doc.root = roots.into_iter().next();
    doc.errors.sort_by_key(|e| (e.range.start, e.range.end));
    doc
}

/// A reader position as an offset into `text`, on a character boundary.
fn position(position: u64, text: &str) -> usize {
    floor_char_boundary(text, usize::try_from(position).unwrap_or(usize::MAX))
}

fn error(range: TextRange, message: impl Into<String>) -> SyntaxError {
    SyntaxError { range, message: message.into() }
}

/// Byte offset of `slice` inside `text` when it borrows from it.
fn offset_in(text: &str, slice: &str) -> Option<usize> {
    let base = text.as_ptr() as usize;
    let ptr = slice.as_ptr() as usize;
    let offset = ptr.checked_sub(base)?;
    (offset + slice.len() <= text.len()).then_some(offset)
}

fn element_from_start(source: &str, start: &BytesStart<'_>, tag: TextRange, errors: &mut Vec<SyntaxError>) -> Element {
    let name_bytes = start.name();
    let name = name_bytes.as_ref().to_string();
    let name_start = offset_in(source, name_bytes.as_ref()).unwrap_or(tag.start + 1);
    let name_range = TextRange::new(name_start, name_start + name_bytes.as_ref().len());
    let mut attributes = Vec::new();
    for attribute in start.attributes().with_checks(true) {
        match attribute {
            Ok(attribute) => {
                let key = attribute.key.as_ref();
                let key_start = offset_in(source, key).unwrap_or(tag.start);
                let raw_value: &str = &attribute.value;
                let value_start = match &attribute.value {
                    Cow::Borrowed(borrowed) => offset_in(source, borrowed),
                    Cow::Owned(_) => None,
                }
                .unwrap_or(tag.start);
                let value =
                    quick_xml::escape::unescape(raw_value).map_or_else(|_| raw_value.to_string(), Cow::into_owned);
                attributes.push(Attribute {
                    name: key.to_string(),
                    name_range: TextRange::new(key_start, key_start + key.len()),
                    value,
                    value_range: TextRange::new(value_start, value_start + raw_value.len()),
                });
            }
            Err(e) => errors.push(error(tag, format!("Malformed attribute in <{name}>: {e}"))),
        }
    }
    Element {
        name,
        name_range,
        start_tag: tag,
        end_tag: None,
        attributes,
        children: Vec::new(),
        text: String::new(),
        text_range: TextRange::empty(tag.end),
        range: tag,
    }
}

fn attach(stack: &mut [Open], roots: &mut Vec<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.element.children.push(element),
        None => roots.push(element),
    }
}

fn close(
    text: &str,
    stack: &mut Vec<Open>,
    roots: &mut Vec<Element>,
    name: &str,
    end_tag: TextRange,
    errors: &mut Vec<SyntaxError>,
) {
    let Some(top) = stack.last() else {
        errors.push(error(end_tag, format!("End tag </{name}> has no matching start tag")));
        return;
    };
    let expected = top.element.name.clone();
    // An end tag that matches no open element is most likely a misspelt end
    // of the current one (`</ItemGroups>`): it closes that one, so one typo
    // gives one error rather than a cascade up to the root. At the root, one
    // that is no spelling of it (a `</Target>` left from a deleted block) is
    // a stray: it closes nothing, or the rest of the file would be second roots.
    let depth = match stack.iter().rposition(|open| open.element.name == name) {
        Some(depth) => depth,
        None if stack.len() == 1 && !alike(&expected, name) => {
            errors.push(error(end_tag, format!("End tag </{name}> has no matching start tag (</{expected}> is open)")));
            return;
        }
        None => stack.len() - 1,
    };
    if expected != name {
        errors.push(error(end_tag, format!("Expected </{expected}>, found </{name}>")));
    }
    while stack.len() > depth + 1 {
        if let Some(open) = stack.pop() {
            let mut element = open.element;
            element.range = TextRange::new(element.range.start, end_tag.start);
            attach(stack, roots, element);
        }
    }
    let Some(open) = stack.pop() else { return };
    let mut element = open.element;
    element.end_tag = Some(end_tag);
    element.range = TextRange::new(element.range.start, end_tag.end);
    if element.children.is_empty() {
        (element.text, element.text_range) = text_content(text, open.content_start, end_tag.start);
    } else {
        element.text_range = TextRange::empty(open.content_start);
    }
    attach(stack, roots, element);
}

/// Could `b` be a misspelling of `a`: the same ignoring case, one the start
/// of the other, or at most two edits apart?
fn alike(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    a.starts_with(&b) || b.starts_with(&a) || crate::suggest::distance_within(&a, &b, 2).is_some()
}

/// The end (after `-->`) of the comment that opens at `open` (`<!--`
/// there), looked for after the opener: `<!-->` opens a comment, it does not
/// close one. `None` when the comment is not closed.
pub fn comment_end(text: &str, open: usize) -> Option<usize> {
    let body = open + "<!--".len();
    text.get(body..)?.find("-->").map(|at| body + at + "-->".len())
}

/// An element's text between `start` and `end`, as MSBuild reads it: a
/// comment beside the text is not text, and a CDATA section's content is,
/// with the range of that one piece (so an edit keeps the comment, or the
/// section's markup). Text in several pieces (`1.1<!-- x -->.0`) is read
/// whole, markup included, as before: no edit of it could keep the pieces.
fn text_content(text: &str, start: usize, end: usize) -> (String, TextRange) {
    let raw = &text[start..end.max(start)];
    let unescape = |t: &str| quick_xml::escape::unescape(t).map_or_else(|_| t.to_string(), Cow::into_owned);
    let mut pieces: Vec<(String, TextRange)> = Vec::new();
    let mut add = |piece: &str, at: usize, escaped: bool| {
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let from = at + (piece.len() - piece.trim_start().len());
            let value = if escaped { unescape(trimmed) } else { trimmed.to_string() };
            pieces.push((value, TextRange::new(from, from + trimmed.len())));
        }
    };
    let mut at = 0;
    while at < raw.len() {
        let rest = &raw[at..];
        let (markup, opener, close) = match (rest.find("<!--"), rest.find("<![CDATA[")) {
            (Some(c), Some(d)) if d < c => (d, "<![CDATA[", "]]>"),
            (Some(c), _) => (c, "<!--", "-->"),
            (None, Some(d)) => (d, "<![CDATA[", "]]>"),
            (None, None) => (rest.len(), "", ""),
        };
        add(&rest[..markup], start + at, true);
        if close.is_empty() {
            break;
        }
        // The close is looked for after the opener: `<!-->` opens a comment.
        let body = &rest[markup + opener.len()..];
        let body_len = body.find(close).unwrap_or(body.len());
        if close == "]]>" {
            add(&body[..body_len], start + at + markup + opener.len(), false);
        }
        at += markup + opener.len() + (body_len + close.len()).min(body.len());
    }
    match pieces.len() {
        0 => (String::new(), TextRange::empty(start)),
        1 => pieces.remove(0),
        _ => {
            let trimmed = raw.trim();
            let from = start + (raw.len() - raw.trim_start().len());
            (unescape(trimmed), TextRange::new(from, from + trimmed.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `<Version>` as MSBuild reads it: comments are not text, CDATA is.
    #[test]
    fn element_text_leaves_out_comments_and_opens_cdata() {
        let text_of = |raw: &str| {
            let (value, range) = text_content(raw, 0, raw.len());
            (value, raw[range.start..range.end].to_string())
        };
        assert_eq!(text_of(" 1.1.0 "), ("1.1.0".into(), "1.1.0".into()));
        assert_eq!(text_of("1.1.0<!-- pinned -->"), ("1.1.0".into(), "1.1.0".into()));
        assert_eq!(text_of("<!-- a --> 1.1.0 <!-- b -->"), ("1.1.0".into(), "1.1.0".into()));
        assert_eq!(text_of("<![CDATA[1.1.0]]>"), ("1.1.0".into(), "1.1.0".into()));
        assert_eq!(text_of("a&amp;b"), ("a&b".into(), "a&amp;b".into()));
        assert_eq!(text_of("<!-- only -->"), (String::new(), String::new()));
        assert_eq!(text_of("1<!-- unclosed"), ("1".into(), "1".into()));
        assert_eq!(text_of("<![CDATA[1.0"), ("1.0".into(), "1.0".into()));
        assert_eq!(text_of("<!--> x -->1.0"), ("1.0".into(), "1.0".into()), "<!--> opens a comment");
        // In pieces: read whole, markup included, so no edit splits them.
        assert_eq!(text_of("1.1<!-- x -->.0"), ("1.1<!-- x -->.0".into(), "1.1<!-- x -->.0".into()));
        assert_eq!(text_of("1.<![CDATA[1.0]]>"), ("1.<![CDATA[1.0]]>".into(), "1.<![CDATA[1.0]]>".into()));
    }

    #[test]
    fn builds_a_project_tree_with_ranges() {
        let text = r#"<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.Functions.Worker" Version="2.52.0" />
    <PackageReference Include="A &amp; B"><Version>1.0</Version></PackageReference>
  </ItemGroup>
</Project>"#;
        let doc = parse(text);
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        let project = doc.root.unwrap();
        assert_eq!(project.attribute("sdk").unwrap().value, "Microsoft.NET.Sdk");
        let items = project.child("ItemGroup").unwrap();
        let refs: Vec<_> = items.children_named("PackageReference").collect();
        let version = refs[0].attribute("Version").unwrap();
        assert_eq!(&text[version.value_range.start..version.value_range.end], "2.52.0");
        assert_eq!(refs[1].attribute("Include").unwrap().value, "A & B");
        let child = refs[1].child("Version").unwrap();
        assert_eq!(child.text, "1.0");
        assert_eq!(&text[child.text_range.start..child.text_range.end], "1.0");
        assert_eq!(project.child("PropertyGroup").unwrap().child("OutputType").unwrap().text, "Exe");
    }

    #[test]
    fn a_stray_end_tag_closes_nothing() {
        // A `</Target>` left behind at the top level: one error, no second roots.
        let text = "<Project>\n  <PropertyGroup />\n  </Target>\n  <ItemGroup>\n    <PackageReference Include=\"A\" />\n  </ItemGroup>\n</Project>";
        let doc = parse(text);
        let messages: Vec<&str> = doc.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["End tag </Target> has no matching start tag (</Project> is open)"]);
        let root = doc.root.unwrap();
        assert_eq!(root.children.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["PropertyGroup", "ItemGroup"]);
        // A misspelt end of the open element still closes it.
        assert_eq!(parse("<Project><ItemGroup></ItemGroups></Project>").errors.len(), 1);
    }

    #[test]
    fn mismatched_end_tag_is_reported_at_the_end_tag() {
        let text = "\u{feff}<Project>\n  <ItemGroup>\n  </PropertyGroup>\n</Project>";
        let doc = parse(text);
        assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
        assert_eq!(&text[doc.errors[0].range.start..doc.errors[0].range.end], "</PropertyGroup>");
        assert!(doc.root.is_some());
    }

    #[test]
    fn deep_nesting_is_reported_and_skipped() {
        for closed in [true, false] {
            let depth = 150_000;
            let ends = if closed { "</a>".repeat(depth) } else { String::new() };
            let text = format!("<Project>{}{ends}<ItemGroup /></Project>", "<a>".repeat(depth));
            let doc = parse(&text);
            assert!(doc.errors.iter().any(|e| e.message.contains("nested deeper than 128")), "{:?}", doc.errors);
            assert!(doc.errors.len() <= MAX_ERRORS);
            let root = doc.root.expect("a root");
            assert_eq!(root.name, "Project");
            assert_eq!(root.descendants().iter().filter(|e| e.name == "a").count(), MAX_DEPTH - 1);
            // The element after the skipped subtree is read when it was closed.
            assert_eq!(root.child("ItemGroup").is_some(), closed);
        }
    }

    #[test]
    fn unclosed_elements_and_garbage_do_not_panic() {
        for text in ["<Project><ItemGroup>", "<", "<a b=>", "</x>", "", "<a x='1' x='2'/>", "<a></b></a>"] {
            let doc = parse(text);
            assert!(!doc.errors.is_empty(), "{text:?}");
        }
    }
}
