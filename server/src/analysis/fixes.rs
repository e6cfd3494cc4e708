//! Building quick fixes: the edits a rule proposes, on the app's own files,
//! computed from the same parsed text the rule looked at. Cross-file fixes
//! (a setting for local.settings.json, a package for the project) live here
//! so every rule that needs one builds it the same way.

use crate::analysis::context::{AppContext, JsonFile, ProjectFile, VersionSource, XmlFile};
use crate::edit::json::{JsonEditor, NewValue, quote};
use crate::edit::xml::XmlEditor;
use crate::edit::{FileChange, Fix, Style, TextEdit};
use crate::syntax::jsonc::{JsonString, Member, Object};
use crate::text::TextRange;

/// The local emulator's connection string (knowledge.md 3.1).
pub const EMULATOR_CONNECTION: &str = "Endpoint=http://localhost:8080;Authentication=None";
/// The emulator's only task hub.
pub const EMULATOR_HUB: &str = "default";

pub fn edit(path: &std::path::Path, edits: Vec<TextEdit>) -> FileChange {
    FileChange::Edit { path: path.to_path_buf(), edits }
}

/// One fix of edits to one JSON file.
pub fn json_fix(file: &JsonFile, title: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
    Fix::new(title, vec![edit(&file.path, edits)])
}

pub fn replace(file: &JsonFile, range: TextRange, new_text: impl Into<String>, title: impl Into<String>) -> Fix {
    json_fix(file, title, vec![TextEdit { range, new_text: new_text.into() }])
}

pub fn rename(file: &JsonFile, member: &Member, new_key: &str) -> Fix {
    let editor = JsonEditor::new(&file.text, &file.document);
    json_fix(file, format!("Rename to \"{new_key}\""), vec![editor.rename_key(member, new_key)])
}

pub fn remove(file: &JsonFile, object: &Object, index: usize, title: impl Into<String>) -> Fix {
    let editor = JsonEditor::new(&file.text, &file.document);
    json_fix(file, title, editor.remove_member(object, index))
}

pub fn remove_many(file: &JsonFile, object: &Object, indices: &[usize], title: impl Into<String>) -> Fix {
    let editor = JsonEditor::new(&file.text, &file.document);
    json_fix(file, title, editor.remove_members(object, indices))
}

pub fn insert(
    file: &JsonFile,
    object: &Object,
    at: usize,
    key: &str,
    value: NewValue,
    title: impl Into<String>,
) -> Option<Fix> {
    let editor = JsonEditor::new(&file.text, &file.document);
    Some(json_fix(file, title, editor.insert_member(object, at, key, &value)?))
}

/// Replaces a decoded sub-range of a JSON string's value (escaping the new text).
pub fn in_string(
    file: &JsonFile,
    string: &JsonString,
    decoded: TextRange,
    new_value: &str,
    title: impl Into<String>,
) -> Fix {
    let editor = JsonEditor::new(&file.text, &file.document);
    json_fix(file, title, vec![editor.replace_in_string(string, decoded, new_value)])
}

/// Index of a member within its object (by key position).
pub fn index_of(object: &Object, member: &Member) -> usize {
    object.members.iter().position(|m| m.key.range == member.key.range).unwrap_or(usize::MAX)
}

/// The change that adds app settings to local.settings.json `Values`
/// (those already there are skipped): inserted into Values, or a Values
/// object added, or the whole file created with the settings Core Tools needs.
pub fn add_values(context: &AppContext<'_>, settings: &[(&str, &str)]) -> Option<FileChange> {
    let missing: Vec<(&str, &str)> =
        settings.iter().copied().filter(|(name, _)| context.value_setting(name).is_none()).collect();
    if missing.is_empty() {
        return None;
    }
    let Some(local) = &context.local else {
        return Some(FileChange::Create {
            path: context.app.local_settings.clone(),
            text: new_local_settings(context, &missing),
        });
    };
    let root = local.document.root_object()?;
    if !local.document.errors.is_empty() {
        return None;
    }
    // Plain values in an encrypted file fail to decrypt; a `Values` that is
    // no object (`null`, a list) would be joined by a second `Values`.
    if context.values_encrypted() || (context.local_values().is_none() && root.member_ignore_case("Values").is_some()) {
        return None;
    }
    let editor = JsonEditor::new(&local.text, &local.document);
    let entries: Vec<(String, NewValue)> = missing.iter().map(|(n, v)| (n.to_string(), NewValue::string(v))).collect();
    let edits = match context.local_values() {
        Some(values) => editor.insert_members(values, values.members.len(), &entries)?,
        None => editor.insert_member(root, root.members.len(), "Values", &NewValue::Object(entries))?,
    };
    Some(edit(&local.path, edits))
}

/// A new local.settings.json: IsEncrypted false, the storage emulator, the
/// worker runtime the files show, and the given settings.
fn new_local_settings(context: &AppContext<'_>, settings: &[(&str, &str)]) -> String {
    let style =
        context.host.as_ref().map_or_else(|| Style::detect(""), |h| JsonEditor::new(&h.text, &h.document).style);
    let (nl, i) = (style.newline, style.indent.as_str());
    let mut values: Vec<(String, String)> = vec![("AzureWebJobsStorage".into(), "UseDevelopmentStorage=true".into())];
    if let Some(runtime) = context.runtime_from_files() {
        values.push(("FUNCTIONS_WORKER_RUNTIME".into(), runtime.setting_value().into()));
    }
    for (name, value) in settings {
        if !values.iter().any(|(n, _)| n == name) {
            values.push((name.to_string(), value.to_string()));
        }
    }
    let lines: Vec<String> = values.iter().map(|(n, v)| format!("{i}{i}{}: {}", quote(n), quote(v))).collect();
    format!(
        "{{{nl}{i}\"IsEncrypted\": false,{nl}{i}\"Values\": {{{nl}{}{nl}{i}}}{nl}}}{nl}",
        lines.join(&format!(",{nl}"))
    )
}

/// The changes that add a package reference to a project, the way its
/// versions are managed: a version-less reference plus a PackageVersion in
/// Directory.Packages.props under central management, else a Version.
pub fn add_package(
    context: &AppContext<'_>,
    project: &ProjectFile,
    id: &str,
    version: &str,
) -> Option<Vec<FileChange>> {
    if !project.file.document.errors.is_empty() {
        return None;
    }
    let editor = XmlEditor::new(&project.file.text, &project.file.document);
    if context.central_management(project) {
        let props = context.packages_props.as_ref()?;
        let mut changes = vec![edit(&project.file.path, vec![editor.add_item("PackageReference", id, None)?])];
        if context.central_version(id).is_none() {
            changes.push(add_package_version(props, id, version)?);
        }
        return Some(changes);
    }
    Some(vec![edit(&project.file.path, vec![editor.add_item("PackageReference", id, Some(version))?])])
}

/// A `PackageVersion` for `id` in the app's Directory.Packages.props, when
/// it has none yet (central package management).
pub fn central_version(context: &AppContext<'_>, id: &str, version: &str) -> Option<Option<FileChange>> {
    if context.central_version(id).is_some() {
        return Some(None);
    }
    add_package_version(context.packages_props.as_ref()?, id, version).map(Some)
}

fn add_package_version(props: &XmlFile, id: &str, version: &str) -> Option<FileChange> {
    if !props.document.errors.is_empty() {
        return None;
    }
    let editor = XmlEditor::new(&props.text, &props.document);
    Some(edit(&props.path, vec![editor.add_item("PackageVersion", id, Some(version))?]))
}

/// Sets a version where it is written (the project, or Directory.Packages.props).
pub fn set_version(source: &VersionSource<'_>, version: &str) -> FileChange {
    edit(source.path, vec![TextEdit { range: source.range, new_text: version.to_string() }])
}

/// Puts changes to the same file together, so each file gets one edit list.
pub fn merge(changes: Vec<FileChange>) -> Vec<FileChange> {
    let mut merged: Vec<FileChange> = Vec::new();
    for change in changes {
        match change {
            FileChange::Edit { path, edits } => {
                match merged.iter_mut().find(|c| matches!(c, FileChange::Edit { path: p, .. } if *p == path)) {
                    Some(FileChange::Edit { edits: existing, .. }) => {
                        for edit in edits {
                            if !existing.contains(&edit) {
                                existing.push(edit);
                            }
                        }
                    }
                    _ => merged.push(FileChange::Edit { path, edits }),
                }
            }
            create => merged.push(create),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;
    use crate::app::memory::MemoryFs;
    use crate::edit::apply;
    use std::path::Path;

    fn run(files: &[(&str, &str)], settings: &[(&str, &str)]) -> (MemoryFs, Option<FileChange>) {
        let fs = MemoryFs::with(files);
        let app = App::at(&fs, Path::new("/a")).unwrap();
        let context = AppContext::load(&fs, &app);
        let change = add_values(&context, settings);
        (fs, change)
    }

    #[test]
    fn settings_are_added_to_values_or_a_new_file() {
        let local = "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"A\": \"1\"\n  }\n}\n";
        let (fs, change) =
            run(&[("/a/host.json", "{}"), ("/a/local.settings.json", local)], &[("B", "2"), ("C", "3"), ("A", "x")]);
        let Some(FileChange::Edit { path, edits }) = change else { panic!() };
        let after = apply(&fs.files[&path], &edits);
        assert_eq!(
            after,
            "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"A\": \"1\",\n    \"B\": \"2\",\n    \"C\": \"3\"\n  }\n}\n"
        );

        let (_, change) = run(&[("/a/host.json", "{}"), ("/a/requirements.txt", "")], &[("B", "2")]);
        let Some(FileChange::Create { text, .. }) = change else { panic!() };
        assert_eq!(
            text,
            "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\",\n    \"FUNCTIONS_WORKER_RUNTIME\": \"python\",\n    \"B\": \"2\"\n  }\n}\n"
        );
        let (fs, change) = run(
            &[("/a/host.json", "{}"), ("/a/local.settings.json", "{ \"IsEncrypted\": false, \"Values\": {} }")],
            &[("B", "2"), ("C", "3")],
        );
        let Some(FileChange::Edit { path, edits }) = change else { panic!() };
        let after = apply(&fs.files[&path], &edits);
        assert!(crate::syntax::jsonc::parse(&after).errors.is_empty(), "{after}");
        assert!(after.contains("\"B\": \"2\"") && after.contains("\"C\": \"3\""), "{after}");
    }

    /// No second `Values` next to one that is no object, and no plain value
    /// in an encrypted file.
    #[test]
    fn no_setting_is_added_where_it_could_not_be_read() {
        for local in [
            "{ \"IsEncrypted\": false, \"Values\": null }",
            "{ \"IsEncrypted\": false, \"values\": [] }",
            "{ \"IsEncrypted\": true, \"Values\": { \"A\": \"CfDJ8AAAA\" } }",
        ] {
            let (_, change) = run(&[("/a/host.json", "{}"), ("/a/local.settings.json", local)], &[("B", "2")]);
            assert!(change.is_none(), "{local}: {change:?}");
        }
    }
}
