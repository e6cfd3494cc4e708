//! The `check` and `rules` commands, run as the built binary the way CI runs them.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_durable-lsp"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("the binary runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn check_json_has_the_documented_shape_and_exit_code() {
    let output = run(&["check", "examples", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "errors in the half-switched example exit 1");
    let report = json(&output);
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["apps"], 3);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let first = &diagnostics[0];
    for key in ["path", "code", "severity", "message", "range"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert!(first["path"].as_str().unwrap().starts_with("examples/"), "paths as found under the root");
    // What explains H007 is in the project: named as found, placed like the diagnostic.
    let h007 = diagnostics.iter().find(|d| d["code"] == "H007").unwrap();
    let related = &h007["related"][0];
    assert!(related["path"].as_str().unwrap().ends_with("half-switched/ShippingApp.csproj"), "{h007}");
    assert_eq!(related["range"]["start"], serde_json::json!({"line": 1, "column": 1}), "{h007}");
    assert!(diagnostics.iter().filter(|d| d["code"] == "L014").all(|d| d.get("related").is_none()));
    let l014 = diagnostics.iter().find(|d| d["code"] == "L014").unwrap();
    // 1-based line and character columns of `Managed Identity` inside the string.
    assert_eq!(l014["range"]["start"], serde_json::json!({"line": 6, "column": 77}));
    assert_eq!(l014["range"]["end"], serde_json::json!({"line": 6, "column": 93}));
    let errors = diagnostics.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(report["summary"]["errors"], errors);
}

#[test]
fn clean_apps_exit_zero_and_bad_paths_exit_two() {
    let output = run(&["check", "examples/dotnet-isolated-orders", "examples/python-bundle-reports/host.json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Checked 2 apps"), "{stdout}");
    let output = run(&["check", "does/not/exist"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does/not/exist"));
    let output = run(&["check", "--format", "yaml"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn sarif_is_2_1_0_with_rules_and_regions() {
    let output = run(&["check", "examples/dotnet-isolated-half-switched", "--format", "sarif"]);
    let sarif = json(&output);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "durable-lsp");
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].as_str().unwrap().starts_with("examples/"));
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    // What explains a result, in another file, comes along (GitHub shows it in the alert).
    let h007 = results.iter().find(|r| r["ruleId"] == "H007").unwrap();
    let related = &h007["relatedLocations"][0];
    assert_eq!(related["id"], 0);
    let uri = related["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.ends_with("ShippingApp.csproj"), "{h007}");
    assert!(related["physicalLocation"]["region"]["startLine"].as_u64().unwrap() >= 1, "{h007}");
}

#[test]
fn rules_lists_and_explains() {
    let output = run(&["rules"]);
    let list = String::from_utf8_lossy(&output.stdout);
    assert!(list.lines().any(|l| l.starts_with("H007  error")), "{list}");
    let output = run(&["rules", "l014"]);
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("# L014: "));
    assert_eq!(run(&["rules", "X999"]).status.code(), Some(2));
    let version = run(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("durable-lsp "));
}

#[test]
fn the_analysis_core_knows_no_lsp() {
    // Architecture invariant (docs/architecture.md): only src/lsp speaks the protocol.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path != src.join("lsp") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for forbidden in ["lsp_types", "lsp_server"] {
                    assert!(!text.contains(forbidden), "{} names {forbidden}", path.display());
                }
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn check_never_follows_symlinks_out_of_its_roots() {
    let root = std::env::temp_dir().join(format!("durable-lsp-symlink-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").canonicalize().unwrap();
    std::os::unix::fs::symlink(&examples, root.join("linked")).unwrap();
    // No app under the root (the link is not followed): that is a mistake, not a clean run.
    let output = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output)["summary"]["apps"], 0);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no function app"));
    // A link the user names is followed, and so are links to an app's files.
    let output = run(&["check", root.join("linked").to_str().unwrap(), "--format", "json"]);
    assert_eq!(json(&output)["summary"]["apps"], 3);
    let app = root.join("app");
    std::fs::create_dir_all(&app).unwrap();
    for name in ["host.json", "ShippingApp.csproj", "local.settings.json"] {
        std::os::unix::fs::symlink(examples.join("dotnet-isolated-half-switched").join(name), app.join(name)).unwrap();
    }
    let output = run(&["check", app.to_str().unwrap(), "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["summary"]["apps"], 1, "{report}");
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"H007") && codes.contains(&"L014"), "{codes:?}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_readme_rule_table_is_generated_from_the_rule_pages() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let start = readme.find("<!-- rules:start -->\n").expect("README has the rules:start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("README has the rules:end marker");
    assert_eq!(
        &readme[start..end],
        durable_lsp::cli::rules_markdown(),
        "README's rule table drifted from docs/rules: paste `durable-lsp rules --markdown` between the markers"
    );
}

#[test]
fn newest_versions_come_from_the_local_nuget_cache_when_it_is_newer() {
    let cache = std::env::temp_dir().join(format!("durable-lsp-nuget-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    std::fs::create_dir_all(cache.join("microsoft.azure.functions.worker.extensions.durabletask/1.99.0")).unwrap();
    let fixture = "tests/fixtures/proj-P003/invalid-attribute";
    let output = Command::new(env!("CARGO_BIN_EXE_durable-lsp"))
        .args(["check", fixture, "--format", "json", "--select", "P003"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env("NUGET_PACKAGES", &cache)
        .output()
        .unwrap();
    let report = json(&output);
    let message = report["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.ends_with("the newest known is 1.99.0"), "{message}");
    std::fs::remove_dir_all(&cache).unwrap();
}

#[test]
fn check_fix_applies_safe_fixes_and_keeps_comments() {
    let root = std::env::temp_dir().join(format!("durable-lsp-fix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let host = "{\n  // keep me\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"storageProvider\": { \"type\": \"azureManaged\" } } }\n}\n";
    std::fs::write(root.join("host.json"), host).unwrap();
    std::fs::write(root.join("local.settings.json"), "{ \"Values\": { \"FUNCTIONS_WORKER_RUNTIME\": \"python\" } }")
        .unwrap();
    std::fs::write(root.join("requirements.txt"), "azure-functions\n").unwrap();
    let before = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(before.status.code(), Some(1));
    let fixed = run(&["check", root.to_str().unwrap(), "--fix", "--format", "json"]);
    let report = json(&fixed);
    let left: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" || d["severity"] == "warning")
        .collect();
    // Only the comment is left: --fix never removes what the user wrote.
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["code"], "H002");
    assert_eq!(fixed.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&fixed.stderr).contains("applied"));
    assert!(std::fs::read_to_string(root.join("host.json")).unwrap().contains("// keep me"));
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn hostile_files_get_bounded_answers() {
    let root = std::env::temp_dir().join(format!("durable-lsp-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    // A binary file named host.json, and invalid UTF-8 in local.settings.json.
    let binary = root.join("binary");
    std::fs::create_dir_all(&binary).unwrap();
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(binary.join("host.json"), &bytes).unwrap();
    std::fs::write(binary.join("local.settings.json"), b"{\"IsEncrypted\": false, \"Values\": {\"A\": \"\xff\xfe\"}}")
        .unwrap();
    // A host.json larger than the analysis limit.
    let large = root.join("large");
    std::fs::create_dir_all(&large).unwrap();
    let mut text = String::from("{\"version\": \"2.0\", \"logging\": {\"logLevel\": {");
    while text.len() < 17 * 1024 * 1024 {
        text.push_str("\"Category.Name.Long.Enough\": \"Information\", ");
    }
    text.push_str("\"x\": \"y\"}}}");
    std::fs::write(large.join("host.json"), &text).unwrap();
    // A symbolic link loop in the workspace.
    std::os::unix::fs::symlink("..", root.join("binary").join("loop")).unwrap();

    let started = std::time::Instant::now();
    let output = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    let report = json(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(report["summary"]["apps"], 2);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let binary_errors =
        diagnostics.iter().filter(|d| d["path"].as_str().unwrap().ends_with("binary/host.json")).count();
    assert!((1..=101).contains(&binary_errors), "{binary_errors} diagnostics for a binary file");
    let large_ones: Vec<_> =
        diagnostics.iter().filter(|d| d["path"].as_str().unwrap().ends_with("large/host.json")).collect();
    assert_eq!(large_ones.len(), 1);
    assert!(large_ones[0]["message"].as_str().unwrap().contains("larger than the 16 MB"));
    // Generous: this is about not hanging, not about speed.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let refused = run(&["migrate", large.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("too large"));
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_server_contains_no_network_or_process_code() {
    // docs/security.md: no network access, nothing from the workspace is executed.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for forbidden in ["std::net", "TcpStream", "UdpSocket", "process::Command", "Command::new"] {
                    assert!(!text.contains(forbidden), "{} uses {forbidden}", path.display());
                }
            }
        }
    }
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock")).unwrap();
    for client in ["name = \"reqwest\"", "name = \"hyper\"", "name = \"ureq\"", "name = \"curl\""] {
        assert!(!lock.contains(client), "a network client in the dependency tree: {client}");
    }
}

#[test]
fn no_network_system_call_is_ever_made() {
    // The binary under strace through check, migrate and an LSP session: no
    // socket is created. (strace is installed by .ci/run.)
    if Command::new("strace").arg("-V").output().is_err() {
        panic!("strace is needed for this test: apt-get install strace");
    }
    let log = std::env::temp_dir().join(format!("durable-lsp-strace-{}", std::process::id()));
    let bin = env!("CARGO_BIN_EXE_durable-lsp");
    let session = concat!(
        "Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}",
        "Content-Length: 52\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}",
        "Content-Length: 44\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}",
        "Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}",
    );
    let runs: [(&[&str], Option<&str>); 3] = [
        (&["check", "examples"], None),
        (&["migrate", "examples/dotnet-isolated-orders"], None),
        (&["--stdio"], Some(session)),
    ];
    for (args, input) in runs {
        let mut child = Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=socket,connect,sendto", "-o"])
            .arg(&log)
            .arg(bin)
            .args(args)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        if let Some(input) = input {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        } else {
            drop(child.stdin.take());
        }
        child.wait().unwrap();
        let calls = std::fs::read_to_string(&log).unwrap();
        assert!(!calls.contains("socket(") && !calls.contains("connect("), "{args:?} made network calls:\n{calls}");
    }
    let _ = std::fs::remove_file(&log);
}

#[test]
fn the_benchmark_smoke_run_still_works() {
    // bench/run.py --smoke: tiny inputs, our server only, correctness checks,
    // no timing assertions. Keeps the benchmark from rotting.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new("python3")
        .arg(repo.join("bench/run.py"))
        .args(["--smoke", "--ours", env!("CARGO_BIN_EXE_durable-lsp")])
        .current_dir(&repo)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The benchmark measures files it is given in place of the generated ones
/// (the way to re-run it on held-out inputs): it finds where to complete and
/// type in their text, whatever their layout.
#[test]
fn the_benchmark_measures_the_files_it_is_given() {
    let root = std::env::temp_dir().join(format!("durable-lsp-own-inputs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for dir in ["app", "apps/one", "apps/two", "apps/two/bin/Debug/net8.0"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    // Tabs, CRLF, a BOM, no hubName, keys on the same line as their brace.
    let levels: String = (0..300).map(|i| format!("\t\t\"Function.F{i:04}\": \"Warning\",\r\n")).collect();
    let host = format!(
        "\u{feff}{{\"version\": \"2.0\",\r\n\t\"logging\": {{\"logLevel\": {{\r\n{levels}\t\t\"default\": \"Error\"}}}},\r\n\
         \t\"extensions\": {{\"durableTask\": {{\"storageProvider\": {{\"type\": \"azureManaged\"}}}}}}\r\n}}\r\n"
    );
    std::fs::write(root.join("app/host.json"), host).unwrap();
    std::fs::write(root.join("app/App.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\">\n</Project>\n").unwrap();
    // A built app has a copy of its host.json under bin/, which is no app.
    for app in ["apps/one", "apps/two", "apps/two/bin/Debug/net8.0"] {
        std::fs::write(root.join(app).join("host.json"), "{\"version\": \"2.0\"}").unwrap();
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let results = root.join("results.json");
    let output = Command::new("python3")
        .arg(repo.join("bench/run.py"))
        .args(["--smoke", "--ours", env!("CARGO_BIN_EXE_durable-lsp"), "--big"])
        .arg(root.join("app/host.json"))
        .arg("--csproj")
        .arg(root.join("app/App.csproj"))
        .arg("--monorepo")
        .arg(root.join("apps"))
        .arg("--json")
        .arg(&results)
        .current_dir(&repo)
        .output()
        .expect("python3 runs");
    let log = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{log}");
    let results: serde_json::Value = serde_json::from_slice(&std::fs::read(&results).unwrap()).unwrap();
    let big = &results["inputs"]["big"];
    assert_eq!(big["own"], true, "{big}");
    // Completion inside the first key of durableTask, typing just after its brace.
    assert_eq!(big["completion"], serde_json::json!([303, 33]), "{big}");
    assert_eq!(big["typing_start"], serde_json::json!([303, 32]), "{big}");
    let ours = &results["ours"];
    assert!(ours["completion_big"]["items"].as_u64() > Some(0), "{ours}");
    assert_eq!(ours["keystroke_big_ms"]["n"], 20, "{ours}");
    assert!(ours["keystroke_steps_with_errors"].as_u64() > Some(0), "{ours}");
    assert_eq!(results["check"]["summary"]["apps"], 2, "{}", results["check"]);
    assert_eq!(results["inputs"]["monorepo"]["apps"], 2, "{}", results["inputs"]);
    assert!(log.contains("host.json (yours: app/host.json)"), "{log}");
    // The do-nothing server's open of the same file: the floor of that row.
    assert_eq!(results["open_big_floor_ms"]["samples"].as_array().map(Vec::len), Some(1), "{results}");
    assert!(log.contains("the same by floor_server.py"), "{log}");
    let _ = std::fs::remove_dir_all(&root);
}

/// Files that are not regular files are never read: a FIFO named
/// local.settings.json would block a read forever, a link to /dev/zero would
/// never end, a folder cannot be read. `check` answers for every app, and
/// says that it could not read them (exit code 2): the rules alone would
/// take them for missing files.
#[test]
fn fifos_devices_and_folders_named_like_app_files_are_not_read() {
    let root = std::env::temp_dir().join(format!("durable-lsp-special-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for app in ["fifo", "zero", "folder"] {
        std::fs::create_dir_all(root.join(app)).unwrap();
        std::fs::write(root.join(app).join("host.json"), "{\"version\": \"2.0\"}").unwrap();
    }
    let made = Command::new("mkfifo").arg(root.join("fifo/local.settings.json")).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", root.join("zero/local.settings.json")).unwrap();
    std::fs::create_dir(root.join("folder/local.settings.json")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_durable-lsp"))
        .args(["check", root.to_str().unwrap(), "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("check hung on a special file");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let report = json(&output);
    assert_eq!(report["summary"]["apps"], 3, "{report}");
    assert_eq!(output.status.code(), Some(2), "{report}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for app in ["fifo", "zero", "folder"] {
        let said = format!("cannot read {}/{app}/local.settings.json: ", root.display());
        assert!(stderr.contains(&said), "{app}: {stderr}");
    }
    std::fs::remove_dir_all(&root).unwrap();
}

/// What stands where a file would be but is no file is named, for the apps
/// that would read it: a folder named like the project of a .NET app, but
/// not a folder named Directory.Build.props above an app with no project
/// (MSBuild's files are nothing to a Python app).
#[test]
fn folders_named_like_project_files_are_named_only_where_msbuild_reads_them() {
    let root = std::env::temp_dir().join(format!("durable-lsp-passed-over-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("Directory.Build.props")).unwrap();
    for app in ["py", "net"] {
        std::fs::create_dir_all(root.join(app)).unwrap();
        std::fs::write(root.join(app).join("host.json"), "{\"version\": \"2.0\"}").unwrap();
    }
    std::fs::write(root.join("py/requirements.txt"), "azure-functions\n").unwrap();
    std::fs::create_dir(root.join("net/App.csproj")).unwrap();
    let py = run(&["check", root.join("py").to_str().unwrap()]);
    assert_eq!(py.status.code(), Some(0), "{}", String::from_utf8_lossy(&py.stderr));
    let net = run(&["check", root.join("net").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&net.stderr);
    assert_eq!(net.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("App.csproj") && stderr.contains("Directory.Build.props"), "{stderr}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// Every file name in an app folder is looked at, whatever its characters.
#[test]
fn apps_with_non_ascii_file_names_are_checked() {
    let root = std::env::temp_dir().join(format!("durable-lsp-names-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("host.json"), "{\"version\": \"2.0\"}").unwrap();
    for name in ["README.中文.md", "€abcdef", "Überweisung.csproj"] {
        std::fs::write(root.join(name), "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>").unwrap();
    }
    let output = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(json(&output)["summary"]["apps"], 1);
    std::fs::remove_dir_all(&root).unwrap();
}

/// The human report's source lines mask credentials in every connection
/// string syntax (blanks around `=`, quoted values), and its carets point
/// at the masked line's characters; a byte order mark is no column.
#[test]
fn human_output_masks_quoted_secrets_and_places_carets_on_the_masked_line() {
    let root = std::env::temp_dir().join(format!("durable-lsp-masked-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    for name in ["host.json", "ShippingApp.csproj", "Program.cs"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/dotnet-isolated-half-switched").join(name);
        std::fs::copy(from, root.join(name)).unwrap();
    }
    let value =
        "Endpoint=http://localhost:8080;AccountKey=LONGSECRETVALUE1234567890;Authentication=Bogus;Password = 'SE CRET'";
    let settings = format!(
        "\u{feff}{{\"IsEncrypted\": false, \"Values\": {{\"API_TOKEN\": \"ghp_TOKENVALUE\", \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\", \"DTS_CONNECTION_STRING\": \"{value}\"}}}}"
    );
    std::fs::write(root.join("local.settings.json"), settings).unwrap();
    let output = run(&["check", root.to_str().unwrap()]);
    let human = String::from_utf8_lossy(&output.stdout);
    assert!(!human.contains("LONGSECRET") && !human.contains("SE CRET"), "{human}");
    // A setting named like a secret is hidden whole, on the same line.
    assert!(!human.contains("TOKENVALUE") && human.contains("\"API_TOKEN\": \"***\""), "{human}");
    let lines: Vec<&str> = human.lines().collect();
    let at = lines.iter().position(|l| l.contains("error[L014]")).expect("the L014 report") + 2;
    let caret = lines[at + 1].find('^').unwrap();
    // In characters: the long line is cut, and starts with an ellipsis.
    let bogus = lines[at].find("Bogus").unwrap();
    assert_eq!(caret, lines[at][..bogus].chars().count(), "{human}");
    assert_eq!(lines[at + 1].trim_end().len() - caret, "Bogus".len(), "{human}");
    // The same diagnostic in JSON: its column counts from after the mark.
    let output = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    let report = json(&output);
    let bogus = report["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "L014").unwrap().clone();
    let line = std::fs::read_to_string(root.join("local.settings.json")).unwrap();
    let column = line.trim_start_matches('\u{feff}').find("Bogus").unwrap() + 1;
    assert_eq!(bogus["range"]["start"], serde_json::json!({"line": 1, "column": column}), "{bogus}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// `migrate` says when it has nothing to work on or is given a hub name
/// the scheduler would refuse, instead of exiting 0 without a word.
#[test]
fn migrate_refuses_a_bad_hub_name_and_a_folder_without_apps() {
    let output = run(&["migrate", "examples/dotnet-isolated-orders", "--hub", "my hub;x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("3 to 64 letters, digits or hyphens"));
    let output = run(&["migrate", "examples/dotnet-isolated-orders", "--auth", "DefaultAzure"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs an endpoint (--endpoint)"));
    let output = run(&["migrate", "docs", "--write"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no function app"), "{output:?}");
    // What the rules would rewrite is refused, not written as something else.
    for (args, said) in [
        (&["--endpoint", "http://localhost:8082"][..], "rule L018"),
        (&["--endpoint", "http://orders.example.com"][..], "rule L016"),
        (&["--endpoint", "https://orders.westus2.durabletask.io", "--auth", "None"][..], "rule L015"),
    ] {
        let output = run(&[&["migrate", "examples/dotnet-isolated-orders"][..], args].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains(said), "{args:?}: {output:?}");
    }
    // The emulator on this machine is reached without credentials.
    let output = run(&["migrate", "examples/dotnet-isolated-orders", "--endpoint", "http://localhost:8080"]);
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.contains("Endpoint=http://localhost:8080;Authentication=None\""), "{output:?}");
    let output = run(&["migrate", "examples/dotnet-isolated-orders", "--auth", "None"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    // Options a switch cannot use (the app has those settings) are said to be unused.
    let output = run(&[
        "migrate",
        "tests/migrate/already-dts-named-hub",
        "--endpoint",
        "https://other.westus2.durabletask.io",
        "--hub",
        "other",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--endpoint/--auth (the app has its connection setting"), "{stderr}");
    assert!(stderr.contains("--hub (host.json names the app's hub) not used"), "{stderr}");
    assert!(stderr.contains("already on the Durable Task Scheduler"), "{stderr}");
}

/// A scratch folder for one test, empty.
fn scratch(name: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("durable-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    root
}

/// `--fix` applies only the fixes of the rules `--select` and `--ignore`
/// let run: a CI job that selects one rule does not rewrite for the others.
#[test]
fn check_fix_keeps_to_the_selected_rules() {
    let root = scratch("fix-select");
    let host = "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"storageProvider\": { \"type\": \"azureManaged\" } } }\n}\n";
    let local = "{ \"Values\": { \"FUNCTIONS_WORKER_RUNTIME\": \"python\" } }";
    std::fs::write(root.join("host.json"), host).unwrap();
    std::fs::write(root.join("local.settings.json"), local).unwrap();
    std::fs::write(root.join("requirements.txt"), "azure-functions\n").unwrap();
    let files = |root: &Path| {
        ["host.json", "local.settings.json"].map(|name| std::fs::read_to_string(root.join(name)).unwrap())
    };
    for args in [&["--select", "H002"][..], &["--ignore", "H,L,P"][..]] {
        let fixed = run(&[&["check", root.to_str().unwrap(), "--fix"][..], args].concat());
        assert!(String::from_utf8_lossy(&fixed.stderr).contains("applied 0 fixes"), "{args:?}");
        assert_eq!(files(&root), [host, local], "{args:?}");
    }
    let fixed = run(&["check", root.to_str().unwrap(), "--fix", "--select", "H014"]);
    assert!(String::from_utf8_lossy(&fixed.stderr).contains("applied 1 fix"));
    let [host_after, local_after] = files(&root);
    assert_eq!(host_after, host, "H021 (the hub name) was not selected");
    assert!(local_after.contains("Endpoint=http://localhost:8080"), "{local_after}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// Text from the files cannot forge lines of the human report: a newline in
/// a value would start a line a CI runner takes for a command (`::error`),
/// an ESC would drive the terminal. They are shown escaped.
#[test]
fn human_output_escapes_control_characters_from_the_files() {
    let root = scratch("escapes");
    let host = r#"{ "version": "2.0", "extensions": { "durableTask": { "hubName": "x\n::error file=README.md::Injected\u001b[2J\u0007", "storageProvider": { "type": "azureManaged" } } } }"#;
    std::fs::write(root.join("host.json"), format!("{host}\n// \u{1b}]0;title\u{7}\n")).unwrap();
    let output = run(&["check", root.to_str().unwrap()]);
    let human = String::from_utf8_lossy(&output.stdout);
    assert!(human.contains("H025"), "{human}");
    assert!(!human.lines().any(|line| line.starts_with("::")), "{human}");
    assert!(!human.contains('\u{1b}') && !human.contains('\u{7}'), "{human}");
    assert!(human.contains(r"x\n::error file=README.md::Injected\u{1b}[2J\u{7}"), "{human}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// A minified file is one long line: each excerpt shows a window of it
/// around the diagnostic, so the report grows with the diagnostics, not
/// with the line's length times their number.
#[test]
fn human_excerpts_of_long_lines_are_windows() {
    let root = scratch("long-line");
    let keys: Vec<String> = (0..2000).map(|i| format!("\"unknownSetting{i:05}{}\": 1", "x".repeat(80))).collect();
    let host = format!("{{\"version\": \"2.0\", \"extensions\": {{\"durableTask\": {{{}}}}}}}", keys.join(", "));
    std::fs::write(root.join("host.json"), &host).unwrap();
    let output = run(&["check", root.to_str().unwrap()]);
    let human = String::from_utf8_lossy(&output.stdout);
    assert_eq!(human.matches("information[H006]").count(), 2000);
    assert!(human.len() < 2000 * 1000, "{} bytes", human.len());
    // The window shows the key the diagnostic is about, with carets under it.
    let lines: Vec<&str> = human.lines().collect();
    let at = lines.iter().position(|l| l.contains("unknownSetting01234")).unwrap();
    let excerpt = lines[at + 2];
    let caret = lines[at + 3].find('^').unwrap();
    let key = excerpt.find("\"unknownSetting01234").unwrap();
    assert_eq!(caret, excerpt[..key].chars().count(), "{excerpt}\n{}", lines[at + 3]);
    assert!(excerpt.starts_with("1 | …") && excerpt.ends_with('…'), "{excerpt}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// SARIF for code scanning: files relative to `%SRCROOT%` (the current
/// folder), a shared props file above the path given included; rules with
/// a name and a full description; and a run that could not read a path
/// given says so in its invocation, so an upload does not close alerts.
#[test]
fn sarif_names_files_from_the_source_root_and_says_when_the_run_failed() {
    let output = run(&["check", "tests/fixtures/proj-cpm-monorepo/apps", "--format", "sarif"]);
    let sarif = json(&output);
    let run_ = &sarif["runs"][0];
    let srcroot = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(srcroot.starts_with("file:///") && srcroot.ends_with('/'), "{srcroot}");
    let locations: Vec<&Value> =
        run_["results"].as_array().unwrap().iter().map(|r| &r["locations"][0]["physicalLocation"]).collect();
    assert!(locations.iter().all(|l| l["artifactLocation"]["uriBaseId"] == "%SRCROOT%"));
    let uris: Vec<&str> = locations.iter().map(|l| l["artifactLocation"]["uri"].as_str().unwrap()).collect();
    assert!(uris.contains(&"tests/fixtures/proj-cpm-monorepo/Directory.Packages.props"), "{uris:?}");
    assert_eq!(run_["invocations"][0]["executionSuccessful"], true);
    let information = run_["tool"]["driver"]["informationUri"].as_str().unwrap();
    assert!(information.starts_with("https://"), "{information}");
    for rule in run_["tool"]["driver"]["rules"].as_array().unwrap() {
        let name = rule["name"].as_str().unwrap();
        assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()), "{rule}");
        assert!(rule["fullDescription"]["text"].as_str().unwrap().len() > 20, "{rule}");
    }

    let output = run(&["check", "examples/dotnet-isolated-orders", "no/such/folder", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(2));
    let invocation = &json(&output)["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let said = invocation["toolExecutionNotifications"][0]["message"]["text"].as_str().unwrap();
    assert!(said.starts_with("no/such/folder: "), "{said}");
}

/// Two paths that reach the same files report each file once.
#[test]
fn overlapping_paths_report_each_file_once() {
    let once = json(&run(&["check", "tests/fixtures/monorepo-shared-cpm", "--format", "json"]));
    let twice = json(&run(&[
        "check",
        "tests/fixtures/monorepo-shared-cpm/apps/Billing",
        "tests/fixtures/monorepo-shared-cpm",
        "--format",
        "json",
    ]));
    assert_eq!(once["summary"], twice["summary"]);
    assert_eq!(once["diagnostics"].as_array().unwrap().len(), twice["diagnostics"].as_array().unwrap().len());
    // The same app under two spellings of its path is one app.
    let app = "examples/dotnet-isolated-half-switched";
    let once = json(&run(&["check", app, "--format", "json"]));
    let twice = json(&run(&["check", app, "server/../examples/dotnet-isolated-half-switched", "--format", "json"]));
    assert_eq!(once["summary"], twice["summary"]);
}

/// A selector that names nothing is a mistake, not "all rules".
#[test]
fn an_empty_selector_is_refused() {
    for args in [&["--select", ""][..], &["--select", ","][..], &["--ignore", " "][..]] {
        let output = run(&[&["check", "examples", "--format", "json"][..], args].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("names no rule"), "{args:?}");
    }
}

/// Messages built from values mask them when the setting's name says it
/// is a secret, in every format: a number (L004), a hub name from a setting
/// (H025), a password in a URL, an API key in a connection string.
#[test]
fn messages_and_excerpts_mask_values_of_settings_named_like_secrets() {
    let root = scratch("secret-messages");
    let host = r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "%HUB_SECRET%", "storageProvider": {"type": "azureStorage"}}}}"#;
    let local = r#"{"Values": {"FUNCTIONS_WORKER_RUNTIME": "python", "DB_PASSWORD": 12345678, "HUB_SECRET": "no-good_hub!",
 "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Feed": "https://me:pw0rd42@feed.example/x;ApiKey=sk_9876"}}"#;
    std::fs::write(root.join("host.json"), host).unwrap();
    std::fs::write(root.join("local.settings.json"), local).unwrap();
    std::fs::write(root.join("requirements.txt"), "azure-functions\n").unwrap();
    for format in ["human", "json", "sarif"] {
        let output = run(&["check", root.to_str().unwrap(), "--format", format]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("L004") && text.contains("H025"), "{format}: {text}");
        for secret in ["12345678", "no-good_hub", "pw0rd42", "sk_9876"] {
            assert!(!text.contains(secret), "{format} shows {secret}: {text}");
        }
    }
    // On DTS with the emulator (H027) and a TaskHub in the connection (L024).
    let host = host.replace("azureStorage", "azureManaged");
    let local = local.replace(
        "\"Feed\"",
        "\"DURABLE_TASK_SCHEDULER_CONNECTION_STRING\": \"Endpoint=http://localhost:8080;Authentication=None;TaskHub=x\", \"Feed\"",
    );
    std::fs::write(root.join("host.json"), host).unwrap();
    std::fs::write(root.join("local.settings.json"), local).unwrap();
    let output = run(&["check", root.to_str().unwrap(), "--format", "json"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("H027") && text.contains("L024"), "{text}");
    assert!(!text.contains("no-good_hub"), "{text}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// Windows PowerShell's `Out-File` writes UTF-16 with a byte order mark,
/// and Core Tools reads such a local.settings.json: so does `check` (not a
/// hundred syntax errors), while `migrate` and `--fix`, which write UTF-8
/// only, leave it byte for byte as it is and say why.
#[test]
fn a_utf16_local_settings_is_read_and_never_rewritten() {
    let root = scratch("utf16");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/dotnet-isolated-half-switched");
    for name in ["host.json", "ShippingApp.csproj", "Program.cs"] {
        std::fs::copy(example.join(name), root.join(name)).unwrap();
    }
    let settings = std::fs::read_to_string(example.join("local.settings.json")).unwrap();
    for (name, bytes) in [
        ("le", [&[0xFF, 0xFE][..], &settings.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()].concat()),
        ("be", [&[0xFE, 0xFF][..], &settings.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>()].concat()),
    ] {
        std::fs::write(root.join("local.settings.json"), &bytes).unwrap();
        let report = json(&run(&["check", root.to_str().unwrap(), "--format", "json"]));
        let codes: Vec<&str> =
            report["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
        assert!(!codes.contains(&"L001") && codes.contains(&"L014"), "{name}: {codes:?}");
        let migrated = run(&["migrate", root.to_str().unwrap(), "--write"]);
        assert_eq!(migrated.status.code(), Some(2), "{name}");
        assert!(String::from_utf8_lossy(&migrated.stderr).contains("UTF-16"), "{name}");
        let fixed = run(&["check", root.to_str().unwrap(), "--fix"]);
        assert_eq!(fixed.status.code(), Some(2), "{name}");
        assert!(String::from_utf8_lossy(&fixed.stderr).contains("UTF-16"), "{name}");
        assert_eq!(std::fs::read(root.join("local.settings.json")).unwrap(), bytes, "{name}");
    }
    std::fs::remove_dir_all(&root).unwrap();
}

/// Carets sit under the characters as a terminal draws them: a CJK
/// character before the diagnostic takes two columns.
#[test]
fn carets_count_wide_characters_as_two_columns() {
    let output = run(&["check", "tests/fixtures/non-ascii/bad-auth"]);
    let human = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = human.lines().collect();
    let at = lines.iter().position(|l| l.contains("error[L014]")).expect("the L014 report") + 2;
    let excerpt = lines[at];
    let before = &excerpt[..excerpt.find("Managed Identity").unwrap()];
    assert!(before.contains('默'), "{excerpt}");
    let wide = before.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count();
    let caret = lines[at + 1].find('^').unwrap();
    assert_eq!(caret, before.chars().count() + wide, "{excerpt}\n{}", lines[at + 1]);
}

/// `--fix` over several apps: one that cannot be written is left as it
/// was and said, the others are fixed (stderr names their files), and the
/// report still comes, its SARIF invocation marked failed.
#[test]
fn check_fix_goes_on_past_an_app_it_cannot_write() {
    let root = scratch("fix-partial");
    let host = "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"storageProvider\": { \"type\": \"azureManaged\" } } }\n}\n";
    let local = "{ \"Values\": { \"FUNCTIONS_WORKER_RUNTIME\": \"python\" } }";
    for app in ["a-utf16", "b-fine"] {
        std::fs::create_dir_all(root.join(app)).unwrap();
        std::fs::write(root.join(app).join("host.json"), host).unwrap();
        std::fs::write(root.join(app).join("requirements.txt"), "azure-functions\n").unwrap();
    }
    let utf16: Vec<u8> =
        [&[0xFF, 0xFE][..], &local.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()].concat();
    std::fs::write(root.join("a-utf16/local.settings.json"), &utf16).unwrap();
    std::fs::write(root.join("b-fine/local.settings.json"), local).unwrap();
    let output = run(&["check", root.to_str().unwrap(), "--fix", "--format", "sarif"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("UTF-16") && stderr.contains("b-fine: ") && stderr.contains(" fixes in "), "{stderr}");
    assert_eq!(std::fs::read(root.join("a-utf16/local.settings.json")).unwrap(), utf16);
    assert_eq!(std::fs::read_to_string(root.join("a-utf16/host.json")).unwrap(), host, "all or none per app");
    assert_ne!(std::fs::read_to_string(root.join("b-fine/local.settings.json")).unwrap(), local);
    let invocation = &json(&output)["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// `--fix` over two PATHs that are one app, or one missing path given
/// twice: the app is fixed once, the trouble said once.
#[test]
fn check_fix_says_each_thing_once() {
    let output = run(&["check", "no/such/app", "no/such/app", "--fix"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr).matches("no/such/app:").count(), 1);
    let root = scratch("fix-once");
    let host = "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"storageProvider\": { \"type\": \"azureManaged\" } } }\n}\n";
    std::fs::write(root.join("host.json"), host).unwrap();
    std::fs::write(root.join("local.settings.json"), "{ \"Values\": { \"FUNCTIONS_WORKER_RUNTIME\": \"python\" } }")
        .unwrap();
    std::fs::write(root.join("requirements.txt"), "azure-functions\n").unwrap();
    let dotted = root.join(".").join("..").join(root.file_name().unwrap());
    let output = run(&["check", root.to_str().unwrap(), dotted.to_str().unwrap(), "--fix"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches(" fixes in ").count() + stderr.matches(" fix in ").count(), 1, "{stderr}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// An app the switch cannot make clean (a version shared by an item under a
/// Condition gets no fix) is not reported as if it were: a note says how
/// many errors are left, and that `check` shows them. The note on the
/// settings the deployed app needs names the ones host.json reads.
#[test]
fn migrate_says_what_it_left_and_what_the_deployed_app_needs() {
    let root = std::env::temp_dir().join(format!("durable-lsp-cli-left-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("host.json"),
        "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"%MY_HUB%\" } }\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("App.csproj"),
        "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker\" Version=\"2.52.0\" />\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker.Sdk\" Version=\"2.1.0\" />\n    <PackageReference Include=\"Contoso.Lib;Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"1.1.0\" Condition=\"'$(TargetFramework)' == 'net8.0'\" />\n  </ItemGroup>\n</Project>\n",
    )
    .unwrap();
    let output = run(&["migrate", root.to_str().unwrap(), "--write"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 error the switch cannot fix (P003) left"), "{stderr}");
    assert!(
        stderr.contains("set the app settings DURABLE_TASK_SCHEDULER_CONNECTION_STRING and MY_HUB too"),
        "{stderr}"
    );
    let project = std::fs::read_to_string(root.join("App.csproj")).unwrap();
    assert!(
        project.contains(
            "Include=\"Contoso.Lib;Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"1.1.0\""
        ),
        "{project}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}
