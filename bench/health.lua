-- wrk script: GET /health with the same Authorization header as person.lua, so the two
-- runs differ only in the work behind the route.
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("TANDEM_TOKEN") or "") }
request = function()
  return wrk.format("GET", "/health", headers)
end
