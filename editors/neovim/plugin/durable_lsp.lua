-- Open the files durable-lsp understands with a filetype it is enabled for:
-- host.json and local.settings.json allow comments (jsonc), MSBuild files are XML.
vim.filetype.add({
  filename = {
    ['host.json'] = 'jsonc',
    ['local.settings.json'] = 'jsonc',
    ['Directory.Packages.props'] = 'xml',
    ['Directory.Build.props'] = 'xml',
  },
  extension = { csproj = 'xml' },
})

-- `:DurableTaskSchedulerSwitch` switches the current buffer's app to the
-- Durable Task Scheduler (the server answers with a workspace edit).
vim.api.nvim_create_user_command('DurableTaskSchedulerSwitch', function()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'durable_lsp' })[1]
  if not client then
    vim.notify('durable-lsp is not attached to this buffer', vim.log.levels.WARN)
    return
  end
  client:exec_cmd({
    title = 'Switch this app to Durable Task Scheduler',
    command = 'durable-lsp.switchToDurableTaskScheduler',
    arguments = { vim.uri_from_bufnr(bufnr) },
  }, { bufnr = bufnr })
end, { desc = 'Switch this function app to the Durable Task Scheduler' })
