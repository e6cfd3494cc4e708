// The VS Code side of durable-lsp: find the server, start it, forward the
// settings, expose three commands. Every rule, fix and the switch itself live
// in the server; nothing here knows about host.json.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  type ClientCapabilities,
  CloseAction,
  ErrorAction,
  type ErrorHandler,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  type StaticFeature,
  TransportKind,
} from 'vscode-languageclient/node';

const CLIENT_ID = 'durableLsp'; // also the settings section: durableLsp.trace.server is read by the client
const CLIENT_NAME = 'Durable Task Scheduler';
/** The server's command (workspace/executeCommand); it answers with workspace/applyEdit. */
export const SERVER_SWITCH_COMMAND = 'durable-lsp.switchToDurableTaskScheduler';
export const FILE_PATTERNS = [
  '**/host.json',
  '**/local.settings.json',
  '**/*.csproj',
  '**/Directory.Packages.props',
  '**/Directory.Build.props',
];
const EXE = process.platform === 'win32' ? 'durable-lsp.exe' : 'durable-lsp';
const INSTALL_HINT =
  'Install the platform-specific build of this extension (it bundles the server), or build the server ' +
  '(`cargo install --path server` in the durable-lsp repository) and put `durable-lsp` on PATH, ' +
  'or set "durableLsp.server.path" to the binary.';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

export interface ServerBinary {
  command: string;
  /** Where it came from, for messages: the setting, the extension, PATH. */
  source: string;
}

/** Thrown when no usable server exists; the message says how to fix it. */
export class ServerNotFound extends Error {}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('durableLsp.switchToDurableTaskScheduler', () => switchApp()),
    vscode.commands.registerCommand('durableLsp.restartServer', () => restart(context)),
    vscode.commands.registerCommand('durableLsp.showServerOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('durableLsp.server.path')) {
        await restart(context);
      }
    }),
    // Trusting the workspace can unlock a workspace value of durableLsp.server.path.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
  );
  installTestHook(context);
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  let binary: ServerBinary;
  try {
    binary = findServer(context.extensionPath);
    const version = await serverVersion(binary);
    output.appendLine(`Starting ${binary.command} (${version}, from ${binary.source})`);
  } catch (error) {
    reportStartFailure(error);
    return;
  }
  const serverOptions: ServerOptions = {
    // vscode-languageclient appends --stdio; the server accepts it.
    run: { command: binary.command, transport: TransportKind.stdio },
    debug: { command: binary.command, transport: TransportKind.stdio, options: { env: { ...process.env, DURABLE_LSP_LOG: 'debug' } } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // The server asks for section "durableLsp" with workspace/configuration;
    // this also sends workspace/didChangeConfiguration when it changes.
    synchronize: { configurationSection: 'durableLsp' },
    // For the very first analysis, before workspace/configuration is answered.
    initializationOptions: () => ({
      durableLsp: { rules: vscode.workspace.getConfiguration('durableLsp').get<object>('rules') ?? {} },
    }),
    errorHandler: crashReporter(binary),
    middleware: {
      // VS Code's own JSON support outlines host.json and local.settings.json
      // already (key names only, no values): the server's outline of them
      // would list every key twice. Project files have only the server's.
      provideDocumentSymbols: (document, token, next) =>
        document.languageId === 'json' || document.languageId === 'jsonc' ? [] : next(document, token),
    },
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client.registerFeature(pushDiagnosticsOnly);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    if (!gaveUp.has(binary.command)) {
      reportStartFailure(
        new ServerNotFound(
          `The durable-lsp server (${binary.command}, from ${binary.source}) did not start: ${errorText(error)}. ${fixHint(binary)}`,
        ),
      );
    }
  }
}

/** What to do about a binary that does not work, by where it came from. */
function fixHint(binary: ServerBinary): string {
  return binary.source === 'the durableLsp.server.path setting'
    ? 'Point durableLsp.server.path at a working durable-lsp binary, or clear it.'
    : INSTALL_HINT;
}

/** Binaries given up on after crashing: said once, not again by the start that failed. */
const gaveUp = new Set<string>();

/**
 * A server that keeps stopping is restarted a few times, then given up on
 * with a message that names the binary and how to fix it, instead of the
 * client's "write EPIPE" and "connection to server is erroring" toasts.
 */
function crashReporter(binary: ServerBinary): ErrorHandler {
  gaveUp.delete(binary.command);
  const stops: number[] = [];
  return {
    error: (_error, _message, count) => ({
      action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      handled: true,
    }),
    closed: () => {
      const now = Date.now();
      stops.push(now);
      while (stops.length > 0 && now - stops[0] > 3 * 60 * 1000) {
        stops.shift();
      }
      if (stops.length < 5) {
        output.appendLine(`The server (${binary.command}) stopped; starting it again`);
        return { action: CloseAction.Restart, handled: true };
      }
      gaveUp.add(binary.command);
      reportStartFailure(
        new ServerNotFound(
          `The durable-lsp server (${binary.command}, from ${binary.source}) stopped ${stops.length} times in 3 minutes ` +
            `and was not started again. ${fixHint(binary)} What it wrote is in the output.`,
        ),
      );
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

/**
 * Diagnostics by push, not pull. A change in one file changes the problems of
 * the app's other files (a host.json edit moves P002 in the .csproj), and with
 * push the server publishes every file of the app, open or not. With pull,
 * vscode-languageclient 9 only asks for documents visible in a tab and drops
 * the `relatedDocuments` of the answer, so the Problems panel would miss them.
 * Registered after the built-in features, so this runs last.
 */
const pushDiagnosticsOnly: StaticFeature = {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    delete capabilities.textDocument?.diagnostic;
  },
  initialize(): void {},
  getState: () => ({ kind: 'static' }),
  clear(): void {},
};

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop(5000);
    } catch (error) {
      output.appendLine(`Stopping the server: ${errorText(error)}`);
    }
  }
}

/** Restarts one after another: a burst of setting changes never leaves two servers running. */
let lifecycle: Promise<void> = Promise.resolve();
function restart(context: vscode.ExtensionContext): Promise<void> {
  lifecycle = lifecycle.then(async () => {
    output.appendLine('Restarting the server');
    await stop();
    await start(context);
  });
  return lifecycle;
}

/**
 * The server binary: the `durableLsp.server.path` setting (VS Code ignores a
 * workspace value of it in untrusted workspaces), the binary bundled in the
 * extension, then PATH.
 */
export function findServer(extensionPath: string, env: NodeJS.ProcessEnv = process.env): ServerBinary {
  const configured = vscode.workspace.getConfiguration('durableLsp').get<string>('server.path')?.trim();
  if (configured) {
    const command = resolveConfiguredPath(configured);
    if (!isExecutable(command)) {
      throw new ServerNotFound(
        `durableLsp.server.path is "${configured}", but ${command} is not an executable file. ` +
          'Fix the setting, or clear it to use the server bundled with the extension or found on PATH.',
      );
    }
    return { command, source: 'the durableLsp.server.path setting' };
  }
  const bundled = path.join(extensionPath, 'server', EXE);
  if (fs.existsSync(bundled)) {
    ensureExecutable(bundled);
    return { command: bundled, source: 'this extension' };
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = dir && path.join(dir, EXE);
    if (candidate && isExecutable(candidate)) {
      return { command: candidate, source: 'PATH' };
    }
  }
  throw new ServerNotFound(`The durable-lsp language server was not found: this extension has no bundled server for ${process.platform}-${process.arch} and durable-lsp is not on PATH. ${INSTALL_HINT}`);
}

function resolveConfiguredPath(configured: string): string {
  let p = configured;
  if (p === '~' || p.startsWith('~/')) {
    p = path.join(os.homedir(), p.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!path.isAbsolute(p) && folder) {
    p = path.join(folder.uri.fsPath, p);
  }
  return p;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A .vsix may lose the executable bit on the way; put it back. */
function ensureExecutable(file: string): void {
  if (process.platform !== 'win32' && !isExecutable(file)) {
    try {
      fs.chmodSync(file, 0o755);
    } catch (error) {
      output.appendLine(`chmod ${file}: ${errorText(error)}`);
    }
  }
}

/** `durable-lsp --version`, so that a broken binary gives a clear message instead of a dead client. */
function serverVersion(binary: ServerBinary): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary.command, ['--version'], { timeout: 10000 }, (error, stdout, stderr) => {
      if (error) {
        const detail = (stderr || error.message).trim().split('\n')[0];
        reject(
          new ServerNotFound(
            `\`${binary.command} --version\` failed (${detail}); the binary came from ${binary.source}. ` +
              fixHint(binary),
          ),
        );
      } else {
        resolve(stdout.trim());
      }
    });
  });
}

function reportStartFailure(error: unknown): void {
  const message = error instanceof ServerNotFound ? error.message : `The durable-lsp server did not start: ${errorText(error)}`;
  output.appendLine(message);
  void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'durableLsp.server.path');
    } else if (choice === 'Show Output') {
      output.show(true);
    }
  });
}

/**
 * "Durable Task Scheduler: Switch this app": the server's switch for the app
 * of the active file (or of the workspace's only host.json), with the
 * migration defaults from the settings.
 */
async function switchApp(): Promise<void> {
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('The durable-lsp server is not running: see "Durable Task Scheduler: Show server output".');
    return;
  }
  const uri = await appFile();
  if (!uri) {
    return;
  }
  const settings = vscode.workspace.getConfiguration('durableLsp.migration', uri);
  const text = (key: string): string | undefined => settings.get<string>(key)?.trim() || undefined;
  const argument = {
    uri: client.code2ProtocolConverter.asUri(uri),
    endpoint: text('endpoint'),
    authentication: text('authentication'),
    hub: text('hub'),
  };
  try {
    await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_SWITCH_COMMAND, arguments: [argument] });
  } catch (error) {
    void vscode.window.showErrorMessage(`Switch to the Durable Task Scheduler failed: ${errorText(error)}`);
  }
}

async function appFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    return active;
  }
  const hosts = await vscode.workspace.findFiles('**/host.json', '**/{node_modules,bin,obj,.git}/**', 50);
  if (hosts.length === 1) {
    return hosts[0];
  }
  if (hosts.length === 0) {
    void vscode.window.showWarningMessage('Open a file of the function app to switch (no host.json in this workspace).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    hosts.map((uri) => ({ label: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri })),
    { placeHolder: 'Which app should switch to the Durable Task Scheduler?' },
  );
  return picked?.uri;
}

/**
 * Test hook: with DURABLE_LSP_TEST_DIAGNOSTICS_FILE set, every change of the
 * diagnostics rewrites that file with all of them as JSON,
 * `{ "<uri>": [{code, message, severity, source, range}] }`, 0-based positions.
 */
function installTestHook(context: vscode.ExtensionContext): void {
  const file = process.env.DURABLE_LSP_TEST_DIAGNOSTICS_FILE;
  if (!file) {
    return;
  }
  const dump = (): void => {
    const all: Record<string, unknown[]> = {};
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      if (diagnostics.length === 0) {
        continue;
      }
      all[uri.toString()] = diagnostics.map((d) => ({
        code: typeof d.code === 'object' ? d.code.value : d.code,
        message: d.message,
        severity: vscode.DiagnosticSeverity[d.severity],
        source: d.source,
        range: {
          start: { line: d.range.start.line, character: d.range.start.character },
          end: { line: d.range.end.line, character: d.range.end.character },
        },
      }));
    }
    try {
      const partial = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(partial, JSON.stringify(all, null, 1));
      fs.renameSync(partial, file); // readers never see half a file
    } catch (error) {
      output.appendLine(`DURABLE_LSP_TEST_DIAGNOSTICS_FILE: ${errorText(error)}`);
    }
  };
  context.subscriptions.push(vscode.languages.onDidChangeDiagnostics(dump));
  dump();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
