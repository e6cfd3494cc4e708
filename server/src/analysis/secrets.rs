//! Secrets never leave the server: connection-string keys whose values are
//! credentials are masked wherever text from the user's files is shown
//! (the CLI's source lines, and later hover).

/// Keys whose values are secrets in Azure connection strings and SAS tokens.
const SECRET_KEYS: [&str; 8] =
    ["AccountKey", "SharedAccessKey", "SharedAccessSignature", "Password", "Pwd", "ClientSecret", "sig", "AccessKey"];

/// `text` with the value after every `SecretKey=` replaced by `***`, up to
/// the next `;`, `&`, quote or whitespace.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, key_len)) = find_secret_key(rest) {
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

/// The first `Key=` (ignoring case, at a word start) of a secret key: its
/// offset and the length of `Key=`.
fn find_secret_key(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    SECRET_KEYS
        .iter()
        .filter_map(|key| {
            let needle = format!("{}=", key.to_ascii_lowercase());
            let mut from = 0;
            while let Some(found) = lower[from..].find(&needle) {
                let at = from + found;
                let boundary = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
                if boundary {
                    return Some((at, needle.len()));
                }
                from = at + 1;
            }
            None
        })
        .min_by_key(|(at, _)| *at)
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
}
