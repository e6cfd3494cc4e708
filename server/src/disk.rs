//! The real file system: reading files and finding apps on disk.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::{App, FileKind, FileSystem};

/// Files larger than this are not configuration a person wrote; they are
/// reported as unreadable rather than loaded.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Folders that never hold an app of the user's own: version control, build
/// output, packages, a Python app's virtual environment, Visual Studio's cache.
const SKIPPED_DIRS: [&str; 6] = [".git", "node_modules", "bin", "obj", ".venv", ".vs"];

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
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || (t.is_symlink() && e.path().is_file())))
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

/// A `file:` URI for an absolute path (RFC 8089): every byte but the
/// unreserved ones and `/!$&'()*+,;=:@` escaped (a name that is not UTF-8
/// keeps its bytes); on Windows a drive (`file:///C:/x`) or a share
/// (`file://server/share/x`) in its place.
pub fn file_uri(path: &Path) -> String {
    let mut text = slashed(path);
    if cfg!(windows) {
        if let Some(share) = text.strip_prefix(b"//?/UNC/") {
            text = [&b"//"[..], share].concat();
        } else if let Some(local) = text.strip_prefix(b"//?/") {
            text = local.to_vec();
        }
    }
    let scheme = match (text.starts_with(b"//"), text.starts_with(b"/")) {
        (true, _) => "file:",
        (false, true) => "file://",
        (false, false) => "file:///",
    };
    format!("{scheme}{}", percent_escape(&text, b"!$&'()*+,;=:@"))
}

/// A path's bytes (a name that is not UTF-8 keeps them), with `/` between
/// its parts on Windows too.
pub fn slashed(path: &Path) -> Vec<u8> {
    let mut bytes = path.as_os_str().as_encoded_bytes().to_vec();
    if cfg!(windows) {
        bytes.iter_mut().filter(|b| **b == b'\\').for_each(|b| *b = b'/');
    }
    bytes
}

/// `bytes` escaped for a URI path: ASCII letters and digits, `-._~/` and
/// `also_kept` stay, every other byte becomes `%XX`.
pub fn percent_escape(bytes: &[u8], also_kept: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) || also_kept.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Reads a text file; invalid UTF-8 is replaced rather than refused, so one
/// odd byte does not hide every other diagnostic (and [`replace_files`]
/// refuses to write such a file back).
pub fn read_text(path: &Path) -> io::Result<String> {
    let (file, len) = open_text(path)?;
    let mut bytes = Vec::with_capacity(len as usize);
    io::Read::read_to_end(&mut io::Read::take(file, MAX_FILE_BYTES + 1), &mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path));
    }
    if let Some(text) = decode_utf16(&bytes) {
        return Ok(text);
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// A file in UTF-16 with a byte order mark (what Windows PowerShell's
/// `Out-File` writes), which Core Tools reads: its text, the mark kept as
/// U+FEFF as in a UTF-8 file with one. `None` for any other file. Such a
/// file is read, never written: its bytes are not UTF-8 ([`replace_files`]).
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let little_endian = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes.chunks(2).map(|pair| match pair {
        [a, b] if little_endian => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD, // an odd last byte
    });
    Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

/// The file opened for reading, and its length, when it is a regular file
/// (after symbolic links) of at most [`MAX_FILE_BYTES`].
fn open_text(path: &Path) -> io::Result<(fs::File, u64)> {
    let metadata = fs::metadata(path)?;
    if !metadata.is_file() {
        // A FIFO would block the read forever, /dev/zero would never end, a
        // folder cannot be read: only regular files (after symlinks) are text.
        return Err(not_regular(path));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(path));
    }
    // The handle is checked again and the read bounded: the file may have
    // been swapped or grown since the check above.
    let file = fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular(path));
    }
    Ok((file, metadata.len()))
}

fn not_regular(path: &Path) -> io::Error {
    io::Error::other(format!("{} is not a regular file", path.display()))
}

fn too_large(path: &Path) -> io::Error {
    io::Error::other(format!("{} is larger than {} MiB", path.display(), MAX_FILE_BYTES >> 20))
}

/// Why a file that is there cannot be read as text (no permission, too
/// large, a folder or a link to nothing in its place); `None` when it can be
/// read or there is nothing at `path`. The rules take an unreadable file for
/// a missing one, so the command line asks this before it trusts them.
pub fn unreadable(path: &Path) -> Option<io::Error> {
    match open_text(path) {
        Ok(_) => None,
        Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::symlink_metadata(path) {
            Ok(_) => Some(io::Error::new(io::ErrorKind::NotFound, "a symbolic link to nothing")),
            Err(_) => None,
        },
        Err(e) => Some(e),
    }
}

/// What stands where the scan of `app` looked for a file and found none it
/// could take: entries of its folder named like a project, and props files
/// nearer than the one taken (or with none taken), that are not files (a
/// folder, a link to nothing). The scan passes them over, as MSBuild would;
/// the command line says they are there rather than take them for missing.
pub fn passed_over(app: &App) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(&app.root)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| FileKind::of(path) == Some(FileKind::Project) && !app.projects.contains(path))
        .collect();
    found.sort();
    // Props files are MSBuild's: an app without a project reads none.
    if app.projects.is_empty() && found.is_empty() {
        return found;
    }
    for (name, taken) in
        [(crate::app::PACKAGES_PROPS, &app.packages_props), (crate::app::BUILD_PROPS, &app.build_props)]
    {
        let nearer = app.root.ancestors().map(|dir| dir.join(name)).take_while(|path| Some(path) != taken.as_ref());
        found.extend(nearer.filter(|path| fs::symlink_metadata(path).is_ok()));
    }
    found
}

/// A file to replace: its new text, and the text it was read with (`None`
/// for a file to create).
pub struct Replacement<'a> {
    pub path: &'a Path,
    pub before: Option<&'a str>,
    pub after: &'a str,
}

/// Why [`replace_files`] stopped: the file, the error, and the files it had
/// already replaced and could not put back (none unless a rename failed
/// after others succeeded and undoing those failed too).
#[derive(Debug)]
pub struct WriteFailure {
    pub path: PathBuf,
    pub error: io::Error,
    pub replaced: Vec<PathBuf>,
}

/// Replaces files with new texts, all or none as far as a file system
/// allows: each new text is written to a fresh file next to its target
/// first, and only when all are written are they renamed into place, so a
/// failure to read, check or write leaves every file as it was. A rename
/// that fails after others (an immutable file, a read-only bind mount)
/// puts the files already replaced back as they were; only when that fails
/// too are they reported. A target still holding exactly `before` is
/// replaced (through a symbolic link, keeping its permissions and, where
/// allowed, its owner); one that changed since, or whose bytes are not
/// UTF-8 (`before` was read with replacement characters), is refused rather
/// than overwritten.
pub fn replace_files(files: &[Replacement<'_>]) -> Result<(), WriteFailure> {
    replace_files_renaming(files, &|from, to| fs::rename(from, to))
}

/// [`replace_files`] with the rename that puts each new file in place.
fn replace_files_renaming(
    files: &[Replacement<'_>],
    rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
) -> Result<(), WriteFailure> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let discard = |staged: &[(PathBuf, PathBuf)]| {
        for (temporary, _) in staged {
            let _ = fs::remove_file(temporary);
        }
    };
    for file in files {
        match stage(file) {
            Ok(pair) => staged.push(pair),
            Err(error) => {
                discard(&staged);
                return Err(WriteFailure { path: file.path.to_path_buf(), error, replaced: Vec::new() });
            }
        }
    }
    for (index, (temporary, target)) in staged.iter().enumerate() {
        if let Err(error) = rename(temporary, target) {
            discard(&staged[index..]);
            let replaced = files[..index].iter().filter(|f| !undo(f)).map(|f| f.path.to_path_buf()).collect();
            return Err(WriteFailure { path: files[index].path.to_path_buf(), error, replaced });
        }
    }
    Ok(())
}

/// Puts back a file [`replace_files`] replaced: its old text, the same
/// way, or for a file it created, no file. Whether that worked.
fn undo(file: &Replacement<'_>) -> bool {
    match file.before {
        Some(before) => {
            let back = Replacement { path: file.path, before: Some(file.after), after: before };
            stage(&back).is_ok_and(|(temporary, target)| {
                let renamed = fs::rename(&temporary, target).is_ok();
                if !renamed {
                    let _ = fs::remove_file(&temporary);
                }
                renamed
            })
        }
        None => fs::remove_file(file.path).is_ok(),
    }
}

/// Writes `file.after` to a new temporary file next to where it goes, after
/// checking that the target still holds `file.before`. Returns the temporary
/// file and the target (the file a symbolic link leads to).
fn stage(file: &Replacement<'_>) -> io::Result<(PathBuf, PathBuf)> {
    let is_link = fs::symlink_metadata(file.path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link { fs::canonicalize(file.path)? } else { file.path.to_path_buf() };
    let metadata = match (fs::read(&target), file.before) {
        (Ok(bytes), Some(before)) if bytes == before.as_bytes() => Some(fs::metadata(&target)?),
        (Ok(bytes), Some(_)) if decode_utf16(&bytes).is_some() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the file is UTF-16; it is left as it is (durable-lsp writes UTF-8 only: save it as UTF-8 first)",
            ));
        }
        (Ok(bytes), Some(_)) if std::str::from_utf8(&bytes).is_err() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the file is not valid UTF-8; it is left as it is rather than rewritten with replacement characters",
            ));
        }
        (Ok(_), _) => return Err(io::Error::other("the file changed since it was read; run again")),
        (Err(e), None) if e.kind() == io::ErrorKind::NotFound => None,
        (Err(e), _) => return Err(e),
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut attempt = 0u32;
    loop {
        // A fresh name, created exclusively: nothing already there (a
        // symbolic link planted under a guessable name) is ever written through.
        let temporary = target.with_file_name(format!(".{name}.{}-{attempt}.durable-lsp.tmp", std::process::id()));
        let created = fs::OpenOptions::new().write(true).create_new(true).open(&temporary);
        match created {
            Ok(mut handle) => {
                let written = io::Write::write_all(&mut handle, file.after.as_bytes())
                    .and_then(|()| metadata.as_ref().map_or(Ok(()), |m| handle.set_permissions(m.permissions())));
                if let Some(metadata) = &metadata {
                    keep_owner(&handle, metadata);
                }
                return match written {
                    Ok(()) => Ok((temporary, target)),
                    Err(e) => {
                        let _ = fs::remove_file(&temporary);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Gives the new file the old one's owner and group where that is allowed:
/// both as root; the group alone for a user in it (a shared group keeps
/// write access); elsewhere they stay the writer's.
#[cfg(unix)]
fn keep_owner(file: &fs::File, old: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    if std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &fs::File, _old: &fs::Metadata) {}

/// Every app under `root` (a folder, or a file of an app), sorted by path.
/// Links to folders below `root` are not followed, so the walk never leaves
/// it; `root` itself, and links to files (a shared local.settings.json), are.
pub fn discover_apps(root: &Path) -> io::Result<Vec<App>> {
    let fs_ = DiskFileSystem;
    let metadata = fs::metadata(root)?;
    if !metadata.is_dir() {
        if FileKind::of(root).is_none() {
            return Err(io::Error::other("neither a folder nor a function app file"));
        }
        let parent = root.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return Ok(App::at(&fs_, parent).into_iter().collect());
    }
    let (folders, _complete) = app_folders(root, usize::MAX);
    Ok(folders.iter().filter_map(|dir| App::at(&fs_, dir)).collect())
}

/// The folders under `dir` (itself included) that hold a host.json, sorted,
/// reading at most `max_folders` folders; whether the walk was complete.
/// The folders of [`SKIPPED_DIRS`] and links to folders are not entered.
pub fn app_folders(dir: &Path, max_folders: usize) -> (Vec<PathBuf>, bool) {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    let mut read = 0usize;
    while let Some(dir) = pending.pop() {
        if read == max_folders {
            found.sort();
            return (found, false);
        }
        read += 1;
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
            } else if name == "host.json" && (file_type.is_file() || (file_type.is_symlink() && entry.path().is_file()))
            {
                has_host_json = true;
            }
        }
        if has_host_json {
            found.push(dir);
        }
    }
    found.sort();
    (found, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apps are looked for below the root but not in version control, build
    /// output, packages or virtual environments; a bounded walk says it stopped.
    #[test]
    fn app_folders_skip_what_holds_no_app_of_the_user_and_stop_at_the_bound() {
        let dir = std::env::temp_dir().join(format!("durable-lsp-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let apps = ["a", "b/c"];
        let not_apps = [".git/x", "node_modules/p", "bin/Debug", "obj/y", ".venv/lib/site-packages/q", ".vs/z"];
        for folder in apps.iter().chain(&not_apps) {
            fs::create_dir_all(dir.join(folder)).unwrap();
            fs::write(dir.join(folder).join("host.json"), "{}").unwrap();
        }
        fs::create_dir_all(dir.join("empty/deeper")).unwrap();
        let (found, complete) = app_folders(&dir, usize::MAX);
        assert_eq!(found, [dir.join("a"), dir.join("b/c")]);
        assert!(complete);
        // The root, then a, b, b/c, empty, empty/deeper: six folders in all.
        assert!(app_folders(&dir, 6).1);
        let (some, complete) = app_folders(&dir, 3);
        assert!(!complete && some.len() < 2, "{some:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// The first temporary name is predictable from the process id: a link
    /// planted there is not written through, and a target that changed since
    /// it was read is not overwritten.
    #[cfg(unix)]
    #[test]
    fn writes_never_go_through_a_planted_link_or_over_a_changed_file() {
        let dir = std::env::temp_dir().join(format!("durable-lsp-disk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("local.settings.json");
        fs::write(&target, "old").unwrap();
        let victim = dir.join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        let planted = dir.join(format!(".local.settings.json.{}-0.durable-lsp.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();

        replace_files(&[Replacement { path: &target, before: Some("old"), after: "new" }]).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert!(fs::symlink_metadata(&planted).unwrap().file_type().is_symlink());

        let failure = replace_files(&[Replacement { path: &target, before: Some("old"), after: "newer" }]).unwrap_err();
        assert!(failure.error.to_string().contains("changed since it was read"), "{failure:?}");
        assert!(failure.replaced.is_empty());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let leftovers = fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 3, "only the file, the victim and the planted link");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A rename that fails after others (an immutable file) puts back what
    /// was replaced: the old texts, no file where one was created. Owner and
    /// mode are those of the file replaced.
    #[cfg(unix)]
    #[test]
    fn a_rename_that_fails_midway_puts_the_replaced_files_back() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = std::env::temp_dir().join(format!("durable-lsp-undo-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let (a, b, c) = (dir.join("a.json"), dir.join("b.json"), dir.join("c.json"));
        fs::write(&a, "a old").unwrap();
        fs::set_permissions(&a, fs::Permissions::from_mode(0o640)).unwrap();
        fs::write(&c, "c old").unwrap();
        let files = [
            Replacement { path: &a, before: Some("a old"), after: "a new" },
            Replacement { path: &b, before: None, after: "b new" },
            Replacement { path: &c, before: Some("c old"), after: "c new" },
        ];
        let refuse_c = |from: &Path, to: &Path| {
            if to == c { Err(io::Error::from(io::ErrorKind::PermissionDenied)) } else { fs::rename(from, to) }
        };
        let failure = replace_files_renaming(&files, &refuse_c).unwrap_err();
        assert_eq!(failure.path, c);
        assert!(failure.replaced.is_empty(), "{failure:?}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "a old");
        assert!(!b.exists());
        assert_eq!(fs::read_to_string(&c).unwrap(), "c old");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2, "no temporary file left");

        // As root (CI), the file is another user's: it stays theirs.
        let _ = std::os::unix::fs::chown(&a, Some(1234), Some(5678));
        let before = fs::metadata(&a).unwrap();
        replace_files(&files).unwrap();
        let after = fs::metadata(&a).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a new");
        assert_eq!((after.mode() & 0o777, after.uid(), after.gid()), (0o640, before.uid(), before.gid()));
        fs::remove_dir_all(&dir).unwrap();
    }
}
