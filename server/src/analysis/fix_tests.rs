//! Every quick fix, on every fixture and golden migrate app: applied in memory, the edited
//! files must still parse, nothing outside the fix's edits may change, and
//! the diagnostic it fixes must be gone.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::migrate::{Workspace, syntax_errors};
use crate::analysis::{self, Diagnostic, FileReport, Severity};
use crate::app::App;
use crate::disk::{self, DiskFileSystem};
use crate::edit::{self, FileChange};

/// Same code, same file, same message: the diagnostic as a user sees it.
fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.code == b.code && a.path == b.path && a.message == b.message
}

#[test]
fn every_fix_on_every_fixture_parses_and_removes_its_diagnostic() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut checked = 0;
    let mut failures = Vec::new();
    // The rules' fixtures, and the switch's golden apps (real layouts, such
    // as connection sections at the end of Values).
    let apps = ["fixtures", "migrate"].map(|folder| std::fs::read_dir(tests.join(folder)).unwrap());
    for entry in apps.into_iter().flatten() {
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
    // The fix the editor applies on its own (and `check --fix`) trades no
    // problem for another: no new error or warning.
    if fix.preferred {
        let serious = |d: &&Diagnostic| matches!(d.severity, Severity::Error | Severity::Warning);
        let was_there =
            |d: &Diagnostic| before.iter().flat_map(|r| &r.diagnostics).any(|b| b.code == d.code && b.path == d.path);
        let new: Vec<String> = after
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(serious)
            .filter(|d| !was_there(d))
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        if !new.is_empty() {
            return Err(format!("brings new problems: {}", new.join("; ")));
        }
    }
    Ok(())
}

/// P010 in a list that has net8.0 already: the old targets go, rather than
/// becoming a second and third net8.0.
#[test]
fn old_targets_beside_net8_are_removed_not_duplicated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/proj-P010/invalid-target-frameworks");
    let mut workspace = Workspace::new(&DiskFileSystem);
    // P010 is information, which `check --fix` leaves; as a warning it is fixed.
    let (config, _) =
        crate::analysis::config::RuleConfig::from_settings(&serde_json::json!({"rules": {"P010": "warning"}}));
    assert_eq!(crate::analysis::migrate::fix_loop(&mut workspace, &root, &config), 2);
    let project = &workspace.files[&root.join("extensions.csproj")];
    assert!(project.contains("<TargetFrameworks>net8.0</TargetFrameworks>"), "{project}");

    // The same with blanks around the separators, net8.0 first.
    let text = std::fs::read_to_string(root.join("extensions.csproj"))
        .unwrap()
        .replace("net6.0;net7.0;net8.0", "net8.0 ; net6.0;\tnet7.0");
    let mut workspace = Workspace::new(&DiskFileSystem);
    workspace.files.insert(root.join("extensions.csproj"), text);
    crate::analysis::migrate::fix_loop(&mut workspace, &root, &config);
    let project = &workspace.files[&root.join("extensions.csproj")];
    assert!(project.contains("<TargetFrameworks>net8.0</TargetFrameworks>"), "{project}");
}

/// The worker provider comes from Directory.Build.props and the project
/// names the host-side one: the fix removes the wrong one, rather than
/// rename it into a second reference to the worker package.
#[test]
fn a_wrong_side_package_beside_an_inherited_right_one_is_removed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/build-props-versions/wrong-side/app");
    let mut workspace = Workspace::new(&DiskFileSystem);
    let config = crate::analysis::config::RuleConfig::default();
    assert_eq!(crate::analysis::migrate::fix_loop(&mut workspace, &root, &config), 1);
    let project = &workspace.files[&root.join("App.csproj")];
    assert!(!project.contains("AzureManaged"), "{project}");
    assert!(
        project.contains("Worker.Extensions.DurableTask\" Version=\"1.21.1\" />\n    <PackageReference"),
        "{project}"
    );
}
