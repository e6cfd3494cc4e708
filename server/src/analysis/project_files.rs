//! Rules on project files (P…): XML syntax, the provider package on each
//! route (.NET isolated, a non-.NET app's extensions.csproj), versions as
//! NuGet resolves them, packages on the wrong side, and the Apple-silicon
//! workaround (knowledge.md 4, 5, 6).

use std::path::Path;

use crate::analysis::context::{AppContext, ProjectFile, VersionSource, XmlFile};
use crate::analysis::dotnet::{PackageReference, ProjectKind};
use crate::analysis::nuget::{Version, VersionRange};
use crate::analysis::packages::{
    self, GRPC_M1, IN_PROCESS_SDK, METADATA_GENERATOR, WEBJOBS_AZURE_MANAGED, WEBJOBS_DURABLE_TASK, WORKER,
    WORKER_AZURE_MANAGED, WORKER_DURABLE_TASK, WORKER_SDK,
};
use crate::analysis::{Sink, fixes};
use crate::app::FileSystem;
use crate::edit::xml::XmlEditor;
use crate::edit::{FileChange, Fix, TextEdit};
use crate::syntax::xml::XmlDocument;
use crate::text::TextRange;

const GRPC_TARGET: &str = "CopyGrpcNativeAssetsToOutDir";
const NOT_FOUND: &str = "the app fails at start with \"Storage provider type (azureManaged) was not found\"";

pub(crate) fn check(context: &AppContext<'_>, fs: &dyn FileSystem, sink: &mut Sink) {
    for project in &context.projects {
        report_syntax(&project.file.path, &project.file.document, sink);
    }
    for props in [&context.packages_props, &context.build_props].into_iter().flatten() {
        report_syntax(&props.path, &props.document, sink);
    }
    let dts = context.durable().is_dts();
    if dts {
        isolated_provider_package(context, sink);
        extensions_provider_package(context, sink);
    }
    for project in &context.projects {
        versions(context, fs, project, dts, sink);
        wrong_side(context, project, sink);
        if project.project.kind == ProjectKind::InProcess && dts {
            if let Some(sdk) = project.project.reference(IN_PROCESS_SDK) {
                sink.report(
                    "P007",
                    &project.file.path,
                    sdk.id_range,
                    "An in-process project (Microsoft.NET.Sdk.Functions) with the Durable Task Scheduler: in-process is not a supported DTS path \
                     (and reached end of support on 2026-11-10). Migrate to the .NET isolated worker",
                );
            }
        }
        if project.project.kind == ProjectKind::Extensions {
            extensions_project(context, project, sink);
        }
        grpc_workaround(context, project, sink);
    }
}

/// P001: each well-formedness error.
pub(crate) fn report_syntax(path: &Path, document: &XmlDocument, sink: &mut Sink) {
    for error in &document.errors {
        sink.report("P001", path, error.range, format!("{}: MSBuild cannot load this file", error.message));
    }
}

/// P002, .NET isolated: the project lacks the worker provider package.
/// Shown on the DurableTask reference, where the new one belongs, or on the project tag.
fn isolated_provider_package(context: &AppContext<'_>, sink: &mut Sink) {
    let isolated: Vec<_> = context.isolated_projects().collect();
    if isolated.iter().any(|p| context.references(p, WORKER_AZURE_MANAGED)) {
        return;
    }
    for project in isolated {
        let range = project.project.reference(WORKER_DURABLE_TASK).map_or(project.project.project_tag, |r| r.tag_range);
        let message = format!(
            "host.json selects the Durable Task Scheduler (azureManaged), but this project does not reference {WORKER_AZURE_MANAGED}: {NOT_FOUND}"
        );
        let diagnostic = sink.report("P002", &project.file.path, range, message);
        diagnostic.fix(provide_package(context, project, WORKER_AZURE_MANAGED));
        related_type(context, diagnostic);
    }
}

/// P002, non-.NET app on the extensions.csproj route: without a bundle, only
/// extensions.csproj can bring the host-side provider package.
fn extensions_provider_package(context: &AppContext<'_>, sink: &mut Sink) {
    if !context.is_non_dotnet() || context.bundle().is_some() {
        return;
    }
    let Some(project) = context.extensions_project() else { return };
    if context.references(project, WEBJOBS_AZURE_MANAGED) {
        return;
    }
    let range = project.project.reference(WEBJOBS_DURABLE_TASK).map_or(project.project.project_tag, |r| r.tag_range);
    let message = format!(
        "host.json selects the Durable Task Scheduler (azureManaged) and has no extension bundle, but extensions.csproj does not reference \
         {WEBJOBS_AZURE_MANAGED}: {NOT_FOUND}"
    );
    let diagnostic = sink.report("P002", &project.file.path, range, message);
    diagnostic.fix(provide_package(context, project, WEBJOBS_AZURE_MANAGED));
    related_type(context, diagnostic);
}

fn related_type(context: &AppContext<'_>, diagnostic: &mut crate::analysis::Diagnostic) {
    if let Some((host, range)) = context.host.as_ref().zip(context.durable().type_value().map(|v| v.range)) {
        diagnostic.related(&host.path, range, "the storage provider is selected here");
    }
}

/// A version as written, judged.
enum Judged<'a> {
    Range(Box<VersionRange>, VersionSource<'a>),
    Unjudged,
}

/// P012, P013, P014 for every reference, and the version of each one the
/// other rules need.
fn judge<'a>(
    context: &'a AppContext<'_>,
    project: &'a ProjectFile,
    reference: &'a PackageReference,
    sink: &mut Sink,
) -> Judged<'a> {
    let Some(source) = context.version_source(project, reference) else {
        // A props file that does not parse (P001) leaves it unknown whether
        // central management is on: say nothing rather than guess.
        let props_broken = [&context.packages_props, &context.build_props]
            .into_iter()
            .flatten()
            .any(|p| !p.document.errors.is_empty());
        if props_broken {
            return Judged::Unjudged;
        }
        let why = if context.central_management(project) {
            "central package management is on, but Directory.Packages.props has no PackageVersion for it (and there is no VersionOverride), so restore fails"
        } else {
            "it has no Version (nor an Update item before it that sets one), so NuGet takes the lowest version it can find, with a warning"
        };
        sink.report(
            "P013",
            context.reference_file(project, reference),
            reference.id_range,
            format!("PackageReference {}: {why}", reference.id),
        );
        return Judged::Unjudged;
    };
    if source.text.contains("$(") {
        sink.report(
            "P014",
            source.path,
            source.range,
            format!("The version of {} comes from an MSBuild property ({}), which cannot be checked without evaluating MSBuild", reference.id, source.text),
        );
        return Judged::Unjudged;
    }
    match VersionRange::parse(source.text) {
        Some(range) => Judged::Range(Box::new(range), source),
        None => {
            sink.report(
                "P012",
                source.path,
                source.range,
                format!(
                    "\"{}\" is not a NuGet version, range or floating version (such as 1.2.3, [1.2.3, ) or 1.*)",
                    source.text
                ),
            );
            Judged::Unjudged
        }
    }
}

/// How a version resolves, for messages.
fn describe(range: &VersionRange, text: &str) -> String {
    match (&range.min, range.floating) {
        (Some(min), false) => format!("\"{text}\" resolves to {}", min.version),
        _ => format!("\"{text}\""),
    }
}

fn newest(fs: &dyn FileSystem, id: &str) -> String {
    packages::newest(fs, id).map(|v| format!("; the newest known is {v}")).unwrap_or_default()
}

/// P003, P004, P005, P009 (and P012–P014 through `judge`).
fn versions(context: &AppContext<'_>, fs: &dyn FileSystem, project: &ProjectFile, dts: bool, sink: &mut Sink) {
    let kind = project.project.kind;
    let has_azure_managed = context.references(project, WORKER_AZURE_MANAGED);
    let mut judged = Vec::new();
    for reference in context.all_references(project) {
        if let Judged::Range(range, source) = judge(context, project, reference, sink) {
            judged.push((reference.id.as_str(), range, source, reference.conditional));
        }
    }
    // Of several items for one id, the one that counts, as for a file's items.
    let find = |id: &str| {
        let same = judged.iter().filter(|(found, ..)| found.eq_ignore_ascii_case(id));
        let chosen =
            crate::analysis::dotnet::prefer(same, |item| item.3, |item| item.1.min.as_ref().map(|m| m.version.clone()));
        chosen.map(|(id, range, source, _)| (*id, range, source))
    };
    let below = |id: &str, minimum: &Version| find(id).filter(|(_, range, _)| range.resolves_below(minimum));

    if kind == ProjectKind::Isolated && (has_azure_managed || dts) {
        if let Some((id, range, source)) = below(WORKER_DURABLE_TASK, &Version::new(1, 2, 2)) {
            let message = format!(
                "{id} {} but the Durable Task Scheduler needs at least 1.2.2{}",
                describe(range, source.text),
                newest(fs, id)
            );
            let fix = newest_fix(context, project, source, id);
            sink.report("P003", source.path, source.range, message).fix(fix);
        }
    }
    for id in [WORKER_AZURE_MANAGED, WEBJOBS_AZURE_MANAGED] {
        if let Some((id, range, source)) = below(id, &Version::new(1, 0, 0)) {
            let message = format!("{id} {}, a 0.x preview{}", describe(range, source.text), newest(fs, id));
            let mut fix = set_newest(source, id);
            // The host's provider 1.x goes with the Durable extension 3.x
            // (P009): a 2.x one moves with it, in the same fix.
            let paired = below(WEBJOBS_DURABLE_TASK, &Version::new(3, 0, 0))
                .filter(|_| kind == ProjectKind::Extensions && id.eq_ignore_ascii_case(WEBJOBS_AZURE_MANAGED));
            if let Some((paired_id, _, paired_source)) = paired {
                let paired_version = packages::newest_known(paired_id);
                fix.changes.push(fixes::set_version(paired_source, paired_version));
                fix.changes = fixes::merge(std::mem::take(&mut fix.changes));
                fix.title = format!("{} and {paired_id} {paired_version}", fix.title);
            }
            // A version shared with other packages: only this one is split out.
            let fix = if shared_holder(context, project, source, id).is_some() {
                newest_fix(context, project, source, id)
            } else {
                Some(fix)
            };
            sink.report("P004", source.path, source.range, message).fix(fix);
        }
    }
    if has_azure_managed {
        for (id, minimum) in [(WORKER, Version::new(1, 22, 0)), (WORKER_SDK, Version::new(1, 17, 4))] {
            if let Some((id, range, source)) = below(id, &minimum) {
                let message = format!(
                    "{id} {} but the Durable Task Scheduler provider needs at least {minimum}{}",
                    describe(range, source.text),
                    newest(fs, id)
                );
                let fix = newest_fix(context, project, source, id);
                sink.report("P005", source.path, source.range, message).fix(fix);
            }
        }
    }
    if kind == ProjectKind::Extensions {
        let modern_provider =
            find(WEBJOBS_AZURE_MANAGED).is_some_and(|(_, range, _)| !range.resolves_below(&Version::new(1, 0, 0)));
        if let Some((id, range, source)) =
            below(WEBJOBS_DURABLE_TASK, &Version::new(3, 0, 0)).filter(|_| modern_provider)
        {
            let message = format!(
                "{id} {} (2.x), but {WEBJOBS_AZURE_MANAGED} 1.x goes with 3.x{}",
                describe(range, source.text),
                newest(fs, id)
            );
            let fix = newest_fix(context, project, source, id);
            sink.report("P009", source.path, source.range, message).fix(fix);
        }
    }
}

/// The package on the other side from `id` (worker ↔ host), the one a
/// project of the wrong kind has instead.
fn other_side(id: &str) -> Option<&'static str> {
    if id.eq_ignore_ascii_case(WORKER_AZURE_MANAGED) {
        Some(WEBJOBS_AZURE_MANAGED)
    } else if id.eq_ignore_ascii_case(WEBJOBS_AZURE_MANAGED) {
        Some(WORKER_AZURE_MANAGED)
    } else {
        None
    }
}

/// A fix that makes `project` reference the provider package `id`: its
/// other side's package, when the project has that one instead, becomes
/// `id` (so the project does not end with both); else `id` is added the
/// way the project's versions are managed.
pub(crate) fn provide_package(context: &AppContext<'_>, project: &ProjectFile, id: &str) -> Option<Fix> {
    let wrong = other_side(id).and_then(|other| project.project.reference(other));
    match wrong {
        Some(wrong) => replace_wrong_side(context, project, wrong, id),
        None => fixes::add_package(context, project, id, packages::newest_known(id))
            .map(|changes| Fix::new(format!("Add {id}"), changes).preferred()),
    }
}

/// The changes that put `right` where the project references `wrong`:
/// `wrong` is removed when `right` is there too (not when its element holds
/// a comment: that is the user's to move); else it is renamed in place,
/// and when its version is managed centrally, `right` gets a `PackageVersion`
/// beside the renamed reference.
fn replace_wrong_side(
    context: &AppContext<'_>,
    project: &ProjectFile,
    wrong: &PackageReference,
    right: &str,
) -> Option<Fix> {
    let path = &project.file.path;
    if context.references(project, right) {
        let element = &project.file.text[wrong.element_range.start..wrong.element_range.end];
        if wrong.ids_in_element != 1 || element.contains("<!--") {
            return None;
        }
        let range = crate::edit::whole_lines(&project.file.text, wrong.element_range.start, wrong.element_range.end);
        let remove = TextEdit { range, new_text: String::new() };
        return Some(Fix::new(format!("Remove {}", wrong.id), vec![fixes::edit(path, vec![remove])]).preferred());
    }
    let newest = packages::newest_known(right);
    let mut edits = vec![TextEdit { range: wrong.id_range, new_text: right.to_string() }];
    // The two packages have releases of their own: the version written for
    // one says nothing of the other (the worker's 1.12.0 is no WebJobs
    // version), so a literal one becomes the newest known of `right`; one
    // from an MSBuild property is the user's to check.
    let own_versions = [&wrong.version, &wrong.version_override];
    // A version an `Include` of several ids shares is theirs too: kept.
    let shared = wrong.ids_in_element > 1;
    for (version, range) in own_versions.into_iter().flatten().filter(|_| !shared) {
        if !version.contains("$(") && version.trim() != newest {
            edits.push(TextEdit { range: *range, new_text: newest.to_string() });
        }
    }
    let mut changes = vec![fixes::edit(path, edits)];
    let own_version = own_versions.iter().any(|v| v.is_some());
    if !own_version && context.central_management(project) {
        changes.extend(fixes::central_version(context, right, newest)?);
    }
    Some(Fix::new(format!("Use {right}"), changes).preferred())
}

/// P006: a worker package where the host loads packages, or the reverse.
fn wrong_side(context: &AppContext<'_>, project: &ProjectFile, sink: &mut Sink) {
    let (wrong, right) = match project.project.kind {
        ProjectKind::Isolated => (WEBJOBS_AZURE_MANAGED, WORKER_AZURE_MANAGED),
        ProjectKind::Extensions | ProjectKind::InProcess => (WORKER_AZURE_MANAGED, WEBJOBS_AZURE_MANAGED),
        ProjectKind::Other => return,
    };
    let Some(reference) = project.project.reference(wrong) else { return };
    let what = match project.project.kind {
        ProjectKind::Isolated => "a .NET isolated worker project needs the worker package",
        ProjectKind::Extensions => "extensions.csproj is loaded by the host and needs the host (WebJobs) package",
        _ => "an in-process project is loaded by the host and needs the host (WebJobs) package",
    };
    sink.report(
        "P006",
        &project.file.path,
        reference.id_range,
        format!("{wrong} is on the wrong side: {what}, {right}"),
    )
    .fix(replace_wrong_side(context, project, reference, right));
}

/// P008, P010: what `func extensions install` needs in extensions.csproj.
fn extensions_project(context: &AppContext<'_>, project: &ProjectFile, sink: &mut Sink) {
    let model = &project.project;
    if model.reference(METADATA_GENERATOR).is_none() && model.reference(IN_PROCESS_SDK).is_none() {
        sink.report(
            "P008",
            &project.file.path,
            model.project_tag,
            format!("extensions.csproj does not reference {METADATA_GENERATOR}, so bin/extensions.json is not generated and the host loads no extensions. Add version 4.0.1"),
        )
        .fix(fixes::add_package(context, project, METADATA_GENERATOR, packages::newest_known(METADATA_GENERATOR)).map(|changes| {
            Fix::new(format!("Add {METADATA_GENERATOR} {}", packages::newest_known(METADATA_GENERATOR)), changes).preferred()
        }));
    }
    let text = &project.file.text;
    for (framework, range) in &model.target_frameworks {
        if !framework_below_net8(framework) {
            continue;
        }
        // In a list that also has net8.0 or later, the old target goes:
        // making it net8.0 would list that twice.
        let same_list = |other: &TextRange| {
            let (from, to) =
                if other.start < range.start { (other.end, range.start) } else { (range.end, other.start) };
            from <= to && !text[from..to].contains('<')
        };
        let modern_beside =
            model.target_frameworks.iter().any(|(f, r)| r != range && !framework_below_net8(f) && same_list(r));
        let fix = if modern_beside {
            let removal =
                TextEdit { range: crate::edit::list_item_with_separator(text, *range), new_text: String::new() };
            Fix::new(
                format!("Remove {framework} from the targets"),
                vec![fixes::edit(&project.file.path, vec![removal])],
            )
        } else {
            Fix::new("Target net8.0", vec![target_net8(project, *range)])
        };
        sink.report(
            "P010",
            &project.file.path,
            *range,
            format!("extensions.csproj targets {framework}: AzureManaged 1.x ships for net8.0. Target net8.0"),
        )
        .fix(Some(fix.preferred()));
    }
}

/// The seed doc's after-build target that copies the native gRPC library
/// where the Functions host looks for it on Apple silicon (knowledge.md 4).
fn grpc_target(project: &ProjectFile) -> Option<FileChange> {
    let editor = XmlEditor::new(&project.file.text, &project.file.document);
    let i = editor.style.indent.clone();
    let element = format!(
        "<Target Name=\"{GRPC_TARGET}\" AfterTargets=\"Build\">\n{i}<ItemGroup>\n{i}{i}<NativeAssetToCopy Include=\"$(OutDir)runtimes/osx-arm64/native/*\" />\n{i}</ItemGroup>\n{i}<Copy SourceFiles=\"@(NativeAssetToCopy)\" DestinationFolder=\"$(OutDir).azurefunctions/runtimes/osx-arm64/native\" />\n</Target>"
    );
    Some(fixes::edit(&project.file.path, vec![editor.add_before_project_end(&element)?]))
}

/// Sets a version where it is written to the newest the table knows.
fn set_newest(source: &VersionSource<'_>, id: &str) -> Fix {
    let version = packages::newest_known(id);
    Fix::new(format!("Set {version}"), vec![fixes::set_version(source, version)]).preferred()
}

/// The item holding the version at `source` when it names other packages
/// too (`Include="A;B"` with one `Version`, in the project, a props file or
/// a central `PackageVersion`), with its file, its element name and whether
/// it lists the id twice: setting the version there would move the others as well.
fn shared_holder<'a>(
    context: &'a AppContext<'_>,
    project: &'a ProjectFile,
    source: &VersionSource<'_>,
    id: &str,
) -> Option<(&'a XmlFile, &'a PackageReference, &'static str, bool)> {
    let mut files: Vec<(&XmlFile, Vec<&PackageReference>, &'static str)> = Vec::new();
    let project_items = project.project.references.iter().chain(&project.project.updates).collect();
    files.push((&project.file, project_items, "PackageReference"));
    for (file, read) in context.props_files() {
        files.push((file, read.versions.iter().collect(), "PackageVersion"));
        files.push((file, read.includes.iter().chain(&read.updates).collect(), "PackageReference"));
    }
    files.into_iter().filter(|(file, ..)| file.path == source.path).find_map(|(file, holders, item)| {
        let twice = |holder: &PackageReference| {
            holders
                .iter()
                .filter(|h| h.element_range == holder.element_range && h.id.eq_ignore_ascii_case(&holder.id))
                .count()
                > 1
        };
        holders
            .iter()
            .copied()
            .find(|holder| {
                holder.ids_in_element > 1
                    && holder.id.eq_ignore_ascii_case(id)
                    && [&holder.version, &holder.version_override]
                        .into_iter()
                        .flatten()
                        .any(|(_, range)| *range == source.range)
            })
            .map(|holder| (file, holder, item, twice(holder)))
    })
}

/// The fix that gives `id` the newest known version at `source`; when the
/// version is shared with other packages of the same item, `id` is split
/// out of the item into one of its own with that version, so the others
/// keep theirs. `None` when that cannot be written (an `Update` item, a
/// `VersionOverride`).
fn newest_fix(context: &AppContext<'_>, project: &ProjectFile, source: &VersionSource<'_>, id: &str) -> Option<Fix> {
    let Some((file, holder, item, twice)) = shared_holder(context, project, source, id) else {
        return Some(set_newest(source, id));
    };
    // A new item would lose the holder's Condition (or its group's), and an
    // id listed twice would stay in the list: no fix for those.
    if holder.conditional || twice {
        return None;
    }
    let version = packages::newest_known(id);
    let text = file.text.as_str();
    let is_include = holder.id_range.start >= holder.tag_range.start
        && text[holder.tag_range.start..holder.id_range.start].to_ascii_lowercase().contains("include");
    if !is_include || holder.version.as_ref().is_none_or(|(_, range)| *range != source.range) {
        return None;
    }
    // The id and one `;` beside it (with the blanks next to that `;`) leave the list.
    let blank = |c: char| c == ' ' || c == '\t';
    let after = &text[holder.id_range.end..];
    let after_blanks = after.len() - after.trim_start_matches(blank).len();
    let removed = if after[after_blanks..].starts_with(';') {
        let rest = &after[after_blanks + 1..];
        let end = holder.id_range.end + after_blanks + 1 + (rest.len() - rest.trim_start_matches(blank).len());
        TextRange::new(holder.id_range.start, end)
    } else {
        let before = text[..holder.id_range.start].trim_end_matches(blank);
        if !before.ends_with(';') {
            return None;
        }
        TextRange::new(before.len() - 1, holder.id_range.end)
    };
    let editor = XmlEditor::new(text, &file.document);
    let added = editor.add_item(item, &holder.id, Some(version))?;
    let edits = vec![TextEdit { range: removed, new_text: String::new() }, added];
    Some(
        Fix::new(format!("Give {} its own {item} with {version}", holder.id), vec![fixes::edit(&file.path, edits)])
            .preferred(),
    )
}

/// Is a target framework moniker older than net8.0? Unknown monikers are not judged.
/// P010's change: the target framework at `range` becomes net8.0.
pub(crate) fn target_net8(project: &ProjectFile, range: crate::text::TextRange) -> FileChange {
    fixes::edit(&project.file.path, vec![TextEdit { range, new_text: "net8.0".into() }])
}

pub(crate) fn framework_below_net8(moniker: &str) -> bool {
    let moniker = moniker.trim().to_ascii_lowercase();
    if moniker.starts_with("netcoreapp") || moniker.starts_with("netstandard") {
        return true;
    }
    let Some(version) = moniker.strip_prefix("net") else { return false };
    let version = version.split('-').next().unwrap_or(version);
    if !version.contains('.') {
        // net48, net472: .NET Framework.
        return version.bytes().all(|b| b.is_ascii_digit()) && !version.is_empty();
    }
    version.split('.').next().and_then(|major| major.parse::<u32>().ok()).is_some_and(|major| major < 8)
}

/// P011: the Apple-silicon gRPC workaround needs both of its parts.
fn grpc_workaround(context: &AppContext<'_>, project: &ProjectFile, sink: &mut Sink) {
    let model = &project.project;
    let target = model.targets.iter().find(|(name, _)| name.eq_ignore_ascii_case(GRPC_TARGET));
    match (model.reference(GRPC_M1), target) {
        (Some(reference), None) => {
            sink.report(
                "P011",
                &project.file.path,
                reference.id_range,
                format!("{GRPC_M1} without the {GRPC_TARGET} target: the native gRPC library is not copied to .azurefunctions, so the workaround does nothing"),
            )
            .fix(grpc_target(project).map(|change| Fix::new(format!("Add the {GRPC_TARGET} target"), vec![change]).preferred()));
        }
        (None, Some((_, range))) => {
            sink.report(
                "P011",
                &project.file.path,
                *range,
                format!("The {GRPC_TARGET} target without a {GRPC_M1} reference: there is nothing for it to copy"),
            )
            .fix(fixes::add_package(context, project, GRPC_M1, packages::newest_known(GRPC_M1)).map(
                |changes| Fix::new(format!("Add {GRPC_M1} {}", packages::newest_known(GRPC_M1)), changes).preferred(),
            ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_below_net8() {
        for old in ["net6.0", "net7.0", "netcoreapp3.1", "netstandard2.0", "net48", "net5.0-windows"] {
            assert!(framework_below_net8(old), "{old}");
        }
        for new in ["net8.0", "net9.0", "NET10.0", "net8.0-windows", "unknown"] {
            assert!(!framework_below_net8(new), "{new}");
        }
    }
}
