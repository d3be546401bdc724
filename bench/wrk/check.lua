-- POST /v1/verifications/{id}/check with a wrong code, spread round-robin over a pool of pending
-- verifications. bench/run raises OTPGATE_MAX_ATTEMPTS and OTPGATE_RECIPIENT_FAILURE_LIMIT for
-- this server, so every request is a counted wrong guess (row lock, attempt counter, HMAC compare,
-- the address's failure count): the same number of statements as a right code, and never the
-- cheap "no attempts left" path. Usage: wrk ... -s check.lua URL -- API_KEY IDS_FILE THREADS
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "report.lua")

local headers, paths, next_index
local body = '{"code":"000000"}'

function setup(thread)
  report.setup(thread)
end

function init(args)
  headers = {["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json"}
  local threads = tonumber(args[3])
  paths = {}
  local n = 0
  for id in io.lines(args[2]) do
    if n % threads == index then
      table.insert(paths, "/v1/verifications/" .. id .. "/check")
    end
    n = n + 1
  end
  next_index = 0
  incorrect = 0
  other = 0
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format("POST", paths[next_index], headers, body)
end

function response(status, headers, body)
  if status == 200 and body:find('"incorrect_code"', 1, true) then
    incorrect = incorrect + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  report.done(summary, latency, {{"incorrect", report.sum("incorrect")}, {"other", report.sum("other")}})
end
