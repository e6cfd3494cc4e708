//! The editor clients attach to every file the server reads: a file a client
//! leaves out gets no diagnostics, completion or hover in that editor, and
//! its unsaved edits never reach the server.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use durable_lsp::app::FileKind;

/// A file of each name the server reads, as a user's repository spells it.
const FILES: [&str; 6] = [
    "host.json",
    "local.settings.json",
    "Orders.csproj",
    "extensions.csproj",
    "Directory.Packages.props",
    "Directory.Build.props",
];

fn client_source(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_file_the_server_reads_is_one_the_clients_attach_to() {
    for name in FILES {
        assert!(FileKind::of(Path::new(name)).is_some(), "the server reads {name}");
    }
    // VS Code: the document selector's globs (`**/NAME` or `**/*.EXT`).
    let vscode = client_source("editors/vscode/src/extension.ts");
    let start = vscode.find("export const FILE_PATTERNS").unwrap();
    let patterns = &vscode[start..start + vscode[start..].find("];").unwrap()];
    for name in FILES {
        let extension = &name[name.rfind('.').unwrap()..];
        assert!(
            patterns.contains(&format!("'**/{name}'")) || patterns.contains(&format!("'**/*{extension}'")),
            "VS Code's FILE_PATTERNS leave out {name}: {patterns}"
        );
    }
    // Neovim: `understood`, which compares lower-cased names or matches `%.EXT$`.
    let neovim = client_source("editors/neovim/lsp/durable_lsp.lua");
    let start = neovim.find("local function understood").unwrap();
    let understood = &neovim[start..start + neovim[start..].find("\nend").unwrap()];
    for name in FILES {
        let lower = name.to_ascii_lowercase();
        let extension = &lower[lower.rfind('.').unwrap() + 1..];
        assert!(
            understood.contains(&format!("'{name}'"))
                || understood.contains(&format!("'{lower}'"))
                || understood.contains(&format!("'%.{extension}$'")),
            "Neovim's understood() leaves out {name}"
        );
    }
}
