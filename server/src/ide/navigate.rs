//! Go to definition from a setting name in host.json to its entry in
//! local.settings.json, references back from that entry, and renaming the
//! setting in both; from a package in a project to where its version is
//! written, and from a props file's package to the projects that reference
//! it.

use std::path::{Path, PathBuf};

use crate::analysis::context::{AppContext, unwrap_percent};
use crate::app::{FileKind, FileSystem};
use crate::edit::{FileChange, TextEdit};
use crate::ide::{Location, Scope, query};
use crate::syntax::jsonc::{JsonString, Member};
use crate::text::TextRange;

/// The setting a host.json member names, when it names one.
fn named_setting<'a>(path: &[String], member: &'a Member) -> Option<&'a str> {
    let value = member.value.as_ref()?.as_str()?;
    let lower: Vec<String> = path.iter().map(|k| k.to_ascii_lowercase()).collect();
    match lower.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["extensions", "durabletask", "storageprovider", "connectionname" | "connectionstringname"] => {
            Some(unwrap_percent(value).unwrap_or(value))
        }
        ["extensions", "durabletask", "hubname"] => unwrap_percent(value),
        _ => None,
    }
}

pub fn definition(fs: &dyn FileSystem, path: &Path, offset: usize) -> Vec<Location> {
    let Some(scope) = Scope::new(fs, path) else { return Vec::new() };
    if scope.kind == FileKind::Project {
        return version_definition(fs, &scope, offset);
    }
    if scope.kind != FileKind::HostJson {
        return Vec::new();
    }
    let Some(context) = scope.context(fs) else { return Vec::new() };
    let Some((member_path, member, false)) = query::member_at(scope.json(), &scope.text, offset) else {
        return Vec::new();
    };
    let Some(setting) = named_setting(&member_path, member) else { return Vec::new() };
    let (Some(local), Some(entry)) = (&context.local, context.setting(setting)) else { return Vec::new() };
    vec![Location { path: local.path.clone(), range: entry.member.key.range }]
}

/// From a `PackageReference` in a project to where its version is written
/// when that is another file: the `PackageVersion` in Directory.Packages.props
/// (central package management), or an `Update` item or the include in a
/// Directory.Build.props (a version in the element itself is where the
/// cursor is already).
fn version_definition(fs: &dyn FileSystem, scope: &Scope, offset: usize) -> Vec<Location> {
    let Some(context) = scope.context(fs) else { return Vec::new() };
    version_elsewhere(&context, &scope.path, offset)
        .map(|source| Location { path: source.path.to_path_buf(), range: source.range })
        .into_iter()
        .collect()
}

/// Where the version of the `PackageReference` at `offset` in the project
/// at `path` is written, when that is another file than the project.
pub(crate) fn version_elsewhere<'c>(
    context: &'c AppContext<'_>,
    path: &Path,
    offset: usize,
) -> Option<crate::analysis::context::VersionSource<'c>> {
    let project = context.projects.iter().find(|p| p.file.path == path)?;
    let reference = project.project.references.iter().find(|r| r.element_range.touches(offset))?;
    context.version_source(project, reference).filter(|source| source.path != project.file.path)
}

/// From a local.settings.json setting (or a host.json reference to one):
/// every place in host.json that reads it, and its own entry when asked.
pub fn references(fs: &dyn FileSystem, path: &Path, offset: usize, include_declaration: bool) -> Vec<Location> {
    let Some(scope) = Scope::new(fs, path) else { return Vec::new() };
    let Some(context) = scope.context(fs) else { return Vec::new() };
    let Some((member_path, member, on_key)) = query::member_at(scope.json(), &scope.text, offset) else {
        return Vec::new();
    };
    let setting = match scope.kind {
        FileKind::LocalSettings if on_key && member_path.len() == 2 => member.key.value.clone(),
        FileKind::HostJson => match named_setting(&member_path, member) {
            Some(setting) => setting.to_string(),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let mut found = readers(&context, &setting);
    if include_declaration {
        if let (Some(local), Some(entry)) = (&context.local, context.setting(&setting)) {
            found.insert(0, Location { path: local.path.clone(), range: entry.member.key.range });
        }
    }
    found
}

/// The host.json values that read `setting`.
fn readers(context: &AppContext<'_>, setting: &str) -> Vec<Location> {
    reader_strings(context, setting)
        .into_iter()
        .map(|(path, string)| Location { path: path.to_path_buf(), range: string.range })
        .collect()
}

/// The host.json strings that name `setting` (a connection name, `%hub%`).
fn reader_strings<'c>(context: &'c AppContext<'_>, setting: &str) -> Vec<(&'c Path, &'c JsonString)> {
    let Some(host) = &context.host else { return Vec::new() };
    let durable = context.durable();
    let mut found = Vec::new();
    let members = [
        durable.storage_provider.and_then(|p| p.member_ignore_case("connectionName")),
        durable.storage_provider.and_then(|p| p.member_ignore_case("connectionStringName")),
        durable.hub_name(),
    ];
    let paths: [&[&str]; 3] = [
        &["extensions", "durableTask", "storageProvider", "connectionName"],
        &["extensions", "durableTask", "storageProvider", "connectionStringName"],
        &["extensions", "durableTask", "hubName"],
    ];
    for (member, path) in members.into_iter().zip(paths) {
        let Some(member) = member else { continue };
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        if named_setting(&path, member).is_some_and(|s| s.eq_ignore_ascii_case(setting)) {
            if let Some(string) = member.value.as_ref().and_then(|v| v.as_string()) {
                found.push((host.path.as_path(), string));
            }
        }
    }
    found
}

/// The setting a rename at a place would change, and where its name is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTarget {
    pub name: String,
    pub range: TextRange,
}

/// Where the name of a setting is written in a JSON string: inside `%…%`
/// when it is wrapped, else the whole content (escapes kept in step).
fn name_range(string: &JsonString, text: &str) -> TextRange {
    let value = &string.value;
    let decoded = match unwrap_percent(value) {
        Some(_) => TextRange::new(1, value.len() - 1),
        None => TextRange::new(0, value.len()),
    };
    string.source_range(text, decoded)
}

/// How much of a `Values` key names `setting`: all of it, or the `NAME`
/// of a `NAME__endpoint` section (an identity-based connection's parts
/// are one setting to the host).
fn setting_prefix(key: &str, setting: &str) -> Option<usize> {
    let head = key.get(..setting.len())?;
    let rest = &key[setting.len()..];
    (head.eq_ignore_ascii_case(setting) && (rest.is_empty() || rest.starts_with("__"))).then_some(setting.len())
}

/// The setting at `offset` that a rename can change: a `Values` or
/// `ConnectionStrings` key of local.settings.json, or host.json's name of
/// it (`connectionName`, `connectionStringName`, `hubName`'s `%X%`). `Err`
/// says why the one there cannot be: only a setting host.json names is
/// renamed, since everything that reads it is then known.
pub fn prepare_rename(fs: &dyn FileSystem, path: &Path, offset: usize) -> Result<Option<RenameTarget>, String> {
    let Some(scope) = Scope::new(fs, path) else { return Ok(None) };
    let Some((member_path, member, on_key)) = query::member_at(scope.json(), &scope.text, offset) else {
        return Ok(None);
    };
    let target = match scope.kind {
        FileKind::LocalSettings
            if on_key
                && member_path.len() == 2
                && ["Values", "ConnectionStrings"].iter().any(|s| s.eq_ignore_ascii_case(&member_path[0])) =>
        {
            // A connection's `NAME__section` key renames its NAME.
            let name = match member.key.value.split_once("__") {
                Some((name, _))
                    if !name.is_empty()
                        && scope.context(fs).is_some_and(|c| {
                            reader_strings(&c, &member.key.value).is_empty() && !reader_strings(&c, name).is_empty()
                        }) =>
                {
                    name
                }
                _ => &member.key.value,
            };
            let range = member.key.source_range(&scope.text, TextRange::new(0, name.len()));
            RenameTarget { name: name.to_string(), range }
        }
        FileKind::HostJson if !on_key => match named_setting(&member_path, member) {
            Some(name) => {
                let Some(string) = member.value.as_ref().and_then(|v| v.as_string()) else { return Ok(None) };
                RenameTarget { name: name.to_string(), range: name_range(string, &scope.text) }
            }
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let Some(context) = scope.context(fs) else { return Ok(None) };
    // knowledge.md 3: the host itself needs AzureWebJobsStorage by that name.
    if target.name.eq_ignore_ascii_case("AzureWebJobsStorage") {
        return Err("`AzureWebJobsStorage` is read by the Functions host itself by that name: it keeps it".into());
    }
    if reader_strings(&context, &target.name).is_empty() {
        return Err(format!(
            "`{}` is not named in host.json (connectionName, connectionStringName or hubName): \
             what else reads it is unknown, so it is not renamed here",
            target.name
        ));
    }
    Ok(Some(target))
}

/// Renames the setting at `offset` to `new_name`: its key in
/// local.settings.json (`Values` and `ConnectionStrings`, and the `NAME` of
/// its `NAME__…` sections) and every name of it in host.json, `%…%` kept.
pub fn rename(fs: &dyn FileSystem, path: &Path, offset: usize, new_name: &str) -> Result<Vec<FileChange>, String> {
    let Some(target) = prepare_rename(fs, path, offset)? else {
        return Err("there is no setting to rename here".to_string());
    };
    if new_name.is_empty()
        || new_name.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '%' | '"' | '\\'))
    {
        return Err(format!(
            "`{new_name}` cannot name a setting: it must be non-empty, without spaces, `%`, quotes or backslashes"
        ));
    }
    let Some(scope) = Scope::new(fs, path) else { return Ok(Vec::new()) };
    let Some(context) = scope.context(fs) else { return Ok(Vec::new()) };
    let old = &target.name;
    let same = new_name.eq_ignore_ascii_case(old);
    if !same && !reader_strings(&context, new_name).is_empty() {
        return Err(format!("`{new_name}` is already named in host.json: the two would become one"));
    }
    let mut changes: Vec<(PathBuf, Vec<TextEdit>)> = Vec::new();
    let mut add = |path: &Path, range: TextRange| {
        let edit = TextEdit { range, new_text: new_name.to_string() };
        match changes.iter_mut().find(|(p, _)| p == path) {
            Some((_, edits)) => edits.push(edit),
            None => changes.push((path.to_path_buf(), vec![edit])),
        }
    };
    if let (Some(local), Some(root)) = (&context.local, context.local.as_ref().and_then(|l| l.document.root_object())) {
        let sections: Vec<(&str, &crate::syntax::jsonc::Object)> = ["Values", "ConnectionStrings"]
            .into_iter()
            .filter_map(|section| Some((section, root.object_ignore_case(section)?)))
            .collect();
        let members =
            || sections.iter().flat_map(|(section, object)| object.members.iter().map(move |m| (*section, m)));
        // Keys of the setting renamed onto another's would make two settings
        // one; with none (host.json names a setting the file lacks), the
        // rename points host.json at the other: a misspelt name fixed.
        let has_keys = members().any(|(_, m)| setting_prefix(&m.key.value, old).is_some());
        for (section, member) in members() {
            if has_keys && !same && setting_prefix(&member.key.value, new_name).is_some() {
                return Err(format!("`{}` is already a setting in {section}", member.key.value));
            }
            if let Some(end) = setting_prefix(&member.key.value, old) {
                add(&local.path, member.key.source_range(&local.text, TextRange::new(0, end)));
            }
        }
    }
    for (host, string) in reader_strings(&context, old) {
        let text = context.host.as_ref().map_or("", |h| h.text.as_str());
        add(host, name_range(string, text));
    }
    Ok(changes.into_iter().map(|(path, edits)| FileChange::Edit { path, edits }).collect())
}

/// From a `PackageVersion` (or `PackageReference`) item of a props file to
/// the projects of the apps at `roots` that reference that package: the
/// apps below a Directory.Packages.props are not found from it, the caller
/// (which knows the workspace) gives them.
pub fn package_references(
    fs: &dyn FileSystem,
    props: &Path,
    offset: usize,
    roots: &[std::path::PathBuf],
    include_declaration: bool,
) -> Vec<Location> {
    let Some(text) = fs.read(props) else { return Vec::new() };
    let document = fs.parse_xml(props, &text);
    let central = crate::analysis::dotnet::CentralPackages::read(&document);
    let items = central.versions.iter().chain(&central.includes).chain(&central.updates);
    let Some(item) = items.into_iter().find(|i| i.element_range.touches(offset)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if include_declaration {
        found.push(Location { path: props.to_path_buf(), range: item.id_range });
    }
    for root in roots {
        let Some(app) = crate::app::App::at(fs, root) else { continue };
        // An app below with a props file of its own nearer to it does not read this one.
        if app.packages_props.as_deref() != Some(props) && app.build_props.as_deref() != Some(props) {
            continue;
        }
        let context = AppContext::load(fs, &app);
        for project in &context.projects {
            if let Some(reference) = project.project.reference(&item.id) {
                found.push(Location { path: project.file.path.clone(), range: reference.id_range });
            }
        }
    }
    found
}
