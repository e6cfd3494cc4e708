//! The Durable Task Scheduler connection string: `Key=Value;Key=Value`.
//!
//! Parsed the way .NET's `DbConnectionStringBuilder` reads it (knowledge.md
//! 3.1): pairs separated by `;`, keys case-insensitive, whitespace around keys
//! and values trimmed, values optionally quoted with `'` or `"` (a doubled
//! quote inside is a literal quote), `==` in a key is a literal `=`, empty
//! segments allowed, the last of duplicate keys wins. Text that breaks these
//! rules is an error at the offset where the bad segment starts, and parsing
//! goes on after the next `;` so every problem is reported.
//!
//! Ranges are byte offsets into the decoded string value; the caller maps
//! them back to the JSON source.

use crate::text::TextRange;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionString {
    pub pairs: Vec<Pair>,
    pub errors: Vec<ConnectionStringError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The key with surrounding whitespace trimmed and `==` unescaped.
    pub key: String,
    pub key_range: TextRange,
    /// The value, unquoted and trimmed.
    pub value: String,
    /// The value as written, quotes included (empty at the `=` when there is no value).
    pub value_range: TextRange,
    /// The whole `key=value` segment, without the separating `;`.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionStringError {
    /// Where the bad segment starts up to where parsing resumed.
    pub range: TextRange,
    pub message: String,
}

impl ConnectionString {
    /// The pair for `key` (ignoring case); the last one when it repeats, as the runtime reads it.
    pub fn get(&self, key: &str) -> Option<&Pair> {
        self.pairs.iter().rev().find(|p| p.key.eq_ignore_ascii_case(key))
    }
}

pub fn parse(text: &str) -> ConnectionString {
    let bytes = text.as_bytes();
    let mut out = ConnectionString::default();
    let mut i = 0;
    loop {
        i = skip_whitespace(text, i);
        while bytes.get(i) == Some(&b';') {
            i = skip_whitespace(text, i + 1);
        }
        if i >= bytes.len() {
            break;
        }
        match parse_pair(text, i) {
            Ok((pair, next)) => {
                out.pairs.push(pair);
                i = next;
            }
            Err((message, resume)) => {
                let end = resume.min(text.len());
                out.errors.push(ConnectionStringError {
                    range: TextRange::new(i, end.max(i)),
                    message: format!(
                        "{message} (the runtime rejects the string: the format is wrong starting at index {i})"
                    ),
                });
                i = (end + 1).min(text.len());
            }
        }
    }
    out
}

/// Reads one `key=value` pair starting at `start` (not whitespace, not `;`).
/// Returns the pair and the offset after it, or an error and the offset of
/// the `;` (or end) where parsing resumes.
fn parse_pair(text: &str, start: usize) -> Result<(Pair, usize), (String, usize)> {
    let bytes = text.as_bytes();
    let next_separator = |from: usize| text[from..].find(';').map_or(text.len(), |p| from + p);

    // The key runs to the first `=` that is not doubled.
    let mut i = start;
    let mut key = String::new();
    let key_end = loop {
        match bytes.get(i) {
            None | Some(b';') => {
                let shown = text[start..i].trim();
                return Err((format!("`{shown}` is not a `key=value` pair"), i));
            }
            Some(b'=') if bytes.get(i + 1) == Some(&b'=') => {
                key.push('=');
                i += 2;
            }
            Some(b'=') => break i,
            Some(_) => {
                let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                key.push(ch);
                i += ch.len_utf8();
            }
        }
    };
    let trimmed_key = key.trim_end().to_string();
    let key_range = TextRange::new(start, start + text[start..key_end].trim_end().len());
    if trimmed_key.is_empty() {
        return Err(("A pair has no key before `=`".to_string(), next_separator(key_end)));
    }

    // The value: skip whitespace after `=`, then quoted or plain.
    i = skip_whitespace(text, key_end + 1);
    let value_start = i;
    let (value, value_end) = match bytes.get(i) {
        Some(&quote @ (b'"' | b'\'')) => {
            let mut value = String::new();
            let mut j = i + 1;
            loop {
                match bytes.get(j) {
                    None => {
                        let resume = text.len();
                        return Err((
                            format!("The value of `{trimmed_key}` opens a quote that is never closed"),
                            resume,
                        ));
                    }
                    Some(&b) if b == quote && bytes.get(j + 1) == Some(&quote) => {
                        value.push(char::from(quote));
                        j += 2;
                    }
                    Some(&b) if b == quote => break,
                    Some(_) => {
                        let ch = text[j..].chars().next().unwrap_or('\u{fffd}');
                        value.push(ch);
                        j += ch.len_utf8();
                    }
                }
            }
            let value_end = j + 1;
            let after = skip_whitespace(text, value_end);
            if after < bytes.len() && bytes[after] != b';' {
                return Err((format!("Text after the quoted value of `{trimmed_key}`"), next_separator(after)));
            }
            (value, value_end)
        }
        _ => {
            let end = next_separator(i);
            let raw = text[i..end].trim_end();
            (raw.to_string(), i + raw.len())
        }
    };
    let pair = Pair {
        key: trimmed_key,
        key_range,
        value,
        value_range: TextRange::new(value_start, value_end.max(value_start)),
        range: TextRange::new(start, value_end.max(value_start)),
    };
    Ok((pair, next_separator(value_end)))
}

/// The offset of the first character at or after `from` that is not
/// whitespace (as .NET's `char.IsWhiteSpace` sees it).
fn skip_whitespace(text: &str, from: usize) -> usize {
    text[from..].find(|c: char| !c.is_whitespace()).map_or(text.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text).pairs.into_iter().map(|p| (p.key, p.value)).collect()
    }

    #[test]
    fn reads_the_emulator_and_cloud_forms() {
        assert_eq!(
            pairs("Endpoint=http://localhost:8080;Authentication=None"),
            [("Endpoint".into(), "http://localhost:8080".into()), ("Authentication".into(), "None".into())]
        );
        let text = " Endpoint = https://x.westus2.durabletask.io ; Authentication=ManagedIdentity;ClientID=\"a;b\";";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.get("clientid").unwrap().value, "a;b");
        let endpoint = parsed.get("ENDPOINT").unwrap();
        assert_eq!(&text[endpoint.key_range.start..endpoint.key_range.end], "Endpoint");
        assert_eq!(&text[endpoint.value_range.start..endpoint.value_range.end], "https://x.westus2.durabletask.io");
    }

    #[test]
    fn last_duplicate_wins_and_quotes_unescape() {
        let parsed = parse("a=1;A=2;b='it''s';c==d=x");
        assert_eq!(parsed.get("a").unwrap().value, "2");
        assert_eq!(parsed.get("b").unwrap().value, "it's");
        assert_eq!(parsed.get("c=d").unwrap().value, "x");
    }

    #[test]
    fn malformed_segments_are_errors_and_parsing_goes_on() {
        let parsed = parse("Endpoint=http://localhost:8080;Authentication;x='open");
        assert_eq!(parsed.pairs.len(), 1);
        assert_eq!(parsed.errors.len(), 2);
        assert_eq!(parsed.errors[0].range.start, 31);
        assert!(parsed.errors[0].message.contains("index 31"));
        let parsed = parse("=x;k='v' junk;ok=1");
        assert_eq!(parsed.errors.len(), 2);
        assert_eq!(parsed.get("ok").unwrap().value, "1");
    }

    #[test]
    fn empty_segments_and_empty_values_are_fine() {
        let parsed = parse(";;a=;b=1;;c=\u{b};\u{a0}d = 2 ");
        assert_eq!(parsed.get("d").unwrap().value, "2");
        assert!(parsed.errors.is_empty());
        assert_eq!(pairs(";;a=;b=1;;")[..2], [("a".into(), "".into()), ("b".into(), "1".into())]);
    }
}
