//! Which rules run and at what severity: per-rule overrides from the editor's
//! settings, `--select`/`--ignore` from the command line. Selectors are codes
//! or code prefixes (`H0`, `L01`, `P`); the longest matching one wins. A
//! selector that matches no rule is reported, never silently ignored.

use serde_json::Value;

use crate::analysis::registry::{self, Severity};
use crate::analysis::{Diagnostic, FileReport};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleConfig {
    /// `(selector, level)`, selectors upper-cased.
    overrides: Vec<(String, Level)>,
    /// When set, only rules matching one of these run.
    select: Option<Vec<String>>,
}

/// A selector matches a code when the code starts with it.
fn matches(selector: &str, code: &str) -> bool {
    code.len() >= selector.len() && code[..selector.len()].eq_ignore_ascii_case(selector)
}

fn is_known_selector(selector: &str) -> bool {
    !selector.is_empty() && registry::RULES.iter().any(|rule| matches(selector, rule.code))
}

impl RuleConfig {
    /// From `--select` and `--ignore` lists (each item a code or prefix,
    /// comma-separated lists allowed). Errors name the unknown selectors.
    pub fn from_cli(select: &[String], ignore: &[String]) -> Result<RuleConfig, String> {
        let split = |items: &[String]| -> Vec<String> {
            items
                .iter()
                .flat_map(|i| i.split(','))
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty())
                .collect()
        };
        for (flag, items) in [("--select", select), ("--ignore", ignore)] {
            if !items.is_empty() && split(items).is_empty() {
                return Err(format!("{flag} names no rule: give codes or prefixes, e.g. {flag} H006"));
            }
        }
        let (select, ignore) = (split(select), split(ignore));
        let unknown: Vec<&String> = select.iter().chain(&ignore).filter(|s| !is_known_selector(s)).collect();
        if !unknown.is_empty() {
            let list: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
            return Err(format!("no rule matches {}; `durable-lsp rules` lists them", list.join(", ")));
        }
        Ok(RuleConfig {
            overrides: ignore.into_iter().map(|s| (s, Level::Off)).collect(),
            select: (!select.is_empty()).then_some(select),
        })
    }

    /// From editor settings: `{"rules": {"H006": "off", "L0": "warning"}}`,
    /// also accepted inside a `durableLsp` section. Returns the config and
    /// one message per entry it could not use.
    pub fn from_settings(settings: &Value) -> (RuleConfig, Vec<String>) {
        let settings = settings.get("durableLsp").unwrap_or(settings);
        let mut config = RuleConfig::default();
        let mut problems = Vec::new();
        let Some(rules) = settings.get("rules") else { return (config, problems) };
        // Lua (Neovim) sends an empty table as `[]`: that is no rules, not a mistake.
        if rules.as_array().is_some_and(Vec::is_empty) || rules.is_null() {
            return (config, problems);
        }
        let Some(rules) = rules.as_object() else {
            problems.push("durableLsp.rules must be an object such as {\"H006\": \"off\"}".to_string());
            return (config, problems);
        };
        for (selector, level) in rules {
            let selector = selector.trim().to_ascii_uppercase();
            if !is_known_selector(&selector) {
                problems.push(format!("durableLsp.rules: no rule matches \"{selector}\""));
                continue;
            }
            let level = match level.as_str().map(str::to_ascii_lowercase).as_deref() {
                Some("off" | "none" | "ignore") => Level::Off,
                Some("error") => Level::On(Severity::Error),
                Some("warning") => Level::On(Severity::Warning),
                Some("information" | "info") => Level::On(Severity::Information),
                Some("hint") => Level::On(Severity::Hint),
                _ => {
                    problems.push(format!("durableLsp.rules.{selector}: use \"error\", \"warning\", \"information\", \"hint\" or \"off\", not {level}"));
                    continue;
                }
            };
            config.overrides.push((selector, level));
        }
        (config, problems)
    }

    /// The level for `code`, or `None` to keep the rule's own severity.
    fn level(&self, code: &str) -> Option<Level> {
        if let Some(select) = &self.select {
            if !select.iter().any(|s| matches(s, code)) {
                return Some(Level::Off);
            }
        }
        self.overrides.iter().filter(|(s, _)| matches(s, code)).max_by_key(|(s, _)| s.len()).map(|(_, level)| *level)
    }

    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self == &RuleConfig::default() {
            return;
        }
        diagnostics.retain_mut(|d| match self.level(d.code) {
            Some(Level::Off) => false,
            Some(Level::On(severity)) => {
                d.severity = severity;
                true
            }
            None => true,
        });
    }

    pub fn apply_to_reports(&self, reports: &mut [FileReport]) {
        for report in reports {
            self.apply(&mut report.diagnostics);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diagnostic(code: &'static str) -> Diagnostic {
        let rule = registry::rule(code).unwrap();
        Diagnostic {
            path: std::path::Path::new("host.json").into(),
            range: Default::default(),
            code: rule.code,
            severity: rule.severity,
            message: String::new(),
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    #[test]
    fn the_longest_selector_wins_and_off_removes() {
        let (config, problems) = RuleConfig::from_settings(
            &json!({"durableLsp": {"rules": {"H": "hint", "H00": "off", "H003": "warning"}}}),
        );
        assert!(problems.is_empty(), "{problems:?}");
        let mut found = vec![diagnostic("H001"), diagnostic("H003"), diagnostic("H014"), diagnostic("L001")];
        config.apply(&mut found);
        let got: Vec<_> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(got, [("H003", Severity::Warning), ("H014", Severity::Hint), ("L001", Severity::Error)]);
    }

    #[test]
    fn an_empty_lua_table_is_no_rules() {
        let (config, problems) = RuleConfig::from_settings(&json!({"durableLsp": {"rules": []}}));
        assert!(problems.is_empty());
        assert_eq!(config, RuleConfig::default());
    }

    #[test]
    fn unknown_selectors_and_levels_are_reported() {
        let (_, problems) = RuleConfig::from_settings(&json!({"rules": {"X123": "off", "H001": "loud"}}));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(RuleConfig::from_cli(&["H0,Q9".into()], &[]).unwrap_err().contains("Q9"));
        let config = RuleConfig::from_cli(&["h".into()], &["H002".into()]).unwrap();
        let mut found = vec![diagnostic("H001"), diagnostic("H002"), diagnostic("L001")];
        config.apply(&mut found);
        assert_eq!(found.iter().map(|d| d.code).collect::<Vec<_>>(), ["H001"]);
    }
}
