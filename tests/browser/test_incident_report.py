"""Reporting an incident in Debian's Chromium, as Lạng Sơn's responder does it: the quick notice
on a phone (390×844), then the Mẫu 03 form at a desk (1280×800), then the initial report filed.
Every step fills fields by their visible labels and checks what the page shows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import Page, expect

from ui import sign_in, switch_language, url_is

RESPONDER = ("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
VIETNAM = timezone(timedelta(hours=7))
TITLE = "Mã độc mã hoá dữ liệu trên máy chủ một cửa"


def test_quick_notice_on_a_phone_then_the_initial_report_at_a_desk(demo_server, page: Page, artifact_dir):
    base = demo_server.base_url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, *RESPONDER)
    expect(page).to_have_url(url_is(base, "/"))
    # The account's language is remembered: another test of the session may have left it in English.
    switch_language(page, "vi")

    # On the phone: Sự cố → Báo cáo sự cố.
    page.locator("#nav-incidents").click()
    expect(page).to_have_url(url_is(base, "/incidents"))
    page.get_by_role("link", name="Báo cáo sự cố").click()
    expect(page).to_have_url(url_is(base, "/incidents/new"))
    expect(page.get_by_role("heading", name="Báo cáo sự cố")).to_be_visible()

    # An hour ago, as the responder's phone clock shows it (the network's time zone).
    detected = (datetime.now(VIETNAM) - timedelta(hours=1)).replace(second=0, microsecond=0)
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Thời điểm phát hiện").fill(detected.strftime("%Y-%m-%dT%H:%M"))
    system = page.get_by_label("Hệ thống thông tin")
    expect(system.locator("option", has_text="cấp độ 3")).to_have_count(1)
    system.select_option(label=system.locator("option", has_text="Lạng Sơn").inner_text())
    page.get_by_label("Loại sự cố").select_option(label="Mã hóa phần mềm, dữ liệu, thiết bị")
    page.get_by_label("Mức độ").select_option(label="Cao")
    expect(page.get_by_label("TLP")).to_have_value("AMBER")
    page.get_by_label("Mô tả tóm tắt").fill("Máy chủ bị mã hoá tệp, có thư đòi tiền chuộc")

    # Usable with a thumb: the form fits the screen and its buttons are large.
    submit = page.get_by_role("button", name="Gửi thông báo")
    box = submit.bounding_box()
    assert box and box["height"] >= 44 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifact_dir / "incident-notice-phone.png"), full_page=True)
    submit.click()

    expect(page.locator(".notice")).to_have_text("Đã gửi thông báo sự cố.")
    year = datetime.now(VIETNAM).year
    # Numbered per member and year: Lạng Sơn's member code, the year, its count that year.
    expect(page.locator("#incident-number")).to_have_text(re.compile(rf"^LS-{year}-\d{{4}}$"))
    expect(page.locator("#incident-title")).to_contain_text(TITLE)
    expect(page.locator("#incident-detected")).to_have_text(detected.strftime("%d/%m/%Y %H:%M"))
    notice_due = (detected + timedelta(days=5)).strftime("%d/%m/%Y %H:%M")
    deadline = page.locator("#deadline-notice")
    expect(deadline).to_contain_text("Thông báo (5 ngày từ khi phát hiện)")
    expect(deadline).to_contain_text(notice_due)
    expect(deadline).to_contain_text("đã đáp ứng")
    page.screenshot(path=str(artifact_dir / "incident-page-phone.png"), full_page=True)
    incident_url = page.url.split("?")[0]

    # At a desk: the Mẫu 03 form.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Hoàn thiện báo cáo ban đầu (Mẫu 03)").first.click()
    expect(page.get_by_role("heading", name="Báo cáo ban đầu (Mẫu 03)")).to_be_visible()
    page.get_by_label("Người báo cáo — họ tên").fill("Lương Thị Mai")
    page.get_by_label("Người báo cáo — điện thoại").fill("0205 3812 345")
    page.get_by_label("Người báo cáo — thư điện tử").fill("ungcuu.langson@demo.irnet.vn")
    page.get_by_label("Hệ điều hành và phiên bản").fill("Windows Server 2019")
    page.get_by_label("Đang diễn ra").check()
    page.get_by_label("Hệ thống giám sát").check()
    page.get_by_label("Cơ quan công an").check()
    page.get_by_label("Địa chỉ IP công khai").fill("203.113.130.7")
    page.get_by_label("Tên miền").fill("motcua.langson.gov.vn")
    page.get_by_label("Đề nghị giữ bí mật").check()
    page.get_by_label("Biện pháp đã và dự kiến thực hiện").fill("Cô lập máy chủ khỏi mạng")
    page.screenshot(path=str(artifact_dir / "incident-report-form-desktop.png"), full_page=True)
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page).to_have_url(url_is(base, incident_url.removeprefix(base)))
    expect(page.locator(".notice")).to_have_text("Đã lưu.")
    expect(page.locator("#report-reporter")).to_contain_text("Lương Thị Mai")
    expect(page.locator("#report-os")).to_have_text("Windows Server 2019")
    expect(page.locator("#report-status-checklist")).to_have_text("Đang diễn ra")
    expect(page.locator("#report-detection")).to_have_text("Hệ thống giám sát")
    expect(page.locator("#report-notified")).to_have_text("Cơ quan công an")
    expect(page.locator("#report-public-ips")).to_contain_text("203.113.130.7")
    expect(page.locator("#report-domains")).to_have_text("motcua.langson.gov.vn")
    expect(page.locator("#report-confidential")).to_have_text("Có")
    expect(page.locator("#report-actions-taken")).to_have_text("Cô lập máy chủ khỏi mạng")

    # File Mẫu 03: it is listed, numbered, with its DOCX.
    expect(page.locator("#no-reports")).to_be_visible()
    page.get_by_role("button", name="Gửi báo cáo ban đầu (Mẫu 03)").click()
    expect(page.locator(".notice")).to_have_text("Đã gửi báo cáo.")
    filed = page.locator("#report-list li")
    expect(filed).to_have_count(1)
    expect(filed.first).to_contain_text("Báo cáo ban đầu (Mẫu 03)")
    expect(filed.first).to_contain_text(re.compile(rf"LS-{year}-\d{{4}}/BC03"))
    expect(filed.first.get_by_role("link", name="DOCX")).to_have_attribute(
        "href", re.compile(r"^/api/v1/incidents/[^/]+/reports/[^/]+/docx$")
    )
    page.screenshot(path=str(artifact_dir / "incident-page-desktop.png"), full_page=True)

    # The list shows it to its owner.
    page.locator("#nav-incidents").click()
    expect(page.locator("#incidents tbody tr")).to_have_count(1)
    expect(page.locator("#incidents tbody tr").first).to_contain_text(TITLE)
    page.screenshot(path=str(artifact_dir / "incident-list-desktop.png"), full_page=True)
    page.console_log.assert_clean()  # type: ignore[attr-defined]
