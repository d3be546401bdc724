-- POST /v1/verifications, each with an address no request used before, so no per-address limit
-- is reached. Usage: wrk ... -s start.lua URL -- API_KEY RUN_TAG
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

local headers, tag, n

function setup(thread)
  report.setup(thread)
end

function init(args)
  headers = {["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json"}
  tag = args[2]
  n = 0
  created = 0
end

function request()
  n = n + 1
  local email = string.format("s%s-%d-%d@bench.example", tag, index, n)
  return wrk.format("POST", "/v1/verifications", headers, '{"email":"' .. email .. '"}')
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  end
end

function done(summary, latency, requests)
  report.done(summary, latency, {{"created", report.sum("created")}})
end
