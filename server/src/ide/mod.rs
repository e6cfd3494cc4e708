//! Editor intelligence: completion, hover, go to definition, references,
//! rename and the outline. Pure functions over the app's files (read through
//! `FileSystem`), answering from the same knowledge tables the rules use.
//! Nothing here knows LSP: the server converts the results.

mod complete;
mod hover;
mod navigate;
pub mod query;
mod symbols;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::AppContext;
use crate::app::{App, FileKind, FileSystem};
use crate::edit::TextEdit;
use crate::syntax::jsonc::JsonDocument;
use crate::text::TextRange;

pub use complete::complete;
pub use hover::hover;
pub use navigate::{RenameTarget, definition, package_references, prepare_rename, references, rename};
pub use symbols::{Symbol, SymbolKind, project_symbols, symbols, symbols_of};

/// The DTS connection string's keys and what each is for (knowledge.md 3.1),
/// for completion and hover.
pub(crate) const DTS_KEYS: [(&str, &str); 9] = [
    (
        "Endpoint",
        "The scheduler URL: `https://NAME.REGION.durabletask.io`, or `http://localhost:8080` for the emulator",
    ),
    (
        "Authentication",
        "The credential: `None` for the emulator, `DefaultAzure` locally, `ManagedIdentity` when deployed",
    ),
    ("ClientID", "The client id (a GUID) of a user-assigned managed identity or workload identity"),
    ("TaskHub", "Fallback task hub name; host.json's hubName wins"),
    ("TenantId", "Tenant of a workload identity"),
    ("AdditionallyAllowedTenants", "Other tenants a workload identity may use (comma list)"),
    ("TokenFilePath", "Parsed but unused"),
    ("ResourceId", "Token audience, default `https://durabletask.io`"),
    ("AuthorityHost", "An absolute `https://` authority URL"),
];

/// What each `Authentication` kind is (knowledge.md 3.1), for hover.
pub(crate) fn authentication_doc(kind: &str) -> &'static str {
    match kind {
        "None" => "no credential: only the local emulator (`http://localhost:8080`) accepts it",
        "DefaultAzure" => {
            "Azure.Identity's DefaultAzureCredential: your Azure CLI, Visual Studio or environment login; what local development against a scheduler in Azure uses"
        }
        "ManagedIdentity" => {
            "the app's managed identity: deployed apps only (add `ClientID` for a user-assigned one; there is none on a developer machine)"
        }
        "WorkloadIdentity" => "a workload identity federated token (`ClientID`, `TenantId`; Kubernetes)",
        "Environment" => "a service principal from the `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`, … environment variables",
        "AzureCLI" => "the Azure CLI's login (`az login`)",
        "AzurePowerShell" => "Azure PowerShell's login (`Connect-AzAccount`)",
        "VisualStudio" => "Visual Studio's Azure account",
        "VisualStudioCode" => "VS Code's Azure account",
        "InteractiveBrowser" => "a browser sign-in, asked for when the app starts",
        _ => "",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Property,
    Value,
    Setting,
    Snippet,
    Package,
    Version,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    /// Borrowed when it is a known name (a key, a value): no copy per item.
    pub label: Cow<'static, str>,
    pub kind: ItemKind,
    pub detail: Option<Cow<'static, str>>,
    pub documentation: Option<Documentation>,
    /// Orders the list: the lowest rank first, then by label.
    pub rank: usize,
    pub edit: TextEdit,
    /// `edit.new_text` is a snippet (`$1`, `${1:name}`).
    pub snippet: bool,
}

/// An item's documentation, rendered to Markdown only when it is shown:
/// clients that resolve items ask for it one item at a time.
#[derive(Clone, Debug)]
pub enum Documentation {
    Markdown(String),
    /// A known host.json key's description, default, readers and source.
    Key(&'static crate::analysis::keys::KnownKey),
}

impl Documentation {
    pub fn markdown(&self) -> String {
        match self {
            Documentation::Markdown(text) => text.clone(),
            Documentation::Key(key) => key.markdown(),
        }
    }
}

impl PartialEq for Documentation {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Documentation::Key(a), Documentation::Key(b)) => std::ptr::eq(*a, *b),
            _ => self.markdown() == other.markdown(),
        }
    }
}

impl Eq for Documentation {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub range: TextRange,
}

/// A document of the app with the app loaded around it.
pub(crate) struct Scope {
    pub kind: FileKind,
    pub text: Arc<String>,
    /// host.json and local.settings.json parsed (the parse the app's context shares when cached).
    json: Option<Arc<JsonDocument>>,
    path: PathBuf,
    /// The app the file belongs to, found on first use.
    app: OnceCell<Option<App>>,
}

impl Scope {
    pub fn new(fs: &dyn FileSystem, path: &Path) -> Option<Scope> {
        let kind = FileKind::of(path)?;
        let text = fs.read(path)?;
        if text.len() > crate::analysis::MAX_ANALYSED_BYTES {
            // Not parsed for the analysis either: nothing to complete, hover or find.
            return None;
        }
        let json = matches!(kind, FileKind::HostJson | FileKind::LocalSettings).then(|| fs.parse_json(path, &text));
        Some(Scope { kind, text, json, path: path.to_path_buf(), app: OnceCell::new() })
    }

    /// The document parsed as JSONC (empty for XML files, which have no JSON parse).
    pub fn json(&self) -> &JsonDocument {
        static EMPTY: std::sync::OnceLock<JsonDocument> = std::sync::OnceLock::new();
        self.json.as_deref().unwrap_or_else(|| EMPTY.get_or_init(|| crate::syntax::jsonc::parse("")))
    }

    pub fn context<'b>(&'b self, fs: &dyn FileSystem) -> Option<AppContext<'b>> {
        let app = self.app.get_or_init(|| App::containing(fs, &self.path));
        app.as_ref().map(|app| AppContext::load(fs, app))
    }
}
