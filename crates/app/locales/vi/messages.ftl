# Messages irnet sends outside the web pages (email). Vietnamese is the default.
mail-footer = Thư này do irnet gửi tự động; vui lòng không trả lời thư này.
focal-subject = [irnet] Đề nghị cập nhật đầu mối ứng cứu 24/7 của { $org }
focal-greeting = Kính gửi { $org },
focal-intro = Mỗi thành viên mạng lưới phải có một đầu mối chính và một đầu mối dự phòng trực 24/7, và cập nhật trong vòng 24 giờ khi có thay đổi. Đầu mối phải được xác nhận lại ít nhất { $days } ngày một lần. Hệ thống ghi nhận:
focal-main = Đầu mối chính
focal-backup = Đầu mối dự phòng
focal-missing = chưa khai báo
focal-stale = { $name }, xác nhận lần cuối ngày { $date } (đã { $age } ngày)
focal-action = Đề nghị cập nhật hoặc xác nhận đầu mối tại: { $link }
incident-overdue-subject = [irnet] Quá hạn { $what }: sự cố { $number } — { $title }
incident-overdue-intro = Sự cố { $number } "{ $title }" đã quá hạn { $what } (hạn { $due }, giờ Việt Nam).
incident-overdue-action = Đề nghị xử lý tại: { $link }
deadline-notice = gửi thông báo sự cố
deadline-initial-report = gửi báo cáo ban đầu
deadline-acknowledgement = xác nhận tiếp nhận
deadline-closing-report = gửi báo cáo kết thúc ứng cứu
# Notices (app::notify): `{message}-subject` is the title and mail subject, `{message}-body` the text.
notice-link = Xem chi tiết: { $link }
notice-restricted-subject = [irnet] Bạn có thông báo mới
notice-restricted-body = Có một thông báo mới dành cho bạn trên irnet. Nội dung chỉ xem được sau khi đăng nhập.
webhook-created-subject = [irnet] Đã thêm webhook cho đơn vị: { $url }
webhook-created-body = { $by } đã đăng ký webhook { $url } cho đơn vị. Từ nay các thông báo của đơn vị sẽ được gửi tới địa chỉ này. Nếu không phải do đơn vị chủ động, đề nghị xoá webhook ngay.
