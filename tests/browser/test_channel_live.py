"""A cluster channel in two browsers at once (demo network, Cluster 1): what Lạng Sơn's responder
posts appears on the open page of Cao Bằng's cluster lead without a reload (server-sent events),
while an AMBER+STRICT message kept to Lạng Sơn never does — not live, not after a reload."""

from __future__ import annotations

import secrets

from playwright.sync_api import Page, expect

from ui import sign_in, url_is

RESPONDER = ("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")
LEAD = ("cumtruong@demo.irnet.vn", "demo-clusterlead-2024")
CLUSTER = "Cụm thành viên số 1"


def open_cluster_channel(page: Page, base: str) -> None:
    page.locator("#nav-channels").click()
    expect(page).to_have_url(url_is(base, "/channels"))
    page.locator("#channels").get_by_role("link", name=CLUSTER).click()
    expect(page.locator("h1")).to_have_text(CLUSTER)


def post(page: Page, body: str, tlp: str) -> None:
    form = page.locator("#channel-post")
    form.locator("textarea[name=body]").fill(body)
    form.locator("select[name=tlp]").select_option(tlp)
    form.locator("button[type=submit]").click()
    expect(page.locator("#messages")).to_contain_text(body)


def test_a_message_reaches_an_open_channel_page_live_but_amber_strict_stays_home(
    demo_server, browser, page: Page
):
    base = demo_server.base_url
    sign_in(page, base, *LEAD)
    # The stream answers once it is subscribed to new messages: wait for that answer, or a
    # message posted before it would be missed for a reason the test is not about.
    with page.expect_response(lambda r: r.url.endswith("/stream") and r.status == 200):
        open_cluster_channel(page, base)
    # Marks the lead's page: a reload or a navigation would lose it.
    page.evaluate("window.__opened_once = true")

    other = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    other.set_default_timeout(15_000)
    try:
        writer = other.new_page()
        sign_in(writer, base, *RESPONDER)
        open_cluster_channel(writer, base)

        tag = secrets.token_hex(3)
        hidden = f"Nội bộ Lạng Sơn {tag}: nhật ký máy chủ cổng thông tin"
        shown = f"Lạng Sơn {tag}: phát hiện dò quét cổng 3389 từ 203.0.113.7, đề nghị các đơn vị kiểm tra"
        post(writer, hidden, "AMBER+STRICT")
        post(writer, shown, "GREEN")
    finally:
        other.close()

    live = page.locator("#messages li", has_text=shown)
    expect(live).to_have_count(1)
    expect(live).to_contain_text("Lương Thị Mai")
    expect(live).to_contain_text("TLP:GREEN")
    assert page.evaluate("window.__opened_once === true"), "the lead's page was reloaded"
    # The stream sends messages in order: the AMBER+STRICT one came first, had it been sent.
    expect(page.locator("#messages")).not_to_contain_text(hidden)

    page.reload()
    expect(page.locator("#messages")).to_contain_text(shown)
    expect(page.locator("#messages")).not_to_contain_text(hidden)
    page.console_log.assert_clean()  # type: ignore[attr-defined]
