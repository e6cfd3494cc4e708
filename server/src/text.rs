//! Text ranges and the line index: byte offsets inside, line/column only at the edges.
//!
//! Everything in the analysis speaks byte offsets into a `&str`. A `LineIndex`
//! turns them into (line, column) pairs in the encoding the client negotiated
//! (UTF-8, UTF-16 or UTF-32) and back. Positions past the end of a line or of
//! the text are clamped, never a panic: editors send stale positions all the time.

use std::fmt;

/// A half-open byte range `start..end` into one document's text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end, "range {start}..{end} is reversed");
        TextRange { start, end: end.max(start) }
    }

    pub fn empty(offset: usize) -> TextRange {
        TextRange { start: offset, end: offset }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// True when `offset` is inside or at either end (what a cursor "touching" the range means).
    pub fn touches(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Moves a range that is relative to some inner text by `base` bytes.
    pub fn shifted(&self, base: usize) -> TextRange {
        TextRange { start: self.start + base, end: self.end + base }
    }

    pub fn cover(&self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How columns are counted. LSP's default is UTF-16; clients may offer others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    /// Unicode scalar values, which is also what the CLI's "characters" are.
    Utf32,
}

/// A zero-based line and a zero-based column in some `PositionEncoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of a text. Line breaks are `\n`, `\r\n` and a
/// lone `\r`, exactly the three LSP counts (not the Unicode separators).
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            // Skip 16 bytes at a time while they hold no line break (most of any line).
            if let Some(chunk) = bytes.get(i..i + 16) {
                if !chunk.iter().fold(false, |found, &b| found | (b == b'\n') | (b == b'\r')) {
                    i += 16;
                    continue;
                }
            }
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    line_starts.push(i + 2);
                    i += 1;
                }
                b'\r' => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { line_starts, len: text.len() }
    }

    /// The index of the text after `removed` bytes at `at` were replaced by
    /// `new_text[at..at + inserted]`, without scanning the rest of the text:
    /// only line starts the edit can change are looked at again.
    pub fn edited(&self, new_text: &str, at: usize, removed: usize, inserted: usize) -> LineIndex {
        let bytes = new_text.as_bytes();
        // A line starts at p when the byte before it ends a break: `\n`, or
        // `\r` not followed by `\n`. That depends on bytes p-1 and p, so only
        // starts in at..=at+inserted can differ from before.
        let starts_at = |p: usize| match p.checked_sub(1).map(|q| bytes[q]) {
            None => true,
            Some(b'\n') => true,
            Some(b'\r') => bytes.get(p) != Some(&b'\n'),
            Some(_) => false,
        };
        let old_end = at + removed;
        let kept = self.line_starts.partition_point(|&s| s < at);
        let after = self.line_starts.partition_point(|&s| s <= old_end);
        let mut line_starts = Vec::with_capacity(self.line_starts.len() + inserted / 8 + 1);
        line_starts.extend_from_slice(&self.line_starts[..kept]);
        line_starts.extend((at..=at + inserted).filter(|&p| starts_at(p)));
        line_starts.extend(self.line_starts[after..].iter().map(|&s| s - removed + inserted));
        LineIndex { line_starts, len: new_text.len() }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The zero-based line that holds `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of a line's content, without its line break (`line` must exist).
    pub fn line_content(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_starts[line];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// Converts a byte offset to a line/column in `encoding`. An offset inside a
    /// multi-byte character is moved back to the character's start.
    pub fn line_col(&self, text: &str, offset: usize, encoding: PositionEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let content = self.line_content(text, line);
        let upto = offset.min(content.end).max(content.start);
        let col = measure(&text[content.start..upto], encoding);
        LineCol { line: line as u32, col: col as u32 }
    }

    /// Converts a line/column in `encoding` to a byte offset. A line past the
    /// end gives the end of the text; a column past the end of its line gives
    /// the end of the line; a column inside a character (half a surrogate pair)
    /// gives the character's start.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> usize {
        self.offset_within(text, pos, encoding).0
    }

    /// As [`LineIndex::offset`], and whether the column fell inside a
    /// character (half a surrogate pair in UTF-16).
    pub fn offset_within(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> (usize, bool) {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return (self.len, false);
        }
        let content = self.line_content(text, line);
        let line_text = &text[content.start..content.end];
        if encoding == PositionEncoding::Utf8 || line_text.is_ascii() {
            // One unit per byte (a minified file is one long ASCII line). In
            // UTF-8 a column inside a character moves back to its start.
            let offset = content.start + (pos.col as usize).min(line_text.len());
            let floor = floor_char_boundary(text, offset);
            return (floor, floor != offset);
        }
        let mut remaining = pos.col as usize;
        for (i, ch) in text[content.start..content.end].char_indices() {
            let width = char_width(ch, encoding);
            if remaining < width {
                return (content.start + i, remaining > 0);
            }
            remaining -= width;
        }
        (content.end, false)
    }
}

/// Width of `text` in code units of `encoding`.
pub fn measure(text: &str, encoding: PositionEncoding) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    match encoding {
        PositionEncoding::Utf8 => text.len(),
        PositionEncoding::Utf16 => text.chars().map(char::len_utf16).sum(),
        PositionEncoding::Utf32 => text.chars().count(),
    }
}

fn char_width(ch: char, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => ch.len_utf8(),
        PositionEncoding::Utf16 => ch.len_utf16(),
        PositionEncoding::Utf32 => 1,
    }
}

/// Does `text` start with `prefix`, ignoring ASCII case?
pub fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The largest char boundary `<= offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]
        /// Updating the index for an edit gives the index of the edited text,
        /// including breaks the edit joins or splits (`\r` + `\n`).
        #[test]
        fn an_edited_index_equals_a_fresh_one(
            text in "[a\r\né]{0,40}",
            insert in "[b\r\n]{0,6}",
            a in 0usize..48,
            b in 0usize..48,
        ) {
            let (from, to) = (floor_char_boundary(&text, a.min(b)), floor_char_boundary(&text, a.max(b)));
            let mut edited = text.clone();
            edited.replace_range(from..to, &insert);
            let updated = LineIndex::new(&text).edited(&edited, from, to - from, insert.len());
            let fresh = LineIndex::new(&edited);
            prop_assert_eq!(updated.line_starts, fresh.line_starts);
            prop_assert_eq!(updated.len, fresh.len);
        }
    }

    fn round_trip_all(text: &str) {
        let index = LineIndex::new(text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let lc = index.line_col(text, offset, encoding);
                let back = index.offset(text, lc, encoding);
                // A line break's second byte (\n of \r\n) maps to the line end.
                let expected = if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    offset - 1
                } else {
                    offset
                };
                assert_eq!(back, expected, "{encoding:?} offset {offset} -> {lc:?} in {text:?}");
            }
        }
    }

    #[test]
    fn round_trips_with_emoji_cjk_and_crlf() {
        round_trip_all("{\r\n  \"a😀\": \"日本\",\r\n\t\"b\": 1\r\n}");
        round_trip_all("x\ry\nz\r\n");
        round_trip_all("");
        round_trip_all("\u{feff}{}");
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "\"😀\": 1";
        let index = LineIndex::new(text);
        let colon = text.find(':').unwrap();
        assert_eq!(index.line_col(text, colon, PositionEncoding::Utf16).col, 4);
        assert_eq!(index.line_col(text, colon, PositionEncoding::Utf32).col, 3);
        assert_eq!(index.line_col(text, colon, PositionEncoding::Utf8).col, 6);
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        let lc = |line, col| LineCol { line, col };
        assert_eq!(index.offset(text, lc(0, 99), PositionEncoding::Utf16), 2);
        assert_eq!(index.offset(text, lc(7, 0), PositionEncoding::Utf16), 6);
        assert_eq!(index.line_col(text, 999, PositionEncoding::Utf16), lc(1, 2));
        // Half of a surrogate pair lands on the character's start.
        let emoji = "😀x";
        let index = LineIndex::new(emoji);
        assert_eq!(index.offset(emoji, lc(0, 1), PositionEncoding::Utf16), 0);
        assert_eq!(index.line_col(emoji, 2, PositionEncoding::Utf16), lc(0, 0));
    }
}
