-- wrk script for bench/incidents.sh: a member's responder reports and submits at once
-- (POST /api/v1/incidents with "submit": true), each request a different title; detected an
-- hour before the request, in UTC.
local titles = {
  "Tấn công từ chối dịch vụ vào cổng thông tin điện tử",
  "Máy trạm nhiễm mã độc kết nối tới máy chủ điều khiển",
  "Thư điện tử giả mạo lãnh đạo yêu cầu chuyển tiền",
  "Thay đổi giao diện trang thông tin điện tử",
  "Mã độc tống tiền mã hóa dữ liệu máy chủ",
  "Dò quét mật khẩu SSH vào máy chủ ứng dụng",
}

wrk.headers["Content-Type"] = "application/json"

local counter = 0
request = function()
  counter = counter + 1
  local detected = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 3600)
  local body = string.format(
    '{"title":"%s (%d)","summary":"Báo cáo nhanh từ đơn vị, số %d.","detected_at":"%s","tlp":"AMBER","severity":"medium","submit":true}',
    titles[(counter % #titles) + 1], counter, counter, detected)
  -- nil headers: wrk's own (the bearer token given with -H, and the content type below)
  return wrk.format("POST", "/api/v1/incidents", nil, body)
end
