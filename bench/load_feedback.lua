-- wrk script for bench/load.sh: the general feedback form, posted as a browser would.
--   wrk ... -s bench/load_feedback.lua http://127.0.0.1:PORT/feedback/ -- ORIGIN STAMP SECONDS
-- ORIGIN is the site's own origin (the same-origin check wants it), STAMP a signed fill-time
-- stamp (editorial/spam.py) and SECONDS how long to keep posting. Run wrk a little longer than
-- that: once SECONDS have passed no new request starts, so every request sent has its answer
-- counted before wrk stops, and the count of accepted answers can be compared with the rows stored.
-- Each message is different (thread number and counter). done() prints one "name value" a line.

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } load_timespec;
  int clock_gettime(int clock_id, load_timespec *tp);
]])
local CLOCK_MONOTONIC = 1

local function now()
  local t = ffi.new("load_timespec")
  ffi.C.clock_gettime(CLOCK_MONOTONIC, t)
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Origin"] = args[1]
  stamp = urlencode(args[2])
  stop_at = now() + tonumber(args[3])
  sent, statuses = 0, {}
end

function delay()
  -- After the window, connections go quiet instead of starting requests wrk would not wait for.
  if now() >= stop_at then return 3600 * 1000 end
  return 0
end

function request()
  sent = sent + 1
  local message = string.format("Load test message %d from thread %d: please add an article on gout.", sent, number)
  local body = "category=suggestion&message=" .. urlencode(message) .. "&started=" .. stamp .. "&website="
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local accepted, refused, by_status = 0, 0, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
      if status >= 200 and status < 400 then accepted = accepted + count else refused = refused + count end
    end
  end
  local errors = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("accepted %d\n", accepted))
  io.write(string.format("refused %d\n", refused))
  io.write(string.format("socket_errors %d\n", errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("p50_ms %.1f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms %.1f\n", latency:percentile(99) / 1000))
  for status, count in pairs(by_status) do io.write(string.format("status_%d %d\n", status, count)) end
end
