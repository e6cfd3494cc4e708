-- Real Neovim 0.11 against durable-lsp, through the shipped runtimepath
-- config (editors/neovim): attach, diagnostics, completion, a quick fix that
-- edits a file that is not open, the switch command; results on disk.
-- Run by tests/neovim/run.sh with APP (a copy of an app) and REPO set.
local repo, app, bin = os.getenv('REPO'), os.getenv('APP'), os.getenv('DURABLE_LSP')
local failures = 0
local function say(...) io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n') end
local function check(ok, what)
  say(ok and 'ok  ' or 'FAIL', what)
  if not ok then failures = failures + 1 end
end
local function read(path)
  local f = io.open(path, 'rb')
  if not f then return '' end
  local text = f:read('*a')
  f:close()
  return text
end

vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.cmd('runtime plugin/durable_lsp.lua')
-- The shipped config, with the binary under test.
vim.lsp.config('durable_lsp', { cmd = { bin, '--stdio' } })
vim.lsp.enable('durable_lsp')
-- Warnings the server shows the user (window/showMessage) would mean a bad config.
local shown = {}
vim.lsp.handlers['window/showMessage'] = function(_, result) shown[#shown + 1] = result.message end

vim.cmd('edit ' .. app .. '/host.json')
local bufnr = vim.api.nvim_get_current_buf()
check(vim.bo[bufnr].filetype == 'jsonc', 'host.json opens as jsonc (' .. vim.bo[bufnr].filetype .. ')')
local attached = vim.wait(10000, function() return #vim.lsp.get_clients({ bufnr = bufnr, name = 'durable_lsp' }) > 0 end, 20)
check(attached, 'durable_lsp attached through vim.lsp.enable')
local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'durable_lsp' })[1]
if not client then
  vim.cmd('cquit 1')
end
check(client.offset_encoding == 'utf-8' or client.offset_encoding == 'utf-16' or client.offset_encoding == 'utf-32',
  'position encoding negotiated: ' .. tostring(client.offset_encoding))

local function codes()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do found[#found + 1] = tostring(d.code) end
  table.sort(found)
  return table.concat(found, ',')
end
local got = vim.wait(10000, function() return codes():find('H021') ~= nil end, 20)
check(got and codes():find('H007') ~= nil, 'diagnostics with our codes: ' .. codes())
check(#shown == 0, 'the shipped settings raise no warning (' .. table.concat(shown, '; ') .. ')')

-- Completion in the storage provider's "type" value.
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
local type_line, type_col
for i, line in ipairs(lines) do
  local col = line:find('"azureManaged"', 1, true)
  if col then type_line, type_col = i - 1, col end
end
local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = type_line, character = type_col + 3 } }
local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, 5000) or {}
local first
for _, r in pairs(res) do
  local items = r.result and (r.result.items or r.result) or {}
  first = items[1] and items[1].label
end
check(first == 'azureManaged', 'completion offers azureManaged first (' .. tostring(first) .. ')')

-- Completion of a key: the list says the range its items replace once
-- (itemDefaults.editRange, which Neovim 0.11 advertises), each item its
-- textEditText; Neovim's own conversion must turn that into the quoted key.
local key_line, key_col
for i, line in ipairs(lines) do
  local col = line:find('"type"', 1, true)
  if col then key_line, key_col = i - 1, col end
end
local key_res = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion',
  { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = key_line, character = key_col } }, 5000) or {}
local key_result, key_client
for id, r in pairs(key_res) do key_result, key_client = r.result, id end
check(key_result and key_result.itemDefaults and key_result.itemDefaults.editRange ~= nil,
  'the key list says its range once in itemDefaults.editRange')
local type_edit
for _, m in ipairs(vim.lsp.completion._lsp_to_complete_items(key_result or {}, '', key_client)) do
  if m.abbr == 'type' then type_edit = m.user_data.nvim.lsp.completion_item.textEdit end
end
check(type_edit and type_edit.newText == '"type"' and type_edit.range.start.line == key_line
  and type_edit.range.start.character == key_col - 1,
  'Neovim makes the item for type replace the quoted key with "type" (' .. vim.inspect(type_edit) .. ')')

-- The quick fix for H021 edits host.json and local.settings.json, which is not open.
local h021
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  if d.code == 'H021' then h021 = d end
end
local lsp_diagnostic = h021 and h021.user_data and h021.user_data.lsp
local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = lsp_diagnostic and lsp_diagnostic.range or { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
  context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
}, 5000) or {}
local applied = false
for _, r in pairs(actions) do
  for _, action in ipairs(r.result or {}) do
    if not applied and action.edit and action.title:find('hubName') then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      applied = true
    end
  end
end
check(applied, 'the H021 quick fix was offered and applied')
vim.cmd('silent wall')
check(read(app .. '/local.settings.json'):find('"TASKHUB_NAME": "default"', 1, true) ~= nil,
  'the fix wrote TASKHUB_NAME into local.settings.json on disk')
check(read(app .. '/host.json'):find('"hubName": "%TASKHUB_NAME%"', 1, true) ~= nil, 'and hubName into host.json')

-- Rename (prepareRename, then rename) from the setting's name in host.json:
-- the key in local.settings.json, a file that is not open, follows.
vim.cmd('edit ' .. app .. '/host.json')
for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
  local col = line:find('%TASKHUB_NAME%', 1, true)
  if col then vim.api.nvim_win_set_cursor(0, { i, col + 2 }) end
end
-- (:edit reloads the buffer, and the client attaches to it again.)
vim.wait(3000, function() return #vim.lsp.get_clients({ bufnr = 0, name = 'durable_lsp' }) > 0 end, 20)
vim.lsp.buf.rename('ORDERS_HUB')
local renamed = vim.wait(10000, function()
  local b = vim.fn.bufnr(app .. '/local.settings.json')
  return b ~= -1 and table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), '\n'):find('"ORDERS_HUB"', 1, true) ~= nil
end, 20)
check(renamed, 'rename changed the key in local.settings.json')
vim.cmd('silent wall')
check(read(app .. '/host.json'):find('"hubName": "%ORDERS_HUB%"', 1, true) ~= nil
  and read(app .. '/local.settings.json'):find('"ORDERS_HUB": "default"', 1, true) ~= nil,
  'and both files on disk name ORDERS_HUB')

-- The switch command: the server answers with workspace/applyEdit.
vim.cmd('DurableTaskSchedulerSwitch')
local switched = vim.wait(10000, function()
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(b):match('%.csproj$') then
      return table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), '\n'):find('DurableTask.AzureManaged', 1, true) ~= nil
    end
  end
  return false
end, 20)
check(switched, 'the switch command edited the project (a file that was not open)')
vim.cmd('silent wall')
local project = vim.fn.glob(app .. '/*.csproj')
check(read(project):find('Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged', 1, true) ~= nil,
  'the project on disk references the AzureManaged package')

-- The switch of an app without local.settings.json creates the file (a
-- workspace edit with a resource operation), which lands on disk as the
-- CLI would write it.
local reports = os.getenv('REPORTS')
vim.cmd('edit ' .. reports .. '/host.json')
check(vim.wait(3000, function() return #vim.lsp.get_clients({ bufnr = 0, name = 'durable_lsp' }) > 0 end, 20),
  'attached to the second app')
local before_switch = #shown
vim.cmd('DurableTaskSchedulerSwitch')
local created = vim.wait(10000, function()
  local b = vim.fn.bufnr(reports .. '/local.settings.json')
  return b ~= -1 and table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), '\n'):find('TASKHUB_NAME', 1, true) ~= nil
end, 20)
check(created, 'the switch created local.settings.json (' .. table.concat(vim.list_slice(shown, before_switch + 1), '; ') .. ')')
vim.cmd('silent wall')
local settings = read(reports .. '/local.settings.json')
check(settings:find('"DURABLE_TASK_SCHEDULER_CONNECTION_STRING": "Endpoint=http://localhost:8080;Authentication=None"', 1, true) ~= nil,
  'local.settings.json on disk holds the emulator connection')
-- (Neovim 0.11 inserts into a new buffer's one empty line, so the file
-- ends with a blank line more than the CLI writes: JSON all the same.)
check(settings:match('}\n\n?$') ~= nil and vim.json.decode(settings).IsEncrypted == false,
  'and is JSON with IsEncrypted false (ends ' .. vim.inspect(settings:sub(-4)) .. ')')
check(read(reports .. '/host.json'):find('"type": "azureManaged"', 1, true) ~= nil, 'host.json on disk selects azureManaged')

-- Rooted at the repository (the folder with .git), not the app folder.
check(client.root_dir == vim.fs.dirname(app), 'rooted at the repository (' .. tostring(client.root_dir) .. ')')
-- A JSON file that is no function app file gets no durable-lsp.
vim.cmd('edit ' .. app .. '/notes.json')
vim.wait(300)
check(#vim.lsp.get_clients({ bufnr = 0, name = 'durable_lsp' }) == 0, 'not attached to notes.json')

-- A change in one file updates the diagnostics of the app's other files,
-- hidden ones too (Neovim 0.11 has no workspace/diagnostic/refresh handler;
-- the shipped config brings one): host.json is hidden while its project
-- loses the AzureManaged reference, and shows H007 again.
vim.cmd('edit ' .. project)
local project_buf = vim.api.nvim_get_current_buf()
check(vim.wait(3000, function() return #vim.lsp.get_clients({ bufnr = project_buf, name = 'durable_lsp' }) > 0 end, 20),
  'attached to the project')
check(codes():find('H007') == nil, 'host.json shows no H007 after the switch (' .. codes() .. ')')
for i, line in ipairs(vim.api.nvim_buf_get_lines(project_buf, 0, -1, false)) do
  if line:find('DurableTask.AzureManaged', 1, true) then
    vim.api.nvim_buf_set_lines(project_buf, i - 1, i, false, {})
    break
  end
end
check(vim.wait(10000, function() return codes():find('H007') ~= nil end, 20),
  'the hidden host.json shows H007 again (' .. codes() .. ')')

-- :checkhealth durable_lsp names the binary and its version.
vim.cmd('checkhealth durable_lsp')
local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
check(report:find('durable-lsp 0', 1, true) ~= nil and report:find('enabled', 1, true) ~= nil,
  ':checkhealth durable_lsp reports the binary')

client:stop(true)
vim.wait(3000, function() return client:is_stopped() end, 20)

-- A binary that is not there is said once, when a file it would serve opens.
local notes = {}
vim.notify = function(message) notes[#notes + 1] = message end
vim.lsp.config('durable_lsp', { cmd = { '/nonexistent/durable-lsp', '--stdio' } })
local other = vim.fn.tempname()
vim.fn.mkdir(other, 'p')
vim.fn.writefile({ '{"version": "2.0"}' }, other .. '/host.json')
vim.cmd('edit ' .. other .. '/host.json')
check(#notes == 1 and notes[1]:find('not an executable on PATH', 1, true) ~= nil,
  'a missing binary is said (' .. table.concat(notes, '; ') .. ')')
say(failures == 0 and 'ALL OK' or (failures .. ' FAILED'))
vim.cmd(failures == 0 and 'qall!' or 'cquit 1')
