//! The rule registry: stable codes (../shared/rules.md), default severities,
//! and each rule's documentation, written once in docs/rules/CODE.md and
//! compiled in. `durable-lsp rules`, the diagnostics and the docs all read it.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The published rule pages (the repository's docs/rules folder).
pub const DOCS_URL: &str = "https://github.com/durable-lsp/durable-lsp/blob/main/docs/rules/";

#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// The rule's documentation page, Markdown, starting `# CODE: title`.
    pub doc: &'static str,
}

impl Rule {
    pub fn title(&self) -> &'static str {
        let first = self.doc.lines().next().unwrap_or_default();
        first.trim_start_matches('#').trim().strip_prefix(self.code).map_or(first, |t| t.trim_start_matches(':').trim())
    }

    /// Where the page is published: what diagnostics link to.
    pub fn doc_url(&self) -> String {
        format!("{DOCS_URL}{}.md", self.code)
    }
}

macro_rules! rules {
    ($($code:literal $severity:ident,)*) => {
        pub static RULES: &[Rule] = &[
            $(Rule {
                code: $code,
                severity: Severity::$severity,
                doc: include_str!(concat!("../../../docs/rules/", $code, ".md")),
            },)*
        ];
    };
}

rules! {
    "H001" Error,
    "H002" Warning,
    "H003" Error,
    "H004" Error,
    "H005" Warning,
    "H006" Information,
    "H007" Error,
    "H008" Error,
    "H009" Error,
    "H010" Warning,
    "H011" Information,
    "H012" Warning,
    "H013" Information,
    "H014" Warning,
    "H015" Warning,
    "H016" Warning,
    "H017" Warning,
    "H018" Warning,
    "H019" Warning,
    "H020" Error,
    "H021" Warning,
    "H022" Warning,
    "H023" Warning,
    "H024" Warning,
    "H025" Warning,
    "H026" Error,
    "H027" Information,
    "L001" Error,
    "L002" Error,
    "L003" Error,
    "L004" Warning,
    "L005" Error,
    "L006" Warning,
    "L007" Warning,
    "L008" Warning,
    "L009" Information,
    "L010" Error,
    "L011" Error,
    "L012" Error,
    "L013" Warning,
    "L014" Error,
    "L015" Warning,
    "L016" Warning,
    "L017" Information,
    "L018" Warning,
    "L019" Information,
    "L020" Warning,
    "L021" Information,
    "L022" Warning,
    "L023" Error,
    "L024" Information,
    "L025" Warning,
    "P001" Error,
    "P002" Error,
    "P003" Error,
    "P004" Warning,
    "P005" Warning,
    "P006" Error,
    "P007" Warning,
    "P008" Warning,
    "P009" Warning,
    "P010" Information,
    "P011" Warning,
    "P012" Warning,
    "P013" Warning,
    "P014" Hint,
}

pub fn rule(code: &str) -> Option<&'static Rule> {
    index(code).map(|i| &RULES[i])
}

/// A rule's place in `RULES`, found in any case. `RULES` is sorted by code
/// (a test keeps it so): this runs once per diagnostic.
pub fn index(code: &str) -> Option<usize> {
    RULES.binary_search_by(|r| r.code.bytes().cmp(code.bytes().map(|b| b.to_ascii_uppercase()))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_upper_case_codes_and_found_in_any_case() {
        assert!(RULES.windows(2).all(|pair| pair[0].code < pair[1].code), "RULES must stay sorted by code");
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.code, rule.code.to_ascii_uppercase());
            assert_eq!(index(rule.code), Some(i));
            assert_eq!(index(&rule.code.to_ascii_lowercase()), Some(i));
        }
        assert_eq!(index("H000"), None);
        assert_eq!(index(""), None);
        assert_eq!(index("h0011"), None);
    }

    #[test]
    fn every_rule_has_a_page_that_agrees_with_the_registry() {
        for rule in RULES {
            assert!(rule.doc.starts_with(&format!("# {}: ", rule.code)), "{} page heading", rule.code);
            assert!(!rule.title().is_empty());
            let severity_line = format!("Severity: {}", rule.severity);
            assert!(
                rule.doc.lines().any(|l| l.trim() == severity_line),
                "{}: page must say `{severity_line}`",
                rule.code
            );
        }
    }
}
