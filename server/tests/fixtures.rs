//! Fixture apps: every folder in tests/fixtures is a workspace of function
//! apps with an EXPECTED file written by hand from ../shared/rules.md
//! (`path:line CODE` per diagnostic). The checker must report exactly those
//! codes on those lines; the full messages and ranges are kept as snapshots,
//! with what `check --fix` writes in a copy of each fixture.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Runs `durable-lsp check --format json` on a fixture, with an empty local
/// NuGet cache so "newest known" versions come from the table alone.
fn run_check(root: &Path) -> (i32, serde_json::Value) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_durable-lsp"))
        .args(["check", "--format", "json"])
        .arg(root)
        .env("NUGET_PACKAGES", fixtures_dir().join("no-such-nuget-cache"))
        .output()
        .expect("the binary runs");
    assert!(output.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let code = output.status.code().expect("exit code");
    (code, serde_json::from_slice(&output.stdout).expect("check --format json prints JSON"))
}

/// `path:line CODE` → count, from an EXPECTED file.
fn expected(root: &Path) -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(root.join("EXPECTED")).expect("every fixture has an EXPECTED file");
    let mut counts = BTreeMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        *counts.entry(line.to_string()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn fixture_apps_report_exactly_the_expected_diagnostics() {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_dir())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 20, "fixtures went missing");
    let mut failures = Vec::new();
    let mut snapshots = Vec::new();
    for root in &fixtures {
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        let (exit, report) = run_check(root);
        let diagnostics = report["diagnostics"].as_array().unwrap();
        let prefix = format!("{}/", root.display());
        let mut actual = BTreeMap::new();
        let mut snapshot = String::new();
        for d in diagnostics {
            let path = d["path"].as_str().unwrap().strip_prefix(&prefix).unwrap_or_else(|| panic!("{d}")).to_string();
            let (start, end) = (&d["range"]["start"], &d["range"]["end"]);
            *actual.entry(format!("{path}:{} {}", start["line"], d["code"].as_str().unwrap())).or_insert(0) += 1;
            snapshot.push_str(&format!(
                "{path}:{}:{}-{}:{} {} {}\n    {}\n",
                start["line"],
                start["column"],
                end["line"],
                end["column"],
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            ));
        }
        let errors = report["summary"]["errors"].as_u64().unwrap();
        assert_eq!(exit, if errors > 0 { 1 } else { 0 }, "{name}: exit code");
        let want = expected(root);
        if actual != want {
            let missing: Vec<_> = want.keys().filter(|k| actual.get(*k) != want.get(*k)).collect();
            let extra: Vec<_> = actual.keys().filter(|k| actual.get(*k) != want.get(*k)).collect();
            failures.push(format!(
                "{name}:\n  expected but not reported {missing:?}\n  reported but not expected {extra:?}"
            ));
        }
        let fixed = fixed_diff(root);
        if !fixed.is_empty() {
            snapshot.push_str("\n--- check --fix ---\n");
            snapshot.push_str(&fixed);
        }
        snapshots.push((name, snapshot));
    }
    // The hand-written expectations first: they say what is wrong, in rules.md's terms.
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    for (name, snapshot) in snapshots {
        insta::assert_snapshot!(name, snapshot);
    }
}

/// What `check --fix` writes in a copy of the fixture: a unified diff of
/// each file it changed or created, so every safe fix's text is data too.
fn fixed_diff(root: &Path) -> String {
    let copy = std::env::temp_dir().join(format!(
        "durable-lsp-fixed-{}-{}",
        std::process::id(),
        root.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&copy);
    copy_tree(root, &copy);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_durable-lsp"))
        .args(["check", "--fix", "--format", "json"])
        .arg(&copy)
        .env("NUGET_PACKAGES", fixtures_dir().join("no-such-nuget-cache"))
        .output()
        .expect("the binary runs");
    assert!(output.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&output.stderr));
    let mut diff = String::new();
    for path in files_below(&copy) {
        let relative = path.strip_prefix(&copy).unwrap().to_string_lossy().replace('\\', "/");
        let after = std::fs::read_to_string(&path).unwrap();
        let before = std::fs::read_to_string(root.join(&relative)).ok();
        if before.as_deref() != Some(after.as_str()) {
            diff.push_str(&durable_lsp::cli::unified_diff(&relative, before.as_deref(), &after));
        }
    }
    std::fs::remove_dir_all(&copy).unwrap();
    diff
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The files below `root`, sorted, so the diff is in a stable order.
fn files_below(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { folders.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    files
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    let mut expected_codes = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let root = entry.unwrap().path();
        if root.is_dir() {
            for line in expected(&root).keys() {
                expected_codes.insert(line.rsplit(' ').next().unwrap().to_string());
            }
        }
    }
    let missing: Vec<&str> = durable_lsp::analysis::registry::RULES
        .iter()
        .map(|r| r.code)
        .filter(|c| !expected_codes.contains(*c))
        .collect();
    assert!(missing.is_empty(), "no fixture triggers {missing:?}");
}

/// Each quick fix a fixture offers as the preferred one, applied alone to
/// the files as they are, takes its own diagnostic away and brings no new
/// one: a user who takes it is not handed the next problem. (A reviewer
/// found fixes that traded a warning for another by applying each through
/// the server.)
#[test]
fn every_preferred_fix_applied_alone_leaves_no_new_problem() {
    use durable_lsp::analysis::{self, FileReport, migrate::Workspace};
    use durable_lsp::app::App;
    use durable_lsp::disk::DiskFileSystem;

    type Key = (String, PathBuf);
    fn counts(reports: &[FileReport]) -> BTreeMap<Key, usize> {
        let mut counts = BTreeMap::new();
        for d in reports.iter().flat_map(|r| &r.diagnostics) {
            *counts.entry((d.code.to_string(), d.path.to_path_buf())).or_insert(0) += 1;
        }
        counts
    }
    let disk = DiskFileSystem;
    let mut failures = Vec::new();
    let mut tried = 0;
    let mut fixtures: Vec<PathBuf> =
        std::fs::read_dir(fixtures_dir()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    fixtures.sort();
    for fixture in fixtures {
        let (roots, _) = durable_lsp::disk::app_folders(&fixture, 100_000);
        for root in roots {
            let Some(app) = App::at(&disk, &root) else { continue };
            let reports = analysis::analyze_app(&disk, &app);
            let before = counts(&reports);
            // A file that does not parse is fixed by hand only (check --fix
            // and the switch leave it: its tree may be misread).
            let unparsed = |path: &Path| {
                ["H001", "L001", "P001"].iter().any(|code| before.contains_key(&(code.to_string(), path.to_path_buf())))
            };
            for d in reports.iter().flat_map(|r| &r.diagnostics) {
                for fix in d.fixes.iter().filter(|f| f.preferred) {
                    if fix.changes.iter().any(|c| unparsed(c.path())) {
                        continue;
                    }
                    tried += 1;
                    let place = format!("{} {} ({})", d.path.display(), d.code, fix.title);
                    let mut workspace = Workspace::new(&disk);
                    if !workspace.apply(&fix.changes) {
                        failures.push(format!("{place}: does not apply"));
                        continue;
                    }
                    let after = App::at(&workspace, &root).map(|app| analysis::analyze_app(&workspace, &app));
                    let after = counts(&after.unwrap_or_default());
                    let own = (d.code.to_string(), d.path.to_path_buf());
                    if after.get(&own) >= before.get(&own) {
                        failures.push(format!("{place}: {} is still there", d.code));
                    }
                    for (key, n) in &after {
                        // Consequences, not new problems: choosing the Durable
                        // Task Scheduler makes its connection setting needed
                        // (the switch adds both); a collapsed identity-based
                        // connection keeps the credential the user chose, which
                        // L017 then says is for deployed apps.
                        let consequence = matches!((d.code, key.0.as_str()), ("H004", "H013") | ("L025", "L017"));
                        if !consequence && *n > before.get(key).copied().unwrap_or(0) {
                            failures.push(format!("{place}: brings {} in {}", key.0, key.1.display()));
                        }
                    }
                }
            }
        }
    }
    assert!(tried > 100, "only {tried} fixes tried");
    assert!(failures.is_empty(), "{} of {tried} fixes:\n{}", failures.len(), failures.join("\n"));
}
