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

-- this script's folder, for rotate.lua beside it
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "rotate.lua")
rotate("/api/v1/search?limit=10&q=", queries)
