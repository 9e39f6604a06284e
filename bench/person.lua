-- wrk script: GET /api/v1/people/{id} over the ids listed in the file TANDEM_IDS (one a line,
-- every one a person), with the bearer token in TANDEM_TOKEN.
local ids = {}
for line in io.lines(os.getenv("TANDEM_IDS")) do ids[#ids + 1] = line end
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("TANDEM_TOKEN") or "") }

request = function()
  return wrk.format("GET", "/api/v1/people/" .. ids[math.random(#ids)], headers)
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
