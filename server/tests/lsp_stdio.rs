//! End-to-end: start the built binary and speak JSON-RPC over its stdio, as
//! an editor does. Each test copies a small app into a fresh temporary folder.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Requests the server sent us (method names), answered with `null`.
    server_requests: Vec<String>,
    /// Notifications read while waiting for something else.
    backlog: Vec<Value>,
    /// What we answer to workspace/configuration.
    settings: Value,
    /// Edits the server asked us to apply (workspace/applyEdit).
    applied_edits: Vec<Value>,
    /// When set, workspace/applyEdit is answered "not applied", for this reason.
    refuse_edits: Option<String>,
    /// What the server said it can do, in its answer to initialize.
    capabilities: Value,
}

impl Client {
    fn start(capabilities: Value, root: &Path) -> Client {
        Client::start_with(capabilities, Value::Null, Value::Null, root)
    }

    fn start_with(capabilities: Value, initialization_options: Value, settings: Value, root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_durable-lsp"))
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    // Anything but a JSON-RPC header on stdout is a bug.
                    let (name, value) = line.split_once(": ").expect("a header line");
                    assert_eq!(name, "Content-Length", "unexpected output on stdout: {line}");
                    length = Some(value.parse::<usize>().unwrap());
                }
                let mut body = vec![0; length.unwrap()];
                stdout.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice::<Value>(&body).expect("JSON body")).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 0,
            server_requests: Vec::new(),
            backlog: Vec::new(),
            settings,
            applied_edits: Vec::new(),
            refuse_edits: None,
            capabilities: Value::Null,
        };
        let root_uri = uri(root);
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": capabilities,
                   "initializationOptions": initialization_options,
                   "workspaceFolders": [{"uri": root_uri, "name": "ws"}]}),
        );
        assert!(result["capabilities"]["textDocumentSync"].is_object());
        client.capabilities = result["capabilities"].clone();
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Reads the next message, answering server requests on the way.
    fn read(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => {
                    if message.get("method").is_some() && message.get("id").is_some() {
                        self.server_requests.push(message["method"].as_str().unwrap().to_string());
                        let id = message["id"].clone();
                        let result = match message["method"].as_str() {
                            Some("workspace/configuration") => json!([self.settings]),
                            Some("workspace/applyEdit") => match &self.refuse_edits {
                                Some(reason) => json!({"applied": false, "failureReason": reason}),
                                None => {
                                    self.applied_edits.push(message["params"]["edit"].clone());
                                    json!({"applied": true})
                                }
                            },
                            _ => Value::Null,
                        };
                        self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
                        continue;
                    }
                    return Some(message);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn request_raw(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.read(deadline).unwrap_or_else(|| panic!("no answer to {method}"));
            if message["id"] == json!(id) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The next publishDiagnostics for `path` that satisfies `accept`.
    fn diagnostics_for(&mut self, path: &Path, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        self.diagnostics_for_uri(&uri(path), accept)
    }

    /// [`Client::diagnostics_for`] the document the client knows as `wanted`.
    fn diagnostics_for_uri(&mut self, wanted: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut pending = std::mem::take(&mut self.backlog).into_iter();
        // Messages about other files stay for later calls.
        let mut kept = Vec::new();
        loop {
            let message = match pending.next() {
                Some(message) => message,
                None => self.read(deadline).unwrap_or_else(|| panic!("no accepted diagnostics for {wanted}")),
            };
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == wanted {
                let diagnostics = message["params"]["diagnostics"].as_array().unwrap().clone();
                if accept(&diagnostics) {
                    kept.extend(pending);
                    self.backlog = kept;
                    return diagnostics;
                }
            } else {
                kept.push(message);
            }
        }
    }

    /// The quick fixes offered for `diagnostic` in `path`.
    fn quick_fixes(&mut self, path: &Path, diagnostic: &Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri(path)}, "range": diagnostic["range"],
                   "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}}),
        )
    }

    fn open(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).unwrap();
        let language = if path.extension().is_some_and(|e| e == "json") { "json" } else { "xml" };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// Everything the server sent up to now (a round trip makes sure it has
    /// handled what was sent before), taken out of the backlog.
    fn settle(&mut self) -> Vec<Value> {
        self.request_raw("durable-lsp/noSuchRequest", Value::Null);
        std::mem::take(&mut self.backlog)
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

/// A fresh folder with the given files.
fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("durable-lsp-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

/// `files` of the fixture app tests/fixtures/`fixture`, with their texts.
fn fixture_files(fixture: &str, files: &[&'static str]) -> Vec<(&'static str, String)> {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(fixture);
    files.iter().map(|f| (*f, std::fs::read_to_string(from.join(f)).unwrap())).collect()
}

/// A fresh folder holding `files` of the fixture app tests/fixtures/`fixture`.
fn workspace_from_fixture(name: &str, fixture: &str, files: &[&'static str]) -> PathBuf {
    let texts = fixture_files(fixture, files);
    let pairs: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
    workspace(name, &pairs)
}

/// The files of tests/fixtures/proj-cpm-monorepo the props-file tests use.
const CPM_MONOREPO: [&str; 5] = [
    "Directory.Packages.props",
    "apps/Orders/host.json",
    "apps/Orders/Orders.csproj",
    "apps/Billing/host.json",
    "apps/Billing/Billing.csproj",
];

/// The position of the first `needle` in an ASCII `text`.
fn position_of(text: &str, needle: &str) -> Value {
    let (line, character) = text.lines().enumerate().find_map(|(n, l)| l.find(needle).map(|c| (n, c))).unwrap();
    json!({"line": line, "character": character})
}

fn codes_and_starts(diagnostics: &[Value]) -> Vec<(String, u64, u64)> {
    let mut found: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let start = &d["range"]["start"];
            (
                d["code"].as_str().unwrap().to_string(),
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

const HALF_SWITCHED_HOST: &str = r#"{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      "storageProvider": {
        "type": "azureManaged",
        "connectionStringName": "DTS"
      }
    }
  }
}
"#;

const ISOLATED_CSPROJ: &str = r#"<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.Functions.Worker" Version="2.52.0" />
    <PackageReference Include="Microsoft.Azure.Functions.Worker.Extensions.DurableTask" Version="1.21.1" />
  </ItemGroup>
</Project>
"#;

const LOCAL_SETTINGS: &str = r#"{
  "IsEncrypted": false,
  "Values": {
    "DTS": "Endpoint=http://localhost:8080;Authentication=Managed Identity",
    "AzureWebJobsStorage": "UseDevelopmentStorage=true"
  }
}
"#;

#[test]
fn push_mode_reports_exact_codes_and_ranges_across_the_app() {
    let root = workspace(
        "push",
        &[
            ("app/host.json", HALF_SWITCHED_HOST),
            ("app/App.csproj", ISOLATED_CSPROJ),
            ("app/local.settings.json", LOCAL_SETTINGS),
        ],
    );
    let mut client = Client::start(json!({}), &root);
    client.open(&root.join("app/host.json"));
    let host = client.diagnostics_for(&root.join("app/host.json"), |d| !d.is_empty());
    assert_eq!(codes_and_starts(&host), [("H007".into(), 5, 16), ("H021".into(), 3, 4)]);
    let h007 = host.iter().find(|d| d["code"] == "H007").unwrap();
    assert_eq!(h007["range"]["end"], json!({"line": 5, "character": 30}));
    assert_eq!(h007["severity"], 1);
    assert_eq!(h007["source"], "durable-lsp");
    assert!(h007["relatedInformation"][0]["location"]["uri"].as_str().unwrap().ends_with("app/App.csproj"));
    // The project and local.settings.json are not open, yet their problems are shown.
    let project = client.diagnostics_for(&root.join("app/App.csproj"), |d| !d.is_empty());
    assert_eq!(codes_and_starts(&project), [("P002".into(), 3, 4)]);
    let local = client.diagnostics_for(&root.join("app/local.settings.json"), |d| !d.is_empty());
    // Inside the JSON string: the Authentication value itself.
    assert_eq!(codes_and_starts(&local), [("L014".into(), 3, 58)]);
    assert_eq!(local[0]["range"]["end"], json!({"line": 3, "character": 74}));
    client.shutdown();
}

#[test]
fn editing_local_settings_updates_host_json_diagnostics() {
    let host = r#"{
  "version": "2.0",
  "extensions": { "durableTask": { "hubName": "%TASKHUB_NAME%", "storageProvider": { "type": "azureManaged", "connectionName": "DTS" } } }
}"#;
    let local = "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"DTS\": \"Endpoint=http://localhost:8080;Authentication=None\",\n    \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\"\n  }\n}\n";
    let root = workspace("cross-file", &[("host.json", host), ("local.settings.json", local)]);
    let mut client = Client::start(json!({}), &root);
    client.open(&root.join("host.json"));
    let before = client.diagnostics_for(&root.join("host.json"), |d| !d.is_empty());
    assert_eq!(codes_and_starts(&before), [("H023".into(), 2, 46)]);

    client.open(&root.join("local.settings.json"));
    // Add TASKHUB_NAME with an incremental edit after the `"Values": {` line.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri(&root.join("local.settings.json")), "version": 2},
            "contentChanges": [{"range": {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 4}},
                                "text": "\"TASKHUB_NAME\": \"default\",\n    "}],
        }),
    );
    let after = client.diagnostics_for(&root.join("host.json"), |d| d.is_empty());
    assert!(after.is_empty());
    client.shutdown();
}

#[test]
fn utf16_columns_count_the_emoji_before_a_diagnostic() {
    let host = "{ \"x😀\": 1, \"version\": \"1.0\" }";
    let root = workspace("utf16", &[("host.json", host)]);
    let mut client = Client::start(json!({}), &root);
    client.open(&root.join("host.json"));
    let found = client.diagnostics_for(&root.join("host.json"), |d| !d.is_empty());
    // `{ "x😀": 1, "version": ` is 23 UTF-16 units (the emoji counts two) and 25 bytes.
    assert_eq!(codes_and_starts(&found), [("H003".into(), 0, 23)]);
    client.shutdown();

    // A client that offers UTF-8 gets byte columns.
    let mut client = Client::start(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}), &root);
    client.open(&root.join("host.json"));
    let found = client.diagnostics_for(&root.join("host.json"), |d| !d.is_empty());
    assert_eq!(codes_and_starts(&found), [("H003".into(), 0, 25)]);
    client.shutdown();
}

#[test]
fn pull_mode_answers_document_diagnostics_and_asks_for_refresh() {
    let root = workspace(
        "pull",
        &[("host.json", HALF_SWITCHED_HOST), ("App.csproj", ISOLATED_CSPROJ), ("local.settings.json", LOCAL_SETTINGS)],
    );
    let capabilities = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false, "relatedDocumentSupport": true}},
        "workspace": {"diagnostics": {"refreshSupport": true}, "didChangeWatchedFiles": {"dynamicRegistration": true}},
    });
    let mut client = Client::start(capabilities, &root);
    client.open(&root.join("host.json"));
    let report =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("host.json"))}}));
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap();
    assert_eq!(codes_and_starts(items), [("H007".into(), 5, 16), ("H021".into(), 3, 4)]);
    let related = &report["relatedDocuments"][uri(&root.join("App.csproj"))];
    assert_eq!(codes_and_starts(related["items"].as_array().unwrap()), [("P002".into(), 3, 4)]);

    // A keystroke in the only open file: the client pulls it itself, no
    // refresh (which would make it pull every open document again).
    let refreshes =
        |client: &Client| client.server_requests.iter().filter(|m| *m == "workspace/diagnostic/refresh").count();
    let before = refreshes(&client);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&root.join("host.json")), "version": 2},
               "contentChanges": [{"text": HALF_SWITCHED_HOST}]}),
    );
    client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("host.json"))}}));
    assert_eq!(refreshes(&client), before);

    client.open(&root.join("local.settings.json"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&root.join("local.settings.json")), "version": 2},
               "contentChanges": [{"text": "{ \"IsEncrypted\": false, \"Values\": { \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\" } }"}]}),
    );
    // A round trip guarantees the server has handled the change before we look.
    let report =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("host.json"))}}));
    let codes: Vec<_> = codes_and_starts(report["items"].as_array().unwrap()).into_iter().map(|c| c.0).collect();
    assert_eq!(codes, ["H007", "H014", "H021"]);
    // With host.json open, a change to local.settings.json refreshes.
    assert!(refreshes(&client) > before);
    assert!(client.server_requests.iter().any(|m| m == "client/registerCapability"));
    client.shutdown();
}

#[test]
fn bad_requests_get_errors_and_the_server_keeps_going() {
    let root = workspace("errors", &[("host.json", "{ \"version\": \"2.0\" ")]);
    let mut client = Client::start(json!({"textDocument": {"diagnostic": {}}}), &root);
    let response = client.request_raw("textDocument/diagnostic", json!({"not": "valid"}));
    assert_eq!(response["error"]["code"], -32602);
    let response = client.request_raw("textDocument/unknownThing", json!({}));
    assert_eq!(response["error"]["code"], -32601);
    // Positions far outside the text are clamped, not fatal.
    client.open(&root.join("host.json"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&root.join("host.json")), "version": 2},
               "contentChanges": [{"range": {"start": {"line": 99, "character": 99}, "end": {"line": 120, "character": 0}}, "text": "}"}]}),
    );
    let report =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("host.json"))}}));
    assert_eq!(report["items"], json!([]));
    client.shutdown();
}

#[test]
fn rule_settings_come_from_initialization_options_and_workspace_configuration() {
    let root = workspace(
        "settings",
        &[("host.json", HALF_SWITCHED_HOST), ("App.csproj", ISOLATED_CSPROJ), ("local.settings.json", LOCAL_SETTINGS)],
    );
    let options = json!({"durableLsp": {"rules": {"H021": "off", "H007": "warning", "Z999": "off"}}});
    let mut client = Client::start_with(json!({}), options, Value::Null, &root);
    client.open(&root.join("host.json"));
    let found = client.diagnostics_for(&root.join("host.json"), |d| !d.is_empty());
    assert_eq!(codes_and_starts(&found), [("H007".into(), 5, 16)]);
    assert_eq!(found[0]["severity"], 2, "H007 turned into a warning");
    assert!(found[0]["codeDescription"]["href"].as_str().unwrap().ends_with("docs/rules/H007.md"));
    // The unknown code is reported to the user, not ignored.
    let shown: Vec<Value> = client.backlog.iter().filter(|m| m["method"] == "window/showMessage").cloned().collect();
    assert!(shown.iter().any(|m| m["params"]["message"].as_str().unwrap().contains("Z999")), "{shown:?}");
    client.shutdown();

    // A client that answers workspace/configuration: the server asks after `initialized`.
    let settings = json!({"rules": {"H0": "off"}});
    let mut client = Client::start_with(json!({"workspace": {"configuration": true}}), Value::Null, settings, &root);
    client.open(&root.join("host.json"));
    // The first publish may come before the settings arrive; the settled one has no H0 rule.
    let found = client.diagnostics_for(&root.join("host.json"), |d| d.is_empty());
    assert!(found.is_empty());
    assert!(client.server_requests.iter().any(|m| m == "workspace/configuration"));
    client.shutdown();

    // Neovim answers workspace/configuration and sends the same settings in
    // didChangeConfiguration: a problem with them is said once, and again
    // only when it is another.
    let settings = json!({"rules": {"X9": "error"}});
    let mut client =
        Client::start_with(json!({"workspace": {"configuration": true}}), Value::Null, settings.clone(), &root);
    // Two round trips: the answer to workspace/configuration is handled after the first.
    let said = |client: &mut Client| {
        let mut messages = client.settle();
        messages.extend(client.settle());
        messages.iter().filter(|m| m["method"] == "window/showMessage").count()
    };
    assert_eq!(said(&mut client), 1);
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"durableLsp": settings}}));
    assert_eq!(said(&mut client), 0, "the same problem again");
    let other = json!({"settings": {"durableLsp": {"rules": {"X8": "error"}}}});
    client.notify("workspace/didChangeConfiguration", other);
    assert_eq!(said(&mut client), 1, "another problem");
    client.shutdown();
}

/// A byte offset for an LSP position (UTF-16 columns), as an editor computes it.
fn offset_of(text: &str, position: &Value) -> usize {
    let (line, character) =
        (position["line"].as_u64().unwrap() as usize, position["character"].as_u64().unwrap() as usize);
    let mut offset = 0;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        if index == line {
            let mut units = 0;
            for (i, ch) in content.char_indices() {
                if units >= character || ch == '\n' || ch == '\r' {
                    return offset + i;
                }
                units += ch.len_utf16();
            }
            return offset + content.trim_end_matches(['\n', '\r']).len();
        }
        offset += content.len();
    }
    text.len()
}

/// Applies a WorkspaceEdit to the files on disk, the way an editor would.
fn apply_workspace_edit(edit: &Value) {
    let mut operations: Vec<Value> = edit["documentChanges"].as_array().cloned().unwrap_or_default();
    if let Some(changes) = edit["changes"].as_object() {
        for (uri, edits) in changes {
            operations.push(json!({"textDocument": {"uri": uri}, "edits": edits}));
        }
    }
    for operation in operations {
        let uri = operation["uri"].as_str().or(operation["textDocument"]["uri"].as_str()).unwrap();
        let path = PathBuf::from(uri.strip_prefix("file://").unwrap().replace("%20", " "));
        if operation["kind"] == "create" {
            if !path.exists() {
                std::fs::write(&path, "").unwrap();
            }
            continue;
        }
        // As an editor does: the byte order mark stays out of the buffer and is written back.
        let on_disk = std::fs::read_to_string(&path).unwrap();
        let bom = if on_disk.starts_with('\u{feff}') { "\u{feff}" } else { "" };
        let mut text = on_disk[bom.len()..].to_string();
        let mut edits: Vec<(usize, usize, usize, String)> = operation["edits"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(index, e)| {
                let start = offset_of(&text, &e["range"]["start"]);
                (start, offset_of(&text, &e["range"]["end"]), index, e["newText"].as_str().unwrap().to_string())
            })
            .collect();
        // Back to front, so earlier offsets stay valid; edits at one position
        // keep their array order (the specification's rule for inserts).
        edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1, e.2)));
        for (start, end, _, new_text) in edits {
            text.replace_range(start..end, &new_text);
        }
        std::fs::write(&path, format!("{bom}{text}")).unwrap();
    }
}

/// The preferred action of a code action answer (there must be one).
fn preferred(actions: &Value) -> &Value {
    let found = actions.as_array().and_then(|all| all.iter().find(|a| a["isPreferred"] == true));
    found.unwrap_or_else(|| panic!("no preferred action in {actions}"))
}

fn check_json(root: &Path) -> Value {
    let output =
        Command::new(env!("CARGO_BIN_EXE_durable-lsp")).args(["check", "--format", "json"]).arg(root).output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

const EDIT_CAPABILITIES: &str = r#"{"workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}}}"#;

#[test]
fn quick_fixes_fix_other_files() {
    // H014 on host.json: the setting goes into local.settings.json, which is not open.
    let host = "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"%TASKHUB_NAME%\", \"storageProvider\": { \"type\": \"azureManaged\", \"connectionName\": \"DTS\" } } }\n}\n";
    let local = "{\r\n  \"IsEncrypted\": false,\r\n  \"Values\": {\r\n    \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\", // Azurite\r\n    \"TASKHUB_NAME\": \"default\"\r\n  }\r\n}\r\n";
    let root = workspace("quickfix", &[("host.json", host), ("local.settings.json", local)]);
    let capabilities: Value = serde_json::from_str(EDIT_CAPABILITIES).unwrap();
    let mut client = Client::start(capabilities, &root);
    client.open(&root.join("host.json"));
    let found = client.diagnostics_for(&root.join("host.json"), |d| d.iter().any(|d| d["code"] == "H014"));
    let h014 = found.iter().find(|d| d["code"] == "H014").unwrap().clone();
    let actions = client.quick_fixes(&root.join("host.json"), &h014);
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    let change = &action["edit"]["documentChanges"][0];
    assert!(change["textDocument"]["uri"].as_str().unwrap().ends_with("local.settings.json"));
    assert_eq!(change["textDocument"]["version"], Value::Null, "not open: no version");
    apply_workspace_edit(&action["edit"]);
    let after = std::fs::read_to_string(root.join("local.settings.json")).unwrap();
    // Only the new setting was added: CRLF, the comment and the rest are untouched.
    let expected = local.replace(
        "\"TASKHUB_NAME\": \"default\"\r\n",
        "\"TASKHUB_NAME\": \"default\",\r\n    \"DTS\": \"Endpoint=http://localhost:8080;Authentication=None\"\r\n",
    );
    assert_eq!(after, expected);
    let report = check_json(&root);
    assert_eq!(report["diagnostics"], json!([]), "{report}");
    client.shutdown();
}

/// A fix is made from the files as they are when the editor asks for it, not
/// as they were when the diagnostic was sent: local.settings.json changed on
/// disk in between (a `git pull`, no watcher event), and an edit made for its
/// old text would have landed inside another line. A client that does not
/// send `data` back still gets the fixes; a diagnostic that is gone gets none.
#[test]
fn quick_fixes_are_made_from_the_files_as_they_are_now() {
    let host = "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"%TASKHUB_NAME%\", \"storageProvider\": { \"type\": \"azureManaged\", \"connectionName\": \"DTS\" } } }\n}\n";
    let local = "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\",\n    \"TASKHUB_NAME\": \"default\"\n  }\n}\n";
    let root = workspace("stale-fix", &[("host.json", host), ("local.settings.json", local)]);
    let capabilities: Value = serde_json::from_str(EDIT_CAPABILITIES).unwrap();
    let mut client = Client::start(capabilities, &root);
    client.open(&root.join("host.json"));
    let found = client.diagnostics_for(&root.join("host.json"), |d| d.iter().any(|d| d["code"] == "H014"));
    let mut h014 = found.iter().find(|d| d["code"] == "H014").unwrap().clone();
    // The file changes on disk; the editor still holds the diagnostic (and drops its data).
    let changed =
        local.replace("  \"Values\": {\n", "  \"Values\": {\n    \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\",\n");
    std::fs::write(root.join("local.settings.json"), &changed).unwrap();
    h014.as_object_mut().unwrap().remove("data");
    let actions = client.quick_fixes(&root.join("host.json"), &h014);
    let action = preferred(&actions);
    apply_workspace_edit(&action["edit"]);
    let after = std::fs::read_to_string(root.join("local.settings.json")).unwrap();
    let expected = changed.replace(
        "\"TASKHUB_NAME\": \"default\"\n",
        "\"TASKHUB_NAME\": \"default\",\n    \"DTS\": \"Endpoint=http://localhost:8080;Authentication=None\"\n",
    );
    assert_eq!(after, expected);
    // Fixed now: the diagnostic the editor still shows gets no fix.
    let actions = client.quick_fixes(&root.join("host.json"), &h014);
    assert_eq!(actions, json!([]));
    client.shutdown();
}

/// A file that is not open is measured as an editor will load it: without
/// its byte order mark. A one-line local.settings.json with a BOM got its
/// L014 range, and so its fix, one character too far right.
#[test]
fn positions_in_a_closed_file_with_a_byte_order_mark_count_from_after_it() {
    let local = "\u{feff}{ \"IsEncrypted\": false, \"Values\": { \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\", \"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\", \"DTS\": \"Endpoint=http://localhost:8080;Authentication=Managed Identity\", \"TASKHUB_NAME\": \"default\" } }";
    let host = HALF_SWITCHED_HOST.replace("\"type\"", "\"hubName\": \"%TASKHUB_NAME%\", \"type\"");
    let root = workspace(
        "bom-closed",
        &[("host.json", host.as_str()), ("App.csproj", ISOLATED_CSPROJ), ("local.settings.json", local)],
    );
    let capabilities: Value = serde_json::from_str(EDIT_CAPABILITIES).unwrap();
    let mut client = Client::start(capabilities, &root);
    client.open(&root.join("host.json"));
    let path = root.join("local.settings.json");
    let found = client.diagnostics_for(&path, |d| d.iter().any(|d| d["code"] == "L014"));
    let l014 = found.iter().find(|d| d["code"] == "L014").unwrap().clone();
    let start = local.find("Managed Identity").unwrap() - '\u{feff}'.len_utf8();
    assert_eq!(l014["range"]["start"], json!({"line": 0, "character": start}));
    let actions = client.quick_fixes(&path, &l014);
    let action = preferred(&actions);
    apply_workspace_edit(&action["edit"]);
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after, local.replace("Authentication=Managed Identity", "Authentication=None"));
    client.shutdown();
}

/// In pull mode a Directory.Packages.props above the apps is asked for on its
/// own: its answer is what the apps that read it say of it (P003 here),
/// not its syntax alone.
#[test]
fn a_pulled_props_file_gets_the_diagnostics_of_the_apps_below_it() {
    let root = workspace_from_fixture("pull-props", "proj-cpm-monorepo", &CPM_MONOREPO[..3]);
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let mut client = Client::start(capabilities, &root);
    client.open(&root.join("apps/Orders/host.json"));
    client.open(&root.join("Directory.Packages.props"));
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri(&root.join("Directory.Packages.props"))}}),
    );
    let codes: Vec<_> = codes_and_starts(report["items"].as_array().unwrap()).into_iter().map(|c| c.0).collect();
    assert_eq!(codes, ["P003"], "{report}");
    client.shutdown();
}

/// A Directory.Packages.props at the top of a repository is often the first
/// file opened for a package upgrade: before any file of an app is open, it
/// shows what the apps below that read it say of it, with their quick fix,
/// when pushed and when pulled.
#[test]
fn a_props_file_opened_before_any_app_file_shows_what_the_apps_below_say_of_it() {
    let texts = fixture_files("proj-cpm-monorepo", &CPM_MONOREPO);
    let files: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();

    let root = workspace("props-first-push", &files);
    let props = root.join("Directory.Packages.props");
    let mut client = Client::start(json!({}), &root);
    client.open(&props);
    let pushed = client.diagnostics_for(&props, |d| !d.is_empty());
    let codes: Vec<_> = codes_and_starts(&pushed).into_iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(codes, [("P003".to_string(), 6)], "{pushed:?}");
    let actions = client.quick_fixes(&props, &pushed[0]);
    let action = preferred(&actions);
    apply_workspace_edit(&action["edit"]);
    let after = std::fs::read_to_string(&props).unwrap();
    assert!(!after.contains("DurableTask\" Version=\"1.1.0\""), "{after}");
    // Only the props file is shown: the apps' own files were not opened.
    client.request_raw("durable-lsp/noSuchRequest", Value::Null);
    let others: Vec<&Value> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] != uri(&props).as_str())
        .collect();
    assert!(others.is_empty(), "{others:?}");
    // Closed, it shows what it shows on its own: the apps found for it are forgotten.
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&props)}}));
    client.diagnostics_for(&props, <[Value]>::is_empty);
    client.shutdown();

    // A props file above the workspace folder: only the folder is walked.
    // An app outside it (outside/Shop) is the only one to use a version the
    // props file writes wrong (P012): seen when the walk reaches it.
    let shop = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker\" />\n    <PackageReference Include=\"Shop.Tools\" />\n  </ItemGroup>\n</Project>\n";
    let props_text = files[0]
        .1
        .replace("</ItemGroup>", "  <PackageVersion Include=\"Shop.Tools\" Version=\"one\" />\n  </ItemGroup>");
    let mut wider: Vec<(&str, &str)> = files.clone();
    wider[0] = ("Directory.Packages.props", &props_text);
    wider.extend([("outside/Shop/host.json", "{\"version\": \"2.0\"}"), ("outside/Shop/Shop.csproj", shop)]);
    for (name, folder, codes) in
        [("props-workspace-root", "", vec!["P003", "P012"]), ("props-above-workspace", "apps", vec!["P003"])]
    {
        let root = workspace(name, &wider);
        let props = root.join("Directory.Packages.props");
        let mut client = Client::start(json!({}), &root.join(folder));
        client.open(&props);
        let pushed = client.diagnostics_for(&props, |d| !d.is_empty());
        let found: Vec<String> = codes_and_starts(&pushed).into_iter().map(|c| c.0).collect();
        assert_eq!(found, codes, "{name}: {pushed:?}");
        if folder == "apps" {
            // The folder with the other app is added to the workspace: the
            // open props file walks it too, and hears of Shop's P012.
            let added = json!({"uri": uri(&root.join("outside")), "name": "outside"});
            client.notify("workspace/didChangeWorkspaceFolders", json!({"event": {"added": [added], "removed": []}}));
            let pushed = client.diagnostics_for(&props, |d| d.len() == 2);
            let found: Vec<String> = codes_and_starts(&pushed).into_iter().map(|c| c.0).collect();
            assert_eq!(found, ["P003", "P012"], "{name}, folder added: {pushed:?}");
            // And removed again: only P003.
            let removed = json!({"event": {"added": [], "removed": [added]}});
            client.notify("workspace/didChangeWorkspaceFolders", removed);
            client.diagnostics_for(&props, |d| d.len() == 1);
        }
        client.shutdown();
    }

    let root = workspace("props-first-pull", &files);
    let props = root.join("Directory.Packages.props");
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let mut client = Client::start(capabilities, &root);
    client.open(&props);
    let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&props)}}));
    let codes: Vec<_> = codes_and_starts(report["items"].as_array().unwrap()).into_iter().map(|c| c.0).collect();
    assert_eq!(codes, ["P003"], "{report}");
    client.shutdown();

    // Pulled, with the folder added later: the client is told to pull the
    // props file again (nobody typed in it), and sees Shop's P012.
    let root = workspace("props-folder-added-pull", &wider);
    let props = root.join("Directory.Packages.props");
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}},
                              "workspace": {"diagnostics": {"refreshSupport": true}}});
    let mut client = Client::start(capabilities, &root.join("apps"));
    client.open(&props);
    let pull = |client: &mut Client| {
        let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&props)}}));
        codes_and_starts(report["items"].as_array().unwrap()).into_iter().map(|c| c.0).collect::<Vec<_>>()
    };
    assert_eq!(pull(&mut client), ["P003"]);
    let refreshes =
        |client: &Client| client.server_requests.iter().filter(|m| *m == "workspace/diagnostic/refresh").count();
    let before = refreshes(&client);
    let added = json!({"uri": uri(&root.join("outside")), "name": "outside"});
    client.notify("workspace/didChangeWorkspaceFolders", json!({"event": {"added": [added], "removed": []}}));
    assert_eq!(pull(&mut client), ["P003", "P012"]);
    assert!(refreshes(&client) > before);
    client.shutdown();
}

/// Files that vanish take their diagnostics with them. A deleted folder is
/// one watcher event, for the folder (push mode); a related file deleted
/// between two pulls is sent once more, empty (pull mode).
#[test]
fn diagnostics_of_deleted_files_and_folders_are_cleared() {
    let files = [
        ("app/host.json", HALF_SWITCHED_HOST),
        ("app/App.csproj", ISOLATED_CSPROJ),
        ("app/local.settings.json", LOCAL_SETTINGS),
    ];
    let root = workspace("deleted-folder", &files);
    let mut client = Client::start(json!({}), &root);
    client.open(&root.join("app/host.json"));
    client.diagnostics_for(&root.join("app/App.csproj"), |d| !d.is_empty());
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&root.join("app/host.json"))}}));
    // A round trip: the close is handled (and the closed app published again) before the folder goes.
    client.request_raw("durable-lsp/noSuchRequest", Value::Null);
    std::fs::remove_dir_all(root.join("app")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&root.join("app")), "type": 3}]}));
    for file in ["app/App.csproj", "app/local.settings.json", "app/host.json"] {
        client.diagnostics_for(&root.join(file), <[Value]>::is_empty);
    }
    client.shutdown();

    let root = workspace("deleted-related", &files);
    let capabilities = json!({"textDocument": {"diagnostic": {"relatedDocumentSupport": true}},
                              "workspace": {"diagnostics": {"refreshSupport": true}}});
    let mut client = Client::start(capabilities, &root);
    let host = root.join("app/host.json");
    client.open(&host);
    let pull =
        |client: &mut Client| client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&host)}}));
    let local = uri(&root.join("app/local.settings.json"));
    let report = pull(&mut client);
    assert_eq!(report["relatedDocuments"][&local]["items"].as_array().map(Vec::len), Some(1), "{report}");
    std::fs::remove_file(root.join("app/local.settings.json")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": local, "type": 3}]}));
    let report = pull(&mut client);
    assert_eq!(report["relatedDocuments"][&local], json!({"kind": "full", "items": []}), "{report}");
    // Build output and git's lock files are deleted all the time: no refresh for those.
    let refreshes =
        |client: &Client| client.server_requests.iter().filter(|m| *m == "workspace/diagnostic/refresh").count();
    let before = refreshes(&client);
    let unrelated: Vec<Value> = ["obj/a.cache", "obj/b.cache", ".git/index.lock"]
        .iter()
        .map(|f| json!({"uri": uri(&root.join(f)), "type": 3}))
        .collect();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": unrelated}));
    pull(&mut client);
    assert_eq!(refreshes(&client), before);
    client.shutdown();
}

/// The diagnostics codes `messages` published for `path`, one list per publish.
fn published(messages: &[Value], path: &Path) -> Vec<Vec<String>> {
    let wanted = uri(path);
    messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == wanted.as_str())
        .map(|m| {
            let mut codes: Vec<String> = m["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string())
                .collect();
            codes.sort();
            codes
        })
        .collect()
}

fn watched(client: &mut Client, changes: &[(&Path, u8)]) {
    let changes: Vec<Value> = changes.iter().map(|(path, kind)| json!({"uri": uri(path), "type": kind})).collect();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": changes }));
}

/// A long editing session: files and folders come and go on disk, and what
/// the editor shows stays what `check` would say. (Found by driving the
/// server through random sessions and comparing with `check` after each step.)
#[test]
fn what_is_shown_follows_files_that_come_and_go_on_disk() {
    // A props file two apps read: one app losing its host.json takes only
    // its own share of what the props file shows (P004 is the other app's).
    let mut texts = fixture_files("proj-cpm-monorepo", &CPM_MONOREPO);
    texts[0].1 = texts[0].1.replace("AzureManaged\" Version=\"1.12.0\"", "AzureManaged\" Version=\"0.4.0-alpha\"");
    let files: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let root = workspace("shared-props-app-gone", &files);
    let props = root.join("Directory.Packages.props");
    let billing = root.join("apps/Billing/host.json");
    let mut client = Client::start(json!({}), &root);
    client.open(&root.join("apps/Orders/host.json"));
    client.open(&billing);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&billing)}}));
    let before = client.settle();
    assert_eq!(published(&before, &props).last().unwrap(), &["P003", "P004"]);
    std::fs::remove_file(&billing).unwrap();
    watched(&mut client, &[(&billing, 3)]);
    let after = client.settle();
    assert_eq!(
        published(&after, &props).last().cloned(),
        Some(vec!["P003".to_string(), "P004".to_string()]),
        "{after:?}"
    );
    // An app shown for a watcher event (Orders.csproj's P013, the props file
    // having lost a version) is kept current: putting the version back clears it.
    let props_text = std::fs::read_to_string(&props).unwrap();
    let orders = root.join("apps/Orders/host.json");
    let orders_project = root.join("apps/Orders/Orders.csproj");
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(&orders)}}));
    client.settle();
    let without =
        props_text.lines().filter(|l| !l.contains("AzureManaged")).map(|l| format!("{l}\n")).collect::<String>();
    std::fs::write(&props, without).unwrap();
    watched(&mut client, &[(&orders, 2)]);
    client.diagnostics_for(&orders_project, |d| d.iter().any(|d| d["code"] == "P013"));
    std::fs::write(&props, &props_text).unwrap();
    watched(&mut client, &[(&props, 2)]);
    client.diagnostics_for(&orders_project, |d| !d.iter().any(|d| d["code"] == "P013"));
    client.shutdown();
}

/// A project of no app, deleted: nothing is shown for it (not the missing
/// root element of an empty text). Several files of one app changed in one
/// batch: the app is analysed once.
#[test]
fn a_deleted_lone_project_shows_nothing_and_a_batch_analyses_an_app_once() {
    let texts = fixture_files("proj-cpm-monorepo", &CPM_MONOREPO);
    let files: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let root = workspace("lone-project-batch", &files);
    let props = root.join("Directory.Packages.props");
    let orders = root.join("apps/Orders/host.json");
    let mut client = Client::start(json!({}), &root);
    client.open(&orders);
    // Several files of one app in one batch: the app is analysed once.
    client.settle();
    let project = root.join("apps/Orders/Orders.csproj");
    watched(&mut client, &[(&orders, 2), (&project, 2), (&root.join("apps/Orders/local.settings.json"), 2)]);
    let batch = client.settle();
    assert!(published(&batch, &props).len() <= 1, "{batch:?}");
    // A project of no app, deleted: nothing is shown for it (not the
    // missing root element of an empty text).
    let lone = root.join("lib/Lib.csproj");
    std::fs::create_dir_all(lone.parent().unwrap()).unwrap();
    std::fs::write(&lone, "<Project />").unwrap();
    std::fs::remove_file(&lone).unwrap();
    watched(&mut client, &[(&lone, 3)]);
    let gone = client.settle();
    assert!(published(&gone, &lone).iter().all(Vec::is_empty), "{gone:?}");
    client.shutdown();
}

/// A folder deleted with a file of it still open: the buffer lives on, and
/// what it shows is what it says alone (no H007 about the project that went).
#[test]
fn an_open_file_of_a_deleted_folder_shows_what_it_says_alone() {
    let files = [
        ("app/host.json", HALF_SWITCHED_HOST),
        ("app/App.csproj", ISOLATED_CSPROJ),
        ("app/local.settings.json", LOCAL_SETTINGS),
    ];
    let root = workspace("folder-gone-buffer-open", &files);
    let host = root.join("app/host.json");
    let mut client = Client::start(json!({}), &root);
    client.open(&host);
    client.diagnostics_for(&host, |d| d.iter().any(|d| d["code"] == "H007"));
    std::fs::remove_dir_all(root.join("app")).unwrap();
    watched(&mut client, &[(&root.join("app"), 3)]);
    client.diagnostics_for(&host, |d| !d.is_empty() && !d.iter().any(|d| d["code"] == "H007"));
    client.shutdown();
}

/// The files that say which worker a non-.NET app runs are watched: with the
/// Python ones deleted, package.json says node, not what the setting says.
#[test]
fn the_files_that_say_the_worker_runtime_are_watched() {
    let python = r#"{"IsEncrypted": false, "Values": {"FUNCTIONS_WORKER_RUNTIME": "python", "AzureWebJobsStorage": "UseDevelopmentStorage=true"}}"#;
    let files = [
        ("py/host.json", "{\"version\": \"2.0\"}"),
        ("py/local.settings.json", python),
        ("py/requirements.txt", "azure-functions\n"),
        ("py/function_app.py", ""),
        ("py/package.json", "{}"),
    ];
    let root = workspace("runtime-markers", &files);
    let local = root.join("py/local.settings.json");
    let mut client =
        Client::start(json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}), &root);
    client.open(&local);
    client.diagnostics_for(&local, |d| !d.iter().any(|d| d["code"] == "L007"));
    for marker in ["py/requirements.txt", "py/function_app.py"] {
        std::fs::remove_file(root.join(marker)).unwrap();
        watched(&mut client, &[(&root.join(marker), 3)]);
    }
    client.diagnostics_for(&local, |d| d.iter().any(|d| d["code"] == "L007"));
    std::fs::write(root.join("py/requirements.txt"), "azure-functions\n").unwrap();
    watched(&mut client, &[(&root.join("py/requirements.txt"), 1)]);
    client.diagnostics_for(&local, |d| !d.iter().any(|d| d["code"] == "L007"));
    client.shutdown();
}

/// A props file the app's Directory.Packages.props imports under another
/// name (`Versions.props`) is watched too: a version written there on disk
/// reaches the project's diagnostics.
#[test]
fn an_imported_props_file_is_watched() {
    let props = "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n  <Import Project=\"Versions.props\" />\n</Project>\n";
    let versions = "<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"Microsoft.Azure.Functions.Worker\" Version=\"2.52.0\" />\n  </ItemGroup>\n</Project>\n";
    let project = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker\" />\n  </ItemGroup>\n</Project>\n";
    let files = [
        ("Directory.Packages.props", props),
        ("Versions.props", versions),
        ("app/host.json", "{\"version\": \"2.0\"}"),
        ("app/App.csproj", project),
    ];
    let root = workspace("imported-props-watched", &files);
    let capabilities = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut client = Client::start(capabilities, &root);
    let csproj = root.join("app/App.csproj");
    client.open(&csproj);
    client.diagnostics_for(&csproj, |d| d.is_empty());
    // The version goes: the reference has none (P013).
    let without = versions.replace("Microsoft.Azure.Functions.Worker\"", "Other.Package\"");
    std::fs::write(root.join("Versions.props"), without).unwrap();
    watched(&mut client, &[(&root.join("Versions.props"), 2)]);
    client.diagnostics_for(&csproj, |d| d.iter().any(|d| d["code"] == "P013"));
    std::fs::write(root.join("Versions.props"), versions).unwrap();
    watched(&mut client, &[(&root.join("Versions.props"), 2)]);
    client.diagnostics_for(&csproj, |d| d.is_empty());
    // Deleted: the import now names nothing, and the version is gone with it.
    std::fs::remove_file(root.join("Versions.props")).unwrap();
    watched(&mut client, &[(&root.join("Versions.props"), 3)]);
    client.diagnostics_for(&csproj, |d| d.iter().any(|d| d["code"] == "P013"));
    let registered = client.server_requests.iter().any(|m| m == "client/registerCapability");
    assert!(registered);
    client.shutdown();
}

/// Pulled: when the app a file was in is gone (its host.json deleted), what
/// the last pull said of the app's other files is taken back.
#[test]
fn a_pull_takes_back_what_it_said_of_an_app_that_is_gone() {
    let files = [
        ("app/host.json", HALF_SWITCHED_HOST),
        ("app/App.csproj", ISOLATED_CSPROJ),
        ("app/local.settings.json", LOCAL_SETTINGS),
    ];
    let root = workspace("pull-app-gone", &files);
    let capabilities = json!({"textDocument": {"diagnostic": {"relatedDocumentSupport": true}},
                              "workspace": {"diagnostics": {"refreshSupport": true}}});
    let mut client = Client::start(capabilities, &root);
    let local = root.join("app/local.settings.json");
    client.open(&local);
    let pull =
        |client: &mut Client| client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&local)}}));
    let (host, project) = (uri(&root.join("app/host.json")), uri(&root.join("app/App.csproj")));
    let report = pull(&mut client);
    assert!(!report["relatedDocuments"][&host]["items"].as_array().unwrap().is_empty(), "{report}");
    std::fs::remove_file(root.join("app/host.json")).unwrap();
    watched(&mut client, &[(&root.join("app/host.json"), 3)]);
    let report = pull(&mut client);
    for gone in [&host, &project] {
        assert_eq!(report["relatedDocuments"][gone], json!({"kind": "full", "items": []}), "{report}");
    }
    client.shutdown();
}

/// Pulled, with an app inside another: pulling the inner app's file takes
/// nothing back from the outer app, which is still there.
#[test]
fn a_pull_in_a_nested_app_leaves_the_outer_app_alone() {
    let files = [
        ("host.json", HALF_SWITCHED_HOST),
        ("local.settings.json", LOCAL_SETTINGS),
        ("sub/host.json", HALF_SWITCHED_HOST),
        ("sub/local.settings.json", LOCAL_SETTINGS),
    ];
    let root = workspace("pull-nested-apps", &files);
    let capabilities = json!({"textDocument": {"diagnostic": {"relatedDocumentSupport": true}}});
    let mut client = Client::start(capabilities, &root);
    let (outer, inner) = (root.join("host.json"), root.join("sub/host.json"));
    client.open(&outer);
    client.open(&inner);
    let pull = |client: &mut Client, path: &Path| {
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(path)}}))
    };
    let outer_local = uri(&root.join("local.settings.json"));
    let report = pull(&mut client, &outer);
    assert!(!report["relatedDocuments"][&outer_local]["items"].as_array().unwrap().is_empty(), "{report}");
    let report = pull(&mut client, &inner);
    assert!(report["relatedDocuments"].get(&outer_local).is_none(), "{report}");
    client.shutdown();
}

/// A repository's Directory.Packages.props that a nested one imports (NuGet's
/// multi-level layout) shows, opened first, what the apps below say of it.
#[test]
fn a_props_file_reached_by_import_shows_what_the_apps_say_of_it() {
    let files = [
        "Directory.Packages.props",
        "src/Directory.Packages.props",
        "src/apps/Orders/Orders.csproj",
        "src/apps/Orders/host.json",
        "src/apps/Orders/local.settings.json",
    ];
    let texts = fixture_files("cpm-imported-props", &files);
    let pairs: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let root = workspace("props-by-import", &pairs);
    let props = root.join("Directory.Packages.props");
    let mut client = Client::start(json!({}), &root);
    client.open(&props);
    let pushed = client.diagnostics_for(&props, |d| !d.is_empty());
    let codes: Vec<_> = codes_and_starts(&pushed).into_iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(codes, [("P003".to_string(), 7)], "{pushed:?}");
    client.shutdown();
}

/// `file://localhost/…` is this machine's file (RFC 8089), not a relative path.
#[test]
fn a_localhost_file_uri_is_a_local_file() {
    let root = workspace(
        "localhost-uri",
        &[("app/host.json", HALF_SWITCHED_HOST), ("app/local.settings.json", LOCAL_SETTINGS)],
    );
    let local = root.join("app/local.settings.json");
    let localhost = uri(&local).replacen("file://", "file://localhost", 1);
    let mut client = Client::start(json!({}), &root);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": localhost, "languageId": "json", "version": 1,
                                "text": std::fs::read_to_string(&local).unwrap()}}),
    );
    client.diagnostics_for_uri(&localhost, |d| d.iter().any(|d| d["code"] == "L014"));
    client.shutdown();
}

/// A switch that cannot run is shown greyed out with the reason (to clients
/// that show disabled actions) instead of missing; one the editor does not
/// apply is not silent either.
#[test]
fn a_switch_that_cannot_run_or_is_not_applied_says_why() {
    let host = "{\n  \"version\": \"2.0\",\n  \"extensions\": { \"durableTask\": { \"hubName\": \"OrdersHub\" } }\n}\n";
    let root = workspace("switch-refused", &[("host.json", host), ("App.csproj", ISOLATED_CSPROJ)]);
    // No resource operations: local.settings.json, which is missing, cannot be created.
    let capabilities = json!({"textDocument": {"codeAction": {"disabledSupport": true}},
                              "workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true}}});
    let mut client = Client::start(capabilities, &root);
    client.open(&root.join("host.json"));
    let no_range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let ask = json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "range": no_range, "context": {"diagnostics": []}});
    let actions = client.request("textDocument/codeAction", ask.clone());
    let switch =
        actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.durableLsp.switchToDurableTaskScheduler");
    let switch = switch.unwrap_or_else(|| panic!("no switch action: {actions}"));
    assert!(
        switch["disabled"]["reason"].as_str().unwrap().contains("does not say it takes edits that create files"),
        "{switch}"
    );
    assert!(switch.get("edit").is_none(), "{switch}");

    std::fs::write(root.join("local.settings.json"), LOCAL_SETTINGS).unwrap();
    client.refuse_edits = Some("host.json changed meanwhile".to_string());
    let command =
        json!({"command": "durable-lsp.switchToDurableTaskScheduler", "arguments": [uri(&root.join("host.json"))]});
    assert_eq!(client.request("workspace/executeCommand", command), Value::Null);
    // Two round trips: our refusal is read by the server, and its message by us.
    client.request("textDocument/codeAction", ask.clone());
    client.request("textDocument/codeAction", ask);
    let shown: Vec<&Value> = client.backlog.iter().filter(|m| m["method"] == "window/showMessage").collect();
    assert!(
        shown.iter().any(|m| m["params"]["message"]
            .as_str()
            .unwrap()
            .contains("the switch was not applied: host.json changed meanwhile")),
        "{shown:?}"
    );
    client.shutdown();
}

#[test]
fn the_switch_command_migrates_the_app_through_apply_edit() {
    let host = "{\n  \"version\": \"2.0\",\n  // the orders app\n  \"extensions\": { \"durableTask\": { \"hubName\": \"OrdersHub\" } }\n}\n";
    let root = workspace(
        "switch",
        &[
            ("host.json", host),
            ("App.csproj", ISOLATED_CSPROJ),
            ("Functions/Orders.cs", ""),
            ("bin/Debug/net8.0/host.json", host),
            ("bin/Debug/net8.0/App.deps.json", "{}"),
        ],
    );
    let capabilities: Value = serde_json::from_str(EDIT_CAPABILITIES).unwrap();
    let mut client = Client::start(capabilities, &root);
    client.open(&root.join("host.json"));
    let no_range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    // Offered as a source action on any file of the app.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "range": no_range, "context": {"diagnostics": []}}),
    );
    let switch =
        actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.durableLsp.switchToDurableTaskScheduler");
    // With the edit, the command that says what the app needs beyond its
    // files (the CLI's note): run by the client once the edit is applied.
    let note_command = &switch.unwrap_or_else(|| panic!("{actions}"))["command"];
    assert_eq!(note_command["command"], "durable-lsp.switched");
    let note = note_command["arguments"][0].as_str().unwrap();
    assert!(note.contains("set the app settings DURABLE_TASK_SCHEDULER_CONNECTION_STRING and TASKHUB_NAME"), "{note}");
    assert!(note.starts_with("host.json named the task hub OrdersHub; it now reads %TASKHUB_NAME%"), "{note}");
    let listed = &client.capabilities["executeCommandProvider"]["commands"];
    assert!(listed.as_array().unwrap().contains(&json!("durable-lsp.switched")), "{listed}");
    client.request("workspace/executeCommand", note_command.clone());
    let said: Vec<Value> = client.settle().into_iter().filter(|m| m["method"] == "window/showMessage").collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0]["params"]["type"], 3);
    assert!(said[0]["params"]["message"].as_str().unwrap().ends_with(note), "{said:?}");
    // A hub name the scheduler refuses is said, not written.
    let result = client.request(
        "workspace/executeCommand",
        json!({"command": "durable-lsp.switchToDurableTaskScheduler", "arguments": [{"uri": uri(&root.join("host.json")), "hub": "a;b"}]}),
    );
    assert_eq!(result, Value::Null);
    let shown: Vec<&Value> = client.backlog.iter().filter(|m| m["method"] == "window/showMessage").collect();
    assert!(
        shown
            .iter()
            .any(|m| m["params"]["message"].as_str().unwrap().contains("Not switched: the task hub name \"a;b\"")),
        "{shown:?}"
    );
    assert!(client.applied_edits.is_empty());
    // Not from the build's copy of the app (bin/Debug holds a host.json too).
    let copy = root.join("bin/Debug/net8.0/App.deps.json");
    client.request(
        "workspace/executeCommand",
        json!({"command": "durable-lsp.switchToDurableTaskScheduler", "arguments": [uri(&copy)]}),
    );
    let said: Vec<Value> = client.settle().into_iter().filter(|m| m["method"] == "window/showMessage").collect();
    assert!(said.iter().any(|m| m["params"]["message"].as_str().unwrap().contains("is in build output")), "{said:?}");
    assert!(client.applied_edits.is_empty());
    // And as a command, applied with workspace/applyEdit (local.settings.json
    // is created), run from a source file of the app (VS Code's command
    // palette names the active editor's file).
    let result = client.request(
        "workspace/executeCommand",
        json!({"command": "durable-lsp.switchToDurableTaskScheduler", "arguments": [uri(&root.join("Functions/Orders.cs"))]}),
    );
    assert_eq!(result, Value::Null);
    // A round trip, so the applyEdit request has surely arrived.
    client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "range": no_range, "context": {"diagnostics": []}}),
    );
    assert_eq!(client.applied_edits.len(), 1);
    // Once applied, the same note (a round trip after our answer to applyEdit).
    let said: Vec<Value> = client.settle().into_iter().filter(|m| m["method"] == "window/showMessage").collect();
    assert!(said.iter().any(|m| m["params"]["message"].as_str().unwrap().ends_with(note)), "{said:?}");
    let edit = client.applied_edits[0].clone();
    apply_workspace_edit(&edit);
    let report = check_json(&root);
    let serious: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" || (d["severity"] == "warning" && d["code"] != "H002"))
        .collect();
    assert!(serious.is_empty(), "{serious:?}");
    let host_after = std::fs::read_to_string(root.join("host.json")).unwrap();
    assert!(host_after.contains("// the orders app"), "comments are kept:\n{host_after}");
    assert!(std::fs::read_to_string(root.join("App.csproj")).unwrap().contains("DurableTask.AzureManaged"));
    assert!(root.join("local.settings.json").is_file());
    client.shutdown();
}

/// `source.fixAll`: the app's safe fixes in one edit, offered only when
/// asked for by kind (the Source Action menu, code actions on save), and
/// what is left after it is what `check --fix` leaves.
#[test]
fn fix_all_applies_the_safe_fixes_of_the_app() {
    let files =
        [("host.json", HALF_SWITCHED_HOST), ("App.csproj", ISOLATED_CSPROJ), ("local.settings.json", LOCAL_SETTINGS)];
    let root = workspace("fix-all", &files);
    let twin = workspace("fix-all-cli", &files);
    let capabilities: Value = serde_json::from_str(EDIT_CAPABILITIES).unwrap();
    let mut client = Client::start(capabilities, &root);
    assert!(
        client.capabilities["codeActionProvider"]["codeActionKinds"]
            .as_array()
            .unwrap()
            .contains(&json!("source.fixAll.durableLsp"))
    );
    client.open(&root.join("host.json"));
    let at = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let ask = |client: &mut Client, only: Option<&str>| {
        let mut context = json!({"diagnostics": []});
        if let Some(only) = only {
            context["only"] = json!([only]);
        }
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "range": at, "context": context}),
        );
        actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.fixAll.durableLsp").cloned()
    };
    assert!(ask(&mut client, None).is_none(), "not on every cursor move");
    let action = ask(&mut client, Some("source.fixAll")).expect("a fix-all action");
    assert!(action["title"].as_str().unwrap().starts_with("Apply "), "{action}");
    apply_workspace_edit(&action["edit"]);
    // What check --fix makes of the same app.
    let fixed = Command::new(env!("CARGO_BIN_EXE_durable-lsp")).args(["check", "--fix"]).arg(&twin).output().unwrap();
    assert!(fixed.status.code().is_some(), "{fixed:?}");
    for (name, _) in files {
        let ours = std::fs::read_to_string(root.join(name)).unwrap();
        let cli = std::fs::read_to_string(twin.join(name)).unwrap();
        assert_eq!(ours, cli, "{name}");
    }
    assert_ne!(std::fs::read_to_string(root.join("host.json")).unwrap(), HALF_SWITCHED_HOST);
    client.shutdown();

    // A client that cannot create files gets the fixes that need none
    // (local.settings.json is missing here).
    let root = workspace(
        "fix-all-no-create",
        &[("host.json", &HALF_SWITCHED_HOST.replace("\"2.0\"", "\"2\"")), ("App.csproj", ISOLATED_CSPROJ)],
    );
    let mut client = Client::start(json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}), &root);
    client.open(&root.join("host.json"));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "range": at, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let action = actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.fixAll.durableLsp");
    let edit = &action.unwrap_or_else(|| panic!("{actions}"))["edit"];
    assert!(edit["documentChanges"].as_array().unwrap().iter().all(|c| c.get("kind").is_none()), "{edit}");
    client.shutdown();

    // From a Directory.Packages.props the apps below it share: their fixes.
    let root = workspace_from_fixture("fix-all-props", "proj-cpm-monorepo", &CPM_MONOREPO);
    let props = root.join("Directory.Packages.props");
    let mut client = Client::start(json!({}), &root);
    client.open(&props);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&props)}, "range": at, "context": {"diagnostics": [], "only": ["source"]}}),
    );
    let action = actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.fixAll.durableLsp");
    let edit = &action.unwrap_or_else(|| panic!("{actions}"))["edit"];
    assert!(edit["changes"].as_object().unwrap().keys().any(|uri| uri.ends_with("Directory.Packages.props")), "{edit}");
    client.shutdown();
}

#[test]
fn completion_hover_definition_and_outline_over_stdio() {
    // An emoji before the cursor: the completion range must be in UTF-16 units.
    let host = "{\"😀\": 1, \"extensions\": {\"durableTask\": {\"hubName\": \"%TASKHUB_NAME%\", \"storageProvider\": {\"type\": \"azu\"}}}}";
    let local = "{\n  \"Values\": {\n    \"TASKHUB_NAME\": \"default\"\n  }\n}\n";
    let root = workspace("ide", &[("host.json", host), ("local.settings.json", local)]);
    let mut client =
        Client::start(json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}), &root);
    client.open(&root.join("host.json"));
    let host_uri = uri(&root.join("host.json"));
    // Inside "azu": the content starts after the quote.
    let azu = host.find("azu").unwrap();
    let utf16 = |byte: usize| host[..byte].encode_utf16().count() as u64;
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": host_uri}, "position": {"line": 0, "character": utf16(azu + 3)}}),
    );
    let first = &completion["items"][0];
    assert_eq!(first["label"], "azureManaged");
    assert_eq!(first["textEdit"]["range"]["start"]["character"], utf16(azu));
    assert_eq!(first["textEdit"]["range"]["end"]["character"], utf16(azu + 3));

    let hub = host.find("%TASKHUB_NAME%").unwrap() + 3;
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": host_uri}, "position": {"line": 0, "character": utf16(hub)}}),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(hover["contents"]["value"].as_str().unwrap().contains("`TASKHUB_NAME` = `default`"));
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": host_uri}, "position": {"line": 0, "character": utf16(hub)}}),
    );
    assert!(definition[0]["uri"].as_str().unwrap().ends_with("local.settings.json"));
    assert_eq!(definition[0]["range"]["start"], json!({"line": 2, "character": 4}));
    let outline = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": host_uri}}));
    assert_eq!(outline[1]["name"], "extensions");
    assert_eq!(outline[1]["children"][0]["name"], "durableTask");
    // A project file has an outline too (read from disk here: not open).
    let csproj = "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"Microsoft.Azure.Functions.Worker\" Version=\"2.52.0\" />\n  </ItemGroup>\n</Project>\n";
    std::fs::write(root.join("App.csproj"), csproj).unwrap();
    let outline =
        client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri(&root.join("App.csproj"))}}));
    let item = &outline[0]["children"][0]["children"][0];
    assert_eq!(item["name"], "PackageReference Microsoft.Azure.Functions.Worker", "{outline}");
    assert_eq!(item["detail"], "2.52.0");
    assert_eq!(item["range"]["start"], json!({"line": 2, "character": 4}));

    // A space is a trigger character: after `"key":` it opens the values;
    // typed to indent a line, nothing.
    let local_uri = uri(&root.join("local.settings.json"));
    client.open(&root.join("local.settings.json"));
    let at_indent = |client: &mut Client, context: Value| {
        client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": local_uri}, "position": {"line": 2, "character": 4}, "context": context}),
        )
    };
    let typed_space = at_indent(&mut client, json!({"triggerKind": 2, "triggerCharacter": " "}));
    assert_eq!(typed_space["items"], json!([]));
    let invoked = at_indent(&mut client, json!({"triggerKind": 1}));
    assert_eq!(invoked["items"][0]["label"], "TASKHUB_NAME", "{invoked}");
    client.shutdown();
}

/// Clients that resolve items get lists without documentation, and the
/// documentation on completionItem/resolve; the data rides on each item or,
/// when the client takes it, once in `itemDefaults`. Others get it inline.
#[test]
fn completion_documentation_is_resolved_when_the_client_asks_for_it() {
    let host = "{\n  \"extensions\": {\n    \"durableTask\": {\n      \"\"\n    }\n  }\n}\n";
    let root = workspace("resolve", &[("host.json", host)]);
    let position = json!({"line": 3, "character": 7});
    let resolve = json!({"properties": ["documentation", "detail"]});
    for (completion_caps, defaults) in [
        (json!({"completionItem": {"resolveSupport": resolve}}), false),
        (json!({"completionItem": {"resolveSupport": resolve}, "completionList": {"itemDefaults": ["data"]}}), true),
        (
            json!({"completionItem": {"resolveSupport": resolve}, "completionList": {"itemDefaults": ["data", "editRange"]}}),
            true,
        ),
        (json!({"completionItem": {}}), false),
    ] {
        let shared_range = completion_caps["completionList"]["itemDefaults"].to_string().contains("editRange");
        let lazy = completion_caps["completionItem"]["resolveSupport"].is_object();
        let mut client = Client::start(json!({"textDocument": {"completion": completion_caps}}), &root);
        client.open(&root.join("host.json"));
        let list = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "position": position}),
        );
        let mut hub = list["items"].as_array().unwrap().iter().find(|i| i["label"] == "hubName").unwrap().clone();
        assert_eq!(hub["documentation"].is_null(), lazy, "{hub}");
        assert_eq!(list["itemDefaults"]["data"].is_object(), defaults, "{list}");
        assert_eq!(hub["data"].is_object(), lazy && !defaults, "{hub}");
        // The range starts at the key's quote, so the filter text has it too.
        assert_eq!(hub["filterText"], "\"hubName\"", "{hub}");
        // The range every item replaces: once for the list, or on each item.
        let range = json!({"start": {"line": 3, "character": 6}, "end": {"line": 3, "character": 8}});
        if shared_range {
            assert_eq!(list["itemDefaults"]["editRange"], range, "{list}");
            assert!(hub["textEdit"].is_null(), "{hub}");
            // Without snippets, the whole member: a value that parses (`""`).
            assert_eq!(hub["textEditText"], "\"hubName\": \"\"", "{hub}");
        } else {
            assert_eq!(hub["textEdit"]["range"], range, "{hub}");
            assert_eq!(hub["textEdit"]["newText"], "\"hubName\": \"\"", "{hub}");
        }
        if lazy {
            if defaults {
                // What the client does with itemDefaults before it resolves the item.
                hub["data"] = list["itemDefaults"]["data"].clone();
            }
            let resolved = client.request("completionItem/resolve", hub);
            let documentation = resolved["documentation"]["value"].as_str().unwrap();
            assert!(documentation.contains("task hub"), "{documentation}");
            assert_eq!(resolved["label"], "hubName");
        } else {
            assert!(hub["documentation"]["value"].as_str().unwrap().contains("task hub"));
        }
        // An item without data, or from a list the document has moved on from, comes back as it was.
        let data = json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "position": position});
        let stray = json!({"label": "nothing", "data": data});
        assert_eq!(client.request("completionItem/resolve", stray.clone()), stray);
        assert_eq!(client.request("completionItem/resolve", json!({"label": "x"})), json!({"label": "x"}));
        client.shutdown();
    }
}

/// Neovim asks for code actions with every diagnostic of the cursor's line:
/// the fixes are those of the diagnostics at the cursor when it is on one,
/// else those of the whole line.
#[test]
fn code_actions_follow_the_cursor_among_the_line_diagnostics() {
    let host = "{\"version\": \"2.0\", \"extensions\": {\"durableTask\": {\"hubName\": \"%HUB%\", \"storageProvider\": {\"type\": \"azureManaged\", \"connectionStringName\": \"DTS\"}}}}\n";
    let local = "{\"IsEncrypted\": false, \"Values\": {\"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\", \"HUB\": \"default\",\n\"DTS\": \"Endpoint=http://localhost:8080;Authentication=Managed Identity;TaskHub=other\"}}\n";
    let root =
        workspace("line-actions", &[("host.json", host), ("local.settings.json", local), ("requirements.txt", "")]);
    let mut client = Client::start(json!({}), &root);
    let path = root.join("local.settings.json");
    client.open(&path);
    let found = client.diagnostics_for(&path, |d| d.len() >= 2);
    let mut codes: Vec<&str> = found.iter().map(|d| d["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["L014", "L024"], "{found:?}");
    let ask = |client: &mut Client, character: u32| {
        let at = json!({"line": 1, "character": character});
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri(&path)}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": found, "only": ["quickfix"]}}),
        );
        let mut fixed: Vec<String> = actions
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["diagnostics"][0]["code"].as_str().unwrap().to_string())
            .collect();
        fixed.dedup();
        fixed
    };
    let line = local.lines().nth(1).unwrap();
    assert_eq!(ask(&mut client, line.find("Managed Identity").unwrap() as u32 + 2), ["L014"]);
    assert_eq!(ask(&mut client, line.find("other").unwrap() as u32 + 1), ["L024"]);
    // At the line's start, on neither: the line's fixes.
    let mut both = ask(&mut client, 0);
    both.sort();
    assert_eq!(both, ["L014", "L024"]);
    client.shutdown();
}

/// Rename over the protocol: RenameOptions only to a client that says it
/// sends prepareRename; the setting's name range and placeholder; one
/// workspace edit for both files, against the open buffer's version and
/// text; a refusal as RequestFailed with its reason.
#[test]
fn a_setting_is_renamed_in_local_settings_and_host_json_in_one_edit() {
    let host = "{\"version\": \"2.0\", \"extensions\": {\"durableTask\": {\"hubName\": \"%HUB%\", \"storageProvider\": {\"type\": \"azureManaged\"}}}}\n";
    let local = "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"HUB\": \"default\",\n    \"AzureWebJobsStorage\": \"\"\n  }\n}\n";
    let root = workspace("rename", &[("host.json", host), ("local.settings.json", local)]);
    let plain = Client::start(json!({}), &root);
    assert_eq!(plain.capabilities["renameProvider"], true);
    drop(plain);
    let capabilities = json!({"textDocument": {"rename": {"prepareSupport": true}}, "workspace": {"workspaceEdit": {"documentChanges": true}}});
    let mut client = Client::start(capabilities, &root);
    assert_eq!(client.capabilities["renameProvider"], json!({"prepareProvider": true}));
    // The unsaved buffer is what is renamed: its key moved a line down.
    let local_path = root.join("local.settings.json");
    client.open(&local_path);
    let edited = local.replace("\"Values\": {\n", "\"Values\": {\n    \"A\": \"1\",\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&local_path), "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let at = json!({"textDocument": {"uri": uri(&root.join("host.json"))}, "position": {"line": 0, "character": 64}});
    let prepared = client.request("textDocument/prepareRename", at.clone());
    assert_eq!(
        prepared,
        json!({"range": {"start": {"line": 0, "character": 63}, "end": {"line": 0, "character": 66}}, "placeholder": "HUB"})
    );
    let mut params = at.clone();
    params["newName"] = json!("TASKHUB_NAME");
    let edit = client.request("textDocument/rename", params);
    let changes = edit["documentChanges"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{edit}");
    let of = |name: &str| changes.iter().find(|c| c["textDocument"]["uri"].as_str().unwrap().ends_with(name)).unwrap();
    assert_eq!(of("local.settings.json")["textDocument"]["version"], 2);
    assert_eq!(
        of("local.settings.json")["edits"],
        json!([{"range": {"start": {"line": 4, "character": 5}, "end": {"line": 4, "character": 8}}, "newText": "TASKHUB_NAME"}])
    );
    assert_eq!(of("host.json")["textDocument"]["version"], Value::Null);
    assert_eq!(of("host.json")["edits"][0]["range"], prepared["range"]);
    // AzureWebJobsStorage is the host's own: refused, with the reason.
    let storage = json!({"textDocument": {"uri": uri(&local_path)}, "position": {"line": 5, "character": 8}});
    let refused = client.request_raw("textDocument/prepareRename", storage);
    assert_eq!(refused["error"]["code"], -32803, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("read by the Functions host itself"), "{refused}");
    client.shutdown();
}

#[test]
fn garbage_and_misuse_get_answers_or_are_skipped_and_the_server_stays_up() {
    let root = workspace("abuse", &[("host.json", "{ \"version\": \"1.0\" }")]);
    let mut client = Client::start(json!({"textDocument": {"diagnostic": {}}}), &root);
    // Not JSON, JSON that is not JSON-RPC, a garbled request, a header
    // without a length: skipped, with JSON-RPC's errors where it says so.
    for raw in ["{not json", "{\"jsonrpc\": \"2.0\", \"id\": true}", "[]", r#"{"jsonrpc":"2.0","id":77,"method":5}"#] {
        write!(client.stdin, "Content-Length: {}\r\n\r\n{raw}", raw.len()).unwrap();
    }
    client.stdin.write_all(b"X-Nonsense: 1\r\n\r\n").unwrap();
    client.stdin.flush().unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let errors: Vec<(Value, Value)> = std::iter::from_fn(|| client.read(deadline))
        .take(3)
        .map(|answer| (answer["id"].clone(), answer["error"]["code"].clone()))
        .collect();
    assert_eq!(errors, [(Value::Null, json!(-32700)), (Value::Null, json!(-32600)), (json!(77), json!(-32600))]);
    // Requests about documents never opened, or that cannot exist.
    let never_opened = uri(&root.join("local.settings.json"));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": never_opened}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover, Value::Null);
    let not_a_file = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(not_a_file.get("error").is_some() || not_a_file["result"].is_null());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": never_opened, "version": 3}, "contentChanges": [{"text": "{}"}]}),
    );
    // Still answering, with the right diagnostics.
    client.open(&root.join("host.json"));
    let report =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("host.json"))}}));
    assert_eq!(codes_and_starts(report["items"].as_array().unwrap()), [("H003".into(), 0, 13)]);
    client.shutdown();
}

impl Client {
    /// Waits for the server process to end; its exit status.
    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The server's peak resident memory so far (VmHWM), in MiB.
    fn peak_rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
    }
}

/// LSP's lifecycle: a second initialize and every request after shutdown get
/// InvalidRequest, notifications after shutdown are dropped, `exit` then ends
/// the process with 0; `exit` without `shutdown` ends it with 1.
#[test]
fn requests_after_shutdown_are_refused_and_exit_codes_follow_the_protocol() {
    let root = workspace("lifecycle", &[("host.json", "{ \"version\": \"2.0\" }")]);
    let host = uri(&root.join("host.json"));
    let at = json!({"textDocument": {"uri": host}, "position": {"line": 0, "character": 3}});
    let mut client = Client::start(json!({"textDocument": {"diagnostic": {}}}), &root);
    client.open(&root.join("host.json"));
    let again = client.request_raw("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600, "{again}");
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    for method in ["textDocument/hover", "textDocument/completion", "textDocument/diagnostic", "shutdown"] {
        let answer = client.request_raw(method, at.clone());
        assert_eq!(answer["error"]["code"], -32600, "{method} after shutdown: {answer}");
    }
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": host, "version": 2}, "contentChanges": [{"text": "{"}]}),
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0));

    let mut client = Client::start(json!({}), &root);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1), "exit without shutdown");
}

/// A 50 MB host.json (what no person writes, knowledge aside) arrives whole
/// over the protocol: it is not parsed (one H001 says why), requests on it
/// answer empty, edits to it still apply, other apps are served meanwhile, and
/// memory stays a small multiple of the text (docs/security.md).
#[test]
fn a_50_mb_host_json_is_refused_without_parsing_and_the_server_stays_responsive() {
    let root = workspace("huge", &[("big/host.json", "{}"), ("small/host.json", "{ \"version\": \"1.0\" }")]);
    let mut text = String::from("{\n  \"version\": \"2.0\",\n  \"logging\": {\n    \"logLevel\": {\n");
    let mut n = 0;
    while text.len() < 50 << 20 {
        text.push_str(&format!("      \"Category.Number{n:07}\": \"Information\",\n"));
        n += 1;
    }
    text.push_str("      \"default\": \"Warning\"\n    }\n  }\n}\n");
    let big = root.join("big/host.json");
    let big_uri = uri(&big);
    let mut client = Client::start(json!({"textDocument": {"diagnostic": {}}}), &root);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": big_uri, "languageId": "json", "version": 1, "text": text}}),
    );
    let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": big_uri}}));
    let items = report["items"].as_array().unwrap();
    assert_eq!(codes_and_starts(items), [("H001".into(), 0, 0)], "{report}");
    assert!(items[0]["message"].as_str().unwrap().contains("larger than"), "{report}");
    let middle = json!({"textDocument": {"uri": big_uri}, "position": {"line": 500_000, "character": 10}});
    assert_eq!(client.request("textDocument/hover", middle.clone()), Value::Null);
    assert_eq!(client.request("textDocument/completion", middle.clone())["items"], json!([]));
    assert_eq!(client.request("textDocument/definition", middle), json!([]));
    assert_eq!(client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": big_uri}})), json!([]));
    // An edit near the end still lands (the line index follows it).
    let last = text.lines().count() as u64 - 1;
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": big_uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": last, "character": 0}, "end": {"line": last, "character": 1}}, "text": "}}"}
        ]}),
    );
    let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": big_uri}}));
    assert_eq!(codes_and_starts(report["items"].as_array().unwrap()), [("H001".into(), 0, 0)]);
    // The other app is analysed as usual.
    client.open(&root.join("small/host.json"));
    let small =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("small/host.json"))}}));
    assert_eq!(codes_and_starts(small["items"].as_array().unwrap()), [("H003".into(), 0, 13)]);
    let peak = client.peak_rss_mib();
    assert!(peak < 400, "peak RSS {peak} MiB for a 50 MiB document");
    eprintln!("50 MiB host.json over LSP: peak RSS {peak} MiB");
    client.shutdown();
}

/// A generated host.json with a comment on each of 1,500 lines: 1,500 H002s,
/// of which the editor gets the first thousand and one line saying so.
#[test]
fn an_editor_gets_at_most_a_thousand_diagnostics_per_file_and_is_told_why() {
    let mut text = String::from("{\n  \"version\": \"2.0\",\n  \"logging\": {\n");
    for i in 0..1500 {
        text.push_str(&format!("    \"c{i}\": {{}}, // generated\n"));
    }
    text.push_str("    \"x\": 1 oops\n  }\n}\n");
    let root = workspace("many", &[("host.json", &text)]);
    let mut client = Client::start(json!({"textDocument": {"diagnostic": {}}}), &root);
    client.open(&root.join("host.json"));
    let report =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("host.json"))}}));
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 1001);
    assert!(items[0]["message"].as_str().unwrap().contains("1000 of the 1501 problems"), "{}", items[0]);
    // The error (the stray word) is kept though it comes last in the file.
    assert!(items.iter().any(|d| d["code"] == "H001"), "the syntax error was dropped");
    assert_eq!(items.iter().filter(|d| d["code"] == "H002").count(), 999);
    client.shutdown();
}

/// The server never reads a FIFO named like an app file (the read would block
/// the server for good): diagnostics for the app still come.
#[test]
fn a_fifo_named_local_settings_json_does_not_block_the_server() {
    let root = workspace("fifo", &[("host.json", "{ \"version\": \"1.0\" }")]);
    let made = Command::new("mkfifo").arg(root.join("local.settings.json")).status().unwrap();
    assert!(made.success());
    let mut client = Client::start(json!({"textDocument": {"diagnostic": {}}}), &root);
    client.open(&root.join("host.json"));
    let report =
        client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(&root.join("host.json"))}}));
    assert_eq!(codes_and_starts(report["items"].as_array().unwrap()), [("H003".into(), 0, 13)]);
    client.shutdown();
}

/// Some clients send URIs with a raw blank or non-ASCII letter, which the
/// protocol types reject. A workspace folder like that must not cost the
/// client's capabilities (the position encoding, pull diagnostics), and a
/// document opened under such a URI is read, not dropped.
#[test]
fn unescaped_uris_are_read_not_dropped() {
    let files = [
        ("app/host.json", HALF_SWITCHED_HOST),
        ("app/App.csproj", ISOLATED_CSPROJ),
        ("app/local.settings.json", LOCAL_SETTINGS),
    ];
    let root = workspace("raw uri \u{fc}", &files);
    let raw = |path: &Path| format!("file://{}", path.display());
    assert!(raw(&root).parse::<lsp_types::Uri>().is_err(), "the test needs a URI the types reject");
    let capabilities = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]},
                              "textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let mut client = Client::start(capabilities, &root);
    assert_eq!(client.capabilities["positionEncoding"], "utf-8", "{}", client.capabilities);
    assert!(client.capabilities["diagnosticProvider"].is_object(), "{}", client.capabilities);
    let host = root.join("app/host.json");
    let text = HALF_SWITCHED_HOST.replace("\"version\"", "\"vershun\"");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": raw(&host), "languageId": "json", "version": 1, "text": text}}),
    );
    let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": raw(&host)}}));
    let codes: Vec<String> = codes_and_starts(report["items"].as_array().unwrap()).into_iter().map(|c| c.0).collect();
    // The open buffer is what is checked: its misspelt version key (H003), not the file on disk.
    assert!(codes.contains(&"H003".to_string()), "{report}");
    client.shutdown();
}

/// A capability value the protocol types do not know (a hover format, a
/// newer resource operation, a failure handling) costs the client nothing
/// else: the position encoding and pull diagnostics it offers are taken.
#[test]
fn capability_values_the_types_do_not_know_cost_nothing() {
    let root = workspace("unknown-capability-values", &[("app/host.json", HALF_SWITCHED_HOST)]);
    let capabilities = json!({
        "general": {"positionEncodings": ["utf-8", "utf-16"]},
        "textDocument": {"diagnostic": {}, "hover": {"contentFormat": ["markdown", "html"]}},
        "workspace": {"workspaceEdit": {"resourceOperations": ["create", "copy"], "failureHandling": "undoAll"}}
    });
    let client = Client::start(capabilities, &root);
    assert_eq!(client.capabilities["positionEncoding"], "utf-8", "{}", client.capabilities);
    assert!(client.capabilities["diagnosticProvider"].is_object(), "{}", client.capabilities);
    client.shutdown();
}

/// From a package's `PackageVersion` in a Directory.Packages.props at the
/// top of a repository to the projects of the apps below that reference it
/// (and back with go to definition).
#[test]
fn references_go_from_a_central_version_to_the_projects_that_use_it() {
    let root = workspace_from_fixture("package-references", "proj-cpm-monorepo", &CPM_MONOREPO);
    let props = root.join("Directory.Packages.props");
    let mut client = Client::start(json!({}), &root);
    client.open(&props);
    let position = position_of(&std::fs::read_to_string(&props).unwrap(), "Extensions.DurableTask\"");
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&props)}, "position": position, "context": {"includeDeclaration": true}}),
    );
    let mut uris: Vec<&str> = found.as_array().unwrap().iter().map(|l| l["uri"].as_str().unwrap()).collect();
    uris.sort();
    let expected =
        [uri(&props), uri(&root.join("apps/Billing/Billing.csproj")), uri(&root.join("apps/Orders/Orders.csproj"))];
    assert_eq!(uris, expected.iter().map(String::as_str).collect::<Vec<_>>(), "{found}");
    // And back: from the project's reference to the central version.
    let orders = root.join("apps/Orders/Orders.csproj");
    let position = position_of(&std::fs::read_to_string(&orders).unwrap(), "Extensions.DurableTask\"");
    let definition =
        client.request("textDocument/definition", json!({"textDocument": {"uri": uri(&orders)}, "position": position}));
    assert_eq!(definition[0]["uri"], uri(&props).as_str(), "{definition}");
    // References from the project's reference: the same places as from the props file.
    let from_project = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&orders)}, "position": position, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(from_project, found);
    client.shutdown();
    // The same with only the project open: the other app's project is found too.
    let mut client = Client::start(json!({}), &root);
    client.open(&orders);
    let from_project = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri(&orders)}, "position": position, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(from_project, found);
    client.shutdown();
}
