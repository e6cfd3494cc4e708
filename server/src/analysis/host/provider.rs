//! `extensions.durableTask` and its `storageProvider`: the backend, the
//! keys each backend reads, value types, and the provider package (H007).

use super::bundle::{DTS_RANGE, GA_BUNDLE};
use crate::analysis::context::{
    AppContext, Backend, DEFAULT_CONNECTION_SETTING, DurableSettings, JsonFile, VersionSource,
};
use crate::analysis::keys::{self, Kind, Section};
use crate::analysis::nuget::{Version, VersionRange};
use crate::analysis::packages::{self, WEBJOBS_AZURE_MANAGED, WORKER_AZURE_MANAGED};
use crate::analysis::project_files::provide_package;
use crate::analysis::{Severity, Sink, fixes};
use crate::app::WorkerRuntime;
use crate::edit::Fix;
use crate::edit::json::{JsonEditor, NewValue, quote};
use crate::suggest::nearest;
use crate::syntax::jsonc::{Member, Object, Value, ValueKind};
use crate::text::TextRange;

pub(super) fn check(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let durable = context.durable();
    storage_provider_type(context, host, sink);
    type_key_case(&durable, host, sink);
    keys(context, &durable, host, sink);
    connection_names(&durable, host, sink);
    if durable.is_dts() {
        provider_package(context, host, sink);
        connection_setting_defined(context, host, sink);
        if let (None, Some(value), Some(provider)) =
            (durable.connection_member(), durable.type_value(), durable.storage_provider)
        {
            let at = durable.type_member.map_or(0, |m| fixes::index_of(provider, m) + 1);
            let fix = fixes::insert(
                host,
                provider,
                at,
                "connectionName",
                NewValue::string(DEFAULT_CONNECTION_SETTING),
                format!("Add \"connectionName\": \"{DEFAULT_CONNECTION_SETTING}\""),
            );
            sink.report(
                "H013",
                &host.path,
                value.range,
                format!("No connectionName: the Durable Task Scheduler reads the default setting '{DEFAULT_CONNECTION_SETTING}'. Name it explicitly so the link to local.settings.json is visible"),
            )
            .fix(fix.map(Fix::preferred));
        }
    }
}

/// H005: a `Type` key is not read (the extension reads `type` case-sensitively, inferred).
fn type_key_case(durable: &DurableSettings<'_>, host: &JsonFile, sink: &mut Sink) {
    let Some(provider) = durable.storage_provider else { return };
    let has_type = provider.member("type").is_some();
    for (index, member) in provider.members.iter().enumerate() {
        if member.key.value != "type" && member.key.value.eq_ignore_ascii_case("type") {
            // With a real `type` beside it, renaming would make a duplicate: remove instead.
            let fix = if has_type {
                fixes::remove(host, provider, index, format!("Remove \"{}\"", member.key.value))
            } else {
                fixes::rename(host, member, "type")
            };
            sink.report(
                "H005",
                &host.path,
                member.key.range,
                format!("\"{}\" is not read: the storage provider reads \"type\" (lower case), so this app stays on Azure Storage", member.key.value),
            )
            .fix(Some(fix.preferred()));
        }
    }
}

/// The members of both sections that only other backends read (H015's keys).
fn previous_backend_keys<'a>(durable: &DurableSettings<'a>) -> Vec<(&'a Object, usize)> {
    let sections = [(Section::DurableTask, durable.durable_task), (Section::StorageProvider, durable.storage_provider)];
    let mut found = Vec::new();
    for (section, object) in sections {
        let Some(object) = object else { continue };
        for (index, member) in object.members.iter().enumerate() {
            if keys::known(section, &member.key.value).is_some_and(keys::other_backends_only) {
                found.push((object, index));
            }
        }
    }
    found
}

/// One fix removing members of possibly two objects of host.json.
fn remove_all(host: &JsonFile, members: &[(&Object, usize)], title: &str) -> Fix {
    let editor = JsonEditor::new(&host.text, &host.document);
    let mut edits = Vec::new();
    let mut objects: Vec<&Object> = Vec::new();
    for (object, _) in members {
        if !objects.iter().any(|o| o.open() == object.open()) {
            objects.push(object);
        }
    }
    for object in objects {
        let indices: Vec<usize> = members.iter().filter(|(o, _)| o.open() == object.open()).map(|(_, i)| *i).collect();
        edits.extend(editor.remove_members(object, &indices));
    }
    fixes::json_fix(host, title, edits)
}

/// H006, H015, H016, H017, H018, H019, H026: every key of `durableTask`
/// and `storageProvider` against the known-key table.
fn keys(context: &AppContext<'_>, durable: &DurableSettings<'_>, host: &JsonFile, sink: &mut Sink) {
    let sections = [(Section::DurableTask, durable.durable_task), (Section::StorageProvider, durable.storage_provider)];
    let runtime = context.worker_runtime();
    let previous = previous_backend_keys(durable);
    let before_rename = azure_managed_before_payload_rename(context);
    for (section, object) in sections {
        let Some(object) = object else { continue };
        for (index, member) in object.members.iter().enumerate() {
            let name = member.key.value.as_str();
            let remove = |title: String| fixes::remove(host, object, index, title);
            let Some(key) = keys::known(section, name) else {
                // `Type` is H005's business, not an unknown key.
                if !(section == Section::StorageProvider && name.eq_ignore_ascii_case("type")) {
                    unknown_key(section, member, durable.backend, host, sink);
                }
                continue;
            };
            if let Some(value) = &member.value {
                value_type(key.name, key.kind, value, host, sink);
            }
            match durable.backend {
                Some(Backend::AzureManaged) => {
                    if keys::other_backends_only(key) {
                        let readers = key.readers_text(" and ");
                        let diagnostic = sink.report(
                            "H015",
                            &host.path,
                            member.key.range,
                            format!(
                                "\"{}\" is only read by {readers}: the Durable Task Scheduler ignores it. Remove it",
                                key.name
                            ),
                        );
                        diagnostic.fix(Some(remove(format!("Remove \"{}\"", key.name)).preferred()));
                        if previous.len() > 1 {
                            diagnostic.fix(Some(remove_all(
                                host,
                                &previous,
                                "Remove all settings of the previous backend",
                            )));
                        }
                    }
                    if key.name == "extendedSessionsEnabled" && member.value.as_ref().is_some_and(is_true) {
                        let mut doomed = vec![(object, index)];
                        if let Some(timeout) = object.member_ignore_case("extendedSessionIdleTimeoutInSeconds") {
                            doomed.push((object, fixes::index_of(object, timeout)));
                        }
                        sink.report(
                            "H016",
                            &host.path,
                            member.key.range,
                            "Extended sessions are not available in the Durable Task Scheduler backend yet: remove extendedSessionsEnabled",
                        )
                        .fix(Some(remove_all(host, &doomed, "Remove extended sessions").preferred()));
                    }
                }
                Some(_)
                    if matches!(
                        key.name,
                        "workItemFilteringEnabled" | "payloadStorageEnabled" | "payloadStorageThresholdBytes"
                    ) =>
                {
                    sink.report(
                        "H019",
                        &host.path,
                        member.key.range,
                        format!("\"{}\" is a Durable Task Scheduler setting, but this app's storage provider is not azureManaged: it has no effect", key.name),
                    )
                    .fix(Some(remove(format!("Remove \"{}\"", key.name)).preferred()));
                }
                _ => {}
            }
            if let Some(new_name) = renamed(key.name) {
                let message = format!("\"{}\" was renamed to \"{new_name}\" in AzureManaged 1.6.0", key.name);
                match &before_rename {
                    // Under another backend neither name has any effect (H019
                    // for the new one): removing it leaves no problem behind.
                    // (A rename would only trade this warning for H019.)
                    _ if durable.backend.is_some_and(|b| !matches!(b, Backend::AzureManaged)) => {
                        let message = format!(
                            "{message}; this app's storage provider is not azureManaged, so it has no effect under either name"
                        );
                        sink.report("H017", &host.path, member.key.range, message)
                            .fix(Some(remove(format!("Remove \"{}\"", key.name)).preferred()));
                    }
                    // Large payloads are for .NET isolated apps only (knowledge.md
                    // 2.2): the new name would be H018, so the fix removes it.
                    _ if runtime.is_some_and(|r| r != WorkerRuntime::DotnetIsolated) => {
                        let message = format!(
                            "{message}; large payload storage is only for .NET isolated apps, so it has no effect here under either name"
                        );
                        sink.report("H017", &host.path, member.key.range, message)
                            .fix(Some(remove(format!("Remove \"{}\"", key.name)).preferred()));
                    }
                    // The package reads the old name today: the rename alone would turn
                    // large payloads off, so the fix upgrades the package with it.
                    Some(source) => {
                        let newest = packages::newest_known(WORKER_AZURE_MANAGED);
                        let mut changes = fixes::rename(host, member, new_name).changes;
                        changes.push(fixes::set_version(source, newest));
                        sink.report(
                            "H017",
                            &host.path,
                            member.key.range,
                            format!(
                                "{message}; this app's {WORKER_AZURE_MANAGED} \"{}\" is older and reads this name: \
                                 upgrade the package and rename the setting together (the rename alone would turn \
                                 large payloads off)",
                                source.text
                            ),
                        )
                        .fix(Some(
                            Fix::new(format!("Rename to \"{new_name}\" and set the package to {newest}"), changes)
                                .preferred(),
                        ));
                    }
                    None => {
                        sink.report("H017", &host.path, member.key.range, message)
                            .fix(Some(fixes::rename(host, member, new_name).preferred()));
                    }
                }
            }
            if let (Some(old_name), Some(source)) = (old_name(key.name), &before_rename) {
                let newest = packages::newest_known(WORKER_AZURE_MANAGED);
                sink.report(
                    "H017",
                    &host.path,
                    member.key.range,
                    format!(
                        "\"{}\" is read from AzureManaged 1.6.0 on, but this app's {WORKER_AZURE_MANAGED} \"{}\" \
                         reads \"{old_name}\": large payload storage stays off. Upgrade the package",
                        key.name, source.text
                    ),
                )
                .fix(Some(
                    Fix::new(format!("Set the package to {newest}"), vec![fixes::set_version(source, newest)])
                        .preferred(),
                ));
            }
            if key.name.starts_with("payloadStorage") {
                if runtime.is_some_and(|r| r != WorkerRuntime::DotnetIsolated) {
                    sink.report(
                        "H018",
                        &host.path,
                        member.key.range,
                        format!("\"{}\": large payload storage is only for .NET isolated apps", key.name),
                    )
                    .fix(Some(remove(format!("Remove \"{}\"", key.name)).preferred()));
                }
                if key.name == "payloadStorageThresholdBytes" {
                    payload_threshold(member, host, sink);
                }
            }
        }
    }
}

/// The large payload settings' names before AzureManaged 1.6.0.
fn old_name(name: &str) -> Option<&'static str> {
    match name {
        "payloadStorageEnabled" => Some("largePayloadStorageEnabled"),
        "payloadStorageThresholdBytes" => Some("largePayloadStorageThresholdBytes"),
        _ => None,
    }
}

/// Where the app's .NET isolated AzureManaged package is pinned below 1.6.0,
/// the version that renamed the large payload settings (knowledge.md 2.2):
/// every version its reference allows is older. A floating or open version,
/// one from an MSBuild property, or none at all: `None`.
fn azure_managed_before_payload_rename<'c>(context: &'c AppContext<'_>) -> Option<VersionSource<'c>> {
    let rename = Version::new(1, 6, 0);
    context.projects.iter().find_map(|project| {
        let reference = context.package_reference(project, WORKER_AZURE_MANAGED)?;
        let source = context.version_source(project, reference)?;
        let range = VersionRange::parse(source.text).filter(|_| !source.text.contains("$("))?;
        range.resolves_below(&rename).then_some(source)
    })
}

fn renamed(name: &str) -> Option<&'static str> {
    match name {
        "largePayloadStorageEnabled" => Some("payloadStorageEnabled"),
        "largePayloadStorageThresholdBytes" => Some("payloadStorageThresholdBytes"),
        _ => None,
    }
}

fn is_true(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Bool(b) => *b,
        ValueKind::String(s) => s.value.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// H006: not a key any backend reads; a warning when it is a near miss.
fn unknown_key(section: Section, member: &Member, backend: Option<Backend>, host: &JsonFile, sink: &mut Sink) {
    let where_ = match section {
        Section::DurableTask => "durableTask",
        Section::StorageProvider => "storageProvider",
    };
    let name = &member.key.value;
    match keys::vocabulary(section).nearest(name, 2) {
        Some(near) => {
            let message =
                format!("\"{name}\" is not a {where_} setting, so it is silently ignored. Did you mean \"{near}\"?");
            // A near miss is almost certainly a typo: raise it to a warning.
            let diagnostic = sink.report("H006", &host.path, member.key.range, message);
            diagnostic.severity = Severity::Warning;
            diagnostic.fix(Some(fixes::rename(host, member, near).preferred()));
        }
        None => {
            // knowledge.md lists every setting the Durable Task Scheduler and
            // Azure Storage read, but only a few of Netherite's and MSSQL's.
            let message = match (section, backend) {
                (Section::StorageProvider, Some(backend @ (Backend::Netherite | Backend::Mssql))) => format!(
                    "\"{name}\" is not a storageProvider setting durable-lsp knows; it knows only a few of {}'s, \
                     so check the name against that backend's documentation",
                    backend.display_name()
                ),
                _ => format!("\"{name}\" is not a known {where_} setting: no backend reads it"),
            };
            sink.report("H006", &host.path, member.key.range, message);
        }
    }
}

/// H018: the threshold must stay under the 1 MB DTS message limit.
fn payload_threshold(member: &Member, host: &JsonFile, sink: &mut Sink) {
    let Some(value) = &member.value else { return };
    let Some(number) = as_number(value) else { return };
    // Below the limit (knowledge.md 2.2): a payload of exactly 1 MB stays
    // inline and, with its envelope, does not fit.
    if number <= 0.0 || number >= 1_048_576.0 {
        sink.report(
            "H018",
            &host.path,
            value.range,
            format!("payloadStorageThresholdBytes is {number}: it must be above 0 and below 1048576 (the 1 MB message limit); samples use 900000"),
        )
        .fix(Some(fixes::replace(host, value.range, "900000", "Set 900000").preferred()));
    }
}

fn as_number(value: &Value) -> Option<f64> {
    match &value.kind {
        ValueKind::Number(n) => *n,
        ValueKind::String(s) => s.value.trim().parse().ok(),
        _ => None,
    }
}

/// H026: a value the runtime cannot convert to the key's type. Lenient the
/// way .NET configuration binding is: "10" binds to an integer, "true" to a bool.
fn value_type(name: &str, kind: Kind, value: &Value, host: &JsonFile, sink: &mut Sink) {
    let problem = match (&value.kind, kind) {
        (ValueKind::Null | ValueKind::Error, _) => None,
        (ValueKind::Object(_), Kind::Object) | (ValueKind::Array(_), Kind::Array) => None,
        (_, Kind::Object) => Some(format!("must be an object, not {}", value.type_name())),
        (_, Kind::Array) => Some(format!("must be an array, not {}", value.type_name())),
        (ValueKind::Object(_) | ValueKind::Array(_), _) => {
            Some(format!("must be a single value, not {}", value.type_name()))
        }
        (_, Kind::String) => None,
        (ValueKind::Bool(_), Kind::Bool) => None,
        (ValueKind::String(s), Kind::Bool)
            if matches!(s.value.trim().to_ascii_lowercase().as_str(), "true" | "false") =>
        {
            None
        }
        (_, Kind::Bool) => Some("must be true or false".to_string()),
        (_, Kind::Integer | Kind::PositiveInteger) => match integer(value) {
            None => Some("must be an integer".to_string()),
            Some(n) if kind == Kind::PositiveInteger && n <= 0 => Some("must be a positive integer".to_string()),
            Some(_) => None,
        },
        (ValueKind::Number(_), Kind::TimeSpan) => None,
        (ValueKind::String(s), Kind::TimeSpan) if is_time_span(&s.value) => None,
        (_, Kind::TimeSpan) => Some("must be a time span such as \"00:05:00\"".to_string()),
    };
    if let Some(problem) = problem {
        let shown = &host.text[value.range.start..value.range.end];
        let shown: String = shown.chars().take(40).collect();
        // The concurrency limits are checked at start (knowledge.md 2.2);
        // what another value of the wrong type does was never observed, so
        // it is a warning, not an error (knowledge.md: be lenient there).
        if kind == Kind::PositiveInteger {
            sink.report(
                "H026",
                &host.path,
                value.range,
                format!("{name} {problem} (found {shown}): the host fails to start"),
            );
        } else {
            sink.report(
                "H026",
                &host.path,
                value.range,
                format!("{name} {problem} (found {shown}): the extension cannot read it, so the app does not run with this setting"),
            )
            .severity(Severity::Warning);
        }
    }
}

fn integer(value: &Value) -> Option<i64> {
    match &value.kind {
        ValueKind::Number(Some(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
        ValueKind::String(s) => s.value.trim().parse().ok(),
        _ => None,
    }
}

/// `[-][d.]hh:mm[:ss[.fffffff]]` or a whole number of days, as TimeSpan.Parse reads them.
fn is_time_span(text: &str) -> bool {
    let text = text.trim();
    let text = text.strip_prefix('-').unwrap_or(text);
    !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == ':' || c == '.')
        && text.split(':').count() <= 3
        && !text.contains("::")
}

/// H012: both names given and different (connectionName wins).
fn connection_names(durable: &DurableSettings<'_>, host: &JsonFile, sink: &mut Sink) {
    let Some(provider) = durable.storage_provider else { return };
    let (Some(name), Some(legacy)) =
        (provider.member_ignore_case("connectionName"), provider.member_ignore_case("connectionStringName"))
    else {
        return;
    };
    let text = |m: &Member| m.value.as_ref().and_then(Value::as_str).map(str::to_string);
    if let (Some(a), Some(b)) = (text(name), text(legacy)) {
        if a != b {
            sink.report(
                "H012",
                &host.path,
                legacy.key.range,
                format!("Both connectionName ('{a}') and connectionStringName ('{b}') are set: connectionName wins, so '{b}' is never read. Remove connectionStringName"),
            )
            .fix(Some(fixes::remove(host, provider, fixes::index_of(provider, legacy), "Remove connectionStringName").preferred()));
        }
    }
}

/// H004: `storageProvider.type` names a registered provider.
fn storage_provider_type(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let durable = context.durable();
    let Some(value) = durable.type_value() else {
        return;
    };
    let available = "Available storage providers: AzureStorage, AzureManaged, mssql, Netherite";
    let Some(name) = value.as_str() else {
        let message = format!(
            "storageProvider.type must be a string naming a storage provider, not {}. {available}",
            value.type_name()
        );
        let fix =
            fixes::replace(host, value.range, "\"azureManaged\"", "Use \"azureManaged\" (Durable Task Scheduler)");
        sink.report("H004", &host.path, value.range, message).fix(Some(fix));
        return;
    };
    if Backend::from_type(name).is_some() {
        return;
    }
    let names: Vec<&str> = Backend::ALL.iter().map(|(n, _)| *n).collect();
    let hint = if name.to_ascii_lowercase().contains("scheduler") || name.to_ascii_lowercase().contains("dts") {
        " The Durable Task Scheduler provider is named \"azureManaged\".".to_string()
    } else {
        match nearest(name, &names, 3) {
            Some(near) => format!(" Did you mean \"{near}\"?"),
            None => String::new(),
        }
    };
    let message = format!("Storage provider type ({name}) was not found: the app fails at start. {available}.{hint}");
    let diagnostic = sink.report("H004", &host.path, value.range, message);
    // The nearest valid name first; the Durable Task Scheduler is always offered.
    let near = nearest(name, &names, 3).filter(|n| *n != "AzureManaged");
    let to = |target: &str, title: String| fixes::replace(host, value.range, quote(target), title);
    if let Some(near) = near {
        diagnostic.fix(Some(to(near, format!("Use \"{near}\"")).preferred()));
    }
    let dts = to("azureManaged", "Use \"azureManaged\" (Durable Task Scheduler)".to_string());
    diagnostic.fix(Some(if near.is_none() { dts.preferred() } else { dts }));
}

/// H007: azureManaged needs the provider package, on the app's route.
fn provider_package(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    if context.is_non_dotnet() {
        return extensions_route(context, host, sink);
    }
    let isolated: Vec<_> = context.isolated_projects().collect();
    if isolated.is_empty() || isolated.iter().any(|p| context.references(p, WORKER_AZURE_MANAGED)) {
        return;
    }
    let Some(value) = context.durable().type_value().map(|v| v.range) else {
        return;
    };
    let names: Vec<String> =
        isolated.iter().filter_map(|p| p.file.path.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    let message = format!(
        "host.json selects the Durable Task Scheduler (azureManaged), but {} does not reference {WORKER_AZURE_MANAGED}: \
         the app fails at start with \"Storage provider type (azureManaged) was not found\"",
        names.join(", ")
    );
    let fix = provide_package(context, isolated[0], WORKER_AZURE_MANAGED).map(|fix| {
        // "Add X to A.csproj", but "Use X in A.csproj" (a swap of the package there).
        let preposition = if fix.title.starts_with("Use ") { "in" } else { "to" };
        Fix { title: format!("{} {preposition} {}", fix.title, names[0]), ..fix }
    });
    let diagnostic = sink.report("H007", &host.path, value, message);
    diagnostic.fix(fix);
    for project in isolated {
        diagnostic.related(
            &project.file.path,
            project.project.project_tag,
            format!("add a PackageReference to {WORKER_AZURE_MANAGED} here"),
        );
    }
}

/// H007, non-.NET route: without an extension bundle, only an
/// extensions.csproj with the host-side provider package brings it. (A
/// bundle that cannot reach DTS is H008's business.)
fn extensions_route(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    if context.bundle().is_some() {
        return;
    }
    let extensions = context.extensions_project();
    if extensions.is_some_and(|p| context.references(p, WEBJOBS_AZURE_MANAGED)) {
        return;
    }
    let Some(value) = context.durable().type_value().map(|v| v.range) else { return };
    let message = format!(
        "host.json selects the Durable Task Scheduler (azureManaged), but this app has no extension bundle and no extensions.csproj with {WEBJOBS_AZURE_MANAGED}: the app fails at start with \"Storage provider type (azureManaged) was not found\". Add \"extensionBundle\": {{\"id\": \"{GA_BUNDLE}\", \"version\": \"{DTS_RANGE}\"}}"
    );
    let diagnostic = sink.report("H007", &host.path, value, message);
    match extensions {
        // The seed doc's route: the package goes into the existing extensions.csproj
        // (a bundle beside it would make the project ignored, H010).
        Some(project) => {
            let fix = provide_package(context, project, WEBJOBS_AZURE_MANAGED)
                .map(|fix| Fix { title: format!("{} in extensions.csproj", fix.title), ..fix });
            diagnostic.fix(fix);
        }
        None => {
            if let Some(root) = host.document.root_object() {
                // After "version" when there is one: where the templates put the bundle.
                let at = root.member("version").map_or(0, |m| fixes::index_of(root, m) + 1);
                let bundle = NewValue::Object(vec![
                    ("id".to_string(), NewValue::string(GA_BUNDLE)),
                    ("version".to_string(), NewValue::string(DTS_RANGE)),
                ]);
                let fix = fixes::insert(
                    host,
                    root,
                    at,
                    "extensionBundle",
                    bundle,
                    format!("Add the extension bundle {DTS_RANGE}"),
                );
                diagnostic.fix(fix.map(Fix::preferred));
            }
        }
    }
    if let Some(project) = extensions {
        diagnostic.related(
            &project.file.path,
            project.project.project_tag,
            format!("or add a PackageReference to {WEBJOBS_AZURE_MANAGED} here"),
        );
    }
}

/// H014: the connection setting host.json names exists in local.settings.json.
fn connection_setting_defined(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    if context.local_root().is_none() {
        return;
    }
    let durable = context.durable();
    let Some(name) = durable.connection_setting() else {
        return;
    };
    if context.setting(&name).is_some() {
        return;
    }
    let (range, how) = match durable.connection_member() {
        Some(member) => (
            member.value.as_ref().map_or(member.key.range, |v| v.range),
            format!("host.json names the connection setting '{name}'"),
        ),
        None => (
            durable.type_value().map_or(TextRange::default(), |v| v.range),
            format!(
                "host.json names no connectionName, so the Durable Task Scheduler reads the default setting '{DEFAULT_CONNECTION_SETTING}'"
            ),
        ),
    };
    let message = format!(
        "{how}, which local.settings.json does not define (neither in Values nor in ConnectionStrings): the app fails with \
         \"No connection string configuration was found for the app setting or environment variable named '{name}'\""
    );
    let anchor = context.values_anchor();
    // A `NAME__endpoint` section (L025) names the user's scheduler:
    // collapsing the sections (L025's fix) is the obvious fix then, not the emulator.
    let sections = context.value_setting(&format!("{name}__endpoint")).is_some();
    let fix = fixes::add_values(context, &[(&name, fixes::EMULATOR_CONNECTION)]).map(|change| {
        let fix = Fix::new(format!("Add \"{name}\" (the local emulator) to local.settings.json"), vec![change]);
        if sections { fix } else { fix.preferred() }
    });
    let diagnostic = sink.report("H014", &host.path, range, message);
    diagnostic.fix(fix);
    if let Some((path, open)) = anchor {
        diagnostic.related(&path, open, format!("add \"{name}\" to Values here"));
    }
}
