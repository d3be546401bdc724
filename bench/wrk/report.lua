-- Shared by the wrk scripts: one machine-readable line that bench/run reads, and the counters the
-- threads kept (each wrk thread has its own Lua state, so they are collected here, in done()).
local report = {}

local threads = {}

-- Call from setup(thread): numbers the thread and keeps it so done() can read its counters.
function report.setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads - 1)
end

-- Sums a global counter across the threads that report.setup saw.
function report.sum(name)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get(name) or 0)
  end
  return total
end

-- Prints "RESULT key=value ..." with requests/s, p50/p99 latency and error counts, plus extras.
function report.done(summary, latency, extras)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local line = string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f status_errors=%d socket_errors=%d",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout)
  for _, kv in ipairs(extras or {}) do
    line = line .. string.format(" %s=%s", kv[1], tostring(kv[2]))
  end
  io.write(line .. "\n")
end

return report
