//! What a .NET project file says: its kind, its package references and
//! `Update` items, target frameworks, targets, and central package
//! management (knowledge.md section 4).

use std::path::{Path, PathBuf};

use crate::analysis::packages::IN_PROCESS_SDK;
use crate::syntax::xml::{Element, XmlDocument};
use crate::text::{TextRange, starts_with_ignore_case};

const WORKER_PREFIX: &str = "Microsoft.Azure.Functions.Worker";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectKind {
    /// .NET isolated worker: it references `Microsoft.Azure.Functions.Worker*` packages.
    Isolated,
    /// .NET in-process: it references `Microsoft.NET.Sdk.Functions`.
    InProcess,
    /// A non-.NET app's `extensions.csproj`, written by `func extensions install`.
    Extensions,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageReference {
    pub id: String,
    /// The id inside the `Include` (or `Update`) value.
    pub id_range: TextRange,
    /// The `<PackageReference …>` start tag.
    pub tag_range: TextRange,
    /// The whole element, and how many ids its `Include` lists.
    pub element_range: TextRange,
    pub ids_in_element: usize,
    /// `Version` as an attribute or a child element, with its range.
    pub version: Option<(String, TextRange)>,
    pub version_override: Option<(String, TextRange)>,
    /// Under a `Condition` (its own or an enclosing element's, or in a
    /// `Choose`): only some builds see it.
    pub conditional: bool,
}

#[derive(Clone, Debug)]
pub struct Project {
    pub kind: ProjectKind,
    /// `<PackageReference Include=…>` items (an `Update=` item adds no reference).
    pub references: Vec<PackageReference>,
    /// `<PackageReference Update=…>` items: they can supply a version.
    pub updates: Vec<PackageReference>,
    /// Each framework of `TargetFramework`/`TargetFrameworks`, with its range.
    pub target_frameworks: Vec<(String, TextRange)>,
    /// `<Target Name=…>`: each name and the range of its value.
    pub targets: Vec<(String, TextRange)>,
    /// `ManagePackageVersionsCentrally` when the project sets it.
    pub manage_versions_centrally: Option<bool>,
    /// The `<Project …>` start tag, where project-level diagnostics go.
    pub project_tag: TextRange,
}

/// What references say a project is: in-process with the in-process SDK,
/// isolated with a worker package (knowledge.md 4), else neither.
pub fn kind_of(references: &[PackageReference]) -> ProjectKind {
    if references.iter().any(|r| r.id.eq_ignore_ascii_case(IN_PROCESS_SDK)) {
        ProjectKind::InProcess
    } else if references.iter().any(|r| starts_with_ignore_case(&r.id, WORKER_PREFIX)) {
        ProjectKind::Isolated
    } else {
        ProjectKind::Other
    }
}

impl Project {
    pub fn read(file_name: &str, document: &XmlDocument) -> Project {
        let mut project = Project {
            kind: ProjectKind::Other,
            references: Vec::new(),
            updates: Vec::new(),
            target_frameworks: Vec::new(),
            targets: Vec::new(),
            manage_versions_centrally: None,
            project_tag: TextRange::default(),
        };
        let Some(root) = &document.root else { return project };
        project.project_tag = root.start_tag;
        for (element, conditional) in with_conditions(root) {
            let name = element.name.as_str();
            if name.eq_ignore_ascii_case("PackageReference") {
                project.references.extend(package_items(element, "Include", conditional));
                project.updates.extend(package_items(element, "Update", conditional));
            } else if name.eq_ignore_ascii_case("ManagePackageVersionsCentrally") {
                project.manage_versions_centrally = Some(element.text.trim().eq_ignore_ascii_case("true"));
            } else if name.eq_ignore_ascii_case("TargetFramework") || name.eq_ignore_ascii_case("TargetFrameworks") {
                project.target_frameworks.extend(split_list(&element.text, element.text_range));
            } else if name.eq_ignore_ascii_case("Target") {
                if let Some(target) = element.attribute("Name") {
                    project.targets.push((target.value.clone(), target.value_range));
                }
            }
        }
        project.kind = if file_name.eq_ignore_ascii_case("extensions.csproj") {
            ProjectKind::Extensions
        } else if root.attribute("Sdk").is_some_and(|sdk| starts_with_ignore_case(&sdk.value, WORKER_PREFIX)) {
            ProjectKind::Isolated
        } else {
            kind_of(&project.references)
        };
        project
    }

    /// The reference to `id` (NuGet ids ignore case).
    pub fn reference(&self, id: &str) -> Option<&PackageReference> {
        best(self.references.iter().filter(|r| r.id.eq_ignore_ascii_case(id)))
    }
}

/// The `Update` item of `updates` that sets the version of `reference`:
/// MSBuild applies an Update to the items its file defined before it, and
/// the last one wins over the item's own `Version`.
pub fn update_of<'a>(updates: &'a [PackageReference], reference: &PackageReference) -> Option<&'a PackageReference> {
    updates.iter().rev().find(|u| {
        u.id.eq_ignore_ascii_case(&reference.id)
            && u.version.is_some()
            && u.element_range.start > reference.element_range.start
    })
}

/// `<PackageVersion>` items and the switch of a Directory.Packages.props (or
/// the switch and `Update` items of a Directory.Build.props).
#[derive(Clone, Debug, Default)]
pub struct CentralPackages {
    /// `ManagePackageVersionsCentrally`, when the file sets it.
    pub enabled: Option<bool>,
    pub versions: Vec<PackageReference>,
    /// `<PackageReference Update=…>` items.
    pub updates: Vec<PackageReference>,
    /// `<PackageReference Include=…>` items: in a Directory.Build.props,
    /// which MSBuild imports into every project below it, they are
    /// references of each of those projects.
    pub includes: Vec<PackageReference>,
    /// `<Import Project=…>` values, as written.
    pub imports: Vec<String>,
}

impl CentralPackages {
    pub fn read(document: &XmlDocument) -> CentralPackages {
        let mut central = CentralPackages::default();
        let Some(root) = &document.root else { return central };
        for (element, conditional) in with_conditions(root) {
            if element.name.eq_ignore_ascii_case("PackageVersion") {
                central.versions.extend(package_items(element, "Include", conditional));
            } else if element.name.eq_ignore_ascii_case("PackageReference") {
                central.updates.extend(package_items(element, "Update", conditional));
                central.includes.extend(package_items(element, "Include", conditional));
            } else if element.name.eq_ignore_ascii_case("ManagePackageVersionsCentrally") {
                central.enabled = Some(element.text.trim().eq_ignore_ascii_case("true"));
            } else if element.name.eq_ignore_ascii_case("Import") {
                central.imports.extend(element.attribute("Project").map(|p| p.value.clone()));
            }
        }
        central
    }

    /// The files this props file (at `path`) imports, where they resolve.
    pub fn imported_files<'a>(
        &'a self,
        fs: &'a dyn crate::app::FileSystem,
        path: &'a Path,
    ) -> impl Iterator<Item = PathBuf> + 'a {
        self.imports.iter().filter_map(move |project| import_target(fs, path, project))
    }

    pub fn version_of(&self, id: &str) -> Option<&PackageReference> {
        best(self.versions.iter().rev().filter(|v| v.id.eq_ignore_ascii_case(id)))
    }
}

/// The file an `<Import Project=…>` of the props file at `props` names,
/// for the forms props files use: a path relative to the file (also after
/// `$(MSBuildThisFileDirectory)`), and NuGet's documented
/// `$([MSBuild]::GetPathOfFileAbove(NAME, $(MSBuildThisFileDirectory)..))`
/// (the nearest NAME above the file's folder). `None` for anything that
/// needs MSBuild to evaluate it.
pub fn import_target(fs: &dyn crate::app::FileSystem, props: &Path, project: &str) -> Option<PathBuf> {
    let dir = props.parent()?;
    let value = project.trim();
    if let Some(at) = value.find("GetPathOfFileAbove(") {
        let args = &value[at + "GetPathOfFileAbove(".len()..];
        let name = args.split([',', ')']).next()?.trim().trim_matches(['\'', '"']).trim();
        if name.is_empty() || name.contains(['$', '/', '\\']) {
            return None;
        }
        // The second argument is the folder to start from, this file's own by
        // default; the documented multi-level form starts above it
        // (`$(MSBuildThisFileDirectory)..`). Another folder needs MSBuild.
        let first_end = args.find([',', ')']).unwrap_or(args.len());
        let start = match args[first_end..].strip_prefix(',') {
            None => dir,
            Some(second) => {
                let second = second.trim_start().trim_start_matches(['\'', '"']);
                let after = second.strip_prefix("$(MSBuildThisFileDirectory)")?;
                let tail: String = after.chars().take_while(|c| !matches!(c, '\'' | '"' | ')')).collect();
                match tail.trim().trim_matches(['/', '\\']) {
                    "" => dir,
                    ".." => dir.parent()?,
                    _ => return None,
                }
            }
        };
        return start.ancestors().map(|d| d.join(name)).find(|p| fs.is_file(p));
    }
    let relative = value.strip_prefix("$(MSBuildThisFileDirectory)").unwrap_or(value);
    if relative.is_empty() || relative.contains("$(") || relative.contains('*') {
        return None;
    }
    // An absolute path (`/repo/Common.props`, `C:\repo\Common.props`) is itself.
    let bytes = relative.as_bytes();
    if relative.starts_with('/') || (bytes.len() > 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic()) {
        let path = PathBuf::from(relative);
        return (path != props && fs.is_file(&path)).then_some(path);
    }
    let mut path = dir.to_path_buf();
    for part in relative.split(['/', '\\']).filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." {
            path = path.parent()?.to_path_buf();
        } else {
            path.push(part);
        }
    }
    (path != props && fs.is_file(&path)).then_some(path)
}

/// The items of a `;`-separated MSBuild list with their ranges (exact when
/// the text needed no unescaping).
fn split_list(text: &str, range: TextRange) -> Vec<(String, TextRange)> {
    let exact = text.len() == range.len();
    let mut items = Vec::new();
    let mut offset = 0;
    for part in text.split(';') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let item_range = if exact {
                let start = range.start + offset + (part.len() - part.trim_start().len());
                TextRange::new(start, start + trimmed.len())
            } else {
                range
            };
            items.push((trimmed.to_string(), item_range));
        }
        offset += part.len() + 1;
    }
    items
}

/// The items of one `PackageReference`/`PackageVersion` element: the
/// `Include` (or `Update`) value may list several ids separated by `;`.
/// The item of one package that counts among several: the first that every
/// build sees; when each is under a condition (one per target framework,
/// say), the first with the highest version: without evaluating MSBuild,
/// which applies is not known, and a check must not fail a build whose
/// version is fine (knowledge.md 4: be lenient where MSBuild would have to
/// be evaluated). Serves the items of a file and the versions a rule judges.
pub(crate) fn prefer<T: Copy>(
    items: impl IntoIterator<Item = T>,
    conditional: impl Fn(T) -> bool,
    floor: impl Fn(T) -> Option<crate::analysis::nuget::Version>,
) -> Option<T> {
    let items: Vec<T> = items.into_iter().collect();
    items.iter().copied().find(|&item| !conditional(item)).or_else(|| {
        let mut best = *items.first()?;
        for &item in &items[1..] {
            if floor(item) > floor(best) {
                best = item;
            }
        }
        Some(best)
    })
}

/// [`prefer`] over a file's items, judged by the version written on them.
fn best<'a>(items: impl Iterator<Item = &'a PackageReference>) -> Option<&'a PackageReference> {
    let floor = |r: &PackageReference| {
        let (written, _) = r.version.as_ref()?;
        crate::analysis::nuget::VersionRange::parse(written)?.min.map(|bound| bound.version)
    };
    prefer(items, |r| r.conditional, floor)
}

/// Every element below `root` with whether a `Condition` applies to it
/// (its own or an enclosing element's; `When`/`Otherwise` of a `Choose`).
fn with_conditions(root: &Element) -> Vec<(&Element, bool)> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Element, bool)> = root.children.iter().rev().map(|c| (c, false)).collect();
    while let Some((element, inherited)) = stack.pop() {
        let conditional = inherited
            || element.attribute("Condition").is_some()
            || element.name.eq_ignore_ascii_case("When")
            || element.name.eq_ignore_ascii_case("Otherwise");
        out.push((element, conditional));
        stack.extend(element.children.iter().rev().map(|c| (c, conditional)));
    }
    out
}

fn package_items(element: &Element, attribute: &str, conditional: bool) -> Vec<PackageReference> {
    let Some(include) = element.attribute(attribute) else { return Vec::new() };
    let version = element
        .attribute("Version")
        .map(|a| (a.value.clone(), a.value_range))
        .or_else(|| element.child("Version").map(|v| (v.text.clone(), v.text_range)));
    let version_override = element
        .attribute("VersionOverride")
        .map(|a| (a.value.clone(), a.value_range))
        .or_else(|| element.child("VersionOverride").map(|v| (v.text.clone(), v.text_range)));
    let ids = split_list(&include.value, include.value_range);
    let ids_in_element = ids.len();
    ids.into_iter()
        .map(|(id, id_range)| PackageReference {
            id,
            id_range,
            tag_range: element.start_tag,
            element_range: element.range,
            ids_in_element,
            version: version.clone(),
            version_override: version_override.clone(),
            conditional,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::xml;

    /// The Import forms props files use, resolved as MSBuild does.
    #[test]
    fn imports_resolve_like_msbuild() {
        use crate::app::memory::MemoryFs;
        let fs = MemoryFs::with(&[
            ("/r/Common.props", "<Project />"),
            ("/r/repo/Common.props", "<Project />"),
            ("/r/repo/Directory.Packages.props", "<Project />"),
            ("/r/repo/eng/Versions.props", "<Project />"),
        ]);
        let props = Path::new("/r/repo/Directory.Packages.props");
        let target = |value: &str| import_target(&fs, props, value).map(|p| p.display().to_string());
        // GetPathOfFileAbove starts in this file's folder unless told to start above it.
        assert_eq!(target("$([MSBuild]::GetPathOfFileAbove(Common.props))").as_deref(), Some("/r/repo/Common.props"));
        assert_eq!(
            target("$([MSBuild]::GetPathOfFileAbove('Common.props', '$(MSBuildThisFileDirectory)'))").as_deref(),
            Some("/r/repo/Common.props")
        );
        assert_eq!(
            target("$([MSBuild]::GetPathOfFileAbove(Common.props, $(MSBuildThisFileDirectory)..))").as_deref(),
            Some("/r/Common.props")
        );
        assert_eq!(
            target("$([MSBuild]::GetPathOfFileAbove('Common.props', '$(MSBuildThisFileDirectory)../'))").as_deref(),
            Some("/r/Common.props")
        );
        // Relative (either slash), after $(MSBuildThisFileDirectory), absolute; itself never.
        assert_eq!(target("eng\\Versions.props").as_deref(), Some("/r/repo/eng/Versions.props"));
        assert_eq!(target("$(MSBuildThisFileDirectory)../Common.props").as_deref(), Some("/r/Common.props"));
        assert_eq!(target("/r/Common.props").as_deref(), Some("/r/Common.props"));
        assert_eq!(target("Directory.Packages.props"), None);
        assert_eq!(target("$(RepoRoot)Common.props"), None);
    }

    #[test]
    fn reads_kind_references_and_central_versions() {
        let text = r#"<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.Functions.Worker" Version="2.52.0" />
    <PackageReference Include=" A ; b.c " />
    <PackageReference Update="Ignored" Version="1" />
  </ItemGroup>
  <PropertyGroup><TargetFrameworks>net8.0; net6.0</TargetFrameworks></PropertyGroup>
  <Target Name="CopyGrpcNativeAssetsToOutDir" AfterTargets="Build" />
</Project>"#;
        let project = Project::read("App.csproj", &xml::parse(text));
        assert_eq!(project.kind, ProjectKind::Isolated);
        let ids: Vec<_> = project.references.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["Microsoft.Azure.Functions.Worker", "A", "b.c"]);
        let b = project.reference("B.C").unwrap();
        assert_eq!(&text[b.id_range.start..b.id_range.end], "b.c");
        assert_eq!(Project::read("extensions.csproj", &xml::parse(text)).kind, ProjectKind::Extensions);
        assert!(project.updates.iter().any(|u| u.id == "Ignored" && u.version.is_some()));
        let frameworks: Vec<_> =
            project.target_frameworks.iter().map(|(f, r)| (f.as_str(), &text[r.start..r.end])).collect();
        assert_eq!(frameworks, [("net8.0", "net8.0"), ("net6.0", "net6.0")]);
        assert_eq!(project.targets[0].0, "CopyGrpcNativeAssetsToOutDir");

        let props = r#"<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
<ItemGroup><PackageVersion Include="X"><Version>1.0</Version></PackageVersion></ItemGroup></Project>"#;
        let central = CentralPackages::read(&xml::parse(props));
        assert_eq!(central.enabled, Some(true));
        assert_eq!(central.version_of("x").unwrap().version.as_ref().unwrap().0, "1.0");
    }
}
