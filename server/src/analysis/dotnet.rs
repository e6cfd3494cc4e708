//! What a .NET project file says: its kind and its package references,
//! including central package management (knowledge.md section 4).

use crate::syntax::xml::{Element, XmlDocument};
use crate::text::TextRange;

pub const WORKER_AZURE_MANAGED: &str = "Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged";
pub const WORKER_DURABLE_TASK: &str = "Microsoft.Azure.Functions.Worker.Extensions.DurableTask";
pub const IN_PROCESS_SDK: &str = "Microsoft.NET.Sdk.Functions";
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
    /// The id inside the `Include` value.
    pub id_range: TextRange,
    /// The `<PackageReference …>` start tag.
    pub tag_range: TextRange,
    /// `Version` as an attribute or a child element, with its range.
    pub version: Option<(String, TextRange)>,
    pub version_override: Option<(String, TextRange)>,
}

#[derive(Clone, Debug)]
pub struct Project {
    pub kind: ProjectKind,
    /// `<PackageReference Include=…>` items (an `Update=` item adds no reference).
    pub references: Vec<PackageReference>,
    /// `ManagePackageVersionsCentrally` when the project sets it.
    pub manage_versions_centrally: Option<bool>,
    /// The `<Project …>` start tag, where project-level diagnostics go.
    pub project_tag: TextRange,
}

impl Project {
    pub fn read(file_name: &str, document: &XmlDocument) -> Project {
        let mut project = Project {
            kind: ProjectKind::Other,
            references: Vec::new(),
            manage_versions_centrally: None,
            project_tag: TextRange::default(),
        };
        let Some(root) = &document.root else {
            return project;
        };
        project.project_tag = root.start_tag;
        for element in root.descendants() {
            if element.name.eq_ignore_ascii_case("PackageReference") {
                project.references.extend(package_references(element));
            } else if element.name.eq_ignore_ascii_case("ManagePackageVersionsCentrally") {
                project.manage_versions_centrally = Some(element.text.trim().eq_ignore_ascii_case("true"));
            }
        }
        project.kind = if file_name.eq_ignore_ascii_case("extensions.csproj") {
            ProjectKind::Extensions
        } else if project.reference(IN_PROCESS_SDK).is_some() {
            ProjectKind::InProcess
        } else if project.references.iter().any(|r| starts_with_ignore_case(&r.id, WORKER_PREFIX))
            || root.attribute("Sdk").is_some_and(|sdk| starts_with_ignore_case(&sdk.value, WORKER_PREFIX))
        {
            ProjectKind::Isolated
        } else {
            ProjectKind::Other
        };
        project
    }

    /// The reference to `id` (NuGet ids ignore case).
    pub fn reference(&self, id: &str) -> Option<&PackageReference> {
        self.references.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }
}

/// `<PackageVersion>` items and the switch of a Directory.Packages.props.
#[derive(Clone, Debug, Default)]
pub struct CentralPackages {
    pub enabled: bool,
    pub versions: Vec<PackageReference>,
}

impl CentralPackages {
    pub fn read(document: &XmlDocument) -> CentralPackages {
        let mut central = CentralPackages::default();
        let Some(root) = &document.root else {
            return central;
        };
        for element in root.descendants() {
            if element.name.eq_ignore_ascii_case("PackageVersion") {
                central.versions.extend(package_references(element));
            } else if element.name.eq_ignore_ascii_case("ManagePackageVersionsCentrally") {
                central.enabled = element.text.trim().eq_ignore_ascii_case("true");
            }
        }
        central
    }

    pub fn version_of(&self, id: &str) -> Option<&PackageReference> {
        self.versions.iter().rev().find(|v| v.id.eq_ignore_ascii_case(id))
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The items of one `PackageReference`/`PackageVersion` element: `Include`
/// may list several ids separated by `;`.
fn package_references(element: &Element) -> Vec<PackageReference> {
    let Some(include) = element.attribute("Include") else {
        return Vec::new();
    };
    let version = element
        .attribute("Version")
        .map(|a| (a.value.clone(), a.value_range))
        .or_else(|| element.child("Version").map(|v| (v.text.clone(), v.text_range)));
    let version_override = element
        .attribute("VersionOverride")
        .map(|a| (a.value.clone(), a.value_range))
        .or_else(|| element.child("VersionOverride").map(|v| (v.text.clone(), v.text_range)));
    // Ranges of the ids are only exact when the attribute needed no unescaping.
    let raw_matches = include.value.len() == include.value_range.len();
    let mut references = Vec::new();
    let mut offset = 0;
    for part in include.value.split(';') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let id_range = if raw_matches {
                let start = include.value_range.start + offset + (part.len() - part.trim_start().len());
                TextRange::new(start, start + trimmed.len())
            } else {
                include.value_range
            };
            references.push(PackageReference {
                id: trimmed.to_string(),
                id_range,
                tag_range: element.start_tag,
                version: version.clone(),
                version_override: version_override.clone(),
            });
        }
        offset += part.len() + 1;
    }
    references
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::xml;

    #[test]
    fn reads_kind_references_and_central_versions() {
        let text = r#"<Project Sdk="Microsoft.NET.Sdk">
  <ItemGroup>
    <PackageReference Include="Microsoft.Azure.Functions.Worker" Version="2.52.0" />
    <PackageReference Include=" A ; b.c " />
    <PackageReference Update="Ignored" Version="1" />
  </ItemGroup>
</Project>"#;
        let project = Project::read("App.csproj", &xml::parse(text));
        assert_eq!(project.kind, ProjectKind::Isolated);
        let ids: Vec<_> = project.references.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["Microsoft.Azure.Functions.Worker", "A", "b.c"]);
        let b = project.reference("B.C").unwrap();
        assert_eq!(&text[b.id_range.start..b.id_range.end], "b.c");
        assert_eq!(Project::read("extensions.csproj", &xml::parse(text)).kind, ProjectKind::Extensions);

        let props = r#"<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
<ItemGroup><PackageVersion Include="X"><Version>1.0</Version></PackageVersion></ItemGroup></Project>"#;
        let central = CentralPackages::read(&xml::parse(props));
        assert!(central.enabled);
        assert_eq!(central.version_of("x").unwrap().version.as_ref().unwrap().0, "1.0");
    }
}
