//! The function app model: which files make one app, and where they are.
//!
//! A function app is a folder holding `host.json`. Its other files are the
//! sibling `local.settings.json`, the project files in that folder and the
//! nearest `Directory.Packages.props` in it or above it (how MSBuild finds
//! it). All reads go through `FileSystem`, so the editor's open buffers can
//! take precedence over disk and tests can use an in-memory tree.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::syntax::jsonc::{self, JsonDocument};
use crate::syntax::xml::{self, XmlDocument};

/// Read access to files. The LSP layers open buffers over the disk; the CLI reads the disk.
pub trait FileSystem {
    /// The file's text; `None` when it does not exist or cannot be read as text.
    /// Shared, not copied: an editor buffer is handed out as it is.
    fn read(&self, path: &Path) -> Option<Arc<String>>;
    /// `text` (what `read(path)` returned) parsed as JSONC. Implementations
    /// that see the same text again may hand out the earlier parse.
    fn parse_json(&self, _path: &Path, text: &Arc<String>) -> Arc<JsonDocument> {
        Arc::new(jsonc::parse(text))
    }
    /// `text` parsed as XML; cached like `parse_json`.
    fn parse_xml(&self, _path: &Path, text: &Arc<String>) -> Arc<XmlDocument> {
        Arc::new(xml::parse(text))
    }
    /// Names of the regular files directly in `dir` (empty when it cannot be listed).
    fn file_names(&self, dir: &Path) -> Vec<String>;
    fn is_file(&self, path: &Path) -> bool;
    /// The app at `root` as `scan` finds it (`App::at`). An implementation
    /// may hand out an earlier scan's answer while nothing it read has changed.
    fn app_at(&self, _root: &Path, scan: &dyn Fn() -> Option<App>) -> Option<App> {
        scan()
    }
    /// Versions of a package in the user's local NuGet packages folder
    /// (read offline; empty when there is none).
    fn cached_package_versions(&self, _id: &str) -> Vec<String> {
        Vec::new()
    }
}

/// File names in `dir`: those of `base` plus the files in `extra` that lie
/// directly in it (buffers or edits that exist only in memory).
pub fn names_in<'a>(dir: &Path, mut base: Vec<String>, extra: impl Iterator<Item = &'a Path>) -> Vec<String> {
    for path in extra.filter(|p| p.parent() == Some(dir)) {
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            if !base.iter().any(|n| n == name) {
                base.push(name.to_string());
            }
        }
    }
    base
}

/// The kinds of file the server understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    HostJson,
    LocalSettings,
    /// A `*.csproj`, including a non-.NET app's `extensions.csproj`.
    Project,
    PackagesProps,
}

impl FileKind {
    pub fn of(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if name == "host.json" {
            Some(FileKind::HostJson)
        } else if name == "local.settings.json" {
            Some(FileKind::LocalSettings)
        } else if name.len() > 7 && name.get(name.len() - 7..).is_some_and(|tail| tail.eq_ignore_ascii_case(".csproj"))
        {
            Some(FileKind::Project)
        } else if name.eq_ignore_ascii_case("Directory.Packages.props")
            || name.eq_ignore_ascii_case("Directory.Build.props")
        {
            // Both are shared by every app below them and handled alike.
            Some(FileKind::PackagesProps)
        } else {
            None
        }
    }
}

/// A copy the build made (`bin/Debug/net8.0/host.json`, `obj/Release/…`):
/// not an app of its own, and not what the user edits.
pub(crate) fn in_build_output(file: &Path) -> bool {
    let parts: Vec<&std::ffi::OsStr> = file.iter().collect();
    parts.windows(2).any(|pair| {
        let build = pair[0] == "bin" || pair[0] == "obj";
        let configuration =
            pair[1].to_str().is_some_and(|c| c.eq_ignore_ascii_case("Debug") || c.eq_ignore_ascii_case("Release"));
        build && configuration
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    pub root: PathBuf,
    pub host_json: PathBuf,
    /// Where local.settings.json is or would be; it may not exist.
    pub local_settings: PathBuf,
    /// `*.csproj` files in the app folder, sorted.
    pub projects: Vec<PathBuf>,
    pub packages_props: Option<PathBuf>,
    /// The nearest `Directory.Build.props` (it can switch central package
    /// management on and supply versions through `Update` items).
    pub build_props: Option<PathBuf>,
    /// Names of every file in the app folder, for worker-runtime detection.
    pub file_names: Vec<String>,
}

impl App {
    /// The app whose folder is `root`, when it holds a host.json.
    pub fn at(fs: &dyn FileSystem, root: &Path) -> Option<App> {
        fs.app_at(root, &|| App::scan(fs, root))
    }

    /// What `at` finds, read from `fs`: the folder's host.json and file
    /// names, and each folder above it for the shared props files.
    fn scan(fs: &dyn FileSystem, root: &Path) -> Option<App> {
        let host_json = root.join("host.json");
        if !fs.is_file(&host_json) {
            return None;
        }
        let mut file_names = fs.file_names(root);
        file_names.sort();
        let projects = file_names
            .iter()
            .filter(|name| FileKind::of(Path::new(name)) == Some(FileKind::Project))
            .map(|name| root.join(name))
            .collect();
        Some(App {
            root: root.to_path_buf(),
            host_json,
            local_settings: root.join("local.settings.json"),
            projects,
            packages_props: find_upwards(fs, root, PACKAGES_PROPS),
            build_props: find_upwards(fs, root, BUILD_PROPS),
            file_names,
        })
    }

    /// Every path `scan` looks for by name, besides the folder's listing:
    /// the folder's host.json, and each props file in the folder and in every
    /// folder above it.
    pub fn looked_up(root: &Path) -> impl Iterator<Item = PathBuf> + '_ {
        let props = root.ancestors().flat_map(|dir| [PACKAGES_PROPS, BUILD_PROPS].map(|name| dir.join(name)));
        std::iter::once(root.join("host.json")).chain(props)
    }

    /// The app a file belongs to: its folder's app for host.json,
    /// local.settings.json and project files. A Directory.Packages.props
    /// belongs to every app below it, so it has no single app.
    pub fn containing(fs: &dyn FileSystem, file: &Path) -> Option<App> {
        if in_build_output(file) {
            return None;
        }
        match FileKind::of(file)? {
            FileKind::HostJson | FileKind::LocalSettings | FileKind::Project => App::at(fs, file.parent()?),
            FileKind::PackagesProps => None,
        }
    }

    /// Every file of the app that the rules read, existing or not.
    pub fn files(&self) -> Vec<&Path> {
        let mut files = vec![self.host_json.as_path(), self.local_settings.as_path()];
        files.extend(self.projects.iter().map(PathBuf::as_path));
        files.extend(self.packages_props.as_deref());
        files.extend(self.build_props.as_deref());
        files
    }

    pub fn has_file(&self, name: &str) -> bool {
        self.file_names.iter().any(|f| f.eq_ignore_ascii_case(name))
    }
}

/// The props files an app takes from the nearest folder, its own or one above, that has them.
pub(crate) const PACKAGES_PROPS: &str = "Directory.Packages.props";
pub(crate) const BUILD_PROPS: &str = "Directory.Build.props";

/// The nearest file named `name` in `dir` or a folder above it, as MSBuild finds it.
fn find_upwards(fs: &dyn FileSystem, dir: &Path, name: &str) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(name)).find(|p| fs.is_file(p))
}

/// The worker runtime an app's files imply, by the markers of knowledge.md
/// 3 and rules.md L007 (project files are read by the caller).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerRuntime {
    DotnetIsolated,
    DotnetInProcess,
    Python,
    Node,
    Java,
    PowerShell,
    Custom,
    Go,
}

impl WorkerRuntime {
    /// Reads a `FUNCTIONS_WORKER_RUNTIME` value (case-insensitive, as Core Tools compares it).
    pub fn from_setting(value: &str) -> Option<WorkerRuntime> {
        let runtime = match value.trim().to_ascii_lowercase().as_str() {
            "dotnet-isolated" => WorkerRuntime::DotnetIsolated,
            "dotnet" => WorkerRuntime::DotnetInProcess,
            "python" => WorkerRuntime::Python,
            "node" => WorkerRuntime::Node,
            "java" => WorkerRuntime::Java,
            "powershell" => WorkerRuntime::PowerShell,
            "custom" => WorkerRuntime::Custom,
            "go" => WorkerRuntime::Go,
            _ => return None,
        };
        Some(runtime)
    }

    /// The runtime non-.NET marker files imply (.NET is read from project files).
    pub fn from_marker_files(app: &App) -> Option<WorkerRuntime> {
        // package.json is the weakest sign (other stacks keep one for
        // tooling), so it is asked last.
        if app.has_file("requirements.txt") || app.has_file("function_app.py") {
            Some(WorkerRuntime::Python)
        } else if app.has_file("pom.xml") || app.has_file("build.gradle") {
            Some(WorkerRuntime::Java)
        } else if app.has_file("profile.ps1") || app.has_file("requirements.psd1") {
            Some(WorkerRuntime::PowerShell)
        } else if app.has_file("package.json") {
            Some(WorkerRuntime::Node)
        } else {
            None
        }
    }

    /// The `FUNCTIONS_WORKER_RUNTIME` value that names this runtime.
    pub fn setting_value(self) -> &'static str {
        match self {
            WorkerRuntime::DotnetIsolated => "dotnet-isolated",
            WorkerRuntime::DotnetInProcess => "dotnet",
            WorkerRuntime::Python => "python",
            WorkerRuntime::Node => "node",
            WorkerRuntime::Java => "java",
            WorkerRuntime::PowerShell => "powershell",
            WorkerRuntime::Custom => "custom",
            WorkerRuntime::Go => "go",
        }
    }

    pub fn is_dotnet(self) -> bool {
        matches!(self, WorkerRuntime::DotnetIsolated | WorkerRuntime::DotnetInProcess)
    }
}

pub mod memory {
    //! An in-memory `FileSystem`: unit and integration tests, property tests
    //! and fuzz targets build apps in it.
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Clone, Debug, Default)]
    pub struct MemoryFs {
        pub files: BTreeMap<PathBuf, String>,
        /// Lower-cased package id → versions in the "local NuGet cache".
        pub cached: BTreeMap<String, Vec<String>>,
    }

    impl MemoryFs {
        pub fn with(files: &[(&str, &str)]) -> MemoryFs {
            MemoryFs {
                files: files.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect(),
                cached: BTreeMap::new(),
            }
        }
    }

    impl FileSystem for MemoryFs {
        fn read(&self, path: &Path) -> Option<Arc<String>> {
            self.files.get(path).map(|text| Arc::new(text.clone()))
        }
        fn file_names(&self, dir: &Path) -> Vec<String> {
            self.files
                .keys()
                .filter(|p| p.parent() == Some(dir))
                .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
                .collect()
        }
        fn is_file(&self, path: &Path) -> bool {
            self.files.contains_key(path)
        }
        fn cached_package_versions(&self, id: &str) -> Vec<String> {
            self.cached.get(&id.to_ascii_lowercase()).cloned().unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::memory::MemoryFs;
    use super::*;

    #[test]
    fn an_app_is_a_folder_with_host_json() {
        let fs = MemoryFs::with(&[
            ("/repo/Directory.Packages.props", "<Project/>"),
            ("/repo/apps/a/host.json", "{}"),
            ("/repo/apps/a/A.csproj", "<Project/>"),
            ("/repo/apps/b/local.settings.json", "{}"),
        ]);
        let app = App::containing(&fs, Path::new("/repo/apps/a/A.csproj")).unwrap();
        assert_eq!(app.root, Path::new("/repo/apps/a"));
        assert_eq!(app.projects, [PathBuf::from("/repo/apps/a/A.csproj")]);
        assert_eq!(app.packages_props.as_deref(), Some(Path::new("/repo/Directory.Packages.props")));
        assert!(App::containing(&fs, Path::new("/repo/apps/b/local.settings.json")).is_none());
        assert_eq!(FileKind::of(Path::new("x/EXTENSIONS.CSPROJ")), Some(FileKind::Project));
        assert_eq!(FileKind::of(Path::new(".csproj")), None);
    }

    /// The build's copies are no app: diagnostics there would repeat the
    /// app's own (and be fixed in a file the next build overwrites).
    #[test]
    fn build_output_is_no_app() {
        let fs = MemoryFs::with(&[
            ("/repo/app/host.json", "{}"),
            ("/repo/app/bin/Debug/net8.0/host.json", "{}"),
            ("/repo/app/obj/release/net8.0/host.json", "{}"),
            ("/home/me/bin/tools/host.json", "{}"),
        ]);
        assert!(App::containing(&fs, Path::new("/repo/app/bin/Debug/net8.0/host.json")).is_none());
        assert!(App::containing(&fs, Path::new("/repo/app/obj/release/net8.0/host.json")).is_none());
        assert!(App::containing(&fs, Path::new("/repo/app/host.json")).is_some());
        // A folder named bin that holds no build is the user's.
        assert!(App::containing(&fs, Path::new("/home/me/bin/tools/host.json")).is_some());
    }

    /// Every name in an app folder is looked at: one whose last seven bytes
    /// cut a character must not end the program.
    #[test]
    fn non_ascii_file_names_are_no_project() {
        assert_eq!(FileKind::of(Path::new("README.中文.md")), None);
        assert_eq!(FileKind::of(Path::new("€abcdef")), None);
        assert_eq!(FileKind::of(Path::new("Überweisung.csproj")), Some(FileKind::Project));
    }
}
