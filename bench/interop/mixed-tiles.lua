-- wrk script for the soak: tiles of every layer at z12–14 over the oilfield, with the windows the UI sends (a few
-- fixed ones, so the cache is exercised as in use), each request as one of 40 users (tokens soaktoken01..40, made by soak.sh).
math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
local layers = { "wells", "incidents", "gps", "tracks", "jurisdictions", "oil-zones", "idle-sites", "cameras" }
local windows = { "", "?from=2026-11-17T00:00:00Z&to=2026-11-18T00:00:00Z", "?from=2026-11-17T00:00:00Z&to=2026-11-20T00:00:00Z",
                  "?from=2025-12-01T00:00:00Z&to=2026-12-01T00:00:00Z" }
request = function()
  local z = math.random(12, 14)
  local f = 2 ^ (z - 13)
  local x = math.floor((6790 + math.random(0, 9)) * f)
  local y = math.floor((3174 + math.random(0, 4)) * f)
  local layer = layers[math.random(#layers)]
  local headers = { ["Authorization"] = string.format("Bearer soaktoken%02d", math.random(1, 40)) }
  return wrk.format("GET", "/tiles/" .. layer .. "/" .. z .. "/" .. x .. "/" .. y .. ".mvt" .. windows[math.random(#windows)], headers)
end
