-- wrk script: GET /api/v1/people/{id} over random ids in [first, last] (env TANDEM_FIRST_ID,
-- TANDEM_LAST_ID) with the bearer token in TANDEM_TOKEN.
local first = tonumber(os.getenv("TANDEM_FIRST_ID") or "1")
local last = tonumber(os.getenv("TANDEM_LAST_ID") or "5000")
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("TANDEM_TOKEN") or "") }

request = function()
  return wrk.format("GET", "/api/v1/people/" .. math.random(first, last), headers)
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
