-- Open the files durable-lsp understands with a filetype it is enabled for:
-- host.json and local.settings.json as jsonc (so a comment is not drawn as a
-- syntax error; the server itself warns about comments in host.json, H002),
-- MSBuild files as XML. Set `vim.g.durable_lsp_filetypes = false` before
-- this runs to keep your own filetypes.
if vim.g.durable_lsp_filetypes ~= false then
  vim.filetype.add({
    filename = {
      ['host.json'] = 'jsonc',
      ['local.settings.json'] = 'jsonc',
      ['Directory.Packages.props'] = 'xml',
      ['Directory.Build.props'] = 'xml',
    },
    extension = { csproj = 'xml' },
  })
end

-- A missing or unusable binary is said once, when a file it would serve is
-- opened (Neovim only writes it to its log).
local told = {}
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'json', 'jsonc', 'xml' },
  group = vim.api.nvim_create_augroup('durable_lsp_binary', { clear = true }),
  callback = function(args)
    if not (vim.lsp.is_enabled and vim.lsp.is_enabled('durable_lsp')) then
      return
    end
    local config = vim.lsp.config['durable_lsp']
    local program = config and type(config.cmd) == 'table' and config.cmd[1]
    if not program or told[program] or vim.fn.executable(program) == 1 then
      return
    end
    local base = vim.fs.basename(vim.api.nvim_buf_get_name(args.buf)):lower()
    if not (base == 'host.json' or base == 'local.settings.json' or base:match('%.csproj$')) then
      return
    end
    told[program] = true
    vim.notify(
      ('durable-lsp: `%s` is not an executable on PATH, so the server cannot start. Install it '
        .. '(cargo install --path server) or point at it: '
        .. "vim.lsp.config('durable_lsp', { cmd = { '/path/to/durable-lsp', '--stdio' } }). See :checkhealth durable_lsp"):format(program),
      vim.log.levels.WARN
    )
  end,
})

-- `:DurableTaskSchedulerSwitch` switches the current buffer's app to the
-- Durable Task Scheduler (the server answers with a workspace edit).
vim.api.nvim_create_user_command('DurableTaskSchedulerSwitch', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'durable_lsp' })[1]
  if not client then
    vim.notify('durable-lsp is not attached to this buffer (see :checkhealth durable_lsp)', vim.log.levels.WARN)
    return
  end
  client:exec_cmd({
    title = 'Switch this app to Durable Task Scheduler',
    command = 'durable-lsp.switchToDurableTaskScheduler',
    arguments = { vim.uri_from_bufnr(bufnr) },
  }, { bufnr = bufnr })
end, { desc = 'Switch this function app to the Durable Task Scheduler' })
