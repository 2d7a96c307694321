-- wrk script for bench/search.sh: GET /api/v1/search rotating through realistic queries —
-- given and family names, full names in any order, province and unit names, partial words,
-- with and without accents, a phone prefix and an email part.
local queries = {
  "nguyen", "Nguyễn Văn", "tran thi lan", "hùng", "lan", "Minh Tuấn", "le hoa", "Hòa", "hoà",
  "bac kan", "Bắc Ninh", "dong nai", "thái nguyên", "ha noi", "ho chi minh", "lang son",
  "so khoa hoc cao bang", "trung tâm dữ liệu", "cong an phong an ninh mang", "ngan hang chi nhanh",
  "thong tin truyen thong", "nguy", "tha", "qua", "pham duc", "vu ngoc anh", "S00042", "dv123",
  "0209", "trang.nguyen", "vien thong da nang", "huynh thu", "dang quoc viet", "ngo xuan",
}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
for i, q in ipairs(queries) do
  paths[i] = "/api/v1/search?limit=10&q=" .. urlencode(q)
end

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
