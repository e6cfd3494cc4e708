//! The real file system: reading files and finding apps on disk.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::{App, FileKind, FileSystem};

/// Files larger than this are not configuration a person wrote; they are
/// reported as unreadable rather than loaded.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Folders that never hold an app of the user's own.
const SKIPPED_DIRS: [&str; 4] = [".git", "node_modules", "bin", "obj"];

#[derive(Clone, Copy, Debug, Default)]
pub struct DiskFileSystem;

impl FileSystem for DiskFileSystem {
    fn read(&self, path: &Path) -> Option<Arc<String>> {
        read_text(path).ok().map(Arc::new)
    }

    fn file_names(&self, dir: &Path) -> Vec<String> {
        let Ok(entries) = fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn cached_package_versions(&self, id: &str) -> Vec<String> {
        let Some(cache) = nuget_packages_folder() else { return Vec::new() };
        let Ok(entries) = fs::read_dir(cache.join(id.to_ascii_lowercase())) else { return Vec::new() };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect()
    }
}

/// The NuGet global packages folder: NUGET_PACKAGES, else ~/.nuget/packages.
fn nuget_packages_folder() -> Option<PathBuf> {
    if let Some(folder) = std::env::var_os("NUGET_PACKAGES").filter(|f| !f.is_empty()) {
        return Some(PathBuf::from(folder));
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(".nuget").join("packages"))
}

/// Reads a text file; invalid UTF-8 is replaced rather than refused, so one
/// odd byte does not hide every other diagnostic.
pub fn read_text(path: &Path) -> io::Result<String> {
    let metadata = fs::metadata(path)?;
    if !metadata.is_file() {
        // A FIFO would block the read forever, /dev/zero would never end, a
        // folder cannot be read: only regular files (after symlinks) are text.
        return Err(io::Error::other(format!("{} is not a regular file", path.display())));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(io::Error::other(format!("{} is larger than {} MiB", path.display(), MAX_FILE_BYTES >> 20)));
    }
    // The handle is checked again and the read bounded: the file may have
    // been swapped or grown since the check above.
    let file = fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other(format!("{} is not a regular file", path.display())));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    io::Read::read_to_end(&mut io::Read::take(file, MAX_FILE_BYTES + 1), &mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io::Error::other(format!("{} is larger than {} MiB", path.display(), MAX_FILE_BYTES >> 20)));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Every app under `root` (a folder, or a file of an app), sorted by path.
/// Symbolic links are not followed, so the walk never leaves `root`.
pub fn discover_apps(root: &Path) -> io::Result<Vec<App>> {
    let fs_ = DiskFileSystem;
    let metadata = fs::symlink_metadata(root)?;
    if !metadata.is_dir() {
        if FileKind::of(root).is_none() {
            return Err(io::Error::other(format!("{} is neither a folder nor a function app file", root.display())));
        }
        let parent = root.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return Ok(App::at(&fs_, parent).into_iter().collect());
    }
    let mut apps = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut has_host_json = false;
        for entry in entries.filter_map(Result::ok) {
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            if file_type.is_dir() {
                if !SKIPPED_DIRS.iter().any(|s| name == *s) {
                    pending.push(entry.path());
                }
            } else if file_type.is_file() && name == "host.json" {
                has_host_json = true;
            }
        }
        if has_host_json {
            apps.extend(App::at(&fs_, &dir));
        }
    }
    apps.sort_by(|a, b| a.root.cmp(&b.root));
    Ok(apps)
}
