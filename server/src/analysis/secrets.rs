//! Secrets never leave the server: connection-string keys whose values are
//! credentials are masked wherever text from the user's files is shown
//! (the CLI's source lines, and later hover).

use std::borrow::Cow;

/// Keys whose values are secrets in Azure connection strings and SAS tokens.
const SECRET_KEYS: [&str; 12] = [
    "AccountKey",
    "SharedAccessKey",
    "SharedAccessSignature",
    "Password",
    "Pwd",
    "ClientSecret",
    "sig",
    "AccessKey",
    "ApiKey",
    "Secret",
    "Token",
    "AccessToken",
];

/// `text` with the value after every `SecretKey=` replaced by `***`.
/// Connection strings allow blanks around the `=` and quoted values, so a
/// value may follow blanks, and one in quotes (`'…'`, `"…"`, or `\"…\"` as
/// it appears inside a JSON string; a doubled quote is part of the value) is
/// masked up to its closing quote; another runs to the next `;`, `&`, `'`,
/// line end or `"` that no backslash escapes (blanks and escapes inside are
/// part of it: whatever else is masked with it is better hidden than a
/// secret's tail shown). Borrowed when nothing is masked, which is nearly
/// always: most texts have no `=` at all.
pub fn mask(text: &str) -> Cow<'_, str> {
    match mask_keys(text) {
        Cow::Borrowed(text) => mask_userinfo(text),
        Cow::Owned(masked) => Cow::Owned(mask_userinfo(&masked).into_owned()),
    }
}

/// `text` with the password of every `scheme://user:password@host` masked,
/// and the user of `scheme://user@host`, which is often a token
/// (`https://ghp_…@github.com`).
fn mask_userinfo(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let (mut copied, mut from) = (0, 0);
    while let Some(authority) = text[from..].find("://").map(|at| from + at + 3) {
        let end =
            text[authority..].find(['/', '?', '#', '"', '\'', ' ', ';', '\\']).map_or(text.len(), |at| authority + at);
        from = end;
        let Some(at_sign) = text[authority..end].rfind('@').map(|at| authority + at) else { continue };
        let secret_start = text[authority..at_sign].find(':').map_or(authority, |at| authority + at + 1);
        if at_sign > secret_start {
            out.push_str(&text[copied..secret_start]);
            out.push_str("***");
            copied = at_sign;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// [`mask`] of the `Key=value` pairs.
fn mask_keys(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    // `text[..copied]` is in `out`; a key must start at or after `rest`.
    let (mut copied, mut rest, mut from) = (0, 0, 0);
    while let Some(eq) = bytes[from..].iter().position(|&b| b == b'=').map(|i| from + i) {
        if !is_secret_key_before(bytes, rest, eq) {
            from = eq + 1;
            continue;
        }
        let (value_start, value_end, resume) = secret_value(text, eq + 1);
        if value_end > value_start {
            out.push_str(&text[copied..value_start]);
            out.push_str("***");
            copied = value_end;
        }
        rest = resume;
        from = resume;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Words in a setting's name that make its whole value a secret, whatever
/// its form (`API_KEY`, `GITHUB_TOKEN`, `DbPassword`, `ClientSecret`).
const SECRET_NAME_WORDS: [&str; 7] = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PWD", "SIGNATURE", "CREDENTIAL"];

/// Is a setting with this name a secret as a whole?
pub fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // The `NAME__credential` section of an identity-based connection holds
    // the kind of credential (`managedidentity`), no secret.
    if upper.ends_with("__CREDENTIAL") {
        return false;
    }
    SECRET_NAME_WORDS.iter().any(|word| upper.contains(word))
}

/// A setting's value as it may be shown: `***` for a setting whose name
/// says it is a secret, else with its connection-string secrets masked.
pub fn mask_setting<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if secret_name(name) && !value.is_empty() { Cow::Borrowed("***") } else { mask(value) }
}

/// A line of a JSON file as it may be shown: [`mask`], and the string value
/// of every `"NAME": "value"` member whose name is a secret's.
pub fn mask_line(line: &str) -> Cow<'_, str> {
    let first = mask(line);
    if let Cow::Owned(members) = mask_members(&first) {
        return Cow::Owned(members);
    }
    first
}

/// The string values of members with secret names replaced by `***`.
fn mask_members(text: &str) -> Cow<'_, str> {
    // The end of the string whose opening quote is at `open` (at its closing
    // quote), or the end of the text.
    let string_end = |open: usize| {
        let bytes = text.as_bytes();
        let mut at = open + 1;
        while at < bytes.len() && bytes[at] != b'"' {
            at += if bytes[at] == b'\\' { 2 } else { 1 };
        }
        at.min(bytes.len())
    };
    let mut out = String::new();
    let (mut copied, mut from) = (0, 0);
    while let Some(open) = text[from..].find('"').map(|i| from + i) {
        let close = string_end(open);
        if close >= text.len() {
            break;
        }
        let key = &text[open + 1..close];
        let after = text[close + 1..].trim_start_matches([' ', '\t']);
        let Some(after_colon) = after.strip_prefix(':') else {
            from = close + 1;
            continue;
        };
        let value_open = text.len() - after_colon.trim_start_matches([' ', '\t']).len();
        if text[value_open..].starts_with(['{', '[']) {
            from = close + 1;
            continue;
        }
        if !text[value_open..].starts_with('"') {
            // A number or a literal can be a secret too (a PIN).
            let value_end = text[value_open..]
                .find([',', '}', ']', ' ', '\t', '\r', '\n', '"'])
                .map_or(text.len(), |at| value_open + at);
            if secret_name(key) && value_end > value_open {
                out.push_str(&text[copied..value_open]);
                out.push_str("***");
                copied = value_end;
            }
            from = value_end.max(close + 1);
            continue;
        }
        let value_close = string_end(value_open);
        if secret_name(key) && value_close > value_open + 1 {
            out.push_str(&text[copied..value_open + 1]);
            out.push_str("***");
            copied = value_close;
        }
        from = (value_close + 1).min(text.len());
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Where the value after an `=` (which ends at `after_eq`) starts and ends,
/// and where the text goes on after it (past a closing quote).
fn secret_value(text: &str, after_eq: usize) -> (usize, usize, usize) {
    let start = after_eq + (text[after_eq..].len() - text[after_eq..].trim_start_matches([' ', '\t']).len());
    let value = &text[start..];
    for quote in ["\\\"", "\"", "'"] {
        if let Some(inside) = value.strip_prefix(quote) {
            let inner_start = start + quote.len();
            let mut from = 0;
            while let Some(close) = inside[from..].find(quote).map(|at| from + at) {
                if !inside[close + quote.len()..].starts_with(quote) {
                    return (inner_start, inner_start + close, inner_start + close + quote.len());
                }
                from = close + 2 * quote.len(); // a doubled quote is one quote of the value
            }
            return (inner_start, text.len(), text.len());
        }
    }
    let bytes = value.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b';' | b'&' | b'"' | b'\'' | b'\r' | b'\n' => break,
            _ => at += 1,
        }
    }
    let end = start + at.min(bytes.len());
    (start, end, end)
}

/// Whether a secret key (ignoring case, at a word start no earlier than
/// `rest`) ends right before the `=` at `eq`, or before blanks before it.
fn is_secret_key_before(bytes: &[u8], rest: usize, eq: usize) -> bool {
    let mut key_end = eq;
    while key_end > rest && matches!(bytes[key_end - 1], b' ' | b'\t') {
        key_end -= 1;
    }
    SECRET_KEYS.iter().any(|key| {
        let Some(at) = key_end.checked_sub(key.len()).filter(|&at| at >= rest) else {
            return false;
        };
        bytes[at..key_end].eq_ignore_ascii_case(key.as_bytes())
            && (at == rest || !bytes[at - 1].is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys_passwords_and_sas_signatures() {
        let line = r#""AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0==;EndpointSuffix=core.windows.net","#;
        let masked = mask(line);
        assert!(!masked.contains("c2VjcmV0"), "{masked}");
        assert!(masked.contains("AccountKey=***;EndpointSuffix"));
        assert_eq!(
            mask("Endpoint=sb://x/;SharedAccessKeyName=n;SharedAccessKey=abc"),
            "Endpoint=sb://x/;SharedAccessKeyName=n;SharedAccessKey=***"
        );
        assert_eq!(
            mask("https://a.blob.core.windows.net/c?sv=1&sig=XYZ%3D&se=2"),
            "https://a.blob.core.windows.net/c?sv=1&sig=***&se=2"
        );
        assert_eq!(mask("Server=s;password=hunter2"), "Server=s;password=***");
        assert_eq!(
            mask("Endpoint=http://localhost:8080;Authentication=None"),
            "Endpoint=http://localhost:8080;Authentication=None"
        );
        assert_eq!(mask("mysig=1"), "mysig=1", "only whole keys");
    }

    /// A setting named like a secret is masked whole, wherever it is shown.
    #[test]
    fn masks_settings_whose_names_say_they_are_secrets() {
        assert_eq!(mask_setting("API_KEY", "abc123"), "***");
        assert_eq!(mask_setting("GithubToken", "ghp_x"), "***");
        assert_eq!(mask_setting("TASKHUB_NAME", "orders"), "orders");
        // Keys that name an API key or a token, and a password in a URL.
        assert_eq!(mask("Endpoint=x;ApiKey=k1;Token = t2;Secret=s3"), "Endpoint=x;ApiKey=***;Token = ***;Secret=***");
        // A message naming the `key=value` form is no secret.
        assert_eq!(mask("is not a `key=value` pair"), "is not a `key=value` pair");
        assert_eq!(mask("Endpoint=https://user:pw@host/x;A=b"), "Endpoint=https://user:***@host/x;A=b");
        assert_eq!(mask("https://ghp_x@host and http://a:b@c:8080"), "https://***@host and http://a:***@c:8080");
        assert_eq!(mask("https://host/@scope/pkg"), "https://host/@scope/pkg");
        // An identity-based connection's sections: the kind is no secret, the client secret is.
        assert_eq!(mask_setting("DTS__credential", "managedidentity"), "managedidentity");
        assert_eq!(mask_setting("DTS__clientSecret", "s3cr3t"), "***");
        assert_eq!(mask_setting("AZURE_CREDENTIAL_FILE", "/secret/file"), "***");
        assert_eq!(mask_setting("Storage", "AccountName=a;AccountKey=k"), "AccountName=a;AccountKey=***");
        assert_eq!(
            mask_line(r#"    "API_KEY": "abc\"123", "HUB": "orders","#),
            r#"    "API_KEY": "***", "HUB": "orders","#
        );
        assert_eq!(
            mask_line(r#""DbPassword" : "p", "S": "Password=x""#),
            r#""DbPassword" : "***", "S": "Password=***""#
        );
        assert_eq!(mask_line(r#""API_KEY": 123, "unclosed"#), r#""API_KEY": ***, "unclosed"#);
        assert_eq!(mask_line(r#""PIN_CODE": 1234, "DB_PWD": 5678}"#), r#""PIN_CODE": 1234, "DB_PWD": ***}"#);
        assert_eq!(mask_line(r#""MY_KEY": {"inner": "x"}"#), r#""MY_KEY": {"inner": "x"}"#);
        // A value not closed yet is still a secret.
        assert_eq!(mask_line(r#""API_KEY": "never closed"#), r#""API_KEY": "***"#);
    }

    /// Blanks around `=` and quoted values are connection-string syntax.
    #[test]
    fn masks_values_after_blanks_and_in_quotes() {
        assert_eq!(mask("Endpoint=x;Password = SECRET;A=b"), "Endpoint=x;Password = ***;A=b");
        assert_eq!(mask("Pwd = 'SE;CRET';A=b"), "Pwd = '***';A=b");
        assert_eq!(mask("Password='SECRET'"), "Password='***'");
        assert_eq!(mask(r#""C": "Password=\"SE CRET\";A=b","#), r#""C": "Password=\"***\";A=b","#);
        assert_eq!(mask("Password=my secret pass;A=b"), "Password=***;A=b");
        assert_eq!(mask("`AccountKey=abc` is set"), "`AccountKey=***");
        assert_eq!(mask("Password='never closed"), "Password='***");
        // Escapes and doubled quotes are part of the value.
        assert_eq!(mask(r#""C": "Server=x;Password=p\\ss","#), r#""C": "Server=x;Password=***","#);
        assert_eq!(mask(r#""C": "Password=abc\"def\"""#), r#""C": "Password=***""#);
        assert_eq!(mask("Pwd='ab''cd';A=b"), "Pwd='***';A=b");
        assert_eq!(mask(r#"Pwd=\"ab\"\"cd\";A=b"#), r#"Pwd=\"***\";A=b"#);
    }

    /// The same masking, plainly written: find the earliest secret key at a
    /// word start followed by blanks and `=`, by trying every position.
    fn reference(text: &str) -> String {
        let lower = text.to_ascii_lowercase();
        let key_at = |at: usize| -> Option<usize> {
            if at > 0 && lower.as_bytes()[at - 1].is_ascii_alphanumeric() {
                return None;
            }
            SECRET_KEYS.iter().find_map(|key| {
                let after = lower.get(at..)?.strip_prefix(key.to_ascii_lowercase().as_str())?;
                let eq = after.trim_start_matches([' ', '\t']).strip_prefix('=')?;
                Some(text.len() - eq.len())
            })
        };
        let (mut out, mut at, mut copied) = (String::new(), 0, 0);
        while at < text.len() {
            let Some(after_eq) = text.is_char_boundary(at).then(|| key_at(at)).flatten() else {
                at += 1;
                continue;
            };
            let value = text[after_eq..].trim_start_matches([' ', '\t']);
            let start = text.len() - value.len();
            let quote = ["\\\"", "\"", "'"].into_iter().find(|q| value.starts_with(q));
            let (end, resume) = match quote {
                Some(q) => {
                    // The first quote that is not doubled closes the value.
                    let inner = &value[q.len()..];
                    let mut close = None;
                    let mut i = 0;
                    while i < inner.len() {
                        if inner[i..].starts_with(q) {
                            if inner[i + q.len()..].starts_with(q) {
                                i += 2 * q.len();
                                continue;
                            }
                            close = Some(i);
                            break;
                        }
                        i += inner[i..].chars().next().map_or(1, char::len_utf8);
                    }
                    match close {
                        Some(close) => (start + q.len() + close, start + q.len() + close + q.len()),
                        None => (text.len(), text.len()),
                    }
                }
                None => {
                    let mut end = start;
                    let mut chars = text[start..].chars();
                    while let Some(c) = chars.next() {
                        if matches!(c, ';' | '&' | '"' | '\'' | '\r' | '\n') {
                            break;
                        }
                        end += c.len_utf8();
                        if c == '\\' {
                            if let Some(escaped) = chars.next() {
                                end += escaped.len_utf8();
                            }
                        }
                    }
                    (end, end)
                }
            };
            let inner = start + quote.map_or(0, str::len);
            if end > inner {
                out.push_str(&text[copied..inner]);
                out.push_str("***");
                copied = end;
            }
            at = resume.max(at + 1);
        }
        out.push_str(&text[copied..]);
        out
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]
        #[test]
        fn masks_as_the_plain_search_does(
            text in "((AccountKey|accountkey|Pwd|sig|mysig|SharedAccessKey|x|é|=|;|&| |\t|'|`|\\\\|\"){0,12})",
        ) {
            prop_assert_eq!(mask(&text).into_owned(), reference(&text));
        }
    }
}
