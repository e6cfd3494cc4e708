//! Hover: what a key or value does, its default, which backend reads it and
//! the source; for a setting name, the value it resolves to (secrets
//! masked); for a package, the newest known and minimum versions.

use std::path::Path;

use crate::analysis::context::{AppContext, unwrap_percent};
use crate::analysis::keys::{self, Section};
use crate::analysis::packages;
use crate::app::{FileKind, FileSystem};
use crate::ide::{DTS_KEYS, Hover, Scope, authentication_doc, query};
use crate::syntax::jsonc::{JsonDocument, JsonString};
use crate::syntax::xml;

pub fn hover(fs: &dyn FileSystem, path: &Path, offset: usize) -> Option<Hover> {
    let scope = Scope::new(fs, path)?;
    let context = scope.context(fs);
    match scope.kind {
        FileKind::HostJson => host_json(scope.json(), &scope.text, offset, context.as_ref()),
        FileKind::LocalSettings => local_settings(scope.json(), &scope.text, offset, context.as_ref()),
        FileKind::Project | FileKind::PackagesProps => project(fs, &scope.text, offset, context.as_ref(), path),
    }
}

fn section_of(path: &[String]) -> Option<Section> {
    let lower: Vec<String> = path.iter().map(|k| k.to_ascii_lowercase()).collect();
    match lower.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["extensions", "durabletask", _] => Some(Section::DurableTask),
        ["extensions", "durabletask", "storageprovider", _] => Some(Section::StorageProvider),
        _ => None,
    }
}

/// What a setting resolves to in local.settings.json, masked.
fn setting_markdown(context: Option<&AppContext<'_>>, name: &str) -> String {
    match context.and_then(|c| c.setting(name)) {
        Some(entry) => match entry.string {
            Some(value) => format!(
                "`{name}` = `{}` (local.settings.json)",
                crate::analysis::secrets::mask_setting(name, &value.value)
            ),
            None => format!("`{name}` is in local.settings.json, but not as a string"),
        },
        None if context.is_some_and(|c| c.local.is_some()) => format!("`{name}` is not defined in local.settings.json"),
        None => format!("`{name}`: no local.settings.json to resolve it from"),
    }
}

fn host_json(doc: &JsonDocument, text: &str, offset: usize, context: Option<&AppContext<'_>>) -> Option<Hover> {
    let (path, member, on_key) = query::member_at(doc, text, offset)?;
    let range = if on_key { member.key.range } else { member.value.as_ref().map_or(member.key.range, |v| v.range) };
    let name = member.key.value.as_str();
    let section = section_of(&path);
    let known = section.and_then(|s| keys::known(s, name));
    let value = member.value.as_ref().and_then(|v| v.as_str());
    if !on_key {
        let lower = name.to_ascii_lowercase();
        if section == Some(Section::StorageProvider) && (lower == "connectionname" || lower == "connectionstringname") {
            let setting = value.map(|v| unwrap_percent(v).unwrap_or(v))?;
            return Some(Hover { markdown: setting_markdown(context, setting), range });
        }
        if section == Some(Section::DurableTask) && lower == "hubname" {
            if let Some(setting) = value.and_then(unwrap_percent) {
                return Some(Hover { markdown: setting_markdown(context, setting), range });
            }
        }
        if section == Some(Section::StorageProvider) && name == "type" {
            let about = match value.map(str::to_ascii_lowercase).as_deref() {
                Some("azuremanaged") => {
                    "The **Durable Task Scheduler**: a managed backend. Needs the AzureManaged package (worker package for .NET isolated, an extension bundle ≥ 4.30.0 or the WebJobs package otherwise) and a connection string setting."
                }
                Some("azurestorage") => {
                    "**Azure Storage**, the default backend: queues, tables and blobs in the AzureWebJobsStorage account."
                }
                Some("mssql") => "**MSSQL**: Microsoft SQL Server backend.",
                Some("netherite") => "**Netherite**: Event Hubs + Azure Storage backend.",
                _ => {
                    "Not a storage provider the Durable extension registers: AzureStorage, AzureManaged, mssql or Netherite."
                }
            };
            return Some(Hover { markdown: about.to_string(), range });
        }
    }
    if let Some(key) = known {
        // `Type` is not `type` (knowledge.md 2.2: read case-sensitively, inferred).
        let ignored = if section == Some(Section::StorageProvider) && key.name == "type" && name != "type" {
            format!(
                "⚠ `{name}` is not `type`: the key is read case-sensitively, so this one is probably ignored and the app stays on Azure Storage (H005).\n\n"
            )
        } else {
            String::new()
        };
        return Some(Hover { markdown: format!("{ignored}**{}**\n\n{}", key.name, key.markdown()), range });
    }
    let about = match (path.len(), name.to_ascii_lowercase().as_str()) {
        (1, "version") => {
            "Required, and must be the **string** `\"2.0\"`: without it the host stops (\"The host.json file is missing the required 'version' property\"); any other value is invalid."
        }
        (1, "extensions") => "Settings of the extensions the host loads; `durableTask` configures Durable Functions.",
        (1, "extensionbundle") => {
            "The extension bundle a non-.NET app loads its extensions from (`id`, `version` range). The Durable Task Scheduler is in the GA bundle from 4.30.0 (`[4.*, 5.0.0)` floats to it); no 2.x or 3.x bundle has it. .NET apps ignore bundles."
        }
        (2, "id" | "version") if path[0].eq_ignore_ascii_case("extensionbundle") && !on_key => {
            return bundle_hover(value, name, range);
        }
        (2, "durabletask") if path[0].eq_ignore_ascii_case("extensions") => {
            "**Durable Functions**: the task hub, the storage provider (`storageProvider.type`: `azureManaged` for the Durable Task Scheduler), concurrency and versioning."
        }
        _ => return None,
    };
    Some(Hover { markdown: about.to_string(), range })
}

/// A bundle's id or version range: which bundles carry the Durable Task
/// Scheduler, from which version, and whether this range gets there
/// (knowledge.md 2.1).
fn bundle_hover(value: Option<&str>, name: &str, range: crate::text::TextRange) -> Option<Hover> {
    use crate::analysis::host::BUNDLES_WITH_DTS;
    use crate::analysis::nuget::{Version, VersionRange};
    let first = |id: &str| {
        BUNDLES_WITH_DTS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(id))
            .map(|(_, (a, b, c))| Version::new(*a, *b, *c))
    };
    let markdown = if name.eq_ignore_ascii_case("id") {
        let id = value?;
        match first(id) {
            Some(version) => format!("`{id}`: has the Durable Task Scheduler from {version}."),
            None => format!(
                "`{id}` is not a bundle known to carry the Durable Task Scheduler: {}.",
                BUNDLES_WITH_DTS.iter().map(|(id, _)| format!("`{id}`")).collect::<Vec<_>>().join(", ")
            ),
        }
    } else {
        let written = value?;
        let ga = first(crate::analysis::host::GA_BUNDLE)?;
        match VersionRange::parse(written) {
            Some(parsed) if parsed.can_reach(&ga) => format!(
                "`{written}`: the host loads the newest bundle in this range, which reaches {ga}, the first GA bundle with the Durable Task Scheduler."
            ),
            Some(_) => format!(
                "`{written}` stays below {ga}, the first GA bundle with the Durable Task Scheduler: `{}` gets there.",
                crate::analysis::host::DTS_RANGE
            ),
            None => format!("`{written}` is not a NuGet version range (`[4.*, 5.0.0)` is one)."),
        }
    };
    Some(Hover { markdown, range })
}

/// What the well-known keys of local.settings.json mean (knowledge.md 3);
/// `parent` is the path of the object the key is in.
fn local_key_doc(parent: &[String], name: &str) -> Option<&'static str> {
    let top = parent.is_empty();
    let in_values = parent.len() == 1 && parent[0].eq_ignore_ascii_case("values");
    Some(match name.to_ascii_lowercase().as_str() {
        "isencrypted" if top => {
            "Whether `Values` are encrypted. **Missing means `true`**: plain values then fail to decrypt. Write `\"IsEncrypted\": false`."
        }
        "values" if top => {
            "App settings as string → string. An object or array value makes Core Tools drop the whole file; numbers and booleans should be strings."
        }
        "connectionstrings" if top => {
            "Connection strings (a string, or `{ConnectionString, ProviderName}`). A connection setting is looked up here before `Values`."
        }
        "host" if top => "Core Tools' local host: `LocalHttpPort`, `CORS`, `CORSCredentials`.",
        "functions_worker_runtime" if in_values => {
            "The language worker: `dotnet-isolated`, `node`, `python`, `java`, `powershell`, `custom`, `go`, or `dotnet` (in-process, not a supported path to the Durable Task Scheduler)."
        }
        "azurewebjobsstorage" if in_values => {
            "The host's storage account, still needed with the Durable Task Scheduler (host internals; large payloads). Locally `UseDevelopmentStorage=true` (Azurite)."
        }
        _ => return None,
    })
}

fn local_settings(doc: &JsonDocument, text: &str, offset: usize, context: Option<&AppContext<'_>>) -> Option<Hover> {
    let (path, member, on_key) = query::member_at(doc, text, offset)?;
    let name = member.key.value.as_str();
    let mut lines = Vec::new();
    if on_key {
        lines.extend(local_key_doc(&path[..path.len() - 1], name).map(str::to_string));
    }
    let in_values = path.len() == 2 && ["values", "connectionstrings"].contains(&path[0].to_ascii_lowercase().as_str());
    if !in_values {
        let range = member.key.range;
        return (!lines.is_empty()).then(|| Hover { markdown: lines.join("\n\n"), range });
    }
    if let Some(context) = context {
        let durable = context.durable();
        if durable.is_dts() && durable.connection_setting().is_some_and(|s| s.eq_ignore_ascii_case(name)) {
            lines.push("host.json reads this as the **Durable Task Scheduler connection string**.".to_string());
        }
        if durable.hub_setting().is_some_and(|h| h.eq_ignore_ascii_case(name)) {
            lines.push("host.json reads this as the **task hub name** (`hubName`).".to_string());
        }
    }
    if !on_key {
        // In the DTS connection string: the pair at the cursor.
        let is_dts = context.is_some_and(|c| {
            c.durable().is_dts() && c.durable().connection_setting().is_some_and(|s| s.eq_ignore_ascii_case(name))
        });
        if let (true, query::JsonCursor::Value { value: Some(value), in_string: Some(decoded), .. }) =
            (is_dts, query::at(doc, text, offset))
        {
            if let Some(hover) = value.as_string().and_then(|string| connection_pair(string, text, decoded)) {
                return Some(hover);
            }
        }
        if let Some(value) = member.value.as_ref().and_then(|v| v.as_str()) {
            lines.push(format!("Value: `{}`", crate::analysis::secrets::mask_setting(name, value)));
        }
    }
    if lines.is_empty() {
        return None;
    }
    let range = if on_key { member.key.range } else { member.value.as_ref().map_or(member.key.range, |v| v.range) };
    Some(Hover { markdown: lines.join("\n\n"), range })
}

/// The pair of a DTS connection string at `decoded` (an offset in the
/// decoded string): what its key is for, and what an Authentication kind
/// is. Values are not shown (a secret may be among them).
fn connection_pair(string: &JsonString, text: &str, decoded: usize) -> Option<Hover> {
    let parsed = crate::syntax::connection_string::parse(&string.value);
    let pair = parsed.pairs.iter().find(|p| p.range.start <= decoded && decoded <= p.range.end)?;
    let key = pair.key.trim();
    let (known, about) = DTS_KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).copied()?;
    let mut markdown = format!("**{known}** — {about}");
    if known == "Authentication" {
        let value = pair.value.trim();
        match crate::analysis::authentication_kinds().iter().find(|k| k.eq_ignore_ascii_case(value)) {
            Some(kind) => markdown.push_str(&format!("\n\n`{kind}`: {}", authentication_doc(kind))),
            None => markdown.push_str(&format!(
                "\n\n`{value}` is not a kind the SDK knows (L014): one of {}",
                crate::analysis::authentication_kinds().join(", ")
            )),
        }
    }
    Some(Hover { markdown, range: string.source_range(text, pair.range) })
}

fn project(
    fs: &dyn FileSystem,
    text: &str,
    offset: usize,
    context: Option<&AppContext<'_>>,
    path: &Path,
) -> Option<Hover> {
    let doc = xml::parse(text);
    let root = doc.root.as_ref()?;
    for element in root.descendants() {
        for attribute in &element.attributes {
            let is_id = attribute.name.eq_ignore_ascii_case("Include") || attribute.name.eq_ignore_ascii_case("Update");
            if is_id && attribute.value_range.touches(offset) {
                let package = packages::known(&attribute.value)?;
                let newest = packages::newest(fs, package.id).unwrap_or_else(|| package.newest.to_string());
                let minimum = package
                    .minimum_for_dts
                    .map(|m| format!("\n\nMinimum for the Durable Task Scheduler: {m}"))
                    .unwrap_or_default();
                let markdown = format!(
                    "**{}** — {}\n\n{}{}\n\nNewest known: {newest}{minimum}",
                    package.id,
                    package.side.describe(),
                    package.about,
                    central_version(context, path, offset)
                        .map(|(version, file)| format!("\n\nVersion here: `{version}`, from {file}"))
                        .unwrap_or_default()
                );
                return Some(Hover { markdown, range: attribute.value_range });
            }
            let is_version = attribute.name.eq_ignore_ascii_case("Version")
                || attribute.name.eq_ignore_ascii_case("VersionOverride");
            if is_version && attribute.value_range.touches(offset) {
                let id = element
                    .attributes
                    .iter()
                    .find(|a| a.name.eq_ignore_ascii_case("Include") || a.name.eq_ignore_ascii_case("Update"))?;
                return version_hover(fs, packages::known(&id.value)?, &attribute.value, attribute.value_range);
            }
        }
    }
    None
}

/// The version a project's reference at `offset` takes from another file
/// (Directory.Packages.props, an item of Directory.Build.props), and that
/// file's name.
fn central_version(context: Option<&AppContext<'_>>, path: &Path, offset: usize) -> Option<(String, String)> {
    let source = crate::ide::navigate::version_elsewhere(context?, path, offset)?;
    Some((source.text.to_string(), source.path.file_name()?.to_string_lossy().into_owned()))
}

/// A known package's version: what it resolves to against the newest known
/// and the minimum for the Durable Task Scheduler (knowledge.md 4, 6).
fn version_hover(
    fs: &dyn FileSystem,
    package: &packages::KnownPackage,
    written: &str,
    range: crate::text::TextRange,
) -> Option<Hover> {
    use crate::analysis::nuget::{Version, VersionRange};
    let newest = packages::newest(fs, package.id).unwrap_or_else(|| package.newest.to_string());
    let mut lines = vec![format!("**{}** `{written}`", package.id)];
    if written.contains("$(") {
        lines.push("An MSBuild property: its value is only known when MSBuild evaluates the project.".to_string());
    } else if let Some(range) = VersionRange::parse(written) {
        if let Some(minimum) = package.minimum_for_dts.and_then(Version::parse) {
            lines.push(if range.resolves_below(&minimum) {
                format!("Below {minimum}, the minimum for the Durable Task Scheduler.")
            } else {
                format!("Meets {minimum}, the minimum for the Durable Task Scheduler.")
            });
        }
        if Version::parse(written).is_some_and(|v| v.is_prerelease()) {
            lines.push("A prerelease version.".to_string());
        }
    } else {
        lines.push("Not a NuGet version or range.".to_string());
    }
    lines.push(format!("Newest known: {newest}"));
    Some(Hover { markdown: lines.join("\n\n"), range })
}
