//! Rules on host.json (H…): syntax, version, the storage provider, and the
//! cross-file links from host.json to the project and to local.settings.json.

use crate::analysis::Sink;
use crate::analysis::context::{
    AppContext, Backend, DEFAULT_CONNECTION_SETTING, HUB_NAME_OVERRIDE, JsonFile, unwrap_percent,
};
use crate::analysis::dotnet::WORKER_AZURE_MANAGED;
use crate::analysis::suggest::nearest;
use crate::syntax::jsonc::{CommentKind, ValueKind};
use crate::text::TextRange;

const HOST_PARSE_FAILURE: &str = "the host stops with \"Unable to parse host configuration file\"";

pub(crate) fn check(context: &AppContext<'_>, sink: &mut Sink) {
    let Some(host) = &context.host else { return };
    syntax(host, sink);
    version(host, sink);
    storage_provider_type(context, host, sink);
    if context.durable().backend == Some(Backend::AzureManaged) {
        provider_package(context, host, sink);
        connection_setting_defined(context, host, sink);
        hub_name_present(context, host, sink);
    }
    hub_name_setting_defined(context, host, sink);
}

/// H001 and H002: every syntax error; every comment and trailing comma.
fn syntax(host: &JsonFile, sink: &mut Sink) {
    for error in &host.document.errors {
        sink.report("H001", &host.path, error.range, format!("{}: {HOST_PARSE_FAILURE}", error.message));
    }
    if host.document.root.as_ref().is_some_and(|root| root.as_object().is_none()) {
        let root = host.document.root.as_ref().map_or(TextRange::default(), |r| r.range);
        sink.report("H001", &host.path, root, format!("host.json must be a JSON object: {HOST_PARSE_FAILURE}"));
    }
    for comment in &host.document.comments {
        let what = match comment.kind {
            CommentKind::Line => "A `//` comment",
            CommentKind::Block => "A `/* */` comment",
        };
        sink.report(
            "H002",
            &host.path,
            comment.range,
            format!("{what} in host.json: some hosts ignore a host.json with comments, and every setting falls back to its default"),
        );
    }
    for comma in &host.document.trailing_commas {
        sink.report(
            "H002",
            &host.path,
            *comma,
            "Trailing comma in host.json: some hosts ignore a host.json that is not strict JSON, and every setting falls back to its default",
        );
    }
}

/// H003: `"version": "2.0"` is required.
fn version(host: &JsonFile, sink: &mut Sink) {
    let Some(root) = host.document.root_object() else {
        return;
    };
    let Some(member) = root.member("version") else {
        sink.report(
            "H003",
            &host.path,
            root.open,
            "host.json is missing the required \"version\" property: add \"version\": \"2.0\"",
        );
        return;
    };
    let Some(value) = &member.value else { return };
    let message = match &value.kind {
        ValueKind::String(s) if s.value == "2.0" => return,
        ValueKind::String(s) => {
            format!("'{}' is an invalid value for host.json 'version' property: set it to \"2.0\"", s.value)
        }
        ValueKind::Number(_) => {
            let raw = &host.text[value.range.start..value.range.end];
            format!("host.json 'version' must be the string \"2.0\", not the number {raw}")
        }
        _ => format!("host.json 'version' must be the string \"2.0\", not {}", value.type_name()),
    };
    sink.report("H003", &host.path, value.range, message);
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
        sink.report("H004", &host.path, value.range, message);
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
    sink.report("H004", &host.path, value.range, message);
}

/// H007 (.NET isolated route): azureManaged needs the worker AzureManaged package.
fn provider_package(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let isolated: Vec<_> = context.isolated_projects().collect();
    if isolated.is_empty() || isolated.iter().any(|p| p.project.reference(WORKER_AZURE_MANAGED).is_some()) {
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
    let diagnostic = sink.report("H007", &host.path, value, message);
    for project in isolated {
        diagnostic.related(
            &project.file.path,
            project.project.project_tag,
            format!("add a PackageReference to {WORKER_AZURE_MANAGED} here"),
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
    let diagnostic = sink.report("H014", &host.path, range, message);
    if let Some((path, open)) = anchor {
        diagnostic.related(&path, open, format!("add \"{name}\" to Values here"));
    }
}

/// H021: under DTS a missing hub name falls back to one the emulator lacks.
fn hub_name_present(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let durable = context.durable();
    // An app setting can set the hub instead of host.json.
    if durable.hub_name().is_none() && context.value_setting(HUB_NAME_OVERRIDE).is_none() {
        let Some(member) = durable.durable_task_member else {
            return;
        };
        sink.report(
            "H021",
            &host.path,
            member.key.range,
            "No hubName with the Durable Task Scheduler: the hub falls back to 'TestHubName', which the local emulator does not have \
             (it only has 'default'). Set \"hubName\": \"%TASKHUB_NAME%\"",
        );
    }
}

/// H023: a `%X%` hub name resolves only when X is an app setting; with any
/// backend an unresolved name stays literal and is no valid hub name.
fn hub_name_setting_defined(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let Some(hub) = context.durable().hub_name() else {
        return;
    };
    let Some(value) = &hub.value else { return };
    let Some(setting) = value.as_str().and_then(unwrap_percent) else {
        return;
    };
    if context.local_root().is_none() || context.value_setting(setting).is_some() {
        return;
    }
    let message = format!(
        "hubName reads the app setting '{setting}', which local.settings.json Values does not define: add \"{setting}\": \"default\" \
         (the emulator's hub) to Values"
    );
    let anchor = context.values_anchor();
    let diagnostic = sink.report("H023", &host.path, value.range, message);
    if let Some((path, open)) = anchor {
        diagnostic.related(&path, open, format!("add \"{setting}\" to Values here"));
    }
}
