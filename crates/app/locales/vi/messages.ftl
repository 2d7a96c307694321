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
incident-overdue-restricted-subject = [irnet] Quá hạn { $what }: sự cố { $number }
incident-overdue-restricted-intro = Sự cố { $number } đã quá hạn { $what } (hạn { $due }, giờ Việt Nam). Nội dung sự cố chỉ xem được sau khi đăng nhập.
deadline-notice = gửi thông báo sự cố
deadline-initial-report = gửi báo cáo ban đầu
deadline-acknowledgement = xác nhận tiếp nhận
deadline-closing-report = gửi báo cáo kết thúc ứng cứu
# Notices (app::notify): `{message}-subject` is the title and mail subject, `{message}-body` the text.
notice-link = Xem chi tiết: { $link }
notice-restricted-subject = [irnet] Bạn có thông báo mới
notice-restricted-body = Có một thông báo mới dành cho bạn trên irnet. Nội dung chỉ xem được sau khi đăng nhập.
# A notice about a record its recipient may not read when it is delivered (app::notify::cut).
notice-sealed-incident-subject = [irnet] Có cập nhật ở một sự cố bạn không mở được
notice-sealed-incident-body = Có cập nhật ở một sự cố mà bạn không có quyền mở. Nếu cần tham gia, đề nghị đơn vị chủ quản sự cố bổ sung bạn.
notice-sealed-alert-subject = [irnet] Có cập nhật ở một cảnh báo bạn không mở được
notice-sealed-alert-body = Có cập nhật ở một cảnh báo mà bạn không có quyền mở.
notice-sealed-message-subject = [irnet] Có cập nhật ở một tin nhắn bạn không mở được
notice-sealed-message-body = Có cập nhật ở một tin nhắn mà bạn không có quyền đọc.
notice-sealed-record-subject = [irnet] Có cập nhật ở một nội dung bạn không mở được
notice-sealed-record-body = Có cập nhật ở một nội dung mà bạn không có quyền mở.
webhook-created-subject = [irnet] Đã thêm webhook cho đơn vị: { $url }
webhook-created-body = { $by } đã đăng ký webhook { $url } cho đơn vị. Từ nay các thông báo của đơn vị sẽ được gửi tới địa chỉ này. Nếu không phải do đơn vị chủ động, đề nghị xoá webhook ngay.
incident-escalated-subject = [TBSC] Sự cố { $number } của { $owner }: { $title }
incident-escalated-body = { $owner } đã báo cáo sự cố { $number } "{ $title }" lên cơ quan điều phối. Đề nghị xác nhận tiếp nhận ngay.
support-requested-subject = [TBSC] { $owner } đề nghị hỗ trợ ứng cứu sự cố
support-requested-body = { $owner } đề nghị đơn vị hỗ trợ ứng cứu: { $message }
support-accepted-subject = [irnet] Đề nghị hỗ trợ của đơn vị đã được chấp nhận: sự cố { $number }
support-accepted-body = { $owner } đã chấp nhận hỗ trợ của đơn vị cho sự cố { $number } "{ $title }". Đơn vị đã có quyền tham gia xử lý sự cố.
incident-mentioned-subject = [irnet] Bạn được nhắc đến trong sự cố { $number }
incident-mentioned-body = Bạn được nhắc đến trong thảo luận của sự cố { $number } "{ $title }".
support-offered-subject = [irnet] { $by } nhận hỗ trợ sự cố { $number }
support-offered-body = { $by } đã nhận hỗ trợ ứng cứu sự cố { $number } "{ $title }". Đơn vị có thể chấp nhận để { $by } tham gia xử lý.
support-declined-subject = [irnet] { $by } từ chối hỗ trợ sự cố { $number }
support-declined-body = { $by } đã từ chối đề nghị hỗ trợ của sự cố { $number } "{ $title }".
incident-instructed-subject = [TBSC] Chỉ đạo của cơ quan điều phối về sự cố của { $owner }
incident-instructed-body = Cơ quan điều phối chỉ đạo đơn vị phối hợp xử lý sự cố của { $owner }: { $text }
# Cảnh báo (app::alerts)
alert-mail-subject = [irnet] Cảnh báo: { $title }
alert-mail-intro = { $sender } gửi cảnh báo tới { $org }.
alert-mail-title = Tiêu đề
alert-mail-severity = Mức độ
alert-mail-products = Sản phẩm bị ảnh hưởng
alert-mail-cves = Mã CVE
alert-mail-deadline = Hạn thực hiện
alert-mail-no-deadline = không đặt hạn
alert-mail-actions = Hành động yêu cầu:
alert-mail-details = Chi tiết
alert-mail-red = Cảnh báo này mang nhãn TLP:RED nên nội dung không được gửi qua thư. Đề nghị đăng nhập irnet để đọc:
alert-mail-ack = Xác nhận đã nhận cảnh báo (một lần bấm, không cần đăng nhập; liên kết chỉ dùng được một lần, hết hạn lúc { $expires }): { $link }
alert-reminder-subject = [irnet] Nhắc: { $org } chưa xác nhận cảnh báo "{ $title }"
alert-reminder-intro = { $org } chưa xác nhận đã nhận cảnh báo dưới đây. Đề nghị đầu mối chính xác nhận ngay.
alert-escalation-subject = [irnet] Chuyển đầu mối dự phòng: { $org } chưa xác nhận cảnh báo "{ $title }"
alert-escalation-intro = Đầu mối chính của { $org } chưa xác nhận đã nhận cảnh báo dưới đây. Thư này được chuyển tới đầu mối dự phòng: đề nghị xác nhận và xử lý ngay.
alert-lead-subject = [irnet] Thành viên { $org } chưa xác nhận cảnh báo "{ $title }"
alert-lead-intro = Sau { $hours } giờ, { $org } (thành viên của cụm do đơn vị anh/chị làm trưởng cụm) vẫn chưa xác nhận đã nhận cảnh báo "{ $title }".
alert-lead-action = Đề nghị liên hệ đầu mối của thành viên: { $link }
alert-sent-subject = [irnet] Cảnh báo mới từ { $sender }: { $title }
alert-sent-body = { $sender } gửi cảnh báo "{ $title }" tới đơn vị. Hạn thực hiện: { $deadline }. Đề nghị xác nhận đã nhận và báo cáo kết quả xử lý.
alert-sent-red-subject = [irnet] Cảnh báo TLP:RED mới từ { $sender }
alert-sent-red-body = { $sender } gửi một cảnh báo TLP:RED tới đơn vị. Hạn thực hiện: { $deadline }. Đề nghị xác nhận đã nhận và báo cáo kết quả xử lý.{ $title }
channel-mentioned-subject = [irnet] { $author } nhắc đến bạn trong { $channel ->
    [network] kênh toàn mạng lưới
   *[other] kênh của { $channel }
}
channel-mentioned-body = { $author } nhắc đến bạn trong một tin nhắn TLP:{ $tlp }: { $excerpt }
channel-mentioned-restricted-subject = [irnet] { $author } nhắc đến bạn trong một tin nhắn TLP:RED
channel-mentioned-restricted-body = { $author } nhắc đến bạn trong một tin nhắn TLP:RED. Hãy đăng nhập để đọc.
# Thông báo sự cố tới các đơn vị nhận (app::incidents::notice)
incident-notice-subject = [TBSC] Thông báo sự cố { $number } của { $owner }: { $title }
incident-notice-body = { $owner } thông báo sự cố { $number } "{ $title }" tới đơn vị. Đề nghị xác nhận đã nhận thông báo ngay.
incident-notice-red-subject = [TBSC] Có thông báo sự cố mới gửi tới đơn vị
incident-notice-red-body = Có một thông báo sự cố (TLP:RED) gửi tới đơn vị trên irnet. Nội dung chỉ xem được sau khi đăng nhập; đề nghị xác nhận đã nhận ngay.

# Periodic reports (rules::reminders)
periodic-half-year = 6 tháng
periodic-year = năm
periodic-subject = [irnet] Nhắc hạn báo cáo { $period } về sự cố (Mẫu 05) trước ngày { $due }
periodic-body = Theo quy định, { $org } gửi báo cáo thống kê sự cố { $period } (Mẫu 05) trước ngày { $due }. Báo cáo được lập tại { $link }.

# Training (issue 20)
training-certificate-expiring-subject = [irnet] Chứng chỉ { $certificate } của { $person } sắp hết hạn ({ $until })
training-certificate-expiring-body = Chứng chỉ { $certificate } do { $issuer } cấp cho { $person } ({ $org }) hết hiệu lực sau ngày { $until }. Đề nghị sắp xếp gia hạn hoặc đào tạo lại.
