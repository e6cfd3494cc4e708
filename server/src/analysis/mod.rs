//! The analysis: what is wrong with a function app's configuration.
//!
//! Pure functions over text. Nothing here does IO except through the
//! `FileSystem` trait, and nothing here knows LSP or JSON-RPC: positions are
//! byte offsets, diagnostics are plain data. The LSP server and the CLI both
//! call `analyze_app` and convert the result at their own edge.

pub mod config;
pub mod context;
pub mod dotnet;
mod endpoint;
#[cfg(test)]
mod fix_tests;
pub mod fixes;
pub(crate) mod host;
pub mod keys;
mod local_settings;
pub mod migrate;
pub mod nuget;
pub mod packages;
mod project_files;
pub mod registry;
pub mod secrets;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::{App, FileKind, FileSystem};
use crate::edit::Fix;
use crate::text::TextRange;

pub use context::AppContext;

/// Is this a DTS endpoint URL? (For the CLI's `--endpoint`.)
pub fn endpoint_check(value: &str) -> Result<(), &'static str> {
    endpoint::parse(value).map(|_| ())
}

/// Is this endpoint the emulator's machine (localhost, 127.0.0.1, …)? Not a
/// URL counts as not local.
pub fn endpoint_is_local(value: &str) -> bool {
    endpoint::parse(value).is_ok_and(|e| e.is_local())
}

/// The endpoint's port, when it names one.
pub fn endpoint_port(value: &str) -> Option<u16> {
    endpoint::parse(value).ok()?.port
}

/// Is this a task hub name the Durable Task Scheduler accepts? (For `--hub`.)
pub fn hub_name_check(name: &str) -> Result<(), &'static str> {
    host::hub::dts_hub_name_check(name)
}

/// The credential kinds a DTS connection string accepts.
pub fn authentication_kinds() -> &'static [&'static str] {
    &local_settings::AUTHENTICATION_KINDS
}
pub use registry::{Rule, Severity};

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Shared by the diagnostics of one file (a generated file can have tens of thousands).
    pub path: Arc<Path>,
    pub range: TextRange,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Places in this or other files of the app that explain the diagnostic.
    pub related: Vec<Related>,
    /// Quick fixes, computed with the diagnostic (first = preferred when marked so).
    pub fixes: Vec<Fix>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Related {
    pub path: PathBuf,
    pub range: TextRange,
    pub message: String,
}

/// The result for one file: the text that was analysed (so callers convert
/// offsets against exactly that text) and its diagnostics.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub kind: FileKind,
    pub text: Arc<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Collects diagnostics; severities come from the rule registry.
#[derive(Default)]
pub(crate) struct Sink {
    diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// `path`, shared with the previous diagnostic's when it is the same file.
    fn shared_path(&self, path: &Path) -> Arc<Path> {
        match self.diagnostics.last() {
            Some(last) if last.path.as_os_str() == path.as_os_str() => last.path.clone(),
            _ => Arc::from(path),
        }
    }
}

impl Sink {
    pub(crate) fn report(
        &mut self,
        code: &'static str,
        path: &Path,
        range: TextRange,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let severity = registry::rule(code).map_or(Severity::Error, |r| r.severity);
        // Messages quote the user's values; a credential must never be one of them.
        let mut message = message.into();
        if let Cow::Owned(masked) = secrets::mask(&message) {
            message = masked;
        }
        if let Cow::Owned(elided) = elide_long_words(&message) {
            message = elided;
        }
        let path = self.shared_path(path);
        self.diagnostics.push(Diagnostic {
            path,
            range,
            code,
            severity,
            message,
            related: Vec::new(),
            fixes: Vec::new(),
        });
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }
}

/// Words longer than this in a message (a quoted value of a generated
/// file can be megabytes long) are cut to their first [`WORD_SHOWN`] characters.
const LONG_WORD: usize = 120;
const WORD_SHOWN: usize = 60;

/// `message` with every run of more than [`LONG_WORD`] non-blank characters
/// cut short, saying how long it was. Borrowed when nothing is cut.
fn elide_long_words(message: &str) -> Cow<'_, str> {
    if message.len() <= LONG_WORD {
        return Cow::Borrowed(message);
    }
    let bytes = message.as_bytes();
    let mut out = String::new();
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        if bytes[at].is_ascii_whitespace() {
            at += 1;
            continue;
        }
        let start = at;
        at = bytes[start..].iter().position(u8::is_ascii_whitespace).map_or(bytes.len(), |n| start + n);
        // Bytes are at least as many as characters: a short run is a short word.
        if at - start <= LONG_WORD {
            continue;
        }
        let word = &message[start..at];
        let chars = word.chars().count();
        if chars > LONG_WORD {
            let cut = word.char_indices().nth(WORD_SHOWN).map_or(at, |(i, _)| start + i);
            out.push_str(&message[copied..cut]);
            out.push_str(&format!("… ({chars} characters)"));
            copied = at;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(message);
    }
    out.push_str(&message[copied..]);
    Cow::Owned(out)
}

impl Diagnostic {
    /// Attaches a quick fix (nothing when the fix could not be built).
    pub(crate) fn fix(&mut self, fix: Option<Fix>) -> &mut Diagnostic {
        self.fixes.extend(fix);
        self
    }

    /// Another severity than the rule's, where knowledge.md only infers the
    /// failure (so the report is gentler than an error).
    pub(crate) fn severity(&mut self, severity: Severity) -> &mut Diagnostic {
        self.severity = severity;
        self
    }

    pub(crate) fn related(&mut self, path: &Path, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.related.push(Related { path: path.to_path_buf(), range, message: message.into() });
        self
    }
}

/// Analyses every file of one app. Returns one report per existing file,
/// including files without diagnostics (so an editor can clear old ones).
pub fn analyze_app(fs: &dyn FileSystem, app: &App) -> Vec<FileReport> {
    let context = AppContext::load(fs, app);
    if let Some((path, bytes)) = &context.oversized {
        if let Some(reports) = too_large(path, *bytes) {
            return reports;
        }
    }
    let mut sink = Sink::default();
    host::check(&context, &mut sink);
    local_settings::check(&context, &mut sink);
    project_files::check(&context, fs, &mut sink);
    let mut reports = context.into_reports();
    // Byte comparisons: the paths all come from the app's file list.
    let same = |a: &Path, b: &Path| a.as_os_str() == b.as_os_str();
    for report in &mut reports {
        let count = sink.diagnostics.iter().filter(|d| same(&d.path, &report.path)).count();
        report.diagnostics.reserve_exact(count);
    }
    for diagnostic in sink.diagnostics {
        if let Some(report) = reports.iter_mut().find(|r| same(&r.path, &diagnostic.path)) {
            report.diagnostics.push(diagnostic);
        }
    }
    for report in &mut reports {
        report
            .diagnostics
            .sort_by(|a, b| (a.range.start, a.code, &a.message).cmp(&(b.range.start, b.code, &b.message)));
        // Two projects of one app can reach the same central PackageVersion.
        report.diagnostics.dedup();
    }
    reports
}

/// Files larger than this are configuration no person wrote: the app is not
/// analysed, and the file says why (documented in docs/security.md).
pub const MAX_ANALYSED_BYTES: usize = 16 * 1024 * 1024;

/// When a file of the app is too large: one diagnostic on it, nothing else.
fn too_large(path: &Path, bytes: usize) -> Option<Vec<FileReport>> {
    let kind = FileKind::of(path)?;
    let code = match kind {
        FileKind::HostJson => "H001",
        FileKind::LocalSettings => "L001",
        FileKind::Project | FileKind::PackagesProps => "P001",
    };
    let mut sink = Sink::default();
    sink.report(
        code,
        path,
        TextRange::empty(0),
        format!(
            "This file is {} MB, larger than the {} MB durable-lsp analyses: the app is not checked",
            bytes >> 20,
            MAX_ANALYSED_BYTES >> 20
        ),
    );
    // The text is not kept: the message sits at the start of the file.
    Some(vec![FileReport { path: path.to_path_buf(), kind, text: Arc::default(), diagnostics: sink.diagnostics }])
}

/// Analyses a file that belongs to no app (a project without a host.json
/// beside it, a Directory.Packages.props): only its own syntax.
pub fn analyze_file_alone(path: &Path, kind: FileKind, text: Arc<String>) -> FileReport {
    if let Some(mut reports) = (text.len() > MAX_ANALYSED_BYTES).then(|| too_large(path, text.len())).flatten() {
        return reports.remove(0);
    }
    let mut sink = Sink::default();
    match kind {
        FileKind::Project | FileKind::PackagesProps => {
            let document = crate::syntax::xml::parse(&text);
            project_files::report_syntax(path, &document, &mut sink);
        }
        FileKind::HostJson | FileKind::LocalSettings => {}
    }
    FileReport { path: path.to_path_buf(), kind, text, diagnostics: sink.diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_in_messages_are_cut_short() {
        let short = "The task hub name \"orders\" is not valid";
        assert!(matches!(elide_long_words(short), Cow::Borrowed(_)));
        let long_sentence = "word ".repeat(100);
        assert!(matches!(elide_long_words(&long_sentence), Cow::Borrowed(_)), "many short words stay");
        let value = "é".repeat(200_000);
        let message = format!("The task hub name \"{value}\" is not valid: at most 64; DTS_TASK_HUB_NAMES={value}");
        let elided = elide_long_words(&message);
        assert_eq!(
            elided,
            format!(
                "The task hub name \"{}… (200002 characters) is not valid: at most 64; {}… (200019 characters)",
                "é".repeat(59),
                "DTS_TASK_HUB_NAMES=é".chars().chain(std::iter::repeat('é')).take(60).collect::<String>()
            )
        );
    }
}
