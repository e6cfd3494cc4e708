//! Rules on local.settings.json (L…): syntax, `IsEncrypted`, and the DTS
//! connection string that host.json points at (knowledge.md 3 and 3.1).

mod dts_string;

pub(crate) use dts_string::has_placeholder;

use crate::analysis::context::{AppContext, JsonFile};
use crate::analysis::{Sink, fixes};
use crate::app::WorkerRuntime;
use crate::edit::Fix;
use crate::edit::json::{NewValue, quote};
use crate::suggest::nearest;
use crate::syntax::jsonc::{JsonString, ValueKind};
use crate::text::{TextRange, starts_with_ignore_case};

/// The storage emulator's connection string.
const AZURITE: &str = "UseDevelopmentStorage=true";

/// The credential kinds the Durable Task SDK accepts (knowledge.md 3.1).
pub const AUTHENTICATION_KINDS: [&str; 10] = [
    "DefaultAzure",
    "ManagedIdentity",
    "WorkloadIdentity",
    "Environment",
    "AzureCLI",
    "AzurePowerShell",
    "VisualStudio",
    "VisualStudioCode",
    "InteractiveBrowser",
    "None",
];

/// The kind `value` names, ignoring case as the SDK does, in its spelling.
pub fn known_kind(value: &str) -> Option<&'static str> {
    AUTHENTICATION_KINDS.iter().find(|k| k.eq_ignore_ascii_case(value)).copied()
}

pub(crate) fn check(context: &AppContext<'_>, sink: &mut Sink) {
    let Some(local) = &context.local else { return };
    syntax(local, sink);
    is_encrypted(local, sink);
    values(context, local, sink);
    worker_runtime(context, local, sink);
    storage_account(context, local, sink);
    if let Some(connection) = context.dts_connection() {
        dts_string::check(context, local, &connection, sink);
        dts_string::hub_setting_placeholders(context, local, sink);
    }
    let durable = context.durable();
    if let Some(setting) = durable.connection_setting().filter(|_| durable.is_dts()) {
        // Sections are wrong whether or not the whole string is also there.
        dts_string::sections(context, local, &setting, sink);
    }
}

/// L003, L004: Values is read as string → string.
fn values(context: &AppContext<'_>, local: &JsonFile, sink: &mut Sink) {
    let Some(values) = context.local_values() else { return };
    for member in &values.members {
        let Some(value) = &member.value else { continue };
        let name = &member.key.value;
        match &value.kind {
            ValueKind::Object(_) | ValueKind::Array(_) => {
                sink.report(
                    "L003",
                    &local.path,
                    value.range,
                    format!("\"{name}\" holds {}: Values must map names to strings, and Core Tools drops the whole file (\"Failed to read app settings file\")", value.type_name()),
                );
            }
            ValueKind::Null => {
                // "null" would be a value nobody meant: the user says which.
                let index = fixes::index_of(values, member);
                sink.report(
                    "L004",
                    &local.path,
                    value.range,
                    format!("\"{name}\" is null: Values are strings; write the string you mean, or remove the setting"),
                )
                .fix(Some(fixes::remove(local, values, index, format!("Remove \"{name}\""))))
                .fix(Some(fixes::replace(local, value.range, "\"\"", "Write \"\" (empty)")));
            }
            ValueKind::Number(_) | ValueKind::Bool(_) => {
                let written = &local.text[value.range.start..value.range.end];
                // A number can be a secret too (a PIN, a numeric key).
                let shown = crate::analysis::secrets::mask_setting(name, written);
                sink.report(
                    "L004",
                    &local.path,
                    value.range,
                    format!("\"{name}\" is {} ({shown}): Values are strings; write \"{shown}\"", value.type_name()),
                )
                .fix(Some(
                    fixes::replace(local, value.range, quote(written), format!("Write \"{shown}\"")).preferred(),
                ));
            }
            _ => {}
        }
    }
}

/// L005, L006, L007: FUNCTIONS_WORKER_RUNTIME.
fn worker_runtime(context: &AppContext<'_>, local: &JsonFile, sink: &mut Sink) {
    if context.values_encrypted() {
        return; // the value is ciphertext
    }
    let Some(member) = context.value_setting("FUNCTIONS_WORKER_RUNTIME") else { return };
    let Some(value) = &member.value else { return };
    let Some(text) = value.as_str() else { return };
    let Some(declared) = WorkerRuntime::from_setting(text) else {
        let names = ["dotnet", "dotnet-isolated", "node", "python", "java", "powershell", "custom", "go"];
        let hint = nearest(text, &names, 3).map(|n| format!(" Did you mean \"{n}\"?")).unwrap_or_default();
        sink.report(
            "L005",
            &local.path,
            value.range,
            format!("\"{text}\" is not a worker runtime: use one of {}.{hint}", names.join(", ")),
        )
        .fix(
            nearest(text, &names, 3)
                .map(|n| fixes::replace(local, value.range, quote(n), format!("Use \"{n}\"")).preferred()),
        );
        return;
    };
    if declared == WorkerRuntime::DotnetInProcess && context.durable().is_dts() {
        sink.report(
            "L006",
            &local.path,
            value.range,
            "FUNCTIONS_WORKER_RUNTIME is \"dotnet\" (the in-process model), which is not a supported Durable Task Scheduler path and reached end of support on 2026-11-10: migrate to the isolated worker (dotnet-isolated)",
        );
    }
    if declared == WorkerRuntime::Custom {
        return;
    }
    if let Some(from_files) = context.runtime_from_files() {
        if from_files != declared {
            sink.report(
                "L007",
                &local.path,
                value.range,
                format!(
                    "FUNCTIONS_WORKER_RUNTIME is \"{}\", but the app's files say \"{}\"",
                    declared.setting_value(),
                    from_files.setting_value()
                ),
            )
            .fix(Some(
                fixes::replace(
                    local,
                    value.range,
                    quote(from_files.setting_value()),
                    format!("Set \"{}\"", from_files.setting_value()),
                )
                .preferred(),
            ));
        }
    }
}

/// L008, L009: AzureWebJobsStorage is still needed with DTS (knowledge.md 3).
fn storage_account(context: &AppContext<'_>, local: &JsonFile, sink: &mut Sink) {
    let Some(root) = context.local_root() else { return };
    let values = context.local_values();
    let identity_form = values
        .is_some_and(|v| v.members.iter().any(|m| starts_with_ignore_case(&m.key.value, "AzureWebJobsStorage__")));
    let in_connection_strings = root
        .object_ignore_case("ConnectionStrings")
        .is_some_and(|c| c.member_ignore_case("AzureWebJobsStorage").is_some());
    match context.value_setting("AzureWebJobsStorage") {
        Some(member) => {
            if let Some(value) = member.value.as_ref().filter(|v| v.as_str().is_some_and(|s| s.trim().is_empty())) {
                if !identity_form {
                    sink.report("L008", &local.path, value.range, "AzureWebJobsStorage is empty: the host needs a storage account even with the Durable Task Scheduler. Use \"UseDevelopmentStorage=true\" (Azurite) locally")
                        .fix(Some(fixes::replace(local, value.range, quote(AZURITE), "Use the storage emulator (Azurite)").preferred()));
                }
            }
        }
        None if !identity_form && !in_connection_strings => {
            let anchor = values.map_or(root.open(), |v| v.open());
            let fix = fixes::add_values(context, &[("AzureWebJobsStorage", AZURITE)]).map(|change| {
                Fix::new("Add \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\"", vec![change]).preferred()
            });
            sink.report("L008", &local.path, anchor, "No AzureWebJobsStorage: the host needs a storage account even with the Durable Task Scheduler. Add \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\" (Azurite)")
                .fix(fix);
        }
        None => {}
    }
    if let Some(credential) = values.and_then(|v| v.member_ignore_case("AzureWebJobsStorage__credential")) {
        sink.report(
            "L009",
            &local.path,
            credential.key.range,
            "AzureWebJobsStorage__credential (managed identity) should not be set for local development: there is no managed identity on a developer machine",
        )
        .fix(values.map(|v| fixes::remove(local, v, fixes::index_of(v, credential), "Remove AzureWebJobsStorage__credential").preferred()));
    }
}

/// L001: every syntax error; a root that is not an object.
fn syntax(local: &JsonFile, sink: &mut Sink) {
    let failure = "Core Tools ignores the whole file (\"Failed to read app settings file\")";
    for error in &local.document.errors {
        sink.report("L001", &local.path, error.range, format!("{}: {failure}", error.message));
    }
    if let Some(root) = local.document.root.as_ref().filter(|r| r.as_object().is_none()) {
        sink.report("L001", &local.path, root.range, format!("local.settings.json must be a JSON object: {failure}"));
    }
}

/// L002: a missing `IsEncrypted` reads as true. Core Tools binds the
/// property ignoring case, so `isEncrypted` counts.
fn is_encrypted(local: &JsonFile, sink: &mut Sink) {
    let Some(root) = local.document.root_object() else {
        return;
    };
    // A syntax error may have cost the tree the member: "missing" is said once it parses.
    if root.member_ignore_case("IsEncrypted").is_some() || !local.document.errors.is_empty() {
        return;
    }
    sink.report(
        "L002",
        &local.path,
        root.open(),
        "\"IsEncrypted\" is missing, so Core Tools reads the file as encrypted and fails with \"Failed to decrypt settings\": \
         add \"IsEncrypted\": false",
    )
    .fix(fixes::insert(local, root, 0, "IsEncrypted", NewValue::Literal("false".into()), "Add \"IsEncrypted\": false").map(Fix::preferred));
}

/// The text between a string's quotes; its opening quote when it is empty,
/// so the diagnostic is still visible.
fn whole_content(string: &JsonString) -> TextRange {
    if string.content().is_empty() { string.range } else { string.content() }
}
