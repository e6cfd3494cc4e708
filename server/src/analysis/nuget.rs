//! NuGet versions, floating versions and ranges, compared as NuGet does.
//!
//! SemVer 2 with up to four numeric parts (`1.2.3.4`), prerelease labels
//! (`1.0.0-alpha.2`, lower than the release), build metadata ignored.
//! Floating versions (`1.*`, `1.2.*-*`, `*`) and ranges (`[1.2.2, )`,
//! `(,2.0)`, `[4.*, 5.0.0)`). The question the rules ask is "can this
//! reference or bundle range resolve to at least version M?".

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Debug)]
pub struct Version {
    /// Major, minor, patch, revision.
    pub parts: [u64; 4],
    /// Prerelease labels, without the `-`; empty for a release.
    pub prerelease: Vec<String>,
}

impl Version {
    pub fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version { parts: [major, minor, patch, 0], prerelease: Vec::new() }
    }

    pub fn is_prerelease(&self) -> bool {
        !self.prerelease.is_empty()
    }

    pub fn major(&self) -> u64 {
        self.parts[0]
    }

    /// Parses a NuGet version: 1 to 4 numeric parts, an optional
    /// `-prerelease` and `+metadata`.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.split_once('+').map_or(text, |(v, meta)| if meta.is_empty() { "" } else { v });
        let (numbers, prerelease) = match text.split_once('-') {
            Some((numbers, labels)) => (numbers, Some(labels)),
            None => (text, None),
        };
        let mut parts = [0u64; 4];
        for (index, piece) in numbers.split('.').enumerate() {
            if index == 4 || piece.is_empty() || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts[index] = piece.parse().ok()?;
        }
        let prerelease = match prerelease {
            None => Vec::new(),
            Some(labels) => {
                let labels: Vec<String> = labels.split('.').map(str::to_string).collect();
                let valid = |l: &String| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !labels.iter().all(valid) {
                    return None;
                }
                labels
            }
        };
        Some(Version { parts, prerelease })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| match (self.prerelease.is_empty(), other.prerelease.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_labels(&self.prerelease, &other.prerelease),
        })
    }
}

/// Equal exactly when the order says so: labels ignore case, as in NuGet.
impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// SemVer 2 label order: numeric labels compare as numbers and sort before
/// alphanumeric ones; text compares ignoring case (as NuGet does); a shorter
/// list that is a prefix of a longer one sorts first.
fn compare_labels(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [major, minor, patch, revision] = self.parts;
        write!(f, "{major}.{minor}.{patch}")?;
        if revision != 0 {
            write!(f, ".{revision}")?;
        }
        if !self.prerelease.is_empty() {
            write!(f, "-{}", self.prerelease.join("."))?;
        }
        Ok(())
    }
}

/// One end of a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bound {
    pub version: Version,
    pub inclusive: bool,
}

/// A version range as NuGet reads `Version` attributes and bundle ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRange {
    pub min: Option<Bound>,
    pub max: Option<Bound>,
    /// For a floating version, the exclusive ceiling the float stays under
    /// (`1.*` floats within 1.x, so below 2.0.0); `None` for `*` or a fixed version.
    pub float_ceiling: Option<Version>,
    pub floating: bool,
    /// Written as an interval in brackets.
    pub interval: bool,
}

impl VersionRange {
    /// Parses a plain version (a minimum), a floating version, or an
    /// interval `[a, b)`. `None` when the text is none of those.
    pub fn parse(text: &str) -> Option<VersionRange> {
        let text = text.trim();
        let first = text.chars().next()?;
        if first != '[' && first != '(' {
            let (min, float_ceiling, floating) = parse_floating(text)?;
            return Some(VersionRange {
                min: Some(Bound { version: min, inclusive: true }),
                max: None,
                float_ceiling,
                floating,
                interval: false,
            });
        }
        let last = text.chars().last()?;
        if text.len() < 2 || (last != ']' && last != ')') {
            return None;
        }
        let (min_inclusive, max_inclusive) = (first == '[', last == ']');
        let inner = &text[1..text.len() - 1];
        let Some((low, high)) = inner.split_once(',') else {
            // `[1.0]` is exactly 1.0; `(1.0)` means nothing.
            let version = Version::parse(inner)?;
            if !(min_inclusive && max_inclusive) {
                return None;
            }
            let bound = Bound { version, inclusive: true };
            return Some(VersionRange {
                min: Some(bound.clone()),
                max: Some(bound),
                float_ceiling: None,
                floating: false,
                interval: true,
            });
        };
        if high.contains(',') {
            return None;
        }
        let (low, high) = (low.trim(), high.trim());
        if low.is_empty() && high.is_empty() {
            return None;
        }
        let mut range = VersionRange { min: None, max: None, float_ceiling: None, floating: false, interval: true };
        if !low.is_empty() {
            let (version, ceiling, floating) = parse_floating(low)?;
            range.min = Some(Bound { version, inclusive: min_inclusive });
            range.float_ceiling = ceiling;
            range.floating = floating;
        }
        if !high.is_empty() {
            range.max = Some(Bound { version: Version::parse(high)?, inclusive: max_inclusive });
        }
        if let (Some(min), Some(max)) = (&range.min, &range.max) {
            let empty = match min.version.cmp(&max.version) {
                Ordering::Greater => true,
                Ordering::Equal => !(min.inclusive && max.inclusive),
                Ordering::Less => false,
            };
            if empty {
                return None;
            }
        }
        Some(range)
    }

    /// Can a version at least `minimum` satisfy this range? (A floating
    /// `1.*` can reach 1.2.2; `[1.0, 1.2)` cannot.)
    pub fn can_reach(&self, minimum: &Version) -> bool {
        let under_max = match &self.max {
            None => true,
            Some(max) if max.inclusive => *minimum <= max.version,
            Some(max) => *minimum < max.version,
        };
        let under_float = self.float_ceiling.as_ref().is_none_or(|ceiling| minimum < ceiling);
        under_max && under_float
    }

    /// Does this reference fall short of `minimum`? A plain version (`1.1.0`)
    /// restores exactly that version when it exists; a floating version
    /// resolves to the highest it allows (knowledge.md 4); an interval
    /// satisfies a minimum when its upper end can reach it (rules.md).
    pub fn resolves_below(&self, minimum: &Version) -> bool {
        if self.floating || self.interval {
            return !self.can_reach(minimum);
        }
        self.min.as_ref().is_some_and(|min| min.version < *minimum)
    }
}

/// A version that may float: `1.*`, `1.2.*`, `*`, `1.0.0-*`, `1.0.0-beta*`,
/// `1.*-*`. Returns the lowest version it allows, the ceiling it floats under,
/// and whether it floats at all.
fn parse_floating(text: &str) -> Option<(Version, Option<Version>, bool)> {
    if !text.contains('*') {
        return Some((Version::parse(text)?, None, false));
    }
    let (numbers, label) = match text.split_once('-') {
        Some((numbers, label)) => (numbers, Some(label)),
        None => (text, None),
    };
    if let Some(label) = label {
        // Only a trailing `*` may float a label: `-*`, `-beta*`, `-beta.*`.
        let stem = label.strip_suffix('*')?;
        if stem.contains('*') || !stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
            return None;
        }
    }
    if numbers == "*" {
        return Some((Version::new(0, 0, 0), None, true));
    }
    let pieces: Vec<&str> = numbers.split('.').collect();
    let star = pieces.iter().position(|p| p.contains('*'));
    let mut parts = [0u64; 4];
    match star {
        Some(at) => {
            // `*` must be a whole, last numeric part: `1.*`, `1.2.*`.
            if at + 1 != pieces.len() || pieces[at] != "*" || at == 0 || at > 3 {
                return None;
            }
            for (i, piece) in pieces[..at].iter().enumerate() {
                if piece.is_empty() || !piece.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                parts[i] = piece.parse().ok()?;
            }
            let mut ceiling = parts;
            ceiling[at - 1] += 1;
            let prerelease = if label.is_some() { vec!["0".to_string()] } else { Vec::new() };
            let low = Version { parts, prerelease };
            Some((low, Some(Version { parts: ceiling, prerelease: vec!["0".to_string()] }), true))
        }
        None => {
            // Only the label floats: `1.0.0-*` stays at 1.0.0 and its prereleases.
            let version = Version::parse(numbers)?;
            let mut ceiling = version.clone();
            ceiling.prerelease.clear();
            ceiling.parts[3] += 1;
            let low = Version { parts: version.parts, prerelease: vec!["0".to_string()] };
            Some((low, Some(ceiling), true))
        }
    }
}

/// A valid NuGet package id: letters, digits and `_`, joined by `.`, `-` or
/// `_`, at most 100 characters.
pub fn is_valid_package_id(id: &str) -> bool {
    if id.is_empty() || id.len() > 100 {
        return false;
    }
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '_');
    id.split(['.', '-']).all(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn versions_order_as_nuget_orders_them() {
        let ordered = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.0.1",
            "1.0.1",
            "1.2.2",
            "1.10.0",
            "2.0.0",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0.0+build.5"), v("1.0.0"));
        assert_eq!(v("1.0.0-ALPHA").cmp(&v("1.0.0-alpha")), Ordering::Equal);
        for bad in ["", "1.", "a.b", "1.2.3.4.5", "1.0-", "1..0", "1.0.0-be ta", "v1.0"] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ranges_and_floats_answer_can_reach() {
        let reach = |range: &str, minimum: &str| VersionRange::parse(range).unwrap().can_reach(&v(minimum));
        assert!(reach("[4.*, 5.0.0)", "4.30.0"));
        assert!(!reach("[3.*, 4.0.0)", "4.30.0"));
        assert!(!reach("[4.0.0, 4.20.0)", "4.30.0"));
        assert!(reach("[4.0.0, 4.30.0]", "4.30.0"));
        assert!(!reach("[4.0.0, 4.30.0)", "4.30.0"));
        assert!(reach("1.*", "1.2.2"));
        assert!(!reach("1.*", "2.0.0"));
        assert!(reach("1.1.0", "1.2.2"), "a plain version is a minimum");
        assert!(reach("*", "99.0.0"));
        assert!(!reach("1.2.*", "1.3.0"));
        assert!(reach("[1.2.2, )", "1.2.2"));
        assert!(!reach("(,1.2.2)", "1.2.2"));
        assert!(!reach("0.4.0-*", "1.0.0"));
    }

    #[test]
    fn plain_versions_resolve_to_themselves_floats_and_intervals_to_what_they_can_reach() {
        let below = |range: &str, minimum: &str| VersionRange::parse(range).unwrap().resolves_below(&v(minimum));
        assert!(below("1.1.0", "1.2.2"));
        assert!(!below("1.2.2", "1.2.2"));
        assert!(!below("[1.0, )", "1.2.2"), "an interval whose upper end can reach the minimum satisfies it");
        assert!(below("[1.0, 1.2)", "1.2.2"));
        assert!(below("[1.0]", "1.2.2"));
        assert!(!below("1.*", "1.2.2"));
        assert!(below("0.*", "1.0.0"));
        assert!(below("0.3.0-alpha", "1.0.0"));
        assert!(!below("*", "1.0.0"));
        assert!(below("(,1.0)", "1.0.0"));
    }

    #[test]
    fn invalid_ranges_are_rejected() {
        for bad in [
            "",
            "[",
            "[]",
            "[,]",
            "(1.0)",
            "[2.0, 1.0]",
            "[1.0, 1.0)",
            "[1.0, 2.0, 3.0]",
            "1.*.3",
            "*.1",
            "[4.*, 5.*)",
            "1.0-be*ta",
            "4.x",
            "[4.*, 5.0.0",
        ] {
            assert!(VersionRange::parse(bad).is_none(), "{bad:?}");
        }
        for good in ["[1.0]", "1.*", "1.2.*-*", "*-*", "1.0.0-beta*", "(,2.0)", "[1.2.2, )", " [4.*, 5.0.0) "] {
            assert!(VersionRange::parse(good).is_some(), "{good:?}");
        }
    }

    #[test]
    fn package_ids() {
        assert!(is_valid_package_id("Microsoft.Azure.Functions.ExtensionBundle"));
        assert!(is_valid_package_id("Contrib.Grpc.Core.M1"));
        assert!(!is_valid_package_id("Microsoft..Bundle"));
        assert!(!is_valid_package_id("has space"));
        assert!(!is_valid_package_id(""));
    }
}
