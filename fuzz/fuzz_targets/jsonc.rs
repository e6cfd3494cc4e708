//! The JSONC parser and the cursor query on any text: no panic, ranges inside.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = durable_lsp::syntax::jsonc::parse(&text);
    for error in &doc.errors {
        assert!(error.range.end <= text.len() && text.is_char_boundary(error.range.start) && text.is_char_boundary(error.range.end));
    }
    for offset in (0..=text.len()).step_by(7).filter(|o| text.is_char_boundary(*o)) {
        let _ = durable_lsp::ide::query::at(&doc, &text, offset);
    }
    let _ = durable_lsp::ide::symbols(&text);
});
