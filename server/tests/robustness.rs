//! Stable counterparts of the `app` and `dispatcher` fuzz targets (fuzz/):
//! random apps through the whole analysis, the IDE features and the switch;
//! random message sequences through the server's dispatcher. Nothing may
//! panic, every request gets exactly one answer, every edit the switch
//! proposes leaves files that parse no worse than before.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use durable_lsp::analysis::migrate::{self, Outcome};
use durable_lsp::app::App;
use durable_lsp::app::memory::MemoryFs;
use durable_lsp::edit::FileChange;
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use proptest::prelude::*;
use serde_json::{Value, json};

/// JSON-ish text built from the pieces host.json and local.settings.json are
/// made of, including half-typed ones, so the rules see deep, realistic trees.
fn config_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just("\"version\": \"2.0\""),
        Just("\"extensions\": {"),
        Just("\"durableTask\": {"),
        Just("\"storageProvider\": {"),
        Just("\"type\": \"azureManaged\""),
        Just("\"type\": \"mssql\""),
        Just("\"connectionStringName\": \"DTS\""),
        Just("\"connectionName\": \"%X%\""),
        Just("\"hubName\": \"%TASKHUB_NAME%\""),
        Just(
            "\"extensionBundle\": {\"id\": \"Microsoft.Azure.Functions.ExtensionBundle\", \"version\": \"[4.*, 5.0.0)\"}"
        ),
        Just("\"Values\": {"),
        Just("\"ConnectionStrings\": {"),
        Just("\"FUNCTIONS_WORKER_RUNTIME\": \"dotnet-isolated\""),
        Just("\"DURABLE_TASK_SCHEDULER_CONNECTION_STRING\": \"Endpoint=http://localhost:8080;Authentication=None\""),
        Just("\"DTS\": \"Endpoint=https://x.westus.durabletask.io;Authentication=ManagedIdentity;TaskHub=h\""),
        Just("\"TASKHUB_NAME\": \"default\""),
        Just("\"IsEncrypted\": false"),
        Just("\"unterminated"),
        Just("// c\n"),
        Just("/*"),
        Just("\r\n"),
        Just("😀"),
        Just("\u{feff}"),
    ];
    prop::collection::vec(pieces, 0..30).prop_map(|p| p.concat())
}

fn project_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("<Project Sdk=\"Microsoft.NET.Sdk\">"),
        Just("</Project>"),
        Just("<ItemGroup>"),
        Just("</ItemGroup>"),
        Just("<PropertyGroup><AzureFunctionsVersion>v4</AzureFunctionsVersion></PropertyGroup>"),
        Just("<PackageReference Include=\"Microsoft.Azure.Functions.Worker\" Version=\"2.0.0\" />"),
        Just(
            "<PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask\" Version=\"1.1.0\" />"
        ),
        Just(
            "<PackageReference Include=\"Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged\" Version=\"$(V)\" />"
        ),
        Just("<PackageReference Include=\"Microsoft.NET.Sdk.Functions\" Version=\"4.1.1\" />"),
        Just("<PackageReference Include=\"X\" Version=\"[1.0,\" />"),
        Just("<!-- c -->"),
        Just("<"),
        Just("\""),
        Just("\n"),
    ];
    prop::collection::vec(pieces, 0..14).prop_map(|p| p.concat())
}

fn syntax_errors(path: &Path, text: &str) -> usize {
    if path.extension().is_some_and(|e| e == "json") {
        durable_lsp::syntax::jsonc::parse(text).errors.len()
    } else {
        durable_lsp::syntax::xml::parse(text).errors.len()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_app_is_analysed_completed_hovered_and_switched_without_panic(
        host in config_text(),
        local in prop::option::of(config_text()),
        project in prop::option::of(project_text()),
        cursor in 0usize..400,
    ) {
        let root = PathBuf::from("/app");
        let mut files = BTreeMap::from([(root.join("host.json"), host)]);
        files.extend(local.map(|text| (root.join("local.settings.json"), text)));
        files.extend(project.map(|text| (root.join("App.csproj"), text)));
        let fs = MemoryFs { files, ..MemoryFs::default() };
        let app = App::at(&fs, &root).unwrap();
        for report in durable_lsp::analysis::analyze_app(&fs, &app) {
            for diagnostic in &report.diagnostics {
                prop_assert!(diagnostic.range.end <= report.text.len(), "{diagnostic:?}");
                prop_assert!(report.text.is_char_boundary(diagnostic.range.start));
            }
        }
        for path in fs.files.keys() {
            let len = fs.files[path].len();
            for offset in [0, cursor.min(len), len] {
                let _ = durable_lsp::ide::complete(&fs, path, offset, true);
                let _ = durable_lsp::ide::hover(&fs, path, offset);
                let _ = durable_lsp::ide::definition(&fs, path, offset);
                let _ = durable_lsp::ide::references(&fs, path, offset, true);
            }
        }
        // Data safety: whatever the switch proposes parses no worse than before.
        if let Outcome::Changes(changes) = migrate::migrate(&fs, &root, &Default::default()) {
            let after = migrate::apply_to_texts(&fs, &changes);
            for change in &changes {
                let path = match change {
                    FileChange::Edit { path, .. } | FileChange::Create { path, .. } => path,
                };
                let before = fs.files.get(path).map_or(0, |text| syntax_errors(path, text));
                prop_assert!(syntax_errors(path, &after[path]) <= before, "{} after the switch:\n{}", path.display(), after[path]);
            }
        }
    }
}

/// One message of a random session: the methods an editor sends, with
/// positions and ranges that may be anywhere, on documents that may not be open.
fn message(files: &'static [&'static str]) -> impl Strategy<Value = (String, Value)> {
    let uri = prop::sample::select(files).prop_map(|f| format!("file:///ws/app/{f}"));
    let position = (0u32..6, 0u32..40).prop_map(|(line, character)| json!({"line": line, "character": character}));
    let at = (uri.clone(), position.clone()).prop_map(|(uri, p)| json!({"textDocument": {"uri": uri}, "position": p}));
    prop_oneof![
        (uri.clone(), config_text()).prop_map(|(uri, text)| (
            "textDocument/didOpen".to_string(),
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}})
        )),
        (uri.clone(), position.clone(), position, "[a-z\"{}:,\n\r😀]{0,6}", 1i32..100).prop_map(|(uri, s, e, text, v)| (
            "textDocument/didChange".to_string(),
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": {"start": s, "end": e}, "text": text}]})
        )),
        uri.clone().prop_map(|uri| ("textDocument/didClose".to_string(), json!({"textDocument": {"uri": uri}}))),
        uri.clone().prop_map(|uri| ("textDocument/diagnostic".to_string(), json!({"textDocument": {"uri": uri}}))),
        uri.clone().prop_map(|uri| ("textDocument/documentSymbol".to_string(), json!({"textDocument": {"uri": uri}}))),
        at.clone().prop_map(|p| ("textDocument/completion".to_string(), p)),
        at.clone().prop_map(|p| ("textDocument/hover".to_string(), p)),
        at.clone().prop_map(|p| ("textDocument/definition".to_string(), p)),
        at.clone().prop_map(|mut p| {
            p["context"] = json!({"includeDeclaration": true});
            ("textDocument/references".to_string(), p)
        }),
        at.clone().prop_map(|p| ("completionItem/resolve".to_string(), json!({"label": "hubName", "data": p}))),
        uri.clone().prop_map(|uri| (
            "textDocument/codeAction".to_string(),
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}, "context": {"diagnostics": []}})
        )),
        uri.prop_map(|uri| (
            "workspace/executeCommand".to_string(),
            json!({"command": "durable-lsp.switchToDurableTaskScheduler", "arguments": [uri]})
        )),
        Just(("textDocument/hover".to_string(), json!({"textDocument": {}}))),
        Just(("no/suchMethod".to_string(), json!([1, 2]))),
    ]
}

const FILES: &[&str] = &["host.json", "local.settings.json", "App.csproj", "other.txt"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn every_request_of_a_random_session_gets_one_answer(session in prop::collection::vec(message(FILES), 0..25)) {
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || durable_lsp::lsp::run(server).map_err(|e| e.to_string()));
        let capabilities = json!({"textDocument": {"diagnostic": {}, "completion": {"completionItem": {"resolveSupport": {"properties": ["documentation"]}}}}, "workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true}}});
        client.sender.send(Message::Request(Request::new(0.into(), "initialize".into(), json!({"capabilities": capabilities})))).unwrap();
        client.sender.send(Message::Notification(Notification::new("initialized".into(), json!({})))).unwrap();
        let mut asked: HashSet<RequestId> = HashSet::from([RequestId::from(0)]);
        for (i, (method, params)) in session.into_iter().enumerate() {
            let is_request = !method.starts_with("textDocument/did");
            let message = if is_request {
                let id = RequestId::from(i as i32 + 1);
                asked.insert(id.clone());
                Message::Request(Request::new(id, method, params))
            } else {
                Message::Notification(Notification::new(method, params))
            };
            client.sender.send(message).unwrap();
        }
        let last = RequestId::from(i32::MAX);
        asked.insert(last.clone());
        client.sender.send(Message::Request(Request::new(last.clone(), "shutdown".into(), Value::Null))).unwrap();
        let mut answered = HashSet::new();
        loop {
            match client.receiver.recv_timeout(Duration::from_secs(20)).unwrap() {
                Message::Response(response) => {
                    prop_assert!(asked.contains(&response.id), "an answer to nothing: {response:?}");
                    prop_assert!(answered.insert(response.id.clone()), "two answers to {:?}", response.id);
                    if let Err(error) = &response.response_result {
                        // Never InternalError: that is a panic caught in a handler.
                        prop_assert_ne!(error.code, lsp_server::ErrorCode::InternalError as i32, "{:?}", error);
                    }
                    if response.id == last {
                        break;
                    }
                }
                Message::Request(request) => {
                    // workspace/applyEdit, workspace/diagnostic/refresh, …: the client says yes.
                    let result = if request.method == "workspace/applyEdit" { json!({"applied": true}) } else { Value::Null };
                    client.sender.send(Message::Response(lsp_server::Response::new_ok(request.id, result))).unwrap();
                }
                Message::Notification(_) => {}
            }
        }
        prop_assert_eq!(answered, asked);
        client.sender.send(Message::Notification(Notification::new("exit".into(), Value::Null))).unwrap();
        prop_assert_eq!(thread.join().unwrap(), Ok(()));
    }
}
