-- GET /health/live: the server's own ceiling (routing, filters, access log, metrics; no database).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

wrk.method = "GET"
wrk.path = "/health/live"

function done(summary, latency, requests)
  report.done(summary, latency)
end
