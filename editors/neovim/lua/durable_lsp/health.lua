-- :checkhealth durable_lsp: is the server enabled, can its binary run, and
-- which filetypes do its files open with.
local M = {}

function M.check()
  local health = vim.health
  health.start('durable-lsp')
  if vim.fn.has('nvim-0.11') == 0 then
    health.error('Neovim 0.11 or later is needed for vim.lsp.enable (see the README for nvim-lspconfig)')
    return
  end
  if vim.lsp.is_enabled and vim.lsp.is_enabled('durable_lsp') then
    health.ok('enabled (vim.lsp.enable)')
  else
    health.warn("not enabled: add vim.lsp.enable('durable_lsp') to your config")
  end
  local config = vim.lsp.config['durable_lsp']
  local cmd = config and config.cmd
  if type(cmd) ~= 'table' or not cmd[1] then
    health.error('no cmd in the durable_lsp config')
    return
  end
  local path = vim.fn.exepath(cmd[1])
  if path == '' then
    health.error(('`%s` is not an executable on PATH'):format(cmd[1]), {
      'cargo install --path server (from the repository)',
      "or: vim.lsp.config('durable_lsp', { cmd = { '/path/to/durable-lsp', '--stdio' } })",
    })
    return
  end
  local version = vim.fn.system({ path, '--version' })
  if vim.v.shell_error ~= 0 then
    health.error(('`%s --version` failed: %s'):format(path, vim.trim(version)))
  else
    health.ok(('%s (%s)'):format(vim.trim(version), path))
  end
  for _, name in ipairs({ 'host.json', 'local.settings.json', 'App.csproj', 'Directory.Packages.props' }) do
    local filetype = vim.filetype.match({ filename = name }) or '(none)'
    local served = vim.tbl_contains(config.filetypes or {}, filetype)
    local report = served and health.ok or health.warn
    report(('%s opens as %s%s'):format(name, filetype, served and '' or ', which durable_lsp is not enabled for'))
  end
end

return M
