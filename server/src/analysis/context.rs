//! Every file of one app, read and parsed once, and the facts the rules share
//! (which backend host.json selects, which setting holds the DTS connection).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::FileReport;
use crate::analysis::dotnet::{CentralPackages, PackageReference, Project, ProjectKind};
use crate::app::{App, FileKind, FileSystem, WorkerRuntime};
use crate::syntax::connection_string::{self, ConnectionString};
use crate::syntax::jsonc::{JsonDocument, JsonString, Member, Object, Value};
use crate::syntax::xml::XmlDocument;
use crate::text::TextRange;

/// The setting name DTS reads when host.json names none (knowledge.md 2.2).
pub const DEFAULT_CONNECTION_SETTING: &str = "DURABLE_TASK_SCHEDULER_CONNECTION_STRING";
/// The app setting the switch and the fixes put the hub name in, and its reference.
pub const HUB_SETTING: &str = "TASKHUB_NAME";
pub const HUB_SETTING_REF: &str = "%TASKHUB_NAME%";
/// The app-setting form of a host.json override (knowledge.md 2.2, last bullet).
pub const HUB_NAME_OVERRIDE: &str = "AzureFunctionsJobHost__extensions__durableTask__hubName";

pub struct JsonFile {
    pub path: PathBuf,
    pub text: Arc<String>,
    pub document: Arc<JsonDocument>,
}

pub struct XmlFile {
    pub path: PathBuf,
    pub text: Arc<String>,
    pub document: Arc<XmlDocument>,
}

pub struct ProjectFile {
    pub file: XmlFile,
    pub project: Project,
}

pub struct AppContext<'a> {
    pub app: &'a App,
    pub host: Option<JsonFile>,
    pub local: Option<JsonFile>,
    pub projects: Vec<ProjectFile>,
    pub packages_props: Option<XmlFile>,
    pub central: Option<CentralPackages>,
    pub build_props: Option<XmlFile>,
    pub build: Option<CentralPackages>,
    /// The props files Directory.Packages.props and Directory.Build.props
    /// import (NuGet's multi-level central management): they can turn
    /// central management on and hold versions (knowledge.md 4).
    pub imported: Vec<(XmlFile, CentralPackages)>,
    /// A file too large to analyse (it is treated as absent), with its size.
    pub oversized: Option<(PathBuf, usize)>,
}

/// Where a package reference's version is written: VersionOverride, the
/// central PackageVersion, the reference's own Version, or an Update item.
#[derive(Clone, Copy, Debug)]
pub struct VersionSource<'a> {
    pub text: &'a str,
    pub path: &'a Path,
    pub range: TextRange,
}

/// The storage backends the Durable extension registers (knowledge.md 2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    AzureStorage,
    AzureManaged,
    Mssql,
    Netherite,
}

impl Backend {
    pub const ALL: [(&'static str, Backend); 4] = [
        ("AzureStorage", Backend::AzureStorage),
        ("AzureManaged", Backend::AzureManaged),
        ("mssql", Backend::Mssql),
        ("Netherite", Backend::Netherite),
    ];

    /// The name a person reads.
    pub fn display_name(self) -> &'static str {
        match self {
            Backend::AzureStorage => "Azure Storage",
            Backend::AzureManaged => "Durable Task Scheduler (azureManaged)",
            Backend::Mssql => "MSSQL",
            Backend::Netherite => "Netherite",
        }
    }

    /// The extension compares provider names ignoring case.
    pub fn from_type(value: &str) -> Option<Backend> {
        Backend::ALL.iter().find(|(name, _)| name.eq_ignore_ascii_case(value)).map(|(_, b)| *b)
    }
}

/// host.json's `extensions.durableTask` as the rules see it. Section and key
/// names ignore case (the host binds them through configuration, which
/// does), except `type`, which the extension reads case-sensitively.
pub struct DurableSettings<'a> {
    /// The `"durableTask"` member, when present.
    pub durable_task_member: Option<&'a Member>,
    pub durable_task: Option<&'a Object>,
    pub storage_provider: Option<&'a Object>,
    /// The `type` member (exact key).
    pub type_member: Option<&'a Member>,
    /// `None` when `type` is present but names no backend.
    pub backend: Option<Backend>,
}

impl<'a> DurableSettings<'a> {
    /// What host.json's document says (`AppContext::durable` for an app's host.json).
    pub fn of(host: Option<&'a JsonDocument>) -> DurableSettings<'a> {
        let durable_task_member = host
            .and_then(JsonDocument::root_object)
            .and_then(|root| root.object_ignore_case("extensions"))
            .and_then(|extensions| extensions.member_ignore_case("durableTask"));
        let durable_task = durable_task_member.and_then(|m| m.value.as_ref()).and_then(Value::as_object);
        let storage_provider = durable_task.and_then(|d| d.object_ignore_case("storageProvider"));
        let type_member = storage_provider.and_then(|p| p.member("type"));
        let backend = match type_member.and_then(|m| m.value.as_ref()) {
            None => Some(Backend::AzureStorage),
            Some(value) => value.as_str().and_then(Backend::from_type),
        };
        DurableSettings { durable_task_member, durable_task, storage_provider, type_member, backend }
    }

    pub fn type_value(&self) -> Option<&'a Value> {
        self.type_member.and_then(|m| m.value.as_ref())
    }

    /// The member that names the DTS connection setting: `connectionName`
    /// wins over the legacy `connectionStringName` (knowledge.md 2.2).
    pub fn connection_member(&self) -> Option<&'a Member> {
        let provider = self.storage_provider?;
        provider.member_ignore_case("connectionName").or_else(|| provider.member_ignore_case("connectionStringName"))
    }

    /// The setting name holding the DTS connection string, `%…%` unwrapped,
    /// or the default. `None` when the member holds no string.
    pub fn connection_setting(&self) -> Option<String> {
        match self.connection_member() {
            None => Some(DEFAULT_CONNECTION_SETTING.to_string()),
            Some(member) => {
                member.value.as_ref()?.as_str().map(|name| unwrap_percent(name).unwrap_or(name).to_string())
            }
        }
    }

    pub fn hub_name(&self) -> Option<&'a Member> {
        self.durable_task?.member_ignore_case("hubName")
    }

    /// `hubName` as written, when it is a string.
    pub fn hub_text(&self) -> Option<&'a str> {
        self.hub_name()?.value.as_ref()?.as_str()
    }

    /// The setting `hubName` reads, when it is wholly `%X%`: X.
    pub fn hub_setting(&self) -> Option<&'a str> {
        self.hub_text().and_then(unwrap_percent)
    }

    pub fn is_dts(&self) -> bool {
        self.backend == Some(Backend::AzureManaged)
    }
}

/// host.json's `extensionBundle`.
pub struct BundleSettings<'a> {
    pub member: &'a Member,
    pub id: Option<&'a Value>,
    pub version: Option<&'a Value>,
}

/// The DTS connection string host.json points at, parsed.
pub struct DtsConnection<'a> {
    pub setting: String,
    pub string: &'a JsonString,
    pub parsed: ConnectionString,
}

/// `NAME` for a value that is wholly `%NAME%` (only those resolve, knowledge.md 2.3).
pub fn unwrap_percent(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('%')?.strip_suffix('%')?;
    (!inner.is_empty() && !inner.contains('%')).then_some(inner)
}

/// Where a setting was found in local.settings.json.
pub struct SettingEntry<'a> {
    pub member: &'a Member,
    /// The string that holds the value (for `ConnectionStrings`, also the
    /// `ConnectionString` of the object form).
    pub string: Option<&'a JsonString>,
}

impl<'a> AppContext<'a> {
    pub fn load(fs: &dyn FileSystem, app: &'a App) -> AppContext<'a> {
        let oversized = std::cell::RefCell::new(None);
        // Every read goes through here: a file too large to analyse is not parsed.
        let read = |path: &Path| {
            let text = fs.read(path)?;
            if text.len() > crate::analysis::MAX_ANALYSED_BYTES {
                oversized.borrow_mut().get_or_insert((path.to_path_buf(), text.len()));
                return None;
            }
            Some(text)
        };
        let json = |path: &Path| {
            read(path).map(|text| JsonFile { path: path.to_path_buf(), document: fs.parse_json(path, &text), text })
        };
        let xml_file = |path: &Path| {
            read(path).map(|text| XmlFile { path: path.to_path_buf(), document: fs.parse_xml(path, &text), text })
        };
        let build_props = app.build_props.as_deref().and_then(xml_file);
        let build = build_props.as_ref().map(|p| CentralPackages::read(&p.document));
        let packages_props = app.packages_props.as_deref().and_then(xml_file);
        let central = packages_props.as_ref().map(|p| CentralPackages::read(&p.document));
        // One level of imports, from the props files the app takes.
        let mut imported: Vec<(XmlFile, CentralPackages)> = Vec::new();
        for (file, read) in [(&packages_props, &central), (&build_props, &build)] {
            let (Some(file), Some(read)) = (file, read) else { continue };
            for target in read.imported_files(fs, &file.path) {
                let known = |path: &Path| {
                    [&packages_props, &build_props].iter().any(|f| f.as_ref().is_some_and(|f| f.path == path))
                        || imported.iter().any(|(f, _)| f.path == path)
                };
                if known(&target) {
                    continue;
                }
                if let Some(xml) = xml_file(&target) {
                    let central = CentralPackages::read(&xml.document);
                    imported.push((xml, central));
                }
            }
        }
        // MSBuild imports a Directory.Build.props's references (and those of
        // the props files it imports) into every project below it: worker
        // packages there make an isolated project of one that names none itself.
        let inherited: Vec<PackageReference> = build
            .iter()
            .chain(&central)
            .chain(imported.iter().map(|(_, c)| c))
            .flat_map(|c| c.includes.iter().cloned())
            .collect();
        let projects = app
            .projects
            .iter()
            .filter_map(|path| {
                let file = xml_file(path)?;
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                let mut project = Project::read(name, &file.document);
                if project.kind == ProjectKind::Other {
                    project.kind = crate::analysis::dotnet::kind_of(&inherited);
                }
                Some(ProjectFile { file, project })
            })
            .collect();
        let host = json(&app.host_json);
        let local = json(&app.local_settings);
        // Taken after the last read.
        let oversized = oversized.borrow_mut().take();
        AppContext { oversized, build_props, build, imported, app, host, local, projects, packages_props, central }
    }

    pub fn durable(&self) -> DurableSettings<'_> {
        DurableSettings::of(self.host.as_ref().map(|h| &*h.document))
    }

    pub fn bundle(&self) -> Option<BundleSettings<'_>> {
        let root = self.host.as_ref()?.document.root_object()?;
        let member = root.member_ignore_case("extensionBundle")?;
        let object = member.value.as_ref().and_then(Value::as_object);
        Some(BundleSettings {
            member,
            id: object.and_then(|o| o.get_ignore_case("id")),
            version: object.and_then(|o| o.get_ignore_case("version")),
        })
    }

    /// The DTS connection string, when host.json selects azureManaged and the
    /// setting it names holds a string in local.settings.json.
    pub fn dts_connection(&self) -> Option<DtsConnection<'_>> {
        let durable = self.durable();
        if !durable.is_dts() {
            return None;
        }
        let setting = durable.connection_setting()?;
        let string = self.setting(&setting)?.string?;
        Some(DtsConnection { setting, string, parsed: connection_string::parse(&string.value) })
    }

    /// The hub name the runtime will use, when it can be known: a literal, or
    /// a `%X%` whose X is in Values. `None` when absent or unresolved.
    pub fn resolved_hub_name(&self) -> Option<String> {
        let value = self.durable().hub_text()?;
        match unwrap_percent(value) {
            Some(_) if self.values_encrypted() => None,
            Some(setting) => self.value_setting(setting)?.value.as_ref()?.as_str().map(str::to_string),
            None if value.contains('%') => None,
            None => Some(value.to_string()),
        }
    }

    /// A resolved hub name as a message may show it: `***` when host.json
    /// reads it from a setting whose name says it is a secret.
    pub fn hub_name_shown<'v>(&self, resolved: &'v str) -> &'v str {
        let setting = self.durable().hub_setting();
        if setting.is_some_and(crate::analysis::secrets::secret_name) { "***" } else { resolved }
    }

    /// local.settings.json's root object, when the file exists and is one.
    pub fn local_root(&self) -> Option<&Object> {
        self.local.as_ref()?.document.root_object()
    }

    /// Whether local.settings.json says `"IsEncrypted": true`: its keys are
    /// plain, its values ciphertext (`func settings encrypt`), so no rule
    /// reads what a value says.
    pub fn values_encrypted(&self) -> bool {
        self.local.as_ref().is_some_and(|local| is_encrypted(&local.document))
    }

    /// A setting as the runtime looks it up: `ConnectionStrings` first, then
    /// `Values` (knowledge.md 2.2); an exact key before one differing in case.
    pub fn setting(&self, name: &str) -> Option<SettingEntry<'_>> {
        let root = self.local_root()?;
        let find = |section: &str| {
            let object = root.object_ignore_case(section)?;
            object.member(name).or_else(|| object.member_ignore_case(name))
        };
        if let Some(member) = find("ConnectionStrings") {
            let string = member.value.as_ref().and_then(|v| match v.as_object() {
                Some(object) => object.get("ConnectionString").and_then(Value::as_string),
                None => v.as_string(),
            });
            return Some(SettingEntry { member, string: string.filter(|_| !self.values_encrypted()) });
        }
        let member = find("Values")?;
        let string = member.value.as_ref().and_then(Value::as_string).filter(|_| !self.values_encrypted());
        Some(SettingEntry { member, string })
    }

    /// local.settings.json's `Values` (Core Tools binds it ignoring case).
    pub fn local_values(&self) -> Option<&Object> {
        self.local_root()?.object_ignore_case("Values")
    }

    /// A key of `Values` (app settings only; `ConnectionStrings` do not resolve `%X%`).
    pub fn value_setting(&self, name: &str) -> Option<&Member> {
        let values = self.local_values()?;
        values.member(name).or_else(|| values.member_ignore_case(name))
    }

    /// The app's worker runtime: `FUNCTIONS_WORKER_RUNTIME` when it names
    /// one, else what the project files or marker files imply.
    pub fn worker_runtime(&self) -> Option<WorkerRuntime> {
        let declared = self
            .value_setting("FUNCTIONS_WORKER_RUNTIME")
            .filter(|_| !self.values_encrypted())
            .and_then(|m| m.value.as_ref()?.as_str());
        declared.and_then(WorkerRuntime::from_setting).or_else(|| self.runtime_from_files())
    }

    /// What the files alone say (the value L007 compares the setting against).
    pub fn runtime_from_files(&self) -> Option<WorkerRuntime> {
        let kinds: Vec<ProjectKind> = self.projects.iter().map(|p| p.project.kind).collect();
        if kinds.contains(&ProjectKind::Isolated) {
            Some(WorkerRuntime::DotnetIsolated)
        } else if kinds.contains(&ProjectKind::InProcess) {
            Some(WorkerRuntime::DotnetInProcess)
        } else {
            WorkerRuntime::from_marker_files(self.app)
        }
    }

    /// Where a new setting would go: local.settings.json's `Values` object, or its root.
    pub fn values_anchor(&self) -> Option<(PathBuf, TextRange)> {
        let local = self.local.as_ref()?;
        let root = local.document.root_object()?;
        let open = root.object_ignore_case("Values").map_or(root.open(), |values| values.open());
        Some((local.path.clone(), open))
    }

    /// Is central package management on for this project? The project's own
    /// setting wins, then Directory.Build.props, then Directory.Packages.props.
    pub fn central_management(&self, project: &ProjectFile) -> bool {
        project
            .project
            .manage_versions_centrally
            .or_else(|| self.build.as_ref().and_then(|b| b.enabled))
            .or_else(|| self.central.as_ref().and_then(|c| c.enabled))
            .or_else(|| self.imported.iter().find_map(|(_, c)| c.enabled))
            .unwrap_or(false)
    }

    /// The central `PackageVersion` of `id`: Directory.Packages.props's own,
    /// else one in a file it (or Directory.Build.props) imports; with the
    /// file it is written in.
    pub fn central_version(&self, id: &str) -> Option<(&XmlFile, &PackageReference)> {
        let own = self.packages_props.as_ref().zip(self.central.as_ref().and_then(|c| c.version_of(id)));
        own.or_else(|| self.imported.iter().rev().find_map(|(file, c)| Some((file, c.version_of(id)?))))
    }

    /// Where the version of `reference` comes from (knowledge.md 4: a
    /// VersionOverride wins; under central management the PackageVersion;
    /// else the reference's Version; else an Update item that sets one).
    pub fn version_source<'s>(
        &'s self,
        project: &'s ProjectFile,
        reference: &'s PackageReference,
    ) -> Option<VersionSource<'s>> {
        let file = self.reference_file(project, reference);
        let in_project = |(text, range): &'s (String, TextRange)| VersionSource { text, path: file, range: *range };
        if let Some(found) = &reference.version_override {
            return Some(in_project(found));
        }
        if self.central_management(project) {
            let (props, found) = self.central_version(&reference.id)?;
            let version = found.version.as_ref()?;
            return Some(VersionSource { text: &version.0, path: &props.path, range: version.1 });
        }
        // An Update applies to the items its own file defined before it (a
        // Directory.Build.props is evaluated before the project's items, so
        // its Updates reach only the items it includes itself), and the last
        // one that sets a version wins over the item's own.
        let in_build = self.build_props.as_ref().is_some_and(|build| build.path == file);
        let imported = self.imported.iter().find(|(f, _)| f.path == file).map(|(_, c)| &c.updates);
        let updates = match (&self.build, imported) {
            (_, Some(updates)) => updates,
            (Some(build), None) if in_build => &build.updates,
            _ => &project.project.updates,
        };
        // MSBuild reads the props files inline before the project: an item
        // they bring is reached by every Update of the project, and those
        // come last.
        let from_project = (file != project.file.path)
            .then(|| {
                project
                    .project
                    .updates
                    .iter()
                    .rev()
                    .find(|u| u.id.eq_ignore_ascii_case(&reference.id) && u.version.is_some())
            })
            .flatten();
        if let Some((text, range)) = from_project.and_then(|u| u.version.as_ref()) {
            return Some(VersionSource { text, path: &project.file.path, range: *range });
        }
        // An item of an imported props file is reached by the Updates of the
        // file that imports it (imports sit at the top of it).
        if self.imported.iter().any(|(f, _)| f.path == file) {
            let importers = [(&self.build_props, &self.build), (&self.packages_props, &self.central)];
            for (importer, read) in importers {
                let (Some(importer), Some(read)) = (importer, read) else { continue };
                let update =
                    read.updates.iter().rev().find(|u| u.id.eq_ignore_ascii_case(&reference.id) && u.version.is_some());
                if let Some((text, range)) = update.and_then(|u| u.version.as_ref()) {
                    return Some(VersionSource { text, path: &importer.path, range: *range });
                }
            }
        }
        if let Some(update) = crate::analysis::dotnet::update_of(updates, reference) {
            return update.version.as_ref().map(in_project);
        }
        reference.version.as_ref().map(in_project)
    }

    /// Whether `project` references the package `id`: itself, or through a
    /// Directory.Build.props above it (MSBuild imports its items into
    /// every project below it).
    pub fn references(&self, project: &ProjectFile, id: &str) -> bool {
        self.package_reference(project, id).is_some()
    }

    /// `project`'s reference to `id`: its own, else one a Directory.Build.props
    /// above it includes.
    pub fn package_reference<'s>(&'s self, project: &'s ProjectFile, id: &str) -> Option<&'s PackageReference> {
        project.project.reference(id).or_else(|| self.build_includes().find(|i| i.id.eq_ignore_ascii_case(id)))
    }

    /// Every reference of `project`: its own, then those of a
    /// Directory.Build.props above it that it does not name itself.
    pub fn all_references<'s>(&'s self, project: &'s ProjectFile) -> impl Iterator<Item = &'s PackageReference> {
        let own = &project.project.references;
        let inherited = self.build_includes().filter(|i| own.iter().all(|r| !r.id.eq_ignore_ascii_case(&i.id)));
        own.iter().chain(inherited)
    }

    /// The references the props files bring (MSBuild imports Directory.Build.props
    /// and Directory.Packages.props, and what they import, into every project below).
    fn build_includes(&self) -> impl Iterator<Item = &PackageReference> {
        self.props_files().flat_map(|(_, read)| &read.includes)
    }

    /// The props files the app's projects take, each with what it says:
    /// Directory.Build.props, Directory.Packages.props, then what they import.
    pub fn props_files(&self) -> impl Iterator<Item = (&XmlFile, &CentralPackages)> {
        let own = [(&self.build_props, &self.build), (&self.packages_props, &self.central)];
        own.into_iter()
            .filter_map(|(file, read)| file.as_ref().zip(read.as_ref()))
            .chain(self.imported.iter().map(|(file, read)| (file, read)))
    }

    /// The file a reference of `project` is written in: the project, or the
    /// props file that includes it.
    pub fn reference_file<'s>(&'s self, project: &'s ProjectFile, reference: &PackageReference) -> &'s Path {
        self.props_files()
            .find(|(_, read)| read.includes.iter().any(|i| std::ptr::eq(i, reference)))
            .map_or(&project.file.path, |(file, _)| &file.path)
    }

    /// A non-.NET app: its worker runtime is known and is not .NET, and no
    /// project says otherwise (knowledge.md 5).
    pub fn is_non_dotnet(&self) -> bool {
        !self.has_dotnet_project() && self.worker_runtime().is_some_and(|r| !r.is_dotnet())
    }

    /// A .NET project (isolated or in-process) is in the app folder.
    pub fn has_dotnet_project(&self) -> bool {
        self.projects.iter().any(|p| matches!(p.project.kind, ProjectKind::Isolated | ProjectKind::InProcess))
    }

    /// A non-.NET app's extensions.csproj.
    pub fn extensions_project(&self) -> Option<&ProjectFile> {
        self.projects.iter().find(|p| p.project.kind == ProjectKind::Extensions)
    }

    pub fn isolated_projects(&self) -> impl Iterator<Item = &ProjectFile> {
        self.projects.iter().filter(|p| p.project.kind == ProjectKind::Isolated)
    }

    pub fn into_reports(self) -> Vec<FileReport> {
        let mut reports = Vec::new();
        let json_report =
            |file: JsonFile, kind| FileReport { path: file.path, kind, text: file.text, diagnostics: Vec::new() };
        reports.extend(self.host.map(|f| json_report(f, FileKind::HostJson)));
        reports.extend(self.local.map(|f| json_report(f, FileKind::LocalSettings)));
        for project in self.projects {
            let file = project.file;
            reports.push(FileReport {
                path: file.path,
                kind: FileKind::Project,
                text: file.text,
                diagnostics: Vec::new(),
            });
        }
        let imported = self.imported.into_iter().map(|(file, _)| file);
        for file in [self.packages_props, self.build_props].into_iter().flatten().chain(imported) {
            reports.push(FileReport {
                path: file.path,
                kind: FileKind::PackagesProps,
                text: file.text,
                diagnostics: Vec::new(),
            });
        }
        reports
    }
}

/// Whether a local.settings.json says `"IsEncrypted": true` (the property
/// is bound ignoring case).
pub fn is_encrypted(local: &JsonDocument) -> bool {
    local.root_object().and_then(|root| root.get_ignore_case("IsEncrypted")).and_then(Value::as_bool) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::memory::MemoryFs;

    fn runtime(files: &[(&str, &str)]) -> (Option<WorkerRuntime>, Option<WorkerRuntime>) {
        let fs = MemoryFs::with(files);
        let app = App::at(&fs, Path::new("/a")).unwrap();
        let context = AppContext::load(&fs, &app);
        (context.worker_runtime(), context.runtime_from_files())
    }

    #[test]
    fn worker_runtime_comes_from_the_setting_then_the_files() {
        let isolated = r#"<Project><ItemGroup><PackageReference Include="Microsoft.Azure.Functions.Worker" /></ItemGroup></Project>"#;
        let in_process =
            r#"<Project><ItemGroup><PackageReference Include="Microsoft.NET.Sdk.Functions" /></ItemGroup></Project>"#;
        let node = r#"{"Values": {"FUNCTIONS_WORKER_RUNTIME": "Node"}}"#;
        assert_eq!(
            runtime(&[("/a/host.json", "{}"), ("/a/A.csproj", isolated)]).0,
            Some(WorkerRuntime::DotnetIsolated)
        );
        assert_eq!(
            runtime(&[("/a/host.json", "{}"), ("/a/A.csproj", in_process)]).0,
            Some(WorkerRuntime::DotnetInProcess)
        );
        assert_eq!(runtime(&[("/a/host.json", "{}"), ("/a/function_app.py", "")]).0, Some(WorkerRuntime::Python));
        assert_eq!(
            runtime(&[("/a/host.json", "{}"), ("/a/local.settings.json", node), ("/a/requirements.txt", "")]),
            (Some(WorkerRuntime::Node), Some(WorkerRuntime::Python))
        );
        assert_eq!(runtime(&[("/a/host.json", "{}")]).0, None);
    }
}
