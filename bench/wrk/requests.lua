-- Replays prepared GraphQL requests, round robin, one file line each: "<token>\t<json body>"
-- (an empty token: an anonymous request, without Authorization).
-- Every run starts at the file's first request, so what a run sent is known: the first as
-- many as it answered, and at most one more on each connection (bench/run.py's SentOnce).
-- Counts answers that are not a 200 with data (a refusal or an "errors" member) as bad, and
-- ends with one JSON line: the totals, the latency percentiles, and the latency at each
-- percentile of the second argument (comma-separated: bench/load.py's TAIL), in microseconds.
local requests = {}
local index = 0
bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local tab = line:find("\t", 1, true)
    local headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/graphql-response+json",
    }
    if tab > 1 then
      headers["Authorization"] = "Bearer " .. line:sub(1, tab - 1)
    end
    requests[#requests + 1] = wrk.format("POST", "/graphql", headers, line:sub(tab + 1))
  end
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
  end
  -- done() runs in the main thread's Lua state, where init() never ran: the percentiles come
  -- from the environment (bench/load.py sets it).
  local at = {}
  for percentile in os.getenv("WRK_TAIL"):gmatch("[^,]+") do
    local p = tonumber(percentile)
    -- wrk's percentile(100) answers 0 (its rank overshoots the count): the maximum is meant.
    local us = p >= 100 and latency.max or latency:percentile(p)
    at[#at + 1] = string.format("[%s,%d]", percentile, us)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"microseconds":%d,"bad":%d,"socket_errors":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d,"mean":%.1f,"tail":[%s]}\n',
    summary.requests, summary.duration, total_bad,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean,
    table.concat(at, ",")))
end
