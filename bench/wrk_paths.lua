-- wrk script for bench/web_bench.py: GET the paths of a file in turn, and print the
-- run's figures as one JSON line at the end (latencies in microseconds).
--
--   wrk -t1 -c1 -d10s -s bench/wrk_paths.lua http://127.0.0.1:PORT -- PATHS_FILE

local paths = {}
local next_path = 0
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  -- threads start at different places of the list, so that they do not ask in lockstep
  next_path = (offset or 0) * 7919 % #paths
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}, "latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
