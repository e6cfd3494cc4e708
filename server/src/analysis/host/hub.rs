//! The task hub name (H020–H025, H027; knowledge.md 2.3).

use crate::analysis::context::{
    AppContext, Backend, HUB_NAME_OVERRIDE, HUB_SETTING, HUB_SETTING_REF, JsonFile, unwrap_percent,
};
use crate::analysis::endpoint;
use crate::analysis::{Sink, fixes};
use crate::edit::json::{NewValue, quote};
use crate::edit::{FileChange, Fix};

pub(super) fn check(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let durable = context.durable();
    if durable.is_dts() {
        hub_name_present(context, host, sink);
    }
    let Some(value) = durable.hub_name().and_then(|m| m.value.as_ref()) else { return };
    let Some(text) = value.as_str() else { return };
    if text.is_empty() {
        sink.report(
            "H020",
            &host.path,
            value.range,
            "A non-empty HubName configuration is required: the host fails to start. Use \"%TASKHUB_NAME%\"",
        )
        .fix(Some(use_hub_setting(context, host, value.range, "Use \"%TASKHUB_NAME%\"")));
        return;
    }
    match unwrap_percent(text) {
        Some(setting) => setting_defined(context, host, value.range, setting, sink),
        None if text.contains('%') => {
            sink.report(
                "H024",
                &host.path,
                value.range,
                format!("Only a hubName that is wholly %NAME% is read from an app setting: \"{text}\" is used literally, % signs and all"),
            );
            return;
        }
        None => looks_like_a_setting(context, host, value.range, text, sink),
    }
    if let Some(resolved) = context.resolved_hub_name() {
        valid_for_backend(context, host, value.range, text, &resolved, sink);
        emulator_hub(context, host, value.range, &resolved, sink);
    }
}

/// H021: under DTS a missing hub name falls back to one the emulator lacks.
fn hub_name_present(context: &AppContext<'_>, host: &JsonFile, sink: &mut Sink) {
    let durable = context.durable();
    // An app setting can set the hub instead of host.json.
    if durable.hub_name().is_some() || context.value_setting(HUB_NAME_OVERRIDE).is_some() {
        return;
    }
    let Some(member) = durable.durable_task_member else { return };
    let fix = durable.durable_task.and_then(|object| {
        let host_fix = fixes::insert(host, object, 0, "hubName", NewValue::string(HUB_SETTING_REF), "")?;
        let (changes, complete) = with_hub_setting(context, host_fix.changes);
        let title = if context.value_setting(HUB_SETTING).is_some() || !complete {
            "Add \"hubName\": \"%TASKHUB_NAME%\""
        } else {
            "Add \"hubName\": \"%TASKHUB_NAME%\" and TASKHUB_NAME=default to local.settings.json"
        };
        let fix = Fix::new(title, changes);
        Some(if complete { fix.preferred() } else { fix })
    });
    sink.report(
        "H021",
        &host.path,
        member.key.range,
        "No hubName with the Durable Task Scheduler: the hub falls back to 'TestHubName', which the local emulator does not have \
         (it only has 'default'). Set \"hubName\": \"%TASKHUB_NAME%\"",
    )
    .fix(fix);
}

/// H023: a `%X%` hub name resolves only when X is an app setting; with any
/// backend an unresolved name stays literal and is no valid hub name.
fn setting_defined(
    context: &AppContext<'_>,
    host: &JsonFile,
    range: crate::text::TextRange,
    setting: &str,
    sink: &mut Sink,
) {
    if context.local_root().is_none() || context.value_setting(setting).is_some() {
        return;
    }
    let message = format!(
        "hubName reads the app setting '{setting}', which local.settings.json Values does not define: add \"{setting}\": \"default\" \
         (the emulator's hub) to Values"
    );
    let anchor = context.values_anchor();
    let fix = fixes::add_values(context, &[(setting, fixes::EMULATOR_HUB)]).map(|change| {
        Fix::new(format!("Add \"{setting}\": \"default\" to local.settings.json"), vec![change]).preferred()
    });
    let diagnostic = sink.report("H023", &host.path, range, message);
    diagnostic.fix(fix);
    if let Some((path, open)) = anchor {
        diagnostic.related(&path, open, format!("add \"{setting}\" to Values here"));
    }
}

/// H022: a setting name written without `%`, used literally as the hub name.
fn looks_like_a_setting(
    context: &AppContext<'_>,
    host: &JsonFile,
    range: crate::text::TextRange,
    text: &str,
    sink: &mut Sink,
) {
    let is_setting = context.value_setting(text).is_some();
    let shouts = text.contains('_') && !text.chars().any(char::is_lowercase);
    if is_setting || shouts {
        let why = if is_setting { "is the name of an app setting" } else { "looks like an app setting name" };
        sink.report(
            "H022",
            &host.path,
            range,
            format!("\"{text}\" {why}, but without % signs it is used literally as the hub name. Write \"%{text}%\""),
        )
        .fix(Some(fixes::replace(host, range, quote(&format!("%{text}%")), format!("Write \"%{text}%\"")).preferred()));
    }
}

/// H025: the name the backend will see breaks its naming rule.
fn valid_for_backend(
    context: &AppContext<'_>,
    host: &JsonFile,
    range: crate::text::TextRange,
    written: &str,
    resolved: &str,
    sink: &mut Sink,
) {
    let problem = match context.durable().backend {
        Some(Backend::AzureManaged) => dts_hub_name_check(resolved).err(),
        Some(Backend::AzureStorage) => {
            let ok = (3..=45).contains(&resolved.len())
                && resolved.chars().all(|c| c.is_ascii_alphanumeric())
                && resolved.starts_with(|c: char| c.is_ascii_alphabetic());
            (!ok).then_some("Azure Storage task hub names are 3 to 45 letters or digits, starting with a letter")
        }
        _ => None,
    };
    if let Some(problem) = problem {
        let shown = if written == resolved {
            format!("\"{resolved}\"")
        } else {
            format!("\"{}\" (from {written})", context.hub_name_shown(resolved))
        };
        sink.report("H025", &host.path, range, format!("The task hub name {shown} is not valid: {problem}"));
    }
}

/// H027: the local emulator only has the hub `default` (unless started with DTS_TASK_HUB_NAMES).
fn emulator_hub(
    context: &AppContext<'_>,
    host: &JsonFile,
    range: crate::text::TextRange,
    resolved: &str,
    sink: &mut Sink,
) {
    let Some(connection) = context.dts_connection() else { return };
    let Some(pair) = connection.parsed.get("Endpoint") else { return };
    if !endpoint::parse(&pair.value).is_ok_and(|e| e.is_local()) || resolved.eq_ignore_ascii_case("default") {
        return;
    }
    let resolved = context.hub_name_shown(resolved);
    sink.report(
        "H027",
        &host.path,
        range,
        format!(
            "The local emulator only has the task hub 'default' unless it is started with DTS_TASK_HUB_NAMES={resolved}: \
             with the hub '{resolved}' the app gets \"Task hub not found\""
        ),
    );
}

/// Replace the hub name with `%TASKHUB_NAME%` and define it locally as `default`.
fn use_hub_setting(context: &AppContext<'_>, host: &JsonFile, range: crate::text::TextRange, title: &str) -> Fix {
    let (changes, complete) =
        with_hub_setting(context, fixes::replace(host, range, quote(HUB_SETTING_REF), title).changes);
    let fix = Fix::new(title, changes);
    if complete { fix.preferred() } else { fix }
}

/// `changes` to host.json plus TASKHUB_NAME=default in local.settings.json,
/// and whether the app then defines TASKHUB_NAME. It does not when the
/// setting cannot be added (an encrypted or broken file): such a fix is
/// only half of one and is not preferred (`check --fix` and the switch
/// apply preferred fixes without asking).
fn with_hub_setting(context: &AppContext<'_>, mut changes: Vec<FileChange>) -> (Vec<FileChange>, bool) {
    let added = fixes::add_values(context, &[(HUB_SETTING, fixes::EMULATOR_HUB)]);
    let complete = added.is_some() || context.value_setting(HUB_SETTING).is_some();
    changes.extend(added);
    (changes, complete)
}

/// Whether a task hub name is one the Durable Task Scheduler accepts
/// (`^[a-zA-Z0-9-]{3,64}$`); H025's rule, and the CLI's `--hub`.
pub fn dts_hub_name_check(name: &str) -> Result<(), &'static str> {
    let ok = (3..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok { Ok(()) } else { Err("Durable Task Scheduler task hub names are 3 to 64 letters, digits or hyphens") }
}
