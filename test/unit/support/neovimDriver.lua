-- Runs in Neovim after the README's snippet (nvim --headless -u snippet.lua -c 'luafile neovimDriver.lua') and does
-- what a user does: open a file of the sample, wait for the lens, press gK (K without that mapping) on an anchor, run
-- the lens, open a file of a nested package. It writes what was on screen to $CUSTOMER_LENS_NVIM_RESULT as JSON and
-- quits. Written for Neovim 0.7 and what later versions kept.
local result = { messages = {}, notifications = {}, steps = {} }

local function finish(err)
  if err then result.error = tostring(err) end
  local file = assert(io.open(os.getenv('CUSTOMER_LENS_NVIM_RESULT'), 'w'))
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qa!')
end

-- Watch what the user is shown, without changing how it is shown.
local show_message = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, params, ctx, config)
  table.insert(result.messages, params)
  return show_message(err, params, ctx, config)
end
local notify = vim.notify
vim.notify = function(message, level, opts)
  table.insert(result.notifications, { message = message, level = level })
  return notify(message, level, opts)
end

local function wait(what, ms, condition)
  if not vim.wait(ms, condition, 50) then error('timed out waiting for ' .. what) end
  table.insert(result.steps, what)
end

local function lens_clients()
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  return vim.tbl_filter(function(client) return client.name == 'customer-lens' or client.name == 'customer_lens' end, all)
end

local function attached(buf)
  for _, client in ipairs(lens_clients()) do
    if client.initialized ~= false and vim.lsp.buf_is_attached(buf, client.id) then return client end
  end
end

-- Every piece of virtual text on the buffer (a lens is drawn as virtual text, or as virtual lines from 0.12).
local function virtual_text(buf)
  local texts = {}
  for _, ns in pairs(vim.api.nvim_get_namespaces()) do
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
      local details = mark[4] or {}
      local chunks = details.virt_text or (details.virt_lines and details.virt_lines[1]) or {}
      local text = table.concat(vim.tbl_map(function(chunk) return chunk[1] end, chunks))
      if text ~= '' then table.insert(texts, { line = mark[2], text = text }) end
    end
  end
  return texts
end

local function lens_text(buf, pattern)
  for _, mark in ipairs(virtual_text(buf)) do
    if mark.line == 0 and mark.text:find(pattern) then return mark.text end
  end
end

local function floating_window_lines()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      return vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
    end
  end
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape('src/checkout/couponStep.ts'))
  local buf = vim.api.nvim_get_current_buf()
  wait('the server to attach', 30000, function() return attached(buf) ~= nil end)

  wait('the CodeLens', 20000, function() return lens_text(buf, 'open problem') ~= nil end)
  result.lens = lens_text(buf, 'open problem')

  local line = vim.fn.search('applyCoupon(cart')
  vim.api.nvim_win_set_cursor(0, { line, vim.fn.col('.') + 2 })
  local key = vim.fn.maparg('gK', 'n') ~= '' and 'gK' or 'K'
  result.hover_key = key
  vim.cmd('normal ' .. key)
  wait('the hover card', 10000, function() return floating_window_lines() ~= nil end)
  result.hover = floating_window_lines()

  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.cmd('doautocmd CursorMoved')
  local before = #result.messages
  vim.lsp.codelens.run()
  wait('the lens to run', 10000, function() return #result.messages > before or #result.notifications > 0 end)
  result.lens_run = result.messages[before + 1]

  vim.cmd('edit ' .. vim.fn.fnameescape('packages/mobile-app/src/checkout/applePay.payment.ts'))
  local nested = vim.api.nvim_get_current_buf()
  wait('the server to attach to a file of a nested package', 10000, function() return attached(nested) ~= nil end)
  wait('the nested package\'s lens', 20000, function() return lens_text(nested, 'Mobile checkout') ~= nil end)
  result.nested_lens = lens_text(nested, 'Mobile checkout')
  result.servers = #lens_clients()
end)

finish(not ok and err or nil)
