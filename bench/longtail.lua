-- Ask every path of a file once, in the file's order, then end the run: wrk for addresses
-- that must not repeat (the long tail of bench/longtail.py, where a second request for a
-- path would be a cache hit and flatter the figures).
--
--   wrk -t1 -c16 -d600s -s bench/longtail.lua http://127.0.0.1:PORT -- PATHS THREADS FINISHED
--
-- Against gunicorn's sync workers run it with one thread (-t1): a connection left with
-- nothing to ask is open and silent, and a sync worker that accepts it waits on it until wrk
-- ends. With one thread every path is queued before the first such connection opens; with
-- two, one thread's silent connections can hold the workers while the other's paths wait.
--
-- PATHS holds one path a line. Line i (from 0) belongs to thread i % THREADS; within a
-- thread each connection, as it comes free, takes the thread's next path, so the list is
-- asked in order across the connections. A thread whose paths are all answered stops; it
-- notes so in the file FINISHED, and the last one to finish interrupts wrk (SIGINT, as
-- Ctrl-C would), so a run lasts as long as its list: -d is only the bound. A connection
-- left with nothing to ask sends nothing (an empty request, which wrk neither counts nor
-- times). wrk's own latency figures therefore cover the list's requests exactly.
--
-- done prints bench/serve.py's BENCH line (requests, errors, percentiles) with four more
-- figures: asked (the list's length), answered, bad (answers outside 2xx/3xx) and span_us
-- (first request sent to last answer read, across the threads: the run's true length,
-- which wrk's duration overstates by up to a tenth of a second).

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long seconds; long nanoseconds; } longtail_timespec;
  int clock_gettime(int clock, longtail_timespec *spec);
  int kill(int pid, int sig);
  int getpid(void);
]])
local CLOCK_MONOTONIC, SIGINT = 1, 2

local function now_us()
  local spec = ffi.new("longtail_timespec")
  ffi.C.clock_gettime(CLOCK_MONOTONIC, spec)
  return tonumber(spec.seconds) * 1000000 + math.floor(tonumber(spec.nanoseconds) / 1000)
end

-- In wrk's main Lua state: each thread gets its number, and is kept for done.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

-- In each thread's own state (globals, so that done can read them with thread:get).
mine, sent, answered, bad, first_us, last_us = {}, 0, 0, 0, 0, 0
local finished_file, thread_count

function init(args)
  thread_count = tonumber(args[2])
  finished_file = args[3]
  local line_number = 0
  for path in io.lines(args[1]) do
    if line_number % thread_count == id then
      mine[#mine + 1] = path
    end
    line_number = line_number + 1
  end
  asked = #mine
  -- wrk calls thread 0's request once before the run, to see whether it pipelines (4.x's
  -- script_verify_request): that call must not use up a path.
  verifying = id == 0
end

request = function()
  if verifying then
    verifying = false
    return wrk.format("GET", mine[1] or "/")
  end
  sent = sent + 1
  if sent > #mine then
    return "" -- the list is done: this connection waits for the others to finish
  end
  if sent == 1 then
    first_us = now_us()
  end
  return wrk.format("GET", mine[sent])
end

local function finish()
  local marks = io.open(finished_file, "a")
  marks:write(id, "\n")
  marks:close()
  local count = 0
  for _ in io.lines(finished_file) do
    count = count + 1
  end
  if count >= thread_count then
    ffi.C.kill(ffi.C.getpid(), SIGINT) -- ends wrk's sleep: the summary follows at once
  end
  wrk.thread:stop()
end

response = function(status, headers, body)
  answered = answered + 1
  last_us = now_us()
  if status < 200 or status > 399 then
    bad = bad + 1
  end
  if answered == #mine then
    finish()
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local total_asked, total_answered, total_bad, start, stop = 0, 0, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    total_asked = total_asked + thread:get("asked")
    total_answered = total_answered + thread:get("answered")
    total_bad = total_bad + thread:get("bad")
    if thread:get("sent") > 0 then
      start = math.min(start, thread:get("first_us"))
    end
    stop = math.max(stop, thread:get("last_us"))
  end
  local span = stop > start and stop - start or summary.duration
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d "
    .. "p50_us=%d p90_us=%d p99_us=%d max_us=%d asked=%d answered=%d bad=%d span_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    total_asked, total_answered, total_bad, span))
end
