//! Whole-app analysis, completion, hover and the switch on an app whose
//! host.json, local.settings.json and project are cut from the input.
#![no_main]
use std::collections::BTreeMap;
use std::path::PathBuf;

use durable_lsp::app::memory::MemoryFs;
use durable_lsp::app::{App, FileSystem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1}');
    let root = PathBuf::from("/app");
    let mut files = BTreeMap::new();
    files.insert(root.join("host.json"), parts.next().unwrap_or("").to_string());
    if let Some(local) = parts.next() {
        files.insert(root.join("local.settings.json"), local.to_string());
    }
    if let Some(project) = parts.next() {
        files.insert(root.join("App.csproj"), project.to_string());
    }
    let fs = MemoryFs { files, ..MemoryFs::default() };
    let app = App::at(&fs, &root).unwrap();
    for report in durable_lsp::analysis::analyze_app(&fs, &app) {
        for diagnostic in &report.diagnostics {
            assert!(diagnostic.range.end <= report.text.len());
        }
    }
    let host = root.join("host.json");
    let len = fs.read(&host).map_or(0, |t| t.len());
    for offset in [0, len / 2, len] {
        let _ = durable_lsp::ide::complete(&fs, &host, offset, true);
        let _ = durable_lsp::ide::hover(&fs, &host, offset);
    }
    let _ = durable_lsp::analysis::migrate::migrate(&fs, &root, &Default::default());
});
