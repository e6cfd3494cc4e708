//! Property tests for the parsers: they never panic, every range lies inside
//! the text on character boundaries, values round-trip, and the JSONC parser
//! agrees with jsonc-parser (strict options: comments and trailing commas
//! only) on every input either of them accepts.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use durable_lsp::analysis::nuget::Version;
use durable_lsp::syntax::{connection_string, jsonc, xml};
use durable_lsp::text::TextRange;
use proptest::prelude::*;
use serde_json::{Map, Value as J};

/// A comparable value: numbers as their source text, duplicate keys last-wins.
fn ours(text: &str, value: &jsonc::Value) -> J {
    match &value.kind {
        jsonc::ValueKind::Object(object) => {
            let mut map = Map::new();
            for member in &object.members {
                let value = member.value.as_ref().map_or(J::String("<missing>".into()), |v| ours(text, v));
                map.insert(member.key.value.clone(), value);
            }
            J::Object(map)
        }
        jsonc::ValueKind::Array(array) => J::Array(array.elements.iter().map(|e| ours(text, &e.value)).collect()),
        jsonc::ValueKind::String(s) => J::String(s.value.clone()),
        jsonc::ValueKind::Number(_) => J::String(format!("#{}", &text[value.range.start..value.range.end])),
        jsonc::ValueKind::Bool(b) => J::Bool(*b),
        jsonc::ValueKind::Null => J::Null,
        jsonc::ValueKind::Error => J::String("<error>".into()),
    }
}

fn oracle_value(value: jsonc_parser::JsonValue<'_>) -> J {
    use jsonc_parser::JsonValue as V;
    match value {
        V::Object(object) => {
            J::Object(object.into_iter().map(|(k, v)| (k.to_string(), oracle_value(v))).collect::<Map<_, _>>())
        }
        V::Array(array) => J::Array(array.take_inner().into_iter().map(oracle_value).collect()),
        V::String(s) => J::String(s.into_owned()),
        V::Number(n) => J::String(format!("#{n}")),
        V::Boolean(b) => J::Bool(b),
        V::Null => J::Null,
    }
}

fn strict_options() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// The oracle's reading. A leading byte order mark is legal in the files the
/// host reads (and we skip it); the oracle refuses it, so it sees the text after.
fn oracle(text: &str) -> Option<J> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match jsonc_parser::parse_to_value(text, &strict_options()) {
        Ok(Some(value)) => Some(oracle_value(value)),
        _ => None,
    }
}

fn assert_range(text: &str, range: TextRange) {
    assert!(range.start <= range.end && range.end <= text.len(), "{range:?} outside {} bytes", text.len());
    assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{range:?} splits a character");
}

fn check_json_ranges(text: &str, doc: &jsonc::JsonDocument) {
    doc.errors.iter().for_each(|e| assert_range(text, e.range));
    doc.comments.iter().for_each(|c| assert_range(text, c.range));
    doc.trailing_commas.iter().for_each(|c| assert_range(text, *c));
    let mut stack: Vec<&jsonc::Value> = doc.root.iter().collect();
    while let Some(value) = stack.pop() {
        assert_range(text, value.range);
        match &value.kind {
            jsonc::ValueKind::Object(object) => {
                for member in &object.members {
                    assert_range(text, member.key.range);
                    assert_range(text, member.key.content());
                    stack.extend(member.value.as_ref());
                }
            }
            jsonc::ValueKind::Array(array) => stack.extend(array.elements.iter().map(|e| &e.value)),
            jsonc::ValueKind::String(s) => {
                assert_range(text, s.content());
                for offset in 0..=s.value.len() {
                    let mapped = s.source_offset(text, offset);
                    assert!(mapped >= s.content().start && mapped <= s.content().end);
                }
            }
            _ => {}
        }
    }
}

/// JSON values of a few levels, with keys and strings that need escaping.
fn json_value() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i32>().prop_map(J::from),
        (-1.0e6f64..1.0e6).prop_map(J::from),
        "[a-zA-Z0-9 _%:;=\"\\\\/\u{0}-\u{1f}é😀]{0,12}".prop_map(J::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            prop::collection::vec(("[a-zA-Z_\"é😀]{0,8}", inner), 0..6)
                .prop_map(|members| J::Object(members.into_iter().collect())),
        ]
    })
}

/// Serialises `value` with comments, odd whitespace and trailing commas.
fn jsonc_text(value: &J, decorate: &mut impl Iterator<Item = u8>, out: &mut String) {
    let gap = |out: &mut String, decorate: &mut dyn Iterator<Item = u8>| match decorate.next().unwrap_or(0) % 6 {
        0 => out.push(' '),
        1 => out.push_str("\r\n\t"),
        2 => out.push_str("/* c */"),
        3 => out.push_str("// line\n"),
        _ => {}
    };
    match value {
        J::Object(map) => {
            out.push('{');
            for (i, (key, value)) in map.iter().enumerate() {
                gap(out, decorate);
                out.push_str(&serde_json::to_string(key).unwrap());
                gap(out, decorate);
                out.push(':');
                jsonc_text(value, decorate, out);
                if i + 1 < map.len() || decorate.next().unwrap_or(0) % 3 == 0 {
                    out.push(',');
                }
            }
            gap(out, decorate);
            out.push('}');
        }
        J::Array(items) => {
            out.push('[');
            for (i, value) in items.iter().enumerate() {
                jsonc_text(value, decorate, out);
                if i + 1 < items.len() || decorate.next().unwrap_or(0) % 3 == 0 {
                    out.push(',');
                }
                gap(out, decorate);
            }
            out.push(']');
        }
        other => {
            gap(out, decorate);
            out.push_str(&serde_json::to_string(other).unwrap());
            gap(out, decorate);
        }
    }
}

/// Turns numbers into the comparable `#text` form serde_json writes them in.
fn normalise_numbers(value: &J) -> J {
    match value {
        J::Number(n) => J::String(format!("#{n}")),
        J::Array(items) => J::Array(items.iter().map(normalise_numbers).collect()),
        J::Object(map) => J::Object(map.iter().map(|(k, v)| (k.clone(), normalise_numbers(v))).collect()),
        other => other.clone(),
    }
}

/// Text near JSON: fragments of host.json-like documents glued at random.
fn jsonish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"version\"".to_string()),
        Just("\"2.0\"".to_string()),
        Just("\"a\\u00e9\\n\"".to_string()),
        Just("\"unterminated".to_string()),
        Just("// c\n".to_string()),
        Just("/* c */".to_string()),
        Just("/*".to_string()),
        Just("1.5e3".to_string()),
        Just("-0".to_string()),
        Just("01".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("word".to_string()),
        Just("'single'".to_string()),
        Just(" \r\n\t".to_string()),
        Just("😀".to_string()),
        Just("\u{feff}".to_string()),
        Just("\\".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn jsonc_round_trips_decorated_values(value in json_value(), decoration in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut text = String::new();
        jsonc_text(&value, &mut decoration.into_iter().cycle(), &mut text);
        let doc = jsonc::parse(&text);
        prop_assert!(doc.errors.is_empty(), "{:?} in {}", doc.errors, text);
        check_json_ranges(&text, &doc);
        let parsed = ours(&text, doc.root.as_ref().unwrap());
        prop_assert_eq!(&parsed, &normalise_numbers(&value));
        prop_assert_eq!(Some(parsed), oracle(&text));
    }

    #[test]
    fn jsonc_agrees_with_the_oracle_and_never_panics(text in jsonish()) {
        let doc = jsonc::parse(&text);
        check_json_ranges(&text, &doc);
        let reference = oracle(&text);
        match (&reference, doc.errors.is_empty()) {
            (Some(expected), true) => prop_assert_eq!(&ours(&text, doc.root.as_ref().unwrap()), expected),
            // jsonc-parser takes a raw line break inside a string; RFC 8259 does
            // not, and neither do we (the string ends there, unterminated).
            (Some(_), false) if doc.errors.iter().any(|e| {
                e.message.starts_with("Unterminated string") && text[e.range.end..].starts_with(['\n', '\r'])
            }) => {}
            (Some(_), false) => prop_assert!(false, "oracle accepts, we report {:?} for {:?}", doc.errors, text),
            (None, true) => prop_assert!(false, "we accept what the oracle rejects: {:?}", text),
            (None, false) => {}
        }
    }

    #[test]
    fn jsonc_never_panics_on_any_text(text in "\\PC{0,200}") {
        let doc = jsonc::parse(&text);
        check_json_ranges(&text, &doc);
    }

    #[test]
    fn xml_never_panics_and_keeps_ranges_inside(text in "[<>/=\"' a-zA-Z!?&;\\-\u{feff}é\n]{0,160}") {
        let doc = xml::parse(&text);
        doc.errors.iter().for_each(|e| assert_range(&text, e.range));
        if let Some(root) = &doc.root {
            for element in std::iter::once(root).chain(root.descendants()) {
                assert_range(&text, element.range);
                assert_range(&text, element.name_range);
                assert_range(&text, element.text_range);
                element.attributes.iter().for_each(|a| { assert_range(&text, a.value_range); assert_range(&text, a.name_range) });
            }
        }
    }

    #[test]
    fn xml_round_trips_package_references(items in prop::collection::vec(("[A-Za-z][A-Za-z.]{0,20}", "[0-9]{1,2}\\.[0-9]{1,2}(-[a-z]{1,5})?", any::<bool>()), 0..8)) {
        let mut text = String::from("<Project Sdk=\"Microsoft.NET.Sdk\">\r\n  <ItemGroup>\r\n");
        for (id, version, as_element) in &items {
            if *as_element {
                text.push_str(&format!("    <PackageReference Include=\"{id}\">\n      <Version> {version} </Version>\n    </PackageReference>\n"));
            } else {
                text.push_str(&format!("    <PackageReference Include=\"{id}\" Version=\"{version}\" />\n"));
            }
        }
        text.push_str("  </ItemGroup>\n</Project>\n");
        let doc = xml::parse(&text);
        prop_assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        let project = durable_lsp::analysis::dotnet::Project::read("a.csproj", &doc);
        prop_assert_eq!(project.references.len(), items.len());
        for (reference, (id, version, _)) in project.references.iter().zip(&items) {
            prop_assert_eq!(&reference.id, id);
            prop_assert_eq!(&text[reference.id_range.start..reference.id_range.end], id.as_str());
            let (found, range) = reference.version.clone().unwrap();
            prop_assert_eq!(&found, version);
            prop_assert_eq!(&text[range.start..range.end], version.as_str());
        }
    }

    #[test]
    fn connection_strings_round_trip(pairs in prop::collection::vec(("[A-Za-z][A-Za-z ]{0,10}[A-Za-z]", "[^;'\"=][^;'\"]{0,19}|", 0u8..3), 0..6)) {
        let text: Vec<String> = pairs.iter().map(|(key, value, quoting)| match quoting {
            0 => format!("{key}={value}"),
            1 => format!(" {key} = \"{}\" ", value.replace('"', "\"\"")),
            _ => format!("{key}='{value};x'"),
        }).collect();
        let text = text.join(";");
        let parsed = connection_string::parse(&text);
        prop_assert!(parsed.errors.is_empty(), "{:?} in {:?}", parsed.errors, text);
        prop_assert_eq!(parsed.pairs.len(), pairs.len());
        for (pair, (key, value, quoting)) in parsed.pairs.iter().zip(&pairs) {
            prop_assert_eq!(&pair.key, key);
            let expected = match quoting { 0 => value.trim().to_string(), 1 => value.clone(), _ => format!("{value};x") };
            prop_assert_eq!(&pair.value, &expected);
            assert_range(&text, pair.key_range);
            assert_range(&text, pair.value_range);
        }
    }

    #[test]
    fn connection_strings_never_panic(text in "[a-zA-Z=;'\" é😀]{0,80}") {
        let parsed = connection_string::parse(&text);
        for pair in &parsed.pairs {
            assert_range(&text, pair.range);
            assert_range(&text, pair.key_range);
            assert_range(&text, pair.value_range);
        }
        parsed.errors.iter().for_each(|e| assert_range(&text, e.range));
    }
}

fn nuget_version() -> impl Strategy<Value = Version> {
    (prop::collection::vec(0u64..4, 1..=4), prop::collection::vec("[0-9]{1,2}|[a-zA-Z][a-zA-Z0-9]{0,3}", 0..3))
        .prop_map(|(numbers, labels)| {
            let text = numbers.iter().map(u64::to_string).collect::<Vec<_>>().join(".");
            let text = if labels.is_empty() { text } else { format!("{text}-{}", labels.join(".")) };
            Version::parse(&text).expect("generated versions parse")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn nuget_ordering_is_a_total_order(a in nuget_version(), b in nuget_version(), c in nuget_version()) {
        use std::cmp::Ordering;
        // Antisymmetry and agreement with equality (labels compare ignoring case).
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        // Transitivity.
        if a <= b && b <= c {
            prop_assert!(a <= c, "{} <= {} <= {}", a, b, c);
        }
        // A prerelease sorts below its release.
        let mut release = a.clone();
        release.prerelease.clear();
        prop_assert!(a <= release);
        // Printing and parsing again gives an equal version.
        prop_assert_eq!(Version::parse(&a.to_string()).unwrap().cmp(&a), Ordering::Equal);
    }
}
