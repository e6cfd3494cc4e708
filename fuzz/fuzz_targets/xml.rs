//! The XML layer and the project model on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = durable_lsp::syntax::xml::parse(&text);
    for error in &doc.errors {
        assert!(error.range.end <= text.len() && text.is_char_boundary(error.range.start) && text.is_char_boundary(error.range.end));
    }
    let _ = durable_lsp::analysis::dotnet::Project::read("a.csproj", &doc);
    let _ = durable_lsp::analysis::dotnet::CentralPackages::read(&doc);
});
