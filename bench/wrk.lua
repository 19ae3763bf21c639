-- wrk script of the benchmark: requests as signed-in browsers send them
-- through the TLS proxy (a session cookie, X-Forwarded-Proto: https), a
-- count of answers other than 200, and the figures as one line of JSON.
--
-- BENCH_COOKIES (environment): Cookie headers separated by "|", one per
-- person; each request takes the next, so that two requests at once are
-- almost never the same person's (whose read marks would wait on each other).

wrk.headers["X-Forwarded-Proto"] = "https"
local cookies = {}
for cookie in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do
  table.insert(cookies, cookie)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("next_cookie", (#threads - 1) * 7)
end

function init(args)
  not_ok = 0
end

function request()
  if #cookies > 0 then
    next_cookie = next_cookie % #cookies + 1
    wrk.headers["Cookie"] = cookies[next_cookie]
  end
  return wrk.format()
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "socket_errors": %d, "not_ok": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, not_ok_total))
end
