//! The server's view of files: open editor buffers over the disk, and what is
//! computed from each text (its parse, its line index), kept until that text
//! changes. A request or a keystroke reuses them instead of reading and
//! parsing every file of the app again; a buffer is shared, never copied.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use lsp_types as lsp;

use crate::app::{App, FileKind, FileSystem};
use crate::disk::{self, DiskFileSystem};
use crate::lsp::convert::Positions;
use crate::syntax::jsonc::{self, JsonDocument};
use crate::syntax::xml::{self, XmlDocument};
use crate::text::{LineIndex, PositionEncoding};

/// What is derived from one text, each computed at most once.
#[derive(Default)]
struct Derived {
    json: OnceCell<Arc<JsonDocument>>,
    xml: OnceCell<Arc<XmlDocument>>,
    lines: OnceCell<Arc<LineIndex>>,
}

impl Derived {
    fn with_lines(lines: LineIndex) -> Derived {
        Derived { lines: OnceCell::from(Arc::new(lines)), ..Derived::default() }
    }

    fn json(&self, text: &str) -> Arc<JsonDocument> {
        self.json.get_or_init(|| Arc::new(jsonc::parse(text))).clone()
    }

    fn xml(&self, text: &str) -> Arc<XmlDocument> {
        self.xml.get_or_init(|| Arc::new(xml::parse(text))).clone()
    }

    fn lines(&self, text: &str) -> Arc<LineIndex> {
        self.lines.get_or_init(|| Arc::new(LineIndex::new(text))).clone()
    }
}

/// An open editor buffer.
pub struct Document {
    /// The URI exactly as the client sent it (clients differ in escaping).
    pub uri: String,
    pub version: i32,
    /// An `Arc<String>`, not an `Arc<str>`: the text the client sent, and
    /// the text an edit builds, move in without being copied (an `Arc<str>`
    /// copied a 2 MB didOpen once more, into fresh memory that the kernel
    /// then faulted in page by page: 486 of a fresh process's 4,007 faults).
    text: Arc<String>,
    derived: Derived,
}

impl Document {
    pub fn new(uri: String, version: i32, text: String) -> Document {
        Document { uri, version, text: Arc::new(text), derived: Derived::default() }
    }

    /// Applies one content change; a range outside the text is clamped. The
    /// line index follows the edit instead of being built again.
    pub fn apply(&mut self, change: lsp::TextDocumentContentChangeEvent, encoding: PositionEncoding) {
        let Some(range) = change.range else {
            self.text = Arc::new(change.text);
            self.derived = Derived::default();
            return;
        };
        let lines = self.derived.lines(&self.text);
        let positions = Positions::with_index(&self.text, lines.clone(), encoding);
        let (mut start, mut start_inside) = positions.offset_within(range.start);
        let (mut end, mut end_inside) = positions.offset_within(range.end);
        // A reversed range is the same range (as LSP clients send them, start first).
        if (range.end.line, range.end.character) < (range.start.line, range.start.character) {
            std::mem::swap(&mut start, &mut end);
            std::mem::swap(&mut start_inside, &mut end_inside);
        }
        // A range that cuts a surrogate pair leaves the client half of it:
        // the edit is made in UTF-16 units over the characters it cuts, as
        // the client makes it. A half left alone is U+FFFD here (a Rust
        // string cannot hold it), one unit as the client counts it, so
        // positions stay aligned; two halves the edit joins are a character.
        let mut new_text = change.text;
        if encoding == PositionEncoding::Utf16 && (start_inside || end_inside) {
            let halves = |at: usize| {
                let mut units = [0u16; 2];
                let ch = self.text[at..].chars().next().unwrap_or('\u{fffd}');
                ch.encode_utf16(&mut units);
                (units, ch.len_utf8())
            };
            let mut units: Vec<u16> = Vec::new();
            if start_inside {
                units.push(halves(start).0[0]);
            }
            units.extend(new_text.encode_utf16());
            if end_inside {
                let (pair, len) = halves(end);
                units.push(pair[1]);
                end += len;
            }
            new_text = String::from_utf16_lossy(&units);
        }
        let range = crate::text::TextRange::new(start, end);
        let mut text = String::with_capacity(self.text.len() - range.len() + new_text.len());
        text.push_str(&self.text[..range.start]);
        text.push_str(&new_text);
        text.push_str(&self.text[range.end..]);
        let lines = lines.edited(&text, range.start, range.len(), new_text.len());
        // The old parse goes first and the new text moves in without a copy,
        // so a large buffer is held twice, not three times.
        self.derived = Derived::with_lines(lines);
        self.text = Arc::new(text);
    }
}

/// Disk files keep what was derived from them while their size and
/// modification time stay the same (one `stat` instead of a read and a parse).
struct DiskEntry {
    stamp: (u64, Option<SystemTime>),
    text: Arc<String>,
    derived: Derived,
}

/// More disk files than this in the cache: it starts again (the files of a
/// few dozen apps; a workspace of thousands only pays the reads again).
const MAX_DISK_ENTRIES: usize = 512;

/// A folder last changed at least this long before we look is settled: a
/// change after the look gets a later modification time. One changed more
/// recently can change again within its timestamp's granularity (a clock
/// tick on Linux, two seconds on FAT) and keep the time, so it is not kept.
const SETTLED: Duration = Duration::from_secs(2);

fn settled(modified: SystemTime, now: SystemTime) -> bool {
    now.duration_since(modified).is_ok_and(|age| age >= SETTLED)
}

/// Whether a file the app at `root` is found by is a symbolic link: its
/// target can appear, vanish or move while no folder the app was found in
/// changes its time, so such an app is looked for again every time instead
/// of kept.
fn looks_through_links(root: &Path) -> bool {
    App::looked_up(root).any(|path| fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()))
}

/// Open buffers over the disk: what the user sees is what is analysed.
#[derive(Default)]
pub struct Vfs {
    documents: HashMap<PathBuf, Document>,
    disk: RefCell<HashMap<PathBuf, DiskEntry>>,
    /// Folder listings, kept while the folder's modification time stays
    /// (adding, removing or renaming an entry changes it).
    listings: RefCell<HashMap<PathBuf, (SystemTime, Vec<String>)>>,
    /// Apps by folder, with the modification times of that folder and of
    /// each one above it when the app was found: what `App::at` reads (the
    /// folder's files, the props files above it) cannot change without
    /// changing one of them. Open buffers count as files: opening or closing
    /// one drops them all.
    apps: RefCell<HashMap<PathBuf, KeptApp>>,
}

/// What `App::at` found in a folder, and the folders' modification times then.
struct KeptApp {
    stamps: Vec<SystemTime>,
    app: Option<App>,
}

impl Vfs {
    pub fn open(&mut self, path: PathBuf, document: Document) {
        self.documents.insert(path, document);
        self.apps.get_mut().clear();
    }

    pub fn close(&mut self, path: &Path) -> Option<Document> {
        let closed = self.documents.remove(path);
        if closed.is_some() {
            self.apps.get_mut().clear();
        }
        closed
    }

    pub fn document(&self, path: &Path) -> Option<&Document> {
        self.documents.get(path)
    }

    pub fn document_mut(&mut self, path: &Path) -> Option<&mut Document> {
        self.documents.get_mut(path)
    }

    pub fn is_open(&self, path: &Path) -> bool {
        self.documents.contains_key(path)
    }

    /// The paths of the open documents.
    pub fn open_paths(&self) -> impl Iterator<Item = &Path> {
        self.documents.keys().map(PathBuf::as_path)
    }

    /// The line index of `text`, the current text of `path` (built once per text).
    pub fn line_index(&self, path: &Path, text: &Arc<String>) -> Arc<LineIndex> {
        self.with_derived(path, text, |derived| derived.lines(text)).unwrap_or_else(|| Arc::new(LineIndex::new(text)))
    }

    /// Positions in `text`, the current text of `path`.
    pub fn positions<'t>(&self, path: &Path, text: &'t Arc<String>, encoding: PositionEncoding) -> Positions<'t> {
        Positions::with_index(text, self.line_index(path, text), encoding)
    }

    /// Runs `f` on what is derived from `text` when `text` is the buffer or
    /// the cached disk text of `path` (the same allocation, so the same version).
    fn with_derived<T>(&self, path: &Path, text: &Arc<String>, f: impl FnOnce(&Derived) -> T) -> Option<T> {
        if let Some(document) = self.documents.get(path) {
            return Arc::ptr_eq(&document.text, text).then(|| f(&document.derived));
        }
        let disk = self.disk.borrow();
        let entry = disk.get(path).filter(|entry| Arc::ptr_eq(&entry.text, text))?;
        Some(f(&entry.derived))
    }

    fn read_disk(&self, path: &Path) -> Option<Arc<String>> {
        let Ok(metadata) = fs::metadata(path) else {
            self.disk.borrow_mut().remove(path);
            return None;
        };
        let stamp = (metadata.len(), metadata.modified().ok());
        if let Some(entry) = self.disk.borrow().get(path).filter(|entry| entry.stamp == stamp) {
            return Some(entry.text.clone());
        }
        let Ok(mut text) = disk::read_text(path) else {
            self.disk.borrow_mut().remove(path);
            return None;
        };
        if text.starts_with('\u{feff}') {
            // As an editor loads it: VS Code and Neovim keep a byte order mark
            // out of the buffer (and write it back on save), so positions in
            // what we send, and the edits of a fix for a file that is not
            // open, count from after it.
            text.drain(..'\u{feff}'.len_utf8());
        }
        let text = Arc::new(text);
        // Only the app files the analysis reads are kept, and only those it analyses.
        if FileKind::of(path).is_some() && text.len() <= crate::analysis::MAX_ANALYSED_BYTES {
            let mut cache = self.disk.borrow_mut();
            if cache.len() >= MAX_DISK_ENTRIES {
                cache.clear();
            }
            cache.insert(path.to_path_buf(), DiskEntry { stamp, text: text.clone(), derived: Derived::default() });
        }
        Some(text)
    }

    /// `app_at` with the time taken before the look (tests choose it).
    fn app_seen_at(&self, root: &Path, now: SystemTime, scan: &dyn Fn() -> Option<App>) -> Option<App> {
        let stamps: Option<Vec<SystemTime>> =
            root.ancestors().map(|dir| fs::metadata(dir).and_then(|m| m.modified()).ok()).collect();
        let Some(stamps) = stamps else { return scan() };
        if let Some(kept) = self.apps.borrow().get(root).filter(|kept| kept.stamps == stamps) {
            return kept.app.clone();
        }
        let app = scan();
        if stamps.iter().all(|&stamp| settled(stamp, now)) && !looks_through_links(root) {
            let mut apps = self.apps.borrow_mut();
            if apps.len() >= MAX_DISK_ENTRIES {
                apps.clear();
            }
            apps.insert(root.to_path_buf(), KeptApp { stamps, app: app.clone() });
        }
        app
    }

    /// Drops what is kept of `path` on disk and of its folder's listing: the
    /// client says it changed (a rewrite of the same size within the same
    /// mtime tick, or a restore that keeps the mtime, leaves the stamp as it was).
    pub fn forget(&self, path: &Path) {
        self.disk.borrow_mut().remove(path);
        if let Some(dir) = path.parent() {
            self.listings.borrow_mut().remove(dir);
        }
        self.apps.borrow_mut().clear();
    }
}

impl FileSystem for Vfs {
    fn read(&self, path: &Path) -> Option<Arc<String>> {
        match self.documents.get(path) {
            Some(document) => Some(document.text.clone()),
            None => self.read_disk(path),
        }
    }

    fn parse_json(&self, path: &Path, text: &Arc<String>) -> Arc<JsonDocument> {
        self.with_derived(path, text, |derived| derived.json(text)).unwrap_or_else(|| Arc::new(jsonc::parse(text)))
    }

    fn parse_xml(&self, path: &Path, text: &Arc<String>) -> Arc<XmlDocument> {
        self.with_derived(path, text, |derived| derived.xml(text)).unwrap_or_else(|| Arc::new(xml::parse(text)))
    }

    fn file_names(&self, dir: &Path) -> Vec<String> {
        let now = SystemTime::now();
        let on_disk = match fs::metadata(dir).and_then(|m| m.modified()) {
            Ok(modified) => {
                let cached = self.listings.borrow().get(dir).filter(|(at, _)| *at == modified).map(|(_, n)| n.clone());
                cached.unwrap_or_else(|| {
                    let names = DiskFileSystem.file_names(dir);
                    if settled(modified, now) {
                        let mut listings = self.listings.borrow_mut();
                        if listings.len() >= MAX_DISK_ENTRIES {
                            listings.clear();
                        }
                        listings.insert(dir.to_path_buf(), (modified, names.clone()));
                    }
                    names
                })
            }
            Err(_) => DiskFileSystem.file_names(dir),
        };
        crate::app::names_in(dir, on_disk, self.documents.keys().map(PathBuf::as_path))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.documents.contains_key(path) || DiskFileSystem.is_file(path)
    }

    /// One `stat` per folder from `root` up instead of a look for host.json,
    /// the folder's listing and two looks per folder above it.
    fn app_at(&self, root: &Path, scan: &dyn Fn() -> Option<App>) -> Option<App> {
        // Taken before the folders are looked at: a change after it gets a later time.
        self.app_seen_at(root, SystemTime::now(), scan)
    }

    fn cached_package_versions(&self, id: &str) -> Vec<String> {
        DiskFileSystem.cached_package_versions(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AppContext;
    use crate::app::App;

    /// The work a keystroke costs: the edited file is parsed again, every
    /// other file of the app is not (its parse is the same allocation), and a
    /// disk file is parsed again once it changes on disk.
    #[test]
    fn only_what_changed_is_parsed_again() {
        let root = std::env::temp_dir().join(format!("durable-lsp-vfs-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("host.json"), "{}").unwrap();
        std::fs::write(root.join("local.settings.json"), r#"{"Values": {}}"#).unwrap();
        std::fs::write(root.join("App.csproj"), "<Project />").unwrap();
        let mut vfs = Vfs::default();
        let host = root.join("host.json");
        vfs.open(host.clone(), Document::new("file:///h".into(), 1, "{\"version\": \"2.0\"}".into()));
        let parses = |vfs: &Vfs| {
            let app = App::at(vfs, &root).unwrap();
            let context = AppContext::load(vfs, &app);
            let host = context.host.as_ref().unwrap().document.clone();
            let local = context.local.as_ref().unwrap().document.clone();
            (host, local, context.projects[0].file.document.clone())
        };
        let (host1, local1, project1) = parses(&vfs);
        let (host2, local2, project2) = parses(&vfs);
        assert!(Arc::ptr_eq(&host1, &host2) && Arc::ptr_eq(&local1, &local2) && Arc::ptr_eq(&project1, &project2));
        let at = lsp::Position { line: 0, character: 1 };
        let edit = lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range { start: at, end: at }),
            range_length: None,
            text: " ".into(),
        };
        vfs.documents.get_mut(&host).unwrap().apply(edit, PositionEncoding::Utf16);
        let (host3, local3, project3) = parses(&vfs);
        assert!(!Arc::ptr_eq(&host2, &host3), "the edited buffer is parsed again");
        assert!(Arc::ptr_eq(&local2, &local3) && Arc::ptr_eq(&project2, &project3), "the others are not");
        // A different size on disk: parsed again.
        std::fs::write(root.join("App.csproj"), "<Project Sdk=\"x\" />").unwrap();
        let (_, local4, project4) = parses(&vfs);
        assert!(Arc::ptr_eq(&local3, &local4) && !Arc::ptr_eq(&project3, &project4));
        // The same size and (within the mtime tick) the same stamp: kept until
        // the client says the file changed.
        let local_path = root.join("local.settings.json");
        let modified = std::fs::metadata(&local_path).unwrap().modified().unwrap();
        std::fs::write(&local_path, r#"{"Values": []}"#).unwrap();
        std::fs::File::options().write(true).open(&local_path).unwrap().set_modified(modified).unwrap();
        let (_, local5, _) = parses(&vfs);
        assert!(Arc::ptr_eq(&local4, &local5), "an unchanged stamp keeps the parse");
        vfs.forget(&root.join("local.settings.json"));
        let (_, local6, _) = parses(&vfs);
        assert!(!Arc::ptr_eq(&local5, &local6), "forget drops the kept parse");
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// `(top, top/app)` in a fresh temporary folder, the app with a host.json.
    fn app_in_temp(name: &str) -> (PathBuf, PathBuf) {
        let top = std::env::temp_dir().join(format!("durable-lsp-{name}-{}", std::process::id()));
        let root = top.join("app");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("host.json"), "{}").unwrap();
        (top, root)
    }

    /// Sets a folder's modification time to one fixed instant long past:
    /// settled, and the same every time (a folder aged again after a change
    /// has the time it had, as a restore that keeps times would leave it).
    fn age(dir: &Path) {
        let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        std::fs::File::open(dir).unwrap().set_modified(long_ago).unwrap();
    }

    /// An app is found again only when a folder it was read from changed, a
    /// buffer was opened or closed, or the client said a file changed; a
    /// folder changed too recently to trust its time is looked at every time.
    #[test]
    fn an_app_is_kept_until_a_folder_it_came_from_changes() {
        let (top, root) = app_in_temp("apps");
        age(&top);
        age(&root);
        let mut vfs = Vfs::default();
        let scans = std::cell::Cell::new(0);
        let scan = || {
            scans.set(scans.get() + 1);
            App::at(&crate::disk::DiskFileSystem, &root)
        };
        // Later than every folder above (those outside the test change when they like).
        let later = SystemTime::now() + Duration::from_secs(3600);
        let found = |vfs: &Vfs| vfs.app_seen_at(&root, later, &scan).expect("the app");
        assert!(found(&vfs).packages_props.is_none());
        assert_eq!((found(&vfs).root, scans.get()), (root.clone(), 1), "kept");
        std::fs::write(top.join("Directory.Packages.props"), "<Project />").unwrap();
        assert_eq!(found(&vfs).packages_props, Some(top.join("Directory.Packages.props")));
        assert_eq!(scans.get(), 2, "a props file above: found again");
        found(&vfs);
        assert_eq!(scans.get(), 2);
        vfs.open(root.join("New.csproj"), Document::new("file:///n".into(), 1, "<Project />".into()));
        found(&vfs);
        assert_eq!(scans.get(), 3, "a buffer opened: found again");
        vfs.close(&root.join("New.csproj"));
        found(&vfs);
        vfs.forget(&root.join("host.json"));
        found(&vfs);
        assert_eq!(scans.get(), 5, "closed, then a change the client reported: found again each time");
        // Now is less than SETTLED after the props file was written: not kept.
        vfs.forget(&root.join("host.json"));
        let now = SystemTime::now();
        vfs.app_seen_at(&root, now, &scan);
        vfs.app_seen_at(&root, now, &scan);
        assert_eq!(scans.get(), 7, "a folder changed just now is looked at every time");
        // Through the trait, as the server asks.
        assert_eq!(App::at(&vfs, &root).unwrap().packages_props, Some(top.join("Directory.Packages.props")));
        std::fs::remove_dir_all(&top).unwrap();
    }

    /// A props file that is a link can lose its target with no folder's time
    /// changing: an app that looked through one is not kept.
    #[cfg(unix)]
    #[test]
    fn an_app_found_through_a_link_is_looked_for_again() {
        let (top, root) = app_in_temp("linked");
        std::fs::write(top.join("shared.props"), "<Project />").unwrap();
        std::os::unix::fs::symlink(top.join("shared.props"), top.join("Directory.Packages.props")).unwrap();
        age(&top);
        age(&root);
        let vfs = Vfs::default();
        let scan = || App::at(&crate::disk::DiskFileSystem, &root);
        let later = SystemTime::now() + Duration::from_secs(3600);
        let found = || vfs.app_seen_at(&root, later, &scan).expect("the app").packages_props;
        assert_eq!(found(), Some(top.join("Directory.Packages.props")));
        std::fs::remove_file(top.join("shared.props")).unwrap();
        age(&top);
        assert_eq!(found(), None, "the link's target is gone");
        std::fs::remove_dir_all(&top).unwrap();
    }

    /// An independent model of LSP positions: lines split at \r\n, \n or \r;
    /// a UTF-16 unit offset; past the end of a line means its end; past the
    /// last line, the end.
    fn model_offset(text: &str, line: u32, character: u32) -> usize {
        let mut starts = vec![0usize];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            if bytes[i] == b'\n' || bytes[i] == b'\r' {
                starts.push(i + 1);
            }
            i += 1;
        }
        let Some(&start) = starts.get(line as usize) else { return text.encode_utf16().count() };
        let end = starts.get(line as usize + 1).map_or(text.len(), |&next| {
            let mut end = next;
            if text[..end].ends_with('\n') {
                end -= 1;
            }
            if text[..end].ends_with('\r') {
                end -= 1;
            }
            end.max(start)
        });
        // In UTF-16 units, as the client counts: a column may fall inside a
        // surrogate pair, and the edit then cuts it in two.
        let before = text[..start].encode_utf16().count();
        before + (character as usize).min(text[start..end].encode_utf16().count())
    }

    fn change(start: lsp::Position, end: lsp::Position, text: &str) -> lsp::TextDocumentContentChangeEvent {
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range { start, end }),
            range_length: None,
            text: text.into(),
        }
    }

    /// The buffer and the line index it carries from edit to edit both equal
    /// an independent model after every one of 10,000 random edits.
    #[test]
    fn ten_thousand_random_incremental_edits_match_a_model() {
        let pieces = ["a", "{", "}", "\"k\": 1,", "\n", "\r\n", "\r", "😀", "日本", "é", " ", "\t", "𝄞x"];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut document = Document::new(String::new(), 0, "{\r\n  \"😀\": \"日本\"\n}".to_string());
        for step in 0..10_000 {
            let text = document.text.to_string();
            let lines = text.split(['\n', '\r']).count() as u64 + 2;
            let position = |next: &mut dyn FnMut() -> u64| {
                let line = (next() % lines) as u32;
                // Columns include positions past the line end and inside surrogate pairs.
                let character = (next() % 12) as u32;
                lsp::Position { line, character }
            };
            let (mut start, mut end) = (position(&mut next), position(&mut next));
            if (end.line, end.character) < (start.line, start.character) {
                std::mem::swap(&mut start, &mut end);
            }
            let insert: String = (0..next() % 4).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
            let (from, to) =
                (model_offset(&text, start.line, start.character), model_offset(&text, end.line, end.character));
            // The client's text in UTF-16 units; the halves of a pair the edit
            // cut are U+FFFD in ours.
            let mut units: Vec<u16> = text.encode_utf16().collect();
            units.splice(from.min(to)..to.max(from), insert.encode_utf16());
            let expected = String::from_utf16_lossy(&units);
            document.apply(change(start, end, &insert), PositionEncoding::Utf16);
            assert_eq!(document.text.as_str(), expected, "step {step}");
            let carried = document.derived.lines.get().expect("the edit carries the line index");
            let fresh = LineIndex::new(&expected);
            let all = |index: &LineIndex| {
                (0..=expected.len() as u32 + 1)
                    .map(|line| index.offset(&expected, crate::text::LineCol { line, col: 0 }, PositionEncoding::Utf8))
                    .collect::<Vec<_>>()
            };
            assert_eq!(all(carried), all(&fresh), "line index after step {step}");
            if expected.len() > 4000 {
                let shorter = expected[..crate::text::floor_char_boundary(&expected, 1000)].to_string();
                let whole = lsp::TextDocumentContentChangeEvent { range: None, range_length: None, text: shorter };
                document.apply(whole, PositionEncoding::Utf16);
            }
        }
    }

    #[test]
    fn incremental_changes_apply_in_utf16_and_clamp() {
        let mut document = Document::new(String::new(), 0, "{\"😀\": 1}".to_string());
        let at = |line, character| lsp::Position { line, character };
        // After the emoji (2 UTF-16 units) and its quotes: replace `1`.
        document.apply(change(at(0, 7), at(0, 8), "2"), PositionEncoding::Utf16);
        assert_eq!(&*document.text, "{\"😀\": 2}");
        document.apply(change(at(9, 0), at(9, 99), "!"), PositionEncoding::Utf16);
        assert_eq!(&*document.text, "{\"😀\": 2}!");
        // Deleting the emoji's low half leaves its high half: U+FFFD, one unit;
        // a reversed range is the same range.
        let mut reversed = Document::new(String::new(), 0, document.text.to_string());
        document.apply(change(at(0, 3), at(0, 4), ""), PositionEncoding::Utf16);
        assert_eq!(&*document.text, "{\"\u{fffd}\": 2}!");
        reversed.apply(change(at(0, 4), at(0, 3), ""), PositionEncoding::Utf16);
        assert_eq!(reversed.text, document.text);
        let mut cut = Document::new(String::new(), 0, "a😀c".to_string());
        cut.apply(change(at(0, 4), at(0, 2), "X"), PositionEncoding::Utf16);
        assert_eq!(&*cut.text, "a\u{fffd}X", "a reversed range cutting a pair at one end");
    }
}
