-- copydesk for Neovim 0.11+: the server configuration, found by
-- `vim.lsp.config` on the runtimepath. Enable it with `vim.lsp.enable('copydesk')`,
-- or call `require('copydesk').setup()` for the commands and settings.
--
-- Settings use the keys of copydesk.toml; a project's copydesk.toml wins key by key.
-- The server: mason.nvim's install (`:MasonInstall copydesk`), else
-- `copydesk` on PATH; see lua/copydesk/server.lua.
local ok, server = pcall(require, 'copydesk.server')

---@type vim.lsp.Config
return {
  cmd = ok and server.cmd() or { 'copydesk', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = { 'copydesk.toml', '.git' },
  settings = {
    copydesk = {
      -- corpus = { paths = { 'sources' } },
      -- rules = { paths = { 'rules' } },
      -- severity = { ['unsourced-figure'] = 'warning' },
      lsp = { ['inlay-hints'] = false, ['debounce-ms'] = 0, ['citation-style'] = 'pandoc' },
    },
  },
  -- The server reads its settings at start, from the initialization options.
  before_init = function(params, config)
    params.initializationOptions = (config.settings or {}).copydesk or {}
  end,
}
