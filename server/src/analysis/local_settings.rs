//! Rules on local.settings.json (L…): syntax, `IsEncrypted`, and the DTS
//! connection string that host.json points at (knowledge.md 3 and 3.1).

use crate::analysis::Sink;
use crate::analysis::context::{AppContext, Backend, JsonFile};
use crate::analysis::suggest::nearest;
use crate::syntax::connection_string;
use crate::syntax::jsonc::JsonString;
use crate::text::TextRange;

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

pub(crate) fn check(context: &AppContext<'_>, sink: &mut Sink) {
    let Some(local) = &context.local else { return };
    syntax(local, sink);
    is_encrypted(local, sink);
    if context.durable().backend == Some(Backend::AzureManaged) {
        dts_connection_string(context, local, sink);
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
    if root.member_ignore_case("IsEncrypted").is_some() {
        return;
    }
    sink.report(
        "L002",
        &local.path,
        root.open,
        "\"IsEncrypted\" is missing, so Core Tools reads the file as encrypted and fails with \"Failed to decrypt settings\": \
         add \"IsEncrypted\": false",
    );
}

/// L010, L011, L014: the DTS connection string host.json names.
fn dts_connection_string(context: &AppContext<'_>, local: &JsonFile, sink: &mut Sink) {
    let Some(name) = context.durable().connection_setting() else {
        return;
    };
    let Some(entry) = context.setting(&name) else {
        return;
    };
    let Some(string) = entry.string else { return };
    let parsed = connection_string::parse(&string.value);
    let at = |range: TextRange| string.source_range(&local.text, range);

    for error in &parsed.errors {
        sink.report(
            "L010",
            &local.path,
            at(error.range),
            format!("Malformed DTS connection string in '{name}': {}", error.message),
        );
    }
    if parsed.get("Endpoint").is_none() {
        sink.report(
            "L011",
            &local.path,
            whole_content(string),
            format!(
                "The DTS connection string in '{name}' has no Endpoint: the app fails with \"Value cannot be null. (Parameter 'Endpoint')\". \
                 Add Endpoint=http://localhost:8080 for the emulator"
            ),
        );
    }
    if let Some(auth) = parsed.get("Authentication") {
        let value = auth.value.as_str();
        if !AUTHENTICATION_KINDS.iter().any(|kind| kind.eq_ignore_ascii_case(value)) {
            let suggestion = if value.eq_ignore_ascii_case("MSI") {
                Some("ManagedIdentity")
            } else {
                nearest(value, &AUTHENTICATION_KINDS, 2)
            };
            let hint = suggestion.map(|s| format!(" Did you mean {s}?")).unwrap_or_default();
            let range = if auth.value_range.is_empty() { auth.range } else { auth.value_range };
            sink.report(
                "L014",
                &local.path,
                at(range),
                format!(
                    "The connection string contains an unsupported authentication type '{value}': use one of {}.{hint}",
                    AUTHENTICATION_KINDS.join(", ")
                ),
            );
        }
    }
}

/// The text between a string's quotes; its opening quote when it is empty,
/// so the diagnostic is still visible.
fn whole_content(string: &JsonString) -> TextRange {
    if string.content.is_empty() { string.range } else { string.content }
}
