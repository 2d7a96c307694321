-- wrk script for bench/incidents.sh: a member's GET /api/v1/incidents?q= rotating through
-- realistic words of incident titles, summaries and numbers — attack kinds, targets, places,
-- with and without accents, one and several words, a partial word, a year.
local queries = {
  "ddos", "mã độc", "ma doc tong tien", "ransomware", "lừa đảo", "gia mao ngan hang", "deface",
  "botnet", "thư điện tử", "cong thong tin", "máy chủ", "ssh", "webshell", "rdp", "apt",
  "dữ liệu cá nhân", "lo lot du lieu", "tấn công", "truy cap trai phep", "vpn", "cờ bạc",
  "phishing", "gián đoạn", "chuyen tien", "mat ket noi", "quan ly van ban", "2024", "2025-0",
  "thái nguyên", "an giang", "ha noi", "mã", "sao lưu", "nhà mạng",
}

-- this script's folder, for rotate.lua beside it
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "rotate.lua")
rotate("/api/v1/incidents?limit=50&q=", queries)
