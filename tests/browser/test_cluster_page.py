"""The cluster page of the demo network in Debian's Chromium, as a member's responder sees it:
members as of a chosen day (six with their 2024 names at the end of 2024, four with their current
names on 01/08/2025), the yearly leads, and the composition timeline (chart and events) — in
Vietnamese, then in English after the language switch."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ui import sign_in, switch_language, url_is

RESPONDER = ("ungcuu.langson@demo.irnet.vn", "demo-responder-2024")


def show_members_on(page: Page, day: str) -> None:
    form = page.locator("#as-of-form")
    form.locator("input[name=as_of]").fill(day)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def member_names(page: Page) -> list[str]:
    return [n.strip() for n in page.locator("#members tbody tr td:first-child").all_inner_texts()]


def test_cluster_page_members_leads_and_timeline_in_both_languages(demo_server, page: Page):
    base = demo_server.base_url
    sign_in(page, base, *RESPONDER)
    expect(page).to_have_url(url_is(base, "/"))

    page.locator("#nav-clusters").click()
    expect(page).to_have_url(url_is(base, "/clusters"))
    page.get_by_role("link", name="Cụm thành viên số 1").click()
    expect(page.locator("#cluster-name")).to_have_text("Cụm thành viên số 1")
    expect(page.locator("#founding")).to_contain_text("38/QĐ-CATTT")
    expect(page.locator("#founding")).to_contain_text("04/05/2020")

    show_members_on(page, "2024-12-31")
    expect(page.locator("#member-count")).to_have_text("6 thành viên tại ngày 31/12/2024")
    names = member_names(page)
    assert len(names) == 6
    assert all(n.startswith("Sở Thông tin và Truyền thông tỉnh") for n in names), names

    show_members_on(page, "2025-08-01")
    expect(page.locator("#member-count")).to_have_text("4 thành viên tại ngày 01/08/2025")
    assert member_names(page) == [
        "Sở Khoa học và Công nghệ tỉnh Bắc Ninh",
        "Sở Khoa học và Công nghệ tỉnh Cao Bằng",
        "Sở Khoa học và Công nghệ tỉnh Lạng Sơn",
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
    ]

    leads = page.locator("#leads tbody tr")
    expect(leads).to_have_count(2)
    expect(leads.nth(0)).to_contain_text("2024")
    expect(leads.nth(0)).to_contain_text("Bắc Kạn")
    expect(leads.nth(1)).to_contain_text("2025")
    expect(leads.nth(1)).to_contain_text("Cao Bằng")
    expect(leads.nth(1)).to_contain_text("Hoàng Văn Thiên")

    # The composition timeline: one bar row per membership, the events oldest first.
    timeline = page.locator("#timeline")
    timeline.scroll_into_view_if_needed()
    expect(timeline.locator("h2")).to_have_text("Diễn biến thành phần của cụm")
    chart = page.locator("#timeline-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("g.tl-row")).to_have_count(6)
    expect(chart.locator("rect.tl-lead")).to_have_count(2)
    box = chart.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 150, box
    expect(chart.locator("text.tl-note")).to_have_count(2)
    expect(chart).to_contain_text("→ Sở KH&CN Thái Nguyên")
    events = page.locator("#timeline-events li")
    expect(events.first).to_contain_text("04/05/2020")
    expect(events.first).to_contain_text("Thành lập cụm theo Quyết định số 38/QĐ-CATTT, gồm 6 thành viên")
    expect(page.locator("#timeline-events li.tl-merged")).to_have_count(2)
    expect(page.locator("#timeline-events li.tl-merged").first).to_contain_text("01/07/2025")
    expect(page.locator("#timeline-events li.tl-lead").last).to_contain_text(
        "nhận bàn giao từ Sở Thông tin và Truyền thông tỉnh Bắc Kạn"
    )

    # English: the same page, every label and event in English.
    switch_language(page, "en")
    expect(page.locator("#timeline h2")).to_have_text("Composition over time")
    expect(events.first).to_contain_text("Cluster founded by Decision No. 38/QĐ-CATTT with 6 members")
    expect(page.locator("#timeline-events li.tl-merged").first).to_contain_text("merged into")
    expect(page.locator("#timeline-events li.tl-lead").last).to_contain_text(
        re.compile(r"leads the cluster in 2025, handed over by .*Bắc Kạn")
    )
    show_members_on(page, "2024-12-31")
    expect(page.locator("#member-count")).to_have_text("6 members on 31/12/2024")
    page.console_log.assert_clean()  # type: ignore[attr-defined]
