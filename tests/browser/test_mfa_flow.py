"""End-to-end UI flows in Debian's Chromium: sign-in, MFA enrolment with a real
TOTP generator (pyotp), sign-in through /login/mfa, and the language switch.

Everything is asserted on what a person sees: URLs they land on, headings,
labels, the `lang` of the page, and the recovery codes listed.
"""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect

from ui import sign_in, switch_language, url_is

TOTP_STEP_S = 30
WINDOW_WAIT_S = TOTP_STEP_S + 5  # bounded wait for the next TOTP window

VI_SIGN_IN = "Đăng nhập"
EN_SIGN_IN = "Sign in"


def assert_signed_in(page: Page, base: str) -> None:
    expect(page).to_have_url(url_is(base, "/"))
    expect(page.locator("#nav-profile")).to_be_visible()
    expect(page.locator("#nav-profile")).to_have_attribute("href", re.compile(r"(^|/)profile$"))
    expect(page.locator("#logout-form #logout")).to_be_visible()


def totp_counter(now: float | None = None) -> int:
    return int(time.time() if now is None else now) // TOTP_STEP_S


def fresh_code(totp: pyotp.TOTP, used_code: str, used_counter: int) -> str:
    """A code that was not used yet. A TOTP code is accepted once: if the
    current window would give the code already spent, wait (polling the clock,
    bounded) for the next window."""
    deadline = time.monotonic() + WINDOW_WAIT_S
    while True:
        now = time.time()
        code = totp.at(now)
        if totp_counter(now) > used_counter and code != used_code:
            return code
        if time.monotonic() > deadline:
            raise AssertionError("no new TOTP window within the bounded wait")
        time.sleep(0.2)


def test_sign_in_page_language_switch(server, page: Page):
    """Signed out: the sign-in page is Vietnamese by default and switches to
    English and back; it ships no inline scripts and a strict CSP."""
    base = server.base_url
    response = page.goto(base + "/login")
    assert response is not None and response.status == 200, f"/login answered {response and response.status}"

    csp = response.headers.get("content-security-policy")
    assert csp, "/login has no Content-Security-Policy header"
    script_src = next(
        (d for d in csp.split(";") if d.strip().startswith(("script-src ", "default-src "))), ""
    )
    assert script_src, f"CSP sets neither script-src nor default-src: {csp!r}"
    assert "'unsafe-inline'" not in script_src, f"CSP allows inline scripts: {csp!r}"
    assert page.locator("script:not([src])").count() == 0, "the sign-in page has an inline <script>"

    html = page.locator("html")
    h1 = page.locator("h1")
    expect(html).to_have_attribute("lang", "vi")
    expect(h1).to_have_text(VI_SIGN_IN)
    submit_vi = page.locator("#login-submit").inner_text().strip()
    labels_vi = page.locator("#login-form label").all_inner_texts()

    switch_language(page, "en")
    expect(page).to_have_url(url_is(base, "/login"))
    expect(h1).to_have_text(EN_SIGN_IN)
    submit_en = page.locator("#login-submit").inner_text().strip()
    labels_en = page.locator("#login-form label").all_inner_texts()
    assert submit_en and submit_en != submit_vi, f"sign-in button not translated: {submit_vi!r} / {submit_en!r}"
    # Some labels may read the same in both languages ("Email"), but not all of them.
    assert labels_vi and labels_en != labels_vi, f"form labels not translated: {labels_vi!r}"

    # The choice sticks across a reload.
    page.reload()
    expect(html).to_have_attribute("lang", "en")
    expect(h1).to_have_text(EN_SIGN_IN)

    switch_language(page, "vi")
    expect(h1).to_have_text(VI_SIGN_IN)
    expect(page.locator("#login-submit")).to_have_text(submit_vi)

    page.console_log.assert_clean()


def test_mfa_enrolment_and_sign_in_with_totp(server, page: Page):
    base = server.base_url
    acct = server.create_admin("mfa")

    # 1. Sign in with password only (no MFA yet) and land on the home page.
    sign_in(page, base, acct.email, acct.password)
    assert_signed_in(page, base)

    # 2. Profile shows MFA as not enabled yet.
    page.locator("#nav-profile").click()
    expect(page).to_have_url(url_is(base, "/profile"))
    expect(page.locator("#mfa-status")).to_have_count(1)
    expect(page.locator("#mfa-status")).not_to_have_attribute("data-enabled", "true")

    # 3. Enrolment page: secret as text and a QR code.
    page.goto(base + "/profile/mfa")
    secret_el = page.locator("#mfa-secret")
    expect(secret_el).to_be_visible()
    secret = re.sub(r"[\s-]", "", secret_el.inner_text()).upper()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), f"#mfa-secret is not base32: {secret!r}"
    assert page.locator("svg, img, canvas").count() >= 1, "no QR code image on /profile/mfa"
    totp = pyotp.TOTP(secret)

    # 4. Confirm with a code from a real authenticator algorithm.
    enrol_time = time.time()
    enrol_code = totp.at(enrol_time)
    enrol_counter = totp_counter(enrol_time)
    page.locator("input[name=code]").fill(enrol_code)
    page.locator("#mfa-confirm").click()

    codes = page.locator("#recovery-codes li")
    expect(codes.first).to_be_visible()
    recovery = [c.strip() for c in codes.all_inner_texts()]
    assert len(recovery) >= 1, "no recovery codes listed"
    assert all(len(re.sub(r"[\s-]", "", c)) >= 6 for c in recovery), f"recovery codes look empty/short: {recovery}"
    assert len(set(recovery)) == len(recovery), f"recovery codes repeat: {recovery}"

    # 5. Profile now says MFA is enabled.
    page.goto(base + "/profile")
    expect(page.locator("#mfa-status")).to_have_attribute("data-enabled", "true")

    # 6. Sign out: the header no longer offers the profile, the sign-in form is back.
    page.locator("#logout").click()
    page.wait_for_load_state("load")
    expect(page.locator("#logout-form")).to_have_count(0)
    page.goto(base + "/login")
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#nav-profile")).to_have_count(0)

    # 7. Sign in again: the password alone is not enough, we are sent to /login/mfa.
    sign_in(page, base, acct.email, acct.password)
    expect(page).to_have_url(url_is(base, "/login/mfa"))
    expect(page.locator("#nav-profile")).to_have_count(0)
    expect(page.locator("#logout-form")).to_have_count(0)

    # 8. A fresh code (never the one spent on enrolment) lets us in.
    code = fresh_code(totp, enrol_code, enrol_counter)
    page.locator("input[name=code]").fill(code)
    page.locator("#mfa-submit").click()
    assert_signed_in(page, base)

    # 9. Signed in: switch to English and back; the labels follow. (#nav-profile
    #    may show the person's name, which is not translated.)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "vi")
    logout_vi = page.locator("#logout").inner_text().strip()
    h1 = page.locator("main h1, h1").first
    h1_vi = h1.inner_text().strip() if page.locator("h1").count() else None

    switch_language(page, "en")
    assert_signed_in(page, base)  # switching language neither signs out nor moves us
    logout_en = page.locator("#logout").inner_text().strip()
    assert logout_en and logout_en != logout_vi, f"sign-out not translated: {logout_vi!r} / {logout_en!r}"
    if h1_vi is not None:
        h1_en = h1.inner_text().strip()
        assert h1_en != h1_vi, f"page heading not translated: {h1_vi!r}"

    # The English choice holds on another page.
    page.locator("#nav-profile").click()
    expect(page).to_have_url(url_is(base, "/profile"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("#mfa-status")).to_have_attribute("data-enabled", "true")
    profile_h1_en = page.locator("h1").first.inner_text().strip()

    switch_language(page, "vi")
    expect(page).to_have_url(url_is(base, "/profile"))
    expect(page.locator("#logout")).to_have_text(logout_vi)
    expect(page.locator("h1").first).not_to_have_text(profile_h1_en)

    page.console_log.assert_clean()
