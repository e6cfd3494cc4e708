//! Secrets never leave the server: connection-string keys whose values are
//! credentials are masked wherever text from the user's files is shown
//! (the CLI's source lines, and later hover).

use std::borrow::Cow;

/// Keys whose values are secrets in Azure connection strings and SAS tokens.
const SECRET_KEYS: [&str; 8] =
    ["AccountKey", "SharedAccessKey", "SharedAccessSignature", "Password", "Pwd", "ClientSecret", "sig", "AccessKey"];

/// `text` with the value after every `SecretKey=` replaced by `***`, up to
/// the next `;`, `&`, quote or whitespace. Borrowed when nothing is masked,
/// which is nearly always: most texts have no `=` at all.
pub fn mask(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    // `text[..copied]` is in `out`; a key must start at or after `rest`.
    let (mut copied, mut rest, mut from) = (0, 0, 0);
    while let Some(eq) = bytes[from..].iter().position(|&b| b == b'=').map(|i| from + i) {
        if !is_secret_key_before(bytes, rest, eq) {
            from = eq + 1;
            continue;
        }
        let value_start = eq + 1;
        let value_len =
            text[value_start..].find([';', '&', '"', '\'', ' ', '\t', '\r', '\n']).unwrap_or(text.len() - value_start);
        if value_len > 0 {
            out.push_str(&text[copied..value_start]);
            out.push_str("***");
            copied = value_start + value_len;
        }
        rest = value_start + value_len;
        from = rest;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Whether a secret key (ignoring case, at a word start no earlier than
/// `rest`) ends right before the `=` at `eq`.
fn is_secret_key_before(bytes: &[u8], rest: usize, eq: usize) -> bool {
    SECRET_KEYS.iter().any(|key| {
        let Some(at) = eq.checked_sub(key.len()).filter(|&at| at >= rest) else {
            return false;
        };
        bytes[at..eq].eq_ignore_ascii_case(key.as_bytes()) && (at == rest || !bytes[at - 1].is_ascii_alphanumeric())
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

    /// The first, plainly written masking: find the earliest `key=` by
    /// searching the lower-cased text for each key.
    fn reference(text: &str) -> String {
        let find = |text: &str| {
            let lower = text.to_ascii_lowercase();
            SECRET_KEYS
                .iter()
                .filter_map(|key| {
                    let needle = format!("{}=", key.to_ascii_lowercase());
                    let mut from = 0;
                    while let Some(found) = lower[from..].find(&needle) {
                        let at = from + found;
                        if at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric() {
                            return Some((at, needle.len()));
                        }
                        from = at + 1;
                    }
                    None
                })
                .min_by_key(|(at, _)| *at)
        };
        let (mut out, mut rest) = (String::new(), text);
        while let Some((at, key_len)) = find(rest) {
            let value_start = at + key_len;
            out.push_str(&rest[..value_start]);
            let value = &rest[value_start..];
            let value_len = value.find([';', '&', '"', '\'', ' ', '\t', '\r', '\n']).unwrap_or(value.len());
            if value_len > 0 {
                out.push_str("***");
            }
            rest = &value[value_len..];
        }
        out.push_str(rest);
        out
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]
        #[test]
        fn masks_as_the_plain_search_does(
            text in "((AccountKey|accountkey|Pwd|sig|mysig|SharedAccessKey|x|é|=|;|&| |\"){0,12})",
        ) {
            prop_assert_eq!(mask(&text).into_owned(), reference(&text));
        }
    }
}
