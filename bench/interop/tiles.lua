-- wrk script: GET /tiles/wells/13/x/y.mvt for a random z13 tile of the oilfield (same tiles as tile-query.sql).
local token = os.getenv("MC_TOKEN") or "benchtoken"
wrk.headers["Authorization"] = "Bearer " .. token
math.randomseed(os.time())
request = function()
  local x = math.random(6790, 6799)
  local y = math.random(3174, 3178)
  return wrk.format("GET", "/tiles/wells/13/" .. x .. "/" .. y .. ".mvt")
end
