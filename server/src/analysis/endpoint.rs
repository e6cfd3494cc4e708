//! The `Endpoint` of a DTS connection string: just enough URL parsing to tell
//! whether it is a URL at all, whether it is the local emulator, and its
//! scheme and port (knowledge.md 3.1: no scheme means `https://`).

/// Hosts that are this machine, where the emulator runs (rules.md L016).
const LOCAL_HOSTS: [&str; 4] = ["localhost", "127.0.0.1", "[::1]", "host.docker.internal"];

#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint<'a> {
    /// The scheme as written, lower-cased comparisons are the caller's.
    pub scheme: Option<&'a str>,
    pub host: &'a str,
    pub port: Option<u16>,
    /// Byte offset of the port's digits within the value, for precise ranges.
    pub port_offset: Option<usize>,
}

impl Endpoint<'_> {
    pub fn is_local(&self) -> bool {
        LOCAL_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(self.host))
    }

    pub fn is_http(&self) -> bool {
        self.scheme.is_some_and(|s| s.eq_ignore_ascii_case("http"))
    }
}

/// Parses an endpoint, or says why it is not a URL.
pub fn parse(value: &str) -> Result<Endpoint<'_>, &'static str> {
    if value.trim().is_empty() {
        return Err("it is empty");
    }
    if value.chars().any(char::is_whitespace) {
        return Err("it contains spaces");
    }
    let (scheme, rest, rest_offset) = match value.find("://") {
        Some(at) => {
            let scheme = &value[..at];
            if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
                return Err("its scheme is not valid");
            }
            (Some(scheme), &value[at + 3..], at + 3)
        }
        None => (None, value, 0),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let (authority, authority_offset) = match authority.rfind('@') {
        Some(at) => (&authority[at + 1..], rest_offset + at + 1),
        None => (authority, rest_offset),
    };
    let (host, port_text) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or("its IPv6 host has no closing `]`")?;
        let after = &authority[close + 1..];
        (&authority[..=close], after.strip_prefix(':').map(|p| (p, close + 2)))
    } else {
        match authority.rfind(':') {
            Some(at) => (&authority[..at], Some((&authority[at + 1..], at + 1))),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("it has no host name");
    }
    if !host.starts_with('[') && !host.chars().all(|c| c.is_alphanumeric() || "-._".contains(c)) {
        return Err("its host name has characters a host name cannot have");
    }
    let (port, port_offset) = match port_text {
        None => (None, None),
        Some((digits, offset)) => match digits.parse::<u16>() {
            Ok(port) if port > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => {
                (Some(port), Some(authority_offset + offset))
            }
            _ => return Err("its port is not a number from 1 to 65535"),
        },
    };
    Ok(Endpoint { scheme, host, port, port_offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cloud_emulator_and_bare_hosts() {
        let emulator = parse("http://localhost:8080").unwrap();
        assert!(emulator.is_local() && emulator.is_http());
        assert_eq!((emulator.port, emulator.port_offset), (Some(8080), Some(17)));
        let cloud = parse("https://mysched.westus2.durabletask.io").unwrap();
        assert!(!cloud.is_local() && !cloud.is_http());
        assert_eq!(parse("mysched.westus2.durabletask.io").unwrap().scheme, None);
        assert!(parse("http://[::1]:8082/").unwrap().is_local());
        assert!(parse("HTTP://Host.Docker.Internal:8080").unwrap().is_local());
    }

    #[test]
    fn explains_what_is_not_a_url() {
        for bad in [
            "",
            "http://",
            "http://local host:8080",
            "http://localhost:80a",
            "http://localhost:0",
            "://x",
            "http://a^b",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
