//! The DTS connection-string parser, and the NuGet version parsers, on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = durable_lsp::syntax::connection_string::parse(&text);
    for pair in &parsed.pairs {
        assert!(pair.range.end <= text.len() && text.is_char_boundary(pair.value_range.start) && text.is_char_boundary(pair.value_range.end));
    }
    if let Some(range) = durable_lsp::analysis::nuget::VersionRange::parse(&text) {
        let _ = range.resolves_below(&durable_lsp::analysis::nuget::Version::new(1, 2, 2));
    }
});
