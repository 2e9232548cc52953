-- Checks the body of every container create and exec that passes the Docker socket proxy, and lets
-- through only the hardened sandbox the executor asks for, and only the unprivileged exec it runs the
-- program with.
--
-- It is an allowlist: the JSON is parsed strictly, every field must be one this file knows, and each
-- known field must hold a safe value. Docker's JSON decoder (Go encoding/json) matches field names
-- case-insensitively - even folding U+017F to 's' and U+212A to 'k' - lets the last of duplicate keys
-- win, and ignores unknown fields. So, to hold for every spelling Docker accepts:
--   * names are compared in lower case; a name that is not plain ASCII after unescaping is refused;
--   * a name given twice (in any case) in one object is refused;
--   * an unknown name is refused, not ignored;
--   * anything after the JSON value, invalid UTF-8, or nesting deeper than 16 is refused.
-- A refusal sets txn.sandbox_problem, which haproxy.cfg turns into a 403 naming the reason.

local MAX_DEPTH = 16

-- Strict JSON ------------------------------------------------------------------------------------

local NULL = setmetatable({}, { __tostring = function() return "null" end })

local function fail(msg) error({ problem = msg }, 0) end

local function utf8_char(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then return string.char(0xC0 | (cp >> 6), 0x80 | (cp & 0x3F)) end
  if cp < 0x10000 then return string.char(0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F)) end
  return string.char(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F))
end

local function parse(text)
  if not utf8.len(text) then fail("the body is not valid UTF-8") end
  local pos = 1

  local function skip_space()
    pos = text:find("[^ \t\r\n]", pos) or (#text + 1)
  end

  local function parse_string()
    pos = pos + 1 -- opening quote
    local parts = {}
    while true do
      local c = text:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1; return table.concat(parts) end
      if c:byte() < 0x20 then fail("control character in a string") end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        local simple = ({ ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" })[e]
        if simple then
          parts[#parts + 1] = simple; pos = pos + 2
        elseif e == "u" then
          local hex = text:sub(pos + 2, pos + 5)
          if not hex:match("^%x%x%x%x$") then fail("bad \\u escape") end
          local cp = tonumber(hex, 16); pos = pos + 6
          if cp >= 0xD800 and cp <= 0xDBFF and text:sub(pos, pos + 1) == "\\u" then
            local low = tonumber(text:sub(pos + 2, pos + 5), 16)
            if low and low >= 0xDC00 and low <= 0xDFFF then
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00); pos = pos + 6
            end
          end
          parts[#parts + 1] = utf8_char(cp)
        else
          fail("bad escape in a string")
        end
      else
        -- Not %c: it includes DEL (0x7f), which is legal in a string, and would never advance.
        local run_end = text:find('["\\\0-\31]', pos) or (#text + 1)
        parts[#parts + 1] = text:sub(pos, run_end - 1); pos = run_end
      end
    end
  end

  local parse_value

  local function parse_object(depth)
    pos = pos + 1
    local object, seen, order = {}, {}, {}
    skip_space()
    if text:sub(pos, pos) == "}" then pos = pos + 1; return { kind = "object", fields = object, order = order } end
    while true do
      skip_space()
      if text:sub(pos, pos) ~= '"' then fail("expected a field name") end
      local name = parse_string()
      if name:find("[^\32-\126]") then fail("field name '" .. name .. "' is not plain ASCII") end
      local key = name:lower()
      if seen[key] then fail("field '" .. name .. "' is given more than once") end
      seen[key] = true
      skip_space()
      if text:sub(pos, pos) ~= ":" then fail("expected ':'") end
      pos = pos + 1
      object[key] = parse_value(depth + 1)
      order[#order + 1] = name
      skip_space()
      local c = text:sub(pos, pos); pos = pos + 1
      if c == "}" then return { kind = "object", fields = object, order = order } end
      if c ~= "," then fail("expected ',' or '}'") end
    end
  end

  local function parse_array(depth)
    pos = pos + 1
    local items = {}
    skip_space()
    if text:sub(pos, pos) == "]" then pos = pos + 1; return { kind = "array", items = items } end
    while true do
      items[#items + 1] = parse_value(depth + 1)
      skip_space()
      local c = text:sub(pos, pos); pos = pos + 1
      if c == "]" then return { kind = "array", items = items } end
      if c ~= "," then fail("expected ',' or ']'") end
    end
  end

  parse_value = function(depth)
    if depth > MAX_DEPTH then fail("nested too deeply") end
    skip_space()
    local c = text:sub(pos, pos)
    if c == "{" then return parse_object(depth) end
    if c == "[" then return parse_array(depth) end
    if c == '"' then return parse_string() end
    for word, value in pairs({ ["true"] = true, ["false"] = false, ["null"] = NULL }) do
      if text:sub(pos, pos + #word - 1) == word then pos = pos + #word; return value end
    end
    local integer = text:match("^-?%d+", pos)
    if integer then
      local number = integer .. (text:match("^%.%d+", pos + #integer) or "")
      number = number .. (text:match("^[eE][-+]?%d+", pos + #number) or "")
      pos = pos + #number
      if number ~= integer then return { kind = "fraction", text = number } end
      local n = math.tointeger(tonumber(integer))
      if not n then fail("number out of range") end
      return n
    end
    fail("unexpected character at byte " .. pos)
  end

  local value = parse_value(0)
  skip_space()
  if pos <= #text then fail("data after the JSON value") end
  return value
end

-- The policy -------------------------------------------------------------------------------------

local function is_object(v) return type(v) == "table" and v.kind == "object" end
local function is_array(v) return type(v) == "table" and v.kind == "array" end
local function absent(v) return v == nil or v == NULL end
local function empty(v)
  return absent(v) or (is_array(v) and #v.items == 0) or (is_object(v) and #v.order == 0) or v == ""
end

-- Rules: function(value, name) that calls fail() when the value is not allowed.
local function must_be_absent(v, name) if not empty(v) then fail(name .. " must be absent or empty") end end
-- For MaskedPaths and ReadonlyPaths an empty list is not "absent": it unmasks /proc and /sys.
local function must_be_null(v, name) if not absent(v) then fail(name .. " must be absent: an empty list unmasks /proc") end end
local function null_or_false(v, name) if not (absent(v) or v == false) then fail(name .. " must be false") end end
local function boolean(v, name) if not (absent(v) or type(v) == "boolean") then fail(name .. " must be a boolean") end end
local function required_true(v, name) if v ~= true then fail(name .. " must be true") end end
local function null_or_zero(v, name) if not (absent(v) or v == 0) then fail(name .. " must be absent or 0") end end

local function string_matching(pattern, required)
  return function(v, name)
    if absent(v) and not required then return end
    if type(v) ~= "string" or not v:match(pattern) then fail(name .. " has a value that is not allowed") end
  end
end

local function string_array(required)
  return function(v, name)
    if absent(v) and not required then return end
    if not is_array(v) or (required and #v.items == 0) then fail(name .. " must be a list of strings") end
    for _, item in ipairs(v.items) do
      if type(item) ~= "string" then fail(name .. " must hold only strings") end
    end
  end
end

local function positive_integer(max)
  return function(v, name)
    if math.type(v) ~= "integer" or v <= 0 or v > max then fail(name .. " must be set, between 1 and " .. max) end
  end
end

local function string_map(key_pattern)
  return function(v, name)
    if absent(v) then return end
    if not is_object(v) then fail(name .. " must be an object of strings") end
    for _, key in ipairs(v.order) do
      if not key:match(key_pattern) or type(v.fields[key:lower()]) ~= "string" then
        fail(name .. " holds '" .. key .. "', which is not allowed")
      end
    end
  end
end

local function cap_drop(v, name)
  string_array(true)(v, name)
  for _, cap in ipairs(v.items) do
    if cap:upper() == "ALL" then return end
  end
  fail(name .. " must drop ALL capabilities")
end

local function security_opt(v, name)
  string_array(true)(v, name)
  local no_new_privileges = false
  for _, opt in ipairs(v.items) do
    local normalized = opt:lower():gsub("=", ":")
    if normalized == "no-new-privileges" or normalized == "no-new-privileges:true" then
      no_new_privileges = true
    else
      fail(name .. " may hold only no-new-privileges, not '" .. opt .. "'")
    end
  end
  if not no_new_privileges then fail(name .. " must hold no-new-privileges") end
end

local ULIMITS = { nproc = true, nofile = true, fsize = true, core = true, cpu = true, stack = true }

local function ulimits(v, name)
  if not is_array(v) then fail(name .. " must list the ulimits, nproc among them") end
  local has_nproc, seen = false, {}
  for _, limit in ipairs(v.items) do
    if not is_object(limit) then fail(name .. " must hold objects") end
    for _, key in ipairs(limit.order) do
      local k = key:lower()
      if k ~= "name" and k ~= "soft" and k ~= "hard" then fail(name .. " entries may hold only Name, Soft, Hard") end
    end
    local limit_name, soft, hard = limit.fields.name, limit.fields.soft, limit.fields.hard
    if type(limit_name) ~= "string" or not ULIMITS[limit_name] then fail(name .. " may not set '" .. tostring(limit_name) .. "'") end
    -- Docker keeps the last of duplicate names: a second nproc could lift the first.
    if seen[limit_name] then fail(name .. " sets " .. limit_name .. " twice") end
    seen[limit_name] = true
    if math.type(soft) ~= "integer" or math.type(hard) ~= "integer" or soft < 0 or hard < soft then
      fail(name .. " " .. limit_name .. " needs 0 <= Soft <= Hard")
    end
    if limit_name == "nproc" then has_nproc = true end
  end
  if not has_nproc then fail(name .. " must set nproc: it bounds the processes inside the sandbox") end
end

local function log_config(v, name)
  if not is_object(v) then fail(name .. " must be {\"Type\": \"none\"}") end
  for _, key in ipairs(v.order) do
    local k = key:lower()
    if k ~= "type" and k ~= "config" then fail(name .. " may hold only Type and Config") end
  end
  if v.fields.type ~= "none" or not empty(v.fields.config) then
    fail(name .. " must be {\"Type\": \"none\"}: output is read live, never stored on the host")
  end
end

local function tmpfs(v, name)
  if absent(v) then return end
  if not is_object(v) then fail(name .. " must be an object") end
  for _, key in ipairs(v.order) do
    local options = v.fields[key:lower()]
    if key ~= "/tmp" or type(options) ~= "string" or not options:match("^rw,nosuid,nodev,size=%d+$") then
      fail(name .. " may only mount /tmp, as 'rw,nosuid,nodev,size=<bytes>'")
    end
  end
end

local function restart_policy(v, name)
  if absent(v) then return end
  if not is_object(v) then fail(name .. " must be an object") end
  for _, key in ipairs(v.order) do
    local k, value = key:lower(), v.fields[key:lower()]
    if not ((k == "name" and (value == "" or value == "no")) or (k == "maximumretrycount" and value == 0)) then
      fail(name .. " must be 'no'")
    end
  end
end

-- Upper bounds a little above what the api can ever ask (1 GiB memory by default, 16 GiB at most).
local MEMORY_MAX = 16 * 1024 * 1024 * 1024

local HOST_CONFIG = {
  runtime = string_matching("^runsc$", true),
  networkmode = string_matching("^none$", true),
  privileged = null_or_false,
  memory = positive_integer(MEMORY_MAX),
  memoryswap = positive_integer(MEMORY_MAX), -- and equal to memory: checked below
  pidslimit = positive_integer(4096),
  nanocpus = positive_integer(4 * 1000000000),
  capdrop = cap_drop,
  capadd = must_be_absent,
  securityopt = security_opt,
  ulimits = ulimits,
  logconfig = log_config,
  readonlyrootfs = boolean,
  tmpfs = tmpfs,
  autoremove = boolean,
  restartpolicy = restart_policy,
  init = null_or_false,
  oomkilldisable = null_or_false,
  oomscoreadj = null_or_zero,
  publishallports = null_or_false,
  memoryswappiness = null_or_zero,
  -- Everything that reaches the host, shares its namespaces, or weakens isolation: absent or empty.
  binds = must_be_absent, mounts = must_be_absent, volumesfrom = must_be_absent, volumedriver = must_be_absent,
  devices = must_be_absent, devicecgrouprules = must_be_absent, devicerequests = must_be_absent,
  pidmode = must_be_absent, ipcmode = must_be_absent, utsmode = must_be_absent, usernsmode = must_be_absent,
  cgroupnsmode = must_be_absent, cgroup = must_be_absent, cgroupparent = must_be_absent,
  portbindings = must_be_absent, links = must_be_absent, extrahosts = must_be_absent,
  dns = must_be_absent, dnsoptions = must_be_absent, dnssearch = must_be_absent, groupadd = must_be_absent,
  sysctls = must_be_absent, storageopt = must_be_absent, maskedpaths = must_be_null, readonlypaths = must_be_null,
  annotations = must_be_absent, isolation = must_be_absent, containeridfile = must_be_absent, lxcconf = must_be_absent,
  -- Tuning knobs docker-java always sends as null; refused if set, since nothing here needs them.
  blkioweight = must_be_absent, blkioweightdevice = must_be_absent, blkiodevicereadbps = must_be_absent,
  blkiodevicewritebps = must_be_absent, blkiodevicereadiops = must_be_absent, blkiodevicewriteiops = must_be_absent,
  cpuperiod = must_be_absent, cpurealtimeperiod = must_be_absent, cpurealtimeruntime = must_be_absent,
  cpushares = must_be_absent, cpuquota = must_be_absent, cpusetcpus = must_be_absent, cpusetmems = must_be_absent,
  cpucount = must_be_absent, cpupercent = must_be_absent, diskquota = must_be_absent, kernelmemory = must_be_absent,
  memoryreservation = must_be_absent, iomaximumiops = must_be_absent, iomaximumbandwidth = must_be_absent,
  shmsize = must_be_absent, consolesize = must_be_absent,
}

local CONFIG = {
  hostname = string_matching("^[a-z0-9][a-z0-9-]*$", false),
  domainname = must_be_absent,
  -- A numeric, non-root uid:gid: a name could be resolved to root inside the image.
  user = string_matching("^[1-9]%d*:[1-9]%d*$", true),
  attachstdin = null_or_false, attachstdout = boolean, attachstderr = boolean,
  tty = null_or_false, openstdin = null_or_false, stdinonce = null_or_false,
  portspecs = must_be_absent, exposedports = must_be_absent, volumes = must_be_absent,
  env = string_array(false), cmd = string_array(true), entrypoint = string_array(false),
  image = string_matching("^crucible%-runtime/[a-z][a-z0-9-]*:%x+$", true),
  workingdir = string_matching("^/[%w/_.-]*$", false),
  networkdisabled = required_true,
  labels = string_map("^[%w._-]+$"),
  healthcheck = must_be_absent, argsescaped = null_or_false, macaddress = must_be_absent, onbuild = must_be_absent,
  stopsignal = must_be_absent, stoptimeout = must_be_absent, shell = must_be_absent, networkingconfig = must_be_absent,
  hostconfig = function(v, name)
    if not is_object(v) then fail(name .. " must be set") end
  end,
}

local function check_fields(object, rules, where)
  for _, name in ipairs(object.order) do
    if not rules[name:lower()] then fail(where .. name .. " is not allowed") end
  end
  for key, rule in pairs(rules) do
    rule(object.fields[key], where .. key)
  end
end

-- What the executor runs inside a started sandbox: the program, then the collector of its output
-- files. Only as the sandbox's user, never privileged, never with a terminal or stdin.
local EXEC_CREATE = {
  -- docker-java repeats the path's container name in the body; Docker ignores it.
  containerid = string_matching("^%w[%w_.-]*$", false),
  user = string_matching("^65534:65534$", true),
  privileged = null_or_false,
  attachstdin = null_or_false, attachstdout = boolean, attachstderr = boolean,
  tty = null_or_false, detachkeys = must_be_absent, consolesize = must_be_absent,
  env = string_array(false), cmd = string_array(true),
  workingdir = CONFIG.workingdir,
}

local EXEC_START = {
  detach = boolean,
  tty = null_or_false,
  consolesize = must_be_absent,
}

local function object_body(body)
  local value = parse(body)
  if not is_object(value) then fail("the body must be a JSON object") end
  return value
end

local function check_create(body)
  local config = object_body(body)
  check_fields(config, CONFIG, "")
  local host = config.fields.hostconfig
  check_fields(host, HOST_CONFIG, "HostConfig.")
  if host.fields.memoryswap ~= host.fields.memory then fail("HostConfig.MemorySwap must equal Memory: no swap") end
end

-- HAProxy glue -----------------------------------------------------------------------------------

local function register(name, check)
  core.register_action(name, { "http-req" }, function(txn)
    local body = txn.f:req_body() or ""
    local headers = txn.http:req_get_headers()
    local declared = headers["content-length"] and tonumber(headers["content-length"][0])
    local ok, err = pcall(function()
      if not declared or declared ~= #body then
        fail("the body must be sent whole, with a Content-Length, and fit the proxy's buffer")
      end
      check(body)
    end)
    if ok then
      txn:set_var("txn.sandbox_ok", true)
    else
      local problem = type(err) == "table" and err.problem or ("policy check failed: " .. tostring(err))
      txn:set_var("txn.sandbox_problem", problem)
    end
  end)
end

register("check_sandbox_create", check_create)
register("check_sandbox_exec", function(body) check_fields(object_body(body), EXEC_CREATE, "") end)
register("check_exec_start", function(body) check_fields(object_body(body), EXEC_START, "") end)
