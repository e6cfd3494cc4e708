//! A lossless, error-tolerant JSONC parser: always a tree, plus every syntax error.
//!
//! host.json and local.settings.json are edited by hand, so the parser must
//! give a useful tree for half-typed text: completion and hover work while the
//! user types, and every syntax error is reported at its own position (several
//! per file, with recovery after each). Every key, value, comment and comma
//! keeps its byte range, so edits can be minimal and diagnostics precise.
//!
//! Comments and trailing commas are accepted and recorded, not reported as
//! errors: whether they are a problem is a rule's decision (H002), not syntax.

pub use crate::syntax::SyntaxError;
use crate::text::TextRange;

/// Deeper nesting than this is reported and skipped, so hostile input cannot
/// overflow the stack.
const MAX_DEPTH: usize = 128;
/// More errors than this in one file add nothing for the user.
pub const MAX_ERRORS: usize = 100;

#[derive(Clone, Debug)]
pub struct JsonDocument {
    pub root: Option<Value>,
    pub comments: Vec<Comment>,
    /// Commas directly followed by `}` or `]`.
    pub trailing_commas: Vec<TextRange>,
    pub errors: Vec<SyntaxError>,
    /// Byte length of a leading UTF-8 byte order mark (0 or 3).
    pub bom_len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    Line,
    Block,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub struct Value {
    pub range: TextRange,
    pub kind: ValueKind,
}

#[derive(Clone, Debug)]
pub enum ValueKind {
    /// Boxed, as arrays: a value is as large as its largest kind.
    Object(Box<Object>),
    Array(Box<Array>),
    String(JsonString),
    /// The number's text is `range` of the value; `None` when it is not a valid JSON number.
    Number(Option<f64>),
    Bool(bool),
    Null,
    /// A token where a value belongs that is no value (a bare word, a stray character).
    Error,
}

#[derive(Clone, Debug)]
pub struct Object {
    open: Mark,
    close: Option<Mark>,
    pub members: Vec<Member>,
}

#[derive(Clone, Debug)]
pub struct Member {
    pub key: JsonString,
    colon: Option<Mark>,
    pub value: Option<Value>,
    comma: Option<Mark>,
}

impl Member {
    pub fn new(key: JsonString, colon: Option<TextRange>, value: Option<Value>, comma: Option<TextRange>) -> Self {
        Member { key, colon: colon.map(Mark::at), value, comma: comma.map(Mark::at) }
    }

    /// The `:` after the key.
    pub fn colon(&self) -> Option<TextRange> {
        self.colon.map(Mark::range)
    }

    /// The `,` after the member.
    pub fn comma(&self) -> Option<TextRange> {
        self.comma.map(Mark::range)
    }
}

/// `items` without the spare room of a small vector (one grows to room for
/// four at once; a file of nested one-element arrays would keep three empty
/// slots per array). Shrinking a small block happens in place.
fn fitted<T>(mut items: Vec<T>) -> Vec<T> {
    if items.len() <= 16 {
        items.shrink_to_fit();
    }
    items
}

/// Where a one-byte token (`{`, `}`, `[`, `]`, `:`, `,`) is: 4 bytes
/// instead of a 16-byte range, 8 with an option around it (a 2 MB file has
/// hundreds of thousands of them). Offsets from 4 GiB on are clamped: no
/// text that large is parsed (the limits are far below).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mark(std::num::NonZeroU32);

impl Mark {
    fn at(range: TextRange) -> Mark {
        debug_assert_eq!(range.len(), 1);
        let plus_one = u32::try_from(range.start).unwrap_or(u32::MAX - 1).saturating_add(1);
        Mark(std::num::NonZeroU32::MIN.saturating_add(plus_one - 1))
    }

    fn range(self) -> TextRange {
        let start = (self.0.get() - 1) as usize;
        TextRange::new(start, start + 1)
    }
}

#[derive(Clone, Debug)]
pub struct Array {
    open: Mark,
    close: Option<Mark>,
    pub elements: Vec<Element>,
}

impl Array {
    /// The `[`.
    pub fn open(&self) -> TextRange {
        self.open.range()
    }

    /// The `]`, when there is one.
    pub fn close(&self) -> Option<TextRange> {
        self.close.map(Mark::range)
    }
}

#[derive(Clone, Debug)]
pub struct Element {
    pub value: Value,
    comma: Option<Mark>,
}

impl Element {
    /// The `,` after the element.
    pub fn comma(&self) -> Option<TextRange> {
        self.comma.map(Mark::range)
    }
}

/// A string literal (or, after an error, a bare word used as a key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonString {
    /// The decoded value.
    pub value: String,
    /// The whole token, quotes included.
    pub range: TextRange,
    /// Whether `range` starts with a quote, and ends with its closing one
    /// (what [`JsonString::content`] leaves out).
    quoted: bool,
    closed: bool,
}

impl JsonString {
    /// The source text between the quotes (escapes not decoded).
    pub fn content(&self) -> TextRange {
        let start = self.range.start + usize::from(self.quoted);
        let end = if self.closed { self.range.end - 1 } else { self.range.end };
        TextRange::new(start, end.max(start))
    }

    /// Maps a byte offset in the decoded `value` to a byte offset in the
    /// source text, accounting for escapes. Offsets past the end map to the
    /// end of the content.
    pub fn source_offset(&self, source: &str, decoded_offset: usize) -> usize {
        let content = self.content();
        let raw = &source[content.start..content.end];
        let mut found = None;
        decode_string_with(raw, |raw_index, decoded_len| {
            if found.is_none() && decoded_len >= decoded_offset {
                found = Some(raw_index);
            }
        });
        content.start + found.unwrap_or(raw.len())
    }

    /// The source range of a decoded sub-range `start..end` of the value.
    pub fn source_range(&self, source: &str, decoded: TextRange) -> TextRange {
        TextRange::new(self.source_offset(source, decoded.start), self.source_offset(source, decoded.end))
    }
}

impl Value {
    pub fn as_object(&self) -> Option<&Object> {
        match &self.kind {
            ValueKind::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn as_string(&self) -> Option<&JsonString> {
        match &self.kind {
            ValueKind::String(string) => Some(string),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        self.as_string().map(|s| s.value.as_str())
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            ValueKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A short name of the value's JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            ValueKind::Object(_) => "an object",
            ValueKind::Array(_) => "an array",
            ValueKind::String(_) => "a string",
            ValueKind::Number(_) => "a number",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Null => "null",
            ValueKind::Error => "not a valid value",
        }
    }
}

impl Object {
    /// The `{`.
    pub fn open(&self) -> TextRange {
        self.open.range()
    }

    /// The `}`, when there is one.
    pub fn close(&self) -> Option<TextRange> {
        self.close.map(Mark::range)
    }

    /// The member with this exact key; the last one when the key repeats
    /// (the .NET JSON readers the host uses keep the last value).
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members.iter().rev().find(|m| m.key.value == key)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.member(key).and_then(|m| m.value.as_ref())
    }

    /// The member whose key equals `key` ignoring ASCII case (last one wins).
    pub fn member_ignore_case(&self, key: &str) -> Option<&Member> {
        self.members.iter().rev().find(|m| m.key.value.eq_ignore_ascii_case(key))
    }

    pub fn get_object(&self, key: &str) -> Option<&Object> {
        self.get(key).and_then(Value::as_object)
    }

    /// The value of the member whose key equals `key` ignoring ASCII case.
    pub fn get_ignore_case(&self, key: &str) -> Option<&Value> {
        self.member_ignore_case(key).and_then(|m| m.value.as_ref())
    }

    pub fn object_ignore_case(&self, key: &str) -> Option<&Object> {
        self.get_ignore_case(key).and_then(Value::as_object)
    }
}

impl JsonDocument {
    pub fn root_object(&self) -> Option<&Object> {
        self.root.as_ref().and_then(Value::as_object)
    }
}

pub fn parse(text: &str) -> JsonDocument {
    let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lexer = Lexer { text, at: bom_len, comments: Vec::new(), errors: Vec::new() };
    let lookahead = [lexer.next_token(), lexer.next_token()];
    let mut parser = Parser {
        text,
        lexer,
        lookahead,
        previous_end: None,
        errors: Vec::new(),
        trailing_commas: Vec::new(),
        open_containers: Vec::new(),
    };
    let root = parser.parse_root();
    // The lexer's errors first: at one offset, the first error reported stays.
    let mut errors = std::mem::take(&mut parser.lexer.errors);
    errors.append(&mut parser.errors);
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    errors.dedup_by_key(|e| e.range.start);
    // A binary file would give one error per stray byte run: the first ones say enough.
    errors.truncate(MAX_ERRORS);
    JsonDocument { root, comments: parser.lexer.comments, trailing_commas: parser.trailing_commas, errors, bom_len }
}

// ---------------------------------------------------------------------------
// Lexer

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    String,
    Number,
    True,
    False,
    Null,
    /// A bare word that is not a literal.
    Word,
    /// Characters that start no token.
    Unknown,
    Eof,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: TokenKind,
    range: TextRange,
}

/// Tokens on demand: the parser holds two at a time, never a token list of
/// the whole file (a 2 MB host.json has hundreds of thousands of tokens).
struct Lexer<'a> {
    text: &'a str,
    /// Where the next token is looked for.
    at: usize,
    comments: Vec<Comment>,
    errors: Vec<SyntaxError>,
}

impl Lexer<'_> {
    /// The next token, after whitespace and comments; `Eof` at the end, for good.
    fn next_token(&mut self) -> Token {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = self.at;
        while i < bytes.len() {
            // Indentation and line breaks, in one tight loop.
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
            }
            let Some(&b) = bytes.get(i) else { break };
            let token_start = i;
            let kind = match b {
                b'{' => TokenKind::LBrace,
                b'}' => TokenKind::RBrace,
                b'[' => TokenKind::LBracket,
                b']' => TokenKind::RBracket,
                b':' => TokenKind::Colon,
                b',' => TokenKind::Comma,
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                        i += 1;
                    }
                    self.comments.push(Comment { kind: CommentKind::Line, range: TextRange::new(token_start, i) });
                    continue;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    match text[i + 2..].find("*/") {
                        Some(end) => i = i + 2 + end + 2,
                        None => {
                            i = bytes.len();
                            self.errors.push(error(
                                TextRange::new(token_start, token_start + 2),
                                "Unterminated block comment: add `*/`",
                            ));
                        }
                    }
                    self.comments.push(Comment { kind: CommentKind::Block, range: TextRange::new(token_start, i) });
                    continue;
                }
                b'"' | b'\'' => {
                    i = lex_string(text, i, &mut self.errors);
                    TokenKind::String
                }
                b'-' | b'+' | b'.' | b'0'..=b'9' => {
                    while i < bytes.len()
                        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'+' | b'-' | b'_'))
                    {
                        i += 1;
                    }
                    let raw = &text[token_start..i];
                    if !is_json_number(raw) {
                        self.errors
                            .push(error(TextRange::new(token_start, i), format!("`{raw}` is not a valid JSON number")));
                    }
                    TokenKind::Number
                }
                b if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => {
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
                    {
                        i += 1;
                    }
                    match &text[token_start..i] {
                        "true" => TokenKind::True,
                        "false" => TokenKind::False,
                        "null" => TokenKind::Null,
                        _ => TokenKind::Word,
                    }
                }
                _ if text[i..].starts_with(is_extra_whitespace) => {
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                    continue;
                }
                _ => {
                    // A run of characters that start no token becomes one token, so
                    // a pasted paragraph yields one error, not one per character.
                    // The first character is always taken: a lone `/` starts no
                    // comment and must not stop the lexer.
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                    while i < bytes.len() && !starts_token(bytes[i]) && !text[i..].starts_with(is_extra_whitespace) {
                        i += text[i..].chars().next().map_or(1, char::len_utf8);
                    }
                    TokenKind::Unknown
                }
            };
            if matches!(
                kind,
                TokenKind::LBrace
                    | TokenKind::RBrace
                    | TokenKind::LBracket
                    | TokenKind::RBracket
                    | TokenKind::Colon
                    | TokenKind::Comma
            ) {
                i += 1;
            }
            self.at = i;
            return Token { kind, range: TextRange::new(token_start, i) };
        }
        self.at = i;
        Token { kind: TokenKind::Eof, range: TextRange::empty(text.len()) }
    }
}

/// Whitespace beyond JSON's four: the host reads host.json with Newtonsoft,
/// which skips every `char.IsWhiteSpace` character (a leading byte order
/// mark is skipped separately); flagging them would only be noise.
fn is_extra_whitespace(c: char) -> bool {
    c.is_whitespace()
}

fn starts_token(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b' ' | b'\t'
                | b'\n'
                | b'\r'
                | b'{'
                | b'}'
                | b'['
                | b']'
                | b':'
                | b','
                | b'"'
                | b'\''
                | b'/'
                | b'-'
                | b'+'
                | b'.'
                | b'_'
                | b'$'
        )
}

/// Scans a string starting at the quote at `start`; returns the end offset.
/// A string ends at its closing quote, or (unterminated) before a line break.
fn lex_string(text: &str, start: usize, errors: &mut Vec<SyntaxError>) -> usize {
    let bytes = text.as_bytes();
    let quote = bytes[start];
    if quote == b'\'' {
        errors.push(error(TextRange::new(start, start + 1), "Strings must use double quotes"));
    }
    let mut i = start + 1;
    while i < bytes.len() {
        // The plain characters of a string, in one tight loop.
        while i < bytes.len() && bytes[i] >= 0x20 && bytes[i] != quote && bytes[i] != b'\\' {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b if b == quote => return i + 1,
            b'\n' | b'\r' => break,
            b'\\' => {
                let escape_start = i;
                i += 1;
                match bytes.get(i) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 1,
                    Some(b'\'') if quote == b'\'' => i += 1,
                    Some(b'u') => {
                        let hex = bytes.get(i + 1..i + 5).unwrap_or(&[]);
                        if hex.len() == 4 && hex.iter().all(u8::is_ascii_hexdigit) {
                            i += 5;
                        } else {
                            errors.push(error(
                                TextRange::new(escape_start, i + 1),
                                "Invalid unicode escape: `\\u` takes four hex digits",
                            ));
                            i += 1;
                        }
                    }
                    Some(b'\n' | b'\r') | None => {}
                    Some(_) => {
                        let len = text[i..].chars().next().map_or(1, char::len_utf8);
                        let shown = &text[escape_start..i + len];
                        errors.push(error(
                            TextRange::new(escape_start, i + len),
                            format!("Invalid escape sequence `{shown}`"),
                        ));
                        i += len;
                    }
                }
            }
            b if b < 0x20 => {
                errors.push(error(TextRange::new(i, i + 1), "Control characters must be escaped in strings"));
                i += 1;
            }
            _ => i += 1,
        }
    }
    errors.push(error(TextRange::new(start, i), "Unterminated string: add the closing `\"`"));
    i
}

/// The strict JSON number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    if b.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// Decodes the text between a string's quotes; lenient, since the lexer has
/// already reported every bad escape.
fn decode_string(raw: &str) -> String {
    if !raw.contains('\\') {
        // Most strings hold no escape: their value is their source.
        return raw.to_owned();
    }
    decode_string_with(raw, |_, _| {})
}

/// Decodes `raw`, calling `at_source` with each source character's index and
/// the decoded length before it, so offsets can be mapped both ways by the
/// same loop that decodes.
fn decode_string_with(raw: &str, mut at_source: impl FnMut(usize, usize)) -> String {
    let mut out = String::with_capacity(raw.len());
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        at_source(i, out.len());
        if bytes[i] != b'\\' {
            let ch = raw[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let Some(escaped) = raw[i + 1..].chars().next() else {
            break;
        };
        i += 1 + escaped.len_utf8();
        match escaped {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' => {
                let Some(unit) = hex4(raw, i) else {
                    out.push('\u{fffd}');
                    continue;
                };
                i += 4;
                if (0xD800..0xDC00).contains(&unit) && raw[i..].starts_with("\\u") {
                    if let Some(low) = hex4(raw, i + 2).filter(|low| (0xDC00..0xE000).contains(low)) {
                        i += 6;
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        continue;
                    }
                }
                out.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
            }
            other => out.push(other),
        }
    }
    at_source(raw.len(), out.len());
    out
}

fn hex4(raw: &str, at: usize) -> Option<u32> {
    let hex = raw.get(at..at + 4)?;
    if hex.bytes().all(|b| b.is_ascii_hexdigit()) { u32::from_str_radix(hex, 16).ok() } else { None }
}

fn error(range: TextRange, message: impl Into<String>) -> SyntaxError {
    SyntaxError { range, message: message.into() }
}

// ---------------------------------------------------------------------------
// Parser

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Object,
    Array,
}

struct Parser<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    /// The current token and the one after it.
    lookahead: [Token; 2],
    /// End of the last consumed token.
    previous_end: Option<usize>,
    errors: Vec<SyntaxError>,
    trailing_commas: Vec<TextRange>,
    open_containers: Vec<Container>,
}

impl Parser<'_> {
    fn peek(&self) -> Token {
        self.lookahead[0]
    }

    /// The token after the current one.
    fn peek_second(&self) -> Token {
        self.lookahead[1]
    }

    fn bump(&mut self) -> Token {
        let token = self.lookahead[0];
        if token.kind != TokenKind::Eof {
            self.previous_end = Some(token.range.end);
            self.lookahead = [self.lookahead[1], self.lexer.next_token()];
        }
        token
    }

    fn error(&mut self, range: TextRange, message: impl Into<String>) {
        self.errors.push(error(range, message));
    }

    fn describe(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Eof => "the end of the file".to_string(),
            _ => {
                let shown: String = self.text[token.range.start..token.range.end].chars().take(24).collect();
                format!("`{shown}`")
            }
        }
    }

    fn parse_root(&mut self) -> Option<Value> {
        if self.peek().kind == TokenKind::Eof {
            self.error(TextRange::empty(self.text.len()), "The file is empty: expected a JSON object");
            return None;
        }
        let mut root = None;
        while root.is_none() && self.peek().kind != TokenKind::Eof {
            root = self.parse_value();
            if root.is_none() {
                let token = self.bump();
                let found = self.describe(token);
                self.error(token.range, format!("Expected a JSON value, found {found}"));
            }
        }
        let next = self.peek();
        if next.kind != TokenKind::Eof {
            let found = self.describe(next);
            self.error(next.range, format!("Unexpected {found} after the end of the JSON document"));
            // The rest is lexed all the same: its comments and lexical errors count too.
            while self.lexer.next_token().kind != TokenKind::Eof {}
        }
        root
    }

    fn starts_value(kind: TokenKind) -> bool {
        matches!(
            kind,
            TokenKind::LBrace
                | TokenKind::LBracket
                | TokenKind::String
                | TokenKind::Number
                | TokenKind::True
                | TokenKind::False
                | TokenKind::Null
        )
    }

    /// Parses a value at the current token. Returns `None` without consuming
    /// anything when the token cannot start a value (a closer, a comma, a
    /// colon, the end) so the caller can recover.
    fn parse_value(&mut self) -> Option<Value> {
        let token = self.peek();
        let kind = match token.kind {
            TokenKind::LBrace => return Some(self.parse_container(Container::Object)),
            TokenKind::LBracket => return Some(self.parse_container(Container::Array)),
            TokenKind::String => {
                let string = self.string_at(token);
                ValueKind::String(string)
            }
            TokenKind::Number => ValueKind::Number(self.text[token.range.start..token.range.end].parse::<f64>().ok()),
            TokenKind::True => ValueKind::Bool(true),
            TokenKind::False => ValueKind::Bool(false),
            TokenKind::Null => ValueKind::Null,
            TokenKind::Word => {
                let word = &self.text[token.range.start..token.range.end];
                let message = format!("`{word}` is not a JSON value: strings need double quotes");
                self.error(token.range, message);
                ValueKind::Error
            }
            TokenKind::Unknown => {
                let found = self.describe(token);
                self.error(token.range, format!("Unexpected {found}"));
                ValueKind::Error
            }
            _ => {
                let found = self.describe(token);
                self.error(token.range, format!("Expected a value, found {found}"));
                return None;
            }
        };
        self.bump();
        Some(Value { range: token.range, kind })
    }

    fn string_at(&self, token: Token) -> JsonString {
        let raw = &self.text[token.range.start..token.range.end];
        let quoted = raw.starts_with('"') || raw.starts_with('\'');
        let closed = quoted && raw.len() >= 2 && raw.ends_with(&raw[..1]);
        let string = JsonString { value: String::new(), range: token.range, quoted, closed };
        let content = string.content();
        JsonString { value: decode_string(&self.text[content.start..content.end]), ..string }
    }

    /// True when `kind` closes a container that is open around the current one,
    /// so the current one should end (unclosed) and let that one close.
    fn closes_enclosing(&self, kind: TokenKind) -> bool {
        let wanted = match kind {
            TokenKind::RBrace => Container::Object,
            TokenKind::RBracket => Container::Array,
            _ => return false,
        };
        let enclosing = &self.open_containers[..self.open_containers.len().saturating_sub(1)];
        enclosing.contains(&wanted)
    }

    fn parse_container(&mut self, container: Container) -> Value {
        let open = self.bump();
        if self.open_containers.len() >= MAX_DEPTH {
            self.error(open.range, format!("Nesting deeper than {MAX_DEPTH} levels is not supported"));
            let end = self.skip_balanced();
            return Value { range: TextRange::new(open.range.start, end), kind: ValueKind::Error };
        }
        self.open_containers.push(container);
        let value = match container {
            Container::Object => self.parse_object_body(open.range),
            Container::Array => self.parse_array_body(open.range),
        };
        self.open_containers.pop();
        value
    }

    /// Skips tokens up to the closer that balances the opener just consumed;
    /// returns the end offset of what was skipped.
    fn skip_balanced(&mut self) -> usize {
        let mut depth = 1usize;
        let mut end = self.previous_end.unwrap_or(self.peek().range.end);
        while depth > 0 {
            let token = self.bump();
            match token.kind {
                TokenKind::Eof => break,
                TokenKind::LBrace | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace | TokenKind::RBracket => depth -= 1,
                _ => {}
            }
            end = token.range.end;
        }
        end
    }

    fn parse_object_body(&mut self, open: TextRange) -> Value {
        let mut members: Vec<Member> = Vec::new();
        let mut close = None;
        loop {
            let token = self.peek();
            match token.kind {
                TokenKind::RBrace => {
                    close = Some(self.bump().range);
                    break;
                }
                TokenKind::Eof => {
                    self.error(token.range, "Missing `}` to close the object");
                    break;
                }
                TokenKind::RBracket if self.closes_enclosing(token.kind) => {
                    self.error(token.range, "Expected `}` to close the object, found `]`");
                    break;
                }
                TokenKind::String => members.push(self.parse_member()),
                TokenKind::Word | TokenKind::Number | TokenKind::True | TokenKind::False | TokenKind::Null
                    if self.peek_second().kind == TokenKind::Colon =>
                {
                    self.error(token.range, "Property names must be double-quoted strings");
                    members.push(self.parse_member());
                }
                TokenKind::LBrace | TokenKind::LBracket => {
                    self.error(token.range, "Expected a property name");
                    self.parse_value();
                }
                _ => {
                    let found = self.describe(token);
                    self.error(token.range, format!("Expected a property name or `}}`, found {found}"));
                    self.bump();
                }
            }
        }
        let end = close.map_or_else(|| self.last_end(open), |c| c.end);
        Value {
            range: TextRange::new(open.start, end),
            kind: ValueKind::Object(Box::new(Object {
                open: Mark::at(open),
                close: close.map(Mark::at),
                members: fitted(members),
            })),
        }
    }

    /// End offset of the last consumed token (at least `open`'s end).
    fn last_end(&self, open: TextRange) -> usize {
        self.previous_end.map_or(open.end, |end| end.max(open.end))
    }

    fn parse_member(&mut self) -> Member {
        let key_token = self.bump();
        let key = self.string_at(key_token);
        let mut colon = None;
        if self.peek().kind == TokenKind::Colon {
            colon = Some(self.bump().range);
        } else {
            let next = self.peek();
            let at = if next.kind == TokenKind::Eof { TextRange::empty(key.range.end) } else { next.range };
            self.error(at, format!("Expected `:` after the property name \"{}\"", key.value));
        }
        // Without a colon, a string followed by one is the next member's key
        // (a key being typed above it), not this member's value.
        let next_is_key = self.peek().kind == TokenKind::String && self.peek_second().kind == TokenKind::Colon;
        let value = if colon.is_some() || (Self::starts_value(self.peek().kind) && !next_is_key) {
            self.parse_value()
        } else {
            None
        };
        let comma = self.after_item(TokenKind::RBrace);
        Member::new(key, colon, value, comma)
    }

    /// After an object member or array element: takes a comma (recording a
    /// trailing one), or reports the missing comma before the next item.
    fn after_item(&mut self, closer: TokenKind) -> Option<TextRange> {
        let next = self.peek();
        match next.kind {
            TokenKind::Comma => {
                let comma = self.bump().range;
                if self.peek().kind == closer {
                    self.trailing_commas.push(comma);
                }
                Some(comma)
            }
            k if k == closer || k == TokenKind::Eof || self.closes_enclosing(k) => None,
            k if Self::starts_value(k) => {
                self.error(next.range, "Expected `,` before this item");
                None
            }
            _ => {
                let close = if closer == TokenKind::RBrace { "}" } else { "]" };
                let found = self.describe(next);
                self.error(next.range, format!("Expected `,` or `{close}`, found {found}"));
                None
            }
        }
    }

    fn parse_array_body(&mut self, open: TextRange) -> Value {
        let mut elements = Vec::new();
        let mut close = None;
        loop {
            let token = self.peek();
            match token.kind {
                TokenKind::RBracket => {
                    close = Some(self.bump().range);
                    break;
                }
                TokenKind::Eof => {
                    self.error(token.range, "Missing `]` to close the array");
                    break;
                }
                TokenKind::RBrace if self.closes_enclosing(token.kind) => {
                    self.error(token.range, "Expected `]` to close the array, found `}`");
                    break;
                }
                TokenKind::Comma | TokenKind::Colon | TokenKind::RBrace => {
                    let found = self.describe(token);
                    self.error(token.range, format!("Expected a value, found {found}"));
                    self.bump();
                }
                _ => {
                    if let Some(value) = self.parse_value() {
                        let comma = self.after_item(TokenKind::RBracket);
                        elements.push(Element { value, comma: comma.map(Mark::at) });
                    } else {
                        self.bump();
                    }
                }
            }
        }
        let end = close.map_or_else(|| self.last_end(open), |c| c.end);
        Value {
            range: TextRange::new(open.start, end),
            kind: ValueKind::Array(Box::new(Array {
                open: Mark::at(open),
                close: close.map(Mark::at),
                elements: fitted(elements),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(String, String)> {
        parse(text).errors.into_iter().map(|e| (text[e.range.start..e.range.end].to_string(), e.message)).collect()
    }

    #[test]
    fn parses_jsonc_with_comments_and_trailing_commas() {
        let text = "\u{feff}{\n  // c\n  \"a\": [1, 2,], /* b */\n  \"b\": {\"x\": \"y\\n\"},\n}";
        let doc = parse(text);
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        assert_eq!(doc.bom_len, 3);
        assert_eq!(doc.comments.len(), 2);
        assert_eq!(doc.trailing_commas.len(), 2);
        let root = doc.root_object().unwrap();
        assert_eq!(root.members.len(), 2);
        assert_eq!(root.get_object("b").unwrap().get("x").unwrap().as_str(), Some("y\n"));
    }

    #[test]
    fn reports_several_errors_and_keeps_the_tree() {
        let text = "{\n  \"a\": 1\n  \"b\": tru,\n  \"c\": {\"d\": }\n  \"e\": \"open\n}";
        let doc = parse(text);
        let found = errors(text);
        assert_eq!(found.len(), 5, "{found:#?}");
        assert_eq!(found[0].0, "\"b\"");
        assert!(found[0].1.contains("Expected `,`"));
        assert_eq!(found[1].0, "tru");
        let root = doc.root_object().unwrap();
        let keys: Vec<_> = root.members.iter().map(|m| m.key.value.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c", "e"]);
    }

    #[test]
    fn missing_closer_is_reported_at_the_end() {
        let text = "{\"a\": {\"b\": 1}";
        let found = errors(text);
        assert_eq!(found, [(String::new(), "Missing `}` to close the object".to_string())]);
        let doc = parse(text);
        assert_eq!(doc.errors[0].range, TextRange::empty(text.len()));
    }

    #[test]
    fn mismatched_closer_closes_the_enclosing_container() {
        let doc = parse("{\"a\": [1, 2}");
        assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
        assert!(doc.root_object().unwrap().get("a").is_some());
    }

    #[test]
    fn half_typed_member_has_a_key_and_no_value() {
        let doc = parse("{\n  \"extensions\": {\n    \"dur\n  }\n}");
        let extensions = doc.root_object().unwrap().get_object("extensions").unwrap();
        assert_eq!(extensions.members[0].key.value, "dur");
        assert!(extensions.members[0].value.is_none());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        let doc = parse(&text);
        assert!(!doc.errors.is_empty());
    }

    #[test]
    fn escapes_map_back_to_source_offsets() {
        let text = r#""A\"B\u00e9C😀D\ud83d\ude00E""#;
        let doc = parse(text);
        let string = doc.root.unwrap().as_string().unwrap().clone();
        assert_eq!(string.value, "A\"BéC😀D😀E");
        let value = &string.value;
        for (needle, expected) in [("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")] {
            let decoded = value.find(needle).unwrap();
            let source = string.source_offset(text, decoded);
            assert_eq!(&text[source..source + 1], expected);
        }
        assert_eq!(string.source_offset(text, value.len()), text.len() - 1);
    }

    /// Tokens are lexed on demand; what follows the root value is still
    /// lexed, so its comments and lexical errors are not lost.
    #[test]
    fn comments_and_errors_after_the_root_are_kept() {
        let doc = parse("{}\n1 2 3 // late\n\"open");
        assert_eq!(doc.comments.len(), 1);
        assert!(doc.errors.iter().any(|e| e.message.contains("Unterminated string")), "{:?}", doc.errors);
    }

    #[test]
    fn a_lone_slash_is_an_error_not_a_hang() {
        let text = "{\"a\": 1 / 2}";
        let doc = parse(text);
        assert_eq!(doc.errors[0].range.start, text.find('/').unwrap(), "{:?}", doc.errors);
    }

    #[test]
    fn numbers_follow_the_strict_grammar() {
        for ok in ["0", "-0", "1.5", "-12e+3", "1E9"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in ["01", "+1", ".5", "1.", "1e", "0x10", "-", "1_0"] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
