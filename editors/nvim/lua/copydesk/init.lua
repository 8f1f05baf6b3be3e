-- copydesk for Neovim: setup, and the commands around `copydesk lsp`.
local M = {}

local NAME = 'copydesk'

local function notify(msg, level)
  vim.notify('copydesk: ' .. msg, level or vim.log.levels.INFO)
end

--- The running copydesk client for a buffer (or any).
---@param bufnr integer?
---@return vim.lsp.Client?
function M.client(bufnr)
  local clients = vim.lsp.get_clients({ name = NAME, bufnr = bufnr })
  if #clients == 0 and bufnr then
    clients = vim.lsp.get_clients({ name = NAME })
  end
  return clients[1]
end

local function doc_params(bufnr)
  if vim.bo[bufnr].filetype == 'markdown' and vim.api.nvim_buf_get_name(bufnr) ~= '' then
    return { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  end
  return vim.empty_dict()
end

--- Lines of a scratch buffer listing `copydesk/conflicts`.
---@param result { conflicts: table[] }
---@return string[]
function M.render_conflicts(result, name)
  local lines = { '# Source conflicts (' .. name .. ')', '' }
  local n = #result.conflicts
  if n == 0 then
    table.insert(lines, 'The sources agree on every fact copydesk found.')
  else
    table.insert(lines, ('%d %s on which the sources disagree.'):format(n, n == 1 and 'fact' or 'facts'))
  end
  for i, c in ipairs(result.conflicts) do
    local texts = {}
    for _, v in ipairs(c.versions) do
      table.insert(texts, v.text)
    end
    vim.list_extend(lines, { '', ('## %d. %s'):format(i, table.concat(texts, ' / ')) })
    for _, v in ipairs(c.versions) do
      vim.list_extend(lines, { '', '- **' .. v.text .. '**' })
      for _, s in ipairs(v.sources) do
        local where = ''
        if type(s.uri) == 'string' then
          local line = type(s.range) == 'table' and s.range.start.line + 1 or 1
          where = (' %s:%d'):format(vim.fn.fnamemodify(vim.uri_to_fname(s.uri), ':~:.'), line)
        end
        local title = type(s.title) == 'string' and (' (' .. s.title .. ')') or ''
        table.insert(lines, ('  - `%s`%s%s'):format(s.key, title, where))
        table.insert(lines, '    > ' .. vim.trim((s.text:gsub('%s+', ' '))))
      end
    end
  end
  return lines
end

--- `:CopydeskConflicts`: the facts the sources disagree on, in a scratch buffer.
function M.conflicts()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    return notify('the language server is not running', vim.log.levels.WARN)
  end
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t')
  if name == '' then
    name = 'workspace'
  end
  client:request('copydesk/conflicts', doc_params(bufnr), function(err, result)
    if err then
      return notify('copydesk/conflicts failed: ' .. err.message, vim.log.levels.ERROR)
    end
    local lines = M.render_conflicts(result or { conflicts = {} }, name)
    vim.cmd('botright new')
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'wipe'
    vim.bo[buf].swapfile = false
    pcall(vim.api.nvim_buf_set_name, buf, 'copydesk://conflicts/' .. name)
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    vim.bo[buf].modifiable = false
    -- Not 'markdown': the server must not check this buffer.
    vim.bo[buf].filetype = 'copydesk-conflicts'
    vim.treesitter.start(buf, 'markdown')
    vim.keymap.set('n', 'q', '<cmd>close<cr>', { buffer = buf, nowait = true })
  end, bufnr)
end

--- `:CopydeskStatus`: sources and facts indexed.
function M.status()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    return notify('the language server is not running', vim.log.levels.WARN)
  end
  client:request('copydesk/status', doc_params(bufnr), function(err, result)
    if err then
      return notify('copydesk/status failed: ' .. err.message, vim.log.levels.ERROR)
    end
    local parts = {}
    for _, p in ipairs(result.projects or {}) do
      local config = type(p.config) == 'string' and p.config or 'editor settings'
      table.insert(parts, ('%s: %d sources, %d facts'):format(config, p.sources, p.facts))
    end
    local server = type(client.config.cmd) == 'table' and client.config.cmd[1] or '?'
    notify(('%d sources indexed. %s (server %s)'):format(result.sources, table.concat(parts, '; '), server))
  end, bufnr)
end

--- `:CopydeskRestart`: stop the copydesk clients and start them again for
--- the Markdown buffers they served.
function M.restart()
  local clients = vim.lsp.get_clients({ name = NAME })
  local buffers = {}
  for _, c in ipairs(clients) do
    for b in pairs(c.attached_buffers) do
      buffers[b] = true
    end
    c:stop(true)
  end
  vim.defer_fn(function()
    for b in pairs(buffers) do
      if vim.api.nvim_buf_is_valid(b) then
        -- vim.lsp.enable attaches on FileType.
        vim.api.nvim_exec_autocmds('FileType', { buffer = b, modeline = false })
      end
    end
    notify('restarted')
  end, 500)
end

--- Configures and enables the server. `opts` is merged into the
--- configuration: `cmd`, `settings = { copydesk = { ... } }`, ...
---@param opts vim.lsp.Config?
function M.setup(opts)
  opts = opts or {}
  if vim.fn.has('nvim-0.11') == 0 then
    return notify('needs Neovim 0.11 or later; see editors/README.md for 0.10', vim.log.levels.ERROR)
  end
  local cmd = (opts.cmd or vim.lsp.config[NAME] and vim.lsp.config[NAME].cmd or { 'copydesk' })[1]
  if type(cmd) == 'string' and vim.fn.executable(cmd) == 0 then
    notify(
      ('%s is not an executable: install the server with `:MasonInstall copydesk` or `cargo install --locked copydesk`, '
        .. "or pass cmd = { '/path/to/copydesk', 'lsp' } to setup()"):format(cmd),
      vim.log.levels.ERROR
    )
  end
  if next(opts) then
    vim.lsp.config(NAME, opts)
  end
  vim.lsp.enable(NAME)
end

return M
