-- Commands of the copydesk plugin. The server starts once
-- `vim.lsp.enable('copydesk')` or `require('copydesk').setup()` has run.
if vim.g.loaded_copydesk then
  return
end
vim.g.loaded_copydesk = true

vim.api.nvim_create_user_command('CopydeskConflicts', function()
  require('copydesk').conflicts()
end, { desc = 'copydesk: show the facts the sources disagree on' })
vim.api.nvim_create_user_command('CopydeskRestart', function()
  require('copydesk').restart()
end, { desc = 'copydesk: restart the language server' })
vim.api.nvim_create_user_command('CopydeskStatus', function()
  require('copydesk').status()
end, { desc = 'copydesk: sources indexed' })
