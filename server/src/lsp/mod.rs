//! The language server: one loop over JSON-RPC messages, strictly in arrival
//! order. Each handler converts in, runs the pure analysis, converts out.

pub mod convert;
pub mod transport;
mod vfs;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::error::Error;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde_json::{Value, json};

use crate::analysis::config::RuleConfig;
use crate::analysis::{self, FileReport, migrate};
use crate::app::{App, FileKind, FileSystem};
use crate::ide;
use crate::text::PositionEncoding;
use transport::{Incoming, Outgoing, Sink};
use vfs::{Document, Vfs};

type BoxError = Box<dyn Error + Send + Sync>;

struct Server {
    incoming: Incoming,
    sender: Sink,
    encoding: PositionEncoding,
    /// The client pulls diagnostics (textDocument/diagnostic); otherwise we push.
    pull: bool,
    /// The client accepts workspace/diagnostic/refresh.
    refresh: bool,
    vfs: Vfs,
    /// Files we pushed non-empty diagnostics for, with the app root they came from.
    published: HashMap<PathBuf, PathBuf>,
    /// Props files shared by several apps: each app's diagnostics for them,
    /// so what is shown is the union, whichever app was analysed last.
    shared: HashMap<PathBuf, HashMap<PathBuf, Vec<lsp::Diagnostic>>>,
    /// Roots of apps that have (or had) an open file: they are kept current.
    known_apps: BTreeSet<PathBuf>,
    /// Open props files: the apps below them that read them, found when the
    /// file was opened. They only add to what the props file shows.
    props_readers: HashMap<PathBuf, BTreeSet<PathBuf>>,
    /// The client's workspace folders (a props file's walk stays inside them).
    workspace_folders: Vec<PathBuf>,
    /// Pull mode: the closed files each app's last pull reported as related
    /// documents; one that is gone (deleted, renamed) is then sent empty once,
    /// so the editor drops what it showed for it.
    pulled_related: HashMap<PathBuf, BTreeSet<PathBuf>>,
    next_request: i32,
    /// Rule severities and switches from the client's settings.
    config: RuleConfig,
    /// What was last said of the settings: the same settings come from
    /// workspace/configuration and didChangeConfiguration (Neovim sends
    /// both at start), and are said once.
    config_problems: Vec<String>,
    /// The client answers workspace/configuration.
    pulls_configuration: bool,
    /// Our pending workspace/configuration request.
    configuration_request: Option<RequestId>,
    /// What workspace edits the client takes.
    document_changes: bool,
    create_files: bool,
    /// The client accepts workspace/applyEdit (needed by the switch command).
    apply_edit: bool,
    /// The client shows code actions that cannot run, with the reason.
    disabled_actions: bool,
    /// Our workspace/applyEdit requests still waiting for their answer, and
    /// what to tell the user once the switch is applied.
    pending_apply_edits: BTreeMap<String, Option<String>>,
    /// Completion items may be snippets.
    snippets: bool,
    /// The client asks for an item's documentation when it shows it
    /// (completionItem/resolve), so lists go without it.
    resolve_documentation: bool,
    /// What a completion list may say once in `itemDefaults` instead of per item.
    item_defaults: convert::ItemDefaults,
    /// Hover contents may be Markdown.
    markdown: bool,
}

/// A file whose presence decides the worker runtime of a non-.NET app
/// (`WorkerRuntime::from_marker_files`), with the glob that watches it.
struct RuntimeMarker {
    name: &'static str,
    glob: &'static str,
}

const RUNTIME_MARKERS: [RuntimeMarker; 7] = [
    RuntimeMarker { name: "requirements.txt", glob: "**/requirements.txt" },
    RuntimeMarker { name: "function_app.py", glob: "**/function_app.py" },
    RuntimeMarker { name: "pom.xml", glob: "**/pom.xml" },
    RuntimeMarker { name: "build.gradle", glob: "**/build.gradle" },
    RuntimeMarker { name: "profile.ps1", glob: "**/profile.ps1" },
    RuntimeMarker { name: "requirements.psd1", glob: "**/requirements.psd1" },
    RuntimeMarker { name: "package.json", glob: "**/package.json" },
];

/// The app a switch run from `path` is about: the app of one of its files,
/// else the nearest folder above that holds a host.json (a `function_app.py`,
/// `Program.cs` or `Functions/Orders.cs` of the app).
fn app_of_any_file(fs: &dyn crate::app::FileSystem, path: &Path) -> Result<App, String> {
    // bin/Debug/net8.0 holds copies of host.json: no app to switch there.
    if crate::app::in_build_output(path) {
        return Err(format!("{} is in build output: run the switch from a file of the app itself", path.display()));
    }
    if let Some(app) = App::containing(fs, path) {
        return Ok(app);
    }
    let folder = path.parent();
    // A props file is its own folder's app's, or shared by the apps below it.
    if FileKind::of(path) == Some(FileKind::PackagesProps) {
        return folder.and_then(|dir| App::at(fs, dir)).ok_or_else(|| {
            format!("{} is shared by the apps below it: run the switch from a file of one app", path.display())
        });
    }
    path.ancestors()
        .skip(1)
        .find_map(|dir| App::at(fs, dir))
        .ok_or_else(|| format!("{} is not in a function app (no host.json in its folder or above)", path.display()))
}

/// A file an MSBuild `Import` may name, other than the props files apps
/// take by name.
fn is_msbuild_import(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("props") || e.eq_ignore_ascii_case("targets"))
}

/// Whether `app` reads `props`: one of its own props files, or a file one
/// of them imports (NuGet's multi-level layout, a `Versions.props`).
fn reads_props(fs: &dyn crate::app::FileSystem, app: &App, props: &Path) -> bool {
    [app.packages_props.as_deref(), app.build_props.as_deref()].into_iter().flatten().any(|own| {
        own == props
            || fs.read(own).is_some_and(|text| {
                crate::analysis::dotnet::CentralPackages::read(&fs.parse_xml(own, &text))
                    .imported_files(fs, own)
                    .any(|target| target == props)
            })
    })
}

fn is_runtime_marker(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    RUNTIME_MARKERS.iter().any(|marker| marker.name.eq_ignore_ascii_case(name))
}

/// The source action and command that switch an app to DTS.
pub const SWITCH_KIND: &str = "source.durableLsp.switchToDurableTaskScheduler";
pub const SWITCH_COMMAND: &str = "durable-lsp.switchToDurableTaskScheduler";
/// Run by the client after it applied the switch's code action: shows what
/// the app needs beyond its files (the deployed app settings).
pub const SWITCHED_COMMAND: &str = "durable-lsp.switched";
const SWITCH_TITLE: &str = "Switch this app to Durable Task Scheduler";
/// The safe fixes of the whole app at once, what `check --fix` applies
/// (editors run it on save when the user asks for `source.fixAll`).
pub const FIX_ALL_KIND: &str = "source.fixAll.durableLsp";

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run_stdio() -> Result<(), BoxError> {
    let (incoming, sender) = transport::stdio()?;
    serve(incoming, sender)
}

/// Runs the server on a connection (lsp_server's in-memory one, in tests).
pub fn run(connection: Connection) -> Result<(), BoxError> {
    serve(Incoming::Channel(connection.receiver), Sink::Channel(connection.sender))
}

fn serve(mut incoming: Incoming, sender: Sink) -> Result<(), BoxError> {
    let (id, raw_params) = transport::initialize_start(&mut incoming, &sender)?;
    // lsp-types 0.97 reads `workspace.diagnostic`, but the specification and
    // vscode-languageclient say `workspace.diagnostics`: read the raw value.
    let workspace_diagnostics = &raw_params["capabilities"]["workspace"];
    let refresh = [&workspace_diagnostics["diagnostics"], &workspace_diagnostics["diagnostic"]]
        .iter()
        .any(|d| d["refreshSupport"].as_bool() == Some(true));
    let initialization_options = raw_params.get("initializationOptions").cloned().unwrap_or(Value::Null);
    let workspace_caps = &raw_params["capabilities"]["workspace"];
    let document_changes = workspace_caps["workspaceEdit"]["documentChanges"].as_bool() == Some(true);
    let create_files = workspace_caps["workspaceEdit"]["resourceOperations"]
        .as_array()
        .is_some_and(|ops| ops.iter().any(|op| op == "create"));
    let apply_edit = workspace_caps["applyEdit"].as_bool() == Some(true);
    let document_caps = &raw_params["capabilities"]["textDocument"];
    let disabled_actions = document_caps["codeAction"]["disabledSupport"].as_bool() == Some(true);
    let completion_caps = &document_caps["completion"]["completionItem"];
    let snippets = completion_caps["snippetSupport"].as_bool() == Some(true);
    let resolve_documentation = completion_caps["resolveSupport"]["properties"]
        .as_array()
        .is_some_and(|properties| properties.iter().any(|p| p == "documentation"));
    let item_defaults = document_caps["completion"]["completionList"]["itemDefaults"].as_array();
    let item_defaults = convert::ItemDefaults {
        data: item_defaults.is_some_and(|defaults| defaults.iter().any(|d| d == "data")),
        edit_range: item_defaults.is_some_and(|defaults| defaults.iter().any(|d| d == "editRange")),
    };
    let markdown = document_caps["hover"]["contentFormat"]
        .as_array()
        .is_none_or(|formats| formats.iter().any(|f| f == "markdown"));
    // Workspace folders, else the root (a client of LSP 3.5 and before).
    let mut workspace_folders: Vec<PathBuf> = raw_params["workspaceFolders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|folder| folder["uri"].as_str().and_then(convert::uri_to_path))
        .collect();
    if workspace_folders.is_empty() {
        workspace_folders.extend(raw_params["rootUri"].as_str().and_then(convert::uri_to_path));
    }
    // Every capability is read from the raw value, none typed: a value the
    // types do not know (a newer `resourceOperations` kind, a hover format)
    // must not cost the client the others.
    let offered: Vec<lsp::PositionEncodingKind> = raw_params["capabilities"]["general"]["positionEncodings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|kind| kind.as_str().map(|k| lsp::PositionEncodingKind::from(k.to_string())))
        .collect();
    let encoding = convert::negotiate_encoding(&offered);
    let pull = document_caps["diagnostic"].is_object();
    let pulls_configuration = workspace_caps["configuration"].as_bool() == Some(true);
    let watch = workspace_caps["didChangeWatchedFiles"]["dynamicRegistration"].as_bool() == Some(true);
    // RenameOptions only to a client that says it sends prepareRename (LSP 3.12).
    let prepare_rename = document_caps["rename"]["prepareSupport"].as_bool() == Some(true);

    let server_capabilities = lsp::ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(encoding)),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
            save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(lsp::SaveOptions { include_text: Some(false) })),
            ..Default::default()
        })),
        diagnostic_provider: pull.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("durable-lsp".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
            code_action_kinds: Some(vec![
                lsp::CodeActionKind::QUICKFIX,
                lsp::CodeActionKind::from(SWITCH_KIND),
                lsp::CodeActionKind::from(FIX_ALL_KIND),
            ]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(["\"", ":", ";", "=", "<", "%", " "].iter().map(|c| c.to_string()).collect()),
            resolve_provider: Some(true),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(if prepare_rename {
            lsp::OneOf::Right(lsp::RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })
        } else {
            lsp::OneOf::Left(true)
        }),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![SWITCH_COMMAND.to_string(), SWITCHED_COMMAND.to_string()],
            work_done_progress_options: Default::default(),
        }),
        // A props file's walk for the apps that read it stays inside the
        // workspace folders: it must hear when they change.
        workspace: Some(lsp::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    };
    let result = json!({
        "capabilities": server_capabilities,
        "serverInfo": {"name": "durable-lsp", "version": env!("CARGO_PKG_VERSION")},
    });
    let first = transport::initialize_finish(&mut incoming, &sender, id, result)?;
    tracing::info!(?encoding, pull, refresh, watch, "initialized");

    let mut server = Server {
        incoming,
        sender,
        encoding,
        pull,
        refresh,
        vfs: Vfs::default(),
        published: HashMap::new(),
        shared: HashMap::new(),
        known_apps: BTreeSet::new(),
        props_readers: HashMap::new(),
        workspace_folders,
        pulled_related: HashMap::new(),
        next_request: 0,
        config: RuleConfig::default(),
        config_problems: Vec::new(),
        pulls_configuration,
        configuration_request: None,
        document_changes,
        create_files,
        apply_edit,
        disabled_actions,
        pending_apply_edits: BTreeMap::new(),
        snippets,
        resolve_documentation,
        item_defaults,
        markdown,
    };
    // Clients that only send initializationOptions configure us there.
    server.set_config(&initialization_options)?;
    if watch {
        server.register_watchers()?;
    }
    if pulls_configuration {
        server.request_configuration()?;
    }
    server.main_loop(first)
}

impl Server {
    /// Until `exit`, from `first` (what a client that skipped `initialized`
    /// sent instead) on: requests are answered in order. After `shutdown` every
    /// request gets InvalidRequest and notifications are dropped; `exit`
    /// (or the client closing the pipe) then ends the loop, with an error
    /// when `shutdown` never came (the process then exits 1, as LSP says).
    fn main_loop(&mut self, first: Option<Message>) -> Result<(), BoxError> {
        let mut shut_down = false;
        let mut pending = first;
        while let Some(message) = pending.take().or_else(|| self.incoming.recv(&self.sender)) {
            match message {
                Message::Request(request) if shut_down || request.method == "initialize" => {
                    let message = if shut_down {
                        format!("{} after shutdown: the server only waits for `exit` now", request.method)
                    } else {
                        "the server is initialized already".to_string()
                    };
                    let response = Response::new_err(request.id, ErrorCode::InvalidRequest as i32, message);
                    self.sender.send(Message::Response(response))?;
                }
                Message::Request(request) if request.method == "shutdown" => {
                    shut_down = true;
                    let response = Response { id: request.id, response_result: Ok(Value::Null) };
                    self.sender.send(Message::Response(response))?;
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    return if shut_down { Ok(()) } else { Err("`exit` came before `shutdown`".into()) };
                }
                Message::Notification(_) | Message::Response(_) if shut_down => {}
                Message::Request(request) => {
                    let id = request.id.clone();
                    let method = request.method.clone();
                    let answer = match catch_unwind(AssertUnwindSafe(|| self.handle_request(request))) {
                        Ok(answer) => answer,
                        Err(_) => {
                            tracing::error!(%method, "panic while handling a request");
                            let message = format!("durable-lsp: internal error in {method}");
                            Message::Response(Response::new_err(id, ErrorCode::InternalError as i32, message)).into()
                        }
                    };
                    self.sender.send(answer)?;
                }
                Message::Notification(notification) => {
                    let method = notification.method.clone();
                    match catch_unwind(AssertUnwindSafe(|| self.handle_notification(notification))) {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => tracing::warn!(%method, "{e}"),
                        Err(_) => tracing::error!(%method, "panic while handling a notification"),
                    }
                }
                Message::Response(response) => {
                    if let Some(note) = self.pending_apply_edits.remove(&response.id.to_string()) {
                        self.edit_applied(&response, note)?;
                    }
                    if self.configuration_request.as_ref() == Some(&response.id) {
                        self.configuration_request = None;
                        if let Ok(result) = &response.response_result {
                            let settings = result.get(0).cloned().unwrap_or(Value::Null);
                            self.set_config(&settings)?;
                            self.recheck_all()?;
                        }
                    }
                    if let Err(error) = response.response_result {
                        tracing::warn!(id = ?response.id, "client answered with an error: {}", error.message);
                    }
                }
            }
        }
        if shut_down { Ok(()) } else { Err("the client closed the connection without `shutdown`".into()) }
    }

    fn handle_request(&mut self, request: Request) -> Outgoing {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            "textDocument/diagnostic" => {
                parse::<lsp::DocumentDiagnosticParams>(request.params).map(|p| self.pull_diagnostics(p))
            }
            "textDocument/codeAction" => Ok(self.code_actions(&request.params)),
            "textDocument/completion" => match self.completion(&request.params) {
                Ok(list) => return Outgoing::Answer(id, list),
                Err(message) => Err(message),
            },
            "completionItem/resolve" => Ok(self.resolve_completion(request.params)),
            "textDocument/hover" => self.at_position(&request.params).map(|found| {
                let Some((path, offset, text)) = found else { return Value::Null };
                let fs = &self.vfs;
                let positions = self.vfs.positions(&path, &text, self.encoding);
                ide::hover(fs, &path, offset)
                    .map_or(Value::Null, |hover| convert::hover(&hover, &positions, self.markdown))
            }),
            "textDocument/definition" => self.at_position(&request.params).map(|found| {
                let Some((path, offset, _)) = found else { return Value::Array(Vec::new()) };
                let fs = &self.vfs;
                self.locations(&ide::definition(fs, &path, offset))
            }),
            "textDocument/references" => self.at_position(&request.params).map(|found| {
                let Some((path, offset, _)) = found else { return Value::Array(Vec::new()) };
                let fs = &self.vfs;
                let declaration = request.params["context"]["includeDeclaration"].as_bool().unwrap_or(false);
                if FileKind::of(&path) == Some(FileKind::PackagesProps) {
                    let roots = self.apps_of_props(&path);
                    return self.locations(&ide::package_references(fs, &path, offset, &roots, declaration));
                }
                // A package of a project whose version a props file gives: the
                // references of that version, from every project that takes it.
                if FileKind::of(&path) == Some(FileKind::Project) {
                    let central = ide::definition(fs, &path, offset)
                        .into_iter()
                        .find(|at| FileKind::of(&at.path) == Some(FileKind::PackagesProps));
                    if let Some(at) = central {
                        let roots = self.every_app_of_props(&at.path);
                        return self.locations(&ide::package_references(
                            fs,
                            &at.path,
                            at.range.start,
                            &roots,
                            declaration,
                        ));
                    }
                }
                self.locations(&ide::references(fs, &path, offset, declaration))
            }),
            "textDocument/prepareRename" | "textDocument/rename" => match self.rename(&request.method, &request.params)
            {
                Ok(answer) => answer,
                // The place holds no setting that can be renamed, or not to that name: the client shows why.
                Err(why) => {
                    return Message::Response(Response::new_err(id, ErrorCode::RequestFailed as i32, why)).into();
                }
            },
            "textDocument/documentSymbol" => {
                let path = request.params["textDocument"]["uri"].as_str().and_then(convert::uri_to_path);
                let fs = &self.vfs;
                let kind = path.as_deref().and_then(FileKind::of);
                let text = path
                    .as_deref()
                    .filter(|_| kind.is_some())
                    .and_then(|p| fs.read(p))
                    .filter(|text| text.len() <= analysis::MAX_ANALYSED_BYTES);
                Ok(match (path, text) {
                    (Some(path), Some(text)) => {
                        let positions = self.vfs.positions(&path, &text, self.encoding);
                        let symbols = match kind {
                            Some(FileKind::HostJson | FileKind::LocalSettings) => {
                                ide::symbols_of(&fs.parse_json(&path, &text), &text)
                            }
                            _ => ide::project_symbols(&text),
                        };
                        convert::symbols(&symbols, &positions)
                    }
                    _ => Value::Array(Vec::new()),
                })
            }
            "workspace/executeCommand" => self.execute_command(&request.params),
            #[cfg(test)]
            "durable-lsp/testPanic" => panic!("a handler bug"),
            _ => {
                let message = format!("unknown request {}", request.method);
                return Message::Response(Response::new_err(id, ErrorCode::MethodNotFound as i32, message)).into();
            }
        };
        Message::Response(match result {
            // Not Response::new_ok: it would copy the whole value through serde once more.
            Ok(value) => Response { id, response_result: Ok(value) },
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        })
        .into()
    }

    /// textDocument/completion: the list as JSON text.
    fn completion(&self, params: &Value) -> Result<String, String> {
        const EMPTY: &str = r#"{"isIncomplete":false,"items":[]}"#;
        let Some((path, offset, text)) = self.at_position(params)? else {
            return Ok(EMPTY.to_string());
        };
        // A space is a trigger character for `"key": |`; a space typed to
        // indent a line opens nothing.
        let before = &text[..crate::text::floor_char_boundary(&text, offset)];
        let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
        if params["context"]["triggerCharacter"] == " " && line.trim().is_empty() {
            return Ok(EMPTY.to_string());
        }
        let items = ide::complete(&self.vfs, &path, offset, self.snippets);
        // What completionItem/resolve needs to find the item again.
        let resolve = self
            .resolve_documentation
            .then(|| json!({"textDocument": {"uri": params["textDocument"]["uri"]}, "position": params["position"]}));
        let positions = self.vfs.positions(&path, &text, self.encoding);
        let list = convert::completion(&items, &positions, resolve.as_ref(), self.item_defaults);
        // Room for a typical item, so the text is not copied as it grows.
        let mut json = Vec::with_capacity(64 + 192 * items.len());
        serde_json::to_writer(&mut json, &list).map_err(|e| e.to_string())?;
        String::from_utf8(json).map_err(|e| e.to_string())
    }

    fn handle_notification(&mut self, notification: Notification) -> Result<(), BoxError> {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let params: lsp::DidOpenTextDocumentParams = parse(notification.params)?;
                let document = params.text_document;
                let Some(path) = convert::uri_to_path(document.uri.as_str()) else {
                    return Ok(());
                };
                self.vfs.open(
                    path.clone(),
                    Document::new(document.uri.as_str().to_string(), document.version, document.text),
                );
                if FileKind::of(&path) == Some(FileKind::PackagesProps) {
                    self.find_readers(&path);
                }
                self.changed(&path)?;
            }
            "textDocument/didChange" => {
                let params: lsp::DidChangeTextDocumentParams = parse(notification.params)?;
                let Some(path) = convert::uri_to_path(params.text_document.uri.as_str()) else {
                    return Ok(());
                };
                let Some(document) = self.vfs.document_mut(&path) else {
                    return Err(format!("didChange for {} which is not open", path.display()).into());
                };
                for change in params.content_changes {
                    document.apply(change, self.encoding);
                }
                document.version = params.text_document.version;
                self.changed(&path)?;
            }
            "textDocument/didSave" => {}
            "textDocument/didClose" => {
                let params: lsp::DidCloseTextDocumentParams = parse(notification.params)?;
                let Some(path) = convert::uri_to_path(params.text_document.uri.as_str()) else {
                    return Ok(());
                };
                // The disk text now counts again; it may differ from the unsaved buffer.
                if self.vfs.close(&path).is_some() {
                    self.forget_readers(&path);
                    self.changed(&path)?;
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let params: lsp::DidChangeWatchedFilesParams = parse(notification.params)?;
                // Watchers overlap (the deletion watcher sees app files too): each path once.
                let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
                let mut paths: Vec<PathBuf> = Vec::new();
                let mut folders_gone = false;
                let mut markers: Vec<PathBuf> = Vec::new();
                let mut imported: Vec<(PathBuf, bool)> = Vec::new();
                for change in &params.changes {
                    let Some(path) = convert::uri_to_path(change.uri.as_str()) else { continue };
                    if !seen.insert(path.clone()) {
                        continue;
                    }
                    if FileKind::of(&path).is_some() {
                        paths.push(path);
                    } else if is_runtime_marker(&path) {
                        markers.push(path);
                    } else if is_msbuild_import(&path) {
                        imported.push((path, change.typ == lsp::FileChangeType::DELETED));
                    } else if change.typ == lsp::FileChangeType::DELETED {
                        // A folder deleted is reported once, for the folder.
                        folders_gone |= self.folder_gone(&path)?;
                    }
                }
                if folders_gone && self.pull && self.refresh {
                    self.send_request("workspace/diagnostic/refresh", Value::Null)?;
                }
                for path in &paths {
                    self.vfs.forget(path);
                }
                let closed: Vec<PathBuf> = paths.into_iter().filter(|path| !self.vfs.is_open(path)).collect();
                // Several files of one app in one batch: the app is analysed once.
                let mut analysed: BTreeSet<PathBuf> = BTreeSet::new();
                for path in closed {
                    let root = App::containing(&self.vfs, &path).map(|app| app.root);
                    if root.as_ref().is_some_and(|root| !analysed.insert(root.clone())) {
                        continue;
                    }
                    self.changed(&path)?;
                }
                for marker in markers {
                    self.vfs.forget(&marker);
                    let Some(dir) = marker.parent() else { continue };
                    let root = dir.to_path_buf();
                    if App::at(&self.vfs, &root).is_some() && analysed.insert(root.clone()) {
                        self.app_changed(&root)?;
                    }
                }
                for (props, deleted) in imported {
                    self.imported_props_changed(&props, deleted, &mut analysed)?;
                }
            }
            "workspace/didChangeConfiguration" => {
                let settings = notification.params.get("settings").cloned().unwrap_or(Value::Null);
                if settings.get("durableLsp").is_some() || settings.get("rules").is_some() {
                    self.set_config(&settings)?;
                    self.recheck_all()?;
                } else if self.pulls_configuration {
                    // The usual form: a nudge to ask for the settings again.
                    self.request_configuration()?;
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                let params: lsp::DidChangeWorkspaceFoldersParams = parse(notification.params)?;
                let path_of = |folder: &lsp::WorkspaceFolder| convert::uri_to_path(folder.uri.as_str());
                let removed: Vec<PathBuf> = params.event.removed.iter().filter_map(path_of).collect();
                self.workspace_folders.retain(|folder| !removed.contains(folder));
                for added in params.event.added.iter().filter_map(path_of) {
                    if !self.workspace_folders.contains(&added) {
                        self.workspace_folders.push(added);
                    }
                }
                // An open props file walks the folders again for its readers.
                let open_props: Vec<PathBuf> = self.props_readers.keys().cloned().collect();
                for props in &open_props {
                    self.forget_readers(props);
                    self.find_readers(props);
                    self.changed(props)?;
                }
                // Nobody typed in it: a pulling client must be told to pull again.
                if !open_props.is_empty() && self.pull && self.refresh {
                    self.send_request("workspace/diagnostic/refresh", Value::Null)?;
                }
            }
            "$/cancelRequest" | "$/setTrace" | "initialized" => {}
            method => tracing::debug!(%method, "notification ignored"),
        }
        Ok(())
    }

    /// After a file changed: bring every file of the apps it touches up to date.
    fn changed(&mut self, path: &Path) -> Result<(), BoxError> {
        let fs = &self.vfs;
        let mut roots: Vec<PathBuf> = Vec::new();
        match FileKind::of(path) {
            Some(FileKind::PackagesProps) => roots.extend(self.known_apps_below(path)),
            Some(_) => {
                if let Some(app) = App::containing(fs, path) {
                    roots.push(app.root);
                }
            }
            None => return Ok(()),
        }
        if self.vfs.is_open(path) {
            self.known_apps.extend(roots.iter().cloned());
        }
        if self.pull {
            // The client pulls the changed document itself; a refresh makes it
            // pull the other open files of the app too. A keystroke in the
            // only open file of an app asks for nothing more.
            if self.refresh && self.others_open(path, &roots) {
                self.send_request("workspace/diagnostic/refresh", Value::Null)?;
            }
            return Ok(());
        }
        // An open props file's readers add what they say of it, and nothing else.
        let readers = if self.vfs.is_open(path) { self.readers_only(path) } else { Vec::new() };
        for root in &readers {
            let reports = self.analyze_root(root);
            let Some(report) = reports.iter().find(|r| r.path == path) else { continue };
            let diagnostics = convert::diagnostics(report, &reports, &self.edit_support(), false);
            self.shared.entry(path.to_path_buf()).or_default().insert(root.clone(), diagnostics);
        }
        if roots.is_empty() && !readers.is_empty() {
            let shown = self.shared_union(path);
            // Recorded as the file's own, so that closing it clears them.
            if shown.is_empty() {
                self.published.remove(path);
            } else {
                self.published.insert(path.to_path_buf(), path.parent().unwrap_or(path).to_path_buf());
            }
            return self.send_diagnostics(path, shown);
        }
        if roots.is_empty() {
            // A file of no app: only its own syntax.
            let report = self.standalone_report(path);
            return self.publish(std::slice::from_ref(&report), path.parent().unwrap_or(path));
        }
        for root in roots {
            let reports = self.analyze_root(&root);
            self.publish(&reports, &root)?;
            // An app shown for a watcher event on a closed file is kept
            // current from then on, like one with an open file: what it
            // shows must not go stale when a file it reads changes.
            if self.published.values().any(|r| *r == root) {
                self.known_apps.insert(root);
            }
        }
        Ok(())
    }

    /// A file the rules do not read but the app's analysis does (a marker
    /// of the worker runtime: requirements.txt, package.json, …) was
    /// created or deleted: the app it is in, when we show or keep it, again.
    fn app_changed(&mut self, root: &Path) -> Result<(), BoxError> {
        let shown = self.known_apps.contains(root) || self.published.values().any(|r| r == root);
        if !shown {
            return Ok(());
        }
        if self.pull {
            if self.refresh {
                self.send_request("workspace/diagnostic/refresh", Value::Null)?;
            }
            return Ok(());
        }
        let reports = self.analyze_root(root);
        self.publish(&reports, root)
    }

    /// `path`'s diagnostics as the editor is given them, from the current
    /// texts: from its app, or for a props file from every known app that
    /// reads it (their union); a file of no app, its syntax alone. With
    /// `codes`, only diagnostics of those rules are converted (with their fixes).
    fn diagnostics_of(&self, path: &Path, codes: Option<&BTreeSet<&str>>) -> Vec<lsp::Diagnostic> {
        let fs = &self.vfs;
        let roots: Vec<PathBuf> = match FileKind::of(path) {
            Some(FileKind::PackagesProps) => self.apps_of_props(path),
            Some(_) => App::containing(fs, path).map(|app| app.root).into_iter().collect(),
            None => return Vec::new(),
        };
        let only = |report: &FileReport| match codes {
            Some(codes) => FileReport {
                path: report.path.clone(),
                kind: report.kind,
                text: report.text.clone(),
                diagnostics: report.diagnostics.iter().filter(|d| codes.contains(d.code)).cloned().collect(),
            },
            None => report.clone(),
        };
        let mut found: Option<Vec<lsp::Diagnostic>> = None;
        for root in roots {
            let Some(app) = App::at(fs, &root) else { continue };
            let reports = self.analyze(&app);
            let Some(report) = reports.iter().find(|r| r.path == path) else { continue };
            let converted = convert::diagnostics(&only(report), &reports, &self.edit_support(), codes.is_some());
            found.get_or_insert_with(Vec::new).extend(converted);
        }
        match found {
            Some(found) => union(found),
            None => {
                let report = only(&self.standalone_report(path));
                convert::diagnostics(&report, std::slice::from_ref(&report), &self.edit_support(), codes.is_some())
            }
        }
    }

    /// Is a document other than `path` open whose diagnostics may change
    /// with it: one of the apps at `roots`, one in `path`'s folder or below
    /// (the app a deleted host.json leaves), or a props file (its readers).
    fn others_open(&self, path: &Path, roots: &[PathBuf]) -> bool {
        let folder = path.parent().unwrap_or(path);
        self.vfs.open_paths().any(|open| {
            open != path
                && (open.starts_with(folder)
                    || roots.iter().any(|root| open.starts_with(root))
                    || FileKind::of(open) == Some(FileKind::PackagesProps))
        })
    }

    /// A props file just opened: the apps below it that read it, so it shows
    /// what they say of it before any of their files is opened (a
    /// Directory.Packages.props at a repository root is often the first file
    /// opened for a package upgrade). Only their diagnostics of the props file
    /// are shown, while it is open. The walk stays inside the workspace
    /// folders (a props file above them walks only them) and is bounded in
    /// folders and apps: a home folder is not read on the editor's time.
    fn find_readers(&mut self, props: &Path) {
        let readers = self.readers_below(props);
        self.props_readers.insert(props.to_path_buf(), readers);
    }

    /// The apps below `props` that read it, walking the folders (bounded,
    /// inside the workspace folders).
    fn readers_below(&self, props: &Path) -> BTreeSet<PathBuf> {
        const MAX_FOLDERS: usize = 10_000;
        const MAX_APPS: usize = 500;
        let Some(dir) = props.parent() else { return BTreeSet::new() };
        let inside = |folder: &PathBuf| dir.starts_with(folder);
        let walked: Vec<&Path> = if self.workspace_folders.is_empty() || self.workspace_folders.iter().any(inside) {
            vec![dir]
        } else {
            self.workspace_folders.iter().filter(|folder| folder.starts_with(dir)).map(PathBuf::as_path).collect()
        };
        let fs = &self.vfs;
        let reads = |app: &App| reads_props(fs, app, props);
        let mut readers = BTreeSet::new();
        let mut budget = MAX_FOLDERS;
        for top in walked {
            let (folders, complete) = crate::disk::app_folders(top, budget);
            budget = budget.saturating_sub(folders.len().max(1));
            readers.extend(folders.into_iter().filter(|root| App::at(fs, root).is_some_and(|app| reads(&app))));
            if !complete || budget == 0 {
                tracing::info!(props = %props.display(), MAX_FOLDERS, "apps below a props file: only the first folders were read");
                break;
            }
        }
        if readers.len() > MAX_APPS {
            tracing::info!(props = %props.display(), found = readers.len(), MAX_APPS, "apps below a props file: only the first are analysed for it");
            readers = readers.into_iter().take(MAX_APPS).collect();
        }
        tracing::debug!(props = %props.display(), apps = readers.len(), "apps that read a props file");
        readers
    }

    /// A props file that no app takes by name (an `Import` of a
    /// Directory.Packages.props, `Versions.props` say) changed on disk: the
    /// known apps that read it are analysed again. One deleted can no longer
    /// be told from the imports (they resolve to files that exist): every
    /// known app with a props file is.
    fn imported_props_changed(
        &mut self,
        props: &Path,
        deleted: bool,
        analysed: &mut BTreeSet<PathBuf>,
    ) -> Result<(), BoxError> {
        // NuGet's restore rewrites obj/*.nuget.g.props at every build: MSBuild's own, not the user's.
        if crate::app::in_build_output(props) || props.components().any(|c| c.as_os_str() == "obj") {
            return Ok(());
        }
        self.vfs.forget(props);
        let roots: Vec<PathBuf> = self.known_apps.iter().cloned().collect();
        for root in roots {
            let reads = App::at(&self.vfs, &root).is_some_and(|app| {
                if deleted {
                    app.packages_props.is_some() || app.build_props.is_some()
                } else {
                    reads_props(&self.vfs, &app, props)
                }
            });
            if reads && analysed.insert(root.clone()) {
                self.app_changed(&root)?;
            }
        }
        Ok(())
    }

    /// A props file closed: the apps found for it no longer add to it.
    fn forget_readers(&mut self, props: &Path) {
        let Some(readers) = self.props_readers.remove(props) else { return };
        if let Some(per_app) = self.shared.get_mut(props) {
            per_app.retain(|root, _| !readers.contains(root) || self.known_apps.contains(root));
        }
    }

    /// The apps a props file may be read by: the known apps below it, any
    /// app whose analysis reported on it (one analysed for a watcher event
    /// on a closed file), and those found when it was opened.
    fn apps_of_props(&self, props: &Path) -> Vec<PathBuf> {
        let mut roots: BTreeSet<PathBuf> = self.known_apps_below(props).collect();
        roots.extend(self.shared.get(props).into_iter().flat_map(|per_app| per_app.keys().cloned()));
        roots.extend(self.props_readers.get(props).into_iter().flatten().cloned());
        roots.into_iter().collect()
    }

    /// [`Server::apps_of_props`] and the apps below `props` that read it,
    /// found by walking the folders as for an opened props file: for a props
    /// file that need not be open.
    fn every_app_of_props(&self, props: &Path) -> Vec<PathBuf> {
        let mut roots = self.apps_of_props(props);
        roots.extend(self.readers_below(props));
        roots.sort();
        roots.dedup();
        roots
    }

    /// The apps found for an open props file that are not known otherwise.
    fn readers_only(&self, props: &Path) -> Vec<PathBuf> {
        let known: BTreeSet<PathBuf> = self.known_apps_below(props).collect();
        self.props_readers.get(props).into_iter().flatten().filter(|root| !known.contains(*root)).cloned().collect()
    }

    /// The app's reports from the current texts, with the user's rule settings.
    fn analyze(&self, app: &App) -> Vec<FileReport> {
        let mut reports = analysis::analyze_app(&self.vfs, app);
        self.config.apply_to_reports(&mut reports);
        reports
    }

    /// [`Server::analyze`] for the app at `root`; nothing when it is gone.
    fn analyze_root(&self, root: &Path) -> Vec<FileReport> {
        App::at(&self.vfs, root).map(|app| self.analyze(&app)).unwrap_or_default()
    }

    /// A props file some app stopped reading: it shows what the other apps
    /// say of it, recorded as one of theirs (or as nothing, when none says anything).
    fn show_shared(&mut self, props: &Path) -> Result<(), BoxError> {
        let shown = self.shared_union(props);
        let other = self.shared.get(props).and_then(|per_app| per_app.keys().next().cloned());
        match other.filter(|_| !shown.is_empty()) {
            Some(other) => self.published.insert(props.to_path_buf(), other),
            None => self.published.remove(props),
        };
        self.send_diagnostics(props, shown)
    }

    /// What a props file shows: the union of what every app said of it.
    fn shared_union(&self, props: &Path) -> Vec<lsp::Diagnostic> {
        union(self.shared.get(props).into_iter().flat_map(|per_app| per_app.values().flatten()).cloned())
    }

    /// The known apps below a props file's folder: the ones that may read it.
    fn known_apps_below<'s>(&'s self, props: &Path) -> impl Iterator<Item = PathBuf> + 's {
        let dir = props.parent().unwrap_or(Path::new("/")).to_path_buf();
        self.known_apps.iter().filter(move |root| root.starts_with(&dir)).cloned()
    }

    /// A folder is gone (editors report a deleted folder once, not each file
    /// in it): what was shown for the closed files below it is cleared, its
    /// apps are forgotten, and a props file above them loses what they said.
    /// Whether anything was dropped: most deleted paths (build output, git's
    /// lock files) are below no app we know.
    fn folder_gone(&mut self, dir: &Path) -> Result<bool, BoxError> {
        let below = |path: &PathBuf| path.starts_with(dir);
        let relevant = self.known_apps.iter().any(below)
            || self.published.keys().any(below)
            || self.pulled_related.keys().any(below)
            || self.shared.values().any(|per_app| per_app.keys().any(below));
        if !relevant || dir.exists() {
            return Ok(false);
        }
        self.known_apps.retain(|root| !root.starts_with(dir));
        // (What a pull reported as related is kept: the next pull of an open
        // file of the app sends the files that went with the folder empty.)
        let mut cleared: Vec<PathBuf> =
            self.published.keys().filter(|p| p.starts_with(dir) && !self.vfs.is_open(p)).cloned().collect();
        cleared.sort();
        for path in cleared {
            self.published.remove(&path);
            self.vfs.forget(&path);
            self.send_diagnostics(&path, Vec::new())?;
        }
        let mut props_changed: Vec<PathBuf> = Vec::new();
        for (props, per_app) in &mut self.shared {
            let before = per_app.len();
            per_app.retain(|root, _| !root.starts_with(dir));
            if per_app.len() != before && !props.starts_with(dir) {
                props_changed.push(props.clone());
            }
        }
        props_changed.sort();
        for props in props_changed {
            self.show_shared(&props)?;
        }
        self.shared.retain(|props, _| !props.starts_with(dir));
        // An open file below lives on in its buffer; its app lost the others.
        let mut open_below: Vec<PathBuf> =
            self.vfs.open_paths().filter(|p| p.starts_with(dir)).map(Path::to_path_buf).collect();
        open_below.sort();
        for path in open_below {
            self.changed(&path)?;
        }
        Ok(true)
    }

    /// A file of no app, its syntax alone; a file that is gone (deleted,
    /// or closed without ever being saved) has nothing to say.
    fn standalone_report(&self, path: &Path) -> FileReport {
        let fs = &self.vfs;
        let kind = FileKind::of(path).unwrap_or(FileKind::Project);
        let Some(text) = fs.read(path) else {
            return FileReport { path: path.to_path_buf(), kind, text: Arc::default(), diagnostics: Vec::new() };
        };
        let mut report = analysis::analyze_file_alone(path, kind, text);
        self.config.apply(&mut report.diagnostics);
        report
    }

    /// Pushes the diagnostics of one app's reports, and clears files of that
    /// app that had diagnostics before and have none now.
    fn publish(&mut self, reports: &[FileReport], root: &Path) -> Result<(), BoxError> {
        let mut stale: Vec<PathBuf> =
            self.published.iter().filter(|(_, r)| r.as_path() == root).map(|(p, _)| p.clone()).collect();
        for report in reports {
            stale.retain(|p| *p != report.path);
            let mut diagnostics = convert::diagnostics(report, reports, &self.edit_support(), false);
            if report.kind == FileKind::PackagesProps {
                let per_app = self.shared.entry(report.path.clone()).or_default();
                per_app.insert(root.to_path_buf(), diagnostics);
                diagnostics = union(per_app.values().flatten().cloned());
            }
            if diagnostics.is_empty() {
                if self.published.remove(&report.path).is_none() && !self.vfs.is_open(&report.path) {
                    continue;
                }
            } else {
                self.published.insert(report.path.clone(), root.to_path_buf());
            }
            self.send_diagnostics(&report.path, diagnostics)?;
        }
        // A props file this app no longer reads (or an app that is gone):
        // its share goes, and the file shows what the other apps say of it.
        let mut left: Vec<PathBuf> = self
            .shared
            .iter_mut()
            .filter(|(props, _)| !reports.iter().any(|r| r.path == **props))
            .filter_map(|(props, per_app)| per_app.remove(root).map(|_| props.clone()))
            .collect();
        left.sort();
        for props in left {
            stale.retain(|p| *p != props);
            self.show_shared(&props)?;
        }
        for path in stale {
            self.published.remove(&path);
            self.send_diagnostics(&path, Vec::new())?;
        }
        Ok(())
    }

    fn send_diagnostics(&self, path: &Path, diagnostics: Vec<lsp::Diagnostic>) -> Result<(), BoxError> {
        let document = self.vfs.document(path);
        let uri = document.map_or_else(|| convert::path_to_uri(path), |d| d.uri.clone());
        let mut params = json!({"uri": uri, "version": document.map(|d| d.version)});
        params["diagnostics"] = convert::diagnostics_json(diagnostics);
        self.sender.send(Message::Notification(Notification::new("textDocument/publishDiagnostics".into(), params)))?;
        Ok(())
    }

    /// textDocument/diagnostic: this document's diagnostics, and the other
    /// files of its app as related documents.
    fn pull_diagnostics(&mut self, params: lsp::DocumentDiagnosticParams) -> Value {
        let uri = params.text_document.uri.as_str().to_string();
        let empty = json!({"kind": "full", "items": []});
        let Some(path) = convert::uri_to_path(&uri) else {
            return empty;
        };
        let fs = &self.vfs;
        let mut root = None;
        let reports = match App::containing(fs, &path) {
            Some(app) => {
                let reports = self.analyze(&app);
                root = Some(app.root);
                reports
            }
            None if FileKind::of(&path) == Some(FileKind::PackagesProps) => {
                // A props file above the apps: what every app that reads it says of it.
                let items = convert::diagnostics_json(self.diagnostics_of(&path, None));
                return json!({"kind": "full", "items": items});
            }
            None if FileKind::of(&path).is_some() => vec![self.standalone_report(&path)],
            None => return empty,
        };
        // Built by moving values in: `json!` would copy each one through serde.
        let full = |items: Value| {
            let mut report = serde_json::Map::new();
            report.insert("kind".to_string(), Value::from("full"));
            report.insert("items".to_string(), items);
            report
        };
        let mut items = Value::Array(Vec::new());
        let mut related = serde_json::Map::new();
        for report in &reports {
            let is_open = self.vfs.is_open(&report.path);
            if report.path != path && is_open {
                continue; // open files are pulled on their own; closed ones come along here
            }
            let diagnostics =
                convert::diagnostics_json(convert::diagnostics(report, &reports, &self.edit_support(), false));
            if report.path == path {
                items = diagnostics;
            } else {
                related.insert(convert::path_to_uri(&report.path), Value::Object(full(diagnostics)));
            }
        }
        // The app this file was in is gone (its host.json deleted): the
        // files its last pull reported are sent empty once.
        let former: Vec<PathBuf> = self
            .pulled_related
            .keys()
            .filter(|old| path.starts_with(old) && Some(*old) != root.as_ref() && App::at(&self.vfs, old).is_none())
            .cloned()
            .collect();
        for old in former {
            for gone in self.pulled_related.remove(&old).into_iter().flatten() {
                if !self.vfs.is_open(&gone) && gone != path && !related.contains_key(&convert::path_to_uri(&gone)) {
                    related.insert(convert::path_to_uri(&gone), Value::Object(full(Value::Array(Vec::new()))));
                }
            }
        }
        if let Some(root) = root {
            let now: BTreeSet<PathBuf> = reports
                .iter()
                .filter(|r| r.path != path && !self.vfs.is_open(&r.path))
                .map(|r| r.path.clone())
                .collect();
            for gone in self.pulled_related.get(&root).into_iter().flatten().filter(|p| !now.contains(*p)) {
                if !self.vfs.is_open(gone) && *gone != path {
                    related.insert(convert::path_to_uri(gone), Value::Object(full(Value::Array(Vec::new()))));
                }
            }
            self.pulled_related.insert(root, now);
        }
        let mut result = full(items);
        if !related.is_empty() {
            result.insert("relatedDocuments".to_string(), Value::Object(related));
        }
        Value::Object(result)
    }

    /// completionItem/resolve: the item with its documentation, found again
    /// by label at the position of the list it came from (unchanged when the
    /// document has changed so much that it is gone).
    fn resolve_completion(&self, mut item: Value) -> Value {
        let Ok(Some((path, offset, _))) = self.at_position(&item["data"]) else { return item };
        let label = item["label"].as_str().unwrap_or_default();
        let found = ide::complete(&self.vfs, &path, offset, self.snippets).into_iter().find(|i| i.label == label);
        if let Some(documentation) = found.and_then(|i| i.documentation) {
            item["documentation"] = convert::documentation(&documentation);
        }
        item
    }

    /// The document and byte offset a position request is about: `Err` for
    /// malformed parameters; `Ok(None)` for a document there is nothing to
    /// say about (not a file, or not readable), which gets an empty answer.
    fn at_position(&self, params: &Value) -> Result<Option<(PathBuf, usize, Arc<String>)>, String> {
        let uri = params["textDocument"]["uri"].as_str().ok_or("no textDocument.uri")?;
        let position: lsp::Position =
            serde_json::from_value(params["position"].clone()).map_err(|e| format!("invalid position: {e}"))?;
        let Some(path) = convert::uri_to_path(uri) else { return Ok(None) };
        let fs = &self.vfs;
        let Some(text) = fs.read(&path) else { return Ok(None) };
        let offset = self.vfs.positions(&path, &text, self.encoding).offset(position);
        Ok(Some((path, offset, text)))
    }

    /// textDocument/prepareRename and textDocument/rename: the outer `Err`
    /// is a refusal (RequestFailed), the inner one malformed parameters.
    fn rename(&self, method: &str, params: &Value) -> Result<Result<Value, String>, String> {
        let (path, offset, text) = match self.at_position(params) {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(Ok(Value::Null)),
            Err(malformed) => return Ok(Err(malformed)),
        };
        let fs = &self.vfs;
        if method == "textDocument/prepareRename" {
            let Some(target) = ide::prepare_rename(fs, &path, offset)? else { return Ok(Ok(Value::Null)) };
            let positions = self.vfs.positions(&path, &text, self.encoding);
            return Ok(Ok(json!({"range": positions.range(target.range), "placeholder": target.name})));
        }
        let Some(new_name) = params["newName"].as_str() else { return Ok(Err("no newName".to_string())) };
        let changes = ide::rename(fs, &path, offset, new_name)?;
        let text_of = |p: &Path| fs.read(p);
        Ok(Ok(convert::workspace_edit(&changes, &text_of, &self.edit_support()).unwrap_or(Value::Null)))
    }

    fn locations(&self, found: &[ide::Location]) -> Value {
        let fs = &self.vfs;
        let converted: Vec<Value> = found
            .iter()
            .filter_map(|location| {
                let text = fs.read(&location.path)?;
                let positions = self.vfs.positions(&location.path, &text, self.encoding);
                let uri = self
                    .vfs
                    .document(&location.path)
                    .map_or_else(|| convert::path_to_uri(&location.path), |d| d.uri.clone());
                Some(json!({"uri": uri, "range": positions.range(location.range)}))
            })
            .collect();
        Value::Array(converted)
    }

    fn edit_support(&self) -> convert::EditSupport<'_> {
        convert::EditSupport {
            encoding: self.encoding,
            document_changes: self.document_changes,
            create: self.create_files,
            versions: Box::new(|path: &Path| self.vfs.document(path).map(|d| (d.uri.clone(), d.version))),
            lines: Box::new(|path: &Path, text: &Arc<String>| self.vfs.line_index(path, text)),
        }
    }

    /// textDocument/codeAction: the fixes of our diagnostics in the request
    /// (made now, from the current texts), and the switch of the document's app.
    fn code_actions(&mut self, params: &Value) -> Value {
        let only: Option<Vec<String>> = params["context"]["only"]
            .as_array()
            .map(|kinds| kinds.iter().filter_map(|k| k.as_str().map(str::to_string)).collect());
        let wants = |kind: &str| {
            only.as_ref().is_none_or(|only| only.iter().any(|k| kind == k || kind.starts_with(&format!("{k}."))))
        };
        let mut actions = Vec::new();
        let mut ours: Vec<&Value> = params["context"]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            // A diagnostic with no code (the "shows 1,000 of N" line) has no fix.
            .filter(|diagnostic| diagnostic["source"] == "durable-lsp" && diagnostic["code"].is_string())
            .collect();
        // Neovim sends every diagnostic of the cursor's line: those at the
        // cursor (the request's range) are the ones asked about, when there
        // are any; else the line's, as the client meant.
        if let Ok(asked) = serde_json::from_value::<lsp::Range>(params["range"].clone()) {
            let at = |d: &&Value| {
                serde_json::from_value::<lsp::Range>(d["range"].clone())
                    .is_ok_and(|r| r.start <= asked.end && asked.start <= r.end)
            };
            if ours.iter().any(at) {
                ours.retain(at);
            }
        }
        let path = params["textDocument"]["uri"].as_str().and_then(convert::uri_to_path);
        if let (true, Some(path)) = (wants("quickfix") && !ours.is_empty(), &path) {
            // The fixes are made again from the texts as they are now, not
            // taken from the diagnostic's `data`: a file may have changed
            // since (on disk, where no edit carries a version), and an edit
            // made for its old text would land in the wrong place. A
            // diagnostic that is no longer there gets no fix.
            let codes: BTreeSet<&str> = ours.iter().filter_map(|d| d["code"].as_str()).collect();
            let current = self.diagnostics_of(path, Some(&codes));
            for diagnostic in ours {
                let range = serde_json::from_value::<lsp::Range>(diagnostic["range"].clone()).ok();
                let code = diagnostic["code"].as_str();
                let Some(now) = current.iter().find(|d| {
                    Some(d.range) == range
                        && matches!((&d.code, code), (Some(lsp::NumberOrString::String(c)), Some(code)) if c == code)
                }) else {
                    continue;
                };
                let fixes = now.data.as_ref().and_then(|data| data["fixes"].as_array());
                for fix in fixes.into_iter().flatten() {
                    actions.push(json!({
                        "title": fix["title"],
                        "kind": "quickfix",
                        "diagnostics": [diagnostic],
                        "isPreferred": fix["isPreferred"],
                        "edit": fix["edit"],
                    }));
                }
            }
        }
        // Only when asked for by kind (the Source Action menu, on save): it
        // analyses the app round after round, too much for every cursor move.
        if let (true, Some(path)) = (only.is_some() && wants(FIX_ALL_KIND), path.as_deref()) {
            actions.extend(self.fix_all(path));
        }
        if let (true, Some(path)) = (wants(SWITCH_KIND), path.as_deref()) {
            match self.plan_switch(path, &migrate::Target::default()) {
                Ok(Some((edit, note))) => {
                    let mut action =
                        convert::object([("title", SWITCH_TITLE.into()), ("kind", SWITCH_KIND.into()), ("edit", edit)]);
                    // Run by the client once the edit is applied.
                    if let Some(note) = note {
                        action["command"] = json!({"title": "What the switched app needs", "command": SWITCHED_COMMAND, "arguments": [note]});
                    }
                    actions.push(action);
                }
                // Shown greyed out with the reason, where the client can, rather than missing.
                Err(why) if self.disabled_actions && App::containing(&self.vfs, path).is_some() => {
                    actions.push(json!({"title": SWITCH_TITLE, "kind": SWITCH_KIND, "disabled": {"reason": why}}));
                }
                _ => {}
            }
        }
        Value::Array(actions)
    }

    /// `source.fixAll`: the safe fixes of the app of `path`, or of the apps
    /// that read a props file (the preferred fix of each error and warning,
    /// as `check --fix` applies them, with the user's rule settings), as one
    /// edit; none when there is nothing to fix. A client that cannot create
    /// files gets the fixes that need none.
    fn fix_all(&self, path: &Path) -> Option<Value> {
        let fs = &self.vfs;
        let roots: Vec<PathBuf> = if FileKind::of(path) == Some(FileKind::PackagesProps) {
            self.every_app_of_props(path)
        } else {
            vec![App::containing(fs, path)?.root]
        };
        let creates = self.document_changes && self.create_files;
        let mut workspace = migrate::Workspace::new(fs);
        if !creates {
            workspace = workspace.without_new_files();
        }
        let fixed: usize = roots.iter().map(|root| migrate::fix_loop(&mut workspace, root, &self.config)).sum();
        if fixed == 0 {
            return None;
        }
        let text_of = |p: &Path| fs.read(p);
        let edit = convert::workspace_edit(&workspace.changes(), &text_of, &self.edit_support())?;
        let title = format!("Apply {fixed} fix{} (durable-lsp)", if fixed == 1 { "" } else { "es" });
        Some(convert::object([("title", title.into()), ("kind", FIX_ALL_KIND.into()), ("edit", edit)]))
    }

    /// The switch of the app `path` belongs to, as a workspace edit, and
    /// what the app needs beyond its files (the note `migrate` prints):
    /// `Ok(None)` when it is already switched, `Err` with the reason when it
    /// cannot be switched.
    fn plan_switch(&self, path: &Path, target: &migrate::Target) -> Result<Option<(Value, Option<String>)>, String> {
        let fs = &self.vfs;
        let app = app_of_any_file(fs, path)?;
        match migrate::migrate(fs, &app.root, target) {
            migrate::Outcome::AlreadyDone => Ok(None),
            migrate::Outcome::Refused(why) => Err(why),
            migrate::Outcome::Changes(changes) => {
                let mut planned = migrate::Workspace::new(fs);
                planned.files.extend(migrate::apply_to_texts(fs, &changes));
                let deploy = migrate::deploy_note(&migrate::settings_read(&planned, &app.root).into_iter().collect());
                let hub = migrate::hub_note(migrate::literal_hub(fs, &app.root), &planned, &app.root);
                // A file name opens the sentence as it is written (host.json).
                let note = match (hub, deploy) {
                    (Some(hub), Some(deploy)) => Some(format!("{hub}. {deploy}")),
                    (hub, deploy) => hub.or(deploy),
                };
                let text_of = |p: &Path| fs.read(p);
                let edit = convert::workspace_edit(&changes, &text_of, &self.edit_support());
                edit.map(|edit| Some((edit, note))).ok_or_else(|| {
                    "local.settings.json is missing, and the editor does not say it takes edits that create \
                         files (workspaceEdit.documentChanges with resourceOperations `create`): run \
                         `durable-lsp migrate --write`"
                        .to_string()
                })
            }
        }
    }

    /// workspace/executeCommand: the switch, applied with workspace/applyEdit.
    /// Arguments: the URI of a file of the app, or `{uri, endpoint, authentication, hub}`.
    fn execute_command(&mut self, params: &Value) -> Result<Value, String> {
        if params["command"] == SWITCHED_COMMAND {
            let note = params["arguments"][0].as_str().ok_or("the command needs the note to show")?;
            self.show_switched(note).map_err(|e| e.to_string())?;
            return Ok(Value::Null);
        }
        if params["command"] != SWITCH_COMMAND {
            return Err(format!("unknown command {}", params["command"]));
        }
        let argument = &params["arguments"][0];
        let uri = argument
            .as_str()
            .or_else(|| argument["uri"].as_str())
            .ok_or("the command needs the URI of a file of the app")?;
        let path = convert::uri_to_path(uri).ok_or_else(|| format!("{uri} is not a file"))?;
        // An empty setting (the VS Code default) means "not given".
        let text = |key: &str| argument[key].as_str().filter(|s| !s.trim().is_empty()).map(str::to_string);
        let target =
            migrate::Target { endpoint: text("endpoint"), authentication: text("authentication"), hub: text("hub") };
        let (kind, message) = match self.plan_switch(&path, &target) {
            Ok(Some((edit, note))) if self.apply_edit => {
                let id = self
                    .send_request(
                        "workspace/applyEdit",
                        convert::object([("label", SWITCH_TITLE.into()), ("edit", edit)]),
                    )
                    .map_err(|e| e.to_string())?;
                self.pending_apply_edits.insert(id.to_string(), note);
                return Ok(Value::Null);
            }
            Ok(Some(_)) => {
                (1, "This editor cannot apply workspace edits: run `durable-lsp migrate --write` instead".to_string())
            }
            Ok(None) => (3, "This app is already on the Durable Task Scheduler: nothing to change".to_string()),
            Err(why) => (2, format!("Not switched: {why}")),
        };
        self.show(kind, &message).map_err(|e| e.to_string())?;
        Ok(Value::Null)
    }

    /// Once the switch is applied: what the app needs beyond its files.
    fn show_switched(&self, note: &str) -> Result<(), BoxError> {
        self.show(3, &format!("Switched to the Durable Task Scheduler. {note}"))
    }

    /// window/showMessage: `kind` 1 error, 2 warning, 3 information.
    fn show(&self, kind: u8, message: &str) -> Result<(), BoxError> {
        let params = json!({"type": kind, "message": format!("durable-lsp: {message}")});
        self.sender.send(Message::Notification(Notification::new("window/showMessage".into(), params)))?;
        Ok(())
    }

    /// The client's answer to our workspace/applyEdit: when it did not apply
    /// the switch (a file changed meanwhile, a read-only file…), the user is told.
    fn edit_applied(&mut self, response: &Response, note: Option<String>) -> Result<(), BoxError> {
        let why = match &response.response_result {
            Ok(result) if result["applied"] == false => {
                result["failureReason"].as_str().unwrap_or("the editor gave no reason").to_string()
            }
            Ok(_) => {
                return note.map_or(Ok(()), |note| self.show_switched(&note));
            }
            Err(error) => error.message.clone(),
        };
        self.show(2, &format!("the switch was not applied: {why}"))
    }

    /// Takes new settings; anything in them that names no rule or no level is
    /// shown to the user rather than silently ignored.
    fn set_config(&mut self, settings: &Value) -> Result<(), BoxError> {
        if settings.is_null() {
            return Ok(());
        }
        let (config, problems) = RuleConfig::from_settings(settings);
        self.config = config;
        if problems == self.config_problems {
            return Ok(());
        }
        self.config_problems = problems.clone();
        for problem in problems {
            tracing::warn!("{problem}");
            self.show(2, &problem)?;
        }
        Ok(())
    }

    fn request_configuration(&mut self) -> Result<(), BoxError> {
        let id = self.send_request("workspace/configuration", json!({"items": [{"section": "durableLsp"}]}))?;
        self.configuration_request = Some(id);
        Ok(())
    }

    /// After a settings change: every app we track, analysed again.
    fn recheck_all(&mut self) -> Result<(), BoxError> {
        if self.pull {
            if self.refresh {
                self.send_request("workspace/diagnostic/refresh", Value::Null)?;
            }
            return Ok(());
        }
        let roots: Vec<PathBuf> = self.known_apps.iter().cloned().collect();
        for root in roots {
            self.changed(&root.join("host.json"))?;
        }
        Ok(())
    }

    fn register_watchers(&mut self) -> Result<(), BoxError> {
        let watchers: Vec<Value> = [
            "**/host.json",
            "**/local.settings.json",
            "**/*.csproj",
            "**/Directory.Packages.props",
            "**/Directory.Build.props",
            // What those import (`Versions.props`): the apps that read one follow it.
            "**/*.props",
            "**/*.targets",
        ]
        .iter()
        .chain(RUNTIME_MARKERS.iter().map(|marker| &marker.glob))
        .map(|glob| json!({"globPattern": glob}))
        // Deletions of anything: a deleted folder is one event, for the folder.
        .chain([json!({"globPattern": "**/*", "kind": 4})])
        .collect();
        let params = json!({"registrations": [{
            "id": "durable-lsp-watched-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": watchers},
        }]});
        self.send_request("client/registerCapability", params).map(|_| ())
    }

    fn send_request(&mut self, method: &str, params: Value) -> Result<RequestId, BoxError> {
        self.next_request += 1;
        let id = RequestId::from(format!("durable-lsp-{}", self.next_request));
        self.sender.send(Message::Request(Request::new(id.clone(), method.to_string(), params)))?;
        Ok(id)
    }
}

/// Diagnostics from several analyses (the apps that read one props file),
/// each once, in the order found.
fn union(found: impl IntoIterator<Item = lsp::Diagnostic>) -> Vec<lsp::Diagnostic> {
    let mut shown: Vec<lsp::Diagnostic> = Vec::new();
    for diagnostic in found {
        if !shown.contains(&diagnostic) {
            shown.push(diagnostic);
        }
    }
    shown
}

fn parse<T: serde::de::DeserializeOwned>(mut params: Value) -> Result<T, String> {
    convert::escape_uris(&mut params);
    serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: i32, method: &str, params: Value) -> Message {
        Message::Request(Request::new(id.into(), method.into(), params))
    }

    /// A server on an in-memory connection, its `initialize` answered (the
    /// `initialized` notification is the test's to send, or not).
    fn initialized_in_memory() -> (Connection, std::thread::JoinHandle<Result<(), String>>) {
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || run(server).map_err(|e| e.to_string()));
        client.sender.send(request(1, "initialize", json!({"capabilities": {}}))).unwrap();
        assert!(matches!(client.receiver.recv().unwrap(), Message::Response(r) if r.response_result.is_ok()));
        (client, thread)
    }

    /// A client that never sends `initialized` (some send a request right
    /// after the answer) is served, not dropped.
    #[test]
    fn a_client_that_skips_initialized_is_served() {
        let (client, thread) = initialized_in_memory();
        client.sender.send(request(2, "shutdown", Value::Null)).unwrap();
        let answer = client.receiver.recv().unwrap();
        assert!(matches!(&answer, Message::Response(r) if r.id == 2.into() && r.response_result.is_ok()), "{answer:?}");
        client.sender.send(Message::Notification(Notification::new("exit".into(), Value::Null))).unwrap();
        assert_eq!(thread.join().unwrap(), Ok(()));
    }

    #[test]
    fn a_panicking_request_is_answered_and_the_server_goes_on() {
        let (client, thread) = initialized_in_memory();
        client.sender.send(Message::Notification(Notification::new("initialized".into(), json!({})))).unwrap();
        // Keep the panic message out of the test output.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        client.sender.send(request(2, "durable-lsp/testPanic", Value::Null)).unwrap();
        let answer = client.receiver.recv().unwrap();
        std::panic::set_hook(hook);
        let Message::Response(response) = answer else { panic!("expected a response, got {answer:?}") };
        assert_eq!(response.response_result.unwrap_err().code, ErrorCode::InternalError as i32);
        client.sender.send(request(3, "shutdown", Value::Null)).unwrap();
        assert!(matches!(client.receiver.recv().unwrap(), Message::Response(r) if r.response_result.is_ok()));
        client.sender.send(Message::Notification(Notification::new("exit".into(), Value::Null))).unwrap();
        assert_eq!(thread.join().unwrap(), Ok(()));
    }
}
