//! Edits to MSBuild XML files: add an item next to its siblings (or in a new
//! `ItemGroup`), replace an attribute value or element text, add an element
//! before `</Project>`. The file's indentation and line endings are kept.

use crate::edit::{Style, TextEdit, line_break_at, line_indent};
use crate::syntax::xml::{Element, XmlDocument};
use crate::text::TextRange;

/// `value` escaped for an XML attribute in double quotes.
pub fn escape_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

pub struct XmlEditor<'a> {
    pub text: &'a str,
    pub document: &'a XmlDocument,
    pub style: Style,
}

impl<'a> XmlEditor<'a> {
    pub fn new(text: &'a str, document: &'a XmlDocument) -> XmlEditor<'a> {
        XmlEditor { text, document, style: Style::detect(text) }
    }

    /// Adds `<ITEM Include="id" Version="version" />` after the last item of
    /// the same kind (`PackageReference`, `PackageVersion`) in an `ItemGroup`
    /// without a `Condition` (one for Debug builds only would leave Release
    /// builds without the package), else in a new `ItemGroup` before
    /// `</Project>`. `None` when the file has no closed root.
    pub fn add_item(&self, item: &str, id: &str, version: Option<&str>) -> Option<TextEdit> {
        let root = self.document.root.as_ref()?;
        let end_tag = root.end_tag?;
        let version = version.map(|v| format!(" Version=\"{}\"", escape_attribute(v))).unwrap_or_default();
        let element = format!("<{item} Include=\"{}\"{version} />", escape_attribute(id));
        let last_sibling = root
            .children_named("ItemGroup")
            .filter(|group| group.attribute("Condition").is_none())
            .flat_map(|group| group.children_named(item).filter(|element| element.attribute("Condition").is_none()))
            .last();
        if let Some(sibling) = last_sibling {
            let indent = line_indent(self.text, sibling.range.start);
            let at = self.past_trailing_comments(sibling.range.end);
            let nl = line_break_at(self.text, at, self.style.newline);
            return Some(TextEdit { range: TextRange::empty(at), new_text: format!("{nl}{indent}{element}") });
        }
        // A new ItemGroup, indented like the root's other children.
        let child_indent = root
            .children
            .first()
            .map_or_else(|| self.style.indent.clone(), |c| line_indent(self.text, c.range.start).to_string());
        let item_indent = format!("{child_indent}{}", self.style.indent);
        let nl = self.break_above(end_tag);
        let group = format!("{child_indent}<ItemGroup>{nl}{item_indent}{element}{nl}{child_indent}</ItemGroup>{nl}");
        Some(self.before_end_tag(end_tag, &group))
    }

    /// Where the comments after `offset` on its line end (a comment may run
    /// on to later lines): a comment after an element is the element's, and
    /// stays with it (what follows on the line, an end tag, moves down).
    fn past_trailing_comments(&self, offset: usize) -> usize {
        let mut at = offset;
        loop {
            let rest = &self.text[at..];
            let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if !rest[blanks..].starts_with("<!--") {
                break;
            }
            match crate::syntax::xml::comment_end(self.text, at + blanks) {
                Some(end) => at = end,
                None => return offset,
            }
        }
        at
    }

    /// The line break of the line above the end tag's: what lines inserted
    /// before the end tag end with.
    fn break_above(&self, end_tag: TextRange) -> &'static str {
        line_break_at(self.text, self.text[..end_tag.start].rfind('\n').unwrap_or(0), self.style.newline)
    }

    /// Inserts whole lines just before the root's end tag.
    fn before_end_tag(&self, end_tag: TextRange, lines: &str) -> TextEdit {
        let line_start = self.text[..end_tag.start].rfind('\n').map_or(0, |i| i + 1);
        if self.text[line_start..end_tag.start].trim().is_empty() {
            TextEdit { range: TextRange::empty(line_start), new_text: lines.to_string() }
        } else {
            let nl = line_break_at(self.text, end_tag.start, self.style.newline);
            TextEdit { range: TextRange::empty(end_tag.start), new_text: format!("{nl}{lines}") }
        }
    }

    /// Adds an element (given as its text, possibly several lines without
    /// indentation) before `</Project>`, indented one level.
    pub fn add_before_project_end(&self, element: &str) -> Option<TextEdit> {
        let root = self.document.root.as_ref()?;
        let end_tag = root.end_tag?;
        let indent = root
            .children
            .first()
            .map_or_else(|| self.style.indent.clone(), |c| line_indent(self.text, c.range.start).to_string());
        let nl = self.break_above(end_tag);
        let lines: String = element.lines().map(|line| format!("{indent}{line}{nl}")).collect();
        Some(self.before_end_tag(end_tag, &lines))
    }

    pub fn replace(&self, range: TextRange, new_text: impl Into<String>) -> TextEdit {
        TextEdit { range, new_text: new_text.into() }
    }

    /// The first element named `name` anywhere in the file.
    pub fn find(&self, name: &str) -> Option<&'a Element> {
        let root = self.document.root.as_ref()?;
        if root.name.eq_ignore_ascii_case(name) {
            return Some(root);
        }
        root.descendants().into_iter().find(|e| e.name.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply;
    use crate::syntax::xml;

    fn add(text: &str, item: &str) -> String {
        let doc = xml::parse(text);
        let editor = XmlEditor::new(text, &doc);
        let out = apply(text, &[editor.add_item(item, "A.B", Some("1.0")).unwrap()]);
        assert!(xml::parse(&out).errors.is_empty(), "{out}");
        out
    }

    #[test]
    fn adds_items_next_to_siblings_or_in_a_new_group() {
        let text = "<Project Sdk=\"x\">\r\n    <ItemGroup>\r\n        <PackageReference Include=\"Z\" Version=\"2\" />\r\n    </ItemGroup>\r\n</Project>\r\n";
        assert_eq!(
            add(text, "PackageReference"),
            "<Project Sdk=\"x\">\r\n    <ItemGroup>\r\n        <PackageReference Include=\"Z\" Version=\"2\" />\r\n        <PackageReference Include=\"A.B\" Version=\"1.0\" />\r\n    </ItemGroup>\r\n</Project>\r\n"
        );
        let text = "<Project>\n  <PropertyGroup>\n    <X>1</X>\n  </PropertyGroup>\n</Project>";
        assert_eq!(
            add(text, "PackageVersion"),
            "<Project>\n  <PropertyGroup>\n    <X>1</X>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageVersion Include=\"A.B\" Version=\"1.0\" />\n  </ItemGroup>\n</Project>"
        );
        // Not into a group, or after an item, that only some builds see.
        let text = "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Z\" Version=\"2\" />\n    <PackageReference Include=\"Y\" Version=\"1\" Condition=\"'$(Configuration)' == 'Debug'\" />\n  </ItemGroup>\n  <ItemGroup Condition=\"'$(Configuration)' == 'Debug'\">\n    <PackageReference Include=\"D\" Version=\"1\" />\n  </ItemGroup>\n</Project>";
        let added = add(text, "PackageReference");
        assert!(
            added.contains("<PackageReference Include=\"Z\" Version=\"2\" />\n    <PackageReference Include=\"A.B\""),
            "{added}"
        );
        // `<!-->` opens a comment: the new item goes after its end.
        let text = "<Project>\n  <ItemGroup>\n    <X Include=\"Z\" /> <!--> pinned -->\n  </ItemGroup>\n</Project>";
        assert!(add(text, "X").contains("<!--> pinned -->\n    <X Include=\"A.B\""));
        // A comment after the last sibling stays with it, with an end tag after it too.
        let text = "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Z\" Version=\"2\" /> <!-- pinned --> </ItemGroup>\n</Project>";
        assert_eq!(
            add(text, "PackageReference"),
            "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Z\" Version=\"2\" /> <!-- pinned -->\n    <PackageReference Include=\"A.B\" Version=\"1.0\" /> </ItemGroup>\n</Project>"
        );
        let text = "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Z\" Version=\"2\" /> <!-- pinned -->\n  </ItemGroup>\n</Project>";
        assert_eq!(
            add(text, "PackageReference"),
            "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Z\" Version=\"2\" /> <!-- pinned -->\n    <PackageReference Include=\"A.B\" Version=\"1.0\" />\n  </ItemGroup>\n</Project>"
        );
        // Mixed line breaks: the new line takes its neighbour's.
        let text = "<Project>\r\n  <ItemGroup>\n    <PackageReference Include=\"Z\" Version=\"2\" />\n  </ItemGroup>\n</Project>";
        assert!(
            add(text, "PackageReference")
                .contains("\"2\" />\n    <PackageReference Include=\"A.B\" Version=\"1.0\" />\n  </ItemGroup>")
        );
        let text = "<Project>\n  <ItemGroup Condition=\"'$(Configuration)' == 'Debug'\">\n    <PackageReference Include=\"D\" Version=\"1\" />\n  </ItemGroup>\n</Project>";
        assert_eq!(
            add(text, "PackageReference"),
            "<Project>\n  <ItemGroup Condition=\"'$(Configuration)' == 'Debug'\">\n    <PackageReference Include=\"D\" Version=\"1\" />\n  </ItemGroup>\n  <ItemGroup>\n    <PackageReference Include=\"A.B\" Version=\"1.0\" />\n  </ItemGroup>\n</Project>"
        );
    }
}
