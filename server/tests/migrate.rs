//! The switch to the Durable Task Scheduler on golden apps, one per route
//! (tests/migrate/NAME, with a README saying what must happen): the diff is
//! a snapshot; after `--write`, `check` finds no error or warning; a second
//! run changes nothing; refused apps are left byte for byte as they were.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn migrate_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/migrate")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_durable-lsp"))
        .args(args)
        .current_dir(dir)
        .env("NUGET_PACKAGES", dir.join("no-such-nuget-cache"))
        .output()
        .unwrap()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn snapshot_of_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                // A link to nothing, as the link's target.
                let bytes = std::fs::read(&path)
                    .unwrap_or_else(|_| std::fs::read_link(&path).unwrap().to_string_lossy().into_owned().into_bytes());
                files.push((path.strip_prefix(root).unwrap().to_path_buf(), bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_route_switches_cleanly_and_only_once() {
    let mut names: Vec<String> = std::fs::read_dir(migrate_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| migrate_dir().join(n).join("host.json").is_file())
        .collect();
    names.sort();
    assert!(names.len() >= 12, "golden apps went missing");
    let scratch = std::env::temp_dir().join(format!("durable-lsp-migrate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for name in &names {
        // The plan, as a diff, is the snapshot.
        let planned = run(&migrate_dir(), &["migrate", name]);
        let text = format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            planned.status.code().unwrap(),
            String::from_utf8_lossy(&planned.stderr),
            String::from_utf8_lossy(&planned.stdout)
        );
        insta::assert_snapshot!(format!("migrate-{name}"), text);

        // Applied to a copy: clean afterwards, and a second run is a no-op.
        let copy = scratch.join(name);
        copy_tree(&migrate_dir().join(name), &copy);
        let before = snapshot_of_tree(&copy);
        let written = run(&scratch, &["migrate", name, "--write"]);
        let refused = written.status.code() == Some(1);
        if refused {
            assert_eq!(snapshot_of_tree(&copy), before, "{name}: a refused app must not change");
            continue;
        }
        assert_eq!(written.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&written.stderr));
        let checked = run(&scratch, &["check", name, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
        let left: Vec<String> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error" || d["severity"] == "warning")
            .filter(|d| d["code"] != "H002") // comments are the user's: kept, and still reported
            .map(|d| format!("{} {} {}", d["path"], d["code"], d["message"]))
            .collect();
        assert!(left.is_empty(), "{name}: after the switch:\n{}", left.join("\n"));
        let after_first = snapshot_of_tree(&copy);
        let again = run(&scratch, &["migrate", name, "--write"]);
        assert_eq!(again.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&again.stderr).contains("already on the Durable Task Scheduler"),
            "{name}: not idempotent"
        );
        assert_eq!(snapshot_of_tree(&copy), after_first, "{name}: the second run changed files");
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// `--write` replaces files the way an editor's save does: a file's
/// permissions are kept (a local.settings.json full of secrets stays
/// private), a symbolic link is written through and stays a link, nothing
/// planted next to a file is written through, and an app with a file that
/// cannot be read or written back faithfully is left byte for byte as it was.
#[test]
fn writes_keep_permissions_and_links_and_refuse_what_they_cannot_keep() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = std::env::temp_dir().join(format!("durable-lsp-migrate-safety-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;

    let app = scratch.join("app");
    copy_tree(&migrate_dir().join("dotnet-isolated-basic"), &app);
    std::fs::set_permissions(app.join("host.json"), std::fs::Permissions::from_mode(0o444)).unwrap();
    // local.settings.json is a link to a private file elsewhere.
    let private = scratch.join("private");
    std::fs::create_dir_all(&private).unwrap();
    std::fs::rename(app.join("local.settings.json"), private.join("local.settings.json")).unwrap();
    std::fs::set_permissions(private.join("local.settings.json"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(private.join("local.settings.json"), app.join("local.settings.json")).unwrap();
    // A link planted under the name the temporary file used to have.
    std::fs::write(scratch.join("victim.txt"), "precious").unwrap();
    std::os::unix::fs::symlink(scratch.join("victim.txt"), app.join(".local.settings.json.durable-lsp.tmp")).unwrap();

    let written = run(&scratch, &["migrate", "app", "--write"]);
    assert_eq!(written.status.code(), Some(0), "{}", String::from_utf8_lossy(&written.stderr));
    assert_eq!(mode(&app.join("host.json")), 0o444);
    assert!(std::fs::read_to_string(app.join("host.json")).unwrap().contains("azureManaged"));
    assert!(std::fs::symlink_metadata(app.join("local.settings.json")).unwrap().file_type().is_symlink());
    assert_eq!(mode(&private.join("local.settings.json")), 0o600);
    let settings = std::fs::read_to_string(private.join("local.settings.json")).unwrap();
    assert!(settings.contains("DURABLE_TASK_SCHEDULER_CONNECTION_STRING"), "{settings}");
    assert_eq!(std::fs::read_to_string(scratch.join("victim.txt")).unwrap(), "precious");
    let leftovers: Vec<_> = std::fs::read_dir(&app)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && n != ".local.settings.json.durable-lsp.tmp")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Refused, and nothing written: a folder where local.settings.json
    // belongs (it would have been taken for a missing file and replaced),
    // and a csproj that is not UTF-8 (it would have been written back with
    // replacement characters).
    let folder = scratch.join("folder");
    copy_tree(&migrate_dir().join("dotnet-isolated-basic"), &folder);
    std::fs::remove_file(folder.join("local.settings.json")).unwrap();
    std::fs::create_dir(folder.join("local.settings.json")).unwrap();
    let latin1 = scratch.join("latin1");
    copy_tree(&migrate_dir().join("dotnet-isolated-basic"), &latin1);
    let project = std::fs::read_dir(&latin1)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "csproj"))
        .unwrap();
    let mut bytes = b"<!-- Ren\xe9 -->\n".to_vec();
    bytes.extend(std::fs::read(&project).unwrap());
    std::fs::write(&project, bytes).unwrap();
    // What the app's scan passes over, as MSBuild would: a folder named
    // like the project (the provider package would have gone nowhere), a
    // Directory.Packages.props that is a link to nothing (the reference
    // would have got a Version, against central package management).
    let project_folder = scratch.join("project-folder");
    copy_tree(&migrate_dir().join("dotnet-isolated-basic"), &project_folder);
    for entry in std::fs::read_dir(&project_folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csproj") {
            std::fs::remove_file(&path).unwrap();
            std::fs::create_dir(&path).unwrap();
        }
    }
    let dangling = scratch.join("dangling-props");
    copy_tree(&migrate_dir().join("dotnet-isolated-cpm"), &dangling);
    std::fs::remove_file(dangling.join("Directory.Packages.props")).unwrap();
    std::os::unix::fs::symlink("gone.props", dangling.join("Directory.Packages.props")).unwrap();
    // The diff alike: one made of a text read with replacement characters would not apply.
    for (name, said) in [
        ("folder", "cannot read folder/local.settings.json"),
        ("latin1", "not valid UTF-8"),
        ("project-folder", ".csproj: "),
        ("dangling-props", "cannot read dangling-props/Directory.Packages.props: a symbolic link to nothing"),
    ] {
        for write in [true, false] {
            let before = snapshot_of_tree(&scratch.join(name));
            let args: &[&str] = if write { &["migrate", name, "--write"] } else { &["migrate", name] };
            let refused = run(&scratch, args);
            let stderr = String::from_utf8_lossy(&refused.stderr);
            assert_eq!(refused.status.code(), Some(2), "{name} {args:?}: {stderr}");
            assert!(stderr.contains(said), "{name} {args:?}: {stderr}");
            assert!(refused.stdout.is_empty(), "{name} {args:?}: a diff was printed");
            assert_eq!(snapshot_of_tree(&scratch.join(name)), before, "{name}: a file changed");
        }
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// The plan applies with `git apply` and with `patch -p1` where it was made
/// and gives what `--write` gives: from inside a monorepo (no `./` in the
/// names), with a Directory.Packages.props two apps share (one diff for it,
/// not one per app), for a folder whose name has a blank (the name ends
/// with a tab) or a tab (the name is quoted), for a PATH with `..` steps
/// (resolved), for a host.json that is a link or an app folder reached
/// through one (named where it is, which git apply patches), and for a lone
/// CR in a comment (not a line break to patch tools).
#[test]
fn the_diff_applies_as_written_for_shared_files_and_odd_names() {
    let scratch = std::env::temp_dir().join(format!("durable-lsp-migrate-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let basic = migrate_dir().join("dotnet-isolated-basic");
    let linked_host = |root: &Path| {
        std::fs::create_dir(root.join("shared")).unwrap();
        std::fs::rename(root.join("app/host.json"), root.join("shared/app-host.json")).unwrap();
        std::os::unix::fs::symlink("../shared/app-host.json", root.join("app/host.json")).unwrap();
    };
    let lone_cr = |root: &Path| {
        let host = std::fs::read_to_string(root.join("host.json")).unwrap();
        let host = host.replacen("\"version\": \"2.0\",", "\"version\": \"2.0\", /* one\rtwo */", 1);
        std::fs::write(root.join("host.json"), host).unwrap();
    };
    let link_folder = |root: &Path| std::os::unix::fs::symlink("real", root.join("linked")).unwrap();
    let nothing = |_: &Path| {};
    /// A case: its name, the app copied, the folder it goes in, the command, a change made to the copies.
    type Case<'a> = (&'a str, PathBuf, &'a str, Vec<&'a str>, &'a dyn Fn(&Path));
    let cases: [Case<'_>; 8] = [
        ("mono", fixtures.join("proj-cpm-monorepo"), "", vec!["migrate"], &nothing),
        ("blank", basic.clone(), "my app", vec!["migrate", "my app"], &nothing),
        // The shared props file is above the path given: named from here.
        ("below", fixtures.join("proj-cpm-monorepo"), "", vec!["migrate", "apps/Billing"], &nothing),
        ("tab", basic.clone(), "my\tapp", vec!["migrate", "my\tapp"], &nothing),
        ("steps", basic.clone(), "app", vec!["migrate", "./app/../app"], &nothing),
        ("link", basic.clone(), "app", vec!["migrate"], &linked_host),
        ("cr", basic.clone(), "", vec!["migrate"], &lone_cr),
        // The app reached through a link to its folder: named where it is.
        ("linked-folder", basic.clone(), "real", vec!["migrate", "linked"], &link_folder),
    ];
    for (name, from, inner, args, prepare) in cases {
        let planned_copy = scratch.join(name).join("planned");
        let patched_copy = scratch.join(name).join("patched");
        let written_copy = scratch.join(name).join("written");
        for copy in [&planned_copy, &patched_copy, &written_copy] {
            copy_tree(&from, &copy.join(inner));
            prepare(copy);
        }
        let diff = run(&planned_copy, &args);
        assert_eq!(diff.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&diff.stderr));
        assert!(!String::from_utf8_lossy(&diff.stderr).contains("outside the current folder"), "{name}");
        let text = String::from_utf8(diff.stdout).unwrap();
        let props = text.matches("+++ b/Directory.Packages.props").count();
        assert_eq!(props, usize::from(["mono", "below"].contains(&name)), "{name}:\n{text}");
        assert!(!text.contains("a/./") && !text.contains("b/./") && !text.contains("/../"), "{name}:\n{text}");
        let plan = scratch.join(name).join("plan.diff");
        std::fs::write(&plan, &text).unwrap();
        let applied = Command::new("git").arg("apply").arg(&plan).current_dir(&planned_copy).output().unwrap();
        assert!(applied.status.success(), "{name}: {}\n{text}", String::from_utf8_lossy(&applied.stderr));
        let patched =
            Command::new("patch").args(["-p1", "-s", "-i"]).arg(&plan).current_dir(&patched_copy).output().unwrap();
        assert!(patched.status.success(), "{name}: {}\n{text}", String::from_utf8_lossy(&patched.stdout));
        let mut write_args = args.clone();
        write_args.push("--write");
        let written = run(&written_copy, &write_args);
        assert_eq!(written.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&written.stderr));
        let expected = snapshot_of_tree(&written_copy);
        assert_eq!(snapshot_of_tree(&planned_copy), expected, "{name}: git apply");
        assert_eq!(snapshot_of_tree(&patched_copy), expected, "{name}: patch");
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// A Directory.Packages.props above the current folder can only be named by
/// its absolute path, which no patch tool takes: the user is told, not left
/// with a diff that `git apply` half applies without a word.
#[test]
fn the_diff_says_when_a_file_is_outside_the_current_folder() {
    let scratch = std::env::temp_dir().join(format!("durable-lsp-migrate-outside-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    copy_tree(&fixtures.join("proj-cpm-monorepo"), &scratch);
    let inside = run(&scratch, &["migrate", "apps/Billing"]);
    assert!(!String::from_utf8_lossy(&inside.stderr).contains("outside the current folder"));
    let below = run(&scratch.join("apps/Billing"), &["migrate", "."]);
    let (stdout, stderr) = (String::from_utf8_lossy(&below.stdout), String::from_utf8_lossy(&below.stderr));
    assert_eq!(below.status.code(), Some(0), "{stderr}");
    let props = scratch.join("Directory.Packages.props");
    assert!(stdout.contains(&format!("+++ b/{}", props.display())), "{stdout}");
    assert!(stderr.contains(&format!("note: {} is outside the current folder", props.display())), "{stderr}");
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// The half-switched example's `Authentication=Managed Identity` on the
/// emulator's endpoint becomes `None`, what works on a developer machine,
/// not the nearest spelling `ManagedIdentity` (which L017 then reports).
#[test]
fn a_misspelt_identity_on_the_emulator_becomes_none() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let planned = run(&examples, &["migrate", "dotnet-isolated-half-switched"]);
    let diff = String::from_utf8(planned.stdout).unwrap();
    assert!(
        diff.contains("+    \"DTS_CONNECTION_STRING\": \"Endpoint=http://localhost:8080;Authentication=None\""),
        "{diff}"
    );
}

/// An encrypted local.settings.json stops only what would write plain
/// values into it: an app already switched is "already done", and a fix
/// that could do only its host.json half (H021's hubName without
/// TASKHUB_NAME) is not applied by `check --fix`.
#[test]
fn an_encrypted_local_settings_stops_only_what_would_write_into_it() {
    let scratch = std::env::temp_dir().join(format!("durable-lsp-migrate-encrypted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let encrypt = |path: &Path| {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, text.replacen("\"IsEncrypted\": false", "\"IsEncrypted\": true", 1)).unwrap();
    };
    let done = scratch.join("done");
    copy_tree(&migrate_dir().join("already-dts"), &done);
    encrypt(&done.join("local.settings.json"));
    let again = run(&scratch, &["migrate", "done", "--write"]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already on the Durable Task Scheduler"));

    let half = scratch.join("half");
    copy_tree(&migrate_dir().join("already-dts"), &half);
    encrypt(&half.join("local.settings.json"));
    let settings = std::fs::read_to_string(half.join("local.settings.json")).unwrap();
    std::fs::write(
        half.join("local.settings.json"),
        settings.replace("\"TASKHUB_NAME\": \"default\"", "\"OTHER\": \"x\""),
    )
    .unwrap();
    let host = std::fs::read_to_string(half.join("host.json")).unwrap();
    let without_hub: String = host.lines().filter(|l| !l.contains("\"hubName\"")).collect::<Vec<_>>().join("\n");
    assert_ne!(without_hub, host, "the golden app sets hubName");
    std::fs::write(half.join("host.json"), &without_hub).unwrap();
    let fixed = run(&scratch, &["check", "half", "--fix"]);
    let host_after = std::fs::read_to_string(half.join("host.json")).unwrap();
    assert!(!host_after.contains("hubName"), "{}\n{host_after}", String::from_utf8_lossy(&fixed.stderr));
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// A secret next to what the switch changes (an AccountKey in the storage
/// connection, a setting named like a key) is shown as `***` in the diff,
/// and stderr says that such a diff does not apply; `--show-secrets` prints
/// the lines whole, a diff that applies.
#[test]
fn the_diff_masks_secrets_unless_asked_to_show_them() {
    let scratch = std::env::temp_dir().join(format!("durable-lsp-migrate-secrets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    copy_tree(&migrate_dir().join("dotnet-isolated-basic"), &scratch);
    let local = scratch.join("local.settings.json");
    let storage =
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5;EndpointSuffix=core.windows.net";
    let text = std::fs::read_to_string(&local).unwrap().replace("UseDevelopmentStorage=true", storage).replace(
        "\"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"",
        "\"PAYMENTS_API_KEY\": \"sk_live_4242\",\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\"",
    );
    std::fs::write(&local, text).unwrap();

    let masked = run(&scratch, &["migrate"]);
    let (stdout, stderr) = (String::from_utf8_lossy(&masked.stdout), String::from_utf8_lossy(&masked.stderr));
    assert_eq!(masked.status.code(), Some(0), "{stderr}");
    assert!(!stdout.contains("c2VjcmV0a2V5") && !stdout.contains("sk_live_4242"), "{stdout}");
    assert!(stdout.contains("AccountKey=***;") && stdout.contains("\"PAYMENTS_API_KEY\": \"***\""), "{stdout}");
    assert!(stderr.contains("note: 2 lines of the diff hold a secret"), "{stderr}");
    // Such a diff does not apply: git refuses it whole, and writes nothing.
    std::fs::write(scratch.join("masked.diff"), stdout.as_bytes()).unwrap();
    let before = snapshot_of_tree(&scratch);
    let applied = Command::new("git").args(["apply", "masked.diff"]).current_dir(&scratch).output().unwrap();
    assert!(!applied.status.success());
    assert_eq!(snapshot_of_tree(&scratch), before);

    let whole = run(&scratch, &["migrate", "--show-secrets"]);
    let stdout = String::from_utf8_lossy(&whole.stdout);
    assert!(stdout.contains("c2VjcmV0a2V5") && stdout.contains("sk_live_4242"), "{stdout}");
    assert!(!String::from_utf8_lossy(&whole.stderr).contains("hold a secret"));
    std::fs::write(scratch.join("whole.diff"), stdout.as_bytes()).unwrap();
    let applied = Command::new("git").args(["apply", "whole.diff"]).current_dir(&scratch).output().unwrap();
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    assert!(std::fs::read_to_string(&local).unwrap().contains("sk_live_4242"));

    // Nothing is printed with --write, so there is nothing to show.
    let conflict = run(&scratch, &["migrate", "--write", "--show-secrets"]);
    assert_eq!(conflict.status.code(), Some(2));
    std::fs::remove_dir_all(&scratch).unwrap();
}
