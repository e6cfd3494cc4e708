//! The DTS connection string (L010–L025, knowledge.md 3.1). Every
//! diagnostic points at the key or value inside the JSON string.

use crate::analysis::context::{AppContext, DtsConnection, JsonFile, unwrap_percent};
use crate::analysis::endpoint;
use crate::analysis::{Sink, fixes};
use crate::edit::{FileChange, Fix, TextEdit};
use crate::suggest::nearest;
use crate::syntax::connection_string::Pair;
use crate::text::TextRange;

use super::{AUTHENTICATION_KINDS, known_kind, whole_content};

const KNOWN_KEYS: [&str; 9] = [
    "Endpoint",
    "Authentication",
    "ClientID",
    "TaskHub",
    "TenantId",
    "AdditionallyAllowedTenants",
    "TokenFilePath",
    "ResourceId",
    "AuthorityHost",
];

struct Place<'a> {
    local: &'a JsonFile,
    connection: &'a DtsConnection<'a>,
}

impl Place<'_> {
    /// A range of the decoded string, in the JSON source.
    fn at(&self, range: TextRange) -> TextRange {
        self.connection.string.source_range(&self.local.text, range)
    }

    /// A pair's value, or the pair itself when the value is empty.
    fn value(&self, pair: &Pair) -> TextRange {
        self.at(if pair.value_range.is_empty() { pair.range } else { pair.value_range })
    }

    /// A fix that rewrites part of the decoded string.
    fn rewrite(&self, decoded: TextRange, new_text: &str, title: impl Into<String>) -> Fix {
        fixes::in_string(self.local, self.connection.string, decoded, new_text, title)
    }

    /// A fix that sets a pair's value.
    fn set_value(&self, pair: &Pair, new_value: &str) -> Fix {
        self.set_value_shown(pair, new_value, new_value)
    }

    /// [`Self::set_value`], its title showing the value as `shown` (a value
    /// read from a secret's setting is not shown).
    fn set_value_shown(&self, pair: &Pair, new_value: &str, shown: &str) -> Fix {
        let target =
            if pair.value_range.is_empty() { TextRange::empty(pair.value_range.start) } else { pair.value_range };
        self.rewrite(target, new_value, format!("Set {}={shown}", pair.key)).preferred()
    }

    /// A fix that removes a pair and one `;` next to it.
    fn remove_pair(&self, pair: &Pair, title: impl Into<String>) -> Fix {
        let range = crate::edit::list_item_with_separator(&self.connection.string.value, pair.range);
        self.rewrite(range, "", title)
    }

    /// A fix that adds `key=value` at the end of the string.
    fn append(&self, key: &str, value: &str) -> Fix {
        let text = &self.connection.string.value;
        let trimmed = text.trim_end();
        let separator = if trimmed.is_empty() || trimmed.ends_with(';') { "" } else { ";" };
        let at = TextRange::empty(trimmed.len());
        self.rewrite(at, &format!("{separator}{key}={value}"), format!("Add {key}={value}")).preferred()
    }
}

pub(super) fn check(context: &AppContext<'_>, local: &JsonFile, connection: &DtsConnection<'_>, sink: &mut Sink) {
    let place = Place { local, connection };
    let parsed = &connection.parsed;
    let name = &connection.setting;
    for error in &parsed.errors {
        sink.report(
            "L010",
            &local.path,
            place.at(error.range),
            format!("Malformed DTS connection string in '{name}': {}", error.message),
        );
    }
    placeholders(&place, sink);
    keys(&place, sink);

    let endpoint = parsed.get("Endpoint");
    let parsed_endpoint = endpoint.map(|pair| (pair, endpoint::parse(&pair.value)));
    match &parsed_endpoint {
        None => {
            sink.report(
                "L011",
                &local.path,
                whole_content(connection.string),
                format!(
                    "The DTS connection string in '{name}' has no Endpoint: the app fails with \"Value cannot be null. (Parameter 'Endpoint')\". \
                     Add Endpoint=http://localhost:8080 for the emulator"
                ),
            )
            .fix(Some(place.rewrite(TextRange::empty(0), "Endpoint=http://localhost:8080;", "Add Endpoint=http://localhost:8080 (the emulator)").preferred()));
        }
        Some((pair, Err(why))) if !has_placeholder(&pair.value) => {
            sink.report(
                "L012",
                &local.path,
                place.value(pair),
                format!("Endpoint \"{}\" is not a URL: {why}", pair.value),
            );
        }
        Some((pair, Ok(url))) => {
            if url.is_http() && !url.is_local() {
                sink.report(
                    "L016",
                    &local.path,
                    place.value(pair),
                    "An http:// endpoint that is not local: the channel to the scheduler is not encrypted. Use https://",
                )
                .fix(url.scheme.map(|scheme| {
                    let start = pair.value_range.start + usize::from(pair.value.starts_with(['"', '\'']));
                    place.rewrite(TextRange::new(start, start + scheme.len()), "https", "Use https://").preferred()
                }));
            }
            if url.is_local() && url.port == Some(8082) {
                let range = url.port_offset.map_or(place.value(pair), |offset| {
                    let start = pair.value_range.start + offset;
                    place.at(TextRange::new(start, start + 4))
                });
                sink.report(
                    "L018",
                    &local.path,
                    range,
                    "Port 8082 is the emulator's dashboard; its gRPC endpoint, which the app must use, is port 8080",
                )
                .fix(url.port_offset.map(|offset| {
                    let start = pair.value_range.start + offset;
                    place.rewrite(TextRange::new(start, start + 4), "8080", "Use port 8080 (gRPC)").preferred()
                }));
            }
        }
        Some(_) => {}
    }
    let local_endpoint = parsed_endpoint.as_ref().is_some_and(|(_, url)| url.as_ref().is_ok_and(|u| u.is_local()));
    let known_endpoint = parsed_endpoint.as_ref().is_some_and(|(_, url)| url.is_ok());

    let authentication = parsed.get("Authentication");
    let kind = match authentication {
        None => {
            sink.report(
                "L013",
                &local.path,
                whole_content(connection.string),
                format!(
                    "The DTS connection string in '{name}' has no Authentication: add Authentication={}",
                    if local_endpoint { "None (the emulator)" } else { "DefaultAzure" }
                ),
            )
            .fix(Some(add_authentication(&place, if local_endpoint { "None" } else { "DefaultAzure" })));
            None
        }
        Some(pair) => authentication_kind(&place, pair, local_endpoint, sink),
    };
    if let (Some(kind), Some(pair)) = (kind, authentication) {
        if kind == "None" && known_endpoint && !local_endpoint {
            sink.report(
                "L015",
                &local.path,
                place.value(pair),
                "Authentication=None with a cloud endpoint: schedulers in Azure accept identities only. Use DefaultAzure locally",
            )
            .fix(Some(place.set_value(pair, "DefaultAzure")));
        }
        if kind == "ManagedIdentity" || kind == "WorkloadIdentity" {
            sink.report(
                "L017",
                &local.path,
                place.value(pair),
                format!("{kind} in local.settings.json: there is no managed identity on a developer machine. Use DefaultAzure (or None with the emulator)"),
            )
            .fix(Some(switch_kind(&place, pair, if local_endpoint { "None" } else { "DefaultAzure" })));
        }
        ignored_identity_keys(&place, kind, sink);
    }
    if let Some(pair) = parsed.get("AuthorityHost") {
        if !pair.value.to_ascii_lowercase().starts_with("https://") || endpoint::parse(&pair.value).is_err() {
            sink.report(
                "L023",
                &local.path,
                place.value(pair),
                format!("AuthorityHost \"{}\" must be an absolute https:// URL", pair.value),
            );
        }
    }
    if let (Some(pair), Some(hub)) = (parsed.get("TaskHub"), context.resolved_hub_name()) {
        if !pair.value.eq_ignore_ascii_case(&hub) {
            sink.report(
                "L024",
                &local.path,
                place.value(pair),
                format!(
                    "TaskHub={} is not used: host.json's hub name '{}' wins over the connection string",
                    pair.value,
                    context.hub_name_shown(&hub)
                ),
            )
            .fix(Some(place.set_value_shown(pair, &hub, context.hub_name_shown(&hub))));
        }
    }
}

/// L013's fix: `Authentication=kind` where a bare `Authentication` segment
/// (L010: no `=`) stands, else at the end.
fn add_authentication(place: &Place<'_>, kind: &str) -> Fix {
    let text = &place.connection.string.value;
    let bare = place.connection.parsed.errors.iter().find(|error| {
        text.get(error.range.start..error.range.end).is_some_and(|t| t.trim().eq_ignore_ascii_case("Authentication"))
    });
    match bare {
        Some(error) => place
            .rewrite(error.range, &format!("Authentication={kind}"), format!("Set Authentication={kind}"))
            .preferred(),
        None => place.append("Authentication", kind),
    }
}

/// L014, and the canonical spelling of a valid kind.
fn authentication_kind(place: &Place<'_>, pair: &Pair, local_endpoint: bool, sink: &mut Sink) -> Option<&'static str> {
    let value = pair.value.as_str();
    if let Some(kind) = known_kind(value) {
        return Some(kind);
    }
    let suggestion = meant_kind(value);
    // The nearest kind may be an identity, which a developer machine does
    // not have (L017): then what works here is the preferred fix, and the
    // nearest kind a second one.
    let identity = suggestion.filter(|s| matches!(*s, "ManagedIdentity" | "WorkloadIdentity"));
    let works_here = if local_endpoint { "None" } else { "DefaultAzure" };
    let hint = match (suggestion, identity) {
        (Some(s), Some(_)) => {
            format!(" Did you mean {s}? There is no managed identity on a developer machine: {works_here} works here.")
        }
        (Some(s), None) => format!(" Did you mean {s}?"),
        (None, _) => String::new(),
    };
    let diagnostic = sink.report(
        "L014",
        &place.local.path,
        place.value(pair),
        format!(
            "The connection string contains an unsupported authentication type '{value}': use one of {}.{hint}",
            AUTHENTICATION_KINDS.join(", ")
        ),
    );
    match identity {
        Some(nearest) => {
            let mut second = place.set_value(pair, nearest);
            second.preferred = false;
            diagnostic.fix(Some(place.set_value(pair, works_here))).fix(Some(second));
        }
        None => {
            diagnostic.fix(suggestion.map(|s| place.set_value(pair, s)));
        }
    }
    None
}

/// The credential kind an unsupported `Authentication` value most likely
/// means: `MSI`'s; the kind of an Azure.Identity class name
/// (`DefaultAzureCredential`); the one kind it is the start of (`Default`,
/// `Managed`); else the nearest within two edits (`Managed Identity`).
fn meant_kind(value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("MSI") {
        return Some("ManagedIdentity");
    }
    let class = value
        .len()
        .checked_sub("Credential".len())
        .filter(|&at| value.is_char_boundary(at) && value[at..].eq_ignore_ascii_case("Credential"));
    if let Some(kind) = class.and_then(|at| known_kind(&value[..at])) {
        return Some(kind);
    }
    let mut started =
        AUTHENTICATION_KINDS.iter().filter(|k| value.len() >= 3 && crate::text::starts_with_ignore_case(k, value));
    match (started.next(), started.next()) {
        (Some(kind), None) => Some(kind),
        _ => nearest(value, &AUTHENTICATION_KINDS, 2),
    }
}

/// Whether a credential of `kind` ignores the pair's key (L019).
fn ignores(kind: &str, key: &str) -> bool {
    match key.to_ascii_lowercase().as_str() {
        "clientid" => !matches!(kind, "ManagedIdentity" | "WorkloadIdentity" | "DefaultAzure"),
        "tenantid" | "additionallyallowedtenants" => kind != "WorkloadIdentity",
        "tokenfilepath" => true,
        _ => false,
    }
}

/// L017's fix: Authentication set to `kind`, and the identity keys that
/// `kind` ignores and the old kind read removed with it in one edit (else
/// the fix would leave L019 behind). TokenFilePath, ignored by every kind,
/// is L019's own business.
fn switch_kind(place: &Place<'_>, pair: &Pair, kind: &str) -> Fix {
    let mut fix = place.set_value(pair, kind);
    // Kinds are read ignoring case: `workloadidentity` is WorkloadIdentity.
    let old = known_kind(pair.value.trim()).unwrap_or(pair.value.trim());
    let dropped: Vec<&Pair> =
        place.connection.parsed.pairs.iter().filter(|p| ignores(kind, &p.key) && !ignores(old, &p.key)).collect();
    let extra: Vec<TextEdit> = dropped
        .iter()
        .flat_map(|p| place.remove_pair(p, "").changes)
        .flat_map(|change| match change {
            FileChange::Edit { edits, .. } => edits,
            FileChange::Create { .. } => Vec::new(),
        })
        .collect();
    if let Some(FileChange::Edit { edits, .. }) = fix.changes.first_mut() {
        if !dropped.is_empty() {
            let names: Vec<&str> = dropped.iter().map(|p| p.key.as_str()).collect();
            fix.title = format!("{} and remove {}", fix.title, names.join(", "));
        }
        edits.extend(extra);
    }
    fix
}

/// L019: identity keys the chosen credential never reads.
fn ignored_identity_keys(place: &Place<'_>, kind: &str, sink: &mut Sink) {
    for pair in &place.connection.parsed.pairs {
        if ignores(kind, &pair.key) {
            sink.report(
                "L019",
                &place.local.path,
                place.at(pair.key_range),
                format!("{} is ignored with Authentication={kind}: remove it", pair.key),
            )
            .fix(Some(place.remove_pair(pair, format!("Remove {}", pair.key)).preferred()));
        }
    }
}

/// L021, L022: unknown and repeated keys.
fn keys(place: &Place<'_>, sink: &mut Sink) {
    let pairs = &place.connection.parsed.pairs;
    for (index, pair) in pairs.iter().enumerate() {
        if !KNOWN_KEYS.iter().any(|k| k.eq_ignore_ascii_case(&pair.key)) {
            match nearest(&pair.key, &KNOWN_KEYS, 2) {
                Some(near) => {
                    let message =
                        format!("Unknown key '{}' in the DTS connection string. Did you mean {near}?", pair.key);
                    let diagnostic = sink.report("L021", &place.local.path, place.at(pair.key_range), message);
                    diagnostic.severity = crate::analysis::Severity::Warning;
                    diagnostic.fix(Some(place.rewrite(pair.key_range, near, format!("Rename to {near}")).preferred()));
                }
                None => {
                    let message = format!("Unknown key '{}' in the DTS connection string: it is not read", pair.key);
                    sink.report("L021", &place.local.path, place.at(pair.key_range), message);
                }
            }
        }
        if pairs[index + 1..].iter().any(|later| later.key.eq_ignore_ascii_case(&pair.key)) {
            sink.report(
                "L022",
                &place.local.path,
                place.at(pair.key_range),
                format!("{} is given again later in the string, and the last one wins: remove this one", pair.key),
            )
            .fix(Some(place.remove_pair(pair, format!("Remove this {}", pair.key)).preferred()));
        }
    }
}

/// `{…}` and `<…>` spans: template text someone forgot to replace.
/// Does `text` hold a placeholder (`{DTS URL}`, `<TASKHUB NAME>`, L020)?
pub(crate) fn has_placeholder(text: &str) -> bool {
    placeholder_ranges(text).next().is_some()
}

fn placeholder_ranges(text: &str) -> impl Iterator<Item = TextRange> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while from < text.len() {
            let rest = &text[from..];
            let open = rest.find(['{', '<'])?;
            let close_char = if rest.as_bytes()[open] == b'{' { '}' } else { '>' };
            let start = from + open;
            match text[start + 1..].find(close_char) {
                Some(length) => {
                    from = start + 1 + length + 1;
                    return Some(TextRange::new(start, from));
                }
                None => from = start + 1,
            }
        }
        None
    })
}

/// L020: placeholders in the string or in the hub-name setting; a ClientID that is no GUID.
fn placeholders(place: &Place<'_>, sink: &mut Sink) {
    for range in placeholder_ranges(&place.connection.string.value) {
        let shown = &place.connection.string.value[range.start..range.end];
        sink.report(
            "L020",
            &place.local.path,
            place.at(range),
            format!("{shown} is a placeholder: replace it with the real value"),
        );
    }
    if let Some(pair) = place.connection.parsed.get("ClientID") {
        if !is_guid(&pair.value) && !has_placeholder(&pair.value) {
            sink.report(
                "L020",
                &place.local.path,
                place.value(pair),
                format!("ClientID \"{}\" is not a GUID: it must be the identity's client id", pair.value),
            );
        }
    }
}

/// L020 for the hub-name setting, called with the app context.
pub(super) fn hub_setting_placeholders(context: &AppContext<'_>, local: &JsonFile, sink: &mut Sink) {
    if context.values_encrypted() {
        return; // the value is ciphertext
    }
    let Some(hub) = context.durable().hub_text() else {
        return;
    };
    let Some(setting) = unwrap_percent(hub) else { return };
    let Some(string) = context.value_setting(setting).and_then(|m| m.value.as_ref()).and_then(|v| v.as_string()) else {
        return;
    };
    for range in placeholder_ranges(&string.value) {
        let shown = &string.value[range.start..range.end];
        sink.report(
            "L020",
            &local.path,
            string.source_range(&local.text, range),
            format!("{shown} is a placeholder in the hub name setting '{setting}': replace it with the hub's name"),
        );
    }
}

fn is_guid(text: &str) -> bool {
    let text = text.trim().trim_start_matches('{').trim_end_matches('}');
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// L025: `NAME__endpoint`-style keys: DTS reads one whole connection string.
pub(super) fn sections(context: &AppContext<'_>, local: &JsonFile, name: &str, sink: &mut Sink) {
    let Some(values) = context.local_values() else { return };
    let prefix = format!("{name}__");
    let is_section = |key: &str| key.len() > prefix.len() && crate::text::starts_with_ignore_case(key, &prefix);
    let indices: Vec<usize> =
        values.members.iter().enumerate().filter(|(_, m)| is_section(&m.key.value)).map(|(i, _)| i).collect();
    if indices.is_empty() {
        return;
    }
    let fix = collapse(context, local, values, &indices, name, prefix.len());
    for &index in &indices {
        let member = &values.members[index];
        let key = &member.key.value;
        sink.report(
            "L025",
            &local.path,
            member.key.range,
            format!("{key}: the Durable Task Scheduler does not read a connection written as sections; it reads the whole string in '{name}'"),
        )
        .fix(fix.clone());
    }
}

/// L025's fix: the sections become one connection string in `name` (when
/// it is not there yet) and the section keys go.
fn collapse(
    context: &AppContext<'_>,
    local: &JsonFile,
    values: &crate::syntax::jsonc::Object,
    indices: &[usize],
    name: &str,
    prefix: usize,
) -> Option<Fix> {
    let editor = crate::edit::json::JsonEditor::new(&local.text, &local.document);
    if context.value_setting(name).is_some() {
        let edits = editor.remove_members(values, indices);
        return Some(
            fixes::json_fix(local, format!("Remove the sections of '{name}', which is set"), edits).preferred(),
        );
    }
    let mut pairs = Vec::new();
    for &index in indices {
        let member = &values.members[index];
        let Some(value) = member.value.as_ref().and_then(|v| v.as_str()) else { continue };
        let pair = match member.key.value[prefix..].to_ascii_lowercase().as_str() {
            "endpoint" => format!("Endpoint={value}"),
            "clientid" => format!("ClientID={value}"),
            // `managedidentity` (the Azure Storage form's one value), or a
            // credential kind the DTS string knows (`none`): its spelling there.
            "credential" => match known_kind(value) {
                Some(kind) => format!("Authentication={kind}"),
                None => continue,
            },
            // Not a section any SDK reads, but what the key says (seen in samples).
            "authentication" => format!("Authentication={value}"),
            "taskhub" => format!("TaskHub={value}"),
            _ => continue,
        };
        pairs.push(pair);
    }
    let endpoint = pairs.iter().find_map(|p| p.strip_prefix("Endpoint="))?;
    if !pairs.iter().any(|p| p.starts_with("Authentication=")) {
        // What works here, as L013's fix: the emulator takes no credential.
        let local = endpoint::parse(endpoint).is_ok_and(|url| url.is_local());
        pairs.push(format!("Authentication={}", if local { "None" } else { "DefaultAzure" }));
    }
    // The first section becomes the setting, in its place (so no comma
    // moves: removing the last members and inserting before them would
    // both touch the comma before them); the others go.
    let first = &values.members[indices[0]];
    let first_value = first.value.as_ref()?;
    let mut edits = editor.remove_members(values, &indices[1..]);
    edits.push(editor.rename_key(first, name));
    edits.push(editor.replace(first_value.range, crate::edit::json::quote(&pairs.join(";"))));
    Some(fixes::json_fix(local, format!("Collapse into one connection string in '{name}'"), edits).preferred())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_guids() {
        let found: Vec<_> = placeholder_ranges("Endpoint={DTS URL};TaskHub=<TASKHUB NAME>;x=a{b").collect();
        assert_eq!(found, [TextRange::new(9, 18), TextRange::new(27, 41)]);
        assert!(is_guid("00000000-1111-2222-3333-444444444444"));
        assert!(!is_guid("my-client"));
    }

    #[test]
    fn meant_kinds() {
        assert_eq!(meant_kind("MSI"), Some("ManagedIdentity"));
        assert_eq!(meant_kind("Default"), Some("DefaultAzure"));
        assert_eq!(meant_kind("managed"), Some("ManagedIdentity"));
        assert_eq!(meant_kind("DefaultAzureCredential"), Some("DefaultAzure"));
        assert_eq!(meant_kind("AzureCliCredential"), Some("AzureCLI"));
        assert_eq!(meant_kind("Managed Identity"), Some("ManagedIdentity"));
        assert_eq!(meant_kind("Visual"), None, "the start of two kinds");
        assert_eq!(meant_kind("No"), Some("None"), "within two edits");
        assert_eq!(meant_kind("Credential"), None);
        assert_eq!(meant_kind("éCredential"), None);
    }
}
