//! "Switch this app to Durable Task Scheduler" (knowledge.md section 1) and
//! the fix loop that `check --fix` shares.
//!
//! The migration makes one structural change itself (select `azureManaged`,
//! creating the sections it needs; drop the old backend's connection name;
//! put the hub behind `%TASKHUB_NAME%`; write the connection and hub
//! settings) and then lets the rules finish the job: it applies their
//! preferred fixes until no error or warning is left that one can fix
//! (packages, minimum versions, the bundle range, IsEncrypted,
//! AzureWebJobsStorage, other backends' keys…). Each step works on the text
//! the previous one produced; the result is reported as minimal edits
//! against the original files, so what did not change is not touched.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::config::RuleConfig;
use crate::analysis::context::{
    AppContext, Backend, DEFAULT_CONNECTION_SETTING, HUB_SETTING, HUB_SETTING_REF, JsonFile, unwrap_percent,
};
use crate::analysis::dotnet::ProjectKind;
use crate::analysis::fixes::{self, EMULATOR_CONNECTION, EMULATOR_HUB};
use crate::analysis::nuget::{Version, VersionRange};
use crate::analysis::{self, Diagnostic, Severity, local_settings, packages, project_files};
use crate::app::{App, FileKind, FileSystem, WorkerRuntime};
use crate::edit::json::{JsonEditor, NewValue, escape, quote};
use crate::edit::{self, FileChange, TextEdit};
use crate::syntax::{jsonc, xml};
use crate::text::{LineIndex, PositionEncoding, TextRange};

/// Enough rounds for every chain of fixes the rules have (each round fixes
/// at most one thing per file).
const MAX_ROUNDS: usize = 24;

/// Where the app will connect.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// A scheduler endpoint; `None` for the local emulator.
    pub endpoint: Option<String>,
    /// The credential kind for a cloud endpoint (default `DefaultAzure`).
    pub authentication: Option<String>,
    /// The task hub (default `default`, the emulator's).
    pub hub: Option<String>,
}

impl Target {
    fn connection_string(&self) -> String {
        match &self.endpoint {
            // `problem` refuses any other credential kind without an endpoint.
            None => EMULATOR_CONNECTION.to_string(),
            Some(endpoint) => format!("Endpoint={endpoint};Authentication={}", self.authentication()),
        }
    }

    /// The credential kind: as given, else `None` for the emulator on this
    /// machine and `DefaultAzure` for a scheduler (rules.md L013).
    fn authentication(&self) -> &str {
        let local = self.endpoint.as_deref().is_none_or(analysis::endpoint_is_local);
        self.authentication.as_deref().unwrap_or(if local { "None" } else { "DefaultAzure" })
    }

    fn hub(&self) -> &str {
        self.hub.as_deref().unwrap_or(EMULATOR_HUB)
    }

    /// Why this target cannot be written (the CLI's options and the
    /// editor command's arguments alike), in a sentence naming the option.
    pub fn problem(&self) -> Option<String> {
        if let Some(endpoint) = &self.endpoint {
            if let Err(why) = analysis::endpoint_check(endpoint) {
                return Some(format!("the endpoint {endpoint} is not a URL: {why}"));
            }
        }
        if let Some(hub) = &self.hub {
            if let Err(why) = analysis::hub_name_check(hub) {
                return Some(format!("the task hub name {hub:?}: {why}"));
            }
        }
        if let Some(kind) = &self.authentication {
            if self.endpoint.is_none() && !kind.eq_ignore_ascii_case("None") {
                return Some(format!(
                    "the authentication kind {kind} needs an endpoint (--endpoint): without one the emulator's \
                     connection string is written, with Authentication=None"
                ));
            }
            if !analysis::authentication_kinds().iter().any(|k| k.eq_ignore_ascii_case(kind)) {
                return Some(format!(
                    "the authentication kind {kind} is not one of {}",
                    analysis::authentication_kinds().join(", ")
                ));
            }
        }
        // What the rules would rewrite in the written string is refused here,
        // rather than written as something else than was asked for.
        let local = self.endpoint.as_deref().is_none_or(analysis::endpoint_is_local);
        if let Some(endpoint) = &self.endpoint {
            if analysis::endpoint_port(endpoint) == Some(8082) && local {
                return Some(format!(
                    "the endpoint {endpoint} is the emulator's dashboard (port 8082); its gRPC endpoint, which the \
                     app must use, is port 8080 (rule L018)"
                ));
            }
            if !local && endpoint.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://")) {
                return Some(format!(
                    "the endpoint {endpoint} is not on this machine and http:// does not encrypt the channel: \
                     use https:// (rule L016)"
                ));
            }
        }
        if !local && self.authentication.as_deref().is_some_and(|kind| kind.eq_ignore_ascii_case("None")) {
            return Some(
                "--auth None is for the emulator on this machine: a scheduler accepts identities only (rule L015); \
                 use DefaultAzure for local development"
                    .to_string(),
            );
        }
        None
    }
}

#[derive(Debug)]
pub enum Outcome {
    /// The changes, one per file (edits against the analysed text, or a new file).
    Changes(Vec<FileChange>),
    /// Nothing to do: the app is on the Durable Task Scheduler already.
    AlreadyDone,
    /// The app cannot be switched as it is; why, in a sentence for the user.
    Refused(String),
}

/// The app's files with the changes made so far layered over `base`.
pub struct Workspace<'a> {
    base: &'a dyn FileSystem,
    pub files: BTreeMap<PathBuf, String>,
    /// Changes that create a file are refused (an editor that cannot).
    no_new_files: bool,
}

impl<'a> Workspace<'a> {
    pub fn new(base: &'a dyn FileSystem) -> Workspace<'a> {
        Workspace { base, files: BTreeMap::new(), no_new_files: false }
    }

    /// The same, refusing the changes that would create a file.
    pub fn without_new_files(self) -> Workspace<'a> {
        Workspace { no_new_files: true, ..self }
    }

    fn text(&self, path: &Path) -> Option<Arc<String>> {
        self.files.get(path).map(|text| Arc::new(text.clone())).or_else(|| self.base.read(path))
    }

    /// Applies a fix's changes; `false` (and nothing applied) when a change
    /// is to a file that does not parse (its tree may be misread: a member
    /// an unclosed object swallowed looks missing) or would leave a file
    /// that does not parse.
    pub fn apply(&mut self, changes: &[FileChange]) -> bool {
        if self.no_new_files && changes.iter().any(|c| matches!(c, FileChange::Create { .. })) {
            return false;
        }
        let mut staged = Vec::new();
        for change in changes {
            let (path, before, after) = match change {
                FileChange::Edit { path, edits } => {
                    let Some(before) = self.text(path) else { return false };
                    let after = edit::apply(&before, edits);
                    (path, Some(before), after)
                }
                FileChange::Create { path, text } => (path, None, text.clone()),
            };
            if syntax_errors(path, &after) > 0 || before.as_deref().is_some_and(|b| syntax_errors(path, b) > 0) {
                return false;
            }
            staged.push((path.clone(), after));
        }
        self.files.extend(staged);
        true
    }

    /// The changes against the original files, as minimal edits.
    pub fn changes(&self) -> Vec<FileChange> {
        let mut changes = Vec::new();
        for (path, text) in &self.files {
            match self.base.read(path) {
                Some(original) if *original == **text => {}
                Some(original) => {
                    changes.push(FileChange::Edit { path: path.clone(), edits: minimal_edits(&original, text) })
                }
                None => changes.push(FileChange::Create { path: path.clone(), text: text.clone() }),
            }
        }
        changes
    }
}

impl FileSystem for Workspace<'_> {
    fn read(&self, path: &Path) -> Option<Arc<String>> {
        self.text(path)
    }
    fn file_names(&self, dir: &Path) -> Vec<String> {
        crate::app::names_in(dir, self.base.file_names(dir), self.files.keys().map(PathBuf::as_path))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path) || self.base.is_file(path)
    }
    fn cached_package_versions(&self, id: &str) -> Vec<String> {
        self.base.cached_package_versions(id)
    }
}

/// How many syntax errors a file of this kind has.
pub fn syntax_errors(path: &Path, text: &str) -> usize {
    match FileKind::of(path) {
        Some(FileKind::HostJson | FileKind::LocalSettings) => jsonc::parse(text).errors.len(),
        Some(FileKind::Project | FileKind::PackagesProps) => xml::parse(text).errors.len(),
        None => 0,
    }
}

/// Line-level edits that turn `before` into `after`, touching only the lines
/// that differ.
pub fn minimal_edits(before: &str, after: &str) -> Vec<TextEdit> {
    let diff = similar::TextDiff::configure().algorithm(similar::Algorithm::Myers).diff_lines(before, after);
    // The lines as the diff cut them (it ends a line at a lone `\r` too):
    // the ranges must count the same lines.
    let old_lines = line_offsets(diff.old_slices());
    let new_lines = line_offsets(diff.new_slices());
    // The operations are walked by their lengths, with our own line
    // counters: on some inputs (blank lines mixing `\r` and `\n`) similar
    // 2.7 reports an insertion's old index out of order.
    let (mut old_at, mut new_at) = (0, 0);
    let mut edits = Vec::new();
    for op in diff.ops() {
        let (old_len, new_len) = (op.old_range().len(), op.new_range().len());
        let old = old_lines.get(old_at).zip(old_lines.get(old_at + old_len));
        let new = new_lines.get(new_at).zip(new_lines.get(new_at + new_len));
        let (Some((&old_start, &old_end)), Some((&new_start, &new_end))) = (old, new) else {
            return whole_text_edit(before, after);
        };
        if op.tag() == similar::DiffTag::Equal {
            if before[old_start..old_end] != after[new_start..new_end] {
                return whole_text_edit(before, after);
            }
        } else {
            edits.push(TextEdit {
                range: TextRange::new(old_start, old_end),
                new_text: after[new_start..new_end].to_string(),
            });
        }
        old_at += old_len;
        new_at += new_len;
    }
    if old_at + 1 != old_lines.len() || new_at + 1 != new_lines.len() {
        return whole_text_edit(before, after);
    }
    edits
}

/// One edit replacing all of `before`: what is left when the diff cannot be
/// trusted (never seen with a consistent diff; kept so that no input panics).
fn whole_text_edit(before: &str, after: &str) -> Vec<TextEdit> {
    if before == after {
        return Vec::new();
    }
    vec![TextEdit { range: TextRange::new(0, before.len()), new_text: after.to_string() }]
}

/// Offsets where each of `lines` (a text cut into lines, ends included)
/// starts, plus the end.
fn line_offsets(lines: &[&str]) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    offsets.push(at);
    for line in lines {
        at += line.len();
        offsets.push(at);
    }
    offsets
}

/// Which diagnostics the fix loop fixes: errors and warnings with a preferred
/// fix, except removing the user's comments (H002) and the choices only a
/// person can make (H010).
fn fixable(diagnostic: &Diagnostic) -> bool {
    matches!(diagnostic.severity, Severity::Error | Severity::Warning)
        && !matches!(diagnostic.code, "H002" | "H010")
        && diagnostic.fixes.iter().any(|f| f.preferred)
}

/// Applies preferred fixes round after round until none is left that applies
/// (one fix per file per round, so edits never collide), of the rules
/// `config` runs at error or warning. Returns how many fixes were applied.
pub fn fix_loop(workspace: &mut Workspace<'_>, root: &Path, config: &RuleConfig) -> usize {
    let mut applied = 0;
    // How many diagnostics like each fixed one (rule, file, message) there
    // were when it was fixed: a fix that leaves as many is not applied again
    // (a fix that does not do what it says must not repeat every round).
    type Identity = (&'static str, Arc<Path>, String);
    let mut fixed: HashMap<Identity, usize> = HashMap::new();
    for _ in 0..MAX_ROUNDS {
        let Some(app) = App::at(workspace, root) else { break };
        let mut reports = analysis::analyze_app(workspace, &app);
        config.apply_to_reports(&mut reports);
        let mut touched: Vec<PathBuf> = Vec::new();
        let mut round = 0;
        let diagnostics: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
        let identity = |d: &Diagnostic| (d.code, d.path.clone(), d.message.clone());
        let mut present: HashMap<Identity, usize> = HashMap::new();
        for diagnostic in &diagnostics {
            *present.entry(identity(diagnostic)).or_default() += 1;
        }
        let candidates: Vec<_> = diagnostics
            .iter()
            .filter(|d| fixable(d))
            .filter_map(|d| {
                let id = identity(d);
                let fix = d.fixes.iter().find(|f| f.preferred)?;
                fixed.get(&id).is_none_or(|&before| present[&id] < before).then(|| (id, fix.clone()))
            })
            .collect();
        for (id, fix) in candidates {
            if fix.changes.iter().any(|c| touched.iter().any(|t| t == c.path())) {
                continue;
            }
            if workspace.apply(&fix.changes) {
                touched.extend(fix.changes.iter().map(|c| c.path().to_path_buf()));
                fixed.insert(id.clone(), present[&id]);
                round += 1;
            }
        }
        applied += round;
        if round == 0 {
            break;
        }
    }
    applied
}

/// Plans the switch of the app at `root`.
pub fn migrate(base: &dyn FileSystem, root: &Path, target: &Target) -> Outcome {
    let Some(app) = App::at(base, root) else {
        return Outcome::Refused(format!("{} has no host.json", root.display()));
    };
    let context = AppContext::load(base, &app);
    if let Some(why) = refusal(&context) {
        return Outcome::Refused(why);
    }
    if let Some(why) = target.problem() {
        return Outcome::Refused(why);
    }
    let mut workspace = Workspace::new(base);
    structural_step(&context, target, &mut workspace);
    fix_loop(&mut workspace, root, &RuleConfig::default());
    // Only a switch that changes something updates the project: an app
    // already switched is left as it is (rules.md: the switch is a no-op there).
    if !workspace.changes().is_empty() {
        modern_extensions_project(&mut workspace, root);
    }
    let changes = workspace.changes();
    if changes.is_empty() {
        return Outcome::AlreadyDone;
    }
    // An app that needs changes needs plain settings: an encrypted file
    // cannot take them (an app already switched keeps its encrypted file).
    if let Some(local) = context.local.as_ref().filter(|_| context.values_encrypted()) {
        return Outcome::Refused(format!(
            "{} says \"IsEncrypted\": true: decrypt it first (func settings decrypt), or set it to false if its values \
             are plain text; the switch adds plain values, which Core Tools would fail to decrypt. Nothing was changed.",
            file_name(&local.path)
        ));
    }
    Outcome::Changes(changes)
}

/// The options of `target` the switch of this app does not use, in a
/// sentence: the settings they fill in are there already (they are never
/// overwritten), or the app on DTS names its own hub.
pub fn unused_options(base: &dyn FileSystem, root: &Path, target: &Target) -> Option<String> {
    let app = App::at(base, root)?;
    let context = AppContext::load(base, &app);
    let durable = context.durable();
    let mut unused = Vec::new();
    if target.endpoint.is_some() || target.authentication.is_some() {
        let name = durable.connection_setting().unwrap_or_else(|| DEFAULT_CONNECTION_SETTING.to_string());
        let sections = context.value_setting(&format!("{name}__endpoint")).is_some();
        let own =
            context.setting(&name).is_some_and(|e| e.string.is_none_or(|s| !local_settings::has_placeholder(&s.value)));
        if own || (sections && target.endpoint.is_none()) {
            unused.push(format!("--endpoint/--auth (the app has its connection setting {name})"));
        }
    }
    if target.hub.is_some() {
        let hub = durable.hub_text();
        match hub.and_then(unwrap_percent) {
            Some(setting) if own_value(&context, setting) => {
                unused.push(format!("--hub (the app has its hub setting {setting})"));
            }
            None if durable.is_dts() && hub.is_some_and(|h| !h.is_empty()) => {
                unused.push("--hub (host.json names the app's hub)".to_string());
            }
            // The switch puts the hub behind TASKHUB_NAME, which the app has already.
            None if own_value(&context, HUB_SETTING) => {
                unused.push(format!("--hub (the app has its hub setting {HUB_SETTING})"));
            }
            _ => {}
        }
    }
    (!unused.is_empty()).then(|| {
        format!(
            "{} not used: a switch fills in what is missing and never overwrites a setting; change those in \
             local.settings.json and the app settings",
            unused.join(" and ")
        )
    })
}

/// A setting of `Values` that holds a value of the user's (not a placeholder).
fn own_value(context: &AppContext<'_>, name: &str) -> bool {
    context.value_setting(name).is_some_and(|m| {
        m.value
            .as_ref()
            .and_then(|v| v.as_str())
            .is_none_or(|value| !local_settings::has_placeholder(value) && !value.trim().is_empty())
    })
}

/// Reasons not to touch the app at all.
fn refusal(context: &AppContext<'_>) -> Option<String> {
    if let Some((path, bytes)) = &context.oversized {
        return Some(format!(
            "{} is {} MB, too large to edit safely; nothing was changed",
            file_name(path),
            bytes >> 20
        ));
    }
    let broken = |path: &Path, text: &str, errors: Vec<(TextRange, String)>| {
        errors.first().map(|(range, message)| {
            let index = LineIndex::new(text);
            let at = index.line_col(text, range.start, PositionEncoding::Utf32);
            format!(
                "{} does not parse ({message} at line {}, column {}): fix it first; nothing was changed",
                file_name(path),
                at.line + 1,
                at.col + 1
            )
        })
    };
    let json_errors =
        |file: &JsonFile| file.document.errors.iter().map(|e| (e.range, e.message.clone())).collect::<Vec<_>>();
    if let Some(host) = &context.host {
        if let Some(why) = broken(&host.path, &host.text, json_errors(host)) {
            return Some(why);
        }
        let Some(root) = host.document.root_object() else {
            return Some(format!("{} is not a JSON object: fix it first; nothing was changed", file_name(&host.path)));
        };
        if let Some(why) = section_not_an_object(&host.path, root, &["extensions", "durableTask", "storageProvider"]) {
            return Some(why);
        }
    }
    if let Some(local) = &context.local {
        if let Some(why) = broken(&local.path, &local.text, json_errors(local)) {
            return Some(why);
        }
        if let Some(root) = local.document.root_object() {
            if let Some(why) = section_not_an_object(&local.path, root, &["Values"]) {
                return Some(why);
            }
        }
        // knowledge.md 3: Core Tools drops the whole file over one such value,
        // so settings added beside it would not be read either (L003).
        let nested = context.local_values().into_iter().flat_map(|values| &values.members).find(|m| {
            m.value.as_ref().is_some_and(|v| matches!(v.kind, jsonc::ValueKind::Object(_) | jsonc::ValueKind::Array(_)))
        });
        if let Some(member) = nested {
            return Some(format!(
                "\"{}\" in the Values of {} is not a string: Core Tools then ignores the whole file. Make it a string \
                 (or move it out of Values) first; nothing was changed",
                member.key.value,
                file_name(&local.path)
            ));
        }
    }
    // Without a project file, the setting alone says the app is in-process
    // (knowledge.md 3: DTS needs dotnet-isolated for .NET).
    if context.worker_runtime() == Some(WorkerRuntime::DotnetInProcess) && context.runtime_from_files().is_none() {
        return Some(format!(
            "FUNCTIONS_WORKER_RUNTIME is \"dotnet\" in {}: a .NET in-process app, which is not a supported path to the \
             Durable Task Scheduler (it needs dotnet-isolated). Migrate the app to the .NET isolated worker first \
             (https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model). Nothing was changed.",
            context.local.as_ref().map_or_else(|| "local.settings.json".to_string(), |l| file_name(&l.path))
        ));
    }
    for project in &context.projects {
        let errors = project.file.document.errors.iter().map(|e| (e.range, e.message.clone())).collect();
        if let Some(why) = broken(&project.file.path, &project.file.text, errors) {
            return Some(why);
        }
        if project.project.kind == ProjectKind::InProcess {
            return Some(format!(
                "{} is a .NET in-process project (Microsoft.NET.Sdk.Functions). The in-process model is not a supported path to the \
                 Durable Task Scheduler and reached end of support on 2026-11-10: migrate the app to the .NET isolated worker first \
                 (https://learn.microsoft.com/azure/azure-functions/migrate-dotnet-to-isolated-model). Nothing was changed.",
                file_name(&project.file.path)
            ));
        }
    }
    for props in [&context.packages_props, &context.build_props].into_iter().flatten() {
        let errors = props.document.errors.iter().map(|e| (e.range, e.message.clone())).collect();
        if let Some(why) = broken(&props.path, &props.text, errors) {
            return Some(why);
        }
    }
    None
}

/// The first of the nested sections `keys` (ignoring case, as the host
/// reads them) that is there but holds no object (`"durableTask": []`): the
/// switch writes into these, and would otherwise add a second one.
fn section_not_an_object(path: &Path, root: &jsonc::Object, keys: &[&str]) -> Option<String> {
    let mut object = root;
    for (depth, key) in keys.iter().enumerate() {
        let member = object.member_ignore_case(key)?;
        match member.value.as_ref().and_then(jsonc::Value::as_object) {
            Some(inner) => object = inner,
            None => {
                return Some(format!(
                    "\"{}\" in {} is not a JSON object: fix it first; nothing was changed",
                    keys[..=depth].join("."),
                    file_name(path)
                ));
            }
        }
    }
    None
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Selects azureManaged and writes what only the migration knows: the
/// connection and hub settings for the target.
fn structural_step(context: &AppContext<'_>, target: &Target, workspace: &mut Workspace<'_>) {
    let Some(host) = &context.host else { return };
    let durable = context.durable();
    let already_dts = durable.is_dts();
    let mut text = host.text.to_string();

    // The old backend's connection name means a storage account, a database
    // or an Event Hubs namespace: it must not be read as the DTS connection.
    if !already_dts {
        if let Some(provider) = durable.storage_provider {
            let old: Vec<usize> = provider
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| {
                    ["connectionName", "connectionStringName"].iter().any(|k| m.key.value.eq_ignore_ascii_case(k))
                })
                .map(|(i, _)| i)
                .collect();
            text = step(&text, |editor, doc| Some(editor.remove_members(provider_of(doc)?, &old)));
        }
    }
    // Select the backend, creating the sections that are missing.
    text = step(&text, select_backend);
    // The hub: behind %TASKHUB_NAME% unless it already reads a setting, or
    // the app is on DTS already and names its hub (a scheduler's hub the app
    // runs against; the rules judge the name).
    let hub_setting = {
        let doc = jsonc::parse(&text);
        let durable_task = durable_task_of(&doc);
        let hub = durable_task.and_then(|d| d.member_ignore_case("hubName"));
        match hub.and_then(|m| m.value.as_ref()) {
            Some(value) if value.as_str().and_then(unwrap_percent).is_some() => {
                value.as_str().and_then(unwrap_percent).map(str::to_string)
            }
            Some(value) if already_dts && value.as_str().is_some_and(|hub| !hub.is_empty()) => None,
            Some(value) => {
                let range = value.range;
                text = step(&text, |_, _| Some(vec![TextEdit { range, new_text: quote(HUB_SETTING_REF) }]));
                Some(HUB_SETTING.to_string())
            }
            None => {
                text = step(&text, |editor, doc| {
                    let durable_task = durable_task_of(doc)?;
                    editor.insert_member(durable_task, 0, "hubName", &NewValue::string(HUB_SETTING_REF))
                });
                Some(HUB_SETTING.to_string())
            }
        }
    };
    let connection_setting = {
        let doc = jsonc::parse(&text);
        provider_of(&doc)
            .and_then(|p| {
                p.member_ignore_case("connectionName").or_else(|| p.member_ignore_case("connectionStringName"))
            })
            .and_then(|m| m.value.as_ref()?.as_str())
            .map(|name| unwrap_percent(name).unwrap_or(name).to_string())
            .unwrap_or_else(|| DEFAULT_CONNECTION_SETTING.to_string())
    };
    workspace.apply(&[FileChange::Edit { path: host.path.clone(), edits: minimal_edits(&host.text, &text) }]);

    // local.settings.json: the settings the switched host.json reads. A
    // connection under `ConnectionStrings` is read before `Values` (knowledge.md
    // 2.2): one there is the app's own, and a second in `Values` would be ignored.
    let Some(app) = App::at(workspace, &context.app.root) else { return };
    let patched = AppContext::load(workspace, &app);
    let connection = target.connection_string();
    let mut settings: Vec<(&str, &str)> = Vec::new();
    // A `NAME__endpoint` section (which DTS does not read) names the user's
    // scheduler: L025's fix makes the sections the one string, unless --endpoint says otherwise.
    let endpoint_section = format!("{connection_setting}__endpoint");
    let sections = patched.value_setting(&endpoint_section).is_some();
    if patched.setting(&connection_setting).is_none() && (target.endpoint.is_some() || !sections) {
        settings.push((&connection_setting, &connection));
    }
    if let Some(hub) = &hub_setting {
        settings.push((hub, target.hub()));
    }
    let mut changes: Vec<FileChange> = fixes::add_values(&patched, &settings).into_iter().collect();
    // A placeholder the seed doc left (`Endpoint={DTS URL}`, `<TASKHUB NAME>`,
    // L020), or an empty value, is a hole to fill, not a setting the user
    // chose: it gets the target.
    let filled = |name: &str, value: &str| {
        let string = patched.setting(name)?.string?;
        let local = patched.local.as_ref()?;
        (local_settings::has_placeholder(&string.value) || string.value.trim().is_empty())
            .then(|| fixes::edit(&local.path, vec![TextEdit { range: string.content(), new_text: escape(value) }]))
    };
    changes.extend(filled(&connection_setting, &connection));
    if let Some(hub) = &hub_setting {
        changes.extend(filled(hub, target.hub()));
    }
    if !changes.is_empty() {
        workspace.apply(&fixes::merge(changes));
    }
}

/// The app settings the switched app at `root` reads for the Durable Task
/// Scheduler: its connection setting, and the hub's `%NAME%` when there is one.
pub fn settings_read(fs: &dyn FileSystem, root: &Path) -> Vec<String> {
    let Some(app) = App::at(fs, root) else { return Vec::new() };
    let context = AppContext::load(fs, &app);
    let durable = context.durable();
    let hub = durable.hub_setting().map(str::to_string);
    durable.connection_setting().into_iter().chain(hub).collect()
}

/// The hub name host.json gives as it is (not `%SETTING%`), before a switch.
pub fn literal_hub(fs: &dyn FileSystem, root: &Path) -> Option<String> {
    let app = App::at(fs, root)?;
    let context = AppContext::load(fs, &app);
    let hub = context.durable().hub_text()?.to_string();
    (!hub.is_empty() && unwrap_percent(&hub).is_none()).then_some(hub)
}

/// What to say when the switch moved host.json's hub name `old` behind a
/// setting (`fs` is the app after it): the name is not lost, and Azure
/// needs the setting.
pub fn hub_note(old: Option<String>, fs: &dyn FileSystem, root: &Path) -> Option<String> {
    let old = old?;
    let app = App::at(fs, root)?;
    let context = AppContext::load(fs, &app);
    let setting = context.durable().hub_setting()?.to_string();
    let value = context.value_setting(&setting)?.value.as_ref()?.as_str()?.to_string();
    let emulator = if value == "default" { " (the emulator's hub)" } else { "" };
    Some(format!(
        "host.json named the task hub {old}; it now reads %{setting}%, which local.settings.json sets to \
         {value}{emulator}. In Azure, set {setting} to the name of the scheduler's task hub"
    ))
}

/// What a switched app needs beyond its files (knowledge.md 3, 3.1):
/// local.settings.json is read by Core Tools only, and a deployed app
/// connects with its managed identity. `None` when it reads no setting.
pub fn deploy_note(settings: &std::collections::BTreeSet<String>) -> Option<String> {
    let names: Vec<&str> = settings.iter().map(String::as_str).collect();
    let names = match names.split_last()? {
        (last, []) => last.to_string(),
        (last, rest) => format!("{} and {last}", rest.join(", ")),
    };
    Some(format!(
        "local.settings.json is for local runs only. In Azure, set the app settings {names} too (a connection as \
         Endpoint=https://SCHEDULER.REGION.durabletask.io;Authentication=ManagedIdentity, with ClientID=… for a \
         user-assigned identity), and give the app's identity the Durable Task Data Contributor role on the \
         scheduler"
    ))
}

/// A non-.NET app on the extensions.csproj route (knowledge.md 5) ends with
/// the 2026 project the switch's packages need: AzureManaged 1.x ships for
/// net8.0, and the seed doc's `net6.0` and ExtensionsMetadataGenerator 1.1.3
/// are outdated. (P010 reports a lower target as information outside a switch.)
fn modern_extensions_project(workspace: &mut Workspace<'_>, root: &Path) {
    let Some(app) = App::at(workspace, root) else { return };
    let context = AppContext::load(workspace, &app);
    // An extensions.csproj is a non-.NET app's even when nothing names its runtime.
    let dotnet = context.has_dotnet_project() || context.worker_runtime().is_some_and(|r| r.is_dotnet());
    if dotnet || context.bundle().is_some() || !context.durable().is_dts() {
        return;
    }
    let Some(project) = context.extensions_project() else { return };
    if !project.file.document.errors.is_empty() {
        return;
    }
    // One target (a list would need its own judgment: net6.0;net8.0 is fine as it is).
    let frameworks = &project.project.target_frameworks;
    let mut changes: Vec<FileChange> = frameworks
        .iter()
        .filter(|(framework, _)| frameworks.len() == 1 && project_files::framework_below_net8(framework))
        .map(|(_, range)| project_files::target_net8(project, *range))
        .collect();
    let generator = project.project.reference(packages::METADATA_GENERATOR);
    let source = generator.and_then(|reference| context.version_source(project, reference));
    let minimum = packages::newest_known(packages::METADATA_GENERATOR);
    if let Some(source) = source.filter(|s| {
        VersionRange::parse(s.text).zip(Version::parse(minimum)).is_some_and(|(range, min)| range.resolves_below(&min))
    }) {
        changes.push(fixes::set_version(&source, minimum));
    }
    if !changes.is_empty() {
        workspace.apply(&fixes::merge(changes));
    }
}

/// Parses, computes edits, applies them; the text stays as it was when the
/// step has nothing to do or would break the file.
fn step(text: &str, edits: impl FnOnce(&JsonEditor<'_>, &jsonc::JsonDocument) -> Option<Vec<TextEdit>>) -> String {
    let doc = jsonc::parse(text);
    let editor = JsonEditor::new(text, &doc);
    match edits(&editor, &doc) {
        Some(edits) if !edits.is_empty() => {
            let after = edit::apply(text, &edits);
            if jsonc::parse(&after).errors.len() > doc.errors.len() { text.to_string() } else { after }
        }
        _ => text.to_string(),
    }
}

fn extensions_of(doc: &jsonc::JsonDocument) -> Option<&jsonc::Object> {
    doc.root_object()?.object_ignore_case("extensions")
}

fn durable_task_of(doc: &jsonc::JsonDocument) -> Option<&jsonc::Object> {
    extensions_of(doc)?.object_ignore_case("durableTask")
}

fn provider_of(doc: &jsonc::JsonDocument) -> Option<&jsonc::Object> {
    durable_task_of(doc)?.object_ignore_case("storageProvider")
}

/// `storageProvider.type: "azureManaged"` at the deepest section that exists.
fn select_backend(editor: &JsonEditor<'_>, doc: &jsonc::JsonDocument) -> Option<Vec<TextEdit>> {
    let dts_type = || ("type".to_string(), NewValue::string("azureManaged"));
    let connection = || ("connectionStringName".to_string(), NewValue::string(DEFAULT_CONNECTION_SETTING));
    let root = doc.root_object()?;
    let Some(extensions) = root.object_ignore_case("extensions") else {
        let durable = NewValue::Object(vec![(
            "durableTask".into(),
            NewValue::Object(vec![("storageProvider".into(), NewValue::Object(vec![dts_type(), connection()]))]),
        )]);
        return editor.insert_member(root, root.members.len(), "extensions", &durable);
    };
    let Some(durable_task) = extensions.object_ignore_case("durableTask") else {
        let durable =
            NewValue::Object(vec![("storageProvider".into(), NewValue::Object(vec![dts_type(), connection()]))]);
        return editor.insert_member(extensions, extensions.members.len(), "durableTask", &durable);
    };
    let Some(provider) = durable_task.object_ignore_case("storageProvider") else {
        let provider = NewValue::Object(vec![dts_type(), connection()]);
        return editor.insert_member(durable_task, durable_task.members.len(), "storageProvider", &provider);
    };
    match provider.member("type") {
        Some(member) => {
            let value = member.value.as_ref()?;
            if value.as_str().and_then(Backend::from_type) == Some(Backend::AzureManaged) {
                return Some(Vec::new());
            }
            let mut edits = vec![TextEdit { range: value.range, new_text: quote("azureManaged") }];
            if provider.member_ignore_case("connectionName").is_none()
                && provider.member_ignore_case("connectionStringName").is_none()
            {
                let at = fixes::index_of(provider, member) + 1;
                edits.extend(editor.insert_member(provider, at, "connectionStringName", &connection().1)?);
            }
            Some(edits)
        }
        None => {
            let mut entries = vec![dts_type()];
            if provider.member_ignore_case("connectionName").is_none()
                && provider.member_ignore_case("connectionStringName").is_none()
            {
                entries.push(connection());
            }
            editor.insert_members(provider, 0, &entries)
        }
    }
}

/// The changes as text per path, for callers that write files.
pub fn apply_to_texts(base: &dyn FileSystem, changes: &[FileChange]) -> HashMap<PathBuf, String> {
    let mut texts = HashMap::new();
    for change in changes {
        match change {
            FileChange::Edit { path, edits } => {
                if let Some(original) = base.read(path) {
                    texts.insert(path.clone(), edit::apply(&original, edits));
                }
            }
            FileChange::Create { path, text } => {
                texts.insert(path.clone(), text.clone());
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edits_touch_only_changed_lines() {
        let before = "a\nb\nc\nd\n";
        let after = "a\nB\nc\nd\ne\n";
        let edits = minimal_edits(before, after);
        assert_eq!(edits.len(), 2);
        assert_eq!(edit::apply(before, &edits), after);
        assert_eq!(edit::apply("x\r\ny", &minimal_edits("x\r\ny", "x\r\nz")), "x\r\nz");
        assert!(minimal_edits("same", "same").is_empty());
        // A lone `\r` ends a line for the diff, so it must for the ranges.
        let before = "{\r  \"a\": 1,\r  /* x\ry */\n  \"b\": 2\r}\r";
        let after = "{\r  \"a\": 1,\r  /* x\ry */\n  \"b\": 3,\r  \"c\": 4\r}\r";
        assert_eq!(edit::apply(before, &minimal_edits(before, after)), after);
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn minimal_edits_turn_before_into_after(
            before in "(a|b|\r|\n|\r\n|é){0,16}",
            after in "(a|b|\r|\n|\r\n|é){0,16}",
        ) {
            prop_assert_eq!(edit::apply(&before, &minimal_edits(&before, &after)), after);
        }
    }
}
