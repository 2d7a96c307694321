-- Shared by the wrk scripts that rotate through queries (loaded with dofile):
-- rotate(prefix, queries) makes wrk request prefix .. urlencode(query), each query in turn.
local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function rotate(prefix, queries)
  local paths = {}
  for i, q in ipairs(queries) do
    paths[i] = prefix .. urlencode(q)
  end
  local counter = 0
  request = function()
    counter = counter + 1
    return wrk.format("GET", paths[(counter % #paths) + 1])
  end
end
