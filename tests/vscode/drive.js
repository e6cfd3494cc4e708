// Drives real VS Code (code-server) in Debian chromium through playwright-core,
// the way a person would: open the app, see the problems, apply a quick fix,
// run "Durable Task Scheduler: Switch this app", save. Started by run.sh:
//
//   node drive.js --url URL --app DIR --diagnostics FILE --logs DIR --user-settings FILE --machine-settings FILE --shots DIR --failshots DIR
//
// Two independent views of the diagnostics are checked: the JSON the extension's
// test hook writes (DURABLE_LSP_TEST_DIAGNOSTICS_FILE, vscode.languages.getDiagnostics)
// and what the Problems panel shows. Exits non-zero with the failed step.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
for (const key of ['url', 'app', 'diagnostics', 'logs', 'user-settings', 'machine-settings', 'shots', 'failshots']) {
  if (!args[key]) {
    console.error(`drive.js: missing --${key}`);
    process.exit(2);
  }
}

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let step = 'start';
let passed = 0; // steps done: each begin() closes the one before
const begin = (name) => {
  if (step !== 'start') {
    passed += 1;
  }
  step = name;
};
const expect = (condition, message) => {
  if (!condition) {
    throw new Error(message);
  }
};

/** The test hook's file as {fileName: [{code, severity, message, line}]}; {} before it exists. */
function diagnostics() {
  let raw;
  try {
    raw = JSON.parse(fs.readFileSync(args.diagnostics, 'utf8'));
  } catch {
    return {};
  }
  const byFile = {};
  for (const [uri, list] of Object.entries(raw)) {
    const ours = list.filter((d) => d.source === 'durable-lsp');
    if (ours.length) {
      byFile[decodeURIComponent(path.basename(uri))] = ours.map((d) => ({
        code: String(d.code), severity: d.severity, message: d.message, line: d.range.start.line + 1,
      }));
    }
  }
  return byFile;
}
const summary = (byFile) =>
  Object.entries(byFile).map(([f, ds]) => `${f}: ${ds.map((d) => `${d.code}(${d.severity}@${d.line})`).join(' ')}`).join('; ') || '(none)';
const codes = (byFile) => Object.values(byFile).flat().map((d) => d.code).sort();

async function waitFor(what, predicate, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await predicate();
    if (last) {
      return last;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; diagnostics now: ${summary(diagnostics())}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const readApp = (name) => fs.readFileSync(path.join(args.app, name), 'utf8');

let page;
async function shot(name) {
  const file = path.join(args.shots, name);
  await page.screenshot({ path: file });
  log('screenshot', file);
}

/** Runs a command from the Command Palette (F1): clicks the entry whose label is exactly `title`. */
async function palette(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  let labels = [];
  const index = await waitFor(`"${title}" in the Command Palette`, async () => {
    labels = await rows.evaluateAll((rs) => rs.map((r) => (r.getAttribute('aria-label') ?? '').trim()));
    const i = labels.findIndex((l) => l === title || l.startsWith(`${title},`) || l.startsWith(`${title} (`));
    return i >= 0 ? i + 1 : false;
  }, 10000).catch((e) => {
    throw new Error(`${e.message}; the palette shows ${JSON.stringify(labels)}`);
  });
  await rows.nth(index - 1).click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => {});
}

/** File: Save All Files, then no tab is left dirty. */
async function saveAll() {
  const tabs = () => page.locator('.tabs-container .tab').evaluateAll((ts) => ts.map((t) => `${t.innerText.replace(/\s+/g, '')}${t.classList.contains('dirty') ? '*' : ''}`));
  log('tabs before save', JSON.stringify(await tabs()));
  await palette('File: Save All Files');
  log('tabs after save', JSON.stringify(await tabs()));
  await waitFor('every editor saved', async () => (await page.locator('.tab.dirty').count()) === 0, 15000);
}

async function openFile(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 10000 });
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 20000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor({ timeout: 20000 });
}

async function gotoLine(line, column) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

async function problemsRows() {
  const rows = page.locator('.markers-panel .monaco-list-row');
  return rows.evaluateAll((rs) => rs.map((r) => r.innerText.replace(/\s+/g, ' ').trim()));
}

/** The "Durable Task Scheduler" output channel, as VS Code logs it under the user-data dir. */
function outputChannelLog() {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(p);
      } else if (entry.name.includes('Durable Task Scheduler')) {
        found.push(fs.readFileSync(p, 'utf8'));
      }
    }
  };
  try {
    walk(args.logs);
  } catch {
    // no logs yet
  }
  return found.join('\n');
}

/**
 * The traced messages of `method` in the output channel's log (with
 * durableLsp.trace.server at "verbose"): `kind` is 'Received response' or
 * 'Sending request'. Each is the message's text, its JSON included.
 */
function tracedMessages(kind, method) {
  return outputChannelLog().split(/^\[Trace - /m)
    .filter((m) => new RegExp(`^[^\\n]*\\] ${kind} '${method} - `).test(m));
}

/** The JSON of those messages ("Result: " of a response, "Params: " of a request), parsed. */
function tracedJson(kind, method) {
  const label = kind === 'Received response' ? 'Result: ' : 'Params: ';
  return tracedMessages(kind, method)
    .map((m) => {
      // The JSON ends with a "}" alone on its line.
      const json = m.slice(m.indexOf(label) + label.length);
      for (let end = json.indexOf('\n}'); end >= 0; end = json.indexOf('\n}', end + 1)) {
        try {
          return JSON.parse(json.slice(0, end + 2));
        } catch {
          // not the end yet
        }
      }
      return undefined;
    })
    .filter((r) => r !== undefined);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 880 } });
  page.on('pageerror', (e) => log('pageerror', e.message.split('\n')[0]));

  begin('load the workbench');
  await page.goto(args.url);
  await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
  log('workbench loaded');
  await page.waitForTimeout(1500);

  begin('open host.json and see the diagnostics');
  await openFile('host.json');
  log('host.json open');
  const expected = { 'host.json': ['H007', 'H021'], 'local.settings.json': ['L014'], 'ShippingApp.csproj': ['P002'] };
  await waitFor('H007, H021, L014, P002 in the diagnostics file', () => {
    const d = diagnostics();
    return Object.entries(expected).every(([f, cs]) => cs.every((c) => (d[f] || []).some((x) => x.code === c)));
  });
  const initial = diagnostics();
  log('diagnostics (test hook):', summary(initial));
  expect(JSON.stringify(codes(initial)) === JSON.stringify(['H007', 'H021', 'L014', 'P002']),
    `expected exactly H007 H021 L014 P002, got ${codes(initial).join(' ')}`);
  expect(initial['host.json'].find((d) => d.code === 'H007').severity === 'Error', 'H007 should be an error');
  expect(initial['host.json'].find((d) => d.code === 'H021').severity === 'Warning', 'H021 should be a warning');

  await page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 });
  log('squiggle visible');
  await palette('Notifications: Clear All Notifications');

  begin('the Problems panel');
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 15000 });
  const rows = await waitFor('all four problems in the Problems panel', async () => {
    const r = await problemsRows();
    return ['H007', 'H021', 'L014', 'P002'].every((c) => r.some((t) => t.includes(c))) && r;
  }, 30000);
  log('Problems panel:', JSON.stringify(rows));
  for (const file of ['host.json', 'local.settings.json', 'ShippingApp.csproj']) {
    expect(rows.some((t) => t.startsWith(file)), `the Problems panel has no entry for ${file}`);
  }
  // Hover the squiggle under "azureManaged" so the picture shows the message too.
  await page.click('.editor-group-container.active .monaco-editor .view-lines');
  await gotoLine(14, 20);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I'); // Show Hover
  await page.locator('.monaco-hover', { hasText: 'H007' }).first().waitFor({ state: 'visible', timeout: 10000 }).catch(() => log('(no hover shown)'));
  await page.waitForTimeout(500);
  await shot('vscode-diagnostics.png');
  await page.keyboard.press('Escape');

  begin('quick fix for H021');
  await gotoLine(12, 8); // inside "durableTask", where H021 is
  await page.keyboard.press('Control+.');
  const fixRow = page.locator('.action-widget .monaco-list-row', { hasText: 'hubName' }).first();
  await fixRow.waitFor({ state: 'visible', timeout: 15000 });
  await page.waitForTimeout(500);
  const actions = await page.locator('.action-widget .monaco-list-row').evaluateAll((rs) => rs.map((r) => r.innerText.replace(/\s+/g, ' ').trim()));
  log('quick fixes:', JSON.stringify(actions));
  expect(actions.some((a) => a.startsWith('Add "hubName"')), 'no quick fix "Add \\"hubName\\"…" in the menu');
  await fixRow.hover();
  await page.waitForTimeout(300);
  await shot('vscode-quickfix.png');
  await fixRow.click();
  await waitFor('hubName in the host.json editor', async () =>
    (await page.locator('.editor-group-container.active .monaco-editor .view-lines').innerText()).includes('hubName'), 15000);
  await saveAll();
  await waitFor('the fix saved to disk', () =>
    readApp('host.json').includes('"hubName": "%TASKHUB_NAME%"') && readApp('local.settings.json').includes('"TASKHUB_NAME"'), 15000);
  await waitFor('H021 gone from the diagnostics', () => {
    const d = diagnostics();
    return !codes(d).includes('H021') && codes(d).includes('H007');
  }, 30000);
  log('after the quick fix:', summary(diagnostics()));

  begin('Durable Task Scheduler: Switch this app');
  await openFile('host.json');
  await palette('Durable Task Scheduler: Switch this app');
  await waitFor('no error or warning left after the switch', () => {
    const all = Object.values(diagnostics()).flat();
    return all.every((d) => d.severity !== 'Error' && d.severity !== 'Warning');
  }, 60000);
  // The edit opens the changed files as unsaved editors, a moment after the
  // server has seen them; save once they are there.
  await waitFor('the switched files open unsaved', async () =>
    (await page.locator('.tabs-container .tab.dirty', { hasText: 'ShippingApp' }).count()) > 0
    && (await page.locator('.tabs-container .tab.dirty', { hasText: 'local.settings' }).count()) > 0, 15000);
  await page.waitForTimeout(500);
  await saveAll();
  await waitFor('the switch saved to disk', () =>
    readApp('ShippingApp.csproj').includes('Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged')
    && readApp('local.settings.json').includes('Authentication=None'), 15000);
  await page.waitForTimeout(1000);
  const after = diagnostics();
  log('after the switch:', summary(after));
  for (const d of Object.values(after).flat()) {
    expect(d.severity !== 'Error' && d.severity !== 'Warning', `still there after the switch: ${d.code} ${d.message}`);
  }
  const rowsAfter = await waitFor('the Problems panel without the four problems', async () => {
    const r = await problemsRows();
    return !['H007', 'H021', 'L014', 'P002'].some((c) => r.some((t) => t.includes(c))) && r;
  }, 20000);
  log('Problems panel after the switch:', JSON.stringify(rowsAfter));
  await openFile('ShippingApp.csproj');
  await gotoLine(15, 6);
  await palette('Notifications: Clear All Notifications');
  await page.waitForTimeout(500);
  await shot('vscode-switched.png');

  begin('the bundled server, Show server output, Restart server');
  const started = outputChannelLog();
  expect(/Starting .*extensions\/durable-lsp\.durable-lsp-[^/]+\/server\/durable-lsp \(durable-lsp [0-9.]+, from this extension\)/.test(started),
    `the output channel does not show the bundled server starting:\n${started.slice(0, 2000)}`);
  await palette('Durable Task Scheduler: Show server output');
  await page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'from this extension' }).first().waitFor({ timeout: 15000 });
  await palette('Durable Task Scheduler: Restart server');
  const starts = () => (outputChannelLog().match(/^Starting /gm) || []).length;
  await waitFor('a second start in the output channel', () => starts() >= 2, 30000);
  log('restarted; diagnostics:', summary(diagnostics()));

  // Settings are edited in VS Code's settings.json editors, as a person would.
  const editSettings = async (command, file, settings) => {
    await palette(command);
    const editor = page.locator('.monaco-editor.focused .view-lines');
    await editor.waitFor({ timeout: 15000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify(settings)); // one line: no auto-indentation (run.sh turns auto-closing off)
    await page.keyboard.press('Control+S');
    await waitFor(`${JSON.stringify(settings).slice(0, 80)} in ${file}`, () => {
      try {
        return JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8'))) === JSON.stringify(settings);
      } catch {
        return false;
      }
    }, 10000);
    await page.waitForTimeout(500); // let the editor see its own save
    // VS Code 1.139 opens it in a modal editor: close that with its button
    // (Escape would also hide the notification the test waits for). A tab elsewhere stays.
    const closeModal = page.locator('[aria-label^="Close Modal Editor"]');
    if (await closeModal.isVisible()) {
      await closeModal.click();
    }
    // Should it still think the file unsaved, it asks: save (the same text is on disk already).
    const dialog = page.locator('.monaco-dialog-box');
    if (await dialog.waitFor({ timeout: 1000 }).then(() => true, () => false)) {
      await dialog.locator('.monaco-button', { hasText: /^Save$/ }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    }
    await page.waitForTimeout(300);
  };

  begin('durableLsp.rules reaches the server');
  // The switch wrote Authentication=None for the emulator. A managed identity
  // there is what L017 reports (information), the rule these settings turn:
  // written on disk, as another tool would, for the editor and server to see.
  const switched = readApp('local.settings.json');
  expect(switched.includes('Authentication=None'), `no Authentication=None in local.settings.json:\n${switched}`);
  fs.writeFileSync(path.join(args.app, 'local.settings.json'), switched.replace('Authentication=None', 'Authentication=ManagedIdentity'));
  await waitFor('L017 (information) after the edit on disk',
    () => Object.values(diagnostics()).flat().some((d) => d.code === 'L017' && d.severity === 'Information'), 30000);
  const userSettings = JSON.parse(fs.readFileSync(args['user-settings'], 'utf8'));
  await editSettings('Preferences: Open User Settings (JSON)', args['user-settings'], { ...userSettings, 'durableLsp.rules': { L017: 'off' } });
  await waitFor('L017 off', () => Object.keys(diagnostics()).length === 0, 20000);
  await editSettings('Preferences: Open User Settings (JSON)', args['user-settings'], { ...userSettings, 'durableLsp.rules': { L0: 'warning' } });
  await waitFor('L017 as a warning', () => Object.values(diagnostics()).flat().some((d) => d.code === 'L017' && d.severity === 'Warning'), 20000);
  await editSettings('Preferences: Open User Settings (JSON)', args['user-settings'], userSettings);
  await waitFor('L017 back to information', () => Object.values(diagnostics()).flat().some((d) => d.code === 'L017' && d.severity === 'Information'), 20000);
  log('durableLsp.rules: off, then warning, then the default, each seen in the diagnostics');

  begin('a broken durableLsp.server.path gives an error that says how to fix it');
  // durableLsp.server.path is machine-overridable: code-server is a remote
  // window, so VS Code reads it from the remote machine's settings, not the
  // browser user's. A change of the setting restarts the server.
  const setServerPath = (value) => editSettings('Preferences: Open Remote Settings (JSON)', args['machine-settings'],
    value === undefined ? {} : { 'durableLsp.server.path': value });
  const expectError = async (text) => {
    const toast = page.locator('.notification-toast', { hasText: text }).first();
    if (await toast.waitFor({ timeout: 30000 }).then(() => true, () => false)) {
      log('error shown:', (await toast.innerText()).replace(/\s+/g, ' '));
    } else {
      // A toast is hidden when the settings editor closes at the moment it
      // comes (a crash at every start is that fast); the notification stays
      // in the notification center, where a user finds it.
      await palette('Notifications: Show Notifications');
      const entry = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
      await entry.waitFor({ timeout: 5000 });
      log('error in the notification center:', (await entry.innerText()).replace(/\s+/g, ' '));
    }
    await palette('Notifications: Clear All Notifications');
  };
  await palette('Notifications: Clear All Notifications');
  await setServerPath('/nonexistent/durable-lsp');
  await expectError('is not an executable file');
  await setServerPath('/bin/false');
  await expectError('--version` failed');
  // One that answers --version and then dies at every start: given up on
  // after a few restarts, with a message naming it (not "write EPIPE").
  const crashing = path.join(path.dirname(args.app), 'crashing-durable-lsp');
  fs.writeFileSync(crashing, '#!/bin/sh\nif [ "$1" = --version ]; then echo "durable-lsp 0.0.0"; exit 0; fi\necho "crashed on purpose" >&2\nexit 1\n', { mode: 0o755 });
  await setServerPath(crashing);
  await expectError('crashing-durable-lsp, from the durableLsp.server.path setting');
  const before = starts();
  await setServerPath(undefined);
  await waitFor('the bundled server started again', () => starts() > before, 30000);
  await openFile('host.json');
  await waitFor('diagnostics again after the restart', () => codes(diagnostics()).includes('L017'), 30000);
  log('server back; diagnostics:', summary(diagnostics()));

  begin('completion documentation arrives through completionItem/resolve');
  // VS Code advertises completionItem.resolveSupport for documentation, so the
  // server's list goes without it and VS Code asks for it when it shows an
  // item. Seen twice: in a verbose trace of the messages (the list without
  // documentation, the resolve answer with it), and in the details pane.
  await editSettings('Preferences: Open User Settings (JSON)', args['user-settings'], { ...userSettings, 'durableLsp.trace.server': 'verbose' });
  await waitFor('the client tracing the messages', () => outputChannelLog().includes('[Trace - '), 15000);
  await openFile('host.json');
  const hostBefore = readApp('host.json');
  const hubLine = hostBefore.split('\n').findIndex((l) => l.trim().startsWith('"hubName"'));
  expect(hubLine >= 0, `no "hubName" key in host.json:\n${hostBefore}`);
  // Before the key's opening quote: the server offers the keys of "durableTask"
  // there (the one at the cursor included) and the word to filter by is empty.
  await gotoLine(hubLine + 1, hostBefore.split('\n')[hubLine].indexOf('"') + 1);
  await page.keyboard.press('Control+Space'); // Trigger Suggest
  const suggest = page.locator('.editor-widget.suggest-widget:visible');
  const rowText = (row) => row.innerText().then((t) => t.replace(/\s+/g, ' ').trim(), () => '');
  const offered = await waitFor('hubName in the suggest widget', async () => {
    const labels = await suggest.locator('.monaco-list-row').evaluateAll((rs) => rs.map((r) => r.innerText.replace(/\s+/g, ' ').trim()));
    return labels.some((l) => l.startsWith('hubName')) && labels;
  }, 15000);
  log('suggestions:', JSON.stringify(offered));
  const focused = suggest.locator('.monaco-list-row.focused');
  for (let i = 0; i < offered.length && !(await rowText(focused)).startsWith('hubName'); i += 1) {
    await page.keyboard.press('ArrowDown');
  }
  expect((await rowText(focused)).startsWith('hubName'), `could not focus hubName; focused: "${await rowText(focused)}"`);
  // The item can show details ("Read More", Ctrl+Space) once resolve has
  // brought its documentation; the pane opens on Ctrl+Space.
  const details = page.locator('.suggest-details-container .suggest-details:visible');
  const shown = await waitFor('the documentation of hubName in the details pane', async () => {
    if (await details.count()) {
      const text = (await details.first().innerText()).replace(/\s+/g, ' ').trim();
      return text.includes('The task hub: a logical container for orchestration state') && text;
    }
    if (await focused.locator('.right.can-expand-details').count()) {
      await page.keyboard.press('Control+Space'); // Toggle Suggestion Details
    }
    return false;
  }, 15000).catch(async (e) => {
    const now = await details.first().innerText().catch(() => '(no details pane)');
    throw new Error(`${e.message}; focused item: "${await rowText(focused)}"; details: ${JSON.stringify(now)}`);
  });
  log('details pane:', JSON.stringify(shown.slice(0, 160)));
  // The messages: the list had no documentation, resolve brought it.
  const traced = (method) => tracedMessages('Received response', method).filter((m) => m.includes('"hubName"'));
  const resolved = await waitFor('the resolve answer for hubName in the trace', () => {
    const found = traced('completionItem/resolve').filter((m) => /"label": "hubName"/.test(m));
    return found.length > 0 && found;
  }, 15000);
  expect(resolved.some((m) => /"documentation": \{\s*"kind": "markdown",\s*"value": "The task hub: /.test(m)),
    `completionItem/resolve answered hubName without its documentation:\n${resolved[0].slice(0, 1500)}`);
  const lists = traced('textDocument/completion');
  expect(lists.length > 0, 'no textDocument/completion answer with hubName in the trace');
  expect(lists.every((m) => !m.includes('"documentation"')), `a completion list carried documentation itself:\n${lists.find((m) => m.includes('"documentation"'))?.slice(0, 1500)}`);
  log(`trace: ${lists.length} completion list(s) without documentation, ${resolved.length} resolve answer(s) for hubName with it`);
  await page.keyboard.press('Escape');
  await suggest.waitFor({ state: 'hidden', timeout: 10000 });
  expect((await page.locator('.tab.dirty').count()) === 0, 'an editor was left unsaved after the suggestions');
  expect(readApp('host.json') === hostBefore, 'host.json changed on disk');

  begin('accepting a completion item inserts its textEditText (itemDefaults.editRange)');
  // VS Code takes completionList.itemDefaults.editRange, so a list whose items
  // all replace one range says it once and each item carries only the text for
  // it (textEditText). Accepting an item must put that text, the quoted key and
  // a colon, in place of what was typed: had the client ignored textEditText it
  // would insert the bare label, and had it ignored the range it would leave the
  // letters typed to filter in front. The trace is still verbose from the step before.
  const key = 'maxConcurrentActivityFunctions'; // a positive number: `"key": ${1:1}`, its placeholder selected
  const hostLines = hostBefore.split('\n');
  const taskLine = hostLines.findIndex((l) => /^\s*"durableTask"\s*:\s*\{\s*$/.test(l));
  expect(taskLine >= 0, `no line that opens "durableTask" in host.json:\n${hostBefore}`);
  expect(!hostBefore.includes(key), `host.json has ${key} already:\n${hostBefore}`);
  // The trace's completion answers and requests so far: only the ones for this key count.
  const listsBefore = tracedJson('Received response', 'textDocument/completion').length;
  const requestsBefore = tracedJson('Sending request', 'textDocument/completion').length;
  // The text of the line the cursor is on, as the editor renders it (the
  // current-line highlight and the line share their `top`); null if not found.
  const cursorLine = () => page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    const current = editor && editor.querySelector('.view-overlays .current-line');
    const top = current && current.parentElement.style.top;
    const line = top && [...editor.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === top);
    return line ? line.textContent.replace(/\u00a0/g, ' ') : null;
  });
  const widgetLabels = () => suggest.locator('.monaco-list-row')
    .evaluateAll((rs) => rs.map((r) => r.innerText.replace(/\s+/g, ' ').trim())).catch(() => []);
  // As a person types a key: a new line inside "durableTask" (VS Code indents
  // it), the opening quote, and the suggestions open by themselves (the server
  // registers `"` as a trigger character; no Ctrl+Space). The items' range
  // starts at that quote, so VS Code filters what was typed from it (`"`, then
  // `"maxConcurrentAc`) against each item's filterText, `"label"`: without
  // filterText it would filter against the bare label and show nothing.
  await openFile('host.json');
  await gotoLine(taskLine + 1, 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('"');
  // run.sh sets editor.autoClosingQuotes to "never"; should VS Code close the
  // quote anyway, the key is typed between the two and the item's range (up
  // to the string's end) replaces both.
  const afterQuote = await waitFor('the quote on the new line', async () => {
    const line = await cursorLine();
    return line !== null && line.includes('"') && line;
  }, 5000).catch(async () => cursorLine());
  log('the new line after typing the quote:', JSON.stringify(afterQuote));
  expect(/^ +""?$/.test(afterQuote), `the new line after typing " is ${JSON.stringify(afterQuote)}, not indentation and the quote`);
  await waitFor(`the suggest widget open by itself after ", with ${key}`, async () => {
    const labels = await widgetLabels();
    return labels.some((l) => l.startsWith(key)) && labels;
  }, 15000).then((labels) => log('suggestions after the quote:', JSON.stringify(labels)))
    .catch(async (e) => {
      throw new Error(`${e.message}; the widget is ${await suggest.isVisible() ? 'open' : 'closed'} and shows ${JSON.stringify(await widgetLabels())}; the line is ${JSON.stringify(await cursorLine())}`);
    });
  await page.keyboard.type('maxConcurrentAc');
  const focusedItem = await waitFor(`${key} visible and focused in the suggest widget`, async () => {
    const text = await rowText(focused);
    return text.startsWith(key) && (await suggest.locator('.monaco-list-row', { hasText: key }).first().isVisible()) && text;
  }, 15000).catch(async (e) => {
    throw new Error(`${e.message}; focused: "${await rowText(focused)}"; the widget shows ${JSON.stringify(await widgetLabels())}; the line is ${JSON.stringify(await cursorLine())}`);
  });
  log('the line before accepting:', JSON.stringify(await cursorLine()));
  log('accepting:', JSON.stringify(focusedItem));
  await page.keyboard.press('Enter');
  // The editor first, then the same text saved to disk.
  await waitFor(`"${key}": in the editor`, async () =>
    (await page.locator('.editor-group-container.active .monaco-editor .view-lines').innerText()).includes(`"${key}":`), 15000)
    .catch(async (e) => {
      throw new Error(`${e.message}; the editor shows:\n${(await page.locator('.editor-group-container.active .monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ')}`);
    });
  if (await suggest.isVisible()) {
    await page.keyboard.press('Escape'); // (a value list the accepted text may have opened)
    await suggest.waitFor({ state: 'hidden', timeout: 10000 });
  }
  // Ctrl+S, then host.json on disk once it differs from `previous`, the tab is
  // clean and two reads 250 ms apart agree (not a read in the middle of the write).
  const saveHost = async (what, previous) => {
    await page.keyboard.press('Control+S');
    let last;
    return waitFor(what, async () => {
      const now = readApp('host.json');
      const stable = now === last;
      last = now;
      return stable && now !== previous && (await page.locator('.tab.dirty').count()) === 0 && now;
    }, 15000);
  };
  const accepted = await saveHost('host.json saved with the accepted item', hostBefore);
  const acceptedLines = accepted.split('\n');
  log('line after accepting:', JSON.stringify(acceptedLines[taskLine + 1]));
  // Exactly one new line, after `"durableTask": {`, the rest as it was.
  expect(acceptedLines.length === hostLines.length + 1
    && acceptedLines.slice(0, taskLine + 1).join('\n') === hostLines.slice(0, taskLine + 1).join('\n')
    && acceptedLines.slice(taskLine + 2).join('\n') === hostLines.slice(taskLine + 1).join('\n'),
  `accepting changed more than one new line after "durableTask": {:\n${accepted}`);
  // Indentation, then the quoted key, a colon, a space and the placeholder's
  // value: nothing of what was typed left over, nothing after it but the
  // comma a member below needs (the snippet's placeholder stops before it).
  const insertedLine = acceptedLines[taskLine + 1];
  const comma = /^\s*"/.test(hostLines[taskLine + 1] || '') ? ',' : '';
  const expectedLine = `"${key}": 1${comma}`;
  expect(insertedLine.endsWith(expectedLine) && /^ *$/.test(insertedLine.slice(0, insertedLine.length - expectedLine.length)),
    `the accepted line is ${JSON.stringify(insertedLine)}, not indentation then ${JSON.stringify(expectedLine)}`);
  // What opened the widget: a request VS Code sent for the typed quote (a
  // trigger character), at the position after it.
  const indent = insertedLine.length - expectedLine.length;
  const requests = tracedJson('Sending request', 'textDocument/completion').slice(requestsBefore);
  const byQuote = requests.find((r) => r.context && r.context.triggerKind === 2 && r.context.triggerCharacter === '"');
  expect(byQuote && byQuote.position.line === taskLine + 1 && byQuote.position.character === indent + 1,
    `no textDocument/completion request triggered by " at line ${taskLine + 2}, column ${indent + 2} in the trace: ${JSON.stringify(requests.map((r) => ({ position: r.position, context: r.context })))}`);
  // The list the item came from: the range once in itemDefaults, the item
  // with textEditText and no textEdit of its own, and the quote in its filterText.
  const keyLists = tracedJson('Received response', 'textDocument/completion').slice(listsBefore)
    .filter((r) => r && Array.isArray(r.items) && r.items.some((i) => i.label === key));
  expect(keyLists.length > 0, `no textDocument/completion answer with ${key} in the trace for the new line`);
  const list = keyLists[keyLists.length - 1];
  const item = list.items.find((i) => i.label === key);
  const editRange = list.itemDefaults && list.itemDefaults.editRange;
  expect(editRange && editRange.start && editRange.end,
    `the completion list has no itemDefaults.editRange: ${JSON.stringify({ ...list, items: list.items.slice(0, 2) })}`);
  const expectedText = `"${key}": \${1:1}${comma}`;
  expect(item.textEdit === undefined && item.textEditText === expectedText,
    `the item is not "textEditText": ${JSON.stringify(expectedText)} without a textEdit: ${JSON.stringify(item)}`);
  expect(item.filterText === `"${key}"`,
    `the item's filterText is not ${JSON.stringify(`"${key}"`)} (the range starts at the typed quote): ${JSON.stringify(item)}`);
  // The range starts at the typed quote, after the indentation (VS Code
  // widens it over the letters typed since).
  expect(editRange.start.line === taskLine + 1 && editRange.end.line === taskLine + 1 && editRange.start.character === indent,
    `itemDefaults.editRange ${JSON.stringify(editRange)} does not start at the quote after the indentation on line ${taskLine + 2}, column ${indent + 1}`);
  log(`trace: ${requests.length} completion request(s), the first ${JSON.stringify(requests[0] && requests[0].context)}; ${keyLists.length} list(s) with ${key}; itemDefaults.editRange ${JSON.stringify(editRange)}; textEditText ${JSON.stringify(item.textEditText)}; filterText ${JSON.stringify(item.filterText)}`);
  // Back to the file as it was: undo (the typing, the accepted item) and save,
  // until the text on disk is the one before the step; never further (each
  // undo changes the text, so each save is waited for).
  let undos = 0;
  for (let now = accepted; now !== hostBefore;) {
    expect(undos < 6, `host.json is not back after ${undos} undos:\n${now}`);
    await page.keyboard.press('Control+Z');
    undos += 1;
    now = await saveHost(`host.json saved after undo ${undos}`, now);
  }
  log(`host.json restored after ${undos} undo(s)`);
  expect((await page.locator('.tab.dirty').count()) === 0, 'an editor was left unsaved after the undo');
  expect(readApp('host.json') === hostBefore, 'host.json is not byte-identical to before the step');
  await editSettings('Preferences: Open User Settings (JSON)', args['user-settings'], userSettings);

  await browser.close();
  passed += 1;
  log('passed: diagnostics (hook and Problems panel), quick fix, switch, output, restart, rules, server-path errors, completion docs via resolve, accepting a completion (itemDefaults.editRange)');
  console.log(`vscode: ${passed} passed, 0 failed`);
})().catch(async (e) => {
  console.error(`drive.js: FAILED at step "${step}": ${e.message.split('\n').slice(0, 6).join('\n')}`);
  console.log(`vscode: ${passed} passed, 1 failed`);
  if (page) {
    const tabs = await page.locator('.tabs-container .tab').evaluateAll((ts) => ts.map((t) => `${t.innerText.trim()} [${t.className}]`)).catch(() => []);
    console.error(`editor tabs: ${JSON.stringify(tabs)}`);
    const file = path.join(args.failshots, 'FAILED.png');
    await page.screenshot({ path: file }).catch(() => {});
    console.error(`screenshot of the failure: ${file}`);
  }
  process.exit(1);
});
