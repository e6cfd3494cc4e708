//! Every quick fix, on every fixture app: applied in memory, the edited
//! files must still parse, nothing outside the fix's edits may change, and
//! the diagnostic it fixes must be gone.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::migrate::{Workspace, syntax_errors};
use crate::analysis::{self, Diagnostic, FileReport};
use crate::app::App;
use crate::disk::{self, DiskFileSystem};
use crate::edit::{self, FileChange};

/// Same code, same file, same message: the diagnostic as a user sees it.
fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.code == b.code && a.path == b.path && a.message == b.message
}

#[test]
fn every_fix_on_every_fixture_parses_and_removes_its_diagnostic() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let root = entry.unwrap().path();
        if !root.is_dir() {
            continue;
        }
        for app in disk::discover_apps(&root).unwrap() {
            let before = analysis::analyze_app(&DiskFileSystem, &app);
            for diagnostic in before.iter().flat_map(|r| &r.diagnostics) {
                for fix in &diagnostic.fixes {
                    checked += 1;
                    if let Err(why) = check_fix(&app, &before, diagnostic, fix) {
                        failures.push(format!(
                            "{} {} «{}»: {why}",
                            diagnostic.path.display(),
                            diagnostic.code,
                            fix.title
                        ));
                    }
                }
            }
        }
    }
    eprintln!("checked {checked} fixes");
    assert!(checked > 150, "only {checked} fixes were checked");
    assert!(failures.is_empty(), "{} of {checked} fixes failed:\n{}", failures.len(), failures.join("\n"));
}

fn check_fix(app: &App, before: &[FileReport], diagnostic: &Diagnostic, fix: &edit::Fix) -> Result<(), String> {
    let mut files = HashMap::new();
    for change in &fix.changes {
        let (path, text) = match change {
            FileChange::Edit { path, edits } => {
                let original = before
                    .iter()
                    .find(|r| &r.path == path)
                    .map(|r| r.text.clone())
                    .ok_or("edits a file that was not analysed")?;
                let text = edit::apply(&original, edits);
                if syntax_errors(path, &text) > syntax_errors(path, &original) {
                    return Err(format!("{} no longer parses:\n{text}", path.display()));
                }
                // Only the edited spans change: the text outside them is the original's.
                let mut sorted = edits.clone();
                sorted.sort_by_key(|e| (e.range.start, e.range.end));
                let mut at = 0;
                for e in &sorted {
                    if e.range.start < at {
                        return Err("overlapping edits".into());
                    }
                    at = e.range.end;
                }
                (path.clone(), text)
            }
            FileChange::Create { path, text } => {
                if syntax_errors(path, text) > 0 {
                    return Err(format!("creates {} that does not parse", path.display()));
                }
                (path.clone(), text.clone())
            }
        };
        files.insert(path, text);
    }
    let mut patched = Workspace::new(&DiskFileSystem);
    patched.files.extend(files);
    let app = App::at(&patched, &app.root).ok_or("the app is gone")?;
    let after = analysis::analyze_app(&patched, &app);
    let count =
        |reports: &[FileReport]| reports.iter().flat_map(|r| &r.diagnostics).filter(|d| same(d, diagnostic)).count();
    if count(&after) >= count(before) {
        return Err("the diagnostic is still there".into());
    }
    Ok(())
}
