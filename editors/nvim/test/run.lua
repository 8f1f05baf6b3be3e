-- Headless test of the copydesk plugin in a real Neovim 0.11.
-- Run by editors/nvim/test/run.sh (under `timeout`, with --clean and XDG_*
-- in a temp folder). Exits 0 when every check passes, 1 otherwise.
--
-- A temp workspace holds a copy of examples/ (copydesk.toml, sources, draft.md)
-- and test/multibyte.md (multi-byte text before flagged figures). Expected
-- diagnostics come from `copydesk check --format json` on the same files,
-- converted from its 1-based scalar columns to Neovim's 0-based byte columns;
-- some are also asserted literally.

local failures = {}
local started = vim.uv.hrtime()

local function say(msg)
  io.stdout:write(('[nvim %.1fs] %s\n'):format((vim.uv.hrtime() - started) / 1e9, msg))
end

local function check(cond, msg)
  if cond then
    say('ok   ' .. msg)
  else
    say('FAIL ' .. msg)
    table.insert(failures, msg)
  end
  return cond
end

local function finish()
  if #failures > 0 then
    io.stdout:write(('FAIL: %d check(s) failed:\n  %s\n'):format(#failures, table.concat(failures, '\n  ')))
    vim.cmd('cquit 1')
  else
    io.stdout:write('PASS: Neovim ' .. tostring(vim.version()) .. '\n')
    vim.cmd('qa!')
  end
end

local function find_msg(list, text)
  for _, m in ipairs(list) do
    if m:find(text, 1, true) then
      return m
    end
  end
end

local function main()
  local here = vim.fs.dirname(vim.fs.normalize(debug.getinfo(1, 'S').source:sub(2)))
  local plugin = vim.fs.dirname(here)
  local top = vim.fs.dirname(vim.fs.dirname(plugin))
  local bin = vim.env.COPYDESK_BIN or (top .. '/target/debug/copydesk')
  assert(vim.fn.executable(bin) == 1, 'copydesk binary missing: ' .. bin)
  assert(vim.fn.has('nvim-0.11') == 1, 'needs Neovim 0.11, this is ' .. tostring(vim.version()))

  -- The workspace.
  local ws = vim.fn.tempname() .. '-copydesk-nvim'
  vim.fn.mkdir(ws .. '/sources', 'p')
  local function copy(from, to)
    vim.fn.writefile(vim.fn.readfile(from, 'b'), to, 'b')
  end
  for name, kind in vim.fs.dir(top .. '/examples/sources') do
    if kind == 'file' then
      copy(top .. '/examples/sources/' .. name, ws .. '/sources/' .. name)
    end
  end
  copy(top .. '/examples/copydesk.toml', ws .. '/copydesk.toml')
  copy(top .. '/examples/draft.md', ws .. '/draft.md')
  copy(here .. '/multibyte.md', ws .. '/multibyte.md')

  local function cli(file)
    local r = vim.system({ bin, 'check', '--format', 'json', file }, { text = true }):wait()
    assert(r.code == 0 or r.code == 1, 'copydesk check failed: ' .. (r.stderr or ''))
    return vim.json.decode(r.stdout)
  end

  --- Expected diagnostics of a file: { code, lnum, col (bytes, 0-based), text }.
  local function expected(file)
    local lines = vim.fn.readfile(file)
    local want = {}
    for _, d in ipairs(cli(file).files[1].diagnostics) do
      if d.suppressed == nil or d.suppressed == vim.NIL then
        local line = lines[d.range.start.line]
        table.insert(want, {
          code = d.code,
          severity = d.severity,
          lnum = d.range.start.line - 1,
          col = vim.str_byteindex(line, 'utf-32', d.range.start.column - 1, false),
          text = d.text,
        })
      end
    end
    return want
  end

  -- The plugin, as a user installs it: on the runtimepath, then setup().
  vim.opt.rtp:prepend(plugin)
  vim.cmd('runtime! plugin/copydesk.lua')
  check(vim.fn.exists(':CopydeskConflicts') == 2 and vim.fn.exists(':CopydeskRestart') == 2, 'commands defined')
  local messages = {}
  local notify = vim.notify
  vim.notify = function(msg, level, opts)
    table.insert(messages, msg)
    return notify(msg, level, opts)
  end
  -- The server as mason.nvim installs it, with no copydesk on PATH and no cmd
  -- given: the plugin must find stdpath('data')/mason/bin/copydesk itself.
  vim.env.MASON = nil
  local path = {}
  for dir in vim.gsplit(vim.env.PATH or '', ':', { plain = true }) do
    if dir ~= '' and vim.fn.executable(dir .. '/copydesk') == 0 then
      table.insert(path, dir)
    end
  end
  vim.env.PATH = table.concat(path, ':')
  local server = require('copydesk.server')
  check(server.find() == nil, 'no server found before mason installs one (none on PATH)')
  local mason_bin = vim.fn.stdpath('data') .. '/mason/bin'
  vim.fn.mkdir(mason_bin, 'p')
  assert(vim.uv.fs_symlink(bin, mason_bin .. '/copydesk')) -- mason links package binaries here
  local found, source = server.find()
  check(found == mason_bin .. '/copydesk' and source == 'mason', 'the mason-installed server is found: ' .. tostring(found))
  require('copydesk').setup()
  local config = vim.lsp.config.copydesk
  check(
    config.cmd[1] == mason_bin .. '/copydesk' and config.cmd[2] == 'lsp',
    'the server configuration runs the mason-installed copydesk without configuration'
  )
  check(
    find_msg(messages, 'not an executable') == nil,
    'setup() does not complain about a missing server'
  )
  check(
    vim.deep_equal(config.filetypes, { 'markdown' })
      and vim.deep_equal(config.root_markers, { 'copydesk.toml', '.git' }),
    'vim.lsp.config: filetypes markdown, root markers copydesk.toml and .git'
  )

  local function wait_diagnostics(buf, n, what, ns)
    local opts = ns and { namespace = ns } or nil
    local ok = vim.wait(30000, function()
      return #vim.diagnostic.get(buf, opts) == n
    end, 50)
    return check(ok, ('%s: %d diagnostics arrive (got %d)'):format(what, n, #vim.diagnostic.get(buf, opts)))
  end

  local function compare(buf, want, what)
    local got = vim.diagnostic.get(buf)
    for _, w in ipairs(want) do
      local hit
      for _, d in ipairs(got) do
        if d.code == w.code and d.lnum == w.lnum and d.col == w.col then
          hit = d
        end
      end
      check(hit ~= nil, ('%s: %s at line %d, byte column %d ("%s")'):format(what, w.code, w.lnum + 1, w.col, w.text))
      if hit then
        local sev = ({ error = 'ERROR', warning = 'WARN', info = 'INFO', hint = 'HINT' })[w.severity]
        check(
          hit.severity == vim.diagnostic.severity[sev] and hit.source == 'copydesk',
          ('%s: %s is %s from copydesk'):format(what, w.code, sev)
        )
      end
    end
  end

  local function find(list, pred)
    for _, x in ipairs(list) do
      if pred(x) then
        return x
      end
    end
  end

  -- 1. The example draft.
  vim.cmd.edit(ws .. '/draft.md')
  local draft = vim.api.nvim_get_current_buf()
  check(vim.bo[draft].filetype == 'markdown', 'draft.md is markdown')
  local attached = vim.wait(10000, function()
    return #vim.lsp.get_clients({ bufnr = draft, name = 'copydesk' }) == 1
  end, 50)
  check(attached, 'copydesk attaches to draft.md')
  local client = vim.lsp.get_clients({ bufnr = draft, name = 'copydesk' })[1]
  check(client and client.root_dir == ws, 'root is the folder of copydesk.toml')
  local want = expected(ws .. '/draft.md')
  check(#want >= 5, ('copydesk check finds %d diagnostics in the example draft'):format(#want))
  assert(wait_diagnostics(draft, #want, 'draft.md'), 'no diagnostics from copydesk: giving up')
  compare(draft, want, 'draft.md')
  -- Known findings, literally.
  local got = vim.diagnostic.get(draft)
  check(
    find(got, function(d)
      return d.code == 'figure-mismatch' and d.lnum == 15 and d.col == 26 and d.end_col == 37
    end) ~= nil,
    'draft.md: figure-mismatch "34 suspects" at 16:27-38'
  )
  check(
    find(got, function(d)
      return d.code == 'qualifier-mismatch' and d.lnum == 7 and d.col == 21
    end) ~= nil,
    'draft.md: qualifier-mismatch "more than 1,200 people" at 8:22'
  )
  check(
    find(got, function(d)
      return d.lnum == 28
    end) == nil,
    'draft.md: the suppressed finding on line 29 is not shown'
  )

  -- 2. Multi-byte text before flagged figures.
  vim.cmd.edit(ws .. '/multibyte.md')
  local mb = vim.api.nvim_get_current_buf()
  local mb_want = expected(ws .. '/multibyte.md')
  wait_diagnostics(mb, #mb_want, 'multibyte.md')
  compare(mb, mb_want, 'multibyte.md')
  local line5 = vim.api.nvim_buf_get_lines(mb, 4, 5, false)[1]
  local col5 = line5:find('34 suspects', 1, true) - 1
  local mismatch = find(vim.diagnostic.get(mb), function(d)
    return d.code == 'figure-mismatch' and d.lnum == 4
  end)
  check(
    mismatch ~= nil and mismatch.col == col5 and mismatch.end_col == col5 + #'34 suspects',
    ('multibyte.md: figure-mismatch "34 suspects" at line 5, byte columns %d-%d (character %d)'):format(
      col5,
      col5 + 11,
      vim.str_utfindex(line5, 'utf-32', col5)
    )
  )
  check(client.offset_encoding == 'utf-8' or client.offset_encoding == 'utf-16', 'encoding ' .. client.offset_encoding)

  -- 3. Citation completion after `[@` (end of line 7).
  local line7 = vim.api.nvim_buf_get_lines(mb, 6, 7, false)[1]
  -- As in insert mode after typing `[@`: the position after the last character.
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(mb) },
    position = { line = 6, character = vim.str_utfindex(line7, client.offset_encoding) },
  }
  local res = vim.lsp.buf_request_sync(mb, 'textDocument/completion', params, 10000)
  local items = {}
  for _, r in pairs(res or {}) do
    local result = r.result or {}
    items = result.items or result
  end
  table.sort(items, function(a, b)
    return (a.sortText or a.label) < (b.sortText or b.label)
  end)
  local labels = vim.tbl_map(function(i)
    return i.label
  end, items)
  check(#items == 6, ('completion offers every source (%s)'):format(table.concat(labels, ', ')))
  check(
    items[1] and items[1].label == 'mps-2014',
    ('completion: first item is mps-2014, the source of "27 provinces" (got %s)'):format(items[1] and items[1].label)
  )

  -- 4. Quick fix: cursor on "34 suspects", apply the preferred action.
  vim.api.nvim_win_set_cursor(0, { 5, col5 + 1 })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      return a.isPreferred == true
    end,
  })
  local want5 = line5:sub(1, col5) .. '43 suspects' .. line5:sub(col5 + 12)
  local fixed = vim.wait(10000, function()
    return vim.api.nvim_buf_get_lines(mb, 4, 5, false)[1] == want5
  end, 50)
  check(fixed, 'quick fix: line 5 reads "' .. want5 .. '" (got "' .. vim.api.nvim_buf_get_lines(mb, 4, 5, false)[1] .. '")')
  local cleared = vim.wait(10000, function()
    return find(vim.diagnostic.get(mb), function(d)
      return d.code == 'figure-mismatch' and d.lnum == 4
    end) == nil
  end, 50)
  check(cleared, 'quick fix: the figure-mismatch on line 5 is gone after the edit')

  -- 5. :CopydeskConflicts lists the facts the sources disagree on.
  vim.cmd.buffer(draft)
  vim.cmd('CopydeskConflicts')
  local shown = vim.wait(10000, function()
    return vim.api.nvim_buf_get_name(0):find('copydesk://conflicts', 1, true) ~= nil
  end, 50)
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  check(shown and text:find('27 cities', 1, true) and text:find('27 provinces', 1, true), ':CopydeskConflicts shows 27 cities / 27 provinces')
  check(vim.bo.buftype == 'nofile' and #vim.lsp.get_clients({ bufnr = 0 }) == 0, 'the conflicts buffer is scratch, not checked')
  vim.cmd('close')

  -- 6. :CopydeskStatus
  vim.cmd('CopydeskStatus')
  local status = vim.wait(10000, function()
    return find(messages, function(m)
      return m:find('6 sources indexed', 1, true) ~= nil
    end) ~= nil
  end, 50)
  check(status, ':CopydeskStatus reports 6 sources indexed')
  check(find_msg(messages, '(server ' .. mason_bin .. '/copydesk)') ~= nil, ':CopydeskStatus names the mason server')

  -- 7. :CopydeskRestart: a new client, diagnostics again.
  local old = client.id
  vim.cmd('CopydeskRestart')
  local restarted = vim.wait(15000, function()
    local c = vim.lsp.get_clients({ bufnr = draft, name = 'copydesk' })[1]
    return c ~= nil and c.id ~= old and c.initialized
  end, 50)
  check(restarted, ':CopydeskRestart starts a new client')
  check(vim.lsp.get_client_by_id(old) == nil or vim.lsp.get_client_by_id(old):is_stopped(), 'the old client stopped')
  local new = vim.lsp.get_clients({ bufnr = draft, name = 'copydesk' })[1]
  if new then
    wait_diagnostics(draft, #want, 'draft.md after restart', vim.lsp.diagnostic.get_namespace(new.id, false))
  end

  vim.fn.delete(ws, 'rf')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  table.insert(failures, 'error: ' .. tostring(err))
  io.stdout:write('FAIL error: ' .. tostring(err) .. '\n')
end
finish()
