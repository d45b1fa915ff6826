-- wrk script: OsmAnd GET reports from 30 devices (dev-1..dev-30), every request a new (device, timestamp) pair.
local counter = 0
local thread_id = 0
local base = tonumber(os.getenv("MC_BASE_TS") or "1764000000")
-- MC_LIVE=1: every fix is stamped with the time it is sent, as trackers in the field report (the soak); a device's second
-- fix within one second repeats its key and is absorbed by the idempotent insert.
local live = os.getenv("MC_LIVE") == "1"
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
request = function()
  counter = counter + 1
  local dev = (counter % 30) + 1
  local ts = live and os.time() or (base - tid * 600000 + counter) -- threads 7 days apart, all within the last 30 days (older fixes are refused)
  local lat = 37.36 + (counter % 1000) * 0.0001
  local lon = 118.41 + (counter % 997) * 0.0001
  return wrk.format("GET", string.format("/ingest/osmand?id=dev-%d&lat=%.6f&lon=%.6f&timestamp=%d&speed=12&bearing=45&altitude=4&accuracy=5&batt=77", dev, lat, lon, ts))
end
