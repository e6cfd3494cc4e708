//! Property tests for the edits the server writes: on apps with random
//! comments, indentation, line endings and byte order marks, the switch to
//! DTS leaves files that parse, keeps every comment, the line-ending style
//! and the BOM, and a second run changes nothing.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::PathBuf;

use durable_lsp::analysis::migrate::{self, Outcome, Target};
use durable_lsp::app::memory::MemoryFs;
use durable_lsp::edit::{FileChange, apply};
use durable_lsp::syntax::jsonc;
use proptest::prelude::*;

/// A host.json with the pieces a real one has, laid out by the strategy's choices.
fn host_json(indent: &str, newline: &str, bom: bool, comments: &[bool], backend: u8) -> String {
    let c = |i: usize, text: &str| {
        if comments.get(i).copied().unwrap_or(false) { format!("{text}{newline}") } else { String::new() }
    };
    let i1 = indent;
    let i2 = indent.repeat(2);
    let i3 = indent.repeat(3);
    let i4 = indent.repeat(4);
    let provider = match backend {
        0 => String::new(),
        1 => format!(
            ",{newline}{i3}\"storageProvider\": {{{newline}{}{i4}\"partitionCount\": 4,{newline}{i4}\"controlQueueBatchSize\": 32{newline}{i3}}}",
            c(3, &format!("{i4}/* tuned */"))
        ),
        _ => format!(
            ",{newline}{i3}\"storageProvider\": {{{newline}{i4}\"type\": \"mssql\",{newline}{i4}\"connectionStringName\": \"SQL\"{}{newline}{i3}}}",
            if comments.get(4).copied().unwrap_or(false) { " // db" } else { "" }
        ),
    };
    format!(
        "{bom}{{{newline}{}{i1}\"version\": \"2.0\",{newline}{i1}\"logging\": {{ \"logLevel\": {{ \"default\": \"Information\" }} }},{newline}{}{i1}\"extensions\": {{{newline}{i2}\"durableTask\": {{{newline}{}{i3}\"hubName\": \"OrdersHub\",{newline}{i3}\"maxConcurrentActivityFunctions\": 10{provider}{newline}{i2}}}{newline}{i1}}}{newline}}}{newline}",
        c(0, &format!("{i1}// host settings")),
        c(1, &format!("{i1}/* durable */")),
        c(2, &format!("{i3}// the hub")),
        bom = if bom { "\u{feff}" } else { "" },
    )
}

fn comments_of(text: &str) -> Vec<String> {
    let doc = jsonc::parse(text);
    doc.comments.iter().map(|c| text[c.range.start..c.range.end].to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_switch_keeps_comments_layout_and_runs_once(
        indent in prop_oneof![Just("  "), Just("    "), Just("\t")],
        crlf in any::<bool>(),
        bom in any::<bool>(),
        comments in prop::collection::vec(any::<bool>(), 5),
        backend in 0u8..3,
        with_local in any::<bool>(),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let root = PathBuf::from("/app");
        let host = host_json(indent, newline, bom, &comments, backend);
        let mut fs = MemoryFs::default();
        fs.files.insert(root.join("host.json"), host.clone());
        fs.files.insert(root.join("requirements.txt"), "azure-functions\n".into());
        if with_local {
            let local = format!("{{{newline}{indent}\"IsEncrypted\": false,{newline}{indent}\"Values\": {{{newline}{indent}{indent}\"FUNCTIONS_WORKER_RUNTIME\": \"python\" // local{newline}{indent}}}{newline}}}{newline}");
            fs.files.insert(root.join("local.settings.json"), local);
        }
        let before = fs.clone();
        let Outcome::Changes(changes) = migrate::migrate(&fs, &root, &Target::default()) else {
            return Err(TestCaseError::fail("expected changes"));
        };
        for change in &changes {
            match change {
                FileChange::Edit { path, edits } => {
                    let original = before.files[path].clone();
                    let after = apply(&original, edits);
                    prop_assert!(jsonc::parse(&after).errors.is_empty(), "{} does not parse:\n{after}", path.display());
                    for comment in comments_of(&original) {
                        prop_assert!(after.contains(&comment), "lost {comment:?}:\n{after}");
                    }
                    prop_assert_eq!(after.starts_with('\u{feff}'), original.starts_with('\u{feff}'));
                    if crlf {
                        prop_assert!(!after.replace("\r\n", "").contains('\n'), "a bare LF in a CRLF file:\n{after:?}");
                    } else {
                        prop_assert!(!after.contains('\r'));
                    }
                    prop_assert_eq!(after.ends_with(newline), original.ends_with(newline));
                    fs.files.insert(path.clone(), after);
                }
                FileChange::Create { path, text } => {
                    prop_assert!(jsonc::parse(text).errors.is_empty());
                    fs.files.insert(path.clone(), text.clone());
                }
            }
        }
        prop_assert!(matches!(migrate::migrate(&fs, &root, &Target::default()), Outcome::AlreadyDone), "a second run changed something");
    }
}
