-- durable-lsp for Neovim 0.11+: `vim.lsp.enable('durable_lsp')` with this
-- folder on the runtimepath. Diagnostics, quick fixes (also in files that are
-- not open), completion, hover, go to definition, references, rename, the outline and
-- the command `durable-lsp.switchToDurableTaskScheduler`.

--- The files the server understands (it attaches to no other buffer).
local function understood(name)
  local base = vim.fs.basename(name)
  local lower = base:lower()
  return base == 'host.json'
    or base == 'local.settings.json'
    or lower:match('%.csproj$') ~= nil
    or lower == 'directory.packages.props'
    or lower == 'directory.build.props'
end

--- Build output (bin/Debug/…, obj/Release/…) holds copies of host.json.
local function build_output(name)
  name = name:gsub('\\', '/')
  return name:match('/bin/[Dd]ebug/') or name:match('/bin/[Rr]elease/') or name:match('/obj/[Dd]ebug/')
    or name:match('/obj/[Rr]elease/')
end

---@type vim.lsp.Config
return {
  cmd = { 'durable-lsp', '--stdio' },
  filetypes = { 'json', 'jsonc', 'xml' },
  -- One server for a repository (its apps share props files: an edit in one
  -- is seen by all), else for the function app (the folder with host.json),
  -- else for the file's folder.
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if not understood(name) or build_output(name) then
      return
    end
    on_dir(vim.fs.root(bufnr, { '.git', 'host.json' }) or vim.fs.dirname(name))
  end,
  -- Neovim 0.11 has no handler for workspace/diagnostic/refresh (0.12 has):
  -- without it, a fix in one file leaves the diagnostics of the app's other
  -- open files (hidden buffers too) stale. The server asks for a refresh
  -- after every change; each buffer of the client pulls again.
  --
  -- Neovim 0.11 applies `documentChanges` (file creations included) but
  -- does not say so: without it, the switch of an app that has no
  -- local.settings.json yet (and fixes that create it) cannot be offered.
  capabilities = {
    workspace = {
      diagnostics = { refreshSupport = true },
      workspaceEdit = { documentChanges = true },
    },
  },
  handlers = {
    ['workspace/diagnostic/refresh'] = function(_, _, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      if client then
        for bufnr in pairs(client.attached_buffers) do
          if vim.api.nvim_buf_is_loaded(bufnr) then
            client:request('textDocument/diagnostic', {
              textDocument = vim.lsp.util.make_text_document_params(bufnr),
            }, nil, bufnr)
          end
        end
      end
      return vim.NIL
    end,
  },
  -- Read by the server through workspace/configuration (section `durableLsp`):
  -- per-rule severities by code or prefix, e.g. { H006 = 'off', L0 = 'warning' }.
  settings = {
    durableLsp = {
      rules = vim.empty_dict(),
    },
  },
}
