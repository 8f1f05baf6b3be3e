-- Where the copydesk server is: a mason.nvim install first (an editor-managed
-- server, like the one a VS Code platform package carries), else `copydesk`
-- on PATH. Used by lsp/copydesk.lua, so that `:MasonInstall copydesk` is all
-- the configuration a user needs; `cmd` in setup() or vim.lsp.config wins.
local M = {}

local EXE = vim.fn.has('win32') == 1 and { 'copydesk.cmd', 'copydesk.exe', 'copydesk' } or { 'copydesk' }

--- The server mason.nvim installed: stdpath('data')/mason/bin/copydesk
--- (mason's default install root; its `install_root_dir` setting moves it).
---@return string?
function M.mason()
  local root = vim.env.MASON or (vim.fn.stdpath('data') .. '/mason')
  for _, name in ipairs(EXE) do
    local p = root .. '/bin/' .. name
    if vim.fn.executable(p) == 1 then
      return p
    end
  end
end

--- The server binary and where it was found ('mason' or 'PATH'), or nil.
---@return string? path, string? source
function M.find()
  local mason = M.mason()
  if mason then
    return mason, 'mason'
  end
  local onpath = vim.fn.exepath('copydesk')
  if onpath ~= '' then
    return onpath, 'PATH'
  end
end

--- The `cmd` of the server configuration: the binary found, else plain
--- `copydesk` (setup() then says how to install it).
---@return string[]
function M.cmd()
  return { M.find() or 'copydesk', 'lsp' }
end

return M
