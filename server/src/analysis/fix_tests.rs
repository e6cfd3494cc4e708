//! Every quick fix, on every fixture app: applied in memory, the edited
//! files must still parse, nothing outside the fix's edits may change, and
//! the diagnostic it fixes must be gone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::{self, Diagnostic, FileReport};
use crate::app::{App, FileKind, FileSystem};
use crate::disk::{self, DiskFileSystem};
use crate::edit::{self, FileChange};
use crate::syntax::{jsonc, xml};

/// The disk, with some files replaced or added in memory.
struct Patched {
    files: HashMap<PathBuf, String>,
}

impl FileSystem for Patched {
    fn read(&self, path: &Path) -> Option<String> {
        self.files.get(path).cloned().or_else(|| DiskFileSystem.read(path))
    }
    fn file_names(&self, dir: &Path) -> Vec<String> {
        let mut names = DiskFileSystem.file_names(dir);
        for path in self.files.keys().filter(|p| p.parent() == Some(dir)) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path) || DiskFileSystem.is_file(path)
    }
}

fn syntax_errors(path: &Path, text: &str) -> usize {
    match FileKind::of(path) {
        Some(FileKind::HostJson | FileKind::LocalSettings) => jsonc::parse(text).errors.len(),
        Some(FileKind::Project | FileKind::PackagesProps) => xml::parse(text).errors.len(),
        None => 0,
    }
}

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
    let patched = Patched { files };
    let app = App::at(&patched, &app.root).ok_or("the app is gone")?;
    let after = analysis::analyze_app(&patched, &app);
    let count =
        |reports: &[FileReport]| reports.iter().flat_map(|r| &r.diagnostics).filter(|d| same(d, diagnostic)).count();
    if count(&after) >= count(before) {
        return Err("the diagnostic is still there".into());
    }
    Ok(())
}
