//! Completion for host.json, local.settings.json (including inside the DTS
//! connection string) and project files. Items carry exact replacement
//! ranges: inside quotes the text between them, elsewhere the token with
//! quotes added; the best item sorts first.

use std::borrow::Cow;
use std::path::Path;

use crate::analysis::context::{AppContext, Backend, DEFAULT_CONNECTION_SETTING, DurableSettings};
use crate::analysis::keys::{self, Kind, Section};
use crate::analysis::nuget::Version;
use crate::analysis::packages::{self, KNOWN_PACKAGES};
use crate::app::{FileKind, FileSystem, WorkerRuntime};
use crate::edit::TextEdit;
use crate::edit::json::{escape, quote};
use crate::ide::query::{self, JsonCursor};
use crate::ide::{CompletionItem, DTS_KEYS, Documentation, ItemKind, Scope};
use crate::syntax::jsonc::{self, JsonDocument};
use crate::text::TextRange;

pub fn complete(fs: &dyn FileSystem, path: &Path, offset: usize, snippets: bool) -> Vec<CompletionItem> {
    let Some(scope) = Scope::new(fs, path) else { return Vec::new() };
    let offset = crate::text::floor_char_boundary(&scope.text, offset);
    // The app's other files are read only for completions that need them.
    let context = std::cell::OnceCell::new();
    let context = || context.get_or_init(|| scope.context(fs)).as_ref();
    let mut items = match scope.kind {
        FileKind::HostJson => host_json(scope.json(), &scope.text, offset, &context, snippets),
        FileKind::LocalSettings => local_settings(scope.json(), &scope.text, offset, context(), snippets),
        FileKind::Project | FileKind::PackagesProps => {
            let is_props = scope.kind == FileKind::PackagesProps;
            let central = !is_props
                && context().is_some_and(|c| {
                    c.projects.iter().find(|p| p.file.path == path).is_some_and(|p| c.central_management(p))
                });
            let extensions = path.file_name().is_some_and(|n| n.eq_ignore_ascii_case("extensions.csproj"));
            project(fs, &scope.text, offset, ProjectFacts { is_props, central, extensions }, snippets)
        }
    };
    items.sort_by(|a, b| {
        let ignoring_case = || {
            let (a, b) = (a.label.bytes(), b.label.bytes());
            a.map(|c| c.to_ascii_lowercase()).cmp(b.map(|c| c.to_ascii_lowercase()))
        };
        a.rank.cmp(&b.rank).then_with(ignoring_case).then_with(|| a.label.cmp(&b.label))
    });
    // The best-ranked of two items with one label stays.
    let kept: Vec<bool> = if items.len() <= 64 {
        // A short list: comparing with the items before costs less than hashing.
        (0..items.len()).map(|i| !items[..i].iter().any(|earlier| earlier.label == items[i].label)).collect()
    } else {
        let mut seen = std::collections::HashSet::new();
        items.iter().map(|item| seen.insert(item.label.as_ref())).collect()
    };
    let mut kept = kept.into_iter();
    items.retain(|_| kept.next().unwrap_or(false));
    items
}

/// A key to offer: name, rank, detail, documentation, the value's kind.
type KeyCandidate = (Cow<'static, str>, usize, Option<Cow<'static, str>>, Option<Documentation>, Kind);

/// Keys without documentation, ranked in the order given.
fn ranked(keys: &[(&'static str, Kind)]) -> Vec<KeyCandidate> {
    keys.iter().enumerate().map(|(rank, (key, kind))| (Cow::Borrowed(*key), rank, None, None, *kind)).collect()
}

/// An item whose text replaces `range`.
fn item(
    label: impl Into<Cow<'static, str>>,
    kind: ItemKind,
    rank: usize,
    range: TextRange,
    new_text: String,
) -> CompletionItem {
    CompletionItem {
        label: label.into(),
        kind,
        detail: None,
        documentation: None,
        rank,
        edit: TextEdit { range, new_text },
        snippet: false,
    }
}

fn with_docs(
    mut item: CompletionItem,
    detail: Option<Cow<'static, str>>,
    documentation: Option<Documentation>,
) -> CompletionItem {
    item.detail = detail;
    item.documentation = documentation;
    item
}

/// Keys for the object at the cursor, minus those already there.
fn key_items(
    cursor: &JsonCursor<'_>,
    text: &str,
    candidates: Vec<KeyCandidate>,
    snippets: bool,
) -> Vec<CompletionItem> {
    key_items_with(cursor, text, candidates, snippets, &[])
}

/// [`key_items`], with the value (in snippet syntax) of some of the keys given.
fn key_items_with(
    cursor: &JsonCursor<'_>,
    text: &str,
    candidates: Vec<KeyCandidate>,
    snippets: bool,
    values: &[(String, String)],
) -> Vec<CompletionItem> {
    let JsonCursor::Key { object, key, range, has_colon, .. } = cursor else { return Vec::new() };
    // A key whose closing quote is not typed runs to the end of its line: only
    // its word is replaced, so the `}` after it stays.
    let unclosed = key.is_some_and(|key| !query::closed(key, text));
    let range =
        &if unclosed { TextRange::new(range.start, word_end(text, range.start + 1, range.end)) } else { *range };
    // A new member before another one needs its comma, as VS Code's JSON
    // server writes it (a key being renamed keeps its own).
    let comma = if !*has_colon && value_follows(&text[range.end.min(text.len())..]) { "," } else { "" };
    // Keys are read ignoring case, except storageProvider's `type` (H005): a
    // `Type` there does not stand for it.
    let in_provider = cursor.path_key().ends_with("durabletask.storageprovider");
    let same = |present: &str, name: &str| {
        if in_provider && name == "type" { present == name } else { present.eq_ignore_ascii_case(name) }
    };
    candidates
        .into_iter()
        .filter(|(name, ..)| {
            !object.members.iter().any(|m| same(&m.key.value, name) && key.is_none_or(|k| !std::ptr::eq(&m.key, k)))
        })
        .map(|(name, rank, detail, docs, kind)| {
            let (text, snippet) = if *has_colon {
                (quote(&name), false)
            } else {
                // The value: a known key's default where it is a literal of the
                // key's type (as VS Code's JSON server does), else a literal
                // that parses, so that taking the item leaves valid JSON.
                let default = match &docs {
                    Some(Documentation::Key(k)) => k.default,
                    _ => "",
                };
                let number = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
                let value = match kind {
                    Kind::Object => "{$1}".to_string(),
                    Kind::Array => "[$1]".to_string(),
                    Kind::String => "\"$1\"".to_string(),
                    Kind::TimeSpan if !default.is_empty() => format!("\"${{1:{}}}\"", snippet_text(default)),
                    Kind::TimeSpan => "\"$1\"".to_string(),
                    Kind::Bool if default == "true" => "${1:true}".to_string(),
                    Kind::Bool => "${1:false}".to_string(),
                    Kind::Integer | Kind::PositiveInteger if number(default) => format!("${{1:{default}}}"),
                    // knowledge.md 2.2: below the 1 MB message limit; the samples use 900000.
                    _ if name == "payloadStorageThresholdBytes" => "${1:900000}".to_string(),
                    Kind::PositiveInteger => "${1:1}".to_string(),
                    Kind::Integer => "${1:0}".to_string(),
                };
                let value = values.iter().find(|(n, _)| *n == name).map_or(value, |(_, v)| v.clone());
                if snippets {
                    // In a snippet, `$`, `}` and `\` of the key itself are
                    // escaped (a setting name taken from host.json may hold them).
                    (format!("{}: {value}{comma}", snippet_text(&quote(&name))), true)
                } else {
                    // Without snippets: the whole member, its value the placeholder's.
                    (format!("{}: {}{comma}", quote(&name), plain_text(&value)), false)
                }
            };
            let mut item = with_docs(item(name, ItemKind::Property, rank, *range, text), detail, docs);
            item.snippet = snippet;
            item
        })
        .collect()
}

/// `text` as literal snippet text: `\`, `$` and `}` escaped with a backslash.
fn snippet_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '$' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the next token of `rest` (after blanks and comments) starts a
/// member or value, so that something inserted before it needs a comma.
fn value_follows(mut rest: &str) -> bool {
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
        } else {
            return rest.starts_with(|c: char| c == '"' || c == '{' || c == '[' || c == '-' || c.is_alphanumeric());
        }
    }
}

/// Values for the member at the cursor: inside quotes the raw text, else a
/// JSON literal (`quoted` says whether the candidate is a string).
/// Where the word that `offset` is in (or just after) ends, at most `limit`.
fn word_end(text: &str, offset: usize, limit: usize) -> usize {
    let rest = &text[offset.min(limit)..limit];
    offset + rest.len() - rest.trim_start_matches(|c: char| c.is_alphanumeric() || "_-.%".contains(c)).len()
}

fn value_items(
    cursor: &JsonCursor<'_>,
    offset: usize,
    text: &str,
    candidates: Vec<(String, usize, bool, Option<Cow<'static, str>>)>,
) -> Vec<CompletionItem> {
    let JsonCursor::Value { value, range, in_string, .. } = cursor else { return Vec::new() };
    let string = value.and_then(|v| v.as_string());
    candidates
        .into_iter()
        .map(|(candidate, rank, is_string, detail)| {
            let (range, new_text) = match (string, in_string) {
                (Some(s), Some(_)) if is_string => {
                    let closed = query::closed(s, text);
                    // An unclosed string runs to the end of the line: only the
                    // word at the cursor is replaced, so a `}` after it stays.
                    let content_end = if closed { s.range.end - 1 } else { word_end(text, offset, s.range.end) };
                    // A string the user has not closed yet is closed with the value.
                    let new_text = if closed { escape(&candidate) } else { format!("{}\"", escape(&candidate)) };
                    (TextRange::new(s.content().start, content_end.max(s.content().start)), new_text)
                }
                _ => {
                    // From the cursor before a value (`"type": | "x"`): the blanks stay.
                    let lead =
                        value.filter(|v| range.start < v.range.start).map_or("", |v| &text[range.start..v.range.start]);
                    // A value typed where none was, before another member, needs its comma.
                    let comma = if value.is_none() && value_follows(&text[range.end..]) { "," } else { "" };
                    let literal = if is_string { quote(&candidate) } else { candidate.clone() };
                    (*range, format!("{lead}{literal}{comma}"))
                }
            };
            with_docs(item(candidate, ItemKind::Value, rank, range, new_text), detail, None)
        })
        .collect()
}

fn host_json<'c>(
    doc: &JsonDocument,
    text: &str,
    offset: usize,
    context: &dyn Fn() -> Option<&'c AppContext<'c>>,
    snippets: bool,
) -> Vec<CompletionItem> {
    let cursor = query::at(doc, text, offset);
    let path = cursor.path_key();
    // This document is the app's host.json: no other file is needed for the backend.
    let backend = DurableSettings::of(Some(doc)).backend;
    match &cursor {
        JsonCursor::Key { .. } => {
            let candidates: Vec<KeyCandidate> = match path.as_str() {
                "" => {
                    // The host's top-level settings (the host.json reference);
                    // the Durable-related ones first. A .NET app loads no
                    // bundle (knowledge.md 2.1): extensionBundle is not offered there.
                    // Nor beside an extensions.csproj (both at once is H010).
                    let dotnet = context().is_some_and(|c| {
                        matches!(
                            c.runtime_from_files(),
                            Some(WorkerRuntime::DotnetIsolated | WorkerRuntime::DotnetInProcess)
                        ) || c.extensions_project().is_some()
                    });
                    let mut keys = ranked(&[
                        ("version", Kind::String),
                        ("extensions", Kind::Object),
                        ("extensionBundle", Kind::Object),
                        ("logging", Kind::Object),
                        ("functionTimeout", Kind::TimeSpan),
                    ]);
                    keys.retain(|(name, ..)| !(dotnet && name == "extensionBundle"));
                    keys.extend(
                        [
                            ("aggregator", Kind::Object),
                            ("concurrency", Kind::Object),
                            ("customHandler", Kind::Object),
                            ("functions", Kind::Array),
                            ("healthMonitor", Kind::Object),
                            ("managedDependency", Kind::Object),
                            ("retry", Kind::Object),
                            ("singleton", Kind::Object),
                            ("telemetryMode", Kind::String),
                            ("watchDirectories", Kind::Array),
                            ("watchFiles", Kind::Array),
                        ]
                        .into_iter()
                        .map(|(name, kind)| (Cow::Borrowed(name), 20, None, None, kind)),
                    );
                    keys
                }
                "extensions" => {
                    let mut sections =
                        vec![("durableTask".into(), 0, Some("Durable Functions".into()), None, Kind::Object)];
                    // The other extensions' sections (the host.json reference).
                    sections.extend(
                        ["blobs", "cosmosDB", "eventHubs", "http", "queues", "serviceBus", "sendGrid"]
                            .into_iter()
                            .map(|name| (Cow::Borrowed(name), 10, None, None, Kind::Object)),
                    );
                    sections
                }
                "extensionbundle" => {
                    vec![("id".into(), 0, None, None, Kind::String), ("version".into(), 1, None, None, Kind::String)]
                }
                // knowledge.md 2.2: the tracing section's keys.
                "extensions.durabletask.tracing" => ranked(&[
                    ("distributedTracingEnabled", Kind::Bool),
                    ("version", Kind::String),
                    ("traceInputsAndOutputs", Kind::Bool),
                    ("traceReplayEvents", Kind::Bool),
                ]),
                "extensions.durabletask" | "extensions.durabletask.storageprovider" => {
                    let section =
                        if path.ends_with("storageprovider") { Section::StorageProvider } else { Section::DurableTask };
                    // The keys the selected backend reads (another backend's are
                    // H015 there); one connection-name key (both is H012).
                    let present = |name: &str| {
                        let JsonCursor::Key { object, .. } = &cursor else { return false };
                        object.members.iter().any(|m| m.key.value.eq_ignore_ascii_case(name))
                    };
                    let has_connection = present("connectionName") || present("connectionStringName");
                    keys::KNOWN_KEYS
                        .iter()
                        .filter(|k| k.section == section)
                        .filter(|k| {
                            !matches!(k.name, "largePayloadStorageEnabled" | "largePayloadStorageThresholdBytes")
                        })
                        .filter(|k| backend.is_none_or(|b| k.read_by(b)))
                        // The options of useAppLease, an Azure Storage blob lease.
                        .filter(|k| k.name != "appLeaseOptions" || backend.is_none_or(|b| b == Backend::AzureStorage))
                        .filter(|k| !(has_connection && matches!(k.name, "connectionName" | "connectionStringName")))
                        .map(|k| {
                            // Keys the selected backend reads first; `type` and the hub at the very top.
                            let relevant = backend.is_none_or(|b| k.read_by(b));
                            let rank = match k.name {
                                "type" | "hubName" => 0,
                                "storageProvider" | "connectionName" | "connectionStringName" => 1,
                                _ if relevant => 10,
                                _ => 50,
                            };
                            let detail = match k.readers {
                                keys::Readers::All => None,
                                keys::Readers::Only(list) => {
                                    Some(list.iter().map(|b| b.display_name()).collect::<Vec<_>>().join(", ").into())
                                }
                            };
                            (Cow::Borrowed(k.name), rank, detail, Some(Documentation::Key(k)), k.kind)
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            key_items(&cursor, text, candidates, snippets)
        }
        JsonCursor::Value { .. } => {
            let values: Vec<(String, usize, bool, Option<Cow<'static, str>>)> = match path.as_str() {
                "version" => vec![("2.0".into(), 0, true, None)],
                "extensions.durabletask.storageprovider.type" => vec![
                    ("azureManaged".into(), 0, true, Some("Durable Task Scheduler".into())),
                    ("AzureStorage".into(), 1, true, Some("Azure Storage (the default)".into())),
                    ("mssql".into(), 2, true, Some("Microsoft SQL Server".into())),
                    ("Netherite".into(), 3, true, Some("Netherite".into())),
                ],
                "extensions.durabletask.storageprovider.connectionname"
                | "extensions.durabletask.storageprovider.connectionstringname" => {
                    // A setting that holds a DTS string (`Endpoint=…`) first; the
                    // storage account, the runtime and the hub are not connections to DTS.
                    // Not the host's own settings (the worker runtime, the site's).
                    let mut names: Vec<(String, usize, bool, Option<Cow<'static, str>>)> =
                        setting_names(context(), &["Values", "ConnectionStrings"])
                            .into_iter()
                            .filter(|(name, _)| !starts_with_any(name, &["FUNCTIONS_", "WEBSITE_"]))
                            .map(|(name, value)| {
                                let rank = value.as_deref().map_or(3, dts_likeness);
                                (name, rank, true, Some("from local.settings.json".into()))
                            })
                            .collect();
                    names.push((DEFAULT_CONNECTION_SETTING.into(), 5, true, Some("the default name".into())));
                    names
                }
                "extensions.durabletask.hubname" => {
                    // Settings whose value can be a hub name, one named for a
                    // hub first; a connection string, a URL or the host's own
                    // settings never. `%NAME%` reads an app setting, so Values only (H023), and
                    // a value the selected backend takes as a hub name (H025):
                    // DTS `^[a-zA-Z0-9-]{3,64}$`, Azure Storage letters and
                    // digits from a letter, 3–45 (knowledge.md 2.3).
                    let storage = backend.is_none_or(|b| b == Backend::AzureStorage);
                    let hub_name = |v: &str| {
                        if storage {
                            (3..=45).contains(&v.len())
                                && v.starts_with(|c: char| c.is_ascii_alphabetic())
                                && v.bytes().all(|b| b.is_ascii_alphanumeric())
                        } else {
                            (3..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        }
                    };
                    let mut hubs: Vec<(String, usize, bool, Option<Cow<'static, str>>)> =
                        setting_names(context(), &["Values"])
                            .into_iter()
                            .filter(|(name, value)| {
                                let host_setting = starts_with_any(
                                    name,
                                    &["FUNCTIONS_", "AzureWebJobs", "AzureFunctionsJobHost", "WEBSITE_"],
                                );
                                // An encrypted value is not known: the name decides.
                                let hub_like = value.as_deref().is_none_or(hub_name);
                                !host_setting && hub_like && !crate::analysis::secrets::secret_name(name)
                            })
                            .map(|(name, _)| {
                                let rank = if name.to_ascii_lowercase().contains("hub") { 0 } else { 2 };
                                (format!("%{name}%"), rank, true, Some("the app setting's value".into()))
                            })
                            .collect();
                    hubs.push((
                        "%TASKHUB_NAME%".into(),
                        1,
                        true,
                        Some("read from the TASKHUB_NAME app setting".into()),
                    ));
                    hubs
                }
                "extensionbundle.id" => crate::analysis::host::BUNDLES_WITH_DTS
                    .iter()
                    .enumerate()
                    .map(|(i, (id, _))| (id.to_string(), i, true, None))
                    .collect(),
                "extensionbundle.version" => vec![(
                    crate::analysis::host::DTS_RANGE.into(),
                    0,
                    true,
                    Some("the newest 4.x: includes the Durable Task Scheduler".into()),
                )],
                // knowledge.md 2.2: the values these keys take.
                "extensions.durabletask.versionmatchstrategy" => {
                    strings(&[("CurrentOrOlder", "the default"), ("Strict", ""), ("None", "")])
                }
                "extensions.durabletask.versionfailurestrategy" => strings(&[("Reject", "the default"), ("Fail", "")]),
                "extensions.durabletask.tracing.version" => strings(&[("None", ""), ("V1", ""), ("V2", "")]),
                "extensions.durabletask.tracing.distributedtracingenabled"
                | "extensions.durabletask.tracing.traceinputsandoutputs"
                | "extensions.durabletask.tracing.tracereplayevents" => booleans(),
                _ => bool_values(&path).into_iter().chain(default_value(&path)).collect(),
            };
            value_items(&cursor, offset, text, values)
        }
        JsonCursor::None => Vec::new(),
    }
}

/// String values in the order given, with a detail when there is one.
fn strings(values: &[(&str, &'static str)]) -> Vec<(String, usize, bool, Option<Cow<'static, str>>)> {
    values
        .iter()
        .enumerate()
        .map(|(rank, (value, detail))| (value.to_string(), rank, true, (!detail.is_empty()).then(|| (*detail).into())))
        .collect()
}

/// A known string or TimeSpan key's default, as a value to start from.
fn default_value(path: &str) -> Option<(String, usize, bool, Option<Cow<'static, str>>)> {
    let key = known_key(path).filter(|k| matches!(k.kind, Kind::String | Kind::TimeSpan))?;
    (!key.default.is_empty()).then(|| (key.default.to_string(), 0, true, Some("the default".into())))
}

/// `true`/`false` for a known boolean key at `path`.
fn bool_values(path: &str) -> Vec<(String, usize, bool, Option<Cow<'static, str>>)> {
    match known_key(path) {
        Some(key) if key.kind == Kind::Bool => booleans(),
        _ => Vec::new(),
    }
}

/// `true`, then `false`.
fn booleans() -> Vec<(String, usize, bool, Option<Cow<'static, str>>)> {
    vec![("true".into(), 0, false, None), ("false".into(), 1, false, None)]
}

/// The known key of `durableTask` or `storageProvider` at `path`.
fn known_key(path: &str) -> Option<&'static keys::KnownKey> {
    let (section, name) = match path.rsplit_once('.') {
        Some(("extensions.durabletask", name)) => (Section::DurableTask, name),
        Some(("extensions.durabletask.storageprovider", name)) => (Section::StorageProvider, name),
        _ => return None,
    };
    keys::known(section, name)
}

/// How much a setting's value looks like a DTS connection string, as a
/// rank: `Endpoint` and `Authentication` keys 0; an `Endpoint` that is a
/// web URL (not Service Bus's `sb://`) 1; anything else 3.
fn dts_likeness(value: &str) -> usize {
    let parsed = crate::syntax::connection_string::parse(value);
    let find = |key: &str| parsed.pairs.iter().find(|p| p.key.trim().eq_ignore_ascii_case(key));
    match (find("Endpoint"), find("Authentication")) {
        (Some(_), Some(_)) => 0,
        (Some(endpoint), None) if !endpoint.value.contains("://") || endpoint.value.starts_with("http") => 1,
        _ => 3,
    }
}

/// Whether `name` starts with one of `prefixes`, ignoring case.
fn starts_with_any(name: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|prefix| crate::text::starts_with_ignore_case(name, prefix))
}

/// Names of the app's settings (in `sections`, in that order), with their
/// values (for ranking only: never shown; none when the file is encrypted).
fn setting_names(context: Option<&AppContext<'_>>, sections: &[&str]) -> Vec<(String, Option<String>)> {
    let Some(context) = context else { return Vec::new() };
    let Some(root) = context.local_root() else { return Vec::new() };
    let mut names = Vec::new();
    for section in sections {
        if let Some(object) = root.object_ignore_case(section) {
            names.extend(object.members.iter().map(|m| {
                let value = m.value.as_ref().and_then(|v| match v.as_object() {
                    Some(object) => object.get("ConnectionString").and_then(jsonc::Value::as_str),
                    None => v.as_str(),
                });
                (m.key.value.clone(), value.filter(|_| !context.values_encrypted()).map(str::to_string))
            }));
        }
    }
    names
}

fn local_settings(
    doc: &JsonDocument,
    text: &str,
    offset: usize,
    context: Option<&AppContext<'_>>,
    snippets: bool,
) -> Vec<CompletionItem> {
    let cursor = query::at(doc, text, offset);
    let path = cursor.path_key();
    let dts_setting = context.filter(|c| c.durable().is_dts()).and_then(|c| c.durable().connection_setting());
    let hub_setting = context.and_then(|c| c.durable().hub_setting().map(str::to_string));
    match &cursor {
        JsonCursor::Key { .. } => {
            let candidates: Vec<KeyCandidate> = match path.as_str() {
                "" => ranked(&[
                    ("IsEncrypted", Kind::Bool),
                    ("Values", Kind::Object),
                    ("Host", Kind::Object),
                    ("ConnectionStrings", Kind::Object),
                ]),
                "values" => {
                    // What host.json reads but local.settings.json lacks comes
                    // first (a connection in ConnectionStrings is there already:
                    // it is looked up before Values, knowledge.md 2.2).
                    let in_connection_strings = |name: &str| {
                        context
                            .and_then(|c| c.local_root()?.object_ignore_case("ConnectionStrings"))
                            .is_some_and(|o| o.members.iter().any(|m| m.key.value.eq_ignore_ascii_case(name)))
                    };
                    let mut names: Vec<KeyCandidate> = Vec::new();
                    if let Some(name) = dts_setting.as_ref().filter(|n| !in_connection_strings(n)) {
                        names.push((
                            name.clone().into(),
                            0,
                            Some("the DTS connection host.json names".into()),
                            None,
                            Kind::String,
                        ));
                    }
                    // (A hub's `%NAME%` reads Values only: one in ConnectionStrings is H023's, not there.)
                    if let Some(name) = &hub_setting {
                        names.push((
                            name.clone().into(),
                            0,
                            Some("the hub name host.json reads".into()),
                            None,
                            Kind::String,
                        ));
                    }
                    // The host reads these two whatever host.json says; the DTS
                    // connection and hub settings only by the names host.json
                    // gives (knowledge.md 2.2), so the sample names come only
                    // when there is no host.json to say.
                    let generic: &[&'static str] = if context.is_some_and(|c| c.host.is_some()) {
                        &["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"]
                    } else {
                        &["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage", DEFAULT_CONNECTION_SETTING, "TASKHUB_NAME"]
                    };
                    for (i, name) in generic.iter().enumerate() {
                        names.push((Cow::Borrowed(*name), 10 + i, None, None, Kind::String));
                    }
                    // A new DTS connection starts as the emulator's string and a
                    // hub setting as its only hub, as the quick fixes write them.
                    let dts = dts_setting.clone().unwrap_or_else(|| DEFAULT_CONNECTION_SETTING.to_string());
                    let hub = hub_setting.clone().unwrap_or_else(|| "TASKHUB_NAME".to_string());
                    let values = [
                        (dts, "\"${1:Endpoint=http://localhost:8080;Authentication=None}\"".to_string()),
                        (hub, "\"${1:default}\"".to_string()),
                        ("AzureWebJobsStorage".to_string(), "\"${1:UseDevelopmentStorage=true}\"".to_string()),
                        (
                            "FUNCTIONS_WORKER_RUNTIME".to_string(),
                            context
                                .and_then(AppContext::runtime_from_files)
                                .map_or_else(|| "\"$1\"".to_string(), |r| format!("\"${{1:{}}}\"", r.setting_value())),
                        ),
                    ];
                    let items = key_items_with(&cursor, text, names, snippets, &values);
                    return items;
                }
                // knowledge.md 3: the Host section of local.settings.json.
                "host" => {
                    ranked(&[("LocalHttpPort", Kind::Integer), ("CORS", Kind::String), ("CORSCredentials", Kind::Bool)])
                }
                _ => Vec::new(),
            };
            key_items(&cursor, text, candidates, snippets)
        }
        JsonCursor::Value { member, value, in_string, .. } => {
            let name = member.key.value.as_str();
            if path == "isencrypted" {
                return value_items(
                    &cursor,
                    offset,
                    text,
                    vec![("false".into(), 0, false, Some("plain text values (what local development wants)".into()))],
                );
            }
            if !path.starts_with("values.") && !path.starts_with("connectionstrings.") {
                return Vec::new();
            }
            if name.eq_ignore_ascii_case("FUNCTIONS_WORKER_RUNTIME") {
                let from_files = context.and_then(|c| c.runtime_from_files());
                let runtimes = [
                    WorkerRuntime::DotnetIsolated,
                    WorkerRuntime::Python,
                    WorkerRuntime::Node,
                    WorkerRuntime::Java,
                    WorkerRuntime::PowerShell,
                    WorkerRuntime::Custom,
                    WorkerRuntime::DotnetInProcess,
                    WorkerRuntime::Go,
                ];
                let values = runtimes
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        (r.setting_value().to_string(), if Some(*r) == from_files { 0 } else { 1 + i }, true, None)
                    })
                    .collect();
                return value_items(&cursor, offset, text, values);
            }
            if name.eq_ignore_ascii_case("AzureWebJobsStorage") {
                return value_items(
                    &cursor,
                    offset,
                    text,
                    vec![(
                        "UseDevelopmentStorage=true".into(),
                        0,
                        true,
                        Some("Azurite, the local storage emulator".into()),
                    )],
                );
            }
            if hub_setting.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(name)) {
                return value_items(
                    &cursor,
                    offset,
                    text,
                    vec![("default".into(), 0, true, Some("the emulator's only task hub".into()))],
                );
            }
            let is_dts = dts_setting.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(name))
                || name.to_ascii_uppercase().contains("DURABLE_TASK");
            if !is_dts {
                return Vec::new();
            }
            match (value.and_then(|v| v.as_string()), *in_string) {
                (Some(string), Some(decoded)) => connection_string(string, text, decoded, snippets),
                _ => {
                    // Outside a string only plain templates fit (a snippet would need the quotes around it).
                    let plain = templates(false);
                    value_items(
                        &cursor,
                        offset,
                        text,
                        plain.iter().map(|(label, _, rank, _)| (label.clone(), *rank, true, None)).collect(),
                    )
                }
            }
        }
        JsonCursor::None => Vec::new(),
    }
}

/// Whole-string templates for a DTS connection string: (label, text, rank, snippet).
fn templates(snippets: bool) -> Vec<(String, String, usize, bool)> {
    let emulator = "Endpoint=http://localhost:8080;Authentication=None".to_string();
    let cloud_label = "Endpoint=https://SCHEDULER.REGION.durabletask.io;Authentication=DefaultAzure".to_string();
    let identity_label =
        "Endpoint=https://SCHEDULER.REGION.durabletask.io;Authentication=ManagedIdentity;ClientID=CLIENT-ID"
            .to_string();
    let (cloud, identity) = if snippets {
        (
            "Endpoint=https://${1:scheduler}.${2:region}.durabletask.io;Authentication=DefaultAzure".to_string(),
            "Endpoint=https://${1:scheduler}.${2:region}.durabletask.io;Authentication=ManagedIdentity;ClientID=${3:client-id}".to_string(),
        )
    } else {
        (cloud_label.clone(), identity_label.clone())
    };
    vec![
        (emulator.clone(), emulator, 0, false),
        (cloud_label, cloud, 1, snippets),
        (identity_label, identity, 2, snippets),
    ]
}

/// Inside the DTS string: keys at the start of a pair, Authentication kinds after `Authentication=`.
fn connection_string(string: &jsonc::JsonString, text: &str, decoded: usize, snippets: bool) -> Vec<CompletionItem> {
    let value = &string.value;
    let decoded = decoded.min(value.len());
    // An unclosed string runs to the end of its line (a `}` after the cursor
    // included): there the word at the cursor is what is replaced, and a
    // value or template that ends it closes the string.
    let closed = query::closed(string, text);
    let end = if closed {
        value.len()
    } else {
        let rest = &value[decoded..];
        decoded + rest.find(|c: char| !(c.is_alphanumeric() || "_-.:/=".contains(c))).unwrap_or(rest.len())
    };
    let close = |at: usize, new_text: String| if !closed && at == end { new_text + "\"" } else { new_text };
    let pair_start = value[..decoded].rfind(';').map_or(0, |i| i + 1);
    let segment = &value[pair_start..decoded];
    let pair_end = value[decoded..end].find(';').map_or(end, |i| decoded + i);
    let source = |range: TextRange| string.source_range(text, range);
    let mut items = Vec::new();
    match segment.split_once('=') {
        None => {
            let start = pair_start + (segment.len() - segment.trim_start().len());
            let rest_of_pair = &value[decoded..pair_end];
            // At the start of a pair that has a key already (`;|Authentication=…`),
            // a new pair goes in front of it; in the middle of a key
            // (`Auth|entication=None`) the whole key and its `=` are replaced.
            let before_a_pair = segment.trim().is_empty() && !rest_of_pair.trim().is_empty();
            let key_end = match rest_of_pair.find('=') {
                Some(i) if !before_a_pair => decoded + i + 1,
                _ => decoded,
            };
            // The keys of the other pairs: one being edited is not "present".
            let others = if before_a_pair {
                value.to_string()
            } else {
                format!("{};{}", &value[..pair_start], &value[pair_end..])
            };
            let present: Vec<String> = crate::syntax::connection_string::parse(&others)
                .pairs
                .iter()
                .map(|p| p.key.to_ascii_lowercase())
                .collect();
            // In an empty string the whole-string templates come first.
            let offset = if value[..end].trim().is_empty() { 10 } else { 0 };
            for (rank, (key, doc)) in DTS_KEYS.iter().enumerate() {
                let rank = rank + offset;
                if present.contains(&key.to_ascii_lowercase()) {
                    continue;
                }
                // A key is followed by its value: the string stays open for it.
                let (new_text, snippet) = match (before_a_pair, snippets) {
                    (true, true) => (escape(&format!("{key}=$1;")), true),
                    (true, false) => (escape(&format!("{key}=;")), false),
                    (false, _) => (escape(&format!("{key}=")), false),
                };
                let mut key_item = with_docs(
                    item(*key, ItemKind::Property, rank, source(TextRange::new(start, key_end)), new_text),
                    None,
                    Some(Documentation::Markdown(doc.to_string())),
                );
                key_item.snippet = snippet;
                items.push(key_item);
            }
            if value[..end].trim().is_empty() || (pair_start == 0 && decoded == 0) {
                for (label, text_of_template, rank, snippet) in templates(snippets) {
                    let range = source(TextRange::new(0, end));
                    let mut template =
                        item(label, ItemKind::Snippet, rank, range, close(end, escape(&text_of_template)));
                    template.snippet = snippet;
                    items.push(template);
                }
            }
        }
        // knowledge.md 3.1: the emulator's gRPC port, or a scheduler in Azure.
        Some((key, _)) if key.trim().eq_ignore_ascii_case("Endpoint") => {
            let value_start = pair_start + segment.find('=').map_or(0, |i| i + 1);
            let range = source(TextRange::new(value_start, pair_end));
            let emulator = "http://localhost:8080";
            items.push(with_docs(
                item(emulator, ItemKind::Value, 0, range, close(pair_end, emulator.to_string())),
                Some("the local emulator (its gRPC port)".into()),
                None,
            ));
            let cloud = "https://SCHEDULER.REGION.durabletask.io";
            let text = if snippets { "https://${1:scheduler}.${2:region}.durabletask.io" } else { cloud };
            let mut item = with_docs(
                item(cloud, ItemKind::Value, 1, range, close(pair_end, text.to_string())),
                Some("a scheduler in Azure".into()),
                None,
            );
            item.snippet = snippets;
            items.push(item);
        }
        Some((key, _)) if key.trim().eq_ignore_ascii_case("Authentication") => {
            let value_start = pair_start + segment.find('=').map_or(0, |i| i + 1);
            let range = source(TextRange::new(value_start, pair_end));
            // The emulator on this machine takes None; a scheduler, DefaultAzure locally.
            let local = crate::syntax::connection_string::parse(value)
                .pairs
                .iter()
                .find(|p| p.key.eq_ignore_ascii_case("Endpoint"))
                .is_some_and(|p| crate::analysis::endpoint_is_local(&p.value));
            for (rank, kind) in crate::analysis::authentication_kinds().iter().enumerate() {
                let rank = match *kind {
                    "None" if local => 0,
                    "DefaultAzure" if local => 1,
                    "None" | "DefaultAzure" => rank,
                    _ => 10 + rank,
                };
                items.push(item(*kind, ItemKind::Value, rank, range, close(pair_end, kind.to_string())));
            }
        }
        Some(_) => {}
    }
    items
}

/// What project completion needs to know of the file beyond its text.
struct ProjectFacts {
    /// A Directory.Packages.props or Directory.Build.props.
    is_props: bool,
    /// Versions are managed centrally: a reference carries none.
    central: bool,
    /// A non-.NET app's extensions.csproj (host-side packages).
    extensions: bool,
}

/// Which side of the worker/host line the project's packages belong to
/// (knowledge.md 4, 5), from its file name and its text in lower case.
fn project_side(facts: &ProjectFacts, lower: &str) -> Option<packages::Side> {
    let has = |id: &str| lower.contains(&id.to_ascii_lowercase());
    if facts.extensions || has(packages::IN_PROCESS_SDK) {
        Some(packages::Side::Host)
    } else if has(packages::WORKER) {
        Some(packages::Side::Worker)
    } else {
        None
    }
}

/// The elements to offer inside `parent` (lower case; none at the top):
/// label, text (a snippet when `snippets`) and rank. Under central management
/// a reference carries no version; a props file holds the versions, so
/// PackageVersion is offered there (knowledge.md 4).
fn element_items(parent: Option<&str>, facts: &ProjectFacts, snippets: bool) -> Vec<(&'static str, String, usize)> {
    let reference = if facts.central && !facts.is_props {
        "PackageReference Include=\"$1\" />$0"
    } else {
        "PackageReference Include=\"$1\" Version=\"$2\" />$0"
    };
    let list: Vec<(&'static str, &'static str)> = match parent.map(str::to_ascii_lowercase).as_deref() {
        Some("itemgroup") if facts.is_props => vec![
            ("PackageVersion", "PackageVersion Include=\"$1\" Version=\"$2\" />$0"),
            ("PackageReference", reference),
        ],
        Some("itemgroup") => vec![("PackageReference", reference)],
        Some("propertygroup") if facts.is_props => {
            vec![(
                "ManagePackageVersionsCentrally",
                "ManagePackageVersionsCentrally>${1:true}</ManagePackageVersionsCentrally>$0",
            )]
        }
        Some("propertygroup") => vec![
            ("TargetFramework", "TargetFramework>${1:net8.0}</TargetFramework>$0"),
            ("AzureFunctionsVersion", "AzureFunctionsVersion>${1:v4}</AzureFunctionsVersion>$0"),
            ("OutputType", "OutputType>${1:Exe}</OutputType>$0"),
        ],
        Some("project") => {
            vec![("ItemGroup", "ItemGroup>$0</ItemGroup>"), ("PropertyGroup", "PropertyGroup>$0</PropertyGroup>")]
        }
        // Before <Project>, or inside another element: nothing of ours goes there.
        _ => Vec::new(),
    };
    list.into_iter()
        .enumerate()
        .map(|(rank, (label, snippet))| (label, if snippets { snippet.to_string() } else { plain_text(snippet) }, rank))
        .collect()
}

/// A snippet without its tab stops: `${1:x}` becomes `x`, `$1` nothing.
fn plain_text(snippet: &str) -> String {
    let mut out = String::new();
    let mut rest = snippet;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(body) = rest.strip_prefix('{') {
            let end = body.find('}').unwrap_or(body.len());
            out.push_str(body[..end].split_once(':').map_or("", |(_, default)| default));
            rest = body.get(end + 1..).unwrap_or("");
        } else {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    out.push_str(rest);
    out
}

/// The name of the innermost element still open at `end` (comments,
/// declarations and CDATA skipped): where an element typed there goes.
fn enclosing_element(text: &str, end: usize) -> Option<String> {
    let mut open: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..end].find('<') {
        let start = at + found;
        let rest = &text[start..end];
        let skip_to = |closer: &str| text[start..end].find(closer).map(|i| start + i + closer.len());
        let next = if rest.starts_with("<!--") {
            crate::syntax::xml::comment_end(text, start).filter(|e| *e <= end)
        } else if rest.starts_with("<![CDATA[") {
            skip_to("]]>")
        } else if rest.starts_with("<?") {
            skip_to("?>")
        } else if rest.starts_with("<!") {
            skip_to(">")
        } else {
            // A `>` in a quoted attribute value (an MSBuild Condition's
            // operator) does not end the tag.
            let tag_end = {
                let mut quote = None;
                text[start..end]
                    .char_indices()
                    .find(|&(_, c)| match quote {
                        Some(q) if c == q => {
                            quote = None;
                            false
                        }
                        Some(_) => false,
                        None if c == '"' || c == '\'' => {
                            quote = Some(c);
                            false
                        }
                        None => c == '>',
                    })
                    .map(|(i, _)| start + i + 1)
            };
            let closing = rest.starts_with("</");
            let name: &str = rest[if closing { 2 } else { 1 }..]
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or("");
            if let Some(tag_end) = tag_end {
                if closing {
                    if let Some(i) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                        open.truncate(i);
                    }
                } else if !text[..tag_end].ends_with("/>") && !name.is_empty() {
                    open.push(name);
                }
            }
            tag_end
        };
        match next {
            Some(next) => at = next,
            None => break,
        }
    }
    open.last().map(|name| name.to_string())
}

/// Whether a package belongs in a project of `side` (knowledge.md 4, 5):
/// worker packages (and the Apple-silicon gRPC workaround) in an isolated
/// project; WebJobs packages in an in-process project, or with the metadata
/// generator in a non-.NET app's extensions.csproj. Any, when the side is unknown.
fn fits(package: &packages::KnownPackage, side: Option<packages::Side>, extensions: bool) -> bool {
    match side {
        None | Some(packages::Side::Build) => true,
        Some(packages::Side::Worker) => package.side == packages::Side::Worker || package.id == packages::GRPC_M1,
        Some(packages::Side::Host) if extensions => {
            (package.side == packages::Side::Host && package.id != packages::IN_PROCESS_SDK)
                || package.id == packages::METADATA_GENERATOR
        }
        Some(packages::Side::Host) => package.side == packages::Side::Host,
    }
}

/// Project files: package ids in `Include`, versions in `Version`, element snippets after `<`.
fn project(fs: &dyn FileSystem, text: &str, offset: usize, facts: ProjectFacts, snippets: bool) -> Vec<CompletionItem> {
    let before = &text[..offset];
    if before.rfind("<!--").is_some_and(|open| !before[open..].contains("-->")) {
        return Vec::new(); // in a comment
    }
    let Some(tag_start) = before.rfind('<') else { return Vec::new() };
    if before[tag_start..].contains('>') {
        return Vec::new();
    }
    let tag = &before[tag_start + 1..];
    let element: String = tag.chars().take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_').collect();
    if element.len() == tag.len() {
        // Typing the element name: what belongs inside the element around it.
        // In the middle of an existing element's name only the name is
        // replaced (its attributes are its own); a property the file sets
        // already is not offered again.
        let rest = text[offset..].len()
            - text[offset..].trim_start_matches(|c: char| c.is_alphanumeric() || c == '.' || c == '_').len();
        let range = TextRange::new(tag_start + 1, offset + rest);
        let lower = text.to_ascii_lowercase();
        let set_already = |label: &str| {
            let open = format!("<{}>", label.to_ascii_lowercase());
            !label.contains("Package") && !label.ends_with("Group") && lower.contains(&open)
        };
        return element_items(enclosing_element(text, tag_start).as_deref(), &facts, snippets && rest == 0)
            .into_iter()
            .filter(|(label, ..)| !set_already(label))
            .map(|(label, new_text, rank)| {
                let (new_text, snippet) = if rest > 0 { (label.to_string(), false) } else { (new_text, snippets) };
                let mut element = item(label, ItemKind::Snippet, rank, range, new_text);
                element.snippet = snippet;
                element
            })
            .collect();
    }
    // Inside an attribute value: `Name="…|` (or with single quotes).
    let Some(quote_at) = tag.rfind(['"', '\'']) else { return Vec::new() };
    let quote_char = char::from(tag.as_bytes()[quote_at]);
    let inside = tag[..quote_at].matches(quote_char).count() % 2 == 0;
    if !inside {
        return Vec::new();
    }
    let attribute: String = tag[..quote_at]
        .trim_end()
        .trim_end_matches('=')
        .trim_end()
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let value_start = tag_start + 1 + quote_at + 1;
    // Package ids and versions hold no `/`: one ends the value (`Include="Mic|/>`).
    let value_end = text[offset..].find([quote_char, '<', '>', '/', '\n']).map_or(text.len(), |i| offset + i);
    let range = TextRange::new(value_start, value_end);
    // A value whose quote is not typed yet is closed with the item.
    let closing = if text[value_end..].starts_with(quote_char) { String::new() } else { quote_char.to_string() };
    let is_item = element.eq_ignore_ascii_case("PackageReference") || element.eq_ignore_ascii_case("PackageVersion");
    if !is_item {
        return Vec::new();
    }
    if attribute.eq_ignore_ascii_case("Include") || attribute.eq_ignore_ascii_case("Update") {
        // The packages of the project's side only (one of the other side is
        // P006, knowledge.md 4); those it references already are not offered again.
        let lower = text.to_ascii_lowercase();
        let side = project_side(&facts, &lower);
        let own = text[range.start..range.end].to_ascii_lowercase();
        let referenced = |id: &str| {
            let id = id.to_ascii_lowercase();
            id != own && [format!("include=\"{id}\""), format!("include='{id}'")].iter().any(|i| lower.contains(i))
        };
        return KNOWN_PACKAGES
            .iter()
            .enumerate()
            .filter(|(_, p)| !referenced(p.id) && fits(p, side, facts.extensions))
            .map(|(rank, p)| {
                let doc = format!(
                    "{}\n\nNewest known: {}{}",
                    p.about,
                    p.newest,
                    p.minimum_for_dts.map(|m| format!("; minimum for DTS: {m}")).unwrap_or_default()
                );
                with_docs(
                    item(p.id, ItemKind::Package, rank, range, format!("{}{closing}", p.id)),
                    Some(
                        match p.side {
                            packages::Side::Worker => "isolated worker",
                            packages::Side::Host => "host (WebJobs)",
                            packages::Side::Build => "build tooling",
                        }
                        .into(),
                    ),
                    Some(Documentation::Markdown(doc)),
                )
            })
            .collect();
    }
    // Under central management a reference's version is in the props file
    // (knowledge.md 4): a `Version` on it is no place for one.
    let central_reference = facts.central && element.eq_ignore_ascii_case("PackageReference");
    if (attribute.eq_ignore_ascii_case("Version") && !central_reference)
        || attribute.eq_ignore_ascii_case("VersionOverride")
    {
        // The id, wherever it is in the tag (after the version too), in either quotes.
        let tag_end = text[offset..].find(['>', '<']).map_or(text.len(), |i| offset + i);
        let whole_tag = &text[tag_start..tag_end];
        let include = whole_tag
            .find("Include=")
            .map(|at| &whole_tag[at + "Include=".len()..])
            .and_then(|rest| {
                let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
                rest[1..].split(quote).next()
            })
            .unwrap_or("");
        let mut versions: Vec<Version> =
            fs.cached_package_versions(include).iter().filter_map(|v| Version::parse(v)).collect();
        if let Some(known) = packages::known(include).and_then(|p| Version::parse(p.newest)) {
            versions.push(known);
        }
        versions.sort();
        versions.dedup();
        versions.reverse();
        return versions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let label = v.to_string();
                let detail = if i == 0 { Some("newest".into()) } else { None };
                with_docs(item(label.clone(), ItemKind::Version, i, range, format!("{label}{closing}")), detail, None)
            })
            .collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::memory::MemoryFs;
    use std::cell::RefCell;
    use std::path::PathBuf;
    use std::sync::Arc;

    /// An in-memory app that records which files are read, and counts
    /// the looks into folders (what finding the app costs).
    struct Recording {
        fs: MemoryFs,
        read: RefCell<Vec<PathBuf>>,
        looks: std::cell::Cell<usize>,
    }

    impl FileSystem for Recording {
        fn read(&self, path: &Path) -> Option<Arc<String>> {
            self.read.borrow_mut().push(path.to_path_buf());
            self.fs.read(path)
        }
        fn file_names(&self, dir: &Path) -> Vec<String> {
            self.looks.set(self.looks.get() + 1);
            self.fs.file_names(dir)
        }
        fn is_file(&self, path: &Path) -> bool {
            self.looks.set(self.looks.get() + 1);
            self.fs.is_file(path)
        }
    }

    /// A host.json key needs nothing but host.json (not even the app's
    /// folder); a setting name needs local.settings.json, which is then read.
    #[test]
    fn the_app_s_other_files_are_read_only_when_needed() {
        let host = r#"{"version": "2.0", "extensions": {"durableTask": {"hubName": "h", "storageProvider": {"type": "azureManaged", "connectionStringName": ""}}}}"#;
        let fs = Recording {
            fs: MemoryFs::with(&[
                ("/a/host.json", host),
                (
                    "/a/local.settings.json",
                    r#"{"Values": {"MY_DTS": "Endpoint=http://localhost:8080;Authentication=None"}}"#,
                ),
                ("/a/A.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />"),
            ]),
            read: RefCell::new(Vec::new()),
            looks: std::cell::Cell::new(0),
        };
        let path = Path::new("/a/host.json");
        let key = host.find("\"hubName\"").unwrap() + 1;
        let items = complete(&fs, path, key, false);
        assert!(items.iter().any(|item| item.label == "maxConcurrentEntityFunctions"), "{items:?}");
        assert_eq!(fs.read.take(), [PathBuf::from("/a/host.json")]);
        assert_eq!(fs.looks.get(), 0, "the app is not even looked for");
        let value = host.find("\"connectionStringName\": \"").unwrap() + "\"connectionStringName\": \"".len();
        let items = complete(&fs, path, value, false);
        assert_eq!(items.first().map(|item| item.label.as_ref()), Some("MY_DTS"), "{items:?}");
        assert!(fs.read.take().contains(&PathBuf::from("/a/local.settings.json")));
        assert!(fs.looks.get() > 0);
    }
}
