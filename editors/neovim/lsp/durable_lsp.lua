-- durable-lsp for Neovim 0.11+: `vim.lsp.enable('durable_lsp')` with this
-- folder on the runtimepath. Diagnostics, quick fixes (also in files that are
-- not open), completion, hover, go to definition, references, the outline and
-- the command `durable-lsp.switchToDurableTaskScheduler`.
---@type vim.lsp.Config
return {
  cmd = { 'durable-lsp', '--stdio' },
  filetypes = { 'json', 'jsonc', 'xml' },
  -- A function app is the folder with host.json.
  root_markers = { 'host.json' },
  -- Read by the server through workspace/configuration (section `durableLsp`):
  -- per-rule severities by code or prefix, e.g. { H006 = 'off', L0 = 'warning' }.
  settings = {
    durableLsp = {
      rules = vim.empty_dict(),
    },
  },
}
