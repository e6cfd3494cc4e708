//! The command line: `check` for CI, `rules` for the documentation. Both run
//! the same analysis as the server and only format its result.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use crate::analysis::config::RuleConfig;
use crate::analysis::{self, Diagnostic, FileReport, Severity, migrate, registry, secrets};
use crate::disk::{self, DiskFileSystem};
use crate::edit::FileChange;
use crate::text::{LineIndex, PositionEncoding};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

/// Exit codes: 0 clean (no error-level diagnostic), 1 errors found, 2 usage or IO trouble.
pub const EXIT_OK: i32 = 0;
pub const EXIT_ERRORS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

/// One diagnostic placed for output: 1-based line and column, in characters.
struct Placed<'a> {
    display_path: String,
    /// The file's absolute path.
    path: &'a Path,
    diagnostic: &'a Diagnostic,
    start: (u32, u32),
    end: (u32, u32),
    /// The line the diagnostic starts on, without its line ending.
    source_line: &'a str,
    /// Where the diagnostic starts in `source_line`, in bytes, and where it
    /// ends when that is on the same line.
    excerpt_start: usize,
    excerpt_end: Option<usize>,
    related: Vec<PlacedRelated<'a>>,
}

/// A place that explains a diagnostic, placed like it.
struct PlacedRelated<'a> {
    display_path: String,
    path: &'a Path,
    start: (u32, u32),
    end: (u32, u32),
    message: &'a str,
}

/// Fields in alphabetical order, as the JSON output has always listed them
/// (it was built through `serde_json::Value`, whose maps sort their keys).
#[derive(Default, Serialize)]
struct Summary {
    apps: usize,
    errors: usize,
    files: usize,
    hints: usize,
    infos: usize,
    warnings: usize,
}

/// Adds what went wrong once: `--fix` met a missing path before `check`.
fn add_trouble(troubles: &mut Vec<String>, message: String) {
    if !troubles.contains(&message) {
        troubles.push(message);
    }
}

/// `durable-lsp check`: the report of every app under `paths`; `troubles`
/// is what went wrong before it (in `--fix`), reported with its own.
pub fn check(
    paths: &[PathBuf],
    format: Format,
    config: &RuleConfig,
    mut troubles: Vec<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut reports: Vec<(PathBuf, PathBuf, FileReport)> = Vec::new();
    let mut summary = Summary::default();
    // What stopped part of the check: said on stderr, and in the SARIF
    // log's invocation (a CI upload must not take it for a clean run).
    for_each_app(paths, &mut troubles, |found, app, troubles| {
        summary.apps += 1;
        for message in unreadable_files(app, found) {
            add_trouble(troubles, message);
        }
        let mut reports_of_app = analysis::analyze_app(&DiskFileSystem, app);
        config.apply_to_reports(&mut reports_of_app);
        for report in reports_of_app {
            reports.push((found.shown(&report.path), found.identity(&report.path), report));
        }
    });
    for trouble in &troubles {
        let _ = writeln!(err, "durable-lsp: {trouble}");
    }
    // A file several apps read (a shared Directory.Packages.props), or that
    // two paths given reach, is reported once, under its first name.
    reports.sort_by(|a, b| a.1.cmp(&b.1));
    let mut merged: Vec<(PathBuf, PathBuf, FileReport)> = Vec::new();
    for (shown, key, report) in reports {
        match merged.last_mut() {
            Some((_, existing_key, existing)) if *existing_key == key => {
                for diagnostic in report.diagnostics {
                    // Under another name, its fixes name other paths: the same
                    // diagnostic is the same rule, place and message.
                    let same = |d: &Diagnostic| {
                        d.code == diagnostic.code && d.range == diagnostic.range && d.message == diagnostic.message
                    };
                    if !existing.diagnostics.iter().any(same) {
                        existing.diagnostics.push(diagnostic);
                    }
                }
            }
            _ => merged.push((shown, key, report)),
        }
    }
    let merged: Vec<(PathBuf, FileReport)> = merged.into_iter().map(|(shown, _, report)| (shown, report)).collect();
    summary.files = merged.len();

    let indexes: Vec<LineIndex> = merged.iter().map(|(_, r)| LineIndex::new(&r.text)).collect();
    // 1-based line and column of an offset in a file, in characters. A byte
    // order mark is no column an editor shows: columns on the first line
    // count from after it.
    let position = |report: &FileReport, index: &LineIndex, offset: usize| -> (u32, u32) {
        let at = index.line_col(&report.text, at_end_of_last_line(&report.text, offset), PositionEncoding::Utf32);
        let bom = u32::from(at.line == 0 && at.col > 0 && report.text.starts_with('\u{feff}'));
        (at.line + 1, at.col - bom + 1)
    };
    let by_path: std::collections::HashMap<&Path, usize> =
        merged.iter().enumerate().map(|(at, (_, report))| (&*report.path, at)).collect();
    let mut placed = Vec::new();
    for ((shown, report), index) in merged.iter().zip(&indexes) {
        for diagnostic in &report.diagnostics {
            let line = index.line_of(at_end_of_last_line(&report.text, diagnostic.range.start));
            let content = index.line_content(&report.text, line.min(index.line_count() - 1));
            let source_line = &report.text[content.start..content.end];
            // The excerpt starts after a byte order mark.
            let line_start = content.start + source_line.len() - source_line.trim_start_matches('\u{feff}').len();
            let source_line = &report.text[line_start..content.end];
            let in_line = |offset: usize| offset.clamp(line_start, content.end) - line_start;
            let same_line = diagnostic.range.end <= content.end;
            // The places that explain it, in the files that were checked.
            let related = diagnostic
                .related
                .iter()
                .filter_map(|related| {
                    let at = *by_path.get(related.path.as_path())?;
                    let (other, other_index) = (&merged[at].1, &indexes[at]);
                    let start = position(other, other_index, related.range.start);
                    let end = position(other, other_index, related.range.end);
                    Some(PlacedRelated {
                        display_path: display(&merged[at].0),
                        path: &other.path,
                        start,
                        end,
                        message: &related.message,
                    })
                })
                .collect();
            placed.push(Placed {
                display_path: display(shown),
                path: &report.path,
                diagnostic,
                excerpt_start: in_line(diagnostic.range.start),
                excerpt_end: same_line.then(|| in_line(diagnostic.range.end)),
                start: position(report, index, diagnostic.range.start),
                end: position(report, index, diagnostic.range.end),
                source_line,
                related,
            });
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Information => summary.infos += 1,
                Severity::Hint => summary.hints += 1,
            }
        }
    }
    placed.sort_by(|a, b| {
        (&a.display_path, a.start, a.diagnostic.code).cmp(&(&b.display_path, b.start, b.diagnostic.code))
    });

    let written = match format {
        Format::Human => write_human(out, &placed, &summary),
        Format::Json => write_json(out, &placed, &summary),
        Format::Sarif => write_sarif(out, &placed, &troubles),
    };
    match written {
        // A reader that stopped early (`| head`) wanted no more.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            let _ = writeln!(err, "durable-lsp: cannot write the report: {e}");
            return EXIT_TROUBLE;
        }
        Ok(()) => {}
    }
    if !troubles.is_empty() {
        EXIT_TROUBLE
    } else if summary.errors > 0 {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// Tells of each file of `app` that is there but cannot be read: the rules
/// would take it for a missing file. Returns whether there was one.
fn report_unreadable(app: &crate::app::App, found: &Found, err: &mut dyn Write) -> bool {
    let messages = unreadable_files(app, found);
    for message in &messages {
        let _ = writeln!(err, "durable-lsp: {message}");
    }
    !messages.is_empty()
}

/// What to say of each file of `app` that is there but cannot be read,
/// or that the app's scan passed over (a folder named like a project).
fn unreadable_files(app: &crate::app::App, found: &Found) -> Vec<String> {
    let passed_over = disk::passed_over(app);
    let files = app.files().into_iter().chain(passed_over.iter().map(PathBuf::as_path));
    files
        .filter_map(|file| disk::unreadable(file).map(|e| format!("cannot read {}: {e}", display(&found.shown(file)))))
        .collect()
}

/// The end of the text, when the text ends with a line break, placed at the
/// end of the last line: "the object is never closed" belongs after its
/// last `}`, not on a line after the file's last one (which SARIF viewers
/// take for outside the file).
fn at_end_of_last_line(text: &str, offset: usize) -> usize {
    if offset < text.len() {
        return offset;
    }
    // A line break is `\n`, `\r\n` or a lone `\r`, as the line index counts them.
    let trimmed = match text.strip_suffix('\n') {
        Some(t) => Some(t.strip_suffix('\r').unwrap_or(t)),
        None => text.strip_suffix('\r'),
    };
    trimmed.map_or(offset, str::len)
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn write_human(out: &mut dyn Write, placed: &[Placed<'_>], summary: &Summary) -> io::Result<()> {
    // Diagnostics come sorted by file and position: those on one line are
    // neighbours, and the line's secrets are looked for once.
    let mut line_has_secret: Option<(*const u8, bool)> = None;
    for p in placed {
        let d = p.diagnostic;
        let path = printable(&p.display_path);
        let message = printable(&d.message);
        writeln!(out, "{path}:{}:{}: {}[{}] {message}", p.start.0, p.start.1, d.severity, d.code)?;
        let has_secret = match line_has_secret {
            Some((line, has)) if line == p.source_line.as_ptr() => has,
            _ => {
                let has = matches!(secrets::mask_line(p.source_line), Cow::Owned(_));
                line_has_secret = Some((p.source_line.as_ptr(), has));
                has
            }
        };
        if let Some(excerpt) = Excerpt::of(p.source_line, p.excerpt_start, p.excerpt_end, has_secret) {
            let gutter = p.start.0.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(out, "{pad} |")?;
            writeln!(out, "{gutter} | {}", excerpt.text)?;
            // The carets go under the characters as a terminal draws them:
            // a CJK character or an emoji takes two columns.
            let columns = |text: &str, from: usize, count: usize| -> usize {
                text.chars().skip(from).take(count).map(display_width).sum()
            };
            let caret_start = columns(&excerpt.text, 0, excerpt.caret_start);
            let caret_len = columns(&excerpt.text, excerpt.caret_start, excerpt.caret_len);
            writeln!(out, "{pad} | {}{}", " ".repeat(caret_start), "^".repeat(caret_len.max(1)))?;
        }
        writeln!(out)?;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "Checked {} ({}): {}, {}, {} information, {}.",
        plural(summary.apps, "app"),
        plural(summary.files, "file"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        summary.infos,
        plural(summary.hints, "hint"),
    )
}

/// Text from the user's files as one terminal line: control characters
/// (a newline, ESC, BEL) and bidirectional overrides written as escapes, so
/// that a value can neither start a line of its own (which a CI runner may
/// take for a command, `::error::`) nor move the cursor or recolour the
/// terminal, nor show its characters in another order than they are.
fn printable(text: &str) -> Cow<'_, str> {
    let escaped =
        |c: char| (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if escaped(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// How many terminal columns a character takes: 2 for East Asian wide and
/// full-width characters and emoji, 0 for combining marks and joiners, else
/// 1 (the common ranges of Unicode's East Asian Width; no table dependency).
fn display_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F | 0x20D0..=0x20FF => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x231A..=0x231B
        | 0x23E9..=0x23EC
        | 0x23F0
        | 0x23F3
        | 0x25FD..=0x25FE
        | 0x2614..=0x2615
        | 0x2648..=0x2653
        | 0x267F
        | 0x2693
        | 0x26A1
        | 0x26AA..=0x26AB
        | 0x26BD..=0x26BE
        | 0x26C4..=0x26C5
        | 0x26CE
        | 0x26D4
        | 0x26EA
        | 0x26F2..=0x26F3
        | 0x26F5
        | 0x26FA
        | 0x26FD
        | 0x2705
        | 0x270A..=0x270B
        | 0x2728
        | 0x274C
        | 0x274E
        | 0x2753..=0x2755
        | 0x2757
        | 0x2795..=0x2797
        | 0x27B0
        | 0x27BF
        | 0x2B1B..=0x2B1C
        | 0x2B50
        | 0x2B55
        | 0x1F004
        | 0x1F0CF
        | 0x1F18E
        | 0x1F191..=0x1F19A
        | 0x1F200..=0x1F64F
        | 0x1F680..=0x1F6FF
        | 0x1F7E0..=0x1F7EB
        | 0x1F90C..=0x1F9FF
        | 0x1FA70..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// A source line as shown under a diagnostic: secrets masked, control
/// characters escaped, tabs as blanks, and at most [`Excerpt::WIDTH`]
/// characters of it around the diagnostic (a minified file is one line).
struct Excerpt {
    text: String,
    /// Where the carets start, in characters of `text`, and how many.
    caret_start: usize,
    caret_len: usize,
}

impl Excerpt {
    const WIDTH: usize = 160;
    /// A line with a secret this long is not shown: finding where the
    /// carets go costs a masking of the line per diagnostic.
    const MAX_MASKED_LINE: usize = 4096;

    /// The excerpt of `line` for a diagnostic from byte `start` to byte
    /// `end` (the line's end when `None`); `has_secret` tells whether
    /// [`secrets::mask_line`] changes the line.
    fn of(line: &str, start: usize, end: Option<usize>, has_secret: bool) -> Option<Excerpt> {
        if line.is_empty() {
            return None;
        }
        let shown = |text: &str| -> String {
            let masked = if has_secret { secrets::mask_line(text) } else { Cow::Borrowed(text) };
            printable(&masked).chars().map(|c| if c == '\t' { ' ' } else { c }).collect()
        };
        let end = end.unwrap_or(line.len()).max(start);
        if !has_secret {
            // Nothing is masked: cut the window from the line first, so a
            // long line costs the window's width, not its length.
            let before = line[..start].char_indices().rev().nth(Self::WIDTH / 4 - 1).map_or(0, |(at, _)| at);
            let after = line[before..].char_indices().nth(Self::WIDTH).map_or(line.len(), |(at, _)| before + at);
            let lead = if before > 0 { "…" } else { "" };
            let tail = if after < line.len() { "…" } else { "" };
            let caret_start = lead.len().min(1) + shown(&line[before..start]).chars().count();
            let caret_end = lead.len().min(1) + shown(&line[before..end.min(after)]).chars().count();
            return Some(Excerpt {
                text: format!("{lead}{}{tail}", shown(&line[before..after])),
                caret_start,
                caret_len: caret_end.saturating_sub(caret_start),
            });
        }
        if line.len() > Self::MAX_MASKED_LINE {
            return None;
        }
        // The carets go under the masked line: a column counts the
        // characters before it as they are shown.
        let whole: Vec<char> = shown(line).chars().collect();
        let caret_start = shown(&line[..start]).chars().count().min(whole.len());
        // A longer prefix can be masked shorter (a URL's password is masked
        // only once its `@` is in): the carets never end before they start.
        let caret_end = shown(&line[..end]).chars().count().min(whole.len()).max(caret_start);
        let from = caret_start.saturating_sub(Self::WIDTH / 4).min(whole.len().saturating_sub(Self::WIDTH));
        let to = (from + Self::WIDTH).min(whole.len());
        let lead = if from > 0 { "…" } else { "" };
        let tail = if to < whole.len() { "…" } else { "" };
        let window: String = whole[from..to].iter().collect();
        let caret_start = caret_start - from + lead.len().min(1);
        Some(Excerpt {
            text: format!("{lead}{window}{tail}"),
            caret_start,
            caret_len: (caret_end.min(to) - from + lead.len().min(1)).saturating_sub(caret_start),
        })
    }
}

fn write_json(out: &mut dyn Write, placed: &[Placed<'_>], summary: &Summary) -> io::Result<()> {
    // Typed, fields in alphabetical order: the same output as a `Value`
    // tree, without building one (a file can have tens of thousands).
    #[derive(Serialize)]
    struct Report<'a> {
        diagnostics: Vec<JsonDiagnostic<'a>>,
        summary: &'a Summary,
        version: u32,
    }
    #[derive(Serialize)]
    struct JsonDiagnostic<'a> {
        code: &'a str,
        message: &'a str,
        path: &'a str,
        range: JsonRange,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        related: Vec<JsonRelated<'a>>,
        severity: &'a str,
    }
    /// A place in the checked files that explains the diagnostic.
    #[derive(Serialize)]
    struct JsonRelated<'a> {
        message: &'a str,
        path: &'a str,
        range: JsonRange,
    }
    #[derive(Serialize)]
    struct JsonRange {
        end: JsonPosition,
        start: JsonPosition,
    }
    #[derive(Serialize)]
    struct JsonPosition {
        column: u32,
        line: u32,
    }
    let position = |(line, column): (u32, u32)| JsonPosition { column, line };
    let diagnostics = placed
        .iter()
        .map(|p| JsonDiagnostic {
            code: p.diagnostic.code,
            message: &p.diagnostic.message,
            path: &p.display_path,
            range: JsonRange { end: position(p.end), start: position(p.start) },
            related: p
                .related
                .iter()
                .map(|r| JsonRelated {
                    message: r.message,
                    path: &r.display_path,
                    range: JsonRange { end: position(r.end), start: position(r.start) },
                })
                .collect(),
            severity: p.diagnostic.severity.as_str(),
        })
        .collect();
    write_pretty(out, &Report { diagnostics, summary, version: 1 })
}

/// Pretty JSON and a newline, buffered: stdout flushes at every newline,
/// which would be a system call per line.
fn write_pretty(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// A relative path as a URI reference: forward slashes, and every byte but
/// unreserved ones and `/` escaped (a `:` would read as a scheme; a name
/// that is not UTF-8 keeps its bytes).
fn uri_path(path: &Path) -> String {
    disk::percent_escape(&disk::slashed(path), b"")
}

/// Where a SARIF result's file is: relative to `%SRCROOT%` (the current
/// folder: CI runs from the repository's root) when it is in it, so code
/// scanning finds it in the repository; else an absolute `file:` URI.
fn sarif_location(path: &Path) -> (String, Option<&'static str>) {
    match from_current_folder(path) {
        Some(relative) => (uri_path(&relative), Some(SRCROOT)),
        None => (disk::file_uri(path), None),
    }
}

const SRCROOT: &str = "%SRCROOT%";

/// A rule's name as SARIF wants it: its title in one PascalCase word.
fn rule_name(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The first paragraph of a rule page's "What it checks", on one line.
fn rule_description(rule: &registry::Rule) -> String {
    let mut lines = rule.doc.lines().skip_while(|line| line.trim() != "## What it checks").skip(1);
    let paragraph: Vec<&str> =
        lines.by_ref().skip_while(|line| line.trim().is_empty()).take_while(|line| !line.trim().is_empty()).collect();
    if paragraph.is_empty() { rule.title().to_string() } else { paragraph.join(" ") }
}

fn write_sarif(out: &mut dyn Write, placed: &[Placed<'_>], troubles: &[String]) -> io::Result<()> {
    let rules: Vec<_> = registry::RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule_name(rule.title()),
                "shortDescription": {"text": rule.title()},
                "fullDescription": {"text": rule_description(rule)},
                "helpUri": rule.doc_url(),
                "help": {"text": rule.doc, "markdown": rule.doc},
                "defaultConfiguration": {"level": sarif_level(rule.severity)},
            })
        })
        .collect();
    // Typed, fields in alphabetical order (see write_json).
    #[derive(Serialize)]
    struct Sarif<'a> {
        #[serde(rename = "$schema")]
        schema: &'a str,
        runs: [Run<'a>; 1],
        version: &'a str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a> {
        column_kind: &'a str,
        invocations: serde_json::Value,
        original_uri_base_ids: serde_json::Value,
        results: Vec<SarifResult<'a>>,
        tool: serde_json::Value,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct SarifResult<'a> {
        level: &'a str,
        locations: [Location; 1],
        message: Text<'a>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        related_locations: Vec<RelatedLocation<'a>>,
        rule_id: &'a str,
        rule_index: Option<usize>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct RelatedLocation<'a> {
        id: usize,
        message: Text<'a>,
        physical_location: PhysicalLocation,
    }
    #[derive(Serialize)]
    struct Text<'a> {
        text: &'a str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Location {
        physical_location: PhysicalLocation,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PhysicalLocation {
        artifact_location: ArtifactLocation,
        region: Region,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ArtifactLocation {
        uri: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        uri_base_id: Option<&'static str>,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Region {
        end_column: u32,
        end_line: u32,
        start_column: u32,
        start_line: u32,
    }
    let physical = |path: &Path, start: (u32, u32), end: (u32, u32)| {
        let (uri, uri_base_id) = sarif_location(path);
        PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region: Region { end_column: end.1, end_line: end.0, start_column: start.1, start_line: start.0 },
        }
    };
    let results = placed
        .iter()
        .map(|p| SarifResult {
            level: sarif_level(p.diagnostic.severity),
            locations: [Location { physical_location: physical(p.path, p.start, p.end) }],
            message: Text { text: &p.diagnostic.message },
            related_locations: p
                .related
                .iter()
                .enumerate()
                .map(|(id, r)| RelatedLocation {
                    id,
                    message: Text { text: r.message },
                    physical_location: physical(r.path, r.start, r.end),
                })
                .collect(),
            rule_id: p.diagnostic.code,
            rule_index: registry::index(p.diagnostic.code),
        })
        .collect();
    let tool = json!({"driver": {
        "name": "durable-lsp",
        "fullName": concat!("durable-lsp ", env!("CARGO_PKG_VERSION")),
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "rules": rules,
    }});
    // A run that could not read everything must not look clean to code
    // scanning (an upload of no results closes the open alerts).
    let notifications: Vec<_> =
        troubles.iter().map(|trouble| json!({"level": "error", "message": {"text": trouble}})).collect();
    let mut invocation = json!({"executionSuccessful": troubles.is_empty()});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notifications);
    }
    let srcroot = current_folder().map(disk::file_uri).unwrap_or_default();
    let srcroot = if srcroot.ends_with('/') { srcroot } else { srcroot + "/" };
    let sarif = Sarif {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: json!([invocation]),
            original_uri_base_ids: json!({SRCROOT: {"uri": srcroot}}),
            results,
            tool,
        }],
        version: "2.1.0",
    };
    write_pretty(out, &sarif)
}

/// The README's rule table, generated from the rule pages (a test keeps
/// the README in step: `durable-lsp rules --markdown` prints it).
pub fn rules_markdown() -> String {
    let mut table = String::from("| code | severity | what it finds |\n|---|---|---|\n");
    for rule in registry::RULES {
        table.push_str(&format!(
            "| [{}](docs/rules/{}.md) | {} | {} |\n",
            rule.code,
            rule.code,
            rule.severity,
            rule.title()
        ));
    }
    table
}

/// `durable-lsp rules [CODE]`: the list, or one rule's page.
pub fn rules(code: Option<&str>, markdown: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if markdown {
        return if write!(out, "{}", rules_markdown()).is_err() { EXIT_TROUBLE } else { EXIT_OK };
    }
    let written = match code {
        None => registry::RULES
            .iter()
            .try_for_each(|rule| writeln!(out, "{}  {:<11}  {}", rule.code, rule.severity.as_str(), rule.title())),
        Some(code) => match registry::rule(code) {
            Some(rule) => write!(out, "{}", rule.doc),
            None => {
                let _ = writeln!(err, "durable-lsp: no rule {code}; `durable-lsp rules` lists them");
                return EXIT_TROUBLE;
            }
        },
    };
    if written.is_err() { EXIT_TROUBLE } else { EXIT_OK }
}

/// A unified diff of one file, labelled with the path the user gave.
pub fn unified_diff(label: &str, before: Option<&str>, after: &str) -> String {
    let (old_label, old) = match before {
        Some(text) => (header_name("a/", label), text),
        None => ("/dev/null".to_string(), ""),
    };
    // Lines end at `\n` only, as patch tools read them: a lone `\r` (in a
    // comment, or a file from classic Mac OS) is part of its line.
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = after.split_inclusive('\n').collect();
    similar::TextDiff::configure()
        .newline_terminated(true)
        .diff_slices(&old_lines, &new_lines)
        .unified_diff()
        .context_radius(3)
        .header(&old_label, &header_name("b/", label))
        .to_string()
}

/// A file's name in a diff header, as git writes it: in double quotes with
/// C escapes when it holds a quote, a backslash or a control character (a
/// tab or a line break would end the name), else as it is, followed by a
/// tab when it holds a blank (patch reads a name up to the first blank
/// otherwise).
fn header_name(side: &str, label: &str) -> String {
    if !label.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        let end = if label.contains(' ') { "\t" } else { "" };
        return format!("{side}{label}{end}");
    }
    let mut quoted = format!("\"{side}");
    for c in label.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    quoted.push_str(&format!("\\{byte:03o}"));
                }
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A diff as it may be shown: the secrets in its lines masked
/// ([`secrets::mask_line`]), and how many lines were.
fn mask_diff(diff: &str) -> (Cow<'_, str>, usize) {
    let mut masked_lines = 0;
    let mut shown = String::new();
    for line in diff.split_inclusive('\n') {
        let masked = secrets::mask_line(line);
        masked_lines += usize::from(matches!(masked, Cow::Owned(_)));
        shown.push_str(&masked);
    }
    if masked_lines == 0 { (Cow::Borrowed(diff), 0) } else { (Cow::Owned(shown), masked_lines) }
}

/// The apps under a path the user gave, and how to show their paths: as
/// found under that path, not made absolute.
struct Found {
    apps: Vec<crate::app::App>,
    base: PathBuf,
    shown_base: PathBuf,
    /// Whether this path is one of several given (see [`Found::identity`]).
    several_paths: bool,
}

/// Every app under the PATHs given (`.` when none), each once: two PATHs
/// that reach one app visit it under the first. A PATH that cannot be
/// walked, or holds no app (a typo, the wrong folder: not a clean result),
/// is added to `troubles`.
fn for_each_app(
    paths: &[PathBuf],
    troubles: &mut Vec<String>,
    mut visit: impl FnMut(&Found, &crate::app::App, &mut Vec<String>),
) {
    let roots: Vec<PathBuf> = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let mut seen_apps = BTreeSet::new();
    for root in &roots {
        let mut found = match find_apps(root) {
            Ok(found) => found,
            Err(message) => {
                add_trouble(troubles, message);
                continue;
            }
        };
        found.several_paths = roots.len() > 1;
        if found.apps.is_empty() {
            add_trouble(troubles, format!("no function app (a folder with a host.json) under {}", root.display()));
        }
        for app in &found.apps {
            if seen_apps.insert(found.identity(&app.root)) {
                visit(&found, app, troubles);
            }
        }
    }
}

fn find_apps(root: &Path) -> Result<Found, String> {
    let absolute = std::path::absolute(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let apps = disk::discover_apps(&absolute).map_err(|e| format!("{}: {e}", root.display()))?;
    let (base, shown_base) = if absolute.is_dir() {
        (absolute, root.to_path_buf())
    } else {
        let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
        (parent(&absolute), parent(root))
    };
    Ok(Found { apps, base, shown_base, several_paths: false })
}

impl Found {
    /// What makes two files one: their real path when several PATHs were
    /// given (`app`, `../repo/app` and a link to it are one app); under one
    /// PATH each is found once, and the path is enough.
    fn identity(&self, path: &Path) -> PathBuf {
        if self.several_paths {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        } else {
            path.to_path_buf()
        }
    }

    /// A path as the user sees it: below the path given, as found there;
    /// else (a props file above it) from the current folder when it is in
    /// it, else absolute.
    fn shown(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.base) {
            Ok(relative) if relative.as_os_str().is_empty() => self.shown_base.clone(),
            Ok(relative) => self.shown_base.join(relative),
            Err(_) => from_current_folder(path).unwrap_or_else(|| path.to_path_buf()),
        }
    }
}

/// What `migrate` does with the changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MigrateOutput {
    /// Prints them as a unified diff; secrets in its lines are masked
    /// unless `show_secrets`.
    Diff { show_secrets: bool },
    /// Writes them.
    Write,
}

/// `durable-lsp migrate [PATH] [--write] …`: the switch of every app under PATH.
pub fn migrate(
    root: &Path,
    target: &migrate::Target,
    output: MigrateOutput,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let write = output == MigrateOutput::Write;
    if let Some(why) = target.problem() {
        let _ = writeln!(err, "durable-lsp: {why}");
        return EXIT_TROUBLE;
    }
    let found = match find_apps(root) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(err, "durable-lsp: {message}");
            return EXIT_TROUBLE;
        }
    };
    if found.apps.is_empty() {
        let _ = writeln!(err, "durable-lsp: no function app (a folder with a host.json) under {}", root.display());
        return EXIT_TROUBLE;
    }
    let mut refused = false;
    // The settings the switched apps read, for the note on deploying them.
    let mut deployed_settings: BTreeSet<String> = BTreeSet::new();
    // Without --write, the run's changes so far: an app sharing a
    // Directory.Packages.props with an earlier one is planned on top of that
    // one's changes, and each file gets one diff that applies to it as it is.
    let mut planned = migrate::Workspace::new(&DiskFileSystem);
    for app in &found.apps {
        let app_shown = display(&found.shown(&app.root));
        if report_unreadable(app, &found, err) {
            let _ = writeln!(err, "{app_shown}: not switched: a file of the app cannot be read");
            return EXIT_TROUBLE;
        }
        let base: &dyn crate::app::FileSystem = if write { &DiskFileSystem } else { &planned };
        if let Some(why) = migrate::unused_options(base, &app.root, target) {
            let _ = writeln!(err, "{app_shown}: {why}");
        }
        let old_hub = migrate::literal_hub(base, &app.root);
        match migrate::migrate(base, &app.root, target) {
            migrate::Outcome::AlreadyDone => {
                let _ = writeln!(err, "{app_shown}: already on the Durable Task Scheduler; nothing to change");
                left_behind(base, &app.root, &app_shown, err);
            }
            migrate::Outcome::Refused(why) => {
                refused = true;
                let _ = writeln!(err, "{app_shown}: not switched: {why}");
            }
            migrate::Outcome::Changes(changes) => {
                let texts = migrate::apply_to_texts(base, &changes);
                if !write {
                    planned.files.extend(texts);
                    deployed_settings.extend(migrate::settings_read(&planned, &app.root));
                    if let Some(note) = migrate::hub_note(old_hub, &planned, &app.root) {
                        let _ = writeln!(err, "note: {app_shown}: {note}");
                    }
                    left_behind(&planned, &app.root, &app_shown, err);
                    continue;
                }
                let mut paths: Vec<&PathBuf> = texts.keys().collect();
                paths.sort();
                let befores = match read_befores(&paths, &found, err) {
                    Some(befores) => befores,
                    None => return EXIT_TROUBLE,
                };
                let files: Vec<disk::Replacement<'_>> = paths
                    .iter()
                    .zip(&befores)
                    .map(|(path, before)| disk::Replacement { path, before: before.as_deref(), after: &texts[*path] })
                    .collect();
                if let Err(failure) = disk::replace_files(&files) {
                    let _ = writeln!(err, "durable-lsp: {}", write_failure(&failure, &found, &app_shown));
                    return EXIT_TROUBLE;
                }
                let _ = writeln!(err, "{app_shown}: switched to the Durable Task Scheduler ({} files)", texts.len());
                deployed_settings.extend(migrate::settings_read(&DiskFileSystem, &app.root));
                if let Some(note) = migrate::hub_note(old_hub, &DiskFileSystem, &app.root) {
                    let _ = writeln!(err, "note: {app_shown}: {note}");
                }
                left_behind(&DiskFileSystem, &app.root, &app_shown, err);
            }
        }
    }
    let paths: Vec<&PathBuf> = planned.files.keys().collect();
    let Some(befores) = read_befores(&paths, &found, err) else { return EXIT_TROUBLE };
    // Each file's name in the diff, found once (it resolves links and `..` on disk).
    let labels: Vec<String> = paths.iter().map(|path| diff_label(&found.shown(path))).collect();
    let mut masked_lines = 0;
    for ((path, before), label) in paths.iter().zip(&befores).zip(&labels) {
        let diff = unified_diff(label, before.as_deref(), &planned.files[*path]);
        let shown = match output {
            MigrateOutput::Diff { show_secrets: false } => {
                let (masked, count) = mask_diff(&diff);
                masked_lines += count;
                masked
            }
            _ => Cow::Borrowed(diff.as_str()),
        };
        if write!(out, "{shown}").is_err() {
            return EXIT_TROUBLE;
        }
    }
    if masked_lines > 0 {
        let lines = match masked_lines {
            1 => "1 line of the diff holds".to_string(),
            n => format!("{n} lines of the diff hold"),
        };
        let _ = writeln!(
            err,
            "note: {lines} a secret (a key, a password, a setting named like one), shown as ***: \
             the diff does not apply as it is. Use --write to make the changes, or --show-secrets for a diff that applies"
        );
    }
    // A file outside the current folder (a shared props file above it):
    // no patch tool takes its absolute path.
    let outside: Vec<&String> = labels.iter().filter(|label| Path::new(label).is_absolute()).collect();
    if let Some(first) = outside.first() {
        let which = match outside.len() {
            1 => format!("{first} is"),
            n => format!("{n} files ({first} and others) are"),
        };
        let _ = writeln!(
            err,
            "note: {which} outside the current folder: the diff names them by absolute path, which `git apply` \
             skips and `patch -p1` refuses. Run migrate from a folder that holds them (the repository root), or use \
             --write"
        );
    }
    if let Some(note) = migrate::deploy_note(&deployed_settings) {
        let _ = writeln!(err, "note: {note}");
    }
    if refused { EXIT_ERRORS } else { EXIT_OK }
}

/// Says so when the switched app at `root` still has errors the switch has
/// no fix for (a version shared by an item under a Condition, say).
fn left_behind(fs: &dyn crate::app::FileSystem, root: &Path, shown: &str, err: &mut dyn Write) {
    let Some(app) = crate::app::App::at(fs, root) else { return };
    let errors: Vec<String> = analysis::analyze_app(fs, &app)
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code.to_string())
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(
            err,
            "note: {shown}: {} error{} the switch cannot fix ({}) left: see `durable-lsp check`",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            errors.join(", ")
        );
    }
}

/// What a failed write did, for the user: which file, why, and what was
/// replaced before it stopped.
fn write_failure(failure: &disk::WriteFailure, found: &Found, app_shown: &str) -> String {
    let label = display(&found.shown(&failure.path));
    if failure.replaced.is_empty() {
        return format!("cannot write {label}: {}; {app_shown} was left as it was", failure.error);
    }
    let replaced: Vec<String> = failure.replaced.iter().map(|p| display(&found.shown(p))).collect();
    format!(
        "cannot write {label}: {}; {} had already been replaced and could not be put back, the other files of \
         {app_shown} were left as they were",
        failure.error,
        replaced.join(", ")
    )
}

/// The files' texts on disk, `None` for one that is not there; `None` (and
/// said) when one is there but cannot be read.
fn read_befores(paths: &[&PathBuf], found: &Found, err: &mut dyn Write) -> Option<Vec<Option<String>>> {
    let mut befores = Vec::with_capacity(paths.len());
    for path in paths {
        match disk::read_text(path) {
            // Read with replacement characters, or from UTF-16: a diff of
            // that would not apply, and --write would refuse it.
            Ok(text)
                if (text.contains('\u{fffd}') || text.starts_with('\u{feff}'))
                    && std::fs::read(path).is_ok_and(|b| std::str::from_utf8(&b).is_err()) =>
            {
                let why = if text.starts_with('\u{feff}') && !text.contains('\u{fffd}') {
                    "is UTF-16: it is left as it is (durable-lsp writes UTF-8 only: save it as UTF-8 first)"
                } else {
                    "is not valid UTF-8: it is left as it is (no diff or rewrite of replacement characters)"
                };
                let _ = writeln!(err, "durable-lsp: {} {why}", display(&found.shown(path)));
                return None;
            }
            Ok(text) => befores.push(Some(text)),
            Err(_) if disk::unreadable(path).is_none() => befores.push(None),
            Err(e) => {
                let _ = writeln!(err, "durable-lsp: cannot read {}: {e}", display(&found.shown(path)));
                return None;
            }
        }
    }
    Some(befores)
}

/// Where `path` really is: a link followed, `..` steps and links among the
/// folders above resolved (the current folder is read that way too), since
/// git apply refuses a path through a link. `None` when it cannot be
/// resolved (the path is then named as it is).
fn physical_path(path: &Path) -> Option<PathBuf> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        return std::fs::canonicalize(path).ok();
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(folder).ok()?.join(path.file_name()?))
}

/// An absolute path from the current folder, when it is in it.
fn from_current_folder(path: &Path) -> Option<PathBuf> {
    path.strip_prefix(current_folder()?).ok().map(Path::to_path_buf)
}

/// The current folder, asked once: every path of a report is placed from it.
fn current_folder() -> Option<&'static Path> {
    static CURRENT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CURRENT.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// A path as a diff names it: relative to the current folder when it is in
/// it (a Directory.Packages.props above the path given is shown from
/// there), and without `./` or `../` steps, which `git apply` refuses. A
/// symbolic link is named by the file it leads to: patch tools replace or
/// refuse a link, where `--write` writes through it.
fn diff_label(path: &Path) -> String {
    let physical = physical_path(path);
    let path = physical.as_deref().unwrap_or(path);
    let relative = from_current_folder(path);
    let path = relative.as_deref().unwrap_or(path);
    let steps: PathBuf = path.components().filter(|c| *c != std::path::Component::CurDir).collect();
    if steps.as_os_str().is_empty() { ".".to_string() } else { display(&steps) }
}

/// `check --fix`: applies the safe fixes (the preferred fix of each error or
/// warning of the rules `config` runs, never removing comments) to every app
/// under `paths`, writing only files that still parse, and says on `err`
/// which files of which app changed. An app whose files cannot be read or
/// written is left as it was and the others are fixed: returns what went
/// wrong, for the report that follows.
pub fn fix(paths: &[PathBuf], config: &RuleConfig, err: &mut dyn Write) -> Vec<String> {
    let mut applied = 0;
    let mut troubles = Vec::new();
    for_each_app(paths, &mut troubles, |found, app, troubles| {
        let app_shown = display(&found.shown(&app.root));
        let unreadable = unreadable_files(app, found);
        if !unreadable.is_empty() {
            troubles.extend(unreadable);
            troubles.push(format!("{app_shown}: not fixed: a file of the app cannot be read"));
            return;
        }
        let mut workspace = migrate::Workspace::new(&DiskFileSystem);
        let fixed = migrate::fix_loop(&mut workspace, &app.root, config);
        // Each changed file read once: what it was, and what the fixes make of it.
        let mut texts: Vec<(PathBuf, Option<String>, String)> = Vec::new();
        for change in workspace.changes() {
            let before = disk::read_text(change.path()).ok();
            let after = match (&change, &before) {
                (FileChange::Edit { edits, .. }, Some(before)) => crate::edit::apply(before, edits),
                (FileChange::Edit { .. }, None) => continue,
                (FileChange::Create { text, .. }, _) => text.clone(),
            };
            texts.push((change.path().to_path_buf(), before, after));
        }
        let files: Vec<disk::Replacement<'_>> = texts
            .iter()
            .map(|(path, before, after)| disk::Replacement { path, before: before.as_deref(), after })
            .collect();
        match disk::replace_files(&files) {
            Ok(()) if fixed > 0 => {
                applied += fixed;
                let names: Vec<String> = texts.iter().map(|(path, _, _)| display(&found.shown(path))).collect();
                let _ = writeln!(err, "durable-lsp: {app_shown}: {} in {}", plural_fixes(fixed), names.join(", "));
            }
            Ok(()) => {}
            Err(failure) => troubles.push(write_failure(&failure, found, &app_shown)),
        }
    });
    let _ = writeln!(err, "durable-lsp: applied {}", plural_fixes(applied));
    troubles
}

fn plural_fixes(count: usize) -> String {
    format!("{count} fix{}", if count == 1 { "" } else { "es" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_text_with_a_final_line_break_is_on_its_last_line() {
        assert_eq!(at_end_of_last_line("}\n", 2), 1);
        assert_eq!(at_end_of_last_line("}\r\n", 3), 1);
        assert_eq!(at_end_of_last_line("}", 1), 1);
        assert_eq!(at_end_of_last_line("}\n\n", 3), 2);
        assert_eq!(at_end_of_last_line("a\nb", 1), 1);
        assert_eq!(at_end_of_last_line("", 0), 0);
        assert_eq!(at_end_of_last_line("{\r", 2), 1);
        assert_eq!(at_end_of_last_line("{\n\r", 3), 2);
    }

    /// Terminal columns: CJK, full-width forms and emoji (the pictographs,
    /// transport symbols, the wide dingbats) take two; combining marks none.
    #[test]
    fn display_widths() {
        let width = |text: &str| text.chars().map(display_width).sum::<usize>();
        assert_eq!(width("abc"), 3);
        assert_eq!(width("默认"), 4);
        assert_eq!(width("🚀🪐✅❌⚡😀"), 12);
        assert_eq!(width("ＡＢ"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("→☺"), 2);
    }
}
